using System.Xml.Linq;

namespace FlexCoop.Cli.Tests;

/// <summary>The VTN-report cases (PICS <c>vtn-reports</c>) through the CLI against <c>vtn serve</c>, pull and push, and failed by its fault.</summary>
public sealed partial class ConformanceVtnCliTests
{
    [Fact]
    public async Task VTN_report_cases_pass_pull_and_push_when_claimed_and_ignores_report_cancel_fails_R1_3100_and_R1_3120()
    {
        var dir = Directory.CreateTempSubdirectory("flexcoop-vtn-conformance-cli-").FullName;
        try
        {
            var pics = Path.Combine(dir, "pics.ini");
            await File.WriteAllTextAsync(pics, "vtn-reports = yes\n", Ct);
            var (code, text, junit, html) = await RunAgainstVtnServeAsync(Directory.CreateDirectory(Path.Combine(dir, "pull")).FullName, "R1_3070,R1_3080,R1_3090,R1_3100,R1_3120", ["--pics", pics], []);
            Assert.True(code == 0, text);
            var cases = XDocument.Load(junit).Descendants("testcase").ToList();
            Assert.Equal(5, cases.Count);
            Assert.All(cases, c => Assert.Empty(c.Elements("failure")));
            Assert.All(cases, c => Assert.Empty(c.Elements("skipped")));
            Assert.Contains("VTN_STATUS", await File.ReadAllTextAsync(html, Ct), StringComparison.Ordinal);

            var (pushCode, pushText, pushJunit, _) = await RunAgainstVtnServeAsync(Directory.CreateDirectory(Path.Combine(dir, "push")).FullName, "R0_8090,R0_8120", ["--pics", pics, "--exchange", "push"], []);
            Assert.True(pushCode == 0, pushText);
            Assert.Equal(2, XDocument.Load(pushJunit).Descendants("testcase").Count(c => !c.Elements("failure").Any() && !c.Elements("skipped").Any()));

            var (faultCode, faultText, faultJunit, _) = await RunAgainstVtnServeAsync(Directory.CreateDirectory(Path.Combine(dir, "faulty")).FullName, "R1_3090,R1_3100,R1_3120", ["--pics", pics], ["--fault", "ignores-report-cancel"]);
            Assert.True(faultCode == 1, faultText);
            var results = XDocument.Load(faultJunit).Descendants("testcase").ToList();
            XElement Case(string id) => results.Single(t => t.Attribute("name")!.Value.StartsWith(id, StringComparison.Ordinal));
            Assert.Empty(Case("R1_3090_TH_VEN").Elements("failure"));
            Assert.Equal("R1_3100", Case("R1_3100_TH_VEN").Element("failure")!.Attribute("type")!.Value);
            Assert.Contains("a cancelled report stops", Case("R1_3120_TH_VEN").Element("failure")!.Attribute("message")!.Value, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
