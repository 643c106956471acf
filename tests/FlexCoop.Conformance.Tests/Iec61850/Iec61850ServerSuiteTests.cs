using System.Net;
using System.Xml.Linq;
using FlexCoop.Conformance.Certification;
using FlexCoop.Conformance.Iec61850;
using FlexCoop.Conformance.Reports;
using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Iec61850.Mms.Server;
using FlexCoop.Iec61850.Model;
using FlexCoop.Testing;

namespace FlexCoop.Conformance.Tests.Iec61850;

/// <summary>
/// The IEC 61850 server suite on the shared certification runner against our own server (in process,
/// loopback, OS-assigned port): it passes every case, and each fault mode fails exactly the cases that
/// check what it breaks. The operator actions (data changes, log entries) are done by the test, as the
/// host of the server.
/// </summary>
public sealed class Iec61850ServerSuiteTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IedModel LoadDerModel()
    {
        var resolution = SclResolver.Load(Path.Combine(TestEnvironment.RepoRoot, "schemas", "iec61850", "der-unit.cid"));
        Assert.False(resolution.HasErrors, string.Join("\n", resolution.Diagnostics));
        return resolution.FindIed("DER1")!;
    }

    private sealed class Target : IAsyncDisposable
    {
        private readonly string _files;
        private float _value = 100;

        public Target(Iec61850ServerFaults faults, string? password, IedModel? model = null)
        {
            _files = Directory.CreateTempSubdirectory("flexcoop-iec-suite-").FullName;
            File.WriteAllText(Path.Combine(_files, "settings.txt"), "DER1 settings export");
            Model = model ?? LoadDerModel();
            Server = new Iec61850Server(Model, new MmsServerOptions { MaxAssociations = 4, Password = password, FileStoreRoot = _files }, faults: faults);
            Server.Start(new IPEndPoint(IPAddress.Loopback, 0));
        }

        public IedModel Model { get; }
        public Iec61850Server Server { get; }
        public List<string> Actions { get; } = [];

        public Iec61850Pixit Pixit(string? password) => new()
        {
            MaxAssociations = 4, Password = password, OperateControls = true, FileServices = true, IntegrityPeriodMs = 100, ReportTimeoutMs = 2000,
            BufferOverflowEvents = Iec61850ReportEngineCapacity,
        };

        /// <summary>The operator: the server's host changes a measured value, or appends to the event log.</summary>
        public IOperatorActions Operator => new DelegateOperatorActions((action, caseId, _) =>
        {
            lock (Actions) Actions.Add($"{action.Name} {caseId}");
            var measured = Model.DataSets.Single(d => d.Name == "Measurements").Members[0].Attributes.First(a => a.BasicType == BasicType.FLOAT32);
            switch (action.Name)
            {
                case "change-data-set-member":
                    Server.SetDataValue(measured.Reference, measured.Fc, new MmsFloat32(_value++));
                    break;
                case "overflow-report-buffer":
                    for (var i = 0; i < Iec61850ReportEngineCapacity + 10; i++) Server.SetDataValue(measured.Reference, measured.Fc, new MmsFloat32(_value++));
                    break;
                case "add-log-entries":
                    var ln = Model.LogicalDevices.SelectMany(l => l.LogicalNodes).First(l => l.Logs.Count > 0);
                    var journal = Server.Mms.Vmd.FindDomain(ln.LogicalDevice.MmsDomainName)!.FindJournal(ln.Name + "$" + ln.Logs[0])!;
                    for (var i = 0; i < 3; i++) journal.Append(MmsBinaryTime.From(DateTime.UtcNow), [("XCBR1$ST$Pos$stVal", MmsBitString.FromBits(2, i % 2))]);
                    break;
                default:
                    throw new OperatorActionException("the test cannot do " + action.Name);
            }
            return Task.CompletedTask;
        });

        public Task<SuiteResult> RunAsync(string? cases = null, string? password = null, bool withOperator = true)
        {
            var pixit = Pixit(password);
            var suite = new Iec61850ServerSuite(new Iec61850SuiteOptions { Host = "127.0.0.1", Port = Server.LocalEndPoint.Port, Model = Model, Pixit = pixit });
            return CertificationRunner.RunAsync(suite, new CertificationRunOptions
            {
                Pattern = cases,
                Pics = pixit.ToPics(),
                Operator = withOperator ? Operator : null,
                CaseTimeout = TimeSpan.FromMinutes(2),
            }, Ct);
        }

        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            Directory.Delete(_files, true);
        }
    }

    /// <summary>Reports our BRCB keeps before the oldest is dropped (Iec61850ReportEngine.BufferCapacity).</summary>
    private const int Iec61850ReportEngineCapacity = 256;

    private static string Describe(SuiteResult result) =>
        string.Join("\n", result.Results.Where(c => c.Verdict != CaseVerdict.Pass).Select(c => $"{c.Case.Id} {c.Verdict}: {c.FirstFailure?.ToString() ?? c.Note}"));

    [Fact]
    public async Task Our_server_passes_every_case_none_is_left_unscripted_and_none_is_not_applicable()
    {
        // The server is started with every capability the suite can check (password, files, a bounded number of
        // associations, dynamic data sets, controls, setting groups, logs): no case may be not applicable then.
        await using var target = new Target(Iec61850ServerFaults.None, password: "s3cret");
        var result = await target.RunAsync(password: "s3cret");
        Assert.Equal(Iec61850ServerSuite.Catalogue.Count, result.Results.Count);
        Assert.Equal(0, result.Count(CaseVerdict.NotImplemented));
        Assert.True(result.Results.All(c => c.Verdict == CaseVerdict.Pass), Describe(result));
        Assert.True(result.AllApplicablePassed);
        // Every pass made checks, and every case's timeline holds the MMS PDUs it exchanged (for the password cases, the association's).
        Assert.All(result.Results.Where(c => c.Verdict == CaseVerdict.Pass), c => Assert.Contains(c.Timeline, t => t.Label.StartsWith("ok: ", StringComparison.Ordinal)));
        Assert.All(result.Results.Where(c => c.Verdict == CaseVerdict.Pass && c.Case.Id is not ("sAss4" or "sAssN1")), c => Assert.Contains(c.Timeline, t => t.Direction == MessageDirection.FromDevice && t.Label.Contains(" #", StringComparison.Ordinal)));
        Assert.All(result.Results.Where(c => c.Case.Id is "sAss4" or "sAssN1"), c => Assert.Contains(c.Timeline, t => t.Direction == MessageDirection.FromDevice && t.Label.Contains("associate response", StringComparison.Ordinal)));
        // The data-change stimulus of sRp3 is an operated control; sBr3, sBr9 and sLog3 asked the operator.
        Assert.Equal(["change-data-set-member sBr3", "overflow-report-buffer sBr9", "add-log-entries sLog3"], target.Actions);
    }

    [Fact]
    public async Task Cases_needing_an_operator_are_inconclusive_without_one_and_the_run_does_not_pass()
    {
        await using var target = new Target(Iec61850ServerFaults.None, password: null);
        var result = await target.RunAsync("sRp3,sBr3,sBr9,sLog3", withOperator: false);
        Assert.Equal([CaseVerdict.Pass, CaseVerdict.Inconclusive, CaseVerdict.Inconclusive, CaseVerdict.Inconclusive], result.Results.Select(r => r.Verdict));
        Assert.Contains("no operator", result.Results[1].Note, StringComparison.Ordinal);
        Assert.False(result.AllApplicablePassed);
    }

    [Fact]
    public async Task Password_cases_pass_when_the_pixit_names_the_servers_password()
    {
        await using var target = new Target(Iec61850ServerFaults.None, password: "s3cret");
        var result = await target.RunAsync("Ass", password: "s3cret");
        Assert.True(result.AllApplicablePassed, Describe(result));
        Assert.Equal(7, result.Count(CaseVerdict.Pass));
    }

    public static TheoryData<string, string[]> FaultTable => new()
    {
        // the hidden logical node is missing from its LD's directory, its own directory, definition and values
        { "wrong-directory", ["sSrv2", "sSrv3", "sSrv4", "sSrv5"] },
        { "write-allowed-on-st", ["sSrvN2", "sSrvN3"] },
        { "no-rcb-reservation", ["sRp5", "sRpN2", "sBr5", "sBrN2"] },
        { "gi-ignored", ["sRp2", "sRp6", "sBr2", "sBr6", "sBr7", "sBr8"] },
        { "no-command-termination", ["sCtl4", "sCtl5"] },
        // sDsetN4 runs after the malformed PDUs, against a server that is down by then
        { "crash-on-bad-pdu", ["sSrvN5", "sSrvN6", "sSrvN7", "sSrvN8", "sSrvN9", "sDsetN4"] },
        { "setting-group-ignored", ["sSg2"] },
        // nothing buffered either, so the overflow case sees no report at all
        { "no-dchg-reports", ["sRp3", "sBr3", "sBr9"] },
        { "no-buffer-overflow-flag", ["sBr9"] },
        { "test-flag-operates", ["sCtl7"] },
        { "log-query-after-ignored", ["sLog3"] },
        // CreateDataSet with a member that does not exist is accepted (sDsetN1); sDsetN4's directory request then stops the server
        { "crash-on-unresolved-fcda", ["sDsetN1", "sDsetN4"] },
    };

    [Theory]
    [MemberData(nameof(FaultTable))]
    public async Task Fault_mode_fails_exactly_the_expected_cases(string fault, string[] expected)
    {
        await using var target = new Target(Iec61850ServerFaultNames.All[fault], password: null);
        var result = await target.RunAsync();
        var failed = result.Results.Where(c => c.Verdict is CaseVerdict.Fail or CaseVerdict.Inconclusive).Select(c => c.Case.Id).ToArray();
        Assert.True(expected.Order().SequenceEqual(failed.Order()), $"{fault}: failed {string.Join(",", failed)}\n{Describe(result)}");
        Assert.All(result.Results.Where(c => c.Verdict == CaseVerdict.Fail), c => Assert.Equal(c.Case.Id, c.FirstFailure!.Rule));
    }

    [Fact]
    public void Every_fault_mode_of_the_server_is_in_the_fault_table()
    {
        Assert.Equal(Iec61850ServerFaultNames.All.Keys.Order(StringComparer.Ordinal), FaultTable.Select(row => row.Data.Item1).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Case_pattern_selects_by_id_and_group_and_the_shared_reports_render()
    {
        await using var target = new Target(Iec61850ServerFaults.WriteAllowedOnSt, password: null);
        var result = await target.RunAsync("sSrv1,Sg,sSrvN2");
        Assert.Equal(["sSrv1", "sSrvN2", "sSg1", "sSg2", "sSg3", "sSgN1", "sSgN2"], result.Results.Select(c => c.Case.Id));
        var failed = Assert.Single(result.Results, r => r.Verdict == CaseVerdict.Fail);
        Assert.Equal("sSrvN2", failed.Case.Id);

        using var stream = new MemoryStream();
        CertificationJUnitReport.Write(result, stream);
        var suite = XDocument.Parse(System.Text.Encoding.UTF8.GetString(stream.ToArray())).Root!.Element("testsuite")!;
        Assert.Equal(("7", "1"), ((string)suite.Attribute("tests")!, (string)suite.Attribute("failures")!));
        Assert.Contains("object-access-denied", (string)suite.Descendants("failure").Single().Attribute("message")!, StringComparison.Ordinal);
        Assert.Contains("write request #", (string)suite.Elements("testcase").First(e => ((string)e.Attribute("name")!).StartsWith("sSrvN2", StringComparison.Ordinal)).Element("system-out")!, StringComparison.Ordinal);
        var html = CertificationHtmlReport.Render(result);
        Assert.Contains("id=\"sSg2\"", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"rule\">sSrvN2</span>", html, StringComparison.Ordinal);
        Assert.DoesNotContain(", pull)", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Pixit_json_is_read_unknown_or_broken_entries_are_refused_and_claims_become_pics()
    {
        const string json = """
            { "maxAssociations": 5, "password": "x", "operateControls": true, "bufferOverflowEvents": 300,
              "controls": [{"reference": "LD/CSWI1.Pos", "value": "true"}], // comment
            }
            """;
        var pixit = Iec61850Pixit.Parse(json);
        Assert.Equal(5, pixit.MaxAssociations);
        Assert.Equal("LD/CSWI1.Pos", Assert.Single(pixit.Controls).Reference);
        var pics = pixit.ToPics();
        Assert.True(pics.Claims(Iec61850PixitFeatures.OperateControls));
        Assert.True(pics.Claims(Iec61850PixitFeatures.Password));
        Assert.Equal("300", pics.Value(Iec61850PixitFeatures.BufferOverflowEvents));
        Assert.False(pics.Claims(Iec61850PixitFeatures.FileServices));
        Assert.DoesNotContain(pics.Values.Values, v => v == "x");
        Assert.False(new Iec61850Pixit().ToPics().Claims(Iec61850PixitFeatures.MaxAssociations));
        Assert.Throws<Iec61850SuiteException>(() => Iec61850Pixit.Parse("""{ "maxAsociations": 5 }"""));
        Assert.Throws<Iec61850SuiteException>(() => Iec61850Pixit.Parse("""{ "maxAssociations": 0 }"""));
        Assert.Throws<Iec61850SuiteException>(() => Iec61850Pixit.Parse("""{ "bufferOverflowEvents": 0 }"""));
        Assert.Throws<Iec61850SuiteException>(() => Iec61850Pixit.Parse("[1,"));
    }

    [Fact]
    public void Catalogue_ids_are_unique_in_the_ten_groups_and_each_pixit_gated_case_names_a_known_key()
    {
        var ids = Iec61850ServerSuite.Catalogue.Select(c => c.Id).ToArray();
        Assert.Equal(ids.Length, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(Iec61850ServerSuite.Catalogue, c => Assert.Contains(c.Group, Iec61850ServerSuite.Groups));
        Assert.All(Iec61850ServerSuite.Catalogue, c => Assert.Matches("^s(Ass|Srv|Dset|Rp|Br|Ctl|Sg|Log|Ft|Tm)N?[0-9]+$", c.Id));
        var keys = typeof(Iec61850PixitFeatures).GetFields().Select(f => (string)f.GetRawConstantValue()!).ToHashSet();
        Assert.All(Iec61850ServerSuite.Catalogue.Where(c => c.OptionalFeature is not null), c => Assert.Contains(c.OptionalFeature!, keys));
        Assert.Equal(Exchange.None, Iec61850ServerSuite.Catalogue[0].Exchange);
        // The cases that may take the server down run last.
        Assert.Equal(["sSrvN5", "sSrvN6", "sSrvN7", "sSrvN8", "sSrvN9", "sDsetN4"], Iec61850ServerSuite.Catalogue.TakeLast(6).Select(c => c.Id));
    }

    /// <summary>der-unit.cid with one more FCDA in its Measurements data set, designating a data object MMXU1 does not have.</summary>
    private static IedModel LoadModelWithUnresolvedFcda()
    {
        var text = File.ReadAllText(Path.Combine(TestEnvironment.RepoRoot, "schemas", "iec61850", "der-unit.cid"));
        const string anchor = "<FCDA ldInst=\"PV\" lnClass=\"MMXU\" lnInst=\"1\" doName=\"Hz\" fc=\"MX\"/>";
        Assert.Contains(anchor, text, StringComparison.Ordinal);
        text = text.Replace(anchor, anchor + "<FCDA ldInst=\"PV\" lnClass=\"MMXU\" lnInst=\"1\" doName=\"NoSuchDo\" fc=\"MX\"/>", StringComparison.Ordinal);
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text));
        var resolution = SclResolver.Resolve(FlexCoop.Iec61850.Scl.SclDocument.Load(stream), "DER1");
        var error = Assert.Single(resolution.Diagnostics, d => d.Severity == FlexCoop.Iec61850.Scl.SclSeverity.Error);
        Assert.Equal(FlexCoop.Iec61850.Scl.SclDiagnosticCodes.UnresolvedFcda, error.Code);
        return resolution.FindIed("DER1")!;
    }

    [Fact]
    public async Task Unresolved_fcda_in_the_scl_model_is_asked_for_and_passes_when_the_server_answers()
    {
        await using var target = new Target(Iec61850ServerFaults.None, password: null, LoadModelWithUnresolvedFcda());
        var result = await target.RunAsync("sDsetN4,sDset1,sDset2");
        Assert.True(result.AllApplicablePassed, Describe(result));
        var unresolved = result.Results.Single(r => r.Case.Id == "sDsetN4");
        // The SCL data set was asked for (not a data set the case defined itself), and the server went on serving.
        Assert.Contains(unresolved.Timeline, t => t.Label.Contains("NoSuchDo", StringComparison.Ordinal) && t.Label.Contains("designates nothing", StringComparison.Ordinal));
        Assert.Contains(unresolved.Timeline, t => t.Label == "ok: GetDataSetDirectory DER1CTRL/LLN0.Measurements is answered");
        Assert.Contains(unresolved.Timeline, t => t.Label == "ok: a new association is accepted");
        Assert.DoesNotContain(unresolved.Timeline, t => t.Label.StartsWith("define ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unresolved_fcda_in_the_scl_model_fails_the_case_when_its_directory_crashes_the_server()
    {
        await using var target = new Target(Iec61850ServerFaults.CrashOnUnresolvedFcda, password: null, LoadModelWithUnresolvedFcda());
        var result = await target.RunAsync("sDsetN4");
        var unresolved = Assert.Single(result.Results);
        Assert.Equal(CaseVerdict.Fail, unresolved.Verdict);
        Assert.Equal("sDsetN4", unresolved.FirstFailure!.Rule);
        Assert.Contains("GetDataSetDirectory DER1CTRL/LLN0.Measurements", unresolved.FirstFailure.Message, StringComparison.Ordinal);
        // The crashed server drops its associations as their connections close, which may finish just after the case.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (target.Server.Mms.AssociationCount != 0 && DateTime.UtcNow < deadline) await Task.Delay(20, Ct);
        Assert.Equal(0, target.Server.Mms.AssociationCount);
    }

    [Fact]
    public async Task Without_an_unresolved_fcda_the_case_defines_one_and_is_not_applicable_without_dynamic_data_sets()
    {
        await using var target = new Target(Iec61850ServerFaults.None, password: null);
        var result = await target.RunAsync("sDsetN4");
        var defined = Assert.Single(result.Results);
        Assert.Equal(CaseVerdict.Pass, defined.Verdict);
        Assert.Contains(defined.Timeline, t => t.Label.StartsWith("ok: a data set with a member that designates nothing is refused with a service error", StringComparison.Ordinal));

        var pixit = target.Pixit(null) with { DynamicDataSets = false };
        var suite = new Iec61850ServerSuite(new Iec61850SuiteOptions { Host = "127.0.0.1", Port = target.Server.LocalEndPoint.Port, Model = target.Model, Pixit = pixit });
        var notApplicable = await CertificationRunner.RunAsync(suite, new CertificationRunOptions { Pattern = "sDsetN4", Pics = pixit.ToPics() }, Ct);
        Assert.Equal(CaseVerdict.NotApplicable, Assert.Single(notApplicable.Results).Verdict);
    }
}
