using FlexCoop.OpenAdr.Model;

namespace FlexCoop.Conformance.Certification.OpenAdr;

public sealed partial class OpenAdrVenSuite
{
    private static OadrReport Announced(VenCase c, ReportName name) =>
        c.H.VenReports.FirstOrDefault(r => r.ReportName is { } n && n.Value == "METADATA_" + name.Value)
        ?? throw c.R.Fail(c.Id, $"the VEN's oadrRegisterReport announced no {name.Value} report, which this case requests");

    private static OadrReport StatusReport(VenCase c) => Announced(c, ReportName.TelemetryStatus);

    private static OadrReport UsageReport(VenCase c) => Announced(c, ReportName.TelemetryUsage);

    private static OadrCreateReport CreateReport(VenCase c, params OadrReportRequest[] requests) =>
        new() { RequestId = HarnessVtn.NewId("REQ"), ReportRequests = ValueList.From(requests), VenId = c.VenId };

    /// <summary>Sends the requests and checks the <c>oadrCreatedReport</c> accepts them (rule 311 is checked on every message).</summary>
    private static async Task RequestReportsAsync(VenCase c, params OadrReportRequest[] requests)
    {
        var create = CreateReport(c, requests);
        await c.SendAsync(create);
        var (created, index) = await c.ExpectAsync<OadrCreatedReport>("oadrCreatedReport", c.AsyncTimeout);
        c.R.Check(created.EiResponse.ResponseCode.IsSuccess, c.Id, $"the VEN refused the report request with {created.EiResponse.ResponseCode.Value}: {created.EiResponse.ResponseDescription}",
            $"<ei:responseCode>{created.EiResponse.ResponseCode.Value}</ei:responseCode>", index);
        c.R.Check(created.EiResponse.RequestId == create.RequestId, "rule 311", $"oadrCreatedReport echoes requestID '{created.EiResponse.RequestId}', not '{create.RequestId}'",
            $"<pyld:requestID>{created.EiResponse.RequestId}</pyld:requestID>", index);
    }

    private static Task<(OadrUpdateReport Message, int Index)> UpdateFor(VenCase c, OadrReportRequest request, string what, TimeSpan? timeout = null) =>
        c.ExpectAsync<OadrUpdateReport>($"oadrUpdateReport ({what}) for request {request.ReportRequestId}", timeout ?? c.AsyncTimeout, u => u.Reports.Any(r => r.ReportRequestId == request.ReportRequestId));

    /// <summary>Checks no report for <paramref name="request"/> comes after the last message matched, during <paramref name="window"/>.</summary>
    private static Task NoUpdateForAsync(VenCase c, OadrReportRequest request, TimeSpan window, string rule) =>
        c.ExpectNoneForAsync(m => m is OadrUpdateReport u && u.Reports.Any(r => r.ReportRequestId == request.ReportRequestId), c.LastMatch, window, rule,
            $"the VEN still reports on request {request.ReportRequestId} after it was cancelled");

    private static async Task PeriodicAsync(VenCase c, OadrReport metadata)
    {
        var back = c.S(20);
        var request = Request(metadata, back, back, DateTimeOffset.UtcNow, back * 2);
        await RequestReportsAsync(c, request);
        var (_, first) = await UpdateFor(c, request, "first period", c.AsyncTimeout + back);
        var (_, second) = await UpdateFor(c, request, "second period", c.AsyncTimeout + back);
        var gap = c.R.Timeline[second].Time - c.R.Timeline[first].Time;
        c.R.Check(gap >= back * 0.5, c.Id, $"two periodic reports came {gap.TotalSeconds:0.0} s apart; the reportBackDuration is {back.TotalSeconds:0} s", null, second);
    }

    private static async Task CancelAsync(VenCase c, bool reportToFollow)
    {
        var back = c.S(20);
        var request = Request(StatusReport(c), back, back, DateTimeOffset.UtcNow, null);
        await RequestReportsAsync(c, request);
        await UpdateFor(c, request, "first period", c.AsyncTimeout + back);
        var cancel = new OadrCancelReport { RequestId = HarnessVtn.NewId("REQ"), ReportRequestIds = ValueList.Create([request.ReportRequestId]), ReportToFollow = reportToFollow, VenId = c.VenId };
        await c.SendAsync(cancel);
        var (canceled, index) = await c.ExpectAsync<OadrCanceledReport>("oadrCanceledReport", c.AsyncTimeout);
        c.R.Check(canceled.EiResponse.RequestId == cancel.RequestId, "rule 311", $"oadrCanceledReport echoes requestID '{canceled.EiResponse.RequestId}', not '{cancel.RequestId}'", null, index);
        if (reportToFollow) await UpdateFor(c, request, "the report to follow", c.AsyncTimeout);
        await NoUpdateForAsync(c, request, back * 2 + c.Poll, "R1_3040");
    }

    private static Dictionary<string, Func<VenCase, Task>> ReportScripts() => new(StringComparer.Ordinal)
    {
        ["R1_3010"] = async c =>
        {
            var request = OneShot(StatusReport(c));
            await RequestReportsAsync(c, request);
            await UpdateFor(c, request, "one-shot TELEMETRY_STATUS");
        },
        ["R1_3020"] = c => PeriodicAsync(c, StatusReport(c)),
        ["R1_3025"] = async c =>
        {
            var start = DateTimeOffset.UtcNow + c.S(30);
            start = new DateTimeOffset(start.Ticks - start.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
            var request = Request(StatusReport(c), TimeSpan.Zero, TimeSpan.Zero, start, TimeSpan.Zero);
            await RequestReportsAsync(c, request);
            var (_, index) = await UpdateFor(c, request, "delayed one-shot", c.AsyncTimeout + c.S(30));
            var at = c.R.Timeline[index].Time;
            c.R.Check(at >= start - TimeSpan.FromSeconds(1), c.Id, $"the report came at {at.UtcDateTime:HH:mm:ss}Z, before the requested start {start.UtcDateTime:HH:mm:ss}Z", null, index);
        },
        ["R1_3027"] = async c =>
        {
            var first = OneShot(StatusReport(c));
            await RequestReportsAsync(c, first);
            await UpdateFor(c, first, "first one-shot");
            await Task.Delay(c.S(60), c.Ct);
            var second = OneShot(StatusReport(c));
            await RequestReportsAsync(c, second);
            await UpdateFor(c, second, "second one-shot");
        },
        ["R1_3030"] = async c =>
        {
            var status = OneShot(StatusReport(c));
            var usage = OneShot(UsageReport(c));
            await RequestReportsAsync(c, status, usage);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (seen.Count < 2)
            {
                var (u, _) = await c.ExpectAsync<OadrUpdateReport>("oadrUpdateReport for both concurrent requests", c.AsyncTimeout,
                    u => u.Reports.Any(r => r.ReportRequestId == status.ReportRequestId || r.ReportRequestId == usage.ReportRequestId));
                foreach (var r in u.Reports) seen.Add(r.ReportRequestId);
            }
        },
        ["R1_3040"] = c => CancelAsync(c, reportToFollow: false),
        ["R1_3045"] = c => CancelAsync(c, reportToFollow: true),
        ["R1_3050"] = async c =>
        {
            var back = c.S(20);
            var request = Request(StatusReport(c), back, back, DateTimeOffset.UtcNow, null);
            await RequestReportsAsync(c, request);
            var cancel = new OadrCancelReport { RequestId = HarnessVtn.NewId("REQ"), ReportRequestIds = ValueList.Create([request.ReportRequestId]), ReportToFollow = false, VenId = c.VenId };
            c.H.PiggybackCancel = cancel;
            await UpdateFor(c, request, "first period (its acknowledgement carries the cancellation)", c.AsyncTimeout + back);
            await c.ExpectAsync<OadrCanceledReport>("oadrCanceledReport for the piggy-backed cancellation", c.AsyncTimeout);
            await NoUpdateForAsync(c, request, back * 2 + c.Poll, c.Id);
        },
        ["R1_3060"] = async c =>
        {
            await c.ActAsync("republish-metadata", "Make the VEN announce its reports again (a device added or removed: oadrRegisterReport).");
            await c.ExpectAsync<OadrRegisterReport>("oadrRegisterReport", c.AsyncTimeout);
        },
        ["R1_3080"] = async c =>
        {
            var register = new OadrRegisterReport
            {
                RequestId = HarnessVtn.NewId("REQ"),
                ReportRequestId = "0",
                Reports = ValueList.Create([new OadrReport
                {
                    ReportRequestId = "0",
                    ReportSpecifierId = "TH_VTN_STATUS",
                    ReportName = ReportName.MetadataTelemetryStatus,
                    Duration = IsoDuration.Zero,
                    CreatedDateTime = DateTimeOffset.UtcNow,
                    Descriptions = ValueList.Create([new OadrReportDescription
                    {
                        RId = "vtn-status",
                        ReportType = ReportType.XResourceStatus,
                        ReadingType = ReadingType.XNotApplicable,
                        SamplingRate = new OadrSamplingRate { MinPeriod = IsoDuration.FromTimeSpan(c.S(60)), MaxPeriod = IsoDuration.FromTimeSpan(c.S(600)), OnChange = false },
                    }]),
                }]),
            };
            await c.SendAsync(register);
            var (registered, index) = await c.ExpectAsync<OadrRegisteredReport>("oadrRegisteredReport", c.AsyncTimeout);
            c.R.Check(registered.EiResponse.ResponseCode.IsSuccess, c.Id, $"the VEN refused the VTN's report registration with {registered.EiResponse.ResponseCode.Value}", null, index);
            c.R.Check(registered.EiResponse.RequestId == register.RequestId, "rule 311", $"oadrRegisteredReport echoes requestID '{registered.EiResponse.RequestId}', not '{register.RequestId}'",
                $"<pyld:requestID>{registered.EiResponse.RequestId}</pyld:requestID>", index);
        },
        ["R1_3150"] = async c =>
        {
            var request = OneShot(UsageReport(c));
            await RequestReportsAsync(c, request);
            await UpdateFor(c, request, "one-shot TELEMETRY_USAGE");
        },
        ["R1_3160"] = c => PeriodicAsync(c, UsageReport(c)),
        ["R1_3170"] = async c =>
        {
            await RequestReportsAsync(c, Metadata());
            await c.ExpectAsync<OadrRegisterReport>("oadrRegisterReport answering the METADATA request (rule 304)", c.AsyncTimeout);
        },
        ["R1_3180"] = async c =>
        {
            var usage = OneShot(UsageReport(c));
            await RequestReportsAsync(c, Metadata(), usage);
            await c.ExpectAsync<OadrRegisterReport>("oadrRegisterReport answering the METADATA request (rule 304)", c.AsyncTimeout);
            await UpdateFor(c, usage, "one-shot TELEMETRY_USAGE");
        },
        ["R1_3190"] = async c =>
        {
            var request = Request(StatusReport(c), TimeSpan.Zero, TimeSpan.Zero, null, null, ["NO_SUCH_RID"]);
            await c.SendAsync(CreateReport(c, request));
            var (created, index) = await c.ExpectAsync<OadrCreatedReport>("oadrCreatedReport", c.AsyncTimeout);
            c.R.Check(created.EiResponse.ResponseCode.Value == "452", "rule 48", $"a request for an rID the VEN does not have must be refused with 452; the VEN answered {created.EiResponse.ResponseCode.Value}",
                $"<ei:responseCode>{created.EiResponse.ResponseCode.Value}</ei:responseCode>", index);
        },
    };

    private static OadrReportRequest Metadata() => new()
    {
        ReportRequestId = HarnessVtn.NewId("RR"),
        ReportSpecifier = new ReportSpecifier
        {
            ReportSpecifierId = "METADATA",
            Granularity = IsoDuration.Zero,
            ReportBackDuration = IsoDuration.Zero,
            SpecifierPayloads = ValueList.Create([new SpecifierPayload { RId = "METADATA", ReadingType = ReadingType.XNotApplicable }]),
        },
    };
}
