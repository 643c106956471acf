using System.Globalization;
using FlexCoop.OpenAdr.Model;

namespace FlexCoop.Conformance.Certification.OpenAdr;

/// <summary>What a VTN case script works with: the harness VEN, the recorder, time-scaled settings, and shared steps.</summary>
internal sealed class VtnCase(HarnessVen harness, CaseRecorder recorder, CancellationToken cancellationToken)
{
    public HarnessVen H { get; } = harness;

    public CaseRecorder R { get; } = recorder;

    public CancellationToken Ct { get; } = cancellationToken;

    public HarnessVenOptions O => H.Options;

    /// <summary>The case's short ID (<c>E1_1020</c>), the "rule" of checks specific to it.</summary>
    public string Id => VtnCatalogue.ShortId(R.Case);

    public TimeSpan AsyncTimeout => O.Scaled(O.AsyncResponseTimeout);

    public string VenId => H.VenId ?? throw R.Inconclusive("the harness VEN is not registered");

    /// <summary><paramref name="seconds"/> of the standard's timeline, time-scaled.</summary>
    public TimeSpan S(double seconds) => O.Scaled(TimeSpan.FromSeconds(seconds));

    /// <summary>Now, to the second (what a person types into a VTN console).</summary>
    public static DateTimeOffset Now
    {
        get
        {
            var now = DateTimeOffset.UtcNow;
            return new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        }
    }

    /// <summary>Has the operator perform <paramref name="name"/> at the VTN with <paramref name="parameters"/>.</summary>
    public Task ActAsync(string name, string instruction, IReadOnlyDictionary<string, string>? parameters = null)
    {
        var all = new Dictionary<string, string>(parameters ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        if (H.VenId is { } venId) all.TryAdd(VtnActions.VenId, venId);
        return R.ActAsync(new OperatorAction(name, instruction) { Parameters = all }, Ct);
    }

    /// <summary>Asks the operator for an action the VTN may refuse; true when it was done.</summary>
    public async Task<bool> TryActAsync(string name, string instruction, IReadOnlyDictionary<string, string>? parameters = null)
    {
        try
        {
            await ActAsync(name, instruction, parameters);
            return true;
        }
        catch (OperatorActionException ex)
        {
            R.Record(MessageDirection.Note, "operator action refused", ex.Message);
            return false;
        }
    }

    /// <summary>The precondition of event cases: no event pending or active for this VEN, and nothing queued.</summary>
    public async Task NoEventsAsync()
    {
        await ActAsync(VtnActions.NoEvents, $"Make sure the VTN has no pending or active event for VEN {VenId}: cancel or delete every such event.");
        await H.DrainAsync(Ct);
    }

    // ---- events ----

    private HashSet<string>? _known;

    /// <summary>Asks the operator to create <paramref name="order"/>.</summary>
    public Task CreateEventAsync(EventOrder order)
    {
        _known ??= H.SeenEventIds();
        return ActAsync(VtnActions.CreateEvent, "Create an event: " + order.Describe(), order.Parameters());
    }

    /// <summary>Asks the operator to create <paramref name="order"/>, which the VTN may refuse; true when it was created.</summary>
    public Task<bool> TryCreateEventAsync(EventOrder order)
    {
        _known ??= H.SeenEventIds();
        return TryActAsync(VtnActions.CreateEvent, "Try to create an event (the VTN should refuse it): " + order.Describe(), order.Parameters());
    }

    /// <summary>Asks the operator to change event <paramref name="eventId"/> to <paramref name="order"/>.</summary>
    public Task ModifyEventAsync(string eventId, EventOrder order) =>
        ActAsync(VtnActions.ModifyEvent, $"Modify event {eventId} so that it is: {order.Describe()}", new Dictionary<string, string>(order.Parameters()) { [VtnActions.EventId] = eventId });

    /// <summary>Asks the operator to cancel event <paramref name="eventId"/>.</summary>
    public Task CancelEventAsync(string eventId) =>
        ActAsync(VtnActions.CancelEvent, $"Cancel event {eventId}.", new Dictionary<string, string> { [VtnActions.EventId] = eventId });

    /// <summary>
    /// Polls until a distribute carries <paramref name="count"/> events the harness has not seen before, and
    /// returns it with those events in distribute order.
    /// </summary>
    public async Task<(OadrDistributeEvent Distribute, IReadOnlyList<OadrEvent> New, int Index)> NewEventsAsync(int count = 1)
    {
        var known = _known ??= H.SeenEventIds();
        var (d, index) = await H.PollForAsync<OadrDistributeEvent>($"an oadrDistributeEvent with {count} new event(s)", AsyncTimeout,
            d => d.Events.Count(e => !known.Contains(e.EiEvent.EventDescriptor.EventId)) >= count, Ct);
        var fresh = d.Events.Where(e => !known.Contains(e.EiEvent.EventDescriptor.EventId)).ToList();
        foreach (var e in fresh) known.Add(e.EiEvent.EventDescriptor.EventId);
        return (d, fresh, index);
    }

    /// <summary>Polls until a distribute carries event <paramref name="eventId"/> changed as <paramref name="match"/> says.</summary>
    public async Task<(OadrDistributeEvent Distribute, OadrEvent Event, int Index)> ChangedEventAsync(string eventId, string what, Func<OadrEvent, bool> match)
    {
        var (d, index) = await H.PollForAsync<OadrDistributeEvent>($"an oadrDistributeEvent with event {eventId} {what}", AsyncTimeout,
            d => d.Events.Any(e => e.EiEvent.EventDescriptor.EventId == eventId && match(e)), Ct);
        return (d, d.Events.First(e => e.EiEvent.EventDescriptor.EventId == eventId), index);
    }

    /// <summary>Polls until a distribute carries <paramref name="eventId"/> at a higher modificationNumber than <paramref name="after"/>.</summary>
    public Task<(OadrDistributeEvent Distribute, OadrEvent Event, int Index)> ModifiedEventAsync(string eventId, uint after, string what) =>
        ChangedEventAsync(eventId, what, e => e.EiEvent.EventDescriptor.ModificationNumber > after);

    /// <summary>Answers the events of <paramref name="d"/> and requires the VTN to acknowledge with 200.</summary>
    public async Task AnswerOkAsync(OadrDistributeEvent d, Func<OadrEvent, (ResponseCode Code, OptType Opt)?>? answer = null)
    {
        var reply = await H.AnswerAsync(d, answer ?? (_ => (ResponseCode.Ok, OptType.OptIn)), Ct);
        if (reply is { } r) Success(r.Message.EiResponse, "oadrCreatedEvent", r.Index);
    }

    /// <summary>Fails unless <paramref name="response"/> is a success.</summary>
    public void Success(EiResponse? response, string what, int index)
    {
        R.Check(response is { ResponseCode.IsSuccess: true }, Id, $"the VTN answered a valid {what} with {response?.ResponseCode.Value} ({response?.ResponseDescription}); expected 200",
            $"<ei:responseCode>{response?.ResponseCode.Value}</ei:responseCode>", index);
    }

    /// <summary>Fails unless <paramref name="response"/> is an application-level error (4xx).</summary>
    public void Refused(EiResponse? response, string what, string rule, int index)
    {
        R.Check(response is { ResponseCode.Class: ResponseClass.RequesterError }, rule, $"the VTN answered {what} with {response?.ResponseCode.Value}; it must refuse it with a 4xx code",
            $"<ei:responseCode>{response?.ResponseCode.Value}</ei:responseCode>", index);
    }

    /// <summary>Checks that <paramref name="e"/> is what <paramref name="order"/> asked for (rules 2, 4, 8 and the fields ordered).</summary>
    public void CheckEvent(OadrEvent e, EventOrder order, int index, uint modification = 0)
    {
        var d = e.EiEvent.EventDescriptor;
        var p = e.EiEvent.ActivePeriod.Properties;
        var id = d.EventId;
        R.Check(d.ModificationNumber == modification, modification == 0 ? "rule 4" : "rule 5",
            $"event '{id}' has modificationNumber {d.ModificationNumber}; expected {modification}", $"<ei:modificationNumber>{d.ModificationNumber}</ei:modificationNumber>", index);
        R.Check((p.DtStart - order.Start).Duration() <= TimeSpan.FromSeconds(2), Id,
            $"event '{id}' starts at {p.DtStart.UtcDateTime:HH:mm:ss}Z; the operator set {order.Start.UtcDateTime:HH:mm:ss}Z", $"<xcal:date-time>{p.DtStart.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}</xcal:date-time>", index);
        var total = order.Intervals.Aggregate(TimeSpan.Zero, (a, i) => a + i.Duration);
        R.Check(p.Duration.TryGetTimeSpan(out var duration) && duration == total, "rule 8",
            $"event '{id}' lasts {p.Duration.Text}; the operator set {IsoDuration.FromTimeSpan(total).Text}", $"<xcal:duration>{p.Duration.Text}</xcal:duration>", index);
        R.Check(e.ResponseRequired == (order.ResponseRequired ? ResponseRequired.Always : ResponseRequired.Never), Id,
            $"event '{id}' says oadrResponseRequired {(e.ResponseRequired == ResponseRequired.Always ? "always" : "never")}; the operator set {(order.ResponseRequired ? "always" : "never")}", "<oadr:oadrResponseRequired>", index);
        if (order.MarketContext is { } mc)
        {
            R.Check(d.MarketContext == mc, Id, $"event '{id}' is in market context '{d.MarketContext}'; the operator set '{mc}'", $"<emix:marketContext>{d.MarketContext}</emix:marketContext>", index);
        }
        var signal = e.EiEvent.EventSignals.Signals.FirstOrDefault(s => s.SignalName.Value == order.Signal);
        if (signal is null)
        {
            throw R.Fail(Id, $"event '{id}' has no {order.Signal} signal", string.Join(", ", e.EiEvent.EventSignals.Signals.Select(s => s.SignalName.Value)), index);
        }
        R.Check(signal.Intervals.Count == order.Intervals.Count, Id, $"the {order.Signal} signal of event '{id}' has {signal.Intervals.Count} interval(s); the operator set {order.Intervals.Count}", null, index);
        var sum = TimeSpan.Zero;
        for (var i = 0; i < signal.Intervals.Count; i++)
        {
            var interval = signal.Intervals[i];
            R.Check(interval.Uid == i.ToString(CultureInfo.InvariantCulture), "rule 2", $"interval {i} of event '{id}' has uid '{interval.Uid}'; uids start at 0 and go up by 1", $"<xcal:uid>{interval.Uid}</xcal:uid>", index);
            var length = interval.Duration is { } iso && iso.TryGetTimeSpan(out var l) ? l : TimeSpan.Zero;
            sum += length;
            R.Check(length == order.Intervals[i].Duration, Id, $"interval {i} of event '{id}' lasts {interval.Duration?.Text}; the operator set {IsoDuration.FromTimeSpan(order.Intervals[i].Duration).Text}", null, index);
            var value = interval.Payloads.OfType<SignalPayload>().Select(x => x.Payload).OfType<PayloadFloat>().FirstOrDefault()?.Value;
            R.Check(value is { } v && Math.Abs(v - order.Intervals[i].Value) < 0.001, Id, $"interval {i} of event '{id}' carries {value?.ToString(CultureInfo.InvariantCulture) ?? "no value"}; the operator set {order.Intervals[i].Value.ToString(CultureInfo.InvariantCulture)}", null, index);
        }
        if (duration > TimeSpan.Zero)
        {
            R.Check(sum == duration, "rule 8", $"the intervals of event '{id}' add up to {IsoDuration.FromTimeSpan(sum).Text}, not the event's {p.Duration.Text}", null, index);
        }
        if (order.TargetVen)
        {
            R.Check(e.EiEvent.Target.VenIds.Contains(VenId), "rule 22", $"event '{id}' was targeted at VEN {VenId}; its eiTarget does not name it", "<ei:eiTarget>", index);
        }
        if (order.StartAfter is { } after)
        {
            R.Check(p.Tolerance?.StartAfter is { } sa && sa.TryGetTimeSpan(out var s) && s == after, "rule 30",
                $"event '{id}' must carry tolerance/startafter {IsoDuration.FromTimeSpan(after).Text}", $"<xcal:startafter>{p.Tolerance?.StartAfter?.Text}</xcal:startafter>", index);
        }
        if (order.RampUp is { } ramp)
        {
            R.Check(p.RampUp is { } r && r.TryGetTimeSpan(out var rs) && rs == ramp, "rule 46", $"event '{id}' must carry x-eiRampUp {IsoDuration.FromTimeSpan(ramp).Text}", $"<ei:x-eiRampUp>{p.RampUp?.Text}</ei:x-eiRampUp>", index);
        }
        if (order.Recovery is { } recovery)
        {
            R.Check(p.Recovery is { } r && r.TryGetTimeSpan(out var rs) && rs == recovery, "rule 46", $"event '{id}' must carry x-eiRecovery {IsoDuration.FromTimeSpan(recovery).Text}", $"<ei:x-eiRecovery>{p.Recovery?.Text}</ei:x-eiRecovery>", index);
        }
    }

    /// <summary>Fails unless the event's status is one of <paramref name="statuses"/>.</summary>
    public void CheckStatus(OadrEvent e, int index, params EventStatus[] statuses)
    {
        var status = e.EiEvent.EventDescriptor.EventStatus;
        R.Check(statuses.Contains(status), Id, $"event '{e.EiEvent.EventDescriptor.EventId}' is {HarnessVen.Text(status)}; expected {string.Join(" or ", statuses.Select(HarnessVen.Text))}",
            $"<ei:eventStatus>{HarnessVen.Text(status)}</ei:eventStatus>", index);
    }

    // ---- reports ----

    /// <summary>Asks the operator for a report request and returns the oadrCreateReport that carries it.</summary>
    public async Task<(OadrCreateReport Create, OadrReportRequest Request, int Index)> RequestReportAsync(ReportOrder order)
    {
        await ActAsync(VtnActions.RequestReport, "Ask the VEN for a report: " + order.Describe(), order.Parameters());
        var (create, index) = await H.PollForAsync<OadrCreateReport>($"oadrCreateReport for {order.Specifier}", AsyncTimeout,
            c => c.ReportRequests.Any(r => r.ReportSpecifier.ReportSpecifierId == order.Specifier && !H.ReportRequests.ContainsKey(r.ReportRequestId)), Ct);
        var request = create.ReportRequests.First(r => r.ReportSpecifier.ReportSpecifierId == order.Specifier && !H.ReportRequests.ContainsKey(r.ReportRequestId));
        CheckRequest(request, order, index);
        return (create, request, index);
    }

    /// <summary>Checks a report request against the order and the harness's metadata (rule 314: only announced rIDs).</summary>
    public void CheckRequest(OadrReportRequest request, ReportOrder order, int index)
    {
        var spec = request.ReportSpecifier;
        if (order.Specifier == "METADATA")
        {
            return;
        }
        var announced = H.Metadata().First(m => m.ReportSpecifierId == order.Specifier).Descriptions.Select(d => d.RId).ToHashSet(StringComparer.Ordinal);
        foreach (var p in spec.SpecifierPayloads)
        {
            R.Check(announced.Contains(p.RId), "rule 314", $"the request names rID '{p.RId}', which the VEN's {order.Specifier} report does not have", $"<ei:rID>{p.RId}</ei:rID>", index);
        }
        R.Check(spec.SpecifierPayloads.Count > 0, Id, "a report request names at least one rID", "<oadr:specifierPayload>", index);
        var granularity = spec.Granularity.TryGetTimeSpan(out var g) ? g : TimeSpan.Zero;
        var back = spec.ReportBackDuration.TryGetTimeSpan(out var b) ? b : TimeSpan.Zero;
        R.Check(granularity == order.Granularity, Id, $"the request's granularity is {spec.Granularity.Text}; the operator set {IsoDuration.FromTimeSpan(order.Granularity).Text}", $"<oadr:granularity>{spec.Granularity.Text}</oadr:granularity>", index);
        R.Check(back == order.ReportBack, Id, $"the request's reportBackDuration is {spec.ReportBackDuration.Text}; the operator set {IsoDuration.FromTimeSpan(order.ReportBack).Text}", $"<oadr:reportBackDuration>{spec.ReportBackDuration.Text}</oadr:reportBackDuration>", index);
        if (order.Start is { } start)
        {
            R.Check(spec.ReportInterval is { } interval && (interval.DtStart - start).Duration() <= TimeSpan.FromSeconds(2), Id,
                $"the request's reportInterval must start at {start.UtcDateTime:HH:mm:ss}Z", $"<xcal:dtstart>{spec.ReportInterval?.DtStart.UtcDateTime:HH:mm:ss}</xcal:dtstart>", index);
        }
    }

    /// <summary>Accepts the request (oadrCreatedReport) and requires the VTN's oadrResponse to be a success.</summary>
    public async Task AcceptAsync(OadrCreateReport create, IEnumerable<OadrReportRequest> requests)
    {
        var (response, index) = await H.AcceptReportRequestsAsync(create.RequestId, requests, Ct);
        Success(response.EiResponse, "oadrCreatedReport", index);
    }
}

/// <summary>An event the operator is asked to create: what a person types into the VTN's console.</summary>
internal sealed record EventOrder(DateTimeOffset Start, IReadOnlyList<(TimeSpan Duration, double Value)> Intervals)
{
    public string Signal { get; init; } = "SIMPLE";

    public string? SignalType { get; init; }

    public string? Item { get; init; }

    public string? MarketContext { get; init; }

    public uint? Priority { get; init; }

    public bool ResponseRequired { get; init; } = true;

    public bool TargetVen { get; init; }

    public TimeSpan? StartAfter { get; init; }

    public TimeSpan? RampUp { get; init; }

    public TimeSpan? Recovery { get; init; }

    public TimeSpan Duration => Intervals.Aggregate(TimeSpan.Zero, (a, i) => a + i.Duration);

    public IReadOnlyDictionary<string, string> Parameters()
    {
        var p = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [VtnActions.Start] = Start.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            [VtnActions.Intervals] = string.Join(";", Intervals.Select(i => $"{IsoDuration.FromTimeSpan(i.Duration).Text}={i.Value.ToString(CultureInfo.InvariantCulture)}")),
            [VtnActions.Signal] = Signal,
            [VtnActions.ResponseRequired] = ResponseRequired ? "always" : "never",
        };
        if (SignalType is { } t) p[VtnActions.SignalType] = t;
        if (Item is { } item) p[VtnActions.Item] = item;
        if (MarketContext is { } mc) p[VtnActions.MarketContext] = mc;
        if (Priority is { } priority) p[VtnActions.Priority] = priority.ToString(CultureInfo.InvariantCulture);
        if (TargetVen) p[VtnActions.TargetVen] = "yes";
        if (StartAfter is { } a) p[VtnActions.StartAfter] = IsoDuration.FromTimeSpan(a).Text;
        if (RampUp is { } r) p[VtnActions.RampUp] = IsoDuration.FromTimeSpan(r).Text;
        if (Recovery is { } rc) p[VtnActions.Recovery] = IsoDuration.FromTimeSpan(rc).Text;
        return p;
    }

    public string Describe()
    {
        var parts = new List<string>
        {
            $"{Signal}{(SignalType is { } t ? $" ({t}{(Item is { } i ? ", " + i : "")})" : "")}",
            $"dtstart {Start.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}",
            $"{Intervals.Count} interval(s): {string.Join(", ", Intervals.Select(i => $"{IsoDuration.FromTimeSpan(i.Duration).Text} at {i.Value.ToString(CultureInfo.InvariantCulture)}"))}",
            $"oadrResponseRequired {(ResponseRequired ? "always" : "never")}",
        };
        if (MarketContext is { } mc) parts.Add($"market context {mc}");
        if (Priority is { } p) parts.Add($"priority {p}");
        if (TargetVen) parts.Add("targeted at this VEN's venID");
        if (StartAfter is { } a) parts.Add($"startafter {IsoDuration.FromTimeSpan(a).Text}");
        if (RampUp is { } r) parts.Add($"x-eiRampUp {IsoDuration.FromTimeSpan(r).Text}");
        if (Recovery is { } rc) parts.Add($"x-eiRecovery {IsoDuration.FromTimeSpan(rc).Text}");
        return string.Join("; ", parts) + ".";
    }
}

/// <summary>A report request the operator is asked to make.</summary>
internal sealed record ReportOrder(string Specifier)
{
    public IReadOnlyList<string>? RIds { get; init; }

    public TimeSpan Granularity { get; init; }

    public TimeSpan ReportBack { get; init; }

    public DateTimeOffset? Start { get; init; }

    public TimeSpan? Duration { get; init; }

    public IReadOnlyDictionary<string, string> Parameters()
    {
        var p = new Dictionary<string, string>(StringComparer.Ordinal) { [VtnActions.ReportSpecifier] = Specifier };
        if (RIds is { Count: > 0 } r) p[VtnActions.RIds] = string.Join(",", r);
        if (Granularity > TimeSpan.Zero) p[VtnActions.Granularity] = IsoDuration.FromTimeSpan(Granularity).Text;
        if (ReportBack > TimeSpan.Zero) p[VtnActions.ReportBack] = IsoDuration.FromTimeSpan(ReportBack).Text;
        if (Start is { } s) p[VtnActions.Start] = s.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        if (Duration is { } d) p[VtnActions.Duration] = IsoDuration.FromTimeSpan(d).Text;
        return p;
    }

    public string Describe()
    {
        var one = Granularity == TimeSpan.Zero && ReportBack == TimeSpan.Zero;
        return $"{Specifier}{(RIds is { Count: > 0 } r ? $" (rIDs {string.Join(", ", r)})" : "")}, "
            + (one ? "one-shot (granularity and reportBackDuration PT0S)" : $"granularity {IsoDuration.FromTimeSpan(Granularity).Text}, reportBackDuration {IsoDuration.FromTimeSpan(ReportBack).Text}")
            + (Start is { } s ? $", reportInterval from {s.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}" : "")
            + (Duration is { } d ? $" for {IsoDuration.FromTimeSpan(d).Text}" : "") + ".";
    }
}
