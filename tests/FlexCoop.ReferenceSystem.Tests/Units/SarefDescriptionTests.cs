using FlexCoop.ReferenceSystem.Contracts;
using FlexCoop.ReferenceSystem.Registry;
using FlexCoop.Saref;
using FlexCoop.Saref.Rdf;
using FlexCoop.Testing;

namespace FlexCoop.ReferenceSystem.Tests.Units;

public sealed class SarefDescriptionTests
{
    private static readonly Uri Base = new("https://coop.example/");

    private static DerRecord Der(DerKind kind, double rated, double capacity, bool controllable, double? power = null) => new()
    {
        HomeId = "home-0001",
        ResourceId = $"{kind}.main",
        Kind = kind,
        Reports = ["TELEMETRY_STATUS", "TELEMETRY_USAGE"],
        RatedPowerW = rated,
        CapacityWh = capacity,
        Controllable = controllable,
        Status = new DerStatus { Online = true, PowerW = power, UpdatedAt = new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.Zero) },
    };

    [Fact]
    public async Task Description_of_every_der_kind_uses_only_terms_the_saref_ontologies_declare()
    {
        var dir = TestEnvironment.RequireShared("ontologies/saref");
        var ontology = await SarefOntology.LoadDirectoryAsync(dir, TestContext.Current.CancellationToken);
        var ders = Enum.GetValues<DerKind>().Select(k => Der(k, 1000, k is DerKind.Battery ? 10_000 : 0, k is not DerKind.Sensor, 250)).ToList();
        var graph = SarefDescription.Graph(Base, "home-0001", ders);
        Assert.Empty(ontology.FindUnknownTerms(graph));
    }

    [Fact]
    public void Battery_description_round_trips_through_turtle_with_its_ratings_and_reading()
    {
        var graph = SarefDescription.Graph(Base, "home-0001", [Der(DerKind.Battery, 5000, 10000, true, -1200)]);
        var home = SarefGraphReader.ReadHome(TurtleReader.Parse(TurtleWriter.Write(graph)), SarefDescription.HomeIri(Base, "home-0001"));
        var device = Assert.Single(home.Devices);
        Assert.Equal("Battery.main", device.Id);
        Assert.Equal(DeviceCategory.Battery, device.Category);
        Assert.Equal("Battery.main", device.OpenAdrResourceId);
        Assert.Equal(5000m, device.Limits?.RatedPowerW);
        Assert.Equal(10000m, device.Limits?.EnergyCapacityWh);
        Assert.Contains(FunctionKind.LevelControl, device.Functions);
        Assert.Equal(-1200m, Assert.Single(device.Measurements).Value);
    }

    [Fact]
    public void Non_finite_power_is_left_out_rather_than_failing()
    {
        var device = SarefDescription.Device(Der(DerKind.HeatPump, double.NaN, 0, true, double.PositiveInfinity));
        Assert.Empty(device.Measurements);
        Assert.Null(device.Limits?.RatedPowerW);
    }
}
