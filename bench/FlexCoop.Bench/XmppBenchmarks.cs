using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml.Linq;
using BenchmarkDotNet.Attributes;
using FlexCoop.Xmpp;

namespace FlexCoop.Bench;

/// <summary>
/// IQ round trips of one XmppClient session through a real Prosody (scripts/ci/prosody.sh;
/// env file from FLEXCOOP_TEST_XMPP_ENV or /tmp/flexcoop-prosody.env). The baseline is a
/// ping answered by Prosody itself (XEP-0199, one hop): the floor for any IQ. The others go
/// client → Prosody → second client (handler) → Prosody → client, one at a time and 16 in
/// flight. Without Prosody, setup fails with a message saying so. Also the codec alone.
/// Run: dotnet run -c Release --project bench/FlexCoop.Bench -- --filter '*Xmpp*' --job short
/// </summary>
[MemoryDiagnoser]
public class XmppBenchmarks
{
    private static readonly XNamespace Bench = "urn:flexcoop:bench";
    private XmppClient? _alice;
    private XmppClient? _bob;
    private byte[] _stanzaBytes = [];

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var header = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>";
        _stanzaBytes = Encoding.UTF8.GetBytes(header + "<iq type='get' id='b1' from='bob@localhost/b' to='alice@localhost/a'><echo xmlns='urn:flexcoop:bench'>hello</echo></iq>");
        var path = Environment.GetEnvironmentVariable("FLEXCOOP_TEST_XMPP_ENV") is { Length: > 0 } e ? e : "/tmp/flexcoop-prosody.env";
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"no Prosody: {path} not found; run scripts/ci/prosody.sh first");
        }
        var env = File.ReadAllLines(path).Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        var ca = X509CertificateLoader.LoadCertificateFromFile(env["FLEXCOOP_TEST_XMPP_CA"]);
        XmppClientOptions Options(int n, string resource) => new()
        {
            Jid = Jid.Create(env[$"FLEXCOOP_TEST_XMPP_USER{n}"], env["FLEXCOOP_TEST_XMPP_DOMAIN"], resource),
            Password = env[$"FLEXCOOP_TEST_XMPP_PASSWORD{n}"],
            Host = env["FLEXCOOP_TEST_XMPP_HOST"],
            Port = int.Parse(env["FLEXCOOP_TEST_XMPP_PORT"], System.Globalization.CultureInfo.InvariantCulture),
            TrustedCertificates = [ca],
        };
        _alice = new XmppClient(Options(1, "bench-a"));
        _bob = new XmppClient(Options(2, "bench-b"));
        await _alice.ConnectAsync();
        await _bob.ConnectAsync();
        _bob.SetIqHandler(Bench + "echo", (iq, _) => ValueTask.FromResult<XElement?>(new XElement(Bench + "echo", iq.FirstPayload!.Value)));
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        if (_alice is not null) await _alice.DisposeAsync();
        if (_bob is not null) await _bob.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "ping answered by Prosody (floor)")]
    public Task<TimeSpan> PingServer() => _alice!.PingAsync();

    [Benchmark(Description = "IQ round trip to a peer client")]
    public Task<Iq> IqToPeer() =>
        _alice!.SendIqAsync(new Iq(IqType.Get) { To = _bob!.Jid, Payload = [new XElement(Bench + "echo", "hello")] });

    [Benchmark(OperationsPerInvoke = 16, Description = "IQ round trip to a peer, 16 in flight")]
    public Task IqToPeer16InFlight() =>
        Task.WhenAll(Enumerable.Range(0, 16).Select(_ =>
            _alice!.SendIqAsync(new Iq(IqType.Get) { To = _bob!.Jid, Payload = [new XElement(Bench + "echo", "hello")] })));

    [Benchmark(Description = "codec: read one IQ stanza")]
    public Stanza ReadStanza()
    {
        var reader = new XmppStreamReader();
        reader.Append(_stanzaBytes);
        reader.TryRead(out _);
        reader.TryRead(out var ev);
        return Stanza.FromXElement(((XmppStreamElement)ev!).Element);
    }
}
