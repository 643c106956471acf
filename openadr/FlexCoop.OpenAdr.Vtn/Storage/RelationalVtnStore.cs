using System.Data;
using System.Data.Common;
using System.Text.Json;

namespace FlexCoop.OpenAdr.Vtn.Storage;

/// <summary>
/// The SQL shared by <see cref="SqliteVtnStore"/> and <see cref="PostgresVtnStore"/>: the same
/// statements run on both (times are Unix milliseconds, flags are 0/1, structured parts of a
/// record are JSON text); only the table definitions, connections and transactions differ.
/// </summary>
public abstract class RelationalVtnStore : IVtnStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    private protected RelationalVtnStore()
    {
    }

    /// <summary>Opens a connection ready for use.</summary>
    private protected abstract ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>Gives back a connection from <see cref="OpenConnectionAsync"/>: closes it, unless the store keeps it open for reuse.</summary>
    private protected virtual ValueTask ReturnConnectionAsync(DbConnection connection) => connection.DisposeAsync();

    private async ValueTask<ConnectionLease> RentAsync(CancellationToken cancellationToken) =>
        new(this, await OpenConnectionAsync(cancellationToken));

    /// <summary>A connection in use; given back when disposed.</summary>
    private readonly struct ConnectionLease(RelationalVtnStore store, DbConnection connection) : IAsyncDisposable
    {
        public DbConnection Connection => connection;

        public ValueTask DisposeAsync() => store.ReturnConnectionAsync(connection);
    }

    /// <summary>Starts a write transaction (SQLite takes the write lock at once).</summary>
    private protected abstract ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Serialises writers in this process when the database has one writer at a time (SQLite); null when not needed.</summary>
    private protected virtual ValueTask<IDisposable?> EnterWriteAsync(CancellationToken cancellationToken) => ValueTask.FromResult<IDisposable?>(null);

    /// <summary>The statements that create the tables, each idempotent.</summary>
    private protected abstract IReadOnlyList<string> SchemaStatements { get; }

    /// <summary>Extra work before the schema is created (PostgreSQL creates its schema).</summary>
    private protected virtual Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    public abstract ValueTask DisposeAsync();

    public Task InitializeAsync(CancellationToken cancellationToken = default) =>
        WriteAsync(async (c, tx, ct) =>
        {
            foreach (var statement in SchemaStatements)
            {
                await ExecAsync(c, tx, statement, ct);
            }
            return true;
        }, prepare: true, cancellationToken);

    // ---- VENs ----

    public Task SaveVenAsync(VenRecord ven, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ven);
        return WriteAsync((c, tx, ct) => ExecAsync(c, tx, """
            INSERT INTO vens (ven_id, ven_name, fingerprint, registration_id, profile_name, transport_name, transport_address,
                              http_pull_model, report_only, xml_signature, created_at, updated_at)
            VALUES (@ven_id, @ven_name, @fingerprint, @registration_id, @profile_name, @transport_name, @transport_address,
                    @http_pull_model, @report_only, @xml_signature, @created_at, @updated_at)
            ON CONFLICT (ven_id) DO UPDATE SET ven_name = excluded.ven_name, fingerprint = excluded.fingerprint,
                registration_id = excluded.registration_id, profile_name = excluded.profile_name,
                transport_name = excluded.transport_name, transport_address = excluded.transport_address,
                http_pull_model = excluded.http_pull_model, report_only = excluded.report_only,
                xml_signature = excluded.xml_signature, updated_at = excluded.updated_at
            """, ct,
            ("ven_id", ven.VenId), ("ven_name", ven.VenName), ("fingerprint", ven.Fingerprint),
            ("registration_id", ven.RegistrationId), ("profile_name", ven.ProfileName), ("transport_name", ven.TransportName),
            ("transport_address", ven.TransportAddress), ("http_pull_model", Flag(ven.HttpPullModel)),
            ("report_only", Flag(ven.ReportOnly)), ("xml_signature", Flag(ven.XmlSignature)),
            ("created_at", Ms(ven.CreatedAt)), ("updated_at", Ms(ven.UpdatedAt))), prepare: false, cancellationToken);
    }

    private const string VenColumns = "ven_id, ven_name, fingerprint, registration_id, profile_name, transport_name, transport_address, http_pull_model, report_only, xml_signature, created_at, updated_at";

    private static VenRecord ReadVen(DbDataReader r) => new()
    {
        VenId = r.GetString(0),
        VenName = Str(r, 1),
        Fingerprint = r.GetString(2),
        RegistrationId = Str(r, 3),
        ProfileName = r.GetString(4),
        TransportName = r.GetString(5),
        TransportAddress = Str(r, 6),
        HttpPullModel = r.GetInt64(7) != 0,
        ReportOnly = r.GetInt64(8) != 0,
        XmlSignature = r.GetInt64(9) != 0,
        CreatedAt = FromMs(r.GetInt64(10)),
        UpdatedAt = FromMs(r.GetInt64(11)),
    };

    public async Task<VenRecord?> GetVenAsync(string venId, CancellationToken cancellationToken = default) =>
        (await QueryAsync($"SELECT {VenColumns} FROM vens WHERE ven_id = @v", ReadVen, cancellationToken, ("v", venId))).FirstOrDefault();

    public async Task<VenRecord?> GetVenByFingerprintAsync(string fingerprint, CancellationToken cancellationToken = default) =>
        (await QueryAsync($"SELECT {VenColumns} FROM vens WHERE fingerprint = @f AND fingerprint <> ''", ReadVen, cancellationToken, ("f", fingerprint))).FirstOrDefault();

    public Task<IReadOnlyList<VenRecord>> ListVensAsync(CancellationToken cancellationToken = default) =>
        QueryAsync($"SELECT {VenColumns} FROM vens ORDER BY ven_id", ReadVen, cancellationToken);

    public Task<bool> CancelRegistrationAsync(string venId, string registrationId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        WriteAsync(async (c, tx, ct) =>
        {
            var n = await ExecAsync(c, tx, "UPDATE vens SET registration_id = NULL, updated_at = @now WHERE ven_id = @v AND registration_id = @r", ct,
                ("v", venId), ("r", registrationId), ("now", Ms(now)));
            if (n == 0) return false;
            await ExecAsync(c, tx, "DELETE FROM outbox WHERE ven_id = @v AND state = 0", ct, ("v", venId));
            await ExecAsync(c, tx, "UPDATE report_requests SET state = @s, updated_at = @now WHERE ven_id = @v AND state IN (0, 1)", ct,
                ("v", venId), ("s", (long)ReportRequestState.Cancelled), ("now", Ms(now)));
            await ExecAsync(c, tx, "UPDATE opts SET cancelled = 1 WHERE ven_id = @v", ct, ("v", venId));
            await ExecAsync(c, tx, "DELETE FROM ven_reports WHERE ven_id = @v", ct, ("v", venId));
            return true;
        }, prepare: false, cancellationToken);

    // ---- events ----

    public Task SaveEventAsync(VtnEvent vtnEvent, IReadOnlyList<OutboundRequest> notify, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vtnEvent);
        ArgumentNullException.ThrowIfNull(notify);
        return WriteAsync(async (c, tx, ct) =>
        {
            var current = await ScalarAsync(c, tx, "SELECT modification_number FROM events WHERE event_id = @e", ct, ("e", vtnEvent.EventId));
            var expected = current is null ? 0 : Convert.ToInt64(current, System.Globalization.CultureInfo.InvariantCulture) + 1;
            if (vtnEvent.ModificationNumber != expected)
            {
                throw new VtnStoreException($"event {vtnEvent.EventId}: modificationNumber {vtnEvent.ModificationNumber} given, {expected} expected (rules 4, 5)");
            }
            var body = JsonSerializer.Serialize(vtnEvent, Json);
            await ExecAsync(c, tx, """
                INSERT INTO events (event_id, modification_number, market_context, cancelled, dtstart, distribute_until, body)
                VALUES (@e, @m, @mc, @c, @s, @u, @b)
                ON CONFLICT (event_id) DO UPDATE SET modification_number = excluded.modification_number,
                    market_context = excluded.market_context, cancelled = excluded.cancelled, dtstart = excluded.dtstart,
                    distribute_until = excluded.distribute_until, body = excluded.body
                """, ct, ("e", vtnEvent.EventId), ("m", vtnEvent.ModificationNumber), ("mc", vtnEvent.MarketContext),
                ("c", Flag(vtnEvent.Cancelled)), ("s", Ms(vtnEvent.DtStart)),
                ("u", vtnEvent.DistributeUntil is { } until ? Ms(until) : null), ("b", body));
            await ExecAsync(c, tx, "INSERT INTO event_versions (event_id, modification_number, body) VALUES (@e, @m, @b)", ct,
                ("e", vtnEvent.EventId), ("m", vtnEvent.ModificationNumber), ("b", body));
            // Queued at this version's time (a modification keeps the event's creation time).
            await EnqueueInAsync(c, tx, notify, vtnEvent.ModificationDateTime, ct);
            return true;
        }, prepare: false, cancellationToken);
    }

    public async Task<VtnEvent?> GetEventAsync(string eventId, CancellationToken cancellationToken = default) =>
        (await QueryAsync("SELECT body FROM events WHERE event_id = @e", r => FromJson<VtnEvent>(r.GetString(0)), cancellationToken, ("e", eventId))).FirstOrDefault();

    public Task<IReadOnlyList<VtnEvent>> GetEventHistoryAsync(string eventId, CancellationToken cancellationToken = default) =>
        QueryAsync("SELECT body FROM event_versions WHERE event_id = @e ORDER BY modification_number", r => FromJson<VtnEvent>(r.GetString(0)), cancellationToken, ("e", eventId));

    public Task<IReadOnlyList<VtnEvent>> ListEventsAsync(DateTimeOffset? since = null, CancellationToken cancellationToken = default) =>
        since is { } s
            ? QueryAsync("SELECT body FROM events WHERE distribute_until IS NULL OR distribute_until >= @s ORDER BY dtstart, event_id",
                r => FromJson<VtnEvent>(r.GetString(0)), cancellationToken, ("s", Ms(s)))
            : QueryAsync("SELECT body FROM events ORDER BY dtstart, event_id", r => FromJson<VtnEvent>(r.GetString(0)), cancellationToken);

    public Task SaveEventResponseAsync(EventResponseRecord response, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        return WriteAsync((c, tx, ct) => UpsertEventResponseAsync(c, tx, response, ct), prepare: false, cancellationToken);
    }

    private static Task<int> UpsertEventResponseAsync(DbConnection c, DbTransaction tx, EventResponseRecord response, CancellationToken ct) =>
        ExecAsync(c, tx, """
            INSERT INTO event_responses (event_id, ven_id, modification_number, opt_type, response_code, request_id, source, received_at)
            VALUES (@e, @v, @m, @o, @rc, @rq, @src, @at)
            ON CONFLICT (event_id, ven_id) DO UPDATE SET modification_number = excluded.modification_number,
                opt_type = excluded.opt_type, response_code = excluded.response_code, request_id = excluded.request_id,
                source = excluded.source, received_at = excluded.received_at
            """, ct, ("e", response.EventId), ("v", response.VenId), ("m", response.ModificationNumber), ("o", response.OptType),
            ("rc", response.ResponseCode), ("rq", response.RequestId), ("src", response.Source), ("at", Ms(response.ReceivedAt)));

    public Task<IReadOnlyList<EventResponseRecord>> GetEventResponsesAsync(string eventId, CancellationToken cancellationToken = default) =>
        QueryAsync("SELECT event_id, ven_id, modification_number, opt_type, response_code, request_id, source, received_at FROM event_responses WHERE event_id = @e ORDER BY ven_id",
            ReadEventResponse, cancellationToken, ("e", eventId));

    public async Task<EventResponseRecord?> GetEventResponseAsync(string eventId, string venId, CancellationToken cancellationToken = default) =>
        (await QueryAsync("SELECT event_id, ven_id, modification_number, opt_type, response_code, request_id, source, received_at FROM event_responses WHERE event_id = @e AND ven_id = @v",
            ReadEventResponse, cancellationToken, ("e", eventId), ("v", venId))).FirstOrDefault();

    private static EventResponseRecord ReadEventResponse(DbDataReader r) => new()
    {
        EventId = r.GetString(0),
        VenId = r.GetString(1),
        ModificationNumber = r.GetInt64(2),
        OptType = r.GetString(3),
        ResponseCode = r.GetString(4),
        RequestId = Str(r, 5),
        Source = r.GetString(6),
        ReceivedAt = FromMs(r.GetInt64(7)),
    };

    // ---- opts ----

    public Task SaveOptAsync(OptRecord opt, EventResponseRecord? eventResponse = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(opt);
        return WriteAsync(async (c, tx, ct) =>
        {
            await ExecAsync(c, tx, """
                INSERT INTO opts (ven_id, opt_id, cancelled, created_at, body) VALUES (@v, @o, @c, @at, @b)
                ON CONFLICT (ven_id, opt_id) DO UPDATE SET cancelled = excluded.cancelled, created_at = excluded.created_at, body = excluded.body
                """, ct, ("v", opt.VenId), ("o", opt.OptId), ("c", Flag(opt.Cancelled)), ("at", Ms(opt.CreatedAt)),
                ("b", JsonSerializer.Serialize(opt, Json)));
            if (eventResponse is not null)
            {
                await UpsertEventResponseAsync(c, tx, eventResponse, ct);
            }
            return true;
        }, prepare: false, cancellationToken);
    }

    private static OptRecord ReadOpt(DbDataReader r) => FromJson<OptRecord>(r.GetString(0)) with { Cancelled = r.GetInt64(1) != 0 };

    public async Task<OptRecord?> GetOptAsync(string venId, string optId, CancellationToken cancellationToken = default) =>
        (await QueryAsync("SELECT body, cancelled FROM opts WHERE ven_id = @v AND opt_id = @o", ReadOpt, cancellationToken, ("v", venId), ("o", optId))).FirstOrDefault();

    public Task<IReadOnlyList<OptRecord>> ListOptsAsync(string? venId = null, CancellationToken cancellationToken = default) =>
        venId is null
            ? QueryAsync("SELECT body, cancelled FROM opts ORDER BY created_at, opt_id", ReadOpt, cancellationToken)
            : QueryAsync("SELECT body, cancelled FROM opts WHERE ven_id = @v ORDER BY created_at, opt_id", ReadOpt, cancellationToken, ("v", venId));

    public Task<bool> CancelOptAsync(string venId, string optId, CancellationToken cancellationToken = default) =>
        WriteAsync(async (c, tx, ct) =>
            await ExecAsync(c, tx, "UPDATE opts SET cancelled = 1 WHERE ven_id = @v AND opt_id = @o", ct, ("v", venId), ("o", optId)) > 0,
            prepare: false, cancellationToken);

    // ---- reports ----

    public Task RegisterVenReportsAsync(string venId, IReadOnlyList<VenReportRecord> reports, IReadOnlyList<ReportRequestRecord> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentNullException.ThrowIfNull(requests);
        return WriteAsync(async (c, tx, ct) =>
        {
            await ExecAsync(c, tx, "DELETE FROM ven_reports WHERE ven_id = @v", ct, ("v", venId));
            foreach (var report in reports)
            {
                await ExecAsync(c, tx, "INSERT INTO ven_reports (ven_id, report_specifier_id, registered_at, body) VALUES (@v, @s, @at, @b)", ct,
                    ("v", venId), ("s", report.ReportSpecifierId), ("at", Ms(report.RegisteredAt)), ("b", JsonSerializer.Serialize(report, Json)));
            }
            foreach (var request in requests)
            {
                await UpsertReportRequestAsync(c, tx, request, ct);
            }
            return true;
        }, prepare: false, cancellationToken);
    }

    public Task<IReadOnlyList<VenReportRecord>> GetVenReportsAsync(string venId, CancellationToken cancellationToken = default) =>
        QueryAsync("SELECT body FROM ven_reports WHERE ven_id = @v ORDER BY report_specifier_id", r => FromJson<VenReportRecord>(r.GetString(0)), cancellationToken, ("v", venId));

    private static Task<int> UpsertReportRequestAsync(DbConnection c, DbTransaction tx, ReportRequestRecord request, CancellationToken ct) =>
        ExecAsync(c, tx, """
            INSERT INTO report_requests (report_request_id, ven_id, state, created_at, updated_at, body) VALUES (@id, @v, @s, @c, @u, @b)
            ON CONFLICT (report_request_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at, body = excluded.body
            """, ct, ("id", request.ReportRequestId), ("v", request.VenId), ("s", (long)request.State), ("c", Ms(request.CreatedAt)),
            ("u", Ms(request.UpdatedAt)), ("b", JsonSerializer.Serialize(request, Json)));

    public Task SaveReportRequestsAsync(IReadOnlyList<ReportRequestRecord> requests, IReadOnlyList<OutboundRequest> notify, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(notify);
        return WriteAsync(async (c, tx, ct) =>
        {
            var now = DateTimeOffset.UnixEpoch;
            foreach (var request in requests)
            {
                await UpsertReportRequestAsync(c, tx, request, ct);
                if (request.UpdatedAt > now) now = request.UpdatedAt;
            }
            await EnqueueInAsync(c, tx, notify, now, ct);
            return true;
        }, prepare: false, cancellationToken);
    }

    private static ReportRequestRecord ReadRequest(DbDataReader r) =>
        FromJson<ReportRequestRecord>(r.GetString(0)) with { State = (ReportRequestState)r.GetInt64(1), UpdatedAt = FromMs(r.GetInt64(2)) };

    public async Task<ReportRequestRecord?> GetReportRequestAsync(string reportRequestId, CancellationToken cancellationToken = default) =>
        (await QueryAsync("SELECT body, state, updated_at FROM report_requests WHERE report_request_id = @id", ReadRequest, cancellationToken, ("id", reportRequestId))).FirstOrDefault();

    public Task<IReadOnlyList<ReportRequestRecord>> ListReportRequestsAsync(string? venId = null, CancellationToken cancellationToken = default) =>
        venId is null
            ? QueryAsync("SELECT body, state, updated_at FROM report_requests ORDER BY created_at, report_request_id", ReadRequest, cancellationToken)
            : QueryAsync("SELECT body, state, updated_at FROM report_requests WHERE ven_id = @v ORDER BY created_at, report_request_id", ReadRequest, cancellationToken, ("v", venId));

    public Task<int> SetReportRequestStateAsync(string venId, IReadOnlyList<string> reportRequestIds, ReportRequestState state, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reportRequestIds);
        return WriteAsync(async (c, tx, ct) =>
        {
            var n = 0;
            foreach (var id in reportRequestIds)
            {
                n += await ExecAsync(c, tx, "UPDATE report_requests SET state = @s, updated_at = @u WHERE ven_id = @v AND report_request_id = @id", ct,
                    ("s", (long)state), ("u", Ms(now)), ("v", venId), ("id", id));
            }
            return n;
        }, prepare: false, cancellationToken);
    }

    public Task AddReadingsAsync(IReadOnlyList<ReportReadingRecord> readings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(readings);
        return WriteAsync(async (c, tx, ct) =>
        {
            foreach (var x in readings)
            {
                await ExecAsync(c, tx, """
                    INSERT INTO report_readings (ven_id, report_request_id, report_specifier_id, r_id, dtstart, duration_ms, value, payload_text, data_quality, received_at)
                    VALUES (@v, @rq, @rs, @r, @s, @d, @val, @p, @q, @at)
                    """, ct, ("v", x.VenId), ("rq", x.ReportRequestId), ("rs", x.ReportSpecifierId), ("r", x.RId), ("s", Ms(x.DtStart)),
                    ("d", (long)x.Duration.TotalMilliseconds), ("val", x.Value), ("p", x.PayloadText), ("q", x.DataQuality), ("at", Ms(x.ReceivedAt)));
            }
            return true;
        }, prepare: false, cancellationToken);
    }

    public async Task<long> PurgeReadingsAsync(DateTimeOffset? receivedBefore, int? keepPerRId, int batch = 5000, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        if (keepPerRId is < 0) throw new ArgumentOutOfRangeException(nameof(keepPerRId));
        long total = 0;
        if (receivedBefore is { } cut)
        {
            total += await DeleteReadingsInBatchesAsync("SELECT id FROM report_readings WHERE received_at < @cut LIMIT @n", batch, cancellationToken, ("cut", Ms(cut)));
        }
        if (keepPerRId is { } keep)
        {
            // One scan finds, of each VEN's rID, the newest reading beyond the first `keep`; then each
            // group's older rows go by the (ven_id, id) index, many groups per short transaction.
            var boundaries = await QueryAsync("""
                SELECT ven_id, r_id, id FROM (SELECT ven_id, r_id, id, ROW_NUMBER() OVER (PARTITION BY ven_id, r_id ORDER BY id DESC) AS rn FROM report_readings) ranked
                WHERE rn = @first
                """, r => (VenId: r.GetString(0), RId: r.GetString(1), Id: r.GetInt64(2)), cancellationToken, ("first", (long)keep + 1));
            foreach (var chunk in boundaries.Chunk(Math.Max(1, batch / 100)))
            {
                total += await WriteAsync(async (c, tx, ct) =>
                {
                    var n = 0;
                    foreach (var (venId, rId, id) in chunk)
                    {
                        n += await ExecAsync(c, tx, "DELETE FROM report_readings WHERE ven_id = @v AND id <= @id AND r_id = @r", ct, ("v", venId), ("id", id), ("r", rId));
                    }
                    return n;
                }, prepare: false, cancellationToken);
            }
        }
        return total;
    }

    // One short transaction per batch, so writers of new readings are not held up by a long purge.
    private async Task<long> DeleteReadingsInBatchesAsync(string selectIds, int batch, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        long total = 0;
        while (true)
        {
            var n = await WriteAsync((c, tx, ct) => ExecAsync(c, tx, $"DELETE FROM report_readings WHERE id IN ({selectIds})", ct, [.. parameters, ("n", (long)batch)]),
                prepare: false, cancellationToken);
            total += n;
            if (n < batch) return total;
        }
    }

    public async Task<IReadOnlyList<ReportReadingRecord>> GetReadingsAsync(string venId, string? reportRequestId = null, int limit = 1000, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        const string Columns = "ven_id, report_request_id, report_specifier_id, r_id, dtstart, duration_ms, value, payload_text, data_quality, received_at, id";
        static ReportReadingRecord Read(DbDataReader r) => new()
        {
            VenId = r.GetString(0),
            ReportRequestId = r.GetString(1),
            ReportSpecifierId = r.GetString(2),
            RId = r.GetString(3),
            DtStart = FromMs(r.GetInt64(4)),
            Duration = TimeSpan.FromMilliseconds(r.GetInt64(5)),
            Value = r.IsDBNull(6) ? null : r.GetDouble(6),
            PayloadText = Str(r, 7),
            DataQuality = Str(r, 8),
            ReceivedAt = FromMs(r.GetInt64(9)),
        };
        var newestFirst = reportRequestId is null
            ? await QueryAsync($"SELECT {Columns} FROM report_readings WHERE ven_id = @v ORDER BY id DESC LIMIT @n", Read, cancellationToken, ("v", venId), ("n", (long)limit))
            : await QueryAsync($"SELECT {Columns} FROM report_readings WHERE ven_id = @v AND report_request_id = @rq ORDER BY id DESC LIMIT @n", Read, cancellationToken, ("v", venId), ("rq", reportRequestId), ("n", (long)limit));
        return newestFirst.Reverse().ToList();
    }

    // ---- outbound queue ----

    public Task<IReadOnlyList<long>> EnqueueAsync(IReadOnlyList<OutboundRequest> messages, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return WriteAsync((c, tx, ct) => EnqueueInAsync(c, tx, messages, now, ct), prepare: false, cancellationToken);
    }

    /// <summary>
    /// Appended to a SELECT whose row the transaction goes on to count on (PostgreSQL: <c>FOR UPDATE SKIP LOCKED</c>); empty
    /// where write transactions run one at a time (SQLite).
    /// </summary>
    private protected virtual string RowLock => "";

    private async Task<IReadOnlyList<long>> EnqueueInAsync(DbConnection c, DbTransaction tx, IReadOnlyList<OutboundRequest> messages, DateTimeOffset now, CancellationToken ct)
    {
        var ids = new List<long>(messages.Count);
        foreach (var m in messages)
        {
            if (m.Coalesce && m.Body is null)
            {
                // "+next_attempt_at": no index on that term, so SQLite looks the VEN up by outbox_poll
                // (ven_id, channel, state) instead of scanning every pending message of the channel
                // through outbox_push, which made queuing one distribute per VEN quadratic in the VENs.
                // The row is locked (PostgreSQL): a claim (push lease, poll take) under way in another engine
                // holds it, and a new message is queued instead; a claim that comes later waits for this
                // transaction, and then builds the message from the events it saved.
                var existing = await ScalarAsync(c, tx, "SELECT id FROM outbox WHERE ven_id = @v AND kind = @k AND channel = @ch AND state = 0 AND body IS NULL AND +next_attempt_at <= @now LIMIT 1" + RowLock, ct,
                    ("v", m.VenId), ("k", m.Kind), ("ch", (long)m.Channel), ("now", Ms(now)));
                if (existing is not null) continue;
            }
            var id = await ScalarAsync(c, tx, """
                INSERT INTO outbox (ven_id, kind, body, channel, state, attempts, created_at, next_attempt_at, last_error)
                VALUES (@v, @k, @b, @ch, 0, 0, @at, @at, NULL) RETURNING id
                """, ct, ("v", m.VenId), ("k", m.Kind), ("b", m.Body), ("ch", (long)m.Channel), ("at", Ms(now)));
            ids.Add(Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture));
        }
        return ids;
    }

    private const string OutboxColumns = "id, ven_id, kind, body, channel, state, attempts, created_at, next_attempt_at, last_error";

    private static OutboundMessage ReadOutbound(DbDataReader r) => new()
    {
        Id = r.GetInt64(0),
        VenId = r.GetString(1),
        Kind = r.GetString(2),
        Body = Str(r, 3),
        Channel = (OutboundChannel)r.GetInt64(4),
        State = (OutboundState)r.GetInt64(5),
        Attempts = (int)r.GetInt64(6),
        CreatedAt = FromMs(r.GetInt64(7)),
        NextAttemptAt = FromMs(r.GetInt64(8)),
        LastError = Str(r, 9),
    };

    public async Task<OutboundMessage?> TakeNextForPollAsync(string venId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        // One statement: the outer "state = 0" makes a concurrent second taker find nothing rather than the same row.
        var rows = await WriteAsync((c, tx, ct) => QueryInAsync(c, tx, $"""
            UPDATE outbox SET state = 1, attempts = attempts + 1, next_attempt_at = @now
            WHERE state = 0 AND id = (SELECT id FROM outbox WHERE ven_id = @v AND channel = 0 AND state = 0 ORDER BY id LIMIT 1)
            RETURNING {OutboxColumns}
            """, ReadOutbound, ct, ("v", venId), ("now", Ms(now))), prepare: false, cancellationToken);
        return rows.FirstOrDefault();
    }

    public async Task<bool> HasPendingForPollAsync(string venId, CancellationToken cancellationToken = default) =>
        (await QueryAsync("SELECT 1 FROM outbox WHERE ven_id = @v AND channel = 0 AND state = 0 LIMIT 1", r => true, cancellationToken, ("v", venId))).Count > 0;

    public Task<IReadOnlyList<OutboundMessage>> ListDuePushAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        QueryAsync($"SELECT {OutboxColumns} FROM outbox WHERE channel = 1 AND state = 0 AND next_attempt_at <= @now ORDER BY next_attempt_at, id LIMIT @n",
            ReadOutbound, cancellationToken, ("now", Ms(now)), ("n", (long)limit));

    public Task LeaseAsync(long id, DateTimeOffset until, CancellationToken cancellationToken = default) =>
        WriteAsync((c, tx, ct) => ExecAsync(c, tx, "UPDATE outbox SET next_attempt_at = @u WHERE id = @id AND state = 0", ct, ("id", id), ("u", Ms(until))),
            prepare: false, cancellationToken);

    public Task<IReadOnlyList<long>> LeaseManyAsync(IReadOnlyList<long> ids, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0) return Task.FromResult<IReadOnlyList<long>>([]);
        return WriteAsync<IReadOnlyList<long>>(async (c, tx, ct) =>
        {
            // Conditional on still being due: a second VTN's claim, waiting on the first's row lock,
            // re-reads the row and matches nothing. And only the VEN's oldest pending push: with several
            // VTNs on the store, a newer message must not overtake an older one that another VTN is
            // delivering (or retrying), since a distribute lists every event and the last one to arrive wins.
            var claimed = new List<long>(ids.Count);
            foreach (var id in ids)
            {
                if (await ExecAsync(c, tx, """
                        UPDATE outbox SET next_attempt_at = @u WHERE id = @id AND state = 0 AND channel = 1 AND next_attempt_at <= @now
                        AND NOT EXISTS (SELECT 1 FROM outbox older WHERE older.ven_id = outbox.ven_id AND older.channel = 1 AND older.state = 0 AND older.id < outbox.id)
                        """, ct,
                        ("id", id), ("u", Ms(until)), ("now", Ms(now))) == 1)
                {
                    claimed.Add(id);
                }
            }
            return claimed;
        }, prepare: false, cancellationToken);
    }

    public Task MarkDeliveredAsync(long id, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        WriteAsync((c, tx, ct) => ExecAsync(c, tx, "UPDATE outbox SET state = 1, attempts = attempts + 1, next_attempt_at = @now WHERE id = @id", ct,
            ("id", id), ("now", Ms(now))), prepare: false, cancellationToken);

    public Task MarkAttemptFailedAsync(long id, DateTimeOffset? nextAttemptAt, string error, CancellationToken cancellationToken = default) =>
        WriteAsync((c, tx, ct) => nextAttemptAt is { } next
            ? ExecAsync(c, tx, "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = @n, last_error = @e WHERE id = @id", ct, ("id", id), ("n", Ms(next)), ("e", error))
            : ExecAsync(c, tx, "UPDATE outbox SET state = 2, attempts = attempts + 1, last_error = @e WHERE id = @id", ct, ("id", id), ("e", error)),
            prepare: false, cancellationToken);

    public Task<IReadOnlyList<OutboundMessage>> ListOutboundAsync(string venId, CancellationToken cancellationToken = default) =>
        QueryAsync($"SELECT {OutboxColumns} FROM outbox WHERE ven_id = @v ORDER BY id", ReadOutbound, cancellationToken, ("v", venId));

    // ---- plumbing ----

    /// <summary>
    /// True when this process writes one transaction at a time (SQLite): writes that arrive while
    /// one commits then share the next transaction (group commit), each in a savepoint of its own,
    /// so a thousand concurrent acknowledgements cost a few commits instead of a thousand. Every
    /// caller still returns only once its own work is committed, and a work that fails is rolled
    /// back alone.
    /// </summary>
    private protected virtual bool GroupCommit => false;

    private const int MaxGroup = 256;
    private readonly System.Collections.Concurrent.ConcurrentQueue<PendingWrite> _writes = new();
    private readonly SemaphoreSlim _leader = new(1, 1);

    private Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> work, bool prepare, CancellationToken cancellationToken) =>
        GroupCommit && !prepare ? WriteInGroupAsync(work, cancellationToken) : WriteAloneAsync(work, prepare, cancellationToken);

    private async Task<T> WriteInGroupAsync<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        var write = new PendingWrite<T>(work, cancellationToken);
        _writes.Enqueue(write);
        try
        {
            await _leader.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Not taken yet: it never runs. Taken by the committing writer: its outcome stands.
            if (write.Abandon()) throw;
            return await write.Result;
        }
        try
        {
            // The writer commits what is queued, its own write among it (the queue is first in, first out).
            while (!write.Result.IsCompleted)
            {
                await CommitGroupAsync();
            }
        }
        finally
        {
            _leader.Release();
        }
        return await write.Result;
    }

    private async Task CommitGroupAsync()
    {
        var group = new List<PendingWrite>();
        while (group.Count < MaxGroup && _writes.TryDequeue(out var next))
        {
            if (next.Take()) group.Add(next);
        }
        if (group.Count == 0) return;
        try
        {
            using var gate = await EnterWriteAsync(CancellationToken.None);
            await using var lease = await RentAsync(CancellationToken.None);
            var connection = lease.Connection;
            await using var tx = await BeginWriteAsync(connection, CancellationToken.None);
            var done = new List<PendingWrite>(group.Count);
            if (group.Count == 1)
            {
                await group[0].RunAsync(connection, tx);
                done.Add(group[0]);
            }
            else
            {
                for (var i = 0; i < group.Count; i++)
                {
                    var name = "w" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    await tx.SaveAsync(name);
                    try
                    {
                        await group[i].RunAsync(connection, tx);
                        await tx.ReleaseAsync(name);
                        done.Add(group[i]);
                    }
#pragma warning disable CA1031 // the failure goes to this work's caller
                    catch (Exception ex)
#pragma warning restore CA1031
                    {
                        // This work alone failed (a constraint, a bad record, cancelled): undo it, keep the others.
                        // Where the database gave up the whole transaction, this rollback fails and so does the group.
                        await tx.RollbackAsync(name);
                        group[i].Fail(StoreError(ex));
                    }
                }
            }
            await tx.CommitAsync(CancellationToken.None);
            foreach (var w in done) w.Complete();
        }
#pragma warning disable CA1031 // every failure goes to the callers waiting on this transaction
        catch (Exception ex)
#pragma warning restore CA1031
        {
            foreach (var w in group) w.Fail(StoreError(ex));
        }
    }

    private static Exception StoreError(Exception ex) => ex switch
    {
        DbException db => new VtnStoreException($"store write failed: {db.Message}", db),
        JsonException json => new VtnStoreException($"store record unreadable: {json.Message}", json),
        _ => ex,
    };

    /// <summary>A write waiting for the group commit.</summary>
    private abstract class PendingWrite
    {
        private int _state; // 0 queued, 1 taken by the writer, 2 abandoned by its caller

        public bool Take() => Interlocked.CompareExchange(ref _state, 1, 0) == 0;

        public bool Abandon() => Interlocked.CompareExchange(ref _state, 2, 0) == 0;

        public abstract Task RunAsync(DbConnection connection, DbTransaction tx);

        public abstract void Complete();

        public abstract void Fail(Exception ex);
    }

    private sealed class PendingWrite<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken) : PendingWrite
    {
        private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _value;

        public Task<T> Result => _result.Task;

        public override async Task RunAsync(DbConnection connection, DbTransaction tx) => _value = await work(connection, tx, cancellationToken);

        public override void Complete() => _result.TrySetResult(_value!);

        public override void Fail(Exception ex) => _result.TrySetException(ex);
    }

    private async Task<T> WriteAloneAsync<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> work, bool prepare, CancellationToken cancellationToken)
    {
        try
        {
            using var gate = await EnterWriteAsync(cancellationToken);
            await using var lease = await RentAsync(cancellationToken);
            var connection = lease.Connection;
            if (prepare) await PrepareAsync(connection, cancellationToken);
            await using var tx = await BeginWriteAsync(connection, cancellationToken);
            var result = await work(connection, tx, cancellationToken);
            await tx.CommitAsync(cancellationToken);
            return result;
        }
        catch (DbException ex)
        {
            throw new VtnStoreException($"store write failed: {ex.Message}", ex);
        }
        catch (JsonException ex)
        {
            throw new VtnStoreException($"store record unreadable: {ex.Message}", ex);
        }
    }

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Func<DbDataReader, T> read, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        try
        {
            await using var lease = await RentAsync(cancellationToken);
            return await QueryInAsync(lease.Connection, null, sql, read, cancellationToken, parameters);
        }
        catch (DbException ex)
        {
            throw new VtnStoreException($"store read failed: {ex.Message}", ex);
        }
        catch (JsonException ex)
        {
            throw new VtnStoreException($"store record unreadable: {ex.Message}", ex);
        }
    }

    private static async Task<IReadOnlyList<T>> QueryInAsync<T>(DbConnection c, DbTransaction? tx, string sql, Func<DbDataReader, T> read, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        var cmd = Command(c, tx, sql, parameters);
        try
        {
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            var list = new List<T>();
            while (await reader.ReadAsync(ct))
            {
                list.Add(read(reader));
            }
            return list;
        }
        catch
        {
            Evict(c, sql, cmd);
            throw;
        }
        finally
        {
            await DoneAsync(c, cmd);
        }
    }

    private static async Task<int> ExecAsync(DbConnection c, DbTransaction? tx, string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        var cmd = Command(c, tx, sql, parameters);
        try
        {
            return await cmd.ExecuteNonQueryAsync(ct);
        }
        catch
        {
            Evict(c, sql, cmd);
            throw;
        }
        finally
        {
            await DoneAsync(c, cmd);
        }
    }

    private static async Task<object?> ScalarAsync(DbConnection c, DbTransaction? tx, string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        var cmd = Command(c, tx, sql, parameters);
        try
        {
            var value = await cmd.ExecuteScalarAsync(ct);
            return value is DBNull ? null : value;
        }
        catch
        {
            Evict(c, sql, cmd);
            throw;
        }
        finally
        {
            await DoneAsync(c, cmd);
        }
    }

    /// <summary>
    /// The prepared statements of a connection that stays open in the store's own pool (SQLite),
    /// by SQL text: each hot statement is compiled once per connection rather than on every call.
    /// A connection not registered here gets a fresh command each time (PostgreSQL prepares on the
    /// server through Npgsql's automatic preparation instead).
    /// </summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbConnection, Dictionary<string, DbCommand>> Prepared = new();

    /// <summary>Keeps this connection's commands for reuse; call once, on a connection the store keeps open.</summary>
    private protected static void CacheCommands(DbConnection connection) => Prepared.AddOrUpdate(connection, new Dictionary<string, DbCommand>(StringComparer.Ordinal));

    /// <summary>Disposes the cached commands of a connection the store closes.</summary>
    private protected static void DropCommands(DbConnection connection)
    {
        if (!Prepared.TryGetValue(connection, out var cache)) return;
        Prepared.Remove(connection);
        foreach (var cmd in cache.Values) cmd.Dispose();
        cache.Clear();
    }

    private static DbCommand Command(DbConnection c, DbTransaction? tx, string sql, (string Name, object? Value)[] parameters)
    {
        if (Prepared.TryGetValue(c, out var cache))
        {
            // One user of a pooled connection at a time, so its cache needs no lock.
            if (cache.TryGetValue(sql, out var known) && known.Parameters.Count == parameters.Length)
            {
                known.Transaction = tx;
                for (var i = 0; i < parameters.Length; i++)
                {
                    var p = known.Parameters[i];
                    if (!string.Equals(p.ParameterName, parameters[i].Name, StringComparison.Ordinal)) return Fresh();
                    p.Value = parameters[i].Value ?? DBNull.Value;
                }
                return known;
            }
            var made = Fresh();
            cache[sql] = made;
            return made;
        }
        return Fresh();

        DbCommand Fresh()
        {
            var cmd = c.CreateCommand();
#pragma warning disable CA2100 // every statement is a constant of this class; values travel as parameters
            cmd.CommandText = sql;
#pragma warning restore CA2100
            cmd.Transaction = tx;
            foreach (var (name, value) in parameters)
            {
                var p = cmd.CreateParameter();
                p.ParameterName = name;
                p.Value = value ?? DBNull.Value;
                cmd.Parameters.Add(p);
            }
            return cmd;
        }
    }

    // A cached command stays (its values cleared so no record is kept alive); any other is disposed.
    private static ValueTask DoneAsync(DbConnection c, DbCommand cmd)
    {
        if (Prepared.TryGetValue(c, out var cache) && cache.TryGetValue(cmd.CommandText, out var cached) && ReferenceEquals(cached, cmd))
        {
            cmd.Transaction = null;
            foreach (DbParameter p in cmd.Parameters) p.Value = DBNull.Value;
            return ValueTask.CompletedTask;
        }
        return cmd.DisposeAsync();
    }

    // A statement that failed is compiled afresh next time (its state after an error is not relied on).
    private static void Evict(DbConnection c, string sql, DbCommand cmd)
    {
        if (Prepared.TryGetValue(c, out var cache) && cache.TryGetValue(sql, out var cached) && ReferenceEquals(cached, cmd))
        {
            cache.Remove(sql);
        }
    }

    private static long Flag(bool value) => value ? 1 : 0;

    private static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static string? Str(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static T FromJson<T>(string json) => JsonSerializer.Deserialize<T>(json, Json) ?? throw new JsonException($"null {typeof(T).Name}");

    /// <summary>The table definitions with the dialect's type names filled in.</summary>
    private protected static IReadOnlyList<string> Tables(string text, string integer, string real, string identity) =>
    [
        $"""
        CREATE TABLE IF NOT EXISTS vens (ven_id {text} PRIMARY KEY, ven_name {text}, fingerprint {text} NOT NULL, registration_id {text},
            profile_name {text} NOT NULL, transport_name {text} NOT NULL, transport_address {text}, http_pull_model {integer} NOT NULL,
            report_only {integer} NOT NULL, xml_signature {integer} NOT NULL, created_at {integer} NOT NULL, updated_at {integer} NOT NULL)
        """,
        "CREATE UNIQUE INDEX IF NOT EXISTS vens_fingerprint ON vens (fingerprint) WHERE fingerprint <> ''",
        $"""
        CREATE TABLE IF NOT EXISTS events (event_id {text} PRIMARY KEY, modification_number {integer} NOT NULL, market_context {text} NOT NULL,
            cancelled {integer} NOT NULL, dtstart {integer} NOT NULL, distribute_until {integer}, body {text} NOT NULL)
        """,
        $"""
        CREATE TABLE IF NOT EXISTS event_versions (event_id {text} NOT NULL, modification_number {integer} NOT NULL, body {text} NOT NULL,
            PRIMARY KEY (event_id, modification_number))
        """,
        $"""
        CREATE TABLE IF NOT EXISTS event_responses (event_id {text} NOT NULL, ven_id {text} NOT NULL, modification_number {integer} NOT NULL,
            opt_type {text} NOT NULL, response_code {text} NOT NULL, request_id {text}, source {text} NOT NULL, received_at {integer} NOT NULL,
            PRIMARY KEY (event_id, ven_id))
        """,
        $"""
        CREATE TABLE IF NOT EXISTS opts (ven_id {text} NOT NULL, opt_id {text} NOT NULL, cancelled {integer} NOT NULL, created_at {integer} NOT NULL,
            body {text} NOT NULL, PRIMARY KEY (ven_id, opt_id))
        """,
        $"""
        CREATE TABLE IF NOT EXISTS ven_reports (ven_id {text} NOT NULL, report_specifier_id {text} NOT NULL, registered_at {integer} NOT NULL,
            body {text} NOT NULL, PRIMARY KEY (ven_id, report_specifier_id))
        """,
        $"""
        CREATE TABLE IF NOT EXISTS report_requests (report_request_id {text} PRIMARY KEY, ven_id {text} NOT NULL, state {integer} NOT NULL,
            created_at {integer} NOT NULL, updated_at {integer} NOT NULL, body {text} NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS report_requests_ven ON report_requests (ven_id)",
        $"""
        CREATE TABLE IF NOT EXISTS report_readings (id {identity}, ven_id {text} NOT NULL, report_request_id {text} NOT NULL,
            report_specifier_id {text} NOT NULL, r_id {text} NOT NULL, dtstart {integer} NOT NULL, duration_ms {integer} NOT NULL, value {real},
            payload_text {text}, data_quality {text}, received_at {integer} NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS report_readings_ven ON report_readings (ven_id, report_request_id, id)",
        // A VEN's newest readings of every request (GetReadingsAsync without a request): no sort of all its rows.
        "CREATE INDEX IF NOT EXISTS report_readings_ven_newest ON report_readings (ven_id, id)",
        $"""
        CREATE TABLE IF NOT EXISTS outbox (id {identity}, ven_id {text} NOT NULL, kind {text} NOT NULL, body {text}, channel {integer} NOT NULL,
            state {integer} NOT NULL, attempts {integer} NOT NULL, created_at {integer} NOT NULL, next_attempt_at {integer} NOT NULL, last_error {text})
        """,
        "CREATE INDEX IF NOT EXISTS outbox_poll ON outbox (ven_id, channel, state, id)",
        "CREATE INDEX IF NOT EXISTS outbox_push ON outbox (channel, state, next_attempt_at)",
    ];
}
