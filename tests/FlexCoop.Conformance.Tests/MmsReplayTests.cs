using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using FlexCoop.Conformance.Replay;
using FlexCoop.Conformance.Replay.Mms;
using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Iec61850.Mms.Iso;
using FlexCoop.Iec61850.Model;
using FlexCoop.Testing;

namespace FlexCoop.Conformance.Tests;

/// <summary>MMS replay on associations recorded between our IEC 61850 client and server over loopback.</summary>
public sealed class MmsReplayTests : IDisposable
{
    private const string Rcb = "DER1CTRL/LLN0.urcbStatus01";
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("flexcoop-mms-replay-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Delete(recursive: true);

    internal static IedModel LoadDerModel()
    {
        var resolution = SclResolver.Load(Path.Combine(TestEnvironment.RepoRoot, "schemas", "iec61850", "der-unit.cid"));
        Assert.False(resolution.HasErrors, string.Join("\n", resolution.Diagnostics));
        return resolution.FindIed("DER1")!;
    }

    /// <summary>Records one association: directory, read, write, report enable, GI and a data-change report, disable, release.</summary>
    internal static async Task<TcpRecorder> RecordAssociationAsync()
    {
        await using var server = new Iec61850Server(LoadDerModel());
        server.Start(new IPEndPoint(IPAddress.Loopback, 0));
        var recorder = new TcpRecorder(server.LocalEndPoint, pcapServerPort: 102);
        await using (var client = await Iec61850Client.ConnectAsync("127.0.0.1", recorder.EndPoint.Port, cancellationToken: Ct))
        {
            Assert.Contains("DER1CTRL", await client.GetServerDirectoryAsync(Ct));
            await client.GetDataValuesAsync("DER1PV/MMXU1.TotW.mag.f", FunctionalConstraint.MX, Ct);
            await client.SetDataValuesAsync("DER1PV/ZINV1.WRtg.setMag.f", FunctionalConstraint.SP, new MmsFloat32(8000f), Ct);
            await client.EnableReportingAsync(Rcb, FunctionalConstraint.RP, cancellationToken: Ct);
            await client.GeneralInterrogationAsync(Rcb, FunctionalConstraint.RP, Ct);
            await client.ReadReportAsync(Ct);
            server.SetDataValue("DER1CTRL/LLN0.Health.stVal", FunctionalConstraint.ST, new MmsInteger(2));
            await client.ReadReportAsync(Ct);
            await client.EnableReportingAsync(Rcb, FunctionalConstraint.RP, enable: false, Ct);
            await client.Mms.IdentifyAsync(Ct);
            await client.ReleaseAsync(Ct);
        }
        return recorder;
    }

    private static ReplayReport Replay(CaptureExchange exchange) =>
        ReplayEngine.Run(new Capture("test", [exchange]), [new MmsReplayProtocol()]);

    private static string Explain(ReplayReport report) =>
        string.Join("\n", report.Verdicts.Select(v => $"{v.Direction} {v.MessageType}: {v.Verdict} {string.Join("; ", v.Findings)}"));

    [Fact]
    public async Task Recorded_association_from_a_pcap_passes_every_pdu()
    {
        await using var recorder = await RecordAssociationAsync();
        var file = Path.Combine(_dir.FullName, "mms.pcap");
        await File.WriteAllBytesAsync(file, recorder.ToPcap(), Ct);

        var report = ReplayEngine.Run(Capture.Load(file), [new MmsReplayProtocol()]);

        Assert.True(report.AllPassed, Explain(report));
        Assert.All(report.Verdicts, v => Assert.Equal(MmsReplayProtocol.ProtocolName, v.Protocol));
        var types = report.Verdicts.Select(v => v.MessageType).ToList();
        Assert.Equal(["COTP CR", "COTP CC", "associate-request (AARQ) initiate-RequestPDU", "associate-response (AARE) initiate-ResponsePDU"], types.Take(4));
        Assert.Equal(2, types.Count(t => t == "informationReport RPT DER1CTRL/LLN0$RP$urcbStatus"));
        Assert.Contains("release-response (RLRE)", types);
        // Every confirmed request is matched by one response with its invokeID.
        Assert.Equal(types.Count(t => t.Contains(" request #", StringComparison.Ordinal)), types.Count(t => t.Contains(" response #", StringComparison.Ordinal)));
        Assert.All(report.Verdicts, v => Assert.False(string.IsNullOrEmpty(v.Text)));
    }

    [Fact]
    public async Task Report_without_an_enabled_rcb_fails_the_reporting_rule()
    {
        await using var recorder = await RecordAssociationAsync();
        var packets = Packets(recorder.Connections[0]);
        // Take out the RptEna=true write and its response: the reports then come out of nowhere.
        var enable = packets.FindIndex(p => Decode(p) is ConfirmedRequestPdu { Request: WriteRequest w } && w.Specification.Variables![0].ItemId.EndsWith("$RptEna", StringComparison.Ordinal));
        var invokeId = ((ConfirmedRequestPdu)Decode(packets[enable])!).InvokeId;
        packets.RemoveAll(p => Decode(p) is ConfirmedRequestPdu r && r.InvokeId == invokeId || Decode(p) is ConfirmedResponsePdu s && s.InvokeId == invokeId);

        var report = Replay(Exchange(packets));

        var reports = report.Verdicts.Where(v => v.MessageType.StartsWith("informationReport RPT", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, reports.Count);
        Assert.All(reports, v => Assert.Equal(Verdict.Fail, v.Verdict));
        Assert.All(reports, v => Assert.Equal("reporting", Assert.Single(v.Findings).Rule));
        Assert.Equal(2, report.Count(Verdict.Fail));
    }

    [Fact]
    public async Task Request_without_response_and_response_twice_fail_the_invokeID_rule()
    {
        await using var recorder = await RecordAssociationAsync();
        var packets = Packets(recorder.Connections[0]);
        var identifyResponse = packets.FindIndex(p => Decode(p) is ConfirmedResponsePdu { Response: IdentifyResponse });
        var readResponse = packets.FindIndex(p => Decode(p) is ConfirmedResponsePdu { Response: ReadResponse });
        var duplicate = packets[readResponse];
        packets.RemoveAt(identifyResponse);
        packets.Insert(readResponse + 1, duplicate with { Ticks = duplicate.Ticks + 1 });

        var report = Replay(Exchange(packets));

        var failed = report.Verdicts.Where(v => v.Verdict == Verdict.Fail).ToList();
        Assert.Equal(3, failed.Count);
        Assert.StartsWith("read response #", failed[0].MessageType, StringComparison.Ordinal);
        Assert.Contains("no outstanding request", Assert.Single(failed[0].Findings).Message, StringComparison.Ordinal);
        Assert.StartsWith("identify request #", failed[1].MessageType, StringComparison.Ordinal);
        Assert.Contains("never answered", Assert.Single(failed[1].Findings).Message, StringComparison.Ordinal);
        Assert.Equal("invokeID", failed[0].Findings[0].Rule);
        Assert.Equal("invokeID", failed[1].Findings[0].Rule);
        // The client then concludes with the identify still open.
        Assert.Equal("conclude-RequestPDU", failed[2].MessageType);
        Assert.Contains("outstanding", Assert.Single(failed[2].Findings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_before_the_association_fails_and_names_the_initiate_order()
    {
        await using var recorder = await RecordAssociationAsync();
        var packets = Packets(recorder.Connections[0]);
        // Drop the AARQ and AARE: the first data TSDU is then a confirmed request.
        var aarq = packets.FindIndex(p => p.FromClient && IsSession(p, SpduType.Connect));
        var aare = packets.FindIndex(p => !p.FromClient && IsSession(p, SpduType.Accept));
        packets.RemoveAt(aare);
        packets.RemoveAt(aarq);

        var report = Replay(Exchange(packets));

        var first = report.Verdicts.First(v => v.Verdict == Verdict.Fail);
        Assert.Equal("client", first.Direction);
        Assert.Contains(first.Findings, f => f.Rule == "association" && f.Message.Contains("initiate-RequestPDU", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Corrupted_mms_pdu_fails_with_the_layer_that_broke()
    {
        await using var recorder = await RecordAssociationAsync();
        var packets = Packets(recorder.Connections[0]);
        var read = packets.FindIndex(p => Decode(p) is ConfirmedRequestPdu { Request: ReadRequest });
        var bytes = packets[read].Data.ToArray();
        // The MMS PDU starts after TPKT, COTP DT, the session DT header and the presentation header.
        var at = FindMmsStart(bytes);
        Assert.Equal(0xA0, bytes[at]);
        bytes[at] = 0xBE; // context tag 30, constructed: no MMSpdu has it
        packets[read] = packets[read] with { Data = bytes };

        var report = Replay(Exchange(packets));

        var broken = report.Verdicts.First(v => v.Verdict == Verdict.Fail);
        Assert.Equal("MMS ?", broken.MessageType);
        Assert.Equal("mms", broken.Findings[0].Rule);
        // Its response then answers nothing the replay could read.
        Assert.Contains(report.Verdicts, v => v.MessageType.StartsWith("read response", StringComparison.Ordinal) && v.Verdict == Verdict.Fail);
    }

    [Fact]
    public async Task Control_sequences_are_checked_select_operate_termination()
    {
        await using var recorder = await RecordAssociationAsync();
        var packets = Packets(recorder.Connections[0]);
        var release = packets.FindIndex(p => p.FromClient && Decode(p) is ConcludeRequestPdu);
        var t = packets[release - 1].Ticks;
        var oper = ObjectName.Domain("DER1CTRL", "XCBR1$CO$Pos$Oper");
        var sbow = ObjectName.Domain("DER1CTRL", "XCBR1$CO$Pos$SBOw");
        var operValue = new MmsStructure([new MmsBoolean(true)]);
        var script = new (bool FromClient, MmsPdu Pdu)[]
        {
            // A termination with nothing operated: wrong.
            (false, new InformationReportPdu(VariableAccessSpecification.Of(oper), [AccessResult.Success(operValue)])),
            // Select refused, then operate anyway: wrong.
            (true, new ConfirmedRequestPdu(900, new WriteRequest(VariableAccessSpecification.Of(sbow), [operValue]))),
            (false, new ConfirmedResponsePdu(900, new WriteResponse([DataAccessError.ObjectAccessDenied]))),
            (true, new ConfirmedRequestPdu(901, new WriteRequest(VariableAccessSpecification.Of(oper), [operValue]))),
            (false, new ConfirmedResponsePdu(901, new WriteResponse([DataAccessError.ObjectAccessDenied]))),
            // Select, operate, one termination: right.
            (true, new ConfirmedRequestPdu(902, new WriteRequest(VariableAccessSpecification.Of(sbow), [operValue]))),
            (false, new ConfirmedResponsePdu(902, new WriteResponse([null]))),
            (true, new ConfirmedRequestPdu(903, new WriteRequest(VariableAccessSpecification.Of(oper), [operValue]))),
            (false, new ConfirmedResponsePdu(903, new WriteResponse([null]))),
            (false, new InformationReportPdu(VariableAccessSpecification.Of(oper), [AccessResult.Success(operValue)])),
            // A second termination for the same operate: wrong.
            (false, new InformationReportPdu(VariableAccessSpecification.Of(oper), [AccessResult.Success(operValue)])),
        };
        var inserted = script.Select((s, i) => new TcpRecorder.Chunk(s.FromClient, t + 1 + i, Packet(s.Pdu))).ToList();
        packets.InsertRange(release, inserted);

        var report = Replay(Exchange(packets));

        var control = report.Verdicts.Where(v => v.Findings.Any(f => f.Rule == "control")).Select(v => v.MessageType).ToList();
        Assert.Equal(
            ["informationReport CommandTermination DER1CTRL/XCBR1$Pos", "write request #901", "informationReport CommandTermination DER1CTRL/XCBR1$Pos"],
            control);
        Assert.Equal(3, report.Count(Verdict.Fail));
    }

    [Fact]
    public void Truncated_tpkt_stream_is_reported_not_thrown()
    {
        var exchange = new CaptureExchange
        {
            Seq = 1,
            Time = DateTimeOffset.UnixEpoch,
            Method = "TCP",
            Path = "",
            Client = "10.0.0.2:50000",
            Server = "10.0.0.1:102",
            Stream = [new TcpChunk(true, DateTimeOffset.UnixEpoch, new byte[] { 3, 0, 0, 40, 0x11, 0xE0, 0 }), new TcpChunk(false, DateTimeOffset.UnixEpoch, new byte[] { 9, 9, 9, 9, 9 })],
        };
        var report = Replay(exchange);
        Assert.Equal(2, report.Verdicts.Count);
        Assert.All(report.Verdicts, v => Assert.Equal(Verdict.Fail, v.Verdict));
        Assert.Equal("tpkt", report.Verdicts[0].Findings[0].Rule);
        Assert.Contains("version 9", report.Verdicts[0].Findings[0].Message, StringComparison.Ordinal);
        Assert.Contains("ends inside a TPKT", report.Verdicts[1].Findings[0].Message, StringComparison.Ordinal);
    }

    // ------------------------------------------------------------ helpers

    /// <summary>The connection re-cut so that every chunk is one TPKT packet (what the tests move around).</summary>
    internal static List<TcpRecorder.Chunk> Packets(TcpRecorder.Connection connection)
    {
        var result = new List<TcpRecorder.Chunk>();
        var pending = new Dictionary<bool, List<byte>> { [true] = [], [false] = [] };
        foreach (var chunk in connection.Chunks)
        {
            var buffer = pending[chunk.FromClient];
            buffer.AddRange(chunk.Data);
            while (buffer.Count >= 4)
            {
                var length = BinaryPrimitives.ReadUInt16BigEndian([buffer[2], buffer[3]]);
                if (buffer.Count < length) break;
                result.Add(new TcpRecorder.Chunk(chunk.FromClient, chunk.Ticks, [.. buffer.GetRange(0, length)]));
                buffer.RemoveRange(0, length);
            }
        }
        return result;
    }

    internal static CaptureExchange Exchange(IEnumerable<TcpRecorder.Chunk> packets) => new()
    {
        Seq = 1,
        Time = DateTimeOffset.UnixEpoch,
        Method = "TCP",
        Path = "",
        Client = "10.0.0.2:50000",
        Server = "10.0.0.1:102",
        Stream = packets.Select(p => new TcpChunk(p.FromClient, new DateTimeOffset(p.Ticks, TimeSpan.Zero), p.Data)).ToList(),
    };

    /// <summary>The MMS PDU of a single-TPDU data packet, or null.</summary>
    private static MmsPdu? Decode(TcpRecorder.Chunk packet)
    {
        try
        {
            if (Cotp.Decode(packet.Data.AsSpan(4)) is not CotpData { EndOfTsdu: true } dt) return null;
            var tsdu = packet.Data.AsSpan(4 + dt.DataOffset, dt.DataLength);
            var message = MmsFraming.ReadTsdu(tsdu);
            return message.Kind == UpperLayerKind.Data ? MmsPduCodec.Decode(tsdu.Slice(message.Offset, message.Length)) : null;
        }
        catch (MmsDecodeException)
        {
            return null;
        }
    }

    private static int FindMmsStart(byte[] packet)
    {
        var dt = (CotpData)Cotp.Decode(packet.AsSpan(4));
        var tsdu = packet.AsSpan(4 + dt.DataOffset, dt.DataLength);
        return 4 + dt.DataOffset + MmsFraming.ReadTsdu(tsdu).Offset;
    }

    private static bool IsSession(TcpRecorder.Chunk packet, SpduType type)
    {
        try
        {
            return Cotp.Decode(packet.Data.AsSpan(4)) is CotpData dt && IsoSession.Decode(packet.Data.AsSpan(4 + dt.DataOffset, dt.DataLength)).Type == type;
        }
        catch (MmsDecodeException)
        {
            return false;
        }
    }

    private static byte[] Packet(MmsPdu pdu)
    {
        var output = new ArrayBufferWriter<byte>();
        MmsFraming.WriteMmsData(output, MmsPduCodec.Encode(pdu), Cotp.DefaultTpduSize);
        return output.WrittenSpan.ToArray();
    }
}
