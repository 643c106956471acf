using System.Buffers.Binary;
using FlexCoop.Iec61850.Mms.Client;

namespace FlexCoop.Iec61850.Tests.Mms;

/// <summary>
/// Writes a classic pcap file of one TCP conversation (client ⇄ server port 102) over
/// Ethernet/IPv4, with consistent sequence and acknowledgement numbers and real checksums,
/// so an independent decoder (tshark) can reassemble and dissect what our stack sent.
/// </summary>
internal sealed class PcapWriter
{
    private readonly MemoryStream _out = new();
    private uint _time;

    public PcapWriter()
    {
        Span<byte> h = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(h, 0xA1B2C3D4);
        BinaryPrimitives.WriteUInt16LittleEndian(h[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(h[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(h[16..], 65535);
        BinaryPrimitives.WriteUInt32LittleEndian(h[20..], 1); // LINKTYPE_ETHERNET
        _out.Write(h);
    }

    /// <summary>One TCP conversation; each payload becomes one segment.</summary>
    public sealed class Conversation
    {
        private readonly PcapWriter _pcap;
        private readonly ushort _clientPort;
        private uint _clientSeq = 1000, _serverSeq = 5000;

        internal Conversation(PcapWriter pcap, ushort clientPort)
        {
            _pcap = pcap;
            _clientPort = clientPort;
            _pcap.Frame(true, _clientPort, _clientSeq++, 0, 0x02, []);
            _pcap.Frame(false, _clientPort, _serverSeq++, _clientSeq, 0x12, []);
            _pcap.Frame(true, _clientPort, _clientSeq, _serverSeq, 0x10, []);
        }

        /// <summary>Client options (<paramref name="options"/> or the defaults) whose packet inspector records every packet sent and received here.</summary>
        public MmsClientOptions Recording(MmsClientOptions? options = null)
        {
            var gate = new object();
            return (options ?? new MmsClientOptions()) with
            {
                PacketInspector = (direction, bytes) =>
                {
                    lock (gate) Add(direction == MmsPduDirection.Sent, bytes.Span);
                },
            };
        }

        public void Add(bool fromClient, ReadOnlySpan<byte> payload)
        {
            // Large payloads are split into segments below the Ethernet MTU.
            while (payload.Length > 0)
            {
                var n = Math.Min(1400, payload.Length);
                if (fromClient)
                {
                    _pcap.Frame(true, _clientPort, _clientSeq, _serverSeq, 0x18, payload[..n]);
                    _clientSeq += (uint)n;
                }
                else
                {
                    _pcap.Frame(false, _clientPort, _serverSeq, _clientSeq, 0x18, payload[..n]);
                    _serverSeq += (uint)n;
                }
                payload = payload[n..];
            }
        }
    }

    private ushort _nextPort = 40000;

    public Conversation NewConversation() => new(this, _nextPort++);

    private void Frame(bool fromClient, ushort clientPort, uint seq, uint ack, byte flags, ReadOnlySpan<byte> payload)
    {
        byte[] clientIp = [10, 0, 0, 1], serverIp = [10, 0, 0, 2];
        var src = fromClient ? clientIp : serverIp;
        var dst = fromClient ? serverIp : clientIp;
        var tcpLength = 20 + payload.Length;
        var ipLength = 20 + tcpLength;
        var frame = new byte[14 + ipLength];
        var f = frame.AsSpan();
        byte[] clientMac = [2, 0, 0, 0, 0, 1], serverMac = [2, 0, 0, 0, 0, 2];
        (fromClient ? serverMac : clientMac).CopyTo(f);
        (fromClient ? clientMac : serverMac).CopyTo(f[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(f[12..], 0x0800);
        var ip = f.Slice(14, 20);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)ipLength);
        ip[6] = 0x40; // don't fragment
        ip[8] = 64;
        ip[9] = 6;
        src.CopyTo(ip[12..]);
        dst.CopyTo(ip[16..]);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Checksum(ip, 0));
        var tcp = f.Slice(34, tcpLength);
        BinaryPrimitives.WriteUInt16BigEndian(tcp, fromClient ? clientPort : (ushort)102);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[2..], fromClient ? (ushort)102 : clientPort);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], seq);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[8..], ack);
        tcp[12] = 0x50;
        tcp[13] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(tcp[14..], 65535);
        payload.CopyTo(tcp[20..]);
        uint pseudo = 0;
        pseudo += (uint)(src[0] << 8 | src[1]) + (uint)(src[2] << 8 | src[3]);
        pseudo += (uint)(dst[0] << 8 | dst[1]) + (uint)(dst[2] << 8 | dst[3]);
        pseudo += 6 + (uint)tcpLength;
        BinaryPrimitives.WriteUInt16BigEndian(tcp[16..], Checksum(tcp, pseudo));

        Span<byte> rec = stackalloc byte[16];
        _time++;
        BinaryPrimitives.WriteUInt32LittleEndian(rec, 1_700_000_000 + _time / 1000);
        BinaryPrimitives.WriteUInt32LittleEndian(rec[4..], _time % 1000 * 1000);
        BinaryPrimitives.WriteUInt32LittleEndian(rec[8..], (uint)frame.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(rec[12..], (uint)frame.Length);
        _out.Write(rec);
        _out.Write(frame);
    }

    private static ushort Checksum(ReadOnlySpan<byte> data, uint initial)
    {
        var sum = initial;
        for (var i = 0; i + 1 < data.Length; i += 2) sum += (uint)(data[i] << 8 | data[i + 1]);
        if (data.Length % 2 == 1) sum += (uint)(data[^1] << 8);
        while (sum >> 16 != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }

    public byte[] ToArray() => _out.ToArray();
}
