using FlexCoop.Conformance.Certification;
using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Client;
using FlexCoop.Iec61850.Mms.Iso;

namespace FlexCoop.Conformance.Iec61850.Internal;

/// <summary>
/// Turns the TPKT packets of one association (from <see cref="MmsClientOptions.PacketInspector"/>) into
/// timeline entries of the case: one entry per TSDU with an MMS PDU summary (<c>read request #3</c>,
/// <c>confirmed-ErrorPDU #7 …</c>, <c>informationReport RPT</c>) and the PDU's octets in hex. Runs on the
/// client's I/O path: it only decodes, and a packet it cannot read becomes an entry saying so.
/// </summary>
internal sealed class MmsPduTimeline(CaseRecorder recorder, int association)
{
    private const int MaxShownOctets = 256;
    private readonly Side _sent = new();
    private readonly Side _received = new();

    private sealed class Side
    {
        public readonly Lock Gate = new();
        public readonly MemoryStream Tsdu = new();
        public bool SawFirstTsdu;
    }

    public void Inspect(MmsPduDirection direction, ReadOnlyMemory<byte> packet)
    {
        var sent = direction == MmsPduDirection.Sent;
        var side = sent ? _sent : _received;
        var way = sent ? MessageDirection.ToDevice : MessageDirection.FromDevice;
        lock (side.Gate)
        {
            var span = packet.Span;
            if (span.Length < Tpkt.HeaderLength + 2)
            {
                Add(way, "TPKT too short", span);
                return;
            }
            CotpTpdu tpdu;
            try
            {
                tpdu = Cotp.Decode(span[Tpkt.HeaderLength..]);
            }
            catch (MmsDecodeException ex)
            {
                Add(way, "COTP that does not decode: " + ex.Detail, span);
                return;
            }
            switch (tpdu)
            {
                case CotpConnectionRequest:
                    Add(way, "COTP connection request", span);
                    return;
                case CotpConnectionConfirm:
                    Add(way, "COTP connection confirm", span);
                    return;
                case CotpDisconnectRequest dr:
                    Add(way, $"COTP disconnect request (reason {dr.Reason})", span);
                    return;
                case CotpError er:
                    Add(way, $"COTP error (cause {er.Cause})", span);
                    return;
                case CotpData dt:
                    side.Tsdu.Write(span.Slice(Tpkt.HeaderLength + dt.DataOffset, dt.DataLength));
                    if (!dt.EndOfTsdu) return;
                    var tsdu = side.Tsdu.ToArray();
                    side.Tsdu.SetLength(0);
                    if (!side.SawFirstTsdu)
                    {
                        side.SawFirstTsdu = true;
                        Add(way, sent ? "associate request (session CN, AARQ, initiate-RequestPDU)" : "associate response (session AC/RF, AARE, initiate)", tsdu);
                        return;
                    }
                    Tsdu(way, tsdu);
                    return;
            }
        }
    }

    private void Tsdu(MessageDirection way, byte[] tsdu)
    {
        UpperLayerMessage message;
        try
        {
            message = MmsFraming.ReadTsdu(tsdu);
        }
        catch (MmsDecodeException ex)
        {
            Add(way, "session/presentation data that does not decode: " + ex.Detail, tsdu);
            return;
        }
        switch (message.Kind)
        {
            case UpperLayerKind.Data:
                var bytes = tsdu.AsSpan(message.Offset, message.Length);
                string label;
                try
                {
                    label = Describe(MmsPduCodec.Decode(bytes));
                }
                catch (MmsDecodeException ex)
                {
                    label = "MMS PDU that does not decode: " + ex.Detail;
                }
                Add(way, label, bytes);
                return;
            case UpperLayerKind.ReleaseRequest:
                Add(way, "release request (conclude, RLRQ)", tsdu);
                return;
            case UpperLayerKind.ReleaseResponse:
                Add(way, "release response (RLRE)", tsdu);
                return;
            default:
                Add(way, "abort (session AB)", tsdu);
                return;
        }
    }

    private void Add(MessageDirection way, string label, ReadOnlySpan<byte> bytes)
    {
        var shown = Convert.ToHexString(bytes[..Math.Min(bytes.Length, MaxShownOctets)]);
        var body = bytes.Length > MaxShownOctets ? $"{shown}\n… {bytes.Length - MaxShownOctets} more octets" : shown;
        recorder.Record(way, $"[association {association}] {label}", body);
    }

    /// <summary>A line for a decoded PDU: its type, the service and the invokeID.</summary>
    internal static string Describe(MmsPdu pdu) => pdu switch
    {
        InitiateRequestPdu => "initiate-RequestPDU",
        InitiateResponsePdu => "initiate-ResponsePDU",
        ConcludeRequestPdu => "conclude-RequestPDU",
        ConcludeResponsePdu => "conclude-ResponsePDU",
        ConfirmedRequestPdu r => $"{Service(r.Request)} request #{r.InvokeId}",
        ConfirmedResponsePdu r => $"{Service(r.Response)} response #{r.InvokeId}",
        ConfirmedErrorPdu e => $"confirmed-ErrorPDU #{e.InvokeId}: {e.Error}",
        RejectPdu r => r.OriginalInvokeId is { } id ? $"rejectPDU #{id}: {r.Reason}" : $"rejectPDU: {r.Reason}",
        InformationReportPdu r => "informationReport " + (r.Specification.VariableListName?.ToString() ?? string.Join(",", (r.Specification.Variables ?? []).Select(v => v.ToString()))),
        _ => pdu.GetType().Name,
    };

    private static string Service(object message)
    {
        var name = message.GetType().Name;
        foreach (var suffix in new[] { "Request", "Response" })
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal)) name = name[..^suffix.Length];
        }
        return name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];
    }
}
