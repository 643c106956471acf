namespace FlexCoop.Cli.Tests;

/// <summary><c>flexcoop conformance vtn --exchange push</c>: the VTN posts to the harness VEN's own listener.</summary>
public sealed partial class ConformanceVtnCliTests
{
    [Fact]
    public async Task Conformance_vtn_push_lists_82_cases_and_certifies_vtn_serve_with_exit_code_0()
    {
        var list = await Flexcoop.RunAsync("conformance", "vtn", "--vtn", "http://127.0.0.1:1", "--exchange", "push", "--list");
        Assert.Equal(0, list.ExitCode);
        var lines = list.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(82, lines.Length);
        // Every push case is scripted, the VTN-report twins (R0_8070 to R0_8120) and G0_9020 (XML signatures) included.
        Assert.DoesNotContain(lines, l => l.Contains("not implemented", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("G0_9020_TH_VEN", StringComparison.Ordinal) && l.Contains("scripted", StringComparison.Ordinal) && l.Contains("xml-signature", StringComparison.Ordinal));

        var dir = Directory.CreateTempSubdirectory("flexcoop-vtn-conformance-cli-").FullName;
        try
        {
            var (code, text, junit, html) = await RunAgainstVtnServeAsync(dir, "N0_5010,A_E2_0452,E0_6020,R0_8010,P0_7010", ["--exchange", "push"], []);
            Assert.True(code == 0, text);
            ConformanceJUnit.AssertAllPassed(junit, 5);
            var page = await File.ReadAllTextAsync(html, Ct);
            Assert.Contains("push EiEvent", page, StringComparison.Ordinal);
            Assert.Contains("push EiReport", page, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
