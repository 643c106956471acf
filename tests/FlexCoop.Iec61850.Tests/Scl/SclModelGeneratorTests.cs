using CsCheck;
using FlexCoop.Iec61850.Model;
using FlexCoop.Iec61850.Scl;

namespace FlexCoop.Iec61850.Tests.Scl;

public sealed class SclModelGeneratorTests
{
    [Fact]
    public void Generated_10000_attribute_model_parses_and_resolves_to_exactly_10000_attributes()
    {
        var resolution = SclResolver.Resolve(SclDocument.Parse(SclModelGenerator.Generate(10_000)));
        Assert.Empty(resolution.Diagnostics);
        var model = Assert.Single(resolution.Ieds);
        Assert.Equal(10_000, model.DataAttributeCount);
        Assert.Equal(10_000, model.Walk().OfType<DataAttribute>().Count(a => a.DataObject is not null));
        // 169 GGIO of 59 attributes in 4 devices, 4 LLN0 of 3, and a filler of 17.
        Assert.Equal(4, model.LogicalDevices.Count);
        Assert.Equal(169 + 4 + 1, model.LogicalNodeCount);
        Assert.Equal(4, model.DataSets.Count());
        Assert.Equal(16, model.ReportControlBlocks.Count());
        Assert.All(model.DataSets, ds => Assert.Equal(10, ds.Members.Count));
        Assert.NotNull(model.FindAttribute("GENLD4/GGIO19.AnIn8.mag.f", FunctionalConstraint.MX));
    }

    [Fact]
    public void Committed_generated_model_is_what_the_generator_writes()
    {
        Assert.Equal(SclModelGenerator.Generate(10_000), File.ReadAllText(SclVectors.Generated10000));
    }

    [Fact]
    public void Generated_model_has_the_requested_attribute_count_for_any_size()
    {
        Gen.Int[3, 6_000].Sample(n =>
        {
            var resolution = SclResolver.Resolve(SclDocument.Parse(SclModelGenerator.Generate(n, "G" + n)));
            return !resolution.HasErrors && resolution.Ieds[0].DataAttributeCount == n;
        }, iter: 40);
    }

    [Fact]
    public void Generator_refuses_a_size_below_one_lln0()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SclModelGenerator.Generate(2));
    }
}
