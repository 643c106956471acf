using System.Buffers.Text;
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using FlexCoop.OpenAdr;
using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;

/// <summary>
/// The lean peak driver: one VEN's keep-alive connection on a raw socket (with its own TLS session
/// when the target is https), its oadrPoll request prebuilt as bytes (request line, headers, body),
/// and a minimal HTTP/1.1 response reader: status line, end of headers, Content-Length, body. No
/// HttpClient, no header collections, no per-poll allocation beyond the latency sample, so the
/// peak phase costs the driver little next to the server and the same path measures every server.
/// Every answer is checked: it must be 200 with a body; the first body (and any body that differs
/// from the last one checked) is parsed and must be an <c>oadrResponse</c> with code 200 naming
/// this VEN's venID; a body byte-for-byte equal to the last one checked needs no parsing.
/// </summary>
internal sealed class RawPollConnection : IAsyncDisposable
{
    private const int MaxResponseBytes = 1 << 20;
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] ContentLengthName = "content-length:"u8.ToArray();
    private static readonly byte[] ConnectionClose = "connection: close"u8.ToArray();

    private readonly Uri _target;
    private readonly X509Certificate2? _certificate;
    private readonly byte[] _request;
    private readonly string? _venId;
    private Socket? _socket;
    private Stream? _stream;
    private byte[] _buffer = new byte[2048];
    private byte[]? _checked;

    private RawPollConnection(Uri target, X509Certificate2? certificate, byte[] request, string? venId)
    {
        _target = target;
        _certificate = certificate;
        _request = request;
        _venId = venId;
    }

    /// <summary>The first wrong answer's description, if any (for the report).</summary>
    public string? FirstWrong { get; private set; }

    /// <summary>
    /// Opens the connection (TCP, then TLS with <paramref name="certificate"/> for an https target) and
    /// prebuilds the POST of <paramref name="body"/> to <paramref name="target"/>. <paramref name="venId"/>
    /// is what every answer must name (null: any venID, for the bare endpoint's fixed answer).
    /// </summary>
    public static async Task<RawPollConnection> OpenAsync(Uri target, X509Certificate2? certificate, byte[] body, string? venId, CancellationToken cancellationToken = default)
    {
        var head = $"POST {target.PathAndQuery} HTTP/1.1\r\nHost: {target.Authority}\r\nContent-Type: application/xml\r\nContent-Length: {body.Length}\r\n\r\n";
        var request = new byte[Encoding.ASCII.GetByteCount(head) + body.Length];
        var at = Encoding.ASCII.GetBytes(head, request);
        body.CopyTo(request, at);
        var connection = new RawPollConnection(target, certificate, request, venId);
        await connection.ConnectAsync(cancellationToken);
        return connection;
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        await CloseAsync();
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(_target.Host), _target.Port), cancellationToken);
            Stream stream = new NetworkStream(socket, ownsSocket: false);
            if (_target.Scheme == Uri.UriSchemeHttps)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                var certificate = _certificate ?? throw new InvalidOperationException("an https target needs the VEN's client certificate");
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = _target.Host,
                    ClientCertificates = [certificate],
                    LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
                    RemoteCertificateValidationCallback = (_, _, _, _) => true,
                    EnabledSslProtocols = SslProtocols.Tls12,
                }, cancellationToken);
                stream = tls;
            }
            (_socket, _stream) = (socket, stream);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Polls back to back until <paramref name="stop"/>; appends each poll's latency (ms) to <paramref name="latencies"/>.</summary>
    public async Task<(int Errors, int Wrong)> RunAsync(List<double> latencies, CancellationToken stop)
    {
        int errors = 0, wrong = 0;
        while (!stop.IsCancellationRequested)
        {
            var start = Stopwatch.GetTimestamp();
            string? problem;
            try
            {
                problem = await PollOnceAsync();
            }
            catch (Exception ex) when (ex is IOException or SocketException or AuthenticationException or ObjectDisposedException)
            {
                // The connection broke: counted, and the VEN connects again (as a real one would).
                errors++;
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                try
                {
                    await ConnectAsync(CancellationToken.None);
                }
                catch (Exception again) when (again is IOException or SocketException or AuthenticationException)
                {
                    FirstWrong ??= $"could not connect again: {again.Message}";
                    return (errors, wrong);
                }
                continue;
            }
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            if (problem is not null)
            {
                wrong++;
                FirstWrong ??= problem;
            }
        }
        return (errors, wrong);
    }

    // One request, one response; null when the answer is right, else what is wrong with it.
    private async Task<string?> PollOnceAsync()
    {
        var stream = _stream ?? throw new ObjectDisposedException(nameof(RawPollConnection));
        await stream.WriteAsync(_request);
        var filled = 0;
        int headerEnd;
        while ((headerEnd = _buffer.AsSpan(0, filled).IndexOf(HeaderEnd)) < 0)
        {
            if (filled == _buffer.Length)
            {
                if (_buffer.Length >= MaxResponseBytes) throw new IOException("response headers too large");
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
            var read = await stream.ReadAsync(_buffer.AsMemory(filled));
            if (read == 0) throw new IOException("the server closed the connection");
            filled += read;
        }
        headerEnd += HeaderEnd.Length;
        var status = Status(_buffer.AsSpan(0, headerEnd));
        var length = ContentLength(_buffer.AsSpan(0, headerEnd));
        var closes = Contains(_buffer.AsSpan(0, headerEnd), ConnectionClose);
        if (length is not { } bodyLength)
        {
            throw new IOException("a response without Content-Length (this reader handles no other framing)");
        }
        var total = headerEnd + bodyLength;
        if (total > MaxResponseBytes) throw new IOException($"a response of {total} bytes");
        if (total > _buffer.Length) Array.Resize(ref _buffer, total);
        while (filled < total)
        {
            var read = await stream.ReadAsync(_buffer.AsMemory(filled, total - filled));
            if (read == 0) throw new IOException("the server closed the connection mid-response");
            filled += read;
        }
        if (filled > total) throw new IOException("bytes after the response (nothing was pipelined)");
        var problem = status == 200 ? Check(_buffer.AsSpan(headerEnd, bodyLength)) : $"HTTP {status}";
        if (closes) await ConnectAsync(CancellationToken.None);
        return problem;
    }

    private string? Check(ReadOnlySpan<byte> body)
    {
        if (_checked is not null && body.SequenceEqual(_checked)) return null;
        OadrMessage message;
        try
        {
            message = OadrCodec.ParseMessage(body);
        }
        catch (OpenAdrException ex)
        {
            return $"unreadable answer: {ex.Message}";
        }
        if (message is not OadrResponse response) return $"{message.ElementName} instead of oadrResponse";
        if (response.EiResponse.ResponseCode.Value != "200") return $"oadrResponse {response.EiResponse.ResponseCode.Value}: {response.EiResponse.ResponseDescription}";
        if (_venId is not null && response.VenId != _venId) return $"oadrResponse for venID {response.VenId}, not {_venId}";
        _checked = body.ToArray();
        return null;
    }

    // "HTTP/1.1 200 ..." → 200; 0 when the status line is not HTTP/1.x.
    private static int Status(ReadOnlySpan<byte> head)
    {
        if (head.Length < 12 || !head.StartsWith("HTTP/1."u8) || head[8] != (byte)' ') return 0;
        return Utf8Parser.TryParse(head.Slice(9, 3), out int status, out var used) && used == 3 ? status : 0;
    }

    private static int? ContentLength(ReadOnlySpan<byte> head)
    {
        var at = IndexOfIgnoreCase(head, ContentLengthName);
        if (at < 0) return null;
        var value = head[(at + ContentLengthName.Length)..];
        value = value[..value.IndexOf((byte)'\r')].Trim((byte)' ');
        return Utf8Parser.TryParse(value, out int length, out var used) && used == value.Length && length >= 0 ? length : null;
    }

    private static bool Contains(ReadOnlySpan<byte> head, ReadOnlySpan<byte> lowerCase) => IndexOfIgnoreCase(head, lowerCase) >= 0;

    // Header names are case-insensitive; each is looked for at the start of a line.
    private static int IndexOfIgnoreCase(ReadOnlySpan<byte> head, ReadOnlySpan<byte> lowerCase)
    {
        for (var line = head.IndexOf("\r\n"u8); line >= 0 && line + 2 + lowerCase.Length <= head.Length;)
        {
            var start = line + 2;
            if (Ascii.EqualsIgnoreCase(head.Slice(start, lowerCase.Length), lowerCase)) return start;
            var next = head[start..].IndexOf("\r\n"u8);
            line = next < 0 ? -1 : start + next;
        }
        return -1;
    }

    private async ValueTask CloseAsync()
    {
        if (_stream is not null) await _stream.DisposeAsync();
        _socket?.Dispose();
        (_stream, _socket) = (null, null);
    }

    public ValueTask DisposeAsync() => CloseAsync();
}

/// <summary>A set of raw connections, one per VEN, polled back to back for a given time.</summary>
internal static class RawPoller
{
    public sealed record Run(List<double> Latencies, TimeSpan Wall, int Errors, int Wrong, string? FirstWrong, double DriverCpuSeconds);

    /// <summary>Opens one connection per VEN (16 at a time: TLS handshakes are not what is measured).</summary>
    public static async Task<RawPollConnection[]> OpenAsync(Uri target, IReadOnlyList<X509Certificate2?> certificates, IReadOnlyList<byte[]> polls, IReadOnlyList<string?> venIds)
    {
        var connections = new RawPollConnection[polls.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, polls.Count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    connections[i] = await RawPollConnection.OpenAsync(target, certificates[i], polls[i], venIds[i], ct);
                    return;
                }
                catch (Exception ex) when (attempt < 5 && ex is IOException or SocketException or AuthenticationException)
                {
                    await Task.Delay(TimeSpan.FromSeconds(attempt), ct);
                }
            }
        });
        return connections;
    }

    public static async Task<Run> RunAsync(RawPollConnection[] connections, TimeSpan length)
    {
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var latencies = connections.Select(_ => new List<double>(256)).ToArray();
        var wall = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(length);
        var results = await Task.WhenAll(connections.Select((c, i) => Task.Run(() => c.RunAsync(latencies[i], stop.Token))));
        wall.Stop();
        process.Refresh();
        var driverCpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        return new Run(latencies.SelectMany(l => l).ToList(), wall.Elapsed, results.Sum(r => r.Errors), results.Sum(r => r.Wrong),
            connections.Select(c => c.FirstWrong).FirstOrDefault(w => w is not null), driverCpu);
    }

    public static async Task CloseAsync(RawPollConnection[] connections)
    {
        foreach (var c in connections) await c.DisposeAsync();
    }
}
