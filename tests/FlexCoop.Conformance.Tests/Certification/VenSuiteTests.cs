using FlexCoop.Conformance.Certification;
using FlexCoop.Conformance.Certification.OpenAdr;
using FlexCoop.Conformance.Reports;
using FlexCoop.OpenAdr.Ven;

namespace FlexCoop.Conformance.Tests.Certification;

/// <summary>The VEN suite against our own VEN over real loopback sockets.</summary>
public sealed class VenSuiteTests
{
    private static readonly HashSet<string> Scripted = OpenAdrVenSuite.ScriptedPullCases.ToHashSet(StringComparer.Ordinal);

    [Fact]
    public async Task Our_VEN_passes_every_scripted_pull_case_over_TLS()
    {
        await using var dut = await VenUnderTest.StartAsync();
        var result = await dut.RunAsync();

        Assert.Equal(92, result.Results.Count);
        foreach (var r in result.Results)
        {
            var scripted = Scripted.Contains(VenCatalogue.ScriptIdOf(r.Case)!);
            var applicable = r.Case.OptionalFeature is null || VenUnderTest.OurPics.Claims(r.Case.OptionalFeature);
            var expected = !applicable ? CaseVerdict.NotApplicable : scripted ? CaseVerdict.Pass : CaseVerdict.NotImplemented;
            Assert.True(expected == r.Verdict, $"{r.Case.Id}: expected {expected}, got {r.Verdict} {r.FirstFailure?.ToString() ?? r.Note}\n{VenUnderTest.Describe(result)}");
        }
        Assert.True(result.Count(CaseVerdict.Pass) >= 75, $"only {result.Count(CaseVerdict.Pass)} cases passed");
        // Cases without a script keep the run from counting as certified.
        Assert.Equal(result.Count(CaseVerdict.NotImplemented) == 0, result.AllApplicablePassed);
        // Every passed case has a timeline of real messages, both ways.
        var e1020 = result.Results.Single(r => r.Case.Id == "E1_1020_TH_VTN");
        Assert.Contains(e1020.Timeline, t => t.Direction == MessageDirection.ToDevice && t.Body.Contains("oadrDistributeEvent", StringComparison.Ordinal));
        Assert.Contains(e1020.Timeline, t => t.Direction == MessageDirection.FromDevice && t.Body.Contains("oadrCreatedEvent", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Our_push_VEN_passes_the_scripted_push_event_report_and_opt_cases()
    {
        await using var dut = await VenUnderTest.StartAsync(exchange: Exchange.Push);
        var pics = Pics.Parse("push = yes\npiggyback-cancel-report = yes");
        var result = await dut.RunAsync("A_E0_*,E0_*,R0_*,P0_*", pics);

        Assert.True(result.Results.Count > 70);
        var failed = result.Results.Where(r => r.Verdict is CaseVerdict.Fail or CaseVerdict.Inconclusive).ToList();
        Assert.True(failed.Count == 0, VenUnderTest.Describe(result));
        Assert.True(result.Count(CaseVerdict.Pass) >= 60, $"only {result.Count(CaseVerdict.Pass)} push cases passed");
        Assert.Equal(CaseVerdict.NotApplicable, result.Results.Single(r => r.Case.Id == "A_E0_0185_TH_VTN").Verdict); // two VTNs, not claimed
    }

    [Fact]
    public async Task A_fault_fails_the_case_with_the_rule_and_the_reports_show_it()
    {
        await using var dut = await VenUnderTest.StartAsync(VenFault.WrongRequestIdEcho, tls: false);
        var result = await dut.RunAsync("E1_1020,E1_1010");

        var failed = result.Results.Single(r => r.Case.Id == "E1_1020_TH_VTN");
        Assert.Equal(CaseVerdict.Fail, failed.Verdict);
        Assert.Equal("rule 42", failed.FirstFailure!.Rule);
        Assert.Contains("-x", failed.FirstFailure.Element, StringComparison.Ordinal);
        Assert.Equal(CaseVerdict.Pass, result.Results.Single(r => r.Case.Id == "E1_1010_TH_VTN").Verdict);
        Assert.False(result.AllApplicablePassed);

        var html = CertificationHtmlReport.Render(result);
        Assert.Contains("<mark title=\"rule 42:", html, StringComparison.Ordinal);
        Assert.Contains("&lt;ei:eventResponse&gt;", html, StringComparison.Ordinal); // pretty-printed body, encoded
        Assert.Contains("id=\"E1_1020_TH_VTN\"", html, StringComparison.Ordinal);

        using var junit = new MemoryStream();
        CertificationJUnitReport.Write(result, junit);
        var doc = System.Xml.Linq.XDocument.Parse(System.Text.Encoding.UTF8.GetString(junit.ToArray()));
        var suite = doc.Root!.Element("testsuite")!;
        Assert.Equal("2", suite.Attribute("tests")!.Value);
        Assert.Equal("1", suite.Attribute("failures")!.Value);
        var failure = suite.Elements("testcase").Single(t => t.Attribute("name")!.Value.StartsWith("E1_1020_TH_VTN", StringComparison.Ordinal)).Element("failure")!;
        Assert.Equal("rule 42", failure.Attribute("type")!.Value);
        Assert.Contains("oadrDistributeEvent", suite.Elements("testcase").First().Element("system-out")!.Value, StringComparison.Ordinal);
    }
}
