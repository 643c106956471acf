using System.Net.Http.Headers;
using System.Text;
using FlexCoop.Conformance.Certification;
using FlexCoop.Usef;
using FlexCoop.Usef.Participants;
using FlexCoop.Usef.Signing;
using FlexCoop.Usef.Transport;
using FlexCoop.Usef.Validation;
using FlexCoop.Usef.Xml;

namespace FlexCoop.Conformance.Uftp;

/// <summary>One message the participant sent to the suite, with what the suite found wrong with it.</summary>
/// <param name="ReceivedAt">When it arrived.</param>
/// <param name="Envelope">The SignedMessage, when it could be read.</param>
/// <param name="Message">The sealed message, when it could be read (also when the signature did not verify).</param>
/// <param name="Problems">Signature, addressing, schema or format problems; empty when the message is sound.</param>
public sealed record UftpInboundMessage(DateTimeOffset ReceivedAt, SignedMessage? Envelope, PayloadMessage? Message, IReadOnlyList<string> Problems);

/// <summary>What the participant answered synchronously to one POST.</summary>
/// <param name="StatusCode">The HTTP status; 0 when the participant could not be reached.</param>
/// <param name="Detail">The reason text it gave, or the network error.</param>
public sealed record UftpPostResult(int StatusCode, string? Detail)
{
    /// <summary>2xx.</summary>
    public bool IsSuccess => StatusCode is >= 200 and < 300;

    /// <summary>4xx: the message was refused synchronously.</summary>
    public bool IsRefused => StatusCode is >= 400 and < 500;

    public override string ToString() => StatusCode == 0 ? $"no HTTP answer ({Detail})" : $"HTTP {StatusCode}{(string.IsNullOrEmpty(Detail) ? "" : ": " + Detail)}";
}

/// <summary>
/// The suite's side of a run: it plays the counterpart of the participant under test (the DSO for an
/// AGR, the AGR for a DSO), sends signed messages — valid or broken on purpose — to the participant's
/// endpoint, and receives the participant's Responses and messages at its own endpoint, where each is
/// verified (signature with the participant's key, sender domain and role, recipient, schema). The
/// participant's own requests are answered with an accepting Response, as a real counterpart would.
/// </summary>
public sealed class UftpSuiteSession : IAsyncDisposable
{
    private readonly UftpSuiteOptions _options;
    private readonly HttpClient _http;
    private readonly UftpHttpSender _sender;
    private readonly object _lock = new();
    private readonly List<UftpInboundMessage> _inbound = [];
    private readonly List<(Func<UftpInboundMessage, bool> Match, TaskCompletionSource<UftpInboundMessage> Done)> _waiters = [];
    private readonly List<Task> _answers = [];
    private readonly HashSet<UftpInboundMessage> _claimed = new(ReferenceEqualityComparer.Instance);
    private readonly CancellationTokenSource _stop = new();
    private readonly TimeZoneInfo _zone;
    private UftpHttpServer? _server;
    private IReadOnlyList<UftpPublicKey>? _participantKeys;
    private CaseRecorder? _recorder;
    private long _revision;
    private int _dayOffset = 1;

    private UftpSuiteSession(UftpSuiteOptions options, TimeZoneInfo zone)
    {
        _options = options;
        _zone = zone;
        _sender = new UftpHttpSender(new UftpSenderOptions { TrustedServerCertificates = options.TrustedServerCertificates, Timeout = options.ResponseTimeout });
        var pinned = options.TrustedServerCertificates.Select(c => c.Thumbprint).ToHashSet(StringComparer.OrdinalIgnoreCase);
        _http = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = new System.Net.Security.SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => errors == System.Net.Security.SslPolicyErrors.None || (certificate is not null && pinned.Contains(certificate.GetCertHashString())),
            },
        })
        { Timeout = options.ResponseTimeout };
        // Revisions grow across runs against the same participant: start from the clock.
        _revision = DateTimeOffset.UtcNow.ToUnixTimeSeconds() * 100;
    }

    /// <summary>The settings of the run.</summary>
    public UftpSuiteOptions Options => _options;

    /// <summary>The role the suite plays: DSO against an AGR, AGR against a DSO.</summary>
    public UftpRole SuiteRole => _options.Role == UftpRole.AGR ? UftpRole.DSO : UftpRole.AGR;

    /// <summary>Where the participant sends its Responses and messages.</summary>
    public Uri SuiteEndpoint => _server?.MessageEndpoint ?? throw new InvalidOperationException("not started");

    /// <summary>Every message received from the participant so far.</summary>
    public IReadOnlyList<UftpInboundMessage> Inbound
    {
        get
        {
            lock (_lock) return [.. _inbound];
        }
    }

    /// <summary>Starts the suite's endpoint.</summary>
    public static async Task<UftpSuiteSession> StartAsync(UftpSuiteOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Role is not (UftpRole.AGR or UftpRole.DSO)) throw new ArgumentException("the suite checks AGR and DSO participants", nameof(options));
        if (!UftpIspCalendar.TryFindTimeZone(options.TimeZone, out var zone)) throw new ArgumentException($"unknown time zone {options.TimeZone}", nameof(options));
        var session = new UftpSuiteSession(options, zone!);
        session._server = await UftpHttpServer.StartAsync(new UftpServerOptions { Listen = options.Listen, Certificate = options.Certificate }, session.ReceiveAsync, cancellationToken).ConfigureAwait(false);
        return session;
    }

    // ---- evidence ----

    /// <summary>From now on, what is sent and received goes to <paramref name="recorder"/>'s timeline (one case at a time).</summary>
    public void BeginCase(CaseRecorder recorder) => Volatile.Write(ref _recorder, recorder);

    /// <summary>Stops recording for the case that ended.</summary>
    public void EndCase() => Volatile.Write(ref _recorder, null);

    private void Record(MessageDirection direction, string label, string body) => Volatile.Read(ref _recorder)?.Record(direction, label, body);

    private static string Text(ReadOnlySpan<byte> bytes) => bytes.Length > 64 * 1024 ? Encoding.UTF8.GetString(bytes[..(64 * 1024)]) + "\n… (cut)" : Encoding.UTF8.GetString(bytes);

    private static string Describe(PayloadMessage m) => $"{UftpMessageTypes.Get(m.MessageType).ElementName} {m.MessageId}";

    // ---- building messages ----

    /// <summary>A fresh day for a case (the day after tomorrow, then one more per call), so cases do not disturb each other.</summary>
    public DateOnly NextPeriod()
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, _zone).DateTime);
        return today.AddDays(1 + Interlocked.Increment(ref _dayOffset));
    }

    /// <summary>A revision higher than any the suite used before.</summary>
    public long NextRevision() => Interlocked.Increment(ref _revision);

    /// <summary>The number of ISPs of <paramref name="period"/> in the market's time zone (92, 96 or 100 for 15 minutes).</summary>
    public int IspCount(DateOnly period) => UftpIspCalendar.IspCount(period, _zone, _options.IspDuration) ?? throw new InvalidOperationException("the ISP duration does not divide the day");

    /// <summary>The header every message from the suite carries: sender, recipient, now, new ids.</summary>
    public (string Sender, string Recipient, DateTimeOffset Now, Guid MessageId, Guid ConversationId) Header() =>
        (_options.SuiteDomain, _options.Domain, DateTimeOffset.UtcNow, Guid.NewGuid(), Guid.NewGuid());

    // ---- sending ----

    /// <summary>Seals a message with the suite's key and POSTs it.</summary>
    public Task<UftpPostResult> SendAsync(PayloadMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var payload = UftpXml.Serialize(message);
        Record(MessageDirection.ToDevice, Describe(message), Text(payload));
        return SealAndPostAsync(payload, message.SenderDomain, null, null, cancellationToken);
    }

    /// <summary>Seals exact payload bytes (which may be broken on purpose) and POSTs them.</summary>
    public Task<UftpPostResult> SendPayloadAsync(byte[] payload, string envelopeDomain, CancellationToken cancellationToken = default, UftpRole? envelopeRole = null, UftpSigningKey? key = null)
    {
        ArgumentNullException.ThrowIfNull(payload);
        Record(MessageDirection.ToDevice, $"sealed payload (SignedMessage SenderDomain {envelopeDomain}, SenderRole {envelopeRole ?? SuiteRole}{(key is null ? "" : ", another key")})", Text(payload));
        return SealAndPostAsync(payload, envelopeDomain, envelopeRole, key, cancellationToken);
    }

    private Task<UftpPostResult> SealAndPostAsync(byte[] payload, string envelopeDomain, UftpRole? envelopeRole, UftpSigningKey? key, CancellationToken cancellationToken) =>
        PostCoreAsync(UftpXml.Serialize(UftpSigner.Seal(payload, envelopeDomain, envelopeRole ?? SuiteRole, key ?? _options.SuiteKey)), "text/xml", null, recordBody: false, cancellationToken);

    /// <summary>POSTs raw bytes to the participant.</summary>
    public Task<UftpPostResult> PostAsync(byte[] body, string contentType = "text/xml", HttpMethod? method = null, CancellationToken cancellationToken = default) =>
        PostCoreAsync(body, contentType, method, recordBody: true, cancellationToken);

    private async Task<UftpPostResult> PostCoreAsync(byte[] body, string contentType, HttpMethod? method, bool recordBody, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var result = await SendHttpAsync(body, contentType, method, cancellationToken).ConfigureAwait(false);
        if (recordBody) Record(MessageDirection.ToDevice, $"{method ?? HttpMethod.Post} {_options.Endpoint} ({contentType})", Text(body));
        Record(MessageDirection.FromDevice, result.ToString(), result.Detail ?? "");
        return result;
    }

    private async Task<UftpPostResult> SendHttpAsync(byte[] body, string contentType, HttpMethod? method, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Post, _options.Endpoint);
        if (request.Method != HttpMethod.Get)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType) { CharSet = "utf-8" };
        }
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var detail = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return new UftpPostResult((int)response.StatusCode, detail.Length > 300 ? detail[..300] : detail);
        }
        catch (HttpRequestException ex)
        {
            return new UftpPostResult(0, ex.Message);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new UftpPostResult(0, "timed out: " + ex.Message);
        }
    }

    // ---- receiving ----

    /// <summary>Waits for a message of the participant matching <paramref name="match"/> (one received earlier counts); null after the response timeout.</summary>
    public async Task<UftpInboundMessage?> WaitForAsync(Func<UftpInboundMessage, bool> match, CancellationToken cancellationToken = default, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(match);
        var done = new TaskCompletionSource<UftpInboundMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            var earlier = _inbound.FirstOrDefault(match);
            if (earlier is not null) return earlier;
            _waiters.Add((match, done));
        }
        try
        {
            return await done.Task.WaitAsync(timeout ?? _options.ResponseTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            lock (_lock) _waiters.RemoveAll(w => w.Done == done);
        }
    }

    /// <summary>Waits for a message of type <typeparamref name="T"/> matching <paramref name="match"/>.</summary>
    public async Task<(T Message, UftpInboundMessage Inbound)?> WaitForMessageAsync<T>(Func<T, bool> match, CancellationToken cancellationToken = default, TimeSpan? timeout = null) where T : PayloadMessage
    {
        var found = await WaitForAsync(i => i.Message is T m && match(m), cancellationToken, timeout).ConfigureAwait(false);
        return found is null ? null : ((T)found.Message!, found);
    }

    /// <summary>
    /// Waits for the Response to <paramref name="sent"/> (its type, referring to it or in its conversation)
    /// and checks it: the Result expected, a RejectionReason when rejected, the reference, the conversation,
    /// the signature, the sender's domain and role, the recipient. Returns the findings (empty: all good)
    /// and the Response.
    /// </summary>
    public async Task<(IReadOnlyList<string> Findings, PayloadMessage? Response)> CheckResponseAsync(PayloadMessage sent, AcceptedRejected expected, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sent);
        var info = UftpMessageTypes.Get(sent.MessageType);
        var responseType = info.ResponseType ?? throw new ArgumentException($"{info.ElementName} has no Response", nameof(sent));
        var responseName = UftpMessageTypes.Get(responseType).ElementName;
        // A Response already taken by an earlier check (e.g. the first of two messages sharing a MessageID) is not taken again.
        var inbound = await WaitForAsync(i => i.Message is { } m && m.MessageType == responseType && !_claimed.Contains(i)
            && (UftpMessageTypes.ReferencedMessageId(m) == sent.MessageId || m.ConversationId == sent.ConversationId), cancellationToken).ConfigureAwait(false);
        if (inbound is not null)
        {
            lock (_lock) _claimed.Add(inbound);
        }
        if (inbound is null)
        {
            return ([$"no {responseName} arrived within {_options.ResponseTimeout.TotalSeconds:0.#} s"], null);
        }
        var findings = new List<string>(inbound.Problems.Select(p => $"{responseName}: {p}"));
        var response = inbound.Message!;
        if (UftpMessageTypes.ReferencedMessageId(response) is { } referenced && referenced != sent.MessageId)
        {
            findings.Add($"{responseName} refers to message {referenced}, not to the {info.ElementName} sent ({sent.MessageId})");
        }
        if (response.ConversationId != sent.ConversationId)
        {
            findings.Add($"{responseName} has ConversationID {response.ConversationId}, not the request's {sent.ConversationId}");
        }
        if (response is PayloadMessageResponse r)
        {
            if (r.Result != expected)
            {
                findings.Add($"{responseName} Result is {r.Result}, expected {expected}{(r.RejectionReason is { Length: > 0 } why ? $" (RejectionReason: {why})" : "")}");
            }
            else if (r.Result == AcceptedRejected.Rejected && string.IsNullOrWhiteSpace(r.RejectionReason))
            {
                findings.Add($"{responseName} rejects without a RejectionReason");
            }
        }
        return (findings, response);
    }

    /// <summary>Checks that a valid message is taken: HTTP 2xx, then an accepting Response.</summary>
    public async Task<UftpCaseOutcome> ExpectAcceptedAsync(PayloadMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var post = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (!post.IsSuccess) return UftpCaseOutcome.Fail($"a valid {UftpMessageTypes.Get(message.MessageType).ElementName} was answered {post}, expected HTTP 200");
        var (findings, _) = await CheckResponseAsync(message, AcceptedRejected.Accepted, cancellationToken).ConfigureAwait(false);
        return UftpCaseOutcome.From(findings);
    }

    /// <summary>
    /// Checks that a message breaking a business rule is refused: either synchronously (HTTP 4xx) or
    /// with HTTP 2xx and a rejecting Response.
    /// </summary>
    public async Task<UftpCaseOutcome> ExpectRejectedAsync(PayloadMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var post = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        return await JudgeRefusalAsync(message, post, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Judges the answer to a message that must be refused (see <see cref="ExpectRejectedAsync"/>).</summary>
    public async Task<UftpCaseOutcome> JudgeRefusalAsync(PayloadMessage message, UftpPostResult post, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(post);
        if (post.IsRefused) return UftpCaseOutcome.Pass($"refused synchronously: {post}");
        if (!post.IsSuccess) return UftpCaseOutcome.Fail($"answered {post}, expected HTTP 4xx or HTTP 200 with a rejecting Response");
        var (findings, response) = await CheckResponseAsync(message, AcceptedRejected.Rejected, cancellationToken).ConfigureAwait(false);
        return UftpCaseOutcome.From(findings, response is PayloadMessageResponse r ? $"rejected: {r.RejectionReason}" : "rejected");
    }

    /// <summary>Checks that bytes are refused synchronously with HTTP 4xx.</summary>
    public static UftpCaseOutcome ExpectHttpRefusal(UftpPostResult post, string what)
    {
        ArgumentNullException.ThrowIfNull(post);
        return post.IsRefused ? UftpCaseOutcome.Pass($"refused: {post}") : UftpCaseOutcome.Fail($"{what} was answered {post}, expected HTTP 4xx");
    }

    private async ValueTask<UftpReceiveOutcome> ReceiveAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        SignedMessage? envelope = null;
        PayloadMessage? message = null;
        try
        {
            envelope = UftpXml.ParseSignedMessage(body);
        }
        catch (UftpFormatException ex)
        {
            problems.Add($"the SignedMessage cannot be read: {ex.Message}");
        }
        if (envelope is not null)
        {
            var keys = await ParticipantKeysAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                message = UftpSigner.Open(envelope, keys).Message;
            }
            catch (UftpSignatureException ex)
            {
                problems.Add($"signature: {ex.Failure}: {ex.Message}");
                if (envelope.Body.Length > UftpSigner.SignatureLength)
                {
                    try
                    {
                        message = UftpXml.Parse(envelope.Body[UftpSigner.SignatureLength..]);
                    }
                    catch (UftpFormatException)
                    {
                        // Reported below through the schema check or not at all: the signature already failed.
                    }
                }
            }
            catch (UftpFormatException ex)
            {
                problems.Add($"the sealed message cannot be read: {ex.Message}");
            }
            if (!string.Equals(envelope.SenderDomain, _options.Domain, StringComparison.Ordinal))
            {
                problems.Add($"SignedMessage SenderDomain is {envelope.SenderDomain}, the participant is {_options.Domain}");
            }
            if (envelope.SenderRole != _options.Role)
            {
                problems.Add($"SignedMessage SenderRole is {envelope.SenderRole}, the participant is a {_options.Role}");
            }
            if (_options.Schemas is { } schemas && envelope.Body.Length > UftpSigner.SignatureLength
                && schemas.Validate(envelope.Body[UftpSigner.SignatureLength..]) is { IsValid: false } invalid)
            {
                problems.Add("schema: " + invalid.Violations[0]);
            }
        }
        if (message is not null && !string.Equals(message.RecipientDomain, _options.SuiteDomain, StringComparison.Ordinal))
        {
            problems.Add($"RecipientDomain is {message.RecipientDomain}, the suite is {_options.SuiteDomain}");
        }
        var inbound = new UftpInboundMessage(DateTimeOffset.UtcNow, envelope, message, problems);
        Record(MessageDirection.FromDevice,
            (message is null ? "unreadable message" : Describe(message)) + (problems.Count == 0 ? "" : $" ({problems.Count} problem(s): {string.Join("; ", problems)})"),
            message is null ? Text(body.Span) : Text(UftpXml.Serialize(message)));
        lock (_lock)
        {
            _inbound.Add(inbound);
            foreach (var (match, done) in _waiters)
            {
                if (!done.Task.IsCompleted && match(inbound)) done.TrySetResult(inbound);
            }
        }
        if (message is not null && problems.Count == 0 && !UftpMessageTypes.Get(message.MessageType).IsResponse) Answer(message);
        return envelope is null ? UftpReceiveOutcome.BadRequest(problems[0]) : UftpReceiveOutcome.Ok;
    }

    private async ValueTask<IReadOnlyList<UftpPublicKey>> ParticipantKeysAsync(CancellationToken cancellationToken)
    {
        if (_options.ParticipantKeys.Count > 0) return _options.ParticipantKeys;
        if (_participantKeys is { } known) return known;
        var directory = _options.Directory ?? new DnsUftpParticipantDirectory();
        UftpParticipant? found;
        try
        {
            found = await directory.FindAsync(_options.Domain, _options.Role, cancellationToken).ConfigureAwait(false);
        }
        catch (UftpTransportException)
        {
            found = null;
        }
        var keys = found?.PublicKeys.ToList() ?? [];
        if (keys.Count > 0) _participantKeys = keys;
        return keys;
    }

    /// <summary>Answers a request of the participant with an accepting Response, as a counterpart would.</summary>
    private void Answer(PayloadMessage request)
    {
        var response = UftpResponses.Create(request, AcceptedRejected.Accepted, null, Guid.NewGuid(), DateTimeOffset.UtcNow);
        if (response is null) return;
        Record(MessageDirection.ToDevice, "answer: " + Describe(response), Text(UftpXml.Serialize(response)));
        var body = UftpXml.Serialize(UftpSigner.Seal(response, SuiteRole, _options.SuiteKey));
        var task = Task.Run(async () =>
        {
            try
            {
                await _sender.PostAsync(_options.Endpoint, body, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The run ended.
            }
        });
        lock (_answers)
        {
            _answers.RemoveAll(t => t.IsCompleted);
            _answers.Add(task);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        Task[] pending;
        lock (_answers) pending = [.. _answers];
        await Task.WhenAll(pending).ConfigureAwait(false);
        if (_server is not null) await _server.DisposeAsync().ConfigureAwait(false);
        _http.Dispose();
        _sender.Dispose();
        _stop.Dispose();
    }
}
