using System.Buffers;
using System.Text;

namespace FlexCoop.Iec61850.Mms.Ber;

/// <summary>
/// Writes BER with definite lengths. Constructed elements are opened with <see cref="Begin"/>
/// and closed with <see cref="End"/>, which writes the shortest length form. The result is read
/// with <see cref="WrittenSpan"/> or copied to an <see cref="IBufferWriter{T}"/>.
/// </summary>
public sealed class BerWriter
{
    private readonly ArrayPool<byte>? _pool;
    private byte[] _buffer;
    private int _length;
    private int _open;

    public BerWriter(int initialCapacity = 256)
    {
        _buffer = new byte[Math.Max(16, initialCapacity)];
    }

    /// <summary>
    /// A writer whose buffer is rented from <paramref name="pool"/> (and grown by renting a larger one); the owner gives
    /// it back with <see cref="ReturnBuffer"/> when it is done with the writer.
    /// </summary>
    internal BerWriter(ArrayPool<byte> pool, int initialCapacity)
    {
        _pool = pool;
        _buffer = pool.Rent(Math.Max(16, initialCapacity));
    }

    /// <summary>The octets written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    /// <summary>The octets written so far (valid until the next write, <see cref="Reset"/> or <see cref="ReturnBuffer"/>).</summary>
    internal ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    /// <summary>Gives a pooled buffer back to its pool and forgets what was written; a later write rents a new one.</summary>
    internal void ReturnBuffer()
    {
        var buffer = _buffer;
        _buffer = [];
        Reset();
        if (_pool is not null && buffer.Length > 0) _pool.Return(buffer);
    }

    public int Length => _length;

    /// <summary>Forgets everything written (the buffer is kept for reuse).</summary>
    public void Reset()
    {
        _length = 0;
        _open = 0;
    }

    public byte[] ToArray()
    {
        if (_open != 0) throw new InvalidOperationException("constructed elements still open");
        return WrittenSpan.ToArray();
    }

    public void CopyTo(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_open != 0) throw new InvalidOperationException("constructed elements still open");
        output.Write(WrittenSpan);
    }

    private void Ensure(int extra)
    {
        if (_length + extra <= _buffer.Length) return;
        var size = Math.Max(Math.Max(_buffer.Length * 2, 16), _length + extra);
        if (_pool is null)
        {
            Array.Resize(ref _buffer, size);
            return;
        }
        var larger = _pool.Rent(size);
        _buffer.AsSpan(0, _length).CopyTo(larger);
        var old = _buffer;
        _buffer = larger;
        if (old.Length > 0) _pool.Return(old);
    }

    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    public void WriteByte(byte b)
    {
        Ensure(1);
        _buffer[_length++] = b;
    }

    public void WriteTag(BerTag tag)
    {
        var first = (byte)((byte)tag.Class | (tag.Constructed ? 0x20 : 0));
        if (tag.Number < 31)
        {
            WriteByte((byte)(first | tag.Number));
            return;
        }
        WriteByte((byte)(first | 0x1F));
        Span<byte> tmp = stackalloc byte[5];
        var n = 0;
        var v = tag.Number;
        do
        {
            tmp[n++] = (byte)(v & 0x7F);
            v >>= 7;
        }
        while (v != 0);
        for (var i = n - 1; i >= 0; i--) WriteByte((byte)(tmp[i] | (i > 0 ? 0x80 : 0)));
    }

    /// <summary>Octets the definite length form of <paramref name="length"/> takes.</summary>
    public static int LengthOfLength(int length) =>
        length < 0x80 ? 1 : length <= 0xFF ? 2 : length <= 0xFFFF ? 3 : length <= 0xFFFFFF ? 4 : 5;

    public void WriteLength(int length)
    {
        Ensure(5);
        WriteLengthAt(_buffer.AsSpan(_length), length);
        _length += LengthOfLength(length);
    }

    /// <summary>Writes the length form of <paramref name="length"/> at the start of <paramref name="dest"/>.</summary>
    public static int WriteLengthAt(Span<byte> dest, int length)
    {
        var n = LengthOfLength(length);
        if (n == 1)
        {
            dest[0] = (byte)length;
            return 1;
        }
        dest[0] = (byte)(0x80 | (n - 1));
        for (var i = n - 1; i >= 1; i--)
        {
            dest[i] = (byte)length;
            length >>= 8;
        }
        return n;
    }

    /// <summary>Opens a constructed element; returns a mark for <see cref="End"/>.</summary>
    public int Begin(BerTag tag)
    {
        WriteTag(tag);
        WriteByte(0);
        _open++;
        return _length;
    }

    /// <summary>Closes the element opened by <see cref="Begin"/> with this mark.</summary>
    public void End(int mark)
    {
        _open--;
        var contentLength = _length - mark;
        var n = LengthOfLength(contentLength);
        if (n > 1)
        {
            Ensure(n - 1);
            Buffer.BlockCopy(_buffer, mark, _buffer, mark + n - 1, contentLength);
            _length += n - 1;
        }
        WriteLengthAt(_buffer.AsSpan(mark - 1), contentLength);
    }

    public void Write(BerTag tag, ReadOnlySpan<byte> content)
    {
        WriteTag(tag);
        WriteLength(content.Length);
        WriteRaw(content);
    }

    public void WriteNull(BerTag tag)
    {
        WriteTag(tag);
        WriteByte(0);
    }

    public void WriteBoolean(BerTag tag, bool value)
    {
        WriteTag(tag);
        WriteByte(1);
        WriteByte(value ? (byte)0xFF : (byte)0);
    }

    public void WriteInteger(BerTag tag, long value)
    {
        Span<byte> tmp = stackalloc byte[8];
        var n = 8;
        for (var i = 7; i >= 0; i--)
        {
            tmp[i] = (byte)value;
            value >>= 8;
        }
        var start = 0;
        while (start < 7 && ((tmp[start] == 0 && (tmp[start + 1] & 0x80) == 0) || (tmp[start] == 0xFF && (tmp[start + 1] & 0x80) != 0)))
        {
            start++;
        }
        Write(tag, tmp[start..n]);
    }

    /// <summary>Writes an unsigned value as a non-negative INTEGER (a leading zero when the top bit is set).</summary>
    public void WriteUnsigned(BerTag tag, ulong value)
    {
        Span<byte> tmp = stackalloc byte[9];
        for (var i = 8; i >= 1; i--)
        {
            tmp[i] = (byte)value;
            value >>= 8;
        }
        tmp[0] = 0;
        var start = 0;
        while (start < 8 && tmp[start] == 0 && (tmp[start + 1] & 0x80) == 0) start++;
        Write(tag, tmp[start..]);
    }

    public void WriteVisibleString(BerTag tag, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        WriteTag(tag);
        var count = Encoding.ASCII.GetByteCount(value);
        WriteLength(count);
        Ensure(count);
        Encoding.ASCII.GetBytes(value, _buffer.AsSpan(_length));
        _length += count;
    }

    /// <summary>Writes a VisibleString (ASCII, as <see cref="WriteVisibleString"/>) from characters that need not be a string.</summary>
    internal void WriteVisibleChars(BerTag tag, ReadOnlySpan<char> value)
    {
        WriteTag(tag);
        var count = Encoding.ASCII.GetByteCount(value);
        WriteLength(count);
        Ensure(count);
        Encoding.ASCII.GetBytes(value, _buffer.AsSpan(_length));
        _length += count;
    }

    public void WriteUtf8String(BerTag tag, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        WriteTag(tag);
        var count = Encoding.UTF8.GetByteCount(value);
        WriteLength(count);
        Ensure(count);
        Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length));
        _length += count;
    }

    public void WriteBitString(BerTag tag, ReadOnlySpan<byte> bits, int bitLength)
    {
        var octets = (bitLength + 7) / 8;
        if (octets > bits.Length) throw new ArgumentException("bit length exceeds the octets given", nameof(bitLength));
        WriteTag(tag);
        WriteLength(octets + 1);
        WriteByte((byte)(octets * 8 - bitLength));
        if (octets == 0) return;
        WriteRaw(bits[..(octets - 1)]);
        var unused = octets * 8 - bitLength;
        WriteByte((byte)(bits[octets - 1] & (0xFF << unused)));
    }

    /// <summary>Writes an OBJECT IDENTIFIER given in dotted form (e.g. <c>1.0.9506.2.3</c>).</summary>
    public void WriteObjectIdentifier(BerTag tag, string dotted)
    {
        WriteTag(tag);
        var content = EncodeObjectIdentifier(dotted);
        WriteLength(content.Length);
        WriteRaw(content);
    }

    public static byte[] EncodeObjectIdentifier(string dotted)
    {
        ArgumentNullException.ThrowIfNull(dotted);
        var arcs = dotted.Split('.').Select(a => ulong.Parse(a, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        if (arcs.Length < 2 || arcs[0] > 2) throw new ArgumentException($"'{dotted}' is not an object identifier", nameof(dotted));
        var result = new List<byte>();
        void Arc(ulong v)
        {
            Span<byte> tmp = stackalloc byte[10];
            var n = 0;
            do
            {
                tmp[n++] = (byte)(v & 0x7F);
                v >>= 7;
            }
            while (v != 0);
            for (var i = n - 1; i >= 0; i--) result.Add((byte)(tmp[i] | (i > 0 ? 0x80 : 0)));
        }
        Arc(arcs[0] * 40 + arcs[1]);
        for (var i = 2; i < arcs.Length; i++) Arc(arcs[i]);
        return result.ToArray();
    }
}
