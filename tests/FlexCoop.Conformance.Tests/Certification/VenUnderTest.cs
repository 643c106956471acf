using System.Security.Cryptography.X509Certificates;
using FlexCoop.Conformance.Certification;
using FlexCoop.Conformance.Certification.OpenAdr;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Security;
using FlexCoop.OpenAdr.Ven;
using FlexCoop.Testing;

namespace FlexCoop.Conformance.Tests.Certification;

/// <summary>
/// The VEN suite's harness and our own VEN, in process over real loopback sockets (TLS 1.2 with
/// client certificates from a test PKI, or plain HTTP), the VEN's operator panel wired as the
/// suite's operator. Time scale 0.1: the harness asks for PT1S polls.
/// </summary>
internal sealed class VenUnderTest : IAsyncDisposable
{
    private static readonly Lazy<OadrTestPki> Pki = new(() => OadrTestPki.Create());
    private readonly DirectoryInfo _dir;

    private VenUnderTest(OpenAdrVenSuite suite, VenOperatorPanel panel, DirectoryInfo dir)
    {
        Suite = suite;
        Panel = panel;
        _dir = dir;
    }

    public OpenAdrVenSuite Suite { get; }

    public VenOperatorPanel Panel { get; }

    /// <summary>What our VEN claims: the piggy-backed report cancellation it implements.</summary>
    public static Pics OurPics { get; } = Pics.Parse("""{"piggyback-cancel-report": true}""");

    public static async Task<VenUnderTest> StartAsync(VenFault faults = VenFault.None, bool tls = true, Exchange exchange = Exchange.Pull)
    {
        var ct = TestContext.Current.CancellationToken;
        var pki = Pki.Value;
        var harnessCert = Reload(pki.VtnEcc.Certificate);
        var venCert = Reload(pki.VenEcc.Certificate);
        var anchors = pki.TrustAnchors.Select(a => X509CertificateLoader.LoadCertificate(a.RawData)).ToList();
        var scheme = tls ? "https" : "http";
        var options = new HarnessOptions
        {
            Listen = new Uri($"{scheme}://127.0.0.1:0"),
            Exchange = exchange,
            Certificate = tls ? harnessCert : null,
            CertificateAuthorities = tls ? anchors : [],
            TimeScale = 0.1,
            SchemaDirectory = TestEnvironment.RequireShared("schemas/openadr20b"),
        };
        var suite = await OpenAdrVenSuite.StartAsync(options, ct);
        var dir = Directory.CreateTempSubdirectory("flexcoop-cert-");
        try
        {
            var venOptions = new VenOptions
            {
                VtnUrl = suite.Url,
                VenName = "flexcoop-dut",
                InsecureHttp = !tls,
                ClientCertificate = tls ? venCert : null,
                VtnCertificateAuthorities = tls ? anchors : [],
                StatePath = Path.Combine(dir.FullName, "ven.db"),
                MarketContexts = [options.MarketContext1, options.MarketContext2],
                ReportProviders = [new TestDevice.Status(), new TestDevice.Usage()],
                PushListenUrl = exchange == Exchange.Push ? $"{scheme}://127.0.0.1:0" : null,
                Faults = faults,
                RandomSeed = 7,
            };
            var panel = await VenOperatorPanel.StartAsync(venOptions, cancellationToken: ct);
            return new VenUnderTest(suite, panel, dir);
        }
        catch
        {
            await suite.DisposeAsync();
            dir.Delete(recursive: true);
            throw;
        }
    }

    private static X509Certificate2 Reload(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);

    /// <summary>Runs the cases <paramref name="pattern"/> selects (all when null).</summary>
    public Task<SuiteResult> RunAsync(string? pattern = null, Pics? pics = null) =>
        CertificationRunner.RunAsync(Suite, new CertificationRunOptions
        {
            Pattern = pattern,
            Pics = pics ?? OurPics,
            Operator = new DelegateOperatorActions((action, _, ct) => Panel.PerformAsync(action.Name, ct)),
            CaseTimeout = TimeSpan.FromMinutes(2),
        }, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Panel.DisposeAsync();
        await Suite.DisposeAsync();
        _dir.Delete(recursive: true);
    }

    /// <summary>Describes the cases that did not pass, for assertion messages.</summary>
    public static string Describe(SuiteResult result) => string.Join("\n", result.Results
        .Where(r => r.Verdict is not (CaseVerdict.Pass or CaseVerdict.NotApplicable or CaseVerdict.NotImplemented))
        .Select(r => $"{r.Case.Id}: {r.Verdict} {r.FirstFailure?.ToString() ?? r.Note}"));
}

/// <summary>A device with a TELEMETRY_STATUS and a TELEMETRY_USAGE report.</summary>
internal static class TestDevice
{
    public sealed class Status : IVenReportProvider
    {
        public VenReportDefinition Definition { get; } = new("RS_STATUS", ReportName.TelemetryStatus,
            [new VenDataPoint("status", ReportType.XResourceStatus, ReadingType.XNotApplicable, null, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1))]);

        public ValueTask<IReadOnlyList<VenReading>> ReadAsync(IReadOnlyList<string> rIds, DateTimeOffset start, DateTimeOffset end, TimeSpan granularity, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyList<VenReading>>([new VenReading("status", end, TimeSpan.Zero, Status: new OadrPayloadResourceStatus { Online = true, ManualOverride = false })]);
    }

    public sealed class Usage : IVenReportProvider
    {
        public VenReportDefinition Definition { get; } = new("RS_USAGE", ReportName.TelemetryUsage,
            [new VenDataPoint("power", ReportType.Usage, ReadingType.DirectRead,
                new PowerReal { Scale = SiScaleCode.Kilo, Attributes = new PowerAttributes { Hertz = 50, Voltage = 230, Ac = true } },
                TimeSpan.FromSeconds(1), TimeSpan.FromHours(1))]);

        public ValueTask<IReadOnlyList<VenReading>> ReadAsync(IReadOnlyList<string> rIds, DateTimeOffset start, DateTimeOffset end, TimeSpan granularity, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyList<VenReading>>([new VenReading("power", end, TimeSpan.Zero, Value: 1.5f)]);
    }
}
