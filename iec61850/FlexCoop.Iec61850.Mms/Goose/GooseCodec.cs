using System.Buffers.Binary;
using FlexCoop.Iec61850.Mms.Ber;

namespace FlexCoop.Iec61850.Mms.Goose;

/// <summary>
/// Encodes and decodes GOOSE frames (IEC 61850-8-1 clause 8 and Annex A/C): Ethernet II header,
/// optional IEEE 802.1Q tag, EtherType 0x88B8, APPID, length, reserved words and the BER
/// <c>IECGoosePdu</c> with its data values in MMS <c>Data</c> encoding. Pure and synchronous.
/// Decoding bounds the frame size, every BER length and the nesting depth, and fails only with
/// <see cref="MmsDecodeException"/> (layer <c>ethernet</c> or <c>goose</c>, offset from the frame start).
/// </summary>
public static class GooseCodec
{
    /// <summary>The GOOSE EtherType.</summary>
    public const ushort EtherType = 0x88B8;

    /// <summary>The IEEE 802.1Q tag protocol identifier.</summary>
    public const ushort VlanTpid = 0x8100;

    /// <summary>The edition 2 simulation flag in <see cref="GooseFrame.Reserved1"/>.</summary>
    public const ushort SimulationBit = 0x8000;

    /// <summary>Largest frame accepted or written (a jumbo frame without FCS).</summary>
    public const int MaxFrameLength = 9018;

    /// <summary>Most data set entries accepted in <c>allData</c>.</summary>
    public const int MaxDataEntries = 4096;

    /// <summary>Longest <c>gocbRef</c>, <c>datSet</c> and <c>goID</c> (VisString129).</summary>
    public const int MaxReferenceLength = 129;

    private static readonly BerTag PduTag = BerTag.Application(1);
    private static readonly BerTag AllDataTag = BerTag.Context(11, true);

    /// <summary>Writes <paramref name="frame"/> as the bytes handed to the network interface (no FCS, no padding).</summary>
    public static byte[] Encode(GooseFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var writer = new BerWriter(256);
        WritePdu(writer, frame.Pdu);
        var apdu = writer.WrittenSpan;
        var header = frame.Vlan is null ? 14 : 18;
        var length = 8 + apdu.Length;
        if (length > ushort.MaxValue || header + length > MaxFrameLength)
        {
            throw new ArgumentException($"the GOOSE frame would be {header + length} octets (at most {MaxFrameLength})", nameof(frame));
        }
        var bytes = new byte[header + length];
        var span = bytes.AsSpan();
        frame.Destination.CopyTo(span);
        frame.Source.CopyTo(span[6..]);
        var at = 12;
        if (frame.Vlan is { } vlan)
        {
            BinaryPrimitives.WriteUInt16BigEndian(span[at..], VlanTpid);
            BinaryPrimitives.WriteUInt16BigEndian(span[(at + 2)..], vlan.Tci);
            at += 4;
        }
        BinaryPrimitives.WriteUInt16BigEndian(span[at..], EtherType);
        BinaryPrimitives.WriteUInt16BigEndian(span[(at + 2)..], frame.AppId);
        BinaryPrimitives.WriteUInt16BigEndian(span[(at + 4)..], (ushort)length);
        BinaryPrimitives.WriteUInt16BigEndian(span[(at + 6)..], frame.Reserved1);
        BinaryPrimitives.WriteUInt16BigEndian(span[(at + 8)..], frame.Reserved2);
        apdu.CopyTo(span[(at + 10)..]);
        return bytes;
    }

    /// <summary>Writes the <c>IECGoosePdu</c> alone (what follows the reserved words).</summary>
    public static void WritePdu(BerWriter writer, GoosePdu pdu)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(pdu);
        CheckReference(pdu.GocbRef, nameof(pdu.GocbRef));
        CheckReference(pdu.DatSet, nameof(pdu.DatSet));
        if (pdu.GoId is not null) CheckReference(pdu.GoId, nameof(pdu.GoId));
        var m = writer.Begin(PduTag);
        writer.WriteVisibleString(BerTag.Context(0), pdu.GocbRef);
        writer.WriteUnsigned(BerTag.Context(1), pdu.TimeAllowedToLive);
        writer.WriteVisibleString(BerTag.Context(2), pdu.DatSet);
        if (pdu.GoId is not null) writer.WriteVisibleString(BerTag.Context(3), pdu.GoId);
        Span<byte> t = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(t, pdu.T.Seconds);
        t[4] = (byte)(pdu.T.Fraction >> 16);
        t[5] = (byte)(pdu.T.Fraction >> 8);
        t[6] = (byte)pdu.T.Fraction;
        t[7] = pdu.T.Quality;
        writer.Write(BerTag.Context(4), t);
        writer.WriteUnsigned(BerTag.Context(5), pdu.StNum);
        writer.WriteUnsigned(BerTag.Context(6), pdu.SqNum);
        writer.WriteBoolean(BerTag.Context(7), pdu.Simulation);
        writer.WriteUnsigned(BerTag.Context(8), pdu.ConfRev);
        writer.WriteBoolean(BerTag.Context(9), pdu.NdsCom);
        writer.WriteUnsigned(BerTag.Context(10), pdu.NumDatSetEntries);
        var d = writer.Begin(AllDataTag);
        foreach (var value in pdu.AllData) MmsDataCodec.WriteData(writer, value);
        writer.End(d);
        writer.End(m);
    }

    private static void CheckReference(string value, string name)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        if (value.Length > MaxReferenceLength) throw new ArgumentException($"{name} is longer than {MaxReferenceLength} characters", name);
        foreach (var c in value)
        {
            if (c is < ' ' or > '~') throw new ArgumentException($"{name} has a character outside VisibleString", name);
        }
    }

    /// <summary>
    /// The APPID of a GOOSE frame without decoding its PDU, or null when the frame is not GOOSE
    /// (another EtherType or too short). Subscribers use it to drop foreign traffic cheaply.
    /// </summary>
    public static ushort? PeekAppId(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < 14) return null;
        var at = 12;
        var type = BinaryPrimitives.ReadUInt16BigEndian(frame[at..]);
        if (type == VlanTpid)
        {
            if (frame.Length < 18) return null;
            at += 4;
            type = BinaryPrimitives.ReadUInt16BigEndian(frame[at..]);
        }
        if (type != EtherType || frame.Length < at + 4) return null;
        return BinaryPrimitives.ReadUInt16BigEndian(frame[(at + 2)..]);
    }

    /// <summary>Decodes one frame as received from the interface (padding after the APDU is ignored).</summary>
    public static GooseFrame Decode(ReadOnlySpan<byte> frame)
    {
        if (frame.Length > MaxFrameLength) throw new MmsDecodeException("ethernet", $"frame of {frame.Length} octets exceeds {MaxFrameLength}", MaxFrameLength);
        if (frame.Length < 14) throw new MmsDecodeException("ethernet", $"frame of {frame.Length} octets is shorter than an Ethernet header", frame.Length);
        var destination = MacAddress.FromBytes(frame[..6]);
        var source = MacAddress.FromBytes(frame[6..12]);
        var at = 12;
        VlanTag? vlan = null;
        var type = BinaryPrimitives.ReadUInt16BigEndian(frame[at..]);
        if (type == VlanTpid)
        {
            if (frame.Length < 18) throw new MmsDecodeException("ethernet", "802.1Q tag cut short", frame.Length);
            vlan = VlanTag.FromTci(BinaryPrimitives.ReadUInt16BigEndian(frame[(at + 2)..]));
            at += 4;
            type = BinaryPrimitives.ReadUInt16BigEndian(frame[at..]);
        }
        if (type != EtherType) throw new MmsDecodeException("ethernet", $"EtherType 0x{type:X4} is not GOOSE (0x88B8)", at);
        at += 2;
        if (frame.Length < at + 8) throw new MmsDecodeException("goose", "APPID, length and reserved words cut short", frame.Length);
        var appId = BinaryPrimitives.ReadUInt16BigEndian(frame[at..]);
        var length = BinaryPrimitives.ReadUInt16BigEndian(frame[(at + 2)..]);
        var reserved1 = BinaryPrimitives.ReadUInt16BigEndian(frame[(at + 4)..]);
        var reserved2 = BinaryPrimitives.ReadUInt16BigEndian(frame[(at + 6)..]);
        if (length < 8) throw new MmsDecodeException("goose", $"length {length} is less than the 8 header octets", at + 2);
        if (length > frame.Length - at) throw new MmsDecodeException("goose", $"length {length} runs past the frame ({frame.Length - at} octets from the APPID)", at + 2);
        var apduOffset = at + 8;
        var reader = new BerReader(frame[apduOffset..(at + length)], "goose", apduOffset);
        var pdu = ReadPdu(ref reader);
        return new GooseFrame
        {
            Destination = destination,
            Source = source,
            Vlan = vlan,
            AppId = appId,
            Reserved1 = reserved1,
            Reserved2 = reserved2,
            Pdu = pdu,
        };
    }

    private static GoosePdu ReadPdu(ref BerReader outer)
    {
        var at = outer.Offset;
        var tag = outer.PeekTag();
        if (tag != PduTag) throw new MmsDecodeException("goose", $"expected the IECGoosePdu [APPLICATION 1], found {tag}", at);
        var r = outer.ReadConstructed(PduTag);
        // Octets after the PDU inside the length (an IEC 62351-6 extension) are not part of the GOOSE message.
        var gocbRef = ReadReference(ref r, 0, "gocbRef");
        var tal = ReadUInt32(ref r, 1, "timeAllowedtoLive");
        var datSet = ReadReference(ref r, 2, "datSet");
        string? goId = null;
        if (r.NextIs(BerTag.Context(3))) goId = ReadReference(ref r, 3, "goID");
        var tAt = r.Offset;
        var t = Require(ref r, 4, "t");
        if (t.Length != 8) throw new MmsDecodeException("goose", $"t of {t.Length} octets (a UtcTime has 8)", tAt);
        var time = new MmsUtcTime(BinaryPrimitives.ReadUInt32BigEndian(t), (uint)(t[4] << 16 | t[5] << 8 | t[6]), t[7]);
        var stNum = ReadUInt32(ref r, 5, "stNum");
        var sqNum = ReadUInt32(ref r, 6, "sqNum");
        var simulation = r.NextIs(BerTag.Context(7)) && ReadBoolean(ref r, 7, "simulation");
        var confRev = ReadUInt32(ref r, 8, "confRev");
        var ndsCom = r.NextIs(BerTag.Context(9)) && ReadBoolean(ref r, 9, "ndsCom");
        var countAt = r.Offset;
        var count = ReadUInt32(ref r, 10, "numDatSetEntries");
        if (count > MaxDataEntries) throw new MmsDecodeException("goose", $"numDatSetEntries {count} exceeds {MaxDataEntries}", countAt);
        var dataAt = r.Offset;
        if (!r.NextIs(AllDataTag)) throw new MmsDecodeException("goose", "allData [11] missing", dataAt);
        var data = r.ReadConstructed(AllDataTag);
        var values = new List<MmsValue>((int)count);
        while (data.HasData)
        {
            if (values.Count == MaxDataEntries) throw new MmsDecodeException("goose", $"allData has more than {MaxDataEntries} entries", data.Offset);
            values.Add(MmsDataCodec.ReadData(ref data));
        }
        if (values.Count != count) throw new MmsDecodeException("goose", $"numDatSetEntries is {count} but allData has {values.Count} entries", countAt);
        // security [12] ANY OPTIONAL: carried, not interpreted.
        if (r.NextIs(BerTag.Context(12)) || r.NextIs(BerTag.Context(12, true))) r.Skip();
        r.EnsureEnd();
        return new GoosePdu
        {
            GocbRef = gocbRef,
            TimeAllowedToLive = tal,
            DatSet = datSet,
            GoId = goId,
            T = time,
            StNum = stNum,
            SqNum = sqNum,
            Simulation = simulation,
            ConfRev = confRev,
            NdsCom = ndsCom,
            AllData = values,
        };
    }

    private static ReadOnlySpan<byte> Require(ref BerReader r, int number, string field)
    {
        var at = r.Offset;
        if (!r.HasData) throw new MmsDecodeException("goose", $"{field} [{number}] missing at the end of the PDU", at);
        var tag = r.ReadElement(out var content, out _);
        if (tag != BerTag.Context(number)) throw new MmsDecodeException("goose", $"expected {field} [{number}], found {tag}", at);
        return content;
    }

    private static string ReadReference(ref BerReader r, int number, string field)
    {
        var at = r.Offset;
        var content = Require(ref r, number, field);
        if (content.Length > MaxReferenceLength) throw new MmsDecodeException("goose", $"{field} of {content.Length} characters exceeds {MaxReferenceLength}", at);
        return r.DecodeVisibleString(content, at);
    }

    private static uint ReadUInt32(ref BerReader r, int number, string field)
    {
        var at = r.Offset;
        var content = Require(ref r, number, field);
        return (uint)r.DecodeUnsigned(content, at, 32);
    }

    private static bool ReadBoolean(ref BerReader r, int number, string field)
    {
        var at = r.Offset;
        var content = Require(ref r, number, field);
        return r.DecodeBoolean(content, at);
    }
}
