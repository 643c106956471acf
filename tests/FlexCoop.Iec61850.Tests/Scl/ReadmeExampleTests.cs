using FlexCoop.Iec61850.Model;
using FlexCoop.Iec61850.Scl;

namespace FlexCoop.Iec61850.Tests.Scl;

/// <summary>The example of iec61850/FlexCoop.Iec61850/README.md, compiled and run.</summary>
public sealed class ReadmeExampleTests
{
    [Fact]
    public void Readme_example_runs_and_prints_what_it_says()
    {
        var output = new StringWriter();
        SclResolution resolution = SclResolver.Load(SclVectors.DerUnit);
        foreach (SclDiagnostic d in resolution.Diagnostics)
        {
            output.WriteLine($"der-unit.cid:{d}");
        }

        IedModel ied = resolution.Ieds[0];
        DataAttribute ctlModel = ied.FindAttribute("DER1CTRL/CSWI1.Pos.ctlModel", FunctionalConstraint.CF)!;
        output.WriteLine($"{ctlModel.BasicType} {ctlModel.EnumName}");

        LogicalDevice ld = ied.LogicalDevices[0];
        foreach (FcGroup group in ld.FindLogicalNode("XCBR1")!.FunctionalView)
        {
            output.WriteLine(group.MmsItemId);
        }
        FcNode? node = ld.FindMmsVariable("CSWI1$CO$Pos$SBOw$ctlVal");

        Assert.Equal(BasicType.BOOLEAN, node!.Attribute!.BasicType);
        Assert.Equal(
            ["Enum sbo-with-enhanced-security", "XCBR1$ST", "XCBR1$CF", "XCBR1$CO"],
            output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }
}
