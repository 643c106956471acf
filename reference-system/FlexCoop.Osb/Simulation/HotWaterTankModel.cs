using FlexCoop.Osb.Home;

namespace FlexCoop.Osb.Simulation;

/// <summary>
/// A fully mixed hot-water tank: m·c·dT/dt = P_heater − UA·(T − T_ambient) − ṁ_draw·c·(T − T_cold).
/// The heater switches on 5 K below the setpoint and off at it. Draws follow a daily profile with
/// morning and evening peaks, varied per hour from the seed. The energy flows are totalled so a
/// balance can be checked.
/// </summary>
public sealed class HotWaterTankModel(HotWaterTankDefinition definition, double utcOffsetHours, ulong seed)
{
    private const double WaterJPerLitreK = 4186;
    private const int Channel = 31;

    // Share of the day's draw in each local hour (sums to 1).
    private static readonly double[] DrawProfile =
    [
        0.00, 0.00, 0.00, 0.00, 0.00, 0.01, 0.05, 0.16, 0.12, 0.06, 0.03, 0.03,
        0.04, 0.03, 0.02, 0.02, 0.03, 0.05, 0.07, 0.09, 0.08, 0.06, 0.04, 0.01,
    ];

    public HotWaterTankDefinition Definition { get; } = definition;

    public double TemperatureC { get; private set; } = definition.SetpointC;

    /// <summary>The setpoint in use, °C; the heater starts 5 K below it.</summary>
    public double SetpointC { get; set; } = definition.SetpointC;

    public bool Heating { get; private set; }

    /// <summary>Heater power in the last step, W.</summary>
    public double PowerW { get; private set; }

    public double HeatInJ { get; private set; }

    public double LossJ { get; private set; }

    public double DrawJ { get; private set; }

    public double DrawnLitres { get; private set; }

    /// <summary>The water's heat above 0 °C, J.</summary>
    public double StoredHeatJ => Definition.VolumeLitres * WaterJPerLitreK * TemperatureC;

    /// <summary>Draw rate at <paramref name="time"/>, litres per second.</summary>
    public double DrawLitresPerSecond(DateTimeOffset time)
    {
        var local = time.UtcDateTime.AddHours(utcOffsetHours);
        var hourKey = (long)Math.Floor((local - DateTime.UnixEpoch).TotalHours);
        var variation = 0.5 + SeededNoise.Uniform(seed, Channel, hourKey);
        return Definition.DrawLitresPerDay * DrawProfile[local.Hour] * variation / 3600;
    }

    /// <summary>Advances by <paramref name="seconds"/> from <paramref name="time"/>.</summary>
    public void Step(DateTimeOffset time, double seconds)
    {
        if (TemperatureC < SetpointC - 5) Heating = true;
        else if (TemperatureC >= SetpointC) Heating = false;
        // Whatever the setpoint, the water never goes below its minimum.
        if (TemperatureC < Definition.MinC) Heating = true;
        PowerW = Heating ? Definition.HeaterPowerW : 0;
        var capacity = Definition.VolumeLitres * WaterJPerLitreK;
        var drawLitres = Math.Min(DrawLitresPerSecond(time) * seconds, Definition.VolumeLitres);
        var heatIn = PowerW * seconds;
        var loss = Definition.LossWPerK * (TemperatureC - Definition.AmbientC) * seconds;
        var draw = drawLitres * WaterJPerLitreK * (TemperatureC - Definition.ColdWaterC);
        TemperatureC += (heatIn - loss - draw) / capacity;
        HeatInJ += heatIn;
        LossJ += loss;
        DrawJ += draw;
        DrawnLitres += drawLitres;
    }
}
