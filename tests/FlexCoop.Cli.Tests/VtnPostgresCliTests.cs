using System.Text.RegularExpressions;
using FlexCoop.Testing;
using Npgsql;

namespace FlexCoop.Cli.Tests;

/// <summary><c>flexcoop vtn serve --postgres</c> (needs FLEXCOOP_TEST_POSTGRES; skipped locally without, required under CI=true).</summary>
public sealed partial class VtnCliTests
{
    [Fact]
    public async Task Vtn_serve_on_postgres_keeps_its_events_across_a_sigkill_in_its_own_schema()
    {
        var connection = Environment.GetEnvironmentVariable("FLEXCOOP_TEST_POSTGRES");
        if (string.IsNullOrEmpty(connection))
        {
            TestEnvironment.SkipOrFail("FLEXCOOP_TEST_POSTGRES not set (a PostgreSQL connection string; .ci/run sets it)");
        }
        var schema = "cli_" + Guid.NewGuid().ToString("N")[..16];
        string[] store = ["--postgres", connection!, "--postgres-schema", schema];
        try
        {
            string eventId;
            await using (var first = await ServeProcess.StartWithStoreAsync(store))
            {
                var created = await Flexcoop.RunAsync("vtn", "events", "create", "--api", first.Api, "--signal", "SIMPLE", "--interval", "PT30M=1", "--start", "+PT1H");
                Assert.True(created.ExitCode == 0, created.StdErr);
                eventId = Regex.Match(created.StdOut, @"created (\S+) \(modificationNumber 0").Groups[1].Value;
                Assert.NotEmpty(eventId);
                await first.KillAsync();
            }

            await using var second = await ServeProcess.StartWithStoreAsync(store);
            var list = await Flexcoop.RunAsync("vtn", "events", "list", "--api", second.Api);
            Assert.Equal(0, list.ExitCode);
            Assert.Matches($@"{Regex.Escape(eventId)}\s+0\s+(far|near)", list.StdOut);
            await using var data = new NpgsqlConnection(connection);
            await data.OpenAsync(Ct);
            await using var tables = data.CreateCommand();
            tables.CommandText = "SELECT count(*) FROM information_schema.tables WHERE table_schema = @schema";
            tables.Parameters.AddWithValue("schema", schema);
            Assert.True(Convert.ToInt64(await tables.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture) > 0);
        }
        finally
        {
            await using (var data = new NpgsqlConnection(connection))
            {
                await data.OpenAsync(CancellationToken.None);
                await using var drop = data.CreateCommand();
                drop.CommandText = $"DROP SCHEMA IF EXISTS {schema} CASCADE";
                await drop.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
    }
}
