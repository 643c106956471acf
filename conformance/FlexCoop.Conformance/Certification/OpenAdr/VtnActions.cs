namespace FlexCoop.Conformance.Certification.OpenAdr;

/// <summary>
/// The operator actions the VTN suite asks for, and the parameters each carries. A hook is run as
/// <c>CMD ACTION CASE-ID</c> with every parameter in an environment variable
/// <c>FLEXCOOP_ACTION_&lt;KEY&gt;</c> (see <see cref="OperatorAction.EnvironmentVariable"/>); a person
/// reads the same values in the instruction. Times are UTC ISO 8601, durations ISO 8601.
/// </summary>
public static class VtnActions
{
    /// <summary><c>no-events</c>: no pending or active event for the VEN (cancel them). Parameters: <see cref="VenId"/>.</summary>
    public const string NoEvents = "no-events";

    /// <summary>
    /// <c>create-event</c>. Parameters: <see cref="VenId"/>, <see cref="Start"/>, <see cref="Intervals"/>, <see cref="Signal"/>,
    /// <see cref="ResponseRequired"/>, optionally <see cref="SignalType"/>, <see cref="Item"/>, <see cref="MarketContext"/>,
    /// <see cref="Priority"/>, <see cref="TargetVen"/>, <see cref="StartAfter"/>, <see cref="RampUp"/>, <see cref="Recovery"/>.
    /// The VTN may refuse (the hook exits non-zero) when the event breaks a rule, e.g. rule 18.
    /// </summary>
    public const string CreateEvent = "create-event";

    /// <summary><c>modify-event</c>: event <see cref="EventId"/> gets the content given as for <see cref="CreateEvent"/>.</summary>
    public const string ModifyEvent = "modify-event";

    /// <summary><c>cancel-event</c>: cancel event <see cref="EventId"/>.</summary>
    public const string CancelEvent = "cancel-event";

    /// <summary><c>cancel-registration</c>: the VTN cancels VEN <see cref="VenId"/>'s registration.</summary>
    public const string CancelRegistration = "cancel-registration";

    /// <summary><c>request-reregistration</c>: the VTN asks VEN <see cref="VenId"/> to register again.</summary>
    public const string RequestReregistration = "request-reregistration";

    /// <summary>
    /// <c>request-report</c>: ask VEN <see cref="VenId"/> for report <see cref="ReportSpecifier"/> (or <c>METADATA</c>);
    /// optionally <see cref="RIds"/>, <see cref="Granularity"/>, <see cref="ReportBack"/>, <see cref="Start"/>, <see cref="Duration"/>.
    /// </summary>
    public const string RequestReport = "request-report";

    /// <summary>
    /// <c>cancel-report</c>: cancel request <see cref="ReportRequestId"/> of VEN <see cref="VenId"/>; <see cref="ReportToFollow"/> yes or no;
    /// <see cref="Piggyback"/> yes: send the cancellation inside the <c>oadrUpdatedReport</c> answering the VEN's next report (R1_3050).
    /// </summary>
    public const string CancelReport = "cancel-report";

    /// <summary>Every action name.</summary>
    public static IReadOnlyList<string> Names { get; } = [NoEvents, CreateEvent, ModifyEvent, CancelEvent, CancelRegistration, RequestReregistration, RequestReport, CancelReport];

    public const string VenId = "ven-id";
    public const string EventId = "event-id";
    public const string Start = "start";
    public const string Intervals = "intervals";
    public const string Signal = "signal";
    public const string SignalType = "signal-type";
    public const string Item = "item";
    public const string MarketContext = "market-context";
    public const string Priority = "priority";
    public const string ResponseRequired = "response-required";
    public const string TargetVen = "target-ven";
    public const string StartAfter = "start-after";
    public const string RampUp = "ramp-up";
    public const string Recovery = "recovery";
    public const string ReportSpecifier = "report-specifier";
    public const string RIds = "rids";
    public const string Granularity = "granularity";
    public const string ReportBack = "report-back";
    public const string Duration = "duration";
    public const string ReportRequestId = "report-request-id";
    public const string ReportToFollow = "report-to-follow";
    public const string Piggyback = "piggyback";
}
