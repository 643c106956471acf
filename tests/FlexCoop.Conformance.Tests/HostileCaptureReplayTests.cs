using System.Text;
using CsCheck;
using FlexCoop.Conformance.Replay;
using FlexCoop.Conformance.Replay.Mms;
using FlexCoop.Conformance.Replay.Tls;
using FlexCoop.Conformance.Replay.Uftp;

namespace FlexCoop.Conformance.Tests;

/// <summary>Broken, truncated and hostile captures: verdicts or typed errors, never an exception from the inside.</summary>
public sealed class HostileCaptureReplayTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("flexcoop-hostile-replay-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task Random_corruption_of_a_recorded_mms_association_gives_verdicts_and_never_throws()
    {
        await using var recorder = await MmsReplayTests.RecordAssociationAsync();
        var packets = MmsReplayTests.Packets(recorder.Connections[0]);
        Gen.Select(Gen.Int[0, packets.Count - 1], Gen.Int[0, 300], Gen.Byte, Gen.Bool).Sample((p, at, value, truncate) =>
        {
            var mutated = packets.ToList();
            var data = mutated[p].Data.ToArray();
            if (truncate) data = data[..Math.Min(data.Length, at)];
            else if (at < data.Length) data[at] = value;
            mutated[p] = mutated[p] with { Data = data };
            var report = ReplayEngine.Run(new Capture("fuzz", [MmsReplayTests.Exchange(mutated)]), [new MmsReplayProtocol()]);
            return report.Verdicts.Count > 0 && report.Verdicts.All(v => v.Verdict != Verdict.Fail || v.Findings.Count > 0);
        }, iter: 300);
    }

    [Fact]
    public void Tls_connection_that_is_not_a_tls_1_2_handshake_is_unreadable_with_a_key_log_too()
    {
        var file = Path.Combine(_dir.FullName, "tls.pcap");
        File.WriteAllBytes(file, new CaptureBuilder().Pcap(tls: true));
        var keyLog = TlsKeyLog.Parse([$"CLIENT_RANDOM {new string('a', 64)} {new string('b', 96)}"]);

        var exchange = Assert.Single(Capture.Load(file, keyLog: keyLog).Exchanges);

        Assert.StartsWith("TLS connection: ", exchange.Unreadable, StringComparison.Ordinal);
        Assert.DoesNotContain("without a key log", exchange.Unreadable, StringComparison.Ordinal);
    }

    [Fact]
    public void Message_log_with_a_broken_line_is_a_capture_format_error_naming_the_line()
    {
        var file = Path.Combine(_dir.FullName, "log.jsonl");
        File.WriteAllText(file,
            """{"log":"flexcoop-message-log/1","time":"2026-11-30T08:00:00Z","method":"POST","path":"/OpenADR2/Simple/2.0b/OadrPoll","req_body_base64":"PHg+PC94Pg=="}""" + "\n" +
            """{"log":"flexcoop-message-log/1","time":"yesterday","path":"/x"}""" + "\n");

        var error = Assert.Throws<CaptureFormatException>(() => Capture.Load(file));

        Assert.Contains("log.jsonl:2", error.Message, StringComparison.Ordinal);
        Assert.Contains("'time'", error.Message, StringComparison.Ordinal);
        File.WriteAllText(file, File.ReadAllLines(file)[0] + "\n");
        var exchange = Assert.Single(Capture.Load(file).Exchanges);
        Assert.Equal("<x></x>", Encoding.UTF8.GetString(exchange.RequestBody.Span));
    }

    [Fact]
    public void Uftp_message_with_a_dtd_fails_on_the_dtd_rule_without_expanding_it()
    {
        var body = "<!DOCTYPE SignedMessage [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><SignedMessage SenderDomain=\"a.example\" SenderRole=\"AGR\" Body=\"&e;\"/>";
        var exchange = new CaptureExchange
        {
            Seq = 1,
            Time = DateTimeOffset.UnixEpoch,
            Method = "POST",
            Path = "/shapeshifter/api/v3/message",
            Status = 200,
            RequestBody = Encoding.UTF8.GetBytes(body),
        };

        var verdict = Assert.Single(ReplayEngine.Run(new Capture("dtd", [exchange]), [new UftpReplayProtocol()]).Verdicts);

        Assert.Equal(Verdict.Fail, verdict.Verdict);
        Assert.Equal("dtd", Assert.Single(verdict.Findings).Rule);
    }
}
