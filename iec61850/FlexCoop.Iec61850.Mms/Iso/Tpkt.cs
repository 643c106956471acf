using System.Buffers.Binary;

namespace FlexCoop.Iec61850.Mms.Iso;

/// <summary>RFC 1006 TPKT: version 3, reserved 0, a 16-bit length that includes the four header octets.</summary>
public static class Tpkt
{
    public const int HeaderLength = 4;

    /// <summary>Largest TPKT (header included).</summary>
    public const int MaxLength = 65535;

    /// <summary>Reads a TPKT header and returns the length of the whole packet (header included).</summary>
    public static int ReadLength(ReadOnlySpan<byte> header)
    {
        if (header.Length < HeaderLength) throw new MmsDecodeException("tpkt", "header shorter than 4 octets", 0);
        if (header[0] != 3) throw new MmsDecodeException("tpkt", $"version {header[0]} (3 expected)", 0);
        if (header[1] != 0) throw new MmsDecodeException("tpkt", "reserved octet is not zero", 1);
        var length = BinaryPrimitives.ReadUInt16BigEndian(header[2..]);
        if (length < HeaderLength + 3) throw new MmsDecodeException("tpkt", $"length {length} too short for a TPDU", 2);
        return length;
    }

    public static void WriteHeader(Span<byte> destination, int totalLength)
    {
        if (totalLength is < HeaderLength or > MaxLength) throw new ArgumentOutOfRangeException(nameof(totalLength));
        destination[0] = 3;
        destination[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)totalLength);
    }
}
