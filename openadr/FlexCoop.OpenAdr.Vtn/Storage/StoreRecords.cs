namespace FlexCoop.OpenAdr.Vtn.Storage;

/// <summary>
/// A VEN the VTN knows: its identity (certificate fingerprint) and, while registered, its
/// registration. <see cref="RegistrationId"/> is null once the registration is cancelled; the
/// identity (venID bound to the fingerprint) is kept so the same certificate gets the same venID.
/// </summary>
public sealed record VenRecord
{
    /// <summary>The venID the VTN issued or accepted.</summary>
    public required string VenId { get; init; }

    /// <summary><c>oadrVenName</c> as the VEN gave it.</summary>
    public string? VenName { get; init; }

    /// <summary>The client certificate's fingerprint (<c>AA:BB:…</c>); empty on plain HTTP.</summary>
    public required string Fingerprint { get; init; }

    /// <summary>The current registrationID; null when not registered.</summary>
    public string? RegistrationId { get; init; }

    /// <summary><c>oadrProfileName</c>, e.g. <c>2.0b</c>.</summary>
    public string ProfileName { get; init; } = "2.0b";

    /// <summary><c>oadrTransportName</c>, e.g. <c>simpleHttp</c>.</summary>
    public string TransportName { get; init; } = "simpleHttp";

    /// <summary><c>oadrTransportAddress</c>: where a push VEN listens; null for a pull VEN.</summary>
    public string? TransportAddress { get; init; }

    /// <summary><c>oadrHttpPullModel</c>: true when the VEN polls.</summary>
    public bool HttpPullModel { get; init; } = true;

    /// <summary><c>oadrReportOnly</c>.</summary>
    public bool ReportOnly { get; init; }

    /// <summary><c>oadrXmlSignature</c>.</summary>
    public bool XmlSignature { get; init; }

    /// <summary>When the VEN was first seen.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the record last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>True while a registration is in force.</summary>
    public bool IsRegistered => RegistrationId is not null;

    /// <summary>True when the VTN must POST to the VEN rather than wait for its poll.</summary>
    public bool IsPush => !HttpPullModel && TransportAddress is { Length: > 0 };
}

/// <summary>One interval of an event signal: its length and its value.</summary>
/// <param name="Duration">The interval's length.</param>
/// <param name="Value">The signal's value during it.</param>
public sealed record VtnInterval(TimeSpan Duration, double Value);

/// <summary>The <c>itemBase</c> of an event signal, in the few forms the VTN's operators use.</summary>
public enum VtnItemKind
{
    /// <summary>No itemBase (SIMPLE, LOAD_CONTROL levels).</summary>
    None,
    /// <summary><c>powerReal</c> in W with the signal's scale (LOAD_DISPATCH setpoints).</summary>
    PowerReal,
    /// <summary><c>energyReal</c> in Wh with the signal's scale.</summary>
    EnergyReal,
    /// <summary><c>currencyPerKWh</c> in the signal's currency (ELECTRICITY_PRICE).</summary>
    CurrencyPerKWh,
}

/// <summary>One event signal as the VTN keeps it.</summary>
public sealed record VtnEventSignal
{
    /// <summary><c>signalName</c>, e.g. <c>SIMPLE</c>, <c>ELECTRICITY_PRICE</c>.</summary>
    public required string SignalName { get; init; }

    public required Model.SignalType SignalType { get; init; }

    public required string SignalId { get; init; }

    public double? CurrentValue { get; init; }

    /// <summary>Consecutive intervals from the event's dtstart; their durations add up to the event's (rule 8).</summary>
    public IReadOnlyList<VtnInterval> Intervals { get; init; } = [];

    public VtnItemKind Item { get; init; }

    /// <summary>The SI scale of a power or energy item (<c>k</c> for kW).</summary>
    public Model.SiScaleCode Scale { get; init; } = Model.SiScaleCode.None;

    /// <summary>The ISO 4217 code of a price item.</summary>
    public string? Currency { get; init; }
}

/// <summary>
/// The <c>eiTarget</c> criteria of an event or opt. Empty means "every VEN that receives it";
/// several criteria are OR'ed (rule 22).
/// </summary>
public sealed record VtnTargets
{
    public static readonly VtnTargets Everyone = new();

    public IReadOnlyList<string> VenIds { get; init; } = [];

    public IReadOnlyList<string> GroupIds { get; init; } = [];

    public IReadOnlyList<string> ResourceIds { get; init; } = [];

    public IReadOnlyList<string> PartyIds { get; init; } = [];

    /// <summary>True when no criterion is given.</summary>
    public bool IsEmpty => VenIds.Count == 0 && GroupIds.Count == 0 && ResourceIds.Count == 0 && PartyIds.Count == 0;
}

/// <summary>
/// One version of a VTN event (the <c>eiEvent</c> without its clock-derived status). A change
/// is stored as a new version with <see cref="ModificationNumber"/> one higher (rules 4, 5).
/// </summary>
public sealed record VtnEvent
{
    public required string EventId { get; init; }

    public long ModificationNumber { get; init; }

    public string? ModificationReason { get; init; }

    public required string MarketContext { get; init; }

    /// <summary>0 is the highest priority; larger numbers are lower (<c>ei:priority</c>).</summary>
    public long Priority { get; init; }

    public DateTimeOffset CreatedDateTime { get; init; }

    /// <summary>When this version was made.</summary>
    public DateTimeOffset ModificationDateTime { get; init; }

    public required DateTimeOffset DtStart { get; init; }

    /// <summary>The active period's length; zero means open-ended until cancelled (rule 47).</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>The start randomisation window (<c>tolerance/tolerate/startafter</c>); null for none.</summary>
    public TimeSpan? StartAfter { get; init; }

    public TimeSpan? Notification { get; init; }

    public TimeSpan? RampUp { get; init; }

    public TimeSpan? Recovery { get; init; }

    /// <summary><c>testEvent</c>: null when absent; any value other than <c>false</c> marks a test event (rule 6).</summary>
    public string? TestEvent { get; init; }

    public string? VtnComment { get; init; }

    /// <summary><c>oadrResponseRequired</c>: true for <c>always</c>, false for <c>never</c>.</summary>
    public bool ResponseRequired { get; init; } = true;

    /// <summary>True once the event is cancelled (a cancellation is a modification, rule 5).</summary>
    public bool Cancelled { get; init; }

    public IReadOnlyList<VtnEventSignal> Signals { get; init; } = [];

    public VtnTargets Targets { get; init; } = VtnTargets.Everyone;

    /// <summary>When the event stops being distributed: dtstart + duration + startafter (rule 66); null when open-ended.</summary>
    public DateTimeOffset? DistributeUntil =>
        Duration == TimeSpan.Zero ? null : DtStart + Duration + (StartAfter ?? TimeSpan.Zero);
}

/// <summary>A VEN's answer to one event (from <c>oadrCreatedEvent</c> or an event opt).</summary>
public sealed record EventResponseRecord
{
    public required string EventId { get; init; }

    public required string VenId { get; init; }

    public long ModificationNumber { get; init; }

    /// <summary><c>optIn</c> or <c>optOut</c>.</summary>
    public required string OptType { get; init; }

    public required string ResponseCode { get; init; }

    public string? RequestId { get; init; }

    /// <summary>Where it came from: <c>oadrCreatedEvent</c> or <c>oadrCreateOpt</c> (rule 206: the opt wins).</summary>
    public required string Source { get; init; }

    public DateTimeOffset ReceivedAt { get; init; }
}

/// <summary>One availability window of an opt schedule; a zero duration is open-ended.</summary>
public sealed record OptWindow(DateTimeOffset DtStart, TimeSpan Duration);

/// <summary>An <c>oadrCreateOpt</c>: an availability schedule or an opt on one event.</summary>
public sealed record OptRecord
{
    public required string OptId { get; init; }

    public required string VenId { get; init; }

    /// <summary><c>optIn</c> or <c>optOut</c>.</summary>
    public required string OptType { get; init; }

    public required string OptReason { get; init; }

    public string? MarketContext { get; init; }

    public string? EventId { get; init; }

    public long? ModificationNumber { get; init; }

    public IReadOnlyList<OptWindow> Windows { get; init; } = [];

    public VtnTargets Targets { get; init; } = VtnTargets.Everyone;

    public string? RequestId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public bool Cancelled { get; init; }
}

/// <summary>One data point a VEN or the VTN can report (an <c>oadrReportDescription</c>).</summary>
public sealed record ReportDescriptionRecord
{
    public required string RId { get; init; }

    public required string ReportType { get; init; }

    public required string ReadingType { get; init; }

    public string? ResourceId { get; init; }

    public string? MarketContext { get; init; }

    public string? ItemKind { get; init; }

    public string? ItemUnits { get; init; }

    public TimeSpan? MinPeriod { get; init; }

    public TimeSpan? MaxPeriod { get; init; }

    public bool OnChange { get; init; }
}

/// <summary>A report a VEN announced in <c>oadrRegisterReport</c> (its metadata).</summary>
public sealed record VenReportRecord
{
    public required string VenId { get; init; }

    public required string ReportSpecifierId { get; init; }

    /// <summary><c>reportName</c> without the <c>METADATA_</c> prefix, e.g. <c>TELEMETRY_USAGE</c>.</summary>
    public required string ReportName { get; init; }

    public TimeSpan? Duration { get; init; }

    public IReadOnlyList<ReportDescriptionRecord> Descriptions { get; init; } = [];

    public DateTimeOffset RegisteredAt { get; init; }
}

/// <summary>The state of a report request.</summary>
public enum ReportRequestState
{
    /// <summary>Sent (or queued) to the VEN, not yet acknowledged.</summary>
    Requested,
    /// <summary>Acknowledged with <c>oadrCreatedReport</c>; reports may arrive.</summary>
    Active,
    /// <summary>Cancelled; the VEN may still send one more report when <c>reportToFollow</c>.</summary>
    Cancelled,
    /// <summary>Its report period is over.</summary>
    Completed,
}

/// <summary>
/// A report request (<c>oadrReportRequest</c>) made by the VTN to a VEN. A zero
/// <see cref="Granularity"/> with zero <see cref="ReportBackDuration"/> is a one-shot request.
/// </summary>
public sealed record ReportRequestRecord
{
    public required string ReportRequestId { get; init; }

    public required string VenId { get; init; }

    public required string ReportSpecifierId { get; init; }

    public IReadOnlyList<string> RIds { get; init; } = [];

    public TimeSpan Granularity { get; init; }

    public TimeSpan ReportBackDuration { get; init; }

    /// <summary>When reporting starts; null for now.</summary>
    public DateTimeOffset? Start { get; init; }

    /// <summary>How long reporting lasts; null or zero for open-ended.</summary>
    public TimeSpan? Duration { get; init; }

    public ReportRequestState State { get; init; }

    /// <summary>Set on cancellation: the VEN may send one last report (<c>reportToFollow</c>).</summary>
    public bool ReportToFollow { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>
/// One reading from an <c>oadrUpdateReport</c>. <see cref="Value"/> holds a numeric payload;
/// <see cref="PayloadText"/> holds a non-numeric one (a resource status as
/// <c>online=true;manualOverride=false;...</c>).
/// </summary>
public sealed record ReportReadingRecord
{
    public required string VenId { get; init; }

    public required string ReportRequestId { get; init; }

    public required string ReportSpecifierId { get; init; }

    public required string RId { get; init; }

    public required DateTimeOffset DtStart { get; init; }

    public TimeSpan Duration { get; init; }

    public double? Value { get; init; }

    public string? PayloadText { get; init; }

    public string? DataQuality { get; init; }

    public DateTimeOffset ReceivedAt { get; init; }
}

/// <summary>How a queued message reaches its VEN.</summary>
public enum OutboundChannel
{
    /// <summary>Handed out in the answer to the VEN's next <c>oadrPoll</c>.</summary>
    Poll,
    /// <summary>POSTed by the VTN to the VEN's transport address.</summary>
    Push,
}

/// <summary>Where a queued message is in its life.</summary>
public enum OutboundState
{
    Pending,
    Delivered,
    Failed,
}

/// <summary>
/// A message due to a VEN. <see cref="Body"/> is the serialised <c>oadrPayload</c>, or null
/// for a message the VTN builds when it is delivered (a distribute reflects the events current at delivery time).
/// </summary>
public sealed record OutboundMessage
{
    public long Id { get; init; }

    public required string VenId { get; init; }

    /// <summary>The payload's element name, e.g. <c>oadrDistributeEvent</c>.</summary>
    public required string Kind { get; init; }

    public string? Body { get; init; }

    public OutboundChannel Channel { get; init; }

    public OutboundState State { get; init; }

    public int Attempts { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset NextAttemptAt { get; init; }

    public string? LastError { get; init; }
}

/// <summary>What to enqueue: see <see cref="OutboundMessage"/>.</summary>
/// <param name="VenId">The recipient.</param>
/// <param name="Kind">The payload's element name.</param>
/// <param name="Body">The serialised payload, or null to build it at delivery.</param>
/// <param name="Channel">Poll or push.</param>
/// <param name="Coalesce">When true and a pending message of the same kind (and a null body) is already queued for the VEN and not leased for delivery, nothing is added.</param>
public sealed record OutboundRequest(string VenId, string Kind, string? Body, OutboundChannel Channel, bool Coalesce = false);
