using System.Globalization;
using FlexCoop.Usef.Validation;
using FlexCoop.Usef.Xml;
using Microsoft.Data.Sqlite;

namespace FlexCoop.Usef.Storage;

/// <summary>Whether a stored message was received or sent.</summary>
public enum UftpDirection
{
    Inbound,
    Outbound,
}

/// <summary>A message in the store with what is known about it.</summary>
/// <param name="Message">The message.</param>
/// <param name="Direction">Received or sent.</param>
/// <param name="Result">For inbound messages our verdict; for outbound ones the peer's Response, once it arrived.</param>
/// <param name="Processed">For inbound messages: whether the role service has handled it.</param>
public sealed record UftpStoredMessage(PayloadMessage Message, UftpDirection Direction, AcceptedRejected? Result, bool Processed);

/// <summary>An envelope waiting in the outbound queue.</summary>
public sealed record UftpOutboxItem(long Id, Guid MessageId, string RecipientDomain, UftpRole RecipientRole, ReadOnlyMemory<byte> SignedXml, int Attempts, DateTimeOffset NextAttempt);

/// <summary>
/// Durable UFTP state in one SQLite file (WAL): every message sent and received, the verdicts,
/// the outbound queue, known congestion points. It is the validator's context, so references,
/// duplicates, revocations and revisions survive a restart. Operations are serialised; safe to
/// share between threads.
/// </summary>
public sealed class UftpSqliteStore : IUftpValidationContext, IDisposable
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SqliteConnection _connection;

    private UftpSqliteStore(string path)
    {
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false, DefaultTimeout = 30 }.ToString();
        _connection = new SqliteConnection(_connectionString);
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL;");
        Execute("PRAGMA synchronous=FULL;");
        Execute("PRAGMA busy_timeout=10000;");
        Execute("""
            CREATE TABLE IF NOT EXISTS messages (
                message_id TEXT PRIMARY KEY,
                conversation_id TEXT NOT NULL,
                type TEXT NOT NULL,
                direction INTEGER NOT NULL,
                sender_domain TEXT NOT NULL,
                recipient_domain TEXT NOT NULL,
                ref_id TEXT NULL,
                congestion_point TEXT NULL,
                period TEXT NULL,
                revision INTEGER NULL,
                result INTEGER NULL,
                processed INTEGER NOT NULL DEFAULT 0,
                seq INTEGER NOT NULL,
                xml BLOB NOT NULL);
            CREATE INDEX IF NOT EXISTS messages_ref ON messages(ref_id);
            CREATE INDEX IF NOT EXISTS messages_subject ON messages(type, sender_domain, congestion_point, period);
            CREATE TABLE IF NOT EXISTS outbox (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                message_id TEXT NOT NULL,
                recipient_domain TEXT NOT NULL,
                recipient_role INTEGER NOT NULL,
                body BLOB NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt INTEGER NOT NULL,
                state INTEGER NOT NULL DEFAULT 0,
                last_error TEXT NULL);
            CREATE INDEX IF NOT EXISTS outbox_due ON outbox(state, next_attempt);
            CREATE TABLE IF NOT EXISTS congestion_points (address TEXT PRIMARY KEY);
            """);
    }

    /// <summary>The database file.</summary>
    public string Path => _connection.DataSource;

    /// <summary>Opens (creating if needed) the store in <paramref name="path"/>.</summary>
    public static UftpSqliteStore Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new UftpSqliteStore(path);
    }

    private void Execute(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private async ValueTask<T> LockedAsync<T>(Func<T> action, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return action();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Makes congestion points known.</summary>
    public ValueTask AddCongestionPointsAsync(IEnumerable<EntityAddress> points, CancellationToken cancellationToken = default) =>
        new(LockedAsync(() =>
        {
            using var tx = _connection.BeginTransaction();
            foreach (var p in points)
            {
                using var cmd = _connection.CreateCommand();
                cmd.Transaction = tx;
                cmd.CommandText = "INSERT OR IGNORE INTO congestion_points(address) VALUES ($a)";
                cmd.Parameters.AddWithValue("$a", p.Value);
                cmd.ExecuteNonQuery();
            }
            tx.Commit();
            return true;
        }, cancellationToken).AsTask());

    /// <summary>
    /// Stores a message (received or about to be sent) and, in the same transaction, the
    /// envelopes to queue (the automatic Response, or the message itself) and the <paramref name="reply"/>
    /// it answers with. False when a message
    /// with this MessageID is already stored (nothing is written then).
    /// </summary>
    public ValueTask<bool> SaveAsync(PayloadMessage message, UftpDirection direction, AcceptedRejected? result, IEnumerable<(string Domain, UftpRole Role, Guid MessageId, byte[] SignedXml)> enqueue, DateTimeOffset now, bool processed = false, PayloadMessage? reply = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var toQueue = enqueue.ToList();
        var rows = new List<(PayloadMessage Message, UftpDirection Direction, AcceptedRejected? Result, bool Processed)> { (message, direction, result, processed) };
        if (reply is not null) rows.Add((reply, UftpDirection.Outbound, null, true));
        return LockedAsync(() =>
        {
            using var tx = _connection.BeginTransaction();
            using (var exists = _connection.CreateCommand())
            {
                exists.Transaction = tx;
                exists.CommandText = "SELECT 1 FROM messages WHERE message_id = $id";
                exists.Parameters.AddWithValue("$id", Id(message.MessageId));
                if (exists.ExecuteScalar() is not null) return false;
            }
            foreach (var row in rows)
            {
                using (var insert = _connection.CreateCommand())
                {
                    insert.Transaction = tx;
                    insert.CommandText = """
                        INSERT INTO messages(message_id, conversation_id, type, direction, sender_domain, recipient_domain, ref_id, congestion_point, period, revision, result, processed, seq, xml)
                        VALUES ($id, $conv, $type, $dir, $sender, $recipient, $ref, $cp, $period, $rev, $result, $processed, (SELECT IFNULL(MAX(seq), 0) + 1 FROM messages), $xml)
                        """;
                    insert.Parameters.AddWithValue("$id", Id(row.Message.MessageId));
                    insert.Parameters.AddWithValue("$conv", Id(row.Message.ConversationId));
                    insert.Parameters.AddWithValue("$type", row.Message.MessageType.ToString());
                    insert.Parameters.AddWithValue("$dir", (int)row.Direction);
                    insert.Parameters.AddWithValue("$sender", row.Message.SenderDomain);
                    insert.Parameters.AddWithValue("$recipient", row.Message.RecipientDomain);
                    insert.Parameters.AddWithValue("$ref", (object?)ReferenceOf(row.Message) is { } r ? Id((Guid)r) : DBNull.Value);
                    insert.Parameters.AddWithValue("$cp", row.Message is FlexMessage f ? f.CongestionPoint.Value : DBNull.Value);
                    insert.Parameters.AddWithValue("$period", row.Message is FlexMessage fp ? fp.Period.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : DBNull.Value);
                    insert.Parameters.AddWithValue("$rev", row.Message switch { DPrognosis p => p.Revision, FlexRequest q => q.Revision, _ => DBNull.Value });
                    insert.Parameters.AddWithValue("$result", row.Result is { } res ? (int)res : DBNull.Value);
                    insert.Parameters.AddWithValue("$processed", row.Processed ? 1 : 0);
                    insert.Parameters.AddWithValue("$xml", UftpXml.Serialize(row.Message));
                    insert.ExecuteNonQuery();
                }
            }
            foreach (var (domain, role, messageId, signed) in toQueue)
            {
                using var queue = _connection.CreateCommand();
                queue.Transaction = tx;
                queue.CommandText = "INSERT INTO outbox(message_id, recipient_domain, recipient_role, body, next_attempt) VALUES ($id, $d, $r, $b, $n)";
                queue.Parameters.AddWithValue("$id", Id(messageId));
                queue.Parameters.AddWithValue("$d", domain);
                queue.Parameters.AddWithValue("$r", (int)role);
                queue.Parameters.AddWithValue("$b", signed);
                queue.Parameters.AddWithValue("$n", now.UtcTicks);
                queue.ExecuteNonQuery();
            }
            tx.Commit();
            return true;
        }, cancellationToken);
    }

    /// <summary>Queues one signed envelope for delivery, without storing a message.</summary>
    public ValueTask EnqueueAsync(string recipientDomain, UftpRole recipientRole, Guid messageId, byte[] signedXml, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        new(LockedAsync(() =>
        {
            using var queue = _connection.CreateCommand();
            queue.CommandText = "INSERT INTO outbox(message_id, recipient_domain, recipient_role, body, next_attempt) VALUES ($id, $d, $r, $b, $n)";
            queue.Parameters.AddWithValue("$id", Id(messageId));
            queue.Parameters.AddWithValue("$d", recipientDomain);
            queue.Parameters.AddWithValue("$r", (int)recipientRole);
            queue.Parameters.AddWithValue("$b", signedXml);
            queue.Parameters.AddWithValue("$n", now.UtcTicks);
            return queue.ExecuteNonQuery();
        }, cancellationToken).AsTask());

    /// <summary>Records the outcome a Response reported for one of our messages.</summary>
    public ValueTask SetResultAsync(Guid messageId, AcceptedRejected result, CancellationToken cancellationToken = default) =>
        new(LockedAsync(() =>
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "UPDATE messages SET result = $r WHERE message_id = $id";
            cmd.Parameters.AddWithValue("$r", (int)result);
            cmd.Parameters.AddWithValue("$id", Id(messageId));
            return cmd.ExecuteNonQuery();
        }, cancellationToken).AsTask());

    /// <summary>Marks an inbound message as handled by the role service.</summary>
    public ValueTask MarkProcessedAsync(Guid messageId, CancellationToken cancellationToken = default) =>
        new(LockedAsync(() =>
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "UPDATE messages SET processed = 1 WHERE message_id = $id";
            cmd.Parameters.AddWithValue("$id", Id(messageId));
            return cmd.ExecuteNonQuery();
        }, cancellationToken).AsTask());

    /// <summary>Inbound accepted messages the role service has not handled yet (after a crash), oldest first.</summary>
    public ValueTask<IReadOnlyList<PayloadMessage>> UnprocessedAsync(CancellationToken cancellationToken = default) =>
        LockedAsync<IReadOnlyList<PayloadMessage>>(() => Query("SELECT xml FROM messages WHERE direction = 0 AND processed = 0 AND result = 0 ORDER BY seq", _ => { }).Select(s => s.Message).ToList(), cancellationToken);

    /// <summary>Every stored message, in the order it was stored.</summary>
    public ValueTask<IReadOnlyList<UftpStoredMessage>> AllAsync(CancellationToken cancellationToken = default) =>
        LockedAsync<IReadOnlyList<UftpStoredMessage>>(() => Query("SELECT xml, direction, result, processed FROM messages ORDER BY seq", _ => { }), cancellationToken);

    /// <summary>One stored message with its direction and verdict, or null.</summary>
    public ValueTask<UftpStoredMessage?> GetAsync(Guid messageId, CancellationToken cancellationToken = default) =>
        LockedAsync(() => Query("SELECT xml, direction, result, processed FROM messages WHERE message_id = $id", c => c.Parameters.AddWithValue("$id", Id(messageId))).FirstOrDefault(), cancellationToken);

    private List<UftpStoredMessage> Query(string sql, Action<SqliteCommand> bind)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        bind(cmd);
        using var reader = cmd.ExecuteReader();
        var list = new List<UftpStoredMessage>();
        while (reader.Read())
        {
            var message = UftpXml.Parse((byte[])reader.GetValue(0));
            var direction = reader.FieldCount > 1 ? (UftpDirection)reader.GetInt32(1) : UftpDirection.Inbound;
            AcceptedRejected? result = reader.FieldCount > 2 && !reader.IsDBNull(2) ? (AcceptedRejected)reader.GetInt32(2) : null;
            var processed = reader.FieldCount > 3 && reader.GetInt32(3) == 1;
            list.Add(new UftpStoredMessage(message, direction, result, processed));
        }
        return list;
    }

    // ---- outbound queue ----

    /// <summary>Queued envelopes due at <paramref name="now"/>, oldest first.</summary>
    public ValueTask<IReadOnlyList<UftpOutboxItem>> DueAsync(DateTimeOffset now, int max = 32, CancellationToken cancellationToken = default) =>
        LockedAsync<IReadOnlyList<UftpOutboxItem>>(() =>
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "SELECT id, message_id, recipient_domain, recipient_role, body, attempts, next_attempt FROM outbox WHERE state = 0 AND next_attempt <= $now ORDER BY next_attempt, id LIMIT $max";
            cmd.Parameters.AddWithValue("$now", now.UtcTicks);
            cmd.Parameters.AddWithValue("$max", max);
            using var reader = cmd.ExecuteReader();
            var list = new List<UftpOutboxItem>();
            while (reader.Read())
            {
                list.Add(new UftpOutboxItem(reader.GetInt64(0), Guid.Parse(reader.GetString(1)), reader.GetString(2), (UftpRole)reader.GetInt32(3), (byte[])reader.GetValue(4), reader.GetInt32(5), new DateTimeOffset(reader.GetInt64(6), TimeSpan.Zero)));
            }
            return list;
        }, cancellationToken);

    /// <summary>When the next pending envelope is due, or null when the queue is empty.</summary>
    public ValueTask<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken = default) =>
        LockedAsync<DateTimeOffset?>(() =>
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "SELECT MIN(next_attempt) FROM outbox WHERE state = 0";
            return cmd.ExecuteScalar() is long ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
        }, cancellationToken);

    /// <summary>Number of envelopes still waiting to be delivered.</summary>
    public ValueTask<int> PendingCountAsync(CancellationToken cancellationToken = default) =>
        LockedAsync(() =>
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "SELECT COUNT(*) FROM outbox WHERE state = 0";
            return Convert.ToInt32(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
        }, cancellationToken);

    /// <summary>Marks an envelope delivered (state 1) or given up (state 2, with the error).</summary>
    public ValueTask CompleteAsync(long id, bool delivered, string? error = null, CancellationToken cancellationToken = default) =>
        new(LockedAsync(() =>
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "UPDATE outbox SET state = $s, last_error = $e, attempts = attempts + 1 WHERE id = $id";
            cmd.Parameters.AddWithValue("$s", delivered ? 1 : 2);
            cmd.Parameters.AddWithValue("$e", (object?)error ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$id", id);
            return cmd.ExecuteNonQuery();
        }, cancellationToken).AsTask());

    /// <summary>Schedules another attempt after a transient failure.</summary>
    public ValueTask RetryLaterAsync(long id, DateTimeOffset next, string error, CancellationToken cancellationToken = default) =>
        new(LockedAsync(() =>
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "UPDATE outbox SET attempts = attempts + 1, next_attempt = $n, last_error = $e WHERE id = $id";
            cmd.Parameters.AddWithValue("$n", next.UtcTicks);
            cmd.Parameters.AddWithValue("$e", error);
            cmd.Parameters.AddWithValue("$id", id);
            return cmd.ExecuteNonQuery();
        }, cancellationToken).AsTask());

    // ---- IUftpValidationContext ----

    public async ValueTask<PayloadMessage?> FindMessageAsync(Guid messageId, CancellationToken cancellationToken = default) =>
        (await GetAsync(messageId, cancellationToken).ConfigureAwait(false))?.Message;

    public ValueTask<bool> IsFlexOfferRevokedAsync(Guid flexOfferMessageId, CancellationToken cancellationToken = default) =>
        Exists("SELECT 1 FROM messages WHERE type = 'FlexOfferRevocation' AND ref_id = $id AND IFNULL(result, 0) = 0", flexOfferMessageId, cancellationToken);

    public ValueTask<bool> IsFlexOfferOrderedAsync(Guid flexOfferMessageId, CancellationToken cancellationToken = default) =>
        Exists("SELECT 1 FROM messages WHERE type = 'FlexOrder' AND ref_id = $id", flexOfferMessageId, cancellationToken);

    public ValueTask<bool> IsCongestionPointKnownAsync(EntityAddress congestionPoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(congestionPoint);
        return LockedAsync(() =>
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "SELECT 1 FROM congestion_points WHERE address = $a";
            cmd.Parameters.AddWithValue("$a", congestionPoint.Value);
            return cmd.ExecuteScalar() is not null;
        }, cancellationToken);
    }

    public ValueTask<long?> LatestRevisionAsync(UftpMessageType type, string senderDomain, EntityAddress congestionPoint, DateOnly period, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(congestionPoint);
        return LockedAsync<long?>(() =>
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "SELECT MAX(revision) FROM messages WHERE type = $t AND sender_domain = $s AND congestion_point = $c AND period = $p";
            cmd.Parameters.AddWithValue("$t", type.ToString());
            cmd.Parameters.AddWithValue("$s", senderDomain);
            cmd.Parameters.AddWithValue("$c", congestionPoint.Value);
            cmd.Parameters.AddWithValue("$p", period.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            return cmd.ExecuteScalar() is long r ? r : null;
        }, cancellationToken);
    }

    private ValueTask<bool> Exists(string sql, Guid id, CancellationToken ct) =>
        LockedAsync(() =>
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = sql;
            cmd.Parameters.AddWithValue("$id", Id(id));
            return cmd.ExecuteScalar() is not null;
        }, ct);

    private static Guid? ReferenceOf(PayloadMessage message) => message switch
    {
        FlexOrder o => o.FlexOfferMessageId,
        FlexOfferRevocation r => r.FlexOfferMessageId,
        FlexOffer f => f.FlexRequestMessageId,
        _ => UftpMessageTypes.ReferencedMessageId(message),
    };

    private static string Id(Guid id) => id.ToString("D");

    public void Dispose()
    {
        _connection.Dispose();
        _gate.Dispose();
    }
}
