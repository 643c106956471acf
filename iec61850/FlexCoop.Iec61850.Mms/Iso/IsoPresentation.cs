using FlexCoop.Iec61850.Mms.Ber;

namespace FlexCoop.Iec61850.Mms.Iso;

/// <summary>A presentation context proposed in a CP-type: identifier, abstract syntax and transfer syntax (OIDs).</summary>
public sealed record PresentationContext(int Id, string AbstractSyntax, string TransferSyntax);

/// <summary>Where a PDV's value lies in the decoded buffer, and its presentation context.</summary>
public readonly record struct PresentationData(int ContextId, int Offset, int Length);

/// <summary>A decoded CP-type (normal mode).</summary>
public sealed record PresentationConnect(byte[] CallingSelector, byte[] CalledSelector, IReadOnlyList<PresentationContext> Contexts, int UserDataContextId, byte[] UserData);

/// <summary>A decoded CPA-PPDU (normal mode): the result per proposed context (0 acceptance).</summary>
public sealed record PresentationAccept(byte[] RespondingSelector, IReadOnlyList<int> Results, int UserDataContextId, byte[] UserData);

/// <summary>ISO 8823 presentation in normal mode with fully-encoded user data (BER transfer syntax).</summary>
public static class IsoPresentation
{
    public const string AcseAbstractSyntax = "2.2.1.0.1";
    public const string MmsAbstractSyntax = "1.0.9506.2.1";
    public const string BerTransferSyntax = "2.1.1";

    /// <summary>The context identifiers this stack proposes (ACSE 1, MMS 3, as most 61850 stacks).</summary>
    public const int AcseContextId = 1;
    public const int MmsContextId = 3;

    private static BerTag C(int n) => BerTag.Context(n);
    private static BerTag CC(int n) => BerTag.Context(n, true);
    private static readonly BerTag FullyEncodedData = BerTag.Application(1);

    private static void WriteModeSelector(BerWriter w)
    {
        var m = w.Begin(CC(0));
        w.WriteInteger(C(0), 1);
        w.End(m);
    }

    /// <summary>Writes fully-encoded-data with one PDV (single-ASN1-type) in the given context.</summary>
    public static void WriteUserData(BerWriter w, int contextId, ReadOnlySpan<byte> pdu)
    {
        ArgumentNullException.ThrowIfNull(w);
        var u = w.Begin(FullyEncodedData);
        var pdv = w.Begin(BerTag.Sequence);
        w.WriteInteger(BerTag.Integer, contextId);
        var single = w.Begin(CC(0));
        w.WriteRaw(pdu);
        w.End(single);
        w.End(pdv);
        w.End(u);
    }

    /// <summary>Writes the fully-encoded-data header for a PDU of <paramref name="pduLength"/> octets; returns octets written.</summary>
    public static int WriteUserDataHeader(Span<byte> destination, int contextId, int pduLength)
    {
        if (contextId is < 0 or > 127) throw new ArgumentOutOfRangeException(nameof(contextId));
        var singleLen = pduLength;
        var pdvLen = 3 + 1 + BerWriter.LengthOfLength(singleLen) + singleLen;
        var outerLen = 1 + BerWriter.LengthOfLength(pdvLen) + pdvLen;
        var p = 0;
        destination[p++] = 0x61;
        p += BerWriter.WriteLengthAt(destination[p..], outerLen);
        destination[p++] = 0x30;
        p += BerWriter.WriteLengthAt(destination[p..], pdvLen);
        destination[p++] = 0x02;
        destination[p++] = 0x01;
        destination[p++] = (byte)contextId;
        destination[p++] = 0xA0;
        p += BerWriter.WriteLengthAt(destination[p..], singleLen);
        return p;
    }

    /// <summary>Decodes fully-encoded-data (one PDV) and returns the PDV's context and value position.</summary>
    public static PresentationData ReadUserData(ReadOnlySpan<byte> data, int baseOffset = 0)
    {
        var r = new BerReader(data, "presentation", baseOffset);
        var result = ReadUserData(ref r);
        r.EnsureEnd();
        return result;
    }

    private static PresentationData ReadUserData(ref BerReader r)
    {
        var at = r.Offset;
        var tag = r.PeekTag();
        if (tag == BerTag.Application(0, false)) throw new MmsDecodeException("presentation", "simply-encoded-data is not supported (normal mode requires fully-encoded-data)", at);
        var u = r.ReadConstructed(FullyEncodedData);
        var pdv = u.ReadConstructed(BerTag.Sequence);
        if (u.HasData) throw u.Error("more than one PDV-list is not supported");
        if (pdv.NextIs(BerTag.ObjectIdentifier)) pdv.Skip();
        var id = pdv.ReadInt32(BerTag.Integer);
        var vat = pdv.Offset;
        var vt = pdv.ReadElement(out var content, out var offset);
        pdv.EnsureEnd();
        if (vt == CC(0) || vt == C(1)) return new PresentationData(id, offset, content.Length);
        throw new MmsDecodeException("presentation", $"presentation-data-values {vt} is not supported", vat);
    }

    /// <summary>CP-type in normal mode proposing <paramref name="contexts"/> and carrying one PDV.</summary>
    public static byte[] EncodeConnect(ReadOnlySpan<byte> callingSelector, ReadOnlySpan<byte> calledSelector, IReadOnlyList<PresentationContext> contexts, int userDataContextId, ReadOnlySpan<byte> userData)
    {
        ArgumentNullException.ThrowIfNull(contexts);
        var w = new BerWriter(userData.Length + 128);
        var set = w.Begin(BerTag.Set);
        WriteModeSelector(w);
        var normal = w.Begin(CC(2));
        w.WriteBitString(C(0), [0x80], 1);
        w.Write(C(1), callingSelector);
        w.Write(C(2), calledSelector);
        var list = w.Begin(CC(4));
        foreach (var ctx in contexts)
        {
            var item = w.Begin(BerTag.Sequence);
            w.WriteInteger(BerTag.Integer, ctx.Id);
            w.WriteObjectIdentifier(BerTag.ObjectIdentifier, ctx.AbstractSyntax);
            var ts = w.Begin(BerTag.Sequence);
            w.WriteObjectIdentifier(BerTag.ObjectIdentifier, ctx.TransferSyntax);
            w.End(ts);
            w.End(item);
        }
        w.End(list);
        w.WriteBitString(C(8), [0x00], 2);
        WriteUserData(w, userDataContextId, userData);
        w.End(normal);
        w.End(set);
        return w.ToArray();
    }

    public static PresentationConnect DecodeConnect(ReadOnlySpan<byte> data)
    {
        var r = new BerReader(data, "presentation");
        var set = r.ReadConstructed(BerTag.Set);
        r.EnsureEnd();
        var normalMode = false;
        var hasNormal = false;
        BerReader n = default;
        while (set.HasData)
        {
            var at = set.Offset;
            var t = set.ReadElement(out var c, out var o);
            if (t == CC(0))
            {
                var ms = set.Nested(c, o);
                var mode = ms.ReadInt32(C(0));
                if (mode != 1) throw new MmsDecodeException("presentation", $"mode-value {mode} (only normal mode, 1, is supported)", at);
                normalMode = true;
            }
            else if (t == CC(2))
            {
                n = set.Nested(c, o);
                hasNormal = true;
            }
            else if (t == CC(1))
            {
                throw new MmsDecodeException("presentation", "x410-mode-parameters are not supported", at);
            }
        }
        if (!normalMode) throw new MmsDecodeException("presentation", "CP-type without mode-selector", 0);
        if (!hasNormal) throw new MmsDecodeException("presentation", "CP-type without normal-mode-parameters", 0);
        byte[] calling = [], called = [];
        var contexts = new List<PresentationContext>();
        PresentationData? user = null;
        while (n.HasData)
        {
            var t = n.PeekTag();
            if (t == C(1)) calling = n.Read(C(1)).ToArray();
            else if (t == C(2)) called = n.Read(C(2)).ToArray();
            else if (t == CC(4))
            {
                var list = n.ReadConstructed(CC(4));
                while (list.HasData)
                {
                    if (contexts.Count == 16) throw list.Error("more than 16 presentation contexts");
                    var item = list.ReadConstructed(BerTag.Sequence);
                    var id = item.ReadInt32(BerTag.Integer);
                    var abs = item.ReadObjectIdentifier(BerTag.ObjectIdentifier);
                    var ts = item.ReadConstructed(BerTag.Sequence);
                    var transfer = ts.ReadObjectIdentifier(BerTag.ObjectIdentifier);
                    contexts.Add(new PresentationContext(id, abs, transfer));
                }
            }
            else if (t == FullyEncodedData || t == BerTag.Application(0, false))
            {
                user = ReadUserData(ref n);
            }
            else
            {
                n.Skip();
            }
        }
        if (user is not { } u) throw new MmsDecodeException("presentation", "CP-type without user data", 0);
        return new PresentationConnect(calling, called, contexts, u.ContextId, data.Slice(u.Offset, u.Length).ToArray());
    }

    /// <summary>CPA-PPDU in normal mode accepting every context listed in <paramref name="results"/> order.</summary>
    public static byte[] EncodeAccept(ReadOnlySpan<byte> respondingSelector, IReadOnlyList<int> results, int userDataContextId, ReadOnlySpan<byte> userData)
    {
        ArgumentNullException.ThrowIfNull(results);
        var w = new BerWriter(userData.Length + 96);
        var set = w.Begin(BerTag.Set);
        WriteModeSelector(w);
        var normal = w.Begin(CC(2));
        w.WriteBitString(C(0), [0x80], 1);
        w.Write(C(3), respondingSelector);
        var list = w.Begin(CC(5));
        foreach (var result in results)
        {
            var item = w.Begin(BerTag.Sequence);
            w.WriteInteger(C(0), result);
            if (result == 0) w.WriteObjectIdentifier(C(1), BerTransferSyntax);
            else w.WriteInteger(C(2), 0);
            w.End(item);
        }
        w.End(list);
        w.WriteBitString(C(8), [0x00], 2);
        WriteUserData(w, userDataContextId, userData);
        w.End(normal);
        w.End(set);
        return w.ToArray();
    }

    public static PresentationAccept DecodeAccept(ReadOnlySpan<byte> data)
    {
        var r = new BerReader(data, "presentation");
        var set = r.ReadConstructed(BerTag.Set);
        var hasNormal = false;
        BerReader n = default;
        while (set.HasData)
        {
            var t = set.ReadElement(out var c, out var o);
            if (t == CC(2))
            {
                n = set.Nested(c, o);
                hasNormal = true;
            }
        }
        if (!hasNormal) throw new MmsDecodeException("presentation", "CPA-PPDU without normal-mode-parameters", 0);
        byte[] responding = [];
        var results = new List<int>();
        PresentationData? user = null;
        while (n.HasData)
        {
            var t = n.PeekTag();
            if (t == C(3)) responding = n.Read(C(3)).ToArray();
            else if (t == CC(5))
            {
                var list = n.ReadConstructed(CC(5));
                while (list.HasData)
                {
                    var item = list.ReadConstructed(BerTag.Sequence);
                    results.Add(item.ReadInt32(C(0)));
                }
            }
            else if (t == FullyEncodedData) user = ReadUserData(ref n);
            else n.Skip();
        }
        if (user is not { } u) throw new MmsDecodeException("presentation", "CPA-PPDU without user data", 0);
        return new PresentationAccept(responding, results, u.ContextId, data.Slice(u.Offset, u.Length).ToArray());
    }

    /// <summary>ARU-PPDU (normal mode) carrying one PDV, used to abort.</summary>
    public static byte[] EncodeAbort(int userDataContextId, ReadOnlySpan<byte> userData)
    {
        var w = new BerWriter(userData.Length + 32);
        var aru = w.Begin(CC(0));
        var ids = w.Begin(CC(0));
        var item = w.Begin(BerTag.Sequence);
        w.WriteInteger(BerTag.Integer, userDataContextId);
        w.WriteObjectIdentifier(BerTag.ObjectIdentifier, BerTransferSyntax);
        w.End(item);
        w.End(ids);
        WriteUserData(w, userDataContextId, userData);
        w.End(aru);
        return w.ToArray();
    }

    /// <summary>Decodes an ARU-PPDU; returns its PDV position, or null when it carries none.</summary>
    public static PresentationData? DecodeAbort(ReadOnlySpan<byte> data, int baseOffset = 0)
    {
        var r = new BerReader(data, "presentation", baseOffset);
        var aru = r.ReadConstructed(CC(0));
        while (aru.HasData)
        {
            if (aru.NextIs(FullyEncodedData)) return ReadUserData(ref aru);
            aru.Skip();
        }
        return null;
    }
}
