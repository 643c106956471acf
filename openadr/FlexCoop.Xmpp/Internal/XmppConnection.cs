using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;
using System.Xml.Linq;

namespace FlexCoop.Xmpp.Internal;

/// <summary>
/// One TCP (then TLS) connection carrying one XMPP stream at a time: writes elements, reads
/// them through <see cref="XmppStreamReader"/>. Writes are queued in call order and sent in batches; reads come from one loop.
/// </summary>
internal sealed class XmppConnection : IAsyncDisposable
{
    /// <summary>Bytes queued by <see cref="Enqueue"/>: the batch's completion, and whether the caller must start the write.</summary>
    internal readonly record struct QueuedWrite(Task Written, bool Drive);

    private readonly TcpClient _tcp;
    private readonly XmppStreamReaderOptions _readerOptions;
    private const int BufferSize = 4096;
    private const int MaxKeptBuffer = 64 * 1024;
    private const int ReadSize = 16 * 1024;

    // Outbound: stanzas are appended to _pending under _writeGate; one writer at a time sends it.
    private readonly Lock _writeGate = new();
    private ArrayBufferWriter<byte> _pending = new(BufferSize);
    private ArrayBufferWriter<byte>? _spare = new(BufferSize);
    private TaskCompletionSource? _pendingWritten;
    private bool _writing;
    private XmppConnectionException? _writeFailure;
    private bool _lastReadFilled;
    private Stream _stream;
    private XmppStreamReader _reader;

    private XmppConnection(TcpClient tcp, XmppStreamReaderOptions readerOptions)
    {
        _tcp = tcp;
        _readerOptions = readerOptions;
        _stream = tcp.GetStream();
        _reader = new XmppStreamReader(readerOptions);
    }

    public bool IsTls => _stream is SslStream;

    public SslStream? Tls => _stream as SslStream;

    public static async Task<XmppConnection> ConnectAsync(string host, int port, XmppStreamReaderOptions readerOptions, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            tcp.Dispose();
            throw new XmppConnectionException($"cannot connect to {host}:{port}: {e.SocketErrorCode}", e);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
        return new XmppConnection(tcp, readerOptions);
    }

    /// <summary>Sends a stream header and reads the server's header and features.</summary>
    public async Task<XElement> OpenStreamAsync(string domain, CancellationToken cancellationToken)
    {
        _reader = new XmppStreamReader(_readerOptions);
        var header = new ArrayBufferWriter<byte>(256);
        XmppStreamWriter.WriteHeader(header, domain);
        await WriteAsync(header.WrittenMemory, cancellationToken).ConfigureAwait(false);
        var opened = await ReadEventAsync(cancellationToken).ConfigureAwait(false);
        if (opened is not XmppStreamOpened)
        {
            throw new XmppStreamException("bad-format", "expected the server's stream header");
        }
        var features = await ReadElementAsync(cancellationToken).ConfigureAwait(false);
        if (features.Name != XmppNames.Streams + "features")
        {
            throw new XmppStreamException("bad-format", $"expected stream features, got '{features.Name}'");
        }
        return features;
    }

    public async Task UpgradeToTlsAsync(SslClientAuthenticationOptions options, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is System.Security.Authentication.AuthenticationException or IOException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw new XmppConnectionException($"TLS handshake failed: {e.Message}", e);
        }
        _stream = ssl;
    }

    /// <summary>Serialises <paramref name="element"/> (no formatting) and writes it.</summary>
    public Task SendAsync(XElement element, CancellationToken cancellationToken) =>
        WriteAsync(XmppStreamWriter.ToUtf8(element), cancellationToken);

    /// <summary>Writes <paramref name="bytes"/>; completes once they were handed to the socket together with whatever was queued with them.</summary>
    public Task WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }
        var queued = Enqueue(bytes.Span);
        var written = CompleteAsync(queued);
        return cancellationToken.CanBeCanceled && !written.IsCompleted ? written.WaitAsync(cancellationToken) : written;
    }

    /// <summary>
    /// Appends <paramref name="bytes"/> to the next write, synchronously, so that the order of
    /// calls is the order on the wire. Everything queued while a write is in progress goes out in
    /// the following one (one TLS record sequence, one system call) instead of one write per stanza.
    /// Pass the result to <see cref="CompleteAsync"/>.
    /// </summary>
    public QueuedWrite Enqueue(ReadOnlySpan<byte> bytes)
    {
        lock (_writeGate)
        {
            if (_writeFailure is not null)
            {
                return new QueuedWrite(Task.FromException(new XmppConnectionException(_writeFailure.Message, _writeFailure.InnerException)), Drive: false);
            }
            _pending.Write(bytes);
            _pendingWritten ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var drive = !_writing;
            _writing = true;
            return new QueuedWrite(_pendingWritten.Task, drive);
        }
    }

    /// <summary>
    /// Completes when the bytes of <paramref name="queued"/> are written. The caller that found no write in
    /// progress writes the batch itself (no thread hop when idle); what queued up meanwhile is written
    /// by a pool thread, so no caller waits for others' stanzas.
    /// </summary>
    public Task CompleteAsync(QueuedWrite queued) => queued.Drive ? DriveAsync(queued.Written) : queued.Written;

    private async Task DriveAsync(Task own)
    {
        if (await WriteBatchAsync().ConfigureAwait(false))
        {
            _ = Task.Run(DrainAsync);
        }
        await own.ConfigureAwait(false);
    }

    private async Task DrainAsync()
    {
        while (await WriteBatchAsync().ConfigureAwait(false))
        {
        }
    }

    /// <summary>Writes what is queued; true when more was queued meanwhile (the caller writes it next).</summary>
    private async Task<bool> WriteBatchAsync()
    {
        ArrayBufferWriter<byte> buffer;
        TaskCompletionSource written;
        lock (_writeGate)
        {
            buffer = _pending;
            written = _pendingWritten!;
            _pending = _spare ?? new ArrayBufferWriter<byte>(BufferSize);
            _spare = null;
            _pendingWritten = null;
        }
        XmppConnectionException? failure = null;
        try
        {
            await _stream.WriteAsync(buffer.WrittenMemory).ConfigureAwait(false);
            await _stream.FlushAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // whatever ends a write must complete the batch's callers, or they would wait forever
        catch (Exception e)
#pragma warning restore CA1031
        {
            failure = new XmppConnectionException("the connection was lost while writing", e);
        }
        bool more;
        TaskCompletionSource? abandoned = null;
        lock (_writeGate)
        {
            // A buffer a large stanza grew is not kept.
            buffer.ResetWrittenCount();
            _spare = buffer.Capacity <= MaxKeptBuffer ? buffer : null;
            if (failure is not null)
            {
                _writeFailure ??= failure;
                abandoned = _pendingWritten;
                _pendingWritten = null;
                _pending.ResetWrittenCount();
            }
            more = failure is null && _pending.WrittenCount > 0;
            if (!more)
            {
                _writing = false;
            }
        }
        if (failure is null)
        {
            written.TrySetResult();
        }
        else
        {
            written.TrySetException(failure);
            abandoned?.TrySetException(failure);
        }
        return more;
    }

    /// <summary>Reads the next top-level element; a <c>stream:error</c> or the stream's end throws.</summary>
    public async Task<XElement> ReadElementAsync(CancellationToken cancellationToken)
    {
        var ev = await ReadEventAsync(cancellationToken).ConfigureAwait(false);
        switch (ev)
        {
            case XmppStreamElement { Element: var e } when e.Name == XmppNames.Streams + "error":
                var condition = e.Elements().FirstOrDefault(c => c.Name.Namespace == XmppNames.StreamErrors && c.Name.LocalName != "text");
                throw new XmppStreamException(condition?.Name.LocalName ?? "undefined-condition", e.Element(XmppNames.StreamErrors + "text")?.Value);
            case XmppStreamElement { Element: var e }:
                return e;
            case XmppStreamClosed:
                throw new XmppConnectionException("the server closed the stream");
            default:
                throw new XmppStreamException("bad-format", "a second stream header");
        }
    }

    private async Task<XmppStreamEvent> ReadEventAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_reader.TryRead(out var ev))
            {
                return ev;
            }
            int n;
            byte[]? buffer = null;
            try
            {
                // An idle session holds no read buffer: wait for data with a zero-byte read (SslStream then
                // frees its own buffer too), and borrow one only to take what arrived. Thousands of idle
                // sessions in one process (a VEN fleet, a load driver) cost kilobytes, not megabytes.
                if (!_lastReadFilled)
                {
                    await _stream.ReadAsync(Memory<byte>.Empty, cancellationToken).ConfigureAwait(false);
                }
                buffer = ArrayPool<byte>.Shared.Rent(ReadSize);
                n = await _stream.ReadAsync(buffer.AsMemory(0, ReadSize), cancellationToken).ConfigureAwait(false);
                _lastReadFilled = n == ReadSize;
                if (n > 0)
                {
                    _reader.Append(buffer.AsSpan(0, n));
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
            {
                throw new XmppConnectionException("the connection was lost while reading", e);
            }
            finally
            {
                if (buffer is not null)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
            if (n == 0)
            {
                throw new XmppConnectionException("the server closed the connection");
            }
        }
    }

    /// <summary>Drops the TCP connection at once (no closing tag), as a network failure would.</summary>
    public void Abort()
    {
        try
        {
            _tcp.Client.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // already gone
        }
        _tcp.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        lock (_writeGate)
        {
            // A writer racing with the close gets XmppConnectionException, not ObjectDisposedException.
            _writeFailure ??= new XmppConnectionException("the connection is closed");
        }
        await _stream.DisposeAsync().ConfigureAwait(false);
        _tcp.Dispose();
    }
}
