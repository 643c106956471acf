using System.Buffers.Binary;
using FlexCoop.Iec61850.Mms.Ber;
using Microsoft.Data.Sqlite;

namespace FlexCoop.Iec61850.Mms.Server;

/// <summary>
/// Where the journals of an <see cref="MmsVmd"/> keep their entries: an SQLite database, a file
/// (entries survive a restart of the server) or in memory (the default). Every journal keeps at
/// most <see cref="Capacity"/> entries; beyond it the oldest are purged. Entry identifiers are
/// increasing 64-bit numbers, never reused, carried as 8 octets (big-endian) on the wire.
/// </summary>
public sealed class MmsJournalStore : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly object _gate = new();
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

    // Statements of the hot path (an entry per logged change), prepared once.
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _purge;
    private readonly SqliteCommand _bounds;
    private bool _disposed;

    /// <summary>Opens (or creates) the store.</summary>
    /// <param name="path">The SQLite file; null keeps the entries in memory only.</param>
    /// <param name="capacity">Entries kept per journal (at least 1).</param>
    public MmsJournalStore(string? path = null, int capacity = 10_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        Path = path;
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path ?? ":memory:",
            Mode = path is null ? SqliteOpenMode.Memory : SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        };
        _connection = new SqliteConnection(builder.ToString());
        try
        {
            _connection.Open();
            Execute(path is null ? "PRAGMA journal_mode=MEMORY;" : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
            Execute("""
                CREATE TABLE IF NOT EXISTS journal_entry (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    journal TEXT NOT NULL,
                    time_key INTEGER NOT NULL,
                    days INTEGER NULL,
                    ms INTEGER NOT NULL,
                    data BLOB NOT NULL);
                CREATE INDEX IF NOT EXISTS journal_entry_by_journal ON journal_entry (journal, id);
                """);
            _insert = Prepare("INSERT INTO journal_entry (journal, time_key, days, ms, data) VALUES ($j, $k, $d, $m, $data) RETURNING id;",
                ("$j", SqliteType.Text), ("$k", SqliteType.Integer), ("$d", SqliteType.Integer), ("$m", SqliteType.Integer), ("$data", SqliteType.Blob));
            _purge = Prepare("DELETE FROM journal_entry WHERE id IN (SELECT id FROM journal_entry WHERE journal = $j ORDER BY id LIMIT $n);",
                ("$j", SqliteType.Text), ("$n", SqliteType.Integer));
            _bounds = Prepare("""
                SELECT id, days, ms FROM journal_entry WHERE id = (SELECT MIN(id) FROM journal_entry WHERE journal = $j)
                UNION ALL
                SELECT id, days, ms FROM journal_entry WHERE id = (SELECT MAX(id) FROM journal_entry WHERE journal = $j);
                """, ("$j", SqliteType.Text));
        }
        catch (SqliteException ex)
        {
            _connection.Dispose();
            throw new MmsJournalStoreException($"cannot open the journal store '{path}': {ex.Message}", ex);
        }
    }

    /// <summary>The SQLite file, or null in memory.</summary>
    public string? Path { get; }

    /// <summary>Entries kept per journal; the oldest are purged beyond it.</summary>
    public int Capacity { get; }

    /// <summary>The ordering key of a time: days since 1984 then milliseconds of the day.</summary>
    internal static long TimeKey(MmsBinaryTime t) => ((long)(t.DaysSince1984 ?? 0) << 32) | t.MillisecondsOfDay;

    /// <summary>The 8-octet EntryID of an entry number.</summary>
    public static byte[] EntryIdOf(ulong number)
    {
        var id = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(id, number);
        return id;
    }

    /// <summary>The entry number of an 8-octet EntryID; null when it is not 8 octets.</summary>
    public static ulong? NumberOf(ReadOnlySpan<byte> entryId) => entryId.Length == 8 ? BinaryPrimitives.ReadUInt64BigEndian(entryId) : null;

    /// <summary>Appends an entry to <paramref name="journal"/>; returns its entry number.</summary>
    public ulong Append(string journal, MmsBinaryTime occurrenceTime, IReadOnlyList<(string Tag, MmsValue Value)> variables) =>
        Guard(() => AppendCore(journal, occurrenceTime, variables));

    private ulong AppendCore(string journal, MmsBinaryTime occurrenceTime, IReadOnlyList<(string Tag, MmsValue Value)> variables)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(occurrenceTime);
        ArgumentNullException.ThrowIfNull(variables);
        var data = Encode(variables);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var count = CountLocked(journal) + 1;
            using var transaction = _connection.BeginTransaction();
            _insert.Transaction = transaction;
            _purge.Transaction = transaction;
            _insert.Parameters["$j"].Value = journal;
            _insert.Parameters["$k"].Value = TimeKey(occurrenceTime);
            _insert.Parameters["$d"].Value = occurrenceTime.DaysSince1984 is { } d ? d : DBNull.Value;
            _insert.Parameters["$m"].Value = (long)occurrenceTime.MillisecondsOfDay;
            _insert.Parameters["$data"].Value = data;
            var id = (long)_insert.ExecuteScalar()!;
            if (count > Capacity)
            {
                _purge.Parameters["$j"].Value = journal;
                _purge.Parameters["$n"].Value = count - Capacity;
                count -= _purge.ExecuteNonQuery();
            }
            transaction.Commit();
            _insert.Transaction = null;
            _purge.Transaction = null;
            _counts[journal] = count;
            return (ulong)id;
        }
    }

    /// <summary>Entries of <paramref name="journal"/> kept now.</summary>
    public int Count(string journal)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return CountLocked(journal);
        }
    }

    private int CountLocked(string journal)
    {
        if (_counts.TryGetValue(journal, out var n)) return n;
        using var count = _connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM journal_entry WHERE journal = $j;";
        count.Parameters.AddWithValue("$j", journal);
        n = (int)(long)count.ExecuteScalar()!;
        _counts[journal] = n;
        return n;
    }

    /// <summary>
    /// Up to <paramref name="limit"/> entries of <paramref name="journal"/> in entry order: those
    /// numbered above <paramref name="afterEntry"/> whose time lies within
    /// [<paramref name="from"/>, <paramref name="to"/>] (either bound may be null).
    /// </summary>
    public IReadOnlyList<MmsJournalEntry> Read(string journal, MmsBinaryTime? from, MmsBinaryTime? to, ulong afterEntry = 0, int limit = 1000) =>
        Guard(() => ReadCore(journal, from, to, afterEntry, limit));

    private List<MmsJournalEntry> ReadCore(string journal, MmsBinaryTime? from, MmsBinaryTime? to, ulong afterEntry, int limit)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var select = _connection.CreateCommand();
            select.CommandText = "SELECT id, days, ms, data FROM journal_entry WHERE journal = $j AND id > $after AND time_key >= $from AND time_key <= $to ORDER BY id LIMIT $n;";
            select.Parameters.AddWithValue("$j", journal);
            select.Parameters.AddWithValue("$after", (long)Math.Min(afterEntry, long.MaxValue));
            select.Parameters.AddWithValue("$from", from is null ? long.MinValue : TimeKey(from));
            select.Parameters.AddWithValue("$to", to is null ? long.MaxValue : TimeKey(to));
            select.Parameters.AddWithValue("$n", limit);
            var entries = new List<MmsJournalEntry>();
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                var id = (ulong)reader.GetInt64(0);
                ushort? days = reader.IsDBNull(1) ? null : (ushort)reader.GetInt64(1);
                var time = new MmsBinaryTime((uint)reader.GetInt64(2), days);
                // An entry that does not decode (a damaged file) is left out rather than failing the whole query.
                if (Decode((byte[])reader.GetValue(3)) is { } variables) entries.Add(new MmsJournalEntry(EntryIdOf(id), time, variables));
            }
            return entries;
        }
    }

    /// <summary>The oldest and newest entry number and time of <paramref name="journal"/>; null when it is empty.</summary>
    public (ulong OldestEntry, MmsBinaryTime OldestTime, ulong NewestEntry, MmsBinaryTime NewestTime)? Bounds(string journal)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _bounds.Parameters["$j"].Value = journal;
            using var reader = _bounds.ExecuteReader();
            var rows = new List<(ulong, MmsBinaryTime)>(2);
            while (reader.Read())
            {
                rows.Add(((ulong)reader.GetInt64(0), new MmsBinaryTime((uint)reader.GetInt64(2), reader.IsDBNull(1) ? null : (ushort)reader.GetInt64(1))));
            }
            if (rows.Count < 2) return null;
            return (rows[0].Item1, rows[0].Item2, rows[1].Item1, rows[1].Item2);
        }
    }

    /// <summary>
    /// Deletes the entries of <paramref name="journal"/> up to and including <paramref name="untilEntry"/>
    /// (all when null) and no later than <paramref name="untilTime"/> (any time when null); returns how many.
    /// </summary>
    public int Delete(string journal, MmsBinaryTime? untilTime = null, ulong? untilEntry = null) =>
        Guard(() => DeleteCore(journal, untilTime, untilEntry));

    private int DeleteCore(string journal, MmsBinaryTime? untilTime, ulong? untilEntry)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var delete = _connection.CreateCommand();
            delete.CommandText = "DELETE FROM journal_entry WHERE journal = $j AND time_key <= $to AND id <= $until;";
            delete.Parameters.AddWithValue("$j", journal);
            delete.Parameters.AddWithValue("$to", untilTime is null ? long.MaxValue : TimeKey(untilTime));
            delete.Parameters.AddWithValue("$until", (long)Math.Min(untilEntry ?? ulong.MaxValue, long.MaxValue));
            var n = delete.ExecuteNonQuery();
            _counts.Remove(journal);
            return n;
        }
    }

    private static T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (SqliteException ex)
        {
            throw new MmsJournalStoreException("journal store: " + ex.Message, ex);
        }
    }

    private SqliteCommand Prepare(string sql, params (string Name, SqliteType Type)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, type) in parameters) command.Parameters.Add(name, type);
        command.Prepare();
        return command;
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>The variables of an entry as one MMS structure of (tag, value) pairs, BER encoded.</summary>
    private static byte[] Encode(IReadOnlyList<(string Tag, MmsValue Value)> variables)
    {
        var pairs = new MmsValue[variables.Count];
        for (var i = 0; i < variables.Count; i++) pairs[i] = new MmsStructure(new MmsVisibleString(variables[i].Tag), variables[i].Value);
        var writer = new BerWriter(64 * Math.Max(1, variables.Count));
        MmsDataCodec.WriteData(writer, new MmsStructure(pairs));
        return writer.ToArray();
    }

    private static List<(string Tag, MmsValue Value)>? Decode(byte[] data)
    {
        try
        {
            var reader = new BerReader(data, "journal");
            if (MmsDataCodec.ReadData(ref reader) is not MmsStructure all) return null;
            var variables = new List<(string, MmsValue)>(all.Components.Count);
            foreach (var pair in all.Components)
            {
                if (pair is not MmsStructure { Components: [MmsVisibleString tag, var value] }) return null;
                variables.Add((tag.Value, value));
            }
            return variables;
        }
        catch (MmsDecodeException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _insert.Dispose();
            _purge.Dispose();
            _bounds.Dispose();
            _connection.Dispose();
        }
    }
}
