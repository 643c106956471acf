using FlexCoop.Osb.Home;
using FlexCoop.Osb.Simulation;

namespace FlexCoop.Osb.Tests.Models;

public sealed class ThermalModelTests
{
    [Fact]
    public void One_node_model_settles_at_outdoor_plus_heat_times_resistance()
    {
        var model = new ThermalModel1R1C(heatLossWPerK: 150, heatCapacityJPerK: 2e7, initialC: 15);

        for (var i = 0; i < 24 * 30; i++) model.Step(3600, outdoorC: 0, heatW: 3000);

        Assert.Equal(3000.0 / 150, model.IndoorTemperatureC, 3);
    }

    [Theory]
    [InlineData("1R1C")]
    [InlineData("2R2C")]
    public void Heat_in_equals_stored_heat_plus_loss_to_outdoors(string kind)
    {
        var building = new BuildingDefinition { Model = kind, InitialTemperatureC = 18 };
        var model = ThermalModel2R2C.For(building);
        var outdoor = 2.0;
        var heatIn = 0.0;
        var loss = 0.0;
        var stored = model.StoredHeatJ;
        for (var s = 0; s < 6 * 3600; s++)
        {
            var heat = (s / 1800) % 2 == 0 ? 4000.0 : 0.0;
            var massC = model is ThermalModel2R2C two ? two.MassTemperatureC : model.IndoorTemperatureC;
            model.Step(1, outdoor, heat);
            var massAfter = model is ThermalModel2R2C two2 ? two2.MassTemperatureC : model.IndoorTemperatureC;
            heatIn += heat;
            loss += building.HeatLossWPerK * ((massC + massAfter) / 2 - outdoor);
        }

        var balance = heatIn - (model.StoredHeatJ - stored) - loss;

        Assert.True(Math.Abs(balance) < 1e-3 * heatIn, $"imbalance {balance:0} J of {heatIn:0} J in");
    }

    [Fact]
    public void Two_node_model_lags_behind_one_node_model_with_the_same_envelope()
    {
        var b = new BuildingDefinition { Model = "2R2C", InitialTemperatureC = 20 };
        var two = (ThermalModel2R2C)ThermalModel2R2C.For(b);

        two.Step(600, outdoorC: 0, heatW: 5000);

        // The air warms quickly; the mass barely moves.
        Assert.True(two.IndoorTemperatureC > 20.5);
        Assert.True(two.MassTemperatureC - 20 < 0.1);
    }

    [Fact]
    public void Cop_falls_as_the_outdoor_temperature_falls()
    {
        var warm = HeatPumpModel.Cop(10, 35, 0.45);
        var cold = HeatPumpModel.Cop(-10, 35, 0.45);

        Assert.True(warm > cold);
        Assert.InRange(cold, 1.5, 6);
        Assert.Equal(0.45 * (35 + 273.15) / 25, warm, 6);
    }

    [Theory]
    [InlineData("1R1C", 21.0)]
    [InlineData("2R2C", 21.0)]
    [InlineData("1R1C", 20.0)]
    [InlineData("2R2C", 20.0)]
    public void Heat_pump_holds_the_comfort_band_through_two_winter_days(string kind, double setpoint)
    {
        var home = new HomeDefinition
        {
            HomeId = "h",
            Building = new BuildingDefinition { Model = kind, InitialTemperatureC = setpoint },
            Comfort = new ComfortBand { MinC = 19.5, MaxC = 23, SetpointC = setpoint },
            Devices = [new HeatPumpDefinition()],
        };
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 1, 15, 0, 0, 0, TimeSpan.Zero));
        var sim = new SimulatedHome(home, clock);
        var temperatures = new List<double>();
        var hp = (HeatPumpModel)sim.Model(home.Devices[0].ResourceId);
        var ran = 0;
        for (var minute = 0; minute < 2 * 24 * 60; minute++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            sim.Advance();
            temperatures.Add(sim.IndoorTemperatureC);
            if (hp.Running) ran++;
        }

        Assert.InRange(temperatures.Min(), home.Comfort.MinC, home.Comfort.MaxC);
        Assert.InRange(temperatures.Max(), home.Comfort.MinC, home.Comfort.MaxC);
        Assert.InRange(temperatures.Average(), setpoint - 0.5, setpoint + 0.5);
        Assert.InRange(ran, 1, temperatures.Count - 1); // it cycles
    }
}
