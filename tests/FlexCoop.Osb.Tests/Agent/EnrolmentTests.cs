using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using FlexCoop.OpenAdr.Engine.Tests.EndToEnd;
using FlexCoop.Osb.Agent;
using FlexCoop.Osb.Home;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static FlexCoop.Osb.Tests.Agent.OsbFixture;

namespace FlexCoop.Osb.Tests.Agent;

/// <summary>
/// Enrolment against a loopback server that implements the contract's two endpoints
/// (<c>POST /connect/token</c>, <c>POST /api/enrolment</c>) and signs CSRs with the test CA; the
/// certificate issued is then used to register with the test VTN.
/// </summary>
public sealed class EnrolmentTests
{
    private const string ClientId = "osb-enrolment";
    private const string Secret = "s3cret";

    private sealed class EnrolmentServer : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private EnrolmentServer(WebApplication app, Uri url)
        {
            _app = app;
            Url = url;
        }

        public Uri Url { get; }

        public ConcurrentQueue<JsonElement> Requests { get; } = new();

        public static async Task<EnrolmentServer> StartAsync(Func<Uri> vtnUrl)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(TestPki.VtnEcc)));
            var app = builder.Build();
            EnrolmentServer? server = null;
            app.MapPost("/connect/token", async (HttpContext http) =>
            {
                var form = await http.Request.ReadFormAsync();
                if (form["grant_type"] != "client_credentials" || form["client_id"] != ClientId || form["client_secret"] != Secret || form["scope"] != "enrolment")
                {
                    return Results.Json(new { error = "invalid_client" }, statusCode: 401);
                }
                return Results.Json(new { access_token = "token-1", token_type = "Bearer", expires_in = 3600 });
            });
            app.MapPost("/api/enrolment", async (HttpContext http) =>
            {
                if (http.Request.Headers.Authorization != "Bearer token-1") return Results.StatusCode(401);
                var body = await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body);
                server!.Requests.Enqueue(body);
                using var certificate = OsbCertificates.SignRequest(TestPki.Ca, body.GetProperty("csrPem").GetString()!);
                return Results.Json(new
                {
                    venName = body.GetProperty("homeId").GetString(),
                    certificatePem = certificate.ExportCertificatePem(),
                    caCertificatePem = TestPki.CaPublic.ExportCertificatePem(),
                    vtnUrl = vtnUrl().ToString().TrimEnd('/'),
                    pollPeriod = "PT10S",
                }, statusCode: 201);
            });
            await app.StartAsync(Ct);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            server = new EnrolmentServer(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
            return server;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Enrols_with_client_credentials_then_registers_with_the_certificate_issued()
    {
        await using var vtn = await StartVtnAsync();
        await using var server = await EnrolmentServer.StartAsync(() => vtn.Server.Url);
        var home = ExampleHome();

        await using var osb = await OpenSmartBox.StartAsync(Options(vtn, home) with
        {
            MiddlewareUrl = server.Url,
            ClientCertificate = null,
            ClientId = ClientId,
            ClientSecret = Secret,
        }, Ct);

        Assert.NotNull(osb.Enrolment);
        Assert.Equal("CN=home-0001", osb.Enrolment.Certificate.Subject);
        Assert.True(osb.Enrolment.Certificate.HasPrivateKey);
        Assert.Equal(TimeSpan.FromSeconds(10), osb.Enrolment.PollPeriod);
        var eku = osb.Enrolment.Certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single();
        Assert.Contains(eku.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>(), o => o.Value == "1.3.6.1.5.5.7.3.2");
        Assert.Equal("home-0001", (await vtn.Store.GetVenAsync(osb.Ven.VenId!, Ct))!.VenName);

        var request = Assert.Single(server.Requests);
        Assert.Equal("home-0001", request.GetProperty("homeId").GetString());
        Assert.Equal(51.44, request.GetProperty("location").GetProperty("latitude").GetDouble());
        Assert.Equal("5611", request.GetProperty("location").GetProperty("postcode").GetString());
        var devices = request.GetProperty("devices").EnumerateArray().ToDictionary(d => d.GetProperty("resourceId").GetString()!);
        Assert.Equal(home.Devices.Select(d => d.ResourceId.ToString()).Order(), devices.Keys.Order());
        Assert.Equal(2500, devices["HeatPump.main"].GetProperty("ratedPowerW").GetDouble());
        Assert.True(devices["HeatPump.main"].GetProperty("controllable").GetBoolean());
        Assert.Equal(10000, devices["Battery.main"].GetProperty("capacityWh").GetDouble());
        Assert.False(devices["Photovoltaic.roof"].GetProperty("controllable").GetBoolean());
    }

    [Fact]
    public async Task A_wrong_client_secret_is_an_enrolment_error_with_the_http_status()
    {
        await using var server = await EnrolmentServer.StartAsync(() => new Uri("https://127.0.0.1:1"));
        using var client = new EnrolmentClient(server.Url, [TestPki.CaPublic]);

        var ex = await Assert.ThrowsAsync<OsbEnrolmentException>(() => client.EnrolAsync(new HomeDefinition { HomeId = "home-0009" }, ClientId, "wrong", Ct));

        Assert.Equal(401, ex.HttpStatus);
        Assert.Contains("token", ex.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task A_middleware_certificate_from_another_ca_is_refused()
    {
        await using var server = await EnrolmentServer.StartAsync(() => new Uri("https://127.0.0.1:1"));
        using var client = new EnrolmentClient(server.Url, [X509CertificateLoader.LoadCertificate(TestPki.RogueCa.RawData)]);

        var ex = await Assert.ThrowsAsync<OsbEnrolmentException>(() => client.RequestTokenAsync(ClientId, Secret, Ct));

        Assert.Null(ex.HttpStatus);
        Assert.Empty(server.Requests);
    }
}
