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

    private readonly VenOptions _venOptions;

    private VenUnderTest(OpenAdrVenSuite suite, VenOperatorPanel? panel, VenOptions venOptions, DirectoryInfo dir)
    {
        Suite = suite;
        Panel = panel;
        _venOptions = venOptions;
        _dir = dir;
    }

    public OpenAdrVenSuite Suite { get; }

    /// <summary>The VEN's panel; null while the VEN could not start (the harness refused its registration).</summary>
    public VenOperatorPanel? Panel { get; private set; }

    /// <summary>The venID our VEN is configured with (N1_0025).</summary>
    public const string PreconfiguredVenId = "FLEXCOOP_DUT_VEN";

    /// <summary>What our VEN claims: the piggy-backed report cancellation, HISTORY_USAGE (the test device keeps history), a pre-configured venID.</summary>
    public static Pics OurPics { get; } = Pics.Parse($$"""{"piggyback-cancel-report": true, "history-usage": true, "preconfigured-venid": "{{PreconfiguredVenId}}"}""");

    /// <summary>What our VEN claims in a push run.</summary>
    public static Pics OurPushPics { get; } = With(With(OurPics, "push"), "multiple-vtns");

    /// <summary>What our VEN claims at high security.</summary>
    public static Pics OurHighPics { get; } = With(OurPics, "xml-signature");

    public static Pics With(Pics pics, string feature) => new(new Dictionary<string, string>(pics.Values) { [feature] = "true" });

    public static async Task<VenUnderTest> StartAsync(VenFault faults = VenFault.None, bool tls = true, Exchange exchange = Exchange.Pull,
        OadrSecurityLevel security = OadrSecurityLevel.Standard, OadrSecurityLevel venSecurity = OadrSecurityLevel.Standard, bool venMayBeRefused = false)
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
            Security = security,
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
                VenId = PreconfiguredVenId,
                ReportProviders = [new TestDevice.Status(), new TestDevice.Usage(), new TestDevice.History()],
                // A port the OS gave out once and kept across restarts, as a device's listener is: N0_5010 pushes while it restarts.
                PushListenUrl = exchange == Exchange.Push ? $"{scheme}://127.0.0.1:{FreePort()}" : null,
                Security = venSecurity,
                Faults = faults,
                RandomSeed = 7,
            };
            VenOperatorPanel? panel = null;
            try
            {
                panel = await VenOperatorPanel.StartAsync(venOptions, cancellationToken: ct);
            }
            catch (VenRefusedException) when (venMayBeRefused)
            {
                // The run shows why: the harness recorded the refused payload's failure.
            }
            return new VenUnderTest(suite, panel, venOptions, dir);
        }
        catch
        {
            await suite.DisposeAsync();
            dir.Delete(recursive: true);
            throw;
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static X509Certificate2 Reload(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);

    /// <summary>Runs the cases <paramref name="pattern"/> selects (all when null).</summary>
    public Task<SuiteResult> RunAsync(string? pattern = null, Pics? pics = null) =>
        CertificationRunner.RunAsync(Suite, new CertificationRunOptions
        {
            Pattern = pattern,
            Pics = pics ?? OurPics,
            Operator = new DelegateOperatorActions(PerformAsync),
            CaseTimeout = TimeSpan.FromMinutes(2),
        }, TestContext.Current.CancellationToken);

    /// <summary>Push: our VEN's second instance, registered with the suite's second VTN (a device serving two VTNs runs one VEN per VTN).</summary>
    private VenOperatorPanel? _secondVtn;

    private async Task PerformAsync(OperatorAction action, string caseId, CancellationToken ct)
    {
        if (action.Name == "register-second-vtn" && Suite.SecondVtnUrl is { } second)
        {
            var scheme = second.Scheme;
            _secondVtn ??= await VenOperatorPanel.StartAsync(_venOptions with
            {
                VtnUrl = second,
                StatePath = Path.Combine(_dir.FullName, "ven-second-vtn.db"),
                PushListenUrl = $"{scheme}://127.0.0.1:{FreePort()}",
            }, cancellationToken: ct);
            return;
        }
        if (Panel is not null)
        {
            await Panel.PerformAsync(action.Name, ct);
            return;
        }
        if (action.Name != "restart") throw new OperatorActionException($"the VEN is not running: cannot '{action.Name}'");
        try
        {
            Panel = await VenOperatorPanel.StartAsync(_venOptions, cancellationToken: ct);
        }
        catch (VenRefusedException ex)
        {
            throw new OperatorActionException($"the VEN did not start: {ex.Message}", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Panel is not null) await Panel.DisposeAsync();
        if (_secondVtn is not null) await _secondVtn.DisposeAsync();
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

    /// <summary>Metered energy kept for the past: one reading per granularity step of the window asked for.</summary>
    public sealed class History : IVenReportProvider
    {
        public VenReportDefinition Definition { get; } = new("RS_HISTORY", ReportName.HistoryUsage,
            [new VenDataPoint("energy", ReportType.Usage, ReadingType.DirectRead,
                new EnergyReal { Scale = SiScaleCode.Kilo }, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1))]);

        public ValueTask<IReadOnlyList<VenReading>> ReadAsync(IReadOnlyList<string> rIds, DateTimeOffset start, DateTimeOffset end, TimeSpan granularity, CancellationToken cancellationToken = default)
        {
            var step = granularity > TimeSpan.Zero ? granularity : end - start;
            var readings = new List<VenReading>();
            for (var t = start; t < end && readings.Count < 1000; t += step) readings.Add(new VenReading("energy", t, step, Value: 0.25f));
            return ValueTask.FromResult<IReadOnlyList<VenReading>>(readings);
        }
    }
}
