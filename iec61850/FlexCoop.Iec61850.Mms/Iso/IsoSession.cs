namespace FlexCoop.Iec61850.Mms.Iso;

/// <summary>SPDU identifiers of the ISO 8327 session kernel MMS uses.</summary>
public enum SpduType : byte
{
    Data = 1,
    NotFinished = 8,
    Finish = 9,
    Disconnect = 10,
    Refuse = 12,
    Connect = 13,
    Accept = 14,
    Abort = 25,
    AbortAccept = 26,
}

/// <summary>A decoded SPDU: its type and where its user data lies in the decoded buffer.</summary>
public readonly record struct SessionSpdu(SpduType Type, int UserDataOffset, int UserDataLength, byte[] CallingSelector, byte[] CalledSelector);

/// <summary>ISO 8327-1 session kernel: CN/AC/RF/FN/DN/AB/DT with the parameters MMS needs (version 2, duplex).</summary>
public static class IsoSession
{
    private const byte PgiConnectAcceptItem = 5;
    private const byte PiTransportDisconnect = 17;
    private const byte PiProtocolOptions = 19;
    private const byte PiSessionRequirement = 20;
    private const byte PiVersionNumber = 22;
    private const byte PiCallingSelector = 51;
    private const byte PiCalledSelector = 52;
    private const byte PiReasonCode = 50;
    private const byte PgiUserData = 193;
    private const byte PgiExtendedUserData = 194;

    /// <summary>The four octets that open every data SPDU (Give Tokens + Data Transfer, both empty).</summary>
    public static ReadOnlySpan<byte> DataHeader => [0x01, 0x00, 0x01, 0x00];

    public static SessionSpdu Decode(ReadOnlySpan<byte> spdu)
    {
        if (spdu.Length < 2) throw new MmsDecodeException("session", "SPDU shorter than two octets", 0);
        var si = spdu[0];
        var (li, headerLength) = ReadLength(spdu, 1);
        if (si == 1)
        {
            // Give Tokens (concatenated, empty) followed by Data Transfer.
            if (li != 0) throw new MmsDecodeException("session", "Give Tokens with parameters is not supported", 1);
            var p = headerLength;
            if (spdu.Length >= p + 2 && spdu[p] == 1)
            {
                var (dli, dh) = ReadLength(spdu, p + 1);
                if (dli != 0) throw new MmsDecodeException("session", "Data Transfer with parameters is not supported", p + 1);
                p = dh;
            }
            return new SessionSpdu(SpduType.Data, p, spdu.Length - p, [], []);
        }
        if (si is not (8 or 9 or 10 or 12 or 13 or 14 or 25 or 26))
        {
            throw new MmsDecodeException("session", $"SPDU identifier {si} is not supported", 0);
        }
        var end = headerLength + li;
        if (end > spdu.Length) throw new MmsDecodeException("session", $"SPDU length {li} exceeds the {spdu.Length - headerLength} octets received", 1);
        int userOffset = end, userLength = 0;
        byte[] calling = [], called = [];
        var pos = headerLength;
        while (pos < end)
        {
            var code = spdu[pos];
            if (pos + 2 > end) throw new MmsDecodeException("session", "parameter header runs past the SPDU", pos);
            var (pl, ph) = ReadLength(spdu, pos + 1);
            var valueOffset = ph;
            if (valueOffset + pl > end) throw new MmsDecodeException("session", $"parameter {code} runs past the SPDU", pos);
            switch (code)
            {
                case PgiUserData or PgiExtendedUserData:
                    userOffset = valueOffset;
                    userLength = pl;
                    break;
                case PiCallingSelector:
                    calling = spdu.Slice(valueOffset, pl).ToArray();
                    break;
                case PiCalledSelector:
                    called = spdu.Slice(valueOffset, pl).ToArray();
                    break;
                case PiReasonCode when si == 12 && pl > 1:
                    userOffset = valueOffset + 1;
                    userLength = pl - 1;
                    break;
                default:
                    break; // connect/accept item, requirements, version, token items: accepted as sent
            }
            pos = valueOffset + pl;
        }
        return new SessionSpdu((SpduType)si, userOffset, userLength, calling, called);
    }

    private static (int Length, int HeaderLength) ReadLength(ReadOnlySpan<byte> s, int at)
    {
        if (at >= s.Length) throw new MmsDecodeException("session", "length indicator missing", at);
        if (s[at] != 0xFF) return (s[at], at + 1);
        if (at + 3 > s.Length) throw new MmsDecodeException("session", "extended length indicator truncated", at);
        return (s[at + 1] << 8 | s[at + 2], at + 3);
    }

    private static int LengthSize(int length) => length < 255 ? 1 : 3;

    private static void WriteLength(List<byte> b, int length)
    {
        if (length < 255)
        {
            b.Add((byte)length);
        }
        else
        {
            b.Add(0xFF);
            b.Add((byte)(length >> 8));
            b.Add((byte)length);
        }
    }

    private static void Parameter(List<byte> b, byte code, ReadOnlySpan<byte> value)
    {
        b.Add(code);
        WriteLength(b, value.Length);
        foreach (var v in value) b.Add(v);
    }

    /// <summary>CN (connect) or AC (accept) with version 2, duplex and the session selectors.</summary>
    public static byte[] EncodeConnectOrAccept(bool accept, ReadOnlySpan<byte> callingSelector, ReadOnlySpan<byte> calledSelector, ReadOnlySpan<byte> userData)
    {
        if (userData.Length > 65535) throw new ArgumentException("session user data too large", nameof(userData));
        var p = new List<byte>(userData.Length + 32);
        Parameter(p, PgiConnectAcceptItem, [PiProtocolOptions, 1, 0, PiVersionNumber, 1, 2]);
        Parameter(p, PiSessionRequirement, [0, 2]);
        if (!accept && callingSelector.Length > 0) Parameter(p, PiCallingSelector, callingSelector);
        if (calledSelector.Length > 0) Parameter(p, PiCalledSelector, calledSelector);
        Parameter(p, userData.Length > 512 && !accept ? PgiExtendedUserData : PgiUserData, userData);
        return Wrap(accept ? SpduType.Accept : SpduType.Connect, p);
    }

    /// <summary>FN (finish), DN (disconnect) or AB (abort) carrying user data.</summary>
    public static byte[] EncodeWithUserData(SpduType type, ReadOnlySpan<byte> userData)
    {
        var p = new List<byte>(userData.Length + 8);
        if (type == SpduType.Abort) Parameter(p, PiTransportDisconnect, [0x0B]);
        if (userData.Length > 0) Parameter(p, PgiUserData, userData);
        return Wrap(type, p);
    }

    /// <summary>RF (refuse): transport disconnect, reason "rejection by the called SS-user" with user data.</summary>
    public static byte[] EncodeRefuse(ReadOnlySpan<byte> userData)
    {
        var p = new List<byte>(userData.Length + 8);
        Parameter(p, PiTransportDisconnect, [0x01]);
        Parameter(p, PiSessionRequirement, [0, 2]);
        var reason = new byte[userData.Length + 1];
        reason[0] = 2; // rejection by called SS-user with user data
        userData.CopyTo(reason.AsSpan(1));
        Parameter(p, PiReasonCode, reason);
        return Wrap(SpduType.Refuse, p);
    }

    private static byte[] Wrap(SpduType type, List<byte> parameters)
    {
        var result = new byte[1 + LengthSize(parameters.Count) + parameters.Count];
        result[0] = (byte)type;
        var h = 1;
        if (parameters.Count < 255)
        {
            result[h++] = (byte)parameters.Count;
        }
        else
        {
            result[h++] = 0xFF;
            result[h++] = (byte)(parameters.Count >> 8);
            result[h++] = (byte)parameters.Count;
        }
        parameters.CopyTo(result, h);
        return result;
    }
}
