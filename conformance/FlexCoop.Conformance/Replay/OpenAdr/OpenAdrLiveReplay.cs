using System.Net.Http.Headers;
using System.Text;
using System.Xml;
using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;

namespace FlexCoop.Conformance.Replay.OpenAdr;

/// <summary>
/// Re-sends the VEN side of captured OpenADR 2.0b conversations to a live VTN, in capture order,
/// and compares each live answer with the captured one field by field. What must differ is not
/// held against the VTN: <c>createdDateTime</c>, and the identifiers the VTN assigns
/// (registrationID, venID, eventID, requestID, reportRequestID, reportID, optID), which are mapped
/// from captured to live by position the first time they appear and must stay consistent after
/// that. Later requests are re-sent with the live identifiers in place of the captured ones.
/// Date-times the VTN derives from its clock (a report request starting "now") are compared
/// relative to when each request was sent: equal when they lie at the same offset from the send
/// time, within <see cref="ClockTolerance"/>; fixed date-times (an event's dtstart) must be equal.
/// One verdict per exchange (direction <c>live</c>) names every field that differs.
/// </summary>
public static class OpenAdrLiveReplay
{
    /// <summary>The protocol name the live verdicts carry.</summary>
    public const string ProtocolName = "OpenADR 2.0b live";

    /// <summary>Fields whose values the VTN generates: mapped captured → live rather than compared.</summary>
    private static readonly HashSet<string> AssignedIds = new(StringComparer.Ordinal)
    {
        "registrationID", "venID", "eventID", "requestID", "reportRequestID", "reportID", "eiReportID", "optID",
    };

    /// <summary>Fields that differ between any two runs.</summary>
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal) { "createdDateTime", "dtstamp" };

    /// <summary>Messages only a VTN sends: exchanges carrying them as requests are pushes, not the VEN side.</summary>
    private static readonly HashSet<string> VtnRequests = new(StringComparer.Ordinal)
    {
        "oadrDistributeEvent", "oadrRequestReregistration",
    };

    /// <summary>Messages only a VEN sends: the server of such an exchange is the VTN.</summary>
    private static readonly HashSet<string> VenRequests = new(StringComparer.Ordinal)
    {
        "oadrPoll", "oadrQueryRegistration", "oadrCreatePartyRegistration", "oadrRequestEvent", "oadrCreatedEvent", "oadrCreateOpt",
    };

    private const int MaxFindings = 20;

    /// <summary>How far a clock-derived date-time may move, relative to the send time, between capture and live run.</summary>
    public static readonly TimeSpan ClockTolerance = TimeSpan.FromSeconds(5);

    /// <summary>Re-sends and compares; <paramref name="http"/> carries the TLS settings (client certificate, trust).</summary>
    /// <param name="capture">The capture (OpenADR exchanges are used; others are ignored).</param>
    /// <param name="vtn">The live VTN's base URL, e.g. <c>https://vtn.example:8443/</c>; the captured paths are appended.</param>
    /// <param name="http">The client to send with.</param>
    /// <param name="cancellationToken">Stops the replay.</param>
    public static async Task<IReadOnlyList<MessageVerdict>> RunAsync(Capture capture, Uri vtn, HttpClient http, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(capture);
        ArgumentNullException.ThrowIfNull(vtn);
        ArgumentNullException.ThrowIfNull(http);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var verdicts = new List<MessageVerdict>();
        string? unreachable = null;
        foreach (var exchange in VenSide(capture))
        {
            var type = ElementName(exchange.RequestBody) ?? "?";
            var party = VenIdOf(exchange.RequestBody) ?? VenIdOf(exchange.ResponseBody) ?? exchange.Client;
            if (unreachable is not null)
            {
                verdicts.Add(new MessageVerdict(exchange.Seq, "live", ProtocolName, type, party, Verdict.Unreadable,
                    [new ReplayFinding("live", "not sent: " + unreachable)], exchange.Time));
                continue;
            }
            var request = Substitute(exchange.RequestBody, map);
            var started = DateTimeOffset.UtcNow;
            int status;
            byte[] answer;
            string? contentType;
            try
            {
                using var content = new ByteArrayContent(request);
                content.Headers.ContentType = new MediaTypeHeaderValue(exchange.RequestContentType?.Split(';')[0].Trim() is { Length: > 0 } media ? media : "application/xml");
                using var response = await http.PostAsync(new Uri(vtn, exchange.Path), content, cancellationToken).ConfigureAwait(false);
                status = (int)response.StatusCode;
                contentType = response.Content.Headers.ContentType?.MediaType;
                answer = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                unreachable = $"the VTN at {vtn} did not answer ({ex.Message})";
                verdicts.Add(new MessageVerdict(exchange.Seq, "live", ProtocolName, type, party, Verdict.Unreadable,
                    [new ReplayFinding("live", unreachable)], started));
                continue;
            }
            var findings = new List<ReplayFinding>();
            if (exchange.Status is { } capturedStatus && capturedStatus != status)
            {
                findings.Add(new ReplayFinding("live", $"HTTP status: captured {capturedStatus}, live {status}"));
            }
            var capturedType = exchange.ResponseContentType?.Split(';')[0].Trim();
            if (capturedType is not null && contentType is not null && !capturedType.Equals(contentType, StringComparison.OrdinalIgnoreCase))
            {
                findings.Add(new ReplayFinding("live", $"Content-Type: captured {capturedType}, live {contentType}"));
            }
            Compare(exchange.ResponseBody, answer, map, findings, started - exchange.Time);
            var liveType = ElementName(answer) ?? ElementName(exchange.ResponseBody) ?? "?";
            verdicts.Add(new MessageVerdict(exchange.Seq, "live", ProtocolName, $"{type} -> {liveType}", party,
                findings.Count == 0 ? Verdict.Pass : Verdict.Fail, findings, started)
            {
                Text = Encoding.UTF8.GetString(answer),
            });
        }
        return verdicts;
    }

    /// <summary>The exchanges a VEN started with the VTN, in capture order.</summary>
    internal static IEnumerable<CaptureExchange> VenSide(Capture capture)
    {
        var openAdr = new OpenAdrReplayProtocol();
        var exchanges = capture.Exchanges.Where(e => e.Stream is null && !e.RequestBody.IsEmpty && openAdr.Claims(e)).ToList();
        var vtnEndpoints = exchanges.Where(e => e.Server is not null && ElementName(e.RequestBody) is { } t && VenRequests.Contains(t))
            .Select(e => e.Server!).ToHashSet(StringComparer.Ordinal);
        foreach (var e in exchanges)
        {
            if (ElementName(e.RequestBody) is { } type && VtnRequests.Contains(type)) continue;
            if (vtnEndpoints.Count > 0 && e.Server is not null && !vtnEndpoints.Contains(e.Server)) continue;
            yield return e;
        }
    }

    /// <summary>The request with every captured identifier the VTN assigned replaced by its live value.</summary>
    internal static byte[] Substitute(ReadOnlyMemory<byte> request, Dictionary<string, string> map)
    {
        if (map.Count == 0) return request.ToArray();
        var text = new StringBuilder(Encoding.UTF8.GetString(request.Span));
        foreach (var (captured, live) in map)
        {
            text.Replace(">" + captured + "<", ">" + live + "<");
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Compares two messages leaf by leaf (element text and attributes, by path), mapping assigned identifiers.</summary>
    internal static void Compare(ReadOnlyMemory<byte> captured, ReadOnlyMemory<byte> live, Dictionary<string, string> map, List<ReplayFinding> findings, TimeSpan shift = default)
    {
        List<(string Path, string Name, string Value)> a, b;
        try
        {
            a = Leaves(captured);
        }
        catch (XmlException ex)
        {
            findings.Add(new ReplayFinding("live", "the captured answer is not XML: " + ex.Message));
            return;
        }
        try
        {
            b = Leaves(live);
        }
        catch (XmlException ex)
        {
            findings.Add(new ReplayFinding("live", "the live answer is not XML: " + ex.Message));
            return;
        }
        var liveByPath = b.ToDictionary(l => l.Path, l => l.Value, StringComparer.Ordinal);
        var capturedPaths = a.Select(l => l.Path).ToHashSet(StringComparer.Ordinal);
        var differences = new List<ReplayFinding>();
        foreach (var (path, name, value) in a)
        {
            if (Ignored.Contains(name)) continue;
            if (!liveByPath.TryGetValue(path, out var liveValue))
            {
                differences.Add(new ReplayFinding("live", $"captured '{value}', absent live", path));
                continue;
            }
            if (value == liveValue || SameClockTime(value, liveValue, shift)) continue;
            if (AssignedIds.Contains(name))
            {
                if (map.TryGetValue(value, out var known))
                {
                    if (known != liveValue) differences.Add(new ReplayFinding("live", $"{name} '{value}' was '{known}' live earlier, now '{liveValue}'", path));
                }
                else if (map.ContainsValue(liveValue))
                {
                    differences.Add(new ReplayFinding("live", $"{name}: live '{liveValue}' already stands for another captured value, not '{value}'", path));
                }
                else
                {
                    map[value] = liveValue;
                }
                continue;
            }
            differences.Add(new ReplayFinding("live", $"captured '{value}', live '{liveValue}'", path));
        }
        foreach (var (path, name, value) in b)
        {
            if (!capturedPaths.Contains(path) && !Ignored.Contains(name)) differences.Add(new ReplayFinding("live", $"absent in the capture, live '{value}'", path));
        }
        findings.AddRange(differences.Take(MaxFindings));
        if (differences.Count > MaxFindings) findings.Add(new ReplayFinding("live", $"{differences.Count - MaxFindings} more fields differ"));
    }

    /// <summary>True for two date-times at the same offset from their run's send time (within the tolerance).</summary>
    private static bool SameClockTime(string captured, string live, TimeSpan shift)
    {
        static bool IsDateTime(string s) => s.Length >= 19 && s[4] == '-' && s[7] == '-' && s[10] == 'T';
        if (!IsDateTime(captured) || !IsDateTime(live)) return false;
        if (!DateTimeOffset.TryParse(captured, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var a) ||
            !DateTimeOffset.TryParse(live, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var b))
        {
            return false;
        }
        return (b - (a + shift)).Duration() <= ClockTolerance;
    }

    /// <summary>Every leaf: element text (elements without element children) and attributes, with an indexed path.</summary>
    internal static List<(string Path, string Name, string Value)> Leaves(ReadOnlyMemory<byte> xml)
    {
        var leaves = new List<(string, string, string)>();
        if (xml.IsEmpty) return leaves;
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = 16 * 1024 * 1024,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
        };
        using var stream = new MemoryStream(xml.ToArray(), writable: false);
        using var reader = XmlReader.Create(stream, settings);
        // One frame per open element: its path, how many children of each name it had, whether it had element children, its text.
        var stack = new Stack<(string Path, Dictionary<string, int> Children, bool HasChildren, StringBuilder Text, string Name)>();
        const int MaxDepth = 64;
        var advance = true;
        while (advance ? reader.Read() : !reader.EOF)
        {
            advance = true;
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                {
                    if (stack.Count >= MaxDepth) throw new XmlException($"nested deeper than {MaxDepth} elements");
                    var name = reader.LocalName;
                    string path;
                    if (stack.Count == 0)
                    {
                        path = name;
                    }
                    else
                    {
                        var parent = stack.Pop();
                        parent.Children[name] = parent.Children.GetValueOrDefault(name) + 1;
                        var n = parent.Children[name];
                        path = parent.Path + "/" + name + (n > 1 ? $"[{n}]" : "");
                        stack.Push(parent with { HasChildren = true });
                    }
                    if (name == "Signature")
                    {
                        // XML signatures differ per run by construction; Skip leaves the reader on the next node.
                        reader.Skip();
                        advance = false;
                        break;
                    }
                    var empty = reader.IsEmptyElement;
                    if (reader.HasAttributes)
                    {
                        while (reader.MoveToNextAttribute())
                        {
                            if (reader.Prefix == "xmlns" || reader.LocalName == "xmlns") continue;
                            leaves.Add((path + "/@" + reader.LocalName, reader.LocalName, reader.Value));
                        }
                        reader.MoveToElement();
                    }
                    if (empty) leaves.Add((path, name, ""));
                    else stack.Push((path, new Dictionary<string, int>(StringComparer.Ordinal), false, new StringBuilder(), name));
                    break;
                }
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace:
                    if (stack.Count > 0) stack.Peek().Text.Append(reader.Value);
                    break;
                case XmlNodeType.EndElement:
                {
                    var frame = stack.Pop();
                    if (!frame.HasChildren) leaves.Add((frame.Path, frame.Name, frame.Text.ToString().Trim()));
                    break;
                }
            }
        }
        return leaves;
    }

    private static string? ElementName(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty) return null;
        try
        {
            return OadrCodec.ParseMessage(body.Span).ElementName;
        }
        catch (FlexCoop.OpenAdr.OadrFormatException)
        {
            return null;
        }
    }

    private static string? VenIdOf(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty) return null;
        try
        {
            return OadrMessageIds.VenId(OadrCodec.ParseMessage(body.Span));
        }
        catch (FlexCoop.OpenAdr.OadrFormatException)
        {
            return null;
        }
    }
}
