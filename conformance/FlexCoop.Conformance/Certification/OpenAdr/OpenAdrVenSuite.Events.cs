using FlexCoop.OpenAdr.Model;

namespace FlexCoop.Conformance.Certification.OpenAdr;

public sealed partial class OpenAdrVenSuite
{
    private static VenCase.Answer Ok(string id, uint modification = 0) => new(id, modification);

    private static string NewEventId() => HarnessVtn.NewId("EV");

    /// <summary>One event and its successful answer.</summary>
    private static async Task OneEventAsync(VenCase c, EventSpec spec) =>
        await c.DistributeAsync(c.Distribute(c.Event(spec)), Ok(spec.Id, spec.Modification));

    /// <summary>An event, then the same event changed by <paramref name="change"/>, each answered as <paramref name="second"/> says.</summary>
    private static async Task EventThenAsync(VenCase c, EventSpec first, Func<EventSpec, EventSpec> change, Func<EventSpec, VenCase.Answer[]> second)
    {
        await OneEventAsync(c, first);
        var next = change(first);
        await c.DistributeAsync(c.Distribute(c.Event(next)), second(next));
    }

    private static SignalSpec Price(int intervals) => new("ELECTRICITY_PRICE", SignalType.Price, Enumerable.Range(0, intervals).Select(i => 0.20f + 0.01f * i).ToArray());

    private static Dictionary<string, Func<VenCase, Task>> EventScripts() => new(StringComparer.Ordinal)
    {
        ["A_E1_0020"] = c => c.DistributeAsync(c.Distribute()),
        ["A_E1_0040"] = c => OneEventAsync(c, new EventSpec(NewEventId()) { Signals = [Price(24)], IntervalLength = c.S(3600) }),
        ["A_E1_0060"] = c => OneEventAsync(c, new EventSpec(NewEventId())),
        ["A_E1_0070"] = c => OneEventAsync(c, new EventSpec(NewEventId()) { Target = new EiTarget { VenIds = ValueList.Create([c.VenId]) } }),
        ["A_E1_0082"] = async c =>
        {
            var id = NewEventId();
            await c.DistributeAsync(c.Distribute(c.Event(new EventSpec(id) { Target = new EiTarget { VenIds = ValueList.Create(["SOME_OTHER_VEN"]) } })), new VenCase.Answer(id, 0, "4xx"));
        },
        ["A_E1_0086"] = c => OneEventAsync(c, new EventSpec(NewEventId())
        {
            Target = new EiTarget { GroupIds = ValueList.Create(["NO_SUCH_GROUP"]), VenIds = ValueList.Create(["SOME_OTHER_VEN", c.VenId]) },
        }),
        ["A_E1_0090"] = c => c.DistributeAsync(c.Distribute(c.Event(new EventSpec(NewEventId()) { ResponseRequired = ResponseRequired.Never }))),
        ["A_E1_0092"] = c => EventThenAsync(c, new EventSpec(NewEventId()),
            e => e with { Modification = 1, ResponseRequired = ResponseRequired.Never }, _ => []),
        ["A_E1_0094"] = c => EventThenAsync(c, new EventSpec(NewEventId()),
            e => e with { Modification = 1, Signals = [new SignalSpec("SIMPLE", SignalType.Level, [2f])] }, e => [Ok(e.Id, 1)]),
        ["A_E1_0096"] = c => EventThenAsync(c, new EventSpec(NewEventId()),
            e => e with { Modification = 1, Status = EventStatus.Cancelled }, e => [Ok(e.Id, 1)]),
        ["A_E1_0098"] = c => OneEventAsync(c, new EventSpec(NewEventId()) { Modification = 3 }),
        ["A_E1_0100"] = c => OneEventAsync(c, new EventSpec(NewEventId()) { TestEvent = "true" }),
        ["A_E1_0102"] = c => OneEventAsync(c, new EventSpec(NewEventId()) { TestEvent = "x-harness test run 7" }),
        ["A_E1_0104"] = async c =>
        {
            var ids = new[] { NewEventId(), NewEventId(), NewEventId() };
            await c.DistributeAsync(c.Distribute(
                c.Event(new EventSpec(ids[0]) { StartIn = c.S(600), Priority = 1 }),
                c.Event(new EventSpec(ids[1]) { StartIn = c.S(1800), Priority = 1 }),
                c.Event(new EventSpec(ids[2]) { StartIn = c.S(3600), Priority = 1, MarketContext = c.O.MarketContext2 })), ids.Select(i => Ok(i)).ToArray());
        },
        ["A_E1_0110"] = c => OneEventAsync(c, new EventSpec(("EV_MAXLEN_" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"))[..50]) { MarketContext = c.O.MarketContext2 }),
        ["A_E1_0130"] = c => OneEventAsync(c, new EventSpec(NewEventId()) { StartIn = c.S(30), IntervalLength = c.S(60), Signals = [new SignalSpec("SIMPLE", SignalType.Level, [1f, 2f])] }),
        ["A_E1_0180"] = c => OneEventAsync(c, new EventSpec(NewEventId()) { StartAfter = c.S(120) }),
        ["A_E1_0190"] = c => EventThenAsync(c, new EventSpec(NewEventId()) { StartAfter = c.S(120) },
            e => e with { Modification = 1, Status = EventStatus.Cancelled }, e => [Ok(e.Id, 1)]),
        ["A_E1_0200"] = async c =>
        {
            await OneEventAsync(c, new EventSpec(NewEventId()) { StartAfter = c.S(120) });
            await OneEventAsync(c, new EventSpec(NewEventId()));
        },
        ["A_E1_0210"] = async c =>
        {
            var (a, b) = (NewEventId(), NewEventId());
            await c.DistributeAsync(c.Distribute(
                c.Event(new EventSpec(a) { StartIn = c.S(600), IntervalLength = c.S(300) }),
                c.Event(new EventSpec(b) { StartIn = c.S(900), IntervalLength = c.S(300) })), Ok(a), Ok(b));
        },
        ["A_E1_0220"] = c => OptOutOfEventAsync(c, active: true),
        ["A_E1_0230"] = async c =>
        {
            var (a, b) = (NewEventId(), NewEventId());
            await c.DistributeAsync(c.Distribute(
                c.Event(new EventSpec(a) { Priority = 1, Signals = [new SignalSpec("SIMPLE", SignalType.Level, [2f])] }),
                c.Event(new EventSpec(b) { Priority = 2 })), Ok(a), Ok(b));
        },
        ["A_E1_0240"] = async c =>
        {
            var id = NewEventId();
            await c.DistributeAsync(c.Distribute(c.Event(new EventSpec(id) { MarketContext = c.O.ForeignMarketContext })), new VenCase.Answer(id, 0, "4xx"));
        },
        ["A_E1_0250"] = c => OneEventAsync(c, new EventSpec(NewEventId()) { Status = EventStatus.Completed, StartIn = -c.S(1200) }),
        ["A_E1_0260"] = c => OneEventAsync(c, new EventSpec(NewEventId()) { Status = EventStatus.Cancelled, Modification = 2 }),
        ["A_E1_0262"] = async c =>
        {
            var spec = new EventSpec(NewEventId());
            await OneEventAsync(c, spec);
            var cancelled = spec with { Modification = 1, Status = EventStatus.Cancelled };
            await OneEventAsync(c, cancelled);
            await OneEventAsync(c, cancelled);
        },
        ["A_E1_0267"] = async c =>
        {
            var (good, bad) = (NewEventId(), NewEventId());
            await c.DistributeAsync(c.Distribute(
                c.Event(new EventSpec(good)),
                c.Event(new EventSpec(bad) { StartIn = c.S(1800), Signals = [new SignalSpec("x-harness-unknown", SignalType.Level, [1f])] })),
                Ok(good), new VenCase.Answer(bad, 0, "4xx"));
        },
        ["A_E1_0268"] = async c =>
        {
            var (good, bad) = (NewEventId(), NewEventId());
            await c.DistributeAsync(c.Distribute(
                c.Event(new EventSpec(good)),
                c.Event(new EventSpec(bad) { StartIn = c.S(1800), Target = new EiTarget { VenIds = ValueList.Create(["SOME_OTHER_VEN"]) } })),
                Ok(good), new VenCase.Answer(bad, 0, "4xx"));
        },
        ["A_E1_0270"] = async c =>
        {
            await OneEventAsync(c, new EventSpec(NewEventId()));
            await OneEventAsync(c, new EventSpec(NewEventId()));
        },
        ["A_E1_0280"] = c => EventThenAsync(c, new EventSpec(NewEventId()) { Modification = 2 },
            e => e with { Modification = 1 }, e => [new VenCase.Answer(e.Id, 1, "4xx")]),
        ["A_E1_0285"] = async c =>
        {
            // Rule 58 holds whatever the state: a cancelled event sent again under its earlier modificationNumber is out of sequence.
            var spec = new EventSpec(NewEventId());
            await OneEventAsync(c, spec);
            await c.DistributeAsync(c.Distribute(c.Event(spec with { Modification = 1, Status = EventStatus.Cancelled })), Ok(spec.Id, 1));
            await c.DistributeAsync(c.Distribute(c.Event(spec)), new VenCase.Answer(spec.Id, 0, "4xx"));
        },
        ["A_E1_0300"] = c => OneEventAsync(c, new EventSpec(NewEventId()) { OpenEnded = true }),
        ["A_E1_0310"] = c => OneEventAsync(c, new EventSpec(NewEventId()) { WithTimingExtras = true }),
        ["A_E1_0325"] = c => OneEventAsync(c, new EventSpec(NewEventId()) { StartIn = c.S(86400) }),
        ["A_E1_0340"] = c => OneEventAsync(c, new EventSpec(NewEventId()) { Status = EventStatus.Active, StartIn = -c.S(60), IntervalLength = c.S(1200) }),
        ["A_E1_0345"] = c => EventThenAsync(c, new EventSpec(NewEventId()) { Status = EventStatus.Active, StartIn = -c.S(60), IntervalLength = c.S(1200) },
            e => e with { Modification = 1, Signals = [new SignalSpec("SIMPLE", SignalType.Level, [3f])] }, e => [Ok(e.Id, 1)]),
        ["A_E1_0360"] = c => EventThenAsync(c, new EventSpec(NewEventId()), e => e, e => [Ok(e.Id)]),
        ["A_E1_0370"] = c => OneEventAsync(c, new EventSpec(NewEventId()) { Signals = [new SignalSpec("SIMPLE", SignalType.Level, [0f, 1f, 2f, 3f])] }),
        ["A_E1_0390"] = async c =>
        {
            var (a, b) = (NewEventId(), NewEventId());
            await c.DistributeAsync(c.Distribute(
                c.Event(new EventSpec(a) { Priority = 1 }),
                c.Event(new EventSpec(b) { Priority = 1, MarketContext = c.O.MarketContext2 })), Ok(a), Ok(b));
        },
        ["A_E1_0392"] = c => OneEventAsync(c, new EventSpec(NewEventId()) { MarketContext = c.O.MarketContext2 }),

        ["E1_1010"] = c => c.DistributeAsync(c.Distribute()),
        ["E1_1020"] = c => OneEventAsync(c, new EventSpec(NewEventId()) { Signals = [Price(1)] }),
        ["E1_1025"] = c => OneEventAsync(c, new EventSpec(NewEventId()) { Signals = [new SignalSpec("LOAD_DISPATCH", SignalType.Setpoint, [5f])] }),
        ["E1_1027"] = c => OneEventAsync(c, new EventSpec(NewEventId()) { Signals = [Price(4)], WithBaseline = true }),
        ["E1_1030"] = c => EventThenAsync(c, new EventSpec(NewEventId()),
            e => e with { Modification = 1, Signals = [new SignalSpec("SIMPLE", SignalType.Level, [3f])] }, e => [Ok(e.Id, 1)]),
        ["E1_1040"] = async c =>
        {
            var (a, b) = (NewEventId(), NewEventId());
            await c.DistributeAsync(c.Distribute(
                c.Event(new EventSpec(a)),
                c.Event(new EventSpec(b) { StartIn = c.S(1800), Signals = [Price(2)] })), Ok(a), Ok(b));
        },
        ["E1_1050"] = async c =>
        {
            var (a, b) = (NewEventId(), NewEventId());
            var created = await c.DistributeAsync(c.Distribute(c.Event(new EventSpec(a)), c.Event(new EventSpec(b) { StartIn = c.S(1800) })), Ok(a), Ok(b));
            c.R.Record(MessageDirection.Note, "opt", string.Join(", ", created.EventResponses!.Select(r => $"{r.QualifiedEventId.EventId}: {VenCase.OptText(r.OptType)}")));
        },
        ["E1_1060"] = c => OptOutOfEventAsync(c, active: false),
        ["E1_1065"] = async c =>
        {
            var spec = await OptOutOfEventAsync(c, active: false);
            await c.ActAsync("opt-in-event", $"Opt the VEN back in to event {spec.Id} from its panel (oadrCreateOpt with optType optIn).");
            var (opt, index) = await c.ExpectAsync<OadrCreateOpt>("a second oadrCreateOpt (optIn)", c.AsyncTimeout);
            c.R.Check(opt.OptType == OptType.OptIn && opt.QualifiedEventId?.EventId == spec.Id, "rule 17",
                $"the second opt must be an optIn for event {spec.Id}; it is {VenCase.OptText(opt.OptType)} for '{opt.QualifiedEventId?.EventId}'", null, index);
        },
        ["E1_1070"] = async c =>
        {
            var id = NewEventId();
            await c.DistributeAsync(c.Distribute(c.Event(new EventSpec(id) { Signals = [new SignalSpec("x-harness-unknown", SignalType.Level, [1f])] })), new VenCase.Answer(id, 0, "460"));
        },
        ["E1_1080"] = async c =>
        {
            var id = NewEventId();
            var distribute = c.Distribute(c.Event(new EventSpec(id))) with { VtnId = "NOT_THE_HARNESS_VTN" };
            await c.DistributeAsync(distribute, new VenCase.Answer(id, 0, "452"));
        },
        ["G1_4010"] = async c =>
        {
            if (!c.O.UsesTls) throw c.R.Inconclusive("G1_4010 certifies the TLS profile: run the harness with --tls-cert/--tls-key/--ca");
            await EventThenAsync(c, new EventSpec(NewEventId()), e => e with { Modification = 1 }, e => [Ok(e.Id, 1)]);
        },
        ["G1_4015"] = async c =>
        {
            var status = StatusReport(c);
            var id = NewEventId();
            var request = OneShot(status);
            var create = new OadrCreateReport { RequestId = HarnessVtn.NewId("REQ"), ReportRequests = ValueList.Create([request]), VenId = c.VenId };
            await c.DistributeAsync(c.Distribute(c.Event(new EventSpec(id))), Ok(id));
            await c.SendAsync(create);
            await c.ExpectAsync<OadrCreatedReport>("oadrCreatedReport", c.AsyncTimeout);
            await c.ExpectAsync<OadrUpdateReport>("oadrUpdateReport for the one-shot request", c.AsyncTimeout, u => u.Reports.Any(r => r.ReportRequestId == request.ReportRequestId));
        },
    };

    /// <summary>E1_1060 / A_E1_0220: the operator opts the VEN out of an event; it sends oadrCreateOpt naming it.</summary>
    private static async Task<EventSpec> OptOutOfEventAsync(VenCase c, bool active)
    {
        var spec = active
            ? new EventSpec(NewEventId()) { Status = EventStatus.Active, StartIn = -c.S(60), IntervalLength = c.S(1200) }
            : new EventSpec(NewEventId());
        await OneEventAsync(c, spec);
        await c.ActAsync("opt-out-event", $"Opt the VEN out of event {spec.Id} from its panel (oadrCreateOpt with optType optOut).");
        var (opt, index) = await c.ExpectAsync<OadrCreateOpt>("oadrCreateOpt", c.AsyncTimeout);
        c.R.Check(opt.OptType == OptType.OptOut, "rule 17", $"the opt says {VenCase.OptText(opt.OptType)}; the operator opted out", $"<ei:optType>{VenCase.OptText(opt.OptType)}</ei:optType>", index);
        c.R.Check(opt.QualifiedEventId?.EventId == spec.Id, "rule 17", $"the opt must name event {spec.Id} in qualifiedEventID", $"<ei:qualifiedEventID>{opt.QualifiedEventId?.EventId}</ei:qualifiedEventID>", index);
        c.R.Check(opt.QualifiedEventId?.ModificationNumber == spec.Modification, "rule 17", $"the opt names modificationNumber {opt.QualifiedEventId?.ModificationNumber}, not {spec.Modification}", null, index);
        return spec;
    }
}
