using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Goose;
using FlexCoop.Testing;

namespace FlexCoop.Iec61850.Tests.Goose;

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;

    public void AdvanceMilliseconds(double ms) => Now += TimeSpan.FromMilliseconds(ms);
}

internal static class GooseVectors
{
    /// <summary>A hex vector file: '#' starts a comment to the end of the line.</summary>
    public static byte[] Read(string name)
    {
        var path = Path.Combine(TestEnvironment.RepoRoot, "tests", "FlexCoop.Iec61850.Tests", "Goose", "vectors", name + ".hex");
        var hex = string.Concat(File.ReadAllLines(path).Select(l => l.Split('#')[0]).SelectMany(l => l.Where(Uri.IsHexDigit)));
        return Convert.FromHexString(hex);
    }

    /// <summary>2024-01-01T00:00:00.5Z, the t of the golden vector.</summary>
    public static readonly DateTimeOffset VectorTime = new(2024, 1, 1, 0, 0, 0, 500, TimeSpan.Zero);

    public static readonly MacAddress Source = MacAddress.Parse("02-00-00-00-00-01");

    /// <summary>XCBR1.Pos.stVal = on (Dbpos 10) and XCBR1.Pos.q = good.</summary>
    public static readonly MmsValue[] PositionOnGood = [new MmsBitString([0x80], 2), MmsBitString.FromBits(13)];

    public static GooseFrame GoldenFrame() => new()
    {
        Destination = MacAddress.Parse("01-0C-CD-01-00-01"),
        Source = Source,
        Vlan = new VlanTag(4, 0),
        AppId = 0x1001,
        Pdu = new GoosePdu
        {
            GocbRef = "DER1CTRL/LLN0$GO$gcbStatus",
            TimeAllowedToLive = 20,
            DatSet = "DER1CTRL/LLN0$GooseStatus",
            GoId = "DER1_Status",
            T = new MmsUtcTime(0x65920080, 0x800000, 0x0A),
            StNum = 1,
            SqNum = 0,
            ConfRev = 1,
            AllData = PositionOnGood,
        },
    };

    /// <summary>A frame that exercises every Data type GOOSE carries.</summary>
    public static GooseFrame EveryType(ushort appId = 0x0100, bool vlan = false, bool simulation = false) => new()
    {
        Destination = MacAddress.Parse("01-0C-CD-01-00-7F"),
        Source = Source,
        Vlan = vlan ? new VlanTag(6, 42) : null,
        AppId = appId,
        Reserved1 = simulation ? GooseCodec.SimulationBit : (ushort)0,
        Pdu = new GoosePdu
        {
            GocbRef = "IED1LD0/LLN0$GO$gcbAll",
            TimeAllowedToLive = 4000,
            DatSet = "IED1LD0/LLN0$All",
            T = new MmsUtcTime(0x65920080, 0x123456, 0x0A),
            StNum = 70000,
            SqNum = 300,
            Simulation = simulation,
            ConfRev = 200,
            NdsCom = true,
            AllData =
            [
                new MmsBoolean(true),
                MmsBitString.FromBits(13, 0, 12),
                new MmsInteger(-123456),
                new MmsUnsigned(4_000_000_000),
                new MmsFloat32(50.25f),
                new MmsFloat64(-1.5e10),
                new MmsOctetString([0xDE, 0xAD, 0xBE, 0xEF]),
                new MmsVisibleString("breaker-7"),
                new MmsUnicodeString("Zähler ✓"),
                MmsUtcTime.From(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero), 0x0A),
                new MmsBinaryTime(3_600_000, 14_000),
                new MmsStructure(new MmsFloat32(1f), MmsBitString.FromBits(13), new MmsUtcTime(0x65920080, 0, 0x0A)),
                new MmsArray([new MmsInteger(1), new MmsInteger(2), new MmsInteger(3)]),
            ],
        },
    };

    public static void AssertSame(GooseFrame expected, GooseFrame actual)
    {
        Assert.Equal(expected with { Pdu = actual.Pdu }, actual);
        Assert.Equal(expected.Pdu with { AllData = actual.Pdu.AllData }, actual.Pdu);
        Assert.Equal(expected.Pdu.AllData, actual.Pdu.AllData);
    }
}
