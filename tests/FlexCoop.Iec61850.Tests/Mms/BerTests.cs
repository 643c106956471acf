using CsCheck;
using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Ber;

namespace FlexCoop.Iec61850.Tests.Mms;

public sealed class BerTests
{
    [Theory]
    [InlineData(0L, "020100")]
    [InlineData(127L, "02017F")]
    [InlineData(128L, "02020080")]
    [InlineData(-1L, "0201FF")]
    [InlineData(-128L, "020180")]
    [InlineData(-129L, "0202FF7F")]
    [InlineData(long.MaxValue, "02087FFFFFFFFFFFFFFF")]
    [InlineData(long.MinValue, "02088000000000000000")]
    public void Integers_use_the_shortest_twos_complement_form(long value, string hex)
    {
        var w = new BerWriter();
        w.WriteInteger(BerTag.Integer, value);
        Assert.Equal(hex, Convert.ToHexString(w.WrittenSpan));
        var r = new BerReader(w.WrittenSpan);
        Assert.Equal(value, r.ReadInteger(BerTag.Integer));
    }

    [Theory]
    [InlineData(0UL, "020100")]
    [InlineData(255UL, "020200FF")]
    [InlineData(ulong.MaxValue, "020900FFFFFFFFFFFFFFFF")]
    public void Unsigned_values_get_a_leading_zero_when_the_top_bit_is_set(ulong value, string hex)
    {
        var w = new BerWriter();
        w.WriteUnsigned(BerTag.Integer, value);
        Assert.Equal(hex, Convert.ToHexString(w.WrittenSpan));
        var r = new BerReader(w.WrittenSpan);
        Assert.Equal(value, r.ReadUnsigned(BerTag.Integer));
    }

    [Theory]
    [InlineData(10, "300A")]
    [InlineData(127, "307F")]
    [InlineData(128, "308180")]
    [InlineData(300, "3082012C")]
    [InlineData(70000, "3083011170")]
    public void Lengths_use_the_short_form_below_128_and_the_minimal_long_form_above(int contentLength, string header)
    {
        var w = new BerWriter();
        var m = w.Begin(BerTag.Sequence);
        w.WriteRaw(new byte[contentLength]);
        w.End(m);
        Assert.Equal(header, Convert.ToHexString(w.WrittenSpan[..(header.Length / 2)]));
        var r = new BerReader(w.WrittenSpan);
        Assert.Equal(contentLength, r.Read(BerTag.Sequence).Length);
    }

    [Theory]
    [InlineData("1.0.9506.2.3", "28CA220203")]
    [InlineData("2.2.1.0.1", "52010001")]
    [InlineData("2.1.1", "5101")]
    [InlineData("1.1.1.999.1", "2901876701")]
    public void Object_identifiers_encode_and_decode(string oid, string hex)
    {
        Assert.Equal(hex, Convert.ToHexString(BerWriter.EncodeObjectIdentifier(oid)));
        var w = new BerWriter();
        w.WriteObjectIdentifier(BerTag.ObjectIdentifier, oid);
        var r = new BerReader(w.WrittenSpan);
        Assert.Equal(oid, r.ReadObjectIdentifier(BerTag.ObjectIdentifier));
    }

    [Fact]
    public void Multi_octet_tags_round_trip()
    {
        var w = new BerWriter();
        w.WriteNull(BerTag.Context(74));
        Assert.Equal("9F4A00", Convert.ToHexString(w.WrittenSpan));
        var r = new BerReader(w.WrittenSpan);
        Assert.Equal(BerTag.Context(74), r.PeekTag());
    }

    [Theory]
    [InlineData("3080", "indefinite")]
    [InlineData("3005020100", "declares 5")]
    [InlineData("30850100000000", "too large")]
    [InlineData("1F", "past the end")]
    [InlineData("30", "expected a length")]
    public void Malformed_lengths_and_tags_are_refused_with_the_offset(string hex, string message)
    {
        var ex = Assert.Throws<MmsDecodeException>(() =>
        {
            var r = new BerReader(Convert.FromHexString(hex), "ber", 100);
            r.ReadElement(out _, out _);
        });
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Offset >= 100);
        Assert.Equal("ber", ex.Layer);
    }

    [Fact]
    public void Nested_lengths_cannot_exceed_their_parent()
    {
        // SEQUENCE of 3 octets holding a SEQUENCE that declares 10.
        var bytes = Convert.FromHexString("3003300A00");
        var ex = Assert.Throws<MmsDecodeException>(() =>
        {
            var r = new BerReader(bytes);
            var inner = r.ReadConstructed(BerTag.Sequence);
            inner.ReadElement(out _, out _);
        });
        Assert.Equal(2, ex.Offset);
    }

    private static readonly Gen<MmsValue> LeafGen = Gen.OneOf<MmsValue>(
        Gen.Bool.Select(b => (MmsValue)new MmsBoolean(b)),
        Gen.Long.Select(l => (MmsValue)new MmsInteger(l)),
        Gen.ULong.Select(u => (MmsValue)new MmsUnsigned(u)),
        Gen.Float.Where(f => !float.IsNaN(f)).Select(f => (MmsValue)new MmsFloat32(f)),
        Gen.Double.Where(d => !double.IsNaN(d)).Select(d => (MmsValue)new MmsFloat64(d)),
        Gen.Byte.Array[0, 40].Select(b => (MmsValue)new MmsOctetString(b)),
        Gen.String[Gen.Char[' ', '~'], 0, 40].Select(s => (MmsValue)new MmsVisibleString(s)),
        Gen.String[0, 40].Where(s => !s.Any(char.IsSurrogate)).Select(s => (MmsValue)new MmsUnicodeString(s)),
        Gen.Byte.Array[0, 5].Select(Gen.Int[0, 7], (b, cut) => (MmsValue)new MmsBitString(b, Math.Max(0, b.Length * 8 - cut))),
        Gen.UInt.Select(Gen.UInt[0, 0xFFFFFF], Gen.Byte, (s, f, q) => (MmsValue)new MmsUtcTime(s, f, q)),
        Gen.UInt.Select(Gen.Bool, Gen.UShort, (ms, d, days) => (MmsValue)new MmsBinaryTime(ms, d ? days : null)));

    private static Gen<MmsValue> ValueGen(int depth) => depth == 0
        ? LeafGen
        : Gen.Frequency(
            (4, LeafGen),
            (1, ValueGen(depth - 1).Array[0, 4].Select(a => (MmsValue)new MmsStructure(a))),
            (1, ValueGen(depth - 1).Array[0, 4].Select(a => (MmsValue)new MmsArray(a))));

    [Fact]
    public void Every_data_value_round_trips_through_ber()
    {
        ValueGen(3).Sample(value =>
        {
            var w = new BerWriter();
            MmsDataCodec.WriteData(w, value);
            var r = new BerReader(w.WrittenSpan, "mms");
            var decoded = MmsDataCodec.ReadData(ref r);
            r.EnsureEnd();
            return decoded.Equals(value);
        }, iter: 2000);
    }

    [Fact]
    public void Float_values_carry_the_8_1_exponent_width_octet()
    {
        var w = new BerWriter();
        MmsDataCodec.WriteData(w, new MmsFloat32(1.0f));
        MmsDataCodec.WriteData(w, new MmsFloat64(1.0));
        Assert.Equal("8705083F800000" + "87090B3FF0000000000000", Convert.ToHexString(w.WrittenSpan));
    }

    [Fact]
    public void Type_descriptions_round_trip()
    {
        var type = new MmsStructureType(
            new MmsComponent("a", new MmsArrayType(4, new MmsUnsignedType(16))),
            new MmsComponent("b", new MmsStructureType(new MmsComponent("f", MmsFloatType.Float64), new MmsComponent("t", MmsUtcTimeType.Instance))),
            new MmsComponent("c", new MmsBitStringType(-32)),
            new MmsComponent("d", new MmsUnicodeStringType(-255)),
            new MmsComponent("e", new MmsBinaryTimeType(false)),
            new MmsComponent("g", new MmsOctetStringType(8)),
            new MmsComponent("h", MmsBooleanType.Instance),
            new MmsComponent("i", new MmsIntegerType(64)),
            new MmsComponent("j", new MmsVisibleStringType(-129)));
        var w = new BerWriter();
        MmsDataCodec.WriteType(w, type);
        var r = new BerReader(w.WrittenSpan, "mms");
        Assert.Equal(type, MmsDataCodec.ReadType(ref r));
    }
}
