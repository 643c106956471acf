using FlexCoop.Conformance.Replay.Mms.Internal;

namespace FlexCoop.Conformance.Replay.Mms;

/// <summary>
/// IEC 61850 over MMS (ISO 9506 on RFC 1006, TCP port 102). Every PDU of every captured
/// association gets a verdict: TPKT, COTP, session, presentation, ACSE and MMS decode with the
/// FlexCoop.Iec61850.Mms codecs; the association starts with COTP CR/CC and an AARQ carrying the
/// initiate-RequestPDU before anything else; every confirmed-RequestPDU's invokeID is answered
/// exactly once, by a response of the same service, an error or a reject, and no response comes
/// without its request; no more requests are outstanding than initiate negotiated; reports
/// (informationReport on <c>RPT</c>) decode as IEC 61850-8-1 reports and come only while a report
/// control block is enabled on the association; controls keep the order select → operate →
/// CommandTermination.
/// </summary>
public sealed class MmsReplayProtocol : IReplayProtocol
{
    /// <summary>The protocol's display name.</summary>
    public const string ProtocolName = "IEC 61850 MMS";

    /// <summary>The ISO transport port of RFC 1006.</summary>
    public const int DefaultPort = 102;

    private readonly IReadOnlySet<int> _ports;

    /// <summary>Claims TCP connections to <paramref name="ports"/> (default 102) and any that starts with a TPKT header.</summary>
    public MmsReplayProtocol(IEnumerable<int>? ports = null) => _ports = (ports ?? [DefaultPort]).ToHashSet();

    public string Name => ProtocolName;

    public bool Claims(CaptureExchange exchange)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        if (exchange.Stream is not { Count: > 0 } stream) return false;
        if (exchange.Server is { } server && System.Net.IPEndPoint.TryParse(server, out var endpoint) && _ports.Contains(endpoint.Port)) return true;
        var first = stream.FirstOrDefault(c => c.FromClient);
        // TPKT version 3, reserved 0, then a COTP CR (0xE0).
        return first is not null && first.Data.Length >= 6 && first.Data.Span[0] == 3 && first.Data.Span[1] == 0 && (first.Data.Span[5] & 0xF0) == 0xE0;
    }

    public IEnumerable<MessageVerdict> Check(CaptureExchange exchange)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        return new MmsAssociationReplay(exchange).Run();
    }

    public IEnumerable<MessageVerdict> Finish() => [];
}
