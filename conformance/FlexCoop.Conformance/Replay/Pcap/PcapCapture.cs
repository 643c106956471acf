using System.Buffers.Binary;

namespace FlexCoop.Conformance.Replay.Pcap;

/// <summary>
/// Reads HTTP/1.1 exchanges out of a pcap or pcapng file: link layers Ethernet (with VLAN tags),
/// Linux cooked (v1 and v2), BSD loopback and raw IP; IPv4 and IPv6; TCP streams reassembled by
/// sequence number; requests paired with responses in order on each connection. TLS 1.2 connections
/// are decrypted when a key log holds their session; otherwise they are exchanges that cannot be read.
/// </summary>
internal static class PcapCapture
{
    public static Capture Read(string file, CaptureLimits limits, Tls.TlsKeyLog? keyLog = null)
    {
        var info = new FileInfo(file);
        if (info.Length > limits.MaxCaptureBytes) throw new CaptureFormatException(file, $"larger than {limits.MaxCaptureBytes} bytes");
        var data = File.ReadAllBytes(file);
        return new Capture(file, Parse(data, file, limits, keyLog));
    }

    internal static IReadOnlyList<CaptureExchange> Parse(byte[] data, string source, CaptureLimits limits, Tls.TlsKeyLog? keyLog = null)
    {
        var tcp = new TcpReassembler();
        if (data.Length < 4) throw new CaptureFormatException(source, "too short to be a capture");
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(data);
        try
        {
            if (magic == 0x0A0D0D0A) ReadPcapNg(data, source, tcp);
            else ReadPcap(data, source, tcp);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new CaptureFormatException(source, "the capture is truncated", ex);
        }
        return HttpExchangeBuilder.Build(tcp.Connections(), source, limits, keyLog);
    }

    private static void ReadPcap(byte[] data, string source, TcpReassembler tcp)
    {
        if (data.Length < 24) throw new CaptureFormatException(source, "truncated pcap header");
        var m = BinaryPrimitives.ReadUInt32LittleEndian(data);
        bool little, nanos;
        switch (m)
        {
            case 0xA1B2C3D4: little = true; nanos = false; break;
            case 0xA1B23C4D: little = true; nanos = true; break;
            case 0xD4C3B2A1: little = false; nanos = false; break;
            case 0x4D3CB2A1: little = false; nanos = true; break;
            default: throw new CaptureFormatException(source, "neither a pcap nor a pcapng file (unknown magic number)");
        }
        var linkType = (int)U32(data, 20, little);
        var offset = 24;
        var frame = 0;
        while (offset + 16 <= data.Length)
        {
            frame++;
            var sec = U32(data, offset, little);
            var frac = U32(data, offset + 4, little);
            var capLen = (int)U32(data, offset + 8, little);
            offset += 16;
            if (capLen < 0 || offset + capLen > data.Length) throw new CaptureFormatException(source, $"frame {frame} is truncated");
            var time = DateTimeOffset.FromUnixTimeSeconds(sec).AddTicks(nanos ? frac / 100 : frac * 10L);
            LinkLayer.Dispatch(linkType, data.AsSpan(offset, capLen), time, tcp);
            offset += capLen;
        }
    }

    private static void ReadPcapNg(byte[] data, string source, TcpReassembler tcp)
    {
        var offset = 0;
        var little = true;
        var interfaces = new List<(int LinkType, long TicksPerUnit, bool Division, long UnitsPerSecond)>();
        while (offset + 12 <= data.Length)
        {
            var type = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(offset));
            if (type == 0x0A0D0D0A)
            {
                var bom = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(offset + 8));
                little = bom == 0x1A2B3C4D;
                if (!little && bom != 0x4D3C2B1A) throw new CaptureFormatException(source, "pcapng section has an unknown byte-order magic");
                interfaces.Clear();
            }
            else if (!little)
            {
                type = BinaryPrimitives.ReverseEndianness(type);
            }
            var length = (int)U32(data, offset + 4, little);
            if (length < 12 || offset + length > data.Length) throw new CaptureFormatException(source, $"pcapng block at byte {offset} is truncated");
            var body = data.AsSpan(offset + 8, length - 12);
            switch (type)
            {
                case 1: // Interface Description Block
                {
                    var linkType = little ? BinaryPrimitives.ReadUInt16LittleEndian(body) : BinaryPrimitives.ReadUInt16BigEndian(body);
                    long unitsPerSecond = 1_000_000;
                    var opt = 8;
                    while (opt + 4 <= body.Length)
                    {
                        var code = little ? BinaryPrimitives.ReadUInt16LittleEndian(body[opt..]) : BinaryPrimitives.ReadUInt16BigEndian(body[opt..]);
                        var len = little ? BinaryPrimitives.ReadUInt16LittleEndian(body[(opt + 2)..]) : BinaryPrimitives.ReadUInt16BigEndian(body[(opt + 2)..]);
                        if (code == 0) break;
                        if (code == 9 && len >= 1 && opt + 4 < body.Length) // if_tsresol
                        {
                            var r = body[opt + 4];
                            var exp = r & 0x7F;
                            unitsPerSecond = (r & 0x80) != 0 ? 1L << Math.Min(exp, 62) : (long)Math.Pow(10, Math.Min(exp, 18));
                        }
                        opt += 4 + ((len + 3) & ~3);
                    }
                    interfaces.Add((linkType, 0, false, unitsPerSecond));
                    break;
                }
                case 6: // Enhanced Packet Block
                {
                    var iface = (int)U32(body, 0, little);
                    if (iface >= interfaces.Count) throw new CaptureFormatException(source, $"packet names interface {iface}, which was not described");
                    var high = U32(body, 4, little);
                    var low = U32(body, 8, little);
                    var capLen = (int)U32(body, 12, little);
                    if (capLen < 0 || 20 + capLen > body.Length) throw new CaptureFormatException(source, $"packet at byte {offset} is truncated");
                    var units = ((long)high << 32) | low;
                    var ups = interfaces[iface].UnitsPerSecond;
                    var time = DateTimeOffset.UnixEpoch.AddTicks((long)(units / (double)ups * TimeSpan.TicksPerSecond));
                    LinkLayer.Dispatch(interfaces[iface].LinkType, body.Slice(20, capLen), time, tcp);
                    break;
                }
                case 3: // Simple Packet Block
                {
                    if (interfaces.Count == 0) throw new CaptureFormatException(source, "simple packet before any interface");
                    var capLen = Math.Min(body.Length - 4, (int)U32(body, 0, little));
                    LinkLayer.Dispatch(interfaces[0].LinkType, body.Slice(4, capLen), DateTimeOffset.UnixEpoch, tcp);
                    break;
                }
            }
            offset += length;
        }
    }

    private static uint U32(ReadOnlySpan<byte> b, int offset, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(b[offset..]) : BinaryPrimitives.ReadUInt32BigEndian(b[offset..]);

    private static uint U32(byte[] b, int offset, bool little) => U32(b.AsSpan(), offset, little);
}
