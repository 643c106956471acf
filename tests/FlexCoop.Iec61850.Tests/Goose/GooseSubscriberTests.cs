using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Goose;

namespace FlexCoop.Iec61850.Tests.Goose;

/// <summary>The subscriber's filtering, stNum/sqNum tracking and time-allowed-to-live supervision.</summary>
public sealed class GooseSubscriberTests
{
    private static byte[] Frame(uint stNum, uint sqNum, uint tal = 20, ushort appId = 0x1001, string gocbRef = "DER1CTRL/LLN0$GO$gcbStatus")
    {
        var frame = GooseVectors.GoldenFrame();
        return GooseCodec.Encode(frame with { AppId = appId, Pdu = frame.Pdu with { StNum = stNum, SqNum = sqNum, TimeAllowedToLive = tal, GocbRef = gocbRef } });
    }

    private static (GooseSubscriber Subscriber, ManualClock Clock) Subscriber(GooseSubscriberOptions? options = null)
    {
        var clock = new ManualClock(GooseVectors.VectorTime);
        return (new GooseSubscriber(options, clock), clock);
    }

    [Fact]
    public void Frames_of_other_appids_gocbrefs_and_ethertypes_are_filtered()
    {
        var (subscriber, _) = Subscriber(new GooseSubscriberOptions { AppId = 0x1001, GocbRef = "DER1CTRL/LLN0$GO$gcbStatus" });
        Assert.Equal(GooseReceptionStatus.Filtered, subscriber.Receive(Frame(1, 0, appId: 0x1002)).Status);
        Assert.Equal(GooseReceptionStatus.Filtered, subscriber.Receive(Frame(1, 0, gocbRef: "DER1CTRL/LLN0$GO$other")).Status);
        var ipv4 = new byte[60];
        ipv4[12] = 0x08;
        Assert.Equal(GooseReceptionStatus.Filtered, subscriber.Receive(ipv4).Status);
        var accepted = subscriber.Receive(Frame(1, 0));
        Assert.Equal(GooseReceptionStatus.First, accepted.Status);
        Assert.True(accepted.Accepted);
        Assert.Equal(GooseVectors.PositionOnGood, accepted.Frame!.Pdu.AllData);
        Assert.Single(subscriber.Streams);
    }

    [Fact]
    public void Sequence_of_frames_is_classified_by_stNum_and_sqNum()
    {
        var (subscriber, clock) = Subscriber();
        GooseReceptionStatus Next(uint st, uint sq, out bool missed)
        {
            clock.AdvanceMilliseconds(1);
            var r = subscriber.Receive(Frame(st, sq));
            missed = r.MissedFrames;
            return r.Status;
        }

        Assert.Equal(GooseReceptionStatus.First, Next(1, 0, out _));
        Assert.Equal(GooseReceptionStatus.Retransmission, Next(1, 1, out var missed));
        Assert.False(missed);
        Assert.Equal(GooseReceptionStatus.Duplicate, Next(1, 1, out _));
        Assert.Equal(GooseReceptionStatus.Retransmission, Next(1, 4, out missed));
        Assert.True(missed);
        Assert.Equal(GooseReceptionStatus.OutOfOrder, Next(1, 3, out _));
        Assert.Equal(GooseReceptionStatus.StateChange, Next(2, 0, out missed));
        Assert.False(missed);
        Assert.Equal(GooseReceptionStatus.OutOfOrder, Next(1, 5, out _));
        Assert.Equal(GooseReceptionStatus.StateChange, Next(4, 0, out missed));
        Assert.True(missed);
        Assert.Equal(4u, subscriber.Streams.Single().LastPdu.StNum);
    }

    [Fact]
    public void Counters_rolling_over_to_one_are_not_out_of_order()
    {
        var (subscriber, _) = Subscriber();
        subscriber.Receive(Frame(uint.MaxValue, uint.MaxValue));
        var sq = subscriber.Receive(Frame(uint.MaxValue, 1));
        Assert.Equal(GooseReceptionStatus.Retransmission, sq.Status);
        Assert.False(sq.MissedFrames);
        var st = subscriber.Receive(Frame(1, 0));
        Assert.Equal(GooseReceptionStatus.StateChange, st.Status);
        Assert.False(st.MissedFrames);
    }

    [Fact]
    public void Silence_longer_than_time_allowed_to_live_expires_the_publisher_once()
    {
        var (subscriber, clock) = Subscriber();
        subscriber.Receive(Frame(1, 0, tal: 20));
        Assert.Equal(clock.Now.AddMilliseconds(20), subscriber.NextExpiry);
        clock.AdvanceMilliseconds(20);
        Assert.Empty(subscriber.CheckTimeAllowedToLive());
        clock.AdvanceMilliseconds(1);
        var expired = Assert.Single(subscriber.CheckTimeAllowedToLive());
        Assert.Equal("DER1CTRL/LLN0$GO$gcbStatus", expired.GocbRef);
        Assert.True(expired.Expired);
        Assert.Empty(subscriber.CheckTimeAllowedToLive());
        Assert.Null(subscriber.NextExpiry);
        // A late copy of the last message does not revive the publisher.
        Assert.Equal(GooseReceptionStatus.Duplicate, subscriber.Receive(Frame(1, 0)).Status);
        Assert.True(subscriber.Streams.Single().Expired);
        // A restarted publisher (stNum back to 1, a new sqNum) is taken as a fresh start after expiry.
        Assert.Equal(GooseReceptionStatus.First, subscriber.Receive(Frame(1, 1)).Status);
        Assert.False(subscriber.Streams.Single().Expired);
    }

    [Fact]
    public void A_retransmission_in_time_extends_the_time_allowed_to_live()
    {
        var (subscriber, clock) = Subscriber();
        subscriber.Receive(Frame(1, 0, tal: 20));
        clock.AdvanceMilliseconds(15);
        subscriber.Receive(Frame(1, 1, tal: 40));
        clock.AdvanceMilliseconds(30);
        Assert.Empty(subscriber.CheckTimeAllowedToLive());
        clock.AdvanceMilliseconds(11);
        Assert.Single(subscriber.CheckTimeAllowedToLive());
    }

    [Fact]
    public void Malformed_goose_is_a_result_naming_the_error()
    {
        var (subscriber, _) = Subscriber();
        var bytes = Frame(1, 0);
        bytes[^3] = 0x7F;
        var r = subscriber.Receive(bytes);
        Assert.Equal(GooseReceptionStatus.Malformed, r.Status);
        Assert.NotNull(r.Error);
        Assert.Empty(subscriber.Streams);
    }

    [Fact]
    public void Publishers_beyond_the_limit_are_not_tracked()
    {
        var (subscriber, _) = Subscriber(new GooseSubscriberOptions { MaxStreams = 2 });
        Assert.Equal(GooseReceptionStatus.First, subscriber.Receive(Frame(1, 0, appId: 1)).Status);
        Assert.Equal(GooseReceptionStatus.First, subscriber.Receive(Frame(1, 0, appId: 2)).Status);
        Assert.Equal(GooseReceptionStatus.Untracked, subscriber.Receive(Frame(1, 0, appId: 3)).Status);
        Assert.Equal(2, subscriber.Streams.Count);
    }

    [Fact]
    public async Task Listen_yields_received_frames_and_expiries()
    {
        var clock = new ManualClock(GooseVectors.VectorTime);
        var subscriber = new GooseSubscriber(new GooseSubscriberOptions { AppId = 0x1001 }, clock);
        await using var transport = new MemoryGooseTransport();
        var ct = TestContext.Current.CancellationToken;
        await transport.Incoming.Writer.WriteAsync(Frame(1, 0, appId: 0x2000), ct);
        await transport.Incoming.Writer.WriteAsync(Frame(1, 0, tal: 20), ct);
        await using var events = subscriber.ListenAsync(transport, ct).GetAsyncEnumerator(ct);
        Assert.True(await events.MoveNextAsync());
        Assert.Equal(GooseReceptionStatus.First, events.Current.Reception!.Status);
        // The clock has already passed the time allowed to live when the listener next looks.
        clock.AdvanceMilliseconds(50);
        Assert.True(await events.MoveNextAsync());
        Assert.NotNull(events.Current.Expired);
        await transport.Incoming.Writer.WriteAsync(Frame(2, 0), ct);
        Assert.True(await events.MoveNextAsync());
        Assert.Equal(GooseReceptionStatus.First, events.Current.Reception!.Status);
    }
}
