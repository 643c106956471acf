using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Iec61850.Mms.Goose;
using FlexCoop.Iec61850.Model;
using FlexCoop.Testing;

namespace FlexCoop.Iec61850.Tests.Goose;

/// <summary>The publisher built from the SCL GSEControl of the DER example model, on a hand-moved clock.</summary>
public sealed class GoosePublisherTests
{
    internal static IedModel DerUnit()
    {
        var resolution = SclResolver.Load(Path.Combine(TestEnvironment.RepoRoot, "schemas", "iec61850", "der-unit.cid"));
        Assert.False(resolution.HasErrors, string.Join(Environment.NewLine, resolution.Diagnostics));
        return resolution.FindIed("DER1")!;
    }

    internal static GseControlBlock GcbStatus(IedModel model) =>
        model.FindLogicalDevice("DER1CTRL")!.Lln0!.GseControlBlocks.Single(g => g.Name == "gcbStatus");

    private static (GoosePublisher Publisher, ManualClock Clock) StatusPublisher(IReadOnlyList<MmsValue>? values = null)
    {
        var options = GoosePublisherOptions.FromControlBlock(GcbStatus(DerUnit())) with { Source = GooseVectors.Source };
        var clock = new ManualClock(GooseVectors.VectorTime);
        return (new GoosePublisher(options, values ?? GooseVectors.PositionOnGood, clock), clock);
    }

    [Fact]
    public void Options_come_from_the_gse_control_and_its_communication_address()
    {
        var options = GoosePublisherOptions.FromControlBlock(GcbStatus(DerUnit()));
        Assert.Equal("DER1CTRL/LLN0$GO$gcbStatus", options.GocbRef);
        Assert.Equal("DER1CTRL/LLN0$GooseStatus", options.DatSet);
        Assert.Equal("DER1_Status", options.GoId);
        Assert.Equal(1u, options.ConfRev);
        Assert.Equal(MacAddress.Parse("01-0C-CD-01-00-01"), options.Destination);
        Assert.Equal(0x1001, options.AppId);
        Assert.Equal(new VlanTag(4, 0), options.Vlan);
        Assert.Equal(TimeSpan.FromMilliseconds(10), options.MinTime);
        Assert.Equal(TimeSpan.FromMilliseconds(2000), options.MaxTime);
    }

    [Fact]
    public void Data_set_values_are_read_from_the_model()
    {
        var model = DerUnit();
        var values = GoosePublisherOptions.DataSetValues(GcbStatus(model), Iec61850MmsMapping.BuildVmd(model));
        Assert.Equal(2, values.Count);
        Assert.IsType<MmsBitString>(values[0]);
        Assert.Equal(2, ((MmsBitString)values[0]).BitLength);
        Assert.Equal(13, ((MmsBitString)values[1]).BitLength);
    }

    [Fact]
    public void First_frame_after_start_is_the_hand_derived_vector()
    {
        var (publisher, _) = StatusPublisher();
        Assert.Null(publisher.Poll());
        publisher.Start();
        var frame = publisher.Poll();
        Assert.Equal(Convert.ToHexString(GooseVectors.Read("goose-vlan")), Convert.ToHexString(frame!));
    }

    [Fact]
    public void Retransmissions_start_at_min_time_and_double_up_to_max_time()
    {
        var (publisher, clock) = StatusPublisher();
        var start = clock.Now;
        publisher.Start();
        var sent = new List<(double At, GoosePdu Pdu)>();
        // Walk the clock one millisecond at a time for 10 s and collect every frame that falls due.
        for (var ms = 0; ms <= 10_000; ms++)
        {
            clock.Now = start.AddMilliseconds(ms);
            while (publisher.Poll() is { } bytes) sent.Add((ms, GooseCodec.Decode(bytes).Pdu));
        }
        double[] expectedTimes = [0, 10, 30, 70, 150, 310, 630, 1270, 2550, 4550, 6550, 8550];
        Assert.Equal(expectedTimes, sent.Select(s => s.At));
        Assert.Equal(Enumerable.Range(0, expectedTimes.Length).Select(i => (uint)i), sent.Select(s => s.Pdu.SqNum));
        Assert.All(sent, s => Assert.Equal(1u, s.Pdu.StNum));
        Assert.All(sent, s => Assert.Equal(GooseVectors.VectorTime, s.Pdu.T.Timestamp));
        // timeAllowedtoLive is twice the wait for the next frame.
        Assert.Equal([20u, 40, 80, 160, 320, 640, 1280, 2560, 4000, 4000, 4000, 4000], sent.Select(s => s.Pdu.TimeAllowedToLive));
    }

    [Fact]
    public void A_change_increments_stNum_resets_sqNum_and_restarts_the_burst()
    {
        var (publisher, clock) = StatusPublisher();
        publisher.Start();
        publisher.Poll();
        clock.AdvanceMilliseconds(10);
        Assert.Equal(1u, GooseCodec.Decode(publisher.Poll()!).Pdu.SqNum);
        clock.AdvanceMilliseconds(5);
        MmsValue[] off = [new MmsBitString([0x40], 2), MmsBitString.FromBits(13)];
        publisher.Publish(off);
        var change = GooseCodec.Decode(publisher.Poll()!).Pdu;
        Assert.Equal((2u, 0u), (change.StNum, change.SqNum));
        // t has a resolution of 2^-24 s.
        Assert.InRange((change.T.Timestamp - GooseVectors.VectorTime.AddMilliseconds(15)).Duration(), TimeSpan.Zero, TimeSpan.FromTicks(1));
        Assert.Equal(off, change.AllData);
        Assert.Null(publisher.Poll());
        clock.AdvanceMilliseconds(9);
        Assert.Null(publisher.Poll());
        clock.AdvanceMilliseconds(1);
        var retransmission = GooseCodec.Decode(publisher.Poll()!).Pdu;
        Assert.Equal((2u, 1u), (retransmission.StNum, retransmission.SqNum));
        Assert.Equal(change.T, retransmission.T);
    }

    [Fact]
    public void A_late_poll_sends_one_frame_not_a_catch_up_burst()
    {
        var (publisher, clock) = StatusPublisher();
        publisher.Start();
        publisher.Poll();
        clock.AdvanceMilliseconds(500);
        Assert.NotNull(publisher.Poll());
        Assert.Null(publisher.Poll());
        Assert.Equal(clock.Now.AddMilliseconds(20), publisher.NextTransmission);
    }

    [Fact]
    public void Simulation_sets_the_pdu_flag_and_the_reserved_bit()
    {
        var options = GoosePublisherOptions.FromControlBlock(GcbStatus(DerUnit())) with { Simulation = true };
        var publisher = new GoosePublisher(options, GooseVectors.PositionOnGood, new ManualClock(GooseVectors.VectorTime));
        publisher.Start();
        var frame = GooseCodec.Decode(publisher.Poll()!);
        Assert.True(frame.Pdu.Simulation);
        Assert.Equal(GooseCodec.SimulationBit, frame.Reserved1);
    }

    [Fact]
    public void Values_of_the_wrong_count_and_bad_options_are_refused()
    {
        var (publisher, _) = StatusPublisher();
        Assert.Throws<ArgumentException>(() => publisher.Publish([new MmsBoolean(true)]));
        var options = GoosePublisherOptions.FromControlBlock(GcbStatus(DerUnit()));
        Assert.Throws<ArgumentException>(() => new GoosePublisher(options with { MaxTime = TimeSpan.FromMilliseconds(1) }, GooseVectors.PositionOnGood));
        Assert.Throws<ArgumentException>(() => new GoosePublisher(options with { Destination = GooseVectors.Source }, GooseVectors.PositionOnGood));
    }

    [Fact]
    public async Task Run_sends_due_frames_on_the_transport_and_wakes_on_a_change()
    {
        var options = GoosePublisherOptions.FromControlBlock(GcbStatus(DerUnit())) with { MinTime = TimeSpan.FromHours(1), MaxTime = TimeSpan.FromHours(1) };
        var publisher = new GoosePublisher(options, GooseVectors.PositionOnGood);
        await using var transport = new MemoryGooseTransport();
        var run = publisher.RunAsync(transport, maxFrames: 2, TestContext.Current.CancellationToken);
        var first = GooseCodec.Decode(await transport.Sent.Reader.ReadAsync(TestContext.Current.CancellationToken)).Pdu;
        Assert.Equal((1u, 0u), (first.StNum, first.SqNum));
        // Nothing else is due for an hour: only the change wakes the loop.
        publisher.Publish([new MmsBitString([0x40], 2), MmsBitString.FromBits(13)]);
        var second = GooseCodec.Decode(await transport.Sent.Reader.ReadAsync(TestContext.Current.CancellationToken)).Pdu;
        Assert.Equal((2u, 0u), (second.StNum, second.SqNum));
        Assert.Equal(2, await run);
    }
}

/// <summary>An in-memory transport: frames sent are queued, frames to receive are fed by the test.</summary>
internal sealed class MemoryGooseTransport : IGooseTransport
{
    public System.Threading.Channels.Channel<byte[]> Sent { get; } = System.Threading.Channels.Channel.CreateUnbounded<byte[]>();
    public System.Threading.Channels.Channel<byte[]> Incoming { get; } = System.Threading.Channels.Channel.CreateUnbounded<byte[]>();

    public ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken = default) =>
        Sent.Writer.WriteAsync(frame.ToArray(), cancellationToken);

    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var frame = await Incoming.Reader.ReadAsync(cancellationToken);
        frame.CopyTo(buffer);
        return frame.Length;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
