using FlexCoop.OpenAdr.Vtn;
using FlexCoop.OpenAdr.Vtn.Storage;
using Npgsql;

namespace FlexCoop.OpenAdr.Engine.Tests.Storage;

/// <summary>
/// The push path's batch claim and the reuse of prepared statements, on both stores: a batch
/// claimed by a VTN that then dies is due again once the claim runs out, for the VTN restarted on
/// the same database; a statement reused with other values (NULL among them) or after a failure
/// behaves as a fresh one.
/// </summary>
public abstract class OutboxBatchContract : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private IVtnStore? _store;

    private IVtnStore Store => _store ?? throw new InvalidOperationException("not initialised");

    private protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract IVtnStore Open();

    protected abstract Task DropAsync();

    public async ValueTask InitializeAsync()
    {
        _store = Open();
        await _store.InitializeAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is not null) await _store.DisposeAsync();
        await DropAsync();
        GC.SuppressFinalize(this);
    }

    private static OutboundRequest Distribute(string venId) => new(venId, "oadrDistributeEvent", null, OutboundChannel.Push, Coalesce: true);

    [Fact]
    public async Task A_claimed_batch_is_due_again_for_a_restarted_vtn_once_the_claim_runs_out()
    {
        var vens = Enumerable.Range(0, 40).Select(i => $"ven-{i}").ToList();
        var ids = await Store.EnqueueAsync(vens.Select(Distribute).ToList(), T0, Ct);
        Assert.Equal(40, ids.Count);

        Assert.Equal(ids.Order(), (await Store.LeaseManyAsync(ids, T0, T0.AddSeconds(30), Ct)).Order());
        // A second VTN on the same store, a moment later, claims none of them.
        Assert.Empty(await Store.LeaseManyAsync(ids, T0.AddSeconds(1), T0.AddSeconds(31), Ct));
        Assert.Empty(await Store.ListDuePushAsync(T0.AddSeconds(29), 100, Ct));
        // A new event while the batch is out: every VEN gets a new distribute, none counts on the claimed one.
        var again = await Store.EnqueueAsync(vens.Select(Distribute).ToList(), T0.AddSeconds(1), Ct);
        Assert.Equal(40, again.Count);

        // The VTN dies with the batch claimed; the one started on the same database delivers it all.
        await Store.DisposeAsync();
        _store = Open();
        await _store.InitializeAsync(Ct);
        Assert.Equal(again.Order(), (await Store.ListDuePushAsync(T0.AddSeconds(29), 100, Ct)).Select(m => m.Id).Order());
        var due = await Store.ListDuePushAsync(T0.AddSeconds(30), 100, Ct);
        Assert.Equal(ids.Concat(again).Order(), due.Select(m => m.Id).Order());
        Assert.All(due, m => Assert.Equal(OutboundState.Pending, m.State));
    }

    [Fact]
    public async Task A_batch_claim_leaves_delivered_and_failed_messages_as_they_are()
    {
        var ids = await Store.EnqueueAsync([Distribute("ven-a"), Distribute("ven-b"), Distribute("ven-c")], T0, Ct);
        await Store.MarkDeliveredAsync(ids[0], T0, Ct);
        await Store.MarkAttemptFailedAsync(ids[1], null, "gave up", Ct);

        Assert.Equal([ids[2]], await Store.LeaseManyAsync(ids, T0, T0.AddSeconds(30), Ct));
        Assert.Empty(await Store.LeaseManyAsync([], T0, T0.AddSeconds(60), Ct));

        Assert.Equal((OutboundState.Delivered, T0), ((await Store.ListOutboundAsync("ven-a", Ct))[0].State, (await Store.ListOutboundAsync("ven-a", Ct))[0].NextAttemptAt));
        Assert.Equal(OutboundState.Failed, (await Store.ListOutboundAsync("ven-b", Ct))[0].State);
        Assert.Equal(T0.AddSeconds(30), (await Store.ListOutboundAsync("ven-c", Ct))[0].NextAttemptAt);
    }

    [Fact]
    public async Task A_newer_push_waits_until_the_same_vens_older_one_is_settled()
    {
        // Two VTNs on one store: one has claimed the VEN's first distribute; the other must not send the
        // second before it (the one that arrives last is what the VEN keeps).
        var first = await Store.EnqueueAsync([Distribute("ven-a"), Distribute("ven-b")], T0, Ct);
        Assert.Equal(first.Order(), (await Store.LeaseManyAsync(first, T0, T0.AddSeconds(30), Ct)).Order());
        var second = await Store.EnqueueAsync([Distribute("ven-a"), Distribute("ven-c")], T0.AddSeconds(1), Ct);
        Assert.Equal([second[1]], await Store.LeaseManyAsync(second, T0.AddSeconds(1), T0.AddSeconds(31), Ct));

        // The first one is retried later (still pending): the second keeps waiting behind it.
        await Store.MarkAttemptFailedAsync(first[0], T0.AddSeconds(10), "HTTP 503", Ct);
        Assert.Empty(await Store.LeaseManyAsync([second[0]], T0.AddSeconds(2), T0.AddSeconds(32), Ct));

        // Once the first is delivered (or given up), the second goes.
        await Store.MarkDeliveredAsync(first[0], T0.AddSeconds(11), Ct);
        Assert.Equal([second[0]], await Store.LeaseManyAsync([second[0]], T0.AddSeconds(12), T0.AddSeconds(42), Ct));
    }

    [Fact]
    public async Task A_reused_statement_binds_null_and_values_alike()
    {
        var bare = new VenRecord
        {
            VenId = "ven-a",
            Fingerprint = "aa",
            TransportAddress = null,
            HttpPullModel = true,
            CreatedAt = T0,
            UpdatedAt = T0,
        };
        for (var round = 0; round < 3; round++)
        {
            // The same statement with NULL, then text, then NULL again in the same columns.
            var ven = round % 2 == 0 ? bare : bare with { VenName = "named", RegistrationId = "reg-1", TransportAddress = "https://ven.example" };
            await Store.SaveVenAsync(ven, Ct);
            Assert.Equal(ven, await Store.GetVenAsync("ven-a", Ct));
        }
    }

    [Fact]
    public async Task A_statement_that_failed_runs_again_afterwards()
    {
        var a = new VenRecord { VenId = "ven-a", Fingerprint = "aa", HttpPullModel = true, CreatedAt = T0, UpdatedAt = T0 };
        await Store.SaveVenAsync(a, Ct);
        for (var i = 0; i < 2; i++)
        {
            // A second VEN with the first one's certificate: refused, every time.
            await Assert.ThrowsAsync<VtnStoreException>(() => Store.SaveVenAsync(a with { VenId = "ven-b" }, Ct));
        }
        await Store.SaveVenAsync(a with { VenId = "ven-b", Fingerprint = "bb" }, Ct);
        Assert.Equal(["ven-a", "ven-b"], (await Store.ListVensAsync(Ct)).Select(v => v.VenId));
    }
}

/// <summary><see cref="OutboxBatchContract"/> on a SQLite file of its own.</summary>
public sealed class SqliteOutboxBatchTests : OutboxBatchContract
{
    private readonly string _dir = Directory.CreateTempSubdirectory("flexcoop-vtn-batch-").FullName;

    protected override IVtnStore Open() => new SqliteVtnStore(Path.Combine(_dir, "vtn.db"));

    protected override Task DropAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary><see cref="OutboxBatchContract"/> on PostgreSQL, in a schema of its own (needs FLEXCOOP_TEST_POSTGRES).</summary>
public sealed class PostgresOutboxBatchTests : OutboxBatchContract
{
    private readonly string _schema = "t_" + Guid.NewGuid().ToString("N");

    protected override IVtnStore Open() => new PostgresVtnStore(PostgresVtnStoreTests.ConnectionString(), _schema);

    [Fact]
    public async Task A_distribute_being_claimed_elsewhere_is_not_coalesced_into()
    {
        // Two engines on one store: one is claiming the VEN's queued distribute (its transaction holds the row) while
        // the other saves an event change for the same VEN. Coalescing into that message would count on a
        // distribute built before the change; a new message is queued instead.
        var store = Open();
        await using var _ = store;
        await store.InitializeAsync(Ct);
        var t0 = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var request = new OutboundRequest("ven-a", "oadrDistributeEvent", null, OutboundChannel.Push, Coalesce: true);
        var first = await store.EnqueueAsync([request], t0, Ct);
        Assert.Empty(await store.EnqueueAsync([request], t0.AddSeconds(1), Ct));

        await using var claimer = new NpgsqlConnection(PostgresVtnStoreTests.ConnectionString());
        await claimer.OpenAsync(Ct);
        await using var tx = await claimer.BeginTransactionAsync(Ct);
        await using (var claim = claimer.CreateCommand())
        {
            claim.Transaction = tx;
            claim.CommandText = $"UPDATE {_schema}.outbox SET next_attempt_at = next_attempt_at WHERE id = {first[0]}";
            Assert.Equal(1, await claim.ExecuteNonQueryAsync(Ct));
        }
        var second = await store.EnqueueAsync([request], t0.AddSeconds(2), Ct);
        Assert.Single(second);
        Assert.NotEqual(first[0], second[0]);
        await tx.RollbackAsync(Ct);
    }

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
