using System.Xml.Linq;

namespace FlexCoop.Cli.Tests;

/// <summary><c>flexcoop conformance iec61850-server</c> against <c>flexcoop iec61850 serve</c> processes, with and without a fault.</summary>
public sealed class Iec61850ConformanceCliTests
{
    private static string DerModel => Path.Combine(FlexCoop.Testing.TestEnvironment.RepoRoot, "schemas", "iec61850", "der-unit.cid");

    [Fact]
    public async Task Suite_passes_selected_cases_against_serve_and_writes_junit_and_html()
    {
        await using var serve = await Iec61850MmsCliTests.ServeProcess.StartAsync();
        var dir = Directory.CreateTempSubdirectory("flexcoop-iec-suite-cli-").FullName;
        try
        {
            var pixit = Path.Combine(dir, "pixit.json");
            await File.WriteAllTextAsync(pixit, """{ "operateControls": true, "reportTimeoutMs": 3000 }""", TestContext.Current.CancellationToken);
            var junit = Path.Combine(dir, "junit.xml");
            var html = Path.Combine(dir, "report.html");
            var (code, stdout, stderr) = await Flexcoop.RunAsync("conformance", "iec61850-server", serve.Endpoint, "--scl", DerModel, "--pixit", pixit,
                "--cases", "sAss1,Srv,sCtl5,sSg*", "--junit", junit, "--html", html);
            Assert.True(code == 0, stdout + stderr);
            Assert.Contains("sCtl5 pass", stdout, StringComparison.Ordinal);
            Assert.Contains("sSrvN9 pass", stdout, StringComparison.Ordinal);
            Assert.Contains(" 0 fail,", stdout, StringComparison.Ordinal);
            var xml = XDocument.Load(junit);
            Assert.Equal("0", xml.Root!.Element("testsuite")!.Attribute("failures")!.Value);
            Assert.Contains("sCtl5", await File.ReadAllTextAsync(html, TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task Suite_exits_1_on_a_served_fault_and_when_the_operator_hook_cannot_act()
    {
        await using var serve = await Iec61850MmsCliTests.ServeProcess.StartAsync("--fault", "write-allowed-on-st");
        var (code, stdout, _) = await Flexcoop.RunAsync("conformance", "iec61850-server", serve.Endpoint, "--scl", DerModel, "--cases", "sSrvN2,sSrvN1", "--timeout", "60");
        Assert.Equal(1, code);
        Assert.Contains("sSrvN2 fail", stdout, StringComparison.Ordinal);
        Assert.Contains("sSrvN1 pass", stdout, StringComparison.Ordinal);

        // The served log is empty: sLog3 asks the operator for entries, and a hook that fails leaves it inconclusive.
        (code, stdout, _) = await Flexcoop.RunAsync("conformance", "iec61850-server", serve.Endpoint, "--scl", DerModel, "--cases", "sLog3", "--action-hook", "false");
        Assert.Equal(1, code);
        Assert.Contains("sLog3 inconclusive", stdout, StringComparison.Ordinal);
        Assert.Contains("add-log-entries", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Suite_lists_cases_and_refuses_a_bad_pixit()
    {
        var (code, stdout, _) = await Flexcoop.RunAsync("conformance", "iec61850-server", "localhost", "--scl", DerModel, "--list");
        Assert.Equal(0, code);
        Assert.Contains("sAss1", stdout, StringComparison.Ordinal);
        Assert.Matches(@"sBr9 +Br +scripted +bufferOverflowEvents", stdout);
        Assert.DoesNotContain("not implemented", stdout, StringComparison.Ordinal);
        var pixit = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(pixit, """{ "maxAssociations": "many" }""", TestContext.Current.CancellationToken);
            var (bad, _, stderr) = await Flexcoop.RunAsync("conformance", "iec61850-server", "localhost:1", "--scl", DerModel, "--pixit", pixit);
            Assert.Equal(2, bad);
            Assert.Contains("PIXIT", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(pixit);
        }
    }
}
