using System.Security.Cryptography.X509Certificates;
using FlexCoop.Osb.Agent;
using FlexCoop.ReferenceSystem.Registry;

namespace FlexCoop.ReferenceSystem.Tests.Middleware;

/// <summary>
/// The middleware with the real Open Smart Box simulator (FlexCoop.Osb): the homes enrol through the
/// token and enrolment endpoints, register over OpenADR with mutual TLS, announce their devices and
/// report status, exactly as <c>flexcoop serve --demo</c> runs them.
/// </summary>
public sealed class SimulatedHomesEndToEndTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Twenty_simulated_homes_are_listed_online_then_three_stopped_time_out_and_come_back()
    {
        await using var mw = await MiddlewareHarness.StartAsync();
        var secret = (await File.ReadAllTextAsync(Path.Combine(mw.Directory, "osb-enrolment.secret"), Ct)).Trim();
        var ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(mw.Directory, "ca.crt"));

        await using var sim = await HomeSimulation.StartAsync(new HomeSimulationOptions
        {
            MiddlewareUrl = mw.Url,
            Homes = 20,
            Seed = 7,
            ClientId = "osb-enrolment",
            ClientSecret = secret,
            CertificateAuthorities = [ca],
            StartSpread = TimeSpan.FromSeconds(2),
            LoggerFactory = TestOutputLoggerProvider.Factory("SIM"),
        }, Ct);
        Assert.True(sim.Running == 20, $"homes that failed to start: {string.Join(", ", sim.Failures.Select(f => $"{f.Key}: {f.Value}"))}");

        var expected = sim.Homes.SelectMany(h => h.Devices.Select(d => (h.HomeId, ResourceId: d.ResourceId.ToString(), d.Kind))).ToList();
        await mw.WaitForLogAsync(
            log => expected.All(x => log.Any(e => e.Kind == RegistryEventKind.StatusChanged && e.HomeId == x.HomeId && e.ResourceId == x.ResourceId)),
            "the status of every simulated home's DERs");

        var token = await mw.PasswordTokenAsync("aggregator");
        var ders = await mw.GetJsonAsync<List<DerRecord>>("/api/registry/ders", token);
        Assert.Equal(
            expected.Select(x => $"{x.HomeId}/{x.ResourceId}/{x.Kind}").Order(StringComparer.Ordinal),
            ders.Select(d => $"{d.HomeId}/{d.ResourceId}/{d.Kind}").Order(StringComparer.Ordinal));
        Assert.All(ders, d => Assert.Equal(DerState.Online, d.State));

        // Three homes stop: their DERs time out after the window; the others stay online.
        int[] stopped = [2, 9, 15];
        foreach (var i in stopped) await sim.StopHomeAsync(i);
        var stoppedHomes = stopped.Select(i => sim.Homes[i].HomeId).ToHashSet(StringComparer.Ordinal);
        var stoppedDers = expected.Where(x => stoppedHomes.Contains(x.HomeId)).ToList();
        await mw.WaitForLogAsync(
            log => stoppedDers.All(x => log.Any(e => e.Kind == RegistryEventKind.TimedOut && e.HomeId == x.HomeId && e.ResourceId == x.ResourceId)),
            "every DER of the three stopped homes timed out");
        var timedOut = await mw.GetJsonAsync<List<DerRecord>>("/api/registry/ders?state=timedOut", token);
        Assert.Equal(stoppedHomes.Order(StringComparer.Ordinal), timedOut.Select(d => d.HomeId).Distinct().Order(StringComparer.Ordinal));

        // Restarted, they are back online on their next message.
        foreach (var i in stopped) Assert.True(await sim.StartHomeAsync(i, Ct));
        await mw.WaitForLogAsync(
            log => stoppedDers.All(x => log.Any(e => e.Kind == RegistryEventKind.BackOnline && e.HomeId == x.HomeId && e.ResourceId == x.ResourceId)),
            "every DER of the restarted homes back online");
        var online = await mw.GetJsonAsync<List<DerRecord>>("/api/registry/ders?state=online", token);
        Assert.Equal(expected.Count, online.Count);
    }
}
