using FlexCoop.Conformance.Certification;
using FlexCoop.Conformance.Certification.OpenAdr;
using FlexCoop.Conformance.Reports;
using FlexCoop.OpenAdr.Vtn;

namespace FlexCoop.Conformance.Tests.Certification;

/// <summary>The VTN suite against our own VTN over real loopback sockets, unattended through its operator API.</summary>
public sealed class VtnSuiteTests
{
    [Fact]
    public void Catalogue_has_the_168_VTN_cases_86_pull_and_82_push()
    {
        Assert.Equal(168, VtnCatalogue.All.Count);
        Assert.Equal(86, VtnCatalogue.Pull.Count);
        Assert.Equal(82, VtnCatalogue.PushCases.Count);
        Assert.Equal(VtnCatalogue.All.Count, VtnCatalogue.All.Select(c => c.Id).Distinct().Count());
        Assert.All(VtnCatalogue.All, c => Assert.EndsWith("_TH_VEN", c.Id, StringComparison.Ordinal));
        Assert.Equal(33, VtnCatalogue.Pull.Count(c => c.Id.StartsWith("A_E3_", StringComparison.Ordinal)));
        Assert.Equal(31, VtnCatalogue.PushCases.Count(c => c.Id.StartsWith("A_E2_", StringComparison.Ordinal)));
        Assert.Equal("N0_5010", VtnCatalogue.PushIdOf("N1_0010"));
        Assert.Equal("A_E2_0430", VtnCatalogue.PushIdOf("A_E3_0430"));
        Assert.Contains(VtnCatalogue.PushCases, c => c.Id == "G0_9020_TH_VEN");
        // Every scripted case is in the catalogue.
        Assert.All(OpenAdrVtnSuite.ScriptedPullCases, id => Assert.Contains(VtnCatalogue.Pull, c => c.Id == id + "_TH_VEN"));
    }

    [Fact]
    public async Task Our_VTN_passes_every_pull_case_over_TLS_unattended()
    {
        await using var dut = await VtnUnderTest.StartAsync();
        var result = await dut.RunAsync();

        Assert.Equal(86, result.Results.Count);
        Assert.True(result.Count(CaseVerdict.Pass) == 84, $"{result.Count(CaseVerdict.Pass)} passed\n{VtnUnderTest.Describe(result)}");
        Assert.Equal(2, result.Count(CaseVerdict.NotApplicable)); // optional features our VTN does not claim in this run: N1_0025, G1_4011 (standard security)
        Assert.Equal(0, result.Count(CaseVerdict.NotImplemented));
        Assert.True(result.AllApplicablePassed);
        foreach (var r in result.Results.Where(r => r.Verdict == CaseVerdict.NotApplicable))
        {
            Assert.False(r.Case.OptionalFeature is null || VtnUnderTest.OurPics.Claims(r.Case.OptionalFeature), r.Case.Id);
        }
        // Evidence: the messages both ways, and the TLS facts of the session.
        var e1020 = result.Results.Single(r => r.Case.Id == "E1_1020_TH_VEN");
        Assert.Contains(e1020.Timeline, t => t.Direction == MessageDirection.FromDevice && t.Body.Contains("oadrDistributeEvent", StringComparison.Ordinal));
        Assert.Contains(e1020.Timeline, t => t.Direction == MessageDirection.ToDevice && t.Body.Contains("oadrCreatedEvent", StringComparison.Ordinal));
        Assert.Contains(e1020.Timeline, t => t.Label == "operator action create-event");
        var g4020 = result.Results.Single(r => r.Case.Id == "G1_4020_TH_VEN");
        Assert.Contains(g4020.Timeline, t => t.Body.Contains("TLS_RSA_WITH_AES_128_CBC_SHA256", StringComparison.Ordinal));
        // No host names in the PICS: the VTN chose ECC or RSA from what each ClientHello offered.
        Assert.Contains(g4020.Timeline, t => t.Body.Contains("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", StringComparison.Ordinal) && t.Body.Contains("ECC", StringComparison.Ordinal));
        var r3050 = result.Results.Single(r => r.Case.Id == "R1_3050_TH_VEN");
        Assert.Contains(r3050.Timeline, t => t.Direction == MessageDirection.FromDevice && t.Body.Contains("oadrUpdatedReport", StringComparison.Ordinal) && t.Body.Contains("oadrCancelReport", StringComparison.Ordinal));
        // The VTN's own report: requested by the harness VEN, sent periodically, stopped by a piggy-backed cancellation.
        var r3120 = result.Results.Single(r => r.Case.Id == "R1_3120_TH_VEN");
        Assert.Contains(r3120.Timeline, t => t.Direction == MessageDirection.FromDevice && t.Body.Contains("oadrUpdateReport", StringComparison.Ordinal) && t.Body.Contains(OadrVtn.OwnStatusRId, StringComparison.Ordinal));
        Assert.Contains(r3120.Timeline, t => t.Direction == MessageDirection.ToDevice && t.Body.Contains("oadrUpdatedReport", StringComparison.Ordinal) && t.Body.Contains("oadrCancelReport", StringComparison.Ordinal));
        var r3130 = result.Results.Single(r => r.Case.Id == "R1_3130_TH_VEN");
        Assert.Contains(r3130.Timeline, t => t.Direction == MessageDirection.ToDevice && t.Body.Contains("HISTORY_USAGE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_fault_fails_with_the_rule_and_the_reports_show_the_evidence()
    {
        await using var dut = await VtnUnderTest.StartAsync(VtnFault.WrongRequestIdEcho, tls: false);
        var result = await dut.RunAsync("P1_2010,A_E3_0452,G1_4010");

        var failed = result.Results.Single(r => r.Case.Id == "P1_2010_TH_VEN");
        Assert.Equal(CaseVerdict.Fail, failed.Verdict);
        Assert.Equal("requestID", failed.FirstFailure!.Rule);
        Assert.Contains("-x", failed.FirstFailure.Message, StringComparison.Ordinal);
        Assert.True(result.Results.Single(r => r.Case.Id == "A_E3_0452_TH_VEN").Verdict == CaseVerdict.Pass, VtnUnderTest.Describe(result));
        Assert.Equal(CaseVerdict.Inconclusive, result.Results.Single(r => r.Case.Id == "G1_4010_TH_VEN").Verdict); // plain HTTP
        Assert.False(result.AllApplicablePassed);

        var html = CertificationHtmlReport.Render(result);
        Assert.Contains("<mark title=\"requestID:", html, StringComparison.Ordinal);
        Assert.Contains("&lt;oadr:oadrCreatedOpt", html, StringComparison.Ordinal);
        Assert.Contains("id=\"P1_2010_TH_VEN\"", html, StringComparison.Ordinal);
    }
}
