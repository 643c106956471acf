namespace FlexCoop.Conformance.Replay;

/// <summary>What replay concluded about one message.</summary>
public enum Verdict
{
    /// <summary>Valid, and consistent with the conversation so far.</summary>
    Pass,
    /// <summary>Breaks at least one rule.</summary>
    Fail,
    /// <summary>Could not be read (e.g. TLS without a key log, a body missing from the capture).</summary>
    Unreadable,
    /// <summary>Not a message of a protocol replay knows.</summary>
    NotChecked,
}

/// <summary>One rule a message breaks: the rule's name (<c>xsd</c>, <c>rule 42</c>, <c>sequence</c>, ...), a sentence, and where.</summary>
public sealed record ReplayFinding(string Rule, string Message, string Location = "")
{
    public override string ToString() => Location.Length > 0 ? $"{Rule}: {Message} (at {Location})" : $"{Rule}: {Message}";
}

/// <summary>The verdict on one message of a capture.</summary>
/// <param name="Seq">The exchange's position in the capture.</param>
/// <param name="Direction"><c>request</c> or <c>response</c>.</param>
/// <param name="Protocol">e.g. <c>OpenADR 2.0b</c>.</param>
/// <param name="MessageType">e.g. <c>oadrPoll</c>; <c>?</c> when unreadable.</param>
/// <param name="Party">The VEN (or other participant) whose conversation this belongs to, when known.</param>
/// <param name="Verdict">Pass, fail, unreadable or not checked.</param>
/// <param name="Findings">The rules broken; empty on a pass.</param>
/// <param name="Time">When the exchange was sent.</param>
public sealed record MessageVerdict(
    int Seq,
    string Direction,
    string Protocol,
    string MessageType,
    string? Party,
    Verdict Verdict,
    IReadOnlyList<ReplayFinding> Findings,
    DateTimeOffset Time)
{
    /// <summary>The message as a reader wants to see it in a report (decoded text, hex), when the protocol provides it.</summary>
    public string? Text { get; init; }
}

/// <summary>
/// A protocol replay can check. Implementations keep the conversation state of one capture:
/// <see cref="Check"/> is called for every exchange the protocol claims, in capture order.
/// </summary>
public interface IReplayProtocol
{
    /// <summary>Display name, e.g. <c>OpenADR 2.0b</c>.</summary>
    string Name { get; }

    /// <summary>True when the exchange belongs to this protocol.</summary>
    bool Claims(CaptureExchange exchange);

    /// <summary>The verdicts for the exchange's messages (request first, then response).</summary>
    IEnumerable<MessageVerdict> Check(CaptureExchange exchange);

    /// <summary>Verdicts that only the end of the capture can give (e.g. a request never answered).</summary>
    IEnumerable<MessageVerdict> Finish();
}

/// <summary>The outcome of replaying one capture.</summary>
public sealed record ReplayReport(string Source, IReadOnlyList<MessageVerdict> Verdicts)
{
    public int Count(Verdict verdict) => Verdicts.Count(v => v.Verdict == verdict);

    /// <summary>True when no message failed and none was unreadable.</summary>
    public bool AllPassed => Verdicts.All(v => v.Verdict is Verdict.Pass or Verdict.NotChecked);
}

/// <summary>Runs a capture through the protocols that claim its exchanges.</summary>
public static class ReplayEngine
{
    public static ReplayReport Run(Capture capture, IReadOnlyList<IReplayProtocol> protocols)
    {
        ArgumentNullException.ThrowIfNull(capture);
        ArgumentNullException.ThrowIfNull(protocols);
        var verdicts = new List<MessageVerdict>();
        foreach (var exchange in capture.Exchanges)
        {
            if (exchange.Unreadable is { } why && exchange.RequestBody.IsEmpty)
            {
                verdicts.Add(new MessageVerdict(exchange.Seq, "request", "?", "?", exchange.Client, Verdict.Unreadable,
                    [new ReplayFinding("capture", why)], exchange.Time));
                continue;
            }
            var protocol = protocols.FirstOrDefault(p => p.Claims(exchange));
            if (protocol is null)
            {
                var what = exchange.Stream is null ? $"{exchange.Method} {exchange.Path}" : $"TCP {exchange.Client} -> {exchange.Server}";
                verdicts.Add(new MessageVerdict(exchange.Seq, "request", "?", what, exchange.Client,
                    Verdict.NotChecked, [], exchange.Time));
                continue;
            }
            verdicts.AddRange(protocol.Check(exchange));
        }
        foreach (var protocol in protocols)
        {
            verdicts.AddRange(protocol.Finish());
        }
        // Protocols that can only judge at the end hand their verdicts over late: put them back in capture order (stable).
        return new ReplayReport(capture.Source, verdicts.OrderBy(v => v.Seq).ToList());
    }
}
