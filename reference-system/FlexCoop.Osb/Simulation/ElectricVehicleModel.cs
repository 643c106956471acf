using FlexCoop.Osb.Home;

namespace FlexCoop.Osb.Simulation;

/// <summary>One stay of the car at home: when it arrives, leaves, and how much energy it needs.</summary>
public readonly record struct EvSession(DateTimeOffset Arrival, DateTimeOffset Departure, double NeedWh);

/// <summary>
/// An EV and its charger. Each local day the car arrives around <c>arrivalHour</c> and leaves around
/// <c>departureHour</c> (jitter and energy need drawn from the seed). It charges at full power
/// unless limited; a limit is overridden ("must run") as soon as the remaining need would no longer
/// fit before departure at full power, with 15 minutes to spare, so deferring never breaks the need.
/// </summary>
public sealed class ElectricVehicleModel(EvChargerDefinition definition, double utcOffsetHours, ulong seed)
{
    /// <summary>Time kept in hand before departure.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromMinutes(15);

    private const int Channel = 41;
    private EvSession? _current;

    public EvChargerDefinition Definition { get; } = definition;

    /// <summary>The power limit, W; null charges at full power.</summary>
    public double? PowerLimitW { get; set; }

    /// <summary>Energy added to the battery this stay, Wh.</summary>
    public double DeliveredWh { get; private set; }

    /// <summary>Grid power in the last step, W.</summary>
    public double PowerW { get; private set; }

    /// <summary>True when the last step charged at full power despite a limit, to meet the departure need.</summary>
    public bool MustRun { get; private set; }

    /// <summary>The stay in progress, null while the car is away.</summary>
    public EvSession? Session => _current;

    /// <summary>Energy still to add this stay, Wh.</summary>
    public double RemainingWh => _current is { } s ? Math.Max(0, s.NeedWh - DeliveredWh) : 0;

    /// <summary>The stay that starts on local day <paramref name="day"/>.</summary>
    public EvSession SessionOf(DateOnly day)
    {
        var key = day.DayNumber;
        var midnight = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddHours(-utcOffsetHours);
        var arrival = midnight.AddHours(Definition.ArrivalHour + (0.75 * SeededNoise.Signed(seed, Channel, key)));
        var departureDay = Definition.DepartureHour <= Definition.ArrivalHour ? midnight.AddDays(1) : midnight;
        var departure = departureDay.AddHours(Definition.DepartureHour + (0.5 * SeededNoise.Signed(seed, Channel + 1, key)));
        if (departure <= arrival + TimeSpan.FromHours(1)) departure = arrival + TimeSpan.FromHours(1);
        var need = Definition.EnergyNeedWh * (0.6 + (0.8 * SeededNoise.Uniform(seed, Channel + 2, key)));
        var possible = Definition.ChargerPowerW * Definition.Efficiency * ((departure - arrival) - Margin - Margin).TotalHours;
        return new EvSession(arrival, departure, Math.Clamp(Math.Min(need, possible), 0, Definition.BatteryWh));
    }

    /// <summary>The stay that includes <paramref name="time"/>, if the car is home then.</summary>
    public EvSession? SessionAt(DateTimeOffset time)
    {
        var day = DateOnly.FromDateTime(time.UtcDateTime.AddHours(utcOffsetHours));
        var yesterday = SessionOf(day.AddDays(-1));
        if (time >= yesterday.Arrival && time < yesterday.Departure) return yesterday;
        var today = SessionOf(day);
        return time >= today.Arrival && time < today.Departure ? today : null;
    }

    /// <summary>Whether the rest of the need still fits if charging waits until <paramref name="until"/>.</summary>
    public bool CanDefer(DateTimeOffset now, DateTimeOffset until)
    {
        var s = SessionAt(now) ?? SessionAt(until);
        if (s is null) return true;
        var remaining = SessionAt(now) is null ? s.Value.NeedWh : RemainingWh;
        var start = until > s.Value.Arrival ? until : s.Value.Arrival;
        var hours = (s.Value.Departure - Margin - start).TotalHours;
        return remaining <= 0 || remaining <= Definition.ChargerPowerW * Definition.Efficiency * hours;
    }

    /// <summary>Advances by <paramref name="seconds"/> from <paramref name="time"/>.</summary>
    public void Step(DateTimeOffset time, double seconds)
    {
        var session = SessionAt(time);
        if (session != _current)
        {
            _current = session;
            DeliveredWh = 0;
        }
        MustRun = false;
        PowerW = 0;
        if (session is not { } s || RemainingWh <= 0 || seconds <= 0) return;
        var full = Definition.ChargerPowerW;
        var hoursToGo = (s.Departure - Margin - time).TotalHours - (seconds / 3600);
        var needsFull = RemainingWh >= full * Definition.Efficiency * hoursToGo;
        var power = PowerLimitW is { } limit ? Math.Clamp(limit, 0, full) : full;
        if (needsFull && power < full)
        {
            MustRun = true;
            power = full;
        }
        power = Math.Min(power, RemainingWh / Definition.Efficiency / (seconds / 3600));
        PowerW = power;
        DeliveredWh += power * Definition.Efficiency * seconds / 3600;
    }
}
