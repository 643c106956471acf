using FlexCoop.ReferenceSystem.Contracts;
using FlexCoop.ReferenceSystem.Registry;
using FlexCoop.ReferenceSystem.Storage;

namespace FlexCoop.ReferenceSystem.Tests.Units;

/// <summary>The registry tables on a SQLite file: devices merged, status changes logged once, keep-alive transitions, searches.</summary>
public sealed class RegistryRepositoryTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("flexcoop-registry-").FullName;
    private SqliteReferenceStore _store = null!;

    private IRegistryRepository Registry => _store.Registry;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _store = new SqliteReferenceStore(_dir);
        await _store.InitializeAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static DerRecord Der(string home, string resourceId, double rated, double capacity = 0, bool controllable = true) => new()
    {
        HomeId = home,
        ResourceId = resourceId,
        Kind = DerResourceId.TryParse(resourceId, out var id) ? id.Value.Kind : throw new ArgumentException(resourceId),
        Reports = ["TELEMETRY_STATUS", "TELEMETRY_USAGE"],
        RIds = [resourceId + "/power", resourceId + "/status"],
        RatedPowerW = rated,
        CapacityWh = capacity,
        Controllable = controllable,
    };

    [Fact]
    public async Task Setting_devices_adds_changes_and_removes_and_logs_each_once()
    {
        await Registry.RegisterHomeAsync("h1", "ven-1", new HomeLocation(51.44, 5.47, "5611"), T0, Ct);
        var added = await Registry.SetDevicesAsync("h1", [Der("h1", "HeatPump.main", 2500), Der("h1", "Battery.main", 5000, 10000)], T0, Ct);
        Assert.Equal([RegistryEventKind.DeviceAdded, RegistryEventKind.DeviceAdded], added.Select(e => e.Kind));
        Assert.Empty(await Registry.SetDevicesAsync("h1", [Der("h1", "HeatPump.main", 2500), Der("h1", "Battery.main", 5000, 10000)], T0, Ct));

        var changed = await Registry.SetDevicesAsync("h1", [Der("h1", "HeatPump.main", 3000)], T0.AddMinutes(1), Ct);
        Assert.Equal([(RegistryEventKind.DeviceChanged, "HeatPump.main"), (RegistryEventKind.DeviceRemoved, "Battery.main")],
            changed.Select(e => (e.Kind, e.ResourceId!)));
        Assert.Equal(3000, (await Registry.GetDerAsync("h1", "HeatPump.main", Ct))!.RatedPowerW);
        Assert.Null(await Registry.GetDerAsync("h1", "Battery.main", Ct));
        var log = await Registry.ReadLogAsync(cancellationToken: Ct);
        Assert.Equal(Enumerable.Range(1, log.Count).Select(i => (long)i), log.Select(e => e.Sequence));
    }

    [Fact]
    public async Task Status_change_is_logged_only_when_online_override_or_load_control_changes()
    {
        await Registry.RegisterHomeAsync("h1", "ven-1", null, T0, Ct);
        await Registry.SetDevicesAsync("h1", [Der("h1", "HeatPump.main", 2500)], T0, Ct);
        var first = await Registry.UpdateStatusAsync("h1", new Dictionary<string, DerStatus> { ["HeatPump.main"] = new() { Online = true, ManualOverride = false, PowerW = 800 } }, T0, Ct);
        Assert.Single(first);
        var same = await Registry.UpdateStatusAsync("h1", new Dictionary<string, DerStatus> { ["HeatPump.main"] = new() { Online = true, ManualOverride = false, PowerW = 900 } }, T0, Ct);
        Assert.Empty(same);
        Assert.Equal(900, (await Registry.GetDerAsync("h1", "HeatPump.main", Ct))!.Status.PowerW);
        var overridden = await Registry.UpdateStatusAsync("h1", new Dictionary<string, DerStatus> { ["HeatPump.main"] = new() { Online = true, ManualOverride = true, LoadControlState = "levelOffset=1" } }, T0, Ct);
        var entry = Assert.Single(overridden);
        Assert.Contains("manualOverride=true", entry.Detail, StringComparison.Ordinal);
        Assert.Contains("levelOffset=1", entry.Detail, StringComparison.Ordinal);
        var der = (await Registry.GetDerAsync("h1", "HeatPump.main", Ct))!;
        Assert.False(der.Available);
        Assert.Equal(900, der.Status.PowerW);
    }

    [Fact]
    public async Task Silent_home_times_out_after_the_cutoff_and_comes_back_when_heard()
    {
        await Registry.RegisterHomeAsync("h1", "ven-1", null, T0, Ct);
        await Registry.RegisterHomeAsync("h2", "ven-2", null, T0, Ct);
        await Registry.SetDevicesAsync("h1", [Der("h1", "HeatPump.main", 2500), Der("h1", "Light.hall", 60)], T0, Ct);
        await Registry.SetDevicesAsync("h2", [Der("h2", "HeatPump.main", 2500)], T0, Ct);
        await Registry.MarkHeardAsync(new Dictionary<string, DateTimeOffset> { ["ven-2"] = T0.AddSeconds(25) }, Ct);

        Assert.Empty(await Registry.TimeOutAsync(T0.AddSeconds(-1), T0.AddSeconds(29), Ct));
        var timedOut = await Registry.TimeOutAsync(T0.AddSeconds(1), T0.AddSeconds(31), Ct);
        Assert.Equal([("h1", "HeatPump.main"), ("h1", "Light.hall")], timedOut.Select(e => (e.HomeId, e.ResourceId!)));
        Assert.All(timedOut, e => Assert.Equal(RegistryEventKind.TimedOut, e.Kind));
        Assert.Empty(await Registry.TimeOutAsync(T0.AddSeconds(1), T0.AddSeconds(32), Ct));
        Assert.Equal(DerState.TimedOut, (await Registry.GetHomeAsync("h1", Ct))!.State);
        Assert.Equal(DerState.Online, (await Registry.GetHomeAsync("h2", Ct))!.State);

        var back = await Registry.MarkHeardAsync(new Dictionary<string, DateTimeOffset> { ["ven-1"] = T0.AddSeconds(40) }, Ct);
        Assert.Equal([RegistryEventKind.BackOnline, RegistryEventKind.BackOnline], back.Select(e => e.Kind));
        Assert.All(await Registry.QueryDersAsync(new DerQuery { HomeIds = ["h1"] }, Ct), d => Assert.Equal(DerState.Online, d.State));
        Assert.Empty(await Registry.MarkHeardAsync(new Dictionary<string, DateTimeOffset> { ["ven-1"] = T0.AddSeconds(41) }, Ct));
    }

    [Fact]
    public async Task Search_combines_kind_capability_storage_location_and_homes()
    {
        await Registry.RegisterHomeAsync("eindhoven", "ven-1", new HomeLocation(51.4416, 5.4697, "5611"), T0, Ct);
        await Registry.RegisterHomeAsync("amsterdam", "ven-2", new HomeLocation(52.3676, 4.9041, "1012"), T0, Ct);
        await Registry.SetDevicesAsync("eindhoven", [Der("eindhoven", "HeatPump.main", 2500), Der("eindhoven", "Battery.main", 5000, 10000), Der("eindhoven", "Photovoltaic.roof", -4000, 0, false)], T0, Ct);
        await Registry.SetDevicesAsync("amsterdam", [Der("amsterdam", "HeatPump.main", 1500), Der("amsterdam", "EvCharger.street", 11000, 50000)], T0, Ct);

        Assert.Equal(["amsterdam", "eindhoven"], (await Registry.QueryDersAsync(new DerQuery { Kind = DerKind.HeatPump }, Ct)).Select(d => d.HomeId));
        Assert.Equal(["EvCharger.street", "Battery.main"], (await Registry.QueryDersAsync(new DerQuery { HasStorage = true }, Ct)).Select(d => d.ResourceId));
        // Production counts by magnitude.
        Assert.Equal(["EvCharger.street", "Battery.main", "Photovoltaic.roof"],
            (await Registry.QueryDersAsync(new DerQuery { MinRatedPowerW = 4000 }, Ct)).Select(d => d.ResourceId));
        Assert.Equal(["Battery.main", "HeatPump.main"], (await Registry.QueryDersAsync(new DerQuery { Controllable = true, Postcode = "5611" }, Ct)).Select(d => d.ResourceId));
        var near = await Registry.QueryDersAsync(new DerQuery { NearLatitude = 51.45, NearLongitude = 5.48, WithinKm = 3 }, Ct);
        Assert.All(near, d => Assert.Equal("eindhoven", d.HomeId));
        Assert.Equal(3, near.Count);
        Assert.Equal(5, (await Registry.QueryDersAsync(new DerQuery { NearLatitude = 51.45, NearLongitude = 5.48, WithinKm = 120 }, Ct)).Count);
        Assert.Empty(await Registry.QueryDersAsync(new DerQuery { HomeIds = [] }, Ct));
        Assert.Equal(2, (await Registry.QueryDersAsync(new DerQuery { HomeIds = ["amsterdam"] }, Ct)).Count);
    }

    [Fact]
    public async Task Initializing_an_existing_store_again_keeps_its_data_and_schema_version()
    {
        await Registry.RegisterHomeAsync("h1", "ven-1", null, T0, Ct);
        Assert.Equal(2, await _store.GetSchemaVersionAsync(Ct));
        await _store.DisposeAsync();
        _store = new SqliteReferenceStore(_dir);
        await _store.InitializeAsync(Ct);
        await _store.InitializeAsync(Ct);
        Assert.Equal(2, await _store.GetSchemaVersionAsync(Ct));
        Assert.NotNull(await Registry.GetHomeAsync("h1", Ct));
        Assert.Single(await Registry.ReadLogAsync(cancellationToken: Ct));
    }

    [Fact]
    public async Task Secret_is_created_once_and_the_first_value_wins()
    {
        var first = await _store.Identity.GetOrCreateSecretAsync("s", () => "one", T0, Ct);
        var second = await _store.Identity.GetOrCreateSecretAsync("s", () => "two", T0, Ct);
        Assert.Equal("one", first);
        Assert.Equal("one", second);
    }

    [Fact]
    public async Task Store_at_schema_version_1_is_migrated_to_2_keeping_its_homes_and_ders()
    {
        await Registry.RegisterHomeAsync("h1", "ven-1", null, T0, Ct);
        await Registry.SetDevicesAsync("h1", [Der("h1", "HeatPump.main", 2500)], T0, Ct);
        await _store.DisposeAsync();
        // Back to what version 1 created: no reported_at column, version 1 recorded.
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_dir, "registry.db")}"))
        {
            await connection.OpenAsync(Ct);
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "DROP INDEX ders_state; ALTER TABLE ders DROP COLUMN reported_at; UPDATE schema_version SET version = 1 WHERE component = 'registry';";
            await cmd.ExecuteNonQueryAsync(Ct);
        }
        _store = new SqliteReferenceStore(_dir);
        await _store.InitializeAsync(Ct);
        Assert.Equal(2, await _store.GetSchemaVersionAsync(Ct));
        var der = await Registry.GetDerAsync("h1", "HeatPump.main", Ct);
        Assert.NotNull(der);
        Assert.Null(der.Status.ReportedAt);
        await Registry.UpdateStatusAsync("h1", new Dictionary<string, DerStatus> { ["HeatPump.main"] = new() { Online = true } }, T0.AddMinutes(1), Ct);
        Assert.Equal(T0.AddMinutes(1), (await Registry.GetDerAsync("h1", "HeatPump.main", Ct))!.Status.ReportedAt);
    }

    [Fact]
    public async Task Batched_status_of_many_homes_logs_changes_once_and_marks_every_der_reported()
    {
        for (var i = 0; i < 3; i++)
        {
            await Registry.RegisterHomeAsync($"h{i}", $"ven-{i}", null, T0, Ct);
            await Registry.SetDevicesAsync($"h{i}", [Der($"h{i}", "HeatPump.main", 2500), Der($"h{i}", "Battery.main", 5000, 10000)], T0, Ct);
        }
        IReadOnlyDictionary<string, DerStatus> Report(bool online) => new Dictionary<string, DerStatus>
        {
            ["HeatPump.main"] = new() { Online = online, ManualOverride = false, PowerW = 1200 },
            ["Battery.main"] = new() { PowerW = -300 },
            ["Unknown.device"] = new() { Online = true },
        };
        var batch = Enumerable.Range(0, 3).ToDictionary(i => $"h{i}", i => Report(i != 1));
        var first = await Registry.UpdateStatusesAsync(batch, T0.AddSeconds(10), Ct);
        // One StatusChanged per heat pump (online/override learnt); power alone is no status change; unknown devices are ignored.
        Assert.Equal(["h0", "h1", "h2"], first.Select(e => e.HomeId));
        Assert.All(first, e => Assert.Equal((RegistryEventKind.StatusChanged, "HeatPump.main"), (e.Kind, e.ResourceId)));
        Assert.Empty(await Registry.UpdateStatusesAsync(batch, T0.AddSeconds(20), Ct));

        var ders = await Registry.QueryDersAsync(new DerQuery(), Ct);
        Assert.Equal(6, ders.Count);
        Assert.All(ders, d => Assert.Equal(T0.AddSeconds(20), d.Status.ReportedAt));
        Assert.Equal(-300, (await Registry.GetDerAsync("h2", "Battery.main", Ct))!.Status.PowerW);
        Assert.False((await Registry.GetDerAsync("h1", "HeatPump.main", Ct))!.Status.Online);

        var summary = await Registry.SummarizeAsync(T0.AddSeconds(15), Ct);
        Assert.Equal((3L, 6L, 6L, 0L), (summary.Homes, summary.Ders, summary.Online, summary.TimedOut));
        // Heard at registration (T0), reported at T0+20 s: current only for a window reaching back to T0.
        Assert.Equal(0, summary.Current);
        Assert.Equal(6, (await Registry.SummarizeAsync(T0, Ct)).Current);
        Assert.Equal(T0, summary.OldestHeard);
        Assert.Equal(T0.AddSeconds(20), summary.OldestReport);

        await Registry.MarkHeardAsync(new Dictionary<string, DateTimeOffset> { ["ven-0"] = T0.AddSeconds(20), ["ven-1"] = T0.AddSeconds(20), ["ven-2"] = T0.AddSeconds(20) }, Ct);
        Assert.Equal(6, (await Registry.SummarizeAsync(T0.AddSeconds(15), Ct)).Current);
        await Registry.TimeOutAsync(T0.AddSeconds(30), T0.AddSeconds(30), Ct);
        var timedOut = await Registry.SummarizeAsync(T0.AddSeconds(15), Ct);
        Assert.Equal((0L, 6L, 0L), (timedOut.Online, timedOut.TimedOut, timedOut.Current));
    }
}
