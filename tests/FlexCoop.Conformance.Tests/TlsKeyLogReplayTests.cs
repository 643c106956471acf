using System.Net;
using System.Net.Security;
using FlexCoop.Conformance.Replay;
using FlexCoop.Conformance.Replay.OpenAdr;
using FlexCoop.Conformance.Replay.Tls;
using FlexCoop.OpenAdr.Ven;
using FlexCoop.OpenAdr.Vtn;
using FlexCoop.OpenAdr.Vtn.Storage;

namespace FlexCoop.Conformance.Tests;

/// <summary>
/// TLS 1.2 between our VEN and VTN over loopback, recorded by a relaying proxy while the process
/// writes its key log: with the key log the HTTP inside replays like plain traffic.
/// </summary>
public sealed class TlsKeyLogReplayTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("flexcoop-tls-replay-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Delete(recursive: true);

    /// <summary>Registers a VEN and polls once through the recorder; returns the pcap and the VEN's own message log.</summary>
    private async Task<(string Pcap, string VenLog)> RecordAsync(TlsCipherSuite suite, bool rsaCertificate)
    {
        var pcap = Path.Combine(_dir.FullName, "tls.pcap");
        var venLog = Path.Combine(_dir.FullName, "ven.jsonl");
        await using var store = new SqliteVtnStore(Path.Combine(_dir.FullName, "vtn.db"));
        await using var server = await VtnServer.StartAsync(new VtnOptions
        {
            VtnId = "tls-vtn",
            Urls = ["https://127.0.0.1:0"],
            ServerCertificates = [rsaCertificate ? ReplayPki.VtnRsa : ReplayPki.VtnEcc],
            ClientCertificateAuthorities = [ReplayPki.CaPublic],
            CipherSuites = [suite],
            TelemetryGranularity = TimeSpan.Zero,
        }, store, cancellationToken: Ct);
        await using var recorder = new TcpRecorder(new IPEndPoint(IPAddress.Loopback, server.Url.Port));
        await using (var ven = await OadrVen.StartAsync(new VenOptions
        {
            VtnUrl = new Uri($"https://127.0.0.1:{recorder.EndPoint.Port}/"),
            VenName = "tls-ven",
            ClientCertificate = ReplayPki.Ven,
            VtnCertificateAuthorities = [ReplayPki.CaPublic],
            CipherSuites = [suite],
            PollFrequency = TimeSpan.FromDays(1),
            MessageLogPath = venLog,
        }, cancellationToken: Ct))
        {
            await ven.PollNowAsync(Ct);
        }
        await File.WriteAllBytesAsync(pcap, recorder.ToPcap(), Ct);
        return (pcap, venLog);
    }

    [Theory]
    [InlineData(TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, false)]
    [InlineData(TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256, true)]
    [InlineData(TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, false)]
    [InlineData(TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, true)]
    public async Task Tls12_capture_with_the_key_log_replays_every_message(TlsCipherSuite suite, bool rsaCertificate)
    {
        var (pcap, venLog) = await RecordAsync(suite, rsaCertificate);

        var encrypted = Capture.Load(pcap);
        Assert.NotEmpty(encrypted.Exchanges);
        Assert.All(encrypted.Exchanges, e => Assert.Contains("without a key log", e.Unreadable, StringComparison.Ordinal));

        var decrypted = Capture.Load(pcap, keyLog: TlsKeyLog.Load(TlsKeyLogging.KeyLogPath));
        var report = ReplayEngine.Run(decrypted, [new OpenAdrReplayProtocol()]);

        Assert.True(report.AllPassed, string.Join("\n", report.Verdicts.Select(v => $"#{v.Seq} {v.MessageType}: {v.Verdict} {string.Join("; ", v.Findings)}")));
        Assert.Contains("oadrCreatePartyRegistration", report.Verdicts.Select(v => v.MessageType));
        Assert.Contains("oadrPoll", report.Verdicts.Select(v => v.MessageType));
        // What was decrypted is what the VEN sent and received, byte for byte.
        var logged = Capture.Load(venLog).Exchanges;
        Assert.Equal(logged.Select(e => (e.Path, Convert.ToBase64String(e.RequestBody.Span), Convert.ToBase64String(e.ResponseBody.Span))),
                     decrypted.Exchanges.Select(e => (e.Path, Convert.ToBase64String(e.RequestBody.Span), Convert.ToBase64String(e.ResponseBody.Span))));
    }

    [Fact]
    public async Task Key_log_without_the_session_or_with_a_wrong_secret_leaves_it_unreadable_and_says_why()
    {
        var (pcap, _) = await RecordAsync(TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, false);
        var real = TlsKeyLog.Load(TlsKeyLogging.KeyLogPath);

        var unrelated = TlsKeyLog.Parse([$"CLIENT_RANDOM {new string('a', 64)} {new string('b', 96)}"]);
        Assert.All(Capture.Load(pcap, keyLog: unrelated).Exchanges, e => Assert.Contains("no CLIENT_RANDOM line", e.Unreadable, StringComparison.Ordinal));

        // Same client randoms, wrong master secrets: every record fails its MAC.
        var lines = File.ReadAllLines(TlsKeyLogging.KeyLogPath)
            .Where(l => l.StartsWith("CLIENT_RANDOM ", StringComparison.Ordinal))
            .Select(l => l[..(l.LastIndexOf(' ') + 1)] + new string('0', 96));
        var wrong = TlsKeyLog.Parse(lines);
        Assert.True(real.Count > 0 && wrong.Count == real.Count);
        Assert.All(Capture.Load(pcap, keyLog: wrong).Exchanges, e => Assert.Contains("does not decrypt", e.Unreadable, StringComparison.Ordinal));
    }

    [Fact]
    public void Malformed_key_log_line_is_a_capture_format_error()
    {
        var error = Assert.Throws<CaptureFormatException>(() => TlsKeyLog.Parse(["# comment", "CLIENT_RANDOM 00 11"], "keys.txt"));
        Assert.Contains("keys.txt:2", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, TlsKeyLog.Parse(["CLIENT_HANDSHAKE_TRAFFIC_SECRET aa bb", ""]).Count);
    }
}
