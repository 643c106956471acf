using BenchmarkDotNet.Attributes;
using FlexCoop.Conformance.Replay;
using FlexCoop.Conformance.Replay.OpenAdr;
using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Validation;

namespace FlexCoop.Bench;

/// <summary>
/// Replay throughput: a capture of 1,000 messages (500 poll/response exchanges, a quarter of them
/// carrying an event) replayed with the profile rules and conversation checks. Baseline: the
/// same messages through <see cref="OadrValidator"/> alone, the floor replay builds on.
/// Messages per second = 1,000 / mean time. Target: at least 10,000 messages/s.
/// </summary>
[MemoryDiagnoser]
public class ReplayBenchmarks
{
    private const int Exchanges = 500;
    private Capture _capture = null!;
    private List<byte[]> _messages = null!;
    private OadrValidator _validator = null!;

    [GlobalSetup]
    public void Setup()
    {
        var t0 = new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
        var exchanges = new List<CaptureExchange>();
        _messages = [];
        for (var i = 0; i < Exchanges; i++)
        {
            var ven = $"ven-{i % 50}";
            var request = OadrCodec.SerializeToUtf8Bytes(new OadrPoll { VenId = ven });
            OadrMessage answer = i % 4 == 0
                ? Distribute($"req-{i}", $"event-{i}")
                : new OadrResponse { EiResponse = new EiResponse { ResponseCode = ResponseCode.Ok, RequestId = "" }, VenId = ven };
            var response = OadrCodec.SerializeToUtf8Bytes(answer);
            _messages.Add(request);
            _messages.Add(response);
            exchanges.Add(new CaptureExchange
            {
                Seq = i + 1,
                Time = t0.AddSeconds(i),
                Method = "POST",
                Path = "/OpenADR2/Simple/2.0b/OadrPoll",
                Status = 200,
                RequestBody = request,
                ResponseBody = response,
                RequestContentType = "application/xml",
                ResponseContentType = "application/xml",
            });
        }
        _capture = new Capture("bench", exchanges);
        _validator = new OadrValidator();
    }

    [Benchmark(Baseline = true, Description = "validate 1,000 messages (floor)")]
    public int ValidateOnly()
    {
        var valid = 0;
        foreach (var m in _messages)
        {
            if (_validator.Validate(m).IsValid) valid++;
        }
        return valid;
    }

    [Benchmark(Description = "replay 1,000 messages")]
    public int Replay() => ReplayEngine.Run(_capture, [new OpenAdrReplayProtocol()]).Count(Verdict.Pass);

    private static OadrDistributeEvent Distribute(string requestId, string eventId) => new()
    {
        RequestId = requestId,
        VtnId = "vtn-1",
        Events =
        [
            new OadrEvent
            {
                ResponseRequired = ResponseRequired.Always,
                EiEvent = new EiEvent
                {
                    EventDescriptor = new EventDescriptor
                    {
                        EventId = eventId,
                        ModificationNumber = 0,
                        MarketContext = "http://flexcoop.example/programs/peak",
                        CreatedDateTime = new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero),
                        EventStatus = EventStatus.Far,
                    },
                    ActivePeriod = new ActivePeriod
                    {
                        Properties = new CalendarProperties
                        {
                            DtStart = new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero),
                            Duration = IsoDuration.Parse("PT1H"),
                        },
                    },
                    EventSignals = new EventSignals
                    {
                        Signals =
                        [
                            new EventSignal
                            {
                                SignalName = SignalName.Simple,
                                SignalType = SignalType.Level,
                                SignalId = "sig-1",
                                Intervals = [new Interval { Duration = IsoDuration.Parse("PT1H"), Uid = "0", Payloads = [new SignalPayload { Payload = PayloadFloat.Of(1) }] }],
                            },
                        ],
                    },
                    Target = EiTarget.Empty,
                },
            },
        ],
    };
}

/// <summary>
/// MMS replay throughput: one association of 1,000 PDUs (COTP CR/CC, AARQ/AARE with initiate,
/// then 498 read requests with their responses, each in its own TPKT) checked by
/// <see cref="FlexCoop.Conformance.Replay.Mms.MmsReplayProtocol"/>. Baseline: the same 1,000 PDUs
/// through the decoders alone (TPKT/COTP, session, presentation, ACSE, MMS), measured in the same run.
/// Messages per second = 1,000 / mean time. Target: at least 10,000 messages/s.
/// Run: dotnet run -c Release --project bench/FlexCoop.Bench -- --filter '*MmsReplay*' --job short
/// </summary>
[MemoryDiagnoser]
public class MmsReplayBenchmarks
{
    private const int Reads = 498;
    private Capture _capture = null!;
    private List<(bool FromClient, byte[] Packet)> _packets = null!;

    [GlobalSetup]
    public void Setup()
    {
        var t0 = new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
        _packets = [];
        byte[] tsap = [0, 1];
        _packets.Add((true, FlexCoop.Iec61850.Mms.Iso.Cotp.EncodeConnect(false, 0, 1, tsap, tsap, 8192)));
        _packets.Add((false, FlexCoop.Iec61850.Mms.Iso.Cotp.EncodeConnect(true, 1, 1, tsap, tsap, 8192)));
        var parameters = new FlexCoop.Iec61850.Mms.MmsInitiateParameters();
        var address = new FlexCoop.Iec61850.Mms.Iso.AcseAddress(null, null);
        var aarq = FlexCoop.Iec61850.Mms.Iso.Acse.EncodeAarq(new FlexCoop.Iec61850.Mms.Iso.AarqApdu(
            FlexCoop.Iec61850.Mms.Iso.Acse.MmsApplicationContextName, address, address, null, null,
            FlexCoop.Iec61850.Mms.Iso.IsoPresentation.MmsContextId, FlexCoop.Iec61850.Mms.MmsPduCodec.Encode(new FlexCoop.Iec61850.Mms.InitiateRequestPdu(parameters))));
        byte[] selector = [0, 0, 0, 1];
        var cp = FlexCoop.Iec61850.Mms.Iso.IsoPresentation.EncodeConnect(selector, selector,
        [
            new(FlexCoop.Iec61850.Mms.Iso.IsoPresentation.AcseContextId, FlexCoop.Iec61850.Mms.Iso.IsoPresentation.AcseAbstractSyntax, FlexCoop.Iec61850.Mms.Iso.IsoPresentation.BerTransferSyntax),
            new(FlexCoop.Iec61850.Mms.Iso.IsoPresentation.MmsContextId, FlexCoop.Iec61850.Mms.Iso.IsoPresentation.MmsAbstractSyntax, FlexCoop.Iec61850.Mms.Iso.IsoPresentation.BerTransferSyntax),
        ], FlexCoop.Iec61850.Mms.Iso.IsoPresentation.AcseContextId, aarq);
        _packets.Add((true, Tsdu(FlexCoop.Iec61850.Mms.Iso.IsoSession.EncodeConnectOrAccept(false, [0, 1], [0, 1], cp))));
        var aare = FlexCoop.Iec61850.Mms.Iso.Acse.EncodeAare(new FlexCoop.Iec61850.Mms.Iso.AareApdu(
            FlexCoop.Iec61850.Mms.Iso.Acse.MmsApplicationContextName, 0, 0, address,
            FlexCoop.Iec61850.Mms.Iso.IsoPresentation.MmsContextId, FlexCoop.Iec61850.Mms.MmsPduCodec.Encode(new FlexCoop.Iec61850.Mms.InitiateResponsePdu(parameters))));
        var cpa = FlexCoop.Iec61850.Mms.Iso.IsoPresentation.EncodeAccept(selector, [0, 0], FlexCoop.Iec61850.Mms.Iso.IsoPresentation.AcseContextId, aare);
        _packets.Add((false, Tsdu(FlexCoop.Iec61850.Mms.Iso.IsoSession.EncodeConnectOrAccept(true, [0, 1], [0, 1], cpa))));
        for (var i = 0; i < Reads; i++)
        {
            var name = FlexCoop.Iec61850.Mms.ObjectName.Domain("DER1PV", $"MMXU1$MX$TotW$mag$f{i % 7}");
            _packets.Add((true, Data(new FlexCoop.Iec61850.Mms.ConfirmedRequestPdu((uint)i, new FlexCoop.Iec61850.Mms.ReadRequest(FlexCoop.Iec61850.Mms.VariableAccessSpecification.Of(name))))));
            _packets.Add((false, Data(new FlexCoop.Iec61850.Mms.ConfirmedResponsePdu((uint)i, new FlexCoop.Iec61850.Mms.ReadResponse([FlexCoop.Iec61850.Mms.AccessResult.Success(new FlexCoop.Iec61850.Mms.MmsFloat32(4200f + i))])))));
        }
        _capture = new Capture("bench", [new CaptureExchange
        {
            Seq = 1,
            Time = t0,
            Method = "TCP",
            Path = "",
            Client = "10.0.0.2:50000",
            Server = "10.0.0.1:102",
            Stream = _packets.Select((p, i) => new TcpChunk(p.FromClient, t0.AddTicks(i * 10), p.Packet)).ToList(),
        }]);
    }

    private static byte[] Tsdu(byte[] tsdu)
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        FlexCoop.Iec61850.Mms.Iso.Cotp.WriteData(output, tsdu, 8192);
        return output.WrittenSpan.ToArray();
    }

    private static byte[] Data(FlexCoop.Iec61850.Mms.MmsPdu pdu)
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        FlexCoop.Iec61850.Mms.Iso.MmsFraming.WriteMmsData(output, FlexCoop.Iec61850.Mms.MmsPduCodec.Encode(pdu), 8192);
        return output.WrittenSpan.ToArray();
    }

    [Benchmark(Baseline = true, Description = "decode 1,000 MMS PDUs (floor)")]
    public int DecodeOnly()
    {
        var decoded = 0;
        for (var i = 0; i < _packets.Count; i++)
        {
            var tpdu = _packets[i].Packet.AsSpan(FlexCoop.Iec61850.Mms.Iso.Tpkt.HeaderLength);
            if (FlexCoop.Iec61850.Mms.Iso.Cotp.Decode(tpdu) is not FlexCoop.Iec61850.Mms.Iso.CotpData dt)
            {
                decoded++;
                continue;
            }
            var tsdu = tpdu.Slice(dt.DataOffset, dt.DataLength);
            if (i < 4)
            {
                // AARQ / AARE: session, presentation, ACSE, then the initiate PDU.
                var spdu = FlexCoop.Iec61850.Mms.Iso.IsoSession.Decode(tsdu);
                var user = tsdu.Slice(spdu.UserDataOffset, spdu.UserDataLength);
                var initiate = _packets[i].FromClient
                    ? FlexCoop.Iec61850.Mms.Iso.Acse.DecodeAarq(FlexCoop.Iec61850.Mms.Iso.IsoPresentation.DecodeConnect(user).UserData).UserData
                    : FlexCoop.Iec61850.Mms.Iso.Acse.DecodeAare(FlexCoop.Iec61850.Mms.Iso.IsoPresentation.DecodeAccept(user).UserData).UserData;
                FlexCoop.Iec61850.Mms.MmsPduCodec.Decode(initiate);
            }
            else
            {
                var message = FlexCoop.Iec61850.Mms.Iso.MmsFraming.ReadTsdu(tsdu);
                FlexCoop.Iec61850.Mms.MmsPduCodec.Decode(tsdu.Slice(message.Offset, message.Length));
            }
            decoded++;
        }
        return decoded;
    }

    [Benchmark(Description = "replay 1,000 MMS PDUs")]
    public int Replay() => ReplayEngine.Run(_capture, [new FlexCoop.Conformance.Replay.Mms.MmsReplayProtocol()]).Count(Verdict.Pass);
}

/// <summary>
/// UFTP replay throughput: 1,000 signed messages (500 D-Prognosis of 96 ISPs, each answered by a
/// D-PrognosisResponse) checked by <see cref="FlexCoop.Conformance.Replay.Uftp.UftpReplayProtocol"/>
/// with the participants' keys: signature, business rules and conversation. Baseline: the same
/// envelopes parsed alone (SignedMessage and sealed message, no signature check), in the same run.
/// Messages per second = 1,000 / mean time. Target: at least 10,000 messages/s.
/// Run: dotnet run -c Release --project bench/FlexCoop.Bench -- --filter '*UftpReplay*' --job short
/// </summary>
[MemoryDiagnoser]
public class UftpReplayBenchmarks
{
    private const int Prognoses = 500;
    private const string Agr = "agr.example.org";
    private const string Dso = "dso.example.com";
    private Capture _capture = null!;
    private FlexCoop.Usef.Signing.UftpSigningKey _agrKey = null!;
    private FlexCoop.Usef.Signing.UftpSigningKey _dsoKey = null!;
    private FlexCoop.Usef.Participants.UftpParticipant[] _participants = null!;

    [GlobalSetup]
    public void Setup()
    {
        _agrKey = FlexCoop.Usef.Signing.UftpSigningKey.Generate();
        _dsoKey = FlexCoop.Usef.Signing.UftpSigningKey.Generate();
        _participants =
        [
            new(Agr, FlexCoop.Usef.UftpRole.AGR, null, new FlexCoop.Usef.ValueList<FlexCoop.Usef.Signing.UftpPublicKey>([_agrKey.PublicKey])),
            new(Dso, FlexCoop.Usef.UftpRole.DSO, null, new FlexCoop.Usef.ValueList<FlexCoop.Usef.Signing.UftpPublicKey>([_dsoKey.PublicKey])),
        ];
        var t0 = new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
        var point = FlexCoop.Usef.EntityAddress.FromEan("871685900012345678");
        var exchanges = new List<CaptureExchange>();
        for (var i = 0; i < Prognoses; i++)
        {
            var time = t0.AddSeconds(i);
            var prognosis = new FlexCoop.Usef.DPrognosis
            {
                SenderDomain = Agr, RecipientDomain = Dso, TimeStamp = time, MessageId = Guid.NewGuid(), ConversationId = Guid.NewGuid(),
                IspDuration = TimeSpan.FromMinutes(15), TimeZone = "Europe/Amsterdam", Period = new DateOnly(2026, 12, 2), CongestionPoint = point,
                Revision = i + 1,
                Isps = new FlexCoop.Usef.ValueList<FlexCoop.Usef.PowerIsp>(Enumerable.Range(1, 96).Select(n => new FlexCoop.Usef.PowerIsp(800_000 + n, n))),
            };
            var response = new FlexCoop.Usef.DPrognosisResponse
            {
                SenderDomain = Dso, RecipientDomain = Agr, TimeStamp = time.AddMilliseconds(200), MessageId = Guid.NewGuid(), ConversationId = prognosis.ConversationId,
                Result = FlexCoop.Usef.AcceptedRejected.Accepted, DPrognosisMessageId = prognosis.MessageId,
            };
            exchanges.Add(Post(2 * i + 1, time, FlexCoop.Usef.Signing.UftpSigner.Seal(prognosis, FlexCoop.Usef.UftpRole.AGR, _agrKey)));
            exchanges.Add(Post(2 * i + 2, time.AddMilliseconds(200), FlexCoop.Usef.Signing.UftpSigner.Seal(response, FlexCoop.Usef.UftpRole.DSO, _dsoKey)));
        }
        _capture = new Capture("bench", exchanges);
    }

    private static CaptureExchange Post(int seq, DateTimeOffset time, FlexCoop.Usef.SignedMessage envelope) => new()
    {
        Seq = seq,
        Time = time,
        Method = "POST",
        Path = "/shapeshifter/api/v3/message",
        Status = 200,
        RequestBody = FlexCoop.Usef.Xml.UftpXml.Serialize(envelope),
        RequestContentType = "text/xml",
    };

    [Benchmark(Baseline = true, Description = "parse 1,000 UFTP envelopes (floor)")]
    public int ParseOnly()
    {
        var parsed = 0;
        foreach (var e in _capture.Exchanges)
        {
            var envelope = FlexCoop.Usef.Xml.UftpXml.ParseSignedMessage(e.RequestBody);
            FlexCoop.Usef.Xml.UftpXml.Parse(envelope.Body[FlexCoop.Usef.Signing.UftpSigner.SignatureLength..]);
            parsed++;
        }
        return parsed;
    }

    [Benchmark(Description = "replay 1,000 UFTP messages (signatures, rules, conversation)")]
    public int Replay() => ReplayEngine.Run(_capture, [new FlexCoop.Conformance.Replay.Uftp.UftpReplayProtocol(_participants)]).Count(Verdict.Pass);

    [GlobalCleanup]
    public void Cleanup()
    {
        _agrKey.Dispose();
        _dsoKey.Dispose();
    }
}
