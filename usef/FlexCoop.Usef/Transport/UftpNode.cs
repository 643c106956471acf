using FlexCoop.Usef.Participants;
using FlexCoop.Usef.Signing;
using FlexCoop.Usef.Storage;
using FlexCoop.Usef.Validation;
using FlexCoop.Usef.Xml;

namespace FlexCoop.Usef.Transport;

/// <summary>What a participant does with messages it accepted (the role logic). Called once per accepted message, also after a restart for messages not yet handled.</summary>
public interface IUftpMessageHandler
{
    ValueTask HandleAsync(UftpNode node, PayloadMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// A message handler that writes some Responses itself, because they carry data only the role has
/// (the CRO's AGRPortfolioQueryResponse and DSOPortfolioQueryResponse) or because the role decides
/// to reject for a reason of its own (a congestion point that belongs to another DSO).
/// </summary>
public interface IUftpResponder
{
    /// <summary>
    /// The Response to <paramref name="request"/>, or null to let the node write the standard one.
    /// <paramref name="result"/> and <paramref name="rejectionReason"/> are the business-rule verdict so far;
    /// the Result of the returned Response becomes the stored verdict.
    /// </summary>
    ValueTask<PayloadMessage?> CreateResponseAsync(UftpNode node, PayloadMessage request, AcceptedRejected result, string? rejectionReason, Guid messageId, DateTimeOffset timeStamp, CancellationToken cancellationToken);
}

/// <summary>Settings of a participant node (immutable; bind from configuration).</summary>
public sealed record UftpNodeOptions
{
    /// <summary>This participant's Internet domain.</summary>
    public required string Domain { get; init; }

    /// <summary>This participant's role.</summary>
    public required UftpRole Role { get; init; }

    /// <summary>Business-rule settings; OwnDomain and OwnRole are filled in from <see cref="Domain"/> and <see cref="Role"/>.</summary>
    public UftpValidationOptions Validation { get; init; } = UftpValidationOptions.Default;

    /// <summary>The HTTPS endpoint.</summary>
    public UftpServerOptions Server { get; init; } = new();

    /// <summary>The HTTP client.</summary>
    public UftpSenderOptions Sender { get; init; } = new();

    /// <summary>Schemas to validate every received and sent payload against; null skips XSD validation.</summary>
    public UftpSchemaSet? Schemas { get; init; }

    /// <summary>First retry delay; doubled per attempt up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between attempts.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Attempts before an envelope is given up.</summary>
    public int MaxAttempts { get; init; } = 50;

    /// <summary>Deliberate misbehaviour for testing conformance suites; <see cref="UftpFault.None"/> in production.</summary>
    public UftpFault Faults { get; init; } = UftpFault.None;
}

/// <summary>
/// One UFTP participant: receives SignedMessages on its HTTPS endpoint (verify, parse, validate,
/// store, queue the Response, hand the message to the role logic), and sends through a durable
/// outbound queue with retry and back-off. All state is in the <see cref="UftpSqliteStore"/>, so a
/// restart with the same file loses nothing: pending envelopes are sent, unhandled messages handled.
/// </summary>
public sealed class UftpNode : IAsyncDisposable
{
    private readonly UftpNodeOptions _options;
    private readonly UftpSigningKey _key;
    private readonly UftpSigningKey? _responseKey;
    private readonly IUftpParticipantDirectory _directory;
    private readonly IUftpMessageHandler? _handler;
    private readonly TimeProvider _time;
    private readonly UftpBusinessValidator _validator;
    private readonly UftpHttpSender _sender;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly object _waitersLock = new();
    private readonly List<(Func<UftpStoredMessage, bool> Predicate, TaskCompletionSource<UftpStoredMessage> Done)> _waiters = [];
    private readonly List<Task> _handlerTasks = [];
    private UftpHttpServer? _server;
    private Task? _outboxLoop;
    private volatile bool _retryAll;

    private UftpNode(UftpNodeOptions options, UftpSigningKey key, IUftpParticipantDirectory directory, UftpSqliteStore store, IUftpMessageHandler? handler, TimeProvider time)
    {
        _options = options;
        _key = key;
        _directory = directory;
        Store = store;
        _handler = handler;
        _time = time;
        var disabled = new HashSet<UftpRule>(options.Validation.DisabledRules);
        disabled.UnionWith(UftpFaults.DisabledRules(options.Faults));
        _validator = new UftpBusinessValidator(options.Validation with { OwnDomain = options.Domain, OwnRole = options.Role, DisabledRules = disabled }, store, time);
        if (options.Faults.HasFlag(UftpFault.SignsWithWrongKey)) _responseKey = UftpSigningKey.Generate();
        _sender = new UftpHttpSender(options.Sender);
    }

    /// <summary>The store holding this participant's state.</summary>
    public UftpSqliteStore Store { get; }

    /// <summary>This participant's domain.</summary>
    public string Domain => _options.Domain;

    /// <summary>This participant's role.</summary>
    public UftpRole Role => _options.Role;

    /// <summary>The URL peers POST to.</summary>
    public Uri MessageEndpoint => _server?.MessageEndpoint ?? throw new InvalidOperationException("not started");

    /// <summary>The clock the node uses.</summary>
    public TimeProvider Time => _time;

    /// <summary>Starts the endpoint and the outbound queue, and handles messages left unhandled by an earlier run.</summary>
    public static async Task<UftpNode> StartAsync(UftpNodeOptions options, UftpSigningKey key, IUftpParticipantDirectory directory, UftpSqliteStore store, IUftpMessageHandler? handler = null, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(store);
        var node = new UftpNode(options, key, directory, store, handler, timeProvider ?? TimeProvider.System);
        node._server = await UftpHttpServer.StartAsync(options.Server, node.ReceiveAsync, cancellationToken).ConfigureAwait(false);
        foreach (var pending in await store.UnprocessedAsync(cancellationToken).ConfigureAwait(false))
        {
            node.Dispatch(pending);
        }
        node._outboxLoop = Task.Run(node.OutboxLoopAsync, CancellationToken.None);
        return node;
    }

    /// <summary>A fresh MessageID.</summary>
    public static Guid NewMessageId() => Guid.NewGuid();

    /// <summary>
    /// Sends a message: checks it, stores it and queues the signed envelope in one transaction.
    /// Delivery happens in the background with retries; the peer's Response arrives later.
    /// </summary>
    public async Task SendAsync(PayloadMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var info = UftpMessageTypes.Get(message.MessageType);
        if (!info.SenderRoles.Contains(Role)) throw new InvalidOperationException($"a {Role} does not send {info.ElementName}");
        if (!string.Equals(message.SenderDomain, Domain, StringComparison.Ordinal)) throw new InvalidOperationException($"SenderDomain must be {Domain}");
        var payload = UftpXml.Serialize(message);
        if (_options.Schemas is { } schemas && schemas.Validate(payload) is { IsValid: false } bad)
        {
            throw new UftpFormatException("xsd", bad.Violations[0].Path, bad.Violations[0].Message);
        }
        var recipientRole = RecipientRoleOf(info, message);
        var envelope = UftpXml.Serialize(UftpSigner.Seal(payload, Domain, Role, _key));
        if (!await Store.SaveAsync(message, UftpDirection.Outbound, null, [(message.RecipientDomain, recipientRole, message.MessageId, envelope)], _time.GetUtcNow(), processed: true, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"message {message.MessageId} was stored before");
        }
        Wake();
    }

    private UftpRole RecipientRoleOf(UftpMessageTypeInfo info, PayloadMessage message)
    {
        if (info.RecipientRoles.Count == 1) return info.RecipientRoles[0];
        // TestMessage goes to any role: the peer's role is what the directory knows it as, AGR↔DSO by default.
        return Role == UftpRole.AGR ? UftpRole.DSO : UftpRole.AGR;
    }

    /// <summary>Resets the back-off of every pending envelope and tries them now (e.g. a peer is known to be back).</summary>
    public void RetryNow()
    {
        _retryAll = true;
        Wake();
    }

    /// <summary>Waits until a stored message (sent or received) matches; completes at once if one is already stored.</summary>
    public async Task<UftpStoredMessage> WaitForAsync(Func<UftpStoredMessage, bool> predicate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var done = new TaskCompletionSource<UftpStoredMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waitersLock) _waiters.Add((predicate, done));
        foreach (var stored in await Store.AllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (predicate(stored))
            {
                done.TrySetResult(stored);
                break;
            }
        }
        try
        {
            return await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_waitersLock) _waiters.RemoveAll(w => w.Done == done);
        }
    }

    private void Notify(UftpStoredMessage stored)
    {
        lock (_waitersLock)
        {
            foreach (var (predicate, done) in _waiters)
            {
                if (!done.Task.IsCompleted && predicate(stored)) done.TrySetResult(stored);
            }
        }
    }

    /// <summary>
    /// Judges one POSTed body: 400 for unreadable or invalid XML, 401 when the signature does not
    /// verify for the claimed sender, 419 when the sender's key cannot be found (a lookup that may
    /// succeed later), otherwise 200 with the message stored and its Response queued.
    /// </summary>
    public async ValueTask<UftpReceiveOutcome> ReceiveAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        var faults = _options.Faults;
        UftpOpenedMessage opened;
        try
        {
            var envelope = UftpXml.ParseSignedMessage(body);
            try
            {
                opened = await UftpSigner.OpenAsync(envelope, _directory, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (UftpSignatureException ex) when ((ex.Failure == UftpSignatureFailure.BadSignature && faults.HasFlag(UftpFault.AcceptsBadSignature))
                || (ex.Failure == UftpSignatureFailure.UnknownSender && faults.HasFlag(UftpFault.AcceptsUnknownSender)))
            {
                // Fault mode: the sealed bytes are read without checking the signature.
                var payload = envelope.Body[UftpSigner.SignatureLength..];
                opened = new UftpOpenedMessage(envelope, payload, UftpXml.Parse(payload));
            }
        }
        catch (UftpFormatException ex)
        {
            return UftpReceiveOutcome.BadRequest(ex.Message);
        }
        catch (UftpSignatureException ex) when (ex.Failure is UftpSignatureFailure.UnknownSender)
        {
            // The specification's 419 Authentication Timeout: the sender's key could not be found (yet); the sender retries.
            return UftpReceiveOutcome.AuthenticationTimeout(ex.Message);
        }
        catch (UftpSignatureException ex) when (ex.Failure is UftpSignatureFailure.BadSignature or UftpSignatureFailure.BadKey)
        {
            return UftpReceiveOutcome.Unauthorized(ex.Message);
        }
        catch (UftpSignatureException ex)
        {
            return UftpReceiveOutcome.BadRequest(ex.Message);
        }
        catch (UftpTransportException ex)
        {
            return UftpReceiveOutcome.AuthenticationTimeout(ex.Message);
        }
        if (_options.Schemas is { } schemas && schemas.Validate(opened.PayloadXml) is { IsValid: false } invalid)
        {
            return UftpReceiveOutcome.BadRequest("xsd: " + invalid.Violations[0]);
        }
        var message = opened.Message;
        var info = UftpMessageTypes.Get(message.MessageType);
        var duplicate = await Store.GetAsync(message.MessageId, cancellationToken).ConfigureAwait(false);
        if (duplicate is not null && !faults.HasFlag(UftpFault.AcceptsDuplicateId))
        {
            // A re-delivery (our 200 was lost): the first copy was handled and answered already.
            return duplicate.Message == message ? UftpReceiveOutcome.Ok : UftpReceiveOutcome.BadRequest($"MessageID {message.MessageId} was used before for another message");
        }
        var validation = await _validator.ValidateAsync(message, opened.Envelope.SenderRole, cancellationToken).ConfigureAwait(false);
        var verdict = validation.IsValid ? AcceptedRejected.Accepted : AcceptedRejected.Rejected;
        var now = _time.GetUtcNow();
        var queue = new List<(string, UftpRole, Guid, byte[])>();
        if (!info.IsResponse)
        {
            var reason = validation.First?.ToString();
            var responseId = NewMessageId();
            var response = _handler is IUftpResponder responder
                ? await responder.CreateResponseAsync(this, message, verdict, reason, responseId, now, cancellationToken).ConfigureAwait(false)
                : null;
            response ??= UftpResponses.Create(faults.HasFlag(UftpFault.WrongReference) ? message with { MessageId = Guid.NewGuid() } : message, verdict, reason, responseId, now);
            if (response is null)
            {
                return UftpReceiveOutcome.BadRequest($"{info.ElementName} is not handled by a {Role}");
            }
            // The Response comes from this participant, whatever domain the request was (wrongly) addressed to.
            if (!string.Equals(response.SenderDomain, Domain, StringComparison.Ordinal)) response = response with { SenderDomain = Domain };
            if (response is PayloadMessageResponse { Result: var decided }) verdict = decided;
            var signedResponse = UftpXml.Serialize(UftpSigner.Seal(response, Role, _responseKey ?? _key));
            if (!faults.HasFlag(UftpFault.NoAsyncResponse)) queue.Add((message.SenderDomain, opened.Envelope.SenderRole, response.MessageId, signedResponse));
            if (duplicate is not null)
            {
                // Fault mode: a reused MessageID is answered as if it were new (nothing more is stored).
                foreach (var item in queue) await Store.EnqueueAsync(item.Item1, item.Item2, item.Item3, item.Item4, now, cancellationToken).ConfigureAwait(false);
                Wake();
                return UftpReceiveOutcome.Ok;
            }
            // The message, its verdict, the Response and its queued envelope: one transaction.
            if (!await Store.SaveAsync(message, UftpDirection.Inbound, verdict, queue, now, processed: verdict == AcceptedRejected.Rejected || _handler is null, response, cancellationToken).ConfigureAwait(false))
            {
                return UftpReceiveOutcome.Ok;
            }
        }
        else
        {
            if (duplicate is not null) return UftpReceiveOutcome.Ok;
            if (!await Store.SaveAsync(message, UftpDirection.Inbound, verdict, [], now, processed: true, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                return UftpReceiveOutcome.Ok;
            }
            if (validation.IsValid && UftpMessageTypes.ReferencedMessageId(message) is { } referenced && message is PayloadMessageResponse r)
            {
                await Store.SetResultAsync(referenced, r.Result, cancellationToken).ConfigureAwait(false);
            }
        }
        Wake();
        var stored = new UftpStoredMessage(message, UftpDirection.Inbound, verdict, false);
        Notify(stored);
        if (verdict == AcceptedRejected.Accepted && !info.IsResponse)
        {
            Dispatch(message);
        }
        else if (info.IsResponse && _handler is not null && verdict == AcceptedRejected.Accepted)
        {
            Dispatch(message, markProcessed: false);
        }
        return UftpReceiveOutcome.Ok;
    }

    private void Dispatch(PayloadMessage message, bool markProcessed = true)
    {
        if (_handler is null) return;
        var task = Task.Run(async () =>
        {
            try
            {
                await _handler.HandleAsync(this, message, _stop.Token).ConfigureAwait(false);
                if (markProcessed) await Store.MarkProcessedAsync(message.MessageId, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // Stopping: the message stays unprocessed and is handled after the restart.
            }
        });
        lock (_handlerTasks)
        {
            _handlerTasks.RemoveAll(t => t.IsCompleted);
            _handlerTasks.Add(task);
        }
    }

    private void Wake()
    {
        if (_wake.CurrentCount == 0) _wake.Release();
    }

    private TimeSpan Backoff(int attempts)
    {
        var factor = Math.Pow(2, Math.Min(attempts, 20));
        var delay = TimeSpan.FromTicks((long)Math.Min(_options.RetryBaseDelay.Ticks * factor, _options.RetryMaxDelay.Ticks));
        return delay + TimeSpan.FromTicks(Random.Shared.NextInt64(delay.Ticks / 10 + 1));
    }

    private async Task OutboxLoopAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                var now = _time.GetUtcNow();
                var all = _retryAll;
                _retryAll = false;
                var due = await Store.DueAsync(all ? DateTimeOffset.MaxValue : now, cancellationToken: token).ConfigureAwait(false);
                foreach (var item in due)
                {
                    await DeliverAsync(item, token).ConfigureAwait(false);
                }
                if (due.Count > 0) continue;
                var next = await Store.NextDueAsync(token).ConfigureAwait(false);
                var wait = next is { } n ? n - _time.GetUtcNow() : TimeSpan.FromMinutes(1);
                if (wait < TimeSpan.Zero) continue;
                if (wait > TimeSpan.FromMinutes(1)) wait = TimeSpan.FromMinutes(1);
                await _wake.WaitAsync(wait, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task DeliverAsync(UftpOutboxItem item, CancellationToken token)
    {
        var participant = await _directory.FindAsync(item.RecipientDomain, item.RecipientRole, token).ConfigureAwait(false);
        UftpDeliveryResult result;
        if (participant is null)
        {
            result = new UftpDeliveryResult(UftpDeliveryStatus.Transient, 0, $"{item.RecipientRole} {item.RecipientDomain} is not known");
        }
        else
        {
            result = await _sender.PostAsync(UftpEndpoints.Resolve(participant), item.SignedXml, token).ConfigureAwait(false);
        }
        switch (result.Status)
        {
            case UftpDeliveryStatus.Delivered:
                await Store.CompleteAsync(item.Id, delivered: true, cancellationToken: token).ConfigureAwait(false);
                break;
            case UftpDeliveryStatus.Permanent:
                await Store.CompleteAsync(item.Id, delivered: false, $"HTTP {result.StatusCode}: {result.Detail}", token).ConfigureAwait(false);
                break;
            default:
                if (item.Attempts + 1 >= _options.MaxAttempts)
                {
                    await Store.CompleteAsync(item.Id, delivered: false, $"gave up after {item.Attempts + 1} attempts: {result.Detail}", token).ConfigureAwait(false);
                }
                else
                {
                    await Store.RetryLaterAsync(item.Id, _time.GetUtcNow() + Backoff(item.Attempts), $"HTTP {result.StatusCode}: {result.Detail}", token).ConfigureAwait(false);
                }
                break;
        }
    }

    /// <summary>Stops the endpoint, the queue and the handlers; the store stays open (the caller owns it).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_server is not null) await _server.DisposeAsync().ConfigureAwait(false);
        if (_outboxLoop is not null) await _outboxLoop.ConfigureAwait(false);
        Task[] handlers;
        lock (_handlerTasks) handlers = [.. _handlerTasks];
        try
        {
            await Task.WhenAll(handlers).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _sender.Dispose();
        _responseKey?.Dispose();
        _stop.Dispose();
        _wake.Dispose();
    }
}
