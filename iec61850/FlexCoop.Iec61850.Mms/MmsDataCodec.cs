using System.Buffers.Binary;
using FlexCoop.Iec61850.Mms.Ber;

namespace FlexCoop.Iec61850.Mms;

/// <summary>BER encoding of MMS Data and TypeSpecification (ISO 9506-2, IEC 61850-8-1 floating point and UtcTime).</summary>
public static class MmsDataCodec
{
    private static readonly BerTag ArrayTag = BerTag.Context(1, true);
    private static readonly BerTag StructureTag = BerTag.Context(2, true);

    public static void WriteData(BerWriter writer, MmsValue value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        switch (value)
        {
            case MmsStructure s:
                {
                    var m = writer.Begin(StructureTag);
                    foreach (var c in s.Components) WriteData(writer, c);
                    writer.End(m);
                    break;
                }
            case MmsArray a:
                {
                    var m = writer.Begin(ArrayTag);
                    foreach (var c in a.Elements) WriteData(writer, c);
                    writer.End(m);
                    break;
                }
            case MmsBoolean b: writer.WriteBoolean(BerTag.Context(3), b.Value); break;
            case MmsBitString bs: writer.WriteBitString(BerTag.Context(4), bs.Bits, bs.BitLength); break;
            case MmsInteger i: writer.WriteInteger(BerTag.Context(5), i.Value); break;
            case MmsUnsigned u: writer.WriteUnsigned(BerTag.Context(6), u.Value); break;
            case MmsFloat32 f:
                {
                    Span<byte> tmp = stackalloc byte[5];
                    tmp[0] = 8;
                    BinaryPrimitives.WriteSingleBigEndian(tmp[1..], f.Value);
                    writer.Write(BerTag.Context(7), tmp);
                    break;
                }
            case MmsFloat64 d:
                {
                    Span<byte> tmp = stackalloc byte[9];
                    tmp[0] = 11;
                    BinaryPrimitives.WriteDoubleBigEndian(tmp[1..], d.Value);
                    writer.Write(BerTag.Context(7), tmp);
                    break;
                }
            case MmsOctetString o: writer.Write(BerTag.Context(9), o.Value); break;
            case MmsVisibleString v: writer.WriteVisibleString(BerTag.Context(10), v.Value); break;
            case MmsBinaryTime t:
                {
                    Span<byte> tmp = stackalloc byte[6];
                    BinaryPrimitives.WriteUInt32BigEndian(tmp, t.MillisecondsOfDay);
                    if (t.DaysSince1984 is { } days)
                    {
                        BinaryPrimitives.WriteUInt16BigEndian(tmp[4..], days);
                        writer.Write(BerTag.Context(12), tmp);
                    }
                    else
                    {
                        writer.Write(BerTag.Context(12), tmp[..4]);
                    }
                    break;
                }
            case MmsUnicodeString us: writer.WriteUtf8String(BerTag.Context(16), us.Value); break;
            case MmsUtcTime ut:
                {
                    Span<byte> tmp = stackalloc byte[8];
                    BinaryPrimitives.WriteUInt32BigEndian(tmp, ut.Seconds);
                    tmp[4] = (byte)(ut.Fraction >> 16);
                    tmp[5] = (byte)(ut.Fraction >> 8);
                    tmp[6] = (byte)ut.Fraction;
                    tmp[7] = ut.Quality;
                    writer.Write(BerTag.Context(17), tmp);
                    break;
                }
            default:
                throw new ArgumentException($"unsupported value {value.GetType().Name}", nameof(value));
        }
    }

    /// <summary>Reads one Data element.</summary>
    public static MmsValue ReadData(ref BerReader reader)
    {
        var at = reader.Offset;
        var tag = reader.ReadElement(out var c, out var offset);
        if (tag.Class != BerClass.ContextSpecific) throw new MmsDecodeException("mms", $"{tag} is not a Data choice", at);
        switch (tag.Number)
        {
            case 1 or 2 when tag.Constructed:
                {
                    var nested = reader.Nested(c, offset);
                    var list = new List<MmsValue>();
                    while (nested.HasData) list.Add(ReadData(ref nested));
                    return tag.Number == 1 ? new MmsArray(list) : new MmsStructure(list);
                }
            case 3 when !tag.Constructed: return new MmsBoolean(reader.DecodeBoolean(c, offset));
            case 4 when !tag.Constructed:
                {
                    var (bits, len) = reader.DecodeBitString(c, offset);
                    return new MmsBitString(bits, len);
                }
            case 5 when !tag.Constructed: return new MmsInteger(reader.DecodeInteger(c, offset));
            case 6 when !tag.Constructed: return new MmsUnsigned(reader.DecodeUnsigned(c, offset));
            case 7 when !tag.Constructed:
                if (c.Length == 5) return new MmsFloat32(BinaryPrimitives.ReadSingleBigEndian(c[1..]));
                if (c.Length == 9) return new MmsFloat64(BinaryPrimitives.ReadDoubleBigEndian(c[1..]));
                throw new MmsDecodeException("mms", $"floating-point of {c.Length} octets (5 or 9 expected)", offset);
            case 9 when !tag.Constructed: return new MmsOctetString(c.ToArray());
            case 10 when !tag.Constructed: return new MmsVisibleString(reader.DecodeVisibleString(c, offset));
            case 12 when !tag.Constructed:
                if (c.Length == 4) return new MmsBinaryTime(BinaryPrimitives.ReadUInt32BigEndian(c), null);
                if (c.Length == 6) return new MmsBinaryTime(BinaryPrimitives.ReadUInt32BigEndian(c), BinaryPrimitives.ReadUInt16BigEndian(c[4..]));
                throw new MmsDecodeException("mms", $"binary-time of {c.Length} octets (4 or 6 expected)", offset);
            case 16 when !tag.Constructed: return new MmsUnicodeString(reader.DecodeUtf8(c, offset));
            case 17 when !tag.Constructed:
                if (c.Length != 8) throw new MmsDecodeException("mms", $"utc-time of {c.Length} octets (8 expected)", offset);
                return new MmsUtcTime(BinaryPrimitives.ReadUInt32BigEndian(c), (uint)(c[4] << 16 | c[5] << 8 | c[6]), c[7]);
            default:
                throw new MmsDecodeException("mms", $"Data choice {tag} is not supported", at);
        }
    }

    public static void WriteType(BerWriter writer, MmsTypeDescription type)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(type);
        switch (type)
        {
            case MmsArrayType a:
                {
                    var m = writer.Begin(BerTag.Context(1, true));
                    writer.WriteUnsigned(BerTag.Context(1), (ulong)a.NumberOfElements);
                    var e = writer.Begin(BerTag.Context(2, true));
                    WriteType(writer, a.ElementType);
                    writer.End(e);
                    writer.End(m);
                    break;
                }
            case MmsStructureType s:
                {
                    var m = writer.Begin(BerTag.Context(2, true));
                    var list = writer.Begin(BerTag.Context(1, true));
                    foreach (var comp in s.Components)
                    {
                        var seq = writer.Begin(BerTag.Sequence);
                        writer.WriteVisibleString(BerTag.Context(0), comp.Name);
                        var ct = writer.Begin(BerTag.Context(1, true));
                        WriteType(writer, comp.Type);
                        writer.End(ct);
                        writer.End(seq);
                    }
                    writer.End(list);
                    writer.End(m);
                    break;
                }
            case MmsBooleanType: writer.WriteNull(BerTag.Context(3)); break;
            case MmsBitStringType b: writer.WriteInteger(BerTag.Context(4), b.Size); break;
            case MmsIntegerType i: writer.WriteUnsigned(BerTag.Context(5), (ulong)i.Width); break;
            case MmsUnsignedType u: writer.WriteUnsigned(BerTag.Context(6), (ulong)u.Width); break;
            case MmsFloatType f:
                {
                    var m = writer.Begin(BerTag.Context(7, true));
                    writer.WriteUnsigned(BerTag.Integer, (ulong)f.FormatWidth);
                    writer.WriteUnsigned(BerTag.Integer, (ulong)f.ExponentWidth);
                    writer.End(m);
                    break;
                }
            case MmsOctetStringType o: writer.WriteInteger(BerTag.Context(9), o.Size); break;
            case MmsVisibleStringType v: writer.WriteInteger(BerTag.Context(10), v.Size); break;
            case MmsBinaryTimeType t: writer.WriteBoolean(BerTag.Context(12), t.WithDate); break;
            case MmsUnicodeStringType us: writer.WriteInteger(BerTag.Context(16), us.Size); break;
            case MmsUtcTimeType: writer.WriteNull(BerTag.Context(17)); break;
            default: throw new ArgumentException($"unsupported type {type.GetType().Name}", nameof(type));
        }
    }

    /// <summary>Reads one TypeSpecification.</summary>
    public static MmsTypeDescription ReadType(ref BerReader reader)
    {
        var at = reader.Offset;
        var tag = reader.ReadElement(out var c, out var offset);
        if (tag.Class != BerClass.ContextSpecific) throw new MmsDecodeException("mms", $"{tag} is not a TypeSpecification choice", at);
        switch (tag.Number)
        {
            case 1 when tag.Constructed:
                {
                    var r = reader.Nested(c, offset);
                    if (r.NextIs(BerTag.Context(0))) r.ReadBoolean(BerTag.Context(0));
                    var count = r.ReadUnsigned(BerTag.Context(1), 31);
                    var er = r.ReadConstructed(BerTag.Context(2, true));
                    var element = ReadType(ref er);
                    er.EnsureEnd();
                    r.EnsureEnd();
                    return new MmsArrayType((int)count, element);
                }
            case 2 when tag.Constructed:
                {
                    var r = reader.Nested(c, offset);
                    if (r.NextIs(BerTag.Context(0))) r.ReadBoolean(BerTag.Context(0));
                    var list = r.ReadConstructed(BerTag.Context(1, true));
                    var comps = new List<MmsComponent>();
                    while (list.HasData)
                    {
                        var seq = list.ReadConstructed(BerTag.Sequence);
                        var name = seq.NextIs(BerTag.Context(0)) ? seq.ReadVisibleString(BerTag.Context(0)) : "";
                        var ct = seq.ReadConstructed(BerTag.Context(1, true));
                        comps.Add(new MmsComponent(name, ReadType(ref ct)));
                        ct.EnsureEnd();
                        seq.EnsureEnd();
                    }
                    r.EnsureEnd();
                    return new MmsStructureType(comps);
                }
            case 3 when !tag.Constructed: return MmsBooleanType.Instance;
            case 4 when !tag.Constructed: return new MmsBitStringType((int)reader.DecodeInteger(c, offset, 4));
            case 5 when !tag.Constructed: return new MmsIntegerType((int)reader.DecodeUnsigned(c, offset, 8));
            case 6 when !tag.Constructed: return new MmsUnsignedType((int)reader.DecodeUnsigned(c, offset, 8));
            case 7 when tag.Constructed:
                {
                    var r = reader.Nested(c, offset);
                    var format = (int)r.ReadUnsigned(BerTag.Integer, 8);
                    var exponent = (int)r.ReadUnsigned(BerTag.Integer, 8);
                    r.EnsureEnd();
                    if ((format, exponent) is not ((32, 8) or (64, 11))) throw new MmsDecodeException("mms", $"floating-point format {format}/{exponent} is not IEEE 754 single or double", offset);
                    return new MmsFloatType(format, exponent);
                }
            case 9 when !tag.Constructed: return new MmsOctetStringType((int)reader.DecodeInteger(c, offset, 4));
            case 10 when !tag.Constructed: return new MmsVisibleStringType((int)reader.DecodeInteger(c, offset, 4));
            case 12 when !tag.Constructed: return new MmsBinaryTimeType(reader.DecodeBoolean(c, offset));
            case 16 when !tag.Constructed: return new MmsUnicodeStringType((int)reader.DecodeInteger(c, offset, 4));
            case 17 when !tag.Constructed: return MmsUtcTimeType.Instance;
            default: throw new MmsDecodeException("mms", $"TypeSpecification choice {tag} is not supported", at);
        }
    }
}
