using FlexCoop.Conformance.Certification;
using FlexCoop.Conformance.Reports;

namespace FlexCoop.Conformance.Tests.Certification;

/// <summary>What the runner gained to carry the IEC 61850 and UFTP suites: not-applicable found by a script, group selection, cases without pull/push.</summary>
public sealed class SharedRunnerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class Suite(params (CertificationCase Case, Func<CaseRecorder, Task> Script)[] cases) : ICertificationSuite
    {
        public string Name => "shared";
        public IReadOnlyList<CertificationCase> Cases { get; } = [.. cases.Select(c => c.Case)];
        public IReadOnlyList<string> Notes => [];
        public bool HasScript(CertificationCase @case) => true;
        public Task RunCaseAsync(CertificationCase @case, CaseRecorder recorder, CancellationToken cancellationToken = default) =>
            cases.Single(c => c.Case.Id == @case.Id).Script(recorder);
    }

    private static Suite Sample() => new(
        (new CertificationCase("sRp1", "model has it", "Rp"), r => { r.Record(MessageDirection.ToDevice, "read request #1", "A0..."); return Task.CompletedTask; }),
        (new CertificationCase("sRp2", "model lacks it", "Rp"), r => throw r.NotApplicable("the model has no URCB")),
        (new CertificationCase("sBr1", "fails, then finds nothing to test", "Br"), r =>
        {
            r.AddFailure(new CheckFailure("sBr1", "wrong value"));
            throw r.NotApplicable("nothing else to test");
        }),
        (new CertificationCase("signature.bad", "refused", "signature") { Requirement = "the signature is verified" }, r => { r.Record(MessageDirection.FromDevice, "HTTP 401", ""); return Task.CompletedTask; }));

    [Fact]
    public async Task A_script_can_find_its_case_not_applicable_but_an_earlier_failure_still_fails_it()
    {
        var result = await CertificationRunner.RunAsync(Sample(), new CertificationRunOptions(), Ct);
        Assert.Equal([CaseVerdict.Pass, CaseVerdict.NotApplicable, CaseVerdict.Fail, CaseVerdict.Pass], result.Results.Select(r => r.Verdict));
        Assert.Equal("the model has no URCB", result.Results[1].Note);
        Assert.True(new SuiteResult("s", DateTimeOffset.UnixEpoch, TimeSpan.Zero, [result.Results[0], result.Results[1]], []).AllApplicablePassed);
    }

    [Theory]
    [InlineData("Rp", new[] { "sRp1", "sRp2" })]
    [InlineData("rp,signature", new[] { "sRp1", "sRp2", "signature.bad" })]
    [InlineData("B?", new[] { "sBr1" })]
    [InlineData("sRp1", new[] { "sRp1" })]
    [InlineData("signature.*", new[] { "signature.bad" })]
    public void A_pattern_selects_ids_and_whole_groups(string pattern, string[] expected) =>
        Assert.Equal(expected, CertificationRunner.Select(Sample(), pattern).Select(c => c.Id));

    [Fact]
    public async Task Reports_show_the_requirement_and_no_pull_or_push_for_protocols_without_them()
    {
        var result = await CertificationRunner.RunAsync(Sample(), new CertificationRunOptions(), Ct);
        var html = CertificationHtmlReport.Render(result);
        Assert.Contains("(signature)", html, StringComparison.Ordinal);
        Assert.Contains("Requirement: the signature is verified", html, StringComparison.Ordinal);
        Assert.DoesNotContain("pull", html, StringComparison.Ordinal);
        Assert.Equal(Exchange.None, result.Results[0].Case.Exchange);
    }
}
