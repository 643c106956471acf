using System.Text;
using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Iec61850.Mms.Iso;

namespace FlexCoop.Conformance.Replay.Mms.Internal;

/// <summary>Replays one captured TCP connection as an MMS association: frames, decodes and checks every PDU.</summary>
internal sealed class MmsAssociationReplay(CaptureExchange exchange)
{
    /// <summary>Largest reassembled TSDU accepted (several TPDUs with EOT only on the last).</summary>
    private const int MaxTsduBytes = 4 * 1024 * 1024;

    private readonly Side _client = new(true);
    private readonly Side _server = new(false);
    private readonly List<Pdu> _pdus = [];
    private readonly Dictionary<uint, Pdu> _outstanding = [];
    private readonly HashSet<string> _enabledRcbs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ControlState> _controls = new(StringComparer.Ordinal);

    private Phase _phase = Phase.Transport;
    private int _maxOutstanding = int.MaxValue;
    private bool _concludeRequested;

    private enum Phase { Transport, Session, Associated, Released, Closed }

    private sealed class Side(bool fromClient)
    {
        public bool FromClient { get; } = fromClient;
        public MemoryStream Pending { get; } = new();
        public MemoryStream Tsdu { get; } = new();
        public bool Broken { get; set; }
    }

    /// <summary>One PDU's verdict in the making.</summary>
    private sealed class Pdu(bool fromClient, string type, DateTimeOffset time, string text)
    {
        public bool FromClient { get; } = fromClient;
        public string Type { get; set; } = type;
        public DateTimeOffset Time { get; } = time;
        public string Text { get; } = text;
        public List<ReplayFinding> Findings { get; } = [];
        public bool Unreadable { get; set; }

        // For confirmed requests: what they asked, for matching the answer.
        public string? Service { get; set; }
        public Action<MmsResponse?>? OnAnswer { get; set; }
    }

    private sealed class ControlState
    {
        public bool Selected { get; set; }
        public bool SelectRefused { get; set; }
        public int OperatesAnswered { get; set; }
        public int Terminations { get; set; }
    }

    public IEnumerable<MessageVerdict> Run()
    {
        foreach (var chunk in exchange.Stream ?? [])
        {
            var side = chunk.FromClient ? _client : _server;
            if (side.Broken) continue;
            side.Pending.Write(chunk.Data.Span);
            Frame(side, chunk.Time);
        }
        foreach (var side in new[] { _client, _server })
        {
            if (!side.Broken && side.Pending.Length > 0)
            {
                Add(side.FromClient, "TPKT", exchange.Time, "").Findings.Add(new ReplayFinding("tpkt",
                    $"the capture ends inside a TPKT packet ({side.Pending.Length} octets of it captured)"));
            }
        }
        foreach (var request in _outstanding.Values)
        {
            request.Findings.Add(new ReplayFinding("invokeID", "this confirmed request was never answered (no response, error or reject with its invokeID in the capture)"));
        }
        var party = exchange.Client;
        return _pdus.Select(p => new MessageVerdict(exchange.Seq, p.FromClient ? "client" : "server", MmsReplayProtocol.ProtocolName, p.Type, party,
            p.Unreadable ? Verdict.Unreadable : p.Findings.Count == 0 ? Verdict.Pass : Verdict.Fail, p.Findings, p.Time) { Text = p.Text });
    }

    private Pdu Add(bool fromClient, string type, DateTimeOffset time, string text)
    {
        var pdu = new Pdu(fromClient, type, time, text);
        _pdus.Add(pdu);
        return pdu;
    }

    /// <summary>Takes every complete TPKT packet out of the side's pending bytes.</summary>
    private void Frame(Side side, DateTimeOffset time)
    {
        var buffer = side.Pending.GetBuffer();
        var length = (int)side.Pending.Length;
        var offset = 0;
        while (length - offset >= Tpkt.HeaderLength)
        {
            int packetLength;
            try
            {
                packetLength = Tpkt.ReadLength(buffer.AsSpan(offset, Tpkt.HeaderLength));
            }
            catch (MmsDecodeException ex)
            {
                var pdu = Add(side.FromClient, "TPKT", time, Hex(buffer.AsSpan(offset, Math.Min(64, length - offset))));
                pdu.Findings.Add(new ReplayFinding("tpkt", ex.Detail + "; the rest of this direction cannot be framed"));
                side.Broken = true;
                return;
            }
            if (length - offset < packetLength) break;
            Tpdu(side, buffer.AsSpan(offset + Tpkt.HeaderLength, packetLength - Tpkt.HeaderLength), time);
            offset += packetLength;
        }
        var rest = buffer.AsSpan(offset, length - offset).ToArray();
        side.Pending.SetLength(0);
        side.Pending.Write(rest);
    }

    private void Tpdu(Side side, ReadOnlySpan<byte> tpdu, DateTimeOffset time)
    {
        CotpTpdu decoded;
        try
        {
            decoded = Cotp.Decode(tpdu);
        }
        catch (MmsDecodeException ex)
        {
            Add(side.FromClient, "COTP ?", time, Hex(tpdu)).Findings.Add(new ReplayFinding("cotp", ex.Detail, $"octet {ex.Offset}"));
            return;
        }
        switch (decoded)
        {
            case CotpConnectionRequest cr:
            {
                var pdu = Add(side.FromClient, "COTP CR", time, cr.ToString());
                if (!side.FromClient) pdu.Findings.Add(new ReplayFinding("association", "the server sent a connection request"));
                else if (_phase != Phase.Transport) pdu.Findings.Add(new ReplayFinding("association", "a second connection request on an open transport connection"));
                break;
            }
            case CotpConnectionConfirm cc:
            {
                var pdu = Add(side.FromClient, "COTP CC", time, cc.ToString());
                if (side.FromClient) pdu.Findings.Add(new ReplayFinding("association", "the client sent a connection confirm"));
                else if (_phase != Phase.Transport) pdu.Findings.Add(new ReplayFinding("association", "a connection confirm without a pending connection request"));
                else _phase = Phase.Session;
                break;
            }
            case CotpDisconnectRequest dr:
                Add(side.FromClient, "COTP DR", time, dr.ToString());
                _phase = Phase.Closed;
                break;
            case CotpError er:
                Add(side.FromClient, "COTP ER", time, er.ToString()).Findings.Add(new ReplayFinding("cotp", $"TPDU error, cause {er.Cause}"));
                break;
            case CotpData dt:
                if (side.Tsdu.Length + dt.DataLength > MaxTsduBytes)
                {
                    Add(side.FromClient, "COTP DT", time, "").Findings.Add(new ReplayFinding("cotp", $"a TSDU larger than {MaxTsduBytes} octets"));
                    side.Tsdu.SetLength(0);
                    side.Broken = true;
                    return;
                }
                side.Tsdu.Write(tpdu.Slice(dt.DataOffset, dt.DataLength));
                if (dt.EndOfTsdu)
                {
                    var tsdu = side.Tsdu.ToArray();
                    side.Tsdu.SetLength(0);
                    Tsdu(side.FromClient, tsdu, time);
                }
                break;
        }
    }

    private void Tsdu(bool fromClient, byte[] tsdu, DateTimeOffset time)
    {
        if (_phase == Phase.Transport)
        {
            Add(fromClient, "COTP DT", time, Hex(tsdu)).Findings.Add(new ReplayFinding("association", "data before the transport connection was confirmed (COTP CR/CC)"));
            return;
        }
        if (_phase == Phase.Session)
        {
            if (fromClient) AssociateRequest(tsdu, time);
            else AssociateResponse(tsdu, time);
            return;
        }
        UpperLayerMessage message;
        try
        {
            message = MmsFraming.ReadTsdu(tsdu);
        }
        catch (MmsDecodeException ex)
        {
            Add(fromClient, "?", time, Hex(tsdu)).Findings.Add(new ReplayFinding(ex.Layer, ex.Detail, $"octet {ex.Offset}"));
            return;
        }
        switch (message.Kind)
        {
            case UpperLayerKind.Data:
            {
                var bytes = tsdu.AsSpan(message.Offset, message.Length);
                MmsPdu pdu;
                try
                {
                    pdu = MmsPduCodec.Decode(bytes);
                }
                catch (MmsDecodeException ex)
                {
                    Add(fromClient, "MMS ?", time, Hex(bytes)).Findings.Add(new ReplayFinding(ex.Layer, ex.Detail, $"octet {ex.Offset}"));
                    return;
                }
                var entry = Add(fromClient, Describe(pdu), time, Show(pdu, bytes));
                if (message.ContextId != IsoPresentation.MmsContextId)
                {
                    entry.Findings.Add(new ReplayFinding("presentation", $"MMS data in presentation context {message.ContextId}, not the MMS context {IsoPresentation.MmsContextId}"));
                }
                if (_phase != Phase.Associated)
                {
                    entry.Findings.Add(new ReplayFinding("association", $"an MMS PDU after the association was {(_phase == Phase.Released ? "released" : "closed")}"));
                }
                Observe(fromClient, pdu, entry);
                break;
            }
            case UpperLayerKind.ReleaseRequest:
            {
                var entry = Add(fromClient, "release-request (RLRQ)", time, Hex(tsdu));
                if (!fromClient) entry.Findings.Add(new ReplayFinding("association", "the server asked for an ACSE release; in IEC 61850 only the client releases"));
                break;
            }
            case UpperLayerKind.ReleaseResponse:
            {
                var entry = Add(fromClient, "release-response (RLRE)", time, Hex(tsdu));
                if (fromClient) entry.Findings.Add(new ReplayFinding("association", "the client sent a release response"));
                _phase = Phase.Released;
                break;
            }
            case UpperLayerKind.Abort:
                Add(fromClient, "abort (ABRT)", time, Hex(tsdu));
                _phase = Phase.Closed;
                // An abort answers nothing: requests still open stay unanswered, by design of the abort.
                foreach (var open in _outstanding.Values) open.Findings.Add(new ReplayFinding("invokeID", "the association was aborted before this request was answered"));
                _outstanding.Clear();
                break;
        }
    }

    private void AssociateRequest(byte[] tsdu, DateTimeOffset time)
    {
        var entry = Add(true, "associate-request (AARQ)", time, Hex(tsdu));
        try
        {
            var spdu = IsoSession.Decode(tsdu);
            if (spdu.Type != SpduType.Connect)
            {
                entry.Type = $"session {spdu.Type}";
                entry.Findings.Add(new ReplayFinding("association", $"session {spdu.Type} before the association: the initiate-RequestPDU in a CN SPDU comes before anything else"));
                return;
            }
            var cp = IsoPresentation.DecodeConnect(tsdu.AsSpan(spdu.UserDataOffset, spdu.UserDataLength));
            if (!cp.Contexts.Any(c => c.AbstractSyntax == IsoPresentation.MmsAbstractSyntax))
            {
                entry.Findings.Add(new ReplayFinding("presentation", "the CP-type proposes no MMS abstract syntax (1.0.9506.2.1)"));
            }
            var aarq = Acse.DecodeAarq(cp.UserData);
            if (aarq.ApplicationContextName != Acse.MmsApplicationContextName)
            {
                entry.Findings.Add(new ReplayFinding("acse", $"application context {aarq.ApplicationContextName}, not MMS ({Acse.MmsApplicationContextName})"));
            }
            var initiate = MmsPduCodec.Decode(aarq.UserData);
            entry.Type = "associate-request (AARQ) " + Describe(initiate);
            if (initiate is InitiateRequestPdu request)
            {
                _maxOutstanding = Math.Max(1, request.Parameters.MaxServOutstandingCalling);
            }
            else
            {
                entry.Findings.Add(new ReplayFinding("initiate", $"the AARQ carries {Describe(initiate)}, not an initiate-RequestPDU"));
            }
        }
        catch (MmsDecodeException ex)
        {
            entry.Findings.Add(new ReplayFinding(ex.Layer, ex.Detail, $"octet {ex.Offset}"));
        }
    }

    private void AssociateResponse(byte[] tsdu, DateTimeOffset time)
    {
        var entry = Add(false, "associate-response (AARE)", time, Hex(tsdu));
        if (!_pdus.Any(p => p.FromClient && p.Type.StartsWith("associate-request", StringComparison.Ordinal)))
        {
            entry.Findings.Add(new ReplayFinding("association", "the server answered before the client sent an associate request"));
        }
        try
        {
            var spdu = IsoSession.Decode(tsdu);
            switch (spdu.Type)
            {
                case SpduType.Refuse:
                    entry.Type = "associate-refused (session RF)";
                    _phase = Phase.Closed;
                    return;
                case SpduType.Accept:
                    break;
                default:
                    entry.Type = $"session {spdu.Type}";
                    entry.Findings.Add(new ReplayFinding("association", $"session {spdu.Type} where AC (accept) or RF (refuse) answers the connect"));
                    return;
            }
            var cpa = IsoPresentation.DecodeAccept(tsdu.AsSpan(spdu.UserDataOffset, spdu.UserDataLength));
            var aare = Acse.DecodeAare(cpa.UserData);
            if (aare.Result != 0)
            {
                entry.Type = $"associate-rejected (AARE result {aare.Result}, diagnostic {aare.Diagnostic})";
                _phase = Phase.Closed;
                return;
            }
            var initiate = MmsPduCodec.Decode(aare.UserData);
            entry.Type = "associate-response (AARE) " + Describe(initiate);
            switch (initiate)
            {
                case InitiateResponsePdu response:
                    _maxOutstanding = Math.Max(1, Math.Min(_maxOutstanding, response.Parameters.MaxServOutstandingCalling));
                    _phase = Phase.Associated;
                    break;
                case InitiateErrorPdu:
                    _phase = Phase.Closed;
                    break;
                default:
                    entry.Findings.Add(new ReplayFinding("initiate", $"the AARE carries {Describe(initiate)}, not an initiate-ResponsePDU or initiate-ErrorPDU"));
                    break;
            }
        }
        catch (MmsDecodeException ex)
        {
            entry.Findings.Add(new ReplayFinding(ex.Layer, ex.Detail, $"octet {ex.Offset}"));
        }
    }

    private void Observe(bool fromClient, MmsPdu pdu, Pdu entry)
    {
        switch (pdu)
        {
            case InitiateRequestPdu or InitiateResponsePdu or InitiateErrorPdu:
                entry.Findings.Add(new ReplayFinding("initiate", "initiate is only carried in the AARQ/AARE of the association"));
                break;
            case ConfirmedRequestPdu request:
                if (!fromClient)
                {
                    entry.Findings.Add(new ReplayFinding("association", "the server sent a confirmed request; in IEC 61850 the client asks"));
                    break;
                }
                if (_concludeRequested) entry.Findings.Add(new ReplayFinding("association", "a confirmed request after conclude-RequestPDU"));
                if (_outstanding.ContainsKey(request.InvokeId))
                {
                    entry.Findings.Add(new ReplayFinding("invokeID", $"invokeID {request.InvokeId} is already used by a request that is still outstanding"));
                    break;
                }
                if (_outstanding.Count >= _maxOutstanding)
                {
                    entry.Findings.Add(new ReplayFinding("initiate", $"{_outstanding.Count + 1} requests outstanding, more than the {_maxOutstanding} negotiated in initiate"));
                }
                entry.Service = ServiceName(request.Request);
                entry.OnAnswer = ControlAndReporting(request.Request, entry);
                _outstanding[request.InvokeId] = entry;
                break;
            case ConfirmedResponsePdu response:
                Answer(fromClient, response.InvokeId, entry, ServiceName(response.Response), response.Response);
                break;
            case ConfirmedErrorPdu error:
                Answer(fromClient, error.InvokeId, entry, null, null);
                break;
            case RejectPdu reject:
                if (reject.OriginalInvokeId is { } id && reject.Reason.PduKind == MmsRejectReason.ConfirmedRequest)
                {
                    Answer(fromClient, id, entry, null, null);
                }
                break;
            case ConcludeRequestPdu:
                if (!fromClient) entry.Findings.Add(new ReplayFinding("association", "the server sent conclude-RequestPDU"));
                if (_outstanding.Count > 0) entry.Findings.Add(new ReplayFinding("association", $"conclude while {_outstanding.Count} request(s) are outstanding"));
                _concludeRequested = true;
                break;
            case ConcludeResponsePdu:
                if (!_concludeRequested) entry.Findings.Add(new ReplayFinding("association", "conclude-ResponsePDU without a conclude-RequestPDU"));
                break;
            case InformationReportPdu report:
                if (fromClient)
                {
                    entry.Findings.Add(new ReplayFinding("reporting", "the client sent an informationReport"));
                    break;
                }
                InformationReport(report, entry);
                break;
        }
    }

    private void Answer(bool fromClient, uint invokeId, Pdu entry, string? service, MmsResponse? response)
    {
        if (fromClient)
        {
            entry.Findings.Add(new ReplayFinding("association", "the client sent an answer to a confirmed request; in IEC 61850 the server answers"));
            return;
        }
        if (!_outstanding.Remove(invokeId, out var request))
        {
            entry.Findings.Add(new ReplayFinding("invokeID", $"no outstanding request has invokeID {invokeId}: an answer without a request, or a second answer"));
            return;
        }
        if (service is not null && request.Service is not null && service != request.Service)
        {
            entry.Findings.Add(new ReplayFinding("invokeID", $"a {service} response answers invokeID {invokeId}, which asked for {request.Service}"));
            return;
        }
        request.OnAnswer?.Invoke(response);
    }

    /// <summary>What to record when the request is answered: RCB enables and control steps succeed only with a positive answer.</summary>
    private Action<MmsResponse?>? ControlAndReporting(MmsRequest request, Pdu entry)
    {
        switch (request)
        {
            case WriteRequest { Specification.Variables: { } names } write:
            {
                var steps = new List<Action<bool>>();
                for (var i = 0; i < names.Count && i < write.Data.Count; i++)
                {
                    var name = names[i];
                    var item = name.ItemId;
                    var value = write.Data[i];
                    if (item.EndsWith("$RptEna", StringComparison.Ordinal) && value is MmsBoolean enable)
                    {
                        var rcb = $"{name.DomainId}/{item[..^"$RptEna".Length]}";
                        steps.Add(ok =>
                        {
                            if (!ok) return;
                            if (enable.Value) _enabledRcbs.Add(rcb); else _enabledRcbs.Remove(rcb);
                        });
                    }
                    else if (ControlObject(name, "$SBOw") is { } sbow)
                    {
                        steps.Add(ok => Select(sbow, ok));
                    }
                    else if (ControlObject(name, "$Oper") is { } oper)
                    {
                        var state = Control(oper);
                        if (state.SelectRefused && !state.Selected)
                        {
                            entry.Findings.Add(new ReplayFinding("control", $"operate on {oper} after its select was refused"));
                        }
                        steps.Add(ok =>
                        {
                            if (ok) state.OperatesAnswered++;
                            state.Selected = false;
                        });
                    }
                    else if (ControlObject(name, "$Cancel") is { } cancel)
                    {
                        var state = Control(cancel);
                        if (!state.Selected && state.OperatesAnswered <= state.Terminations)
                        {
                            entry.Findings.Add(new ReplayFinding("control", $"cancel of {cancel}, which is neither selected nor operating"));
                        }
                        steps.Add(ok =>
                        {
                            if (ok) state.Selected = false;
                        });
                    }
                }
                if (steps.Count == 0) return null;
                return response =>
                {
                    var results = (response as WriteResponse)?.Results;
                    for (var i = 0; i < steps.Count; i++)
                    {
                        steps[i](results is not null && (results.Count == 1 ? results[0] is null : i < results.Count && results[i] is null));
                    }
                };
            }
            case ReadRequest { Specification.Variables: { Count: 1 } names } when ControlObject(names[0], "$SBO") is { } sbo:
                // Select of normal-security SBO: reading SBO returns the object reference when the select succeeds.
                return response => Select(sbo, response is ReadResponse { Results: [{ Value: MmsVisibleString { Value.Length: > 0 } }] });
            default:
                return null;
        }
    }

    private void Select(string controlObject, bool ok)
    {
        var state = Control(controlObject);
        state.Selected = ok;
        state.SelectRefused = !ok;
    }

    private ControlState Control(string controlObject)
    {
        if (!_controls.TryGetValue(controlObject, out var state))
        {
            state = new ControlState();
            _controls[controlObject] = state;
        }
        return state;
    }

    /// <summary>For <c>LN$CO$DO$Oper</c> (or <c>$SBOw</c>, <c>$Cancel</c>, <c>$SBO</c>), the control object <c>LD/LN$DO</c>; otherwise null.</summary>
    private static string? ControlObject(ObjectName name, string suffix)
    {
        var item = name.ItemId;
        if (!item.EndsWith(suffix, StringComparison.Ordinal) || !item.Contains("$CO$", StringComparison.Ordinal)) return null;
        return $"{name.DomainId}/{item[..^suffix.Length].Replace("$CO$", "$", StringComparison.Ordinal)}";
    }

    private void InformationReport(InformationReportPdu report, Pdu entry)
    {
        if (report.Specification.VariableListName is { Scope: MmsScope.VmdSpecific, ItemId: "RPT" })
        {
            try
            {
                var parsed = Iec61850Report.Parse(report);
                if (parsed is not null) entry.Type = $"informationReport RPT {parsed.RptId}";
            }
            catch (MmsDecodeException ex)
            {
                entry.Findings.Add(new ReplayFinding("reporting", "not an IEC 61850-8-1 report: " + ex.Detail));
            }
            if (_enabledRcbs.Count == 0)
            {
                entry.Findings.Add(new ReplayFinding("reporting", "a report while no report control block is enabled on this association (no successful RptEna=true write before it)"));
            }
            return;
        }
        // CommandTermination: an informationReport of the control object's Oper (and LastApplError when negative).
        foreach (var name in report.Specification.Variables ?? [])
        {
            if (ControlObject(name, "$Oper") is not { } controlObject) continue;
            entry.Type = $"informationReport CommandTermination {controlObject}";
            var state = Control(controlObject);
            if (state.OperatesAnswered <= state.Terminations)
            {
                entry.Findings.Add(new ReplayFinding("control", $"CommandTermination for {controlObject} without a successful operate it could end"));
            }
            else
            {
                state.Terminations++;
            }
        }
    }

    private static string Describe(MmsPdu pdu) => pdu switch
    {
        InitiateRequestPdu => "initiate-RequestPDU",
        InitiateResponsePdu => "initiate-ResponsePDU",
        InitiateErrorPdu => "initiate-ErrorPDU",
        ConcludeRequestPdu => "conclude-RequestPDU",
        ConcludeResponsePdu => "conclude-ResponsePDU",
        ConfirmedRequestPdu r => $"{ServiceName(r.Request)} request #{r.InvokeId}",
        ConfirmedResponsePdu r => $"{ServiceName(r.Response)} response #{r.InvokeId}",
        ConfirmedErrorPdu e => $"confirmed-ErrorPDU #{e.InvokeId} {e.Error}",
        RejectPdu r => r.OriginalInvokeId is { } id ? $"rejectPDU #{id} ({r.Reason})" : $"rejectPDU ({r.Reason})",
        InformationReportPdu => "informationReport",
        _ => pdu.GetType().Name,
    };

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, string> ServiceNames = new();

    /// <summary>The ISO 9506 service name from the request or response type: <c>ReadRequest</c> → <c>read</c> (worked out once per type).</summary>
    private static string ServiceName(object message) => ServiceNames.GetOrAdd(message.GetType(), static type => ServiceNameOf(type));

    private static string ServiceNameOf(Type type)
    {
        var name = type.Name;
        if (name.EndsWith("Request", StringComparison.Ordinal)) name = name[..^"Request".Length];
        else if (name.EndsWith("Response", StringComparison.Ordinal)) name = name[..^"Response".Length];
        return name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];
    }

    private static string Show(MmsPdu pdu, ReadOnlySpan<byte> bytes)
    {
        var text = pdu switch
        {
            ConfirmedRequestPdu { Request: ReadRequest r } => "read " + Names(r.Specification),
            ConfirmedRequestPdu { Request: WriteRequest w } => "write " + Names(w.Specification) + " := " + string.Join(", ", w.Data.Select(d => d.Format())),
            ConfirmedResponsePdu { Response: ReadResponse r } => "read results: " + string.Join(", ", r.Results),
            ConfirmedResponsePdu { Response: WriteResponse w } => "write results: " + string.Join(", ", w.Results.Select(e => e?.ToString() ?? "success")),
            InformationReportPdu r => "informationReport " + Names(r.Specification) + ": " + string.Join(", ", r.Results),
            _ => pdu.ToString(),
        };
        return text + "\n" + Hex(bytes);
    }

    private static string Names(VariableAccessSpecification s) =>
        s.VariableListName is { } list ? "list " + list : string.Join(", ", (s.Variables ?? []).Select(n => n.ToString()));

    /// <summary>The first octets as hex, 32 per line (one hex conversion; cheap enough to make for every PDU).</summary>
    private static string Hex(ReadOnlySpan<byte> bytes)
    {
        const int Max = 512, PerLine = 32;
        var shown = Math.Min(bytes.Length, Max);
        var hex = Convert.ToHexString(bytes[..shown]);
        var lines = (hex.Length + 2 * PerLine - 1) / (2 * PerLine);
        var more = bytes.Length > Max ? $"\n... {bytes.Length - Max} more octets" : "";
        return string.Create(hex.Length + lines + more.Length, (hex, more), static (span, state) =>
        {
            var (h, tail) = state;
            var o = 0;
            for (var i = 0; i < h.Length; i += 2 * PerLine)
            {
                var n = Math.Min(2 * PerLine, h.Length - i);
                h.AsSpan(i, n).CopyTo(span[o..]);
                o += n;
                span[o++] = '\n';
            }
            tail.AsSpan().CopyTo(span[o..]);
        });
    }
}
