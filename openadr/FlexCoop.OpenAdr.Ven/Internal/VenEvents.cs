using FlexCoop.OpenAdr.Model;

namespace FlexCoop.OpenAdr.Ven.Internal;

/// <summary>The VEN-side event rules, as pure functions of a distribute and what the VEN knows.</summary>
internal static class VenEvents
{
    public static VenEvent FromOadr(OadrEvent source, TimeSpan randomOffset)
    {
        var d = source.EiEvent.EventDescriptor;
        var p = source.EiEvent.ActivePeriod.Properties;
        return new VenEvent
        {
            EventId = d.EventId,
            ModificationNumber = d.ModificationNumber,
            MarketContext = d.MarketContext,
            Priority = d.Priority,
            Status = d.EventStatus,
            DtStart = p.DtStart,
            Duration = p.Duration.TryGetTimeSpan(out var length) ? length : TimeSpan.Zero,
            StartAfter = p.Tolerance?.StartAfter is { } sa && sa.TryGetTimeSpan(out var after) ? after : null,
            RandomOffset = randomOffset,
            IsTest = d.TestEvent is { } t && !string.Equals(t.Trim(), "false", StringComparison.Ordinal),
            ResponseRequired = source.ResponseRequired == ResponseRequired.Always,
            Source = source,
        };
    }

    /// <summary>Rule 22: an empty target means "you"; several criteria are OR'ed.</summary>
    public static bool Targets(EiTarget target, string? venId, VenOptions options)
    {
        if (target.IsEmpty) return true;
        var evaluable = target.VenIds.Count + target.ResourceIds.Count + target.GroupIds.Count + target.PartyIds.Count;
        if (evaluable == 0) return true; // only criteria this VEN cannot evaluate (pnodes, service areas, ...)
        return (venId is not null && target.VenIds.Contains(venId))
            || target.ResourceIds.Any(r => options.ResourceIds.Contains(r))
            || target.GroupIds.Any(g => options.GroupIds.Contains(g))
            || target.PartyIds.Any(p => options.PartyIds.Contains(p));
    }

    /// <summary>
    /// Why a new or changed event cannot be acted on (rules 19, 31, 48, E1_1070), or null when it can:
    /// a market context the VEN is not in, a target that is not this VEN, an unsupported signal,
    /// a start or duration the VEN cannot read.
    /// </summary>
    public static (ResponseCode Code, string Reason)? Check(OadrEvent e, string? venId, VenOptions options)
    {
        var d = e.EiEvent.EventDescriptor;
        if (string.IsNullOrEmpty(d.EventId)) return (ResponseCode.InvalidId, "empty eventID");
        if (options.MarketContexts.Count > 0 && !options.MarketContexts.Contains(d.MarketContext))
        {
            return (ResponseCode.NotRecognized, $"market context {d.MarketContext} is not one of this VEN's (rule 48)");
        }
        if (!Targets(e.EiEvent.Target, venId, options))
        {
            return (ResponseCode.TargetMismatch, "the event's eiTarget does not name this VEN (rule 22)");
        }
        foreach (var signal in e.EiEvent.EventSignals.Signals)
        {
            if (!options.SupportedSignals.Contains(signal.SignalName.Value))
            {
                return (ResponseCode.SignalNotSupported, $"signal {signal.SignalName.Value} is not supported");
            }
        }
        if (!e.EiEvent.ActivePeriod.Properties.Duration.TryGetTimeSpan(out var length) || length < TimeSpan.Zero)
        {
            return (ResponseCode.InvalidData, "the active period's duration has no fixed length (rule 31)");
        }
        return null;
    }
}
