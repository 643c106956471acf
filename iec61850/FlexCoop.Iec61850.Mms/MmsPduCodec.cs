using System.Globalization;
using System.Text;
using FlexCoop.Iec61850.Mms.Ber;

namespace FlexCoop.Iec61850.Mms;

/// <summary>
/// Encodes and decodes MMSpdus (ISO 9506-2 BER). Pure and synchronous: bytes in, records out.
/// A request whose service this codec does not know decodes to <see cref="MmsDecodeException"/>
/// with <see cref="MmsDecodeException.Layer"/> <c>mms</c>; the server answers it with a reject.
/// </summary>
public static class MmsPduCodec
{
    private static BerTag C(int n) => BerTag.Context(n);
    private static BerTag CC(int n) => BerTag.Context(n, true);

    // ======================================================================== encode

    public static byte[] Encode(MmsPdu pdu)
    {
        var w = new BerWriter();
        Encode(w, pdu);
        return w.ToArray();
    }

    public static void Encode(BerWriter w, MmsPdu pdu)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(pdu);
        switch (pdu)
        {
            case ConfirmedRequestPdu r:
                {
                    var m = w.Begin(CC(0));
                    w.WriteUnsigned(BerTag.Integer, r.InvokeId);
                    WriteRequest(w, r.Request);
                    w.End(m);
                    break;
                }
            case ConfirmedResponsePdu r:
                {
                    var m = w.Begin(CC(1));
                    w.WriteUnsigned(BerTag.Integer, r.InvokeId);
                    WriteResponse(w, r.Response);
                    w.End(m);
                    break;
                }
            case ConfirmedErrorPdu e:
                {
                    var m = w.Begin(CC(2));
                    w.WriteUnsigned(C(0), e.InvokeId);
                    var se = w.Begin(CC(2));
                    WriteServiceErrorContent(w, e.Error);
                    w.End(se);
                    w.End(m);
                    break;
                }
            case InformationReportPdu ir:
                {
                    var m = w.Begin(CC(3));
                    var rep = w.Begin(CC(0));
                    WriteVariableAccessSpecification(w, ir.Specification);
                    var list = w.Begin(CC(0));
                    foreach (var r in ir.Results) WriteAccessResult(w, r);
                    w.End(list);
                    w.End(rep);
                    w.End(m);
                    break;
                }
            case RejectPdu rj:
                {
                    var m = w.Begin(CC(4));
                    if (rj.OriginalInvokeId is { } id) w.WriteUnsigned(C(0), id);
                    w.WriteInteger(C(rj.Reason.PduKind), rj.Reason.Code);
                    w.End(m);
                    break;
                }
            case InitiateRequestPdu i: WriteInitiate(w, 8, i.Parameters); break;
            case InitiateResponsePdu i: WriteInitiate(w, 9, i.Parameters); break;
            case InitiateErrorPdu ie:
                {
                    var m = w.Begin(CC(10));
                    WriteServiceErrorContent(w, ie.Error);
                    w.End(m);
                    break;
                }
            case ConcludeRequestPdu: w.WriteNull(C(11)); break;
            case ConcludeResponsePdu: w.WriteNull(C(12)); break;
            default: throw new ArgumentException($"unsupported PDU {pdu.GetType().Name}", nameof(pdu));
        }
    }

    private static void WriteInitiate(BerWriter w, int tag, MmsInitiateParameters p)
    {
        var m = w.Begin(CC(tag));
        w.WriteInteger(C(0), p.LocalDetail);
        w.WriteInteger(C(1), p.MaxServOutstandingCalling);
        w.WriteInteger(C(2), p.MaxServOutstandingCalled);
        w.WriteInteger(C(3), p.DataStructureNestingLevel);
        var d = w.Begin(CC(4));
        w.WriteInteger(C(0), p.VersionNumber);
        w.WriteBitString(C(1), p.ParameterCbb.Bits, p.ParameterCbb.BitLength);
        w.WriteBitString(C(2), p.ServicesSupported.Bits, p.ServicesSupported.BitLength);
        w.End(d);
        w.End(m);
    }

    private static void WriteServiceErrorContent(BerWriter w, MmsServiceError e)
    {
        var ec = w.Begin(CC(0));
        w.WriteInteger(C((int)e.Class), e.Code);
        w.End(ec);
        if (e.Description is { Length: > 0 } d) w.WriteVisibleString(C(2), Sanitize(d));
    }

    private static string Sanitize(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var ch in s) sb.Append(ch is >= ' ' and <= '~' ? ch : '?');
        return sb.ToString();
    }

    public static void WriteObjectName(BerWriter w, ObjectName name)
    {
        ArgumentNullException.ThrowIfNull(w);
        switch (name.Scope)
        {
            case MmsScope.DomainSpecific:
                var m = w.Begin(CC(1));
                w.WriteVisibleString(BerTag.VisibleString, name.DomainId ?? "");
                w.WriteVisibleString(BerTag.VisibleString, name.ItemId);
                w.End(m);
                break;
            case MmsScope.AaSpecific: w.WriteVisibleString(C(2), name.ItemId); break;
            default: w.WriteVisibleString(C(0), name.ItemId); break;
        }
    }

    private static void WriteVariableSpecList(BerWriter w, int tag, IReadOnlyList<ObjectName> names)
    {
        var list = w.Begin(CC(tag));
        foreach (var n in names)
        {
            var seq = w.Begin(BerTag.Sequence);
            var vs = w.Begin(CC(0));
            WriteObjectName(w, n);
            w.End(vs);
            w.End(seq);
        }
        w.End(list);
    }

    private static void WriteVariableAccessSpecification(BerWriter w, VariableAccessSpecification spec)
    {
        if (spec.VariableListName is { } ln)
        {
            var m = w.Begin(CC(1));
            WriteObjectName(w, ln);
            w.End(m);
        }
        else
        {
            WriteVariableSpecList(w, 0, spec.Variables ?? []);
        }
    }

    private static void WriteAccessResult(BerWriter w, AccessResult r)
    {
        if (r.Value is { } v) MmsDataCodec.WriteData(w, v);
        else w.WriteInteger(C(0), (int)(r.Error ?? DataAccessError.ObjectNonExistent));
    }

    private static void WriteFileName(BerWriter w, BerTag tag, string name)
    {
        var m = w.Begin(tag);
        w.WriteUtf8String(BerTag.GraphicString, name);
        w.End(m);
    }

    private static void WriteFileAttributes(BerWriter w, BerTag tag, MmsFileAttributes a)
    {
        var m = w.Begin(tag);
        w.WriteUnsigned(C(0), a.Size);
        if (a.LastModified is { } t) w.WriteVisibleString(C(1), t.UtcDateTime.ToString("yyyyMMddHHmmss.fff'Z'", CultureInfo.InvariantCulture));
        w.End(m);
    }

    private static void WriteTimeOfDay(BerWriter w, BerTag tag, MmsBinaryTime t)
    {
        Span<byte> tmp = stackalloc byte[6];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(tmp, t.MillisecondsOfDay);
        if (t.DaysSince1984 is { } d)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(tmp[4..], d);
            w.Write(tag, tmp);
        }
        else
        {
            w.Write(tag, tmp[..4]);
        }
    }

    private static void WriteRequest(BerWriter w, MmsRequest request)
    {
        switch (request)
        {
            case IdentifyRequest: w.WriteNull(C(2)); break;
            case GetNameListRequest g:
                {
                    var m = w.Begin(CC(1));
                    var oc = w.Begin(CC(0));
                    w.WriteInteger(C(0), (int)g.ObjectClass);
                    w.End(oc);
                    var os = w.Begin(CC(1));
                    switch (g.Scope)
                    {
                        case MmsScope.DomainSpecific: w.WriteVisibleString(C(1), g.DomainId ?? ""); break;
                        case MmsScope.AaSpecific: w.WriteNull(C(2)); break;
                        default: w.WriteNull(C(0)); break;
                    }
                    w.End(os);
                    if (g.ContinueAfter is { } ca) w.WriteVisibleString(C(2), ca);
                    w.End(m);
                    break;
                }
            case ReadRequest r:
                {
                    var m = w.Begin(CC(4));
                    if (r.SpecificationWithResult) w.WriteBoolean(C(0), true);
                    var vas = w.Begin(CC(1));
                    WriteVariableAccessSpecification(w, r.Specification);
                    w.End(vas);
                    w.End(m);
                    break;
                }
            case WriteRequest wr:
                {
                    var m = w.Begin(CC(5));
                    WriteVariableAccessSpecification(w, wr.Specification);
                    var list = w.Begin(CC(0));
                    foreach (var d in wr.Data) MmsDataCodec.WriteData(w, d);
                    w.End(list);
                    w.End(m);
                    break;
                }
            case GetVariableAccessAttributesRequest ga:
                {
                    var m = w.Begin(CC(6));
                    var n = w.Begin(CC(0));
                    WriteObjectName(w, ga.Name);
                    w.End(n);
                    w.End(m);
                    break;
                }
            case DefineNamedVariableListRequest d:
                {
                    var m = w.Begin(CC(11));
                    WriteObjectName(w, d.ListName);
                    WriteVariableSpecList(w, 0, d.Variables);
                    w.End(m);
                    break;
                }
            case GetNamedVariableListAttributesRequest g:
                {
                    var m = w.Begin(CC(12));
                    WriteObjectName(w, g.ListName);
                    w.End(m);
                    break;
                }
            case DeleteNamedVariableListRequest d:
                {
                    var m = w.Begin(CC(13));
                    w.WriteInteger(C(0), d.ScopeOfDelete);
                    if (d.ListNames is { } names)
                    {
                        var l = w.Begin(CC(1));
                        foreach (var n in names) WriteObjectName(w, n);
                        w.End(l);
                    }
                    if (d.DomainName is { } dn) w.WriteVisibleString(C(2), dn);
                    w.End(m);
                    break;
                }
            case ObtainFileRequest o:
                {
                    var m = w.Begin(CC(46));
                    WriteFileName(w, CC(1), o.SourceFile);
                    WriteFileName(w, CC(2), o.DestinationFile);
                    w.End(m);
                    break;
                }
            case ReadJournalRequest rj:
                {
                    var m = w.Begin(CC(65));
                    var jn = w.Begin(CC(0));
                    WriteObjectName(w, rj.JournalName);
                    w.End(jn);
                    if (rj.EntryToStartAfter is null && rj.StartingTime is { } st)
                    {
                        var s = w.Begin(CC(1));
                        WriteTimeOfDay(w, C(0), st);
                        w.End(s);
                    }
                    if (rj.EndingTime is { } et)
                    {
                        var s = w.Begin(CC(2));
                        WriteTimeOfDay(w, C(0), et);
                        w.End(s);
                    }
                    if (rj.EntryToStartAfter is { } entry)
                    {
                        var s = w.Begin(CC(5));
                        WriteTimeOfDay(w, C(0), rj.StartingTime ?? new MmsBinaryTime(0, 0));
                        w.Write(C(1), entry);
                        w.End(s);
                    }
                    w.End(m);
                    break;
                }
            case InitializeJournalRequest ij:
                {
                    var m = w.Begin(CC(67));
                    var jn = w.Begin(CC(0));
                    WriteObjectName(w, ij.JournalName);
                    w.End(jn);
                    if (ij.LimitingTime is not null || ij.LimitingEntry is not null)
                    {
                        var l = w.Begin(CC(1));
                        // limitingTime is mandatory in a limitSpecification: an entry alone is sent with the latest time there is.
                        WriteTimeOfDay(w, C(0), ij.LimitingTime ?? new MmsBinaryTime(86_399_999, ushort.MaxValue));
                        if (ij.LimitingEntry is { } e) w.Write(C(1), e);
                        w.End(l);
                    }
                    w.End(m);
                    break;
                }
            case FileOpenRequest fo:
                {
                    var m = w.Begin(CC(72));
                    WriteFileName(w, CC(0), fo.FileName);
                    w.WriteUnsigned(C(1), fo.InitialPosition);
                    w.End(m);
                    break;
                }
            case FileReadRequest fr: w.WriteInteger(C(73), fr.FrsmId); break;
            case FileCloseRequest fc: w.WriteInteger(C(74), fc.FrsmId); break;
            case FileRenameRequest rn:
                {
                    var m = w.Begin(CC(75));
                    WriteFileName(w, CC(0), rn.CurrentFileName);
                    WriteFileName(w, CC(1), rn.NewFileName);
                    w.End(m);
                    break;
                }
            case FileDeleteRequest fd: WriteFileName(w, CC(76), fd.FileName); break;
            case FileDirectoryRequest dir:
                {
                    var m = w.Begin(CC(77));
                    if (dir.FileSpecification is { } fs) WriteFileName(w, CC(0), fs);
                    if (dir.ContinueAfter is { } ca) WriteFileName(w, CC(1), ca);
                    w.End(m);
                    break;
                }
            default: throw new ArgumentException($"unsupported request {request.GetType().Name}", nameof(request));
        }
    }

    private static void WriteResponse(BerWriter w, MmsResponse response)
    {
        switch (response)
        {
            case IdentifyResponse id:
                {
                    var m = w.Begin(CC(2));
                    w.WriteUtf8String(C(0), id.VendorName);
                    w.WriteUtf8String(C(1), id.ModelName);
                    w.WriteUtf8String(C(2), id.Revision);
                    w.End(m);
                    break;
                }
            case GetNameListResponse g:
                {
                    var m = w.Begin(CC(1));
                    var l = w.Begin(CC(0));
                    foreach (var s in g.Identifiers) w.WriteVisibleString(BerTag.VisibleString, s);
                    w.End(l);
                    w.WriteBoolean(C(1), g.MoreFollows);
                    w.End(m);
                    break;
                }
            case EncodedGetNameListResponse g:
                {
                    var m = w.Begin(CC(1));
                    var l = w.Begin(CC(0));
                    w.WriteRaw(g.EncodedIdentifiers.Span);
                    w.End(l);
                    w.WriteBoolean(C(1), g.MoreFollows);
                    w.End(m);
                    break;
                }
            case ReadResponse r:
                {
                    var m = w.Begin(CC(4));
                    if (r.Specification is { } spec)
                    {
                        var s = w.Begin(CC(0));
                        WriteVariableAccessSpecification(w, spec);
                        w.End(s);
                    }
                    var l = w.Begin(CC(1));
                    foreach (var ar in r.Results) WriteAccessResult(w, ar);
                    w.End(l);
                    w.End(m);
                    break;
                }
            case WriteResponse wr:
                {
                    var m = w.Begin(CC(5));
                    foreach (var e in wr.Results)
                    {
                        if (e is { } err) w.WriteInteger(C(0), (int)err);
                        else w.WriteNull(C(1));
                    }
                    w.End(m);
                    break;
                }
            case GetVariableAccessAttributesResponse ga:
                {
                    var m = w.Begin(CC(6));
                    w.WriteBoolean(C(0), ga.MmsDeletable);
                    var t = w.Begin(CC(2));
                    MmsDataCodec.WriteType(w, ga.Type);
                    w.End(t);
                    w.End(m);
                    break;
                }
            case EncodedGetVariableAccessAttributesResponse ga:
                {
                    var m = w.Begin(CC(6));
                    w.WriteBoolean(C(0), ga.MmsDeletable);
                    var t = w.Begin(CC(2));
                    w.WriteRaw(ga.EncodedType.Span);
                    w.End(t);
                    w.End(m);
                    break;
                }
            case DefineNamedVariableListResponse: w.WriteNull(C(11)); break;
            case GetNamedVariableListAttributesResponse g:
                {
                    var m = w.Begin(CC(12));
                    w.WriteBoolean(C(0), g.MmsDeletable);
                    WriteVariableSpecList(w, 1, g.Variables);
                    w.End(m);
                    break;
                }
            case DeleteNamedVariableListResponse d:
                {
                    var m = w.Begin(CC(13));
                    w.WriteUnsigned(C(0), d.NumberMatched);
                    w.WriteUnsigned(C(1), d.NumberDeleted);
                    w.End(m);
                    break;
                }
            case ObtainFileResponse: w.WriteNull(C(46)); break;
            case InitializeJournalResponse ij: w.WriteUnsigned(C(67), ij.EntriesDeleted); break;
            case ReadJournalResponse rj:
                {
                    var m = w.Begin(CC(65));
                    var l = w.Begin(CC(0));
                    foreach (var e in rj.Entries)
                    {
                        var seq = w.Begin(BerTag.Sequence);
                        w.Write(C(0), e.EntryId);
                        var app = w.Begin(CC(1));
                        w.End(w.Begin(BerTag.Sequence));
                        w.End(app);
                        var content = w.Begin(CC(2));
                        WriteTimeOfDay(w, C(0), e.OccurrenceTime);
                        var data = w.Begin(CC(2));
                        var vars = w.Begin(CC(1));
                        foreach (var (tag, value) in e.Variables)
                        {
                            var vi = w.Begin(BerTag.Sequence);
                            w.WriteVisibleString(C(0), tag);
                            var vs = w.Begin(CC(1));
                            MmsDataCodec.WriteData(w, value);
                            w.End(vs);
                            w.End(vi);
                        }
                        w.End(vars);
                        w.End(data);
                        w.End(content);
                        w.End(seq);
                    }
                    w.End(l);
                    if (rj.MoreFollows) w.WriteBoolean(C(1), true);
                    w.End(m);
                    break;
                }
            case FileOpenResponse fo:
                {
                    var m = w.Begin(CC(72));
                    w.WriteInteger(C(0), fo.FrsmId);
                    WriteFileAttributes(w, CC(1), fo.Attributes);
                    w.End(m);
                    break;
                }
            case FileReadResponse fr:
                {
                    var m = w.Begin(CC(73));
                    w.Write(C(0), fr.FileData);
                    w.WriteBoolean(C(1), fr.MoreFollows);
                    w.End(m);
                    break;
                }
            case FileCloseResponse: w.WriteNull(C(74)); break;
            case FileRenameResponse: w.WriteNull(C(75)); break;
            case FileDeleteResponse: w.WriteNull(C(76)); break;
            case FileDirectoryResponse fd:
                {
                    var m = w.Begin(CC(77));
                    var l = w.Begin(CC(0));
                    var seqOf = w.Begin(BerTag.Sequence);
                    foreach (var e in fd.Entries)
                    {
                        var seq = w.Begin(BerTag.Sequence);
                        WriteFileName(w, CC(0), e.FileName);
                        WriteFileAttributes(w, CC(1), e.Attributes);
                        w.End(seq);
                    }
                    w.End(seqOf);
                    w.End(l);
                    if (fd.MoreFollows) w.WriteBoolean(C(1), true);
                    w.End(m);
                    break;
                }
            default: throw new ArgumentException($"unsupported response {response.GetType().Name}", nameof(response));
        }
    }

    // ======================================================================== decode

    /// <summary>Decodes one MMSpdu that must fill <paramref name="data"/> exactly.</summary>
    public static MmsPdu Decode(ReadOnlySpan<byte> data)
    {
        var reader = new BerReader(data, "mms");
        var at = reader.Offset;
        var tag = reader.ReadElement(out var c, out var offset);
        reader.EnsureEnd();
        if (tag.Class != BerClass.ContextSpecific) throw new MmsDecodeException("mms", $"{tag} is not an MMSpdu", at);
        switch (tag.Number)
        {
            case 0 when tag.Constructed:
                {
                    var r = reader.Nested(c, offset);
                    var id = r.ReadUInt32(BerTag.Integer);
                    MmsRequest request;
                    try
                    {
                        request = ReadRequest(ref r);
                    }
                    catch (MmsDecodeException ex)
                    {
                        throw new MmsDecodeException(ex.Layer, ex.Detail, ex.Offset)
                        {
                            InvokeId = id,
                            RejectReason = ex.RejectReason ?? MmsRejectReason.InvalidArgument,
                        };
                    }
                    return new ConfirmedRequestPdu(id, request);
                }
            case 1 when tag.Constructed:
                {
                    var r = reader.Nested(c, offset);
                    var id = r.ReadUInt32(BerTag.Integer);
                    var response = ReadResponse(ref r);
                    r.EnsureEnd();
                    return new ConfirmedResponsePdu(id, response);
                }
            case 2 when tag.Constructed:
                {
                    var r = reader.Nested(c, offset);
                    var id = r.ReadUInt32(C(0));
                    if (r.NextIs(C(1))) r.Skip();
                    var se = r.ReadConstructed(CC(2));
                    return new ConfirmedErrorPdu(id, ReadServiceErrorContent(ref se));
                }
            case 3 when tag.Constructed:
                {
                    var r = reader.Nested(c, offset);
                    var rep = r.ReadConstructed(CC(0));
                    var spec = ReadVariableAccessSpecification(ref rep);
                    var list = rep.ReadConstructed(CC(0));
                    var results = new List<AccessResult>();
                    while (list.HasData) results.Add(ReadAccessResult(ref list));
                    rep.EnsureEnd();
                    r.EnsureEnd();
                    return new InformationReportPdu(spec, results);
                }
            case 4 when tag.Constructed:
                {
                    var r = reader.Nested(c, offset);
                    uint? id = r.NextIs(C(0)) ? r.ReadUInt32(C(0)) : null;
                    var rat = r.Offset;
                    var rt = r.ReadElement(out var rc, out var ro);
                    if (rt.Class != BerClass.ContextSpecific || rt.Constructed || rt.Number is < 1 or > 12)
                    {
                        throw new MmsDecodeException("mms", $"{rt} is not a rejectReason", rat);
                    }
                    var code = (int)r.DecodeInteger(rc, ro, 4);
                    r.EnsureEnd();
                    return new RejectPdu(id, new MmsRejectReason(rt.Number, code));
                }
            case 8 when tag.Constructed: return new InitiateRequestPdu(ReadInitiate(reader.Nested(c, offset)));
            case 9 when tag.Constructed: return new InitiateResponsePdu(ReadInitiate(reader.Nested(c, offset)));
            case 10 when tag.Constructed:
                {
                    var r = reader.Nested(c, offset);
                    return new InitiateErrorPdu(ReadServiceErrorContent(ref r));
                }
            case 11 when !tag.Constructed && c.Length == 0: return new ConcludeRequestPdu();
            case 12 when !tag.Constructed && c.Length == 0: return new ConcludeResponsePdu();
            default: throw new MmsDecodeException("mms", $"MMSpdu choice {tag} is not supported", at);
        }
    }

    private static MmsInitiateParameters ReadInitiate(BerReader r)
    {
        var p = new MmsInitiateParameters();
        var localDetail = r.NextIs(C(0)) ? r.ReadInt32(C(0)) : 0;
        var calling = r.ReadInt32(C(1));
        var called = r.ReadInt32(C(2));
        var nesting = r.NextIs(C(3)) ? r.ReadInt32(C(3)) : 0;
        var d = r.ReadConstructed(CC(4));
        var version = d.ReadInt32(C(0));
        var at = d.Offset;
        var cbbContent = d.Read(C(1));
        var (cbb, cbbLen) = d.DecodeBitString(cbbContent, at);
        at = d.Offset;
        var svcContent = d.Read(C(2));
        var (svc, svcLen) = d.DecodeBitString(svcContent, at);
        if (calling < 0 || called < 0 || localDetail < 0 || nesting < 0) throw r.Error("negative initiate parameter");
        return p with
        {
            LocalDetail = localDetail,
            MaxServOutstandingCalling = calling,
            MaxServOutstandingCalled = called,
            DataStructureNestingLevel = nesting,
            VersionNumber = version,
            ParameterCbb = new MmsBitString(cbb, cbbLen),
            ServicesSupported = new MmsBitString(svc, svcLen),
        };
    }

    private static MmsServiceError ReadServiceErrorContent(ref BerReader r)
    {
        var ec = r.ReadConstructed(CC(0));
        var at = ec.Offset;
        var t = ec.ReadElement(out var c, out var o);
        if (t.Class != BerClass.ContextSpecific || t.Constructed || t.Number > 12) throw new MmsDecodeException("mms", $"{t} is not an errorClass", at);
        var code = (int)ec.DecodeInteger(c, o, 4);
        string? description = null;
        while (r.HasData)
        {
            var et = r.ReadElement(out var ecnt, out var eo);
            if (et == C(2)) description = r.DecodeUtf8(ecnt, eo);
        }
        return new MmsServiceError((MmsErrorClass)t.Number, code, description);
    }

    public static ObjectName ReadObjectName(ref BerReader r)
    {
        var at = r.Offset;
        var t = r.ReadElement(out var c, out var o);
        if (t == C(0)) return ObjectName.Vmd(r.DecodeVisibleString(c, o));
        if (t == C(2)) return ObjectName.Association(r.DecodeVisibleString(c, o));
        if (t == CC(1))
        {
            var n = r.Nested(c, o);
            var d = n.ReadVisibleString(BerTag.VisibleString);
            var i = n.ReadVisibleString(BerTag.VisibleString);
            n.EnsureEnd();
            return ObjectName.Domain(d, i);
        }
        throw new MmsDecodeException("mms", $"{t} is not an ObjectName", at);
    }

    private static List<ObjectName> ReadVariableSpecList(BerReader list)
    {
        var names = new List<ObjectName>();
        while (list.HasData)
        {
            var seq = list.ReadConstructed(BerTag.Sequence);
            var vs = seq.ReadConstructed(CC(0));
            names.Add(ReadObjectName(ref vs));
            vs.EnsureEnd();
            if (seq.HasData) throw seq.Error("alternateAccess is not supported");
        }
        return names;
    }

    private static VariableAccessSpecification ReadVariableAccessSpecification(ref BerReader r)
    {
        var at = r.Offset;
        var t = r.ReadElement(out var c, out var o);
        if (t == CC(0)) return new VariableAccessSpecification(ReadVariableSpecList(r.Nested(c, o)), null);
        if (t == CC(1))
        {
            var n = r.Nested(c, o);
            var name = ReadObjectName(ref n);
            n.EnsureEnd();
            return VariableAccessSpecification.OfList(name);
        }
        throw new MmsDecodeException("mms", $"{t} is not a VariableAccessSpecification", at);
    }

    private static AccessResult ReadAccessResult(ref BerReader r)
    {
        if (r.NextIs(C(0)))
        {
            var code = r.ReadInt32(C(0));
            return AccessResult.Failure((DataAccessError)code);
        }
        return AccessResult.Success(MmsDataCodec.ReadData(ref r));
    }

    private static string ReadFileName(BerReader r)
    {
        var sb = new StringBuilder();
        while (r.HasData)
        {
            var at = r.Offset;
            var c = r.Read(BerTag.GraphicString);
            sb.Append(r.DecodeUtf8(c, at));
        }
        return sb.ToString();
    }

    private static MmsFileAttributes ReadFileAttributes(BerReader r)
    {
        var size = r.ReadUInt32(C(0));
        DateTimeOffset? modified = null;
        if (r.NextIs(C(1)))
        {
            var at = r.Offset;
            var s = r.ReadVisibleString(C(1));
            if (!DateTimeOffset.TryParseExact(s.TrimEnd('Z'), ["yyyyMMddHHmmss.fff", "yyyyMMddHHmmss"], CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
            {
                throw new MmsDecodeException("mms", $"'{s}' is not a GeneralizedTime", at);
            }
            modified = t;
        }
        return new MmsFileAttributes(size, modified);
    }

    private static MmsBinaryTime DecodeTimeOfDay(ReadOnlySpan<byte> c, int offset)
    {
        if (c.Length == 4) return new MmsBinaryTime(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(c), null);
        if (c.Length == 6) return new MmsBinaryTime(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(c), System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(c[4..]));
        throw new MmsDecodeException("mms", $"TimeOfDay of {c.Length} octets", offset);
    }

    private static MmsRequest ReadRequest(ref BerReader r)
    {
        var at = r.Offset;
        var t = r.ReadElement(out var c, out var o);
        if (t.Class != BerClass.ContextSpecific) throw new MmsDecodeException("mms", $"{t} is not a ConfirmedServiceRequest", at);
        var n = r.Nested(c, o);
        MmsRequest result;
        switch (t.Number)
        {
            case 2 when !t.Constructed:
                n.EnsureEnd();
                result = new IdentifyRequest();
                break;
            case 1 when t.Constructed:
                {
                    var oc = n.ReadConstructed(CC(0));
                    var cls = oc.ReadInt32(C(0));
                    oc.EnsureEnd();
                    if (cls is < 0 or > 11) throw oc.Error($"object class {cls} is unknown");
                    var os = n.ReadConstructed(CC(1));
                    var sat = os.Offset;
                    var st = os.ReadElement(out var sc, out var so);
                    os.EnsureEnd();
                    MmsScope scope;
                    string? domain = null;
                    if (st == C(0) && sc.Length == 0) scope = MmsScope.VmdSpecific;
                    else if (st == C(1)) { scope = MmsScope.DomainSpecific; domain = os.DecodeVisibleString(sc, so); }
                    else if (st == C(2) && sc.Length == 0) scope = MmsScope.AaSpecific;
                    else throw new MmsDecodeException("mms", $"{st} is not an objectScope", sat);
                    var after = n.NextIs(C(2)) ? n.ReadVisibleString(C(2)) : null;
                    n.EnsureEnd();
                    result = new GetNameListRequest((MmsObjectClass)cls, scope, domain, after);
                    break;
                }
            case 4 when t.Constructed:
                {
                    var withResult = n.NextIs(C(0)) && n.ReadBoolean(C(0));
                    var vas = n.ReadConstructed(CC(1));
                    var spec = ReadVariableAccessSpecification(ref vas);
                    vas.EnsureEnd();
                    n.EnsureEnd();
                    result = new ReadRequest(spec, withResult);
                    break;
                }
            case 5 when t.Constructed:
                {
                    var spec = ReadVariableAccessSpecification(ref n);
                    var list = n.ReadConstructed(CC(0));
                    var data = new List<MmsValue>();
                    while (list.HasData) data.Add(MmsDataCodec.ReadData(ref list));
                    n.EnsureEnd();
                    result = new WriteRequest(spec, data);
                    break;
                }
            case 6 when t.Constructed:
                {
                    var nm = n.ReadConstructed(CC(0));
                    var name = ReadObjectName(ref nm);
                    nm.EnsureEnd();
                    n.EnsureEnd();
                    result = new GetVariableAccessAttributesRequest(name);
                    break;
                }
            case 11 when t.Constructed:
                {
                    var name = ReadObjectName(ref n);
                    var list = ReadVariableSpecList(n.ReadConstructed(CC(0)));
                    n.EnsureEnd();
                    result = new DefineNamedVariableListRequest(name, list);
                    break;
                }
            case 12 when t.Constructed:
                {
                    var name = ReadObjectName(ref n);
                    n.EnsureEnd();
                    result = new GetNamedVariableListAttributesRequest(name);
                    break;
                }
            case 13 when t.Constructed:
                {
                    var scope = n.NextIs(C(0)) ? n.ReadInt32(C(0)) : 0;
                    if (scope is < 0 or > 3) throw n.Error($"scopeOfDelete {scope} is unknown");
                    List<ObjectName>? names = null;
                    if (n.NextIs(CC(1)))
                    {
                        var l = n.ReadConstructed(CC(1));
                        names = [];
                        while (l.HasData) names.Add(ReadObjectName(ref l));
                    }
                    var domain = n.NextIs(C(2)) ? n.ReadVisibleString(C(2)) : null;
                    n.EnsureEnd();
                    result = new DeleteNamedVariableListRequest(scope, names, domain);
                    break;
                }
            case 46 when t.Constructed:
                {
                    if (n.NextIs(CC(0))) n.Skip();
                    var src = ReadFileName(n.ReadConstructed(CC(1)));
                    var dst = ReadFileName(n.ReadConstructed(CC(2)));
                    n.EnsureEnd();
                    result = new ObtainFileRequest(src, dst);
                    break;
                }
            case 65 when t.Constructed:
                {
                    var jn = n.ReadConstructed(CC(0));
                    var name = ReadObjectName(ref jn);
                    jn.EnsureEnd();
                    MmsBinaryTime? start = null, end = null;
                    byte[]? after = null;
                    if (n.NextIs(CC(1)))
                    {
                        var s = n.ReadConstructed(CC(1));
                        var sat = s.Offset;
                        start = DecodeTimeOfDay(s.Read(C(0)), sat);
                    }
                    if (n.NextIs(CC(2)))
                    {
                        var s = n.ReadConstructed(CC(2));
                        var sat = s.Offset;
                        var et = s.ReadElement(out var ec, out var eo);
                        if (et == C(0)) end = DecodeTimeOfDay(ec, eo);
                        else if (et != C(1)) throw new MmsDecodeException("mms", $"{et} is not a rangeStopSpecification", sat);
                    }
                    if (n.NextIs(CC(4))) n.Skip();
                    if (n.NextIs(CC(5)))
                    {
                        var s = n.ReadConstructed(CC(5));
                        var sat = s.Offset;
                        start = DecodeTimeOfDay(s.Read(C(0)), sat);
                        after = s.Read(C(1)).ToArray();
                    }
                    n.EnsureEnd();
                    result = new ReadJournalRequest(name, start, end, after);
                    break;
                }
            case 67 when t.Constructed:
                {
                    var jn = n.ReadConstructed(CC(0));
                    var name = ReadObjectName(ref jn);
                    jn.EnsureEnd();
                    MmsBinaryTime? limit = null;
                    byte[]? entry = null;
                    if (n.NextIs(CC(1)))
                    {
                        var l = n.ReadConstructed(CC(1));
                        var lat = l.Offset;
                        limit = DecodeTimeOfDay(l.Read(C(0)), lat);
                        if (l.NextIs(C(1))) entry = l.Read(C(1)).ToArray();
                        l.EnsureEnd();
                    }
                    n.EnsureEnd();
                    result = new InitializeJournalRequest(name, limit, entry);
                    break;
                }
            case 72 when t.Constructed:
                {
                    var name = ReadFileName(n.ReadConstructed(CC(0)));
                    var pos = n.ReadUInt32(C(1));
                    n.EnsureEnd();
                    result = new FileOpenRequest(name, pos);
                    break;
                }
            case 73 when !t.Constructed: result = new FileReadRequest((int)r.DecodeInteger(c, o, 4)); break;
            case 74 when !t.Constructed: result = new FileCloseRequest((int)r.DecodeInteger(c, o, 4)); break;
            case 75 when t.Constructed:
                {
                    var cur = ReadFileName(n.ReadConstructed(CC(0)));
                    var nw = ReadFileName(n.ReadConstructed(CC(1)));
                    n.EnsureEnd();
                    result = new FileRenameRequest(cur, nw);
                    break;
                }
            case 76 when t.Constructed: result = new FileDeleteRequest(ReadFileName(n)); break;
            case 77 when t.Constructed:
                {
                    var spec = n.NextIs(CC(0)) ? ReadFileName(n.ReadConstructed(CC(0))) : null;
                    var after = n.NextIs(CC(1)) ? ReadFileName(n.ReadConstructed(CC(1))) : null;
                    n.EnsureEnd();
                    result = new FileDirectoryRequest(spec, after);
                    break;
                }
            default:
                throw new MmsDecodeException("mms", $"confirmed service {t} is not supported", at)
                {
                    RejectReason = MmsRejectReason.UnrecognizedService,
                };
        }
        r.EnsureEnd();
        return result;
    }

    private static MmsResponse ReadResponse(ref BerReader r)
    {
        var at = r.Offset;
        var t = r.ReadElement(out var c, out var o);
        if (t.Class != BerClass.ContextSpecific) throw new MmsDecodeException("mms", $"{t} is not a ConfirmedServiceResponse", at);
        var n = r.Nested(c, o);
        switch (t.Number)
        {
            case 2 when t.Constructed:
                {
                    var vendor = n.DecodeUtf8(n.Read(C(0)), n.Offset);
                    var model = n.DecodeUtf8(n.Read(C(1)), n.Offset);
                    var rev = n.DecodeUtf8(n.Read(C(2)), n.Offset);
                    return new IdentifyResponse(vendor, model, rev);
                }
            case 1 when t.Constructed:
                {
                    var l = n.ReadConstructed(CC(0));
                    var ids = new List<string>();
                    while (l.HasData) ids.Add(l.ReadVisibleString(BerTag.VisibleString));
                    var more = !n.NextIs(C(1)) || n.ReadBoolean(C(1));
                    n.EnsureEnd();
                    return new GetNameListResponse(ids, more);
                }
            case 4 when t.Constructed:
                {
                    VariableAccessSpecification? spec = null;
                    if (n.NextIs(CC(0)))
                    {
                        var s = n.ReadConstructed(CC(0));
                        spec = ReadVariableAccessSpecification(ref s);
                    }
                    var l = n.ReadConstructed(CC(1));
                    var results = new List<AccessResult>();
                    while (l.HasData) results.Add(ReadAccessResult(ref l));
                    n.EnsureEnd();
                    return new ReadResponse(results, spec);
                }
            case 5 when t.Constructed:
                {
                    var results = new List<DataAccessError?>();
                    while (n.HasData)
                    {
                        if (n.NextIs(C(0))) results.Add((DataAccessError)n.ReadInt32(C(0)));
                        else
                        {
                            n.ReadNull(C(1));
                            results.Add(null);
                        }
                    }
                    return new WriteResponse(results);
                }
            case 6 when t.Constructed:
                {
                    var deletable = n.ReadBoolean(C(0));
                    if (n.NextIs(CC(1))) n.Skip();
                    var ts = n.ReadConstructed(CC(2));
                    var type = MmsDataCodec.ReadType(ref ts);
                    ts.EnsureEnd();
                    n.EnsureEnd();
                    return new GetVariableAccessAttributesResponse(deletable, type);
                }
            case 11 when !t.Constructed: return new DefineNamedVariableListResponse();
            case 12 when t.Constructed:
                {
                    var deletable = n.ReadBoolean(C(0));
                    var list = ReadVariableSpecList(n.ReadConstructed(CC(1)));
                    n.EnsureEnd();
                    return new GetNamedVariableListAttributesResponse(deletable, list);
                }
            case 13 when t.Constructed:
                {
                    var matched = n.ReadUInt32(C(0));
                    var deleted = n.ReadUInt32(C(1));
                    n.EnsureEnd();
                    return new DeleteNamedVariableListResponse(matched, deleted);
                }
            case 46 when !t.Constructed: return new ObtainFileResponse();
            case 67 when !t.Constructed: return new InitializeJournalResponse((uint)r.DecodeUnsigned(c, o, 32));
            case 65 when t.Constructed:
                {
                    var l = n.ReadConstructed(CC(0));
                    var entries = new List<MmsJournalEntry>();
                    while (l.HasData)
                    {
                        var seq = l.ReadConstructed(BerTag.Sequence);
                        var id = seq.Read(C(0)).ToArray();
                        seq.ReadConstructed(CC(1));
                        var content = seq.ReadConstructed(CC(2));
                        var tat = content.Offset;
                        var time = DecodeTimeOfDay(content.Read(C(0)), tat);
                        if (content.NextIs(CC(1))) content.Skip();
                        var vars = new List<(string, MmsValue)>();
                        if (content.NextIs(CC(2)))
                        {
                            var data = content.ReadConstructed(CC(2));
                            if (data.NextIs(CC(0))) data.Skip();
                            if (data.NextIs(CC(1)))
                            {
                                var vl = data.ReadConstructed(CC(1));
                                while (vl.HasData)
                                {
                                    var vi = vl.ReadConstructed(BerTag.Sequence);
                                    var tag = vi.ReadVisibleString(C(0));
                                    var vs = vi.ReadConstructed(CC(1));
                                    vars.Add((tag, MmsDataCodec.ReadData(ref vs)));
                                }
                            }
                        }
                        entries.Add(new MmsJournalEntry(id, time, vars));
                    }
                    var more = n.NextIs(C(1)) && n.ReadBoolean(C(1));
                    n.EnsureEnd();
                    return new ReadJournalResponse(entries, more);
                }
            case 72 when t.Constructed:
                {
                    var id = n.ReadInt32(C(0));
                    var attrs = ReadFileAttributes(n.ReadConstructed(CC(1)));
                    n.EnsureEnd();
                    return new FileOpenResponse(id, attrs);
                }
            case 73 when t.Constructed:
                {
                    var data = n.Read(C(0)).ToArray();
                    var more = !n.NextIs(C(1)) || n.ReadBoolean(C(1));
                    n.EnsureEnd();
                    return new FileReadResponse(data, more);
                }
            case 74 when !t.Constructed: return new FileCloseResponse();
            case 75 when !t.Constructed: return new FileRenameResponse();
            case 76 when !t.Constructed: return new FileDeleteResponse();
            case 77 when t.Constructed:
                {
                    var l = n.ReadConstructed(CC(0)).ReadConstructed(BerTag.Sequence);
                    var entries = new List<MmsDirectoryEntry>();
                    while (l.HasData)
                    {
                        var seq = l.ReadConstructed(BerTag.Sequence);
                        var name = ReadFileName(seq.ReadConstructed(CC(0)));
                        var attrs = ReadFileAttributes(seq.ReadConstructed(CC(1)));
                        entries.Add(new MmsDirectoryEntry(name, attrs));
                    }
                    var more = n.NextIs(C(1)) && n.ReadBoolean(C(1));
                    n.EnsureEnd();
                    return new FileDirectoryResponse(entries, more);
                }
            default: throw new MmsDecodeException("mms", $"ConfirmedServiceResponse choice {t} is not supported", at);
        }
    }
}

