using FlexCoop.Osb.Home;

namespace FlexCoop.Osb.Simulation;

/// <summary>Lights: on while people are up and it is dark (sun below 3°), at the dimmer's level.</summary>
public sealed class LightsModel(LightDefinition definition, double latitude, double longitude, double utcOffsetHours)
{
    public LightDefinition Definition { get; } = definition;

    /// <summary>Dimmer level, 0–1.</summary>
    public double Level { get; set; } = 1;

    /// <summary>Power at <paramref name="time"/>, W.</summary>
    public double PowerW(DateTimeOffset time)
    {
        var hour = time.UtcDateTime.AddHours(utcOffsetHours).TimeOfDay.TotalHours;
        var occupied = hour is >= 6.5 and < 8.5 ? 0.6 : hour is >= 17 and < 23.5 ? 1.0 : 0.05;
        var dark = SolarPosition.ElevationDegrees(latitude, longitude, time) < 3 ? 1.0 : 0.1;
        return Definition.RatedPowerW * Math.Clamp(Level, 0, 1) * occupied * dark;
    }
}

/// <summary>The rest of the home's consumption: a daily shape around the average, varied per quarter hour from the seed.</summary>
public sealed class BaseLoadModel(BaseLoadDefinition definition, double utcOffsetHours, ulong seed)
{
    private const int Channel = 51;

    // Relative consumption per local hour (scaled to mean 1 below).
    private static readonly double[] Shape =
    [
        0.55, 0.50, 0.48, 0.48, 0.50, 0.60, 0.90, 1.25, 1.10, 0.90, 0.85, 0.90,
        1.05, 0.95, 0.85, 0.85, 0.95, 1.30, 1.75, 1.70, 1.50, 1.30, 1.00, 0.75,
    ];

    private static readonly double ShapeMean = Shape.Average();

    public BaseLoadDefinition Definition { get; } = definition;

    /// <summary>Power at <paramref name="time"/>, W.</summary>
    public double PowerW(DateTimeOffset time)
    {
        var local = time.UtcDateTime.AddHours(utcOffsetHours);
        var quarter = (long)Math.Floor((local - DateTime.UnixEpoch).TotalMinutes / 15);
        return Definition.AverageW * Shape[local.Hour] / ShapeMean * (0.8 + (0.4 * SeededNoise.Uniform(seed, Channel, quarter)));
    }
}
