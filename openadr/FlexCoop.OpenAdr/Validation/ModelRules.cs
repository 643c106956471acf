using System.Globalization;
using FlexCoop.OpenAdr.Model;

namespace FlexCoop.OpenAdr.Validation;

/// <summary>
/// The OpenADR 2.0b profile's conformance rules that one parsed message can break on its own
/// (rules 2, 4, 6, 7, 8, 9, 14, 15, 35, 41, 42, 47, 304, 306, 311). Rules about the text of the
/// message (1, 45, ID lengths) are checked on the bytes by <see cref="RawRules"/>; rules that
/// need the conversation (modificationNumber history, echoed IDs) belong to the engines and to
/// replay. Paths use the conventional prefixes (<c>oadr:</c>, <c>ei:</c>, <c>pyld:</c>, ...).
/// </summary>
public static class ModelRules
{
    /// <summary>Checks <paramref name="message"/>; <paramref name="basePath"/> is the path of its element.</summary>
    public static IReadOnlyList<Violation> Check(OadrMessage message, string basePath = "")
    {
        ArgumentNullException.ThrowIfNull(message);
        var into = new List<Violation>();
        var path = basePath.Length > 0 ? basePath : "/oadr:" + message.ElementName;
        switch (message)
        {
            case OadrDistributeEvent distribute:
                CheckDistribute(distribute, path, into);
                break;
            case OadrCreatedEvent created:
                CheckCreatedEvent(created, path, into);
                break;
            case OadrRegisterReport register:
                CheckRegisterReport(register, path, into);
                break;
            case OadrCreatedReport createdReport:
                if (string.IsNullOrWhiteSpace(createdReport.EiResponse.RequestId))
                {
                    into.Add(new Violation("rule 311", path + "/ei:eiResponse/pyld:requestID",
                        "oadrCreatedReport must echo the requestID of the oadrCreateReport it answers; it is empty"));
                }
                break;
            case OadrCreateReport createReport:
                CheckReportRequests(createReport.ReportRequests, path, into);
                break;
            case OadrRegisteredReport registered:
                CheckReportRequests(registered.ReportRequests, path, into);
                break;
        }
        return into;
    }

    private static void CheckDistribute(OadrDistributeEvent distribute, string path, List<Violation> into)
    {
        if (string.IsNullOrWhiteSpace(distribute.RequestId))
        {
            into.Add(new Violation("rule 41", path + "/pyld:requestID",
                "the VTN must always set oadrDistributeEvent's requestID; it is empty"));
        }
        for (var i = 0; i < distribute.Events.Count; i++)
        {
            CheckEvent(distribute.Events[i].EiEvent, $"{path}/oadr:oadrEvent{Index(i)}/ei:eiEvent", into);
        }
        CheckEventOrder(distribute, path, into);
    }

    private static void CheckEvent(EiEvent ev, string path, List<Violation> into)
    {
        var descriptor = ev.EventDescriptor;
        var descriptorPath = path + "/ei:eventDescriptor";

        // Rule 4 (with 5): a new event starts at modificationNumber 0 and cancelling it increments
        // the number, so a cancelled event can never carry 0.
        if (descriptor.EventStatus == EventStatus.Cancelled && descriptor.ModificationNumber == 0)
        {
            into.Add(new Violation("rule 4", descriptorPath + "/ei:modificationNumber",
                $"event '{descriptor.EventId}' is cancelled with modificationNumber 0: a new event has modificationNumber 0 and cancelling it must increment the number"));
        }

        // Rule 6: any testEvent value other than "false" marks a test event.
        if (descriptor.TestEvent is { } test)
        {
            var trimmed = test.Trim();
            if (trimmed.Length == 0 || (!string.Equals(trimmed, "false", StringComparison.Ordinal)
                                       && string.Equals(trimmed, "false", StringComparison.OrdinalIgnoreCase)))
            {
                into.Add(new Violation("rule 6", descriptorPath + "/ei:testEvent",
                    $"testEvent '{test}' marks a test event (only the exact value 'false' does not); write 'false' if this is a real event",
                    Severity: ViolationSeverity.Warning));
            }
        }

        var active = ev.ActivePeriod.Properties;
        var activePath = path + "/ei:eiActivePeriod/xcal:properties";
        var activeDuration = Duration(active.Duration);
        var openEnded = activeDuration == TimeSpan.Zero;

        var simpleCount = 0;
        for (var s = 0; s < ev.EventSignals.Signals.Count; s++)
        {
            var signal = ev.EventSignals.Signals[s];
            var signalPath = $"{path}/ei:eiEventSignals/ei:eiEventSignal{Index(s)}";
            var isSimple = string.Equals(signal.SignalName.Value, "SIMPLE", StringComparison.OrdinalIgnoreCase);
            if (isSimple) simpleCount++;

            CheckUids(signal.Intervals, signalPath + "/strm:intervals", into);
            CheckDurations(signal.Intervals, signalPath + "/strm:intervals", active, activePath, openEnded, activeDuration, into);

            if (isSimple)
            {
                for (var i = 0; i < signal.Intervals.Count; i++)
                {
                    foreach (var payload in signal.Intervals[i].Payloads)
                    {
                        if (payload is SignalPayload { Payload: PayloadFloat f } && !IsSimpleLevel(f.Value))
                        {
                            into.Add(new Violation("rule 9",
                                $"{signalPath}/strm:intervals/ei:interval{Index(i)}/ei:signalPayload/ei:payloadFloat/ei:value",
                                $"a SIMPLE signal's payload must be 0, 1, 2 or 3; it is {Format(f.Value)}"));
                        }
                    }
                }
                if (signal.CurrentValue is { } current)
                {
                    if (!IsSimpleLevel(current))
                    {
                        into.Add(new Violation("rule 9", signalPath + "/ei:currentValue/ei:payloadFloat/ei:value",
                            $"a SIMPLE signal's currentValue must be 0, 1, 2 or 3; it is {Format(current)}"));
                    }
                    else if (descriptor.EventStatus != EventStatus.Active && current != 0f)
                    {
                        into.Add(new Violation("rule 14", signalPath + "/ei:currentValue/ei:payloadFloat/ei:value",
                            $"the event is {descriptor.EventStatus.ToString().ToLowerInvariant()}, not active, so the SIMPLE signal's currentValue must be 0; it is {Format(current)}"));
                    }
                }
            }
        }
        if (simpleCount > 1)
        {
            into.Add(new Violation("rule 7", path + "/ei:eiEventSignals",
                $"event '{descriptor.EventId}' has {simpleCount} signals named SIMPLE; at most one is allowed"));
        }
        if (ev.EventSignals.Baseline is { } baseline)
        {
            CheckUids(baseline.Intervals, path + "/ei:eiEventSignals/ei:eiEventBaseline/strm:intervals", into);
        }
    }

    /// <summary>Rule 2: interval uids start at 0 and increase by one.</summary>
    private static void CheckUids(ValueList<Interval> intervals, string intervalsPath, List<Violation> into)
    {
        for (var i = 0; i < intervals.Count; i++)
        {
            var uid = intervals[i].Uid;
            if (uid is null) continue;
            if (!int.TryParse(uid.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n != i)
            {
                into.Add(new Violation("rule 2", $"{intervalsPath}/ei:interval{Index(i)}/xcal:uid/xcal:text",
                    $"interval uids start at 0 and increase by 1 within a signal: interval {i + 1} should have uid {i}, it has '{uid}'"));
                return; // one report per signal; the rest follow from it
            }
        }
    }

    /// <summary>Rule 8: interval durations add up to the active period; rule 47: duration 0 means open-ended.</summary>
    private static void CheckDurations(ValueList<Interval> intervals, string intervalsPath, CalendarProperties active,
        string activePath, bool openEnded, TimeSpan? activeDuration, List<Violation> into)
    {
        TimeSpan sum = TimeSpan.Zero;
        var summable = true;
        for (var i = 0; i < intervals.Count; i++)
        {
            var d = intervals[i].Duration is { } dur ? Duration(dur) : null;
            if (d is null) { summable = false; continue; }
            if (d == TimeSpan.Zero)
            {
                if (!openEnded)
                {
                    into.Add(new Violation("rule 47", $"{intervalsPath}/ei:interval{Index(i)}/xcal:duration",
                        $"an interval of duration 0 is open-ended, but the active period lasts {active.Duration}; an open-ended interval needs an open-ended (PT0S) event"));
                }
                else if (i != intervals.Count - 1)
                {
                    into.Add(new Violation("rule 47", $"{intervalsPath}/ei:interval{Index(i)}/xcal:duration",
                        "only the last interval of an open-ended event may have duration 0"));
                }
            }
            sum += d.Value;
        }
        if (!summable || activeDuration is null || openEnded) return;
        if (sum != activeDuration.Value)
        {
            into.Add(new Violation("rule 8", intervalsPath,
                $"the intervals' durations add up to {IsoDuration.FromTimeSpan(sum)} but the active period ({activePath}) lasts {active.Duration}"));
        }
    }

    /// <summary>Rule 15: active events first, by priority; completed events last.</summary>
    private static void CheckEventOrder(OadrDistributeEvent distribute, string path, List<Violation> into)
    {
        var events = distribute.Events;
        var seenNonActive = false;
        var seenCompleted = false;
        uint? lastActivePriority = null;
        for (var i = 0; i < events.Count; i++)
        {
            var d = events[i].EiEvent.EventDescriptor;
            var evPath = $"{path}/oadr:oadrEvent{Index(i)}";
            switch (d.EventStatus)
            {
                case EventStatus.Active:
                    if (seenNonActive)
                    {
                        into.Add(new Violation("rule 15", evPath,
                            $"active event '{d.EventId}' comes after an event that is not active; active events come first"));
                        return;
                    }
                    var rank = PriorityRank(d.Priority);
                    if (lastActivePriority is { } last && rank < last)
                    {
                        into.Add(new Violation("rule 15", evPath,
                            $"active event '{d.EventId}' (priority {d.Priority?.ToString(CultureInfo.InvariantCulture) ?? "none"}) comes after an active event of lower priority; active events are ordered by priority"));
                        return;
                    }
                    lastActivePriority = rank;
                    break;
                case EventStatus.Completed:
                    seenNonActive = true;
                    seenCompleted = true;
                    break;
                default:
                    seenNonActive = true;
                    if (seenCompleted)
                    {
                        into.Add(new Violation("rule 15", evPath,
                            $"event '{d.EventId}' ({d.EventStatus.ToString().ToLowerInvariant()}) comes after a completed event; completed events come last"));
                        return;
                    }
                    break;
            }
        }
    }

    // Priority 1 is the highest; 0 or absent means no priority, i.e. the lowest.
    private static uint PriorityRank(uint? priority) => priority is null or 0 ? uint.MaxValue : priority.Value;

    private static void CheckCreatedEvent(OadrCreatedEvent created, string path, List<Violation> into)
    {
        var basePath = path + "/pyld:eiCreatedEvent";
        var isError = created.EiResponse.ResponseCode.Value.Length > 0 && created.EiResponse.ResponseCode.Value[0] != '2';
        if (!isError && (created.EventResponses is null || created.EventResponses.Count == 0))
        {
            into.Add(new Violation("rule 35", basePath + "/ei:eventResponses",
                "oadrCreatedEvent must carry eventResponses (one per event answered) unless its eiResponse reports an error"));
        }
        if (created.EventResponses is { } responses)
        {
            if (responses.Count > 0 && !string.IsNullOrEmpty(created.EiResponse.RequestId))
            {
                into.Add(new Violation("rule 42", basePath + "/ei:eiResponse/pyld:requestID",
                    "when eventResponses are present the top-level eiResponse's requestID must be empty; each eventResponse echoes the distribute's requestID"));
            }
            for (var i = 0; i < responses.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(responses[i].RequestId))
                {
                    into.Add(new Violation("rule 42", $"{basePath}/ei:eventResponses/ei:eventResponse{Index(i)}/pyld:requestID",
                        $"eventResponse for event '{responses[i].QualifiedEventId.EventId}' must echo the requestID of the oadrDistributeEvent; it is empty"));
                }
            }
        }
    }

    private static void CheckRegisterReport(OadrRegisterReport register, string path, List<Violation> into)
    {
        for (var i = 0; i < register.Reports.Count; i++)
        {
            var report = register.Reports[i];
            var reportPath = $"{path}/oadr:oadrReport{Index(i)}";
            var id = report.ReportRequestId.Trim();
            if (id.Length != 0 && id != "0")
            {
                into.Add(new Violation("rule 306", reportPath + "/ei:reportRequestID",
                    $"a report in oadrRegisterReport answers no request: its reportRequestID must be empty or 0, it is '{report.ReportRequestId}'"));
            }
            if (report.ReportName is { } name && !name.Value.StartsWith("METADATA_", StringComparison.Ordinal) && !name.Value.StartsWith("x-", StringComparison.Ordinal))
            {
                into.Add(new Violation("rule 304", reportPath + "/ei:reportName",
                    $"oadrRegisterReport carries metadata reports, named METADATA_...; '{name.Value}' is not a metadata report name"));
            }
        }
    }

    private static void CheckReportRequests(ValueList<OadrReportRequest> requests, string path, List<Violation> into)
    {
        for (var i = 0; i < requests.Count; i++)
        {
            var specifier = requests[i].ReportSpecifier;
            if (string.Equals(specifier.ReportSpecifierId, "METADATA", StringComparison.OrdinalIgnoreCase)
                && !string.Equals(specifier.ReportSpecifierId, "METADATA", StringComparison.Ordinal))
            {
                into.Add(new Violation("rule 304", $"{path}/oadr:oadrReportRequest{Index(i)}/ei:reportSpecifier/ei:reportSpecifierID",
                    $"a request for the metadata report uses the reportSpecifierID 'METADATA' exactly; '{specifier.ReportSpecifierId}' is not recognised"));
            }
        }
    }

    private static bool IsSimpleLevel(float v) => v is 0f or 1f or 2f or 3f;

    private static TimeSpan? Duration(IsoDuration d) => d.TryGetTimeSpan(out var span) ? span : null;

    private static string Index(int zeroBased) => zeroBased == 0 ? "" : $"[{zeroBased + 1}]";

    private static string Format(float v) => v.ToString("R", CultureInfo.InvariantCulture);
}
