using FlexCoop.OpenAdr.Vtn;
using FlexCoop.OpenAdr.Vtn.Storage;

namespace FlexCoop.OpenAdr.Engine.Tests.Storage;

/// <summary>
/// What every <see cref="IVtnStore"/> must do. Each subclass opens a fresh, empty store; a
/// second store opened with <see cref="ReopenAsync"/> sees what the first committed.
/// </summary>
public abstract class VtnStoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private IVtnStore? _store;

    protected IVtnStore Store => _store ?? throw new InvalidOperationException("not initialised");

    /// <summary>Opens a store on this test's own database (file or schema).</summary>
    protected abstract Task<IVtnStore> OpenAsync();

    /// <summary>Removes this test's database.</summary>
    protected abstract Task DropAsync();

    public async ValueTask InitializeAsync()
    {
        _store = await OpenAsync();
        await _store.InitializeAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is not null) await _store.DisposeAsync();
        await DropAsync();
        GC.SuppressFinalize(this);
    }

    protected async Task<IVtnStore> ReopenAsync()
    {
        var other = await OpenAsync();
        await other.InitializeAsync(TestContext.Current.CancellationToken);
        return other;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static VenRecord Ven(string id, string fingerprint, string? registrationId = "reg-1", string? push = null) => new()
    {
        VenId = id,
        VenName = "ven " + id,
        Fingerprint = fingerprint,
        RegistrationId = registrationId,
        TransportAddress = push,
        HttpPullModel = push is null,
        XmlSignature = true,
        CreatedAt = T0,
        UpdatedAt = T0,
    };

    private static VtnEvent Event(string id, long modificationNumber = 0, bool cancelled = false) => new()
    {
        EventId = id,
        ModificationNumber = modificationNumber,
        MarketContext = "http://market.example/a",
        Priority = 1,
        CreatedDateTime = T0,
        DtStart = T0.AddHours(1),
        Duration = TimeSpan.FromHours(2),
        StartAfter = TimeSpan.FromMinutes(5),
        Cancelled = cancelled,
        Signals =
        [
            new VtnEventSignal
            {
                SignalName = "SIMPLE",
                SignalType = FlexCoop.OpenAdr.Model.SignalType.Level,
                SignalId = "s0",
                CurrentValue = 0,
                Intervals = [new VtnInterval(TimeSpan.FromHours(1), 1), new VtnInterval(TimeSpan.FromHours(1), 2)],
            },
        ],
        Targets = new VtnTargets { VenIds = ["ven-a"], ResourceIds = ["r1"] },
    };

    [Fact]
    public async Task Saved_ven_reads_back_with_every_field()
    {
        var ven = Ven("ven-a", "AA:BB:CC", push: "https://ven.example/push");
        await Store.SaveVenAsync(ven, Ct);

        Assert.Equal(ven, await Store.GetVenAsync("ven-a", Ct));
        Assert.Equal(ven, await Store.GetVenByFingerprintAsync("AA:BB:CC", Ct));
        Assert.Null(await Store.GetVenAsync("nobody", Ct));
        Assert.True(ven.IsPush);
    }

    [Fact]
    public async Task Two_vens_cannot_share_a_certificate_fingerprint()
    {
        await Store.SaveVenAsync(Ven("ven-a", "AA:BB"), Ct);
        await Assert.ThrowsAsync<VtnStoreException>(() => Store.SaveVenAsync(Ven("ven-b", "AA:BB"), Ct));
        // Plain-HTTP VENs have no fingerprint: any number of them.
        await Store.SaveVenAsync(Ven("ven-c", ""), Ct);
        await Store.SaveVenAsync(Ven("ven-d", ""), Ct);
        Assert.Equal(["ven-a", "ven-c", "ven-d"], (await Store.ListVensAsync(Ct)).Select(v => v.VenId));
    }

    [Fact]
    public async Task Cancel_registration_keeps_identity_and_drops_pending_messages_requests_and_opts()
    {
        await Store.SaveVenAsync(Ven("ven-a", "AA"), Ct);
        await Store.EnqueueAsync([new OutboundRequest("ven-a", "oadrDistributeEvent", null, OutboundChannel.Poll)], T0, Ct);
        await Store.SaveReportRequestsAsync([new ReportRequestRecord { ReportRequestId = "rr1", VenId = "ven-a", ReportSpecifierId = "RS", CreatedAt = T0, UpdatedAt = T0 }], [], Ct);
        await Store.SaveOptAsync(new OptRecord { OptId = "o1", VenId = "ven-a", OptType = "optOut", OptReason = "economic", CreatedAt = T0 }, null, Ct);

        Assert.False(await Store.CancelRegistrationAsync("ven-a", "wrong-registration", T0, Ct));
        Assert.True(await Store.CancelRegistrationAsync("ven-a", "reg-1", T0, Ct));

        var ven = await Store.GetVenAsync("ven-a", Ct);
        Assert.NotNull(ven);
        Assert.False(ven.IsRegistered);
        Assert.Equal("AA", ven.Fingerprint);
        Assert.False(await Store.HasPendingForPollAsync("ven-a", Ct));
        Assert.Equal(ReportRequestState.Cancelled, (await Store.GetReportRequestAsync("rr1", Ct))!.State);
        Assert.True((await Store.GetOptAsync("ven-a", "o1", Ct))!.Cancelled);
    }

    [Fact]
    public async Task Event_versions_must_count_up_from_zero_by_one()
    {
        await Assert.ThrowsAsync<VtnStoreException>(() => Store.SaveEventAsync(Event("e1", 1), [], Ct));
        await Store.SaveEventAsync(Event("e1", 0), [], Ct);
        await Assert.ThrowsAsync<VtnStoreException>(() => Store.SaveEventAsync(Event("e1", 0), [], Ct));
        await Assert.ThrowsAsync<VtnStoreException>(() => Store.SaveEventAsync(Event("e1", 2), [], Ct));
        await Store.SaveEventAsync(Event("e1", 1, cancelled: true), [], Ct);

        var latest = await Store.GetEventAsync("e1", Ct);
        Assert.NotNull(latest);
        Assert.Equal(1, latest.ModificationNumber);
        Assert.True(latest.Cancelled);
        Assert.Equal(Event("e1", 1, cancelled: true).Signals[0].Intervals, latest.Signals[0].Intervals);
        Assert.Equal(["ven-a"], latest.Targets.VenIds);
        Assert.Equal([0L, 1L], (await Store.GetEventHistoryAsync("e1", Ct)).Select(e => e.ModificationNumber));
    }

    [Fact]
    public async Task A_refused_event_version_enqueues_nothing()
    {
        var notify = new[] { new OutboundRequest("ven-a", "oadrDistributeEvent", null, OutboundChannel.Poll) };
        await Assert.ThrowsAsync<VtnStoreException>(() => Store.SaveEventAsync(Event("e1", 5), notify, Ct));
        Assert.False(await Store.HasPendingForPollAsync("ven-a", Ct));

        await Store.SaveEventAsync(Event("e1", 0), notify, Ct);
        Assert.True(await Store.HasPendingForPollAsync("ven-a", Ct));
    }

    [Fact]
    public async Task List_events_since_leaves_out_those_distributed_until_before()
    {
        await Store.SaveEventAsync(Event("e1"), [], Ct);
        await Store.SaveEventAsync(Event("e2") with { Duration = TimeSpan.Zero }, [], Ct);
        // e1 is distributed until dtstart + 2 h + 5 min.
        Assert.Equal(["e1", "e2"], (await Store.ListEventsAsync(T0.AddHours(3), Ct)).Select(e => e.EventId));
        Assert.Equal(["e2"], (await Store.ListEventsAsync(T0.AddHours(3).AddMinutes(6), Ct)).Select(e => e.EventId));
    }

    [Fact]
    public async Task Coalesced_messages_without_body_are_queued_once()
    {
        var distribute = new OutboundRequest("ven-a", "oadrDistributeEvent", null, OutboundChannel.Poll, Coalesce: true);
        Assert.Single(await Store.EnqueueAsync([distribute], T0, Ct));
        Assert.Empty(await Store.EnqueueAsync([distribute], T0, Ct));
        Assert.Single(await Store.EnqueueAsync([new OutboundRequest("ven-a", "oadrCreateReport", "<x/>", OutboundChannel.Poll, Coalesce: true)], T0, Ct));
        Assert.Equal(2, (await Store.ListOutboundAsync("ven-a", Ct)).Count);
    }

    [Fact]
    public async Task A_leased_message_is_not_due_and_not_coalesced_into()
    {
        var distribute = new OutboundRequest("ven-a", "oadrDistributeEvent", null, OutboundChannel.Push, Coalesce: true);
        var first = Assert.Single(await Store.EnqueueAsync([distribute], T0, Ct));
        await Store.LeaseAsync(first, T0.AddSeconds(30), Ct);

        Assert.Empty(await Store.ListDuePushAsync(T0.AddSeconds(10), 10, Ct));
        Assert.Single(await Store.EnqueueAsync([distribute], T0.AddSeconds(10), Ct));
        Assert.Equal(2, (await Store.ListDuePushAsync(T0.AddSeconds(30), 10, Ct)).Count);
    }

    [Fact]
    public async Task Poll_takes_messages_oldest_first_and_each_once()
    {
        await Store.EnqueueAsync(
        [
            new OutboundRequest("ven-a", "oadrCreateReport", "<one/>", OutboundChannel.Poll),
            new OutboundRequest("ven-b", "oadrCreateReport", "<other/>", OutboundChannel.Poll),
            new OutboundRequest("ven-a", "oadrDistributeEvent", null, OutboundChannel.Poll),
            new OutboundRequest("ven-a", "oadrCreateReport", "<push/>", OutboundChannel.Push),
        ], T0, Ct);

        var first = await Store.TakeNextForPollAsync("ven-a", T0, Ct);
        var second = await Store.TakeNextForPollAsync("ven-a", T0, Ct);
        Assert.Equal(("oadrCreateReport", "<one/>"), (first!.Kind, first.Body));
        Assert.Equal(("oadrDistributeEvent", (string?)null), (second!.Kind, second.Body));
        Assert.Equal(OutboundState.Delivered, second.State);
        Assert.Null(await Store.TakeNextForPollAsync("ven-a", T0, Ct));
        Assert.False(await Store.HasPendingForPollAsync("ven-a", Ct));
        Assert.True(await Store.HasPendingForPollAsync("ven-b", Ct));
    }

    [Fact]
    public async Task Concurrent_polls_never_hand_out_a_message_twice()
    {
        var requests = Enumerable.Range(0, 20).Select(i => new OutboundRequest("ven-a", "oadrCreateReport", $"<m{i}/>", OutboundChannel.Poll)).ToArray();
        await Store.EnqueueAsync(requests, T0, Ct);

        var taken = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Store.TakeNextForPollAsync("ven-a", T0, Ct)));

        var bodies = taken.Where(m => m is not null).Select(m => m!.Body!).ToList();
        while (await Store.TakeNextForPollAsync("ven-a", T0, Ct) is { } late)
        {
            bodies.Add(late.Body!);
        }
        Assert.Equal(requests.Select(r => r.Body!).Order(), bodies.Order());
    }

    [Fact]
    public async Task Push_messages_are_due_until_delivered_or_given_up()
    {
        var ids = await Store.EnqueueAsync(
        [
            new OutboundRequest("ven-a", "oadrDistributeEvent", null, OutboundChannel.Push),
            new OutboundRequest("ven-b", "oadrCreateReport", "<r/>", OutboundChannel.Push),
        ], T0, Ct);

        Assert.Equal(ids, (await Store.ListDuePushAsync(T0, 10, Ct)).Select(m => m.Id));

        await Store.MarkAttemptFailedAsync(ids[0], T0.AddSeconds(30), "connection refused", Ct);
        await Store.MarkDeliveredAsync(ids[1], T0, Ct);
        Assert.Empty(await Store.ListDuePushAsync(T0.AddSeconds(29), 10, Ct));
        var retry = Assert.Single(await Store.ListDuePushAsync(T0.AddSeconds(30), 10, Ct));
        Assert.Equal((1, "connection refused"), (retry.Attempts, retry.LastError));

        await Store.MarkAttemptFailedAsync(ids[0], null, "gave up", Ct);
        Assert.Empty(await Store.ListDuePushAsync(T0.AddDays(1), 10, Ct));
        Assert.Equal(OutboundState.Failed, (await Store.ListOutboundAsync("ven-a", Ct))[0].State);
    }

    [Fact]
    public async Task Opts_are_replaced_by_optId_and_cancelled_per_ven()
    {
        var opt = new OptRecord
        {
            OptId = "o1",
            VenId = "ven-a",
            OptType = "optIn",
            OptReason = "participating",
            MarketContext = "http://market.example/a",
            Windows = [new OptWindow(T0, TimeSpan.FromHours(1)), new OptWindow(T0.AddHours(2), TimeSpan.Zero)],
            CreatedAt = T0,
        };
        await Store.SaveOptAsync(opt, null, Ct);
        await Store.SaveOptAsync(opt with { OptType = "optOut", CreatedAt = T0.AddMinutes(1) }, null, Ct);

        var stored = Assert.Single(await Store.ListOptsAsync("ven-a", Ct));
        Assert.Equal("optOut", stored.OptType);
        Assert.Equal(opt.Windows, stored.Windows);
        Assert.False(await Store.CancelOptAsync("ven-b", "o1", Ct));
        Assert.True(await Store.CancelOptAsync("ven-a", "o1", Ct));
        Assert.True((await Store.GetOptAsync("ven-a", "o1", Ct))!.Cancelled);
    }

    [Fact]
    public async Task An_event_opt_and_its_event_response_are_stored_together()
    {
        var response = new EventResponseRecord { EventId = "e1", VenId = "ven-a", ModificationNumber = 0, OptType = "optOut", ResponseCode = "200", Source = "oadrCreateOpt", ReceivedAt = T0 };
        await Store.SaveOptAsync(new OptRecord { OptId = "o1", VenId = "ven-a", OptType = "optOut", OptReason = "emergency", EventId = "e1", ModificationNumber = 0, CreatedAt = T0 }, response, Ct);
        Assert.Equal(response, Assert.Single(await Store.GetEventResponsesAsync("e1", Ct)));

        await Store.SaveEventResponseAsync(response with { OptType = "optIn", Source = "oadrCreatedEvent" }, Ct);
        Assert.Equal("optIn", Assert.Single(await Store.GetEventResponsesAsync("e1", Ct)).OptType);
    }

    [Fact]
    public async Task Report_registration_replaces_earlier_metadata_and_stores_requests()
    {
        var status = new VenReportRecord
        {
            VenId = "ven-a",
            ReportSpecifierId = "RS_STATUS",
            ReportName = "TELEMETRY_STATUS",
            RegisteredAt = T0,
            Descriptions = [new ReportDescriptionRecord { RId = "status", ReportType = "x-resourceStatus", ReadingType = "x-notApplicable", MinPeriod = TimeSpan.FromSeconds(10) }],
        };
        await Store.RegisterVenReportsAsync("ven-a", [status with { ReportSpecifierId = "OLD" }], [], Ct);
        var request = new ReportRequestRecord
        {
            ReportRequestId = "rr1",
            VenId = "ven-a",
            ReportSpecifierId = "RS_STATUS",
            RIds = ["status"],
            Granularity = TimeSpan.FromSeconds(10),
            ReportBackDuration = TimeSpan.FromSeconds(10),
            Start = T0.AddMinutes(1),
            CreatedAt = T0,
            UpdatedAt = T0,
        };
        await Store.RegisterVenReportsAsync("ven-a", [status], [request], Ct);

        Assert.Equal(status.Descriptions, Assert.Single(await Store.GetVenReportsAsync("ven-a", Ct)).Descriptions);
        var stored = await Store.GetReportRequestAsync("rr1", Ct);
        Assert.NotNull(stored);
        Assert.Equal(request.RIds, stored.RIds);
        Assert.Equal(request with { RIds = stored.RIds }, stored);
        Assert.Equal(1, await Store.SetReportRequestStateAsync("ven-a", ["rr1", "unknown"], ReportRequestState.Active, T0.AddSeconds(1), Ct));
        Assert.Equal(0, await Store.SetReportRequestStateAsync("ven-b", ["rr1"], ReportRequestState.Cancelled, T0, Ct));
        Assert.Equal(ReportRequestState.Active, Assert.Single(await Store.ListReportRequestsAsync("ven-a", Ct)).State);
    }

    [Fact]
    public async Task Readings_come_back_oldest_first_limited_to_the_newest()
    {
        var readings = Enumerable.Range(0, 5).Select(i => new ReportReadingRecord
        {
            VenId = "ven-a",
            ReportRequestId = i < 3 ? "rr1" : "rr2",
            ReportSpecifierId = "RS",
            RId = "usage",
            DtStart = T0.AddMinutes(i),
            Duration = TimeSpan.FromMinutes(1),
            Value = i * 1.5,
            PayloadText = i == 4 ? "online=true" : null,
            ReceivedAt = T0.AddMinutes(i + 1),
        }).ToList();
        await Store.AddReadingsAsync(readings, Ct);

        Assert.Equal(readings, await Store.GetReadingsAsync("ven-a", null, 10, Ct));
        Assert.Equal(readings.Skip(3), await Store.GetReadingsAsync("ven-a", null, 2, Ct));
        Assert.Equal(readings.Take(3), await Store.GetReadingsAsync("ven-a", "rr1", 10, Ct));
        Assert.Empty(await Store.GetReadingsAsync("ven-b", null, 10, Ct));
    }

    [Fact]
    public async Task A_second_store_on_the_same_database_sees_every_commit()
    {
        await Store.SaveVenAsync(Ven("ven-a", "AA"), Ct);
        await Store.SaveEventAsync(Event("e1"), [new OutboundRequest("ven-a", "oadrDistributeEvent", null, OutboundChannel.Push)], Ct);

        await using var other = await ReopenAsync();
        Assert.Equal("ven-a", (await other.GetVenByFingerprintAsync("AA", Ct))!.VenId);
        Assert.Equal("e1", (await other.GetEventAsync("e1", Ct))!.EventId);
        Assert.Single(await other.ListDuePushAsync(T0, 10, Ct));
    }
}
