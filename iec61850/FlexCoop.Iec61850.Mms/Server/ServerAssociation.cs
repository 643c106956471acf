using System.Buffers;
using System.Net;
using System.Net.Sockets;
using FlexCoop.Iec61850.Mms.Ber;
using FlexCoop.Iec61850.Mms.Internal;
using FlexCoop.Iec61850.Mms.Iso;

namespace FlexCoop.Iec61850.Mms.Server;

/// <summary>One association of the server: connection set-up, then requests answered in order.</summary>
internal sealed partial class ServerAssociation : IAsyncDisposable
{
    private readonly MmsServer _server;
    private readonly Socket _socket;
    private readonly IsoTransport _transport;
    private readonly bool _admitted;
    // The association's working buffers are rented from the shared pool and given back when it ends
    // (DisposeAsync, after the read loop), so each association does not leave up to a few hundred KB of
    // PDU-sized buffers to the garbage collector.
    private readonly BerWriter _writer = new(ArrayPool<byte>.Shared, 1024);
    private readonly PooledBufferWriter _frames = new(1024);
    private int _mmsContextId = IsoPresentation.MmsContextId;
    private int _acseContextId = IsoPresentation.AcseContextId;
    private volatile bool _associated;
    private bool _sessionConnected;

    public ServerAssociation(MmsServer server, Socket socket, bool admitted)
    {
        _server = server;
        _socket = socket;
        _admitted = admitted;
        RemoteEndPoint = socket.RemoteEndPoint;
        _transport = new IsoTransport(new NetworkStream(socket, ownsSocket: true), 65536, pooled: true);
        NegotiatedPduSize = server.Options.MaxPduSize;
    }

    public Task? Completion { get; set; }

    /// <summary>This association as the host sees it.</summary>
    public MmsPeer Peer => field ??= new MmsPeer(this);
    public EndPoint? RemoteEndPoint { get; }
    public bool IsAssociated => _associated;
    public int NegotiatedPduSize { get; private set; }
    private MmsServerOptions Options => _server.Options;

    public void Close()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // already closed by the peer
        }
        catch (ObjectDisposedException)
        {
            // already disposed
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (!await ConnectAsync(cancellationToken).ConfigureAwait(false)) return;
            _associated = true;
            await ServeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (MmsDecodeException)
        {
            await AbortAsync().ConfigureAwait(false);
        }
        catch (MmsProtocolException)
        {
            // the peer went away or broke the transport: nothing more to say
        }
        catch (OperationCanceledException)
        {
            await AbortAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // connection lost
        }
        catch (SocketException)
        {
            // connection lost
        }
        catch (ObjectDisposedException)
        {
            // closed while stopping
        }
        finally
        {
            _associated = false;
            foreach (var (_, waiter) in _outgoing) waiter.TrySetException(new MmsProtocolException("the association ended"));
            _outgoing.Clear();
        }
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<uint, TaskCompletionSource<MmsPdu>> _outgoing = new();
    private uint _outgoingInvokeId;

    /// <summary>Sends a confirmed request to the client (ObtainFile's file transfer) and waits for its answer.</summary>
    /// <summary>
    /// The ACSE password check, in constant time. A method of its own so that the cryptography assembly is loaded
    /// only by a server that asks for a password.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static bool PasswordMatches(byte[] offered, string password) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(offered, System.Text.Encoding.UTF8.GetBytes(password));

    private async Task<MmsResponse> RequestFromClientAsync(MmsRequest request)
    {
        if (!_associated) throw new MmsProtocolException("the association ended");
        var id = Interlocked.Increment(ref _outgoingInvokeId);
        var waiter = new TaskCompletionSource<MmsPdu>(TaskCreationOptions.RunContinuationsAsynchronously);
        _outgoing[id] = waiter;
        try
        {
            await SendPduBytesAsync(MmsPduCodec.Encode(new ConfirmedRequestPdu(id, request)), CancellationToken.None).ConfigureAwait(false);
            MmsPdu reply;
            try
            {
                reply = await waiter.Task.WaitAsync(Options.ObtainFileTimeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"the client did not answer {request.GetType().Name} within {Options.ObtainFileTimeout}");
            }
            return reply switch
            {
                ConfirmedResponsePdu r => r.Response,
                ConfirmedErrorPdu e => throw new MmsServiceErrorException(e.Error),
                RejectPdu j => throw new MmsProtocolException($"the client rejected {request.GetType().Name} ({j.Reason})") { Reject = j.Reason },
                _ => throw new MmsProtocolException($"unexpected {reply.GetType().Name}"),
            };
        }
        finally
        {
            _outgoing.TryRemove(id, out _);
        }
    }

    private async ValueTask AbortAsync()
    {
        if (!_sessionConnected) return;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _transport.WriteTsduAsync(MmsFraming.EncodeAbort(provider: true), cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MmsException or IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // best effort
        }
    }

    private async ValueTask<bool> ConnectAsync(CancellationToken cancellationToken)
    {
        var tpdu = await _transport.ReadTpduAsync(cancellationToken).ConfigureAwait(false);
        if (Cotp.Decode(tpdu.Span) is not CotpConnectionRequest cr)
        {
            throw new MmsDecodeException("cotp", "the first TPDU is not a connection request", 0);
        }
        var size = Math.Min(cr.TpduSize, Options.MaxTpduSize);
        _transport.TpduSize = size;
        await _transport.WriteRawAsync(Cotp.EncodeConnect(true, cr.SourceReference, 0x0001, cr.CallingTsap, cr.CalledTsap, size), cancellationToken).ConfigureAwait(false);

        var tsdu = await _transport.ReadTsduAsync(cancellationToken).ConfigureAwait(false);
        var spdu = IsoSession.Decode(tsdu.Span);
        if (spdu.Type != SpduType.Connect) throw new MmsDecodeException("session", $"{spdu.Type} SPDU where CN was expected", 0);
        _sessionConnected = true;
        var pc = IsoPresentation.DecodeConnect(tsdu.Span.Slice(spdu.UserDataOffset, spdu.UserDataLength));
        var acse = pc.Contexts.FirstOrDefault(c => c.AbstractSyntax == IsoPresentation.AcseAbstractSyntax);
        var mms = pc.Contexts.FirstOrDefault(c => c.AbstractSyntax == IsoPresentation.MmsAbstractSyntax);
        if (acse is null || mms is null) throw new MmsDecodeException("presentation", "CP-type without the ACSE and MMS abstract syntaxes", 0);
        if (acse.TransferSyntax != IsoPresentation.BerTransferSyntax || mms.TransferSyntax != IsoPresentation.BerTransferSyntax)
        {
            throw new MmsDecodeException("presentation", "a transfer syntax other than BER (2.1.1) was proposed", 0);
        }
        _acseContextId = acse.Id;
        _mmsContextId = mms.Id;
        if (pc.UserDataContextId != acse.Id) throw new MmsDecodeException("presentation", "connect user data is not in the ACSE context", 0);
        var aarq = Acse.DecodeAarq(pc.UserData);
        if (aarq.UserDataContextId != mms.Id) throw new MmsDecodeException("acse", "AARQ user information is not in the MMS context", 0);
        var results = pc.Contexts.Select(c => c.Id == acse.Id || c.Id == mms.Id ? 0 : 2).ToArray();

        int? refuse = null;
        var resultCode = 1;
        if (aarq.ApplicationContextName != Acse.MmsApplicationContextName)
        {
            refuse = AcseDiagnostic.ApplicationContextNameNotSupported;
        }
        else if (Options.Password is { } password)
        {
            if (aarq.Password is null) refuse = AcseDiagnostic.AuthenticationRequired;
            else if (aarq.MechanismName != Acse.PasswordMechanism) refuse = AcseDiagnostic.AuthenticationMechanismNameNotRecognized;
            else if (!PasswordMatches(aarq.Password, password)) refuse = AcseDiagnostic.AuthenticationFailure;
        }
        if (refuse is null && !_admitted)
        {
            refuse = AcseDiagnostic.NoReasonGiven;
            resultCode = 2; // rejected-transient: try again later
        }

        MmsPdu initiateReply;
        MmsPdu initiate;
        try
        {
            initiate = MmsPduCodec.Decode(aarq.UserData);
        }
        catch (MmsDecodeException)
        {
            initiate = new ConcludeRequestPdu();
        }
        if (initiate is not InitiateRequestPdu request)
        {
            initiateReply = new InitiateErrorPdu(new MmsServiceError(MmsErrorClass.Initiate, 0, "initiate-RequestPDU expected"));
            refuse ??= AcseDiagnostic.NoReasonGiven;
        }
        else
        {
            var p = request.Parameters;
            if (p.VersionNumber < 1)
            {
                initiateReply = new InitiateErrorPdu(new MmsServiceError(MmsErrorClass.Initiate, 1, "version 1 required"));
                refuse ??= AcseDiagnostic.NoReasonGiven;
            }
            else
            {
                var pduSize = p.LocalDetail <= 0 ? Options.MaxPduSize : Math.Min(p.LocalDetail, Options.MaxPduSize);
                pduSize = Math.Max(pduSize, 256);
                NegotiatedPduSize = pduSize;
                _transport.MaxTsduLength = pduSize + 256;
                initiateReply = new InitiateResponsePdu(new MmsInitiateParameters
                {
                    LocalDetail = pduSize,
                    MaxServOutstandingCalling = Math.Clamp(p.MaxServOutstandingCalling, 1, Options.MaxServOutstanding),
                    MaxServOutstandingCalled = Math.Clamp(p.MaxServOutstandingCalled, 1, Options.MaxServOutstanding),
                    DataStructureNestingLevel = p.DataStructureNestingLevel <= 0 ? Options.DataStructureNestingLevel : Math.Min(p.DataStructureNestingLevel, Options.DataStructureNestingLevel),
                    VersionNumber = 1,
                });
            }
        }

        var accepted = refuse is null;
        var aare = Acse.EncodeAare(new AareApdu(
            Acse.MmsApplicationContextName,
            accepted ? 0 : resultCode,
            refuse ?? AcseDiagnostic.Null,
            new AcseAddress(aarq.Called.ApTitle, aarq.Called.AeQualifier),
            mms.Id,
            accepted ? MmsPduCodec.Encode(initiateReply) : initiateReply is InitiateErrorPdu ? MmsPduCodec.Encode(initiateReply) : []));
        byte[] reply;
        if (accepted)
        {
            var cpa = IsoPresentation.EncodeAccept(pc.CalledSelector, results, acse.Id, aare);
            reply = IsoSession.EncodeConnectOrAccept(true, spdu.CallingSelector, spdu.CalledSelector, cpa);
        }
        else
        {
            var cpr = MmsFraming.EncodePresentationRefuse(pc.CalledSelector, pc.Contexts.Count, aare);
            reply = IsoSession.EncodeRefuse(cpr);
        }
        await _transport.WriteTsduAsync(reply, cancellationToken).ConfigureAwait(false);
        return accepted;
    }

    private async Task ServeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadOnlyMemory<byte> tsdu;
            if (Options.IdleTimeout is { } idle)
            {
                using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                cts.CancelAfter(idle);
                tsdu = await _transport.ReadTsduAsync(cts.Token).ConfigureAwait(false);
            }
            else
            {
                tsdu = await _transport.ReadTsduAsync(cancellationToken).ConfigureAwait(false);
            }
            var message = MmsFraming.ReadTsdu(tsdu.Span);
            switch (message.Kind)
            {
                case UpperLayerKind.Data:
                    if (message.ContextId != _mmsContextId)
                    {
                        throw new MmsDecodeException("presentation", $"data in presentation context {message.ContextId}, not the MMS context", message.Offset);
                    }
                    await HandlePduAsync(tsdu.Slice(message.Offset, message.Length), cancellationToken).ConfigureAwait(false);
                    break;
                case UpperLayerKind.ReleaseRequest:
                    await _transport.WriteTsduAsync(MmsFraming.EncodeRelease(response: true), cancellationToken).ConfigureAwait(false);
                    return;
                case UpperLayerKind.Abort:
                    return;
                default:
                    throw new MmsDecodeException("session", $"{message.Kind} is not expected from a client", 0);
            }
        }
    }

    internal async ValueTask SendPduBytesAsync(ReadOnlyMemory<byte> pdu, CancellationToken cancellationToken)
    {
        try
        {
            await _transport.WriteMmsAsync(pdu.Span, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MmsException or IOException or SocketException or ObjectDisposedException)
        {
            Close();
        }
    }

    private ValueTask SendAsync(MmsPdu pdu, CancellationToken cancellationToken)
    {
        _writer.Reset();
        MmsPduCodec.Encode(_writer, pdu);
        if (_writer.Length > NegotiatedPduSize && pdu is ConfirmedResponsePdu r)
        {
            _writer.Reset();
            MmsPduCodec.Encode(_writer, new ConfirmedErrorPdu(r.InvokeId, new MmsServiceError(MmsErrorClass.Service, 3, "response exceeds the negotiated PDU size")));
        }
        _frames.Reset();
        MmsFraming.WriteMmsData(_frames, _writer.WrittenSpan, _transport.TpduSize, _mmsContextId);
        return _transport.WriteRawAsync(_frames.WrittenMemory, cancellationToken);
    }

    private async ValueTask HandlePduAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        MmsPdu pdu;
        try
        {
            pdu = MmsPduCodec.Decode(bytes.Span);
        }
        catch (MmsDecodeException ex)
        {
            _server.MalformedPdu?.Invoke(Peer, ex);
            await SendAsync(new RejectPdu(ex.InvokeId, ex.RejectReason ?? MmsRejectReason.InvalidPdu), cancellationToken).ConfigureAwait(false);
            return;
        }
        switch (pdu)
        {
            case ConfirmedRequestPdu { Request: ObtainFileRequest obtain } request:
                StartObtainFile(request.InvokeId, obtain);
                break;
            case ConfirmedResponsePdu response when _outgoing.TryRemove(response.InvokeId, out var waiter):
                waiter.TrySetResult(response);
                break;
            case ConfirmedErrorPdu error when _outgoing.TryRemove(error.InvokeId, out var waiter):
                waiter.TrySetResult(error);
                break;
            case RejectPdu { OriginalInvokeId: { } rejected } reject when _outgoing.TryRemove(rejected, out var waiter):
                waiter.TrySetResult(reject);
                break;
            case ConfirmedRequestPdu request:
                {
                    lock (_afterGate) _handling = true;
                    MmsPdu reply;
                    try
                    {
                        var result = Dispatch(request.Request);
                        reply = result.Response is { } response
                            ? new ConfirmedResponsePdu(request.InvokeId, response)
                            : new ConfirmedErrorPdu(request.InvokeId, result.Error!);
                    }
                    catch (MmsDecodeException)
                    {
                        reply = new RejectPdu(request.InvokeId, MmsRejectReason.InvalidArgument);
                    }
                    List<Func<Task>>? after;
                    try
                    {
                        await SendAsync(reply, cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        lock (_afterGate)
                        {
                            after = _afterResponse;
                            _afterResponse = null;
                            _handling = false;
                        }
                    }
                    if (after is not null)
                    {
                        foreach (var action in after) _ = RunDetachedAsync(action);
                    }
                    break;
                }
            case ConcludeRequestPdu:
                await SendAsync(new ConcludeResponsePdu(), cancellationToken).ConfigureAwait(false);
                break;
            case ConfirmedResponsePdu or ConfirmedErrorPdu:
                await SendAsync(new RejectPdu(null, new MmsRejectReason(MmsRejectReason.ConfirmedResponse, 2)), cancellationToken).ConfigureAwait(false);
                break;
            case RejectPdu or InformationReportPdu:
                break; // nothing outstanding on the server side; unconfirmed input is ignored
            default:
                await SendAsync(new RejectPdu(null, MmsRejectReason.UnknownPduType), cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private readonly object _afterGate = new();
    private List<Func<Task>>? _afterResponse;
    private bool _handling;

    /// <summary>Queues <paramref name="action"/> until the current response is sent (at once when none is pending).</summary>
    public void AfterResponse(Func<Task> action)
    {
        lock (_afterGate)
        {
            if (_handling)
            {
                (_afterResponse ??= []).Add(action);
                return;
            }
        }
        _ = RunDetachedAsync(action);
    }

    private static async Task RunDetachedAsync(Func<Task> action)
    {
        try
        {
            await Task.Yield();
            await action().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MmsException or IOException or System.Net.Sockets.SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // the association went away meanwhile: nothing to deliver to
        }
    }

    /// <summary>Called once <see cref="RunAsync"/> has ended: nothing reads or answers on this association any more.</summary>
    public async ValueTask DisposeAsync()
    {
        CloseAllFiles();
        await _transport.DisposeAsync().ConfigureAwait(false);
        _transport.ReturnBuffers();
        _writer.ReturnBuffer();
        _names.ReturnBuffer();
        _frames.Return();
    }
}
