using System.Buffers.Binary;
using System.Net;

namespace FlexCoop.Conformance.Replay.Pcap;

/// <summary>Strips link, IP and TCP headers and hands TCP segments to the reassembler. Malformed frames are skipped.</summary>
internal static class LinkLayer
{
    public static void Dispatch(int linkType, ReadOnlySpan<byte> frame, DateTimeOffset time, TcpReassembler tcp)
    {
        switch (linkType)
        {
            case 1: // Ethernet
            {
                if (frame.Length < 14) return;
                var etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);
                var offset = 14;
                while (etherType is 0x8100 or 0x88A8 && frame.Length >= offset + 4)
                {
                    etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[(offset + 2)..]);
                    offset += 4;
                }
                Ip(etherType, frame[offset..], time, tcp);
                break;
            }
            case 113: // Linux cooked v1
                if (frame.Length >= 16) Ip(BinaryPrimitives.ReadUInt16BigEndian(frame[14..]), frame[16..], time, tcp);
                break;
            case 276: // Linux cooked v2
                if (frame.Length >= 20) Ip(BinaryPrimitives.ReadUInt16BigEndian(frame), frame[20..], time, tcp);
                break;
            case 0: // BSD loopback: 4-byte address family in host order
            case 108:
                if (frame.Length >= 4) Ip(frame[4] >> 4 == 6 ? (ushort)0x86DD : (ushort)0x0800, frame[4..], time, tcp);
                break;
            case 101: // raw IP
            case 228:
            case 229:
                if (frame.Length >= 1) Ip(frame[0] >> 4 == 6 ? (ushort)0x86DD : (ushort)0x0800, frame, time, tcp);
                break;
        }
    }

    private static void Ip(ushort etherType, ReadOnlySpan<byte> packet, DateTimeOffset time, TcpReassembler tcp)
    {
        if (etherType == 0x0800)
        {
            if (packet.Length < 20 || packet[0] >> 4 != 4) return;
            var ihl = (packet[0] & 0x0F) * 4;
            var total = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
            var fragment = BinaryPrimitives.ReadUInt16BigEndian(packet[6..]);
            if ((fragment & 0x3FFF) != 0) return; // fragments are not reassembled
            if (packet[9] != 6 || ihl < 20 || total < ihl || total > packet.Length) return;
            var src = new IPAddress(packet.Slice(12, 4));
            var dst = new IPAddress(packet.Slice(16, 4));
            Tcp(src, dst, packet[ihl..total], time, tcp);
        }
        else if (etherType == 0x86DD)
        {
            if (packet.Length < 40 || packet[0] >> 4 != 6) return;
            var payloadLength = BinaryPrimitives.ReadUInt16BigEndian(packet[4..]);
            var next = packet[6];
            var offset = 40;
            // Skip hop-by-hop, routing and destination options headers.
            while (next is 0 or 43 or 60 && packet.Length >= offset + 8)
            {
                next = packet[offset];
                offset += (packet[offset + 1] + 1) * 8;
            }
            if (next != 6 || 40 + payloadLength > packet.Length || offset > 40 + payloadLength) return;
            var src = new IPAddress(packet.Slice(8, 16));
            var dst = new IPAddress(packet.Slice(24, 16));
            Tcp(src, dst, packet[offset..(40 + payloadLength)], time, tcp);
        }
    }

    private static void Tcp(IPAddress src, IPAddress dst, ReadOnlySpan<byte> segment, DateTimeOffset time, TcpReassembler tcp)
    {
        if (segment.Length < 20) return;
        var srcPort = BinaryPrimitives.ReadUInt16BigEndian(segment);
        var dstPort = BinaryPrimitives.ReadUInt16BigEndian(segment[2..]);
        var seq = BinaryPrimitives.ReadUInt32BigEndian(segment[4..]);
        var dataOffset = (segment[12] >> 4) * 4;
        var flags = segment[13];
        if (dataOffset < 20 || dataOffset > segment.Length) return;
        tcp.Add(new IPEndPoint(src, srcPort), new IPEndPoint(dst, dstPort), seq, flags, segment[dataOffset..], time);
    }
}
