using System.Globalization;

namespace FlexCoop.Conformance.Certification.OpenAdr;

/// <summary>
/// The 184 OpenADR 2.0b cases with a VEN under test (the harness plays the VTN): 92 pull, 92 push,
/// with the Alliance's IDs. Titles are our own one-line summaries. PICS keys of optional features:
/// <c>push</c> (every push case, rule 37), <c>preconfigured-venid</c>, <c>piggyback-cancel-report</c>,
/// <c>republish-metadata</c>, <c>request-vtn-reports</c>, <c>history-usage</c>, <c>xml-signature</c>,
/// <c>multiple-vtns</c>.
/// </summary>
public static class VenCatalogue
{
    /// <summary>PICS key: the VEN supports the push exchange (optional, rule 37).</summary>
    public const string Push = "push";

    private static readonly (string Id, string Group, string Title, string? Feature)[] PullDefinitions =
    [
        ("N1_0010", "registration", "VEN restarts and queries its registration (oadrQueryRegistration)", null),
        ("N1_0015", "registration", "registration fields, then polling at the requested oadrRequestedOadrPollFreq", null),
        ("N1_0020", "registration", "VEN without registration: query, create, created, then report registration and created report", null),
        ("N1_0025", "registration", "full registration with a pre-configured venID", "preconfigured-venid"),
        ("N1_0030", "registration", "VEN cancels its registration (oadrCancelPartyRegistration)", null),
        ("N1_0040", "registration", "VTN cancels the registration; VEN acknowledges with oadrCanceledPartyRegistration", null),
        ("N1_0050", "registration", "VTN requests re-registration (oadrRequestReregistration); VEN registers again", null),
        ("N1_0060", "registration", "VEN registers again while registered and then uses the new registration", null),
        ("N1_0065", "registration", "re-registration carries the current registrationID", null),
        ("N1_0070", "registration", "VTN cancels with a wrong registrationID: VEN answers 452 or 463 and stays registered", null),
        ("N1_0080", "registration", "VTN answers 463 (not registered): VEN registers anew", null),

        ("A_E1_0020", "event", "distribute with no events: no oadrCreatedEvent", null),
        ("A_E1_0040", "event", "ELECTRICITY_PRICE event with 24 one-hour intervals", null),
        ("A_E1_0060", "event", "event without eiTarget (empty target means this VEN)", null),
        ("A_E1_0070", "event", "event whose eiTarget names this VEN's venID", null),
        ("A_E1_0082", "event", "event whose eiTarget names another VEN: 4xx (rule 48)", null),
        ("A_E1_0086", "event", "eiTarget with several criteria, one matching (OR, rule 22)", null),
        ("A_E1_0090", "event", "oadrResponseRequired=never: the VEN stays silent (rule 12)", null),
        ("A_E1_0092", "event", "oadrResponseRequired=never on a modified event: still silent", null),
        ("A_E1_0094", "event", "modification: modificationNumber 1 under a new requestID (rule 57)", null),
        ("A_E1_0096", "event", "cancellation of a known event: acknowledged (rules 36, 59)", null),
        ("A_E1_0098", "event", "first-seen event with modificationNumber 3 (rule 56)", null),
        ("A_E1_0100", "event", "testEvent \"true\" (rule 6)", null),
        ("A_E1_0102", "event", "testEvent carrying parameters rather than true/false (rule 6)", null),
        ("A_E1_0104", "event", "three events in one oadrDistributeEvent", null),
        ("A_E1_0110", "event", "maximum-length (50) eventID and the second market context", null),
        ("A_E1_0130", "event", "two-interval event starting shortly", null),
        ("A_E1_0180", "event", "start randomisation (startafter) (rule 30)", null),
        ("A_E1_0190", "event", "randomised event cancelled explicitly (rule 65)", null),
        ("A_E1_0200", "event", "randomised event cancelled implicitly by leaving it out (rules 61, 65)", null),
        ("A_E1_0210", "event", "two sequential events, one after the other", null),
        ("A_E1_0220", "event", "VEN opts out of an active event with oadrCreateOpt (rule 17)", null),
        ("A_E1_0230", "event", "overlapping events with priorities 1 and 2", null),
        ("A_E1_0240", "event", "event in a market context the VEN is not part of: 4xx (rule 48)", null),
        ("A_E1_0250", "event", "event with status completed is still answered (rule 12)", null),
        ("A_E1_0260", "event", "unknown event already cancelled (modificationNumber 2): ignored but answered (rule 60)", null),
        ("A_E1_0262", "event", "the same cancellation sent again is answered again (rule 12)", null),
        ("A_E1_0267", "event", "valid event with an unsupported signal beside it: only the bad one rejected (rule 19)", null),
        ("A_E1_0268", "event", "valid event with a non-matching target beside it: only the bad one rejected (rule 19)", null),
        ("A_E1_0270", "event", "implied cancellation: a known event left out of the next distribute (rule 61)", null),
        ("A_E1_0280", "event", "modificationNumber going backwards: error (rule 58)", null),
        ("A_E1_0285", "event", "modificationNumber going backwards after a cancellation: error (rule 58)", null),
        ("A_E1_0300", "event", "open-ended event (duration 0, rule 47)", null),
        ("A_E1_0310", "event", "optional timing elements x-eiNotification, x-eiRampUp, x-eiRecovery (rule 46)", null),
        ("A_E1_0325", "event", "event far in the future (status far)", null),
        ("A_E1_0340", "event", "active event with currentValue (rule 14)", null),
        ("A_E1_0345", "event", "active event modified while running", null),
        ("A_E1_0360", "event", "unchanged event sent again under a new requestID: answered again", null),
        ("A_E1_0370", "event", "SIMPLE levels 0 to 3 across four intervals (rule 9)", null),
        ("A_E1_0390", "event", "overlapping events in the two market contexts (rule 18)", null),
        ("A_E1_0392", "event", "event in the second market context", null),
        ("E1_1010", "event", "empty oadrDistributeEvent: no answer, polling goes on", null),
        ("E1_1020", "event", "ELECTRICITY_PRICE event", null),
        ("E1_1025", "event", "LOAD_DISPATCH setpoint event", null),
        ("E1_1027", "event", "price event with 4 intervals and a baseline", null),
        ("E1_1030", "event", "event, then the same event modified", null),
        ("E1_1040", "event", "two events (SIMPLE and ELECTRICITY_PRICE) in one distribute", null),
        ("E1_1050", "event", "optIn/optOut in each eventResponse", null),
        ("E1_1060", "event", "VEN opts out of an event with oadrCreateOpt", null),
        ("E1_1065", "event", "VEN opts out of an event, then back in (two oadrCreateOpt for the same event)", null),
        ("E1_1070", "event", "unknown x- signal: the VEN answers 460", null),
        ("E1_1080", "event", "distribute with the wrong vtnID: the VEN answers 452 (rule 21)", null),

        ("R1_3010", "report", "one-shot TELEMETRY_STATUS report", null),
        ("R1_3020", "report", "periodic TELEMETRY_STATUS report", null),
        ("R1_3025", "report", "report request with a delayed start", null),
        ("R1_3027", "report", "two report requests a minute apart", null),
        ("R1_3030", "report", "two concurrent report requests in one oadrCreateReport", null),
        ("R1_3040", "report", "oadrCancelReport stops a periodic report", null),
        ("R1_3045", "report", "oadrCancelReport with reportToFollow: one last report", null),
        ("R1_3050", "report", "cancellation piggy-backed on oadrUpdatedReport", "piggyback-cancel-report"),
        ("R1_3060", "report", "VEN re-publishes its metadata (oadrRegisterReport)", "republish-metadata"),
        ("R1_3070", "report", "VEN requests the VTN's METADATA report", "request-vtn-reports"),
        ("R1_3080", "report", "VTN registers its reports: VEN acknowledges with oadrRegisteredReport", null),
        ("R1_3090", "report", "VEN requests a one-shot report of the VTN", "request-vtn-reports"),
        ("R1_3100", "report", "VEN requests a periodic report of the VTN, then cancels it", "request-vtn-reports"),
        ("R1_3120", "report", "VEN's cancellation piggy-backed on a VTN report", "request-vtn-reports"),
        ("R1_3130", "report", "HISTORY_USAGE report for a whole interval", "history-usage"),
        ("R1_3140", "report", "HISTORY_USAGE report for part of an interval", "history-usage"),
        ("R1_3150", "report", "one-shot TELEMETRY_USAGE report", null),
        ("R1_3160", "report", "periodic TELEMETRY_USAGE report", null),
        ("R1_3170", "report", "METADATA request: oadrCreatedReport then oadrRegisterReport (rule 304)", null),
        ("R1_3180", "report", "METADATA and TELEMETRY requests mixed in one oadrCreateReport", null),
        ("R1_3190", "report", "request for an rID the VEN does not have: 452", null),

        ("P1_2010", "opt", "opt-in schedule with two availability windows", null),
        ("P1_2015", "opt", "open-ended opt schedule (duration 0)", null),
        ("P1_2020", "opt", "opt schedule created, then cancelled (oadrCancelOpt)", null),
        ("P1_2030", "opt", "opt-out schedule for a market context", null),
        ("P1_2040", "opt", "opt-out schedule for an eiTarget or device class", null),
        ("P1_2050", "opt", "opt schedule replaced under the same optID", null),

        ("G1_4010", "general", "event and its modification over TLS 1.2 with client certificates (rules 67, 68)", null),
        ("G1_4011", "general", "event and its modification with XML signatures (high security)", "xml-signature"),
        ("G1_4015", "general", "an event and a one-shot report request together", null),
    ];

    private static readonly (string Id, string Group, string Title, string? Feature)[] PushOnly =
    [
        ("A_E0_0185", "event", "events from two VTNs", "multiple-vtns"),
        ("A_E0_0295", "event", "cancellation from the second of two VTNs", "multiple-vtns"),
    ];

    /// <summary>The 92 pull cases.</summary>
    public static IReadOnlyList<CertificationCase> Pull { get; } =
        PullDefinitions.Select(d => new CertificationCase(d.Id + "_TH_VTN", d.Title, d.Group, Exchange.Pull, d.Feature)).ToList();

    /// <summary>The 92 push cases: the pull shapes renumbered, two cases with two VTNs, one security case.</summary>
    public static IReadOnlyList<CertificationCase> PushCases { get; } = BuildPush();

    /// <summary>All 184 cases.</summary>
    public static IReadOnlyList<CertificationCase> All { get; } = [.. Pull, .. PushCases];

    private static List<CertificationCase> BuildPush()
    {
        var list = new List<CertificationCase>();
        foreach (var d in PullDefinitions)
        {
            if (d.Id.StartsWith("G1_", StringComparison.Ordinal) && d.Id != "G1_4010") continue; // push keeps one security case
            list.Add(new CertificationCase(PushIdOf(d.Id) + "_TH_VTN", d.Title, d.Group, Exchange.Push, d.Feature is null ? Push : d.Feature));
            if (d.Id == "A_E1_0180") list.Add(Make(PushOnly[0]));
            if (d.Id == "A_E1_0285") list.Add(Make(PushOnly[1]));
        }
        return list;

        static CertificationCase Make((string Id, string Group, string Title, string? Feature) d) =>
            new(d.Id + "_TH_VTN", d.Title, d.Group, Exchange.Push, d.Feature);
    }

    /// <summary>The push ID of a pull case: <c>N1_0010</c> → <c>N0_5010</c>, <c>A_E1_0020</c> → <c>A_E0_0020</c>.</summary>
    public static string PushIdOf(string pullId)
    {
        ArgumentNullException.ThrowIfNull(pullId);
        if (pullId.StartsWith("A_E1_", StringComparison.Ordinal)) return "A_E0_" + pullId[5..];
        var number = int.Parse(pullId.AsSpan(3, 4), CultureInfo.InvariantCulture) + 5000;
        return $"{pullId[0]}0_{number.ToString("D4", CultureInfo.InvariantCulture)}";
    }

    /// <summary>The pull ID whose script a case runs (itself for pull cases); null for push-only cases.</summary>
    public static string? ScriptIdOf(CertificationCase @case)
    {
        ArgumentNullException.ThrowIfNull(@case);
        var id = @case.Id.EndsWith("_TH_VTN", StringComparison.Ordinal) ? @case.Id[..^7] : @case.Id;
        if (@case.Exchange == Exchange.Pull) return id;
        return PullDefinitions.FirstOrDefault(d => PushIdOf(d.Id) == id).Id;
    }
}
