namespace FlexCoop.Saref.Tests;

public sealed class DeviceDescriptionJsonTests
{
    [Fact]
    public void Example_home_parses_with_all_device_kinds()
    {
        var home = Vectors.Home42();
        Assert.Equal("https://coop.example/homes/42/", home.Iri);
        Assert.Equal(
            [DeviceCategory.HeatPump, DeviceCategory.HotWaterTank, DeviceCategory.EvCharger, DeviceCategory.Photovoltaic,
             DeviceCategory.Battery, DeviceCategory.Light, DeviceCategory.Sensor, DeviceCategory.Meter],
            home.Devices.Select(d => d.Category));
        var hp = home.Devices[0];
        Assert.Equal(1200m, hp.Measurements[0].Value);
        Assert.Equal(Unit.Watt, hp.Measurements[0].Unit);
        var sequence = hp.PowerProfile!.AlternativesGroups.Single().Sequences.Single();
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 20, 0, 0, TimeSpan.Zero), sequence.LatestEnd);
        Assert.Equal([1u, 2u], sequence.Slots.Select(s => s.Number));
        Assert.Equal(TimeSpan.FromMinutes(45), sequence.Slots[1].MinDuration);
        var tank = home.Devices[1];
        Assert.Equal(2, tank.PowerProfile!.AlternativesGroups.Single().Sequences.Count);
        Assert.Equal(9300m, tank.Limits!.EnergyCapacityWh);
    }

    [Fact]
    public void Measurement_of_an_undeclared_property_adds_it_to_the_measured_properties()
    {
        var home = DeviceDescriptionJson.Parse("""
            { "home": "https://h.example/", "devices": [ { "id": "s", "type": "sensor",
              "measurements": [ { "property": "light", "value": 300, "unit": "lx" } ] } ] }
            """);
        Assert.Equal(PropertyKind.Light, Assert.Single(home.Devices[0].Measures).Kind);
    }

    [Theory]
    [InlineData("{", "", "not well-formed JSON")]
    [InlineData("""{ "devices": [] }""", "$.home", "is required")]
    [InlineData("""{ "home": "relative/", "devices": [] }""", "$.home", "absolute IRI")]
    [InlineData("""{ "home": "https://h.example/x", "devices": [] }""", "$.home", "ending in '/'")]
    [InlineData("""{ "home": "https://h.example/", "devices": [ { "id": "a b", "type": "pv" } ] }""", "$.devices[0].id", "letters, digits")]
    [InlineData("""{ "home": "https://h.example/", "devices": [ { "id": "a", "type": "toaster" } ] }""", "$.devices[0].type", "'toaster' is not one of")]
    [InlineData("""{ "home": "https://h.example/", "devices": [ { "id": "a", "type": "pv", "ratedPower": 5 } ] }""", "$.devices[0].ratedPower", "unknown member")]
    [InlineData("""{ "home": "https://h.example/", "devices": [ { "id": "a", "type": "pv" }, { "id": "a", "type": "pv" } ] }""", "$.devices[1].id", "duplicate device id")]
    [InlineData("""{ "home": "https://h.example/", "devices": [ { "id": "a", "type": "pv", "maxPowerW": "5" } ] }""", "$.devices[0].maxPowerW", "must be a number")]
    [InlineData("""{ "home": "https://h.example/", "devices": [ { "id": "a", "type": "pv", "maxPowerW": 1, "minPowerW": 2 } ] }""", "$.devices[0].minPowerW", "greater than maxPowerW")]
    [InlineData("""{ "home": "https://h.example/", "devices": [ { "id": "a", "type": "pv", "measurements": [ { "property": "power", "value": 1, "unit": "hp" } ] } ] }""", "$.devices[0].measurements[0].unit", "unknown unit")]
    [InlineData("""{ "home": "https://h.example/", "devices": [ { "id": "a", "type": "pv", "measurements": [ { "property": "power", "value": 1, "unit": "W", "timestamp": "2026-11-30T06:00:00" } ] } ] }""", "$.devices[0].measurements[0].timestamp", "with offset")]
    [InlineData("""{ "home": "https://h.example/", "devices": [ { "id": "a", "type": "pv", "flexibility": { "sequences": [ { "slots": [ { "duration": "1 hour" } ] } ] } } ] }""", "$.devices[0].flexibility.sequences[0].slots[0].duration", "ISO 8601 duration")]
    [InlineData("""{ "home": "https://h.example/", "devices": [ { "id": "a", "type": "pv", "flexibility": { "sequences": [ { "slots": [] } ] } } ] }""", "$.devices[0].flexibility.sequences[0].slots", "at least one slot")]
    [InlineData("""{ "home": "https://h.example/", "devices": [ { "id": "a", "type": "pv", "measures": [ "power", "power" ] } ] }""", "$.devices[0].measures", "distinct")]
    [InlineData("""{ "home": "https://h.example/", "devices": [ { "id": "a", "type": "pv", "measures": [ "power" ], "controls": [ { "property": "power", "unit": "W" } ] } ] }""", "$.devices[0].controls", "also a measured property")]
    public void Invalid_description_is_rejected_naming_the_json_path(string json, string path, string fragment)
    {
        var ex = Assert.Throws<SarefMappingException>(() => DeviceDescriptionJson.Parse(json));
        Assert.Equal(path, ex.Path);
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deeply_nested_json_is_refused_as_a_mapping_error()
    {
        var json = "{ \"home\": " + new string('[', 100) + new string(']', 100) + " }";
        Assert.Throws<SarefMappingException>(() => DeviceDescriptionJson.Parse(json));
    }
}
