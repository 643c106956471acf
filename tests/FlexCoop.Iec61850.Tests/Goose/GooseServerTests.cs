using System.Net;
using System.Threading.Channels;
using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Iec61850.Mms.Goose;
using FlexCoop.Iec61850.Model;

namespace FlexCoop.Iec61850.Tests.Goose;

/// <summary>
/// GOOSE fed from the server: the example DER model's gcbStatus publishes XCBR1.Pos.stVal and .q. A change of
/// those values through the host API, a control operation or a client write is a new state; anything else is not.
/// Frames are taken from the publisher on a hand-moved clock, or from an in-memory transport.
/// </summary>
public sealed class GooseServerTests
{
    private const string Breaker = "DER1CTRL/XCBR1.Pos";
    private static readonly MmsBitString Off = MmsBitString.FromBits(2, 1);
    private static readonly MmsBitString On = MmsBitString.FromBits(2, 0);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static (Iec61850Server Server, GoosePublisher Publisher, ManualClock Clock) Start(IIec61850ControlHandler? handler = null)
    {
        var server = new Iec61850Server(GoosePublisherTests.DerUnit(), controlHandler: handler);
        var clock = new ManualClock(GooseVectors.VectorTime);
        var publisher = Assert.Single(server.StartGoose(GooseVectors.Source, timeProvider: clock));
        return (server, publisher, clock);
    }

    private static GoosePdu Next(GoosePublisher publisher)
    {
        var bytes = publisher.Poll();
        Assert.NotNull(bytes);
        return GooseCodec.Decode(bytes).Pdu;
    }

    [Fact]
    public async Task Start_enables_the_control_block_and_publishes_the_model_values_at_st_num_1()
    {
        var (server, publisher, _) = Start();
        await using var _ = server;
        Assert.Equal(new MmsBoolean(true), server.GetDataValue("DER1CTRL/LLN0.gcbStatus.GoEna", FunctionalConstraint.GO));
        var first = Next(publisher);
        Assert.Equal("DER1CTRL/LLN0$GO$gcbStatus", first.GocbRef);
        Assert.Equal((1u, 0u), (first.StNum, first.SqNum));
        Assert.Equal(On, first.AllData[0]);
        Assert.Equal(server.GetDataValue(Breaker + ".q", FunctionalConstraint.ST), first.AllData[1]);
        Assert.Null(publisher.Poll());
    }

    [Fact]
    public async Task Host_update_of_a_data_set_value_publishes_a_new_state_with_the_value_then_fast_retransmissions()
    {
        var (server, publisher, clock) = Start();
        await using var _ = server;
        Next(publisher);
        clock.AdvanceMilliseconds(10);
        var steady = Next(publisher);
        Assert.Equal((1u, 1u), (steady.StNum, steady.SqNum));

        server.SetDataValue(Breaker + ".stVal", FunctionalConstraint.ST, Off);
        var change = Next(publisher);
        Assert.Equal((2u, 0u), (change.StNum, change.SqNum));
        Assert.Equal(Off, change.AllData[0]);
        Assert.Null(publisher.Poll());
        // The burst starts again at MinTime (10 ms) after the change.
        clock.AdvanceMilliseconds(10);
        var retransmission = Next(publisher);
        Assert.Equal((2u, 1u), (retransmission.StNum, retransmission.SqNum));
        Assert.Equal(Off, retransmission.AllData[0]);
        Assert.Equal(40u, retransmission.TimeAllowedToLive);
    }

    [Fact]
    public async Task Update_of_a_value_outside_every_goose_data_set_sends_no_new_state()
    {
        var (server, publisher, clock) = Start();
        await using var _ = server;
        Next(publisher);
        server.UpdateDataObject("DER1PV/MMXU1.TotW", FunctionalConstraint.MX, "mag.f", new MmsFloat32(4200f), Iec61850Quality.Good, clock.Now);
        server.SetDataValue("DER1CTRL/XCBR1.BlkOpn.stVal", FunctionalConstraint.ST, new MmsBoolean(true));
        Assert.Null(publisher.Poll());
        Assert.Equal(1u, publisher.StNum);
        clock.AdvanceMilliseconds(10);
        var retransmission = Next(publisher);
        Assert.Equal((1u, 1u), (retransmission.StNum, retransmission.SqNum));
    }

    [Fact]
    public async Task Writing_the_same_value_again_sends_no_new_state()
    {
        var (server, publisher, _) = Start();
        await using var _ = server;
        Next(publisher);
        server.SetDataValue(Breaker + ".stVal", FunctionalConstraint.ST, On);
        Assert.Null(publisher.Poll());
        Assert.Equal(1u, publisher.StNum);
    }

    [Fact]
    public async Task Quality_change_of_a_member_is_a_new_state()
    {
        var (server, publisher, clock) = Start();
        await using var _ = server;
        Next(publisher);
        server.UpdateDataObject(Breaker, FunctionalConstraint.ST, "stVal", On, new Iec61850Quality(QualityValidity.Invalid), clock.Now);
        var change = Next(publisher);
        Assert.Equal((2u, 0u), (change.StNum, change.SqNum));
        Assert.Equal(On, change.AllData[0]);
        Assert.Equal(new Iec61850Quality(QualityValidity.Invalid).ToBitString(), change.AllData[1]);
    }

    /// <summary>A breaker that follows its switch controller: operating CSWI1.Pos moves XCBR1.Pos, as a bay controller would.</summary>
    private sealed class BreakerFollowsSwitch : IIec61850ControlHandler
    {
        public AddCause? Check(ControlRequest request) => null;

        public ValueTask<AddCause?> ExecuteAsync(ControlRequest request, CancellationToken cancellationToken)
        {
            var close = request.Parameters?.CtlVal is MmsBoolean { Value: true };
            request.Server.UpdateDataObject(Breaker, FunctionalConstraint.ST, "stVal", close ? On : Off, Iec61850Quality.Good, DateTimeOffset.UtcNow);
            return ValueTask.FromResult<AddCause?>(null);
        }
    }

    [Fact]
    public async Task Operate_that_moves_the_breaker_publishes_the_new_position()
    {
        var (server, publisher, _) = Start(new BreakerFollowsSwitch());
        await using var _ = server;
        server.Start(new IPEndPoint(IPAddress.Loopback, 0));
        Next(publisher);
        await using var client = await Iec61850Client.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, cancellationToken: Ct);
        var parameters = new ControlParameters { CtlVal = new MmsBoolean(false), CtlNum = 1, Origin = Originator.Remote("goose-test") };
        Assert.True((await client.SelectWithValueAsync("DER1CTRL/CSWI1.Pos", parameters, Ct)).Success);
        var operate = await client.OperateAsync("DER1CTRL/CSWI1.Pos", parameters, waitForTermination: true, cancellationToken: Ct);
        Assert.True(operate.Success, operate.ToString());
        var change = Next(publisher);
        Assert.Equal((2u, 0u), (change.StNum, change.SqNum));
        Assert.Equal(Off, change.AllData[0]);
    }

    [Fact]
    public async Task Client_write_of_GoEna_stops_the_publisher_and_enabling_again_restarts_at_st_num_1()
    {
        var (server, publisher, clock) = Start();
        await using var _ = server;
        server.Start(new IPEndPoint(IPAddress.Loopback, 0));
        Next(publisher);
        await using var client = await Iec61850Client.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, cancellationToken: Ct);

        await client.SetDataValuesAsync("DER1CTRL/LLN0.gcbStatus.GoEna", FunctionalConstraint.GO, new MmsBoolean(false), Ct);
        Assert.False(publisher.IsPublishing);
        server.SetDataValue(Breaker + ".stVal", FunctionalConstraint.ST, Off);
        clock.AdvanceMilliseconds(5000);
        Assert.Null(publisher.Poll());

        await client.SetDataValuesAsync("DER1CTRL/LLN0.gcbStatus.GoEna", FunctionalConstraint.GO, new MmsBoolean(true), Ct);
        var restarted = Next(publisher);
        Assert.Equal((1u, 0u), (restarted.StNum, restarted.SqNum));
        Assert.Equal(Off, restarted.AllData[0]);
    }

    [Fact]
    public async Task Run_sends_the_first_state_and_each_change_on_the_transport()
    {
        await using var server = new Iec61850Server(GoosePublisherTests.DerUnit());
        server.StartGoose(GooseVectors.Source);
        await using var transport = new ChannelTransport();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var run = server.RunGooseAsync(transport, stop.Token);

        var first = await transport.NextAsync(Ct);
        Assert.Equal((1u, 0u), (first.StNum, first.SqNum));
        server.SetDataValue(Breaker + ".stVal", FunctionalConstraint.ST, Off);
        GoosePdu change;
        do change = await transport.NextAsync(Ct);
        while (change.StNum == 1);
        Assert.Equal((2u, 0u), (change.StNum, change.SqNum));
        Assert.Equal(Off, change.AllData[0]);

        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Goose_can_be_started_once_per_server()
    {
        await using var server = new Iec61850Server(GoosePublisherTests.DerUnit());
        Assert.Empty(server.GoosePublishers);
        server.StartGoose(GooseVectors.Source, enable: false);
        Assert.False(server.GoosePublishers.Single().IsPublishing);
        Assert.Throws<InvalidOperationException>(() => server.StartGoose(GooseVectors.Source));
        await Assert.ThrowsAsync<ArgumentNullException>(() => server.RunGooseAsync(null!, Ct));
    }

    /// <summary>Frames sent, decoded, in order.</summary>
    private sealed class ChannelTransport : IGooseTransport
    {
        private readonly Channel<byte[]> _frames = Channel.CreateUnbounded<byte[]>();

        public ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken = default) =>
            _frames.Writer.WriteAsync(frame.ToArray(), cancellationToken);

        public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("send-only test transport");

        public async Task<GoosePdu> NextAsync(CancellationToken cancellationToken) =>
            GooseCodec.Decode(await _frames.Reader.ReadAsync(cancellationToken)).Pdu;

        public ValueTask DisposeAsync()
        {
            _frames.Writer.TryComplete();
            return ValueTask.CompletedTask;
        }
    }
}
