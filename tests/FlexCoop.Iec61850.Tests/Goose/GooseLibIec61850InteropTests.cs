using System.Diagnostics;
using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Goose;

namespace FlexCoop.Iec61850.Tests.Goose;

/// <summary>
/// GOOSE interoperability with libiec61850 on the loopback interface: its <c>goose_publisher</c>
/// example's frames decoded by our subscriber, and our publisher's frames decoded by its
/// <c>goose_subscriber</c> and <c>goose_observer</c> examples. Opt-in: FLEXCOOP_LIBIEC61850_DIR names a
/// libiec61850 tree built in <c>build/</c>; raw sockets need root or CAP_NET_RAW. Skipped otherwise.
/// </summary>
public sealed class GooseLibIec61850InteropTests
{
    // What the libiec61850 GOOSE examples publish and subscribe to.
    private const string ExampleGocbRef = "simpleIOGenericIO/LLN0$GO$gcbAnalogValues";
    private const string ExampleDatSet = "simpleIOGenericIO/LLN0$AnalogValues";
    private const ushort ExampleAppId = 1000;

    private static string RequireExample(string name)
    {
        var root = Environment.GetEnvironmentVariable("FLEXCOOP_LIBIEC61850_DIR");
        if (string.IsNullOrEmpty(root) || !Directory.Exists(root)) Assert.Skip("FLEXCOOP_LIBIEC61850_DIR does not name a built libiec61850 tree; interoperability with it is opt-in");
        // The CMake targets are named goose_publisher_example, goose_subscriber_example, goose_observer.
        var folder = Path.Combine(root, "build", "examples", name);
        var binary = new[] { Path.Combine(folder, name), Path.Combine(folder, name + "_example") }.FirstOrDefault(File.Exists);
        if (binary is null) Assert.Skip($"{folder}/{name}[_example] is not built");
        return binary;
    }

    private static Process Start(string binary, params string[] args)
    {
        // stdbuf makes the C example flush each line to our pipe as it prints it.
        var psi = new ProcessStartInfo(File.Exists("/usr/bin/stdbuf") ? "/usr/bin/stdbuf" : binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (psi.FileName != binary)
        {
            psi.ArgumentList.Add("-oL");
            psi.ArgumentList.Add(binary);
        }
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }

    [Fact]
    public async Task Our_subscriber_decodes_the_frames_of_libiec61850_goose_publisher()
    {
        var binary = RequireExample("goose_publisher");
        var ct = TestContext.Current.CancellationToken;
        await using var socket = GooseLiveTests.OpenOrSkip("lo");
        var subscriber = new GooseSubscriber(new GooseSubscriberOptions { AppId = ExampleAppId, GocbRef = ExampleGocbRef });
        using var publisher = Start(binary, "lo");
        try
        {
            var accepted = new List<GooseReception>();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            await foreach (var e in subscriber.ListenAsync(socket, timeout.Token))
            {
                if (e.Reception is { Status: GooseReceptionStatus.Malformed } bad) Assert.Fail($"a libiec61850 frame did not decode: {bad.Error}");
                if (e.Reception is { Accepted: true } r) accepted.Add(r);
                if (accepted.Count == 3) break;
            }
            var first = accepted[0].Frame!;
            Assert.Equal(ExampleAppId, first.AppId);
            Assert.Equal(MacAddress.Parse("01-0C-CD-01-00-01"), first.Destination);
            Assert.Equal(ExampleDatSet, first.Pdu.DatSet);
            Assert.Equal(1u, first.Pdu.ConfRev);
            Assert.Equal(500u, first.Pdu.TimeAllowedToLive);
            Assert.Equal(3, first.Pdu.AllData.Count);
            Assert.Equal(new MmsInteger(1234), first.Pdu.AllData[0]);
            Assert.IsType<MmsBinaryTime>(first.Pdu.AllData[1]);
            Assert.Equal(new MmsInteger(5678), first.Pdu.AllData[2]);
            // Its example publishes the same state again: sqNum counts up under one stNum.
            Assert.Equal(accepted.Select(r => r.Frame!.Pdu.SqNum).Order(), accepted.Select(r => r.Frame!.Pdu.SqNum));
        }
        finally
        {
            if (!publisher.HasExited) publisher.Kill();
            await publisher.WaitForExitAsync(ct);
        }
    }

    public static TheoryData<string, string> Receivers => new()
    {
        { "goose_subscriber", "message is valid" },
        { "goose_observer", "goCbRef: " + ExampleGocbRef },
    };

    [Theory]
    [MemberData(nameof(Receivers))]
    public async Task Libiec61850_receivers_decode_our_frames(string example, string expectedLine)
    {
        var binary = RequireExample(example);
        var ct = TestContext.Current.CancellationToken;
        await using var socket = GooseLiveTests.OpenOrSkip("lo");
        var options = new GoosePublisherOptions
        {
            GocbRef = ExampleGocbRef,
            DatSet = ExampleDatSet,
            GoId = "interop",
            ConfRev = 1,
            AppId = ExampleAppId,
            Destination = MacAddress.Parse("01-0C-CD-01-00-01"),
            Source = socket.LocalAddress,
            MinTime = TimeSpan.FromMilliseconds(20),
            MaxTime = TimeSpan.FromMilliseconds(200),
        };
        MmsValue[] values = [new MmsInteger(4321), MmsBinaryTime.From(new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc)), new MmsInteger(8765)];
        var publisher = new GoosePublisher(options, values);
        using var receiver = Start(binary, "lo");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stop.CancelAfter(TimeSpan.FromSeconds(60));
        // Publish until the receiver shows our message; it opens its socket at some point after starting.
        var run = publisher.RunAsync(socket, cancellationToken: stop.Token);
        var lines = new List<string>();
        try
        {
            while (await receiver.StandardOutput.ReadLineAsync(stop.Token) is { } line)
            {
                lines.Add(line);
                if (line.Trim() == expectedLine.Trim() && lines.Any(l => l.Contains("allData", StringComparison.OrdinalIgnoreCase))) break;
                if (line.Trim() == expectedLine.Trim() && example == "goose_observer") break;
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            Assert.Fail($"{example} did not show '{expectedLine}' within a minute:\n{string.Join('\n', lines)}");
        }
        finally
        {
            await stop.CancelAsync();
            await run;
            if (!receiver.HasExited) receiver.Kill();
            await receiver.WaitForExitAsync(ct);
        }
        var output = string.Join('\n', lines);
        Assert.Contains(expectedLine, output, StringComparison.Ordinal);
        Assert.DoesNotContain("INVALID", output, StringComparison.Ordinal);
        if (example == "goose_subscriber")
        {
            Assert.Contains("4321", output, StringComparison.Ordinal);
            Assert.Contains("8765", output, StringComparison.Ordinal);
        }
    }
}
