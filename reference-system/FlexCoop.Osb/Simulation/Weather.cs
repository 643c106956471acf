using FlexCoop.Osb.Home;

namespace FlexCoop.Osb.Simulation;

/// <summary>
/// The outdoor temperature: an annual cosine (warmest around 20 July), a daily cosine (warmest at
/// 15:00 local time), and a smooth day-to-day variation drawn from the seed.
/// </summary>
public sealed class OutdoorTemperatureProfile(ClimateDefinition climate, double utcOffsetHours, ulong seed)
{
    private const int Channel = 11;

    /// <summary>The temperature in °C at <paramref name="time"/>.</summary>
    public double At(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        var dayOfYear = utc.DayOfYear + (utc.TimeOfDay.TotalHours / 24);
        var localHour = ((utc.TimeOfDay.TotalHours + utcOffsetHours) % 24 + 24) % 24;
        var annual = climate.AnnualMeanC + (climate.AnnualAmplitudeC * Math.Cos(2 * Math.PI * (dayOfYear - 201) / 365.25));
        var daily = climate.DailyAmplitudeC * Math.Cos(2 * Math.PI * (localHour - 15) / 24);
        var days = (time - DateTimeOffset.UnixEpoch).TotalDays;
        var variation = climate.VariabilityC * ((2 * SeededNoise.Smooth(seed, Channel, days)) - 1);
        return annual + daily + variation;
    }
}

/// <summary>The sun's position from latitude, longitude and time (NOAA's low-precision formulas, within a few tenths of a degree).</summary>
public static class SolarPosition
{
    /// <summary>The sun's elevation above the horizon in degrees (negative at night).</summary>
    public static double ElevationDegrees(double latitude, double longitude, DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        var (equationOfTime, declination) = Orbit(utc);
        var minutes = utc.TimeOfDay.TotalMinutes + equationOfTime + (4 * longitude);
        var hourAngle = ((minutes / 4) - 180) * Math.PI / 180;
        var lat = latitude * Math.PI / 180;
        var cosZenith = (Math.Sin(lat) * Math.Sin(declination)) + (Math.Cos(lat) * Math.Cos(declination) * Math.Cos(hourAngle));
        return 90 - (Math.Acos(Math.Clamp(cosZenith, -1, 1)) * 180 / Math.PI);
    }

    /// <summary>When the sun is highest on <paramref name="date"/> at <paramref name="longitude"/>, in UTC.</summary>
    public static DateTimeOffset SolarNoon(double longitude, DateOnly date)
    {
        var noon = new DateTimeOffset(date.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);
        var (equationOfTime, _) = Orbit(noon.UtcDateTime);
        return noon.AddMinutes(-(4 * longitude) - equationOfTime);
    }

    /// <summary>The equation of time (minutes) and the declination (radians).</summary>
    private static (double EquationOfTime, double Declination) Orbit(DateTime utc)
    {
        var daysInYear = DateTime.IsLeapYear(utc.Year) ? 366 : 365;
        var g = 2 * Math.PI / daysInYear * (utc.DayOfYear - 1 + ((utc.TimeOfDay.TotalHours - 12) / 24));
        var equationOfTime = 229.18 * (0.000075 + (0.001868 * Math.Cos(g)) - (0.032077 * Math.Sin(g)) - (0.014615 * Math.Cos(2 * g)) - (0.040849 * Math.Sin(2 * g)));
        var declination = 0.006918 - (0.399912 * Math.Cos(g)) + (0.070257 * Math.Sin(g)) - (0.006758 * Math.Cos(2 * g))
            + (0.000907 * Math.Sin(2 * g)) - (0.002697 * Math.Cos(3 * g)) + (0.00148 * Math.Sin(3 * g));
        return (equationOfTime, declination);
    }
}

/// <summary>Clear-sky global horizontal irradiance (Haurwitz's model).</summary>
public static class ClearSky
{
    /// <summary>W/m² on a horizontal surface for a sun at <paramref name="elevationDegrees"/>; zero below the horizon.</summary>
    public static double GlobalHorizontalIrradiance(double elevationDegrees)
    {
        if (elevationDegrees <= 0) return 0;
        var cosZenith = Math.Sin(elevationDegrees * Math.PI / 180);
        return 1098 * cosZenith * Math.Exp(-0.057 / cosZenith);
    }
}

/// <summary>
/// Cloud cover in [0, 1]: a day's cloudiness around the climate's mean (±0.4), with passing clouds
/// (±0.5) on a 20-minute scale, both drawn from the seed. The clearness index follows Kasten and Czeplak: 1 − 0.75·c^3.4.
/// </summary>
public sealed class CloudCover(double cloudiness, ulong seed)
{
    private const int DayChannel = 21;
    private const int PassingChannel = 22;

    /// <summary>The cover at <paramref name="time"/>.</summary>
    public double At(DateTimeOffset time)
    {
        if (cloudiness <= 0) return 0;
        var days = (time - DateTimeOffset.UnixEpoch).TotalDays;
        var day = Math.Clamp(cloudiness + (0.8 * (SeededNoise.Smooth(seed, DayChannel, days) - 0.5)), 0, 1);
        var passing = SeededNoise.Smooth(seed, PassingChannel, days * 72) - 0.5;
        return Math.Clamp(day + passing, 0, 1);
    }

    /// <summary>The fraction of clear-sky irradiance that reaches the ground under <paramref name="cover"/>.</summary>
    public static double Clearness(double cover) => 1 - (0.75 * Math.Pow(Math.Clamp(cover, 0, 1), 3.4));
}
