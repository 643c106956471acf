using FlexCoop.OpenAdr.Engine.Tests.EndToEnd;
using FlexCoop.Osb.Agent;
using FlexCoop.Osb.Home;
using static FlexCoop.Osb.Tests.Agent.OsbFixture;

namespace FlexCoop.Osb.Tests.Agent;

public sealed class HomeSimulationTests
{
    [Fact]
    public async Task Twenty_generated_homes_register_and_announce_their_own_devices()
    {
        await using var vtn = await StartVtnAsync();

        await using var sim = await HomeSimulation.StartAsync(new HomeSimulationOptions
        {
            MiddlewareUrl = vtn.Server.Url,
            Homes = 20,
            Seed = 5,
            IssueCertificate = home => OsbCertificates.Issue(TestPki.Ca, home.HomeId),
            CertificateAuthorities = [TestPki.CaPublic],
            Clock = vtn.Clock,
            StartSpread = TimeSpan.Zero,
            StartAttempts = 1,
            PollFrequency = TimeSpan.FromDays(1),
            ControlInterval = TimeSpan.FromDays(1),
            LoggerFactory = Logs(),
        }, Ct);

        Assert.Empty(sim.Failures);
        Assert.Equal(20, sim.Running);
        var vens = await vtn.Store.ListVensAsync(Ct);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"home-{i:D4}"), vens.Where(v => v.IsRegistered).Select(v => v.VenName!).Order());
        foreach (var box in sim.Boxes)
        {
            var reports = await vtn.Store.GetVenReportsAsync(box!.Ven.VenId!, Ct);
            var usage = reports.Single(r => r.ReportName == "TELEMETRY_USAGE");
            Assert.Equal(box.Home.Devices.Select(d => d.ResourceId.ToString()).Order(), usage.Descriptions.Select(d => d.ResourceId!).Order());
        }
        Assert.True(sim.Homes.Select(h => h.Devices.Count).Distinct().Count() > 1, "the homes should differ");

        await sim.StopHomeAsync(3);
        Assert.Equal(19, sim.Running);
        Assert.Null(sim.Boxes[3]);
        Assert.True(await sim.StartHomeAsync(3, Ct));
        Assert.Equal(20, sim.Running);
    }

    [Fact]
    public async Task Two_simulations_with_first_home_offsets_run_distinct_homes_as_one_split_across_nodes()
    {
        await using var vtn = await StartVtnAsync();
        HomeSimulationOptions Part(int first, int count) => new()
        {
            MiddlewareUrl = vtn.Server.Url,
            Homes = count,
            FirstHome = first,
            Seed = 5,
            IssueCertificate = home => OsbCertificates.Issue(TestPki.Ca, home.HomeId),
            CertificateAuthorities = [TestPki.CaPublic],
            Clock = vtn.Clock,
            StartSpread = TimeSpan.Zero,
            StartAttempts = 1,
            PollFrequency = TimeSpan.FromDays(1),
            ControlInterval = TimeSpan.FromDays(1),
            LoggerFactory = Logs(),
        };
        await using var first = await HomeSimulation.StartAsync(Part(0, 3), Ct);
        await using var second = await HomeSimulation.StartAsync(Part(3, 2), Ct);

        Assert.Equal(["home-0001", "home-0002", "home-0003"], first.Homes.Select(h => h.HomeId));
        Assert.Equal(["home-0004", "home-0005"], second.Homes.Select(h => h.HomeId));
        // The same homes as one simulation of five would run.
        Assert.Equal(HomeGenerator.Generate(5, 3).Devices.Count, second.Homes[0].Devices.Count);
        var vens = await vtn.Store.ListVensAsync(Ct);
        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"home-{i:D4}"), vens.Where(v => v.IsRegistered).Select(v => v.VenName!).Order());
        await Assert.ThrowsAsync<OsbConfigurationException>(() => HomeSimulation.StartAsync(Part(-1, 2), Ct));
    }

    [Fact]
    public async Task Start_progress_counts_every_home_once_whether_it_started_or_failed()
    {
        await using var vtn = await StartVtnAsync();
        var progress = new RecordingProgress();

        await using var sim = await HomeSimulation.StartAsync(new HomeSimulationOptions
        {
            MiddlewareUrl = vtn.Server.Url,
            Homes = 4,
            Seed = 5,
            IssueCertificate = home => home.HomeId == "home-0003"
                ? throw new OsbConfigurationException("no certificate for this home")
                : OsbCertificates.Issue(TestPki.Ca, home.HomeId),
            CertificateAuthorities = [TestPki.CaPublic],
            Clock = vtn.Clock,
            StartSpread = TimeSpan.Zero,
            StartAttempts = 1,
            MaxConcurrentStarts = 2,
            PollFrequency = TimeSpan.FromDays(1),
            ControlInterval = TimeSpan.FromDays(1),
            LoggerFactory = Logs(),
            StartProgress = progress,
        }, Ct);

        Assert.Equal(3, sim.Running);
        Assert.Equal(["home-0003"], sim.Failures.Keys);
        Assert.Equal([1, 2, 3, 4], progress.Values.Order());
    }

    /// <summary>Records each report synchronously (Progress&lt;T&gt; would post them to the thread pool).</summary>
    private sealed class RecordingProgress : IProgress<int>
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<int> _values = new();

        public IReadOnlyList<int> Values => [.. _values];

        public void Report(int value) => _values.Enqueue(value);
    }
}
