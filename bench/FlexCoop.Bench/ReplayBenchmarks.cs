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
