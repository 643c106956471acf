using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using FlexCoop.Conformance.Replay;
using FlexCoop.Conformance.Replay.Mms;
using FlexCoop.Conformance.Replay.Uftp;
using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Iso;
using FlexCoop.Usef;
using FlexCoop.Usef.Participants;
using FlexCoop.Usef.Signing;
using FlexCoop.Usef.Xml;

namespace FlexCoop.Bench;

/// <summary>
/// What <c>flexcoop replay CAPTURE.pcap</c> does for MMS, end to end: a classic pcap file of one TCP connection to
/// port 102 holding 10,000 MMS PDUs (COTP CR/CC, AARQ/AARE, then 4,998 reads and their responses, each PDU in its
/// own TCP segment; 10,006 frames with the handshake and FIN) is read, reassembled and checked by
/// <see cref="MmsReplayProtocol"/>. Baseline, same run: reading and reassembling the pcap into a capture alone.
/// Messages per second = 10,000 / mean time of "read + replay". Target: at least 10,000 messages/s.
/// Run (outside the checkout): <c>dotnet run -c Release --project bench/FlexCoop.Bench -- --filter '*CaptureReplay*' --job short --inProcess</c>
/// </summary>
[MemoryDiagnoser]
public class MmsPcapCaptureReplayBenchmarks
{
    private const int Reads = 4_998;
    private string _dir = null!;
    private string _pcap = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("flexcoop-bench-mms-").FullName;
        _pcap = Path.Combine(_dir, "mms.pcap");
        var pdus = new List<(bool FromClient, byte[] Packet)>();
        byte[] tsap = [0, 1];
        pdus.Add((true, Cotp.EncodeConnect(false, 0, 1, tsap, tsap, 8192)));
        pdus.Add((false, Cotp.EncodeConnect(true, 1, 1, tsap, tsap, 8192)));
        var parameters = new MmsInitiateParameters();
        var address = new AcseAddress(null, null);
        byte[] selector = [0, 0, 0, 1];
        var aarq = Acse.EncodeAarq(new AarqApdu(Acse.MmsApplicationContextName, address, address, null, null,
            IsoPresentation.MmsContextId, MmsPduCodec.Encode(new InitiateRequestPdu(parameters))));
        var cp = IsoPresentation.EncodeConnect(selector, selector,
        [
            new(IsoPresentation.AcseContextId, IsoPresentation.AcseAbstractSyntax, IsoPresentation.BerTransferSyntax),
            new(IsoPresentation.MmsContextId, IsoPresentation.MmsAbstractSyntax, IsoPresentation.BerTransferSyntax),
        ], IsoPresentation.AcseContextId, aarq);
        pdus.Add((true, Tsdu(IsoSession.EncodeConnectOrAccept(false, [0, 1], [0, 1], cp))));
        var aare = Acse.EncodeAare(new AareApdu(Acse.MmsApplicationContextName, 0, 0, address,
            IsoPresentation.MmsContextId, MmsPduCodec.Encode(new InitiateResponsePdu(parameters))));
        var cpa = IsoPresentation.EncodeAccept(selector, [0, 0], IsoPresentation.AcseContextId, aare);
        pdus.Add((false, Tsdu(IsoSession.EncodeConnectOrAccept(true, [0, 1], [0, 1], cpa))));
        for (var i = 0; i < Reads; i++)
        {
            var name = ObjectName.Domain("DER1PV", $"MMXU1$MX$TotW$mag$f{i % 7}");
            pdus.Add((true, Data(new ConfirmedRequestPdu((uint)i, new ReadRequest(VariableAccessSpecification.Of(name))))));
            pdus.Add((false, Data(new ConfirmedResponsePdu((uint)i, new ReadResponse([AccessResult.Success(new MmsFloat32(4200f + i))])))));
        }
        File.WriteAllBytes(_pcap, TcpPcap.Write(102, pdus));
        if (Replay() != 2 * Reads + 4) throw new InvalidOperationException("the MMS capture does not replay as expected");
    }

    private static byte[] Tsdu(byte[] tsdu)
    {
        var output = new ArrayBufferWriter<byte>();
        Cotp.WriteData(output, tsdu, 8192);
        return output.WrittenSpan.ToArray();
    }

    private static byte[] Data(MmsPdu pdu)
    {
        var output = new ArrayBufferWriter<byte>();
        MmsFraming.WriteMmsData(output, MmsPduCodec.Encode(pdu), 8192);
        return output.WrittenSpan.ToArray();
    }

    [Benchmark(Baseline = true, Description = "read + reassemble a pcap of 10,000 MMS PDUs (floor)")]
    public int ReadOnly() => Capture.Load(_pcap).Exchanges.Count;

    [Benchmark(Description = "read + replay a pcap of 10,000 MMS PDUs")]
    public int Replay() => ReplayEngine.Run(Capture.Load(_pcap), [new MmsReplayProtocol()]).Count(Verdict.Pass);

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, true);
}

/// <summary>
/// What <c>flexcoop replay FOLDER --uftp-keys KEYS</c> does for UFTP, end to end: a request/response folder
/// (index.jsonl and one file per message) of 2,000 signed messages (1,000 D-Prognosis of 96 ISPs, each answered by
/// a D-PrognosisResponse) is read and checked by <see cref="UftpReplayProtocol"/> with the participants' keys:
/// Ed25519 signature, business rules, conversation. Baseline, same run: reading the folder into a capture alone.
/// Messages per second = 2,000 / mean time of "read + replay". Target: at least 10,000 messages/s.
/// Run (outside the checkout): <c>dotnet run -c Release --project bench/FlexCoop.Bench -- --filter '*CaptureReplay*' --job short --inProcess</c>
/// </summary>
[MemoryDiagnoser]
public class UftpFolderCaptureReplayBenchmarks
{
    private const int Prognoses = 1_000;
    private const string Agr = "agr.example.org";
    private const string Dso = "dso.example.com";
    private string _dir = null!;
    private UftpSigningKey _agrKey = null!;
    private UftpSigningKey _dsoKey = null!;
    private UftpParticipant[] _participants = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("flexcoop-bench-uftp-").FullName;
        _agrKey = UftpSigningKey.Generate();
        _dsoKey = UftpSigningKey.Generate();
        _participants =
        [
            new(Agr, UftpRole.AGR, null, new ValueList<UftpPublicKey>([_agrKey.PublicKey])),
            new(Dso, UftpRole.DSO, null, new ValueList<UftpPublicKey>([_dsoKey.PublicKey])),
        ];
        var t0 = new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
        var point = EntityAddress.FromEan("871685900012345678");
        var index = new StringBuilder();
        void Write(int seq, DateTimeOffset time, SignedMessage envelope)
        {
            var file = $"{seq:D4}-req.xml";
            File.WriteAllBytes(Path.Combine(_dir, file), UftpXml.Serialize(envelope));
            index.AppendLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["seq"] = seq,
                ["time"] = time.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                ["method"] = "POST",
                ["path"] = "/shapeshifter/api/v3/message",
                ["status"] = 200,
                ["req_file"] = file,
                ["req_content_type"] = "text/xml",
            }));
        }
        for (var i = 0; i < Prognoses; i++)
        {
            var time = t0.AddSeconds(i);
            var prognosis = new DPrognosis
            {
                SenderDomain = Agr, RecipientDomain = Dso, TimeStamp = time, MessageId = Guid.NewGuid(), ConversationId = Guid.NewGuid(),
                IspDuration = TimeSpan.FromMinutes(15), TimeZone = "Europe/Amsterdam", Period = new DateOnly(2026, 12, 2), CongestionPoint = point,
                Revision = i + 1,
                Isps = new ValueList<PowerIsp>(Enumerable.Range(1, 96).Select(n => new PowerIsp(800_000 + n, n))),
            };
            var response = new DPrognosisResponse
            {
                SenderDomain = Dso, RecipientDomain = Agr, TimeStamp = time.AddMilliseconds(200), MessageId = Guid.NewGuid(), ConversationId = prognosis.ConversationId,
                Result = AcceptedRejected.Accepted, DPrognosisMessageId = prognosis.MessageId,
            };
            Write(2 * i + 1, time, UftpSigner.Seal(prognosis, UftpRole.AGR, _agrKey));
            Write(2 * i + 2, time.AddMilliseconds(200), UftpSigner.Seal(response, UftpRole.DSO, _dsoKey));
        }
        File.WriteAllText(Path.Combine(_dir, "index.jsonl"), index.ToString());
        if (Replay() != 2 * Prognoses) throw new InvalidOperationException("the UFTP folder does not replay as expected");
    }

    [Benchmark(Baseline = true, Description = "read a folder of 2,000 UFTP messages (floor)")]
    public int ReadOnly() => Capture.Load(_dir).Exchanges.Count;

    [Benchmark(Description = "read + replay a folder of 2,000 UFTP messages (signatures, rules, conversation)")]
    public int Replay() => ReplayEngine.Run(Capture.Load(_dir), [new UftpReplayProtocol(_participants)]).Count(Verdict.Pass);

    [GlobalCleanup]
    public void Cleanup()
    {
        _agrKey.Dispose();
        _dsoKey.Dispose();
        Directory.Delete(_dir, true);
    }
}

/// <summary>A classic pcap (Ethernet, IPv4, TCP) of one connection from 10.0.0.2:50000 to 10.0.0.1:PORT, one segment per packet given.</summary>
internal static class TcpPcap
{
    public static byte[] Write(ushort port, IReadOnlyList<(bool FromClient, byte[] Packet)> packets)
    {
        var output = new MemoryStream();
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xA1B2C3D4);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 65535);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], 1);
        output.Write(header);
        uint clientSeq = 1000, serverSeq = 5000;
        var time = new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
        void Send(bool fromClient, byte flags, ReadOnlySpan<byte> payload)
        {
            time = time.AddTicks(1000);
            var frame = Frame(port, fromClient, fromClient ? clientSeq : serverSeq, fromClient ? serverSeq : clientSeq, flags, payload);
            var us = (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
            Span<byte> record = stackalloc byte[16];
            BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)(us / 1_000_000));
            BinaryPrimitives.WriteUInt32LittleEndian(record[4..], (uint)(us % 1_000_000));
            BinaryPrimitives.WriteUInt32LittleEndian(record[8..], (uint)frame.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(record[12..], (uint)frame.Length);
            output.Write(record);
            output.Write(frame);
            var advance = (uint)payload.Length + ((flags & 0x03) != 0 ? 1u : 0u);
            if (fromClient) clientSeq += advance;
            else serverSeq += advance;
        }
        Send(true, 0x02, []);
        Send(false, 0x12, []);
        Send(true, 0x10, []);
        foreach (var (fromClient, packet) in packets) Send(fromClient, 0x18, packet);
        Send(true, 0x11, []);
        Send(false, 0x11, []);
        return output.ToArray();
    }

    private static byte[] Frame(ushort port, bool fromClient, uint seq, uint ack, byte flags, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[14 + 20 + 20 + payload.Length];
        var s = frame.AsSpan();
        s[12] = 0x08; // EtherType IPv4
        var ip = s[14..];
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(40 + payload.Length));
        ip[8] = 64;
        ip[9] = 6; // TCP
        byte[] client = [10, 0, 0, 2], server = [10, 0, 0, 1];
        (fromClient ? client : server).CopyTo(ip[12..]);
        (fromClient ? server : client).CopyTo(ip[16..]);
        var tcp = ip[20..];
        BinaryPrimitives.WriteUInt16BigEndian(tcp, fromClient ? (ushort)50000 : port);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[2..], fromClient ? port : (ushort)50000);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], seq);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[8..], ack);
        tcp[12] = 0x50;
        tcp[13] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(tcp[14..], 65535);
        payload.CopyTo(tcp[20..]);
        return frame;
    }
}
