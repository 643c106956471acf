using FlexCoop.Iec61850.Model;
using FlexCoop.Iec61850.Scl;

namespace FlexCoop.Iec61850.Tests.Scl;

/// <summary>
/// Each file under vectors/scl/defects is small-2007.icd with exactly one defect, on the line marked
/// <c>DEFECT</c>: resolving it gives exactly one error, with the right code, on that line, and still a model.
/// </summary>
public sealed class SclDefectTests
{
    [Fact]
    public void The_base_file_has_no_diagnostics()
    {
        var resolution = SclResolver.Load(SclVectors.Path2007);
        Assert.Empty(resolution.Diagnostics);
    }

    [Theory]
    [InlineData("unknown-lnodetype", SclDiagnosticCodes.UnknownLNodeType)]
    [InlineData("unknown-dotype", SclDiagnosticCodes.UnknownDOType)]
    [InlineData("unknown-datype", SclDiagnosticCodes.UnknownDAType)]
    [InlineData("unknown-enumtype", SclDiagnosticCodes.UnknownEnumType)]
    [InlineData("fcda-unknown-do", SclDiagnosticCodes.UnresolvedFcda)]
    [InlineData("fcda-wrong-fc", SclDiagnosticCodes.UnresolvedFcda)]
    [InlineData("fcda-unknown-ln", SclDiagnosticCodes.UnresolvedFcda)]
    [InlineData("fcda-unknown-da", SclDiagnosticCodes.UnresolvedFcda)]
    [InlineData("duplicate-ln", SclDiagnosticCodes.Duplicate)]
    [InlineData("duplicate-do", SclDiagnosticCodes.Duplicate)]
    [InlineData("duplicate-da", SclDiagnosticCodes.Duplicate)]
    [InlineData("duplicate-ldevice", SclDiagnosticCodes.Duplicate)]
    [InlineData("duplicate-dataset", SclDiagnosticCodes.Duplicate)]
    [InlineData("duplicate-enumtype", SclDiagnosticCodes.Duplicate)]
    [InlineData("missing-lntype", SclDiagnosticCodes.MissingAttribute)]
    [InlineData("missing-do-type", SclDiagnosticCodes.MissingAttribute)]
    [InlineData("bad-boolean", SclDiagnosticCodes.BadValue)]
    [InlineData("bad-int8", SclDiagnosticCodes.BadValue)]
    [InlineData("bad-enum-value", SclDiagnosticCodes.BadValue)]
    [InlineData("dotype-cycle", SclDiagnosticCodes.TypeCycle)]
    [InlineData("datype-cycle", SclDiagnosticCodes.TypeCycle)]
    [InlineData("unknown-dataset", SclDiagnosticCodes.UnknownDataSet)]
    [InlineData("unresolved-doi", SclDiagnosticCodes.UnresolvedInstance)]
    [InlineData("unresolved-dai", SclDiagnosticCodes.UnresolvedInstance)]
    [InlineData("bad-fc", SclDiagnosticCodes.BadAttribute)]
    [InlineData("bad-btype", SclDiagnosticCodes.BadAttribute)]
    [InlineData("bad-confrev", SclDiagnosticCodes.BadAttribute)]
    public void Defect_gives_one_error_with_its_code_on_its_line(string file, string code)
    {
        var path = SclVectors.Defect(file);
        var resolution = SclResolver.Load(path);
        var error = Assert.Single(resolution.Diagnostics, d => d.Severity == SclSeverity.Error);
        Assert.Equal(code, error.Code);
        Assert.Equal(SclVectors.LineOf(path, "<!--DEFECT-->"), error.Line);
        Assert.True(error.Column > 0);
        Assert.True(resolution.HasErrors);
        // A partial model is still there.
        var model = Assert.Single(resolution.Ieds);
        Assert.NotNull(model.LogicalDevices[0].Lln0);
    }

    [Fact]
    public void Unknown_lnodetype_leaves_the_ln_without_data_but_keeps_the_rest()
    {
        var model = SclResolver.Load(SclVectors.Defect("unknown-lnodetype")).Ieds[0];
        var mmxu = model.LogicalDevices[0].FindLogicalNode("MMXU1")!;
        Assert.Empty(mmxu.DataObjects);
        Assert.NotNull(model.FindAttribute("SmallLD/GGIO1.Ind1.stVal", FunctionalConstraint.ST));
        // The FCDA into the broken LN is also unresolved, but it is the same defect's consequence: one error only.
        Assert.Single(model.LogicalDevices[0].Lln0!.DataSets[0].Members);
    }

    [Fact]
    public void Dangling_fcda_is_left_out_of_the_data_set()
    {
        var model = SclResolver.Load(SclVectors.Defect("fcda-unknown-do")).Ieds[0];
        var ds = model.FindDataSet("SmallLD/LLN0.DS1")!;
        var member = Assert.Single(ds.Members);
        Assert.Equal("SmallLD/MMXU1.TotW.mag.f", member.Reference);
    }

    [Fact]
    public void Control_block_with_a_dangling_data_set_is_kept_without_it()
    {
        var model = SclResolver.Load(SclVectors.Defect("unknown-dataset")).Ieds[0];
        var rcb = Assert.Single(model.ReportControlBlocks);
        Assert.Null(rcb.DataSet);
        Assert.Equal("", rcb.Attribute("DatSet")!.Value);
    }

    [Fact]
    public void Unknown_enumtype_keeps_the_attribute_without_its_enumeration()
    {
        var model = SclResolver.Load(SclVectors.Defect("unknown-enumtype")).Ieds[0];
        var stVal = model.FindAttribute("SmallLD/LLN0.Mod.stVal", FunctionalConstraint.ST)!;
        Assert.Null(stVal.EnumType);
        Assert.Null(stVal.Value);
    }

    [Fact]
    public void Type_defect_used_by_many_instances_is_reported_once()
    {
        var xml = File.ReadAllText(SclVectors.Defect("unknown-dotype")).Replace(
            "<LN lnClass=\"MMXU\" inst=\"1\" lnType=\"MMXU_T\"/>",
            "<LN lnClass=\"MMXU\" inst=\"1\" lnType=\"MMXU_T\"/><LN lnClass=\"GGIO\" inst=\"2\" lnType=\"GGIO_T\"/><LN lnClass=\"GGIO\" inst=\"3\" lnType=\"GGIO_T\"/>",
            StringComparison.Ordinal);
        var resolution = SclResolver.Resolve(SclDocument.Parse(xml));
        Assert.Single(resolution.Diagnostics);
        Assert.Equal(3, resolution.Ieds[0].LogicalDevices[0].LogicalNodes.Count(ln => ln.LnClass == "GGIO"));
    }
}
