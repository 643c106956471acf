using System.Text.Json;
using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;
using Microsoft.Data.Sqlite;

namespace FlexCoop.OpenAdr.Ven.Internal;

/// <summary>The VEN's registration with a VTN.</summary>
internal sealed record VenRegistration(string VenId, string RegistrationId, string VtnId, TimeSpan PollFrequency);

/// <summary>A report request the VEN works on, with when it last reported.</summary>
internal sealed record ActiveReportRequest(OadrReportRequest Request, DateTimeOffset ReceivedAt, DateTimeOffset? LastReportAt, bool Cancelled, bool ReportToFollow);

/// <summary>An opt the VEN created.</summary>
internal sealed record VenOpt(string OptId, string OptType, string? EventId, uint? ModificationNumber, DateTimeOffset CreatedAt);

/// <summary>
/// What the VEN remembers: in memory, and written through to one SQLite file (WAL,
/// synchronous=FULL) when a path is given. Events and report requests are kept as the VTN's XML
/// (wrapped in a one-event distribute or a one-request create), so they come back exactly.
/// </summary>
internal sealed class VenState : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly OadrSerializerOptions Wire = OadrSerializerOptions.Default with { Indent = false };

    private readonly SqliteConnection? _db;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, VenEvent> _events = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ActiveReportRequest> _reports = new(StringComparer.Ordinal);
    private readonly Dictionary<string, VenOpt> _opts = new(StringComparer.Ordinal);

    public VenState(string? path)
    {
        if (path is null) return;
        try
        {
            _db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(path), Pooling = false }.ToString());
            _db.Open();
            Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
            Exec("CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
            Exec("CREATE TABLE IF NOT EXISTS events (event_id TEXT PRIMARY KEY, xml TEXT NOT NULL, random_ms INTEGER NOT NULL, opt TEXT NOT NULL, cancelled_end INTEGER)");
            Exec("CREATE TABLE IF NOT EXISTS report_requests (id TEXT PRIMARY KEY, xml TEXT NOT NULL, state TEXT NOT NULL)");
            Exec("CREATE TABLE IF NOT EXISTS opts (opt_id TEXT PRIMARY KEY, body TEXT NOT NULL)");
            Load();
        }
        catch (SqliteException ex)
        {
            _db?.Dispose();
            throw new VenStateException($"cannot open the VEN state file {path}: {ex.Message}", ex);
        }
    }

    public VenRegistration? Registration { get; private set; }

    public void SetRegistration(VenRegistration? registration)
    {
        lock (_lock)
        {
            Registration = registration;
            if (registration is null)
            {
                Write("DELETE FROM kv WHERE key = 'registration'");
            }
            else
            {
                Write("INSERT INTO kv (key, value) VALUES ('registration', @v) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    ("v", JsonSerializer.Serialize(registration, Json)));
            }
        }
    }

    public IReadOnlyList<VenEvent> Events
    {
        get
        {
            lock (_lock) return _events.Values.OrderBy(e => e.EffectiveStart).ToList();
        }
    }

    public VenEvent? GetEvent(string eventId)
    {
        lock (_lock) return _events.GetValueOrDefault(eventId);
    }

    public void SaveEvent(VenEvent e, string vtnId)
    {
        lock (_lock)
        {
            _events[e.EventId] = e;
            var xml = OadrCodec.SerializeToString(new OadrDistributeEvent { RequestId = "", VtnId = vtnId, Events = ValueList.Create([e.Source]) }, Wire);
            Write("""
                INSERT INTO events (event_id, xml, random_ms, opt, cancelled_end) VALUES (@e, @x, @r, @o, @c)
                ON CONFLICT (event_id) DO UPDATE SET xml = excluded.xml, random_ms = excluded.random_ms, opt = excluded.opt, cancelled_end = excluded.cancelled_end
                """, ("e", e.EventId), ("x", xml), ("r", (long)e.RandomOffset.TotalMilliseconds), ("o", e.Opt == OptType.OptIn ? "optIn" : "optOut"),
                ("c", e.CancelledEnd?.ToUnixTimeMilliseconds()));
        }
    }

    public void RemoveEvent(string eventId)
    {
        lock (_lock)
        {
            _events.Remove(eventId);
            Write("DELETE FROM events WHERE event_id = @e", ("e", eventId));
        }
    }

    public IReadOnlyList<ActiveReportRequest> ReportRequests
    {
        get
        {
            lock (_lock) return _reports.Values.ToList();
        }
    }

    public void SaveReportRequest(ActiveReportRequest request)
    {
        lock (_lock)
        {
            _reports[request.Request.ReportRequestId] = request;
            var xml = OadrCodec.SerializeToString(new OadrCreateReport { RequestId = "", ReportRequests = ValueList.Create([request.Request]) }, Wire);
            var state = JsonSerializer.Serialize(new ReportState(request.ReceivedAt, request.LastReportAt, request.Cancelled, request.ReportToFollow), Json);
            Write("INSERT INTO report_requests (id, xml, state) VALUES (@i, @x, @s) ON CONFLICT (id) DO UPDATE SET xml = excluded.xml, state = excluded.state",
                ("i", request.Request.ReportRequestId), ("x", xml), ("s", state));
        }
    }

    public void RemoveReportRequest(string id)
    {
        lock (_lock)
        {
            _reports.Remove(id);
            Write("DELETE FROM report_requests WHERE id = @i", ("i", id));
        }
    }

    public IReadOnlyList<VenOpt> Opts
    {
        get
        {
            lock (_lock) return _opts.Values.ToList();
        }
    }

    public void SaveOpt(VenOpt opt)
    {
        lock (_lock)
        {
            _opts[opt.OptId] = opt;
            Write("INSERT INTO opts (opt_id, body) VALUES (@i, @b) ON CONFLICT (opt_id) DO UPDATE SET body = excluded.body", ("i", opt.OptId), ("b", JsonSerializer.Serialize(opt, Json)));
        }
    }

    public void RemoveOpt(string optId)
    {
        lock (_lock)
        {
            _opts.Remove(optId);
            Write("DELETE FROM opts WHERE opt_id = @i", ("i", optId));
        }
    }

    /// <summary>Forgets everything tied to the registration (it ended).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            Registration = null;
            _events.Clear();
            _reports.Clear();
            _opts.Clear();
            Write("DELETE FROM kv; DELETE FROM events; DELETE FROM report_requests; DELETE FROM opts;");
        }
    }

    private sealed record ReportState(DateTimeOffset ReceivedAt, DateTimeOffset? LastReportAt, bool Cancelled, bool ReportToFollow);

    private void Load()
    {
        using (var cmd = Command("SELECT value FROM kv WHERE key = 'registration'"))
        {
            if (cmd.ExecuteScalar() is string json) Registration = JsonSerializer.Deserialize<VenRegistration>(json, Json);
        }
        using (var cmd = Command("SELECT xml, random_ms, opt, cancelled_end FROM events"))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                var distribute = (OadrDistributeEvent)OadrCodec.ParseMessage(System.Text.Encoding.UTF8.GetBytes(r.GetString(0)));
                var e = VenEvents.FromOadr(distribute.Events[0], TimeSpan.FromMilliseconds(r.GetInt64(1))) with
                {
                    Opt = r.GetString(2) == "optIn" ? OptType.OptIn : OptType.OptOut,
                    CancelledEnd = r.IsDBNull(3) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3)),
                };
                _events[e.EventId] = e;
            }
        }
        using (var cmd = Command("SELECT xml, state FROM report_requests"))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                var create = (OadrCreateReport)OadrCodec.ParseMessage(System.Text.Encoding.UTF8.GetBytes(r.GetString(0)));
                var state = JsonSerializer.Deserialize<ReportState>(r.GetString(1), Json)!;
                var request = create.ReportRequests[0];
                _reports[request.ReportRequestId] = new ActiveReportRequest(request, state.ReceivedAt, state.LastReportAt, state.Cancelled, state.ReportToFollow);
            }
        }
        using (var cmd = Command("SELECT body FROM opts"))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                var opt = JsonSerializer.Deserialize<VenOpt>(r.GetString(0), Json)!;
                _opts[opt.OptId] = opt;
            }
        }
    }

    private void Exec(string sql)
    {
        using var cmd = Command(sql);
        cmd.ExecuteNonQuery();
    }

    private void Write(string sql, params (string Name, object? Value)[] parameters)
    {
        if (_db is null) return;
        try
        {
            using var cmd = Command(sql);
            foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
            cmd.ExecuteNonQuery();
        }
        catch (SqliteException ex)
        {
            throw new VenStateException($"cannot write the VEN state: {ex.Message}", ex);
        }
    }

    private SqliteCommand Command(string sql)
    {
        var cmd = _db!.CreateCommand();
#pragma warning disable CA2100 // constant statements; values are parameters
        cmd.CommandText = sql;
#pragma warning restore CA2100
        return cmd;
    }

    public void Dispose() => _db?.Dispose();
}
