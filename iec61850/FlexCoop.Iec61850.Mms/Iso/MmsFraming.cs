using System.Buffers;
using FlexCoop.Iec61850.Mms.Ber;

namespace FlexCoop.Iec61850.Mms.Iso;

/// <summary>What a TSDU of the data phase carried.</summary>
public enum UpperLayerKind
{
    /// <summary>An MMS PDU in the MMS presentation context (session DT).</summary>
    Data,
    /// <summary>Session FN with an ACSE RLRQ.</summary>
    ReleaseRequest,
    /// <summary>Session DN with an ACSE RLRE.</summary>
    ReleaseResponse,
    /// <summary>Session AB (ACSE ABRT or none).</summary>
    Abort,
}

/// <summary>A decoded data-phase TSDU: its kind and, for data, the position of the MMS PDU.</summary>
public readonly record struct UpperLayerMessage(UpperLayerKind Kind, int ContextId, int Offset, int Length);

/// <summary>
/// The whole stack below MMS for the data phase: MMS PDU ⇄ presentation fully-encoded data ⇄
/// session DT ⇄ COTP DT ⇄ TPKT, and the association-phase SPDUs.
/// </summary>
public static class MmsFraming
{
    /// <summary>Writes the complete TPKT packets that carry <paramref name="mmsPdu"/> in the MMS context.</summary>
    public static void WriteMmsData(IBufferWriter<byte> output, ReadOnlySpan<byte> mmsPdu, int tpduSize, int contextId = IsoPresentation.MmsContextId)
    {
        Span<byte> header = stackalloc byte[24];
        var ph = IsoPresentation.WriteUserDataHeader(header, contextId, mmsPdu.Length);
        var tsduLength = 4 + ph + mmsPdu.Length;
        if (tsduLength + Tpkt.HeaderLength + Cotp.DataHeaderLength <= Math.Min(tpduSize, Tpkt.MaxLength))
        {
            var total = Tpkt.HeaderLength + Cotp.DataHeaderLength + tsduLength;
            var span = output.GetSpan(total);
            Tpkt.WriteHeader(span, total);
            span[4] = 2;
            span[5] = 0xF0;
            span[6] = 0x80;
            IsoSession.DataHeader.CopyTo(span[7..]);
            header[..ph].CopyTo(span[11..]);
            mmsPdu.CopyTo(span[(11 + ph)..]);
            output.Advance(total);
            return;
        }
        var tsdu = ArrayPool<byte>.Shared.Rent(tsduLength);
        try
        {
            IsoSession.DataHeader.CopyTo(tsdu);
            header[..ph].CopyTo(tsdu.AsSpan(4));
            mmsPdu.CopyTo(tsdu.AsSpan(4 + ph));
            Cotp.WriteData(output, tsdu.AsSpan(0, tsduLength), tpduSize);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(tsdu);
        }
    }

    /// <summary>Decodes a data-phase TSDU (session SPDU with presentation user data).</summary>
    public static UpperLayerMessage ReadTsdu(ReadOnlySpan<byte> tsdu)
    {
        var spdu = IsoSession.Decode(tsdu);
        var user = tsdu.Slice(spdu.UserDataOffset, spdu.UserDataLength);
        switch (spdu.Type)
        {
            case SpduType.Data:
                {
                    var pd = IsoPresentation.ReadUserData(user, spdu.UserDataOffset);
                    return new UpperLayerMessage(UpperLayerKind.Data, pd.ContextId, pd.Offset, pd.Length);
                }
            case SpduType.Finish or SpduType.Disconnect:
                {
                    if (user.Length == 0) throw new MmsDecodeException("session", $"{spdu.Type} without user data", 0);
                    var pd = IsoPresentation.ReadUserData(user, spdu.UserDataOffset);
                    var kind = Acse.PeekApduKind(tsdu.Slice(pd.Offset, pd.Length));
                    if (spdu.Type == SpduType.Finish && kind != 2) throw new MmsDecodeException("acse", "FN SPDU without RLRQ", pd.Offset);
                    if (spdu.Type == SpduType.Disconnect && kind != 3) throw new MmsDecodeException("acse", "DN SPDU without RLRE", pd.Offset);
                    return new UpperLayerMessage(spdu.Type == SpduType.Finish ? UpperLayerKind.ReleaseRequest : UpperLayerKind.ReleaseResponse, pd.ContextId, pd.Offset, pd.Length);
                }
            case SpduType.Abort or SpduType.AbortAccept:
                return new UpperLayerMessage(UpperLayerKind.Abort, 0, spdu.UserDataOffset, spdu.UserDataLength);
            default:
                throw new MmsDecodeException("session", $"{spdu.Type} SPDU is not expected in the data phase", 0);
        }
    }

    /// <summary>Session FN with an ACSE RLRQ (or DN with RLRE when <paramref name="response"/>).</summary>
    public static byte[] EncodeRelease(bool response)
    {
        var w = new BerWriter(32);
        IsoPresentation.WriteUserData(w, IsoPresentation.AcseContextId, Acse.EncodeRelease(response));
        return IsoSession.EncodeWithUserData(response ? SpduType.Disconnect : SpduType.Finish, w.WrittenSpan);
    }

    /// <summary>Session AB with presentation ARU and ACSE ABRT.</summary>
    public static byte[] EncodeAbort(bool provider) =>
        IsoSession.EncodeWithUserData(SpduType.Abort, IsoPresentation.EncodeAbort(IsoPresentation.AcseContextId, Acse.EncodeAbort(provider)));

    /// <summary>CPR-PPDU (normal mode) carrying an ACSE PDU, for a refused association.</summary>
    public static byte[] EncodePresentationRefuse(ReadOnlySpan<byte> respondingSelector, int contextCount, ReadOnlySpan<byte> acsePdu)
    {
        var w = new BerWriter(acsePdu.Length + 64);
        var seq = w.Begin(BerTag.Sequence);
        w.WriteBitString(BerTag.Context(0), [0x80], 1);
        w.Write(BerTag.Context(3), respondingSelector);
        var list = w.Begin(BerTag.Context(5, true));
        for (var i = 0; i < contextCount; i++)
        {
            var item = w.Begin(BerTag.Sequence);
            w.WriteInteger(BerTag.Context(0), 0);
            w.WriteObjectIdentifier(BerTag.Context(1), IsoPresentation.BerTransferSyntax);
            w.End(item);
        }
        w.End(list);
        IsoPresentation.WriteUserData(w, IsoPresentation.AcseContextId, acsePdu);
        w.End(seq);
        return w.ToArray();
    }
}
