using BenchmarkDotNet.Attributes;
using FlexCoop.ReferenceSystem.Contracts;
using FlexCoop.ReferenceSystem.Registry;
using FlexCoop.ReferenceSystem.Storage;

namespace FlexCoop.Bench;

/// <summary>
/// What the DER registry does per OpenADR message, on a SQLite store holding 1,000 homes of 8 DERs:
/// a heard mark for one home (the baseline: what every poll costs), one home's TELEMETRY_STATUS
/// applied (8 DERs, a status change logged for each), a batch of 250 heard marks (a quarter-second
/// sweep at 10,000 homes polling every 10 s), and two registry searches.
/// </summary>
[MemoryDiagnoser]
public class RegistryBenchmarks
{
    private const int Homes = 1000;
    private static readonly DerKind[] Kinds = Enum.GetValues<DerKind>();
    private string dir = null!;
    private SqliteReferenceStore store = null!;
    private DateTimeOffset now = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);
    private int next;
    private bool flip;

    [GlobalSetup]
    public async Task Setup()
    {
        dir = Directory.CreateTempSubdirectory("flexcoop-bench-registry-").FullName;
        store = new SqliteReferenceStore(dir);
        await store.InitializeAsync();
        var random = new Random(42);
        for (var h = 0; h < Homes; h++)
        {
            var home = $"home-{h:0000}";
            await store.Registry.RegisterHomeAsync(home, $"ven-{h}", new HomeLocation(51 + random.NextDouble(), 5 + random.NextDouble(), "5611"), now);
            await store.Registry.SetDevicesAsync(home, Kinds.Select(k => new DerRecord
            {
                HomeId = home,
                ResourceId = $"{k}.main",
                Kind = k,
                Reports = ["TELEMETRY_STATUS", "TELEMETRY_USAGE"],
                RatedPowerW = 500 + random.Next(5000),
                CapacityWh = k is DerKind.Battery or DerKind.EvCharger or DerKind.HotWaterTank ? 10_000 : 0,
                Controllable = k is not (DerKind.Sensor or DerKind.BaseLoad),
            }).ToList(), now);
        }
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await store.DisposeAsync();
        Directory.Delete(dir, recursive: true);
    }

    private DateTimeOffset Tick() => now = now.AddMilliseconds(10);

    [Benchmark(Baseline = true)]
    public Task<IReadOnlyList<RegistryEvent>> Heard_one_home() =>
        store.Registry.MarkHeardAsync(new Dictionary<string, DateTimeOffset> { [$"ven-{next++ % Homes}"] = Tick() });

    [Benchmark]
    public Task<IReadOnlyList<RegistryEvent>> Heard_250_homes_in_one_sweep()
    {
        var batch = new Dictionary<string, DateTimeOffset>();
        var at = Tick();
        for (var i = 0; i < 250; i++) batch[$"ven-{next++ % Homes}"] = at;
        return store.Registry.MarkHeardAsync(batch);
    }

    [Benchmark]
    public Task<IReadOnlyList<RegistryEvent>> Status_of_one_home_changed()
    {
        flip = !flip;
        var statuses = Kinds.ToDictionary(k => $"{k}.main", _ => new DerStatus { Online = true, ManualOverride = flip, PowerW = 100 });
        return store.Registry.UpdateStatusAsync($"home-{next++ % Homes:0000}", statuses, Tick());
    }

    [Benchmark]
    public Task<IReadOnlyList<DerRecord>> Search_available_heat_pumps() =>
        store.Registry.QueryDersAsync(new DerQuery { Kind = DerKind.HeatPump, Available = true });

    [Benchmark]
    public Task<IReadOnlyList<DerRecord>> Search_near_within_10_km() =>
        store.Registry.QueryDersAsync(new DerQuery { NearLatitude = 51.5, NearLongitude = 5.5, WithinKm = 10 });
}
