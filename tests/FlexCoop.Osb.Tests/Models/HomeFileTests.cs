using System.Text;
using FlexCoop.Osb;
using FlexCoop.Osb.Home;
using FlexCoop.ReferenceSystem.Contracts;

namespace FlexCoop.Osb.Tests.Models;

public sealed class HomeFileTests
{
    private static string Vector(string name) => Path.Combine(AppContext.BaseDirectory, "vectors", name);

    [Fact]
    public void Load_example_home_reads_every_device_with_its_parameters()
    {
        var home = HomeFile.Load(Vector("home.json"));

        Assert.Equal("home-0001", home.HomeId);
        Assert.Equal("2R2C", home.Building.Model);
        Assert.Equal(42UL, home.Seed);
        Assert.Equal(8, home.Devices.Count);
        Assert.Equal(Enum.GetValues<DerKind>().Order(), home.Devices.Select(d => d.Kind).Order());
        Assert.Equal(2500, Assert.IsType<HeatPumpDefinition>(home.Devices[0]).RatedPowerW);
        Assert.Equal(new DerResourceId(DerKind.EvCharger, "garage"), home.Devices[2].ResourceId);
        Assert.Equal(10000, home.Devices.OfType<BatteryDefinition>().Single().EnergyCapacityWh);
    }

    [Fact]
    public void Load_mqtt_home_maps_items_to_devices()
    {
        var home = HomeFile.Load(Vector("home-mqtt.json"));

        Assert.NotNull(home.Mqtt);
        Assert.Equal("openhab", home.Mqtt.Prefix);
        Assert.Equal("HeatPump_Setpoint", home.Devices[0].Items!.Setpoint);
        Assert.Equal("Charger_Limit", home.Devices[1].Items!.PowerLimit);
    }

    [Fact]
    public void A_home_without_devices_gets_one_of_each_kind()
    {
        var home = HomeFile.Parse("""{ "homeId": "h1" }"""u8);

        Assert.Equal(Enum.GetValues<DerKind>().Order(), home.Devices.Select(d => d.Kind).Order());
    }

    [Fact]
    public void Serialize_then_parse_gives_the_same_home()
    {
        var home = HomeFile.Load(Vector("home.json"));

        var again = HomeFile.Parse(Encoding.UTF8.GetBytes(HomeFile.Serialize(home)));

        Assert.Equal(HomeFile.Serialize(home), HomeFile.Serialize(again));
        Assert.Equal(home.Devices, again.Devices);
    }

    [Theory]
    [InlineData("""{ "homeId": "h1", "colour": "red" }""", "colour")]
    [InlineData("""{ "homeId": "bad id" }""", "homeId")]
    [InlineData("""{ "homeId": "h1", "devices": [ { "kind": "Toaster" } ] }""", "Toaster")]
    [InlineData("""{ "homeId": "h1", "devices": [ { "kind": "Light", "name": "a.b" } ] }""", "Light 'a.b'")]
    [InlineData("""{ "homeId": "h1", "devices": [ { "kind": "Light" }, { "kind": "Light" } ] }""", "two devices are named Light.main")]
    [InlineData("""{ "homeId": "h1", "comfort": { "minC": 22, "maxC": 21 } }""", "comfort")]
    [InlineData("""{ "homeId": "h1", "building": { "model": "3R3C" } }""", "1R1C or 2R2C")]
    [InlineData("""{ "homeId": "h1", "mqtt": { "broker": "mqtt://x" }, "devices": [ { "kind": "Light" } ] }""", "items.power")]
    [InlineData("""{ "homeId": "h1", "devices": [ { "kind": "Light", "items": { "power": "a/b" } } ] }""", "not an item name")]
    [InlineData("""{ "homeId": "h1", "devices": [ { "kind": "Battery", "initialStateOfCharge": 1.5 } ] }""", "reserve <= initial <= 1")]
    [InlineData("""{ "homeId": "h1" """, "not valid")]
    [InlineData("""null""", "null")]
    public void Parse_refuses_a_broken_home_file_naming_the_rule(string json, string expected)
    {
        var ex = Assert.Throws<OsbConfigurationException>(() => HomeFile.Parse(Encoding.UTF8.GetBytes(json)));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_refuses_deeply_nested_json()
    {
        var json = """{ "homeId": "h1", "location": """ + new string('[', 100) + new string(']', 100) + "}";

        Assert.Throws<OsbConfigurationException>(() => HomeFile.Parse(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Load_refuses_a_missing_file()
    {
        var ex = Assert.Throws<OsbConfigurationException>(() => HomeFile.Load(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "home.json")));

        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generated_homes_are_valid_distinct_and_repeatable()
    {
        var homes = Enumerable.Range(0, 2000).Select(i => HomeGenerator.Generate(7, i)).ToList();

        Assert.Equal(homes.Count, homes.Select(h => h.HomeId).Distinct().Count());
        Assert.Equal("home-0001", homes[0].HomeId);
        Assert.Equal(HomeFile.Serialize(homes[123]), HomeFile.Serialize(HomeGenerator.Generate(7, 123)));
        Assert.NotEqual(HomeFile.Serialize(homes[123]), HomeFile.Serialize(HomeGenerator.Generate(8, 123)));
        Assert.All(homes, h => Assert.Contains(h.Devices, d => d.Kind == DerKind.HeatPump));
        Assert.Contains(homes, h => h.Devices.Any(d => d.Kind == DerKind.EvCharger));
        Assert.Contains(homes, h => h.Devices.All(d => d.Kind != DerKind.EvCharger));
        Assert.Contains(homes, h => h.Building.Model == "2R2C");
        Assert.Contains(homes, h => h.Building.Model == "1R1C");
    }
}
