namespace FlexCoop.OpenAdr.Model;

/// <summary><c>oadr:oadrRequestEvent</c> (<c>pyld:eiRequestEvent</c>): a VEN asks for its events.</summary>
public sealed record OadrRequestEvent : OadrMessage
{
    /// <summary><c>pyld:requestID</c>.</summary>
    public required string RequestId { get; init; }

    /// <summary><c>ei:venID</c>.</summary>
    public required string VenId { get; init; }

    /// <summary><c>pyld:replyLimit</c>: at most this many events; optional.</summary>
    public uint? ReplyLimit { get; init; }

    public override string ElementName => "oadrRequestEvent";
}

/// <summary><c>oadr:oadrDistributeEvent</c>: the VTN sends events to VENs.</summary>
public sealed record OadrDistributeEvent : OadrMessage
{
    /// <summary><c>ei:eiResponse</c>, optional.</summary>
    public EiResponse? EiResponse { get; init; }

    /// <summary><c>pyld:requestID</c>.</summary>
    public required string RequestId { get; init; }

    /// <summary><c>ei:vtnID</c>.</summary>
    public required string VtnId { get; init; }

    /// <summary><c>oadr:oadrEvent</c>, zero or more.</summary>
    public ValueList<OadrEvent> Events { get; init; } = ValueList<OadrEvent>.Empty;

    public override string ElementName => "oadrDistributeEvent";
}

/// <summary><c>oadr:oadrEvent</c>: an event and whether the VEN must answer it.</summary>
public sealed record OadrEvent
{
    /// <summary><c>ei:eiEvent</c>.</summary>
    public required EiEvent EiEvent { get; init; }

    /// <summary><c>oadr:oadrResponseRequired</c>.</summary>
    public required ResponseRequired ResponseRequired { get; init; }
}

/// <summary><c>ei:eiEvent</c>.</summary>
public sealed record EiEvent
{
    /// <summary><c>ei:eventDescriptor</c>.</summary>
    public required EventDescriptor EventDescriptor { get; init; }

    /// <summary><c>ei:eiActivePeriod</c>.</summary>
    public required ActivePeriod ActivePeriod { get; init; }

    /// <summary><c>ei:eiEventSignals</c>.</summary>
    public required EventSignals EventSignals { get; init; }

    /// <summary><c>ei:eiTarget</c>.</summary>
    public required EiTarget Target { get; init; }
}

/// <summary><c>ei:eventDescriptor</c>.</summary>
public sealed record EventDescriptor
{
    /// <summary><c>ei:eventID</c>.</summary>
    public required string EventId { get; init; }

    /// <summary><c>ei:modificationNumber</c>.</summary>
    public required uint ModificationNumber { get; init; }

    /// <summary><c>ei:modificationDateTime</c>, optional.</summary>
    public DateTimeOffset? ModificationDateTime { get; init; }

    /// <summary><c>ei:modificationReason</c>, optional.</summary>
    public string? ModificationReason { get; init; }

    /// <summary><c>ei:priority</c>, optional (0 = none, 1 = highest).</summary>
    public uint? Priority { get; init; }

    /// <summary><c>ei:eiMarketContext/emix:marketContext</c>: the program's URI.</summary>
    public required string MarketContext { get; init; }

    /// <summary><c>ei:createdDateTime</c>.</summary>
    public required DateTimeOffset CreatedDateTime { get; init; }

    /// <summary><c>ei:eventStatus</c>.</summary>
    public required EventStatus EventStatus { get; init; }

    /// <summary><c>ei:testEvent</c>, optional (<c>true</c>/<c>false</c>, or parameters of a test).</summary>
    public string? TestEvent { get; init; }

    /// <summary><c>ei:vtnComment</c>, optional.</summary>
    public string? VtnComment { get; init; }
}

/// <summary><c>ei:eiActivePeriod</c>: when the event is active.</summary>
public sealed record ActivePeriod
{
    /// <summary><c>xcal:properties</c>.</summary>
    public required CalendarProperties Properties { get; init; }

    /// <summary>
    /// True when <c>xcal:components</c> carries <c>xsi:nil="true"</c>; it is written empty otherwise.
    /// (2.0b gives <c>xcal:components</c> no content.)
    /// </summary>
    public bool ComponentsNil { get; init; }
}

/// <summary><c>ei:eiEventSignals</c>: one or more signals and an optional baseline.</summary>
public sealed record EventSignals
{
    /// <summary><c>ei:eiEventSignal</c>, at least one.</summary>
    public required ValueList<EventSignal> Signals { get; init; }

    /// <summary><c>ei:eiEventBaseline</c>, optional.</summary>
    public EventBaseline? Baseline { get; init; }
}

/// <summary><c>ei:eiEventSignal</c>.</summary>
public sealed record EventSignal
{
    /// <summary><c>strm:intervals/ei:interval</c>, at least one.</summary>
    public required ValueList<Interval> Intervals { get; init; }

    /// <summary><c>ei:eiTarget</c>: a subset of the event's target this signal applies to; optional.</summary>
    public EiTarget? Target { get; init; }

    /// <summary><c>ei:signalName</c>.</summary>
    public required SignalName SignalName { get; init; }

    /// <summary><c>ei:signalType</c>.</summary>
    public required SignalType SignalType { get; init; }

    /// <summary><c>ei:signalID</c>.</summary>
    public required string SignalId { get; init; }

    /// <summary><c>emix:itemBase</c>: the signal's unit; optional.</summary>
    public ItemBase? ItemBase { get; init; }

    /// <summary><c>ei:currentValue/ei:payloadFloat/ei:value</c>, optional.</summary>
    public float? CurrentValue { get; init; }
}

/// <summary><c>ei:eiEventBaseline</c>.</summary>
public sealed record EventBaseline
{
    /// <summary><c>xcal:dtstart</c>.</summary>
    public required DateTimeOffset DtStart { get; init; }

    /// <summary><c>xcal:duration</c>.</summary>
    public required IsoDuration Duration { get; init; }

    /// <summary><c>strm:intervals/ei:interval</c>, at least one.</summary>
    public required ValueList<Interval> Intervals { get; init; }

    /// <summary><c>ei:baselineID</c>.</summary>
    public required string BaselineId { get; init; }

    /// <summary><c>ei:resourceID</c>, zero or more.</summary>
    public ValueList<string> ResourceIds { get; init; } = ValueList<string>.Empty;

    /// <summary><c>ei:baselineName</c>.</summary>
    public required string BaselineName { get; init; }

    /// <summary><c>emix:itemBase</c>, optional.</summary>
    public ItemBase? ItemBase { get; init; }
}

/// <summary><c>oadr:oadrCreatedEvent</c> (<c>pyld:eiCreatedEvent</c>): a VEN answers events (opt in/out).</summary>
public sealed record OadrCreatedEvent : OadrMessage
{
    /// <summary><c>ei:eiResponse</c>.</summary>
    public required EiResponse EiResponse { get; init; }

    /// <summary><c>ei:eventResponses</c>: null when the element is absent; it may be present and empty.</summary>
    public ValueList<EventResponse>? EventResponses { get; init; }

    /// <summary><c>ei:venID</c>.</summary>
    public required string VenId { get; init; }

    public override string ElementName => "oadrCreatedEvent";
}

/// <summary><c>ei:eventResponse</c>: the VEN's answer to one event.</summary>
public sealed record EventResponse
{
    /// <summary><c>ei:responseCode</c>.</summary>
    public required ResponseCode ResponseCode { get; init; }

    /// <summary><c>ei:responseDescription</c>, optional.</summary>
    public string? ResponseDescription { get; init; }

    /// <summary><c>pyld:requestID</c> of the distribute that carried the event.</summary>
    public required string RequestId { get; init; }

    /// <summary><c>ei:qualifiedEventID</c>.</summary>
    public required QualifiedEventId QualifiedEventId { get; init; }

    /// <summary><c>ei:optType</c>.</summary>
    public required OptType OptType { get; init; }
}
