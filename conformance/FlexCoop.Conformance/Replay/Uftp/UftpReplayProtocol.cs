using System.Text;
using FlexCoop.Usef;
using FlexCoop.Usef.Participants;
using FlexCoop.Usef.Signing;
using FlexCoop.Usef.Validation;
using FlexCoop.Usef.Xml;

namespace FlexCoop.Conformance.Replay.Uftp;

/// <summary>
/// USEF UFTP 3.x over HTTP (<c>POST /shapeshifter/api/v3/message</c> with a <c>SignedMessage</c>).
/// Every message gets a verdict: the envelope and the sealed message parse; the Ed25519
/// signature verifies with the sender's key (when keys are given); both validate against the
/// UFTP XSDs (when a schema set is given); the business rules of
/// <see cref="UftpBusinessValidator"/> hold at the time the message was captured, with the
/// capture's earlier messages as context (duplicate MessageIDs, references to offers, requests
/// and prognoses seen earlier, revoked offers, revisions); the synchronous HTTP answer is 2xx;
/// and the conversation is consistent: a Response refers to a message seen earlier, travels back
/// to its sender in the same conversation, and every message that needs a Response gets exactly one.
/// </summary>
public sealed class UftpReplayProtocol : IReplayProtocol
{
    /// <summary>The protocol's display name.</summary>
    public const string ProtocolName = "USEF UFTP";

    private readonly Dictionary<(string Domain, UftpRole Role), IReadOnlyList<UftpPublicKey>>? _keys;
    private readonly UftpSchemaSet? _schemas;
    private readonly CaptureClock _clock = new();
    private readonly Internal.ReplayValidationContext _context = new();
    private readonly UftpBusinessValidator _validator;
    private readonly List<Entry> _entries = [];
    private readonly List<CaptureExchange> _pending = [];
    private readonly Dictionary<Guid, Entry> _awaitingResponse = [];
    private readonly UftpXmlLimits _limits = UftpXmlLimits.Default;

    /// <param name="participants">Public keys of the capture's participants; null leaves signatures unchecked.</param>
    /// <param name="schemas">The UFTP XSDs; null skips the schema check.</param>
    /// <param name="options">Market agreements; by default any ISP length and time zone, congestion points not required to be known.</param>
    public UftpReplayProtocol(IEnumerable<UftpParticipant>? participants = null, UftpSchemaSet? schemas = null, UftpValidationOptions? options = null)
    {
        _keys = participants?.GroupBy(p => (p.Domain, p.Role)).ToDictionary(g => g.Key, g => (IReadOnlyList<UftpPublicKey>)g.SelectMany(p => p.PublicKeys).ToList());
        _schemas = schemas;
        _validator = new UftpBusinessValidator(options ?? UftpValidationOptions.Default with
        {
            AgreedIspDuration = null,
            AgreedTimeZone = null,
            RequireKnownCongestionPoints = false,
        }, _context, _clock);
    }

    public string Name => ProtocolName;

    /// <summary>True when signatures are verified (participants' keys were given).</summary>
    public bool ChecksSignatures => _keys is not null;

    public bool Claims(CaptureExchange exchange)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        if (exchange.Stream is not null) return false;
        if (exchange.Path.Contains("/shapeshifter/api/", StringComparison.OrdinalIgnoreCase)) return true;
        var head = exchange.RequestBody.Span[..Math.Min(exchange.RequestBody.Length, 512)];
        return head.IndexOf("<SignedMessage"u8) >= 0;
    }

    public IEnumerable<MessageVerdict> Check(CaptureExchange exchange)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        _pending.Add(exchange);
        // Verdicts come out at the end: only then is it known whether each message was answered.
        return [];
    }

    public IEnumerable<MessageVerdict> Finish()
    {
        // What each message is on its own (envelope, XSDs, Ed25519 signature, sealed message) is judged on every core;
        // the business rules and the conversation then follow the capture's order, with the earlier messages as context.
        var entries = new Entry[_pending.Count];
        try
        {
            Parallel.For(0, entries.Length, i => entries[i] = Prepare(_pending[i]));
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerExceptions[0]);
        }
        _pending.Clear();
        foreach (var entry in entries)
        {
            Judge(entry);
            _entries.Add(entry);
        }
        foreach (var open in _awaitingResponse.Values)
        {
            var responseType = UftpMessageTypes.Get(open.Message!.MessageType).ResponseType;
            var expected = responseType is { } t ? UftpMessageTypes.Get(t).ElementName : "Response";
            open.Findings.Add(new ReplayFinding("conversation", $"no {expected} answering MessageID {open.Message.MessageId} was captured"));
        }
        _awaitingResponse.Clear();
        var verdicts = _entries.Select(e => new MessageVerdict(e.Exchange.Seq, "request", ProtocolName, e.Type, e.Party,
            e.Unreadable ? Verdict.Unreadable : e.Findings.Count == 0 ? Verdict.Pass : Verdict.Fail, e.Findings, e.Exchange.Time)
        {
            Text = e.Text,
        }).ToList();
        _entries.Clear();
        return verdicts;
    }

    private sealed class Entry(CaptureExchange exchange)
    {
        public CaptureExchange Exchange { get; } = exchange;
        public string Type { get; set; } = "?";
        public string? Party { get; set; }
        public string? Text { get; set; }
        public PayloadMessage? Message { get; set; }
        public UftpRole SenderRole { get; set; }
        public bool Unreadable { get; set; }
        public List<ReplayFinding> Findings { get; } = [];
    }

    /// <summary>The checks of one message that need nothing but the message (safe to run on several threads at once).</summary>
    private Entry Prepare(CaptureExchange exchange)
    {
        var entry = new Entry(exchange) { Party = exchange.Client };
        if (exchange.RequestBody.IsEmpty)
        {
            entry.Unreadable = true;
            entry.Findings.Add(new ReplayFinding("capture", "the request has no body"));
            return entry;
        }
        CheckHttp(exchange, entry);
        SignedMessage envelope;
        try
        {
            envelope = UftpXml.ParseSignedMessage(exchange.RequestBody, _limits);
        }
        catch (UftpFormatException ex)
        {
            entry.Findings.Add(new ReplayFinding(ex.Rule, "the request is not a SignedMessage: " + ex.Message, ex.Path));
            entry.Text = Encoding.UTF8.GetString(exchange.RequestBody.Span);
            return entry;
        }
        entry.Party = $"{envelope.SenderRole} {envelope.SenderDomain}";
        entry.SenderRole = envelope.SenderRole;
        if (_schemas is not null) AddSchemaFindings(_schemas.Validate(exchange.RequestBody), entry, "SignedMessage: ");
        if (envelope.Body.Length < UftpSigner.SignatureLength)
        {
            entry.Findings.Add(new ReplayFinding("signature", $"the Body has {envelope.Body.Length} bytes, fewer than an Ed25519 signature"));
            return entry;
        }
        var payload = envelope.Body[UftpSigner.SignatureLength..];
        entry.Text = Encoding.UTF8.GetString(payload.Span);
        if (_keys is not null) CheckSignature(envelope, entry);

        PayloadMessage message;
        try
        {
            message = UftpXml.Parse(payload, _limits);
        }
        catch (UftpFormatException ex)
        {
            entry.Findings.Add(new ReplayFinding(ex.Rule, "the sealed message does not parse: " + ex.Message, ex.Path));
            return entry;
        }
        entry.Message = message;
        var info = UftpMessageTypes.Get(message.MessageType);
        entry.Type = info.ElementName;
        if (_schemas is not null) AddSchemaFindings(_schemas.Validate(payload), entry, "");
        if (!string.Equals(envelope.SenderDomain, message.SenderDomain, StringComparison.Ordinal))
        {
            entry.Findings.Add(new ReplayFinding("sender", $"the envelope says SenderDomain {envelope.SenderDomain}, the sealed message {message.SenderDomain}", "SignedMessage/@SenderDomain"));
        }
        return entry;
    }

    /// <summary>The checks that need the earlier messages of the capture: business rules and conversation, in capture order.</summary>
    private void Judge(Entry entry)
    {
        if (entry.Message is not { } message) return;
        var exchange = entry.Exchange;

        // Business rules, judged at the time the message was captured, with the earlier messages as context.
        _clock.Now = exchange.Time;
        var validation = _validator.ValidateAsync(message, entry.SenderRole);
        if (!validation.IsCompletedSuccessfully)
        {
            // The in-memory context answers synchronously; anything else is a defect worth naming.
            throw new InvalidOperationException("the UFTP business validator did not complete synchronously on the in-memory context");
        }
        foreach (var v in validation.Result.Violations)
        {
            entry.Findings.Add(new ReplayFinding(v.Rule, v.Message, v.Path));
        }
        Conversation(message, entry);
        _context.Add(message);
    }

    private static void CheckHttp(CaptureExchange exchange, Entry entry)
    {
        if (exchange.RequestContentType is { } type)
        {
            var media = type.Split(';')[0].Trim();
            if (!media.Equals("text/xml", StringComparison.OrdinalIgnoreCase) && !media.Equals("application/xml", StringComparison.OrdinalIgnoreCase))
            {
                entry.Findings.Add(new ReplayFinding("http", $"Content-Type '{type}'; UFTP messages are posted as text/xml"));
            }
        }
        if (!exchange.Method.Equals("POST", StringComparison.OrdinalIgnoreCase))
        {
            entry.Findings.Add(new ReplayFinding("http", $"sent with {exchange.Method}; UFTP messages are POSTed"));
        }
        if (exchange.Status is { } status && status is < 200 or > 299)
        {
            var reason = exchange.ResponseBody.IsEmpty ? "" : ": " + Encoding.UTF8.GetString(exchange.ResponseBody.Span[..Math.Min(exchange.ResponseBody.Length, 300)]);
            entry.Findings.Add(new ReplayFinding("http", $"the recipient refused the message with HTTP {status}{reason}"));
        }
    }

    private void CheckSignature(SignedMessage envelope, Entry entry)
    {
        if (!_keys!.TryGetValue((envelope.SenderDomain, envelope.SenderRole), out var keys) || keys.Count == 0)
        {
            entry.Findings.Add(new ReplayFinding("signature", $"no public key is known for {envelope.SenderRole} {envelope.SenderDomain}: the signature cannot be verified"));
            return;
        }
        if (!keys.Any(k => UftpSigner.TryOpen(envelope, k, out _)))
        {
            entry.Findings.Add(new ReplayFinding("signature", $"the Ed25519 signature does not verify with any key of {envelope.SenderRole} {envelope.SenderDomain}", "SignedMessage/@Body"));
        }
    }

    private static void AddSchemaFindings(UftpValidationResult result, Entry entry, string prefix)
    {
        foreach (var v in result.Violations)
        {
            entry.Findings.Add(new ReplayFinding(v.Rule, prefix + v.Message, v.Path));
        }
    }

    /// <summary>Pairs messages with their Responses.</summary>
    private void Conversation(PayloadMessage message, Entry entry)
    {
        var info = UftpMessageTypes.Get(message.MessageType);
        if (info.IsResponse)
        {
            var referenced = message is TestMessageResponse ? FindTestMessage(message) : UftpMessageTypes.ReferencedMessageId(message);
            if (referenced is not { } id) return;
            if (!_awaitingResponse.Remove(id, out var original))
            {
                // The business rules already name a reference to an unknown message; a second answer is this check's.
                if (_entries.Any(e => e.Message?.MessageId == id))
                {
                    entry.Findings.Add(new ReplayFinding("conversation", $"message {id} was already answered; a message gets exactly one Response"));
                }
                return;
            }
            var asked = original.Message!;
            if (!string.Equals(message.RecipientDomain, asked.SenderDomain, StringComparison.Ordinal) ||
                !string.Equals(message.SenderDomain, asked.RecipientDomain, StringComparison.Ordinal))
            {
                entry.Findings.Add(new ReplayFinding("conversation", $"the Response goes from {message.SenderDomain} to {message.RecipientDomain}, but the message it answers went from {asked.SenderDomain} to {asked.RecipientDomain}"));
            }
            if (message.ConversationId != asked.ConversationId)
            {
                entry.Findings.Add(new ReplayFinding("conversation", $"ConversationID {message.ConversationId} differs from the answered message's {asked.ConversationId}", "@ConversationID"));
            }
        }
        else if (info.ResponseType is not null)
        {
            if (!_awaitingResponse.ContainsKey(message.MessageId)) _awaitingResponse[message.MessageId] = entry;
        }
    }

    /// <summary>TestMessageResponse carries no reference: it answers the open TestMessage of its conversation.</summary>
    private Guid? FindTestMessage(PayloadMessage response) =>
        _awaitingResponse.Values.FirstOrDefault(e => e.Message is TestMessage t && t.ConversationId == response.ConversationId)?.Message?.MessageId;

    /// <summary>The clock the business rules see: the capture time of the message being judged.</summary>
    private sealed class CaptureClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UnixEpoch;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
