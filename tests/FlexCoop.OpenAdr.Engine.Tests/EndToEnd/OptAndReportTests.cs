using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Ven;
using FlexCoop.OpenAdr.Vtn;
using FlexCoop.OpenAdr.Vtn.Storage;

namespace FlexCoop.OpenAdr.Engine.Tests.EndToEnd;

/// <summary>Opts (P1_20xx) and reports (R1_30xx), pull, over mutual TLS.</summary>
public sealed class OptAndReportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Opt_schedule_with_two_windows_is_stored_replaced_by_optId_and_cancelled()
    {
        await using var h = await VtnHarness.StartAsync();
        var ven = await h.StartVenAsync("ven");
        var t = VtnHarness.Start;

        var optId = await ven.CreateOptScheduleAsync(OptType.OptOut, OptReason.Economic,
            [new VenAvailability(t.AddHours(1), TimeSpan.FromHours(2)), new VenAvailability(t.AddHours(5), TimeSpan.Zero)], VtnHarness.Program, cancellationToken: Ct);
        var stored = await h.Store.GetOptAsync(ven.VenId!, optId, Ct);
        Assert.NotNull(stored);
        Assert.Equal(("optOut", "economic", VtnHarness.Program), (stored.OptType, stored.OptReason, stored.MarketContext));
        Assert.Equal([new OptWindow(t.AddHours(1), TimeSpan.FromHours(2)), new OptWindow(t.AddHours(5), TimeSpan.Zero)], stored.Windows);

        await ven.CreateOptScheduleAsync(OptType.OptIn, OptReason.Participating, [new VenAvailability(t, TimeSpan.FromHours(1))], optId: optId, cancellationToken: Ct);
        Assert.Equal("optIn", Assert.Single(await h.Store.ListOptsAsync(ven.VenId, Ct)).OptType);

        await ven.CancelOptAsync(optId, Ct);
        Assert.True((await h.Store.GetOptAsync(ven.VenId!, optId, Ct))!.Cancelled);
        var refused = await Assert.ThrowsAsync<VenRefusedException>(() => ven.CancelOptAsync("never-made", Ct));
        Assert.Equal("452", refused.ResponseCode);
    }

    [Fact]
    public async Task Opt_out_of_an_event_wins_over_a_later_created_event()
    {
        await using var h = await VtnHarness.StartAsync();
        var ven = await h.StartVenAsync("ven");
        var created = await h.Vtn.CreateEventAsync(Events.Simple(VtnHarness.Start.AddMinutes(1)), Ct);
        await ven.PollNowAsync(Ct);
        Assert.Equal("optIn", Assert.Single(await h.Store.GetEventResponsesAsync(created.EventId, Ct)).OptType);

        h.Clock.Advance(TimeSpan.FromMinutes(2)); // active: an optOut during the event (rule 17)
        await ven.OptEventAsync(created.EventId, OptType.OptOut, OptReason.Emergency, Ct);
        var response = Assert.Single(await h.Store.GetEventResponsesAsync(created.EventId, Ct));
        Assert.Equal(("optOut", "oadrCreateOpt"), (response.OptType, response.Source));

        using var client = VtnHarness.RawClient(h.VenCertificate(ven));
        var answer = (OadrResponse)await h.SendAsync(client, "EiEvent", Messages.CreatedEvent(ven.VenId!, created.EventId, 0, OptType.OptIn));
        Assert.True(answer.EiResponse.ResponseCode.IsSuccess);
        Assert.Equal("optOut", Assert.Single(await h.Store.GetEventResponsesAsync(created.EventId, Ct)).OptType); // rule 206
    }

    [Fact]
    public async Task Registered_telemetry_reports_are_requested_and_periodic_readings_stored()
    {
        await using var h = await VtnHarness.StartAsync(o => o with { TelemetryGranularity = TimeSpan.FromSeconds(1) });
        var created = h.NextActivity(a => a.Kind == VtnActivityKind.ReportCreated);
        var ven = await h.StartVenAsync(h.VenOptions("ven") with { ReportProviders = [new UsageProvider(), new StatusProvider()] });
        await created;

        var metadata = await h.Store.GetVenReportsAsync(ven.VenId!, Ct);
        Assert.Equal(["TELEMETRY_STATUS", "TELEMETRY_USAGE"], metadata.Select(m => m.ReportName).Order());
        var requests = await h.Store.ListReportRequestsAsync(ven.VenId, Ct);
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal(ReportRequestState.Active, r.State));

        // Two rounds of periodic reports (granularity and back duration 1 s) arrive.
        var readings = 0;
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Vtn.Activity += (_, e) =>
        {
            if (e.Activity.Kind == VtnActivityKind.ReportUpdated && Interlocked.Increment(ref readings) >= 4) enough.TrySetResult();
        };
        await h.AdvanceUntilAsync(enough.Task, TimeSpan.FromSeconds(1));

        var stored = await h.Store.GetReadingsAsync(ven.VenId!, null, 100, Ct);
        Assert.Contains(stored, r => r.RId == "power" && r.Value == 4.5);
        Assert.Contains(stored, r => r.RId == "status" && r.PayloadText == "online=true;manualOverride=false");
    }

    [Fact]
    public async Task One_shot_usage_request_gets_one_report_and_completes()
    {
        await using var h = await VtnHarness.StartAsync();
        var ven = await h.StartVenAsync(h.VenOptions("ven") with { ReportProviders = [new UsageProvider()] });
        await ven.PollNowAsync(Ct);

        var updated = h.NextActivity(a => a.Kind == VtnActivityKind.ReportUpdated);
        var request = await h.Vtn.RequestReportAsync(ven.VenId!, "RS_USAGE", cancellationToken: Ct);
        await ven.PollNowAsync(Ct);
        await updated;

        var reading = Assert.Single(await h.Store.GetReadingsAsync(ven.VenId!, request.ReportRequestId, 10, Ct));
        Assert.Equal(("power", 4.5), (reading.RId, reading.Value));
        Assert.Equal(ReportRequestState.Completed, (await h.Store.GetReportRequestAsync(request.ReportRequestId, Ct))!.State);
    }

    [Fact]
    public async Task History_usage_request_returns_the_hours_of_the_interval()
    {
        await using var h = await VtnHarness.StartAsync();
        var ven = await h.StartVenAsync(h.VenOptions("ven") with { ReportProviders = [new HistoryProvider()] });
        await ven.PollNowAsync(Ct);

        var updated = h.NextActivity(a => a.Kind == VtnActivityKind.ReportUpdated);
        var from = new DateTimeOffset(2026, 1, 10, 0, 0, 0, TimeSpan.Zero);
        var request = await h.Vtn.RequestReportAsync(ven.VenId!, "RS_HISTORY", granularity: TimeSpan.FromHours(1), start: from, duration: TimeSpan.FromHours(3), cancellationToken: Ct);
        await ven.PollNowAsync(Ct);
        await updated;

        var readings = await h.Store.GetReadingsAsync(ven.VenId!, request.ReportRequestId, 10, Ct);
        Assert.Equal([0.0, 1.0, 2.0], readings.Select(r => r.Value!.Value));
        Assert.Equal(from, readings[0].DtStart);
    }

    [Fact]
    public async Task Report_request_for_an_unregistered_report_or_rId_is_refused()
    {
        await using var h = await VtnHarness.StartAsync();
        var ven = await h.StartVenAsync(h.VenOptions("ven") with { ReportProviders = [new UsageProvider()] });
        await Assert.ThrowsAsync<VtnOperationException>(() => h.Vtn.RequestReportAsync(ven.VenId!, "RS_NOPE", cancellationToken: Ct));
        await Assert.ThrowsAsync<VtnOperationException>(() => h.Vtn.RequestReportAsync(ven.VenId!, "RS_USAGE", ["voltage"], cancellationToken: Ct));
    }

    [Fact]
    public async Task Cancelled_report_with_reportToFollow_accepts_one_last_report_then_refuses()
    {
        await using var h = await VtnHarness.StartAsync();
        var ven = await h.StartVenAsync(h.VenOptions("ven") with { ReportProviders = [new UsageProvider()] });
        await ven.PollNowAsync(Ct);
        var request = await h.Vtn.RequestReportAsync(ven.VenId!, "RS_USAGE", granularity: TimeSpan.FromHours(1), reportBackDuration: TimeSpan.FromHours(1), cancellationToken: Ct);
        await ven.PollNowAsync(Ct);

        var last = h.NextActivity(a => a.Kind == VtnActivityKind.ReportUpdated);
        await h.Vtn.CancelReportAsync(ven.VenId!, request.ReportRequestId, reportToFollow: true, Ct);
        await ven.PollNowAsync(Ct);
        await last;

        Assert.Equal(ReportRequestState.Completed, (await h.Store.GetReportRequestAsync(request.ReportRequestId, Ct))!.State);
        Assert.Single(await h.Store.GetReadingsAsync(ven.VenId!, request.ReportRequestId, 10, Ct));
    }
}
