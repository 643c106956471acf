using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using FlexCoop.Iec61850.Mms.Ber;
using FlexCoop.Iec61850.Mms.Internal;
using FlexCoop.Iec61850.Mms.Iso;

namespace FlexCoop.Iec61850.Mms.Client;

/// <summary>Direction of a PDU shown to <see cref="MmsClient.PduInspector"/>.</summary>
public enum MmsPduDirection
{
    Sent,
    Received,
}

/// <summary>
/// An MMS client association over RFC 1006: associate (optionally with a password), confirmed
/// services with invokeID correlation, the negotiated number of outstanding requests and a
/// timeout per request, unconfirmed reports, release and abort. <see cref="SendRawAsync"/> and
/// <see cref="PduInspector"/> give conformance tests the bytes.
/// </summary>
public sealed partial class MmsClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly IsoTransport _transport;
    private readonly MmsClientOptions _options;
    private readonly ConcurrentDictionary<uint, TaskCompletionSource<MmsPdu>> _pending = new();
    private readonly ConcurrentQueue<TaskCompletionSource<byte[]>> _rawWaiters = new();
    private readonly Channel<InformationReportPdu> _reports = Channel.CreateBounded<InformationReportPdu>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly CancellationTokenSource _closing = new();
    private SemaphoreSlim _outstanding = new(1, 1);
    private TaskCompletionSource<bool>? _concludeWaiter;
    private TaskCompletionSource<bool>? _releaseWaiter;
    private Task? _receiveLoop;
    private uint _invokeId;
    private int _state; // 0 open, 1 closing, 2 closed

    private MmsClient(Socket socket, IsoTransport transport, MmsClientOptions options)
    {
        _socket = socket;
        _transport = transport;
        _options = options;
    }

    /// <summary>The parameters the server answered in initiate-Response.</summary>
    public MmsInitiateParameters Negotiated { get; private set; } = new();

    public EndPoint? RemoteEndPoint => _socket.RemoteEndPoint;

    /// <summary>True until the association is released, aborted or lost.</summary>
    public bool IsConnected => Volatile.Read(ref _state) == 0;

    /// <summary>Called with the bytes of every MMS PDU sent or received (on the I/O path: keep it quick).</summary>
    public Action<MmsPduDirection, ReadOnlyMemory<byte>>? PduInspector { get; set; }

    /// <summary>
    /// Called first, on the receive path, with every informationReport; returning true consumes it (it is
    /// then not queued in <see cref="InformationReports"/>). Keep it quick.
    /// </summary>
    public Func<InformationReportPdu, bool>? InformationReportHandler { get; set; }

    /// <summary>Unconfirmed informationReports received (the oldest are dropped beyond 1000 unread).</summary>
    public ChannelReader<InformationReportPdu> InformationReports => _reports.Reader;

    /// <summary>Connects to <paramref name="host"/>:<paramref name="port"/> and establishes the MMS association.</summary>
    public static async Task<MmsClient> ConnectAsync(string host, int port = MmsClientOptions.DefaultPort, MmsClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        options ??= new MmsClientOptions();
        options.Validate();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        MmsClient? client = null;
        try
        {
            try
            {
                await socket.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
            }
            catch (SocketException ex)
            {
                throw new MmsProtocolException($"cannot connect to {host}:{port}: {ex.Message}", ex);
            }
            var transport = new IsoTransport(new NetworkStream(socket, ownsSocket: true), options.ProposedPduSize + 256);
            if (options.PacketInspector is { } inspector)
            {
                transport.Inspector = (sent, bytes) => inspector(sent ? MmsPduDirection.Sent : MmsPduDirection.Received, bytes);
            }
            client = new MmsClient(socket, transport, options);
            await client.AssociateAsync(timeout.Token).ConfigureAwait(false);
            return client;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            if (client is not null) await client.CloseAsync().ConfigureAwait(false);
            else socket.Dispose();
            throw new TimeoutException($"association with {host}:{port} not established within {options.ConnectTimeout}");
        }
        catch
        {
            if (client is not null) await client.CloseAsync().ConfigureAwait(false);
            else socket.Dispose();
            throw;
        }
    }

    private async Task AssociateAsync(CancellationToken cancellationToken)
    {
        var o = _options;
        await _transport.WriteRawAsync(Cotp.EncodeConnect(false, 0, 0x0001, o.CallingTsap, o.CalledTsap, o.TpduSize), cancellationToken).ConfigureAwait(false);
        var tpdu = await _transport.ReadTpduAsync(cancellationToken).ConfigureAwait(false);
        switch (Cotp.Decode(tpdu.Span))
        {
            case CotpConnectionConfirm cc:
                _transport.TpduSize = Math.Min(cc.TpduSize, o.TpduSize);
                break;
            case CotpDisconnectRequest dr:
                throw new MmsProtocolException($"the server refused the transport connection (COTP DR reason {dr.Reason})");
            default:
                throw new MmsProtocolException("the server did not answer the COTP connection request with CC");
        }

        var initiate = MmsPduCodec.Encode(new InitiateRequestPdu(new MmsInitiateParameters
        {
            LocalDetail = o.ProposedPduSize,
            MaxServOutstandingCalling = o.ProposedMaxServOutstanding,
            MaxServOutstandingCalled = o.ProposedMaxServOutstanding,
            DataStructureNestingLevel = o.ProposedNestingLevel,
        }));
        Inspect(MmsPduDirection.Sent, initiate);
        var aarq = Acse.EncodeAarq(new AarqApdu(
            Acse.MmsApplicationContextName, o.Called, o.Calling,
            o.Password is null ? null : Acse.PasswordMechanism,
            o.Password is null ? null : System.Text.Encoding.UTF8.GetBytes(o.Password),
            IsoPresentation.MmsContextId, initiate));
        var contexts = new[]
        {
            new PresentationContext(IsoPresentation.AcseContextId, IsoPresentation.AcseAbstractSyntax, IsoPresentation.BerTransferSyntax),
            new PresentationContext(IsoPresentation.MmsContextId, IsoPresentation.MmsAbstractSyntax, IsoPresentation.BerTransferSyntax),
        };
        var cp = IsoPresentation.EncodeConnect(o.CallingPresentationSelector, o.CalledPresentationSelector, contexts, IsoPresentation.AcseContextId, aarq);
        await _transport.WriteTsduAsync(IsoSession.EncodeConnectOrAccept(false, o.CallingSessionSelector, o.CalledSessionSelector, cp), cancellationToken).ConfigureAwait(false);

        var tsdu = await _transport.ReadTsduAsync(cancellationToken).ConfigureAwait(false);
        var spdu = IsoSession.Decode(tsdu.Span);
        var user = tsdu.Span.Slice(spdu.UserDataOffset, spdu.UserDataLength);
        if (spdu.Type == SpduType.Refuse)
        {
            throw RefusalFrom(user);
        }
        if (spdu.Type != SpduType.Accept) throw new MmsProtocolException($"the server answered the session connect with {spdu.Type}");
        var cpa = IsoPresentation.DecodeAccept(user);
        var aare = Acse.DecodeAare(cpa.UserData);
        if (aare.Result != 0) throw new MmsProtocolException($"association rejected (result {aare.Result}, diagnostic {aare.Diagnostic})");
        Inspect(MmsPduDirection.Received, aare.UserData);
        switch (MmsPduCodec.Decode(aare.UserData))
        {
            case InitiateResponsePdu response:
                Negotiated = response.Parameters;
                break;
            case InitiateErrorPdu error:
                throw new MmsServiceErrorException(error.Error);
            default:
                throw new MmsProtocolException("the AARE does not carry an initiate-ResponsePDU");
        }
        var outstanding = Math.Max(1, Math.Min(Negotiated.MaxServOutstandingCalling, o.ProposedMaxServOutstanding));
        _outstanding.Dispose();
        _outstanding = new SemaphoreSlim(outstanding, outstanding);
        _transport.MaxTsduLength = Math.Max(Negotiated.LocalDetail, 256) + 256;
        _receiveLoop = Task.Run(() => ReceiveLoopAsync(_closing.Token), CancellationToken.None);
    }

    private static MmsProtocolException RefusalFrom(ReadOnlySpan<byte> user)
    {
        try
        {
            var r = new BerReader(user, "presentation");
            var seq = r.ReadConstructed(BerTag.Sequence);
            while (seq.HasData)
            {
                if (seq.NextIs(BerTag.Application(1)))
                {
                    var rest = seq.Remaining;
                    var pd = IsoPresentation.ReadUserData(rest);
                    var aare = Acse.DecodeAare(rest.Slice(pd.Offset, pd.Length));
                    var why = aare.Diagnostic switch
                    {
                        AcseDiagnostic.AuthenticationFailure => "authentication failure",
                        AcseDiagnostic.AuthenticationRequired => "authentication required",
                        AcseDiagnostic.ApplicationContextNameNotSupported => "application context not supported",
                        _ when aare.Result == 2 => "server busy (too many associations)",
                        _ => $"diagnostic {aare.Diagnostic}",
                    };
                    return new MmsProtocolException($"association refused: {why}");
                }
                seq.Skip();
            }
        }
        catch (MmsDecodeException)
        {
            // fall through: refusal without a readable AARE
        }
        return new MmsProtocolException("association refused by the server");
    }

    private void Inspect(MmsPduDirection direction, ReadOnlySpan<byte> pdu) => PduInspector?.Invoke(direction, pdu.ToArray());

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        Exception failure = new MmsProtocolException("the association was closed");
        try
        {
            while (true)
            {
                var tsdu = await _transport.ReadTsduAsync(cancellationToken).ConfigureAwait(false);
                var message = MmsFraming.ReadTsdu(tsdu.Span);
                switch (message.Kind)
                {
                    case UpperLayerKind.Data:
                        {
                            var bytes = tsdu.Span.Slice(message.Offset, message.Length);
                            Inspect(MmsPduDirection.Received, bytes);
                            Deliver(bytes);
                            break;
                        }
                    case UpperLayerKind.ReleaseResponse:
                        _releaseWaiter?.TrySetResult(true);
                        return;
                    case UpperLayerKind.Abort:
                        failure = new MmsProtocolException("the server aborted the association");
                        return;
                    default:
                        failure = new MmsProtocolException("the server sent a release request");
                        return;
                }
            }
        }
        catch (Exception ex) when (ex is MmsException or OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            failure = ex is MmsProtocolException ? ex : new MmsProtocolException("the association failed: " + ex.Message, ex);
        }
        finally
        {
            Volatile.Write(ref _state, 2);
            foreach (var (_, tcs) in _pending) tcs.TrySetException(failure);
            _pending.Clear();
            while (_rawWaiters.TryDequeue(out var raw)) raw.TrySetException(failure);
            _concludeWaiter?.TrySetException(failure);
            _releaseWaiter?.TrySetException(failure);
            _reports.Writer.TryComplete();
        }
    }

    private void Deliver(ReadOnlySpan<byte> bytes)
    {
        MmsPdu? pdu;
        try
        {
            pdu = MmsPduCodec.Decode(bytes);
        }
        catch (MmsDecodeException)
        {
            pdu = null;
        }
        uint? id = pdu switch
        {
            ConfirmedResponsePdu r => r.InvokeId,
            ConfirmedErrorPdu e => e.InvokeId,
            RejectPdu j => j.OriginalInvokeId,
            _ => null,
        };
        if (id is { } invoke && _pending.TryRemove(invoke, out var tcs))
        {
            tcs.TrySetResult(pdu!);
            return;
        }
        if (pdu is ConfirmedRequestPdu serverRequest)
        {
            _ = Task.Run(() => AnswerServerRequestAsync(serverRequest));
            return;
        }
        if (pdu is InformationReportPdu report)
        {
            if (InformationReportHandler?.Invoke(report) == true) return;
            _reports.Writer.TryWrite(report);
            return;
        }
        if (pdu is ConcludeResponsePdu && _concludeWaiter is { } cw)
        {
            cw.TrySetResult(true);
            return;
        }
        if (_rawWaiters.TryDequeue(out var raw))
        {
            raw.TrySetResult(bytes.ToArray());
            return;
        }
        if (pdu is RejectPdu { OriginalInvokeId: null } && _pending.Count == 1 && _pending.Keys.FirstOrDefault() is var only && _pending.TryRemove(only, out var single))
        {
            single.TrySetResult(pdu);
        }
    }

    /// <summary>Sends a confirmed request and returns the response; a Confirmed-Error throws <see cref="MmsServiceErrorException"/>.</summary>
    public async Task<MmsResponse> RequestAsync(MmsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ThrowIfClosed();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            await _outstanding.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !_closing.IsCancellationRequested)
        {
            throw new TimeoutException($"no request slot free within {_options.RequestTimeout}");
        }
        var id = Interlocked.Increment(ref _invokeId);
        var tcs = new TaskCompletionSource<MmsPdu>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = tcs;
        try
        {
            var writer = new BerWriter(256);
            MmsPduCodec.Encode(writer, new ConfirmedRequestPdu(id, request));
            Inspect(MmsPduDirection.Sent, writer.WrittenSpan);
            await _transport.WriteMmsAsync(writer.WrittenSpan, timeout.Token).ConfigureAwait(false);
            MmsPdu reply;
            try
            {
                using (timeout.Token.UnsafeRegister(static state => ((TaskCompletionSource<MmsPdu>)state!).TrySetCanceled(), tcs))
                {
                    reply = await tcs.Task.ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !_closing.IsCancellationRequested)
            {
                throw new TimeoutException($"no answer to invokeID {id} within {_options.RequestTimeout}");
            }
            return reply switch
            {
                ConfirmedResponsePdu r => r.Response,
                ConfirmedErrorPdu e => throw new MmsServiceErrorException(e.Error),
                RejectPdu j => throw new MmsProtocolException($"the server rejected the request ({j.Reason})") { Reject = j.Reason },
                _ => throw new MmsProtocolException($"unexpected {reply.GetType().Name}"),
            };
        }
        finally
        {
            _pending.TryRemove(id, out _);
            _outstanding.Release();
        }
    }

    private async Task<T> RequestAsync<T>(MmsRequest request, CancellationToken cancellationToken) where T : MmsResponse
    {
        var response = await RequestAsync(request, cancellationToken).ConfigureAwait(false);
        return response as T ?? throw new MmsProtocolException($"expected {typeof(T).Name}, got {response.GetType().Name}");
    }

    /// <summary>
    /// Low-level: sends <paramref name="mmsPdu"/> as it is (it need not be valid) and returns the bytes of
    /// the next PDU that answers no request of this client (a reply, reject or error to the raw bytes).
    /// </summary>
    public async Task<byte[]> SendRawAsync(ReadOnlyMemory<byte> mmsPdu, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        var tcs = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        _rawWaiters.Enqueue(tcs);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        Inspect(MmsPduDirection.Sent, mmsPdu.Span);
        await _transport.WriteMmsAsync(mmsPdu.Span, timeout.Token).ConfigureAwait(false);
        try
        {
            return await tcs.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no answer to the raw PDU within {_options.RequestTimeout}");
        }
    }

    /// <summary>Low-level: sends <paramref name="mmsPdu"/> as it is, without waiting for anything.</summary>
    public ValueTask SendRawPduAsync(ReadOnlyMemory<byte> mmsPdu, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        Inspect(MmsPduDirection.Sent, mmsPdu.Span);
        return _transport.WriteMmsAsync(mmsPdu.Span, cancellationToken);
    }

    /// <summary>Low-level: sends a whole TSDU (session SPDU and below as given) without waiting.</summary>
    public ValueTask SendRawTsduAsync(ReadOnlyMemory<byte> tsdu, CancellationToken cancellationToken = default) =>
        _transport.WriteTsduAsync(tsdu.Span, cancellationToken);

    /// <summary>Completes when the association has ended (released, aborted or lost).</summary>
    public Task Completion => _receiveLoop ?? Task.CompletedTask;

    private void ThrowIfClosed()
    {
        if (Volatile.Read(ref _state) != 0) throw new MmsProtocolException("the association is closed");
    }

    /// <summary>Orderly end: MMS conclude, then ACSE release (RLRQ/RLRE), then the transport closes.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0) return;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            _concludeWaiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            var conclude = MmsPduCodec.Encode(new ConcludeRequestPdu());
            Inspect(MmsPduDirection.Sent, conclude);
            await _transport.WriteMmsAsync(conclude, timeout.Token).ConfigureAwait(false);
            await _concludeWaiter.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            _releaseWaiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            await _transport.WriteTsduAsync(MmsFraming.EncodeRelease(response: false), timeout.Token).ConfigureAwait(false);
            await _releaseWaiter.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        finally
        {
            await CloseAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Abrupt end: ACSE ABRT in a session AB, then the transport closes.</summary>
    public async Task AbortAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) == 0)
        {
            try
            {
                await _transport.WriteTsduAsync(MmsFraming.EncodeAbort(provider: false), cancellationToken).ConfigureAwait(false);
            }
            catch (MmsProtocolException)
            {
                // the connection is already gone
            }
        }
        await CloseAsync().ConfigureAwait(false);
    }

    private async Task CloseAsync()
    {
        Volatile.Write(ref _state, 2);
        if (!_closing.IsCancellationRequested) await _closing.CancelAsync().ConfigureAwait(false);
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // already closed
        }
        if (_receiveLoop is not null)
        {
            try
            {
                await _receiveLoop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // stopped
            }
        }
        await _transport.DisposeAsync().ConfigureAwait(false);
        CloseServedFiles();
    }

    /// <summary>Releases the association if it is still open (aborts when release fails), then frees the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _state) == 0)
        {
            try
            {
                await ReleaseAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is MmsException or TimeoutException or OperationCanceledException or IOException or SocketException)
            {
                await CloseAsync().ConfigureAwait(false);
            }
        }
        else
        {
            await CloseAsync().ConfigureAwait(false);
        }
        _outstanding.Dispose();
        _closing.Dispose();
    }
}
