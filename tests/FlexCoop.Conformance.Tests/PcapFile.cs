using System.Buffers.Binary;

namespace FlexCoop.Conformance.Tests;

/// <summary>Writes classic pcap files (microsecond timestamps, Ethernet link type) for the replay tests.</summary>
internal static class PcapFile
{
    public static byte[] Write(IEnumerable<(DateTimeOffset Time, byte[] Frame)> frames, uint snapLength = 65535)
    {
        var ms = new MemoryStream();
        var h = new byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(h, 0xA1B2C3D4);
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(6), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(16), snapLength);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(20), 1);
        ms.Write(h);
        foreach (var (time, frame) in frames)
        {
            var us = (time.UtcTicks - DateTimeOffset.UnixEpoch.Ticks) / 10;
            var r = new byte[16];
            BinaryPrimitives.WriteUInt32LittleEndian(r, (uint)(us / 1_000_000));
            BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(4), (uint)(us % 1_000_000));
            BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(8), (uint)frame.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(12), (uint)frame.Length);
            ms.Write(r);
            ms.Write(frame);
        }
        return ms.ToArray();
    }
}
