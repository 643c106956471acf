using CsCheck;
using FlexCoop.Osb.Home;
using FlexCoop.Osb.Simulation;

namespace FlexCoop.Osb.Tests.Models;

public sealed class DeviceModelTests
{
    private static readonly DateTimeOffset Winter = new(2026, 1, 15, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Summer = new(2026, 6, 21, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Hot_water_tank_energy_balances_over_a_day()
    {
        var tank = new HotWaterTankModel(new HotWaterTankDefinition(), utcOffsetHours: 1, seed: 5);
        var start = tank.StoredHeatJ;
        for (var t = Winter; t < Winter.AddDays(1); t = t.AddSeconds(60)) tank.Step(t, 60);

        var balance = tank.HeatInJ - tank.LossJ - tank.DrawJ - (tank.StoredHeatJ - start);

        Assert.True(Math.Abs(balance) < 1e-6 * tank.HeatInJ, $"imbalance {balance} J");
        Assert.InRange(tank.DrawnLitres, 0.5 * 120, 1.5 * 120);
        Assert.True(tank.HeatInJ > 0);
    }

    [Fact]
    public void Hot_water_tank_holds_its_minimum_with_the_setpoint_at_the_minimum()
    {
        var definition = new HotWaterTankDefinition { DrawLitresPerDay = 150 };
        var tank = new HotWaterTankModel(definition, 0, 9) { SetpointC = definition.MinC };
        var lowest = double.MaxValue;
        for (var t = Winter; t < Winter.AddDays(2); t = t.AddSeconds(60))
        {
            tank.Step(t, 60);
            lowest = Math.Min(lowest, tank.TemperatureC);
        }

        Assert.True(lowest > definition.MinC - 0.2, $"lowest {lowest:0.00} °C");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Ev_meets_its_departure_need_when_charging_is_deferred_all_night(int seed)
    {
        var definition = new EvChargerDefinition { ChargerPowerW = 3700, EnergyNeedWh = 30000 };
        var ev = new ElectricVehicleModel(definition, utcOffsetHours: 1, seed: (ulong)seed) { PowerLimitW = 0 };
        var session = ev.SessionOf(DateOnly.FromDateTime(Winter.UtcDateTime));
        double delivered = 0;
        var forced = false;
        for (var t = session.Arrival; t < session.Departure; t = t.AddSeconds(60))
        {
            ev.Step(t, 60);
            delivered = ev.DeliveredWh;
            forced |= ev.MustRun;
        }

        Assert.True(delivered >= session.NeedWh - 1, $"delivered {delivered:0} of {session.NeedWh:0} Wh");
        Assert.True(forced, "a full deferral must end in must-run charging");
        Assert.True(session.NeedWh > 0);
    }

    [Fact]
    public void Ev_charges_at_once_without_a_limit_and_stops_when_the_need_is_met()
    {
        var ev = new ElectricVehicleModel(new EvChargerDefinition(), 0, 3);
        var session = ev.SessionOf(DateOnly.FromDateTime(Winter.UtcDateTime));
        ev.Step(session.Arrival, 60);
        Assert.Equal(7400, ev.PowerW, 3);
        for (var t = session.Arrival.AddMinutes(1); t < session.Departure; t = t.AddSeconds(60)) ev.Step(t, 60);

        Assert.Equal(session.NeedWh, ev.DeliveredWh, 3);
        Assert.Equal(0, ev.PowerW);
    }

    [Fact]
    public void Ev_sessions_are_the_same_for_the_same_seed()
    {
        var day = DateOnly.FromDateTime(Winter.UtcDateTime);
        var a = new ElectricVehicleModel(new EvChargerDefinition(), 1, 77).SessionOf(day);
        var b = new ElectricVehicleModel(new EvChargerDefinition(), 1, 77).SessionOf(day);
        var c = new ElectricVehicleModel(new EvChargerDefinition(), 1, 78).SessionOf(day);

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Pv_is_zero_at_night_and_peaks_near_solar_noon()
    {
        var pv = new PhotovoltaicModel(new PhotovoltaicDefinition(), latitude: 51.44, longitude: 5.47, new CloudCover(0, 1));
        var day = DateOnly.FromDateTime(Summer.UtcDateTime);
        var samples = Enumerable.Range(0, 24 * 60).Select(m => Summer.AddMinutes(m)).Select(t => (t, w: pv.ProductionW(t))).ToList();
        var peak = samples.MaxBy(s => s.w);
        var noon = SolarPosition.SolarNoon(5.47, day);

        Assert.Equal(0, pv.ProductionW(Summer.AddHours(23)));
        Assert.Equal(0, pv.ProductionW(Summer.AddHours(1)));
        Assert.True(Math.Abs((peak.t - noon).TotalMinutes) <= 10, $"peak at {peak.t:HH:mm}, solar noon {noon:HH:mm}");
        Assert.InRange(noon.UtcDateTime.TimeOfDay.TotalHours, 11.4, 11.8); // 5.47°E: about 22 minutes before 12:00 UTC
        Assert.InRange(peak.w, 0.6 * 4000 * 0.85, 4000 * 0.85);
    }

    [Fact]
    public void Winter_pv_peak_is_lower_than_summer()
    {
        var pv = new PhotovoltaicModel(new PhotovoltaicDefinition(), 51.44, 5.47, new CloudCover(0, 1));

        var summer = Enumerable.Range(0, 24 * 12).Max(i => pv.ProductionW(Summer.AddMinutes(5 * i)));
        var winter = Enumerable.Range(0, 24 * 12).Max(i => pv.ProductionW(Winter.AddMinutes(5 * i)));

        Assert.True(winter < 0.5 * summer, $"winter {winter:0} W, summer {summer:0} W");
    }

    [Fact]
    public void Clouds_only_ever_reduce_pv_and_are_repeatable()
    {
        var clouds = new CloudCover(0.8, 11);
        var pv = new PhotovoltaicModel(new PhotovoltaicDefinition(), 51.44, 5.47, clouds);
        var times = Enumerable.Range(0, 7 * 24 * 4).Select(i => Summer.AddMinutes(15 * i)).ToList();

        Assert.All(times, t => Assert.InRange(pv.ProductionW(t), 0, pv.ClearSkyPowerW(t)));
        Assert.True(times.Sum(pv.ProductionW) < 0.85 * times.Sum(pv.ClearSkyPowerW));
        Assert.Equal(times.Select(clouds.At), times.Select(new CloudCover(0.8, 11).At));
    }

    [Fact]
    public void Battery_stays_within_its_bounds_whatever_it_is_asked()
    {
        var definition = new BatteryDefinition { CapacityWh = 5000, MaxChargeW = 3000, MaxDischargeW = 2500, ReserveStateOfCharge = 0.1 };
        Gen.Double[-10000, 10000].Array[1, 400].Sample(requests =>
        {
            var battery = new BatteryModel(definition);
            foreach (var request in requests)
            {
                var power = battery.Step(request, 300);
                if (power > definition.MaxChargeW + 1e-9 || -power > definition.MaxDischargeW + 1e-9) return false;
                if (Math.Sign(power) * Math.Sign(request) < 0) return false;
                if (battery.StoredWh < battery.ReserveWh - 1e-9 || battery.StoredWh > definition.CapacityWh + 1e-9) return false;
            }
            return true;
        });
    }

    [Fact]
    public void Battery_round_trip_loses_the_efficiency()
    {
        var battery = new BatteryModel(new BatteryDefinition { InitialStateOfCharge = 0.1, ReserveStateOfCharge = 0.1, RoundTripEfficiency = 0.81 });
        var charged = 0.0;
        while (battery.StateOfCharge < 0.999) charged += battery.Step(5000, 60) / 60;
        var discharged = 0.0;
        while (battery.StoredWh > battery.ReserveWh + 1e-9) discharged -= battery.Step(-5000, 60) / 60;

        Assert.Equal(0.81, discharged / charged, 3);
    }

    [Fact]
    public void Lights_are_off_at_noon_and_on_in_a_winter_evening()
    {
        var lights = new LightsModel(new LightDefinition(), 51.44, 5.47, 1);

        Assert.True(lights.PowerW(Winter.AddHours(11)) < 0.2 * 200);
        Assert.Equal(200, lights.PowerW(Winter.AddHours(19)), 6);
        lights.Level = 0.5;
        Assert.Equal(100, lights.PowerW(Winter.AddHours(19)), 6);
    }

    [Fact]
    public void Base_load_averages_near_its_nominal_power()
    {
        var load = new BaseLoadModel(new BaseLoadDefinition { AverageW = 400 }, 1, 4);

        var mean = Enumerable.Range(0, 7 * 24 * 60).Average(m => load.PowerW(Winter.AddMinutes(m)));

        Assert.InRange(mean, 360, 440);
    }

    [Fact]
    public void Outdoor_temperature_is_colder_in_january_than_july_and_repeatable()
    {
        var profile = new OutdoorTemperatureProfile(new ClimateDefinition(), 1, 3);

        var january = Enumerable.Range(0, 24 * 7).Average(h => profile.At(Winter.AddHours(h)));
        var july = Enumerable.Range(0, 24 * 7).Average(h => profile.At(new DateTimeOffset(2026, 7, 20, 0, 0, 0, TimeSpan.Zero).AddHours(h)));

        Assert.True(july - january > 8, $"january {january:0.0}, july {july:0.0}");
        Assert.Equal(profile.At(Winter), new OutdoorTemperatureProfile(new ClimateDefinition(), 1, 3).At(Winter));
    }

    [Fact]
    public void A_simulated_home_is_deterministic_for_its_seed_whatever_the_step_pattern()
    {
        var home = HomeFile.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "vectors", "home.json")));
        var a = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Winter);
        var b = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Winter);
        var simA = new SimulatedHome(home, a);
        var simB = new SimulatedHome(home, b);
        var other = new SimulatedHome(home with { Seed = 43 }, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Winter));

        a.Advance(TimeSpan.FromHours(30));
        simA.Advance();
        for (var i = 0; i < 30 * 4; i++)
        {
            b.Advance(TimeSpan.FromMinutes(15));
            simB.Advance();
        }
        other.AdvanceTo(Winter.AddHours(30));

        Assert.Equal(simA.IndoorTemperatureC, simB.IndoorTemperatureC, 12);
        Assert.Equal(home.Devices.Select(d => simA.Read(d.ResourceId).EnergyWh), home.Devices.Select(d => simB.Read(d.ResourceId).EnergyWh));
        Assert.NotEqual(home.Devices.Select(d => simA.Read(d.ResourceId).EnergyWh), home.Devices.Select(d => other.Read(d.ResourceId).EnergyWh));
    }
}
