using System.Diagnostics;
using System.Text.RegularExpressions;

namespace FlexCoop.Cli.Tests;

/// <summary><c>flexcoop iec61850 serve --control-url</c> with <c>flexcoop iec61850 operator</c> as the conformance suite's action hook.</summary>
public sealed partial class Iec61850OperatorCliTests
{
    private static string DerModel => Path.Combine(FlexCoop.Testing.TestEnvironment.RepoRoot, "schemas", "iec61850", "der-unit.cid");

    /// <summary>A serve process with operator control, both on OS-assigned loopback ports.</summary>
    private sealed class ServeWithControl : IAsyncDisposable
    {
        private readonly Process _process;

        private ServeWithControl(Process process, string endpoint, string controlUrl)
        {
            _process = process;
            Endpoint = endpoint;
            ControlUrl = controlUrl;
        }

        public string Endpoint { get; }

        public string ControlUrl { get; }

        public static async Task<ServeWithControl> StartAsync()
        {
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { Flexcoop.DllPath, "iec61850", "serve", DerModel, "--port", "0", "--bind", "127.0.0.1", "--control-url", "http://127.0.0.1:0" }) psi.ArgumentList.Add(a);
            var process = Process.Start(psi)!;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var serving = await process.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("serve printed nothing: " + await process.StandardError.ReadToEndAsync(timeout.Token));
            var control = await process.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("serve printed no control URL: " + await process.StandardError.ReadToEndAsync(timeout.Token));
            Assert.StartsWith("operator control on http://127.0.0.1:", control, StringComparison.Ordinal);
            // keep reading what the server logs so that its output pipe never fills
            _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
            return new ServeWithControl(process, serving[(serving.LastIndexOf(' ') + 1)..], control[(control.LastIndexOf(' ') + 1)..]);
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            _process.Dispose();
        }
    }

    [Fact]
    public async Task Operator_changes_a_member_and_refuses_an_unknown_action_and_an_unreachable_server()
    {
        await using var serve = await ServeWithControl.StartAsync();
        var (code, stdout, stderr) = await Flexcoop.RunAsync("iec61850", "read", serve.Endpoint, "DER1PV/MMXU1.TotW.mag.f", "MX");
        Assert.True(code == 0, stdout + stderr);
        var before = stdout;
        (code, stdout, stderr) = await Flexcoop.RunAsync("iec61850", "operator", "--url", serve.ControlUrl, "change-data-set-member", "sBr3");
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("DER1PV/MMXU1.TotW.mag.f [MX]", stdout, StringComparison.Ordinal);
        (code, stdout, stderr) = await Flexcoop.RunAsync("iec61850", "read", serve.Endpoint, "DER1PV/MMXU1.TotW.mag.f", "MX");
        Assert.True(code == 0, stdout + stderr);
        Assert.NotEqual(before, stdout);

        (code, _, stderr) = await Flexcoop.RunAsync("iec61850", "operator", "--url", serve.ControlUrl, "reboot");
        Assert.Equal(1, code);
        Assert.Contains("no operator action 'reboot'", stderr, StringComparison.Ordinal);
        (code, _, stderr) = await Flexcoop.RunAsync("iec61850", "operator", "--url", "http://127.0.0.1:1", "add-log-entries");
        Assert.Equal(2, code);
        Assert.Contains("cannot reach", stderr, StringComparison.Ordinal);
        (code, _, stderr) = await Flexcoop.RunAsync("iec61850", "serve", DerModel, "--port", "0", "--control-url", "http://192.0.2.1:80");
        Assert.Equal(2, code);
        Assert.Contains("loopback only", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Full_suite_against_serve_with_the_operator_hook_has_no_inconclusive_case()
    {
        await using var serve = await ServeWithControl.StartAsync();
        var dir = Directory.CreateTempSubdirectory("flexcoop-iec-operator-").FullName;
        try
        {
            var pixit = Path.Combine(dir, "pixit.json");
            await File.WriteAllTextAsync(pixit, """{ "operateControls": true, "reportTimeoutMs": 3000, "bufferOverflowEvents": 256 }""", TestContext.Current.CancellationToken);
            var (code, stdout, stderr) = await Flexcoop.RunAsync("conformance", "iec61850-server", serve.Endpoint, "--scl", DerModel, "--pixit", pixit,
                "--action-hook", $"dotnet {Flexcoop.DllPath} iec61850 operator --url {serve.ControlUrl}");
            Assert.True(code == 0, stdout + stderr);
            foreach (var id in new[] { "sBr3", "sBr9", "sLog3" }) Assert.Contains(id + " pass", stdout, StringComparison.Ordinal);
            Assert.DoesNotContain(" inconclusive", stdout.Replace("0 inconclusive", "", StringComparison.Ordinal), StringComparison.Ordinal);
            var summary = Summary().Match(stdout);
            Assert.True(summary.Success, stdout);
            Assert.Equal("0", summary.Groups["fail"].Value);
            Assert.Equal("0", summary.Groups["inconclusive"].Value);
            // 73 cases: the file-service cases (not claimed), the password cases (none set) and the ones the
            // model has nothing for are not applicable; every other case passes.
            Assert.Equal("65", summary.Groups["pass"].Value);
            Assert.Equal("8", summary.Groups["notApplicable"].Value);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [GeneratedRegex(@"(?<pass>\d+) pass, (?<fail>\d+) fail,.*?(?<inconclusive>\d+) inconclusive, (?<notApplicable>\d+) not applicable")]
    private static partial Regex Summary();
}
