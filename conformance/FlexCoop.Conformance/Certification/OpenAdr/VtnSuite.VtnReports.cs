using FlexCoop.OpenAdr.Model;

namespace FlexCoop.Conformance.Certification.OpenAdr;

public sealed partial class OpenAdrVtnSuite
{
    /// <summary>
    /// R1_3070 to R1_3120 (PICS <c>vtn-reports</c>): the harness VEN asks for the VTN's own reports. No operator action:
    /// the VEN starts every exchange. 3070 asks for the VTN's METADATA; 3080 registers again and reads the metadata the
    /// VTN sends unasked; 3090 asks for one report; 3100 asks for periodic reports, then cancels them with
    /// <c>oadrCancelReport</c>; 3120 cancels them piggy-backed on its <c>oadrUpdatedReport</c>. After a cancellation
    /// the VTN must stop: a report created more than <see cref="CancelSlack"/> after the VTN acknowledged it fails.
    /// </summary>
    private static Dictionary<string, Func<VtnCase, Task>> VtnReportScripts() => new(StringComparer.Ordinal)
    {
        ["R1_3070"] = async c => await AskVtnMetadataAsync(c),
        ["R1_3080"] = async c =>
        {
            await c.H.RegisterAsync(c.Ct, keepRegistrationId: true);
            var (register, index) = await c.H.PollForAsync<OadrRegisterReport>("its oadrRegisterReport (the VTN's own report metadata) after the VEN registered", c.AsyncTimeout, null, c.Ct);
            CheckVtnMetadata(c, register, index);
            var (response, ri) = await c.H.SendAsync<OadrResponse>(new OadrRegisteredReport { EiResponse = HarnessVen.Ok(register.RequestId), VenId = c.VenId }, c.Ct);
            c.Success(response.EiResponse, "oadrRegisteredReport acknowledging the VTN's metadata", ri);
            await c.H.DrainAsync(c.Ct); // what else the registration caused (a distribute) belongs to this case
        },
        ["R1_3090"] = async c =>
        {
            var request = await RequestVtnReportAsync(c, periodic: false);
            await ExpectVtnReportAsync(c, request);
        },
        ["R1_3100"] = async c =>
        {
            var request = await RequestVtnReportAsync(c, periodic: true);
            await ExpectVtnReportAsync(c, request);
            await ExpectVtnReportAsync(c, request);
            var cancel = new OadrCancelReport { RequestId = HarnessVen.NewId("REQ"), ReportRequestIds = ValueList.Create([request.ReportRequestId]), ReportToFollow = false, VenId = c.VenId };
            var (canceled, index) = await c.H.SendAsync<OadrCanceledReport>(cancel, c.Ct);
            c.Success(canceled.EiResponse, "oadrCancelReport of the VTN's periodic report", index);
            c.R.Check(!canceled.PendingReports.Contains(request.ReportRequestId), c.Id,
                $"oadrCanceledReport still lists the cancelled request {request.ReportRequestId} in pendingReports", string.Join(", ", canceled.PendingReports), index);
            await ExpectNoMoreVtnReportsAsync(c, request, DateTimeOffset.UtcNow);
        },
        ["R1_3120"] = async c =>
        {
            var request = await RequestVtnReportAsync(c, periodic: true);
            await ExpectVtnReportAsync(c, request);
            var cancel = new OadrCancelReport { RequestId = HarnessVen.NewId("REQ"), ReportRequestIds = ValueList.Create([request.ReportRequestId]), ReportToFollow = false, VenId = c.VenId };
            await ExpectVtnReportAsync(c, request, cancel);
            await ExpectNoMoreVtnReportsAsync(c, request, DateTimeOffset.UtcNow);
        },
    };

    /// <summary>How long after the VTN acknowledged a cancellation a report may still have been created (clocks, in-flight reports).</summary>
    private static readonly TimeSpan CancelSlack = TimeSpan.FromSeconds(2);

    /// <summary>oadrCreateReport with reportSpecifierID METADATA (rule 304): oadrCreatedReport, then the VTN's oadrRegisterReport, acknowledged.</summary>
    private static async Task<OadrRegisterReport> AskVtnMetadataAsync(VtnCase c)
    {
        var create = new OadrCreateReport
        {
            RequestId = HarnessVen.NewId("REQ"),
            VenId = c.VenId,
            ReportRequests = ValueList.Create([new OadrReportRequest
            {
                ReportRequestId = HarnessVen.NewId("RR"),
                ReportSpecifier = new ReportSpecifier
                {
                    ReportSpecifierId = "METADATA",
                    Granularity = IsoDuration.Zero,
                    ReportBackDuration = IsoDuration.Zero,
                    SpecifierPayloads = ValueList.Create([new SpecifierPayload { RId = "METADATA", ReadingType = ReadingType.XNotApplicable }]),
                },
            }]),
        };
        var (created, index) = await c.H.SendAsync<OadrCreatedReport>(create, c.Ct);
        c.Success(created.EiResponse, "oadrCreateReport asking for its METADATA (rule 304)", index);
        var (register, ri) = await c.H.PollForAsync<OadrRegisterReport>("its oadrRegisterReport answering the VEN's METADATA request", c.AsyncTimeout, null, c.Ct);
        CheckVtnMetadata(c, register, ri);
        var (response, ai) = await c.H.SendAsync<OadrResponse>(new OadrRegisteredReport { EiResponse = HarnessVen.Ok(register.RequestId), VenId = c.VenId }, c.Ct);
        c.Success(response.EiResponse, "oadrRegisteredReport acknowledging the VTN's metadata", ai);
        return register;
    }

    /// <summary>The VTN's metadata: a requestID to echo, METADATA_ report names, and (it claims vtn-reports) at least one data point.</summary>
    private static void CheckVtnMetadata(VtnCase c, OadrRegisterReport register, int index)
    {
        c.R.Check(!string.IsNullOrEmpty(register.RequestId), "rule 311", "the VTN's oadrRegisterReport has an empty requestID; the VEN's oadrRegisteredReport must be able to echo it", "<pyld:requestID/>", index);
        foreach (var report in register.Reports)
        {
            c.R.Check(report.ReportName?.Value.StartsWith("METADATA_", StringComparison.Ordinal) == true, c.Id,
                $"report {report.ReportSpecifierId} in the VTN's oadrRegisterReport is named '{report.ReportName?.Value}'; metadata reports are named METADATA_...", $"<ei:reportName>{report.ReportName?.Value}</ei:reportName>", index);
        }
        if (!register.Reports.Any(r => r.Descriptions.Count > 0))
        {
            throw c.R.Fail(c.Id, "the VTN claims reports of its own (PICS vtn-reports), but its metadata describes no data point (no oadrReportDescription) a VEN could ask for",
                string.Join(", ", register.Reports.Select(r => r.ReportSpecifierId)), index);
        }
    }

    /// <summary>The VTN's report a VEN asks for: a TELEMETRY_STATUS one when it has one, else the first with data points.</summary>
    private static async Task<OadrReportRequest> RequestVtnReportAsync(VtnCase c, bool periodic)
    {
        var metadata = c.H.VtnMetadata is { } known && known.Reports.Any(r => r.Descriptions.Count > 0) ? known : await AskVtnMetadataAsync(c);
        var report = metadata.Reports.Where(r => r.Descriptions.Count > 0).OrderBy(r => r.ReportName == ReportName.MetadataTelemetryStatus ? 0 : 1).First();
        var minimum = report.Descriptions.Select(d => d.SamplingRate?.MinPeriod.TryGetTimeSpan(out var m) == true ? m : TimeSpan.Zero).Max();
        var period = periodic ? TimeSpan.FromTicks(Math.Max(c.S(10).Ticks, minimum.Ticks)) : TimeSpan.Zero;
        var request = new OadrReportRequest
        {
            ReportRequestId = HarnessVen.NewId("RR"),
            ReportSpecifier = new ReportSpecifier
            {
                ReportSpecifierId = report.ReportSpecifierId,
                Granularity = IsoDuration.FromTimeSpan(period),
                ReportBackDuration = IsoDuration.FromTimeSpan(period),
                ReportInterval = new CalendarProperties { DtStart = VtnCase.Now, Duration = IsoDuration.FromTimeSpan(periodic ? c.S(600) : TimeSpan.Zero) },
                SpecifierPayloads = ValueList.From(report.Descriptions.Select(d => new SpecifierPayload { RId = d.RId, ReadingType = d.ReadingType })),
            },
        };
        var create = new OadrCreateReport { RequestId = HarnessVen.NewId("REQ"), VenId = c.VenId, ReportRequests = ValueList.Create([request]) };
        var (created, index) = await c.H.SendAsync<OadrCreatedReport>(create, c.Ct);
        c.Success(created.EiResponse, $"oadrCreateReport asking for its report {report.ReportSpecifierId} ({(periodic ? "every " + request.ReportSpecifier.ReportBackDuration.Text : "once")})", index);
        if (periodic)
        {
            c.R.Check(created.PendingReports.Contains(request.ReportRequestId), c.Id,
                $"oadrCreatedReport must list the periodic request {request.ReportRequestId} the VTN is now working on in pendingReports", string.Join(", ", created.PendingReports), index);
        }
        return request;
    }

    /// <summary>
    /// Waits for the VTN's next report answering <paramref name="request"/>, checks it (the requested specifier and only
    /// the requested rIDs, rule 314) and acknowledges it with oadrUpdatedReport, carrying <paramref name="cancel"/> when given.
    /// </summary>
    private static async Task ExpectVtnReportAsync(VtnCase c, OadrReportRequest request, OadrCancelReport? cancel = null)
    {
        var (update, index) = await c.H.PollForAsync<OadrUpdateReport>($"oadrUpdateReport answering the VEN's request {request.ReportRequestId}", c.AsyncTimeout,
            u => u.Reports.Any(r => r.ReportRequestId == request.ReportRequestId), c.Ct);
        var asked = request.ReportSpecifier.SpecifierPayloads.Select(p => p.RId).ToHashSet(StringComparer.Ordinal);
        foreach (var report in update.Reports.Where(r => r.ReportRequestId == request.ReportRequestId))
        {
            c.R.Check(report.ReportSpecifierId == request.ReportSpecifier.ReportSpecifierId, c.Id,
                $"the report for request {request.ReportRequestId} names reportSpecifierID '{report.ReportSpecifierId}'; the VEN asked for '{request.ReportSpecifier.ReportSpecifierId}'", $"<ei:reportSpecifierID>{report.ReportSpecifierId}</ei:reportSpecifierID>", index);
            var payloads = (report.Intervals ?? ValueList<Interval>.Empty).SelectMany(i => i.Payloads.OfType<OadrReportPayload>()).ToList();
            c.R.Check(payloads.Count > 0, c.Id, $"the VTN's report for request {request.ReportRequestId} carries no reading", "<strm:intervals>", index);
            var stray = payloads.FirstOrDefault(p => !asked.Contains(p.RId));
            c.R.Check(stray is null, "rule 314", $"the VTN's report carries rID '{stray?.RId}', which the VEN did not ask for ({string.Join(", ", asked)})", $"<ei:rID>{stray?.RId}</ei:rID>", index);
        }
        var (response, ri) = await c.H.SendAsync<OadrResponse>(new OadrUpdatedReport { EiResponse = HarnessVen.Ok(update.RequestId), CancelReport = cancel, VenId = c.VenId }, c.Ct);
        c.Success(response.EiResponse, cancel is null ? "oadrUpdatedReport" : "oadrUpdatedReport carrying the VEN's oadrCancelReport (piggy-backed)", ri);
    }

    /// <summary>
    /// After a cancellation the VTN acknowledged at <paramref name="acknowledged"/>: for three report periods (and a few
    /// seconds more) every report for <paramref name="request"/> must have been created before it (in flight then).
    /// </summary>
    private static async Task ExpectNoMoreVtnReportsAsync(VtnCase c, OadrReportRequest request, DateTimeOffset acknowledged)
    {
        var period = request.ReportSpecifier.ReportBackDuration.TryGetTimeSpan(out var p) ? p : TimeSpan.Zero;
        var until = DateTimeOffset.UtcNow + period * 3 + CancelSlack + TimeSpan.FromSeconds(3);
        while (DateTimeOffset.UtcNow < until)
        {
            var (message, index) = await c.H.NextAsync(c.Ct);
            if (message is OadrUpdateReport u && u.Reports.FirstOrDefault(r => r.ReportRequestId == request.ReportRequestId) is { } late
                && late.CreatedDateTime > acknowledged + CancelSlack)
            {
                throw c.R.Fail(c.Id, $"the VTN acknowledged the VEN's cancellation of request {request.ReportRequestId} at {acknowledged.UtcDateTime:HH:mm:ss}Z but sent a report created at {late.CreatedDateTime.UtcDateTime:HH:mm:ss}Z; a cancelled report stops",
                    $"<ei:createdDateTime>{late.CreatedDateTime.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}</ei:createdDateTime>", index);
            }
            var handled = await c.H.HandleAsync(message, c.Ct);
            if (!handled && !c.H.IsPushExchange) await Task.Delay(c.H.PollPeriod, c.Ct);
        }
    }

    private static Dictionary<string, Func<VtnCase, Task>> SignatureScripts() => new(StringComparer.Ordinal)
    {
        // G1_4011 / G0_9020: an event and its modification at high security. Every payload both ways is signed; the
        // harness verified each of the VTN's (always-on check), and the case makes sure it saw signed ones.
        ["G1_4011"] = async c =>
        {
            if (!c.O.High) throw c.R.Inconclusive("G1_4011 certifies XML signatures: run the suite with --security high against an https:// VTN signing its payloads");
            var before = c.H.VerifiedSignatures;
            await EventThenModifyAsync(c, At(c, 600, (300, 1)), o => o with { Intervals = [(c.S(300), 3)] });
            c.R.Check(c.H.VerifiedSignatures > before, "xml-signature", "no signed payload of the VTN was verified during the case");
            c.R.Record(MessageDirection.Note, "xml-signature", $"{c.H.VerifiedSignatures - before} payload(s) of the VTN carried a valid signature; every payload of the harness was signed");
        },
    };
}
