using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Iec61850.Model;

namespace FlexCoop.Conformance.Iec61850;

internal static partial class Iec61850ServerCases
{
    private static IEnumerable<ScriptedCase> LogsFilesTime() =>
    [
        new("sLog1", "Log", "The journals equal the logs of the SCL model", async (ctx, ct) =>
        {
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var any = false;
            foreach (var ld in ctx.Model.LogicalDevices)
            {
                var expected = ld.LogicalNodes.SelectMany(ln => ln.Logs.Select(l => ln.Name + "$" + l)).ToArray();
                if (expected.Length == 0) continue;
                any = true;
                var served = await client.Mms.GetNameListAsync(MmsObjectClass.Journal, MmsScope.DomainSpecific, ld.MmsDomainName, ct).ConfigureAwait(false);
                ctx.Check(SameSet(served, expected), $"{ld.Name}: the journals equal the SCL's", $"served {Join(served)}; SCL {Join(expected)}");
            }
            if (!any) Iec61850TestContext.NotApplicable("the model has no log");
        }),
        new("sLog2", "Log", "QueryLogByTime over all time answers", async (ctx, ct) =>
        {
            var ln = ctx.Model.LogicalDevices.SelectMany(l => l.LogicalNodes).FirstOrDefault(l => l.Logs.Count > 0);
            if (ln is null) Iec61850TestContext.NotApplicable("the model has no log");
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var entries = await client.Mms.ReadJournalAsync(ObjectName.Domain(ln.LogicalDevice.MmsDomainName, ln.Name + "$" + ln.Logs[0]), new MmsBinaryTime(0, 0), null, ct).ConfigureAwait(false);
            ctx.Check(entries.All(e => e.EntryId.Length == 8), "every entry has an 8-octet EntryID", entries.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + " entries");
        }),
        new("sLog3", "Log", "QueryLogAfter an EntryID answers the later entries only, in order", async (ctx, ct) =>
        {
            var ln = ctx.Model.LogicalDevices.SelectMany(l => l.LogicalNodes).FirstOrDefault(l => l.Logs.Count > 0);
            if (ln is null) Iec61850TestContext.NotApplicable("the model has no log");
            var journal = ObjectName.Domain(ln.LogicalDevice.MmsDomainName, ln.Name + "$" + ln.Logs[0]);
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var entries = await client.Mms.ReadJournalAsync(journal, new MmsBinaryTime(0, 0), null, ct).ConfigureAwait(false);
            if (entries.Count < 2)
            {
                var logged = ln.LogicalDevice.LogicalNodes.SelectMany(n => n.LogControlBlocks).FirstOrDefault()?.DataSet?.Reference;
                await ctx.ActAsync(AddLogEntriesAction, $"Make the server add at least two entries to log {ln.Reference}.{ln.Logs[0]}{(logged is null ? "" : $" (change members of data set {logged}, which it logs)")}; press Enter when done.", ct).ConfigureAwait(false);
                entries = await client.Mms.ReadJournalAsync(journal, new MmsBinaryTime(0, 0), null, ct).ConfigureAwait(false);
            }
            ctx.Require(entries.Count >= 2, "the log holds at least two entries to query after", entries.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var first = entries[0];
            var answer = (ReadJournalResponse)await client.Mms.RequestAsync(new ReadJournalRequest(journal, first.OccurrenceTime, null, first.EntryId), ct).ConfigureAwait(false);
            var ids = answer.Entries.Select(e => Convert.ToHexString(e.EntryId)).ToArray();
            var later = entries.Skip(1).Select(e => Convert.ToHexString(e.EntryId)).ToArray();
            ctx.Check(!ids.Contains(Convert.ToHexString(first.EntryId)), $"the entry queried after ({Convert.ToHexString(first.EntryId)}) is not answered again", string.Join(",", ids));
            ctx.Check(ids.Length > 0 && ids.SequenceEqual(later.Take(ids.Length)), "the answer starts with the next entry and keeps the log's order", $"answered {string.Join(",", ids)}; log after it {string.Join(",", later)}");
        }),
        new("sLogN1", "Log", "QueryLogByTime of a log that does not exist is refused", async (ctx, ct) =>
        {
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            try
            {
                await client.Mms.ReadJournalAsync(ObjectName.Domain(ctx.Model.LogicalDevices[0].MmsDomainName, "LLN0$NoSuchLog"), new MmsBinaryTime(0, 0), null, ct).ConfigureAwait(false);
                ctx.Check(false, "the query is refused", "answered");
            }
            catch (MmsServiceErrorException ex)
            {
                ctx.Check(true, "the query is refused with a service error", ex.Error.ToString());
            }
            catch (MmsProtocolException ex) when (ex.Reject is { PduKind: MmsRejectReason.ConfirmedRequest, Code: 1 } && !ctx.Model.LogicalDevices.SelectMany(l => l.LogicalNodes).Any(l => l.Logs.Count > 0))
            {
                // A server without logs need not have the journal services: ISO 9506 rejects a service it does not have as unrecognized-service.
                ctx.Check(true, "a server without logs rejects ReadJournal as an unrecognized service", ex.Reject.ToString());
            }
        }),
        new("sFt1", "Ft", "GetFileDirectory lists files", async (ctx, ct) =>
        {
            if (!ctx.Pixit.FileServices) Iec61850TestContext.NotApplicable("the PIXIT does not claim file services");
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var files = await client.Mms.FileDirectoryAsync(null, ct).ConfigureAwait(false);
            ctx.Check(files.All(f => f.FileName.Length > 0), "every entry has a name", files.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + " entries");
        }),
        new("sFt2", "Ft", "GetFile: open, read to the end, close", async (ctx, ct) =>
        {
            if (!ctx.Pixit.FileServices) Iec61850TestContext.NotApplicable("the PIXIT does not claim file services");
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var file = (await client.Mms.FileDirectoryAsync(null, ct).ConfigureAwait(false)).FirstOrDefault(f => f.Attributes.Size > 0 && !f.FileName.EndsWith('/'));
            if (file is null) Iec61850TestContext.NotApplicable("the server lists no file to read");
            var bytes = await client.Mms.GetFileAsync(file.FileName, ct).ConfigureAwait(false);
            ctx.Check(bytes.Length == file.Attributes.Size, $"{file.FileName}: as many octets as the directory says", bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }),
        new("sFtN1", "Ft", "Opening a file that does not exist is refused with file-non-existent", async (ctx, ct) =>
        {
            if (!ctx.Pixit.FileServices) Iec61850TestContext.NotApplicable("the PIXIT does not claim file services");
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            try
            {
                await client.Mms.FileOpenAsync("no-such-file.flexcoop", 0, ct).ConfigureAwait(false);
                ctx.Check(false, "the open is refused", "opened");
            }
            catch (MmsServiceErrorException ex)
            {
                ctx.Check(ex.Error.Class == MmsErrorClass.File && ex.Error.Code == 7, "the error is file-non-existent", ex.Error.ToString());
            }
        }),
        new("sFtN2", "Ft", "FileClose of an FRSM that is not open is refused", async (ctx, ct) =>
        {
            if (!ctx.Pixit.FileServices) Iec61850TestContext.NotApplicable("the PIXIT does not claim file services");
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            try
            {
                await client.Mms.FileCloseAsync(987654, ct).ConfigureAwait(false);
                ctx.Check(false, "the close is refused", "closed");
            }
            catch (MmsServiceErrorException ex)
            {
                ctx.Check(true, "the close is refused with a service error", ex.Error.ToString());
            }
            await client.Mms.IdentifyAsync(ct).ConfigureAwait(false);
        }),
        new("sTm1", "Tm", "Time stamps carry a valid time quality", async (ctx, ct) =>
        {
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var stamps = ctx.Model.DataSets.SelectMany(d => d.Members).SelectMany(m => m.Attributes).Where(a => a.BasicType == BasicType.Timestamp).Distinct().Take(50).ToArray();
            if (stamps.Length == 0) Iec61850TestContext.NotApplicable("no data set member has a time stamp");
            foreach (var t in stamps)
            {
                var value = await client.GetDataValuesAsync(t.Reference, t.Fc, ct).ConfigureAwait(false);
                if (value is not MmsUtcTime time)
                {
                    ctx.Check(false, $"{t.Reference} is a UtcTime", value.Format());
                    continue;
                }
                var accuracy = time.Quality & 0x1F;
                ctx.Check(accuracy <= 24 || accuracy == 31, $"{t.Reference}: TimeAccuracy is 0..24 or unspecified", accuracy.ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (time.Seconds > 0) ctx.Check((time.Quality & 0x40) == 0, $"{t.Reference}: a set time does not claim ClockFailure");
            }
        }),
    ];
}
