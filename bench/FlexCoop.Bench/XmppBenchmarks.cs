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
/// flight, and a 3 KB document 64 in flight as a tree or as bytes serialised once (the VTN's push).
/// Without Prosody, setup fails with a message saying so. Also the codec alone.
/// Run: dotnet run -c Release --project bench/FlexCoop.Bench -- --filter '*Xmpp*' --job short
/// </summary>
[MemoryDiagnoser]
public class XmppBenchmarks
{
    private static readonly XNamespace Bench = "urn:flexcoop:bench";
    private XmppClient? _alice;
    private XmppClient? _bob;
    private byte[] _stanzaBytes = [];
    private XElement _document = new(Bench + "doc");
    private byte[] _documentBytes = [];

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
        // About the size and shape of an oadrDistributeEvent (3 KB, 60 elements): what a VTN pushes to every VEN.
        _document = new XElement(Bench + "doc", Enumerable.Range(0, 20).Select(i =>
            new XElement(Bench + "interval", new XAttribute("uid", i), new XElement(Bench + "duration", "PT15M"), new XElement(Bench + "value", i * 1.5))));
        _documentBytes = Encoding.UTF8.GetBytes(_document.ToString(SaveOptions.DisableFormatting));
        _bob.SetIqHandler(Bench + "doc", (_, _) => ValueTask.FromResult<XElement?>(new XElement(Bench + "ok")));
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

    [Benchmark(OperationsPerInvoke = 64, Description = "3 KB document IQ to a peer, 64 in flight, as an XElement")]
    public Task DocumentTree64InFlight() =>
        Task.WhenAll(Enumerable.Range(0, 64).Select(_ =>
            _alice!.SendIqAsync(new Iq(IqType.Set) { To = _bob!.Jid, Payload = [_document] })));

    [Benchmark(OperationsPerInvoke = 64, Description = "3 KB document IQ to a peer, 64 in flight, serialised once")]
    public Task DocumentBytes64InFlight() =>
        Task.WhenAll(Enumerable.Range(0, 64).Select(_ =>
            _alice!.SendIqAsync(_bob!.Jid, IqType.Set, _documentBytes)));

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

/// <summary>
/// OpenADR 2.0b over XMPP (issue 6): one VEN session sends <c>oadrPoll</c> in an IQ set to a
/// VTN engine logged into the same Prosody (payload parsed, VEN identified by its JID, answer
/// serialised) and waits for the <c>oadrResponse</c> in the IQ result. The baseline is a ping
/// answered by Prosody itself, measured in the same run: the floor for any IQ.
/// Run: dotnet run -c Release --project bench/FlexCoop.Bench -- --filter '*OadrXmpp*' --job short
/// </summary>
[MemoryDiagnoser]
public class OadrXmppBenchmarks
{
    private static readonly FlexCoop.OpenAdr.Codec.OadrSerializerOptions Wire = FlexCoop.OpenAdr.Codec.OadrSerializerOptions.Default with { Indent = false };
    private static readonly XName Payload = XName.Get("oadrPayload", "http://openadr.org/oadr-2.0b/2012/07");
    private string _dir = "";
    private FlexCoop.OpenAdr.Vtn.Storage.SqliteVtnStore? _store;
    private FlexCoop.OpenAdr.Vtn.VtnServer? _vtn;
    private XmppClient? _ven;
    private Jid? _vtnJid;
    private XElement? _poll;

    [GlobalSetup]
    public async Task SetupAsync()
    {
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
        _dir = Directory.CreateTempSubdirectory("flexcoop-bench-vtn-").FullName;
        _store = new FlexCoop.OpenAdr.Vtn.Storage.SqliteVtnStore(Path.Combine(_dir, "vtn.db"));
        _vtn = await FlexCoop.OpenAdr.Vtn.VtnServer.StartAsync(new FlexCoop.OpenAdr.Vtn.VtnOptions
        {
            InsecureHttp = true,
            Urls = ["http://127.0.0.1:0"],
            TelemetryGranularity = TimeSpan.Zero,
            Xmpp = Options(2, "bench-vtn"),
        }, _store);
        _vtnJid = Jid.Parse(_vtn.Vtn.XmppJid!);
        _ven = new XmppClient(Options(1, "bench-ven"));
        // What the VTN pushes after registration is acknowledged, so that no retry runs during the measurement.
        _ven.SetIqHandler(Payload, (_, _) => ValueTask.FromResult<XElement?>(ToXElement(new FlexCoop.OpenAdr.Model.OadrResponse
        {
            EiResponse = new FlexCoop.OpenAdr.Model.EiResponse { ResponseCode = FlexCoop.OpenAdr.Model.ResponseCode.Ok, RequestId = "", ResponseDescription = "OK" },
        })));
        await _ven.ConnectAsync();
        var created = await _ven.SendIqAsync(new Iq(IqType.Set)
        {
            To = _vtnJid,
            Payload = [ToXElement(new FlexCoop.OpenAdr.Model.OadrCreatePartyRegistration
            {
                RequestId = "bench",
                ProfileName = FlexCoop.OpenAdr.Model.OadrProfileName.Profile20b,
                TransportName = FlexCoop.OpenAdr.Model.OadrTransportName.Xmpp,
                TransportAddress = _ven.Jid!.ToString(),
                ReportOnly = false,
                XmlSignature = false,
                VenName = "bench-ven",
            })],
        });
        var registration = (FlexCoop.OpenAdr.Model.OadrCreatedPartyRegistration)FlexCoop.OpenAdr.Codec.OadrCodec.ParseMessage(Encoding.UTF8.GetBytes(created.FirstPayload!.ToString(SaveOptions.DisableFormatting)));
        _poll = ToXElement(new FlexCoop.OpenAdr.Model.OadrPoll { VenId = registration.VenId! });
        // Drain what registration queued, as most polls find nothing.
        while (FlexCoop.OpenAdr.Codec.OadrCodec.ParseMessage(Encoding.UTF8.GetBytes((await PollVtn()).FirstPayload!.ToString(SaveOptions.DisableFormatting))) is not FlexCoop.OpenAdr.Model.OadrResponse)
        {
        }
    }

    private static XElement ToXElement(FlexCoop.OpenAdr.Model.OadrMessage message) =>
        XElement.Parse(FlexCoop.OpenAdr.Codec.OadrCodec.SerializeToString(message, Wire));

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        if (_ven is not null) await _ven.DisposeAsync();
        if (_vtn is not null) await _vtn.DisposeAsync();
        if (_store is not null) await _store.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "ping answered by Prosody (floor)")]
    public Task<TimeSpan> PingServer() => _ven!.PingAsync();

    [Benchmark(Description = "oadrPoll IQ set answered by the VTN engine")]
    public Task<Iq> PollVtn() => _ven!.SendIqAsync(new Iq(IqType.Set) { To = _vtnJid, Payload = [_poll!] });
}
