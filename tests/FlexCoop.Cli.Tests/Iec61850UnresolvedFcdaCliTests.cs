using System.Diagnostics;

namespace FlexCoop.Cli.Tests;

/// <summary>
/// <c>iec61850 serve --allow-unresolved-fcda</c> and the server suite's sDsetN4 on a model with an FCDA that designates
/// nothing: serve refuses the model without the option, serves it with it, and the suite (which loads such a model
/// with a warning) passes the case; with <c>--fault crash-on-unresolved-fcda</c> it fails.
/// </summary>
public sealed class Iec61850UnresolvedFcdaCliTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>der-unit.cid with one more FCDA in data set Measurements, naming a data object MMXU1 does not have.</summary>
    private static async Task<string> WriteModelAsync(string dir)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(FlexCoop.Testing.TestEnvironment.RepoRoot, "schemas", "iec61850", "der-unit.cid"), Ct);
        const string anchor = "<FCDA ldInst=\"PV\" lnClass=\"MMXU\" lnInst=\"1\" doName=\"Hz\" fc=\"MX\"/>";
        Assert.Contains(anchor, text, StringComparison.Ordinal);
        var path = Path.Combine(dir, "dangling.cid");
        await File.WriteAllTextAsync(path, text.Replace(anchor, anchor + "<FCDA ldInst=\"PV\" lnClass=\"MMXU\" lnInst=\"1\" doName=\"NoSuchDo\" fc=\"MX\"/>", StringComparison.Ordinal), Ct);
        return path;
    }

    private static async Task<(Process Process, string Endpoint)> ServeAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Flexcoop.DllPath, "iec61850", "serve" }.Concat(args).Concat(["--port", "0", "--bind", "127.0.0.1"])) psi.ArgumentList.Add(a);
        var process = Process.Start(psi)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var serving = await process.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("serve printed nothing: " + await process.StandardError.ReadToEndAsync(timeout.Token));
        _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
        return (process, serving[(serving.LastIndexOf(' ') + 1)..]);
    }

    private static async Task StopAsync(Process process)
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync(CancellationToken.None);
        process.Dispose();
    }

    [Fact]
    public async Task Serve_needs_the_option_for_an_unresolved_fcda_and_the_suite_passes_sDsetN4_on_it_and_fails_it_on_the_crash_fault()
    {
        var dir = Directory.CreateTempSubdirectory("flexcoop-unresolved-fcda-").FullName;
        try
        {
            var model = await WriteModelAsync(dir);
            var (code, _, stderr) = await Flexcoop.RunAsync("iec61850", "serve", model, "--port", "0", "--bind", "127.0.0.1");
            Assert.Equal(1, code);
            Assert.Contains("unresolved-fcda", stderr, StringComparison.Ordinal);

            var (server, endpoint) = await ServeAsync(model, "--allow-unresolved-fcda");
            try
            {
                string stdout;
                (code, stdout, stderr) = await Flexcoop.RunAsync("conformance", "iec61850-server", endpoint, "--scl", model, "--cases", "sDsetN4");
                Assert.True(code == 0, stdout + stderr);
                Assert.Contains("warning: ", stderr, StringComparison.Ordinal);
                Assert.Contains("NoSuchDo", stderr, StringComparison.Ordinal);
                Assert.Contains("1 pass", stdout, StringComparison.Ordinal);
            }
            finally
            {
                await StopAsync(server);
            }

            (server, endpoint) = await ServeAsync(model, "--allow-unresolved-fcda", "--fault", "crash-on-unresolved-fcda");
            try
            {
                string stdout;
                (code, stdout, _) = await Flexcoop.RunAsync("conformance", "iec61850-server", endpoint, "--scl", model, "--cases", "sDsetN4");
                Assert.Equal(1, code);
                Assert.Contains("1 fail", stdout, StringComparison.Ordinal);
            }
            finally
            {
                await StopAsync(server);
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
