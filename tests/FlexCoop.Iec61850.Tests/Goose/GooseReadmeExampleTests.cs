using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Iec61850.Mms.Goose;
using FlexCoop.Iec61850.Model;
using FlexCoop.Testing;

namespace FlexCoop.Iec61850.Tests.Goose;

/// <summary>The GOOSE example of the FlexCoop.Iec61850.Mms README, compiled and run on the loopback interface.</summary>
public sealed class GooseReadmeExampleTests
{
    [Fact]
    public async Task Readme_example_publishes_and_listens()
    {
        var path = Path.Combine(TestEnvironment.RepoRoot, "schemas", "iec61850", "der-unit.cid");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        MmsValue[] newValues = [new MmsBitString([0x40], 2), MmsBitString.FromBits(13)];
        await using var probe = GooseLiveTests.OpenOrSkip("lo");
        await using var listening = GooseEthernetSocket.Open("lo");

        var model = SclResolver.Load(path).FindIed("DER1")!;
        var gcb = model.FindLogicalDevice("DER1CTRL")!.Lln0!.GseControlBlocks.Single(g => g.Name == "gcbStatus");
        var values = GoosePublisherOptions.DataSetValues(gcb, Iec61850MmsMapping.BuildVmd(model));

        await using var socket = GooseEthernetSocket.Open("lo");
        var options = GoosePublisherOptions.FromControlBlock(gcb) with { Source = socket.LocalAddress };
        var publisher = new GoosePublisher(options, values);
        var publishing = publisher.RunAsync(socket, cancellationToken: stop.Token);
        publisher.Publish(newValues);

        var subscriber = new GooseSubscriber(new GooseSubscriberOptions { AppId = 0x1001 });
        GooseReception? changed = null;
        await foreach (var e in subscriber.ListenAsync(listening, stop.Token))
        {
            if (e.Reception is { Frame.Pdu.StNum: 2 } r) changed = r;
            if (changed is not null) break;
        }
        await stop.CancelAsync();
        await publishing;

        Assert.Equal(newValues, changed!.Frame!.Pdu.AllData);
    }
}
