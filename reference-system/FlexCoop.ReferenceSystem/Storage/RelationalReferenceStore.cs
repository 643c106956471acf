using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using FlexCoop.OpenAdr.Vtn.Storage;
using FlexCoop.ReferenceSystem.Contracts;
using FlexCoop.ReferenceSystem.Registry;
using Microsoft.EntityFrameworkCore;

namespace FlexCoop.ReferenceSystem.Storage;

/// <summary>
/// The registry and identity tables on SQLite or PostgreSQL: the same statements on both (times
/// are Unix milliseconds, flags 0/1, lists JSON text); the subclasses open connections and
/// transactions and name the column types.
/// </summary>
public abstract class RelationalReferenceStore : IReferenceStore, IRegistryRepository, IIdentityRepository
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private protected RelationalReferenceStore()
    {
    }

    public abstract IVtnStore Vtn { get; }

    public IRegistryRepository Registry => this;

    public IIdentityRepository Identity => this;

    public abstract void ConfigureIdentityDatabase(DbContextOptionsBuilder builder);

    private protected abstract ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);

    private protected abstract ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Serialises writers in this process (SQLite); null when the database handles it.</summary>
    private protected virtual ValueTask<IDisposable?> EnterWriteAsync(CancellationToken cancellationToken) => ValueTask.FromResult<IDisposable?>(null);

    /// <summary>The schema migrations in order: step N brings the registry schema from version N to N + 1.</summary>
    private protected abstract IReadOnlyList<IReadOnlyList<string>> Migrations { get; }

    /// <summary>Dialect work before the tables (PostgreSQL: schema and a lock against nodes starting together).</summary>
    private protected virtual Task PrepareAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Creates the identity database's tables unless they exist.</summary>
    private protected abstract Task InitializeIdentityDatabaseAsync(CancellationToken cancellationToken);

    public virtual async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await Vtn.InitializeAsync(cancellationToken);
        await WriteAsync(async (c, tx, ct) =>
        {
            await PrepareAsync(c, tx, ct);
            await ExecAsync(c, tx, "CREATE TABLE IF NOT EXISTS schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL)", ct);
            var current = await ScalarInAsync(c, tx, "SELECT version FROM schema_version WHERE component = 'registry'", ct);
            var version = current is null ? 0 : Convert.ToInt32(current, CultureInfo.InvariantCulture);
            if (version > Migrations.Count)
            {
                throw new ReferenceStoreException($"the store's registry schema is version {version}; this build knows up to {Migrations.Count}: upgrade flexcoop");
            }
            // Each step runs once, in order, in this transaction; a node starting on an older store brings it up to date.
            for (var step = version; step < Migrations.Count; step++)
            {
                foreach (var statement in Migrations[step]) await ExecAsync(c, tx, statement, ct);
            }
            await ExecAsync(c, tx, """
                INSERT INTO schema_version (component, version) VALUES ('registry', @v)
                ON CONFLICT (component) DO UPDATE SET version = excluded.version
                """, ct, ("v", (long)Migrations.Count));
            return true;
        }, cancellationToken);
        await InitializeIdentityDatabaseAsync(cancellationToken);
    }

    public abstract ValueTask DisposeAsync();

    /// <summary>Version 1: the table definitions with the dialect's types.</summary>
    private protected static IReadOnlyList<string> Tables(string text, string integer, string real, string identity) =>
    [
        $"CREATE TABLE IF NOT EXISTS secrets (name {text} PRIMARY KEY, value {text} NOT NULL, created_at {integer} NOT NULL)",
        $"""
        CREATE TABLE IF NOT EXISTS accounts (user_name {text} PRIMARY KEY, role {text} NOT NULL, home_ids {text} NOT NULL,
            password_hash {text} NOT NULL, updated_at {integer} NOT NULL)
        """,
        $"""
        CREATE TABLE IF NOT EXISTS enrolments (home_id {text} PRIMARY KEY, fingerprint {text} NOT NULL, serial_number {text} NOT NULL,
            enrolled_by {text} NOT NULL, location {text}, devices {text} NOT NULL, enrolled_at {integer} NOT NULL)
        """,
        $"""
        CREATE TABLE IF NOT EXISTS access_log (id {identity}, at {integer} NOT NULL, subject {text}, role {text}, method {text} NOT NULL,
            path {text} NOT NULL, status {integer} NOT NULL, reason {text} NOT NULL)
        """,
        $"""
        CREATE TABLE IF NOT EXISTS homes (home_id {text} PRIMARY KEY, ven_id {text}, latitude {real}, longitude {real}, postcode {text},
            state {integer} NOT NULL, registered_at {integer} NOT NULL, last_heard {integer} NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS homes_ven ON homes (ven_id)",
        "CREATE INDEX IF NOT EXISTS homes_heard ON homes (state, last_heard)",
        $"""
        CREATE TABLE IF NOT EXISTS ders (home_id {text} NOT NULL, resource_id {text} NOT NULL, kind {text} NOT NULL, reports {text} NOT NULL,
            r_ids {text} NOT NULL, rated_power_w {real}, capacity_wh {real}, controllable {integer} NOT NULL, state {integer} NOT NULL,
            reported_online {integer}, manual_override {integer}, load_control {text}, power_w {real}, status_at {integer},
            added_at {integer} NOT NULL, PRIMARY KEY (home_id, resource_id))
        """,
        "CREATE INDEX IF NOT EXISTS ders_kind ON ders (kind)",
        $"""
        CREATE TABLE IF NOT EXISTS registry_log (seq {identity}, at {integer} NOT NULL, kind {text} NOT NULL, home_id {text} NOT NULL,
            resource_id {text}, detail {text} NOT NULL)
        """,
    ];

    /// <summary>Version 2: when each DER's status or power was last reported (keep-alive of the status itself, not only of the home).</summary>
    private protected static IReadOnlyList<string> StatusFreshness(string integer) =>
    [
        $"ALTER TABLE ders ADD COLUMN reported_at {integer}",
        "CREATE INDEX IF NOT EXISTS ders_state ON ders (state, reported_at)",
    ];

    // ---- registry ----

    public Task<IReadOnlyList<RegistryEvent>> RegisterHomeAsync(string homeId, string venId, HomeLocation? location, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        WriteAsync(async (c, tx, ct) =>
        {
            var log = new List<RegistryEvent>();
            var before = await ScalarInAsync(c, tx, "SELECT state FROM homes WHERE home_id = @h", ct, ("h", homeId));
            var wasTimedOut = before is not null && (DerState)Convert.ToInt64(before, CultureInfo.InvariantCulture) == DerState.TimedOut;
            var timedOut = wasTimedOut
                ? await QueryInAsync(c, tx, "SELECT resource_id FROM ders WHERE home_id = @h AND state = @t ORDER BY resource_id", r => r.GetString(0), ct,
                    ("h", homeId), ("t", (long)DerState.TimedOut))
                : [];
            await ExecAsync(c, tx, """
                INSERT INTO homes (home_id, ven_id, latitude, longitude, postcode, state, registered_at, last_heard)
                VALUES (@h, @v, @lat, @lon, @pc, @s, @now, @now)
                ON CONFLICT (home_id) DO UPDATE SET ven_id = excluded.ven_id, latitude = excluded.latitude, longitude = excluded.longitude,
                    postcode = excluded.postcode, state = excluded.state, registered_at = excluded.registered_at, last_heard = excluded.last_heard
                """, ct, ("h", homeId), ("v", venId), ("lat", location?.Latitude), ("lon", location?.Longitude), ("pc", location?.Postcode),
                ("s", (long)DerState.Online), ("now", Ms(now)));
            await ExecAsync(c, tx, "UPDATE ders SET state = @s WHERE home_id = @h", ct, ("s", (long)DerState.Online), ("h", homeId));
            log.Add(await AppendInAsync(c, tx, RegistryEventKind.Registered, homeId, null, $"venID {venId}", now, ct));
            foreach (var resourceId in timedOut)
            {
                log.Add(await AppendInAsync(c, tx, RegistryEventKind.BackOnline, homeId, resourceId, "registered again", now, ct));
            }
            return (IReadOnlyList<RegistryEvent>)log;
        }, cancellationToken);

    public Task<IReadOnlyList<RegistryEvent>> SetDevicesAsync(string homeId, IReadOnlyList<DerRecord> devices, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(devices);
        return WriteAsync(async (c, tx, ct) =>
        {
            var log = new List<RegistryEvent>();
            var existing = (await QueryInAsync(c, tx, $"SELECT {DerColumns} FROM ders d LEFT JOIN homes h ON h.home_id = d.home_id WHERE d.home_id = @h", ReadDer, ct, ("h", homeId)))
                .ToDictionary(d => d.ResourceId, StringComparer.Ordinal);
            var state = await ScalarInAsync(c, tx, "SELECT state FROM homes WHERE home_id = @h", ct, ("h", homeId));
            var homeState = state is null ? DerState.Online : (DerState)Convert.ToInt64(state, CultureInfo.InvariantCulture);
            foreach (var device in devices)
            {
                var reports = JsonSerializer.Serialize(device.Reports, Json);
                var rIds = JsonSerializer.Serialize(device.RIds, Json);
                if (existing.Remove(device.ResourceId, out var old))
                {
                    if (old.RatedPowerW == device.RatedPowerW && old.CapacityWh == device.CapacityWh && old.Controllable == device.Controllable
                        && old.Reports.SequenceEqual(device.Reports) && old.RIds.SequenceEqual(device.RIds))
                    {
                        continue;
                    }
                    await ExecAsync(c, tx, """
                        UPDATE ders SET reports = @rep, r_ids = @rids, rated_power_w = @p, capacity_wh = @cap, controllable = @ctl
                        WHERE home_id = @h AND resource_id = @r
                        """, ct, ("rep", reports), ("rids", rIds), ("p", device.RatedPowerW), ("cap", device.CapacityWh),
                        ("ctl", Flag(device.Controllable)), ("h", homeId), ("r", device.ResourceId));
                    log.Add(await AppendInAsync(c, tx, RegistryEventKind.DeviceChanged, homeId, device.ResourceId, Describe(device), now, ct));
                }
                else
                {
                    await ExecAsync(c, tx, """
                        INSERT INTO ders (home_id, resource_id, kind, reports, r_ids, rated_power_w, capacity_wh, controllable, state, added_at)
                        VALUES (@h, @r, @k, @rep, @rids, @p, @cap, @ctl, @s, @now)
                        """, ct, ("h", homeId), ("r", device.ResourceId), ("k", device.Kind.ToString()), ("rep", reports), ("rids", rIds),
                        ("p", device.RatedPowerW), ("cap", device.CapacityWh), ("ctl", Flag(device.Controllable)), ("s", (long)homeState), ("now", Ms(now)));
                    log.Add(await AppendInAsync(c, tx, RegistryEventKind.DeviceAdded, homeId, device.ResourceId, Describe(device), now, ct));
                }
            }
            foreach (var gone in existing.Keys)
            {
                await ExecAsync(c, tx, "DELETE FROM ders WHERE home_id = @h AND resource_id = @r", ct, ("h", homeId), ("r", gone));
                log.Add(await AppendInAsync(c, tx, RegistryEventKind.DeviceRemoved, homeId, gone, "no longer announced", now, ct));
            }
            return (IReadOnlyList<RegistryEvent>)log;
        }, cancellationToken);
    }

    private static string Describe(DerRecord d) => string.Create(CultureInfo.InvariantCulture,
        $"{d.Kind}, rated {d.RatedPowerW?.ToString(CultureInfo.InvariantCulture) ?? "?"} W, capacity {d.CapacityWh?.ToString(CultureInfo.InvariantCulture) ?? "?"} Wh, {(d.Controllable ? "controllable" : "not controllable")}, reports {string.Join('+', d.Reports)}");

    public Task<IReadOnlyList<RegistryEvent>> UpdateStatusAsync(string homeId, IReadOnlyDictionary<string, DerStatus> statuses, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        return UpdateStatusesAsync(new Dictionary<string, IReadOnlyDictionary<string, DerStatus>>(StringComparer.Ordinal) { [homeId] = statuses }, now, cancellationToken);
    }

    public Task<IReadOnlyList<RegistryEvent>> UpdateStatusesAsync(IReadOnlyDictionary<string, IReadOnlyDictionary<string, DerStatus>> statusesByHome, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(statusesByHome);
        if (statusesByHome.Count == 0) return Task.FromResult<IReadOnlyList<RegistryEvent>>([]);
        return WriteAsync(async (c, tx, ct) =>
        {
            var log = new List<RegistryEvent>();
            // One transaction and one prepared statement of each kind for the whole batch.
            await using var select = new ReusableCommand(c, tx, "SELECT resource_id, reported_online, manual_override, load_control, power_w, status_at FROM ders WHERE home_id = @h", "h");
            await using var update = new ReusableCommand(c, tx, """
                UPDATE ders SET reported_online = @on, manual_override = @mo, load_control = @lc, power_w = @pw, status_at = @at, reported_at = @rep
                WHERE home_id = @h AND resource_id = @r
                """, "on", "mo", "lc", "pw", "at", "rep", "h", "r");
            foreach (var (homeId, statuses) in statusesByHome)
            {
                var existing = await select.QueryAsync(r => (ResourceId: r.GetString(0), Status: new DerStatus
                {
                    Online = r.IsDBNull(1) ? null : r.GetInt64(1) != 0,
                    ManualOverride = r.IsDBNull(2) ? null : r.GetInt64(2) != 0,
                    LoadControlState = Str(r, 3),
                    PowerW = r.IsDBNull(4) ? null : r.GetDouble(4),
                    UpdatedAt = r.IsDBNull(5) ? null : FromMs(r.GetInt64(5)),
                }), ct, homeId);
                var byResource = existing.ToDictionary(x => x.ResourceId, x => x.Status, StringComparer.Ordinal);
                foreach (var (resourceId, update1) in statuses)
                {
                    if (!byResource.TryGetValue(resourceId, out var old)) continue;
                    var merged = new DerStatus
                    {
                        Online = update1.Online ?? old.Online,
                        ManualOverride = update1.ManualOverride ?? old.ManualOverride,
                        LoadControlState = update1.Online is null ? old.LoadControlState : update1.LoadControlState,
                        PowerW = update1.PowerW ?? old.PowerW,
                    };
                    var changed = merged.Online != old.Online || merged.ManualOverride != old.ManualOverride
                        || !string.Equals(merged.LoadControlState, old.LoadControlState, StringComparison.Ordinal);
                    await update.ExecAsync(ct, merged.Online is { } o ? Flag(o) : null, merged.ManualOverride is { } m ? Flag(m) : null,
                        merged.LoadControlState, merged.PowerW, changed ? Ms(now) : (old.UpdatedAt is { } u ? Ms(u) : Ms(now)), Ms(now), homeId, resourceId);
                    if (changed)
                    {
                        var detail = $"online={Text(merged.Online)}, manualOverride={Text(merged.ManualOverride)}" +
                            (merged.LoadControlState is { } lc ? $", {lc}" : "");
                        log.Add(await AppendInAsync(c, tx, RegistryEventKind.StatusChanged, homeId, resourceId, detail, now, ct));
                    }
                }
            }
            return (IReadOnlyList<RegistryEvent>)log;
        }, cancellationToken);
    }

    private static string Text(bool? b) => b is null ? "unknown" : b.Value ? "true" : "false";

    public Task<IReadOnlyList<RegistryEvent>> MarkHeardAsync(IReadOnlyDictionary<string, DateTimeOffset> heardByVenId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(heardByVenId);
        if (heardByVenId.Count == 0) return Task.FromResult<IReadOnlyList<RegistryEvent>>([]);
        return WriteAsync(async (c, tx, ct) =>
        {
            var log = new List<RegistryEvent>();
            // The common case, an online home heard again, is one prepared UPDATE; only a home that
            // is not online (or already marked later by another node) is looked at further.
            await using var touch = new ReusableCommand(c, tx, "UPDATE homes SET last_heard = @at WHERE ven_id = @v AND state = @s AND last_heard < @at", "at", "v", "s");
            await using var timedOut = new ReusableCommand(c, tx, "SELECT home_id FROM homes WHERE ven_id = @v AND state = @t", "v", "t");
            foreach (var (venId, at) in heardByVenId)
            {
                if (await touch.ExecAsync(ct, Ms(at), venId, (long)DerState.Online) > 0) continue;
                foreach (var homeId in await timedOut.QueryAsync(r => r.GetString(0), ct, venId, (long)DerState.TimedOut))
                {
                    await ExecAsync(c, tx, "UPDATE homes SET state = @s, last_heard = @at WHERE home_id = @h", ct, ("s", (long)DerState.Online), ("at", Ms(at)), ("h", homeId));
                    var ders = await QueryInAsync(c, tx, "SELECT resource_id FROM ders WHERE home_id = @h AND state = @t ORDER BY resource_id", r => r.GetString(0), ct,
                        ("h", homeId), ("t", (long)DerState.TimedOut));
                    await ExecAsync(c, tx, "UPDATE ders SET state = @s WHERE home_id = @h AND state = @t", ct, ("s", (long)DerState.Online), ("h", homeId), ("t", (long)DerState.TimedOut));
                    foreach (var resourceId in ders)
                    {
                        log.Add(await AppendInAsync(c, tx, RegistryEventKind.BackOnline, homeId, resourceId, "heard from again", at, ct));
                    }
                }
            }
            return (IReadOnlyList<RegistryEvent>)log;
        }, cancellationToken);
    }

    public async Task<RegistrySummary> SummarizeAsync(DateTimeOffset currentSince, CancellationToken cancellationToken = default)
    {
        var rows = await QueryAsync("""
            SELECT COUNT(DISTINCT d.home_id), COUNT(*),
                COALESCE(SUM(CASE WHEN d.state = @on THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN d.state = @to THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN d.state = @on AND h.last_heard >= @cut AND d.reported_at >= @cut THEN 1 ELSE 0 END), 0),
                MIN(CASE WHEN d.state = @on THEN h.last_heard END),
                MIN(CASE WHEN d.state = @on THEN COALESCE(d.reported_at, 0) END)
            FROM ders d JOIN homes h ON h.home_id = d.home_id WHERE d.state <> @dereg
            """, r => new RegistrySummary
            {
                Homes = r.GetInt64(0),
                Ders = r.GetInt64(1),
                Online = r.GetInt64(2),
                TimedOut = r.GetInt64(3),
                Current = r.GetInt64(4),
                CurrentSince = currentSince,
                OldestHeard = r.IsDBNull(5) ? null : FromMs(r.GetInt64(5)),
                OldestReport = r.IsDBNull(6) ? null : FromMs(r.GetInt64(6)),
            }, cancellationToken, ("on", (long)DerState.Online), ("to", (long)DerState.TimedOut), ("dereg", (long)DerState.Deregistered), ("cut", Ms(currentSince)));
        return rows[0];
    }

    public Task<IReadOnlyList<RegistryEvent>> TimeOutAsync(DateTimeOffset cutoff, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        WriteAsync(async (c, tx, ct) =>
        {
            var log = new List<RegistryEvent>();
            var silent = await QueryInAsync(c, tx, "SELECT home_id, last_heard FROM homes WHERE state = @s AND last_heard < @cut ORDER BY home_id",
                r => (r.GetString(0), FromMs(r.GetInt64(1))), ct, ("s", (long)DerState.Online), ("cut", Ms(cutoff)));
            foreach (var (homeId, lastHeard) in silent)
            {
                // Conditional: another node may have heard the home or timed it out meanwhile.
                var n = await ExecAsync(c, tx, "UPDATE homes SET state = @t WHERE home_id = @h AND state = @s AND last_heard < @cut", ct,
                    ("t", (long)DerState.TimedOut), ("h", homeId), ("s", (long)DerState.Online), ("cut", Ms(cutoff)));
                if (n == 0) continue;
                var ders = await QueryInAsync(c, tx, "SELECT resource_id FROM ders WHERE home_id = @h AND state = @s ORDER BY resource_id", r => r.GetString(0), ct,
                    ("h", homeId), ("s", (long)DerState.Online));
                await ExecAsync(c, tx, "UPDATE ders SET state = @t WHERE home_id = @h AND state = @s", ct, ("t", (long)DerState.TimedOut), ("h", homeId), ("s", (long)DerState.Online));
                var detail = "last heard " + lastHeard.ToString("O", CultureInfo.InvariantCulture);
                foreach (var resourceId in ders)
                {
                    log.Add(await AppendInAsync(c, tx, RegistryEventKind.TimedOut, homeId, resourceId, detail, now, ct));
                }
            }
            return (IReadOnlyList<RegistryEvent>)log;
        }, cancellationToken);

    public Task<IReadOnlyList<RegistryEvent>> DeregisterAsync(string venId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        WriteAsync(async (c, tx, ct) =>
        {
            var log = new List<RegistryEvent>();
            var homes = await QueryInAsync(c, tx, "SELECT home_id FROM homes WHERE ven_id = @v AND state <> @d", r => r.GetString(0), ct,
                ("v", venId), ("d", (long)DerState.Deregistered));
            foreach (var homeId in homes)
            {
                await ExecAsync(c, tx, "UPDATE homes SET state = @d WHERE home_id = @h", ct, ("d", (long)DerState.Deregistered), ("h", homeId));
                await ExecAsync(c, tx, "UPDATE ders SET state = @d WHERE home_id = @h", ct, ("d", (long)DerState.Deregistered), ("h", homeId));
                log.Add(await AppendInAsync(c, tx, RegistryEventKind.Deregistered, homeId, null, $"venID {venId}", now, ct));
            }
            return (IReadOnlyList<RegistryEvent>)log;
        }, cancellationToken);

    public Task<RegistryEvent> AppendAsync(RegistryEventKind kind, string homeId, string? resourceId, string detail, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        WriteAsync((c, tx, ct) => AppendInAsync(c, tx, kind, homeId, resourceId, detail, now, ct), cancellationToken);

    private static async Task<RegistryEvent> AppendInAsync(DbConnection c, DbTransaction tx, RegistryEventKind kind, string homeId, string? resourceId, string detail, DateTimeOffset at, CancellationToken ct)
    {
        var seq = await ScalarInAsync(c, tx, "INSERT INTO registry_log (at, kind, home_id, resource_id, detail) VALUES (@at, @k, @h, @r, @d) RETURNING seq", ct,
            ("at", Ms(at)), ("k", kind.ToString()), ("h", homeId), ("r", resourceId), ("d", detail));
        return new RegistryEvent(Convert.ToInt64(seq, CultureInfo.InvariantCulture), FromMs(Ms(at)), kind, homeId, resourceId, detail);
    }

    private const string HomeColumns = "home_id, ven_id, latitude, longitude, postcode, state, registered_at, last_heard";

    private static HomeRecord ReadHome(DbDataReader r) => new()
    {
        HomeId = r.GetString(0),
        VenId = Str(r, 1),
        Location = ReadLocation(r, 2),
        State = (DerState)r.GetInt64(5),
        RegisteredAt = FromMs(r.GetInt64(6)),
        LastHeard = FromMs(r.GetInt64(7)),
    };

    private static HomeLocation? ReadLocation(DbDataReader r, int i)
    {
        double? lat = r.IsDBNull(i) ? null : r.GetDouble(i);
        double? lon = r.IsDBNull(i + 1) ? null : r.GetDouble(i + 1);
        var pc = Str(r, i + 2);
        return lat is null && lon is null && pc is null ? null : new HomeLocation(lat, lon, pc);
    }

    public async Task<HomeRecord?> GetHomeAsync(string homeId, CancellationToken cancellationToken = default) =>
        (await QueryAsync($"SELECT {HomeColumns} FROM homes WHERE home_id = @h", ReadHome, cancellationToken, ("h", homeId))).FirstOrDefault();

    public async Task<HomeRecord?> GetHomeByVenAsync(string venId, CancellationToken cancellationToken = default) =>
        (await QueryAsync($"SELECT {HomeColumns} FROM homes WHERE ven_id = @v", ReadHome, cancellationToken, ("v", venId))).FirstOrDefault();

    private const string DerColumns =
        "d.home_id, d.resource_id, d.kind, d.reports, d.r_ids, d.rated_power_w, d.capacity_wh, d.controllable, d.state, d.reported_online, " +
        "d.manual_override, d.load_control, d.power_w, d.status_at, d.added_at, h.latitude, h.longitude, h.postcode, h.last_heard, d.reported_at";

    private static DerRecord ReadDer(DbDataReader r) => new()
    {
        HomeId = r.GetString(0),
        ResourceId = r.GetString(1),
        Kind = Enum.Parse<DerKind>(r.GetString(2)),
        Reports = JsonSerializer.Deserialize<List<string>>(r.GetString(3), Json) ?? [],
        RIds = JsonSerializer.Deserialize<List<string>>(r.GetString(4), Json) ?? [],
        RatedPowerW = r.IsDBNull(5) ? null : r.GetDouble(5),
        CapacityWh = r.IsDBNull(6) ? null : r.GetDouble(6),
        Controllable = r.GetInt64(7) != 0,
        State = (DerState)r.GetInt64(8),
        Status = new DerStatus
        {
            Online = r.IsDBNull(9) ? null : r.GetInt64(9) != 0,
            ManualOverride = r.IsDBNull(10) ? null : r.GetInt64(10) != 0,
            LoadControlState = Str(r, 11),
            PowerW = r.IsDBNull(12) ? null : r.GetDouble(12),
            UpdatedAt = r.IsDBNull(13) ? null : FromMs(r.GetInt64(13)),
            ReportedAt = r.IsDBNull(19) ? null : FromMs(r.GetInt64(19)),
        },
        AddedAt = FromMs(r.GetInt64(14)),
        Location = ReadLocation(r, 15),
        LastHeard = r.IsDBNull(18) ? default : FromMs(r.GetInt64(18)),
    };

    public async Task<DerRecord?> GetDerAsync(string homeId, string resourceId, CancellationToken cancellationToken = default) =>
        (await QueryAsync($"SELECT {DerColumns} FROM ders d LEFT JOIN homes h ON h.home_id = d.home_id WHERE d.home_id = @h AND d.resource_id = @r",
            ReadDer, cancellationToken, ("h", homeId), ("r", resourceId))).FirstOrDefault();

    public async Task<IReadOnlyList<DerRecord>> QueryDersAsync(DerQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = new StringBuilder($"SELECT {DerColumns} FROM ders d LEFT JOIN homes h ON h.home_id = d.home_id WHERE 1 = 1");
        var args = new List<(string, object?)>();
        void Where(string clause, params (string, object?)[] values)
        {
            sql.Append(" AND ").Append(clause);
            args.AddRange(values);
        }
        if (query.Kind is { } kind) Where("d.kind = @kind", ("kind", kind.ToString()));
        if (query.Controllable is { } ctl) Where("d.controllable = @ctl", ("ctl", Flag(ctl)));
        if (query.MinRatedPowerW is { } min) Where("(d.rated_power_w >= @minp OR d.rated_power_w <= -@minp)", ("minp", min));
        if (query.HasStorage is { } storage) Where(storage ? "d.capacity_wh > 0" : "(d.capacity_wh IS NULL OR d.capacity_wh <= 0)");
        if (query.State is { } state) Where("d.state = @state", ("state", (long)state));
        if (query.Available is { } available)
        {
            Where(available
                ? "d.state = @on AND (d.reported_online IS NULL OR d.reported_online = 1) AND (d.manual_override IS NULL OR d.manual_override = 0)"
                : "NOT (d.state = @on AND (d.reported_online IS NULL OR d.reported_online = 1) AND (d.manual_override IS NULL OR d.manual_override = 0))",
                ("on", (long)DerState.Online));
        }
        if (query.Postcode is { } pc) Where("h.postcode = @pc", ("pc", pc));
        if (query.HomeIds is { } homes)
        {
            if (homes.Count == 0) return [];
            var names = homes.Select((h, i) => ("hid" + i.ToString(CultureInfo.InvariantCulture), (object?)h)).ToArray();
            Where($"d.home_id IN ({string.Join(", ", names.Select(n => "@" + n.Item1))})", names);
        }
        var near = query.NearLatitude is { } lat && query.NearLongitude is { } lon && query.WithinKm is { } km ? (lat, lon, km) : ((double, double, double)?)null;
        if (near is { } n)
        {
            // A bounding box in SQL, the exact great-circle distance below.
            var dLat = n.Item3 / 111.0;
            var dLon = n.Item3 / (111.0 * Math.Max(0.01, Math.Cos(n.Item1 * Math.PI / 180)));
            Where("h.latitude BETWEEN @lat0 AND @lat1 AND h.longitude BETWEEN @lon0 AND @lon1",
                ("lat0", n.Item1 - dLat), ("lat1", n.Item1 + dLat), ("lon0", n.Item2 - dLon), ("lon1", n.Item2 + dLon));
        }
        sql.Append(" ORDER BY d.home_id, d.resource_id");
        if (near is null) sql.Append(" LIMIT ").Append(Math.Clamp(query.Limit, 1, 100_000).ToString(CultureInfo.InvariantCulture));
        var rows = await QueryAsync(sql.ToString(), ReadDer, cancellationToken, [.. args]);
        if (near is { } p)
        {
            rows = rows.Where(d => d.Location is { Latitude: { } la, Longitude: { } lo } && Geo.DistanceKm(p.Item1, p.Item2, la, lo) <= p.Item3)
                .Take(Math.Clamp(query.Limit, 1, 100_000)).ToList();
        }
        return rows;
    }

    /// <summary>The registry schema version the store is at.</summary>
    public async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default) =>
        (await QueryAsync("SELECT version FROM schema_version WHERE component = 'registry'", r => (int)r.GetInt64(0), cancellationToken)).FirstOrDefault();

    public Task<IReadOnlyList<RegistryEvent>> ReadLogAsync(long sinceSequence = 0, DateTimeOffset? sinceTime = null, IReadOnlyCollection<string>? homeIds = null, int limit = 1000, CancellationToken cancellationToken = default)
    {
        var sql = new StringBuilder("SELECT seq, at, kind, home_id, resource_id, detail FROM registry_log WHERE seq > @seq");
        var args = new List<(string, object?)> { ("seq", sinceSequence) };
        if (sinceTime is { } t)
        {
            sql.Append(" AND at >= @at");
            args.Add(("at", Ms(t)));
        }
        if (homeIds is not null)
        {
            if (homeIds.Count == 0) return Task.FromResult<IReadOnlyList<RegistryEvent>>([]);
            var names = homeIds.Select((h, i) => ("hid" + i.ToString(CultureInfo.InvariantCulture), (object?)h)).ToArray();
            sql.Append($" AND home_id IN ({string.Join(", ", names.Select(n => "@" + n.Item1))})");
            args.AddRange(names);
        }
        sql.Append(" ORDER BY seq LIMIT ").Append(Math.Clamp(limit, 1, 10_000).ToString(CultureInfo.InvariantCulture));
        return QueryAsync(sql.ToString(), r => new RegistryEvent(r.GetInt64(0), FromMs(r.GetInt64(1)), Enum.Parse<RegistryEventKind>(r.GetString(2)),
            r.GetString(3), Str(r, 4), r.GetString(5)), cancellationToken, [.. args]);
    }

    // ---- identity ----

    public async Task<string> GetOrCreateSecretAsync(string name, Func<string> create, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(create);
        var existing = await QueryAsync("SELECT value FROM secrets WHERE name = @n", r => r.GetString(0), cancellationToken, ("n", name));
        if (existing.Count > 0) return existing[0];
        var value = create();
        // The first node to insert wins; everyone reads the winner's value.
        await WriteAsync((c, tx, ct) => ExecAsync(c, tx, "INSERT INTO secrets (name, value, created_at) VALUES (@n, @v, @at) ON CONFLICT (name) DO NOTHING", ct,
            ("n", name), ("v", value), ("at", Ms(now))), cancellationToken);
        return (await QueryAsync("SELECT value FROM secrets WHERE name = @n", r => r.GetString(0), cancellationToken, ("n", name)))[0];
    }

    public Task SaveAccountAsync(AccountRecord account, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        return WriteAsync((c, tx, ct) => ExecAsync(c, tx, """
            INSERT INTO accounts (user_name, role, home_ids, password_hash, updated_at) VALUES (@u, @r, @h, @p, @at)
            ON CONFLICT (user_name) DO UPDATE SET role = excluded.role, home_ids = excluded.home_ids, password_hash = excluded.password_hash, updated_at = excluded.updated_at
            """, ct, ("u", account.UserName), ("r", account.Role), ("h", JsonSerializer.Serialize(account.HomeIds, Json)), ("p", account.PasswordHash), ("at", Ms(now))),
            cancellationToken);
    }

    public async Task<AccountRecord?> GetAccountAsync(string userName, CancellationToken cancellationToken = default) =>
        (await QueryAsync("SELECT user_name, role, home_ids, password_hash FROM accounts WHERE user_name = @u",
            r => new AccountRecord(r.GetString(0), r.GetString(1), JsonSerializer.Deserialize<List<string>>(r.GetString(2), Json) ?? [], r.GetString(3)),
            cancellationToken, ("u", userName))).FirstOrDefault();

    public Task SaveEnrolmentAsync(EnrolmentRecord enrolment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(enrolment);
        return WriteAsync((c, tx, ct) => ExecAsync(c, tx, """
            INSERT INTO enrolments (home_id, fingerprint, serial_number, enrolled_by, location, devices, enrolled_at) VALUES (@h, @f, @s, @b, @l, @d, @at)
            ON CONFLICT (home_id) DO UPDATE SET fingerprint = excluded.fingerprint, serial_number = excluded.serial_number, enrolled_by = excluded.enrolled_by,
                location = excluded.location, devices = excluded.devices, enrolled_at = excluded.enrolled_at
            """, ct, ("h", enrolment.HomeId), ("f", enrolment.Fingerprint), ("s", enrolment.SerialNumber), ("b", enrolment.EnrolledBy),
            ("l", enrolment.Location is null ? null : JsonSerializer.Serialize(enrolment.Location, Json)),
            ("d", JsonSerializer.Serialize(enrolment.Devices, Json)), ("at", Ms(enrolment.EnrolledAt))), cancellationToken);
    }

    public async Task<EnrolmentRecord?> GetEnrolmentAsync(string homeId, CancellationToken cancellationToken = default) =>
        (await QueryAsync("SELECT home_id, fingerprint, serial_number, enrolled_by, location, devices, enrolled_at FROM enrolments WHERE home_id = @h",
            r => new EnrolmentRecord
            {
                HomeId = r.GetString(0),
                Fingerprint = r.GetString(1),
                SerialNumber = r.GetString(2),
                EnrolledBy = r.GetString(3),
                Location = r.IsDBNull(4) ? null : JsonSerializer.Deserialize<HomeLocation>(r.GetString(4), Json),
                Devices = JsonSerializer.Deserialize<List<DeviceRating>>(r.GetString(5), Json) ?? [],
                EnrolledAt = FromMs(r.GetInt64(6)),
            }, cancellationToken, ("h", homeId))).FirstOrDefault();

    public Task LogRefusalAsync(AccessRefusal refusal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return WriteAsync((c, tx, ct) => ExecAsync(c, tx, """
            INSERT INTO access_log (at, subject, role, method, path, status, reason) VALUES (@at, @s, @r, @m, @p, @st, @re)
            """, ct, ("at", Ms(refusal.At)), ("s", refusal.Subject), ("r", refusal.Role), ("m", refusal.Method), ("p", Truncate(refusal.Path, 512)),
            ("st", (long)refusal.Status), ("re", Truncate(refusal.Reason, 512))), cancellationToken);
    }

    public Task<IReadOnlyList<AccessRefusal>> ReadRefusalsAsync(int limit = 100, CancellationToken cancellationToken = default) =>
        QueryAsync("SELECT id, at, subject, role, method, path, status, reason FROM access_log ORDER BY id DESC LIMIT " + Math.Clamp(limit, 1, 10_000).ToString(CultureInfo.InvariantCulture),
            r => new AccessRefusal(r.GetInt64(0), FromMs(r.GetInt64(1)), Str(r, 2), Str(r, 3), r.GetString(4), r.GetString(5), (int)r.GetInt64(6), r.GetString(7)),
            cancellationToken);

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];

    // ---- plumbing ----

    private async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        using var turn = await EnterWriteAsync(cancellationToken);
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var tx = await BeginWriteAsync(connection, cancellationToken);
            var result = await work(connection, tx, cancellationToken);
            await tx.CommitAsync(cancellationToken);
            return result;
        }
        catch (DbException ex)
        {
            throw new ReferenceStoreException($"store write failed: {ex.Message}", ex);
        }
    }

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Func<DbDataReader, T> read, CancellationToken cancellationToken, params (string Name, object? Value)[] args)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var cmd = Command(connection, null, sql, args);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            var list = new List<T>();
            while (await reader.ReadAsync(cancellationToken)) list.Add(read(reader));
            return list;
        }
        catch (DbException ex)
        {
            throw new ReferenceStoreException($"store read failed: {ex.Message}", ex);
        }
    }

    private static async Task<IReadOnlyList<T>> QueryInAsync<T>(DbConnection c, DbTransaction tx, string sql, Func<DbDataReader, T> read, CancellationToken ct, params (string Name, object? Value)[] args)
    {
        await using var cmd = Command(c, tx, sql, args);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var list = new List<T>();
        while (await reader.ReadAsync(ct)) list.Add(read(reader));
        return list;
    }

    private protected static async Task<int> ExecAsync(DbConnection c, DbTransaction? tx, string sql, CancellationToken ct, params (string Name, object? Value)[] args)
    {
        await using var cmd = Command(c, tx, sql, args);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task<object?> ScalarInAsync(DbConnection c, DbTransaction tx, string sql, CancellationToken ct, params (string Name, object? Value)[] args)
    {
        await using var cmd = Command(c, tx, sql, args);
        var value = await cmd.ExecuteScalarAsync(ct);
        return value is DBNull ? null : value;
    }

    private static DbCommand Command(DbConnection c, DbTransaction? tx, string sql, (string Name, object? Value)[] args)
    {
        var cmd = c.CreateCommand();
#pragma warning disable CA2100 // statements are constants of this class; values always travel as parameters
        cmd.CommandText = sql;
#pragma warning restore CA2100
        cmd.Transaction = tx;
        foreach (var (name, value) in args)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    private static long Flag(bool value) => value ? 1 : 0;

    private static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static string? Str(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}

/// <summary>One statement prepared once and run many times in a transaction with new values (a batch).</summary>
internal sealed class ReusableCommand : IAsyncDisposable
{
    private readonly DbCommand _command;

    public ReusableCommand(DbConnection connection, DbTransaction transaction, string sql, params string[] parameters)
    {
        _command = connection.CreateCommand();
#pragma warning disable CA2100 // statements are constants of the store; values always travel as parameters
        _command.CommandText = sql;
#pragma warning restore CA2100
        _command.Transaction = transaction;
        foreach (var name in parameters)
        {
            var p = _command.CreateParameter();
            p.ParameterName = name;
            _command.Parameters.Add(p);
        }
    }

    private void Bind(object?[] values)
    {
        for (var i = 0; i < values.Length; i++) _command.Parameters[i].Value = values[i] ?? DBNull.Value;
    }

    public Task<int> ExecAsync(CancellationToken cancellationToken, params object?[] values)
    {
        Bind(values);
        return _command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<T>> QueryAsync<T>(Func<DbDataReader, T> read, CancellationToken cancellationToken, params object?[] values)
    {
        Bind(values);
        await using var reader = await _command.ExecuteReaderAsync(cancellationToken);
        var list = new List<T>();
        while (await reader.ReadAsync(cancellationToken)) list.Add(read(reader));
        return list;
    }

    public ValueTask DisposeAsync() => _command.DisposeAsync();
}

/// <summary>Distances on the WGS 84 sphere approximation.</summary>
public static class Geo
{
    /// <summary>Great-circle (haversine) distance in km between two points in degrees.</summary>
    public static double DistanceKm(double lat1, double lon1, double lat2, double lon2)
    {
        const double R = 6371.0088;
        static double Rad(double d) => d * Math.PI / 180;
        var dLat = Rad(lat2 - lat1);
        var dLon = Rad(lon2 - lon1);
        var a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * R * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }
}
