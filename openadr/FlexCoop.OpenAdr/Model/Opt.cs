namespace FlexCoop.OpenAdr.Model;

/// <summary>
/// <c>oadr:oadrCreateOpt</c>: a VEN opts in or out of an event (<see cref="QualifiedEventId"/>) or declares an
/// availability schedule (<see cref="Vavailability"/>).
/// </summary>
public sealed record OadrCreateOpt : OadrMessage
{
    /// <summary><c>ei:optID</c>.</summary>
    public required string OptId { get; init; }

    /// <summary><c>ei:optType</c>.</summary>
    public required OptType OptType { get; init; }

    /// <summary><c>ei:optReason</c>.</summary>
    public required OptReason OptReason { get; init; }

    /// <summary><c>emix:marketContext</c>, optional.</summary>
    public string? MarketContext { get; init; }

    /// <summary><c>ei:venID</c>.</summary>
    public required string VenId { get; init; }

    /// <summary><c>xcal:vavailability</c>: the schedule, optional.</summary>
    public Vavailability? Vavailability { get; init; }

    /// <summary><c>ei:createdDateTime</c>.</summary>
    public required DateTimeOffset CreatedDateTime { get; init; }

    /// <summary><c>pyld:requestID</c>.</summary>
    public required string RequestId { get; init; }

    /// <summary><c>ei:qualifiedEventID</c>: the event opted, optional.</summary>
    public QualifiedEventId? QualifiedEventId { get; init; }

    /// <summary><c>ei:eiTarget</c>.</summary>
    public required EiTarget Target { get; init; }

    /// <summary><c>oadr:oadrDeviceClass</c>, optional.</summary>
    public EiTarget? DeviceClass { get; init; }

    public override string ElementName => "oadrCreateOpt";
}

/// <summary><c>xcal:vavailability</c>: the intervals of an opt schedule.</summary>
public sealed record Vavailability
{
    /// <summary><c>xcal:components/xcal:available/xcal:properties</c>, zero or more.</summary>
    public ValueList<CalendarProperties> Available { get; init; } = ValueList<CalendarProperties>.Empty;
}

/// <summary><c>oadr:oadrCreatedOpt</c>: acknowledges a create opt.</summary>
public sealed record OadrCreatedOpt : OadrMessage
{
    /// <summary><c>ei:eiResponse</c>.</summary>
    public required EiResponse EiResponse { get; init; }

    /// <summary><c>ei:optID</c>.</summary>
    public required string OptId { get; init; }

    public override string ElementName => "oadrCreatedOpt";
}

/// <summary><c>oadr:oadrCancelOpt</c>: withdraws an opt schedule.</summary>
public sealed record OadrCancelOpt : OadrMessage
{
    /// <summary><c>pyld:requestID</c>.</summary>
    public required string RequestId { get; init; }

    /// <summary><c>ei:optID</c>.</summary>
    public required string OptId { get; init; }

    /// <summary><c>ei:venID</c>.</summary>
    public required string VenId { get; init; }

    public override string ElementName => "oadrCancelOpt";
}

/// <summary><c>oadr:oadrCanceledOpt</c>: acknowledges a cancel opt.</summary>
public sealed record OadrCanceledOpt : OadrMessage
{
    /// <summary><c>ei:eiResponse</c>.</summary>
    public required EiResponse EiResponse { get; init; }

    /// <summary><c>ei:optID</c>, optional.</summary>
    public string? OptId { get; init; }

    public override string ElementName => "oadrCanceledOpt";
}
