using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace FlexCoop.OpenAdr.Vtn.Storage;

/// <summary>
/// The default store: one SQLite file in WAL mode. Writers in this process take turns (SQLite
/// has one writer at a time; queuing them here avoids busy-waiting inside SQLite), readers run
/// beside them.
/// </summary>
/// <remarks>
/// Durability: <c>synchronous=FULL</c> by default, so a committed transaction survives a power
/// loss, not only a killed process. With WAL, <c>NORMAL</c> (see <see cref="SqliteStoreOptions.SynchronousFull"/>)
/// still survives a killed process (the WAL is in the OS page cache) and is faster, but the last
/// commits before a power loss may be rolled back.
/// </remarks>
public sealed class SqliteVtnStore : RelationalVtnStore
{
    private readonly string _connectionString;
    private readonly string _synchronous;
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly System.Collections.Concurrent.ConcurrentBag<SqliteConnection> _idle = [];
    private int _idleCount;
    private int _disposed;

    // Open connections kept for reuse, each with its prepared statements: more than the readers and
    // the one writer that run at once on a busy VTN; a connection beyond that is closed when given back.
    private const int MaxIdle = 16;

    /// <summary>A store on <paramref name="path"/> (created when missing).</summary>
    public SqliteVtnStore(string path, SqliteStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new SqliteStoreOptions();
        Path = System.IO.Path.GetFullPath(path);
        _synchronous = options.SynchronousFull ? "FULL" : "NORMAL";
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = (int)options.BusyTimeout.TotalSeconds,
        }.ToString();
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    private protected override IReadOnlyList<string> SchemaStatements { get; } =
        Tables(text: "TEXT", integer: "INTEGER", real: "REAL", identity: "INTEGER PRIMARY KEY AUTOINCREMENT");

    private protected override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        if (_idle.TryTake(out var idle))
        {
            Interlocked.Decrement(ref _idleCount);
            return idle;
        }
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = $"PRAGMA synchronous={_synchronous}; PRAGMA busy_timeout=10000;";
            await cmd.ExecuteNonQueryAsync(cancellationToken);
            CacheCommands(connection);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private protected override ValueTask ReturnConnectionAsync(DbConnection connection)
    {
        if (Volatile.Read(ref _disposed) == 0 && connection.State == System.Data.ConnectionState.Open)
        {
            if (Interlocked.Increment(ref _idleCount) <= MaxIdle)
            {
                _idle.Add((SqliteConnection)connection);
                return ValueTask.CompletedTask;
            }
            Interlocked.Decrement(ref _idleCount);
        }
        DropCommands(connection);
        return connection.DisposeAsync();
    }

    private protected override async Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // journal_mode is a property of the file; it cannot change inside a transaction.
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode=WAL;";
        var mode = (string?)await cmd.ExecuteScalarAsync(cancellationToken);
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new VtnStoreException($"{Path}: SQLite refused WAL mode (journal_mode is {mode})");
        }
    }

    private protected override bool GroupCommit => true;

    private protected override ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        // BEGIN IMMEDIATE: take the write lock now, not at the first write, so a reader never has to upgrade.
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    private protected override async ValueTask<IDisposable?> EnterWriteAsync(CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        return new Release(_writer);
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        while (_idle.TryTake(out var connection))
        {
            DropCommands(connection);
            await connection.DisposeAsync();
        }
        SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
        _writer.Dispose();
    }

    private sealed class Release(SemaphoreSlim semaphore) : IDisposable
    {
        private SemaphoreSlim? _semaphore = semaphore;

        public void Dispose() => Interlocked.Exchange(ref _semaphore, null)?.Release();
    }
}

/// <summary>Options of <see cref="SqliteVtnStore"/>.</summary>
public sealed record SqliteStoreOptions
{
    /// <summary>True (default) for <c>synchronous=FULL</c>; false for <c>NORMAL</c>, which survives a killed process but not a power loss.</summary>
    public bool SynchronousFull { get; init; } = true;

    /// <summary>How long a statement waits for a lock held by another process.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
