using FlexCoop.OpenAdr.Vtn.Storage;
using FlexCoop.Testing;
using Npgsql;

namespace FlexCoop.OpenAdr.Engine.Tests.Storage;

/// <summary>The store contract on PostgreSQL, in a schema of its own (needs FLEXCOOP_TEST_POSTGRES).</summary>
public sealed class PostgresVtnStoreTests : VtnStoreContract
{
    private readonly string _schema = "t_" + Guid.NewGuid().ToString("N");

    internal static string ConnectionString()
    {
        var cs = Environment.GetEnvironmentVariable("FLEXCOOP_TEST_POSTGRES");
        if (string.IsNullOrEmpty(cs))
        {
            TestEnvironment.SkipOrFail("FLEXCOOP_TEST_POSTGRES not set (a PostgreSQL connection string; .ci/run sets it)");
        }
        return cs!;
    }

    protected override Task<IVtnStore> OpenAsync() => Task.FromResult<IVtnStore>(new PostgresVtnStore(ConnectionString(), _schema));

    protected override async Task DropAsync()
    {
        var cs = Environment.GetEnvironmentVariable("FLEXCOOP_TEST_POSTGRES");
        if (string.IsNullOrEmpty(cs)) return;
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"DROP SCHEMA IF EXISTS {_schema} CASCADE";
        await cmd.ExecuteNonQueryAsync();
    }
}
