using FlexCoop.OpenAdr.Model;

namespace FlexCoop.OpenAdr.Ven;

/// <summary>
/// An event as the VEN holds it: the VTN's <c>eiEvent</c>, the start offset the VEN drew within
/// <c>startafter</c> (rule 30: drawn once, kept on modification), and its answer.
/// </summary>
public sealed record VenEvent
{
    public required string EventId { get; init; }

    public required uint ModificationNumber { get; init; }

    public required string MarketContext { get; init; }

    public uint? Priority { get; init; }

    public required EventStatus Status { get; init; }

    public required DateTimeOffset DtStart { get; init; }

    /// <summary>The active period's length; zero is open-ended (rule 47).</summary>
    public required TimeSpan Duration { get; init; }

    public TimeSpan? StartAfter { get; init; }

    /// <summary>The offset drawn in [0, startafter) and added to the start (rule 30) and, on cancellation, to the end (rule 65).</summary>
    public TimeSpan RandomOffset { get; init; }

    /// <summary>True when <c>testEvent</c> is present and not <c>false</c> (rule 6): the VEN answers but does not act.</summary>
    public bool IsTest { get; init; }

    public bool ResponseRequired { get; init; } = true;

    /// <summary>The event exactly as the VTN sent it.</summary>
    public required OadrEvent Source { get; init; }

    /// <summary>The signals as the VTN sent them.</summary>
    public IReadOnlyList<EventSignal> Signals => Source.EiEvent.EventSignals.Signals;

    /// <summary>The VEN's participation.</summary>
    public OptType Opt { get; init; } = OptType.OptIn;

    /// <summary>When the VEN acts: dtstart plus the random offset.</summary>
    public DateTimeOffset EffectiveStart => DtStart + RandomOffset;

    /// <summary>When the VEN stops; null while open-ended. A cancelled event ends at <see cref="CancelledEnd"/>.</summary>
    public DateTimeOffset? EffectiveEnd => CancelledEnd ?? (Duration == TimeSpan.Zero ? null : DtStart + Duration + RandomOffset);

    /// <summary>Set when cancelled: now plus the random offset (rule 65).</summary>
    public DateTimeOffset? CancelledEnd { get; init; }

    /// <summary>The value of a signal at <paramref name="at"/>: its interval's payload, or null outside the event.</summary>
    public double? ValueAt(string signalName, DateTimeOffset at)
    {
        var signal = Signals.FirstOrDefault(s => s.SignalName.Value == signalName);
        if (signal is null || at < EffectiveStart || (EffectiveEnd is { } end && at >= end)) return null;
        var offset = at - EffectiveStart;
        var start = TimeSpan.Zero;
        foreach (var interval in signal.Intervals)
        {
            var length = interval.Duration is { } d && d.TryGetTimeSpan(out var span) ? span : TimeSpan.Zero;
            if (offset >= start && (offset < start + length || length == TimeSpan.Zero))
            {
                return interval.Payloads.OfType<SignalPayload>().FirstOrDefault()?.Payload is PayloadFloat f ? f.Value : null;
            }
            start += length;
        }
        return null;
    }
}

/// <summary>What happened to an event in a distribute.</summary>
public enum VenEventChange
{
    /// <summary>First seen (rule 56).</summary>
    Added,
    /// <summary>A higher modificationNumber replaced it (rule 57).</summary>
    Modified,
    /// <summary>Cancelled by the VTN (rule 59).</summary>
    Cancelled,
    /// <summary>Missing from a distribute: cancelled implicitly (rule 61).</summary>
    ImplicitlyCancelled,
    /// <summary>Refused: the event broke a rule and was not acted on (rule 19).</summary>
    Rejected,
}

/// <summary>The argument of <see cref="OadrVen.EventChanged"/>.</summary>
public sealed class VenEventChangedEventArgs(VenEvent vtnEvent, VenEventChange change, string? reason) : EventArgs
{
    public VenEvent Event { get; } = vtnEvent;

    public VenEventChange Change { get; } = change;

    /// <summary>For <see cref="VenEventChange.Rejected"/>: the code and the rule.</summary>
    public string? Reason { get; } = reason;
}

/// <summary>A message the VEN received from the VTN (for logs and tests).</summary>
public sealed class VenMessageEventArgs(OadrMessage message, bool pushed) : EventArgs
{
    public OadrMessage Message { get; } = message;

    /// <summary>True when it arrived by push, false when in a poll answer.</summary>
    public bool Pushed { get; } = pushed;
}
