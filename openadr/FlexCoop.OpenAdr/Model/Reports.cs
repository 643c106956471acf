namespace FlexCoop.OpenAdr.Model;

/// <summary>
/// <c>oadr:oadrReport</c>: a report's metadata (in <c>oadrRegisterReport</c>: descriptions, no intervals)
/// or its data (in <c>oadrUpdateReport</c>: intervals of report payloads).
/// </summary>
public sealed record OadrReport
{
    /// <summary><c>xcal:dtstart</c>, optional.</summary>
    public DateTimeOffset? DtStart { get; init; }

    /// <summary><c>xcal:duration</c>, optional.</summary>
    public IsoDuration? Duration { get; init; }

    /// <summary><c>strm:intervals</c>: null when absent; when present it holds at least one interval.</summary>
    public ValueList<Interval>? Intervals { get; init; }

    /// <summary><c>ei:eiReportID</c>, optional.</summary>
    public string? EiReportId { get; init; }

    /// <summary><c>oadr:oadrReportDescription</c>, zero or more.</summary>
    public ValueList<OadrReportDescription> Descriptions { get; init; } = ValueList<OadrReportDescription>.Empty;

    /// <summary><c>ei:reportRequestID</c> (<c>0</c> in metadata reports).</summary>
    public required string ReportRequestId { get; init; }

    /// <summary><c>ei:reportSpecifierID</c>.</summary>
    public required string ReportSpecifierId { get; init; }

    /// <summary><c>ei:reportName</c>, optional.</summary>
    public ReportName? ReportName { get; init; }

    /// <summary><c>ei:createdDateTime</c>.</summary>
    public required DateTimeOffset CreatedDateTime { get; init; }
}

/// <summary><c>oadr:oadrReportDescription</c>: one data point a VEN can report.</summary>
public sealed record OadrReportDescription
{
    /// <summary><c>ei:rID</c>.</summary>
    public required string RId { get; init; }

    /// <summary><c>ei:reportSubject</c>, optional.</summary>
    public EiTarget? ReportSubject { get; init; }

    /// <summary><c>ei:reportDataSource</c>, optional.</summary>
    public EiTarget? ReportDataSource { get; init; }

    /// <summary><c>ei:reportType</c>.</summary>
    public required ReportType ReportType { get; init; }

    /// <summary><c>emix:itemBase</c>, optional.</summary>
    public ItemBase? ItemBase { get; init; }

    /// <summary><c>ei:readingType</c>.</summary>
    public required ReadingType ReadingType { get; init; }

    /// <summary><c>emix:marketContext</c>, optional.</summary>
    public string? MarketContext { get; init; }

    /// <summary><c>oadr:oadrSamplingRate</c>, optional.</summary>
    public OadrSamplingRate? SamplingRate { get; init; }
}

/// <summary><c>oadr:oadrSamplingRate</c>.</summary>
public sealed record OadrSamplingRate
{
    /// <summary><c>oadr:oadrMinPeriod</c>.</summary>
    public required IsoDuration MinPeriod { get; init; }

    /// <summary><c>oadr:oadrMaxPeriod</c>.</summary>
    public required IsoDuration MaxPeriod { get; init; }

    /// <summary><c>oadr:oadrOnChange</c>.</summary>
    public required bool OnChange { get; init; }
}

/// <summary><c>oadr:oadrReportRequest</c>: the VTN asks for a report.</summary>
public sealed record OadrReportRequest
{
    /// <summary><c>ei:reportRequestID</c>.</summary>
    public required string ReportRequestId { get; init; }

    /// <summary><c>ei:reportSpecifier</c>.</summary>
    public required ReportSpecifier ReportSpecifier { get; init; }
}

/// <summary><c>ei:reportSpecifier</c>: which data points, how often, for how long.</summary>
public sealed record ReportSpecifier
{
    /// <summary><c>ei:reportSpecifierID</c>.</summary>
    public required string ReportSpecifierId { get; init; }

    /// <summary><c>xcal:granularity</c>: sampling period.</summary>
    public required IsoDuration Granularity { get; init; }

    /// <summary><c>ei:reportBackDuration</c>: how often to report.</summary>
    public required IsoDuration ReportBackDuration { get; init; }

    /// <summary><c>ei:reportInterval/xcal:properties</c>, optional.</summary>
    public CalendarProperties? ReportInterval { get; init; }

    /// <summary><c>ei:specifierPayload</c>, at least one.</summary>
    public required ValueList<SpecifierPayload> SpecifierPayloads { get; init; }
}

/// <summary><c>ei:specifierPayload</c>: one requested data point.</summary>
public sealed record SpecifierPayload
{
    /// <summary><c>ei:rID</c>.</summary>
    public required string RId { get; init; }

    /// <summary><c>emix:itemBase</c>, optional.</summary>
    public ItemBase? ItemBase { get; init; }

    /// <summary><c>ei:readingType</c>.</summary>
    public required ReadingType ReadingType { get; init; }
}

/// <summary><c>oadr:oadrRegisterReport</c>: a party announces the reports it can send.</summary>
public sealed record OadrRegisterReport : OadrMessage
{
    /// <summary><c>pyld:requestID</c>.</summary>
    public required string RequestId { get; init; }

    /// <summary><c>oadr:oadrReport</c>, zero or more (metadata reports).</summary>
    public ValueList<OadrReport> Reports { get; init; } = ValueList<OadrReport>.Empty;

    /// <summary><c>ei:venID</c>, optional.</summary>
    public string? VenId { get; init; }

    /// <summary><c>ei:reportRequestID</c>, optional.</summary>
    public string? ReportRequestId { get; init; }

    public override string ElementName => "oadrRegisterReport";
}

/// <summary><c>oadr:oadrRegisteredReport</c>: acknowledges a register report, possibly requesting reports.</summary>
public sealed record OadrRegisteredReport : OadrMessage
{
    /// <summary><c>ei:eiResponse</c>.</summary>
    public required EiResponse EiResponse { get; init; }

    /// <summary><c>oadr:oadrReportRequest</c>, zero or more.</summary>
    public ValueList<OadrReportRequest> ReportRequests { get; init; } = ValueList<OadrReportRequest>.Empty;

    /// <summary><c>ei:venID</c>, optional.</summary>
    public string? VenId { get; init; }

    public override string ElementName => "oadrRegisteredReport";
}

/// <summary><c>oadr:oadrCreateReport</c>: requests one or more reports.</summary>
public sealed record OadrCreateReport : OadrMessage
{
    /// <summary><c>pyld:requestID</c>.</summary>
    public required string RequestId { get; init; }

    /// <summary><c>oadr:oadrReportRequest</c>, at least one.</summary>
    public required ValueList<OadrReportRequest> ReportRequests { get; init; }

    /// <summary><c>ei:venID</c>, optional.</summary>
    public string? VenId { get; init; }

    public override string ElementName => "oadrCreateReport";
}

/// <summary><c>oadr:oadrCreatedReport</c>: acknowledges a create report, listing pending reports.</summary>
public sealed record OadrCreatedReport : OadrMessage
{
    /// <summary><c>ei:eiResponse</c>.</summary>
    public required EiResponse EiResponse { get; init; }

    /// <summary><c>oadr:oadrPendingReports/ei:reportRequestID</c>, zero or more.</summary>
    public ValueList<string> PendingReports { get; init; } = ValueList<string>.Empty;

    /// <summary><c>ei:venID</c>, optional.</summary>
    public string? VenId { get; init; }

    public override string ElementName => "oadrCreatedReport";
}

/// <summary><c>oadr:oadrUpdateReport</c>: sends report data.</summary>
public sealed record OadrUpdateReport : OadrMessage
{
    /// <summary><c>pyld:requestID</c>.</summary>
    public required string RequestId { get; init; }

    /// <summary><c>oadr:oadrReport</c>, zero or more.</summary>
    public ValueList<OadrReport> Reports { get; init; } = ValueList<OadrReport>.Empty;

    /// <summary><c>ei:venID</c>, optional.</summary>
    public string? VenId { get; init; }

    public override string ElementName => "oadrUpdateReport";
}

/// <summary><c>oadr:oadrUpdatedReport</c>: acknowledges report data, possibly cancelling reports.</summary>
public sealed record OadrUpdatedReport : OadrMessage
{
    /// <summary><c>ei:eiResponse</c>.</summary>
    public required EiResponse EiResponse { get; init; }

    /// <summary><c>oadr:oadrCancelReport</c>, optional.</summary>
    public OadrCancelReport? CancelReport { get; init; }

    /// <summary><c>ei:venID</c>, optional.</summary>
    public string? VenId { get; init; }

    public override string ElementName => "oadrUpdatedReport";
}

/// <summary><c>oadr:oadrCancelReport</c>: cancels reports.</summary>
public sealed record OadrCancelReport : OadrMessage
{
    /// <summary><c>pyld:requestID</c>.</summary>
    public required string RequestId { get; init; }

    /// <summary><c>ei:reportRequestID</c>, at least one.</summary>
    public required ValueList<string> ReportRequestIds { get; init; }

    /// <summary><c>pyld:reportToFollow</c>: whether one last report will be sent.</summary>
    public required bool ReportToFollow { get; init; }

    /// <summary><c>ei:venID</c>, optional.</summary>
    public string? VenId { get; init; }

    public override string ElementName => "oadrCancelReport";
}

/// <summary><c>oadr:oadrCanceledReport</c>: acknowledges a cancel report.</summary>
public sealed record OadrCanceledReport : OadrMessage
{
    /// <summary><c>ei:eiResponse</c>.</summary>
    public required EiResponse EiResponse { get; init; }

    /// <summary><c>oadr:oadrPendingReports/ei:reportRequestID</c>, zero or more.</summary>
    public ValueList<string> PendingReports { get; init; } = ValueList<string>.Empty;

    /// <summary><c>ei:venID</c>, optional.</summary>
    public string? VenId { get; init; }

    public override string ElementName => "oadrCanceledReport";
}
