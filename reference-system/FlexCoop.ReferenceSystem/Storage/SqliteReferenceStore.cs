using System.Data.Common;
using FlexCoop.OpenAdr.Vtn.Storage;
using FlexCoop.ReferenceSystem.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace FlexCoop.ReferenceSystem.Storage;

/// <summary>
/// The default store: SQLite files in one data directory (<c>vtn.db</c> for the VTN,
/// <c>registry.db</c> for the registry and identity tables, <c>identity.db</c> for OpenIddict), in
/// WAL mode. One node only: several nodes need <see cref="PostgresReferenceStore"/>.
/// </summary>
public sealed class SqliteReferenceStore : RelationalReferenceStore
{
    private readonly string _connectionString;
    private readonly string _identityConnectionString;
    private readonly SqliteVtnStore _vtn;
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly string _synchronous;

    /// <summary>A store in <paramref name="directory"/> (created when missing).</summary>
    /// <param name="directory">The data directory.</param>
    /// <param name="synchronousFull">
    /// True (default): every commit is flushed to disk (<c>synchronous=FULL</c>) and survives a power
    /// loss. False: <c>synchronous=NORMAL</c>, which in WAL mode still survives a killed process but may
    /// lose the last commits on a power loss or OS crash; about ten times more commits a second
    /// (each OSB status report is one), which one node needs beyond a few thousand homes.
    /// </param>
    public SqliteReferenceStore(string directory, bool synchronousFull = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = System.IO.Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(Directory);
        _synchronous = synchronousFull ? "FULL" : "NORMAL";
        _vtn = new SqliteVtnStore(System.IO.Path.Combine(Directory, "vtn.db"), new SqliteStoreOptions { SynchronousFull = synchronousFull });
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = System.IO.Path.Combine(Directory, "registry.db"),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _identityConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = System.IO.Path.Combine(Directory, "identity.db"),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>The data directory.</summary>
    public string Directory { get; }

    public override IVtnStore Vtn => _vtn;

    public override void ConfigureIdentityDatabase(DbContextOptionsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSqlite(_identityConnectionString);
        builder.UseOpenIddict();
    }

    private protected override IReadOnlyList<IReadOnlyList<string>> Migrations { get; } =
    [
        Tables(text: "TEXT", integer: "INTEGER", real: "REAL", identity: "INTEGER PRIMARY KEY AUTOINCREMENT"),
        StatusFreshness(integer: "INTEGER"),
    ];

    public override async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await using (var connection = new SqliteConnection(_connectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "PRAGMA journal_mode=WAL;";
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }
        await base.InitializeAsync(cancellationToken);
    }

    private protected override async Task InitializeIdentityDatabaseAsync(CancellationToken cancellationToken)
    {
        var options = new DbContextOptionsBuilder<ReferenceIdentityDbContext>();
        ConfigureIdentityDatabase(options);
        await using var db = new ReferenceIdentityDbContext(options.Options);
        // identity.db holds only OpenIddict's tables: EnsureCreated creates them on a new file.
        await db.Database.EnsureCreatedAsync(cancellationToken);
    }

    private protected override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = $"PRAGMA synchronous={_synchronous}; PRAGMA busy_timeout=10000;";
            await cmd.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private protected override ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    private protected override async ValueTask<IDisposable?> EnterWriteAsync(CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        return new Release(_writer);
    }

    public override async ValueTask DisposeAsync()
    {
        await _vtn.DisposeAsync();
        SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
        SqliteConnection.ClearPool(new SqliteConnection(_identityConnectionString));
        _writer.Dispose();
    }

    private sealed class Release(SemaphoreSlim semaphore) : IDisposable
    {
        private SemaphoreSlim? _semaphore = semaphore;

        public void Dispose() => Interlocked.Exchange(ref _semaphore, null)?.Release();
    }
}
