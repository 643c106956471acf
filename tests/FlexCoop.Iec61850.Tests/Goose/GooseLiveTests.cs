using FlexCoop.Iec61850.Mms.Goose;

namespace FlexCoop.Iec61850.Tests.Goose;

/// <summary>
/// GOOSE over a real raw Ethernet socket on the loopback interface. Needs Linux and root or
/// CAP_NET_RAW; skipped with the reason otherwise.
/// </summary>
public sealed class GooseLiveTests
{
    internal static GooseEthernetSocket OpenOrSkip(string interfaceName)
    {
        try
        {
            return GooseEthernetSocket.Open(interfaceName);
        }
        catch (GooseTransportException e) when (e.Error is GooseTransportError.PermissionDenied or GooseTransportError.PlatformNotSupported)
        {
            Assert.Skip($"raw Ethernet sockets are not available to this process: {e.Message}");
            throw;
        }
    }

    [Fact]
    public async Task Publisher_frames_on_loopback_reach_a_subscriber_in_order()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiveSocket = OpenOrSkip("lo");
        await using var sendSocket = OpenOrSkip("lo");
        var options = GoosePublisherOptions.FromControlBlock(GoosePublisherTests.GcbStatus(GoosePublisherTests.DerUnit())) with
        {
            Source = GooseVectors.Source,
            AppId = (ushort)Random.Shared.Next(0x2000, 0x3FFF), // apart from other tests on the host
            MinTime = TimeSpan.FromMilliseconds(200),
            MaxTime = TimeSpan.FromMilliseconds(400),
        };
        var subscriber = new GooseSubscriber(new GooseSubscriberOptions { AppId = options.AppId, GocbRef = options.GocbRef });
        var publisher = new GoosePublisher(options, GooseVectors.PositionOnGood);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var run = publisher.RunAsync(sendSocket, cancellationToken: stop.Token);

        var accepted = new List<GooseReception>();
        await foreach (var e in subscriber.ListenAsync(receiveSocket, ct))
        {
            if (e.Reception is { Accepted: true } r) accepted.Add(r);
            if (accepted.Count == 3) break;
        }
        await stop.CancelAsync();
        await run;

        Assert.Equal(GooseReceptionStatus.First, accepted[0].Status);
        Assert.All(accepted.Skip(1), r => Assert.Equal(GooseReceptionStatus.Retransmission, r.Status));
        Assert.Equal(accepted.Select(r => r.Frame!.Pdu.SqNum).Order(), accepted.Select(r => r.Frame!.Pdu.SqNum));
        Assert.All(accepted, r => Assert.Equal(GooseVectors.PositionOnGood, r.Frame!.Pdu.AllData));
    }

    [Fact]
    public async Task Unknown_interface_is_a_typed_error()
    {
        await using var probe = OpenOrSkip("lo");
        var e = Assert.Throws<GooseTransportException>(() => GooseEthernetSocket.Open("nosuchif0"));
        Assert.Equal(GooseTransportError.InterfaceNotFound, e.Error);
        Assert.Equal(GooseTransportError.InterfaceNotFound, Assert.Throws<GooseTransportException>(() => GooseEthernetSocket.Open("../etc")).Error);
    }
}
