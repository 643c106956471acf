using FlexCoop.OpenAdr.Ven;
using FlexCoop.OpenAdr.Vtn;
using FlexCoop.OpenAdr.Vtn.Storage;

namespace FlexCoop.OpenAdr.Engine.Tests.EndToEnd;

/// <summary>Push: the VTN POSTs to the VEN's listener over mutual TLS; undelivered messages survive a VTN restart.</summary>
public sealed class PushTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Event_is_pushed_and_the_answer_in_the_response_body_is_stored()
    {
        await using var h = await VtnHarness.StartAsync();
        var ven = await h.StartVenAsync(h.VenOptions("push-ven") with { PushListenUrl = "https://127.0.0.1:0" });
        var stored = await h.Store.GetVenAsync(ven.VenId!, Ct);
        Assert.True(stored!.IsPush);
        Assert.Equal(ven.PushUrl!.ToString().TrimEnd('/'), stored.TransportAddress);

        var responded = h.NextActivity(a => a.Kind == VtnActivityKind.EventResponse);
        var created = await h.Vtn.CreateEventAsync(Events.Simple(VtnHarness.Start.AddHours(1)), Ct);
        await responded;

        Assert.Equal([created.EventId], ven.Events.Select(e => e.EventId));
        Assert.Equal("optIn", Assert.Single(await h.Store.GetEventResponsesAsync(created.EventId, Ct)).OptType);
    }

    [Fact]
    public async Task Undelivered_push_survives_a_vtn_restart_and_is_delivered_when_the_ven_is_back()
    {
        var dir = Directory.CreateTempSubdirectory("flexcoop-push-").FullName;
        var venState = Path.Combine(dir, "ven.db");
        VenOptions venOptions;
        string eventId;
        int port;
        await using (var first = await VtnHarness.StartAsync(dir: dir))
        {
            venOptions = first.VenOptions("push-ven") with { PushListenUrl = "https://127.0.0.1:0", StatePath = venState };
            var metadata = first.NextActivity(a => a.Kind == VtnActivityKind.Delivered && a.Detail == "oadrRegisterReport");
            var distribute = first.NextActivity(a => a.Kind == VtnActivityKind.Delivered && a.Detail == "oadrDistributeEvent");
            await using (var ven = await OadrVen.StartAsync(venOptions, first.Clock, cancellationToken: Ct))
            {
                port = ven.PushUrl!.Port;
                await Task.WhenAll(metadata, distribute); // what registration queued has been pushed
            }
            // The VEN is down: the push fails and stays queued.
            var failed = first.NextActivity(a => a.Kind == VtnActivityKind.PushFailed && a.Detail.StartsWith("oadrDistributeEvent", StringComparison.Ordinal));
            eventId = (await first.Vtn.CreateEventAsync(Events.Simple(VtnHarness.Start.AddHours(1)), Ct)).EventId;
            await failed;
            await first.Server.DisposeAsync();
        }

        // A new VTN process on the same database, and the VEN back on its address.
        await using var second = await VtnHarness.StartAsync(o => o, dir);
        venOptions = venOptions with { VtnUrl = second.Server.Url, PushListenUrl = $"https://127.0.0.1:{port}" };
        var answered = second.NextActivity(a => a.Kind == VtnActivityKind.EventResponse);
        await using var back = await OadrVen.StartAsync(venOptions, second.Clock, cancellationToken: Ct);
        await second.AdvanceUntilAsync(answered, TimeSpan.FromSeconds(1)); // retries come due as time passes

        Assert.Equal([eventId], back.Events.Select(e => e.EventId));
        var delivered = (await second.Store.ListOutboundAsync(back.VenId!, Ct)).Where(m => m.Kind == "oadrDistributeEvent").ToList();
        Assert.Contains(delivered, m => m.State == OutboundState.Delivered && m.Attempts >= 2);
    }
}
