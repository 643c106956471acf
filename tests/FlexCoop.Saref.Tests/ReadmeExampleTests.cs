using FlexCoop.Saref.Rdf;

namespace FlexCoop.Saref.Tests;

public sealed class ReadmeExampleTests
{
    [Fact]
    public void Readme_example_builds_writes_and_reads_back_the_home()
    {
        // The code of saref/FlexCoop.Saref/README.md, unchanged.
        var home = new HomeDescription
        {
            Iri = "https://coop.example/homes/7/",
            Devices =
            [
                new DeviceDescription
                {
                    Id = "heat-pump",
                    Category = DeviceCategory.HeatPump,
                    Label = "Heat pump",
                    Limits = new PowerLimits { MaxPowerW = 3500m, MinPowerW = 0m },
                    Functions = [FunctionKind.OnOff],
                    Measures = [new PropertyDescription(PropertyKind.Power)],
                },
            ],
        };
        RdfGraph graph = SarefGraphBuilder.Build(home);
        string turtle = TurtleWriter.Write(graph);          // or NTriplesWriter / JsonLdWriter
        HomeDescription again = SarefGraphReader.ReadHome(TurtleReader.Parse(turtle), home.Iri);

        var device = Assert.Single(again.Devices);
        Assert.Equal(DeviceCategory.HeatPump, device.Category);
        Assert.Equal(3500m, device.Limits!.MaxPowerW);
        Assert.Equal([FunctionKind.OnOff], device.Functions);
        Assert.Equal([new PropertyDescription(PropertyKind.Power)], device.Measures);
    }
}
