using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Ven;
using FlexCoop.OpenAdr.Vtn;
using FlexCoop.OpenAdr.Vtn.Storage;

namespace FlexCoop.OpenAdr.Engine.Tests.EndToEnd;

/// <summary>Events from VTN to VEN and back, pull, over mutual TLS.</summary>
public sealed class EventTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(VtnHarness H, OadrVen Ven)> StartAsync(Func<VenOptions, VenOptions>? configure = null)
    {
        var h = await VtnHarness.StartAsync();
        var options = h.VenOptions("ven") with { ResourceIds = ["meter-1"] };
        var ven = await h.StartVenAsync(configure?.Invoke(options) ?? options);
        await ven.PollNowAsync(Ct);
        return (h, ven);
    }

    private static Task<VenEventChangedEventArgs> Next(OadrVen ven, VenEventChange change)
    {
        var tcs = new TaskCompletionSource<VenEventChangedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        ven.EventChanged += (_, e) =>
        {
            if (e.Change == change) tcs.TrySetResult(e);
        };
        return tcs.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
    }

    [Fact]
    public async Task New_event_has_modificationNumber_0_and_the_ven_answers_optIn()
    {
        var (h, ven) = await StartAsync();
        await using var _ = h;
        var added = Next(ven, VenEventChange.Added);
        var responded = h.NextActivity(a => a.Kind == VtnActivityKind.EventResponse);

        var created = await h.Vtn.CreateEventAsync(Events.Simple(VtnHarness.Start.AddHours(2)), Ct);
        await ven.PollNowAsync(Ct);

        var seen = (await added).Event;
        await responded;
        Assert.Equal((created.EventId, 0u, EventStatus.Far), (seen.EventId, seen.ModificationNumber, seen.Status));
        var response = Assert.Single(await h.Store.GetEventResponsesAsync(created.EventId, Ct));
        Assert.Equal(("optIn", "200", 0L, ven.VenId), (response.OptType, response.ResponseCode, response.ModificationNumber, response.VenId));
        Assert.StartsWith("dist-", response.RequestId); // rule 42: the distribute's requestID is echoed
    }

    [Fact]
    public async Task Modification_increments_modificationNumber_and_keeps_the_random_start_offset()
    {
        var (h, ven) = await StartAsync();
        await using var _ = h;
        var created = await h.Vtn.CreateEventAsync(Events.Simple(VtnHarness.Start.AddHours(2), startAfter: TimeSpan.FromMinutes(10)), Ct);
        await ven.PollNowAsync(Ct);
        var offset = Assert.Single(ven.Events).RandomOffset;
        Assert.InRange(offset, TimeSpan.Zero, TimeSpan.FromMinutes(10));

        var modified = Next(ven, VenEventChange.Modified);
        var changed = await h.Vtn.ModifyEventAsync(created.EventId, e => e with { Signals = Events.Simple(e.DtStart, level: 3).Signals }, "level 3", Ct);
        await ven.PollNowAsync(Ct);

        var seen = (await modified).Event;
        Assert.Equal(1L, changed.ModificationNumber);
        Assert.Equal(1u, seen.ModificationNumber);
        Assert.Equal(offset, seen.RandomOffset); // rule 30
        Assert.Equal(3, seen.ValueAt("SIMPLE", seen.EffectiveStart));
        Assert.Equal([0L, 1L], (await h.Store.GetEventHistoryAsync(created.EventId, Ct)).Select(e => e.ModificationNumber));
        Assert.Equal(1L, Assert.Single(await h.Store.GetEventResponsesAsync(created.EventId, Ct)).ModificationNumber);
    }

    [Fact]
    public async Task Cancelled_event_is_distributed_until_acknowledged_then_left_out()
    {
        var (h, ven) = await StartAsync();
        await using var _ = h;
        var created = await h.Vtn.CreateEventAsync(Events.Simple(VtnHarness.Start.AddHours(2)), Ct);
        await ven.PollNowAsync(Ct);

        var cancelled = Next(ven, VenEventChange.Cancelled);
        var cancel = await h.Vtn.CancelEventAsync(created.EventId, null, Ct);
        await ven.PollNowAsync(Ct);
        await cancelled;

        Assert.Equal(1L, cancel.ModificationNumber); // rule 5: cancelling is a modification
        Assert.Empty(ven.Events); // rule 59: cancel and forget
        var response = Assert.Single(await h.Store.GetEventResponsesAsync(created.EventId, Ct));
        Assert.Equal(("optIn", 1L), (response.OptType, response.ModificationNumber)); // rule 36
        var distribute = await h.Vtn.BuildDistributeAsync(h.Vtn.FindVen(ven.VenId!)!, null, Ct);
        Assert.Empty(distribute.Events); // rule 52: acknowledged
    }

    [Fact]
    public async Task Ven_stays_silent_when_no_response_is_required()
    {
        var (h, ven) = await StartAsync();
        await using var _ = h;
        var added = Next(ven, VenEventChange.Added);
        var created = await h.Vtn.CreateEventAsync(Events.Simple(VtnHarness.Start.AddHours(1), responseRequired: false), Ct);
        await ven.PollNowAsync(Ct);
        await added;

        Assert.Empty(await h.Store.GetEventResponsesAsync(created.EventId, Ct)); // rules 12, 62
    }

    [Fact]
    public async Task Unsupported_signal_is_refused_with_460_and_only_that_event_is_rejected()
    {
        var (h, ven) = await StartAsync();
        await using var _ = h;
        var rejected = Next(ven, VenEventChange.Rejected);
        var good = await h.Vtn.CreateEventAsync(Events.Simple(VtnHarness.Start.AddHours(1)), Ct);
        var bad = await h.Vtn.CreateEventAsync(Events.Simple(VtnHarness.Start.AddHours(1), signal: "x-unknownSignal") with { MarketContext = VtnHarness.Other }, Ct);
        await ven.PollNowAsync(Ct);

        Assert.Contains("460", (await rejected).Reason);
        Assert.Equal([good.EventId], ven.Events.Select(e => e.EventId)); // rule 19
        var refusal = Assert.Single(await h.Store.GetEventResponsesAsync(bad.EventId, Ct));
        Assert.Equal(("optOut", "460"), (refusal.OptType, refusal.ResponseCode));
        Assert.Equal("200", Assert.Single(await h.Store.GetEventResponsesAsync(good.EventId, Ct)).ResponseCode);
    }

    [Fact]
    public async Task Event_targeted_at_other_resources_is_answered_462_and_matching_one_is_taken()
    {
        var (h, ven) = await StartAsync();
        await using var _ = h;
        var other = await h.Vtn.CreateEventAsync(Events.Simple(VtnHarness.Start.AddHours(1), targets: new VtnTargets { ResourceIds = ["meter-9"] }) with { MarketContext = VtnHarness.Other }, Ct);
        var mine = await h.Vtn.CreateEventAsync(Events.Simple(VtnHarness.Start.AddHours(1), targets: new VtnTargets { ResourceIds = ["meter-9", "meter-1"] }), Ct);
        await ven.PollNowAsync(Ct);

        Assert.Equal([mine.EventId], ven.Events.Select(e => e.EventId)); // rule 22: criteria OR'ed
        Assert.Equal("462", Assert.Single(await h.Store.GetEventResponsesAsync(other.EventId, Ct)).ResponseCode);
    }

    [Fact]
    public async Task Event_for_another_venId_never_reaches_this_ven()
    {
        var (h, ven) = await StartAsync();
        await using var _ = h;
        await h.Vtn.CreateEventAsync(Events.Simple(VtnHarness.Start.AddHours(1), targets: new VtnTargets { VenIds = ["someone-else"] }), Ct);
        Assert.Equal(0, await ven.PollNowAsync(Ct));
        Assert.Empty(ven.Events);
    }

    [Fact]
    public async Task Distribute_lists_active_events_first_by_priority_and_completed_last()
    {
        var (h, ven) = await StartAsync();
        await using var _ = h;
        var t = VtnHarness.Start;
        await h.Vtn.CreateEventAsync(Events.Simple(t.AddHours(5)) with { EventId = "far" }, Ct);
        // Overlapping events in three market contexts (rule 18).
        await h.Vtn.CreateEventAsync(Events.Simple(t.AddMinutes(10)) with { EventId = "active-low", Priority = 2, MarketContext = VtnHarness.Other }, Ct);
        await h.Vtn.CreateEventAsync(Events.Simple(t.AddMinutes(20)) with { EventId = "active-high", Priority = 1, MarketContext = VtnHarness.Third }, Ct);
        await h.Vtn.CreateEventAsync(Events.Simple(t.AddMinutes(1)) with { EventId = "done", StartAfter = TimeSpan.FromHours(1) }, Ct);
        await h.Vtn.CreateEventAsync(Events.Simple(t.AddHours(2)) with { EventId = "near", RampUp = TimeSpan.FromHours(1), MarketContext = VtnHarness.Other }, Ct);
        h.Clock.Advance(TimeSpan.FromMinutes(65)); // done: ended at +61 min, still within startafter (rule 66)

        var distribute = await h.Vtn.BuildDistributeAsync(h.Vtn.FindVen(ven.VenId!)!, null, Ct);

        Assert.Equal(["active-high", "active-low", "near", "far", "done"], distribute.Events.Select(e => e.EiEvent.EventDescriptor.EventId));
        Assert.Equal([EventStatus.Active, EventStatus.Active, EventStatus.Near, EventStatus.Far, EventStatus.Completed],
            distribute.Events.Select(e => e.EiEvent.EventDescriptor.EventStatus));
        Assert.Equal(1f, distribute.Events[0].EiEvent.EventSignals.Signals[0].CurrentValue); // active: the interval's value
        Assert.Equal(0f, distribute.Events[3].EiEvent.EventSignals.Signals[0].CurrentValue); // rule 14

        h.Clock.Advance(TimeSpan.FromHours(1)); // past dtstart + duration + startafter of "done"
        distribute = await h.Vtn.BuildDistributeAsync(h.Vtn.FindVen(ven.VenId!)!, null, Ct);
        Assert.DoesNotContain("done", distribute.Events.Select(e => e.EiEvent.EventDescriptor.EventId));
    }

    [Fact]
    public async Task Known_event_missing_from_a_distribute_is_cancelled_implicitly()
    {
        var (h, ven) = await StartAsync();
        await using var _ = h;
        var created = await h.Vtn.CreateEventAsync(Events.Simple(VtnHarness.Start.AddMinutes(5)), Ct);
        await ven.PollNowAsync(Ct);
        Assert.Single(ven.Events);

        var gone = Next(ven, VenEventChange.ImplicitlyCancelled);
        h.Clock.Advance(TimeSpan.FromHours(2)); // completed and past its distribution window (rule 66)
        await ven.RequestEventsAsync(Ct);

        Assert.Equal(created.EventId, (await gone).Event.EventId); // rule 61
        Assert.Empty(ven.Events);
    }

    [Fact]
    public async Task Created_event_with_unknown_event_or_wrong_modificationNumber_is_refused()
    {
        var (h, ven) = await StartAsync();
        await using var _ = h;
        var created = await h.Vtn.CreateEventAsync(Events.Simple(VtnHarness.Start.AddHours(1)), Ct);
        await ven.PollNowAsync(Ct);
        using var client = VtnHarness.RawClient(h.VenCertificate(ven));

        var unknown = (OadrResponse)await h.SendAsync(client, "EiEvent", Messages.CreatedEvent(ven.VenId!, "no-such-event", 0, OptType.OptOut));
        var stale = (OadrResponse)await h.SendAsync(client, "EiEvent", Messages.CreatedEvent(ven.VenId!, created.EventId, 7, OptType.OptOut));

        Assert.Equal("452", unknown.EiResponse.ResponseCode.Value); // rule 48
        Assert.Equal("450", stale.EiResponse.ResponseCode.Value);
        Assert.Equal("optIn", Assert.Single(await h.Store.GetEventResponsesAsync(created.EventId, Ct)).OptType);
    }
}
