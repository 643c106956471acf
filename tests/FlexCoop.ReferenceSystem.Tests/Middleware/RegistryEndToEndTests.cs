using FlexCoop.ReferenceSystem.Contracts;
using FlexCoop.ReferenceSystem.Hosting;
using FlexCoop.ReferenceSystem.Registry;
using FlexCoop.Saref;
using FlexCoop.Saref.Rdf;

namespace FlexCoop.ReferenceSystem.Tests.Middleware;

/// <summary>
/// The middleware in-process on loopback, driven by VEN engines acting as Open Smart Boxes: enrolment
/// through the real token and enrolment endpoints, OpenADR registration and report metadata,
/// TELEMETRY_STATUS, keep-alive, restart, access control.
/// </summary>
public sealed class RegistryEndToEndTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Enrolled_homes_are_listed_with_every_der_online_and_described_in_saref()
    {
        await using var mw = await MiddlewareHarness.StartAsync();
        var osbs = new List<TestOsb>();
        for (var i = 1; i <= 3; i++)
        {
            var (osb, _) = await mw.StartOsbAsync($"home-{i:0000}", new HomeLocation(51.44 + i * 0.01, 5.47, "5611"));
            osbs.Add(osb);
        }
        foreach (var osb in osbs) await mw.WaitForStatusAsync(osb);

        var token = await mw.PasswordTokenAsync("aggregator");
        var ders = await mw.GetJsonAsync<List<DerRecord>>("/api/registry/ders", token);
        Assert.Equal(3 * TestOsb.DefaultDevices.Count, ders.Count);
        Assert.All(ders, d =>
        {
            Assert.Equal(DerState.Online, d.State);
            Assert.True(d.Status.Online);
            Assert.False(d.Status.ManualOverride);
            Assert.Equal(["TELEMETRY_STATUS", "TELEMETRY_USAGE"], d.Reports);
        });
        var heatPump = ders.Single(d => d.HomeId == "home-0002" && d.ResourceId == "HeatPump.main");
        Assert.Equal(DerKind.HeatPump, heatPump.Kind);
        Assert.Equal(2500, heatPump.RatedPowerW);
        Assert.True(heatPump.Controllable);
        Assert.Equal("5611", heatPump.Location?.Postcode);

        // Every DER's SAREF description carries the SAREF / SAREF4ENER class of its kind.
        foreach (var rating in TestOsb.DefaultDevices)
        {
            var (status, turtle, type) = await mw.GetAsync($"/api/registry/ders/home-0001/{rating.ResourceId}.ttl", token);
            Assert.Equal(200, status);
            Assert.Equal("text/turtle", type);
            var graph = TurtleReader.Parse(turtle);
            var device = SarefIris.Device(SarefDescription.HomeIri(mw.Url, "home-0001"), rating.ResourceId);
            var types = graph.Triples.Where(t => t.Subject.Equals(device) && t.Predicate.Equals(RdfVocabulary.RdfType)).Select(t => t.Object).ToList();
            Assert.Contains(ExpectedClass(DerResourceId.TryParse(rating.ResourceId, out var id) ? id.Value.Kind : throw new InvalidOperationException()), types);
        }
        var (jsonLdStatus, jsonLd, jsonLdType) = await mw.GetAsync("/api/registry/ders/home-0001/Battery.main", token, "application/ld+json");
        Assert.Equal(200, jsonLdStatus);
        Assert.Equal("application/ld+json", jsonLdType);
        using var document = System.Text.Json.JsonDocument.Parse(jsonLd);
        Assert.True(jsonLd.Contains(SarefVocabulary.Der.Battery.Value, StringComparison.Ordinal) || jsonLd.Contains("\"der:Battery\"", StringComparison.Ordinal),
            "the JSON-LD names the battery's class");
    }

    private static RdfIri ExpectedClass(DerKind kind) => kind switch
    {
        DerKind.HeatPump => SarefVocabulary.Der.HeatPump,
        DerKind.HotWaterTank => SarefVocabulary.Der.HotWaterTank,
        DerKind.EvCharger => SarefVocabulary.Der.EvCharger,
        DerKind.Photovoltaic => SarefVocabulary.Der.PhotovoltaicSystem,
        DerKind.Battery => SarefVocabulary.Der.Battery,
        DerKind.Light => SarefVocabulary.Der.Luminaire,
        DerKind.Sensor => SarefVocabulary.Core.Sensor,
        DerKind.BaseLoad => SarefVocabulary.Core.Meter,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Fact]
    public async Task Registry_searches_by_kind_capability_location_and_availability()
    {
        await using var mw = await MiddlewareHarness.StartAsync();
        var (near, _) = await mw.StartOsbAsync("home-0001", new HomeLocation(51.4416, 5.4697, "5611"));
        var (far, _) = await mw.StartOsbAsync("home-0002", new HomeLocation(52.3676, 4.9041, "1012"));
        far.ManualOverride = true;
        await mw.WaitForStatusAsync(near);
        await mw.WaitForStatusAsync(far);
        var token = await mw.PasswordTokenAsync("aggregator");

        var heatPumps = await mw.GetJsonAsync<List<DerRecord>>("/api/registry/ders?kind=HeatPump", token);
        Assert.Equal(["home-0001", "home-0002"], heatPumps.Select(d => d.HomeId));
        var storage = await mw.GetJsonAsync<List<DerRecord>>("/api/registry/ders?hasStorage=true&home=home-0001", token);
        Assert.Equal(["Battery.main", "EvCharger.garage", "HotWaterTank.main"], storage.Select(d => d.ResourceId));
        var big = await mw.GetJsonAsync<List<DerRecord>>("/api/registry/ders?minRatedPowerW=4000&controllable=true&home=home-0001", token);
        Assert.Equal(["Battery.main", "EvCharger.garage"], big.Select(d => d.ResourceId));
        var eindhoven = await mw.GetJsonAsync<List<DerRecord>>("/api/registry/ders?near=51.44,5.47&withinKm=5", token);
        Assert.All(eindhoven, d => Assert.Equal("home-0001", d.HomeId));
        Assert.Equal(TestOsb.DefaultDevices.Count, eindhoven.Count);
        var amsterdam = await mw.GetJsonAsync<List<DerRecord>>("/api/registry/ders?postcode=1012", token);
        Assert.All(amsterdam, d => Assert.Equal("home-0002", d.HomeId));
        // home-0002 reports a manual override on every device: none of them is available.
        var available = await mw.GetJsonAsync<List<DerRecord>>("/api/registry/ders?available=true", token);
        Assert.Equal(TestOsb.DefaultDevices.Count, available.Count);
        Assert.All(available, d => Assert.Equal("home-0001", d.HomeId));

        var (badStatus, badBody, _) = await mw.GetAsync("/api/registry/ders?kind=Toaster", token);
        Assert.Equal(400, badStatus);
        Assert.Contains("Toaster", badBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stopped_home_times_out_after_the_window_and_is_back_online_when_it_polls_again()
    {
        await using var mw = await MiddlewareHarness.StartAsync();
        var state = Path.Combine(mw.Directory, "osb-0001.db");
        var (osb, ven) = await mw.StartOsbAsync("home-0001", statePath: state);
        await mw.WaitForStatusAsync(osb);
        var stoppedAt = DateTimeOffset.UtcNow;

        await mw.StopVenAsync(ven);
        await mw.WaitForLogAsync(log => osb.Devices.All(d => log.Any(e => e.Kind == RegistryEventKind.TimedOut && e.ResourceId == d.ResourceId)),
            "every DER of the stopped home timed out");
        var timedOut = mw.Log.First(e => e.Kind == RegistryEventKind.TimedOut);
        // Not before the window (K poll periods) has passed since it was last heard.
        Assert.True(timedOut.At - stoppedAt >= MiddlewareHarness.PollPeriod * MiddlewareHarness.TimeoutPolls - TimeSpan.FromSeconds(1.5),
            $"timed out {timedOut.At - stoppedAt} after stopping");
        var token = await mw.PasswordTokenAsync("aggregator");
        var ders = await mw.GetJsonAsync<List<DerRecord>>("/api/registry/ders?state=timedOut", token);
        Assert.Equal(osb.Devices.Count, ders.Count);
        Assert.All(ders, d => Assert.False(d.Available));

        // The same box starts again: it resumes its registration and polls.
        await mw.StartVenAsync(osb, state);
        await mw.WaitForLogAsync(log => osb.Devices.All(d => log.Any(e => e.Kind == RegistryEventKind.BackOnline && e.ResourceId == d.ResourceId)),
            "every DER back online");
        var online = await mw.GetJsonAsync<List<DerRecord>>("/api/registry/ders?state=online", token);
        Assert.Equal(osb.Devices.Count, online.Count);
    }

    [Fact]
    public async Task Middleware_restarted_on_the_same_files_keeps_registry_log_ca_and_accounts()
    {
        var dir = Directory.CreateTempSubdirectory("flexcoop-mw-restart-").FullName;
        IReadOnlyList<RegistryEvent> logBefore;
        List<DerRecord> dersBefore;
        string caBefore;
        await using (var first = await MiddlewareHarness.StartAsync(dir))
        {
            var (a, _) = await first.StartOsbAsync("home-0001");
            var (b, _) = await first.StartOsbAsync("home-0002");
            await first.WaitForStatusAsync(a);
            await first.WaitForStatusAsync(b);
            var token = await first.PasswordTokenAsync("aggregator");
            logBefore = await first.Host.Store.Registry.ReadLogAsync(cancellationToken: Ct);
            dersBefore = await first.GetJsonAsync<List<DerRecord>>("/api/registry/ders", token);
            caBefore = first.Host.Ca.CertificatePem;
            await first.StopAsync();
        }

        await using var second = await MiddlewareHarness.StartAsync(dir);
        Assert.Equal(caBefore, second.Host.Ca.CertificatePem);
        var logAfter = await second.Host.Store.Registry.ReadLogAsync(cancellationToken: Ct);
        Assert.True(logAfter.Count >= logBefore.Count);
        Assert.Equal(logBefore, logAfter.Take(logBefore.Count));
        var token2 = await second.PasswordTokenAsync("aggregator");
        var dersAfter = await second.GetJsonAsync<List<DerRecord>>("/api/registry/ders", token2);
        Assert.Equal(dersBefore.Select(d => (d.HomeId, d.ResourceId, d.Kind, d.RatedPowerW, d.CapacityWh, d.Status.Online)),
            dersAfter.Select(d => (d.HomeId, d.ResourceId, d.Kind, d.RatedPowerW, d.CapacityWh, d.Status.Online)));
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task Prosumer_token_cannot_read_another_prosumers_der_and_the_refusal_is_logged()
    {
        await using var mw = await MiddlewareHarness.StartAsync();
        var (mine, _) = await mw.StartOsbAsync("home-0001");
        var (theirs, _) = await mw.StartOsbAsync("home-0002");
        await mw.WaitForStatusAsync(mine);
        await mw.WaitForStatusAsync(theirs);
        var token = await mw.PasswordTokenAsync("prosumer-0001");

        var (own, _, _) = await mw.GetAsync("/api/registry/ders/home-0001/HeatPump.main", token);
        Assert.Equal(200, own);
        var (other, body, _) = await mw.GetAsync("/api/registry/ders/home-0002/HeatPump.main", token);
        Assert.Equal(403, other);
        Assert.Contains("home-0002", body, StringComparison.Ordinal);
        var (otherTurtle, _, _) = await mw.GetAsync("/api/registry/homes/home-0002.ttl", token);
        Assert.Equal(403, otherTurtle);
        var listed = await mw.GetJsonAsync<List<DerRecord>>("/api/registry/ders", token);
        Assert.All(listed, d => Assert.Equal("home-0001", d.HomeId));
        Assert.Equal(mine.Devices.Count, listed.Count);
        var log = await mw.GetJsonAsync<List<RegistryEvent>>("/api/registry/log", token);
        Assert.NotEmpty(log);
        Assert.All(log, e => Assert.Equal("home-0001", e.HomeId));

        var refusals = await mw.Host.Store.Identity.ReadRefusalsAsync(cancellationToken: Ct);
        var refusal = Assert.Single(refusals, r => r.Path == "/api/registry/ders/home-0002/HeatPump.main");
        Assert.Equal("prosumer-0001", refusal.Subject);
        Assert.Equal("prosumer", refusal.Role);
        Assert.Equal(403, refusal.Status);
        Assert.Contains("home-0002", refusal.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_without_credentials_are_refused_and_logged()
    {
        await using var mw = await MiddlewareHarness.StartAsync();
        var (noToken, _, _) = await mw.GetAsync("/api/registry/ders", null);
        Assert.Equal(401, noToken);
        // A component's enrolment token does not open the registry or the operator API.
        var enrolment = await mw.ClientTokenAsync();
        Assert.Equal(403, (await mw.GetAsync("/api/registry/ders", enrolment)).Status);
        Assert.Equal(403, (await mw.GetAsync("/api/vtn/events", enrolment)).Status);
        // A prosumer cannot operate the VTN.
        var prosumer = await mw.PasswordTokenAsync("prosumer-0001", "registry operator");
        Assert.Equal(403, (await mw.GetAsync("/api/vtn/events", prosumer)).Status);
        var (badPassword, _) = await mw.PostTokenRawAsync(new() { ["grant_type"] = "password", ["username"] = "aggregator", ["password"] = "not-the-password" });
        Assert.Equal(400, badPassword);
        var (badSecret, _) = await mw.PostTokenRawAsync(new()
        {
            ["grant_type"] = "client_credentials", ["client_id"] = MiddlewareHost.DemoEnrolmentClient, ["client_secret"] = "wrong", ["scope"] = "enrolment",
        });
        Assert.True(badSecret is 400 or 401, $"a wrong client secret answered {badSecret}");
        // The OpenADR services need a client certificate.
        using var content = new StringContent("<oadrPayload/>", System.Text.Encoding.UTF8, "application/xml");
        using var openAdr = await mw.Http.PostAsync(new Uri(mw.Url, "/OpenADR2/Simple/2.0b/OadrPoll"), content, Ct);
        Assert.Equal(403, (int)openAdr.StatusCode);

        var refusals = await mw.Host.Store.Identity.ReadRefusalsAsync(cancellationToken: Ct);
        Assert.Contains(refusals, r => r.Status == 401 && r.Path == "/api/registry/ders");
        Assert.Contains(refusals, r => r.Status == 403 && r.Path == "/api/vtn/events" && r.Subject == "prosumer-0001");
        Assert.Contains(refusals, r => r.Path == "/connect/token" && r.Subject == "aggregator" && r.Reason.Contains("password", StringComparison.Ordinal));
        Assert.Contains(refusals, r => r.Path == "/OpenADR2/Simple/2.0b/OadrPoll" && r.Status == 403);
    }

    [Fact]
    public async Task Enrolment_refuses_a_csr_for_another_home_and_a_registration_under_another_homes_name()
    {
        await using var mw = await MiddlewareHarness.StartAsync();
        var token = await mw.ClientTokenAsync();
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var csr = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=home-0002", key, System.Security.Cryptography.HashAlgorithmName.SHA256)
            .CreateSigningRequestPem();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(mw.Url, "/api/enrolment"))
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { homeId = "home-0001", csrPem = csr }),
        };
        request.Headers.Authorization = new("Bearer", token);
        using var response = await mw.Http.SendAsync(request, Ct);
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("CN", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // home-0002's box registers calling itself home-0001: the VTN accepts the certificate, the registry does not take the name.
        var (real, _) = await mw.StartOsbAsync("home-0001");
        await mw.WaitForStatusAsync(real);
        var impostor = await TestOsb.EnrolAsync(mw.Http, mw.Url, token, "home-0002");
        var refusal = new TaskCompletionSource<Storage.AccessRefusal>(TaskCreationOptions.RunContinuationsAsynchronously);
        mw.Host.Registry.RegistrationRefused += (_, e) => refusal.TrySetResult(e.Refusal);
        var renamed = await FlexCoop.OpenAdr.Ven.OadrVen.StartAsync(new FlexCoop.OpenAdr.Ven.VenOptions
        {
            VtnUrl = mw.Url,
            VenName = "home-0001",
            ClientCertificate = impostor.Certificate,
            VtnCertificateAuthorities = [impostor.Ca],
        }, null, TestOutputLoggerProvider.Factory("impostor"), Ct);
        await using (renamed)
        {
            var refused = await refusal.Task.WaitAsync(TimeSpan.FromSeconds(60), Ct);
            Assert.Equal(renamed.VenId, refused.Subject);
            Assert.Contains("not the certificate enrolled for home-0001", refused.Reason, StringComparison.Ordinal);
        }
        Assert.Contains(await mw.Host.Store.Identity.ReadRefusalsAsync(cancellationToken: Ct), r => r.Subject == renamed.VenId);
        var home = await mw.Host.Store.Registry.GetHomeAsync("home-0001", Ct);
        Assert.Equal(FlexCoop.OpenAdr.Security.OadrFingerprint.Of(real.Certificate), home!.VenId);
    }
}
