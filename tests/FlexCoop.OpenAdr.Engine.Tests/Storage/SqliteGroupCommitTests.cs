using FlexCoop.OpenAdr.Vtn;
using FlexCoop.OpenAdr.Vtn.Storage;

namespace FlexCoop.OpenAdr.Engine.Tests.Storage;

/// <summary>
/// SQLite's group commit: concurrent writes share transactions, each still committed before its
/// caller returns, and one that fails takes none of the others with it.
/// </summary>
public sealed class SqliteGroupCommitTests : IAsyncDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("flexcoop-group-commit-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string File => Path.Combine(_dir, "vtn.db");

    private static VenRecord Ven(string id, string fingerprint) => new()
    {
        VenId = id,
        VenName = id,
        Fingerprint = fingerprint,
        RegistrationId = "reg-" + id,
        HttpPullModel = true,
        CreatedAt = T0,
        UpdatedAt = T0,
    };

    [Fact]
    public async Task Concurrent_writes_are_all_committed_and_read_back_from_another_store()
    {
        await using (var store = new SqliteVtnStore(File))
        {
            await store.InitializeAsync(Ct);
            await Task.WhenAll(Enumerable.Range(0, 300).Select(i => Task.Run(() =>
                store.EnqueueAsync([new OutboundRequest($"ven-{i}", "oadrCreateReport", $"<r{i}/>", OutboundChannel.Poll)], T0, Ct), Ct)));
        }

        await using var reopened = new SqliteVtnStore(File);
        await reopened.InitializeAsync(Ct);
        for (var i = 0; i < 300; i++)
        {
            Assert.Equal($"<r{i}/>", Assert.Single(await reopened.ListOutboundAsync($"ven-{i}", Ct)).Body);
        }
    }

    [Fact]
    public async Task A_write_that_breaks_a_constraint_fails_alone()
    {
        await using var store = new SqliteVtnStore(File);
        await store.InitializeAsync(Ct);
        await store.SaveVenAsync(Ven("ven-first", "AA:BB"), Ct);

        var others = Enumerable.Range(0, 100).Select(i => Task.Run(() => store.SaveVenAsync(Ven($"ven-{i:D3}", $"F{i:D3}"), Ct), Ct)).ToList();
        var duplicate = Task.Run(() => store.SaveVenAsync(Ven("ven-thief", "AA:BB"), Ct), Ct);
        await Task.WhenAll(others);

        await Assert.ThrowsAsync<VtnStoreException>(() => duplicate);
        var vens = await store.ListVensAsync(Ct);
        Assert.Equal(101, vens.Count);
        Assert.DoesNotContain(vens, v => v.VenId == "ven-thief");
    }

    [Fact]
    public async Task One_vens_event_response_is_read_without_the_others()
    {
        await using var store = new SqliteVtnStore(File);
        await store.InitializeAsync(Ct);
        foreach (var ven in new[] { "ven-a", "ven-b" })
        {
            await store.SaveEventResponseAsync(new EventResponseRecord
            {
                EventId = "evt-1",
                VenId = ven,
                ModificationNumber = 2,
                OptType = ven == "ven-a" ? "optIn" : "optOut",
                ResponseCode = "200",
                RequestId = "r1",
                Source = "oadrCreatedEvent",
                ReceivedAt = T0,
            }, Ct);
        }

        Assert.Equal("optOut", (await store.GetEventResponseAsync("evt-1", "ven-b", Ct))?.OptType);
        Assert.Null(await store.GetEventResponseAsync("evt-1", "ven-c", Ct));
        Assert.Null(await store.GetEventResponseAsync("evt-2", "ven-a", Ct));
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return ValueTask.CompletedTask;
    }
}
