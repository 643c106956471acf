using System.Text;
using FlexCoop.Iec61850.Mms.Ber;

namespace FlexCoop.Iec61850.Mms.Iso;

/// <summary>An AP-title (form 2, an object identifier) and AE-qualifier (form 2, an integer).</summary>
public sealed record AcseAddress(string? ApTitle, int? AeQualifier);

/// <summary>AARQ-apdu: the association request with the MMS initiate in its user information.</summary>
public sealed record AarqApdu(
    string ApplicationContextName,
    AcseAddress Called,
    AcseAddress Calling,
    string? MechanismName,
    byte[]? Password,
    int UserDataContextId,
    byte[] UserData);

/// <summary>AARE-apdu: result 0 accepted, 1 rejected-permanent, 2 rejected-transient, with the diagnostic.</summary>
public sealed record AareApdu(
    string ApplicationContextName,
    int Result,
    int Diagnostic,
    AcseAddress Responding,
    int UserDataContextId,
    byte[] UserData);

/// <summary>ACSE diagnostics (acse-service-user) used by this stack.</summary>
public static class AcseDiagnostic
{
    public const int Null = 0;
    public const int NoReasonGiven = 1;
    public const int ApplicationContextNameNotSupported = 2;
    public const int AuthenticationMechanismNameNotRecognized = 11;
    public const int AuthenticationFailure = 13;
    public const int AuthenticationRequired = 14;
}

/// <summary>ISO 8650 ACSE: AARQ/AARE, RLRQ/RLRE, ABRT, password authentication (mechanism 2.2.3.1).</summary>
public static class Acse
{
    /// <summary>The MMS application context name of IEC 61850 (ISO 9506 MMS, 1.0.9506.2.3).</summary>
    public const string MmsApplicationContextName = "1.0.9506.2.3";

    /// <summary>The password authentication mechanism name (2.2.3.1).</summary>
    public const string PasswordMechanism = "2.2.3.1";

    private static BerTag C(int n) => BerTag.Context(n);
    private static BerTag CC(int n) => BerTag.Context(n, true);

    private static void WriteApTitle(BerWriter w, int tag, string? apTitle)
    {
        if (apTitle is null) return;
        var m = w.Begin(CC(tag));
        w.WriteObjectIdentifier(BerTag.ObjectIdentifier, apTitle);
        w.End(m);
    }

    private static void WriteAeQualifier(BerWriter w, int tag, int? ae)
    {
        if (ae is not { } v) return;
        var m = w.Begin(CC(tag));
        w.WriteInteger(BerTag.Integer, v);
        w.End(m);
    }

    private static void WriteUserInformation(BerWriter w, int contextId, ReadOnlySpan<byte> pdu)
    {
        var ui = w.Begin(CC(30));
        var ext = w.Begin(BerTag.External);
        w.WriteInteger(BerTag.Integer, contextId);
        var single = w.Begin(CC(0));
        w.WriteRaw(pdu);
        w.End(single);
        w.End(ext);
        w.End(ui);
    }

    public static byte[] EncodeAarq(AarqApdu aarq)
    {
        ArgumentNullException.ThrowIfNull(aarq);
        var w = new BerWriter(aarq.UserData.Length + 128);
        var m = w.Begin(BerTag.Application(0));
        w.WriteBitString(C(0), [0x80], 1);
        var ctx = w.Begin(CC(1));
        w.WriteObjectIdentifier(BerTag.ObjectIdentifier, aarq.ApplicationContextName);
        w.End(ctx);
        WriteApTitle(w, 2, aarq.Called.ApTitle);
        WriteAeQualifier(w, 3, aarq.Called.AeQualifier);
        WriteApTitle(w, 6, aarq.Calling.ApTitle);
        WriteAeQualifier(w, 7, aarq.Calling.AeQualifier);
        if (aarq.Password is { } pw)
        {
            w.WriteBitString(C(10), [0x80], 1);
            w.WriteObjectIdentifier(C(11), aarq.MechanismName ?? PasswordMechanism);
            var av = w.Begin(CC(12));
            w.Write(C(0), pw);
            w.End(av);
        }
        WriteUserInformation(w, aarq.UserDataContextId, aarq.UserData);
        w.End(m);
        return w.ToArray();
    }

    public static byte[] EncodeAare(AareApdu aare)
    {
        ArgumentNullException.ThrowIfNull(aare);
        var w = new BerWriter(aare.UserData.Length + 96);
        var m = w.Begin(BerTag.Application(1));
        w.WriteBitString(C(0), [0x80], 1);
        var ctx = w.Begin(CC(1));
        w.WriteObjectIdentifier(BerTag.ObjectIdentifier, aare.ApplicationContextName);
        w.End(ctx);
        var res = w.Begin(CC(2));
        w.WriteInteger(BerTag.Integer, aare.Result);
        w.End(res);
        var diag = w.Begin(CC(3));
        var user = w.Begin(CC(1));
        w.WriteInteger(BerTag.Integer, aare.Diagnostic);
        w.End(user);
        w.End(diag);
        WriteApTitle(w, 4, aare.Responding.ApTitle);
        WriteAeQualifier(w, 5, aare.Responding.AeQualifier);
        if (aare.UserData.Length > 0) WriteUserInformation(w, aare.UserDataContextId, aare.UserData);
        w.End(m);
        return w.ToArray();
    }

    private static string ReadApTitle(BerReader r)
    {
        var s = r.ReadObjectIdentifier(BerTag.ObjectIdentifier);
        r.EnsureEnd();
        return s;
    }

    private static int ReadAeQualifier(BerReader r)
    {
        var v = r.ReadInt32(BerTag.Integer);
        r.EnsureEnd();
        return v;
    }

    private static (int ContextId, byte[] Data) ReadUserInformation(BerReader ui)
    {
        var ext = ui.ReadConstructed(BerTag.External);
        if (ext.NextIs(BerTag.ObjectIdentifier)) ext.Skip();
        var id = ext.ReadInt32(BerTag.Integer);
        if (ext.NextIs(BerTag.Universal(7))) ext.Skip();
        var at = ext.Offset;
        var t = ext.ReadElement(out var content, out _);
        if (t != CC(0) && t != C(1)) throw new MmsDecodeException("acse", $"EXTERNAL encoding {t} is not supported", at);
        return (id, content.ToArray());
    }

    public static AarqApdu DecodeAarq(ReadOnlySpan<byte> data)
    {
        var r = new BerReader(data, "acse");
        var a = r.ReadConstructed(BerTag.Application(0));
        string? context = null, calledAp = null, callingAp = null, mechanism = null;
        int? calledAe = null, callingAe = null;
        byte[]? password = null;
        (int, byte[])? user = null;
        while (a.HasData)
        {
            var at = a.Offset;
            var t = a.ReadElement(out var c, out var o);
            if (t.Class != BerClass.ContextSpecific) throw new MmsDecodeException("acse", $"unexpected {t} in AARQ", at);
            var n = a.Nested(c, o);
            switch (t.Number)
            {
                case 0: break;
                case 1: context = ReadApTitle(n); break;
                case 2: calledAp = ReadApTitle(n); break;
                case 3: calledAe = ReadAeQualifier(n); break;
                case 6: callingAp = ReadApTitle(n); break;
                case 7: callingAe = ReadAeQualifier(n); break;
                case 11: mechanism = a.DecodeObjectIdentifier(c, o); break;
                case 12:
                    {
                        var vt = n.ReadElement(out var vc, out _);
                        if (vt != C(0)) throw new MmsDecodeException("acse", $"authentication value {vt} is not supported (charstring expected)", o);
                        password = vc.ToArray();
                        break;
                    }
                case 30: user = ReadUserInformation(n); break;
                default: break; // invocation identifiers, requirements, implementation information
            }
        }
        if (context is null) throw new MmsDecodeException("acse", "AARQ without application-context-name", 0);
        if (user is not { } u) throw new MmsDecodeException("acse", "AARQ without user-information", 0);
        return new AarqApdu(context, new AcseAddress(calledAp, calledAe), new AcseAddress(callingAp, callingAe), mechanism, password, u.Item1, u.Item2);
    }

    public static AareApdu DecodeAare(ReadOnlySpan<byte> data)
    {
        var r = new BerReader(data, "acse");
        var a = r.ReadConstructed(BerTag.Application(1));
        string? context = null, ap = null;
        int? ae = null;
        var result = -1;
        var diagnostic = 0;
        (int, byte[]) user = (0, []);
        while (a.HasData)
        {
            var t = a.ReadElement(out var c, out var o);
            var n = a.Nested(c, o);
            switch (t.Number)
            {
                case 1 when t.Class == BerClass.ContextSpecific: context = ReadApTitle(n); break;
                case 2 when t.Class == BerClass.ContextSpecific: result = n.ReadInt32(BerTag.Integer); break;
                case 3 when t.Class == BerClass.ContextSpecific:
                    {
                        var d = n.ReadAnyConstructed(out _);
                        diagnostic = d.ReadInt32(BerTag.Integer);
                        break;
                    }
                case 4 when t.Class == BerClass.ContextSpecific: ap = ReadApTitle(n); break;
                case 5 when t.Class == BerClass.ContextSpecific: ae = ReadAeQualifier(n); break;
                case 30 when t.Class == BerClass.ContextSpecific: user = ReadUserInformation(n); break;
                default: break;
            }
        }
        if (context is null || result < 0) throw new MmsDecodeException("acse", "AARE without application-context-name or result", 0);
        return new AareApdu(context, result, diagnostic, new AcseAddress(ap, ae), user.Item1, user.Item2);
    }

    /// <summary>RLRQ (reason normal) or RLRE (reason normal).</summary>
    public static byte[] EncodeRelease(bool response) => [response ? (byte)0x63 : (byte)0x62, 3, 0x80, 1, 0];

    /// <summary>ABRT with abort-source 0 (acse-service-user) or 1 (acse-service-provider).</summary>
    public static byte[] EncodeAbort(bool provider) => [0x64, 3, 0x80, 1, provider ? (byte)1 : (byte)0];

    /// <summary>The APDU kind at the start of an ACSE PDU: 0 AARQ, 1 AARE, 2 RLRQ, 3 RLRE, 4 ABRT.</summary>
    public static int PeekApduKind(ReadOnlySpan<byte> data)
    {
        var r = new BerReader(data, "acse");
        var t = r.PeekTag();
        if (t.Class != BerClass.Application || t.Number > 4) throw new MmsDecodeException("acse", $"{t} is not an ACSE APDU", 0);
        return t.Number;
    }

    /// <summary>Text of a password for diagnostics (never logged by the stack).</summary>
    internal static string PasswordText(byte[] password) => Encoding.UTF8.GetString(password);
}
