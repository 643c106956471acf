using System.Text.RegularExpressions;

namespace FlexCoop.Cli.Tests;

/// <summary>
/// <c>flexcoop conformance vtn</c> as a user runs it, against <c>flexcoop vtn serve</c>, both as child
/// processes, the operator actions done by <c>flexcoop vtn conformance-action</c> as the action hook.
/// </summary>
public sealed partial class ConformanceVtnCliTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex(@"^listening on (\S+)")]
    private static partial Regex Listening();

    [GeneratedRegex(@"^operator API on (\S+)")]
    private static partial Regex OperatorApi();

    [Fact]
    public async Task Conformance_vtn_help_explains_the_options_and_the_hook()
    {
        var (code, stdout, _) = await Flexcoop.RunAsync("conformance", "vtn", "--help");
        Assert.Equal(0, code);
        foreach (var option in new[] { "--vtn", "--cases", "--pics", "--action-hook", "--time-scale", "--junit", "--html", "--tls-cert", "--ca" })
        {
            Assert.Contains(option, stdout, StringComparison.Ordinal);
        }
        Assert.Contains("vtn conformance-action", stdout, StringComparison.Ordinal);
        var action = await Flexcoop.RunAsync("vtn", "conformance-action", "--help");
        Assert.Equal(0, action.ExitCode);
        Assert.Contains("FLEXCOOP_ACTION_VEN_ID", action.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Conformance_vtn_refuses_bad_usage_with_exit_code_2_and_lists_the_catalogue()
    {
        Assert.Equal(2, (await Flexcoop.RunAsync("conformance", "vtn", "--vtn", "http://127.0.0.1:1", "--no-xsd", "--exchange", "sideways")).ExitCode);
        Assert.Equal(2, (await Flexcoop.RunAsync("conformance", "vtn", "--vtn", "http://127.0.0.1:1", "--no-xsd", "--cases", "Z9_*")).ExitCode);
        Assert.Equal(2, (await Flexcoop.RunAsync("conformance", "vtn", "--vtn", "https://127.0.0.1:1", "--no-xsd")).ExitCode); // TLS without a certificate
        Assert.Equal(2, (await Flexcoop.RunAsync("conformance", "vtn", "--vtn", "http://127.0.0.1:1", "--no-xsd", "--push-listen", "http://127.0.0.1:0")).ExitCode); // a listener for pull
        Assert.Equal(2, (await Flexcoop.RunAsync("conformance", "vtn", "--vtn", "http://127.0.0.1:1", "--no-xsd", "--exchange", "push", "--push-listen", "https://127.0.0.1:0")).ExitCode); // TLS listener, plain VTN
        Assert.Equal(2, (await Flexcoop.RunAsync("vtn", "serve", "--insecure-http", "--urls", "http://127.0.0.1:0", "--fault", "bogus")).ExitCode);
        Assert.Equal(2, (await Flexcoop.RunAsync("vtn", "conformance-action", "dance", "X1_0000")).ExitCode);
        var list = await Flexcoop.RunAsync("conformance", "vtn", "--vtn", "http://127.0.0.1:1", "--list");
        Assert.Equal(0, list.ExitCode);
        Assert.Equal(86, list.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("A_E3_0420_TH_VEN", list.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Conformance_vtn_certifies_vtn_serve_unattended_and_writes_junit_and_html()
    {
        var dir = Directory.CreateTempSubdirectory("flexcoop-vtn-conformance-cli-").FullName;
        try
        {
            var (code, text, junit, html) = await RunAgainstVtnServeAsync(dir, "N1_0010,A_E3_0452,A_E3_0720,R1_3010,P1_2010");
            Assert.True(code == 0, text);
            Assert.Contains("A_E3_0452_TH_VEN", text, StringComparison.Ordinal);
            ConformanceJUnit.AssertAllPassed(junit, 5);
            var page = await File.ReadAllTextAsync(html, Ct);
            Assert.Contains("every applicable case passed", page, StringComparison.Ordinal);
            Assert.Contains("oadrDistributeEvent", page, StringComparison.Ordinal);
            Assert.Contains("operator action create-event", page, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_faulty_vtn_serve_fails_the_case_with_exit_code_1_and_the_rule_in_junit()
    {
        var dir = Directory.CreateTempSubdirectory("flexcoop-vtn-conformance-cli-").FullName;
        try
        {
            var (code, text, junit, _) = await RunAgainstVtnServeAsync(dir, "A_E3_0720,A_E3_0452", "--fault", "accepts-unknown-event");
            Assert.True(code == 1, text);
            var failure = ConformanceJUnit.Case(junit, "A_E3_0720_TH_VEN").Element("failure")!;
            Assert.Equal("rule 48", failure.Attribute("type")!.Value);
            Assert.Empty(ConformanceJUnit.Case(junit, "A_E3_0452_TH_VEN").Elements("failure"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Starts <c>vtn serve</c> (plain HTTP, two programs), runs <c>conformance vtn</c> against it with the hook, stops the VTN.</summary>
    private static Task<(int Code, string Output, string JUnit, string Html)> RunAgainstVtnServeAsync(string dir, string cases, params string[] vtnArgs) =>
        RunAgainstVtnServeAsync(dir, cases, [], vtnArgs);

    /// <summary>The same, with <paramref name="suiteArgs"/> added to <c>conformance vtn</c> (e.g. <c>--exchange push</c>).</summary>
    private static async Task<(int Code, string Output, string JUnit, string Html)> RunAgainstVtnServeAsync(string dir, string cases, string[] suiteArgs, string[] vtnArgs)
    {
        var junit = Path.Combine(dir, "vtn.xml");
        var html = Path.Combine(dir, "vtn.html");
        using var vtn = FlexcoopProcess.Start(["vtn", "serve", "--insecure-http", "--urls", "http://127.0.0.1:0", "--api-url", "http://127.0.0.1:0", "--db", Path.Combine(dir, "vtn.db"),
            "--poll-frequency", "PT1S", "--program", "http://flexcoop.test/mc/1", "--program", "http://flexcoop.test/mc/2", .. vtnArgs]);
        try
        {
            var url = (await FlexcoopProcess.WaitForLineAsync(vtn, Listening())).Groups[1].Value;
            var api = (await FlexcoopProcess.WaitForLineAsync(vtn, OperatorApi())).Groups[1].Value;
            _ = vtn.StandardOutput.ReadToEndAsync(Ct);
            var hook = $"dotnet \"{Flexcoop.DllPath}\" vtn conformance-action --api {api}";
            var (code, stdout, stderr) = await Flexcoop.RunAsync(["conformance", "vtn", "--vtn", url, "--no-xsd", "--time-scale", "0.1",
                "--cases", cases, "--action-hook", hook, "--junit", junit, "--html", html, .. suiteArgs]);
            return (code, stdout + stderr, junit, html);
        }
        finally
        {
            await FlexcoopProcess.StopAsync(vtn);
        }
    }
}
