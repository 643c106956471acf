using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace FlexCoop.Iec61850.Mms.Server;

/// <summary>An established association as the host sees it: who it is, and a way to send it unconfirmed PDUs.</summary>
public sealed class MmsPeer
{
    private readonly ServerAssociation _association;

    internal MmsPeer(ServerAssociation association) => _association = association;

    public EndPoint? RemoteEndPoint => _association.RemoteEndPoint;

    /// <summary>True while the association lasts.</summary>
    public bool IsAssociated => _association.IsAssociated;

    /// <summary>
    /// Runs <paramref name="action"/> once the response to the request being handled on this association
    /// has been sent (e.g. a CommandTermination after the Operate response); at once when no request is
    /// being handled. The action runs on its own: it does not hold up the association.
    /// </summary>
    public void AfterResponse(Func<Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        _association.AfterResponse(action);
    }

    /// <summary>The largest MMS PDU this association accepts (negotiated in initiate).</summary>
    public int NegotiatedPduSize => _association.NegotiatedPduSize;

    /// <summary>Sends an unconfirmed informationReport to this association only.</summary>
    public ValueTask SendInformationReportAsync(InformationReportPdu report, CancellationToken cancellationToken = default) =>
        _association.SendPduBytesAsync(MmsPduCodec.Encode(report), cancellationToken);
}

/// <summary>What a client asked to write, handed to <see cref="MmsServer.WriteHandler"/> before and <see cref="MmsServer.Written"/> after the value changes.</summary>
public sealed record MmsWriteContext(string Domain, string ItemId, MmsValue Value, EndPoint? Client)
{
    /// <summary>The association that wrote.</summary>
    public MmsPeer? Peer { get; init; }
}

/// <summary>
/// An MMS server over RFC 1006 (TCP): serves the domains, named variables, named variable lists,
/// journals and files of an <see cref="MmsVmd"/> to several associations at once. A malformed PDU
/// is answered with a reject or an error, or ends that one association; the others carry on.
/// </summary>
public sealed class MmsServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<int, ServerAssociation> _associations = new();
    private readonly CancellationTokenSource _stopping = new();
    private TcpListener? _listener;
    private Task? _acceptLoop;
    private int _nextId;
    private int _admitted;

    public MmsServer(MmsVmd vmd, MmsServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(vmd);
        Options = options ?? new MmsServerOptions();
        Options.Validate();
        Vmd = vmd;
        FileStore = Options.FileStoreRoot is { } root ? new MmsFileStore(root) : null;
    }

    public MmsVmd Vmd { get; }
    public MmsServerOptions Options { get; }

    /// <summary>The encodings of the structured types GetVariableAccessAttributes answers with, shared by all associations.</summary>
    internal MmsTypeEncodingCache TypeEncodings { get; } = new();
    internal MmsFileStore? FileStore { get; }

    /// <summary>Called before a client's write is applied; return an error to refuse it.</summary>
    public Func<MmsWriteContext, DataAccessError?>? WriteHandler { get; init; }

    /// <summary>Called after a client's write was applied (on that association's I/O path: keep it quick).</summary>
    public Action<MmsWriteContext>? Written { get; init; }

    /// <summary>A deliberate defect for proving conformance suites: ReadJournal ignores entryToStartAfter and answers from the start.</summary>
    internal bool IgnoreEntryToStartAfter { get; init; }

    /// <summary>
    /// A deliberate defect for proving conformance suites, as some stacks have it: DefineNamedVariableList accepts
    /// members that do not exist, and GetNamedVariableListAttributes of a list with such a member, or of a list this
    /// predicate names (a data set whose SCL FCDA designated nothing), stops the whole server (<see cref="Crash"/>).
    /// </summary>
    internal Func<ObjectName, bool>? CrashOnUnresolvedListMember { get; init; }

    /// <summary>Called when a client's MMS PDU did not decode (the association answers with a reject), e.g. for logging.</summary>
    public Action<MmsPeer, MmsDecodeException>? MalformedPdu { get; init; }

    /// <summary>The endpoint the listener is bound to (with the OS-assigned port when 0 was asked).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint?)_listener?.LocalEndpoint ?? throw new InvalidOperationException("the server is not started");

    /// <summary>Associations currently established.</summary>
    public int AssociationCount => _associations.Values.Count(a => a.IsAssociated);

    private int _disposed;

    /// <summary>
    /// Stops at once, as a crashed server would: no new connection is accepted and every association
    /// is dropped before this returns, without answering what is in flight. <see cref="DisposeAsync"/>
    /// still releases the rest. Used by the fault modes that prove conformance suites.
    /// </summary>
    internal void Crash()
    {
        _stopping.Cancel();
        _listener?.Stop();
        foreach (var a in _associations.Values) a.Close();
    }

    /// <summary>Starts listening on <paramref name="endPoint"/> (port 0 picks a free port).</summary>
    public void Start(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        if (_listener is not null) throw new InvalidOperationException("the server is already started");
        var listener = new TcpListener(endPoint);
        listener.Start(64);
        _listener = listener;
        _acceptLoop = AcceptLoopAsync(listener, _stopping.Token);
    }

    private async Task AcceptLoopAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (SocketException)
            {
                if (cancellationToken.IsCancellationRequested) break;
                continue;
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            socket.NoDelay = true;
            var id = Interlocked.Increment(ref _nextId);
            var admitted = Interlocked.Increment(ref _admitted) <= Options.MaxAssociations;
            var association = new ServerAssociation(this, socket, admitted);
            _associations[id] = association;
            association.Completion = RunAssociationAsync(id, association, cancellationToken);
        }
    }

    private async Task RunAssociationAsync(int id, ServerAssociation association, CancellationToken cancellationToken)
    {
        try
        {
            await association.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _associations.TryRemove(id, out _);
            Interlocked.Decrement(ref _admitted);
            await association.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Sends an unconfirmed informationReport to every established association.</summary>
    public async ValueTask SendInformationReportAsync(InformationReportPdu report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        var bytes = MmsPduCodec.Encode(report);
        foreach (var a in _associations.Values.Where(a => a.IsAssociated))
        {
            await a.SendPduBytesAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (!_stopping.IsCancellationRequested) await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Stop();
        if (_acceptLoop is not null) await _acceptLoop.ConfigureAwait(false);
        var running = _associations.Values.ToArray();
        foreach (var a in running) a.Close();
        await Task.WhenAll(running.Select(a => a.Completion ?? Task.CompletedTask)).ConfigureAwait(false);
        _stopping.Dispose();
    }
}
