using System.Buffers.Binary;
using System.Text;

namespace FlexCoop.Iec61850.Mms.Ber;

/// <summary>
/// Reads BER tag-length-value elements from a span. Only definite lengths are accepted; every
/// length is checked against what remains of the enclosing element, and nesting deeper than
/// <see cref="MaxDepth"/> is refused. Errors are <see cref="MmsDecodeException"/> with the
/// absolute offset of the offending byte.
/// </summary>
public ref struct BerReader
{
    /// <summary>Deepest nesting of constructed elements any decoder accepts.</summary>
    public const int MaxDepth = 64;

    private readonly ReadOnlySpan<byte> _data;
    private readonly int _baseOffset;
    private readonly string _layer;
    private int _position;

    public BerReader(ReadOnlySpan<byte> data, string layer = "ber", int baseOffset = 0, int depth = 0)
    {
        _data = data;
        _layer = layer;
        _baseOffset = baseOffset;
        _position = 0;
        Depth = depth;
        if (depth > MaxDepth)
        {
            throw new MmsDecodeException(layer, $"nesting deeper than {MaxDepth} levels", baseOffset);
        }
    }

    /// <summary>Nesting depth of this reader (0 for the outermost).</summary>
    public int Depth { get; }

    /// <summary>True while unread bytes remain.</summary>
    public readonly bool HasData => _position < _data.Length;

    /// <summary>Absolute offset of the next byte.</summary>
    public readonly int Offset => _baseOffset + _position;

    /// <summary>The unread rest.</summary>
    public readonly ReadOnlySpan<byte> Remaining => _data[_position..];

    public readonly MmsDecodeException Error(string message) => new(_layer, message, Offset);

    /// <summary>The tag of the next element, without consuming it.</summary>
    public readonly BerTag PeekTag()
    {
        var copy = this;
        return copy.ReadTagCore();
    }

    /// <summary>True when an element follows and its tag equals <paramref name="tag"/>.</summary>
    public readonly bool NextIs(BerTag tag) => HasData && PeekTag() == tag;

    private BerTag ReadTagCore()
    {
        if (_position >= _data.Length) throw Error("expected a tag, found the end of the element");
        var first = _data[_position++];
        var cls = (BerClass)(first & 0xC0);
        var constructed = (first & 0x20) != 0;
        int number = first & 0x1F;
        if (number == 0x1F)
        {
            number = 0;
            for (var i = 0; ; i++)
            {
                if (i == 4) throw Error("tag number too large");
                if (_position >= _data.Length) throw Error("tag runs past the end");
                var b = _data[_position++];
                number = (number << 7) | (b & 0x7F);
                if ((b & 0x80) == 0) break;
            }
        }
        return new BerTag(cls, constructed, number);
    }

    private int ReadLengthCore()
    {
        if (_position >= _data.Length) throw Error("expected a length, found the end");
        var first = _data[_position++];
        if (first < 0x80) return first;
        if (first == 0x80) throw Error("indefinite length is not accepted");
        var count = first & 0x7F;
        if (count > 4) throw Error($"length of {count} octets is too large");
        long length = 0;
        for (var i = 0; i < count; i++)
        {
            if (_position >= _data.Length) throw Error("length runs past the end");
            length = (length << 8) | _data[_position++];
        }
        if (length > int.MaxValue) throw Error("length too large");
        return (int)length;
    }

    /// <summary>Reads the next element; its content must lie within the enclosing element.</summary>
    public BerTag ReadElement(out ReadOnlySpan<byte> content, out int contentOffset)
    {
        var start = _position;
        var tag = ReadTagCore();
        var length = ReadLengthCore();
        if (length > _data.Length - _position)
        {
            _position = start;
            throw Error($"element {tag} declares {length} octets but only {_data.Length - start} remain");
        }
        contentOffset = _baseOffset + _position;
        content = _data.Slice(_position, length);
        _position += length;
        return tag;
    }

    /// <summary>Reads the next element and checks its tag.</summary>
    public ReadOnlySpan<byte> Read(BerTag expected)
    {
        var at = Offset;
        var tag = ReadElement(out var content, out _);
        if (tag != expected) throw new MmsDecodeException(_layer, $"expected {expected}, found {tag}", at);
        return content;
    }

    /// <summary>Enters the next (constructed) element, checking its tag.</summary>
    public BerReader ReadConstructed(BerTag expected)
    {
        var at = Offset;
        var tag = ReadElement(out var content, out var contentOffset);
        if (tag != expected) throw new MmsDecodeException(_layer, $"expected {expected}, found {tag}", at);
        if (!tag.Constructed) throw new MmsDecodeException(_layer, $"{tag} must be constructed", at);
        return new BerReader(content, _layer, contentOffset, Depth + 1);
    }

    /// <summary>Enters the next element whatever its tag (the tag is returned).</summary>
    public BerReader ReadAnyConstructed(out BerTag tag)
    {
        var at = Offset;
        tag = ReadElement(out var content, out var contentOffset);
        if (!tag.Constructed) throw new MmsDecodeException(_layer, $"{tag} must be constructed", at);
        return new BerReader(content, _layer, contentOffset, Depth + 1);
    }

    /// <summary>A reader over a content span obtained from <see cref="ReadElement"/>.</summary>
    public readonly BerReader Nested(ReadOnlySpan<byte> content, int contentOffset) =>
        new(content, _layer, contentOffset, Depth + 1);

    public void Skip() => ReadElement(out _, out _);

    /// <summary>Fails unless every byte was consumed.</summary>
    public readonly void EnsureEnd()
    {
        if (HasData) throw Error($"unexpected element {PeekTag()}");
    }

    // ---- primitive content decoders (they take the content span and its offset) ----

    public readonly long DecodeInteger(ReadOnlySpan<byte> content, int offset, int maxOctets = 8)
    {
        if (content.Length == 0) throw new MmsDecodeException(_layer, "INTEGER with no content octets", offset);
        if (content.Length > maxOctets) throw new MmsDecodeException(_layer, $"INTEGER of {content.Length} octets exceeds {maxOctets}", offset);
        long value = (sbyte)content[0];
        for (var i = 1; i < content.Length; i++) value = (value << 8) | content[i];
        return value;
    }

    /// <summary>Decodes an unsigned value encoded as a non-negative INTEGER (up to 64 bits, with a leading zero octet).</summary>
    public readonly ulong DecodeUnsigned(ReadOnlySpan<byte> content, int offset, int maxBits = 64)
    {
        if (content.Length == 0) throw new MmsDecodeException(_layer, "INTEGER with no content octets", offset);
        if ((content[0] & 0x80) != 0) throw new MmsDecodeException(_layer, "negative value where an unsigned one is required", offset);
        var span = content;
        while (span.Length > 1 && span[0] == 0) span = span[1..];
        if (span.Length > 8) throw new MmsDecodeException(_layer, "unsigned value exceeds 64 bits", offset);
        ulong value = 0;
        foreach (var b in span) value = (value << 8) | b;
        if (maxBits < 64 && value >> maxBits != 0) throw new MmsDecodeException(_layer, $"unsigned value exceeds {maxBits} bits", offset);
        return value;
    }

    public readonly bool DecodeBoolean(ReadOnlySpan<byte> content, int offset)
    {
        if (content.Length != 1) throw new MmsDecodeException(_layer, "BOOLEAN must have one content octet", offset);
        return content[0] != 0;
    }

    public readonly string DecodeVisibleString(ReadOnlySpan<byte> content, int offset)
    {
        foreach (var b in content)
        {
            if (b < 0x20 || b > 0x7E) throw new MmsDecodeException(_layer, $"octet 0x{b:X2} is not a VisibleString character", offset);
        }
        return Encoding.ASCII.GetString(content);
    }

    public readonly string DecodeUtf8(ReadOnlySpan<byte> content, int offset)
    {
        try
        {
            return StrictUtf8.GetString(content);
        }
        catch (DecoderFallbackException)
        {
            throw new MmsDecodeException(_layer, "invalid UTF-8", offset);
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    // ---- convenience readers ----

    public long ReadInteger(BerTag tag, int maxOctets = 8)
    {
        var at = Offset;
        var c = Read(tag);
        return DecodeInteger(c, at, maxOctets);
    }

    public ulong ReadUnsigned(BerTag tag, int maxBits = 64)
    {
        var at = Offset;
        var c = Read(tag);
        return DecodeUnsigned(c, at, maxBits);
    }

    public int ReadInt32(BerTag tag)
    {
        var at = Offset;
        var v = ReadInteger(tag, 5);
        if (v is < int.MinValue or > int.MaxValue) throw new MmsDecodeException(_layer, "value exceeds 32 bits", at);
        return (int)v;
    }

    public uint ReadUInt32(BerTag tag) => (uint)ReadUnsigned(tag, 32);

    public bool ReadBoolean(BerTag tag)
    {
        var at = Offset;
        var c = Read(tag);
        return DecodeBoolean(c, at);
    }

    public string ReadVisibleString(BerTag tag)
    {
        var at = Offset;
        var c = Read(tag);
        return DecodeVisibleString(c, at);
    }

    public void ReadNull(BerTag tag)
    {
        var at = Offset;
        var c = Read(tag);
        if (c.Length != 0) throw new MmsDecodeException(_layer, "NULL with content", at);
    }

    /// <summary>Reads an OBJECT IDENTIFIER and returns its dotted form.</summary>
    public string ReadObjectIdentifier(BerTag tag)
    {
        var at = Offset;
        var c = Read(tag);
        return DecodeObjectIdentifier(c, at);
    }

    public readonly string DecodeObjectIdentifier(ReadOnlySpan<byte> content, int offset)
    {
        if (content.Length == 0) throw new MmsDecodeException(_layer, "empty OBJECT IDENTIFIER", offset);
        if (content.Length > 64) throw new MmsDecodeException(_layer, "OBJECT IDENTIFIER too long", offset);
        var sb = new StringBuilder();
        ulong arc = 0;
        var first = true;
        var octets = 0;
        for (var i = 0; i < content.Length; i++)
        {
            var b = content[i];
            if (octets == 0 && b == 0x80) throw new MmsDecodeException(_layer, "OBJECT IDENTIFIER arc with leading 0x80", offset + i);
            arc = (arc << 7) | (uint)(b & 0x7F);
            if (++octets > 9) throw new MmsDecodeException(_layer, "OBJECT IDENTIFIER arc too large", offset + i);
            if ((b & 0x80) != 0) continue;
            if (first)
            {
                var top = arc < 40 ? 0UL : arc < 80 ? 1UL : 2UL;
                sb.Append(top).Append('.').Append(arc - top * 40);
                first = false;
            }
            else
            {
                sb.Append('.').Append(arc);
            }
            arc = 0;
            octets = 0;
        }
        if (octets != 0) throw new MmsDecodeException(_layer, "OBJECT IDENTIFIER ends inside an arc", offset + content.Length);
        return sb.ToString();
    }

    /// <summary>Reads a BIT STRING: the unused-bit count and the octets.</summary>
    public readonly (byte[] Bits, int BitLength) DecodeBitString(ReadOnlySpan<byte> content, int offset)
    {
        if (content.Length == 0) throw new MmsDecodeException(_layer, "BIT STRING without the unused-bits octet", offset);
        var unused = content[0];
        if (unused > 7 || (content.Length == 1 && unused != 0)) throw new MmsDecodeException(_layer, $"BIT STRING with {unused} unused bits", offset);
        return (content[1..].ToArray(), (content.Length - 1) * 8 - unused);
    }

    public static ushort ReadUInt16BigEndian(ReadOnlySpan<byte> s) => BinaryPrimitives.ReadUInt16BigEndian(s);
}
