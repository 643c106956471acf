using System.Globalization;
using System.Text;

namespace FlexCoop.Iec61850.Mms;

/// <summary>
/// An MMS Data value (ISO 9506-2 <c>Data</c>) as IEC 61850-8-1 uses it: boolean, bit-string,
/// integer, unsigned, floating-point, octet-string, visible-string, MMS string, UTC time,
/// binary time, structure and array. Values are immutable.
/// </summary>
public abstract record MmsValue
{
    private protected MmsValue() { }

    /// <summary>A short human-readable form (used by the CLI).</summary>
    public abstract string Format();
}

public sealed record MmsBoolean(bool Value) : MmsValue
{
    public override string Format() => Value ? "true" : "false";
}

/// <summary>A bit string; bit 0 is the most significant bit of the first octet.</summary>
public sealed record MmsBitString : MmsValue
{
    public MmsBitString(byte[] bits, int bitLength)
    {
        ArgumentNullException.ThrowIfNull(bits);
        if (bitLength < 0 || bitLength > bits.Length * 8) throw new ArgumentOutOfRangeException(nameof(bitLength));
        var octets = (bitLength + 7) / 8;
        Bits = bits.AsSpan(0, octets).ToArray();
        if (octets > 0 && bitLength % 8 != 0) Bits[octets - 1] &= (byte)(0xFF << (octets * 8 - bitLength));
        BitLength = bitLength;
    }

    public byte[] Bits { get; }
    public int BitLength { get; }

    public bool this[int bit] => bit >= 0 && bit < BitLength && (Bits[bit / 8] & (0x80 >> (bit % 8))) != 0;

    /// <summary>A bit string of <paramref name="bitLength"/> bits with the listed bits set.</summary>
    public static MmsBitString FromBits(int bitLength, params int[] setBits)
    {
        ArgumentNullException.ThrowIfNull(setBits);
        var bytes = new byte[(bitLength + 7) / 8];
        foreach (var b in setBits)
        {
            if (b < 0 || b >= bitLength) throw new ArgumentOutOfRangeException(nameof(setBits));
            bytes[b / 8] |= (byte)(0x80 >> (b % 8));
        }
        return new MmsBitString(bytes, bitLength);
    }

    public bool Equals(MmsBitString? other) => other is not null && BitLength == other.BitLength && Bits.AsSpan().SequenceEqual(other.Bits);
    public override int GetHashCode() => HashCode.Combine(BitLength, Bits.Length > 0 ? Bits[0] : 0);
    public override string Format()
    {
        var sb = new StringBuilder(BitLength);
        for (var i = 0; i < BitLength; i++) sb.Append(this[i] ? '1' : '0');
        return sb.ToString();
    }
}

public sealed record MmsInteger(long Value) : MmsValue
{
    public override string Format() => Value.ToString(CultureInfo.InvariantCulture);
}

public sealed record MmsUnsigned(ulong Value) : MmsValue
{
    public override string Format() => Value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>An IEEE 754 single (8-1: exponent width 8, four octets).</summary>
public sealed record MmsFloat32(float Value) : MmsValue
{
    public override string Format() => Value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>An IEEE 754 double (exponent width 11, eight octets).</summary>
public sealed record MmsFloat64(double Value) : MmsValue
{
    public override string Format() => Value.ToString("R", CultureInfo.InvariantCulture);
}

public sealed record MmsOctetString : MmsValue
{
    public MmsOctetString(byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Value = value.ToArray();
    }

    public byte[] Value { get; }
    public bool Equals(MmsOctetString? other) => other is not null && Value.AsSpan().SequenceEqual(other.Value);
    public override int GetHashCode() => HashCode.Combine(Value.Length, Value.Length > 0 ? Value[0] : 0);
    public override string Format() => Convert.ToHexString(Value);
}

/// <summary>A VisibleString (printable ASCII).</summary>
public sealed record MmsVisibleString(string Value) : MmsValue
{
    public override string Format() => Value;
}

/// <summary>An MMSString (UTF-8, IEC 61850 "Unicode string").</summary>
public sealed record MmsUnicodeString(string Value) : MmsValue
{
    public override string Format() => Value;
}

/// <summary>
/// A UtcTime: seconds since 1970-01-01, a 24-bit binary fraction of a second and the time
/// quality octet (leap second known, clock failure, clock not synchronised, accuracy bits).
/// </summary>
public sealed record MmsUtcTime(uint Seconds, uint Fraction, byte Quality) : MmsValue
{
    /// <summary>From a point in time, with the fraction rounded down to 2^-24 s.</summary>
    public static MmsUtcTime From(DateTimeOffset time, byte quality = 0)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        if (ticks < 0) throw new ArgumentOutOfRangeException(nameof(time), "UtcTime cannot be before 1970");
        var seconds = ticks / TimeSpan.TicksPerSecond;
        var rest = ticks % TimeSpan.TicksPerSecond;
        var fraction = (uint)((rest << 24) / TimeSpan.TicksPerSecond);
        return new MmsUtcTime((uint)seconds, fraction, quality);
    }

    public DateTimeOffset Timestamp =>
        DateTimeOffset.UnixEpoch.AddTicks(Seconds * TimeSpan.TicksPerSecond + ((long)(Fraction & 0xFFFFFF) * TimeSpan.TicksPerSecond >> 24));

    public override string Format() => Timestamp.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture) + (Quality != 0 ? $" q=0x{Quality:X2}" : "");
}

/// <summary>A TimeOfDay (binary-time): milliseconds since midnight and, in the six-octet form, days since 1984-01-01.</summary>
public sealed record MmsBinaryTime(uint MillisecondsOfDay, ushort? DaysSince1984) : MmsValue
{
    public static readonly DateTime Epoch1984 = new(1984, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static MmsBinaryTime From(DateTime utc)
    {
        var days = (utc.Date - Epoch1984).Days;
        if (days < 0 || days > ushort.MaxValue) throw new ArgumentOutOfRangeException(nameof(utc));
        return new MmsBinaryTime((uint)utc.TimeOfDay.TotalMilliseconds, (ushort)days);
    }

    public override string Format() => DaysSince1984 is { } d
        ? Epoch1984.AddDays(d).AddMilliseconds(MillisecondsOfDay).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)
        : TimeSpan.FromMilliseconds(MillisecondsOfDay).ToString("c", CultureInfo.InvariantCulture);
}

public sealed record MmsStructure(IReadOnlyList<MmsValue> Components) : MmsValue
{
    public MmsStructure(params MmsValue[] components) : this((IReadOnlyList<MmsValue>)components) { }

    public bool Equals(MmsStructure? other) => other is not null && Components.SequenceEqual(other.Components);
    public override int GetHashCode() => Components.Count;
    public override string Format() => "{" + string.Join(", ", Components.Select(c => c.Format())) + "}";
}

public sealed record MmsArray(IReadOnlyList<MmsValue> Elements) : MmsValue
{
    public bool Equals(MmsArray? other) => other is not null && Elements.SequenceEqual(other.Elements);
    public override int GetHashCode() => Elements.Count;
    public override string Format() => "[" + string.Join(", ", Elements.Select(c => c.Format())) + "]";
}
