using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Vtn;
using FlexCoop.OpenAdr.Vtn.Internal;
using FlexCoop.OpenAdr.Vtn.Storage;

namespace FlexCoop.OpenAdr.Engine.Tests.EndToEnd;

/// <summary>
/// A queued distribute is serialised once per distinct selection of events and each VEN's copy
/// gets its own requestID: the bytes must be exactly what serialising that VEN's distribute writes.
/// </summary>
public sealed class DistributeTemplateTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static OadrDistributeEvent Parse(byte[] bytes) =>
        Assert.IsType<OadrDistributeEvent>(OadrCodec.ParseMessage(bytes));

    // What the VTN would have written for this VEN without the template, with the same requestID.
    private static async Task<byte[]> DirectAsync(OadrVtn vtn, VenRecord ven, string requestId) =>
        OadrVtn.Serialize(await vtn.BuildDistributeAsync(ven, null, Ct) with { RequestId = requestId });

    [Fact]
    public async Task Each_ven_gets_the_serialised_distribute_with_a_requestID_of_its_own()
    {
        await using var h = await VtnHarness.StartAsync();
        var a = h.Vtn.FindVen((await h.StartVenAsync("ven-a")).VenId!)!;
        var b = h.Vtn.FindVen((await h.StartVenAsync("ven-b")).VenId!)!;
        await h.Vtn.CreateEventAsync(Events.Simple(VtnHarness.Start.AddHours(1)), Ct);
        await h.Vtn.CreateEventAsync(Events.Simple(VtnHarness.Start.AddHours(1)) with { MarketContext = VtnHarness.Other }, Ct);

        var copies = new List<byte[]>();
        foreach (var ven in new[] { a, b, a })
        {
            var bytes = await h.Vtn.DistributeBytesAsync(ven, Ct);
            var parsed = Parse(bytes);
            Assert.Equal(2, parsed.Events.Count);
            Assert.Equal(await DirectAsync(h.Vtn, ven, parsed.RequestId), bytes);
            copies.Add(bytes);
        }
        Assert.Equal(3, copies.Select(c => Parse(c).RequestId).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task An_event_targeted_at_one_venID_is_in_that_vens_distribute_only()
    {
        await using var h = await VtnHarness.StartAsync();
        var a = h.Vtn.FindVen((await h.StartVenAsync("ven-a")).VenId!)!;
        var b = h.Vtn.FindVen((await h.StartVenAsync("ven-b")).VenId!)!;
        await h.Vtn.CreateEventAsync(Events.Simple(VtnHarness.Start.AddHours(1)), Ct);
        var onlyA = await h.Vtn.CreateEventAsync(Events.Simple(VtnHarness.Start.AddHours(1), targets: new VtnTargets { VenIds = [a.VenId] }) with { MarketContext = VtnHarness.Other }, Ct);

        var forA = Parse(await h.Vtn.DistributeBytesAsync(a, Ct));
        var forB = Parse(await h.Vtn.DistributeBytesAsync(b, Ct));

        Assert.Contains(onlyA.EventId, forA.Events.Select(e => e.EiEvent.EventDescriptor.EventId));
        Assert.DoesNotContain(onlyA.EventId, forB.Events.Select(e => e.EiEvent.EventDescriptor.EventId));
        Assert.Equal(2, forA.Events.Count);
        Assert.Single(forB.Events);
    }

    [Fact]
    public async Task A_modification_and_the_clock_moving_into_the_next_interval_change_the_bytes()
    {
        await using var h = await VtnHarness.StartAsync();
        var a = h.Vtn.FindVen((await h.StartVenAsync("ven-a")).VenId!)!;
        var draft = Events.Simple(VtnHarness.Start.AddMinutes(10));
        var created = await h.Vtn.CreateEventAsync(draft with
        {
            Signals = [draft.Signals[0] with { Intervals = [new VtnInterval(TimeSpan.FromMinutes(30), 1), new VtnInterval(TimeSpan.FromMinutes(30), 3)] }],
        }, Ct);

        static float? Current(OadrDistributeEvent d) => Assert.Single(Assert.Single(d.Events).EiEvent.EventSignals.Signals).CurrentValue;
        static uint Modification(OadrDistributeEvent d) => Assert.Single(d.Events).EiEvent.EventDescriptor.ModificationNumber;

        var far = Parse(await h.Vtn.DistributeBytesAsync(a, Ct));
        Assert.Equal(EventStatus.Near, Assert.Single(far.Events).EiEvent.EventDescriptor.EventStatus);
        h.Clock.Advance(TimeSpan.FromMinutes(15)); // 5 minutes into the first interval
        var first = await h.Vtn.DistributeBytesAsync(a, Ct);
        Assert.Equal((float?)1f, Current(Parse(first)));
        Assert.Equal(await DirectAsync(h.Vtn, a, Parse(first).RequestId), first);
        h.Clock.Advance(TimeSpan.FromMinutes(30)); // into the second
        var second = await h.Vtn.DistributeBytesAsync(a, Ct);
        Assert.Equal((float?)3f, Current(Parse(second)));
        Assert.Equal(await DirectAsync(h.Vtn, a, Parse(second).RequestId), second);

        await h.Vtn.ModifyEventAsync(created.EventId, e => e with { VtnComment = "changed" }, cancellationToken: Ct);
        var modified = Parse(await h.Vtn.DistributeBytesAsync(a, Ct));
        Assert.Equal(1u, Modification(modified));
        Assert.Equal("changed", Assert.Single(modified.Events).EiEvent.EventDescriptor.VtnComment);
    }

    [Fact]
    public void A_requestID_that_needs_escaping_is_serialised_rather_than_spliced()
    {
        var serialised = 0;
        var template = RequestIdTemplate.Create(id =>
        {
            serialised++;
            return System.Text.Encoding.UTF8.GetBytes($"<m><id>{System.Security.SecurityElement.Escape(id)}</id></m>");
        });
        Assert.Equal(1, serialised);

        Assert.Equal("<m><id>plain-1</id></m>", System.Text.Encoding.UTF8.GetString(template.For("plain-1")));
        Assert.Equal(1, serialised);
        Assert.Equal("<m><id>a&lt;b</id></m>", System.Text.Encoding.UTF8.GetString(template.For("a<b")));
        Assert.Equal(2, serialised);
    }

    [Fact]
    public void A_template_whose_marker_occurs_twice_always_serialises()
    {
        var serialised = 0;
        var template = RequestIdTemplate.Create(id =>
        {
            serialised++;
            return System.Text.Encoding.UTF8.GetBytes($"<m><id>{id}</id><copy>{id}</copy></m>");
        });

        Assert.Equal("<m><id>r1</id><copy>r1</copy></m>", System.Text.Encoding.UTF8.GetString(template.For("r1")));
        Assert.Equal(2, serialised);
    }
}
