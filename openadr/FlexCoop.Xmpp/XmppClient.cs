using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using System.Xml.Linq;
using FlexCoop.Xmpp.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlexCoop.Xmpp;

/// <summary>Raised after the client re-established a lost session.</summary>
public sealed class XmppReconnectedEventArgs(bool resumed, int attempts, int resentStanzas) : EventArgs
{
    /// <summary>True when the old session was resumed (XEP-0198); false when a new one was bound.</summary>
    public bool Resumed { get; } = resumed;

    /// <summary>Connection attempts it took.</summary>
    public int Attempts { get; } = attempts;

    /// <summary>Stanzas the server had not acknowledged and that were sent again.</summary>
    public int ResentStanzas { get; } = resentStanzas;
}

/// <summary>
/// An XMPP client session (RFC 6120/6121): connects, secures the stream with STARTTLS,
/// authenticates with SASL (EXTERNAL, SCRAM-SHA-1, PLAIN), binds a resource, then exchanges
/// stanzas. IQ requests are correlated with their responses; incoming IQs are answered by the
/// handlers set with <see cref="SetIqHandler"/> (ping and disco are built in) or with
/// <c>service-unavailable</c>. With stream management (XEP-0198) every stanza is kept until the
/// server acknowledges it; after a lost connection the client reconnects with exponential
/// back-off and jitter, resumes the session and sends the unacknowledged stanzas again.
/// </summary>
public sealed partial class XmppClient : IAsyncDisposable
{
    private readonly XmppClientOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<Iq>> _pendingIqs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<XName, Func<Iq, CancellationToken, ValueTask<XElement?>>> _iqHandlers = new();
    private readonly ConcurrentDictionary<XName, Func<Iq, CancellationToken, ValueTask<ReadOnlyMemory<byte>>>> _rawIqHandlers = new();
    private readonly Channel<Message> _messages = Channel.CreateUnbounded<Message>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly Channel<Presence> _presences = Channel.CreateBounded<Presence>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest, SingleWriter = true });
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _lifetime = new();
    private readonly string _idPrefix = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();
    private readonly List<XElement> _early = [];
    private readonly HashSet<(string From, string Id)> _recentMessages = [];
    private readonly Queue<(string From, string Id)> _recentOrder = new();
    private volatile TaskCompletionSource _connectedGate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile XmppConnection? _connection;
    private Task? _loop;
    private Task? _keepAlive;
    private long _lastReceived = Environment.TickCount64;
    private long _nextId;
    private int _disposed;
    private Exception? _terminalError;

    // Stream management (XEP-0198), guarded by _sendLock for the outbound side.
    private readonly Queue<(uint Sequence, byte[] Bytes)> _unacked = new();
    private static readonly byte[] RequestAck = XmppStreamWriter.ToUtf8(new XElement(XmppNames.StreamManagement + "r"));
    private string? _smResumeId;
    private bool _smEnabled;
    private uint _smOutbound;
    private uint _smInbound;
    private readonly Lock _ackLock = new();
    private bool _smAckRequested;

    /// <summary>Builds a client; nothing is connected until <see cref="ConnectAsync"/>.</summary>
    public XmppClient(XmppClientOptions options, ILogger<XmppClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _iqHandlers[XmppNames.Ping + "ping"] = (_, _) => ValueTask.FromResult<XElement?>(null);
        _iqHandlers[XmppNames.DiscoInfo + "query"] = AnswerDiscoInfo;
        _iqHandlers[XmppNames.DiscoItems + "query"] = (_, _) => ValueTask.FromResult<XElement?>(new XElement(XmppNames.DiscoItems + "query"));
    }

    /// <summary>The options this client was built with.</summary>
    public XmppClientOptions Options => _options;

    /// <summary>The full JID the server bound for this session, once connected.</summary>
    public Jid? Jid { get; private set; }

    /// <summary>True while a stream is established.</summary>
    public bool IsConnected => _connectedGate.Task.IsCompletedSuccessfully && _connection is not null;

    /// <summary>The SASL mechanism used by the last authentication.</summary>
    public string? Mechanism { get; private set; }

    /// <summary>True when stream management is enabled with resumption on this session.</summary>
    public bool IsStreamManagementEnabled => _smEnabled && _smResumeId is not null;

    /// <summary>True when the current stream is TLS-protected.</summary>
    public bool IsSecure => _connection?.IsTls == true;

    /// <summary>The negotiated TLS cipher suite, when the stream is secure.</summary>
    public System.Net.Security.TlsCipherSuite? CipherSuite => _connection?.Tls?.NegotiatedCipherSuite;

    /// <summary>Stanzas sent but not yet acknowledged by the server.</summary>
    public int UnacknowledgedCount
    {
        get
        {
            lock (_unacked)
            {
                return _unacked.Count;
            }
        }
    }

    /// <summary>Incoming messages, in the order received.</summary>
    public ChannelReader<Message> Messages => _messages.Reader;

    /// <summary>Incoming presence stanzas (the oldest are dropped beyond 1024 unread).</summary>
    public ChannelReader<Presence> Presences => _presences.Reader;

    /// <summary>Raised (on a pool thread) after a lost session was resumed or re-established.</summary>
    public event EventHandler<XmppReconnectedEventArgs>? Reconnected;

    /// <summary>Raised when the connection is lost, before reconnecting.</summary>
    public event EventHandler<Exception>? Disconnected;

    /// <summary>
    /// Connects, negotiates TLS and SASL, binds the resource and enables stream management.
    /// Throws <see cref="XmppConnectionException"/>, <see cref="XmppAuthenticationException"/>
    /// or <see cref="XmppStreamException"/>.
    /// </summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_loop is not null)
        {
            throw new InvalidOperationException("the client is already connected");
        }
        var connection = await EstablishAsync(resume: false, cancellationToken).ConfigureAwait(false);
        Log.SessionEstablished(_logger, Jid, Mechanism, IsSecure, IsStreamManagementEnabled);
        _loop = Task.Run(() => RunAsync(connection));
        if (_options.KeepAliveInterval > TimeSpan.Zero)
        {
            _keepAlive = Task.Run(KeepAliveAsync);
        }
    }

    /// <summary>Registers the handler answering IQ get/set requests whose payload is <paramref name="payloadName"/>.
    /// It returns the result payload (or null); throwing <see cref="XmppStanzaException"/> answers with that error.</summary>
    public void SetIqHandler(XName payloadName, Func<Iq, CancellationToken, ValueTask<XElement?>> handler)
    {
        ArgumentNullException.ThrowIfNull(payloadName);
        ArgumentNullException.ThrowIfNull(handler);
        _iqHandlers[payloadName] = handler;
    }

    /// <summary>
    /// Registers a handler answering IQ get/set requests whose payload is <paramref name="payloadName"/>
    /// with a result payload already serialised as UTF-8: one element, checked and framed as
    /// <see cref="SendIqAsync(Jid?, IqType, ReadOnlyMemory{byte}, TimeSpan?, CancellationToken)"/> does,
    /// without building a tree and writing it again (empty: a result without payload). It takes
    /// precedence over a handler set with <see cref="SetIqHandler"/> for the same name; throwing
    /// <see cref="XmppStanzaException"/> answers with that error, returning something that is not one
    /// well-formed element answers <c>internal-server-error</c>.
    /// </summary>
    public void SetRawIqHandler(XName payloadName, Func<Iq, CancellationToken, ValueTask<ReadOnlyMemory<byte>>> handler)
    {
        ArgumentNullException.ThrowIfNull(payloadName);
        ArgumentNullException.ThrowIfNull(handler);
        _rawIqHandlers[payloadName] = handler;
    }

    /// <summary>
    /// Sends an IQ <c>get</c> or <c>set</c> and returns its <c>result</c>. An <c>error</c> response
    /// throws <see cref="XmppStanzaException"/>; no response within the timeout throws
    /// <see cref="XmppTimeoutException"/>.
    /// </summary>
    public Task<Iq> SendIqAsync(Iq request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Type is not (IqType.Get or IqType.Set))
        {
            throw new ArgumentException("only get and set IQs expect a response; send results with SendAsync", nameof(request));
        }
        var id = request.Id ?? NextId();
        return ExchangeIqAsync(id, () => XmppStreamWriter.ToUtf8((request with { Id = id }).ToXElement()), timeout, cancellationToken);
    }

    /// <summary>
    /// Sends an IQ <c>get</c> or <c>set</c> whose one payload is an element already serialised as UTF-8
    /// (an XML declaration or byte order mark in front is dropped) and returns the <c>result</c>, as
    /// <see cref="SendIqAsync(Iq, TimeSpan?, CancellationToken)"/> does. The bytes go on the wire as they
    /// are, without building a tree and serialising it again: one payload serialised once can be sent to
    /// thousands of recipients. They are checked first to be exactly one well-formed element with no DTD,
    /// entity, comment or processing instruction (RFC 6120 §11.1), at most <see cref="XmppClientOptions.MaxStanzaBytes"/>
    /// and <see cref="XmppClientOptions.MaxDepth"/> deep; otherwise <see cref="ArgumentException"/>.
    /// An element without a namespace of its own is in <c>jabber:client</c>, as if written inside the stanza.
    /// </summary>
    public Task<Iq> SendIqAsync(Jid? to, IqType type, ReadOnlyMemory<byte> payload, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (type is not (IqType.Get or IqType.Set))
        {
            throw new ArgumentException("only get and set IQs expect a response; send results with SendAsync", nameof(type));
        }
        var element = RawPayload.Checked(payload, _options.MaxStanzaBytes, _options.MaxDepth);
        var id = NextId();
        return ExchangeIqAsync(id, () => RawPayload.Iq(to, type == IqType.Get ? "get" : "set", id, element.Span), timeout, cancellationToken);
    }

    private async Task<Iq> ExchangeIqAsync(string id, Func<byte[]> serialize, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var tcs = new TaskCompletionSource<Iq>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_pendingIqs.TryAdd(id, tcs))
        {
            throw new ArgumentException($"an IQ with id '{id}' is already pending");
        }
        try
        {
            await SendBytesAsync(serialize(), cancellationToken).ConfigureAwait(false);
            Iq response;
            try
            {
                response = await tcs.Task.WaitAsync(timeout ?? _options.IqTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new XmppTimeoutException($"no response to IQ '{id}' within {(timeout ?? _options.IqTimeout).TotalSeconds:0.###} s");
            }
            if (response.Type == IqType.Error)
            {
                throw new XmppStanzaException(response.Error ?? new StanzaError(StanzaErrorType.Cancel, "undefined-condition"), response);
            }
            return response;
        }
        finally
        {
            _pendingIqs.TryRemove(id, out _);
        }
    }

    /// <summary>Sends a message.</summary>
    public Task SendMessageAsync(Message message, CancellationToken cancellationToken = default) => SendAsync(message, cancellationToken);

    /// <summary>Sends a presence.</summary>
    public Task SendPresenceAsync(Presence presence, CancellationToken cancellationToken = default) => SendAsync(presence, cancellationToken);

    /// <summary>
    /// Sends any stanza. While the connection is being re-established the call waits. With
    /// stream management a stanza written to a connection that then fails is sent again after
    /// the reconnect, so the call succeeds; without it the failure is thrown.
    /// </summary>
    public Task SendAsync(Stanza stanza, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stanza);
        // Serialised once, outside the lock: these bytes are written and, with stream management, kept for a resend.
        return SendBytesAsync(XmppStreamWriter.ToUtf8((stanza.Id is null && stanza is not Presence ? stanza with { Id = NextId() } : stanza).ToXElement()), cancellationToken);
    }

    private async Task SendBytesAsync(byte[] bytes, CancellationToken cancellationToken, bool acknowledge = false)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_terminalError is not null)
        {
            throw new XmppConnectionException("the session has ended", _terminalError);
        }
        if (_loop is null)
        {
            throw new InvalidOperationException("call ConnectAsync first");
        }
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        while (true)
        {
            await _connectedGate.Task.WaitAsync(linked.Token).ConfigureAwait(false);
            await _sendLock.WaitAsync(linked.Token).ConfigureAwait(false);
            XmppConnection? connection;
            XmppConnection.QueuedWrite queued = default;
            XmppConnection.QueuedWrite ack = default;
            try
            {
                // The connection may have been lost between the gate and the lock: wait for the next session.
                connection = _connection;
                if (connection is not null)
                {
                    // Only the sequence number and the queueing are under the lock: the write itself is
                    // shared with every sender that queues meanwhile (no per-stanza write or flush).
                    queued = QueueStanzaLocked(connection, bytes);
                    if (acknowledge && _smEnabled)
                    {
                        // Behind the stanza, in the same batch (its completion covers it): what was
                        // received so far, read as the read loop last counted it (never more).
                        ack = QueueAck(connection);
                    }
                }
            }
            finally
            {
                _sendLock.Release();
            }
            if (connection is not null)
            {
                await CompleteStanzaAsync(connection, queued, linked.Token).ConfigureAwait(false);
                // The ack usually joins the stanza's batch. But a write in progress may have taken the stanza and
                // ended between the two queueings: then the ack found no writer and this caller must write it,
                // or the connection's writing would stay claimed and nothing after it would ever be sent.
                if (ack.Drive) await CompleteStanzaAsync(connection, ack, linked.Token).ConfigureAwait(false);
                return;
            }
        }
    }

    /// <summary>Pings <paramref name="to"/> (or our server) with XEP-0199 and returns the round-trip time.</summary>
    public async Task<TimeSpan> PingAsync(Jid? to = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await SendIqAsync(new Iq(IqType.Get) { To = to, Payload = [new XElement(XmppNames.Ping + "ping")] },
            timeout, cancellationToken).ConfigureAwait(false);
        return System.Diagnostics.Stopwatch.GetElapsedTime(started);
    }

    /// <summary>Asks <paramref name="to"/> for its identities and features (XEP-0030 disco#info).</summary>
    public async Task<DiscoInfo> DiscoverInfoAsync(Jid to, string? node = null, CancellationToken cancellationToken = default)
    {
        var query = new XElement(XmppNames.DiscoInfo + "query");
        if (node is not null)
        {
            query.Add(new XAttribute("node", node));
        }
        var result = await SendIqAsync(new Iq(IqType.Get) { To = to, Payload = [query] }, cancellationToken: cancellationToken).ConfigureAwait(false);
        return DiscoInfo.FromQuery(result.Payload.FirstOrDefault(p => p.Name == XmppNames.DiscoInfo + "query"));
    }

    /// <summary>Asks <paramref name="to"/> for its items (XEP-0030 disco#items).</summary>
    public async Task<IReadOnlyList<DiscoItem>> DiscoverItemsAsync(Jid to, string? node = null, CancellationToken cancellationToken = default)
    {
        var query = new XElement(XmppNames.DiscoItems + "query");
        if (node is not null)
        {
            query.Add(new XAttribute("node", node));
        }
        var result = await SendIqAsync(new Iq(IqType.Get) { To = to, Payload = [query] }, cancellationToken: cancellationToken).ConfigureAwait(false);
        var items = new List<DiscoItem>();
        foreach (var item in result.Payload.FirstOrDefault(p => p.Name == XmppNames.DiscoItems + "query")?.Elements(XmppNames.DiscoItems + "item") ?? [])
        {
            if (Jid.TryParse((string?)item.Attribute("jid"), out var jid))
            {
                items.Add(new DiscoItem(jid, (string?)item.Attribute("node"), (string?)item.Attribute("name")));
            }
        }
        return items;
    }

    /// <summary>Closes the stream gracefully (ending the server-side session) and stops reconnecting.</summary>
    public async Task DisconnectAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        var connection = _connection;
        if (connection is not null && IsConnected)
        {
            try
            {
                var close = new System.Buffers.ArrayBufferWriter<byte>(32);
                XmppStreamWriter.WriteClose(close);
                await connection.WriteAsync(close.WrittenMemory, cancellationToken).ConfigureAwait(false);
            }
            catch (XmppConnectionException)
            {
                // the connection is already gone; nothing to close
            }
        }
        await _lifetime.CancelAsync().ConfigureAwait(false);
        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }
        if (_keepAlive is not null)
        {
            await _keepAlive.ConfigureAwait(false);
        }
        End(new XmppConnectionException("the client was disconnected"));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await DisconnectAsync().ConfigureAwait(false);
        _lifetime.Dispose();
    }

    /// <summary>Drops the TCP connection without closing the stream, as a network failure would (for tests).</summary>
    internal void AbortConnection() => _connection?.Abort();

    /// <summary>
    /// Detects a dead connection that TCP does not report (a vanished peer, a frozen server):
    /// when nothing was received for <see cref="XmppClientOptions.KeepAliveInterval"/>, pings the
    /// server; no answer within the same interval drops the connection, which starts a reconnect.
    /// </summary>
    private async Task KeepAliveAsync()
    {
        using var timer = new PeriodicTimer(_options.KeepAliveInterval / 2);
        try
        {
            while (await timer.WaitForNextTickAsync(_lifetime.Token).ConfigureAwait(false))
            {
                var connection = _connection;
                if (connection is null || !IsConnected
                    || Environment.TickCount64 - Interlocked.Read(ref _lastReceived) < (long)_options.KeepAliveInterval.TotalMilliseconds)
                {
                    continue;
                }
                try
                {
                    await SendIqAsync(new Iq(IqType.Get) { Payload = [new XElement(XmppNames.Ping + "ping")] }, _options.KeepAliveInterval, _lifetime.Token).ConfigureAwait(false);
                }
                catch (XmppTimeoutException)
                {
                    Log.KeepAliveTimeout(_logger, _options.KeepAliveInterval);
                    if (ReferenceEquals(connection, _connection))
                    {
                        connection.Abort();
                    }
                }
                catch (XmppStanzaException)
                {
                    // An error answer still proves the connection is alive.
                }
                catch (XmppConnectionException)
                {
                    // Lost meanwhile; the read loop reconnects.
                }
            }
        }
        catch (OperationCanceledException)
        {
            // disposed
        }
    }

    /// <summary>
    /// Queues <c>&lt;a h='…'/&gt;</c> with the stanzas received so far. The count is read and the ack
    /// queued under one lock (queue order is wire order), so acks leave in the order of their
    /// <c>h</c>: an answer's ack and the answer to the server's <c>&lt;r/&gt;</c> can race, and an
    /// <c>h</c> below one already sent is an error the server closes the stream for.
    /// </summary>
    private XmppConnection.QueuedWrite QueueAck(XmppConnection connection)
    {
        lock (_ackLock)
        {
            return connection.Enqueue(AckBytes(Volatile.Read(ref _smInbound)));
        }
    }

    private static byte[] AckBytes(uint handled) =>
        XmppStreamWriter.ToUtf8(new XElement(XmppNames.StreamManagement + "a", new XAttribute("h", handled.ToString(CultureInfo.InvariantCulture))));

    private string NextId() => _idPrefix + Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);

    /// <summary>Numbers the stanza (stream management), keeps it until acknowledged and queues it, with an ack request every few stanzas. Under <see cref="_sendLock"/>.</summary>
    private XmppConnection.QueuedWrite QueueStanzaLocked(XmppConnection connection, byte[] bytes)
    {
        if (_smEnabled)
        {
            lock (_unacked)
            {
                _smOutbound++;
                _unacked.Enqueue((_smOutbound, bytes));
            }
        }
        var queued = connection.Enqueue(bytes);
        // Ask for an acknowledgement only every few stanzas: an <r/> after each one makes the
        // server answer <a/> first, and Nagle then holds the real answer until our delayed ACK.
        if (_smEnabled && !_smAckRequested && UnacknowledgedCount >= _options.AckRequestThreshold)
        {
            _smAckRequested = true;
            // Queued behind the stanza, in the same batch: the stanza's completion covers it.
            _ = connection.Enqueue(RequestAck);
        }
        return queued;
    }

    private async Task CompleteStanzaAsync(XmppConnection connection, XmppConnection.QueuedWrite queued, CancellationToken cancellationToken)
    {
        try
        {
            var written = connection.CompleteAsync(queued);
            await (cancellationToken.CanBeCanceled && !written.IsCompleted ? written.WaitAsync(cancellationToken) : written).ConfigureAwait(false);
        }
        catch (XmppConnectionException) when (_smEnabled && _smResumeId is not null && _options.Reconnect)
        {
            // Kept in the unacknowledged queue: sent again when the session is resumed or re-established.
        }
    }

    private Task SendStanzaLockedAsync(XmppConnection connection, byte[] bytes, CancellationToken cancellationToken) =>
        CompleteStanzaAsync(connection, QueueStanzaLocked(connection, bytes), cancellationToken);

    private void OnAck(uint handled)
    {
        lock (_unacked)
        {
            while (_unacked.Count > 0 && (int)(handled - _unacked.Peek().Sequence) >= 0)
            {
                _unacked.Dequeue();
            }
        }
    }

    private ValueTask<XElement?> AnswerDiscoInfo(Iq request, CancellationToken cancellationToken)
    {
        var node = (string?)request.FirstPayload?.Attribute("node");
        if (node is not null)
        {
            throw new XmppStanzaException(new StanzaError(StanzaErrorType.Cancel, "item-not-found"));
        }
        var query = new XElement(XmppNames.DiscoInfo + "query", _options.Identity.ToXElement());
        var features = new SortedSet<string>(StringComparer.Ordinal)
        {
            XmppNames.DiscoInfo.NamespaceName,
            XmppNames.DiscoItems.NamespaceName,
            XmppNames.Ping.NamespaceName,
        };
        features.UnionWith(_options.Features);
        foreach (var f in features)
        {
            query.Add(new XElement(XmppNames.DiscoInfo + "feature", new XAttribute("var", f)));
        }
        return ValueTask.FromResult<XElement?>(query);
    }

    private void End(Exception error)
    {
        if (_terminalError is null && _disposed == 0)
        {
            Log.SessionEnded(_logger, Jid, error);
        }
        _terminalError ??= error;
        foreach (var pending in _pendingIqs.Values)
        {
            pending.TrySetException(error);
        }
        _connectedGate.TrySetException(error);
        _ = _connectedGate.Task.Exception;
        _messages.Writer.TryComplete(_disposed != 0 ? null : error);
        _presences.Writer.TryComplete(_disposed != 0 ? null : error);
    }
}
