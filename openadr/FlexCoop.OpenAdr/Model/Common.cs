namespace FlexCoop.OpenAdr.Model;

/// <summary>
/// XML the model does not type: the GreenButton <c>atom:feed</c> (whose schema is open, <c>xs:any</c>).
/// Kept as the element's outer XML, namespaces declared on it, so it can be written back as it came.
/// </summary>
/// <param name="OuterXml">The element and its content.</param>
public sealed record OpaqueXml(string OuterXml)
{
    public override string ToString() => OuterXml;
}

/// <summary><c>ei:eiResponse</c>: the outcome of a request.</summary>
public sealed record EiResponse
{
    /// <summary><c>ei:responseCode</c>.</summary>
    public required ResponseCode ResponseCode { get; init; }

    /// <summary><c>ei:responseDescription</c>, optional.</summary>
    public string? ResponseDescription { get; init; }

    /// <summary><c>pyld:requestID</c> of the request answered (may be empty).</summary>
    public required string RequestId { get; init; }
}

/// <summary><c>ei:qualifiedEventID</c>: an event and the modification it refers to.</summary>
public sealed record QualifiedEventId
{
    /// <summary><c>ei:eventID</c>.</summary>
    public required string EventId { get; init; }

    /// <summary><c>ei:modificationNumber</c>.</summary>
    public required uint ModificationNumber { get; init; }
}

/// <summary><c>power:transportInterface</c>: a point of receipt and one of delivery.</summary>
public sealed record TransportInterface
{
    /// <summary><c>power:pointOfReceipt</c>.</summary>
    public required string PointOfReceipt { get; init; }

    /// <summary><c>power:pointOfDelivery</c>.</summary>
    public required string PointOfDelivery { get; init; }
}

/// <summary>
/// <c>gml:FeatureCollection</c> as 2.0b restricts it: one polygon given by the positions of its exterior ring
/// (<c>location/Polygon/exterior/LinearRing/posList</c>).
/// </summary>
public sealed record GmlFeatureCollection
{
    /// <summary><c>gml:id</c> of the collection, optional (an XML ID: unique in the document).</summary>
    public string? Id { get; init; }

    /// <summary><c>gml:id</c> of the polygon, optional (an XML ID: unique in the document).</summary>
    public string? PolygonId { get; init; }

    /// <summary><c>gml:posList</c>: coordinates, in pairs as the sender wrote them.</summary>
    public ValueList<double> PositionList { get; init; } = ValueList<double>.Empty;
}

/// <summary>
/// <c>ei:eiTarget</c> (also <c>oadr:oadrDeviceClass</c>, <c>ei:reportSubject</c>, <c>ei:reportDataSource</c>):
/// who or what a message applies to. Every list may be empty; order is kept.
/// </summary>
public sealed record EiTarget
{
    /// <summary>A target with no entries (the whole VEN).</summary>
    public static readonly EiTarget Empty = new();

    /// <summary><c>power:aggregatedPnode/power:node</c>.</summary>
    public ValueList<string> AggregatedPnodes { get; init; } = ValueList<string>.Empty;

    /// <summary><c>power:endDeviceAsset/power:mrid</c>.</summary>
    public ValueList<string> EndDeviceAssets { get; init; } = ValueList<string>.Empty;

    /// <summary><c>power:meterAsset/power:mrid</c>.</summary>
    public ValueList<string> MeterAssets { get; init; } = ValueList<string>.Empty;

    /// <summary><c>power:pnode/power:node</c>.</summary>
    public ValueList<string> Pnodes { get; init; } = ValueList<string>.Empty;

    /// <summary><c>emix:serviceArea/gml:FeatureCollection</c>.</summary>
    public ValueList<GmlFeatureCollection> ServiceAreas { get; init; } = ValueList<GmlFeatureCollection>.Empty;

    /// <summary><c>power:serviceDeliveryPoint/power:node</c>.</summary>
    public ValueList<string> ServiceDeliveryPoints { get; init; } = ValueList<string>.Empty;

    /// <summary><c>power:serviceLocation/gml:FeatureCollection</c>.</summary>
    public ValueList<GmlFeatureCollection> ServiceLocations { get; init; } = ValueList<GmlFeatureCollection>.Empty;

    /// <summary><c>power:transportInterface</c>.</summary>
    public ValueList<TransportInterface> TransportInterfaces { get; init; } = ValueList<TransportInterface>.Empty;

    /// <summary><c>ei:groupID</c>.</summary>
    public ValueList<string> GroupIds { get; init; } = ValueList<string>.Empty;

    /// <summary><c>ei:groupName</c>.</summary>
    public ValueList<string> GroupNames { get; init; } = ValueList<string>.Empty;

    /// <summary><c>ei:resourceID</c>.</summary>
    public ValueList<string> ResourceIds { get; init; } = ValueList<string>.Empty;

    /// <summary><c>ei:venID</c>.</summary>
    public ValueList<string> VenIds { get; init; } = ValueList<string>.Empty;

    /// <summary><c>ei:partyID</c>.</summary>
    public ValueList<string> PartyIds { get; init; } = ValueList<string>.Empty;

    /// <summary>True when every list is empty.</summary>
    public bool IsEmpty =>
        AggregatedPnodes.Count + EndDeviceAssets.Count + MeterAssets.Count + Pnodes.Count + ServiceAreas.Count
        + ServiceDeliveryPoints.Count + ServiceLocations.Count + TransportInterfaces.Count + GroupIds.Count
        + GroupNames.Count + ResourceIds.Count + VenIds.Count + PartyIds.Count == 0;
}

/// <summary><c>xcal:tolerance/xcal:tolerate</c>: how late a VEN may start.</summary>
public sealed record Tolerance
{
    /// <summary><c>xcal:startafter</c>: the start may be randomised within this window; optional.</summary>
    public IsoDuration? StartAfter { get; init; }
}

/// <summary>
/// <c>xcal:properties</c>: a calendar interval. Used for an event's active period, an opt schedule's
/// available interval and a report request's <c>reportInterval</c>.
/// </summary>
public sealed record CalendarProperties
{
    /// <summary><c>xcal:dtstart/xcal:date-time</c>, UTC.</summary>
    public required DateTimeOffset DtStart { get; init; }

    /// <summary><c>xcal:duration/xcal:duration</c>.</summary>
    public required IsoDuration Duration { get; init; }

    /// <summary><c>xcal:tolerance</c>, optional.</summary>
    public Tolerance? Tolerance { get; init; }

    /// <summary><c>ei:x-eiNotification</c>: how long before the start the event is announced; optional.</summary>
    public IsoDuration? Notification { get; init; }

    /// <summary><c>ei:x-eiRampUp</c>, optional.</summary>
    public IsoDuration? RampUp { get; init; }

    /// <summary><c>ei:x-eiRecovery</c>, optional.</summary>
    public IsoDuration? Recovery { get; init; }
}

/// <summary>
/// <c>ei:interval</c>: one interval of a signal, baseline or report, with its payloads (at least one).
/// </summary>
public sealed record Interval
{
    /// <summary><c>xcal:dtstart</c>, optional (event intervals follow on from the active period's start).</summary>
    public DateTimeOffset? DtStart { get; init; }

    /// <summary><c>xcal:duration</c>, optional.</summary>
    public IsoDuration? Duration { get; init; }

    /// <summary><c>xcal:uid/xcal:text</c>, optional: the interval's number within the signal.</summary>
    public string? Uid { get; init; }

    /// <summary>The <c>strm:streamPayloadBase</c> elements (at least one in a valid message).</summary>
    public required ValueList<StreamPayload> Payloads { get; init; }
}
