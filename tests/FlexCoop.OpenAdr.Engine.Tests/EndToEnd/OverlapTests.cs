using FlexCoop.OpenAdr.Vtn;
using FlexCoop.OpenAdr.Vtn.Storage;

namespace FlexCoop.OpenAdr.Engine.Tests.EndToEnd;

/// <summary>Rule 18: events overlap only across market contexts, where priority decides.</summary>
public sealed class OverlapTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Overlapping_event_in_the_same_market_context_is_refused_naming_rule_18_and_not_stored()
    {
        await using var h = await VtnHarness.StartAsync();
        var first = await h.Vtn.CreateEventAsync(Events.Simple(VtnHarness.Start.AddHours(1)), Ct);

        var refused = await Assert.ThrowsAsync<VtnOperationException>(() => h.Vtn.CreateEventAsync(Events.Simple(VtnHarness.Start.AddHours(1).AddMinutes(30)), Ct));

        Assert.Contains("rule 18", refused.Message, StringComparison.Ordinal);
        Assert.Contains(first.EventId, refused.Message, StringComparison.Ordinal);
        Assert.Equal([first.EventId], (await h.Store.ListEventsAsync(DateTimeOffset.MinValue, Ct)).Select(e => e.EventId).Distinct());
    }

    [Fact]
    public async Task Start_window_and_open_ended_duration_count_as_overlap()
    {
        await using var h = await VtnHarness.StartAsync();
        var t = VtnHarness.Start;
        await h.Vtn.CreateEventAsync(Events.Simple(t.AddHours(1), startAfter: TimeSpan.FromMinutes(30)), Ct);
        await Assert.ThrowsAsync<VtnOperationException>(() => h.Vtn.CreateEventAsync(Events.Simple(t.AddHours(2).AddMinutes(10)), Ct));
        await h.Vtn.CreateEventAsync(Events.Simple(t.AddHours(2).AddMinutes(30)), Ct); // starts where the first can end at the latest

        await h.Vtn.CreateEventAsync(Events.Simple(t.AddDays(1)) with { Duration = TimeSpan.Zero }, Ct);
        await Assert.ThrowsAsync<VtnOperationException>(() => h.Vtn.CreateEventAsync(Events.Simple(t.AddDays(30)), Ct));
    }

    [Fact]
    public async Task Overlap_is_allowed_across_market_contexts_back_to_back_in_one_and_for_disjoint_venIds()
    {
        await using var h = await VtnHarness.StartAsync();
        var t = VtnHarness.Start.AddHours(1);
        await h.Vtn.CreateEventAsync(Events.Simple(t), Ct);
        await h.Vtn.CreateEventAsync(Events.Simple(t) with { MarketContext = VtnHarness.Other }, Ct);
        await h.Vtn.CreateEventAsync(Events.Simple(t.AddHours(1)), Ct); // starts as the first ends
        await h.Vtn.CreateEventAsync(Events.Simple(t.AddDays(1), targets: new VtnTargets { VenIds = ["ven-a"] }), Ct);
        await h.Vtn.CreateEventAsync(Events.Simple(t.AddDays(1), targets: new VtnTargets { VenIds = ["ven-b"] }), Ct);
        // A resource target may belong to ven-a: that could reach the same VEN.
        await Assert.ThrowsAsync<VtnOperationException>(() => h.Vtn.CreateEventAsync(Events.Simple(t.AddDays(1), targets: new VtnTargets { ResourceIds = ["meter-1"] }), Ct));

        Assert.Equal(5, h.Vtn.Events.Count);
    }

    [Fact]
    public async Task Cancelled_event_no_longer_blocks_and_a_modification_into_overlap_is_refused()
    {
        await using var h = await VtnHarness.StartAsync();
        var t = VtnHarness.Start.AddHours(1);
        var first = await h.Vtn.CreateEventAsync(Events.Simple(t), Ct);
        var later = await h.Vtn.CreateEventAsync(Events.Simple(t.AddHours(3)), Ct);

        var refused = await Assert.ThrowsAsync<VtnOperationException>(() => h.Vtn.ModifyEventAsync(later.EventId, e => e with { DtStart = t.AddMinutes(30) }, cancellationToken: Ct));
        Assert.Contains("rule 18", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Vtn.Events.Single(e => e.EventId == later.EventId).ModificationNumber);

        await h.Vtn.CancelEventAsync(first.EventId, cancellationToken: Ct);
        var moved = await h.Vtn.ModifyEventAsync(later.EventId, e => e with { DtStart = t.AddMinutes(30) }, cancellationToken: Ct);
        Assert.Equal(1, moved.ModificationNumber);
    }
}
