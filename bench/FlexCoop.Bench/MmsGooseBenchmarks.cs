using BenchmarkDotNet.Attributes;
using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Goose;

namespace FlexCoop.Bench;

/// <summary>
/// GOOSE frame handling on byte buffers (no socket): encoding a frame, decoding it, and the subscriber's
/// whole receive path (filter, decode, stNum/sqNum tracking). The frame is that of a 20-member data set
/// (status value + quality pairs). The baseline is decoding the frame; the APPID peek is what the subscriber pays for foreign traffic.
/// Frames/s = 1 / mean. Run: dotnet run -c Release --project bench/FlexCoop.Bench -- --filter '*MmsGoose*' --job short --inProcess
/// </summary>
[MemoryDiagnoser]
public class MmsGooseBenchmarks
{
    private GooseFrame _frame = null!;
    private byte[] _bytes = [];
    private GooseSubscriber _subscriber = null!;
    private byte[][] _sequence = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var values = new List<MmsValue>();
        for (var i = 0; i < 10; i++)
        {
            values.Add(new MmsBitString([0x80], 2));
            values.Add(MmsBitString.FromBits(13));
        }
        _frame = new GooseFrame
        {
            Destination = MacAddress.Parse("01-0C-CD-01-00-01"),
            Source = MacAddress.Parse("02-00-00-00-00-01"),
            Vlan = new VlanTag(4, 0),
            AppId = 0x1001,
            Pdu = new GoosePdu
            {
                GocbRef = "DER1CTRL/LLN0$GO$gcbStatus",
                TimeAllowedToLive = 4000,
                DatSet = "DER1CTRL/LLN0$GooseStatus",
                GoId = "DER1_Status",
                T = MmsUtcTime.From(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), 0x0A),
                StNum = 1,
                ConfRev = 1,
                AllData = values,
            },
        };
        _bytes = GooseCodec.Encode(_frame);
        // A long run of retransmissions, so that every received frame is a new one for the subscriber.
        _sequence = Enumerable.Range(0, 4096).Select(i => GooseCodec.Encode(_frame with { Pdu = _frame.Pdu with { SqNum = (uint)i } })).ToArray();
        _subscriber = new GooseSubscriber(new GooseSubscriberOptions { AppId = 0x1001 });
    }

    [Benchmark(Description = "APPID peek (foreign traffic dropped)")]
    public ushort? PeekAppId() => GooseCodec.PeekAppId(_bytes);

    [Benchmark(Description = "encode frame, 20 entries")]
    public byte[] Encode() => GooseCodec.Encode(_frame);

    [Benchmark(Baseline = true, Description = "decode frame, 20 entries")]
    public GooseFrame Decode() => GooseCodec.Decode(_bytes);

    [Benchmark(Description = "subscriber receive (decode + track)")]
    public GooseReceptionStatus Receive()
    {
        if (_next == _sequence.Length)
        {
            _next = 0;
            _subscriber = new GooseSubscriber(new GooseSubscriberOptions { AppId = 0x1001 });
        }
        return _subscriber.Receive(_sequence[_next++]).Status;
    }
}
