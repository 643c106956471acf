using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;
using System.Xml.Linq;

namespace FlexCoop.Xmpp.Internal;

/// <summary>
/// One TCP (then TLS) connection carrying one XMPP stream at a time: writes elements, reads
/// them through <see cref="XmppStreamReader"/>. Writes are serialised; reads come from one loop.
/// </summary>
internal sealed class XmppConnection : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly XmppStreamReaderOptions _readerOptions;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly byte[] _readBuffer = new byte[16 * 1024];
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

    public Task SendAsync(XElement element, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        XmppStreamWriter.WriteElement(buffer, element);
        return WriteAsync(buffer.WrittenMemory, cancellationToken);
    }

    public async Task WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        try
        {
            await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectDisposedException e)
        {
            throw new XmppConnectionException("the connection is closed", e);
        }
        try
        {
            await _stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            throw new XmppConnectionException("the connection was lost while writing", e);
        }
        finally
        {
            _writeLock.Release();
        }
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
            try
            {
                n = await _stream.ReadAsync(_readBuffer, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
            {
                throw new XmppConnectionException("the connection was lost while reading", e);
            }
            if (n == 0)
            {
                throw new XmppConnectionException("the server closed the connection");
            }
            _reader.Append(_readBuffer.AsSpan(0, n));
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
        await _stream.DisposeAsync().ConfigureAwait(false);
        // The write lock is not disposed: a writer racing with the close must get XmppConnectionException, not ObjectDisposedException.
        _tcp.Dispose();
    }
}
