using System.Diagnostics;
using System.Text.RegularExpressions;

namespace FlexCoop.Cli.Tests;

/// <summary><c>flexcoop conformance ven</c> as a user runs it, against <c>flexcoop ven run</c>, both as child processes.</summary>
public sealed partial class ConformanceOpenAdrCliTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex(@"^harness VTN listening on (\S+)")]
    private static partial Regex Listening();

    [Fact]
    public async Task Conformance_ven_help_explains_the_options_a_lab_needs()
    {
        var (code, stdout, _) = await Flexcoop.RunAsync("conformance", "ven", "--help");
        Assert.Equal(0, code);
        foreach (var option in new[] { "--listen", "--exchange", "--cases", "--pics", "--action-hook", "--time-scale", "--junit", "--html", "--tls-cert", "--ca" })
        {
            Assert.Contains(option, stdout, StringComparison.Ordinal);
        }
        Assert.Contains("Exit code 0 only if every applicable case passed", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Conformance_ven_refuses_bad_usage_with_exit_code_2()
    {
        Assert.Equal(2, (await Flexcoop.RunAsync("conformance", "ven", "--listen", "http://127.0.0.1:0", "--no-xsd", "--exchange", "sideways")).ExitCode);
        Assert.Equal(2, (await Flexcoop.RunAsync("conformance", "ven", "--listen", "http://127.0.0.1:0", "--no-xsd", "--cases", "Z9_*")).ExitCode);
        Assert.Equal(2, (await Flexcoop.RunAsync("conformance", "ven", "--listen", "https://127.0.0.1:0", "--no-xsd")).ExitCode); // TLS without a certificate
        Assert.Equal(2, (await Flexcoop.RunAsync("ven", "run", "--vtn", "http://127.0.0.1:1", "--insecure-http", "--ven-name", "x", "--fault", "bogus")).ExitCode);
    }

    [Fact]
    public async Task Conformance_ven_lists_92_pull_and_92_push_cases_all_scripted()
    {
        foreach (var exchange in new[] { "pull", "push" })
        {
            var list = await Flexcoop.RunAsync("conformance", "ven", "--listen", "http://127.0.0.1:0", "--exchange", exchange, "--list");
            Assert.Equal(0, list.ExitCode);
            var lines = list.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(92, lines.Length);
            Assert.All(lines, l => Assert.Contains(" scripted ", l, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Conformance_ven_certifies_ven_run_for_two_cases_and_writes_junit_and_html()
    {
        var dir = Directory.CreateTempSubdirectory("flexcoop-conformance-cli-").FullName;
        var junit = Path.Combine(dir, "ven.xml");
        var html = Path.Combine(dir, "ven.html");
        try
        {
            var (code, text) = await RunAgainstVenRunAsync(
                ["--listen", "http://127.0.0.1:0", "--no-xsd", "--time-scale", "0.1", "--cases", "E1_1020,A_E1_0090", "--junit", junit, "--html", html],
                url => ["--vtn", url, "--insecure-http", "--ven-name", "dut", "--state", Path.Combine(dir, "ven.db")]);
            Assert.True(code == 0, text);
            Assert.Contains("E1_1020_TH_VTN", text, StringComparison.Ordinal);
            ConformanceJUnit.AssertAllPassed(junit, 2);
            var page = await File.ReadAllTextAsync(html, Ct);
            Assert.Contains("every applicable case passed", page, StringComparison.Ordinal);
            Assert.Contains("oadrDistributeEvent", page, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// Runs <c>conformance ven SUITE-ARGS</c> (no terminal to prompt) and, once its harness VTN listens on URL,
    /// <c>ven run VEN-ARGS(URL)</c> with the suite's two market contexts; returns the suite's exit code and output
    /// when it has finished, and stops the VEN.
    /// </summary>
    private static async Task<(int Code, string Output)> RunAgainstVenRunAsync(string[] suiteArgs, Func<string, string[]> venArgs)
    {
        using var suite = FlexcoopProcess.Start(["conformance", "ven", .. suiteArgs], redirectInput: true);
        Process? ven = null;
        try
        {
            var url = (await FlexcoopProcess.WaitForLineAsync(suite, Listening())).Groups[1].Value;
            var output = suite.StandardOutput.ReadToEndAsync(Ct);
            ven = FlexcoopProcess.Start(["ven", "run", .. venArgs(url), "--market-context", "http://flexcoop.test/mc/1", "--market-context", "http://flexcoop.test/mc/2"]);
            _ = ven.StandardOutput.ReadToEndAsync(Ct);
            await suite.WaitForExitAsync(Ct);
            return (suite.ExitCode, await output);
        }
        finally
        {
            await FlexcoopProcess.StopAsync(suite);
            if (ven is not null)
            {
                await FlexcoopProcess.StopAsync(ven);
                ven.Dispose();
            }
        }
    }
}
