using FlexCoop.Conformance.Certification;
using FlexCoop.Conformance.Certification.OpenAdr;
using FlexCoop.Conformance.Reports;
using FlexCoop.OpenAdr.Security;
using FlexCoop.OpenAdr.Ven;

namespace FlexCoop.Conformance.Tests.Certification;

/// <summary>The VEN suite against our own VEN over real loopback sockets.</summary>
public sealed class VenSuiteTests
{
    /// <summary>Every case our VEN's PICS claims passes, every other one is not applicable; none is left without a script.</summary>
    private static void AssertClaimedPassAndRestNotApplicable(SuiteResult result, Pics pics)
    {
        foreach (var r in result.Results)
        {
            var applicable = r.Case.OptionalFeature is null || pics.Claims(r.Case.OptionalFeature);
            var expected = applicable ? CaseVerdict.Pass : CaseVerdict.NotApplicable;
            Assert.True(expected == r.Verdict, $"{r.Case.Id}: expected {expected}, got {r.Verdict} {r.FirstFailure?.ToString() ?? r.Note}\n{VenUnderTest.Describe(result)}");
            if (applicable) Assert.True(OpenAdrVenSuite.IsScripted(r.Case), $"{r.Case.Id} has no script");
        }
        Assert.True(result.AllApplicablePassed);
    }

    [Fact]
    public async Task Our_VEN_passes_every_pull_case_it_claims_over_TLS()
    {
        await using var dut = await VenUnderTest.StartAsync();
        var result = await dut.RunAsync();

        Assert.Equal(92, result.Results.Count);
        AssertClaimedPassAndRestNotApplicable(result, VenUnderTest.OurPics);
        // Not claimed: republishing metadata on its own (R1_3060), requesting the VTN's reports (4), XML signatures.
        Assert.Equal((86, 6, 0), (result.Count(CaseVerdict.Pass), result.Count(CaseVerdict.NotApplicable), result.Count(CaseVerdict.NotImplemented)));
        // Every passed case has a timeline of real messages, both ways.
        var e1020 = result.Results.Single(r => r.Case.Id == "E1_1020_TH_VTN");
        Assert.Contains(e1020.Timeline, t => t.Direction == MessageDirection.ToDevice && t.Body.Contains("oadrDistributeEvent", StringComparison.Ordinal));
        Assert.Contains(e1020.Timeline, t => t.Direction == MessageDirection.FromDevice && t.Body.Contains("oadrCreatedEvent", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Our_push_VEN_passes_every_push_case_it_claims_over_TLS_including_a_push_during_its_restart()
    {
        await using var dut = await VenUnderTest.StartAsync(exchange: Exchange.Push);
        var result = await dut.RunAsync(pics: VenUnderTest.OurPushPics);

        Assert.Equal(92, result.Results.Count);
        AssertClaimedPassAndRestNotApplicable(result, VenUnderTest.OurPushPics);
        // Not claimed: R0_8060 and the four VTN-report cases. Two VTNs: a second instance of our VEN serves the second one.
        Assert.Equal((87, 5, 0), (result.Count(CaseVerdict.Pass), result.Count(CaseVerdict.NotApplicable), result.Count(CaseVerdict.NotImplemented)));
        // N0_5010: the event pushed while the VEN restarted was answered after it came back.
        var restart = result.Results.Single(r => r.Case.Id == "N0_5010_TH_VTN");
        Assert.Contains(restart.Timeline, t => t.Direction == MessageDirection.FromDevice && t.Body.Contains("oadrCreatedEvent", StringComparison.Ordinal));
        var twoVtns = result.Results.Single(r => r.Case.Id == "A_E0_0185_TH_VTN");
        Assert.Contains(twoVtns.Timeline, t => t.Direction == MessageDirection.ToDevice && t.Body.Contains("FLEXCOOP_TH_VTN_2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Our_VEN_at_high_security_passes_every_pull_case_with_every_payload_signed_both_ways()
    {
        await using var dut = await VenUnderTest.StartAsync(security: OadrSecurityLevel.High, venSecurity: OadrSecurityLevel.High);
        var result = await dut.RunAsync(pics: VenUnderTest.OurHighPics);

        Assert.Equal(92, result.Results.Count);
        AssertClaimedPassAndRestNotApplicable(result, VenUnderTest.OurHighPics);
        Assert.Equal((87, 5, 0), (result.Count(CaseVerdict.Pass), result.Count(CaseVerdict.NotApplicable), result.Count(CaseVerdict.NotImplemented)));
        var g4011 = result.Results.Single(r => r.Case.Id == "G1_4011_TH_VTN");
        Assert.All(g4011.Timeline.Where(t => t.Direction == MessageDirection.FromDevice), t => Assert.Contains("SignatureValue", t.Body, StringComparison.Ordinal));
        Assert.Contains(g4011.Timeline, t => t.Label == "replay");
        Assert.Contains(g4011.Timeline, t => t.Label == "wrong signer");
    }

    [Fact]
    public async Task A_VEN_that_does_not_sign_fails_the_high_security_run_on_the_signature_rule()
    {
        await using var dut = await VenUnderTest.StartAsync(security: OadrSecurityLevel.High, venMayBeRefused: true);
        Assert.Null(dut.Panel); // refused from its first payload
        var result = await dut.RunAsync("G1_4011,E1_1020", VenUnderTest.OurHighPics);

        Assert.All(result.Results, r => Assert.Equal(CaseVerdict.Fail, r.Verdict));
        var first = result.Results[0].FirstFailure!;
        Assert.Equal("xml-signature", first.Rule);
        Assert.Equal("NoSignature", first.Element);
        Assert.False(result.AllApplicablePassed);
    }

    [Fact]
    public async Task A_cancelled_event_sent_again_under_its_older_modification_number_is_refused()
    {
        await using var dut = await VenUnderTest.StartAsync(tls: false);
        var result = await dut.RunAsync("A_E1_0285");

        var r = Assert.Single(result.Results);
        Assert.True(r.Verdict == CaseVerdict.Pass, VenUnderTest.Describe(result));
        var created = r.Timeline.Where(t => t.Direction == MessageDirection.FromDevice && t.Body.Contains("oadrCreatedEvent", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, created.Count);
        Assert.Contains("responseCode>450<", created[2].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_VEN_asking_for_the_VTN_reports_passes_R1_3070_to_R1_3120_and_one_cancelling_the_wrong_request_fails_two()
    {
        async Task<SuiteResult> RunAsync(bool cancelsWrongRequest)
        {
            var ct = TestContext.Current.CancellationToken;
            await using var suite = await OpenAdrVenSuite.StartAsync(new HarnessOptions
            {
                Listen = new Uri("http://127.0.0.1:0"),
                TimeScale = 0.1,
                SchemaDirectory = FlexCoop.Testing.TestEnvironment.RequireShared("schemas/openadr20b"),
            }, ct);
            await using var ven = await VenRequestingVtnReports.StartAsync(suite.Url, cancelsWrongRequest);
            return await CertificationRunner.RunAsync(suite, new CertificationRunOptions
            {
                Pattern = "R1_3070,R1_3090,R1_3100,R1_3120",
                Pics = Pics.Parse("request-vtn-reports = yes"),
                Operator = new DelegateOperatorActions((action, _, _) => ven.PerformAsync(action.Name)),
                CaseTimeout = TimeSpan.FromMinutes(2),
            }, ct);
        }

        var good = await RunAsync(cancelsWrongRequest: false);
        Assert.Equal(4, good.Results.Count);
        Assert.True(good.AllApplicablePassed && good.Count(CaseVerdict.Pass) == 4, VenUnderTest.Describe(good));

        var wrong = await RunAsync(cancelsWrongRequest: true);
        var verdicts = wrong.Results.ToDictionary(r => r.Case.Id[..7], r => r.Verdict);
        Assert.Equal(CaseVerdict.Pass, verdicts["R1_3070"]);
        Assert.Equal(CaseVerdict.Pass, verdicts["R1_3090"]);
        Assert.Equal(CaseVerdict.Fail, verdicts["R1_3100"]);
        Assert.Equal(CaseVerdict.Fail, verdicts["R1_3120"]);
        Assert.Contains("NOT_A_REQUEST", wrong.Results.Single(r => r.Case.Id.StartsWith("R1_3120", StringComparison.Ordinal)).FirstFailure!.Element, StringComparison.Ordinal);
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
