using FlexCoop.OpenAdr.Vtn.Storage;

namespace FlexCoop.OpenAdr.Engine.Tests.Storage;

/// <summary>The store contract on a SQLite file of its own.</summary>
public sealed class SqliteVtnStoreTests : VtnStoreContract
{
    private readonly string _dir = Directory.CreateTempSubdirectory("flexcoop-vtn-store-").FullName;

    protected override Task<IVtnStore> OpenAsync() => Task.FromResult<IVtnStore>(new SqliteVtnStore(Path.Combine(_dir, "vtn.db")));

    protected override Task DropAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_database_file_is_in_wal_mode()
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_dir, "vtn.db")};Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }
}
