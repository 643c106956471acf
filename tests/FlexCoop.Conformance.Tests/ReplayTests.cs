using System.Text;
using FlexCoop.Conformance.Replay;
using FlexCoop.Conformance.Replay.OpenAdr;
using FlexCoop.OpenAdr.Validation;
using FlexCoop.Testing;
using static FlexCoop.Conformance.Tests.Messages;

namespace FlexCoop.Conformance.Tests;

public sealed class ReplayTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("flexcoop-replay-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static ReplayReport Run(Capture capture, bool xsd = true) =>
        ReplayEngine.Run(capture, [new OpenAdrReplayProtocol(new OadrValidationOptions
        {
            SchemaDirectory = xsd ? TestEnvironment.RequireShared("schemas/openadr20b") : null,
        })]);

    /// <summary>A pull VEN's good conversation: poll, event, opt in, report request, report.</summary>
    private static CaptureBuilder GoodConversation() => new CaptureBuilder()
        .Add("OadrPoll", Poll("ven-1"), Distribute("req-1", ("event-1", 0)))
        .Add("EiEvent", Created("ven-1", "req-1", "event-1", 0), Ok("ven-1"))
        .Add("OadrPoll", Poll("ven-1"), CreateReport("ven-1", "req-2", "rr-1", "usage-1", "usage-2"))
        .Add("EiReport", UpdateReport("ven-1", "upd-1", "rr-1", "usage-1", "usage-2"), Updated("ven-1", "upd-1"))
        .Add("OadrPoll", Poll("ven-1"), Distribute("req-3", ("event-1", 1)))
        .Add("EiEvent", Created("ven-1", "req-3", "event-1", 1), Ok("ven-1"));

    [Fact]
    public void Good_conversation_from_a_folder_passes_every_message()
    {
        var folder = GoodConversation().WriteFolder(Path.Combine(_dir.FullName, "good"));
        var report = Run(Capture.Load(folder));
        Assert.Equal(12, report.Verdicts.Count);
        Assert.True(report.AllPassed, string.Join("\n", report.Verdicts.Where(v => v.Verdict != Verdict.Pass).Select(v => $"#{v.Seq} {v.MessageType}: {string.Join("; ", v.Findings)}")));
        Assert.All(report.Verdicts, v => Assert.Equal("ven-1", v.Party));
        Assert.Equal(["oadrPoll", "oadrDistributeEvent", "oadrCreatedEvent", "oadrResponse"], report.Verdicts.Take(4).Select(v => v.MessageType));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Same_conversation_from_pcap_and_pcapng_gives_the_same_verdicts(bool pcapng)
    {
        var folderReport = Run(Capture.Load(GoodConversation().WriteFolder(Path.Combine(_dir.FullName, "f"))));
        var file = Path.Combine(_dir.FullName, pcapng ? "c.pcapng" : "c.pcap");
        File.WriteAllBytes(file, GoodConversation().Pcap(pcapng));
        var pcapReport = Run(Capture.Load(file));
        Assert.Equal(folderReport.Verdicts.Select(v => (v.Seq, v.Direction, v.MessageType, v.Verdict)),
                     pcapReport.Verdicts.Select(v => (v.Seq, v.Direction, v.MessageType, v.Verdict)));
    }

    [Fact]
    public void Created_event_with_the_wrong_requestID_fails_rule_42()
    {
        var capture = new CaptureBuilder()
            .Add("OadrPoll", Poll("ven-1"), Distribute("req-1", ("event-1", 0)))
            .Add("EiEvent", Created("ven-1", "req-WRONG", "event-1", 0), Ok("ven-1"))
            .WriteFolder(Path.Combine(_dir.FullName, "c"));
        var failed = Assert.Single(Run(Capture.Load(capture)).Verdicts, v => v.Verdict == Verdict.Fail);
        Assert.Equal((2, "request", "oadrCreatedEvent"), (failed.Seq, failed.Direction, failed.MessageType));
        Assert.Contains(failed.Findings, f => f.Rule == "rule 42" && f.Message.Contains("req-WRONG", StringComparison.Ordinal));
    }

    [Fact]
    public void Modification_number_going_down_fails_rule_5()
    {
        var capture = new CaptureBuilder()
            .Add("OadrPoll", Poll("ven-1"), Distribute("req-1", ("event-1", 2)))
            .Add("OadrPoll", Poll("ven-1"), Distribute("req-2", ("event-1", 1)))
            .WriteFolder(Path.Combine(_dir.FullName, "c"));
        var failed = Assert.Single(Run(Capture.Load(capture)).Verdicts, v => v.Verdict == Verdict.Fail);
        Assert.Equal(2, failed.Seq);
        Assert.Equal("response", failed.Direction);
        Assert.Contains(failed.Findings, f => f.Rule == "rule 5");
    }

    [Fact]
    public void Created_event_for_an_event_never_distributed_fails()
    {
        var capture = new CaptureBuilder()
            .Add("EiEvent", Created("ven-1", "req-1", "ghost", 0), Ok("ven-1"))
            .WriteFolder(Path.Combine(_dir.FullName, "c"));
        var failed = Assert.Single(Run(Capture.Load(capture)).Verdicts, v => v.Verdict == Verdict.Fail);
        Assert.Contains(failed.Findings, f => f.Rule == "sequence" && f.Message.Contains("ghost", StringComparison.Ordinal));
    }

    [Fact]
    public void Update_report_with_an_rID_not_requested_fails_rule_314()
    {
        var capture = new CaptureBuilder()
            .Add("OadrPoll", Poll("ven-1"), CreateReport("ven-1", "req-2", "rr-1", "usage-1"))
            .Add("EiReport", UpdateReport("ven-1", "upd-1", "rr-1", "usage-1", "usage-9"), Updated("ven-1", "upd-1"))
            .Add("EiReport", UpdateReport("ven-1", "upd-2", "rr-unknown", "usage-1"), Updated("ven-1", "upd-2"))
            .WriteFolder(Path.Combine(_dir.FullName, "c"));
        var failed = Run(Capture.Load(capture)).Verdicts.Where(v => v.Verdict == Verdict.Fail).ToList();
        Assert.Equal(2, failed.Count);
        Assert.Contains(failed[0].Findings, f => f.Rule == "rule 314" && f.Message.Contains("usage-9", StringComparison.Ordinal));
        Assert.Contains(failed[1].Findings, f => f.Rule == "rule 314" && f.Message.Contains("rr-unknown", StringComparison.Ordinal));
    }

    [Fact]
    public void Response_that_does_not_echo_the_requestID_fails()
    {
        var capture = new CaptureBuilder()
            .Add("EiReport", UpdateReport("ven-1", "upd-1", "rr-1", "usage-1"), Updated("ven-1", "upd-OTHER"))
            .WriteFolder(Path.Combine(_dir.FullName, "c"));
        var verdicts = Run(Capture.Load(capture)).Verdicts;
        var response = Assert.Single(verdicts, v => v.Direction == "response");
        Assert.Contains(response.Findings, f => f.Rule == "sequence" && f.Message.Contains("upd-OTHER", StringComparison.Ordinal));
    }

    [Fact]
    public void Wrong_content_type_and_http_status_fail_rule_53()
    {
        var capture = new CaptureBuilder()
            .Add("OadrPoll", Poll("ven-1"), Ok("ven-1"), status: 500, requestType: "text/plain")
            .WriteFolder(Path.Combine(_dir.FullName, "c"));
        var verdicts = Run(Capture.Load(capture)).Verdicts;
        Assert.All(verdicts, v => Assert.Contains(v.Findings, f => f.Rule == "rule 53"));
    }

    [Fact]
    public void Schema_invalid_message_fails_with_xsd()
    {
        var broken = Encoding.UTF8.GetBytes("""<oadr:oadrPoll xmlns:oadr="http://openadr.org/oadr-2.0b/2012/07" xmlns:ei="http://docs.oasis-open.org/ns/energyinterop/201110" ei:schemaVersion="2.0b"><ei:vtnID>x</ei:vtnID></oadr:oadrPoll>""");
        var capture = new CaptureBuilder().AddRaw("OadrPoll", broken, Messages.Bytes(Ok("ven-1"))).WriteFolder(Path.Combine(_dir.FullName, "c"));
        var request = Run(Capture.Load(capture)).Verdicts.First();
        Assert.Equal(Verdict.Fail, request.Verdict);
        Assert.Contains(request.Findings, f => f.Rule == "xsd");
    }

    [Fact]
    public void Tls_connection_in_a_pcap_is_reported_unreadable()
    {
        var file = Path.Combine(_dir.FullName, "tls.pcap");
        File.WriteAllBytes(file, GoodConversation().Pcap(tls: true));
        var v = Assert.Single(Run(Capture.Load(file), xsd: false).Verdicts);
        Assert.Equal(Verdict.Unreadable, v.Verdict);
        Assert.Contains("TLS", v.Findings[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Broken_captures_are_typed_errors()
    {
        var truncated = Path.Combine(_dir.FullName, "t.pcap");
        var bytes = GoodConversation().Pcap();
        File.WriteAllBytes(truncated, bytes.AsSpan(0, bytes.Length - 10).ToArray());
        Assert.Throws<CaptureFormatException>(() => Capture.Load(truncated));

        var notPcap = Path.Combine(_dir.FullName, "n.pcap");
        File.WriteAllText(notPcap, "hello, not a capture");
        Assert.Throws<CaptureFormatException>(() => Capture.Load(notPcap));

        var folder = Directory.CreateDirectory(Path.Combine(_dir.FullName, "bad")).FullName;
        File.WriteAllText(Path.Combine(folder, "index.jsonl"), "{\"seq\":1,\"time\":\"2026-11-30T08:00:00Z\",\"path\":\"/x\",\"req_file\":\"../../etc/passwd\"}\n");
        var ex = Assert.Throws<CaptureFormatException>(() => Capture.Load(folder));
        Assert.Contains("outside", ex.Message, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(folder, "index.jsonl"), "not json\n");
        Assert.Throws<CaptureFormatException>(() => Capture.Load(folder));
        Assert.Throws<CaptureFormatException>(() => Capture.Load(Path.Combine(_dir.FullName, "missing")));
    }

    [Fact]
    public void Mutated_pcaps_never_crash()
    {
        var original = GoodConversation().Pcap();
        var random = new Random(1234);
        for (var i = 0; i < 300; i++)
        {
            var mutated = (byte[])original.Clone();
            for (var k = 0; k < 1 + random.Next(8); k++)
            {
                mutated[24 + random.Next(mutated.Length - 24)] ^= (byte)(1 << random.Next(8));
            }
            try
            {
                var report = Run(new Capture("m", Replay.Pcap.PcapCapture.Parse(mutated, "m", CaptureLimits.Default)), xsd: false);
                Assert.NotNull(report);
            }
            catch (CaptureFormatException)
            {
                // A typed refusal is fine.
            }
        }
    }
}
