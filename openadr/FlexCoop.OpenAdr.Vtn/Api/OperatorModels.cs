using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Vtn.Storage;

namespace FlexCoop.OpenAdr.Vtn.Api;

/// <summary>One interval of an event signal in the operator API: an ISO 8601 duration and a value.</summary>
public sealed record IntervalSpec(string Duration, double Value);

/// <summary>One event signal in the operator API.</summary>
public sealed record SignalSpec
{
    /// <summary><c>SIMPLE</c>, <c>ELECTRICITY_PRICE</c>, <c>LOAD_DISPATCH</c>, <c>LOAD_CONTROL</c>, ...</summary>
    public required string SignalName { get; init; }

    /// <summary><c>level</c>, <c>price</c>, <c>setpoint</c>, <c>delta</c>, <c>x-loadControlLevelOffset</c>, ...; defaulted from the name when absent.</summary>
    public string? SignalType { get; init; }

    public string? SignalId { get; init; }

    public required IReadOnlyList<IntervalSpec> Intervals { get; init; }

    /// <summary><c>powerReal</c>, <c>energyReal</c> or <c>currencyPerKWh</c>; defaulted from the name when absent.</summary>
    public string? Item { get; init; }

    /// <summary>SI scale for power and energy: <c>none</c>, <c>k</c>, <c>M</c>.</summary>
    public string? Scale { get; init; }

    /// <summary>ISO 4217 code for prices.</summary>
    public string? Currency { get; init; }
}

/// <summary>The event to create, or the new content of an event to modify, in the operator API.</summary>
public sealed record EventSpec
{
    public string? EventId { get; init; }

    /// <summary>The program; the VTN's first when absent.</summary>
    public string? MarketContext { get; init; }

    /// <summary>0 is highest; the program's when absent.</summary>
    public uint? Priority { get; init; }

    public required DateTimeOffset DtStart { get; init; }

    /// <summary>ISO 8601; the sum of the intervals when absent; <c>PT0S</c> is open-ended.</summary>
    public string? Duration { get; init; }

    /// <summary>Start randomisation window, ISO 8601.</summary>
    public string? StartAfter { get; init; }

    public string? Notification { get; init; }

    public string? RampUp { get; init; }

    public string? Recovery { get; init; }

    public bool ResponseRequired { get; init; } = true;

    public string? TestEvent { get; init; }

    public string? VtnComment { get; init; }

    public string? ModificationReason { get; init; }

    public VtnTargets? Targets { get; init; }

    public required IReadOnlyList<SignalSpec> Signals { get; init; }

    /// <summary>The engine's form of this event; throws <see cref="VtnOperationException"/> naming what is wrong.</summary>
    public VtnEvent ToEvent(VtnOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var program = MarketContext is null
            ? options.Programs[0]
            : options.Programs.FirstOrDefault(p => p.MarketContext == MarketContext) ?? throw new VtnOperationException($"no program with market context {MarketContext}");
        if (Signals is null || Signals.Count == 0) throw new VtnOperationException("an event needs at least one signal");
        var signals = Signals.Select((s, i) => ToSignal(s, i)).ToList();
        var duration = Duration is null ? signals[0].Intervals.Aggregate(TimeSpan.Zero, (sum, x) => sum + x.Duration) : Span(Duration, "duration");
        return new VtnEvent
        {
            EventId = EventId ?? "",
            MarketContext = program.MarketContext,
            Priority = Priority ?? program.Priority,
            DtStart = DtStart.ToUniversalTime(),
            Duration = duration,
            StartAfter = StartAfter is null ? null : Span(StartAfter, "startAfter"),
            Notification = Notification is null ? null : Span(Notification, "notification"),
            RampUp = RampUp is null ? null : Span(RampUp, "rampUp"),
            Recovery = Recovery is null ? null : Span(Recovery, "recovery"),
            ResponseRequired = ResponseRequired,
            TestEvent = TestEvent,
            VtnComment = VtnComment,
            ModificationReason = ModificationReason,
            Targets = Targets ?? VtnTargets.Everyone,
            Signals = signals,
        };
    }

    private static VtnEventSignal ToSignal(SignalSpec s, int index)
    {
        if (s.Intervals is null || s.Intervals.Count == 0) throw new VtnOperationException($"signal {s.SignalName} has no interval");
        var name = s.SignalName;
        var type = s.SignalType is null ? DefaultType(name) : ParseType(s.SignalType);
        var item = s.Item is null ? DefaultItem(name) : s.Item switch
        {
            "powerReal" => VtnItemKind.PowerReal,
            "energyReal" => VtnItemKind.EnergyReal,
            "currencyPerKWh" => VtnItemKind.CurrencyPerKWh,
            "none" => VtnItemKind.None,
            _ => throw new VtnOperationException($"unknown item '{s.Item}' (powerReal, energyReal, currencyPerKWh, none)"),
        };
        var scale = s.Scale switch
        {
            null or "none" => SiScaleCode.None,
            "k" => SiScaleCode.Kilo,
            "M" => SiScaleCode.Mega,
            "m" => SiScaleCode.Milli,
            _ => throw new VtnOperationException($"unknown scale '{s.Scale}' (none, k, M, m)"),
        };
        return new VtnEventSignal
        {
            SignalName = name,
            SignalType = type,
            SignalId = s.SignalId ?? $"s{index}",
            Intervals = s.Intervals.Select(i => new VtnInterval(Span(i.Duration, "interval duration"), i.Value)).ToList(),
            Item = item,
            Scale = item is VtnItemKind.PowerReal or VtnItemKind.EnergyReal && s.Scale is null ? SiScaleCode.Kilo : scale,
            Currency = item == VtnItemKind.CurrencyPerKWh ? s.Currency ?? "EUR" : null,
        };
    }

    private static SignalType DefaultType(string name) => name switch
    {
        "SIMPLE" or "simple" => SignalType.Level,
        "ELECTRICITY_PRICE" or "ENERGY_PRICE" or "DEMAND_CHARGE" => SignalType.Price,
        "LOAD_DISPATCH" => SignalType.Setpoint,
        "LOAD_CONTROL" => SignalType.LoadControlLevelOffset,
        _ => SignalType.Level,
    };

    private static VtnItemKind DefaultItem(string name) => name switch
    {
        "ELECTRICITY_PRICE" or "ENERGY_PRICE" => VtnItemKind.CurrencyPerKWh,
        "LOAD_DISPATCH" => VtnItemKind.PowerReal,
        _ => VtnItemKind.None,
    };

    /// <summary>Signal type from its wire text (<c>level</c>, <c>x-loadControlCapacity</c>, ...).</summary>
    public static SignalType ParseType(string text) => text switch
    {
        "delta" => SignalType.Delta,
        "level" => SignalType.Level,
        "multiplier" => SignalType.Multiplier,
        "price" => SignalType.Price,
        "priceMultiplier" => SignalType.PriceMultiplier,
        "priceRelative" => SignalType.PriceRelative,
        "setpoint" => SignalType.Setpoint,
        "x-loadControlCapacity" => SignalType.LoadControlCapacity,
        "x-loadControlLevelOffset" => SignalType.LoadControlLevelOffset,
        "x-loadControlPercentOffset" => SignalType.LoadControlPercentOffset,
        "x-loadControlSetpoint" => SignalType.LoadControlSetpoint,
        _ => throw new VtnOperationException($"unknown signalType '{text}'"),
    };

    private static TimeSpan Span(string text, string what)
    {
        if (!IsoDuration.TryParse(text, out var d) || !d.TryGetTimeSpan(out var span) || span < TimeSpan.Zero)
        {
            throw new VtnOperationException($"{what} '{text}' is not a non-negative ISO 8601 duration such as PT15M");
        }
        return span;
    }
}

/// <summary>An event as the operator API lists it: the stored version and its status now.</summary>
/// <param name="Event">The latest version.</param>
/// <param name="Status">far, near, active, completed or cancelled.</param>
public sealed record EventView(VtnEvent Event, string Status);

/// <summary>A report request made through the operator API.</summary>
public sealed record ReportRequestSpec
{
    public required string VenId { get; init; }

    /// <summary>The VEN's reportSpecifierID, or <c>METADATA</c>.</summary>
    public required string ReportSpecifierId { get; init; }

    public IReadOnlyList<string>? RIds { get; init; }

    /// <summary>ISO 8601; absent or <c>PT0S</c> for a one-shot request.</summary>
    public string? Granularity { get; init; }

    public string? ReportBackDuration { get; init; }

    public DateTimeOffset? Start { get; init; }

    public string? Duration { get; init; }
}

/// <summary>An operator error as JSON.</summary>
/// <param name="Error">What is wrong.</param>
public sealed record ApiError(string Error);
