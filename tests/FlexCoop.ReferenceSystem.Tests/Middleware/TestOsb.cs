using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Ven;
using FlexCoop.ReferenceSystem.Contracts;
using FlexCoop.ReferenceSystem.Hosting;
using FlexCoop.ReferenceSystem.Registry;

namespace FlexCoop.ReferenceSystem.Tests.Middleware;

/// <summary>
/// An Open Smart Box as the contract describes it, built on the VEN engine: enrols with a CSR
/// through the token and enrolment endpoints, registers, announces its devices in
/// METADATA_TELEMETRY_USAGE / METADATA_TELEMETRY_STATUS and reports status and power when asked.
/// </summary>
internal sealed class TestOsb
{
    /// <summary>The devices of a default home, with ratings.</summary>
    public static readonly IReadOnlyList<DeviceRating> DefaultDevices =
    [
        new("HeatPump.main", 2500, 0, true),
        new("HotWaterTank.main", 3000, 12000, true),
        new("EvCharger.garage", 11000, 60000, true),
        new("Photovoltaic.roof", -4000, 0, false),
        new("Battery.main", 5000, 10000, true),
        new("Light.living", 60, 0, true),
        new("Sensor.indoor", 1, 0, false),
        new("BaseLoad.main", 400, 0, false),
    ];

    private TestOsb(string homeId, X509Certificate2 certificate, X509Certificate2 ca, IReadOnlyList<DeviceRating> devices)
    {
        HomeId = homeId;
        Certificate = certificate;
        Ca = ca;
        Devices = devices;
    }

    public string HomeId { get; }

    public X509Certificate2 Certificate { get; }

    public X509Certificate2 Ca { get; }

    public IReadOnlyList<DeviceRating> Devices { get; }

    /// <summary>What the status report says; change it to change what the OSB reports.</summary>
    public bool ManualOverride { get; set; }

    /// <summary>Enrols <paramref name="homeId"/> at the middleware with a fresh P-256 key.</summary>
    public static async Task<TestOsb> EnrolAsync(HttpClient http, Uri middleware, string token, string homeId, IReadOnlyList<DeviceRating>? devices = null,
        HomeLocation? location = null)
    {
        devices ??= DefaultDevices;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest($"CN={homeId}", key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(middleware, "/api/enrolment"))
        {
            Content = JsonContent.Create(new
            {
                homeId,
                csrPem = csr,
                location = location is null ? null : new { latitude = location.Latitude, longitude = location.Longitude, postcode = location.Postcode },
                devices = devices.Select(d => new { resourceId = d.ResourceId, ratedPowerW = d.RatedPowerW, capacityWh = d.CapacityWh, controllable = d.Controllable }),
            }),
        };
        request.Headers.Authorization = new("Bearer", token);
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"enrolment answered {(int)response.StatusCode}: {body}");
        var answer = System.Text.Json.JsonSerializer.Deserialize<EnrolmentResponse>(body, System.Text.Json.JsonSerializerOptions.Web)!;
        Assert.Equal(homeId, answer.VenName);
        using var issued = X509Certificate2.CreateFromPem(answer.CertificatePem);
        using var withKey = issued.CopyWithPrivateKey(key);
        var certificate = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        var ca = X509Certificate2.CreateFromPem(answer.CaCertificatePem);
        return new TestOsb(homeId, certificate, ca, devices);
    }

    /// <summary>Starts the VEN against <paramref name="vtnUrl"/>; with <paramref name="statePath"/> its registration survives a restart.</summary>
    public Task<OadrVen> StartAsync(Uri vtnUrl, string? statePath = null, string? pushListenUrl = null) =>
        OadrVen.StartAsync(new VenOptions
        {
            VtnUrl = vtnUrl,
            PushListenUrl = pushListenUrl,
            VenName = HomeId,
            ClientCertificate = Certificate,
            VtnCertificateAuthorities = [Ca],
            StatePath = statePath,
            ReportProviders = [new UsageReport(this), new StatusReport(this)],
        }, null, TestOutputLoggerProvider.Factory("OSB " + HomeId), TestContext.Current.CancellationToken);

    private sealed class UsageReport(TestOsb osb) : IVenReportProvider
    {
        public VenReportDefinition Definition { get; } = new("usage", ReportName.TelemetryUsage,
            osb.Devices.Select(d => new VenDataPoint(d.ResourceId + "/power", ReportType.Usage, new ReadingType("Direct Read"),
                new PowerReal { Scale = SiScaleCode.None, Attributes = new PowerAttributes { Hertz = 50, Voltage = 230, Ac = true } },
                TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1), d.ResourceId)).ToList());

        public ValueTask<IReadOnlyList<VenReading>> ReadAsync(IReadOnlyList<string> rIds, DateTimeOffset start, DateTimeOffset end, TimeSpan granularity, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyList<VenReading>>(rIds.Select(r => new VenReading(r, start, end - start, Value: 100f)).ToList());
    }

    private sealed class StatusReport(TestOsb osb) : IVenReportProvider
    {
        public VenReportDefinition Definition { get; } = new("status", ReportName.TelemetryStatus,
            osb.Devices.Select(d => new VenDataPoint(d.ResourceId + "/status", new ReportType("x-resourceStatus"), new ReadingType("x-notApplicable"), null,
                TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1), d.ResourceId)).ToList());

        public ValueTask<IReadOnlyList<VenReading>> ReadAsync(IReadOnlyList<string> rIds, DateTimeOffset start, DateTimeOffset end, TimeSpan granularity, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyList<VenReading>>(rIds.Select(r => new VenReading(r, end, TimeSpan.Zero, Status: new OadrPayloadResourceStatus
            {
                Online = true,
                ManualOverride = osb.ManualOverride,
            })).ToList());
    }
}
