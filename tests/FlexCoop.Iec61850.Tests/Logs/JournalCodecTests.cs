using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Iec61850.Mms.Server;

namespace FlexCoop.Iec61850.Tests.Logs;

/// <summary>The codec of the journal services and the SQLite journal store on their own.</summary>
public sealed class JournalCodecTests
{
    private static readonly ObjectName Log = ObjectName.Domain("LD0", "LLN0$EventLog");

    public static TheoryData<MmsPdu> Pdus() =>
    [
        new ConfirmedRequestPdu(1, new InitializeJournalRequest(Log, null, null)),
        new ConfirmedRequestPdu(2, new InitializeJournalRequest(Log, new MmsBinaryTime(1000, 15000), null)),
        new ConfirmedRequestPdu(3, new InitializeJournalRequest(Log, new MmsBinaryTime(1000, 15000), [0, 0, 0, 0, 0, 0, 0, 9])),
        new ConfirmedResponsePdu(4, new InitializeJournalResponse(uint.MaxValue)),
        new ConfirmedRequestPdu(5, new ReadJournalRequest(Log, new MmsBinaryTime(1, 2), null, [0, 0, 0, 0, 0, 0, 0, 1])),
        new ConfirmedResponsePdu(6, new ReadJournalResponse(
            [new MmsJournalEntry([0, 0, 0, 0, 0, 0, 0, 7], new MmsBinaryTime(86_399_999, 15000), [("LD0/XCBR1$ST$Pos", new MmsStructure(new MmsBitString([0x40], 2))), ("ReasonCode", MmsBitString.FromBits(7, 2))])],
            MoreFollows: false)),
    ];

    [Theory]
    [MemberData(nameof(Pdus))]
    public void Journal_pdus_round_trip(MmsPdu pdu) => Assert.Equal(pdu, MmsPduCodec.Decode(MmsPduCodec.Encode(pdu)));

    [Fact]
    public void Initialize_journal_with_an_entry_but_no_time_is_sent_with_the_latest_time()
    {
        var decoded = (ConfirmedRequestPdu)MmsPduCodec.Decode(MmsPduCodec.Encode(new ConfirmedRequestPdu(1, new InitializeJournalRequest(Log, null, [1, 2, 3, 4, 5, 6, 7, 8]))));
        var request = Assert.IsType<InitializeJournalRequest>(decoded.Request);
        Assert.Equal(new MmsBinaryTime(86_399_999, ushort.MaxValue), request.LimitingTime);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], request.LimitingEntry);
    }

    [Fact]
    public void Log_entry_pairs_each_value_with_the_reason_code_after_it()
    {
        var entry = Iec61850LogEntry.FromMms(new MmsJournalEntry([0, 0, 0, 0, 0, 0, 0, 1], new MmsBinaryTime(3_600_000, 1),
            [("LD/A$ST$x", new MmsInteger(1)), ("ReasonCode", MmsBitString.FromBits(7, 1)), ("LD/B$ST$y", new MmsInteger(2)), ("ReasonCode", MmsBitString.FromBits(7, 4))]));
        Assert.Equal(["LD/A$ST$x", "LD/B$ST$y"], entry.Data.Select(d => d.Reference));
        Assert.True(entry.Data[1].ReasonCode![4]);
        Assert.Equal(new DateTimeOffset(1984, 1, 2, 1, 0, 0, TimeSpan.Zero), entry.TimeOfEntry);
        Assert.Equal("0000000000000001", entry.EntryIdHex);
    }

    [Fact]
    public void Store_filters_by_time_and_entry_and_keeps_journals_apart()
    {
        using var store = new MmsJournalStore(capacity: 100);
        var ids = Enumerable.Range(0, 10).Select(i => store.Append("a", new MmsBinaryTime((uint)(i * 1000), 100), [("v", new MmsInteger(i))])).ToArray();
        store.Append("b", new MmsBinaryTime(0, 100), [("w", new MmsBoolean(true))]);
        Assert.Equal(10, store.Count("a"));
        Assert.Equal(1, store.Count("b"));
        Assert.Equal([3, 4, 5], store.Read("a", new MmsBinaryTime(3000, 100), new MmsBinaryTime(5000, 100)).Select(e => ((MmsInteger)e.Variables[0].Value).Value));
        Assert.Equal([8, 9], store.Read("a", null, null, ids[7]).Select(e => ((MmsInteger)e.Variables[0].Value).Value));
        Assert.Equal(2, store.Read("a", null, null, limit: 2).Count);
        Assert.Equal((ids[0], ids[9]), store.Bounds("a") is { } b ? (b.OldestEntry, b.NewestEntry) : default);
        Assert.Null(store.Bounds("nothing"));
        Assert.Equal(3, store.Delete("a", untilEntry: ids[2]));
        Assert.Equal(7, store.Count("a"));
        Assert.Equal(1, store.Count("b"));
    }

    [Fact]
    public void Store_that_cannot_be_opened_fails_with_a_typed_error()
    {
        var dir = Directory.CreateTempSubdirectory("flexcoop-store-").FullName;
        try
        {
            Assert.Throws<MmsJournalStoreException>(() => new MmsJournalStore(Path.Combine(dir, "no", "such", "dir", "x.db")));
            var notSqlite = Path.Combine(dir, "text.db");
            File.WriteAllText(notSqlite, new string('x', 4096));
            Assert.Throws<MmsJournalStoreException>(() => new MmsJournalStore(notSqlite));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
