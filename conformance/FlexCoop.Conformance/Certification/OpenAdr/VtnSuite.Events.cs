using FlexCoop.OpenAdr.Model;

namespace FlexCoop.Conformance.Certification.OpenAdr;

public sealed partial class OpenAdrVtnSuite
{
    private static readonly EventStatus[] Pending = [EventStatus.Far, EventStatus.Near];

    /// <summary>An event starting <paramref name="startIn"/> seconds from now (negative: already running), intervals in seconds; all time-scaled.</summary>
    private static EventOrder At(VtnCase c, double startIn, params (double Seconds, double Value)[] intervals) =>
        new((startIn >= 0 ? VtnCase.Now + c.S(startIn) : VtnCase.Now - c.S(-startIn)), intervals.Select(i => (c.S(i.Seconds), i.Value)).ToList());

    private static EventOrder Active(VtnCase c, params (double Seconds, double Value)[] intervals) => At(c, -60, intervals);

    /// <summary>No events, then <paramref name="order"/> created and received; checks it and its status.</summary>
    private static async Task<(OadrDistributeEvent D, OadrEvent E, int Index)> OneEventAsync(VtnCase c, EventOrder order, params EventStatus[] statuses)
    {
        await c.NoEventsAsync();
        await c.CreateEventAsync(order);
        var (d, fresh, index) = await c.NewEventsAsync();
        var e = fresh[0];
        c.CheckEvent(e, order, index);
        c.CheckStatus(e, index, statuses.Length > 0 ? statuses : order.Start > DateTimeOffset.UtcNow ? Pending : [EventStatus.Active]);
        return (d, e, index);
    }

    private static async Task<IReadOnlyList<OadrEvent>> SeveralEventsAsync(VtnCase c, params EventOrder[] orders)
    {
        await c.NoEventsAsync();
        foreach (var order in orders) await c.CreateEventAsync(order);
        var (d, fresh, index) = await c.NewEventsAsync(orders.Length);
        foreach (var order in orders)
        {
            var e = fresh.FirstOrDefault(x => (x.EiEvent.ActivePeriod.Properties.DtStart - order.Start).Duration() <= TimeSpan.FromSeconds(2)
                    && x.EiEvent.EventSignals.Signals.Any(s => s.SignalName.Value == order.Signal)
                    && (order.MarketContext is null || x.EiEvent.EventDescriptor.MarketContext == order.MarketContext))
                ?? throw c.R.Fail("rule 50", $"the distribute does not carry the event starting at {order.Start.UtcDateTime:HH:mm:ss}Z ({order.Signal}) the operator created", null, index);
            c.CheckEvent(e, order, index);
        }
        await c.AnswerOkAsync(d);
        return fresh;
    }

    private static string IdOf(OadrEvent e) => e.EiEvent.EventDescriptor.EventId;

    private static uint ModOf(OadrEvent e) => e.EiEvent.EventDescriptor.ModificationNumber;

    private static Func<OadrEvent, (ResponseCode, OptType)?> Opt(OptType opt) => _ => (ResponseCode.Ok, opt);

    /// <summary>An event answered, then modified to <paramref name="change"/>; the modification is checked and answered with <paramref name="opt"/>.</summary>
    private static async Task EventThenModifyAsync(VtnCase c, EventOrder first, Func<EventOrder, EventOrder> change, OptType opt = OptType.OptIn, params EventStatus[] statuses)
    {
        var (d, e, _) = await OneEventAsync(c, first, statuses);
        await c.AnswerOkAsync(d);
        var second = change(first);
        await c.ModifyEventAsync(IdOf(e), second);
        var (d2, e2, i2) = await c.ModifiedEventAsync(IdOf(e), ModOf(e), "modified");
        c.CheckEvent(e2, second, i2, ModOf(e) + 1);
        await c.AnswerOkAsync(d2, Opt(opt));
    }

    /// <summary>An event answered, then cancelled; the cancellation is checked (rule 5) and acknowledged (rule 36) unless <paramref name="acknowledge"/> is false.</summary>
    private static async Task<(OadrEvent Cancelled, OadrDistributeEvent D)> EventThenCancelAsync(VtnCase c, EventOrder order, bool acknowledge = true)
    {
        var (d, e, _) = await OneEventAsync(c, order);
        await c.AnswerOkAsync(d);
        await c.CancelEventAsync(IdOf(e));
        var (d2, e2, i2) = await c.ChangedEventAsync(IdOf(e), "cancelled", x => x.EiEvent.EventDescriptor.EventStatus == EventStatus.Cancelled);
        c.R.Check(ModOf(e2) == ModOf(e) + 1, "rule 5", $"cancelling event '{IdOf(e)}' must raise its modificationNumber from {ModOf(e)} to {ModOf(e) + 1}; it is {ModOf(e2)}", $"<ei:modificationNumber>{ModOf(e2)}</ei:modificationNumber>", i2);
        c.R.Check(e2.ResponseRequired == e.ResponseRequired, c.Id, $"the cancellation of '{IdOf(e)}' changed oadrResponseRequired", "<oadr:oadrResponseRequired>", i2);
        if (acknowledge) await c.AnswerOkAsync(d2);
        return (e2, d2);
    }

    /// <summary>Sends an oadrCreatedEvent built by <paramref name="build"/> for a fresh event and returns the VTN's answer; then answers properly.</summary>
    private static async Task<(OadrResponse Response, int Index)> OddAnswerAsync(VtnCase c, Func<OadrDistributeEvent, OadrEvent, OadrCreatedEvent> build)
    {
        var (d, e, _) = await OneEventAsync(c, At(c, 300, (300, 1)));
        var answer = await c.H.SendAsync<OadrResponse>(build(d, e), c.Ct);
        await c.AnswerOkAsync(d);
        return answer;
    }

    private static EventResponse Response(OadrDistributeEvent d, OadrEvent e, ResponseCode code, OptType opt) => new()
    {
        ResponseCode = code,
        ResponseDescription = code.IsSuccess ? "OK" : "refused by the harness",
        RequestId = d.RequestId,
        QualifiedEventId = new QualifiedEventId { EventId = IdOf(e), ModificationNumber = ModOf(e) },
        OptType = opt,
    };

    private static OadrCreatedEvent Created(VtnCase c, params EventResponse[] responses) => new()
    {
        EiResponse = new EiResponse { ResponseCode = ResponseCode.Ok, RequestId = "", ResponseDescription = "OK" },
        EventResponses = ValueList.From(responses),
        VenId = c.VenId,
    };

    private static OadrCreateOpt EventOpt(VtnCase c, string eventId, uint modification, OptType opt) => new()
    {
        OptId = HarnessVen.NewId("OPT"),
        OptType = opt,
        OptReason = opt == OptType.OptIn ? OptReason.Economic : OptReason.NotParticipating,
        VenId = c.VenId,
        CreatedDateTime = VtnCase.Now,
        RequestId = HarnessVen.NewId("REQ"),
        QualifiedEventId = new QualifiedEventId { EventId = eventId, ModificationNumber = modification },
        Target = EiTarget.Empty,
    };

    private static async Task SendOptAsync(VtnCase c, OadrCreateOpt opt)
    {
        var (created, index) = await c.H.SendAsync<OadrCreatedOpt>(opt, c.Ct);
        c.Success(created.EiResponse, "oadrCreateOpt", index);
    }

    private static Dictionary<string, Func<VtnCase, Task>> EventScripts() => new(StringComparer.Ordinal)
    {
        ["A_E3_0420"] = async c => await c.AnswerOkAsync((await OneEventAsync(c, At(c, 60, (300, 1)))).D),
        ["A_E3_0430"] = async c => await c.AnswerOkAsync((await OneEventAsync(c, At(c, 120, (300, 1)))).D),
        ["A_E3_0432"] = async c => await c.AnswerOkAsync((await OneEventAsync(c, At(c, 120, (300, 1), (300, 1), (300, 1)) with { StartAfter = c.S(60), RampUp = c.S(60), Recovery = c.S(60) })).D),
        ["A_E3_0435"] = async c => await c.AnswerOkAsync((await OneEventAsync(c, At(c, 60, (300, 1)) with { TargetVen = true })).D),
        ["A_E3_0440"] = c => SeveralEventsAsync(c, At(c, 600, (3600, 1)), At(c, 600 + 5 * 3600, (3600, 1))),
        ["A_E3_0450"] = async c =>
        {
            var (a, b) = (At(c, 600, (3600, 1)), At(c, 600 + 5 * 3600, (3600, 1)));
            await c.NoEventsAsync();
            await c.CreateEventAsync(a);
            await c.CreateEventAsync(b);
            var (d, fresh, _) = await c.NewEventsAsync(2);
            var first = IdOf(fresh[0]);
            await c.AnswerOkAsync(d, e => (ResponseCode.Ok, IdOf(e) == first ? OptType.OptIn : OptType.OptOut));
        },
        ["A_E3_0452"] = async c => await c.AnswerOkAsync((await OneEventAsync(c, At(c, 300, (300, 1)))).D, Opt(OptType.OptIn)),
        ["A_E3_0454"] = async c => await c.AnswerOkAsync((await OneEventAsync(c, At(c, 300, (300, 1)))).D, Opt(OptType.OptOut)),
        ["A_E3_0468"] = c => OneEventAsync(c, At(c, 300, (300, 1)) with { ResponseRequired = false }),
        ["A_E3_0470"] = c => EventThenModifyAsync(c, At(c, 300, (300, 1)), o => o with { Start = o.Start + c.S(60) }),
        ["A_E3_0474"] = c => EventThenModifyAsync(c, At(c, 300, (300, 1)), o => o with { Start = o.Start + c.S(60) }, OptType.OptOut),
        ["A_E3_0480"] = c => EventThenModifyAsync(c, At(c, 300, (300, 1)), o => o with { Start = o.Start + c.S(60), ResponseRequired = false }),
        ["A_E3_0484"] = c => EventThenModifyAsync(c, Active(c, (300, 1)), o => o with { Intervals = [(c.S(360), 1)] }, OptType.OptIn, EventStatus.Active),
        ["A_E3_0490"] = c => EventThenModifyAsync(c, Active(c, (120, 1), (180, 2)), o => o with { Intervals = [(c.S(120), 1), (c.S(240), 2)] }, OptType.OptIn, EventStatus.Active),
        ["A_E3_0492"] = c => EventThenCancelAsync(c, At(c, 300, (300, 1))),
        ["A_E3_0494"] = c => EventThenCancelAsync(c, Active(c, (300, 1))),
        ["A_E3_0496"] = async c =>
        {
            var (cancelled, _) = await EventThenCancelAsync(c, At(c, 300, (300, 1)), acknowledge: false);
            var (d, index) = await c.H.RequestEventsAsync(c.Ct);
            c.R.Check(d.Events.Any(e => IdOf(e) == IdOf(cancelled) && e.EiEvent.EventDescriptor.EventStatus == EventStatus.Cancelled), "rule 52",
                $"the VEN has not acknowledged the cancellation of '{IdOf(cancelled)}'; the VTN must keep sending it", string.Join(", ", d.Events.Select(IdOf)), index);
            await c.AnswerOkAsync(d);
        },
        ["A_E3_0498"] = c => EventThenCancelAsync(c, At(c, 300, (300, 1)) with { ResponseRequired = false }),
        ["A_E3_0500"] = async c =>
        {
            var order = At(c, 120, (300, 1));
            await c.NoEventsAsync();
            var before = c.H.SeenEventIds();
            await c.CreateEventAsync(order);
            var deadline = DateTimeOffset.UtcNow + c.AsyncTimeout;
            while (true)
            {
                var (d, index) = await c.H.RequestEventsAsync(c.Ct);
                var e = d.Events.FirstOrDefault(x => !before.Contains(IdOf(x)));
                if (e is not null)
                {
                    c.CheckEvent(e, order, index);
                    await c.AnswerOkAsync(d);
                    break;
                }
                if (DateTimeOffset.UtcNow > deadline) throw c.R.Fail("rule 23", "oadrRequestEvent is answered with the events due; the new event never came", null, index);
                await Task.Delay(c.H.PollPeriod, c.Ct);
            }
            await c.H.DrainAsync(c.Ct);
        },
        ["A_E3_0510"] = c => SeveralEventsAsync(c,
            At(c, 0, (600, 1)) with { MarketContext = c.O.MarketContext1, Priority = 2 },
            At(c, 1200, (600, 1)) with { MarketContext = c.O.MarketContext1, Priority = 0 },
            At(c, 0, (600, 1)) with { MarketContext = c.O.MarketContext2, Priority = 1 },
            At(c, 3600, (600, 1)) with { MarketContext = c.O.MarketContext2, Priority = 0 }),
        ["A_E3_0520"] = c => SeveralEventsAsync(c,
            At(c, 0, (600, 1)) with { MarketContext = c.O.MarketContext1, Priority = 1 },
            At(c, 1200, (1800, 1)) with { MarketContext = c.O.MarketContext1, Priority = 0 },
            At(c, -600, (1200, 1)) with { MarketContext = c.O.MarketContext2, Priority = 1 },
            At(c, 1200, (600, 1)) with { MarketContext = c.O.MarketContext2, Priority = 0 }),
        ["A_E3_0525"] = async c =>
        {
            var later = At(c, 2400, (600, 1)) with { MarketContext = c.O.MarketContext1, Priority = 0 };
            var earlier = At(c, 0, (1800, 1)) with { MarketContext = c.O.MarketContext1, Priority = 1 };
            var events = await SeveralEventsAsync(c, later, earlier);
            var first = events.OrderBy(e => e.EiEvent.ActivePeriod.Properties.DtStart).First();
            var other = events.First(e => IdOf(e) != IdOf(first));
            await c.CancelEventAsync(IdOf(first));
            var (d, e2, index) = await c.ChangedEventAsync(IdOf(first), "cancelled", x => x.EiEvent.EventDescriptor.EventStatus == EventStatus.Cancelled);
            c.R.Check(ModOf(e2) == ModOf(first) + 1, "rule 5", $"the cancellation of '{IdOf(first)}' must carry modificationNumber {ModOf(first) + 1}; it carries {ModOf(e2)}", null, index);
            var untouched = d.Events.FirstOrDefault(e => IdOf(e) == IdOf(other));
            c.R.Check(untouched is null || (ModOf(untouched) == ModOf(other) && untouched.EiEvent.EventDescriptor.EventStatus != EventStatus.Cancelled), c.Id,
                $"only '{IdOf(first)}' was cancelled; '{IdOf(other)}' changed too", null, index);
            await c.AnswerOkAsync(d);
        },
        ["A_E3_0527"] = async c => await c.AnswerOkAsync((await OneEventAsync(c, At(c, 300, (300, 1)) with { RampUp = c.S(240) })).D),
        ["A_E3_0530"] = async c =>
        {
            var order = At(c, 300, (1800, 1)) with { MarketContext = c.O.MarketContext1, Priority = 0 };
            await c.NoEventsAsync();
            await c.CreateEventAsync(order);
            var (d, _, _) = await c.NewEventsAsync();
            await c.AnswerOkAsync(d);
            if (await c.TryCreateEventAsync(order))
            {
                throw c.R.Fail("rule 18", $"the VTN accepted a second event overlapping the first in market context {c.O.MarketContext1}; overlapping events must be in different market contexts");
            }
        },
        ["A_E3_0655"] = async c =>
        {
            var ours = (await SeveralEventsAsync(c, At(c, 600, (3600, 1)), At(c, 600 + 3 * 3600, (3600, 1)), At(c, 600 + 6 * 3600, (3600, 1)))).Select(IdOf).ToHashSet(StringComparer.Ordinal);
            foreach (var (limit, expected) in new (uint, int)[] { (1, 1), (2, 2), (3, 3), (4, 3) })
            {
                var (d, index) = await c.H.RequestEventsAsync(c.Ct, limit);
                // Events of earlier cases still in their distribution window may come too, after the pending ones (rule 15).
                var got = d.Events.Count(e => ours.Contains(IdOf(e)));
                c.R.Check(d.Events.Count <= limit && got == expected, c.Id, $"oadrRequestEvent with replyLimit {limit} over three pending events must return {expected} of them and at most {limit} events; the VTN returned {d.Events.Count} ({got} of them)", $"<ei:replyLimit>{limit}</ei:replyLimit>", index);
            }
        },
        ["A_E3_0657"] = c => EventThenCancelAsync(c, At(c, 60, (180, 1))),
        ["A_E3_0680"] = async c =>
        {
            var (late, early) = (At(c, 2460, (600, 1)), At(c, 600, (1800, 1)));
            await c.NoEventsAsync();
            await c.CreateEventAsync(late);
            await c.CreateEventAsync(early);
            var (d, fresh, index) = await c.NewEventsAsync(2);
            c.R.Check(fresh.Count == 2, "rule 50", "a distribute carries every pending event", null, index);
            await c.AnswerOkAsync(d);
        },
        ["A_E3_0685"] = async c =>
        {
            var order = At(c, 60, (60, 1)) with { StartAfter = c.S(120) };
            var (d, e, _) = await OneEventAsync(c, order);
            await c.AnswerOkAsync(d);
            var after = order.Start + order.Duration + TimeSpan.FromSeconds(1);
            var wait = after - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero) await Task.Delay(wait, c.Ct);
            var (d2, index) = await c.H.RequestEventsAsync(c.Ct);
            c.R.Check(d2.Events.Any(x => IdOf(x) == IdOf(e)), "rule 66", $"event '{IdOf(e)}' has ended but its startafter window ({IsoDuration.FromTimeSpan(order.StartAfter!.Value).Text}) has not: the VTN must keep sending it", string.Join(", ", d2.Events.Select(IdOf)), index);
            await c.AnswerOkAsync(d2);
        },
        ["A_E3_0710"] = async c =>
        {
            var (response, index) = await OddAnswerAsync(c, (_, _) => new OadrCreatedEvent
            {
                EiResponse = new EiResponse { ResponseCode = ResponseCode.InvalidData, RequestId = "", ResponseDescription = "the harness reports an error" },
                VenId = c.VenId,
            });
            c.Success(response.EiResponse, "oadrCreatedEvent reporting an error (rule 35: no eventResponses then)", index);
        },
        ["A_E3_0720"] = async c =>
        {
            var (response, index) = await OddAnswerAsync(c, (d, e) => Created(c, Response(d, e, ResponseCode.Ok, OptType.OptIn) with { QualifiedEventId = new QualifiedEventId { EventId = "UNKNOWN_EVENT_ID", ModificationNumber = 0 } }));
            c.Refused(response.EiResponse, "an oadrCreatedEvent naming an eventID it never sent", "rule 48", index);
        },
        ["A_E3_0730"] = async c =>
        {
            var (response, index) = await OddAnswerAsync(c, (d, e) => Created(c, Response(d, e, ResponseCode.Ok, OptType.OptIn) with { QualifiedEventId = new QualifiedEventId { EventId = IdOf(e), ModificationNumber = 10 } }));
            c.Refused(response.EiResponse, "an oadrCreatedEvent with modificationNumber 10 for an event at 0", "rule 48", index);
        },
        ["A_E3_0750"] = async c =>
        {
            var (a, b) = (At(c, 3600, (1800, 1)), At(c, 7200, (1800, 1)));
            await c.NoEventsAsync();
            await c.CreateEventAsync(a);
            await c.CreateEventAsync(b);
            var (d, fresh, _) = await c.NewEventsAsync(2);
            var refused = IdOf(fresh[1]);
            await c.AnswerOkAsync(d, e => IdOf(e) == refused ? (ResponseCode.DeploymentErrorOrOtherError, OptType.OptOut) : (ResponseCode.Ok, OptType.OptIn));
        },
        ["A_E3_0780"] = async c =>
        {
            var (response, index) = await OddAnswerAsync(c, (d, e) => Created(c, Response(d, e, ResponseCode.Ok, OptType.OptIn)) with { VenId = "UNKNOWN_VEN_ID" });
            c.Refused(response.EiResponse, "an oadrCreatedEvent from an unknown venID", "rule 21", index);
        },

        ["E1_1010"] = async c =>
        {
            await c.NoEventsAsync();
            var (answer, index) = await c.H.PollAsync(c.Ct);
            if (answer is OadrDistributeEvent d)
            {
                var live = d.Events.Where(e => e.EiEvent.EventDescriptor.EventStatus is EventStatus.Far or EventStatus.Near or EventStatus.Active).Select(IdOf).ToList();
                c.R.Check(live.Count == 0, c.Id, $"the VTN has no event for this VEN, yet distributes {string.Join(", ", live)}", null, index);
                await c.AnswerOkAsync(d);
            }
        },
        ["E1_1020"] = async c => await c.AnswerOkAsync((await OneEventAsync(c, At(c, 600, (300, 1)))).D),
        ["E1_1025"] = async c =>
        {
            var (d, e, index) = await OneEventAsync(c, At(c, 60, (300, 40)) with { Signal = "LOAD_DISPATCH", SignalType = "setpoint", Item = "powerReal" });
            var s = e.EiEvent.EventSignals.Signals.First(x => x.SignalName.Value == "LOAD_DISPATCH");
            c.R.Check(s.SignalType == SignalType.Setpoint, c.Id, $"LOAD_DISPATCH must be a setpoint signal; it is {s.SignalType}", "<ei:signalType>", index);
            c.R.Check(s.ItemBase is PowerReal, c.Id, "the setpoint is in powerReal (oadr:powerReal)", s.ItemBase?.GetType().Name ?? "(no itemBase)", index);
            await c.AnswerOkAsync(d);
        },
        ["E1_1027"] = async c =>
        {
            var (d, e, index) = await OneEventAsync(c, At(c, 600, (3600, 3.14), (3600, 3.17)) with { Signal = "ELECTRICITY_PRICE", SignalType = "price", Item = "currencyPerKWh" });
            var s = e.EiEvent.EventSignals.Signals.First(x => x.SignalName.Value == "ELECTRICITY_PRICE");
            c.R.Check(s.SignalType == SignalType.Price, c.Id, $"ELECTRICITY_PRICE must be a price signal; it is {s.SignalType}", "<ei:signalType>", index);
            c.R.Check(s.ItemBase is CurrencyItem, c.Id, "the price is in currencyPerKWh (oadr:currencyPerKWh)", s.ItemBase?.GetType().Name ?? "(no itemBase)", index);
            if (c.R.Pics.Claims(VtnCatalogue.EventBaseline))
            {
                c.R.Check(e.EiEvent.EventSignals.Baseline is not null, c.Id, "the PICS claims event baselines; the event carries no ei:eiEventBaseline", null, index);
            }
            await c.AnswerOkAsync(d);
        },
        ["E1_1030"] = c => EventThenModifyAsync(c, At(c, 600, (300, 1)), o => o with { Intervals = [(c.S(300), 2)] }),
        ["E1_1040"] = c => SeveralEventsAsync(c,
            At(c, 60, (300, 2)) with { MarketContext = c.O.MarketContext1 },
            At(c, 60, (300, 3.14)) with { Signal = "ELECTRICITY_PRICE", SignalType = "price", Item = "currencyPerKWh", MarketContext = c.O.MarketContext2 }),
        ["E1_1050"] = async c =>
        {
            var (d, _, _) = await OneEventAsync(c, At(c, 600, (300, 1)));
            await c.AnswerOkAsync(d, Opt(OptType.OptIn));
            await c.AnswerOkAsync(d, Opt(OptType.OptOut)); // rule 16: a later optOut replaces the optIn
        },
        ["E1_1060"] = async c =>
        {
            var (d, e, _) = await OneEventAsync(c, At(c, 600, (300, 1)));
            await c.AnswerOkAsync(d);
            await SendOptAsync(c, EventOpt(c, IdOf(e), ModOf(e), OptType.OptOut));
        },
        ["E1_1065"] = async c =>
        {
            var (d, e, _) = await OneEventAsync(c, At(c, 600, (300, 1)));
            await c.AnswerOkAsync(d);
            await SendOptAsync(c, EventOpt(c, IdOf(e), ModOf(e), OptType.OptOut));
            await SendOptAsync(c, EventOpt(c, IdOf(e), ModOf(e), OptType.OptIn));
        },
        ["E1_1070"] = async c =>
        {
            var (d, _, _) = await OneEventAsync(c, At(c, 600, (300, 1)));
            await c.AnswerOkAsync(d, _ => (ResponseCode.SignalNotSupported, OptType.OptOut));
        },
        ["E1_1080"] = async c =>
        {
            var (created, index) = await c.H.SendAsync<OadrCreatedOpt>(EventOpt(c, "NO_SUCH_EVENT_ID", 0, OptType.OptOut), c.Ct);
            c.Refused(created.EiResponse, "an oadrCreateOpt naming an eventID it never sent", "rule 48", index);
            c.R.Check(created.EiResponse.ResponseCode.Value == "452", "rule 48", $"an unknown eventID is answered 452 (invalid ID); the VTN answered {created.EiResponse.ResponseCode.Value}", $"<ei:responseCode>{created.EiResponse.ResponseCode.Value}</ei:responseCode>", index);
        },
    };
}
