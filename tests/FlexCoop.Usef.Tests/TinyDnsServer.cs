using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FlexCoop.Usef.Tests;

/// <summary>
/// A minimal authoritative DNS server on loopback UDP (OS-assigned port) that answers TXT and CNAME
/// queries from tables and NXDOMAIN for anything else. Enough for DnsClient, nothing more.
/// </summary>
internal sealed class TinyDnsServer : IAsyncDisposable
{
    private readonly UdpClient _udp;
    private readonly Dictionary<string, string[]> _txt;
    private readonly Dictionary<string, string> _cname;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public TinyDnsServer(Dictionary<string, string[]> txt, Dictionary<string, string>? cname = null)
    {
        _txt = new Dictionary<string, string[]>(txt, StringComparer.OrdinalIgnoreCase);
        _cname = new Dictionary<string, string>(cname ?? [], StringComparer.OrdinalIgnoreCase);
        _udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        _loop = Task.Run(LoopAsync);
    }

    public IPEndPoint EndPoint => (IPEndPoint)_udp.Client.LocalEndPoint!;

    public int Queries { get; private set; }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult received;
            try
            {
                received = await _udp.ReceiveAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            var answer = Answer(received.Buffer);
            if (answer is not null) await _udp.SendAsync(answer, received.RemoteEndPoint, _stop.Token);
        }
    }

    private byte[]? Answer(byte[] query)
    {
        if (query.Length < 12) return null;
        Queries++;
        var pos = 12;
        var labels = new List<string>();
        while (pos < query.Length && query[pos] != 0)
        {
            int len = query[pos++];
            labels.Add(Encoding.ASCII.GetString(query, pos, len));
            pos += len;
        }
        pos++; // root label
        var questionEnd = pos + 4;
        var qtype = BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(pos));
        var name = string.Join('.', labels);
        if (qtype == 5 && _cname.TryGetValue(name, out var target)) return Cname(query, questionEnd, target);
        var found = _txt.TryGetValue(name, out var texts) && qtype == 16;

        using var ms = new MemoryStream();
        var header = new byte[12];
        header[0] = query[0];
        header[1] = query[1];
        header[2] = (byte)(0x84 | (query[2] & 0x01)); // QR, AA, copy RD
        header[3] = (byte)(found ? 0x00 : 0x03);       // NOERROR or NXDOMAIN
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(6), (ushort)(found ? texts!.Length : 0));
        ms.Write(header);
        ms.Write(query, 12, questionEnd - 12);
        if (found)
        {
            foreach (var text in texts!)
            {
                var bytes = Encoding.UTF8.GetBytes(text);
                var rdata = new MemoryStream();
                for (var i = 0; i < bytes.Length; i += 255)
                {
                    var chunk = Math.Min(255, bytes.Length - i);
                    rdata.WriteByte((byte)chunk);
                    rdata.Write(bytes, i, chunk);
                }
                var rr = new byte[12];
                rr[0] = 0xC0;
                rr[1] = 0x0C; // pointer to the question name
                BinaryPrimitives.WriteUInt16BigEndian(rr.AsSpan(2), 16);
                BinaryPrimitives.WriteUInt16BigEndian(rr.AsSpan(4), 1);
                BinaryPrimitives.WriteUInt32BigEndian(rr.AsSpan(6), 60);
                BinaryPrimitives.WriteUInt16BigEndian(rr.AsSpan(10), (ushort)rdata.Length);
                ms.Write(rr);
                ms.Write(rdata.ToArray());
            }
        }
        return ms.ToArray();
    }

    private static byte[] Cname(byte[] query, int questionEnd, string target)
    {
        using var ms = new MemoryStream();
        var header = new byte[12];
        header[0] = query[0];
        header[1] = query[1];
        header[2] = (byte)(0x84 | (query[2] & 0x01));
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(6), 1);
        ms.Write(header);
        ms.Write(query, 12, questionEnd - 12);
        var rdata = new MemoryStream();
        foreach (var label in target.TrimEnd('.').Split('.'))
        {
            rdata.WriteByte((byte)label.Length);
            rdata.Write(Encoding.ASCII.GetBytes(label));
        }
        rdata.WriteByte(0);
        var rr = new byte[12];
        rr[0] = 0xC0;
        rr[1] = 0x0C;
        BinaryPrimitives.WriteUInt16BigEndian(rr.AsSpan(2), 5);
        BinaryPrimitives.WriteUInt16BigEndian(rr.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt32BigEndian(rr.AsSpan(6), 60);
        BinaryPrimitives.WriteUInt16BigEndian(rr.AsSpan(10), (ushort)rdata.Length);
        ms.Write(rr);
        ms.Write(rdata.ToArray());
        return ms.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp.Dispose();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}
