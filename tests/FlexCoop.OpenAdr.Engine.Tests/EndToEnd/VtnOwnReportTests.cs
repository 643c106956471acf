using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Vtn;

namespace FlexCoop.OpenAdr.Engine.Tests.EndToEnd;

/// <summary>
/// The VTN's own status report (R1_3070 to R1_3120): a VEN asks for the VTN's METADATA, a one-shot or periodic report,
/// and cancels it on its own or piggy-backed on oadrUpdatedReport. Raw payloads over mutual TLS; the periodic reports
/// follow the fake clock.
/// </summary>
public sealed class VtnOwnReportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static OadrCreateReport Create(string venId, string reportRequestId, string specifier, TimeSpan back, string rId = OadrVtn.OwnStatusRId) => new()
    {
        RequestId = "req-" + reportRequestId,
        VenId = venId,
        ReportRequests = ValueList.Create([new OadrReportRequest
        {
            ReportRequestId = reportRequestId,
            ReportSpecifier = new ReportSpecifier
            {
                ReportSpecifierId = specifier,
                Granularity = IsoDuration.FromTimeSpan(back),
                ReportBackDuration = IsoDuration.FromTimeSpan(back),
                ReportInterval = new CalendarProperties { DtStart = VtnHarness.Start, Duration = IsoDuration.Zero },
                SpecifierPayloads = ValueList.Create([new SpecifierPayload { RId = rId, ReadingType = ReadingType.XNotApplicable }]),
            },
        }]),
    };

    /// <summary>Polls as the VEN until the VTN hands over a <typeparamref name="T"/>; what else comes is skipped. Null when the queue runs dry.</summary>
    private static async Task<T?> PollForAsync<T>(VtnHarness h, HttpClient client, string venId) where T : OadrMessage
    {
        for (var i = 0; i < 20; i++)
        {
            var message = await h.SendAsync(client, "OadrPoll", Messages.Poll(venId));
            if (message is T t) return t;
            if (message is OadrResponse) return null;
        }
        throw new InvalidOperationException("the VTN kept handing messages over");
    }

    private static async Task<(VtnHarness H, HttpClient Client, string VenId)> StartAsync()
    {
        var h = await VtnHarness.StartAsync();
        var ven = await h.StartVenAsync("ven");
        return (h, VtnHarness.RawClient(h.VenCertificate(ven)), ven.VenId!);
    }

    [Fact]
    public async Task Metadata_request_is_answered_with_the_VTN_status_report_and_a_one_shot_request_gets_one_report()
    {
        var (h, client, venId) = await StartAsync();
        await using var _ = h;
        using var __ = client;

        var created = (OadrCreatedReport)await h.SendAsync(client, "EiReport", Create(venId, "rr-meta", "METADATA", TimeSpan.Zero, "METADATA"));
        Assert.Equal(("200", "req-rr-meta"), (created.EiResponse.ResponseCode.Value, created.EiResponse.RequestId));
        var register = await PollForAsync<OadrRegisterReport>(h, client, venId);
        Assert.NotNull(register);
        var report = Assert.Single(register.Reports);
        Assert.Equal((OadrVtn.OwnStatusReportSpecifierId, "METADATA_TELEMETRY_STATUS"), (report.ReportSpecifierId, report.ReportName?.Value));
        var description = Assert.Single(report.Descriptions);
        Assert.Equal((OadrVtn.OwnStatusRId, "x-resourceStatus"), (description.RId, description.ReportType.Value));

        created = (OadrCreatedReport)await h.SendAsync(client, "EiReport", Create(venId, "rr-once", OadrVtn.OwnStatusReportSpecifierId, TimeSpan.Zero));
        Assert.True(created.EiResponse.ResponseCode.IsSuccess);
        Assert.Empty(created.PendingReports); // a one-shot request is done once its report is queued
        var update = await PollForAsync<OadrUpdateReport>(h, client, venId);
        Assert.NotNull(update);
        var sent = Assert.Single(update.Reports);
        Assert.Equal(("rr-once", "TELEMETRY_STATUS"), (sent.ReportRequestId, sent.ReportName?.Value));
        var payload = Assert.IsType<OadrReportPayload>(Assert.Single(Assert.Single(sent.Intervals!).Payloads));
        Assert.Equal(OadrVtn.OwnStatusRId, payload.RId);
        Assert.True(Assert.IsType<OadrPayloadResourceStatus>(payload.Payload).Online);
        Assert.Null(await PollForAsync<OadrUpdateReport>(h, client, venId));
    }

    [Fact]
    public async Task Periodic_report_follows_the_clock_and_stops_when_the_VEN_cancels_it()
    {
        var (h, client, venId) = await StartAsync();
        await using var _ = h;
        using var __ = client;

        var created = (OadrCreatedReport)await h.SendAsync(client, "EiReport", Create(venId, "rr-every-10s", OadrVtn.OwnStatusReportSpecifierId, TimeSpan.FromSeconds(10)));
        Assert.Equal(["rr-every-10s"], created.PendingReports);
        Assert.Equal(["rr-every-10s"], h.Vtn.OwnReportRequests(venId));
        for (var round = 0; round < 2; round++)
        {
            var queued = h.NextActivity(a => a.Kind == VtnActivityKind.Queued && a.VenId == venId);
            await h.AdvanceUntilAsync(queued, TimeSpan.FromSeconds(10));
            var update = await PollForAsync<OadrUpdateReport>(h, client, venId);
            Assert.Equal("rr-every-10s", Assert.Single(update!.Reports).ReportRequestId);
        }

        // A slow step may have let the timer fire more than once: take what is queued, then cancel.
        while (await PollForAsync<OadrUpdateReport>(h, client, venId) is not null) { }
        var canceled = (OadrCanceledReport)await h.SendAsync(client, "EiReport",
            new OadrCancelReport { RequestId = "req-cancel", ReportRequestIds = ValueList.Create(["rr-every-10s"]), ReportToFollow = false, VenId = venId });
        Assert.Equal(("200", "req-cancel"), (canceled.EiResponse.ResponseCode.Value, canceled.EiResponse.RequestId));
        Assert.Empty(canceled.PendingReports);
        Assert.Empty(h.Vtn.OwnReportRequests(venId));
        h.Clock.Advance(TimeSpan.FromMinutes(1)); // the timer is gone: nothing is queued
        Assert.Null(await PollForAsync<OadrUpdateReport>(h, client, venId));

        var again = (OadrCanceledReport)await h.SendAsync(client, "EiReport",
            new OadrCancelReport { RequestId = "req-again", ReportRequestIds = ValueList.Create(["rr-every-10s"]), ReportToFollow = false, VenId = venId });
        Assert.Equal("452", again.EiResponse.ResponseCode.Value);
    }

    [Fact]
    public async Task Cancel_piggybacked_on_updated_report_stops_the_periodic_report()
    {
        var (h, client, venId) = await StartAsync();
        await using var _ = h;
        using var __ = client;

        await h.SendAsync(client, "EiReport", Create(venId, "rr-piggy", OadrVtn.OwnStatusReportSpecifierId, TimeSpan.FromSeconds(5)));
        var queued = h.NextActivity(a => a.Kind == VtnActivityKind.Queued && a.VenId == venId);
        await h.AdvanceUntilAsync(queued, TimeSpan.FromSeconds(5));
        var update = await PollForAsync<OadrUpdateReport>(h, client, venId);
        Assert.NotNull(update);
        while (await PollForAsync<OadrUpdateReport>(h, client, venId) is not null) { } // more than one tick under load

        var answer = (OadrResponse)await h.SendAsync(client, "EiReport", new OadrUpdatedReport
        {
            EiResponse = new EiResponse { ResponseCode = ResponseCode.Ok, RequestId = update.RequestId },
            CancelReport = new OadrCancelReport { RequestId = "req-piggy", ReportRequestIds = ValueList.Create(["rr-piggy"]), ReportToFollow = false, VenId = venId },
            VenId = venId,
        });
        Assert.Equal(("200", update.RequestId), (answer.EiResponse.ResponseCode.Value, answer.EiResponse.RequestId));
        Assert.Empty(h.Vtn.OwnReportRequests(venId));
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await PollForAsync<OadrUpdateReport>(h, client, venId));
    }

    [Fact]
    public async Task Requests_for_an_unknown_report_or_rId_or_a_running_requestId_are_refused_and_start_nothing()
    {
        var (h, client, venId) = await StartAsync();
        await using var _ = h;
        using var __ = client;

        async Task<string> CodeOf(OadrCreateReport create) => ((OadrCreatedReport)await h.SendAsync(client, "EiReport", create)).EiResponse.ResponseCode.Value;
        Assert.Equal("461", await CodeOf(Create(venId, "rr-1", "NO_SUCH_REPORT", TimeSpan.Zero)));
        Assert.Equal("452", await CodeOf(Create(venId, "rr-2", OadrVtn.OwnStatusReportSpecifierId, TimeSpan.Zero, rId: "not-announced")));
        Assert.Empty(h.Vtn.OwnReportRequests(venId));
        Assert.Equal("200", await CodeOf(Create(venId, "rr-3", OadrVtn.OwnStatusReportSpecifierId, TimeSpan.FromSeconds(30))));
        Assert.Equal("452", await CodeOf(Create(venId, "rr-3", OadrVtn.OwnStatusReportSpecifierId, TimeSpan.FromSeconds(30)))); // already running
        Assert.Equal(["rr-3"], h.Vtn.OwnReportRequests(venId));
        Assert.Null(await PollForAsync<OadrUpdateReport>(h, client, venId));
    }
}
