using System.Collections.Concurrent;
using System.Net.Http.Json;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Ven;
using FlexCoop.OpenAdr.Vtn.Storage;
using FlexCoop.ReferenceSystem.Hosting;
using FlexCoop.Testing;

namespace FlexCoop.ReferenceSystem.Tests.Middleware;

/// <summary>
/// Push VENs with two nodes on one PostgreSQL store and one MQTT bus: both nodes' push dispatchers
/// see every queued message, and exactly one of them delivers each (the claim on the outbox row).
/// </summary>
public sealed class PushOwnershipTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_nodes_push_each_queued_distribute_to_its_ven_exactly_once()
    {
        var cs = Environment.GetEnvironmentVariable("FLEXCOOP_TEST_POSTGRES");
        if (string.IsNullOrEmpty(cs)) TestEnvironment.SkipOrFail("FLEXCOOP_TEST_POSTGRES is not set (a PostgreSQL connection string)");
        var mqttUrl = Environment.GetEnvironmentVariable("FLEXCOOP_TEST_MQTT");
        if (string.IsNullOrEmpty(mqttUrl)) TestEnvironment.SkipOrFail("FLEXCOOP_TEST_MQTT is not set (mqtt://HOST:PORT of a broker)");
        var prefix = "t" + Guid.NewGuid().ToString("N")[..12];
        MiddlewareOptions Configure(MiddlewareOptions o) => o with { PostgresConnectionString = cs, SchemaPrefix = prefix, MqttUrl = new Uri(mqttUrl!) };
        await using var a = await MiddlewareHarness.StartAsync(configure: Configure, name: "A");
        await using var b = await MiddlewareHarness.StartAsync(configure: Configure, name: "B");
        var store = a.Host.Store.Vtn;

        // Four push VENs, two registered through each node.
        var vens = new List<OadrVen>();
        for (var i = 1; i <= 4; i++)
        {
            var node = i % 2 == 0 ? b : a;
            var osb = await TestOsb.EnrolAsync(node.Http, node.Url, await node.ClientTokenAsync(), $"home-{i:0000}");
            var ven = await osb.StartAsync(node.Url, pushListenUrl: "https://127.0.0.1:0");
            vens.Add(ven);
            Assert.True((await store.GetVenAsync(ven.VenId!, Ct))!.IsPush);
        }
        try
        {
            // What registration queued (report requests, the first distribute) is out of the way first.
            await WaitUntilAsync(async () => await AllSettledAsync(store, vens), "the registrations' pushes to be delivered");
            var before = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var ven in vens) before[ven.VenId!] = (await store.ListOutboundAsync(ven.VenId!, Ct)).Select(m => m.Id).DefaultIfEmpty(0).Max();
            var pushed = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
            foreach (var ven in vens)
            {
                ven.MessageReceived += (_, e) =>
                {
                    if (e.Pushed && e.Message is OadrDistributeEvent) pushed.AddOrUpdate(ven.VenId!, 1, (_, n) => n + 1);
                };
            }

            // Events created alternately through each node's operator API: each node's dispatcher wakes for each.
            var token = await a.PasswordTokenAsync("aggregator", "registry operator");
            var eventIds = new List<string>();
            for (var e = 0; e < 4; e++)
            {
                var node = e % 2 == 0 ? a : b;
                var eventId = $"evt-push-{e}";
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(node.Url, "/api/vtn/events"))
                {
                    Content = JsonContent.Create(new
                    {
                        eventId,
                        dtStart = DateTimeOffset.UtcNow.AddHours(1 + e),
                        signals = new[] { new { signalName = "SIMPLE", intervals = new[] { new { duration = "PT1H", value = 1.0 } } } },
                    }),
                };
                request.Headers.Authorization = new("Bearer", token);
                using var response = await node.Http.SendAsync(request, Ct);
                Assert.Equal(201, (int)response.StatusCode);
                eventIds.Add(eventId);
            }

            await WaitUntilAsync(async () => vens.All(v => eventIds.All(id => v.Events.Any(e => e.EventId == id))) && await AllSettledAsync(store, vens),
                "every VEN to have every event and the queue to be delivered", () => DescribeAsync(store, vens));
            foreach (var ven in vens)
            {
                var rows = (await store.ListOutboundAsync(ven.VenId!, Ct)).Where(m => m.Id > before[ven.VenId!] && m.Kind == "oadrDistributeEvent").ToList();
                Assert.NotEmpty(rows);
                Assert.All(rows, m => Assert.Equal(OutboundState.Delivered, m.State));
                // One delivery attempt per queued distribute, and the VEN received each once.
                Assert.All(rows, m => Assert.Equal(1, m.Attempts));
                Assert.Equal(rows.Count, pushed.GetValueOrDefault(ven.VenId!));
            }
        }
        finally
        {
            foreach (var ven in vens) await ven.DisposeAsync();
        }
    }

    private static async Task<bool> AllSettledAsync(IVtnStore store, IReadOnlyList<OadrVen> vens)
    {
        foreach (var ven in vens)
        {
            if ((await store.ListOutboundAsync(ven.VenId!, Ct)).Any(m => m.State == OutboundState.Pending)) return false;
        }
        return true;
    }

    // What each VEN holds and what its queue says: the message of a failed wait.
    private static async Task<string> DescribeAsync(IVtnStore store, IReadOnlyList<OadrVen> vens)
    {
        var lines = new List<string>();
        foreach (var ven in vens)
        {
            lines.Add($"{ven.VenId}: events [{string.Join(", ", ven.Events.Select(e => e.EventId))}]");
            foreach (var m in await store.ListOutboundAsync(ven.VenId!, Ct))
            {
                lines.Add($"  #{m.Id} {m.Kind} {m.State} attempts={m.Attempts} created={m.CreatedAt:HH:mm:ss.fff} next={m.NextAttemptAt:HH:mm:ss.fff} {m.LastError}");
            }
        }
        return string.Join('\n', lines);
    }

    /// <summary>Re-checks <paramref name="condition"/> (state in the shared store, which raises no event) until it holds; fails after 60 s.</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, Func<Task<string>>? describe = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for {what}" + (describe is null ? "" : "\n" + await describe()));
            await Task.Delay(100, Ct);
        }
    }
}
