namespace FlexCoop.Usef.Validation;

/// <summary>
/// ISP arithmetic for a Period in a time zone: the day runs from local midnight to the next local
/// midnight, so it lasts 23, 24 or 25 hours around daylight-saving changes and holds that many
/// hours' worth of ISPs.
/// </summary>
public static class UftpIspCalendar
{
    /// <summary>Finds an IANA time zone; false when unknown.</summary>
    public static bool TryFindTimeZone(string id, out TimeZoneInfo? zone)
    {
        zone = null;
        if (string.IsNullOrEmpty(id)) return false;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (TimeZoneNotFoundException)
        {
            return false;
        }
        catch (InvalidTimeZoneException)
        {
            return false;
        }
    }

    /// <summary>The instant the Period starts (local midnight, or the first valid local time after it).</summary>
    public static DateTimeOffset DayStart(DateOnly period, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = period.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(1);
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }

    /// <summary>The length of the Period in the time zone (23, 24 or 25 hours around DST changes).</summary>
    public static TimeSpan DayLength(DateOnly period, TimeZoneInfo zone) =>
        DayStart(period.AddDays(1), zone) - DayStart(period, zone);

    /// <summary>The number of ISPs in the Period; null when the ISP duration does not divide the day.</summary>
    public static int? IspCount(DateOnly period, TimeZoneInfo zone, TimeSpan ispDuration)
    {
        if (ispDuration <= TimeSpan.Zero) return null;
        var length = DayLength(period, zone);
        return length.Ticks % ispDuration.Ticks == 0 ? (int)(length.Ticks / ispDuration.Ticks) : null;
    }

    /// <summary>When ISP number <paramref name="isp"/> (1-based) of the Period starts.</summary>
    public static DateTimeOffset IspStart(DateOnly period, TimeZoneInfo zone, TimeSpan ispDuration, int isp) =>
        DayStart(period, zone).ToUniversalTime() + ispDuration * (isp - 1);
}
