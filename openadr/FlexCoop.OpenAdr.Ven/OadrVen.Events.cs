using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Ven.Internal;

namespace FlexCoop.OpenAdr.Ven;

public sealed partial class OadrVen
{
    private const int MaxCancelledRemembered = 1024;

    /// <summary>
    /// The modificationNumber of each event cancelled lately (newest last, bounded): rule 59 forgets a cancelled event,
    /// but rule 58 still refuses it coming back under a lower modificationNumber (A_E1_0285).
    /// </summary>
    private readonly Dictionary<string, uint> _cancelled = new(StringComparer.Ordinal);
    private readonly Queue<string> _cancelledOrder = new();

    private void RememberCancelled(string eventId, uint modificationNumber)
    {
        if (_cancelled.TryAdd(eventId, modificationNumber)) _cancelledOrder.Enqueue(eventId);
        else _cancelled[eventId] = Math.Max(_cancelled[eventId], modificationNumber);
        while (_cancelledOrder.Count > MaxCancelledRemembered) _cancelled.Remove(_cancelledOrder.Dequeue());
    }

    /// <summary>
    /// Applies a distribute (rules 12, 19, 21, 22, 30, 36, 42, 56–62, 65) and returns the
    /// <c>oadrCreatedEvent</c> to send, or null when no event requires an answer.
    /// </summary>
    private OadrCreatedEvent? OnDistribute(OadrDistributeEvent distribute)
    {
        var registration = _state.Registration;
        var venId = registration?.VenId ?? "";
        if (registration is not null && distribute.VtnId != registration.VtnId)
        {
            // Rule 21: not our VTN. Report the error at the top level and act on nothing.
            return new OadrCreatedEvent { EiResponse = Error(ResponseCode.InvalidId, "", $"vtnID {distribute.VtnId} is not {registration.VtnId} (rule 21)"), VenId = venId };
        }
        var now = Now;
        var responses = new List<EventResponse>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var changes = new List<(VenEvent Event, VenEventChange Change, string? Reason)>();

        foreach (var incoming in distribute.Events)
        {
            var descriptor = incoming.EiEvent.EventDescriptor;
            seen.Add(descriptor.EventId);
            var known = _state.GetEvent(descriptor.EventId);
            ResponseCode code = ResponseCode.Ok;
            string? description = null;
            var opt = OptType.OptIn;

            var ignored = false;
            var cancelledAt = known is null && _cancelled.TryGetValue(descriptor.EventId, out var cancelledMod) ? cancelledMod : (uint?)null;
            if (cancelledAt is { } last && descriptor.ModificationNumber < last && !_options.Has(VenFault.AcceptsLowerModification))
            {
                // Rule 58 after a cancellation: the event is gone, and an older version of it does not come back.
                (code, description, opt) = (ResponseCode.OutOfSequence, $"modificationNumber {descriptor.ModificationNumber} is below {last}, under which the event was cancelled (rule 58)", OptType.OptOut);
                changes.Add((VenEvents.FromOadr(incoming, TimeSpan.Zero), VenEventChange.Rejected, description));
            }
            else if (known is not null && descriptor.ModificationNumber < known.ModificationNumber && !_options.Has(VenFault.AcceptsLowerModification))
            {
                // Rule 58: going backwards is an error whatever the state; keep what we have.
                (code, description, opt) = (ResponseCode.OutOfSequence, $"modificationNumber {descriptor.ModificationNumber} is below {known.ModificationNumber} (rule 58)", known.Opt);
                changes.Add((known, VenEventChange.Rejected, description));
            }
            else if (descriptor.EventStatus == EventStatus.Cancelled)
            {
                if (known is not null)
                {
                    // Rule 59: cancel and forget; a randomised event ends within startafter (rule 65).
                    var end = now + (known.StartAfter is { } after && after > TimeSpan.Zero ? Draw(after) : TimeSpan.Zero);
                    var cancelled = VenEvents.FromOadr(incoming, known.RandomOffset) with { Opt = OptType.OptIn, CancelledEnd = end };
                    _state.RemoveEvent(known.EventId);
                    RememberCancelled(known.EventId, descriptor.ModificationNumber);
                    changes.Add((cancelled, VenEventChange.Cancelled, null));
                }
                // Rule 60: an unknown cancelled event is ignored but still answered; rule 36: optIn confirms.
            }
            else if (VenEvents.Check(incoming, venId, _options) is { } problem)
            {
                // Rule 19: reject only this event.
                (code, description, opt) = (problem.Code, problem.Reason, OptType.OptOut);
                changes.Add((VenEvents.FromOadr(incoming, TimeSpan.Zero), VenEventChange.Rejected, $"{problem.Code.Value} {problem.Reason}"));
            }
            else if (known is null || (descriptor.ModificationNumber > known.ModificationNumber && !(ignored = _options.Has(VenFault.IgnoresModification))))
            {
                // Rule 56 (new) or 57 (newer): the random start offset is drawn once and kept (rule 30).
                var offset = known?.RandomOffset ?? (VenEvents.FromOadr(incoming, TimeSpan.Zero).StartAfter is { } after && after > TimeSpan.Zero ? Draw(after) : TimeSpan.Zero);
                var e = VenEvents.FromOadr(incoming, offset);
                opt = e.IsTest ? OptType.OptIn : (_options.DecideOpt?.Invoke(e) ?? OptType.OptIn);
                // An opt sent with oadrCreateOpt for this event stands.
                if (_state.Opts.FirstOrDefault(o => o.EventId == e.EventId) is { } standing)
                {
                    opt = standing.OptType == "optIn" ? OptType.OptIn : OptType.OptOut;
                }
                e = e with { Opt = opt };
                _state.SaveEvent(e, distribute.VtnId);
                changes.Add((e, known is null ? VenEventChange.Added : VenEventChange.Modified, null));
            }
            else
            {
                // Same modificationNumber: unchanged, but the status may have moved on (far → active).
                opt = known.Opt;
                if (known.Status != descriptor.EventStatus)
                {
                    _state.SaveEvent(VenEvents.FromOadr(incoming, known.RandomOffset) with { Opt = known.Opt }, distribute.VtnId);
                }
            }

            // Rules 12/62: answer every event when required, never when not; rule 42: echo the distribute's requestID.
            var silent = descriptor.EventStatus == EventStatus.Cancelled && _options.Has(VenFault.NoOptOnCancel);
            if ((incoming.ResponseRequired == ResponseRequired.Always || _options.Has(VenFault.AnswersWhenNever)) && !silent)
            {
                responses.Add(new EventResponse
                {
                    ResponseCode = code,
                    ResponseDescription = description,
                    RequestId = VenFaults.EchoedRequestId(_options, distribute.RequestId),
                    QualifiedEventId = new QualifiedEventId { EventId = descriptor.EventId, ModificationNumber = ignored ? known!.ModificationNumber : descriptor.ModificationNumber },
                    OptType = opt,
                });
            }
        }

        // Rule 61: a known event missing from the distribute is cancelled implicitly.
        foreach (var known in _state.Events.Where(e => !seen.Contains(e.EventId)).ToList())
        {
            _state.RemoveEvent(known.EventId);
            changes.Add((known with { CancelledEnd = now, Status = EventStatus.Cancelled }, VenEventChange.ImplicitlyCancelled, null));
        }

        foreach (var (e, change, reason) in changes)
        {
            VenLog.EventChange(_logger, e.EventId, e.ModificationNumber, change.ToString(), reason ?? e.Status.ToString());
            EventChanged?.Invoke(this, new VenEventChangedEventArgs(e, change, reason));
        }
        if (responses.Count == 0) return null;
        return new OadrCreatedEvent
        {
            EiResponse = Ok(""), // rule 42: the requestIDs go in each eventResponse
            EventResponses = ValueList.From(responses),
            VenId = venId,
        };
    }

    private TimeSpan Draw(TimeSpan window)
    {
        lock (_random)
        {
            return TimeSpan.FromSeconds(Math.Floor(_random.NextDouble() * window.TotalSeconds));
        }
    }

    /// <summary>Asks the VTN for its events now (<c>oadrRequestEvent</c>) and applies the answer.</summary>
    public async Task RequestEventsAsync(CancellationToken cancellationToken = default)
    {
        var venId = VenId ?? throw new InvalidOperationException("the VEN is not registered");
        var reply = await SendAsync("EiEvent", new OadrRequestEvent { RequestId = NewId("req-"), VenId = venId }, cancellationToken);
        if (reply is not OadrDistributeEvent distribute)
        {
            throw Refused("oadrRequestEvent", reply);
        }
        var answer = await HandleFromVtnAsync(distribute, pushed: false, cancellationToken);
        await SendAndHandleAsync(answer.Reply, cancellationToken);
    }
}
