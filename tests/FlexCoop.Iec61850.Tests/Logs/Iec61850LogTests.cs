using System.Net;
using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Iec61850.Mms.Client;
using FlexCoop.Iec61850.Mms.Server;
using FlexCoop.Iec61850.Model;
using FlexCoop.Iec61850.Tests.Mms;

namespace FlexCoop.Iec61850.Tests.Logs;

/// <summary>Log control blocks of the DER model writing to the SQLite journal store, queried by our client over real sockets.</summary>
public sealed class Iec61850LogTests
{
    internal const string Lcb = "DER1CTRL/LLN0.lcbEvents";
    internal const string LogRef = "DER1CTRL/LLN0$EventLog";
    internal const string SchdSt = "DER1CTRL/FSCH1.SchdSt.stVal";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static async Task<(Iec61850Server Server, Iec61850Client Client)> StartAsync(MmsServerOptions? options = null, MmsClientOptions? clientOptions = null)
    {
        var server = new Iec61850Server(Iec61850MappingTests.LoadDerModel(), options);
        server.Start(new IPEndPoint(IPAddress.Loopback, 0));
        var client = await Iec61850Client.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, clientOptions, Ct);
        return (server, client);
    }

    [Fact]
    public async Task Data_change_of_a_logged_member_is_queried_by_time_with_reference_value_and_reason()
    {
        var (server, client) = await StartAsync();
        await using var s = server;
        await using var c = client;
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        server.SetDataValue(SchdSt, FunctionalConstraint.ST, new MmsInteger(2));
        server.SetDataValue(SchdSt, FunctionalConstraint.ST, new MmsInteger(4));
        // Not in the Events data set: not logged.
        server.SetDataValue("DER1CTRL/LLN0.Health.stVal", FunctionalConstraint.ST, new MmsInteger(2));

        var entries = await client.QueryLogByTimeAsync(LogRef, before, DateTimeOffset.UtcNow.AddSeconds(1), Ct);
        Assert.Equal(2, entries.Count);
        var data = Assert.Single(entries[1].Data);
        Assert.Equal("DER1CTRL/FSCH1$ST$SchdSt", data.Reference);
        var schdSt = Assert.IsType<MmsStructure>(data.Value);
        Assert.Equal(new MmsInteger(4), schdSt.Components[0]);
        Assert.True(data.ReasonCode![1]);
        Assert.InRange(entries[1].TimeOfEntry, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.True(Number(entries[1].EntryId) > Number(entries[0].EntryId));

        // The LCB shows the journal's bounds.
        Assert.Equal(new MmsOctetString(entries[0].EntryId), await client.GetDataValuesAsync(Lcb + ".OldEntr", FunctionalConstraint.LG, Ct));
        Assert.Equal(new MmsOctetString(entries[1].EntryId), await client.GetDataValuesAsync(Lcb + ".NewEntr", FunctionalConstraint.LG, Ct));
        Assert.IsType<MmsBinaryTime>(await client.GetDataValuesAsync(Lcb + ".NewEntrTm", FunctionalConstraint.LG, Ct));
        Assert.Equal(new MmsVisibleString(LogRef), await client.GetDataValuesAsync(Lcb + ".LogRef", FunctionalConstraint.LG, Ct));

        // A time range before any entry is empty.
        Assert.Empty(await client.QueryLogByTimeAsync(LogRef, before.AddDays(-2), before.AddDays(-1), Ct));
    }

    private static ulong Number(byte[] entryId) => System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(entryId);

    [Fact]
    public async Task QueryLogAfter_returns_only_the_entries_after_the_given_one()
    {
        var (server, client) = await StartAsync();
        await using var s = server;
        await using var c = client;
        for (var i = 11; i <= 15; i++) server.SetDataValue(SchdSt, FunctionalConstraint.ST, new MmsInteger(i));
        var all = await client.QueryLogByTimeAsync(LogRef, cancellationToken: Ct);
        Assert.Equal(5, all.Count);
        var after = await client.QueryLogAfterAsync(LogRef, all[1].TimeOfEntry, all[1].EntryId, Ct);
        Assert.Equal(all.Skip(2).Select(e => e.EntryIdHex), after.Select(e => e.EntryIdHex));
        Assert.Empty(await client.QueryLogAfterAsync(LogRef, all[4].TimeOfEntry, all[4].EntryId, Ct));
    }

    [Fact]
    public async Task Lcb_with_LogEna_false_logs_nothing_and_its_entry_attributes_cannot_be_written()
    {
        var (server, client) = await StartAsync();
        await using var s = server;
        await using var c = client;
        await client.SetDataValuesAsync(Lcb + ".LogEna", FunctionalConstraint.LG, new MmsBoolean(false), Ct);
        server.SetDataValue(SchdSt, FunctionalConstraint.ST, new MmsInteger(3));
        Assert.Empty(await client.QueryLogByTimeAsync(LogRef, cancellationToken: Ct));

        var denied = await Assert.ThrowsAsync<Iec61850DataAccessException>(() => client.SetDataValuesAsync(Lcb + ".NewEntr", FunctionalConstraint.LG, new MmsOctetString(new byte[8]), Ct));
        Assert.Equal(DataAccessError.ObjectAccessDenied, denied.Error);
        var badRef = await Assert.ThrowsAsync<Iec61850DataAccessException>(() => client.SetDataValuesAsync(Lcb + ".LogRef", FunctionalConstraint.LG, new MmsVisibleString("DER1CTRL/LLN0$NoSuchLog"), Ct));
        Assert.Equal(DataAccessError.ObjectValueInvalid, badRef.Error);

        await client.SetDataValuesAsync(Lcb + ".LogEna", FunctionalConstraint.LG, new MmsBoolean(true), Ct);
        server.SetDataValue(SchdSt, FunctionalConstraint.ST, new MmsInteger(4));
        Assert.Single(await client.QueryLogByTimeAsync(LogRef, cancellationToken: Ct));
        // While logging, the data set cannot change.
        var busy = await Assert.ThrowsAsync<Iec61850DataAccessException>(() => client.SetDataValuesAsync(Lcb + ".DatSet", FunctionalConstraint.LG, new MmsVisibleString("DER1CTRL/LLN0.Status"), Ct));
        Assert.Equal(DataAccessError.TemporarilyUnavailable, busy.Error);
    }

    [Fact]
    public async Task Same_value_written_again_is_logged_as_dupd_only_when_TrgOps_asks_for_it()
    {
        var (server, client) = await StartAsync();
        await using var s = server;
        await using var c = client;
        server.SetDataValue(SchdSt, FunctionalConstraint.ST, new MmsInteger(2));
        server.SetDataValue(SchdSt, FunctionalConstraint.ST, new MmsInteger(2));
        Assert.Single(await client.QueryLogByTimeAsync(LogRef, cancellationToken: Ct));

        await client.SetDataValuesAsync(Lcb + ".TrgOps", FunctionalConstraint.LG, MmsBitString.FromBits(6, 1, 2, 3), Ct);
        server.SetDataValue(SchdSt, FunctionalConstraint.ST, new MmsInteger(2));
        var entries = await client.QueryLogByTimeAsync(LogRef, cancellationToken: Ct);
        Assert.Equal(2, entries.Count);
        Assert.True(entries[1].Data[0].ReasonCode![3]);
        Assert.False(entries[1].Data[0].ReasonCode![1]);
    }

    [Fact]
    public async Task Integrity_period_logs_every_member_with_reason_integrity()
    {
        var (server, client) = await StartAsync();
        await using var s = server;
        await using var c = client;
        await client.SetDataValuesAsync(Lcb + ".IntgPd", FunctionalConstraint.LG, new MmsUnsigned(50), Ct);
        await client.SetDataValuesAsync(Lcb + ".TrgOps", FunctionalConstraint.LG, MmsBitString.FromBits(6, 1, 2, 4), Ct);
        IReadOnlyList<Iec61850LogEntry> entries = [];
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        // Wait for the timer's first entry by asking the server until it is there.
        while (entries.Count == 0)
        {
            deadline.Token.ThrowIfCancellationRequested();
            entries = await client.QueryLogByTimeAsync(LogRef, cancellationToken: deadline.Token);
            if (entries.Count == 0) await Task.Yield();
        }
        var first = entries[0];
        Assert.Equal(["DER1CTRL/XCBR1$ST$Pos", "DER1CTRL/FSCH1$ST$SchdSt"], first.Data.Select(d => d.Reference));
        Assert.All(first.Data, d => Assert.True(d.ReasonCode![4]));
    }

    [Fact]
    public async Task Log_keeps_at_most_its_capacity_and_purges_the_oldest()
    {
        var (server, client) = await StartAsync(new MmsServerOptions { JournalCapacity = 5 });
        await using var s = server;
        await using var c = client;
        for (var i = 11; i <= 22; i++) server.SetDataValue(SchdSt, FunctionalConstraint.ST, new MmsInteger(i));
        var entries = await client.QueryLogByTimeAsync(LogRef, cancellationToken: Ct);
        Assert.Equal(5, entries.Count);
        Assert.Equal(Enumerable.Range(18, 5).Select(i => (MmsValue)new MmsInteger(i)), entries.Select(e => ((MmsStructure)e.Data[0].Value).Components[0]));
        Assert.Equal(new MmsOctetString(entries[0].EntryId), await client.GetDataValuesAsync(Lcb + ".OldEntr", FunctionalConstraint.LG, Ct));
        Assert.Equal(5, server.FindLog(LogRef)!.Count);
    }

    [Fact]
    public async Task A_large_query_comes_in_pages_with_moreFollows_and_the_client_reads_them_all()
    {
        var responses = 0;
        var (server, client) = await StartAsync(new MmsServerOptions { MaxPduSize = 1000 }, new MmsClientOptions
        {
            ProposedPduSize = 1000,
        });
        await using var s = server;
        await using var c = client;
        client.Mms.PduInspector = (direction, bytes) =>
        {
            // confirmed-ResponsePDU (A1) carrying readJournal (BF 41 = [65] constructed)
            if (direction == MmsPduDirection.Received && bytes.Span.IndexOf(new byte[] { 0xBF, 0x41 }) > 0) Interlocked.Increment(ref responses);
        };
        for (var i = 0; i < 300; i++) server.SetDataValue(SchdSt, FunctionalConstraint.ST, new MmsInteger(i % 2 == 0 ? 11 : 12));
        var entries = await client.QueryLogByTimeAsync(LogRef, cancellationToken: Ct);
        Assert.Equal(300, entries.Count);
        Assert.Equal(300, entries.Select(e => e.EntryIdHex).Distinct().Count());
        Assert.True(responses > 5, $"only {responses} pages");
    }

    [Fact]
    public async Task Restart_with_the_same_log_database_keeps_the_entries_and_numbers_on()
    {
        var db = Path.Combine(Path.GetTempPath(), $"flexcoop-log-{Guid.NewGuid():N}.db");
        try
        {
            IReadOnlyList<Iec61850LogEntry> first;
            var (server, client) = await StartAsync(new MmsServerOptions { JournalDatabase = db });
            await using (server)
            await using (client)
            {
                for (var i = 11; i <= 13; i++) server.SetDataValue(SchdSt, FunctionalConstraint.ST, new MmsInteger(i));
                first = await client.QueryLogByTimeAsync(LogRef, cancellationToken: Ct);
                Assert.Equal(3, first.Count);
            }

            (server, client) = await StartAsync(new MmsServerOptions { JournalDatabase = db });
            await using (server)
            await using (client)
            {
                var again = await client.QueryLogByTimeAsync(LogRef, cancellationToken: Ct);
                Assert.Equal(first, again);
                // The LCB shows the kept entries at once, and new entries number on.
                Assert.Equal(new MmsOctetString(first[2].EntryId), await client.GetDataValuesAsync(Lcb + ".NewEntr", FunctionalConstraint.LG, Ct));
                server.SetDataValue(SchdSt, FunctionalConstraint.ST, new MmsInteger(9));
                var all = await client.QueryLogByTimeAsync(LogRef, cancellationToken: Ct);
                Assert.Equal(4, all.Count);
                Assert.True(Number(all[3].EntryId) > Number(first[2].EntryId));
            }
        }
        finally
        {
            foreach (var f in new[] { db, db + "-wal", db + "-shm" }) File.Delete(f);
        }
    }

    [Fact]
    public async Task InitializeJournal_deletes_entries_only_when_the_server_allows_it()
    {
        var (server, client) = await StartAsync();
        await using (server)
        await using (client)
        {
            server.SetDataValue(SchdSt, FunctionalConstraint.ST, new MmsInteger(2));
            var refused = await Assert.ThrowsAsync<MmsServiceErrorException>(() => client.Mms.InitializeJournalAsync(Iec61850Client.LogObjectName(LogRef), cancellationToken: Ct));
            Assert.Equal(MmsErrorClass.Access, refused.Error.Class);
        }
        (server, client) = await StartAsync(new MmsServerOptions { AllowJournalInitialize = true });
        await using (server)
        await using (client)
        {
            for (var i = 11; i <= 14; i++) server.SetDataValue(SchdSt, FunctionalConstraint.ST, new MmsInteger(i));
            var entries = await client.QueryLogByTimeAsync(LogRef, cancellationToken: Ct);
            var name = Iec61850Client.LogObjectName(LogRef);
            Assert.Equal(2u, await client.Mms.InitializeJournalAsync(name, MmsBinaryTime.From(entries[3].TimeOfEntry.UtcDateTime), entries[1].EntryId, Ct));
            Assert.Equal(entries.Skip(2), await client.QueryLogByTimeAsync(LogRef, cancellationToken: Ct));
            Assert.Equal(2u, await client.Mms.InitializeJournalAsync(name, cancellationToken: Ct));
            Assert.Empty(await client.QueryLogByTimeAsync(LogRef, cancellationToken: Ct));
        }
    }

    [Fact]
    public async Task Journal_queries_with_nonsense_get_errors_or_rejects_and_the_association_carries_on()
    {
        var (server, client) = await StartAsync();
        await using var s = server;
        await using var c = client;
        server.SetDataValue(SchdSt, FunctionalConstraint.ST, new MmsInteger(2));
        var mms = client.Mms;
        var unknown = await Assert.ThrowsAsync<MmsServiceErrorException>(() => client.QueryLogByTimeAsync("DER1CTRL/LLN0$Nope", cancellationToken: Ct));
        Assert.Equal(MmsErrorClass.Access, unknown.Error.Class);
        await Assert.ThrowsAsync<MmsServiceErrorException>(() => client.QueryLogByTimeAsync("NOLD/LLN0$EventLog", cancellationToken: Ct));
        await Assert.ThrowsAsync<MmsServiceErrorException>(() => mms.ReadJournalAsync(ObjectName.Vmd("EventLog"), cancellationToken: Ct));
        // An entry identifier that is not one of ours.
        var odd = await Assert.ThrowsAsync<MmsServiceErrorException>(() => mms.ReadJournalAfterAsync(Iec61850Client.LogObjectName(LogRef), new MmsBinaryTime(0, 0), [1, 2, 3], cancellationToken: Ct));
        Assert.Equal(MmsErrorClass.Service, odd.Error.Class);
        // An end before the start, and times no day has: nothing, no failure.
        Assert.Empty(await mms.ReadJournalAsync(Iec61850Client.LogObjectName(LogRef), new MmsBinaryTime(5000, 20000), new MmsBinaryTime(1000, 10000), Ct));
        Assert.Empty(await mms.ReadJournalAsync(Iec61850Client.LogObjectName(LogRef), new MmsBinaryTime(uint.MaxValue, ushort.MaxValue), null, Ct));
        // An entry ID far beyond the newest.
        Assert.Empty(await mms.ReadJournalAfterAsync(Iec61850Client.LogObjectName(LogRef), new MmsBinaryTime(0, 0), [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], cancellationToken: Ct));

        // Raw readJournal requests that break the ASN.1: a reject each, not a crash.
        byte[][] hostile =
        [
            [0xA0, 0x08, 0x02, 0x01, 0x07, 0xBF, 0x41, 0x02, 0xA0, 0x00],                   // journalName empty
            [0xA0, 0x0A, 0x02, 0x01, 0x08, 0xBF, 0x41, 0x04, 0xA0, 0x02, 0x80, 0x00],       // vmd-specific name of 0 characters, no range
            [0xA0, 0x0C, 0x02, 0x01, 0x09, 0xBF, 0x41, 0x06, 0xA0, 0x7F, 0x80, 0x01, 0x41, 0x00], // inner length past the end
            [0xA0, 0x0D, 0x02, 0x01, 0x0A, 0xBF, 0x41, 0x07, 0xA0, 0x03, 0x80, 0x01, 0x4C, 0xA1, 0x00], // startingTime without its time
            [0xA0, 0x0E, 0x02, 0x01, 0x0B, 0xBF, 0x43, 0x08, 0xA0, 0x03, 0x80, 0x01, 0x4C, 0xA1, 0x01, 0x80], // initializeJournal with a broken limit
        ];
        foreach (var pdu in hostile)
        {
            var answer = await mms.SendRawAsync(pdu, Ct);
            Assert.True(answer[0] is 0xA4 or 0xA2, $"answer {Convert.ToHexString(answer)} to {Convert.ToHexString(pdu)}");
        }
        Assert.Single(await client.QueryLogByTimeAsync(LogRef, cancellationToken: Ct));
        Assert.True(mms.IsConnected);
    }
}
