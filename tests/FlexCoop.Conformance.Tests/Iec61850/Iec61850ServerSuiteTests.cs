using System.Net;
using System.Xml.Linq;
using FlexCoop.Conformance.Iec61850;
using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Iec61850.Mms.Server;
using FlexCoop.Iec61850.Model;
using FlexCoop.Testing;

namespace FlexCoop.Conformance.Tests.Iec61850;

/// <summary>
/// The IEC 61850 server suite against our own server (in process, loopback, OS-assigned port): it passes
/// every implemented case, and each fault mode fails exactly the cases that check what it breaks.
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

        public Target(Iec61850ServerFaults faults, string? password)
        {
            _files = Directory.CreateTempSubdirectory("flexcoop-iec-suite-").FullName;
            File.WriteAllText(Path.Combine(_files, "settings.txt"), "DER1 settings export");
            Model = LoadDerModel();
            Server = new Iec61850Server(Model, new MmsServerOptions { MaxAssociations = 4, Password = password, FileStoreRoot = _files }, faults: faults);
            Server.Start(new IPEndPoint(IPAddress.Loopback, 0));
        }

        public IedModel Model { get; }
        public Iec61850Server Server { get; }

        public Task<Iec61850SuiteReport> RunAsync(string? cases = null, string? password = null) => Iec61850ServerSuite.RunAsync(new Iec61850SuiteOptions
        {
            Host = "127.0.0.1",
            Port = Server.LocalEndPoint.Port,
            Model = Model,
            Cases = cases,
            Pixit = new Iec61850Pixit { MaxAssociations = 4, Password = password, OperateControls = true, FileServices = true, IntegrityPeriodMs = 100, ReportTimeoutMs = 2000 },
        }, cancellationToken: Ct);

        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            Directory.Delete(_files, true);
        }
    }

    private static string Describe(Iec61850SuiteReport report) =>
        string.Join("\n", report.Cases.Where(c => c.Verdict != Iec61850Verdict.Pass).Select(c => $"{c.Id} {c.Verdict}: {c.Message}"));

    [Fact]
    public async Task Our_server_passes_every_implemented_case()
    {
        await using var target = new Target(Iec61850ServerFaults.None, password: null);
        var report = await target.RunAsync();
        Assert.Equal(Iec61850ServerSuite.Cases.Count, report.Cases.Count);
        Assert.True(report.Cases.All(c => c.Verdict is Iec61850Verdict.Pass or Iec61850Verdict.NotApplicable or Iec61850Verdict.NotImplemented), Describe(report));
        Assert.Equal(Iec61850ServerSuite.NotImplementedCases.Order(), report.Cases.Where(c => c.Verdict == Iec61850Verdict.NotImplemented).Select(c => c.Id).Order());
        Assert.Equal(["sAss4", "sAssN1"], report.Cases.Where(c => c.Verdict == Iec61850Verdict.NotApplicable).Select(c => c.Id));
        Assert.False(report.Passed);
        Assert.All(report.Cases.Where(c => c.Verdict == Iec61850Verdict.Pass), c => Assert.NotEmpty(c.Checks));
    }

    [Fact]
    public async Task Password_cases_pass_when_the_pixit_names_the_servers_password()
    {
        await using var target = new Target(Iec61850ServerFaults.None, password: "s3cret");
        var report = await target.RunAsync("Ass", password: "s3cret");
        Assert.True(report.Passed, Describe(report));
        Assert.Equal(7, report.Count(Iec61850Verdict.Pass));
    }

    public static TheoryData<string, string[]> FaultTable => new()
    {
        // the hidden logical node is missing from its LD's directory, its own directory, definition and values
        { "wrong-directory", ["sSrv2", "sSrv3", "sSrv4", "sSrv5"] },
        { "write-allowed-on-st", ["sSrvN2", "sSrvN3"] },
        { "no-rcb-reservation", ["sRp5", "sRpN2", "sBr5", "sBrN2"] },
        { "gi-ignored", ["sRp2", "sRp6", "sBr2", "sBr6", "sBr7", "sBr8"] },
        { "no-command-termination", ["sCtl4", "sCtl5"] },
        { "crash-on-bad-pdu", ["sSrvN5", "sSrvN6", "sSrvN7", "sSrvN8", "sSrvN9"] },
        { "setting-group-ignored", ["sSg2"] },
    };

    [Theory]
    [MemberData(nameof(FaultTable))]
    public async Task Fault_mode_fails_exactly_the_expected_cases(string fault, string[] expected)
    {
        await using var target = new Target(Iec61850ServerFaultNames.All[fault], password: null);
        var report = await target.RunAsync();
        var failed = report.Cases.Where(c => c.Verdict is Iec61850Verdict.Fail or Iec61850Verdict.Inconclusive).Select(c => c.Id).ToArray();
        Assert.True(expected.Order().SequenceEqual(failed.Order()), $"{fault}: failed {string.Join(",", failed)}\n{Describe(report)}");
    }

    [Fact]
    public async Task Case_pattern_selects_by_id_and_group_and_reports_render()
    {
        await using var target = new Target(Iec61850ServerFaults.None, password: null);
        var report = await target.RunAsync("sSrv1,Sg,sBr9");
        Assert.Equal(new[] { "sSrv1", "sSg1", "sSg2", "sSg3", "sSgN1", "sSgN2", "sBr9" }.Order(StringComparer.Ordinal), report.Cases.Select(c => c.Id).Order(StringComparer.Ordinal));
        Assert.Equal(Iec61850Verdict.NotImplemented, report.Cases.Single(c => c.Id == "sBr9").Verdict);

        using var stream = new MemoryStream();
        Iec61850SuiteReports.WriteJUnit(report, stream);
        var xml = XDocument.Parse(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        Assert.Equal("7", xml.Root!.Attribute("tests")!.Value);
        Assert.Equal("1", xml.Root.Attribute("errors")!.Value);
        Assert.Single(xml.Descendants("error"));
        var html = Iec61850SuiteReports.RenderHtml(report);
        Assert.Contains("id=\"sSg2\"", html, StringComparison.Ordinal);
        Assert.Contains("NotImplemented", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Pixit_json_is_read_and_unknown_or_broken_entries_are_refused()
    {
        const string json = """
            { "maxAssociations": 5, "password": "x", "operateControls": true,
              "controls": [{"reference": "LD/CSWI1.Pos", "value": "true"}], // comment
            }
            """;
        var pixit = Iec61850Pixit.Parse(json);
        Assert.Equal(5, pixit.MaxAssociations);
        Assert.Equal("LD/CSWI1.Pos", Assert.Single(pixit.Controls).Reference);
        Assert.Throws<Iec61850SuiteException>(() => Iec61850Pixit.Parse("""{ "maxAsociations": 5 }"""));
        Assert.Throws<Iec61850SuiteException>(() => Iec61850Pixit.Parse("""{ "maxAssociations": 0 }"""));
        Assert.Throws<Iec61850SuiteException>(() => Iec61850Pixit.Parse("[1,"));
    }
}
