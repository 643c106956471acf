using System.Buffers.Binary;
using FlexCoop.Iec61850.Mms.Goose;

namespace FlexCoop.Iec61850.Tests.Goose;

/// <summary>
/// Frames our publisher and codec write, dissected by tshark (an independent decoder): no malformed
/// packet, no expert warning or error, and the fields it shows equal the ones we meant.
/// </summary>
public sealed class GooseTsharkTests
{
    /// <summary>A classic pcap file of raw Ethernet frames.</summary>
    internal static byte[] Pcap(IEnumerable<byte[]> frames)
    {
        using var output = new MemoryStream();
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xA1B2C3D4);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 65535);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], 1); // LINKTYPE_ETHERNET
        output.Write(header);
        var n = 0u;
        Span<byte> record = stackalloc byte[16];
        foreach (var frame in frames)
        {
            n++;
            BinaryPrimitives.WriteUInt32LittleEndian(record, 1_700_000_000 + n);
            BinaryPrimitives.WriteUInt32LittleEndian(record[4..], 0);
            BinaryPrimitives.WriteUInt32LittleEndian(record[8..], (uint)frame.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(record[12..], (uint)frame.Length);
            output.Write(record);
            output.Write(frame);
        }
        return output.ToArray();
    }

    [Fact]
    public async Task Tshark_dissects_our_frames_without_errors_and_shows_the_same_fields()
    {
        Tshark.Require();
        var options = GoosePublisherOptions.FromControlBlock(GoosePublisherTests.GcbStatus(GoosePublisherTests.DerUnit())) with { Source = GooseVectors.Source };
        var clock = new ManualClock(GooseVectors.VectorTime);
        var publisher = new GoosePublisher(options, GooseVectors.PositionOnGood, clock);
        publisher.Start();
        var frames = new List<byte[]> { publisher.Poll()! };
        clock.AdvanceMilliseconds(10);
        frames.Add(publisher.Poll()!);
        publisher.Publish([new FlexCoop.Iec61850.Mms.MmsBitString([0x40], 2), FlexCoop.Iec61850.Mms.MmsBitString.FromBits(13, 1)]);
        frames.Add(publisher.Poll()!);
        frames.Add(GooseCodec.Encode(GooseVectors.EveryType()));
        frames.Add(GooseCodec.Encode(GooseVectors.EveryType(appId: 0x3FFF, vlan: true, simulation: true)));
        var expected = frames.Select(f => GooseCodec.Decode(f)).ToList();

        await Tshark.DissectAsync(Pcap(frames), "goose", async tshark =>
        {
            var rows = await tshark.FieldsAsync(
                ["frame.number", "_ws.col.Protocol", "_ws.expert.severity", "_ws.malformed",
                 "goose.appid", "goose.length", "goose.gocbRef", "goose.timeAllowedtoLive", "goose.datSet",
                 "goose.goID", "goose.stNum", "goose.sqNum", "goose.simulation", "goose.confRev",
                 "goose.ndsCom", "goose.numDatSetEntries", "vlan.priority", "vlan.id", "goose.reserve1.s_bit"], firstOccurrence: true);
            var lines = rows.Select(r => string.Join('|', r)).ToArray();
            Assert.Equal(frames.Count, lines.Length);
            for (var i = 0; i < lines.Length; i++)
            {
                var f = lines[i].Split('|');
                var frame = expected[i];
                var pdu = frame.Pdu;
                Assert.True(f[1] == "GOOSE", lines[i]);
                Assert.True(f[2].Length == 0 && f[3].Length == 0, $"tshark reports a problem: {lines[i]}");
                Assert.Equal(frame.AppId, Convert.ToUInt16(f[4], 16));
                Assert.Equal(frames[i].Length - (frame.Vlan is null ? 14 : 18), int.Parse(f[5], System.Globalization.CultureInfo.InvariantCulture));
                Assert.Equal(pdu.GocbRef, f[6]);
                Assert.Equal(pdu.TimeAllowedToLive.ToString(System.Globalization.CultureInfo.InvariantCulture), f[7]);
                Assert.Equal(pdu.DatSet, f[8]);
                Assert.Equal(pdu.GoId ?? "", f[9]);
                Assert.Equal(pdu.StNum.ToString(System.Globalization.CultureInfo.InvariantCulture), f[10]);
                Assert.Equal(pdu.SqNum.ToString(System.Globalization.CultureInfo.InvariantCulture), f[11]);
                Assert.Equal(pdu.Simulation ? "1" : "0", f[12]);
                Assert.Equal(pdu.ConfRev.ToString(System.Globalization.CultureInfo.InvariantCulture), f[13]);
                Assert.Equal(pdu.NdsCom ? "1" : "0", f[14]);
                Assert.Equal(pdu.NumDatSetEntries.ToString(System.Globalization.CultureInfo.InvariantCulture), f[15]);
                Assert.Equal(frame.Vlan?.Priority.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", f[16]);
                Assert.Equal(frame.Vlan?.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", f[17]);
                Assert.Equal((frame.Reserved1 & GooseCodec.SimulationBit) != 0 ? "1" : "0", f[18]);
            }

            // The data values tshark shows for the every-type frame.
            var verbose = await tshark.AssertShowsAsync(["visible-string: breaker-7", "Data: mMSString (16)", "binary-time: 0036ee8036b0", "octet-string: deadbeef", "integer: -123456", "utc-time: Jun  1, 2025 12:00:00"]);
            Assert.DoesNotContain("Expert Info", verbose, StringComparison.Ordinal);
        });
    }
}
