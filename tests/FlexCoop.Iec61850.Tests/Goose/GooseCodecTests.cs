using System.Buffers.Binary;
using CsCheck;
using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Ber;
using FlexCoop.Iec61850.Mms.Goose;

namespace FlexCoop.Iec61850.Tests.Goose;

/// <summary>The GOOSE frame codec against a hand-derived vector, round trips, and hostile frames.</summary>
public sealed class GooseCodecTests
{
    [Fact]
    public void Encoding_the_gcbStatus_frame_gives_the_hand_derived_vector()
    {
        var expected = GooseVectors.Read("goose-vlan");
        Assert.Equal(138, expected.Length);
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(GooseCodec.Encode(GooseVectors.GoldenFrame())));
    }

    [Fact]
    public void Decoding_the_hand_derived_vector_gives_every_field()
    {
        var frame = GooseCodec.Decode(GooseVectors.Read("goose-vlan"));
        Assert.Equal("01-0C-CD-01-00-01", frame.Destination.ToString());
        Assert.True(frame.Destination.IsMulticast);
        Assert.Equal(GooseVectors.Source, frame.Source);
        Assert.Equal(new VlanTag(4, 0), frame.Vlan);
        Assert.Equal(0x1001, frame.AppId);
        Assert.Equal("DER1CTRL/LLN0$GO$gcbStatus", frame.Pdu.GocbRef);
        Assert.Equal(20u, frame.Pdu.TimeAllowedToLive);
        Assert.Equal("DER1CTRL/LLN0$GooseStatus", frame.Pdu.DatSet);
        Assert.Equal("DER1_Status", frame.Pdu.GoId);
        Assert.Equal(GooseVectors.VectorTime, frame.Pdu.T.Timestamp);
        Assert.Equal((1u, 0u, 1u, 2u), (frame.Pdu.StNum, frame.Pdu.SqNum, frame.Pdu.ConfRev, frame.Pdu.NumDatSetEntries));
        Assert.False(frame.Pdu.Simulation);
        Assert.False(frame.Pdu.NdsCom);
        Assert.Equal(GooseVectors.PositionOnGood, frame.Pdu.AllData);
        Assert.Equal((ushort)0x1001, GooseCodec.PeekAppId(GooseVectors.Read("goose-vlan")));
    }

    [Fact]
    public void Untagged_frame_has_the_ethertype_right_after_the_source_address()
    {
        var bytes = GooseCodec.Encode(GooseVectors.GoldenFrame() with { Vlan = null });
        var vector = GooseVectors.Read("goose-vlan");
        Assert.Equal(vector.Length - 4, bytes.Length);
        Assert.Equal(vector[..12], bytes[..12]);
        Assert.Equal(vector[16..], bytes[12..]);
        Assert.Null(GooseCodec.Decode(bytes).Vlan);
    }

    [Fact]
    public void Frame_with_every_data_type_round_trips()
    {
        foreach (var frame in new[] { GooseVectors.EveryType(), GooseVectors.EveryType(vlan: true, simulation: true) })
        {
            GooseVectors.AssertSame(frame, GooseCodec.Decode(GooseCodec.Encode(frame)));
        }
    }

    [Fact]
    public void Padding_after_the_apdu_is_ignored()
    {
        var bytes = GooseVectors.Read("goose-vlan");
        var padded = bytes.Concat(new byte[20]).ToArray();
        GooseVectors.AssertSame(GooseVectors.GoldenFrame(), GooseCodec.Decode(padded));
    }

    private static readonly Gen<MmsValue> ScalarGen = Gen.OneOf<MmsValue>(
        Gen.Bool.Select(b => (MmsValue)new MmsBoolean(b)),
        Gen.Long.Select(l => (MmsValue)new MmsInteger(l)),
        Gen.ULong.Select(u => (MmsValue)new MmsUnsigned(u)),
        Gen.Float.Where(f => !float.IsNaN(f)).Select(f => (MmsValue)new MmsFloat32(f)),
        Gen.Double.Where(d => !double.IsNaN(d)).Select(d => (MmsValue)new MmsFloat64(d)),
        Gen.Byte.Array[0, 20].Select(b => (MmsValue)new MmsOctetString(b)),
        Gen.Char['a', 'z'].Array[0, 20].Select(c => (MmsValue)new MmsVisibleString(new string(c))),
        Gen.Int[0, 13].Select(Gen.Byte.Array[2]).Select((n, b) => (MmsValue)new MmsBitString(b, n)),
        Gen.UInt.Select(Gen.UInt[0, 0xFFFFFF], Gen.Byte).Select((s, f, q) => (MmsValue)new MmsUtcTime(s, f, q)));

    private static readonly Gen<MmsValue> ValueGen = Gen.OneOf(ScalarGen,
        ScalarGen.Array[0, 5].Select(a => (MmsValue)new MmsStructure(a)),
        ScalarGen.Array[0, 5].Select(a => (MmsValue)new MmsArray(a)));

    private static readonly Gen<GooseFrame> FrameGen =
        Gen.Select(Gen.UShort, Gen.Bool, Gen.UInt, Gen.UInt, Gen.UInt, ValueGen.Array[0, 12], Gen.Char['A', 'Z'].Array[1, 129])
            .Select((appId, tagged, stNum, sqNum, tal, values, name) => new GooseFrame
            {
                Destination = MacAddress.Parse("01-0C-CD-01-00-02"),
                Source = GooseVectors.Source,
                Vlan = tagged ? new VlanTag((byte)(appId % 8), (ushort)(appId & 0xFFF)) : null,
                AppId = appId,
                Pdu = new GoosePdu
                {
                    GocbRef = new string(name),
                    TimeAllowedToLive = tal,
                    DatSet = "LD/LLN0$ds",
                    GoId = stNum % 2 == 0 ? null : "id",
                    StNum = stNum,
                    SqNum = sqNum,
                    ConfRev = sqNum ^ stNum,
                    Simulation = tagged,
                    AllData = values,
                },
            });

    [Fact]
    public void Random_frames_round_trip() =>
        FrameGen.Sample(frame => GooseVectors.AssertSame(frame, GooseCodec.Decode(GooseCodec.Encode(frame))), iter: 500);

    [Fact]
    public void Every_truncation_of_the_vector_fails_with_a_typed_error()
    {
        var bytes = GooseVectors.Read("goose-vlan");
        for (var n = 0; n < bytes.Length; n++)
        {
            var e = Assert.Throws<MmsDecodeException>(() => GooseCodec.Decode(bytes.AsSpan(0, n)));
            Assert.Contains(e.Layer, new[] { "ethernet", "goose" });
        }
    }

    [Fact]
    public void Length_field_running_past_the_frame_is_refused()
    {
        var bytes = GooseVectors.Read("goose-vlan");
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(20), 0xFFFF);
        var e = Assert.Throws<MmsDecodeException>(() => GooseCodec.Decode(bytes));
        Assert.Equal(20, e.Offset);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(20), 7);
        Assert.Throws<MmsDecodeException>(() => GooseCodec.Decode(bytes));
    }

    [Fact]
    public void Ber_length_of_four_gigabytes_is_refused_without_allocating()
    {
        // goosePdu with a 4-octet length 0xFFFFFFF0 right after the reserved words.
        var bytes = GooseVectors.Read("goose-vlan")[..26].Concat(new byte[] { 0x61, 0x84, 0xFF, 0xFF, 0xFF, 0xF0, 0x80, 0x00 }).ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(20), (ushort)(bytes.Length - 18));
        var e = Assert.Throws<MmsDecodeException>(() => GooseCodec.Decode(bytes));
        Assert.Equal("goose", e.Layer);
    }

    [Fact]
    public void Oversized_frame_is_refused() =>
        Assert.Throws<MmsDecodeException>(() => GooseCodec.Decode(new byte[GooseCodec.MaxFrameLength + 1]));

    [Fact]
    public void Other_ethertypes_are_not_goose()
    {
        var bytes = GooseVectors.Read("goose-vlan");
        bytes[16] = 0x88;
        bytes[17] = 0xBA; // sampled values
        Assert.Null(GooseCodec.PeekAppId(bytes));
        Assert.Contains("EtherType 0x88BA", Assert.Throws<MmsDecodeException>(() => GooseCodec.Decode(bytes)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_deeper_than_the_ber_limit_is_refused()
    {
        MmsValue v = new MmsInteger(1);
        for (var i = 0; i < BerReader.MaxDepth + 10; i++) v = new MmsStructure(v);
        var bytes = GooseCodec.Encode(GooseVectors.GoldenFrame() with { Pdu = GooseVectors.GoldenFrame().Pdu with { AllData = [v] } });
        Assert.Contains("nesting", Assert.Throws<MmsDecodeException>(() => GooseCodec.Decode(bytes)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Entry_count_that_disagrees_with_allData_is_refused()
    {
        var bytes = GooseVectors.Read("goose-vlan");
        var at = Array.IndexOf(bytes, (byte)0x8A);
        bytes[at + 2] = 3;
        Assert.Contains("numDatSetEntries is 3 but allData has 2", Assert.Throws<MmsDecodeException>(() => GooseCodec.Decode(bytes)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fields_out_of_order_are_refused()
    {
        var bytes = GooseVectors.Read("goose-vlan");
        var at = Array.IndexOf(bytes, (byte)0x85);
        (bytes[at], bytes[at + 3]) = (bytes[at + 3], bytes[at]); // sqNum [6] before stNum [5]
        Assert.Contains("expected stNum [5]", Assert.Throws<MmsDecodeException>(() => GooseCodec.Decode(bytes)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mutated_frames_fail_only_with_typed_errors()
    {
        var seeds = new[] { GooseVectors.Read("goose-vlan"), GooseCodec.Encode(GooseVectors.EveryType()), GooseCodec.Encode(GooseVectors.EveryType(vlan: true)) };
        Gen.Int[0, seeds.Length - 1].Select(Gen.Int).Sample((index, seed) =>
        {
            var random = new Random(seed);
            var bytes = seeds[index].ToArray();
            for (var i = random.Next(1, 6); i > 0; i--) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            if (random.Next(4) == 0) bytes = bytes[..random.Next(bytes.Length)];
            try
            {
                GooseCodec.Decode(bytes);
            }
            catch (MmsDecodeException)
            {
                // the only acceptable failure
            }
        }, iter: 5000);
    }

    [Fact]
    public void Random_bytes_fail_only_with_typed_errors() =>
        Gen.Byte.Array[0, 200].Sample(bytes =>
        {
            if (bytes.Length > 17) (bytes[12], bytes[13]) = ((byte)0x88, (byte)0xB8);
            try
            {
                GooseCodec.Decode(bytes);
            }
            catch (MmsDecodeException)
            {
                // the only acceptable failure
            }
        }, iter: 3000);

    [Fact]
    public void Mac_addresses_parse_and_print_in_both_notations()
    {
        Assert.Equal(MacAddress.Parse("01:0c:cd:01:00:01"), MacAddress.Parse("01-0C-CD-01-00-01"));
        Assert.Equal("01-0C-CD-01-00-01", MacAddress.Parse("01:0c:cd:01:00:01").ToString());
        Assert.False(MacAddress.Parse("02-00-00-00-00-01").IsMulticast);
        Assert.False(MacAddress.TryParse("01-0C-CD-01-00", out _));
        Assert.False(MacAddress.TryParse("01-0C-CD-01-00-GG", out _));
    }
}
