using System.Globalization;

namespace FlexCoop.Conformance.Certification.OpenAdr;

/// <summary>
/// The 168 OpenADR 2.0b cases with a VTN under test (the harness plays the VEN): 86 pull, 82 push,
/// with the Alliance's IDs (<c>..._TH_VEN</c>). Titles are our own one-line summaries. A VTN supports
/// both exchange models, so push cases are not optional. PICS keys of optional features:
/// <c>preconfigured-venid</c>, <c>event-timing-extras</c> (startafter, x-eiRampUp, x-eiRecovery),
/// <c>piggyback-cancel-report</c>, <c>vtn-reports</c> (the VTN offers reports of its own),
/// <c>history-usage</c>, <c>xml-signature</c>; <c>event-baseline</c> adds the baseline check of E1_1027.
/// </summary>
public static class VtnCatalogue
{
    /// <summary>PICS key: the VTN can put an <c>ei:eiEventBaseline</c> in an event (checked in E1_1027).</summary>
    public const string EventBaseline = "event-baseline";

    private static readonly (string Id, string Group, string Title, string? Feature)[] PullDefinitions =
    [
        ("N1_0010", "registration", "oadrQueryRegistration: the VTN answers with its vtnID, profiles and poll frequency", null),
        ("N1_0015", "registration", "registration fields: profile 2.0b over simpleHttp, a bounded oadrRequestedOadrPollFreq", null),
        ("N1_0020", "registration", "full registration from scratch: query, create, created, then report registration", null),
        ("N1_0025", "registration", "registration with a venID configured in the VTN beforehand", "preconfigured-venid"),
        ("N1_0030", "registration", "the VEN cancels its registration: oadrCanceledPartyRegistration, then polls are refused", null),
        ("N1_0040", "registration", "the VTN cancels the registration (operator): oadrCancelPartyRegistration on the next poll", null),
        ("N1_0050", "registration", "the VTN asks for re-registration (operator): oadrRequestReregistration, then the VEN registers again", null),
        ("N1_0060", "registration", "the VEN registers again while registered: the VTN accepts and the new registration works", null),
        ("N1_0065", "registration", "re-registration carrying the registrationID keeps the venID", null),
        ("N1_0070", "registration", "the VEN cancels with a wrong registrationID: 452 (rule 48), still registered", null),
        ("N1_0080", "registration", "an unregistered VEN polls: the VTN refuses with 463", null),

        ("A_E3_0420", "event", "pending event starting in a minute: distributed, opted in, acknowledged", null),
        ("A_E3_0430", "event", "pending event: requestID set (rule 41), vtnID, modificationNumber 0 (rule 4)", null),
        ("A_E3_0432", "event", "event with startafter, x-eiRampUp and x-eiRecovery (three intervals)", "event-timing-extras"),
        ("A_E3_0435", "event", "event targeted at this VEN: eiTarget names its venID (rule 22)", null),
        ("A_E3_0440", "event", "two non-overlapping pending events are distributed together (rule 50)", null),
        ("A_E3_0450", "event", "two pending events: one opted in, one opted out; both acknowledged", null),
        ("A_E3_0452", "event", "pending event opted in: oadrResponse 200", null),
        ("A_E3_0454", "event", "pending event opted out: oadrResponse 200", null),
        ("A_E3_0468", "event", "event with oadrResponseRequired never", null),
        ("A_E3_0470", "event", "pending event moved by a minute: modificationNumber 1 (rule 5)", null),
        ("A_E3_0474", "event", "modified pending event opted out", null),
        ("A_E3_0480", "event", "modification with oadrResponseRequired never", null),
        ("A_E3_0484", "event", "active event lengthened: modificationNumber 1, new duration, intervals add up (rule 8)", null),
        ("A_E3_0490", "event", "active event: last interval and overall duration extended together (rule 8)", null),
        ("A_E3_0492", "event", "pending event cancelled: status cancelled, modificationNumber + 1 (rule 5)", null),
        ("A_E3_0494", "event", "active event cancelled", null),
        ("A_E3_0496", "event", "unacknowledged cancellation is still distributed (rule 52)", null),
        ("A_E3_0498", "event", "cancellation with oadrResponseRequired never", null),
        ("A_E3_0500", "event", "oadrRequestEvent is answered with the pending event (rule 23)", null),
        ("A_E3_0510", "event", "four events in two market contexts: active first, by priority (rule 15)", null),
        ("A_E3_0520", "event", "active and pending events in two market contexts ordered (rule 15)", null),
        ("A_E3_0525", "event", "two events, the earlier cancelled: only it changes", null),
        ("A_E3_0527", "event", "pending event with x-eiRampUp", "event-timing-extras"),
        ("A_E3_0530", "event", "two overlapping events in one market context are refused (rule 18)", null),
        ("A_E3_0655", "event", "oadrRequestEvent with replyLimit 1 to 4 over three events", null),
        ("A_E3_0657", "event", "event starting in a minute, then cancelled", null),
        ("A_E3_0680", "event", "two events created out of start order are both distributed", null),
        ("A_E3_0685", "event", "randomised event kept until dtstart + duration + startafter (rule 66)", null),
        ("A_E3_0710", "event", "oadrCreatedEvent reporting an error at the top level: acknowledged", null),
        ("A_E3_0720", "event", "oadrCreatedEvent for an unknown eventID: 4xx (rule 48)", null),
        ("A_E3_0730", "event", "oadrCreatedEvent with a wrong modificationNumber: 4xx (rule 48)", null),
        ("A_E3_0750", "event", "two events, one refused in its eventResponse: acknowledged", null),
        ("A_E3_0780", "event", "oadrCreatedEvent with an unknown venID: 4xx (rule 21)", null),
        ("E1_1010", "event", "no event: the poll is answered with oadrResponse or an empty distribute", null),
        ("E1_1020", "event", "single pending SIMPLE event", null),
        ("E1_1025", "event", "LOAD_DISPATCH setpoint event in powerReal", null),
        ("E1_1027", "event", "ELECTRICITY_PRICE event with two intervals in currencyPerKWh", null),
        ("E1_1030", "event", "event, then the same event modified", null),
        ("E1_1040", "event", "SIMPLE and ELECTRICITY_PRICE events in one distribute", null),
        ("E1_1050", "event", "optIn, then a later optOut of the same event (rule 16)", null),
        ("E1_1060", "event", "the VEN opts out of an event with oadrCreateOpt", null),
        ("E1_1065", "event", "oadrCreateOpt out, then in, for the same event", null),
        ("E1_1070", "event", "eventResponse 460 (signal not supported) is acknowledged", null),
        ("E1_1080", "event", "oadrCreateOpt for an eventID the VTN never sent: 452 (rule 48)", null),

        ("R1_3010", "report", "one-shot TELEMETRY_STATUS request and its report", null),
        ("R1_3020", "report", "periodic TELEMETRY_STATUS request and two reports", null),
        ("R1_3025", "report", "report request with a delayed start", null),
        ("R1_3027", "report", "two report requests one after the other", null),
        ("R1_3030", "report", "TELEMETRY_STATUS and TELEMETRY_USAGE requested together", null),
        ("R1_3040", "report", "oadrCancelReport of a periodic report", null),
        ("R1_3045", "report", "oadrCancelReport with reportToFollow: one last report accepted", null),
        ("R1_3050", "report", "cancellation piggy-backed on oadrUpdatedReport", "piggyback-cancel-report"),
        ("R1_3060", "report", "the VEN re-publishes its metadata: oadrRegisteredReport", null),
        ("R1_3070", "report", "the VEN requests the VTN's METADATA report", "vtn-reports"),
        ("R1_3080", "report", "the VTN registers its own reports", "vtn-reports"),
        ("R1_3090", "report", "one-shot report of the VTN", "vtn-reports"),
        ("R1_3100", "report", "periodic report of the VTN, then cancelled", "vtn-reports"),
        ("R1_3120", "report", "the VEN's cancellation piggy-backed on a VTN report", "vtn-reports"),
        ("R1_3130", "report", "HISTORY_USAGE request for a whole interval", "history-usage"),
        ("R1_3140", "report", "HISTORY_USAGE request for part of an interval", "history-usage"),
        ("R1_3150", "report", "one-shot TELEMETRY_USAGE request", null),
        ("R1_3160", "report", "periodic TELEMETRY_USAGE request", null),
        ("R1_3170", "report", "METADATA request (rule 304): oadrCreatedReport then oadrRegisterReport", null),
        ("R1_3180", "report", "METADATA and TELEMETRY_USAGE requests around one another", null),
        ("R1_3190", "report", "the VEN refuses a request with 452: acknowledged", null),

        ("P1_2010", "opt", "opt-in schedule with two availability windows", null),
        ("P1_2015", "opt", "open-ended opt schedule (duration 0, rule 47)", null),
        ("P1_2020", "opt", "opt schedule created, then cancelled (oadrCancelOpt)", null),
        ("P1_2030", "opt", "opt-out schedule for a market context", null),
        ("P1_2040", "opt", "opt-out schedule for some resources (eiTarget)", null),
        ("P1_2050", "opt", "opt schedule replaced under the same optID", null),

        ("G1_4010", "general", "event and its modification over TLS 1.2 with client certificates (rules 67, 68)", null),
        ("G1_4011", "general", "event and its modification with XML signatures (high security)", "xml-signature"),
        ("G1_4015", "general", "an event and a one-shot report request together", null),
        ("G1_4020", "general", "the VTN accepts both rule 67 cipher suites, with an RSA and an ECC certificate (rule 68)", null),
    ];

    /// <summary>The 86 pull cases.</summary>
    public static IReadOnlyList<CertificationCase> Pull { get; } =
        PullDefinitions.Select(d => new CertificationCase(d.Id + "_TH_VEN", d.Title, d.Group, Exchange.Pull, d.Feature)).ToList();

    /// <summary>The 82 push cases: the pull shapes renumbered, without A_E3_0420 and A_E3_0655, with two security cases.</summary>
    public static IReadOnlyList<CertificationCase> PushCases { get; } = BuildPush();

    /// <summary>All 168 cases.</summary>
    public static IReadOnlyList<CertificationCase> All { get; } = [.. Pull, .. PushCases];

    private static List<CertificationCase> BuildPush()
    {
        var list = new List<CertificationCase>();
        foreach (var d in PullDefinitions)
        {
            if (d.Id is "A_E3_0420" or "A_E3_0655" || d.Id.StartsWith("G1_", StringComparison.Ordinal)) continue;
            list.Add(new CertificationCase(PushIdOf(d.Id) + "_TH_VEN", d.Title, d.Group, Exchange.Push, d.Feature));
        }
        list.Add(new CertificationCase("G0_9010_TH_VEN", "event and its modification pushed over TLS 1.2 with client certificates (rules 67, 68)", "general", Exchange.Push));
        list.Add(new CertificationCase("G0_9020_TH_VEN", "pushed event with XML signatures (high security)", "general", Exchange.Push, "xml-signature"));
        return list;
    }

    /// <summary>The push ID of a pull case: <c>N1_0010</c> → <c>N0_5010</c>, <c>A_E3_0430</c> → <c>A_E2_0430</c>.</summary>
    public static string PushIdOf(string pullId)
    {
        ArgumentNullException.ThrowIfNull(pullId);
        if (pullId.StartsWith("A_E3_", StringComparison.Ordinal)) return "A_E2_" + pullId[5..];
        var number = int.Parse(pullId.AsSpan(3, 4), CultureInfo.InvariantCulture) + 5000;
        return $"{pullId[0]}0_{number.ToString("D4", CultureInfo.InvariantCulture)}";
    }

    private static readonly Dictionary<string, string> PullByPush = PullDefinitions
        .Where(d => !d.Id.StartsWith("G1_", StringComparison.Ordinal))
        .ToDictionary(d => PushIdOf(d.Id), d => d.Id, StringComparer.Ordinal)
        .Concat(new Dictionary<string, string> { ["G0_9010"] = "G1_4010", ["G0_9020"] = "G1_4011" })
        .ToDictionary(StringComparer.Ordinal);

    /// <summary>
    /// The pull case whose shape a case has (its own short ID for a pull case): <c>N0_5010</c> → <c>N1_0010</c>,
    /// <c>G0_9010</c> → <c>G1_4010</c> (event and modification under the security level), <c>G0_9020</c> → <c>G1_4011</c>.
    /// </summary>
    public static string PullShapeOf(CertificationCase @case)
    {
        var id = ShortId(@case);
        return @case.Exchange == Exchange.Push && PullByPush.TryGetValue(id, out var pull) ? pull : id;
    }

    /// <summary>The short ID of a case, without <c>_TH_VEN</c>.</summary>
    public static string ShortId(CertificationCase @case)
    {
        ArgumentNullException.ThrowIfNull(@case);
        return @case.Id.EndsWith("_TH_VEN", StringComparison.Ordinal) ? @case.Id[..^7] : @case.Id;
    }
}
