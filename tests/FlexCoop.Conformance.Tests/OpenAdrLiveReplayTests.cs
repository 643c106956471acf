using FlexCoop.Conformance.Replay;
using FlexCoop.Conformance.Replay.OpenAdr;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Ven;
using FlexCoop.OpenAdr.Vtn;
using FlexCoop.OpenAdr.Vtn.Storage;

namespace FlexCoop.Conformance.Tests;

/// <summary>
/// The VTN's and VEN's message logs as captures, and <c>--against</c>: a conversation recorded between
/// our VEN and VTN is re-sent to a second VTN started fresh on loopback.
/// </summary>
public sealed class OpenAdrLiveReplayTests : IDisposable
{
    private const string Program = "http://flexcoop.example/programs/test";
    private static readonly DateTimeOffset EventStart = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(3).AddHours(17);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("flexcoop-live-replay-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Delete(recursive: true);

    private static VtnEvent Peak(int level) => new()
    {
        EventId = "",
        MarketContext = Program,
        Priority = 1,
        DtStart = EventStart,
        Duration = TimeSpan.FromHours(1),
        ResponseRequired = true,
        Targets = VtnTargets.Everyone,
        Signals =
        [
            new VtnEventSignal
            {
                SignalName = "SIMPLE",
                SignalType = SignalType.Level,
                SignalId = "s0",
                Intervals = [new VtnInterval(TimeSpan.FromMinutes(30), level), new VtnInterval(TimeSpan.FromMinutes(30), level)],
            },
        ],
    };

    /// <summary>A VTN on plain HTTP, port 0, with its own SQLite file and an event at <paramref name="level"/>.</summary>
    private async Task<(VtnServer Server, SqliteVtnStore Store)> StartVtnAsync(string name, int level, string? messageLog = null, bool eventFirst = true)
    {
        var store = new SqliteVtnStore(Path.Combine(_dir.FullName, name + ".db"));
        var server = await VtnServer.StartAsync(new VtnOptions
        {
            VtnId = "live-vtn",
            Urls = ["http://127.0.0.1:0"],
            InsecureHttp = true,
            Programs = [new VtnProgram(Program)],
            TelemetryGranularity = TimeSpan.Zero,
            MessageLogPath = messageLog,
        }, store, cancellationToken: Ct);
        if (eventFirst) await server.Vtn.CreateEventAsync(Peak(level), Ct);
        return (server, store);
    }

    /// <summary>Our VEN registers, polls, receives the event and opts in; both sides log every exchange.</summary>
    private async Task<(string VtnLog, string VenLog)> RecordAsync()
    {
        var vtnLog = Path.Combine(_dir.FullName, "vtn.jsonl");
        var venLog = Path.Combine(_dir.FullName, "ven.jsonl");
        var (server, store) = await StartVtnAsync("recorded", level: 1, vtnLog, eventFirst: false);
        await using (store)
        await using (server)
        {
            await using var ven = await OadrVen.StartAsync(new VenOptions
            {
                VtnUrl = server.Url,
                VenName = "replayed-ven",
                InsecureHttp = true,
                PollFrequency = TimeSpan.FromDays(1),
                MessageLogPath = venLog,
            }, cancellationToken: Ct);
            await server.Vtn.CreateEventAsync(Peak(1), Ct);
            var responded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            server.Vtn.Activity += (_, e) =>
            {
                if (e.Activity.Kind == VtnActivityKind.EventResponse) responded.TrySetResult();
            };
            await ven.PollNowAsync(Ct);
            await responded.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
            await ven.PollNowAsync(Ct);
        }
        return (vtnLog, venLog);
    }

    [Fact]
    public async Task Vtn_and_ven_message_logs_are_captures_that_replay_and_agree()
    {
        var (vtnLog, venLog) = await RecordAsync();

        var vtnCapture = Capture.Load(vtnLog);
        var venCapture = Capture.Load(venLog);
        var report = ReplayEngine.Run(vtnCapture, [new OpenAdrReplayProtocol()]);

        Assert.True(report.AllPassed, string.Join("\n", report.Verdicts.Select(v => $"#{v.Seq} {v.MessageType}: {string.Join("; ", v.Findings)}")));
        var types = report.Verdicts.Select(v => v.MessageType).ToList();
        Assert.Contains("oadrCreatePartyRegistration", types);
        Assert.Contains("oadrDistributeEvent", types);
        Assert.Contains("oadrCreatedEvent", types);
        // The VEN logged the same exchanges it sent, byte for byte, in the same order.
        Assert.Equal(vtnCapture.Exchanges.Select(e => (e.Path, Convert.ToBase64String(e.RequestBody.Span), e.Status)),
                     venCapture.Exchanges.Select(e => (e.Path, Convert.ToBase64String(e.RequestBody.Span), e.Status)));
        // Once registered, every exchange is filed under the venID the VTN assigned (before, under the VEN's address).
        var venId = report.Verdicts.Single(v => v.MessageType == "oadrCreatedEvent").Party;
        Assert.StartsWith("127.0.0.1:", vtnCapture.Exchanges[0].Client, StringComparison.Ordinal);
        Assert.All(vtnCapture.Exchanges.Skip(1), e => Assert.Equal(venId, e.Client));
    }

    [Fact]
    public async Task Same_vtn_setup_answers_every_replayed_request_like_the_capture()
    {
        var (vtnLog, _) = await RecordAsync();
        var capture = Capture.Load(vtnLog);
        var (server, store) = await StartVtnAsync("live", level: 1);
        await using (store)
        await using (server)
        {
            using var http = new HttpClient();
            var live = await OpenAdrLiveReplay.RunAsync(capture, server.Url, http, Ct);

            Assert.Equal(capture.Exchanges.Count, live.Count);
            Assert.All(live, v => Assert.True(v.Verdict == Verdict.Pass, $"#{v.Seq} {v.MessageType}: {string.Join("; ", v.Findings)}"));
            Assert.All(live, v => Assert.Equal(("live", OpenAdrLiveReplay.ProtocolName), (v.Direction, v.Protocol)));
            // The live VTN registered the replayed VEN under its own IDs; the mapping carried them into later requests.
            var registered = Assert.Single(await store.ListVensAsync(Ct));
            Assert.DoesNotContain(registered.VenId, await File.ReadAllTextAsync(vtnLog, Ct), StringComparison.Ordinal);
            Assert.Single(await store.GetEventResponsesAsync(Assert.Single(server.Vtn.Events).EventId, Ct));
        }
    }

    [Fact]
    public async Task Vtn_with_a_different_event_fails_the_distribute_naming_the_field()
    {
        var (vtnLog, _) = await RecordAsync();
        var capture = Capture.Load(vtnLog);
        var (server, store) = await StartVtnAsync("other", level: 3);
        await using (store)
        await using (server)
        {
            using var http = new HttpClient();
            var live = await OpenAdrLiveReplay.RunAsync(capture, server.Url, http, Ct);

            var failed = live.Where(v => v.Verdict != Verdict.Pass).ToList();
            var distribute = Assert.Single(failed);
            Assert.EndsWith("-> oadrDistributeEvent", distribute.MessageType, StringComparison.Ordinal);
            Assert.Equal(2, distribute.Findings.Count);
            Assert.All(distribute.Findings, f => Assert.EndsWith("signalPayload/payloadFloat/value", f.Location, StringComparison.Ordinal));
            Assert.All(distribute.Findings, f => Assert.Equal("captured '1', live '3'", f.Message));
        }
    }

    [Fact]
    public async Task Unreachable_vtn_makes_every_exchange_unreadable_without_throwing()
    {
        var (vtnLog, _) = await RecordAsync();
        var capture = Capture.Load(vtnLog);
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now
        using var http = new HttpClient();

        var live = await OpenAdrLiveReplay.RunAsync(capture, new Uri($"http://127.0.0.1:{port}/"), http, Ct);

        Assert.Equal(capture.Exchanges.Count, live.Count);
        Assert.All(live, v => Assert.Equal(Verdict.Unreadable, v.Verdict));
        Assert.Contains("did not answer", live[0].Findings[0].Message, StringComparison.Ordinal);
        Assert.All(live.Skip(1), v => Assert.StartsWith("not sent", v.Findings[0].Message, StringComparison.Ordinal));
    }
}
