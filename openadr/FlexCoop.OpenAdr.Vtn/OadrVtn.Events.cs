using System.Collections.Immutable;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Vtn.Internal;
using FlexCoop.OpenAdr.Vtn.Storage;

namespace FlexCoop.OpenAdr.Vtn;

public sealed partial class OadrVtn
{
    private readonly SemaphoreSlim _eventGate = new(1, 1);
    private ImmutableDictionary<string, VtnEvent> _events = ImmutableDictionary.Create<string, VtnEvent>(StringComparer.Ordinal);

    private async Task LoadEventsAsync(CancellationToken cancellationToken)
    {
        var events = await _store.ListEventsAsync(Now - TimeSpan.FromDays(1), cancellationToken);
        _events = events.ToImmutableDictionary(e => e.EventId, StringComparer.Ordinal);
    }

    private DateTimeOffset _eventsReadAt = DateTimeOffset.MinValue;
    private readonly SemaphoreSlim _catchUpGate = new(1, 1);

    /// <summary>
    /// Before a distribute is built (push or poll): it may have been queued by another engine on the store
    /// for an event change this one has not heard of yet, so the events are read from the store again unless
    /// a read started after the message was seen (<paramref name="seenAt"/>, taken once the store had returned
    /// it: the event was saved in the transaction that queued it, so such a read holds it). A message's own
    /// timestamps cannot say this: they are taken before its transaction commits. Reads are one at a time, and
    /// one read serves every message seen before it started.
    /// </summary>
    internal async Task CatchUpEventsAsync(DateTimeOffset seenAt, CancellationToken cancellationToken)
    {
        if (seenAt < _eventsReadAt) return;
        await _catchUpGate.WaitAsync(cancellationToken);
        try
        {
            if (seenAt < _eventsReadAt) return;
            var readAt = Now;
            var stored = await _store.ListEventsAsync(readAt - TimeSpan.FromDays(1), cancellationToken);
            await _eventGate.WaitAsync(cancellationToken);
            try
            {
                foreach (var e in stored)
                {
                    if (!_events.TryGetValue(e.EventId, out var known) || known.ModificationNumber < e.ModificationNumber) _events = _events.SetItem(e.EventId, e);
                }
            }
            finally
            {
                _eventGate.Release();
            }
            if (readAt > _eventsReadAt) _eventsReadAt = readAt;
        }
        finally
        {
            _catchUpGate.Release();
        }
    }

    /// <summary>The events the VTN still distributes or recently did, from memory.</summary>
    public IReadOnlyList<VtnEvent> Events => _events.Values.OrderBy(e => e.DtStart).ThenBy(e => e.EventId, StringComparer.Ordinal).ToList();

    /// <summary>The event's status at the VTN's clock: far, near, active, completed or cancelled.</summary>
    public EventStatus StatusOf(VtnEvent vtnEvent) => StatusAt(vtnEvent, Now);

    private EventStatus StatusAt(VtnEvent e, DateTimeOffset now)
    {
        if (e.Cancelled) return EventStatus.Cancelled;
        if (now < e.DtStart)
        {
            var near = e.RampUp ?? Options.NearWindow;
            return now >= e.DtStart - near ? EventStatus.Near : EventStatus.Far;
        }
        if (e.Duration == TimeSpan.Zero || now < e.DtStart + e.Duration) return EventStatus.Active;
        return EventStatus.Completed;
    }

    /// <summary>
    /// Creates an event: modificationNumber 0 (rule 4), created now, in a known program, and queues
    /// a distribute for every VEN it targets. The event ID is generated when empty.
    /// </summary>
    public async Task<VtnEvent> CreateEventAsync(VtnEvent draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var program = Options.Programs.FirstOrDefault(p => p.MarketContext == draft.MarketContext)
            ?? throw new VtnOperationException($"no program with market context {draft.MarketContext}");
        await _eventGate.WaitAsync(cancellationToken);
        try
        {
            var id = string.IsNullOrEmpty(draft.EventId) ? NewId("evt-") : draft.EventId;
            if (_events.ContainsKey(id) || await _store.GetEventAsync(id, cancellationToken) is not null)
            {
                throw new VtnOperationException($"event {id} exists already");
            }
            var now = Now;
            var created = Check(draft with
            {
                EventId = id,
                ModificationNumber = 0,
                CreatedDateTime = now,
                ModificationDateTime = now,
                Cancelled = false,
                Priority = draft.Priority < 0 ? program.Priority : draft.Priority,
            });
            CheckOverlap(created, now);
            await SaveAndDistributeAsync(created, "created", cancellationToken);
            return created;
        }
        finally
        {
            _eventGate.Release();
        }
    }

    /// <summary>
    /// Changes an event: the change is applied to the current version, the modificationNumber goes up
    /// by one (rule 5), and every targeted VEN is due a distribute. A cancelled or completed event cannot change.
    /// </summary>
    public Task<VtnEvent> ModifyEventAsync(string eventId, Func<VtnEvent, VtnEvent> change, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        return ChangeAsync(eventId, current =>
        {
            var status = StatusAt(current, Now);
            if (status is EventStatus.Cancelled or EventStatus.Completed)
            {
                throw new VtnOperationException($"event {eventId} is {status.ToString().ToLowerInvariant()} and cannot be modified");
            }
            var changed = change(current);
            return changed with
            {
                EventId = current.EventId,
                MarketContext = current.MarketContext,
                CreatedDateTime = current.CreatedDateTime,
                Cancelled = false,
                ModificationReason = reason ?? changed.ModificationReason,
            };
        }, "modified", cancellationToken);
    }

    /// <summary>Cancels an event: a new modification with status cancelled (rule 5), distributed to its VENs until they acknowledge it (rule 52).</summary>
    public Task<VtnEvent> CancelEventAsync(string eventId, string? reason = null, CancellationToken cancellationToken = default) =>
        ChangeAsync(eventId, current =>
        {
            if (current.Cancelled) throw new VtnOperationException($"event {eventId} is cancelled already");
            if (StatusAt(current, Now) == EventStatus.Completed) throw new VtnOperationException($"event {eventId} has completed");
            return current with { Cancelled = true, ModificationReason = reason ?? "cancelled" };
        }, "cancelled", cancellationToken);

    private async Task<VtnEvent> ChangeAsync(string eventId, Func<VtnEvent, VtnEvent> change, string what, CancellationToken cancellationToken)
    {
        await _eventGate.WaitAsync(cancellationToken);
        try
        {
            var current = _events.GetValueOrDefault(eventId) ?? await _store.GetEventAsync(eventId, cancellationToken)
                ?? throw new VtnOperationException($"no event {eventId}");
            var next = Check(change(current) with { ModificationNumber = current.ModificationNumber + 1, ModificationDateTime = Now });
            if (!next.Cancelled) CheckOverlap(next, Now);
            await SaveAndDistributeAsync(next, what, cancellationToken);
            return next;
        }
        finally
        {
            _eventGate.Release();
        }
    }

    private static VtnEvent Check(VtnEvent e)
    {
        if (e.Signals.Count == 0) throw new VtnOperationException("an event needs at least one signal");
        if (e.Signals.Count(s => s.SignalName is "SIMPLE" or "simple") > 1) throw new VtnOperationException("at most one SIMPLE signal per event (rule 7)");
        if (e.Duration < TimeSpan.Zero) throw new VtnOperationException("duration cannot be negative");
        foreach (var signal in e.Signals)
        {
            if (signal.Intervals.Count == 0) throw new VtnOperationException($"signal {signal.SignalId} has no interval");
            var total = signal.Intervals.Aggregate(TimeSpan.Zero, (sum, i) => sum + i.Duration);
            if (e.Duration != TimeSpan.Zero && total != e.Duration)
            {
                throw new VtnOperationException($"signal {signal.SignalId}: intervals last {total}, the event {e.Duration} (rule 8)");
            }
            if (signal.SignalName is "SIMPLE" or "simple" && signal.Intervals.Any(i => i.Value is not (0 or 1 or 2 or 3)))
            {
                throw new VtnOperationException("SIMPLE levels are 0, 1, 2 or 3 (rule 9)");
            }
            if (signal.Intervals.Any(i => i.Duration.Ticks % TimeSpan.TicksPerSecond != 0 || i.Duration < TimeSpan.Zero))
            {
                throw new VtnOperationException("interval durations are whole, non-negative seconds");
            }
        }
        if (e.Signals.Select(s => s.SignalId).Distinct(StringComparer.Ordinal).Count() != e.Signals.Count)
        {
            throw new VtnOperationException("signal IDs must differ");
        }
        return e;
    }

    /// <summary>
    /// Rule 18: events overlap in time only across market contexts (a VEN resolves them by priority).
    /// An event that is not over and shares the market context, overlaps in time (dtstart to the end of
    /// its start window plus duration; duration 0 is open-ended) and can reach the same VEN is refused.
    /// </summary>
    private void CheckOverlap(VtnEvent e, DateTimeOffset now)
    {
        foreach (var other in _events.Values)
        {
            if (other.EventId == e.EventId || other.MarketContext != e.MarketContext) continue;
            if (StatusAt(other, now) is EventStatus.Cancelled or EventStatus.Completed) continue;
            if (!OverlapInTime(e, other) || !CanReachSameVen(e.Targets, other.Targets)) continue;
            throw new VtnOperationException(
                $"rule 18: event {other.EventId} in market context {e.MarketContext} overlaps this one in time for the same VENs; overlapping events must be in different market contexts (the VEN follows the higher priority)");
        }
    }

    private static bool OverlapInTime(VtnEvent a, VtnEvent b)
    {
        static DateTimeOffset End(VtnEvent e) => e.Duration == TimeSpan.Zero ? DateTimeOffset.MaxValue : e.DtStart + e.Duration + (e.StartAfter ?? TimeSpan.Zero);
        return a.DtStart < End(b) && b.DtStart < End(a);
    }

    // Only venIDs tell for sure that two events reach different VENs: a VEN has one venID, but may
    // have any of the resource, group or party IDs another event names.
    private static bool CanReachSameVen(VtnTargets a, VtnTargets b)
    {
        static bool OnlyVenIds(VtnTargets t) => t.VenIds.Count > 0 && t.GroupIds.Count == 0 && t.ResourceIds.Count == 0 && t.PartyIds.Count == 0;
        return !(OnlyVenIds(a) && OnlyVenIds(b)) || a.VenIds.Intersect(b.VenIds, StringComparer.Ordinal).Any();
    }

    private async Task SaveAndDistributeAsync(VtnEvent e, string what, CancellationToken cancellationToken)
    {
        var recipients = _vens.All.Where(v => v.IsRegistered && !v.ReportOnly && IsFor(e, v)).ToList();
        var notify = recipients.Select(v => ToOutbound(v, null)).ToList();
        await _store.SaveEventAsync(e, notify, cancellationToken);
        _events = _events.SetItem(e.EventId, e);
        VtnLog.EventSaved(_logger, e.EventId, e.ModificationNumber, what);
        Notify(recipients, raise: false);
        Raise(VtnActivityKind.EventSaved, null, e.EventId);
    }

    /// <summary>
    /// Another engine sharing this store saved the event: read it again and treat its VENs' poll
    /// queues as possibly non-empty.
    /// </summary>
    public async Task ReloadEventAsync(string eventId, CancellationToken cancellationToken = default)
    {
        var e = await _store.GetEventAsync(eventId, cancellationToken);
        if (e is null) return;
        await _eventGate.WaitAsync(cancellationToken);
        try
        {
            if (_events.TryGetValue(eventId, out var known) && known.ModificationNumber > e.ModificationNumber) return;
            _events = _events.SetItem(e.EventId, e);
        }
        finally
        {
            _eventGate.Release();
        }
        Notify(_vens.All.Where(v => v.IsRegistered && IsFor(e, v)), raise: false);
    }

    /// <summary>Whether the VTN sends the event to the VEN: everyone, unless venIDs are targeted (other criteria are for the VEN to match, rule 22).</summary>
    private static bool IsFor(VtnEvent e, VenRecord ven) =>
        e.Targets.VenIds.Count == 0 || e.Targets.VenIds.Contains(ven.VenId, StringComparer.Ordinal);

    /// <summary>
    /// The distribute due to a VEN now (rules 15, 41, 50, 52, 66): every far, near, active event; a
    /// completed one until dtstart + duration + startafter; a cancelled one until the VEN has
    /// acknowledged its last modification (when a response is required) or its time is over. Active
    /// first by priority, then near and far by start, cancelled, completed last.
    /// </summary>
    internal async Task<OadrDistributeEvent> BuildDistributeAsync(VenRecord ven, uint? replyLimit, CancellationToken cancellationToken)
    {
        var now = Now;
        return Compose(await ChooseAsync(ven, replyLimit, now, cancellationToken), now, NewId("dist-"));
    }

    /// <summary>
    /// The serialised distribute due to a VEN now, as <see cref="BuildDistributeAsync"/> builds it.
    /// The document differs between VENs only in its requestID (it names no venID) and in which
    /// events it carries, so it is serialised once per distinct selection (events, modification
    /// numbers, statuses, current values) and each VEN's copy gets a fresh requestID spliced in.
    /// </summary>
    internal async Task<byte[]> DistributeBytesAsync(VenRecord ven, CancellationToken cancellationToken)
    {
        var now = Now;
        var chosen = await ChooseAsync(ven, null, now, cancellationToken);
        var key = SelectionKey(chosen, now);
        if (!_distributeTemplates.TryGetValue(key, out var template))
        {
            // Selections change only when events do: a few at a time; start afresh should many pile up.
            if (_distributeTemplates.Count >= 64) _distributeTemplates.Clear();
            template = _distributeTemplates.GetOrAdd(key, _ => RequestIdTemplate.Create(id => Serialize(Compose(chosen, now, id))));
        }
        return template.For(NewId("dist-"));
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, RequestIdTemplate> _distributeTemplates = new(StringComparer.Ordinal);

    private static string SelectionKey(List<(VtnEvent Event, EventStatus Status)> chosen, DateTimeOffset now)
    {
        var key = new System.Text.StringBuilder();
        foreach (var (e, status) in chosen)
        {
            key.Append(e.EventId.Length).Append(':').Append(e.EventId).Append('#').Append(e.ModificationNumber).Append('/').Append((int)status);
            foreach (var signal in e.Signals)
            {
                // The one part that moves with the clock: the value in force while active.
                key.Append('=').Append(CurrentValue(e, signal, status, now).ToString("R", System.Globalization.CultureInfo.InvariantCulture));
            }
            key.Append(';');
        }
        return key.ToString();
    }

    /// <summary>The events due to the VEN now, in distribute order (rules 15, 41, 50, 52, 66).</summary>
    private async Task<List<(VtnEvent Event, EventStatus Status)>> ChooseAsync(VenRecord ven, uint? replyLimit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var chosen = new List<(VtnEvent Event, EventStatus Status)>();
        foreach (var e in _events.Values)
        {
            if (!IsFor(e, ven)) continue;
            var status = StatusAt(e, now);
            var until = e.DistributeUntil;
            if (status == EventStatus.Completed && until is { } u && now > u) continue;
            if (status == EventStatus.Cancelled)
            {
                var end = until ?? e.ModificationDateTime + TimeSpan.FromDays(1);
                if (now > end) continue;
                if (e.ResponseRequired)
                {
                    if (await _store.GetEventResponseAsync(e.EventId, ven.VenId, cancellationToken) is { } answered && answered.ModificationNumber == e.ModificationNumber) continue;
                }
            }
            chosen.Add((e, status));
        }
        static int Rank(EventStatus s) => s switch
        {
            EventStatus.Active => 0,
            EventStatus.Near => 1,
            EventStatus.Far => 2,
            EventStatus.Cancelled => 3,
            _ => 4,
        };
        return chosen
            .OrderBy(c => Rank(c.Status))
            .ThenBy(c => c.Event.Priority)
            .ThenBy(c => c.Event.DtStart)
            .ThenBy(c => c.Event.EventId, StringComparer.Ordinal)
            .Take(replyLimit is { } limit and > 0 ? (int)Math.Min(limit, int.MaxValue) : int.MaxValue)
            .ToList();
    }

    private OadrDistributeEvent Compose(List<(VtnEvent Event, EventStatus Status)> chosen, DateTimeOffset now, string requestId) => new()
    {
        EiResponse = Response(ResponseCode.Ok, "", "OK"),
        RequestId = requestId,
        VtnId = Options.VtnId,
        Events = ValueList.From(chosen.Select(c => VtnFaults.OnDistribute(Options, ToOadrEvent(c.Event, c.Status, now)))),
    };

    private static OadrEvent ToOadrEvent(VtnEvent e, EventStatus status, DateTimeOffset now) => new()
    {
        ResponseRequired = e.ResponseRequired ? ResponseRequired.Always : ResponseRequired.Never,
        EiEvent = new EiEvent
        {
            EventDescriptor = new EventDescriptor
            {
                EventId = e.EventId,
                ModificationNumber = checked((uint)e.ModificationNumber),
                ModificationDateTime = e.ModificationNumber > 0 ? e.ModificationDateTime.ToUniversalTime() : null,
                ModificationReason = e.ModificationReason,
                Priority = checked((uint)Math.Max(0, e.Priority)),
                MarketContext = e.MarketContext,
                CreatedDateTime = e.CreatedDateTime.ToUniversalTime(),
                EventStatus = status,
                TestEvent = e.TestEvent,
                VtnComment = e.VtnComment,
            },
            ActivePeriod = new ActivePeriod
            {
                Properties = new CalendarProperties
                {
                    DtStart = e.DtStart.ToUniversalTime(),
                    Duration = IsoDuration.FromTimeSpan(e.Duration),
                    Tolerance = e.StartAfter is { } after ? new Tolerance { StartAfter = IsoDuration.FromTimeSpan(after) } : null,
                    Notification = e.Notification is { } n ? IsoDuration.FromTimeSpan(n) : null,
                    RampUp = e.RampUp is { } r ? IsoDuration.FromTimeSpan(r) : null,
                    Recovery = e.Recovery is { } rc ? IsoDuration.FromTimeSpan(rc) : null,
                },
            },
            EventSignals = new EventSignals { Signals = ValueList.From(e.Signals.Select(s => ToSignal(e, s, status, now))) },
            Target = ToTarget(e.Targets),
        },
    };

    private static EventSignal ToSignal(VtnEvent e, VtnEventSignal s, EventStatus status, DateTimeOffset now)
    {
        return new EventSignal
        {
            SignalName = new SignalName(s.SignalName),
            SignalType = s.SignalType,
            SignalId = s.SignalId,
            CurrentValue = CurrentValue(e, s, status, now),
            ItemBase = s.Item switch
            {
                VtnItemKind.PowerReal => new PowerReal { Scale = s.Scale, Attributes = new PowerAttributes { Hertz = 50, Voltage = 230, Ac = true } },
                VtnItemKind.EnergyReal => new EnergyReal { Scale = s.Scale },
                VtnItemKind.CurrencyPerKWh => new CurrencyItem
                {
                    Kind = CurrencyItemKind.CurrencyPerKWh,
                    Description = CurrencyItemDescription.CurrencyPerKWh,
                    Currency = s.Currency ?? "EUR",
                    Scale = SiScaleCode.None,
                },
                _ => null,
            },
            Intervals = ValueList.From(s.Intervals.Select((interval, i) => new Interval
            {
                Duration = IsoDuration.FromTimeSpan(interval.Duration),
                Uid = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Payloads = ValueList.Create<StreamPayload>([new SignalPayload { Payload = PayloadFloat.Of((float)interval.Value) }]),
            })),
        };
    }

    // currentValue: the value of the interval in force while active, else 0 (rule 14 for SIMPLE).
    private static float CurrentValue(VtnEvent e, VtnEventSignal s, EventStatus status, DateTimeOffset now)
    {
        double current = 0;
        if (status == EventStatus.Active)
        {
            var offset = now - e.DtStart;
            var start = TimeSpan.Zero;
            foreach (var interval in s.Intervals)
            {
                if (offset >= start && (offset < start + interval.Duration || interval.Duration == TimeSpan.Zero))
                {
                    current = interval.Value;
                    break;
                }
                start += interval.Duration;
            }
        }
        return (float)(s.CurrentValue ?? current);
    }

    private static EiTarget ToTarget(VtnTargets t) => t.IsEmpty ? EiTarget.Empty : new EiTarget
    {
        VenIds = ValueList.From(t.VenIds),
        GroupIds = ValueList.From(t.GroupIds),
        ResourceIds = ValueList.From(t.ResourceIds),
        PartyIds = ValueList.From(t.PartyIds),
    };

    /// <summary>
    /// <c>oadrCreatedEvent</c> (rules 16, 17, 48, 206): each response must name a known event at its
    /// current modificationNumber; optIn/optOut is recorded, a later optOut replacing an optIn. A
    /// response for an event the VEN has opted on with <c>oadrCreateOpt</c> is ignored (rule 206).
    /// </summary>
    private async Task<OadrResponse> CreatedEventAsync(VenRecord ven, OadrCreatedEvent created, CancellationToken cancellationToken)
    {
        var requestId = created.EiResponse.RequestId;
        ResponseCode? error = null;
        string? reason = null;
        foreach (var response in created.EventResponses ?? ValueList<EventResponse>.Empty)
        {
            var id = response.QualifiedEventId;
            var e = _events.GetValueOrDefault(id.EventId) ?? await _store.GetEventAsync(id.EventId, cancellationToken);
            if ((e is null || !IsFor(e, ven)) && !Options.Has(VtnFault.AcceptsUnknownEvent))
            {
                (error, reason) = (ResponseCode.InvalidId, $"unknown eventID {id.EventId} (rule 48)");
                continue;
            }
            if (e is null || id.ModificationNumber != e.ModificationNumber)
            {
                if (e is null || Options.Has(VtnFault.AcceptsUnknownEvent)) continue;
                (error, reason) = (ResponseCode.OutOfSequence, $"event {id.EventId} is at modificationNumber {e.ModificationNumber}, not {id.ModificationNumber} (rule 48)");
                continue;
            }
            var existing = await _store.GetEventResponseAsync(e.EventId, ven.VenId, cancellationToken);
            if (existing is { Source: "oadrCreateOpt" })
            {
                continue; // rule 206: the opt decides
            }
            await _store.SaveEventResponseAsync(new EventResponseRecord
            {
                EventId = e.EventId,
                VenId = ven.VenId,
                ModificationNumber = e.ModificationNumber,
                OptType = response.OptType == OptType.OptIn ? "optIn" : "optOut",
                ResponseCode = response.ResponseCode.Value,
                RequestId = response.RequestId,
                Source = "oadrCreatedEvent",
                ReceivedAt = Now,
            }, cancellationToken);
            Raise(VtnActivityKind.EventResponse, ven.VenId, $"{e.EventId}#{e.ModificationNumber} {(response.OptType == OptType.OptIn ? "optIn" : "optOut")} {response.ResponseCode.Value}");
        }
        if (error is { } code)
        {
            VtnLog.PayloadRefused(_logger, created.ElementName, ven.VenId, code.Value, reason!);
            Raise(VtnActivityKind.Refused, ven.VenId, $"{code.Value} {created.ElementName}: {reason}");
            return new OadrResponse { EiResponse = Response(code, requestId, reason), VenId = ven.VenId };
        }
        return Ok(requestId, ven.VenId);
    }
}
