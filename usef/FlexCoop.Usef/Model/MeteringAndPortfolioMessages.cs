namespace FlexCoop.Usef;

/// <summary>One <c>ISP</c> of a metering profile: the value at the end of ISP <c>Start</c>.</summary>
public readonly record struct MeteringIsp(int Start, decimal Value);

/// <summary><c>Profile</c> of a Metering message.</summary>
public sealed record MeteringProfile(MeteringProfileType ProfileType, MeteringUnit Unit, ValueList<MeteringIsp> Isps);

/// <summary><c>Metering</c> (AGR → DSO): metered values of one connection for one day.</summary>
public sealed record Metering : PayloadMessage
{
    /// <summary><c>Revision</c>.</summary>
    public required long Revision { get; init; }

    /// <summary><c>ISP-Duration</c>.</summary>
    public required TimeSpan IspDuration { get; init; }

    /// <summary><c>TimeZone</c>.</summary>
    public required string TimeZone { get; init; }

    /// <summary><c>Currency</c>.</summary>
    public string? Currency { get; init; }

    /// <summary><c>Period</c>.</summary>
    public required DateOnly Period { get; init; }

    /// <summary><c>EAN</c> of the meter (E followed by 16 or 18 digits).</summary>
    public required string Ean { get; init; }

    /// <summary>The <c>Profile</c> elements.</summary>
    public required ValueList<MeteringProfile> Profiles { get; init; }

    public override UftpMessageType MessageType => UftpMessageType.Metering;
}

/// <summary><c>MeteringResponse</c> (DSO → AGR).</summary>
public sealed record MeteringResponse : PayloadMessageResponse
{
    /// <summary><c>MeteringMessageID</c>.</summary>
    public required Guid MeteringMessageId { get; init; }

    public override UftpMessageType MessageType => UftpMessageType.MeteringResponse;
}

/// <summary><c>Connection</c> of an AGRPortfolioUpdate.</summary>
public sealed record AgrPortfolioUpdateConnection(EntityAddress EntityAddress, DateOnly StartPeriod, DateOnly? EndPeriod = null);

/// <summary><c>AGRPortfolioUpdate</c> (AGR → CRO): the connections the AGR represents.</summary>
public sealed record AgrPortfolioUpdate : PayloadMessage
{
    /// <summary><c>TimeZone</c>.</summary>
    public required string TimeZone { get; init; }

    /// <summary>The <c>Connection</c> elements.</summary>
    public required ValueList<AgrPortfolioUpdateConnection> Connections { get; init; }

    public override UftpMessageType MessageType => UftpMessageType.AGRPortfolioUpdate;
}

/// <summary><c>AGRPortfolioUpdateResponse</c> (CRO → AGR).</summary>
public sealed record AgrPortfolioUpdateResponse : PayloadMessageResponse
{
    /// <summary><c>AGRPortfolioUpdateMessageID</c>.</summary>
    public required Guid AgrPortfolioUpdateMessageId { get; init; }

    public override UftpMessageType MessageType => UftpMessageType.AGRPortfolioUpdateResponse;
}

/// <summary><c>AGRPortfolioQuery</c> (AGR → CRO).</summary>
public sealed record AgrPortfolioQuery : PayloadMessage
{
    /// <summary><c>TimeZone</c>.</summary>
    public required string TimeZone { get; init; }

    /// <summary><c>Period</c>.</summary>
    public required DateOnly Period { get; init; }

    public override UftpMessageType MessageType => UftpMessageType.AGRPortfolioQuery;
}

/// <summary>A <c>Connection</c> reference (EntityAddress only) in an AGRPortfolioQueryResponse.</summary>
public sealed record PortfolioConnection(EntityAddress EntityAddress);

/// <summary><c>CongestionPoint</c> of a DSO-Portfolio in an AGRPortfolioQueryResponse.</summary>
public sealed record AgrPortfolioCongestionPoint(
    EntityAddress EntityAddress,
    bool MutexOffersSupported,
    RedispatchBy DayAheadRedispatchBy,
    RedispatchBy? IntradayRedispatchBy,
    ValueList<PortfolioConnection> Connections);

/// <summary><c>DSO-Portfolio</c> in an AGRPortfolioQueryResponse.</summary>
public sealed record DsoPortfolio(string DsoDomain, ValueList<AgrPortfolioCongestionPoint> CongestionPoints);

/// <summary><c>DSO-View</c> in an AGRPortfolioQueryResponse: portfolios, then connections outside any congestion point.</summary>
public sealed record DsoView(ValueList<DsoPortfolio> DsoPortfolios, ValueList<PortfolioConnection> Connections);

/// <summary><c>AGRPortfolioQueryResponse</c> (CRO → AGR).</summary>
public sealed record AgrPortfolioQueryResponse : PayloadMessageResponse
{
    /// <summary><c>TimeZone</c>.</summary>
    public required string TimeZone { get; init; }

    /// <summary><c>AGRPortfolioQueryMessageID</c>.</summary>
    public required Guid AgrPortfolioQueryMessageId { get; init; }

    /// <summary><c>Period</c>.</summary>
    public required DateOnly Period { get; init; }

    /// <summary>The <c>DSO-View</c> elements (at least one).</summary>
    public required ValueList<DsoView> DsoViews { get; init; }

    public override UftpMessageType MessageType => UftpMessageType.AGRPortfolioQueryResponse;
}

/// <summary><c>Connection</c> of a DSOPortfolioUpdate congestion point.</summary>
public sealed record DsoPortfolioUpdateConnection(EntityAddress EntityAddress, DateOnly StartPeriod, DateOnly? EndPeriod = null);

/// <summary><c>CongestionPoint</c> of a DSOPortfolioUpdate.</summary>
public sealed record DsoPortfolioUpdateCongestionPoint
{
    /// <summary><c>EntityAddress</c>.</summary>
    public required EntityAddress EntityAddress { get; init; }

    /// <summary><c>StartPeriod</c>.</summary>
    public required DateOnly StartPeriod { get; init; }

    /// <summary><c>EndPeriod</c>.</summary>
    public DateOnly? EndPeriod { get; init; }

    /// <summary><c>MutexOffersSupported</c>.</summary>
    public required bool MutexOffersSupported { get; init; }

    /// <summary><c>DayAheadRedispatchBy</c>.</summary>
    public required RedispatchBy DayAheadRedispatchBy { get; init; }

    /// <summary><c>IntradayRedispatchBy</c>: absent when there is no intraday trading.</summary>
    public RedispatchBy? IntradayRedispatchBy { get; init; }

    /// <summary>The <c>Connection</c> elements (at least one).</summary>
    public required ValueList<DsoPortfolioUpdateConnection> Connections { get; init; }
}

/// <summary><c>DSOPortfolioUpdate</c> (DSO → CRO): congestion points and their connections.</summary>
public sealed record DsoPortfolioUpdate : PayloadMessage
{
    /// <summary><c>TimeZone</c>.</summary>
    public required string TimeZone { get; init; }

    /// <summary>The <c>CongestionPoint</c> elements.</summary>
    public required ValueList<DsoPortfolioUpdateCongestionPoint> CongestionPoints { get; init; }

    public override UftpMessageType MessageType => UftpMessageType.DSOPortfolioUpdate;
}

/// <summary><c>DSOPortfolioUpdateResponse</c> (CRO → DSO).</summary>
public sealed record DsoPortfolioUpdateResponse : PayloadMessageResponse
{
    /// <summary>
    /// The referenced DSOPortfolioUpdate. On the wire UFTP 3.1.0 names it
    /// <c>DSOPortfolioUpdateResponseMessageID</c> (sic).
    /// </summary>
    public required Guid DsoPortfolioUpdateMessageId { get; init; }

    public override UftpMessageType MessageType => UftpMessageType.DSOPortfolioUpdateResponse;
}

/// <summary><c>DSOPortfolioQuery</c> (DSO → CRO).</summary>
public sealed record DsoPortfolioQuery : PayloadMessage
{
    /// <summary><c>TimeZone</c>.</summary>
    public required string TimeZone { get; init; }

    /// <summary><c>Period</c>.</summary>
    public required DateOnly Period { get; init; }

    /// <summary><c>EntityAddress</c> of the congestion point.</summary>
    public required EntityAddress EntityAddress { get; init; }

    public override UftpMessageType MessageType => UftpMessageType.DSOPortfolioQuery;
}

/// <summary><c>Connection</c> in a DSOPortfolioQueryResponse.</summary>
public sealed record DsoPortfolioQueryConnection(EntityAddress EntityAddress, string? AgrDomain = null);

/// <summary><c>CongestionPoint</c> in a DSOPortfolioQueryResponse.</summary>
public sealed record DsoPortfolioQueryCongestionPoint(EntityAddress EntityAddress, ValueList<DsoPortfolioQueryConnection> Connections);

/// <summary><c>DSOPortfolioQueryResponse</c> (CRO → DSO).</summary>
public sealed record DsoPortfolioQueryResponse : PayloadMessageResponse
{
    /// <summary><c>DSOPortfolioQueryMessageID</c>.</summary>
    public required Guid DsoPortfolioQueryMessageId { get; init; }

    /// <summary><c>TimeZone</c>.</summary>
    public required string TimeZone { get; init; }

    /// <summary><c>Period</c>.</summary>
    public required DateOnly Period { get; init; }

    /// <summary>The <c>CongestionPoint</c> element, if any.</summary>
    public DsoPortfolioQueryCongestionPoint? CongestionPoint { get; init; }

    public override UftpMessageType MessageType => UftpMessageType.DSOPortfolioQueryResponse;
}
