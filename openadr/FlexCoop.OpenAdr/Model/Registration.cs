namespace FlexCoop.OpenAdr.Model;

/// <summary><c>oadr:oadrQueryRegistration</c>: a VEN asks the VTN what it supports before registering.</summary>
public sealed record OadrQueryRegistration : OadrMessage
{
    /// <summary><c>pyld:requestID</c>.</summary>
    public required string RequestId { get; init; }

    public override string ElementName => "oadrQueryRegistration";
}

/// <summary><c>oadr:oadrCreatePartyRegistration</c>: a VEN registers (or re-registers) with a VTN.</summary>
public sealed record OadrCreatePartyRegistration : OadrMessage
{
    /// <summary><c>pyld:requestID</c>.</summary>
    public required string RequestId { get; init; }

    /// <summary><c>ei:registrationID</c>: present when re-registering; optional.</summary>
    public string? RegistrationId { get; init; }

    /// <summary><c>ei:venID</c>, optional.</summary>
    public string? VenId { get; init; }

    /// <summary><c>oadr:oadrProfileName</c>.</summary>
    public required OadrProfileName ProfileName { get; init; }

    /// <summary><c>oadr:oadrTransportName</c>.</summary>
    public required OadrTransportName TransportName { get; init; }

    /// <summary><c>oadr:oadrTransportAddress</c>: where a push VEN listens; optional.</summary>
    public string? TransportAddress { get; init; }

    /// <summary><c>oadr:oadrReportOnly</c>.</summary>
    public required bool ReportOnly { get; init; }

    /// <summary><c>oadr:oadrXmlSignature</c>.</summary>
    public required bool XmlSignature { get; init; }

    /// <summary><c>oadr:oadrVenName</c>, optional.</summary>
    public string? VenName { get; init; }

    /// <summary><c>oadr:oadrHttpPullModel</c>, optional.</summary>
    public bool? HttpPullModel { get; init; }

    public override string ElementName => "oadrCreatePartyRegistration";
}

/// <summary><c>oadr:oadrCreatedPartyRegistration</c>: the VTN's answer to a query or a registration.</summary>
public sealed record OadrCreatedPartyRegistration : OadrMessage
{
    /// <summary><c>ei:eiResponse</c>.</summary>
    public required EiResponse EiResponse { get; init; }

    /// <summary><c>ei:registrationID</c>, optional.</summary>
    public string? RegistrationId { get; init; }

    /// <summary><c>ei:venID</c>, optional.</summary>
    public string? VenId { get; init; }

    /// <summary><c>ei:vtnID</c>.</summary>
    public required string VtnId { get; init; }

    /// <summary><c>oadr:oadrProfiles/oadr:oadrProfile</c>, at least one.</summary>
    public required ValueList<OadrProfile> Profiles { get; init; }

    /// <summary><c>oadr:oadrRequestedOadrPollFreq</c>, optional.</summary>
    public IsoDuration? RequestedOadrPollFreq { get; init; }

    /// <summary><c>oadr:oadrServiceSpecificInfo/oadr:oadrService</c>: null when absent; may be present and empty.</summary>
    public ValueList<OadrService>? ServiceSpecificInfo { get; init; }

    /// <summary><c>oadr:oadrExtensions/oadr:oadrExtension</c>: null when absent; may be present and empty.</summary>
    public ValueList<OadrExtension>? Extensions { get; init; }

    public override string ElementName => "oadrCreatedPartyRegistration";
}

/// <summary><c>oadr:oadrProfile</c>: a profile the VTN supports and its transports.</summary>
public sealed record OadrProfile
{
    /// <summary><c>oadr:oadrProfileName</c>.</summary>
    public required OadrProfileName ProfileName { get; init; }

    /// <summary><c>oadr:oadrTransports/oadr:oadrTransport/oadr:oadrTransportName</c>, at least one.</summary>
    public required ValueList<OadrTransportName> Transports { get; init; }
}

/// <summary><c>oadr:oadrService</c>: key/value information for one service.</summary>
public sealed record OadrService
{
    /// <summary><c>oadr:oadrServiceName</c>.</summary>
    public required OadrServiceName ServiceName { get; init; }

    /// <summary><c>oadr:oadrInfo</c>, at least one.</summary>
    public required ValueList<OadrInfo> Info { get; init; }
}

/// <summary><c>oadr:oadrInfo</c>.</summary>
public sealed record OadrInfo
{
    /// <summary><c>oadr:oadrKey</c>.</summary>
    public required string Key { get; init; }

    /// <summary><c>oadr:oadrValue</c>.</summary>
    public required string Value { get; init; }
}

/// <summary><c>oadr:oadrExtension</c>.</summary>
public sealed record OadrExtension
{
    /// <summary><c>oadr:oadrExtensionName</c>.</summary>
    public required string Name { get; init; }

    /// <summary><c>oadr:oadrInfo</c>, zero or more.</summary>
    public ValueList<OadrInfo> Info { get; init; } = ValueList<OadrInfo>.Empty;
}

/// <summary><c>oadr:oadrCancelPartyRegistration</c>: ends a registration.</summary>
public sealed record OadrCancelPartyRegistration : OadrMessage
{
    /// <summary><c>pyld:requestID</c>.</summary>
    public required string RequestId { get; init; }

    /// <summary><c>ei:registrationID</c>.</summary>
    public required string RegistrationId { get; init; }

    /// <summary><c>ei:venID</c>, optional.</summary>
    public string? VenId { get; init; }

    public override string ElementName => "oadrCancelPartyRegistration";
}

/// <summary><c>oadr:oadrCanceledPartyRegistration</c>: acknowledges a cancellation.</summary>
public sealed record OadrCanceledPartyRegistration : OadrMessage
{
    /// <summary><c>ei:eiResponse</c>.</summary>
    public required EiResponse EiResponse { get; init; }

    /// <summary><c>ei:registrationID</c>, optional.</summary>
    public string? RegistrationId { get; init; }

    /// <summary><c>ei:venID</c>, optional.</summary>
    public string? VenId { get; init; }

    public override string ElementName => "oadrCanceledPartyRegistration";
}

/// <summary><c>oadr:oadrRequestReregistration</c>: the VTN asks a VEN to register again.</summary>
public sealed record OadrRequestReregistration : OadrMessage
{
    /// <summary><c>ei:venID</c>.</summary>
    public required string VenId { get; init; }

    public override string ElementName => "oadrRequestReregistration";
}
