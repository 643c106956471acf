using System.Net;

namespace FlexCoop.Conformance.Replay.Pcap;

/// <summary>One direction of a TCP connection, put back in sequence order.</summary>
internal sealed class TcpFlow(IPEndPoint from, IPEndPoint to)
{
    private readonly List<(uint Seq, byte[] Data, DateTimeOffset Time)> _segments = [];

    public IPEndPoint From { get; } = from;
    public IPEndPoint To { get; } = to;
    public uint? InitialSequence { get; set; }
    public bool SentSyn { get; set; }
    public bool SentSynAck { get; set; }
    public DateTimeOffset FirstSeen { get; set; } = DateTimeOffset.MaxValue;

    public void Add(uint seq, ReadOnlySpan<byte> data, DateTimeOffset time)
    {
        if (time < FirstSeen) FirstSeen = time;
        if (!data.IsEmpty) _segments.Add((seq, data.ToArray(), time));
    }

    /// <summary>The bytes in order, retransmissions and overlaps removed, and when each byte range arrived.</summary>
    public (byte[] Bytes, List<(int Offset, DateTimeOffset Time)> Times) Assemble()
    {
        if (_segments.Count == 0) return ([], []);
        var isn = InitialSequence ?? _segments.Min(s => s.Seq) - 1;
        // Relative offsets (wrap-around safe within 2 GiB).
        var ordered = _segments.Select(s => (Rel: (long)unchecked((int)(s.Seq - isn - 1)), s.Data, s.Time))
            .Where(s => s.Rel >= 0)
            .OrderBy(s => s.Rel)
            .ToList();
        var output = new MemoryStream();
        var times = new List<(int, DateTimeOffset)>();
        long next = 0;
        foreach (var (rel, bytes, time) in ordered)
        {
            if (rel > next) break; // a gap: bytes missing from the capture; stop at what is contiguous
            var skip = (int)(next - rel);
            if (skip >= bytes.Length) continue; // retransmission
            times.Add(((int)output.Length, time));
            output.Write(bytes, skip, bytes.Length - skip);
            next = rel + bytes.Length;
        }
        return (output.ToArray(), times);
    }
}

/// <summary>A TCP connection: the client's flow and the server's flow.</summary>
internal sealed record TcpConnection(TcpFlow Client, TcpFlow Server);

internal sealed class TcpReassembler
{
    private readonly Dictionary<(string, string), TcpFlow> _flows = [];
    private readonly List<TcpFlow> _order = [];

    public void Add(IPEndPoint from, IPEndPoint to, uint seq, byte flags, ReadOnlySpan<byte> payload, DateTimeOffset time)
    {
        var key = (from.ToString(), to.ToString());
        if (!_flows.TryGetValue(key, out var flow))
        {
            flow = new TcpFlow(from, to);
            _flows[key] = flow;
            _order.Add(flow);
        }
        const byte Syn = 0x02, Ack = 0x10;
        if ((flags & Syn) != 0)
        {
            flow.InitialSequence = seq;
            if ((flags & Ack) != 0) flow.SentSynAck = true; else flow.SentSyn = true;
        }
        flow.Add(seq, payload, time);
    }

    /// <summary>Connections in the order their first packet was seen; the client is the side that sent the SYN (or spoke first).</summary>
    public IEnumerable<TcpConnection> Connections()
    {
        var done = new HashSet<TcpFlow>();
        foreach (var flow in _order)
        {
            if (done.Contains(flow)) continue;
            _flows.TryGetValue((flow.To.ToString(), flow.From.ToString()), out var reverse);
            reverse ??= new TcpFlow(flow.To, flow.From);
            done.Add(flow);
            done.Add(reverse);
            var flowIsClient = flow.SentSyn || (!reverse.SentSyn && (reverse.SentSynAck || flow.FirstSeen <= reverse.FirstSeen));
            yield return flowIsClient ? new TcpConnection(flow, reverse) : new TcpConnection(reverse, flow);
        }
    }
}
