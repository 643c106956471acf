using System.Diagnostics;
using FlexCoop.Testing;

namespace FlexCoop.Cli.Tests;

/// <summary><c>flexcoop iec61850 goose listen</c> and <c>publish</c> as processes on the loopback interface (raw sockets: root or CAP_NET_RAW).</summary>
public sealed class Iec61850GooseCliTests
{
    private static string DerModel => Path.Combine(TestEnvironment.RepoRoot, "schemas", "iec61850", "der-unit.cid");

    [Fact]
    public async Task Listen_shows_the_frames_publish_sends_on_loopback()
    {
        var ct = TestContext.Current.CancellationToken;
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Flexcoop.DllPath, "iec61850", "goose", "listen", "--interface", "lo", "--appid", "1001", "--gocb", "DER1CTRL/LLN0$GO$gcbStatus", "--count", "2" }) psi.ArgumentList.Add(a);
        using var listener = Process.Start(psi)!;
        try
        {
            var first = await listener.StandardOutput.ReadLineAsync(ct);
            if (first is null)
            {
                var error = await listener.StandardError.ReadToEndAsync(ct);
                if (error.Contains("CAP_NET_RAW", StringComparison.Ordinal) || error.Contains("Linux only", StringComparison.Ordinal)) Assert.Skip(error.Trim());
                Assert.Fail("listen printed nothing: " + error);
            }
            Assert.Equal("listening for GOOSE on lo (APPID 0x1001)", first);

            var (code, stdout, stderr) = await Flexcoop.RunAsync("iec61850", "goose", "publish", DerModel, "--gocb", "DER1CTRL/LLN0.gcbStatus", "--interface", "lo", "--count", "3");
            Assert.True(code == 0, stderr);
            Assert.Contains("publishing DER1CTRL/LLN0$GO$gcbStatus (goID DER1_Status, data set DER1CTRL/LLN0$GooseStatus with 2 entries) to 01-0C-CD-01-00-01 APPID 0x1001 VLAN 0 priority 4 on lo", stdout, StringComparison.Ordinal);
            Assert.Contains("sent stNum=1 sqNum=0 timeAllowedtoLive=20ms", stdout, StringComparison.Ordinal);
            Assert.Contains("sent stNum=1 sqNum=2 timeAllowedtoLive=80ms", stdout, StringComparison.Ordinal);
            Assert.Contains("sent 3 frames", stdout, StringComparison.Ordinal);

            var output = await listener.StandardOutput.ReadToEndAsync(ct);
            await listener.WaitForExitAsync(ct);
            Assert.Equal(0, listener.ExitCode);
            Assert.Contains("APPID 0x1001 DER1CTRL/LLN0$GO$gcbStatus", output, StringComparison.Ordinal);
            Assert.Contains("stNum=1 sqNum=0 timeAllowedtoLive=20ms confRev=1 first", output, StringComparison.Ordinal);
            // A loaded machine may let the 20 ms timeAllowedtoLive pass before sqNum 1 arrives: then it counts as a new first frame.
            Assert.True(output.Contains("stNum=1 sqNum=1 timeAllowedtoLive=40ms confRev=1", StringComparison.Ordinal), output);
        }
        finally
        {
            if (!listener.HasExited) listener.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task Unknown_interface_or_control_block_exits_2_with_the_reason()
    {
        var (code, _, stderr) = await Flexcoop.RunAsync("iec61850", "goose", "listen", "--interface", "nosuchif0");
        Assert.Equal(2, code);
        Assert.Contains("no network interface 'nosuchif0'", stderr, StringComparison.Ordinal);
        (code, _, stderr) = await Flexcoop.RunAsync("iec61850", "goose", "publish", DerModel, "--gocb", "gcbNope", "--interface", "lo");
        Assert.Equal(2, code);
        Assert.Contains("no GOOSE control block 'gcbNope' in IED DER1 (it has DER1CTRL/LLN0.gcbStatus)", stderr, StringComparison.Ordinal);
        (code, _, stderr) = await Flexcoop.RunAsync("iec61850", "goose", "listen", "--interface", "lo", "--appid", "xyz");
        Assert.Equal(2, code);
        Assert.Contains("not a hexadecimal APPID", stderr, StringComparison.Ordinal);
    }
}
