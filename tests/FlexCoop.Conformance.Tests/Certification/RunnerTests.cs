using FlexCoop.Conformance.Certification;
using FlexCoop.Conformance.Certification.OpenAdr;
using FlexCoop.Conformance.Reports;

namespace FlexCoop.Conformance.Tests.Certification;

/// <summary>The protocol-neutral runner: selection, PICS, verdicts, operator hooks; and the OpenADR catalogue.</summary>
public sealed class RunnerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A suite whose scripts are given by the test.</summary>
    private sealed class FakeSuite(IReadOnlyList<CertificationCase> cases, Dictionary<string, Func<CaseRecorder, CancellationToken, Task>> scripts) : ICertificationSuite
    {
        public string Name => "fake";

        public IReadOnlyList<CertificationCase> Cases => cases;

        public IReadOnlyList<string> Notes => ["fake suite"];

        public bool HasScript(CertificationCase @case) => scripts.ContainsKey(@case.Id);

        public Task RunCaseAsync(CertificationCase @case, CaseRecorder recorder, CancellationToken cancellationToken = default) => scripts[@case.Id](recorder, cancellationToken);
    }

    private static readonly CertificationCase[] Cases =
    [
        new("X1_0010_TH_VTN", "passes", "g", Exchange.Pull),
        new("X1_0020_TH_VTN", "fails a check", "g", Exchange.Pull),
        new("X1_0030_TH_VTN", "optional", "g", Exchange.Pull, "fancy"),
        new("X1_0040_TH_VTN", "no script", "g", Exchange.Pull),
        new("X1_0050_TH_VTN", "operator cannot act", "g", Exchange.Pull),
    ];

    private static FakeSuite Suite() => new(Cases, new()
    {
        ["X1_0010_TH_VTN"] = (r, _) => { r.Record(MessageDirection.ToDevice, "hello", "<a/>"); return Task.CompletedTask; },
        ["X1_0020_TH_VTN"] = (r, _) =>
        {
            var i = r.Record(MessageDirection.FromDevice, "answer", "<a><b>7</b></a>");
            r.Check(false, "rule 9", "b must be 0 to 3", "<b>7", i);
            r.Check(false, "rule 10", "never reached");
            return Task.CompletedTask;
        },
        ["X1_0030_TH_VTN"] = (_, _) => Task.CompletedTask,
        ["X1_0050_TH_VTN"] = (r, ct) => r.ActAsync(new OperatorAction("press-button", "Press the button."), ct),
    });

    [Fact]
    public async Task Runner_gives_each_verdict_and_stops_a_case_at_its_first_failed_check()
    {
        var operatorActions = new DelegateOperatorActions((a, _, _) => throw new OperatorActionException($"cannot {a.Name}"));
        var result = await CertificationRunner.RunAsync(Suite(), new CertificationRunOptions { Operator = operatorActions }, Ct);

        Assert.Equal([CaseVerdict.Pass, CaseVerdict.Fail, CaseVerdict.NotApplicable, CaseVerdict.NotImplemented, CaseVerdict.Inconclusive],
            result.Results.Select(r => r.Verdict));
        var fail = result.Results[1];
        Assert.Single(fail.Failures);
        Assert.Equal(new CheckFailure("rule 9", "b must be 0 to 3", "<b>7", 0), fail.FirstFailure);
        Assert.Contains("fancy", result.Results[2].Note, StringComparison.Ordinal);
        Assert.Contains("cannot press-button", result.Results[4].Note, StringComparison.Ordinal);
        Assert.False(result.AllApplicablePassed);
    }

    [Fact]
    public async Task A_claimed_feature_makes_its_case_applicable_and_all_passing_counts_as_certified()
    {
        var pics = Pics.Parse("""{"features": {"fancy": true}}""");
        var result = await CertificationRunner.RunAsync(Suite(), new CertificationRunOptions { Pattern = "X1_0010,X1_003?*", Pics = pics }, Ct);
        Assert.Equal([CaseVerdict.Pass, CaseVerdict.Pass], result.Results.Select(r => r.Verdict));
        Assert.True(result.AllApplicablePassed);
        var notClaimed = await CertificationRunner.RunAsync(Suite(), new CertificationRunOptions { Pattern = "X1_0030" }, Ct);
        Assert.Equal(CaseVerdict.NotApplicable, notClaimed.Results.Single().Verdict);
        Assert.True(notClaimed.AllApplicablePassed);
    }

    [Fact]
    public async Task A_pattern_that_selects_nothing_is_a_setup_error()
    {
        await Assert.ThrowsAsync<CertificationSetupException>(() => CertificationRunner.RunAsync(Suite(), new CertificationRunOptions { Pattern = "Z9_*" }, Ct));
    }

    [Theory]
    [InlineData("E1_1020", new[] { "E1_1020_TH_VTN" })]
    [InlineData("e1_102?_*", new[] { "E1_1020_TH_VTN", "E1_1025_TH_VTN", "E1_1027_TH_VTN" })]
    [InlineData("N1_001*,G1_4015", new[] { "N1_0010_TH_VTN", "N1_0015_TH_VTN", "G1_4015_TH_VTN" })]
    public void Select_matches_globs_and_id_prefixes_in_catalogue_order(string pattern, string[] expected)
    {
        var suite = new FakeSuite(VenCatalogue.Pull, []);
        Assert.Equal(expected, CertificationRunner.Select(suite, pattern).Select(c => c.Id));
    }

    [Fact]
    public void Pics_reads_json_and_ini_and_treats_false_no_and_empty_as_not_claimed()
    {
        var json = Pics.Parse("""{"push": true, "history-usage": false, "preconfigured-venid": "VEN-7", "xml-signature": null}""");
        Assert.True(json.Claims("PUSH"));
        Assert.False(json.Claims("history-usage"));
        Assert.False(json.Claims("xml-signature"));
        Assert.Equal("VEN-7", json.Value("preconfigured-venid"));
        Assert.False(json.Claims("unknown"));

        var ini = Pics.Parse("# our VEN\n[features]\npush = yes\nhistory-usage = no\npreconfigured-venid = \"VEN-7\"\n");
        Assert.True(ini.Claims("push"));
        Assert.False(ini.Claims("history-usage"));
        Assert.Equal("VEN-7", ini.Value("preconfigured-venid"));

        Assert.Throws<CertificationSetupException>(() => Pics.Parse("{ not json"));
        Assert.Throws<CertificationSetupException>(() => Pics.Parse("just words"));
    }

    [Fact]
    public async Task Hook_runs_the_command_with_action_and_case_and_fails_on_a_non_zero_exit()
    {
        if (OperatingSystem.IsWindows()) Assert.Skip("the hook test uses /bin/sh");
        var dir = Directory.CreateTempSubdirectory("flexcoop-hook-");
        try
        {
            var log = Path.Combine(dir.FullName, "log");
            var hook = new HookOperatorActions($"printf '%s %s' >'{log}'", TimeSpan.FromSeconds(30));
            await hook.PerformAsync(new OperatorAction("restart", "Restart it."), "N1_0010_TH_VTN", Ct);
            Assert.Equal("restart N1_0010_TH_VTN", await File.ReadAllTextAsync(log, Ct));

            var failing = new HookOperatorActions("echo nope >&2; exit 3", TimeSpan.FromSeconds(30));
            var ex = await Assert.ThrowsAsync<OperatorActionException>(() => failing.PerformAsync(new OperatorAction("restart", ""), "N1_0010_TH_VTN", Ct));
            Assert.Contains("exit 3", ex.Message, StringComparison.Ordinal);
            Assert.Contains("nope", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Console_operator_waits_for_enter_and_refuses_on_n()
    {
        var output = new StringWriter();
        await new ConsoleOperatorActions(new StringReader("\n"), output).PerformAsync(new OperatorAction("restart", "Power-cycle the device."), "N1_0010_TH_VTN", Ct);
        Assert.Contains("Power-cycle the device.", output.ToString(), StringComparison.Ordinal);
        await Assert.ThrowsAsync<OperatorActionException>(() =>
            new ConsoleOperatorActions(new StringReader("n\n"), output).PerformAsync(new OperatorAction("restart", ""), "N1_0010_TH_VTN", Ct));
    }

    [Fact]
    public void Catalogue_has_the_184_VEN_cases_with_unique_ids()
    {
        Assert.Equal(184, VenCatalogue.All.Count);
        Assert.Equal(184, VenCatalogue.All.Select(c => c.Id).Distinct().Count());
        Assert.Equal(92, VenCatalogue.Pull.Count);
        Assert.Equal(92, VenCatalogue.PushCases.Count);
        var groups = VenCatalogue.Pull.GroupBy(c => c.Group).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(11, groups["registration"]);
        Assert.Equal(51, groups["event"]);
        Assert.Equal(21, groups["report"]);
        Assert.Equal(6, groups["opt"]);
        Assert.Equal(3, groups["general"]);
        Assert.All(VenCatalogue.All, c => Assert.Matches("^(A_)?[NEPRG][01]_[0-9]{4}_TH_VTN$", c.Id));
        Assert.Contains(VenCatalogue.PushCases, c => c.Id == "N0_5010_TH_VTN");
        Assert.Contains(VenCatalogue.PushCases, c => c.Id == "A_E0_0295_TH_VTN");
        Assert.All(VenCatalogue.PushCases, c => Assert.NotNull(c.OptionalFeature)); // push is optional (rule 37)
        Assert.Equal("E1_1020", VenCatalogue.ScriptIdOf(VenCatalogue.PushCases.Single(c => c.Id == "E0_6020_TH_VTN")));
    }

    [Fact]
    public void Html_report_marks_the_failing_element_and_encodes_hostile_bodies()
    {
        var @case = new CertificationCase("X1_0020_TH_VTN", "t", "g", Exchange.Pull);
        var body = "<oadrPayload><ei:venID xmlns:ei=\"urn:x\">NOT-ven</ei:venID><x>&lt;script&gt;</x></oadrPayload>";
        var timeline = new[] { new TimelineEntry(DateTimeOffset.UnixEpoch, MessageDirection.FromDevice, "POST /x", body) };
        var failure = new CheckFailure("rule 21", "wrong venID", "<ei:venID>NOT-ven</ei:venID>", 0);
        var result = new SuiteResult("s", DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(1), [new CaseResult(@case, CaseVerdict.Fail, TimeSpan.Zero, [failure], timeline)], []);

        var html = CertificationHtmlReport.Render(result);
        Assert.Contains("<mark title=\"rule 21: wrong venID\">  &lt;ei:venID xmlns:ei=&quot;urn:x&quot;&gt;NOT-ven&lt;/ei:venID&gt;</mark>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);

        // A DTD is never expanded: the body is shown as it came.
        var dtd = "<!DOCTYPE a [<!ENTITY e \"boom\">]><a>&e;</a>";
        Assert.Equal(dtd, CertificationHtmlReport.Pretty(dtd));
    }
}
