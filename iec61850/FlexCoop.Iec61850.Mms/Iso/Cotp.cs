using System.Buffers.Binary;

namespace FlexCoop.Iec61850.Mms.Iso;

/// <summary>A COTP (ISO 8073 class 0) TPDU.</summary>
public abstract record CotpTpdu
{
    private protected CotpTpdu() { }
}

/// <summary>CR: connection request with TSAPs and the proposed TPDU size.</summary>
public sealed record CotpConnectionRequest(ushort SourceReference, byte[] CallingTsap, byte[] CalledTsap, int TpduSize) : CotpTpdu;

/// <summary>CC: connection confirm with the negotiated TPDU size.</summary>
public sealed record CotpConnectionConfirm(ushort DestinationReference, ushort SourceReference, byte[] CallingTsap, byte[] CalledTsap, int TpduSize) : CotpTpdu;

/// <summary>DT: data; <paramref name="EndOfTsdu"/> marks the last segment of a TSDU.</summary>
public sealed record CotpData(bool EndOfTsdu, int DataOffset, int DataLength) : CotpTpdu;

/// <summary>DR: disconnect request with a reason.</summary>
public sealed record CotpDisconnectRequest(ushort DestinationReference, ushort SourceReference, byte Reason) : CotpTpdu;

/// <summary>ER: TPDU error.</summary>
public sealed record CotpError(byte Cause) : CotpTpdu;

/// <summary>Encodes and decodes COTP class 0 TPDUs (the octets after the TPKT header).</summary>
public static class Cotp
{
    public const int MinTpduSize = 128;
    public const int MaxTpduSize = 65531;
    public const int DefaultTpduSize = 8192;

    /// <summary>Octets of a DT header (LI, code, EOT/number).</summary>
    public const int DataHeaderLength = 3;

    /// <summary>Decodes one TPDU. A DT's data is described by offset and length into <paramref name="tpdu"/>.</summary>
    public static CotpTpdu Decode(ReadOnlySpan<byte> tpdu)
    {
        if (tpdu.Length < 2) throw new MmsDecodeException("cotp", "TPDU shorter than two octets", 0);
        var li = tpdu[0];
        if (li == 255 || li + 1 > tpdu.Length) throw new MmsDecodeException("cotp", $"length indicator {li} exceeds the TPDU", 0);
        var code = tpdu[1] & 0xF0;
        switch (code)
        {
            case 0xF0:
                if (li != 2) throw new MmsDecodeException("cotp", $"DT with length indicator {li} (2 expected in class 0)", 0);
                return new CotpData((tpdu[2] & 0x80) != 0, 3, tpdu.Length - 3);
            case 0xE0:
            case 0xD0:
                {
                    if (li < 6) throw new MmsDecodeException("cotp", "CR/CC header too short", 0);
                    var dst = BinaryPrimitives.ReadUInt16BigEndian(tpdu[2..]);
                    var src = BinaryPrimitives.ReadUInt16BigEndian(tpdu[4..]);
                    var cls = tpdu[6] >> 4;
                    if (cls != 0) throw new MmsDecodeException("cotp", $"protocol class {cls} (only class 0 is supported)", 6);
                    var size = DefaultTpduSizeWhenAbsent;
                    byte[] calling = [], called = [];
                    var p = 7;
                    var end = li + 1;
                    while (p < end)
                    {
                        if (p + 2 > end) throw new MmsDecodeException("cotp", "parameter header runs past the header", p);
                        var pc = tpdu[p];
                        var pl = tpdu[p + 1];
                        if (p + 2 + pl > end) throw new MmsDecodeException("cotp", $"parameter 0x{pc:X2} runs past the header", p);
                        var pv = tpdu.Slice(p + 2, pl);
                        switch (pc)
                        {
                            case 0xC0:
                                if (pl != 1 || pv[0] < 7 || pv[0] > 13) throw new MmsDecodeException("cotp", "TPDU size code must be 7..13", p);
                                size = 1 << pv[0];
                                break;
                            case 0xF0:
                                {
                                    if (pl is < 1 or > 4) throw new MmsDecodeException("cotp", "preferred maximum TPDU size of bad length", p);
                                    long units = 0;
                                    foreach (var b in pv) units = (units << 8) | b;
                                    if (units == 0) throw new MmsDecodeException("cotp", "preferred maximum TPDU size of zero", p);
                                    size = (int)Math.Min(MaxTpduSize, units * 128);
                                    break;
                                }
                            case 0xC1: calling = pv.ToArray(); break;
                            case 0xC2: called = pv.ToArray(); break;
                            default: break; // other parameters (checksum, version, options) are ignored in class 0
                        }
                        p += 2 + pl;
                    }
                    return code == 0xE0
                        ? new CotpConnectionRequest(src, calling, called, size)
                        : new CotpConnectionConfirm(dst, src, calling, called, size);
                }
            case 0x80:
                if (li < 6) throw new MmsDecodeException("cotp", "DR header too short", 0);
                return new CotpDisconnectRequest(BinaryPrimitives.ReadUInt16BigEndian(tpdu[2..]), BinaryPrimitives.ReadUInt16BigEndian(tpdu[4..]), tpdu[6]);
            case 0x70:
                if (li < 4) throw new MmsDecodeException("cotp", "ER header too short", 0);
                return new CotpError(tpdu[4]);
            default:
                throw new MmsDecodeException("cotp", $"TPDU code 0x{tpdu[1]:X2} is not supported in class 0", 1);
        }
    }

    /// <summary>Size when a CR carries no size parameter (ISO 8073: 128).</summary>
    public const int DefaultTpduSizeWhenAbsent = 128;

    /// <summary>The largest size the TPDU size parameter codes can express that is not above <paramref name="size"/>.</summary>
    public static int CodeSize(int size)
    {
        var code = 7;
        while (code < 13 && 1 << (code + 1) <= size) code++;
        return 1 << code;
    }

    /// <summary>A complete TPKT packet with a CR or CC TPDU.</summary>
    public static byte[] EncodeConnect(bool confirm, ushort destinationReference, ushort sourceReference, ReadOnlySpan<byte> callingTsap, ReadOnlySpan<byte> calledTsap, int tpduSize)
    {
        if (tpduSize is < MinTpduSize or > MaxTpduSize) throw new ArgumentOutOfRangeException(nameof(tpduSize));
        var coded = CodeSize(tpduSize);
        var preferred = coded != tpduSize;
        var paramLength = 3 + (callingTsap.Length > 0 ? 2 + callingTsap.Length : 0) + (calledTsap.Length > 0 ? 2 + calledTsap.Length : 0) + (preferred ? 4 : 0);
        var li = 6 + paramLength;
        var buffer = new byte[Tpkt.HeaderLength + li + 1];
        Tpkt.WriteHeader(buffer, buffer.Length);
        var s = buffer.AsSpan(Tpkt.HeaderLength);
        s[0] = (byte)li;
        s[1] = confirm ? (byte)0xD0 : (byte)0xE0;
        BinaryPrimitives.WriteUInt16BigEndian(s[2..], destinationReference);
        BinaryPrimitives.WriteUInt16BigEndian(s[4..], sourceReference);
        s[6] = 0;
        var p = 7;
        if (callingTsap.Length > 0)
        {
            s[p++] = 0xC1;
            s[p++] = (byte)callingTsap.Length;
            callingTsap.CopyTo(s[p..]);
            p += callingTsap.Length;
        }
        if (calledTsap.Length > 0)
        {
            s[p++] = 0xC2;
            s[p++] = (byte)calledTsap.Length;
            calledTsap.CopyTo(s[p..]);
            p += calledTsap.Length;
        }
        s[p++] = 0xC0;
        s[p++] = 1;
        s[p++] = (byte)System.Numerics.BitOperations.Log2((uint)coded);
        if (preferred)
        {
            s[p++] = 0xF0;
            s[p++] = 2;
            BinaryPrimitives.WriteUInt16BigEndian(s[p..], (ushort)(tpduSize / 128));
        }
        return buffer;
    }

    /// <summary>A complete TPKT packet with a DR TPDU.</summary>
    public static byte[] EncodeDisconnect(ushort destinationReference, ushort sourceReference, byte reason)
    {
        var buffer = new byte[Tpkt.HeaderLength + 7];
        Tpkt.WriteHeader(buffer, buffer.Length);
        var s = buffer.AsSpan(Tpkt.HeaderLength);
        s[0] = 6;
        s[1] = 0x80;
        BinaryPrimitives.WriteUInt16BigEndian(s[2..], destinationReference);
        BinaryPrimitives.WriteUInt16BigEndian(s[4..], sourceReference);
        s[6] = reason;
        return buffer;
    }

    /// <summary>Writes TPKT+DT packets carrying <paramref name="tsdu"/>, segmented so no TPDU exceeds <paramref name="tpduSize"/>.</summary>
    public static void WriteData(System.Buffers.IBufferWriter<byte> output, ReadOnlySpan<byte> tsdu, int tpduSize)
    {
        ArgumentNullException.ThrowIfNull(output);
        var maxData = Math.Min(tpduSize, Tpkt.MaxLength - Tpkt.HeaderLength) - DataHeaderLength;
        do
        {
            var n = Math.Min(maxData, tsdu.Length);
            var last = n == tsdu.Length;
            var total = Tpkt.HeaderLength + DataHeaderLength + n;
            var span = output.GetSpan(total);
            Tpkt.WriteHeader(span, total);
            span[4] = 2;
            span[5] = 0xF0;
            span[6] = last ? (byte)0x80 : (byte)0;
            tsdu[..n].CopyTo(span[7..]);
            output.Advance(total);
            tsdu = tsdu[n..];
            if (last) break;
        }
        while (true);
    }
}
