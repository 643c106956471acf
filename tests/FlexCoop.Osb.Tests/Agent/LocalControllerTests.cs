using FlexCoop.OpenAdr.Model;
using FlexCoop.Osb.Agent;
using FlexCoop.Osb.Devices;
using FlexCoop.Osb.Home;
using FlexCoop.Osb.Simulation;
using Microsoft.Extensions.Time.Testing;

namespace FlexCoop.Osb.Tests.Agent;

public sealed class LocalControllerTests
{
    private static readonly LocalController Controller = new(new HomeDefinition { HomeId = "h", Control = new ControlSettings { ModeratePrice = 0.25, HighPrice = 0.40 } });

    private static EventSignal Signal(string name, SignalType type, ItemBase? item = null) => new()
    {
        SignalName = new SignalName(name),
        SignalType = type,
        SignalId = "s",
        ItemBase = item,
        Intervals = ValueList.From(Array.Empty<Interval>()),
    };

    [Theory]
    [InlineData("SIMPLE", 0, 0)]
    [InlineData("SIMPLE", 1, 1)]
    [InlineData("simple", 2, 2)]
    [InlineData("SIMPLE", 3, 3)]
    [InlineData("SIMPLE", 7, 3)]
    public void Simple_levels_map_to_control_levels(string name, double value, int level)
    {
        Assert.Equal(new DemandRequest(level, 0), Controller.Demand(Signal(name, SignalType.Level), value, 1000));
    }

    [Theory]
    [InlineData(0.10, 0)]
    [InlineData(0.25, 1)]
    [InlineData(0.39, 1)]
    [InlineData(0.40, 2)]
    public void Prices_map_to_levels_by_the_home_thresholds(double price, int level)
    {
        Assert.Equal(level, Controller.Demand(Signal("ELECTRICITY_PRICE", SignalType.Price), price, 1000).Level);
    }

    [Fact]
    public void Load_dispatch_delta_and_setpoint_become_a_reduction_in_watts()
    {
        var kilowatts = new PowerReal { Scale = SiScaleCode.Kilo, Attributes = new PowerAttributes { Hertz = 50, Voltage = 230, Ac = true } };

        Assert.Equal(1500, Controller.Demand(Signal("LOAD_DISPATCH", SignalType.Delta, kilowatts), -1.5, 3000).ReductionW, 6);
        Assert.Equal(0, Controller.Demand(Signal("LOAD_DISPATCH", SignalType.Delta, kilowatts), 2, 3000).ReductionW);
        Assert.Equal(1000, Controller.Demand(Signal("LOAD_DISPATCH", SignalType.Setpoint), 2000, 3000).ReductionW, 6);
    }

    [Fact]
    public void Estimated_reduction_grows_with_the_level_and_level_zero_plans_nothing()
    {
        var home = HomeFile.Load(Path.Combine(AppContext.BaseDirectory, "vectors", "home.json"));
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 15, 18, 0, 0, TimeSpan.Zero));
        var sim = new SimulatedHome(home, clock);
        clock.Advance(TimeSpan.FromMinutes(30));
        var controller = new LocalController(home);

        var estimates = Enumerable.Range(0, 4).Select(l => controller.EstimatedReductionW(l, sim, TimeSpan.FromHours(1))).ToList();

        Assert.Equal(0, estimates[0]);
        Assert.True(estimates[1] > 0);
        Assert.True(estimates[2] > estimates[1], "the battery adds to level 2");
        Assert.True(estimates[3] >= estimates[2]);
        Assert.All(controller.Plan(0, sim).Values, c => Assert.Equal(DeviceControl.Normal, c));
        Assert.Equal(new DeviceControl(DischargeW: 5000), controller.Plan(2, sim)[new(ReferenceSystem.Contracts.DerKind.Battery, "main")]);
    }

    [Fact]
    public void A_cold_night_without_heating_breaks_the_comfort_band_in_the_prediction()
    {
        var home = new HomeDefinition { HomeId = "h", Climate = new ClimateDefinition { AnnualMeanC = -5, AnnualAmplitudeC = 0, VariabilityC = 0 } };
        var controller = new LocalController(home);
        var from = new DateTimeOffset(2026, 1, 15, 18, 0, 0, TimeSpan.Zero);

        Assert.True(controller.PredictUnheated(21, from, TimeSpan.FromHours(12)) < home.Comfort.MinC);
        Assert.True(controller.PredictUnheated(21, from, TimeSpan.FromMinutes(30)) > home.Comfort.MinC);
    }
}
