using FlexCoop.OpenAdr.Model;

namespace FlexCoop.Conformance.Certification.OpenAdr;

/// <summary>What a case script works with: the harness, the recorder, time-scaled settings, and the steps cases share.</summary>
internal sealed class VenCase(HarnessVtn harness, CaseRecorder recorder, CancellationToken cancellationToken)
{
    public HarnessVtn H { get; } = harness;

    public CaseRecorder R { get; } = recorder;

    public CancellationToken Ct { get; } = cancellationToken;

    public HarnessOptions O => H.Options;

    /// <summary>Push runs: the same case seen from the second harness VTN.</summary>
    public VenCase? Second { get; init; }

    public bool Pull => O.Exchange == Exchange.Pull;

    /// <summary>The case's short ID (<c>E1_1020</c>), the "rule" of checks specific to it.</summary>
    public string Id => R.Case.Id.Replace("_TH_VTN", "", StringComparison.Ordinal);

    public TimeSpan Poll => O.Scaled(O.PollFrequency);

    public TimeSpan CreatedEventTimeout => O.Scaled(O.CreatedEventTimeout);

    public TimeSpan AsyncTimeout => O.Scaled(O.AsyncResponseTimeout);

    /// <summary>Time to wait for the VEN to pick a queued message up: a few poll periods.</summary>
    public TimeSpan DeliveryTimeout => Poll * 3 + TimeSpan.FromSeconds(5);

    public string VenId => H.VenId ?? throw R.Inconclusive("the VEN is not registered");

    public TimeSpan S(double seconds) => O.Scaled(TimeSpan.FromSeconds(seconds));

    /// <summary>The sequence number of the VEN message that took the last delivery (its poll, in pull mode).</summary>
    public long LastDelivery { get; private set; }

    public async Task SendAsync(OadrMessage message) => LastDelivery = await H.DeliverAsync(message, DeliveryTimeout, Ct);

    /// <summary>Sends <paramref name="message"/> signed as <paramref name="signing"/> says (high security), waiting up to <paramref name="timeout"/> for the VEN to take it.</summary>
    public async Task SendAsync(OadrMessage message, OutgoingSigning signing, TimeSpan? timeout = null) =>
        LastDelivery = await H.DeliverAsync(message, timeout ?? DeliveryTimeout, Ct, signing);

    /// <summary>Sends <paramref name="wire"/>, the bytes of <paramref name="message"/> as already sent once (a replay).</summary>
    public async Task SendWireAsync(OadrMessage message, byte[] wire) => LastDelivery = await H.DeliverAsync(message, DeliveryTimeout, Ct, raw: wire);

    public Task ActAsync(string name, string instruction) => R.ActAsync(new OperatorAction(name, instruction), Ct);

    private readonly List<VenMessage> _unread = [];

    /// <summary>The sequence number of the message the last <see cref="ExpectAsync"/> matched.</summary>
    public long LastMatch { get; private set; }

    /// <summary>
    /// The VEN's messages in the order they came, first those earlier waits passed by (kept, so a message
    /// that comes before another one expected first is not lost), then new ones, until the token ends.
    /// </summary>
    private async IAsyncEnumerable<VenMessage> MessagesAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken token)
    {
        for (var i = 0; i < _unread.Count; i++) yield return _unread[i];
        while (true)
        {
            var m = await H.Incoming.ReadAsync(token);
            _unread.Add(m);
            yield return m;
        }
    }

    /// <summary>
    /// Waits for the VEN to send a <typeparamref name="T"/> (matching <paramref name="match"/>) and takes it; other
    /// messages stay for later waits. With <paramref name="beforeNextPoll"/> in pull mode, a poll after the last
    /// delivery coming first is a rule 64 failure.
    /// </summary>
    public async Task<(T Message, int Index)> ExpectAsync<T>(string what, TimeSpan timeout, Func<T, bool>? match = null, bool beforeNextPoll = false, string? rule = null)
        where T : OadrMessage
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(timeout);
        try
        {
            await foreach (var m in MessagesAsync(limit.Token))
            {
                if (m.Message is T t && (match is null || match(t)))
                {
                    _unread.Remove(m);
                    LastMatch = m.Seq;
                    return (t, m.TimelineIndex);
                }
                if (beforeNextPoll && Pull && m.Message is OadrPoll && m.Seq > LastDelivery)
                {
                    throw R.Fail("rule 64", $"the VEN polled again before sending {what}: a pull VEN answers every event before its next poll", null, m.TimelineIndex);
                }
            }
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
        }
        throw R.Fail(rule ?? Id, $"the VEN did not send {what} within {timeout.TotalSeconds:0} s");
    }

    /// <summary>Forgets the messages received so far that no wait has taken (e.g. polls before a measurement).</summary>
    public void DiscardUnread() => _unread.Clear();

    /// <summary>Waits for a <typeparamref name="T"/> without failing: false when none came in time.</summary>
    public async Task<bool> WaitForAsync<T>(TimeSpan timeout) where T : OadrMessage
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(timeout);
        try
        {
            await foreach (var m in MessagesAsync(limit.Token))
            {
                if (m.Message is T)
                {
                    _unread.Remove(m);
                    return true;
                }
            }
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
        }
        return false;
    }

    /// <summary>
    /// Checks the VEN sends no <typeparamref name="T"/> after the last delivery: in pull mode until its next poll
    /// (rule 64 says every answer comes before it), in push mode for one poll period.
    /// </summary>
    public async Task ExpectNoneAsync<T>(string what, string rule) where T : OadrMessage
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(Pull ? DeliveryTimeout : Poll);
        try
        {
            await foreach (var m in MessagesAsync(limit.Token))
            {
                if (m.Seq <= LastDelivery) continue;
                if (m.Message is T) throw R.Fail(rule, $"the VEN sent {what}", null, m.TimelineIndex);
                if (Pull && m.Message is OadrPoll) return;
            }
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            if (Pull) throw R.Fail("rule 54", $"the VEN stopped polling (no poll within {DeliveryTimeout.TotalSeconds:0} s)");
        }
    }

    /// <summary>Pull: fails when a message matching <paramref name="forbidden"/> comes after the last delivery and before the VEN's next poll.</summary>
    public async Task ExpectNoneForPollAsync(Func<OadrMessage, bool> forbidden, string rule, string what)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(DeliveryTimeout);
        try
        {
            await foreach (var m in MessagesAsync(limit.Token))
            {
                if (m.Seq <= LastDelivery) continue;
                if (forbidden(m.Message)) throw R.Fail(rule, what, null, m.TimelineIndex);
                if (m.Message is OadrPoll) return;
            }
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            throw R.Fail("rule 54", $"the VEN stopped polling (no poll within {DeliveryTimeout.TotalSeconds:0} s)");
        }
    }

    /// <summary>Fails when a message matching <paramref name="forbidden"/> comes after message <paramref name="after"/> within <paramref name="window"/>.</summary>
    public async Task ExpectNoneForAsync(Func<OadrMessage, bool> forbidden, long after, TimeSpan window, string rule, string what)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(window);
        try
        {
            await foreach (var m in MessagesAsync(limit.Token))
            {
                if (m.Seq > after && forbidden(m.Message)) throw R.Fail(rule, what, null, m.TimelineIndex);
            }
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>Waits for the next poll (pull) or one poll period (push).</summary>
    public async Task NextPollAsync()
    {
        if (!Pull)
        {
            await Task.Delay(Poll, Ct);
            return;
        }
        await ExpectAsync<OadrPoll>("an oadrPoll", DeliveryTimeout, rule: "rule 54");
    }

    // ---- events ----

    public OadrDistributeEvent Distribute(params OadrEvent[] events) =>
        new() { RequestId = HarnessVtn.NewId("REQ"), VtnId = O.VtnId, Events = ValueList.From(events) };

    public OadrEvent Event(EventSpec spec)
    {
        var now = DateTimeOffset.UtcNow;
        var start = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero) + (spec.StartIn ?? S(600));
        var signals = spec.Signals ?? [new SignalSpec("SIMPLE", SignalType.Level, [1f])];
        var intervalLength = spec.IntervalLength ?? S(300);
        var total = spec.OpenEnded ? TimeSpan.Zero : intervalLength * signals.Max(s => s.Values.Length);
        var target = spec.Target ?? EiTarget.Empty;
        return new OadrEvent
        {
            ResponseRequired = spec.ResponseRequired,
            EiEvent = new EiEvent
            {
                EventDescriptor = new EventDescriptor
                {
                    EventId = spec.Id,
                    ModificationNumber = spec.Modification,
                    Priority = spec.Priority,
                    MarketContext = spec.MarketContext ?? O.MarketContext1,
                    CreatedDateTime = now,
                    EventStatus = spec.Status,
                    TestEvent = spec.TestEvent,
                    ModificationDateTime = spec.Modification > 0 ? now : null,
                    ModificationReason = spec.Modification > 0 ? "harness modification" : null,
                },
                ActivePeriod = new ActivePeriod
                {
                    Properties = new CalendarProperties
                    {
                        DtStart = start,
                        Duration = IsoDuration.FromTimeSpan(total),
                        Tolerance = spec.StartAfter is { } after ? new Tolerance { StartAfter = IsoDuration.FromTimeSpan(after) } : null,
                        Notification = spec.WithTimingExtras ? IsoDuration.FromTimeSpan(S(600)) : null,
                        RampUp = spec.WithTimingExtras ? IsoDuration.FromTimeSpan(S(60)) : null,
                        Recovery = spec.WithTimingExtras ? IsoDuration.FromTimeSpan(S(60)) : null,
                    },
                },
                EventSignals = new EventSignals
                {
                    Signals = ValueList.From(signals.Select((s, si) => new EventSignal
                    {
                        SignalName = new SignalName(s.Name),
                        SignalType = s.Type,
                        SignalId = $"SIG_{si}",
                        CurrentValue = spec.Status == EventStatus.Active ? s.Values[0] : (s.Name == "SIMPLE" ? 0f : null),
                        ItemBase = s.Type == SignalType.Price ? new CurrencyItem { Kind = CurrencyItemKind.CurrencyPerKWh, Description = CurrencyItemDescription.CurrencyPerKWh, Currency = "EUR", Scale = SiScaleCode.None } : null,
                        Intervals = ValueList.From(s.Values.Select((v, i) => new Interval
                        {
                            Duration = IsoDuration.FromTimeSpan(spec.OpenEnded ? TimeSpan.Zero : intervalLength),
                            Uid = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                            Payloads = ValueList.Create<StreamPayload>([new SignalPayload { Payload = PayloadFloat.Of(v) }]),
                        })),
                    })),
                    Baseline = spec.WithBaseline
                        ? new EventBaseline
                        {
                            DtStart = start,
                            Duration = IsoDuration.FromTimeSpan(total),
                            BaselineId = "BL_0",
                            BaselineName = "harness baseline",
                            Intervals = ValueList.From(Enumerable.Range(0, signals.Max(s => s.Values.Length)).Select(i => new Interval
                            {
                                Duration = IsoDuration.FromTimeSpan(intervalLength),
                                Uid = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                                Payloads = ValueList.Create<StreamPayload>([new SignalPayload { Payload = PayloadFloat.Of(2f) }]),
                            })),
                        }
                        : null,
                },
                Target = target,
            },
        };
    }

    /// <summary>What an eventResponse must say about one event.</summary>
    public sealed record Answer(string EventId, uint Modification, string Codes = "2xx", OptType? Opt = null);

    /// <summary>
    /// Delivers a distribute and checks the VEN's <c>oadrCreatedEvent</c>: one eventResponse per expected
    /// event with the right modificationNumber, response code class and optType (rules 12, 35, 42, 48).
    /// </summary>
    public async Task<OadrCreatedEvent> DistributeAsync(OadrDistributeEvent distribute, params Answer[] expected)
    {
        await SendAsync(distribute);
        return await AnswersAsync(expected);
    }

    /// <summary>As <see cref="DistributeAsync(OadrDistributeEvent, Answer[])"/>, the distribute sent as the bytes <paramref name="wire"/>.</summary>
    public async Task<OadrCreatedEvent> DistributeAsync(OadrDistributeEvent distribute, byte[] wire, params Answer[] expected)
    {
        await SendWireAsync(distribute, wire);
        return await AnswersAsync(expected);
    }

    /// <summary>Checks the VEN's <c>oadrCreatedEvent</c> for the last distribute (none when nothing is expected).</summary>
    private async Task<OadrCreatedEvent> AnswersAsync(Answer[] expected)
    {
        if (expected.Length == 0)
        {
            await ExpectNoneAsync<OadrCreatedEvent>("an oadrCreatedEvent for events that need no answer", "rule 12");
            return null!;
        }
        var (created, index) = await ExpectAsync<OadrCreatedEvent>("oadrCreatedEvent", CreatedEventTimeout, beforeNextPoll: true, rule: "rule 12");
        var responses = created.EventResponses ?? ValueList<EventResponse>.Empty;
        foreach (var e in expected)
        {
            var r = responses.FirstOrDefault(x => x.QualifiedEventId.EventId == e.EventId);
            if (r is null)
            {
                // A refusal of the whole payload is allowed to come as the top-level response (rule 25).
                if (e.Codes != "2xx" && Matches(created.EiResponse.ResponseCode, e.Codes)) continue;
                throw R.Fail("rule 12", $"oadrCreatedEvent has no eventResponse for event '{e.EventId}'", null, index);
            }
            R.Check(r.QualifiedEventId.ModificationNumber == e.Modification, "rule 42",
                $"the eventResponse for '{e.EventId}' names modificationNumber {r.QualifiedEventId.ModificationNumber}; the distribute carried {e.Modification}",
                $"<ei:modificationNumber>{r.QualifiedEventId.ModificationNumber}</ei:modificationNumber>", index);
            R.Check(Matches(r.ResponseCode, e.Codes), e.Codes == "2xx" ? "rule 12" : "rule 48",
                $"the eventResponse for '{e.EventId}' has responseCode {r.ResponseCode.Value}; expected {Describe(e.Codes)}",
                $"<ei:responseCode>{r.ResponseCode.Value}</ei:responseCode>", index);
            if (e.Opt is { } opt)
            {
                R.Check(r.OptType == opt, "rule 36", $"the eventResponse for '{e.EventId}' says {OptText(r.OptType)}; expected {OptText(opt)}", $"<ei:optType>{OptText(r.OptType)}</ei:optType>", index);
            }
        }
        var unexpected = responses.FirstOrDefault(r => expected.All(e => e.EventId != r.QualifiedEventId.EventId));
        if (unexpected is not null)
        {
            throw R.Fail("rule 12", $"oadrCreatedEvent answers event '{unexpected.QualifiedEventId.EventId}', which needs no answer here", $"<ei:eventID>{unexpected.QualifiedEventId.EventId}</ei:eventID>", index);
        }
        return created;
    }

    private static bool Matches(ResponseCode code, string codes) => codes switch
    {
        "2xx" => code.IsSuccess,
        "4xx" => code.Class == ResponseClass.RequesterError,
        _ => codes.Split('|').Contains(code.Value),
    };

    private static string Describe(string codes) => codes switch
    {
        "2xx" => "success (200)",
        "4xx" => "an application-level error (4xx)",
        _ => string.Join(" or ", codes.Split('|')),
    };

    public static string OptText(OptType opt) => opt == OptType.OptIn ? "optIn" : "optOut";
}

/// <summary>One signal of an event the harness builds.</summary>
internal sealed record SignalSpec(string Name, SignalType Type, float[] Values);

/// <summary>An event the harness builds; times are relative to now and already scaled.</summary>
internal sealed record EventSpec(string Id)
{
    public uint Modification { get; init; }

    public EventStatus Status { get; init; } = EventStatus.Far;

    public TimeSpan? StartIn { get; init; }

    public TimeSpan? IntervalLength { get; init; }

    public bool OpenEnded { get; init; }

    public SignalSpec[]? Signals { get; init; }

    public ResponseRequired ResponseRequired { get; init; } = ResponseRequired.Always;

    public EiTarget? Target { get; init; }

    public string? MarketContext { get; init; }

    public uint? Priority { get; init; }

    public string? TestEvent { get; init; }

    public TimeSpan? StartAfter { get; init; }

    public bool WithBaseline { get; init; }

    public bool WithTimingExtras { get; init; }
}
