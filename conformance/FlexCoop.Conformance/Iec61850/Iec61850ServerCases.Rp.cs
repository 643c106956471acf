using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Iec61850.Model;

namespace FlexCoop.Conformance.Iec61850;

internal static partial class Iec61850ServerCases
{
    private const string Rp = "Rp";
    private const string Br = "Br";

    private static ReportControlBlock FirstRcb(Iec61850TestContext ctx, bool buffered) =>
        ctx.Model.ReportControlBlocks.FirstOrDefault(r => r.Buffered == buffered && r.DataSet is { Members.Count: > 0 })
        ?? throw new CaseNotApplicableException($"the model has no {(buffered ? "buffered" : "unbuffered")} report control block with a data set");

    /// <summary>Enables the BRCB, asks <paramref name="count"/> general interrogations, disables it; returns the reports' EntryIDs.</summary>
    private static async Task<byte[][]> BufferGiReportsAsync(Iec61850TestContext ctx, Iec61850Client client, ReportControlBlock rcb, int count, CancellationToken ct)
    {
        var ids = new List<byte[]>();
        await client.EnableReportingAsync(rcb.Reference, rcb.Fc, cancellationToken: ct).ConfigureAwait(false);
        for (var i = 0; i < count; i++)
        {
            await client.GeneralInterrogationAsync(rcb.Reference, rcb.Fc, ct).ConfigureAwait(false);
            var report = await ctx.NextReportAsync(client, ct).ConfigureAwait(false);
            ctx.Require(report?.EntryId is { Length: 8 }, $"general interrogation {i + 1} gives a report with an EntryID");
            ids.Add(report!.EntryId!);
        }
        await client.EnableReportingAsync(rcb.Reference, rcb.Fc, enable: false, ct).ConfigureAwait(false);
        return [.. ids];
    }

    private static IEnumerable<ScriptedCase> Reporting(bool buffered)
    {
        var g = buffered ? Br : Rp;
        var kind = buffered ? "BRCB" : "URCB";
        yield return new ScriptedCase($"s{g}1", g, $"{kind} attributes are readable and equal the SCL configuration", async (ctx, ct) =>
        {
            var rcb = FirstRcb(ctx, buffered);
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            foreach (var name in new[] { "RptID", "DatSet", "ConfRev", "OptFlds", "TrgOps", "BufTm", "IntgPd" })
            {
                if (rcb.Attribute(name) is not { } attribute) continue;
                var served = await client.GetDataValuesAsync(rcb.Reference + "." + name, rcb.Fc, ct).ConfigureAwait(false);
                var expected = Iec61850MmsMapping.ValueOf(attribute, Iec61850MmsMapping.TypeOf(attribute.BasicType));
                if (name == "DatSet" && rcb.DataSet is { } ds) expected = new MmsVisibleString(ds.LogicalNode.Reference.Replace('.', '$') + "$" + ds.Name);
                ctx.Check(served == expected, $"{rcb.Reference}.{name} equals the SCL", $"served {served.Format()}; SCL {expected.Format()}");
            }
        });
        yield return new ScriptedCase($"s{g}2", g, $"Enable a {kind}, general interrogation: a report of every member with the configured option fields", async (ctx, ct) =>
        {
            var rcb = FirstRcb(ctx, buffered);
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            await client.EnableReportingAsync(rcb.Reference, rcb.Fc, cancellationToken: ct).ConfigureAwait(false);
            await client.GeneralInterrogationAsync(rcb.Reference, rcb.Fc, ct).ConfigureAwait(false);
            var report = await ctx.NextReportAsync(client, ct).ConfigureAwait(false);
            ctx.Require(report is not null, "a report answers the general interrogation");
            var opt = rcb.Source.OptFields;
            var members = rcb.DataSet!.Members.Count;
            ctx.Check(report!.Entries.Count == members, $"the report includes all {members} members", report.Entries.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (rcb.Source.RptId is { Length: > 0 } id) ctx.Check(report.RptId == id, "RptID is the configured one", report.RptId);
            ctx.Check(report.SqNum.HasValue == opt.SeqNum, "SqNum is present exactly when OptFlds say so");
            ctx.Check(report.DataSet is not null == opt.DataSet, "DatSet is present exactly when OptFlds say so");
            ctx.Check(report.TimeOfEntry is not null == opt.TimeStamp, "TimeOfEntry is present exactly when OptFlds say so");
            if (opt.ReasonCode) ctx.Check(report.Entries.All(e => e.ReasonCode is { } rc && rc[5]), "every member's reason is general-interrogation");
            if (opt.DataRef) ctx.Check(report.Entries.All(e => e.Reference is { Length: > 0 }), "every member carries its reference");
            if (buffered && opt.EntryId) ctx.Check(report.EntryId is { Length: 8 }, "a buffered report carries an 8-octet EntryID");
            await client.EnableReportingAsync(rcb.Reference, rcb.Fc, enable: false, ct).ConfigureAwait(false);
        });
        yield return new ScriptedCase($"s{g}3", g, $"{kind} reports a data change of a data set member (dchg)", null);
        yield return new ScriptedCase($"s{g}4", g, $"{kind} sends integrity reports every IntgPd", async (ctx, ct) =>
        {
            var rcb = FirstRcb(ctx, buffered);
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var period = ctx.Pixit.IntegrityPeriodMs;
            var originalPeriod = await client.GetDataValuesAsync(rcb.Reference + ".IntgPd", rcb.Fc, ct).ConfigureAwait(false);
            await client.SetDataValuesAsync(rcb.Reference + ".IntgPd", rcb.Fc, new MmsUnsigned((ulong)period), ct).ConfigureAwait(false);
            var trg = (MmsBitString)await client.GetDataValuesAsync(rcb.Reference + ".TrgOps", rcb.Fc, ct).ConfigureAwait(false);
            await client.SetDataValuesAsync(rcb.Reference + ".TrgOps", rcb.Fc, MmsBitString.FromBits(trg.BitLength, [.. Enumerable.Range(0, trg.BitLength).Where(b => trg[b] || b == 4)]), ct).ConfigureAwait(false);
            await client.EnableReportingAsync(rcb.Reference, rcb.Fc, cancellationToken: ct).ConfigureAwait(false);
            for (var i = 0; i < 2; i++)
            {
                var report = await ctx.NextReportAsync(client, ct).ConfigureAwait(false);
                ctx.Require(report is not null, $"integrity report {i + 1} arrives within {ctx.ReportTimeout.TotalMilliseconds} ms");
                ctx.Check(report!.Entries.Count == rcb.DataSet!.Members.Count, "an integrity report includes every member");
                if (rcb.Source.OptFields.ReasonCode) ctx.Check(report.Entries.All(e => e.ReasonCode is { } rc && rc[4]), "the reason is integrity");
            }
            await client.EnableReportingAsync(rcb.Reference, rcb.Fc, enable: false, ct).ConfigureAwait(false);
            await client.SetDataValuesAsync(rcb.Reference + ".TrgOps", rcb.Fc, trg, ct).ConfigureAwait(false);
            await client.SetDataValuesAsync(rcb.Reference + ".IntgPd", rcb.Fc, originalPeriod, ct).ConfigureAwait(false);
        });
        yield return new ScriptedCase($"s{g}5", g, $"An enabled {kind} is reserved for its owner", async (ctx, ct) =>
        {
            var rcb = FirstRcb(ctx, buffered);
            var owner = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var other = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            await owner.EnableReportingAsync(rcb.Reference, rcb.Fc, cancellationToken: ct).ConfigureAwait(false);
            var error = await ctx.TryWriteAsync(other, rcb.Reference + ".RptEna", rcb.Fc, new MmsBoolean(false), ct).ConfigureAwait(false);
            ctx.Check(error is DataAccessError.TemporarilyUnavailable or DataAccessError.ObjectAccessDenied, "another association cannot disable it", error?.ToString() ?? "accepted");
            var gi = await ctx.TryWriteAsync(owner, rcb.Reference + ".GI", rcb.Fc, new MmsBoolean(true), ct).ConfigureAwait(false);
            ctx.Check(gi is null, "its owner still can use it", gi?.ToString());
            await owner.EnableReportingAsync(rcb.Reference, rcb.Fc, enable: false, ct).ConfigureAwait(false);
        });
        yield return new ScriptedCase($"s{g}6", g, $"{kind} sequence numbers increase by one per report", async (ctx, ct) =>
        {
            var rcb = FirstRcb(ctx, buffered);
            if (!rcb.Source.OptFields.SeqNum) Iec61850TestContext.NotApplicable("the RCB's OptFlds do not include seqNum");
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            await client.EnableReportingAsync(rcb.Reference, rcb.Fc, cancellationToken: ct).ConfigureAwait(false);
            await client.GeneralInterrogationAsync(rcb.Reference, rcb.Fc, ct).ConfigureAwait(false);
            var first = await ctx.NextReportAsync(client, ct).ConfigureAwait(false);
            await client.GeneralInterrogationAsync(rcb.Reference, rcb.Fc, ct).ConfigureAwait(false);
            var second = await ctx.NextReportAsync(client, ct).ConfigureAwait(false);
            ctx.Require(first is not null && second is not null, "two general interrogations give two reports");
            ctx.Check(second!.SqNum == first!.SqNum + 1, "SqNum increases by one", $"{first.SqNum} then {second.SqNum}");
            await client.EnableReportingAsync(rcb.Reference, rcb.Fc, enable: false, ct).ConfigureAwait(false);
        });
        if (buffered)
        {
            yield return new ScriptedCase("sBr7", Br, "BRCB resynchronisation: enabling after a given EntryID sends the later reports again", async (ctx, ct) =>
            {
                var rcb = FirstRcb(ctx, buffered: true);
                if (!rcb.Source.OptFields.EntryId) Iec61850TestContext.NotApplicable("the BRCB's OptFlds do not include entryID");
                var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
                var ids = await BufferGiReportsAsync(ctx, client, rcb, 3, ct).ConfigureAwait(false);
                await client.SetDataValuesAsync(rcb.Reference + ".EntryID", rcb.Fc, new MmsOctetString(ids[0]), ct).ConfigureAwait(false);
                await client.EnableReportingAsync(rcb.Reference, rcb.Fc, cancellationToken: ct).ConfigureAwait(false);
                for (var i = 1; i < ids.Length; i++)
                {
                    var again = await ctx.NextReportAsync(client, ct).ConfigureAwait(false);
                    ctx.Require(again is not null, $"buffered report {i + 1} is sent again");
                    ctx.Check(again!.EntryId is { } e && e.AsSpan().SequenceEqual(ids[i]), $"it has EntryID {Convert.ToHexString(ids[i])}", again.EntryId is null ? "none" : Convert.ToHexString(again.EntryId));
                }
                await client.EnableReportingAsync(rcb.Reference, rcb.Fc, enable: false, ct).ConfigureAwait(false);
            });
            yield return new ScriptedCase("sBr8", Br, "BRCB PurgeBuf discards the buffered reports", async (ctx, ct) =>
            {
                var rcb = FirstRcb(ctx, buffered: true);
                if (!rcb.Source.OptFields.EntryId) Iec61850TestContext.NotApplicable("the BRCB's OptFlds do not include entryID");
                if (rcb.Attribute("PurgeBuf") is null) Iec61850TestContext.NotApplicable("the BRCB has no PurgeBuf");
                var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
                var ids = await BufferGiReportsAsync(ctx, client, rcb, 2, ct).ConfigureAwait(false);
                var purge = await ctx.TryWriteAsync(client, rcb.Reference + ".PurgeBuf", rcb.Fc, new MmsBoolean(true), ct).ConfigureAwait(false);
                ctx.Require(purge is null, "PurgeBuf is accepted", purge?.ToString());
                var resync = await ctx.TryWriteAsync(client, rcb.Reference + ".EntryID", rcb.Fc, new MmsOctetString(ids[0]), ct).ConfigureAwait(false);
                ctx.Check(resync is not null, "an EntryID from before the purge is refused", "accepted");
            });
            yield return new ScriptedCase("sBr9", Br, "BRCB overflow sets BufOvfl in the next report", null);
        }
        yield return new ScriptedCase($"s{g}N1", g, $"Enabling a {kind} that does not exist is refused with object-non-existent", async (ctx, ct) =>
        {
            var rcb = FirstRcb(ctx, buffered);
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var error = await ctx.TryWriteAsync(client, rcb.LogicalNode!.Reference + ".noSuchRcb.RptEna", rcb.Fc, new MmsBoolean(true), ct).ConfigureAwait(false);
            ctx.Check(error == DataAccessError.ObjectNonExistent, "the write answers object-non-existent", error?.ToString() ?? "accepted");
        });
        yield return new ScriptedCase($"s{g}N2", g, $"Changing a {kind}'s configuration while it is enabled is refused", async (ctx, ct) =>
        {
            var rcb = FirstRcb(ctx, buffered);
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            await client.EnableReportingAsync(rcb.Reference, rcb.Fc, cancellationToken: ct).ConfigureAwait(false);
            var error = await ctx.TryWriteAsync(client, rcb.Reference + ".IntgPd", rcb.Fc, new MmsUnsigned(1234), ct).ConfigureAwait(false);
            ctx.Check(error is not null, "writing IntgPd of an enabled RCB is refused", "accepted");
            await client.EnableReportingAsync(rcb.Reference, rcb.Fc, enable: false, ct).ConfigureAwait(false);
        });
    }
}
