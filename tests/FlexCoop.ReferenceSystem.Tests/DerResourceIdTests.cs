using FlexCoop.ReferenceSystem.Contracts;

namespace FlexCoop.ReferenceSystem.Tests;

public sealed class DerResourceIdTests
{
    [Theory]
    [InlineData("HeatPump.main", DerKind.HeatPump, "main")]
    [InlineData("EvCharger.garage-2", DerKind.EvCharger, "garage-2")]
    [InlineData("Photovoltaic.roof_south", DerKind.Photovoltaic, "roof_south")]
    public void Parse_reads_kind_and_local_name(string text, DerKind kind, string local)
    {
        Assert.True(DerResourceId.TryParse(text, out var id));
        Assert.Equal(kind, id!.Value.Kind);
        Assert.Equal(local, id.Value.LocalName);
        Assert.Equal(text, id.Value.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("HeatPump")]
    [InlineData(".main")]
    [InlineData("Toaster.main")]
    [InlineData("heatpump.main")]
    [InlineData("3.main")]
    [InlineData("HeatPump.")]
    [InlineData("HeatPump.has space")]
    [InlineData("HeatPump.a.b")]
    [InlineData("HeatPump.abcdefghijklmnopqrstuvwxyz0123456789")]
    public void Parse_refuses_names_outside_the_convention(string? text)
    {
        Assert.False(DerResourceId.TryParse(text, out var id));
        Assert.Null(id);
    }

    [Fact]
    public void Create_refuses_an_invalid_local_name_with_the_rule()
    {
        var error = Assert.Throws<ArgumentException>(() => DerResourceId.Create(DerKind.Battery, "no/slash"));
        Assert.Contains("1–32", error.Message, StringComparison.Ordinal);
    }
}
