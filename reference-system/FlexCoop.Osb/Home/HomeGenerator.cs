using FlexCoop.Osb.Simulation;

namespace FlexCoop.Osb.Home;

/// <summary>
/// Makes varied homes from a seed: locations across the Netherlands, 1R1C or 2R2C buildings of
/// different sizes, and a device mix where every home has a heat pump, lights, a sensor and a base
/// load, and most have a hot-water tank, many PV, some an EV and a battery. Home <c>i</c> of seed
/// <c>s</c> is always the same.
/// </summary>
public static class HomeGenerator
{
    /// <summary>The <paramref name="index"/>-th home (0-based) of <paramref name="seed"/>; its homeId is <c>home-NNNN</c> (1-based).</summary>
    public static HomeDefinition Generate(int seed, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var homeSeed = (ulong)(uint)seed * 0x100000001B3UL ^ (ulong)(uint)index * 0x9E3779B97F4A7C15UL;
        var draw = 0;
        double U() => SeededNoise.Uniform(homeSeed, 1000, draw++);
        double Between(double low, double high) => low + ((high - low) * U());

        var latitude = Math.Round(Between(50.8, 53.4), 4);
        var longitude = Math.Round(Between(3.6, 7.1), 4);
        var twoNode = U() < 0.5;
        var size = Between(0.6, 1.6);
        var devices = new List<DeviceDefinition>
        {
            new HeatPumpDefinition { RatedPowerW = Math.Round(1500 * size / 100) * 100 + 500 },
            new LightDefinition { Name = "living", RatedPowerW = Math.Round(Between(80, 300)) },
            new SensorDefinition { Name = "living" },
            new BaseLoadDefinition { AverageW = Math.Round(Between(250, 600)) },
        };
        if (U() < 0.8) devices.Add(new HotWaterTankDefinition { VolumeLitres = U() < 0.5 ? 150 : 200, DrawLitresPerDay = Math.Round(Between(60, 200)) });
        if (U() < 0.6) devices.Add(new PhotovoltaicDefinition { Name = "roof", PeakPowerW = Math.Round(Between(2000, 6000) / 100) * 100 });
        if (U() < 0.4)
        {
            devices.Add(new EvChargerDefinition
            {
                Name = "garage",
                ChargerPowerW = U() < 0.5 ? 3700 : 7400,
                ArrivalHour = Math.Round(Between(16.5, 20), 2),
                DepartureHour = Math.Round(Between(6.5, 8.5), 2),
                EnergyNeedWh = Math.Round(Between(5000, 16000)),
            });
        }
        if (U() < 0.25) devices.Add(new BatteryDefinition { CapacityWh = U() < 0.5 ? 5000 : 10000, InitialStateOfCharge = Math.Round(Between(0.2, 0.9), 2) });

        return HomeFile.Validate(new HomeDefinition
        {
            HomeId = $"home-{index + 1:D4}",
            Location = new HomeLocation { Latitude = latitude, Longitude = longitude, Postcode = $"{(int)Between(1000, 9999)}" },
            Seed = homeSeed,
            Building = new BuildingDefinition
            {
                Model = twoNode ? "2R2C" : "1R1C",
                HeatLossWPerK = Math.Round(150 * size),
                HeatCapacityJPerK = Math.Round(2.0e7 * size),
                AirHeatCapacityJPerK = Math.Round(2.0e6 * size),
                AirToMassWPerK = Math.Round(600 * size),
                InitialTemperatureC = Math.Round(Between(20, 22), 1),
            },
            Comfort = new ComfortBand { MinC = 19.5, MaxC = 23, SetpointC = Math.Round(Between(20.5, 21.5), 1) },
            Devices = devices,
        });
    }
}
