using System.Diagnostics;
using FlexCoop.Testing;

namespace FlexCoop.Cli.Tests;

/// <summary><c>flexcoop iec61850 serve MODEL --goose IFACE</c>: the served model's GOOSE control blocks published on an interface.</summary>
public sealed class Iec61850ServeGooseCliTests
{
    [Fact]
    public async Task Serve_with_goose_publishes_the_first_state_of_the_models_control_block_on_loopback()
    {
        var ct = TestContext.Current.CancellationToken;
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Flexcoop.DllPath, "iec61850", "goose", "listen", "--interface", "lo", "--appid", "1001", "--gocb", "DER1CTRL/LLN0$GO$gcbStatus", "--count", "1" }) psi.ArgumentList.Add(a);
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
            await using var serve = await Iec61850MmsCliTests.ServeProcess.StartAsync("--goose", "lo");
            var output = await listener.StandardOutput.ReadToEndAsync(ct);
            await listener.WaitForExitAsync(ct);
            Assert.Equal(0, listener.ExitCode);
            Assert.Contains("APPID 0x1001 DER1CTRL/LLN0$GO$gcbStatus", output, StringComparison.Ordinal);
            Assert.Contains("stNum=1 sqNum=0", output, StringComparison.Ordinal);
            var (code, stdout, stderr) = await Flexcoop.RunAsync("iec61850", "read", serve.Endpoint, "DER1CTRL/LLN0.gcbStatus.GoEna", "GO");
            Assert.True(code == 0, stderr);
            Assert.Contains("true", stdout, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            if (!listener.HasExited) listener.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task Serve_with_goose_on_an_unknown_interface_or_a_model_without_goose_exits_2()
    {
        var der = Path.Combine(TestEnvironment.RepoRoot, "schemas", "iec61850", "der-unit.cid");
        var (code, _, stderr) = await Flexcoop.RunAsync("iec61850", "serve", der, "--port", "0", "--bind", "127.0.0.1", "--goose", "nosuchif0");
        Assert.Equal(2, code);
        Assert.Contains("no network interface 'nosuchif0'", stderr, StringComparison.Ordinal);

        var generated = Path.Combine(TestEnvironment.RepoRoot, "schemas", "iec61850", "generated-10000.cid");
        (code, _, stderr) = await Flexcoop.RunAsync("iec61850", "serve", generated, "--port", "0", "--bind", "127.0.0.1", "--goose", "lo");
        if (stderr.Contains("CAP_NET_RAW", StringComparison.Ordinal)) Assert.Skip(stderr.Trim());
        Assert.Equal(2, code);
        Assert.Contains("has no GOOSE control block with a data set", stderr, StringComparison.Ordinal);
    }
}
