using System.Text;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Validation;

namespace FlexCoop.Conformance.Replay.OpenAdr;

/// <summary>
/// OpenADR 2.0b over simple HTTP: every message validated on its own (schema when a schema
/// directory is given, the single-message profile rules), and the conversation of each VEN
/// checked across messages: responses echo the requestID they answer; an event's
/// modificationNumber never goes down; an <c>oadrCreatedEvent</c> answers an event that was
/// distributed to that VEN, with that distribute's requestID and the same modificationNumber;
/// an <c>oadrUpdateReport</c> answers a report request and carries only the rIDs requested;
/// HTTP headers as rule 53 wants.
/// </summary>
public sealed class OpenAdrReplayProtocol : IReplayProtocol
{
    public const string ProtocolName = "OpenADR 2.0b";
    private const string OadrNamespace = "http://openadr.org/oadr-2.0b/2012/07";

    private readonly OadrValidator _validator;
    private readonly Dictionary<string, VenConversation> _vens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, uint> _modificationNumbers = new(StringComparer.Ordinal);

    public OpenAdrReplayProtocol(OadrValidationOptions? options = null) => _validator = new OadrValidator(options);

    public string Name => ProtocolName;

    public bool Claims(CaptureExchange exchange)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        if (exchange.Path.Contains("/OpenADR2/Simple/2.0b/", StringComparison.OrdinalIgnoreCase)) return true;
        var head = exchange.RequestBody.Span[..Math.Min(exchange.RequestBody.Length, 2048)];
        return head.IndexOf(Encoding.UTF8.GetBytes(OadrNamespace)) >= 0;
    }

    public IEnumerable<MessageVerdict> Check(CaptureExchange exchange)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        var request = Read(exchange.RequestBody);
        var response = exchange.ResponseBody.IsEmpty ? null : Read(exchange.ResponseBody);
        var venId = OadrMessageIds.VenId(request.Message) ?? OadrMessageIds.VenId(response?.Message) ?? exchange.Client;
        var ven = venId is null ? null : Conversation(venId);

        var requestFindings = new List<ReplayFinding>(request.Findings);
        CheckHeaders(exchange.RequestContentType, "request", requestFindings);
        if (request.Message is { } req && ven is not null) Observe(req, ven, requestFindings);
        yield return Verdict(exchange, "request", request, venId, requestFindings);

        if (response is not null)
        {
            var responseFindings = new List<ReplayFinding>(response.Findings);
            CheckHeaders(exchange.ResponseContentType, "response", responseFindings);
            if (exchange.Status is { } status && status != 200)
            {
                responseFindings.Add(new ReplayFinding("rule 53", $"an OpenADR message answered with HTTP status {status}; simple HTTP answers 200 and puts errors in eiResponse"));
            }
            if (response.Message is { } resp)
            {
                if (request.Message is { } answered) CheckEcho(answered, resp, responseFindings);
                if (ven is not null) Observe(resp, ven, responseFindings);
            }
            yield return Verdict(exchange, "response", response, venId, responseFindings);
        }
        else if (exchange.Status is null && exchange.Unreadable is null)
        {
            yield return new MessageVerdict(exchange.Seq, "response", ProtocolName, "?", venId, Replay.Verdict.Unreadable,
                [new ReplayFinding("capture", "no response to this request was captured")], exchange.Time);
        }
    }

    public IEnumerable<MessageVerdict> Finish() => [];

    private sealed record Read_(OadrMessage? Message, IReadOnlyList<ReplayFinding> Findings);

    private Read_ Read(ReadOnlyMemory<byte> body)
    {
        var result = _validator.Validate(body, out var document);
        var findings = result.Violations
            .Where(v => v.Severity == ViolationSeverity.Error)
            .Select(v => new ReplayFinding(v.Rule, v.Message, v.Path))
            .ToList();
        return new Read_(document?.Message, findings);
    }

    private static void CheckHeaders(string? contentType, string direction, List<ReplayFinding> findings)
    {
        if (contentType is null) return; // not captured
        var media = contentType.Split(';')[0].Trim();
        if (!media.Equals("application/xml", StringComparison.OrdinalIgnoreCase))
        {
            findings.Add(new ReplayFinding("rule 53", $"the {direction}'s Content-Type is '{contentType}'; simple HTTP uses application/xml"));
        }
    }

    private static MessageVerdict Verdict(CaptureExchange exchange, string direction, Read_ read, string? party, List<ReplayFinding> findings) =>
        new(exchange.Seq, direction, ProtocolName, read.Message?.ElementName ?? "?", party,
            findings.Count == 0 ? Replay.Verdict.Pass : Replay.Verdict.Fail, findings, exchange.Time);

    private VenConversation Conversation(string venId)
    {
        if (!_vens.TryGetValue(venId, out var c))
        {
            c = new VenConversation();
            _vens[venId] = c;
        }
        return c;
    }

    /// <summary>A response to a request that carries a requestID must echo it.</summary>
    private static void CheckEcho(OadrMessage request, OadrMessage response, List<ReplayFinding> findings)
    {
        var asked = request switch
        {
            OadrQueryRegistration m => m.RequestId,
            OadrCreatePartyRegistration m => m.RequestId,
            OadrCancelPartyRegistration m => m.RequestId,
            OadrRegisterReport m => m.RequestId,
            OadrCreateReport m => m.RequestId,
            OadrUpdateReport m => m.RequestId,
            OadrCancelReport m => m.RequestId,
            OadrCreateOpt m => m.RequestId,
            OadrCancelOpt m => m.RequestId,
            OadrRequestEvent m => m.RequestId,
            _ => null,
        };
        if (asked is null) return;
        var echoed = response switch
        {
            OadrCreatedPartyRegistration m => m.EiResponse.RequestId,
            OadrCanceledPartyRegistration m => m.EiResponse.RequestId,
            OadrRegisteredReport m => m.EiResponse.RequestId,
            OadrCreatedReport m => m.EiResponse.RequestId,
            OadrUpdatedReport m => m.EiResponse.RequestId,
            OadrCanceledReport m => m.EiResponse.RequestId,
            OadrCreatedOpt m => m.EiResponse.RequestId,
            OadrCanceledOpt m => m.EiResponse.RequestId,
            OadrDistributeEvent m => m.EiResponse?.RequestId,
            OadrResponse m => m.EiResponse.RequestId,
            _ => null,
        };
        if (echoed is null) return;
        if (!string.Equals(asked, echoed, StringComparison.Ordinal))
        {
            findings.Add(new ReplayFinding("sequence", $"{response.ElementName} answers {request.ElementName} with requestID '{echoed}', but the request's requestID is '{asked}'",
                "eiResponse/requestID"));
        }
    }

    /// <summary>Updates the VEN's conversation with a message and checks it against what came before.</summary>
    private void Observe(OadrMessage message, VenConversation ven, List<ReplayFinding> findings)
    {
        switch (message)
        {
            case OadrDistributeEvent distribute:
                foreach (var e in distribute.Events)
                {
                    var d = e.EiEvent.EventDescriptor;
                    var key = distribute.VtnId + "\u0000" + d.EventId;
                    if (_modificationNumbers.TryGetValue(key, out var previous) && d.ModificationNumber < previous)
                    {
                        findings.Add(new ReplayFinding("rule 5", $"event '{d.EventId}' went from modificationNumber {previous} back to {d.ModificationNumber}; it may only grow", "eiEvent/eventDescriptor/modificationNumber"));
                    }
                    else
                    {
                        _modificationNumbers[key] = d.ModificationNumber;
                    }
                    ven.Distributed[d.EventId] = (distribute.RequestId, d.ModificationNumber);
                }
                break;
            case OadrCreatedEvent created when created.EventResponses is { } responses:
                foreach (var r in responses)
                {
                    var id = r.QualifiedEventId.EventId;
                    if (!ven.Distributed.TryGetValue(id, out var sent))
                    {
                        findings.Add(new ReplayFinding("sequence", $"oadrCreatedEvent answers event '{id}', which was never distributed to this VEN in the capture", "eventResponse/qualifiedEventID"));
                        continue;
                    }
                    if (!string.Equals(r.RequestId, sent.RequestId, StringComparison.Ordinal))
                    {
                        findings.Add(new ReplayFinding("rule 42", $"the eventResponse for '{id}' echoes requestID '{r.RequestId}', but the distribute that carried it had '{sent.RequestId}'", "eventResponse/requestID"));
                    }
                    if (r.QualifiedEventId.ModificationNumber != sent.ModificationNumber)
                    {
                        findings.Add(new ReplayFinding("sequence", $"the eventResponse for '{id}' names modificationNumber {r.QualifiedEventId.ModificationNumber}, but the event was last distributed with {sent.ModificationNumber}", "eventResponse/qualifiedEventID/modificationNumber"));
                    }
                }
                break;
            case OadrCreateReport create:
                foreach (var request in create.ReportRequests)
                {
                    ven.ReportRequests[request.ReportRequestId] = request.ReportSpecifier.SpecifierPayloads.Select(p => p.RId).ToHashSet(StringComparer.Ordinal);
                }
                break;
            case OadrRegisteredReport registered:
                foreach (var request in registered.ReportRequests)
                {
                    ven.ReportRequests[request.ReportRequestId] = request.ReportSpecifier.SpecifierPayloads.Select(p => p.RId).ToHashSet(StringComparer.Ordinal);
                }
                break;
            case OadrCancelReport cancel:
                foreach (var id in cancel.ReportRequestIds)
                {
                    ven.Cancelled.Add(id);
                }
                break;
            case OadrUpdateReport update:
                foreach (var report in update.Reports)
                {
                    if (!ven.ReportRequests.TryGetValue(report.ReportRequestId, out var rids))
                    {
                        findings.Add(new ReplayFinding("rule 314", $"oadrUpdateReport sends report request '{report.ReportRequestId}', which was never requested from this VEN in the capture", "oadrReport/reportRequestID"));
                        continue;
                    }
                    foreach (var interval in report.Intervals ?? ValueList<Interval>.Empty)
                    {
                        foreach (var payload in interval.Payloads.OfType<OadrReportPayload>())
                        {
                            if (!rids.Contains(payload.RId))
                            {
                                findings.Add(new ReplayFinding("rule 314", $"rID '{payload.RId}' was not requested in report request '{report.ReportRequestId}' (requested: {string.Join(", ", rids.Order(StringComparer.Ordinal))})", "oadrReportPayload/rID"));
                            }
                        }
                    }
                }
                break;
        }
    }

    private sealed class VenConversation
    {
        public Dictionary<string, (string RequestId, uint ModificationNumber)> Distributed { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, HashSet<string>> ReportRequests { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Cancelled { get; } = new(StringComparer.Ordinal);
    }
}
