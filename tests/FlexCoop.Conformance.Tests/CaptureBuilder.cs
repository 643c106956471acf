using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using FlexCoop.OpenAdr.Model;

namespace FlexCoop.Conformance.Tests;

/// <summary>Builds captures of our own: a request/response folder with index.jsonl, or a pcap/pcapng file.</summary>
internal sealed class CaptureBuilder
{
    private readonly List<Entry> _entries = [];

    internal sealed record Entry(string Path, byte[] Request, byte[]? Response, int Status, string RequestType, string ResponseType);

    public CaptureBuilder Add(string service, OadrMessage request, OadrMessage? response, int status = 200,
        string requestType = "application/xml", string responseType = "application/xml") =>
        AddRaw(service, Messages.Bytes(request), response is null ? null : Messages.Bytes(response), status, requestType, responseType);

    public CaptureBuilder AddRaw(string service, byte[] request, byte[]? response, int status = 200,
        string requestType = "application/xml", string responseType = "application/xml")
    {
        _entries.Add(new Entry("/OpenADR2/Simple/2.0b/" + service, request, response, status, requestType, responseType));
        return this;
    }

    public string WriteFolder(string dir)
    {
        Directory.CreateDirectory(dir);
        var index = new StringBuilder();
        for (var i = 0; i < _entries.Count; i++)
        {
            var e = _entries[i];
            var seq = i + 1;
            File.WriteAllBytes(Path.Combine(dir, $"{seq:D4}-req.xml"), e.Request);
            if (e.Response is not null) File.WriteAllBytes(Path.Combine(dir, $"{seq:D4}-resp.xml"), e.Response);
            var line = new Dictionary<string, object?>
            {
                ["seq"] = seq,
                ["time"] = Messages.T0.AddSeconds(seq).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                ["method"] = "POST",
                ["path"] = e.Path,
                ["status"] = e.Status,
                ["req_file"] = $"{seq:D4}-req.xml",
                ["resp_file"] = e.Response is null ? null : $"{seq:D4}-resp.xml",
                ["req_content_type"] = e.RequestType,
                ["resp_content_type"] = e.ResponseType,
                ["note"] = "ignored field",
            };
            index.AppendLine(JsonSerializer.Serialize(line));
        }
        File.WriteAllText(Path.Combine(dir, "index.jsonl"), index.ToString());
        return dir;
    }

    /// <summary>All exchanges on one keep-alive TCP connection from 10.0.0.2:50000 to 10.0.0.1:8080, segments of at most 700 bytes, one retransmitted.</summary>
    public byte[] Pcap(bool pcapng = false, bool tls = false)
    {
        var frames = new List<(DateTimeOffset Time, byte[] Frame)>();
        uint clientSeq = 1000, serverSeq = 5000;
        var time = Messages.T0;
        void Send(bool fromClient, byte flags, ReadOnlySpan<byte> payload)
        {
            time = time.AddMilliseconds(1);
            var seq = fromClient ? clientSeq : serverSeq;
            var ack = fromClient ? serverSeq : clientSeq;
            frames.Add((time, Frame(fromClient, seq, ack, flags, payload)));
            var advance = (uint)payload.Length + ((flags & 0x03) != 0 ? 1u : 0u);
            if (fromClient) clientSeq += advance; else serverSeq += advance;
        }
        void SendData(bool fromClient, byte[] data)
        {
            for (var o = 0; o < data.Length; o += 700)
            {
                var chunk = data.AsSpan(o, Math.Min(700, data.Length - o));
                Send(fromClient, 0x18, chunk);
                if (o == 0 && data.Length > 700)
                {
                    // Retransmit the first segment: reassembly must drop the duplicate.
                    var seq = (fromClient ? clientSeq : serverSeq) - (uint)chunk.Length;
                    frames.Add((time, Frame(fromClient, seq, fromClient ? serverSeq : clientSeq, 0x18, chunk)));
                }
            }
        }
        Send(true, 0x02, []);
        Send(false, 0x12, []);
        Send(true, 0x10, []);
        if (tls)
        {
            SendData(true, [0x16, 0x03, 0x01, 0x00, 0x05, 1, 0, 0, 1, 0]);
        }
        else
        {
            foreach (var e in _entries)
            {
                var head = $"POST {e.Path} HTTP/1.1\r\nHost: vtn.example\r\nContent-Type: {e.RequestType}\r\nContent-Length: {e.Request.Length}\r\n\r\n";
                SendData(true, [.. Encoding.ASCII.GetBytes(head), .. e.Request]);
                var body = e.Response ?? [];
                var rhead = $"HTTP/1.1 {e.Status} OK\r\nContent-Type: {e.ResponseType}\r\nContent-Length: {body.Length}\r\n\r\n";
                SendData(false, [.. Encoding.ASCII.GetBytes(rhead), .. body]);
            }
        }
        Send(true, 0x11, []);
        Send(false, 0x11, []);
        return pcapng ? WritePcapNg(frames) : PcapFile.Write(frames);
    }

    private static byte[] Frame(bool fromClient, uint seq, uint ack, byte flags, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[14 + 20 + 20 + payload.Length];
        var s = frame.AsSpan();
        s[12] = 0x08; // IPv4
        var ip = s[14..];
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(40 + payload.Length));
        ip[8] = 64;
        ip[9] = 6;
        byte[] client = [10, 0, 0, 2], server = [10, 0, 0, 1];
        (fromClient ? client : server).CopyTo(ip[12..]);
        (fromClient ? server : client).CopyTo(ip[16..]);
        var tcp = ip[20..];
        BinaryPrimitives.WriteUInt16BigEndian(tcp, fromClient ? (ushort)50000 : (ushort)8080);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[2..], fromClient ? (ushort)8080 : (ushort)50000);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], seq);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[8..], ack);
        tcp[12] = 0x50;
        tcp[13] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(tcp[14..], 65535);
        payload.CopyTo(tcp[20..]);
        return frame;
    }

    private static byte[] WritePcapNg(List<(DateTimeOffset Time, byte[] Frame)> frames)
    {
        var ms = new MemoryStream();
        void Block(uint type, byte[] body)
        {
            var padded = (body.Length + 3) & ~3;
            var total = 12 + padded;
            var b = new byte[total];
            BinaryPrimitives.WriteUInt32LittleEndian(b, type);
            BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), (uint)total);
            body.CopyTo(b, 8);
            BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(total - 4), (uint)total);
            ms.Write(b);
        }
        var shb = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(shb, 0x1A2B3C4D);
        BinaryPrimitives.WriteUInt16LittleEndian(shb.AsSpan(4), 1);
        BinaryPrimitives.WriteInt64LittleEndian(shb.AsSpan(8), -1);
        Block(0x0A0D0D0A, shb);
        var idb = new byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(idb, 1);
        BinaryPrimitives.WriteUInt32LittleEndian(idb.AsSpan(4), 65535);
        Block(1, idb);
        foreach (var (t, f) in frames)
        {
            var us = (ulong)(t.ToUnixTimeMilliseconds() * 1000);
            var epb = new byte[20 + f.Length];
            BinaryPrimitives.WriteUInt32LittleEndian(epb.AsSpan(4), (uint)(us >> 32));
            BinaryPrimitives.WriteUInt32LittleEndian(epb.AsSpan(8), (uint)us);
            BinaryPrimitives.WriteUInt32LittleEndian(epb.AsSpan(12), (uint)f.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(epb.AsSpan(16), (uint)f.Length);
            f.CopyTo(epb, 20);
            Block(6, epb);
        }
        return ms.ToArray();
    }
}
