using FlexCoop.Conformance.Certification;
using FlexCoop.Conformance.Certification.OpenAdr;
using FlexCoop.OpenAdr.Vtn;

namespace FlexCoop.Conformance.Tests.Certification;

/// <summary>The push half of the VTN suite: the harness VEN's listener takes what our VTN pushes, over mutual TLS on loopback.</summary>
public sealed class VtnPushSuiteTests
{
    [Fact]
    public void Every_push_case_maps_to_a_pull_shape_in_the_catalogue()
    {
        var pull = VtnCatalogue.Pull.Select(VtnCatalogue.ShortId).ToHashSet(StringComparer.Ordinal);
        Assert.All(VtnCatalogue.PushCases, c => Assert.Contains(VtnCatalogue.PullShapeOf(c), pull));
        Assert.Equal("N1_0010", VtnCatalogue.PullShapeOf(VtnCatalogue.PushCases.Single(c => c.Id == "N0_5010_TH_VEN")));
        Assert.Equal("A_E3_0430", VtnCatalogue.PullShapeOf(VtnCatalogue.PushCases.Single(c => c.Id == "A_E2_0430_TH_VEN")));
        Assert.Equal("G1_4010", VtnCatalogue.PullShapeOf(VtnCatalogue.PushCases.Single(c => c.Id == "G0_9010_TH_VEN")));
        Assert.Equal("G1_4011", VtnCatalogue.PullShapeOf(VtnCatalogue.PushCases.Single(c => c.Id == "G0_9020_TH_VEN")));
        Assert.Equal(VtnCatalogue.PushCases.Count, VtnCatalogue.PushCases.Select(VtnCatalogue.PullShapeOf).Distinct().Count());
    }

    [Fact]
    public async Task Our_VTN_passes_every_push_case_over_TLS_unattended()
    {
        await using var dut = await VtnUnderTest.StartAsync(exchange: Exchange.Push);
        var result = await dut.RunAsync();

        Assert.Equal(82, result.Results.Count);
        Assert.True(result.Count(CaseVerdict.Pass) == 80, $"{result.Count(CaseVerdict.Pass)} passed\n{VtnUnderTest.Describe(result)}");
        Assert.Equal(2, result.Count(CaseVerdict.NotApplicable)); // optional features our VTN does not claim in this run: N0_5025, G0_9020 (standard security)
        Assert.Equal(0, result.Count(CaseVerdict.NotImplemented));
        Assert.True(result.AllApplicablePassed);
        // Evidence: the event came as a push to the harness VEN's listener, and the answer went as the VEN's own request.
        var e6020 = result.Results.Single(r => r.Case.Id == "E0_6020_TH_VEN");
        Assert.Contains(e6020.Timeline, t => t.Direction == MessageDirection.FromDevice && t.Label.StartsWith("push EiEvent", StringComparison.Ordinal) && t.Body.Contains("oadrDistributeEvent", StringComparison.Ordinal));
        Assert.Contains(e6020.Timeline, t => t.Direction == MessageDirection.ToDevice && t.Body.Contains("oadrCreatedEvent", StringComparison.Ordinal));
        Assert.DoesNotContain(e6020.Timeline, t => t.Body.Contains("oadrPoll", StringComparison.Ordinal));
        var n5040 = result.Results.Single(r => r.Case.Id == "N0_5040_TH_VEN");
        Assert.Contains(n5040.Timeline, t => t.Label.StartsWith("push EiRegisterParty", StringComparison.Ordinal));
        var r8010 = result.Results.Single(r => r.Case.Id == "R0_8010_TH_VEN");
        Assert.Contains(r8010.Timeline, t => t.Label.StartsWith("push EiReport", StringComparison.Ordinal) && t.Body.Contains("oadrCreateReport", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_VTN_that_pushes_without_content_type_fails_its_push_cases_on_rule_53_and_passes_pull()
    {
        const string Cases = "A_E2_0430,A_E2_0452,E0_6020";
        await using (var dut = await VtnUnderTest.StartAsync(VtnFault.PushWithoutContentType, exchange: Exchange.Push))
        {
            var result = await dut.RunAsync(Cases);
            Assert.Equal(3, result.Results.Count);
            Assert.All(result.Results, r =>
            {
                Assert.True(r.Verdict == CaseVerdict.Fail, $"{r.Case.Id}: {r.Verdict} {r.Note}");
                Assert.Equal("rule 53", r.FirstFailure!.Rule);
                Assert.Contains("Content-Type", r.FirstFailure.Element ?? "", StringComparison.Ordinal);
            });
        }
        // The same cases pulled: the fault is in push requests only.
        await using (var pull = await VtnUnderTest.StartAsync(VtnFault.PushWithoutContentType))
        {
            var result = await pull.RunAsync("A_E3_0430,A_E3_0452,E1_1020");
            Assert.True(result.AllApplicablePassed, VtnUnderTest.Describe(result));
            Assert.Equal(3, result.Count(CaseVerdict.Pass));
        }
    }
}
