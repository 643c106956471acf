namespace FlexCoop.Cli.Tests;

/// <summary>The optional report cases through the CLI: declared in a PICS file, run against <c>vtn serve</c>, failed by its fault.</summary>
public sealed partial class ConformanceVtnCliTests
{
    [Fact]
    public async Task Optional_report_cases_pass_when_claimed_and_a_separate_cancel_fails_R1_3050()
    {
        var dir = Directory.CreateTempSubdirectory("flexcoop-vtn-conformance-cli-").FullName;
        try
        {
            var pics = Path.Combine(dir, "pics.ini");
            await File.WriteAllTextAsync(pics, "piggyback-cancel-report = yes\nhistory-usage = yes\n", Ct);
            var (code, text, junit, _) = await RunAgainstVtnServeAsync(dir, "R1_3050,R1_3130,R1_3140,R1_3090", ["--pics", pics], []);
            Assert.True(code == 0, text);
            ConformanceJUnit.AssertAllPassed(junit, 4);
            // R1_3090 needs 'vtn-reports', which the PICS does not claim: not applicable, reported as skipped.
            Assert.Single(ConformanceJUnit.Case(junit, "R1_3090_TH_VEN").Elements("skipped"));

            var (faultCode, faultText, faultJunit, _) = await RunAgainstVtnServeAsync(Directory.CreateDirectory(Path.Combine(dir, "faulty")).FullName, "R1_3050,R1_3130", ["--pics", pics], ["--fault", "separate-report-cancel"]);
            Assert.True(faultCode == 1, faultText);
            // The cancellation came on its own: the VEN's next report meets a request already cancelled.
            var failed = ConformanceJUnit.Case(faultJunit, "R1_3050_TH_VEN").Element("failure");
            Assert.NotNull(failed);
            Assert.Equal("R1_3050", failed.Attribute("type")!.Value);
            Assert.Empty(ConformanceJUnit.Case(faultJunit, "R1_3130_TH_VEN").Elements("failure"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
