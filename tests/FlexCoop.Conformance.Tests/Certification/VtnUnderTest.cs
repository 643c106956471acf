using System.Security.Cryptography.X509Certificates;
using FlexCoop.Conformance.Certification;
using FlexCoop.Conformance.Certification.OpenAdr;
using FlexCoop.OpenAdr.Security;
using FlexCoop.OpenAdr.Vtn;
using FlexCoop.OpenAdr.Vtn.Storage;
using FlexCoop.Testing;

namespace FlexCoop.Conformance.Tests.Certification;

/// <summary>
/// Our own VTN (optionally with faults) and the VTN suite's harness VEN, in process over real loopback
/// sockets: TLS 1.2 with client certificates from a test PKI (an RSA and an ECC server certificate),
/// or plain HTTP; the VTN's operator API drives the operator actions (<see cref="VtnApiOperator"/>).
/// Time scale 0.1.
/// </summary>
internal sealed class VtnUnderTest : IAsyncDisposable
{
    private static readonly Lazy<OadrTestPki> Pki = new(() => OadrTestPki.Create());

    private readonly DirectoryInfo _dir;
    private readonly SqliteVtnStore _store;
    private readonly VtnServer _server;
    private readonly VtnApiOperator _operator;

    private VtnUnderTest(OpenAdrVtnSuite suite, VtnServer server, SqliteVtnStore store, DirectoryInfo dir)
    {
        Suite = suite;
        _server = server;
        _store = store;
        _dir = dir;
        _operator = new VtnApiOperator(server.OperatorUrls[0]);
    }

    public OpenAdrVtnSuite Suite { get; }

    public VtnServer Server => _server;

    /// <summary>
    /// What our VTN claims: startafter, x-eiRampUp and x-eiRecovery in events; piggy-backed report cancellation;
    /// HISTORY_USAGE requests; reports of its own (its status). No host names for G1_4020: it picks RSA or ECC by the ClientHello.
    /// XML signatures are claimed only by the high-security runs (<see cref="HighSecurityPics"/>).
    /// </summary>
    public static Pics OurPics { get; } = Pics.Parse("event-timing-extras = yes\npiggyback-cancel-report = yes\nhistory-usage = yes\nvtn-reports = yes");

    /// <summary>What our VTN claims when it runs at high security: <see cref="OurPics"/> and XML signatures.</summary>
    public static Pics HighSecurityPics { get; } = Pics.Parse("event-timing-extras = yes\npiggyback-cancel-report = yes\nhistory-usage = yes\nvtn-reports = yes\nxml-signature = yes");

    /// <summary>Our VTN and the harness VEN; <paramref name="high"/> runs both at high security (XML signatures, needs <paramref name="tls"/>).</summary>
    public static async Task<VtnUnderTest> StartAsync(VtnFault faults = VtnFault.None, bool tls = true, Exchange exchange = Exchange.Pull, bool high = false)
    {
        var ct = TestContext.Current.CancellationToken;
        var pki = Pki.Value;
        var anchors = pki.TrustAnchors.Select(a => X509CertificateLoader.LoadCertificate(a.RawData)).ToList();
        var harnessOptions = new HarnessVenOptions
        {
            Vtn = new Uri("http://127.0.0.1:1"), // replaced below once the VTN listens
            TimeScale = 0.1,
            Exchange = exchange,
            SchemaDirectory = TestEnvironment.RequireShared("schemas/openadr20b"),
        };
        var dir = Directory.CreateTempSubdirectory("flexcoop-vtncert-");
        var store = new SqliteVtnStore(Path.Combine(dir.FullName, "vtn.db"));
        VtnServer? server = null;
        try
        {
            server = await VtnServer.StartAsync(new VtnOptions
            {
                VtnId = "flexcoop-vtn-under-test",
                Urls = [tls ? "https://127.0.0.1:0" : "http://127.0.0.1:0"],
                InsecureHttp = !tls,
                ServerCertificates = tls ? [Reload(pki.VtnRsa.Certificate), Reload(pki.VtnEcc.Certificate)] : [],
                ClientCertificateAuthorities = tls ? anchors : [],
                OperatorUrls = ["http://127.0.0.1:0"],
                Programs = [new VtnProgram(harnessOptions.MarketContext1), new VtnProgram(harnessOptions.MarketContext2)],
                RequestedPollFrequency = TimeSpan.FromSeconds(1),
                Faults = faults,
                Security = high ? OadrSecurityLevel.High : OadrSecurityLevel.Standard,
            }, store, cancellationToken: ct);
            harnessOptions = harnessOptions with
            {
                Vtn = server.Urls[0],
                Certificate = tls ? Reload(pki.VenEcc.Certificate) : null,
                CertificateAuthorities = tls ? anchors : [],
                Security = high ? OadrSecurityLevel.High : OadrSecurityLevel.Standard,
            };
            var suite = await OpenAdrVtnSuite.StartAsync(harnessOptions, ct);
            return new VtnUnderTest(suite, server, store, dir);
        }
        catch
        {
            if (server is not null) await server.DisposeAsync();
            await store.DisposeAsync();
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
            Operator = _operator,
            CaseTimeout = TimeSpan.FromMinutes(2),
        }, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        _operator.Dispose();
        await Suite.DisposeAsync();
        await _server.DisposeAsync();
        await _store.DisposeAsync();
        _dir.Delete(recursive: true);
    }

    /// <summary>Describes the cases that did not pass, for assertion messages.</summary>
    public static string Describe(SuiteResult result) => string.Join("\n", result.Results
        .Where(r => r.Verdict is not (CaseVerdict.Pass or CaseVerdict.NotApplicable))
        .Select(r => $"{r.Case.Id}: {r.Verdict} {r.FirstFailure?.ToString() ?? r.Note}"));
}
