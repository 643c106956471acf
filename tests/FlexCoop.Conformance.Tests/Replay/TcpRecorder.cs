using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace FlexCoop.Conformance.Tests;

/// <summary>
/// A loopback TCP proxy that records both directions of every connection it relays, then writes
/// them as a pcap (Ethernet, IPv4, TCP with handshake, sequence numbers and FIN), the way a capture
/// on the wire would show them. Bytes are recorded before they are forwarded, so once a peer has
/// received something, the recording holds it.
/// </summary>
internal sealed class TcpRecorder : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly int _pcapServerPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Connection> _connections = [];
    private readonly List<Task> _tasks = [];
    private readonly List<Socket> _sockets = [];
    private readonly Lock _lock = new();
    private readonly Task _accepting;
    private long _lastTicks;

    internal sealed record Chunk(bool FromClient, long Ticks, byte[] Data);

    internal sealed class Connection(int clientPort, long openedTicks)
    {
        public int ClientPort { get; } = clientPort;
        public long OpenedTicks { get; } = openedTicks;
        public List<Chunk> Chunks { get; } = [];
    }

    /// <param name="target">Where to relay to.</param>
    /// <param name="pcapServerPort">The server port the pcap shows (e.g. 102 for MMS); default the target's.</param>
    public TcpRecorder(IPEndPoint target, int? pcapServerPort = null)
    {
        _target = target;
        _pcapServerPort = pcapServerPort ?? target.Port;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>Where clients connect.</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    public IReadOnlyList<Connection> Connections
    {
        get
        {
            lock (_lock) return [.. _connections];
        }
    }

    private long Stamp()
    {
        lock (_lock)
        {
            // Strictly increasing, at least a microsecond apart: the pcap keeps microseconds.
            var now = DateTimeOffset.UtcNow.Ticks / 10 * 10;
            _lastTicks = Math.Max(now, _lastTicks + 10);
            return _lastTicks;
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            var server = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            client.NoDelay = true;
            await server.ConnectAsync(_target, _stop.Token);
            var connection = new Connection(((IPEndPoint)client.RemoteEndPoint!).Port, Stamp());
            lock (_lock)
            {
                _connections.Add(connection);
                _sockets.Add(client);
                _sockets.Add(server);
                _tasks.Add(PumpAsync(client, server, connection, fromClient: true));
                _tasks.Add(PumpAsync(server, client, connection, fromClient: false));
            }
        }
    }

    private async Task PumpAsync(Socket from, Socket to, Connection connection, bool fromClient)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var n = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (n == 0) break;
                lock (_lock) connection.Chunks.Add(new Chunk(fromClient, Stamp(), buffer[..n]));
                await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, _stop.Token);
            }
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // One side went away: close the other.
        }
    }

    /// <summary>Every recorded connection as one pcap: client 10.0.0.100 (its real port), server 10.0.0.1 at the pcap server port.</summary>
    public byte[] ToPcap() => ToPcap([this]);

    /// <summary>Several recorders' connections in one pcap, the n-th recorder's server at 10.0.0.(n+1).</summary>
    public static byte[] ToPcap(IReadOnlyList<TcpRecorder> recorders)
    {
        var frames = new List<(long Ticks, byte[] Frame)>();
        for (var r = 0; r < recorders.Count; r++)
        {
            var serverHost = (byte)(r + 1);
            var serverPort = recorders[r]._pcapServerPort;
            foreach (var c in recorders[r].Connections)
            {
                AddConnection(frames, c, serverHost, serverPort, recorders[r]._lock);
            }
        }
        frames.Sort((a, b) => a.Ticks.CompareTo(b.Ticks));
        return PcapFile.Write(frames.Select(f => (new DateTimeOffset(f.Ticks, TimeSpan.Zero), f.Frame)), snapLength: 262144);
    }

    private static void AddConnection(List<(long Ticks, byte[] Frame)> frames, Connection c, byte serverHost, int serverPort, Lock gate)
    {
        List<Chunk> chunks;
        lock (gate) chunks = [.. c.Chunks];
        uint clientSeq = 1000, serverSeq = 900_000;
        var t = c.OpenedTicks;
        void Send(bool fromClient, byte flags, ReadOnlySpan<byte> payload, long ticks)
        {
            var seq = fromClient ? clientSeq : serverSeq;
            var ack = fromClient ? serverSeq : clientSeq;
            frames.Add((ticks, Frame(fromClient, c.ClientPort, serverHost, serverPort, seq, ack, flags, payload)));
            var advance = (uint)payload.Length + ((flags & 0x03) != 0 ? 1u : 0u);
            if (fromClient) clientSeq += advance; else serverSeq += advance;
        }
        Send(true, 0x02, [], t - 30);
        Send(false, 0x12, [], t - 20);
        Send(true, 0x10, [], t - 10);
        foreach (var chunk in chunks)
        {
            for (var o = 0; o < chunk.Data.Length; o += 1400)
            {
                Send(chunk.FromClient, 0x18, chunk.Data.AsSpan(o, Math.Min(1400, chunk.Data.Length - o)), chunk.Ticks);
            }
        }
        var end = chunks.Count > 0 ? chunks[^1].Ticks : t;
        Send(true, 0x11, [], end + 10);
        Send(false, 0x11, [], end + 20);
    }

    private static byte[] Frame(bool fromClient, int clientPort, byte serverHost, int serverPort, uint seq, uint ack, byte flags, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[14 + 20 + 20 + payload.Length];
        var s = frame.AsSpan();
        s[12] = 0x08;
        var ip = s[14..];
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(40 + payload.Length));
        ip[8] = 64;
        ip[9] = 6;
        byte[] client = [10, 0, 0, 100], server = [10, 0, 0, serverHost];
        (fromClient ? client : server).CopyTo(ip[12..]);
        (fromClient ? server : client).CopyTo(ip[16..]);
        var tcp = ip[20..];
        BinaryPrimitives.WriteUInt16BigEndian(tcp, (ushort)(fromClient ? clientPort : serverPort));
        BinaryPrimitives.WriteUInt16BigEndian(tcp[2..], (ushort)(fromClient ? serverPort : clientPort));
        BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], seq);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[8..], ack);
        tcp[12] = 0x50;
        tcp[13] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(tcp[14..], 65535);
        payload.CopyTo(tcp[20..]);
        return frame;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Task[] tasks;
        lock (_lock) tasks = [.. _tasks];
        await Task.WhenAll([_accepting, .. tasks]);
        lock (_lock)
        {
            foreach (var socket in _sockets) socket.Dispose();
        }
        _stop.Dispose();
    }
}
