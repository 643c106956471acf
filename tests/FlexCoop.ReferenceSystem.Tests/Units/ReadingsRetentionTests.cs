using FlexCoop.OpenAdr.Vtn.Storage;
using FlexCoop.ReferenceSystem.Hosting;
using FlexCoop.ReferenceSystem.Tests.Middleware;
using FlexCoop.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlexCoop.ReferenceSystem.Tests.Units;

/// <summary>Retention of the VTN's report readings: by age, by rows per rID, on a schedule in a running node.</summary>
public sealed class ReadingsRetentionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>Two VENs, two rIDs each, one reading a minute for 20 minutes.</summary>
    private static async Task FillAsync(IVtnStore store)
    {
        var readings = new List<ReportReadingRecord>();
        for (var minute = 20; minute >= 1; minute--)
        {
            foreach (var ven in new[] { "ven-a", "ven-b" })
            {
                foreach (var rId in new[] { "HeatPump.main/status", "HeatPump.main/power" })
                {
                    readings.Add(new ReportReadingRecord
                    {
                        VenId = ven,
                        ReportRequestId = "rq-" + ven,
                        ReportSpecifierId = "spec",
                        RId = rId,
                        DtStart = Now.AddMinutes(-minute),
                        Duration = TimeSpan.FromMinutes(1),
                        Value = minute,
                        ReceivedAt = Now.AddMinutes(-minute),
                    });
                }
            }
        }
        await store.AddReadingsAsync(readings, Ct);
    }

    private static async Task Purges_by_age_then_keeps_the_newest_per_rid(IVtnStore store)
    {
        await store.InitializeAsync(Ct);
        await FillAsync(store);
        var retention = new ReadingsRetention(store, new ReadingsRetentionOptions { MaxAge = TimeSpan.FromMinutes(10), KeepPerRId = 4, Batch = 3 },
            new FixedClock(Now), NullLogger<ReadingsRetention>.Instance);

        // 80 readings: 40 older than 10 minutes go, then of the 10 left per rID the 6 oldest (batches of 3 rows).
        Assert.Equal(40 + 24, await retention.PurgeAsync(Ct));
        foreach (var ven in new[] { "ven-a", "ven-b" })
        {
            var left = await store.GetReadingsAsync(ven, null, 1000, Ct);
            Assert.Equal(8, left.Count);
            foreach (var group in left.GroupBy(r => r.RId))
            {
                // The newest four: received 1..4 minutes ago.
                Assert.Equal([4.0, 3.0, 2.0, 1.0], group.Select(r => r.Value!.Value));
            }
        }
        // Nothing more to do: idempotent, as when several nodes run it.
        Assert.Equal(0, await retention.PurgeAsync(Ct));
    }

    [Fact]
    public async Task Sqlite_readings_older_than_the_age_and_beyond_the_rows_per_rid_are_deleted()
    {
        var dir = Directory.CreateTempSubdirectory("flexcoop-retention-").FullName;
        await using var store = new SqliteVtnStore(Path.Combine(dir, "vtn.db"));
        await Purges_by_age_then_keeps_the_newest_per_rid(store);
    }

    [Fact]
    public async Task Postgres_readings_older_than_the_age_and_beyond_the_rows_per_rid_are_deleted()
    {
        var cs = Environment.GetEnvironmentVariable("FLEXCOOP_TEST_POSTGRES");
        if (string.IsNullOrEmpty(cs)) TestEnvironment.SkipOrFail("FLEXCOOP_TEST_POSTGRES is not set (a PostgreSQL connection string)");
        await using var store = new PostgresVtnStore(cs!, "t" + Guid.NewGuid().ToString("N")[..12] + "_vtn");
        await Purges_by_age_then_keeps_the_newest_per_rid(store);
    }

    [Fact]
    public void Options_out_of_range_are_refused_at_start()
    {
        var options = new MiddlewareOptions { DataDirectory = "unused" };
        Assert.Throws<ReferenceConfigurationException>(() => (options with { ReadingsRetention = new() { KeepPerRId = 0 } }).Validate());
        Assert.Throws<ReferenceConfigurationException>(() => (options with { ReadingsRetention = new() { MaxAge = TimeSpan.FromSeconds(5) } }).Validate());
        Assert.Throws<ReferenceConfigurationException>(() => (options with { ReadingsRetention = new() { Interval = TimeSpan.Zero } }).Validate());
    }

    [Fact]
    public async Task Running_node_purges_on_its_schedule_and_keeps_the_newest_readings_of_each_rid()
    {
        await using var node = await MiddlewareHarness.StartAsync(configure: o => o with
        {
            ReadingsRetention = new ReadingsRetentionOptions { MaxAge = null, KeepPerRId = 2, Interval = TimeSpan.FromMilliseconds(200) },
        });
        var purged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        node.Host.Retention.Purged += (_, deleted) =>
        {
            if (deleted > 0) purged.TrySetResult();
        };
        var (osb, ven) = await node.StartOsbAsync("home-0001");
        await node.WaitForStatusAsync(osb);
        // Status reports every second: the scheduled purge finds more than two per rID and deletes some.
        await purged.Task.WaitAsync(TimeSpan.FromSeconds(60), Ct);
        await node.StopVenAsync(ven);
        await node.Host.Retention.PurgeAsync(Ct);
        var left = await node.Host.Store.Vtn.GetReadingsAsync(ven.VenId!, null, 10_000, Ct);
        Assert.NotEmpty(left);
        Assert.All(left.GroupBy(r => r.RId), g => Assert.InRange(g.Count(), 1, 2));
        // The registry still has every DER's latest status.
        var ders = await node.Host.Store.Registry.QueryDersAsync(new Registry.DerQuery { HomeIds = ["home-0001"] }, Ct);
        Assert.All(ders, d => Assert.NotNull(d.Status.ReportedAt));
    }
}
