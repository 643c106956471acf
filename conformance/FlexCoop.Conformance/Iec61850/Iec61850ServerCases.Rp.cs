using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Iec61850.Model;

namespace FlexCoop.Conformance.Iec61850;

internal static partial class Iec61850ServerCases
{
    private const string Rp = "Rp";
    private const string Br = "Br";

    /// <summary>The TrgOps bits of data-change, integrity and general-interrogation, and the OptFlds bit of buffer-overflow (8-1 bit strings).</summary>
    private const int TrgDchg = 1, TrgIntegrity = 4, TrgGi = 5, OptBufOvfl = 6, OptEntryId = 7;

    /// <summary>Operator action names a hook switches on.</summary>
    internal const string ChangeMemberAction = "change-data-set-member", OverflowBufferAction = "overflow-report-buffer", AddLogEntriesAction = "add-log-entries";

    /// <summary>
    /// Causes <paramref name="count"/> data changes of members of the RCB's data set: by operating a control
    /// whose status is a member (when the PIXIT allows operating controls), else by asking the operator.
    /// Returns the index of the member changed when the suite changed it itself.
    /// </summary>
    private static async Task<int?> CauseDataChangesAsync(Iec61850TestContext ctx, Iec61850Client client, ReportControlBlock rcb, int count, string action, string instruction, CancellationToken ct)
    {
        var members = rcb.DataSet!.Members;
        if (ctx.Pixit.OperateControls)
        {
            foreach (var (reference, _) in ControlObjects(ctx))
            {
                var index = members.ToList().FindIndex(m => m.Fc == FunctionalConstraint.ST && (m.Reference == reference || m.Reference.StartsWith(reference + ".", StringComparison.Ordinal)));
                if (index < 0) continue;
                var done = 0;
                for (; done < count; done++)
                {
                    if (!await ToggleAsync(ctx, client, reference, ct).ConfigureAwait(false)) break;
                }
                if (done == count)
                {
                    ctx.Log($"{count} data change(s) of {members[index].Reference} caused by operating {reference}");
                    return index;
                }
            }
        }
        await ctx.ActAsync(action, instruction, ct).ConfigureAwait(false);
        return null;
    }

    private static MmsBitString WithoutBits(MmsBitString bits, params int[] cleared) =>
        MmsBitString.FromBits(bits.BitLength, [.. Enumerable.Range(0, bits.BitLength).Where(b => bits[b] && !cleared.Contains(b))]);

    /// <summary>
    /// Puts an RCB back as the case found it (disabled, the attributes given, the buffer purged): later cases
    /// expect the SCL configuration. Runs also when the case stopped at a failed check (the case's token is then
    /// cancelled: each request is bounded by the client's request timeout instead); a server that no longer
    /// answers is noted, not failed again.
    /// </summary>
    private static async Task RestoreRcbAsync(Iec61850TestContext ctx, Iec61850Client client, ReportControlBlock rcb, (string Name, MmsValue Value)[] values, bool purge, CancellationToken cancellationToken)
    {
        var ct = cancellationToken.IsCancellationRequested ? CancellationToken.None : cancellationToken;
        try
        {
            await ctx.TryWriteAsync(client, rcb.Reference + ".RptEna", rcb.Fc, new MmsBoolean(false), ct).ConfigureAwait(false);
            if (purge && rcb.Attribute("PurgeBuf") is not null) await ctx.TryWriteAsync(client, rcb.Reference + ".PurgeBuf", rcb.Fc, new MmsBoolean(true), ct).ConfigureAwait(false);
            foreach (var (name, value) in values) await ctx.TryWriteAsync(client, rcb.Reference + "." + name, rcb.Fc, value, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MmsException or TimeoutException or IOException or OperationCanceledException)
        {
            ctx.Log($"could not restore {rcb.Reference}: {ex.Message}");
        }
    }

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
                if (name == "OptFlds" && !buffered && served is MmsBitString servedOpt && expected is MmsBitString sclOpt)
                {
                    // buffer-overflow and entryID mean nothing to an unbuffered RCB (7-2): a server may clear them
                    served = WithoutBits(servedOpt, OptBufOvfl, OptEntryId);
                    expected = WithoutBits(sclOpt, OptBufOvfl, OptEntryId);
                }
                ctx.Check(served == expected, $"{rcb.Reference}.{name} equals the SCL", $"served {served.Format()}; SCL {expected.Format()}");
            }
        });
        yield return new ScriptedCase($"s{g}2", g, $"Enable a {kind}, general interrogation: a report of every member with the configured option fields", async (ctx, ct) =>
        {
            var rcb = FirstRcb(ctx, buffered);
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var trg = (MmsBitString)await client.GetDataValuesAsync(rcb.Reference + ".TrgOps", rcb.Fc, ct).ConfigureAwait(false);
            Iec61850Report? report;
            try
            {
                // GI alone, and an empty buffer: no data change, integrity or buffered report can be taken for the GI's answer
                ctx.Require(await ctx.TryWriteAsync(client, rcb.Reference + ".TrgOps", rcb.Fc, MmsBitString.FromBits(trg.BitLength, TrgGi), ct).ConfigureAwait(false) is null, "TrgOps of a disabled RCB can be set to GI");
                if (buffered && rcb.Attribute("PurgeBuf") is not null) await ctx.TryWriteAsync(client, rcb.Reference + ".PurgeBuf", rcb.Fc, new MmsBoolean(true), ct).ConfigureAwait(false);
                await client.EnableReportingAsync(rcb.Reference, rcb.Fc, cancellationToken: ct).ConfigureAwait(false);
                await client.GeneralInterrogationAsync(rcb.Reference, rcb.Fc, ct).ConfigureAwait(false);
                report = await ctx.NextReportAsync(client, ct).ConfigureAwait(false);
            }
            finally
            {
                await RestoreRcbAsync(ctx, client, rcb, [("TrgOps", trg)], purge: false, ct).ConfigureAwait(false);
            }
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
        });
        yield return new ScriptedCase($"s{g}3", g, $"{kind} reports a data change of a data set member (dchg)", async (ctx, ct) =>
        {
            var rcb = FirstRcb(ctx, buffered);
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var trg = (MmsBitString)await client.GetDataValuesAsync(rcb.Reference + ".TrgOps", rcb.Fc, ct).ConfigureAwait(false);
            // dchg alone, so that no integrity or GI report can be taken for the data change report
            var onlyDchg = await ctx.TryWriteAsync(client, rcb.Reference + ".TrgOps", rcb.Fc, MmsBitString.FromBits(trg.BitLength, TrgDchg), ct).ConfigureAwait(false);
            try
            {
                ctx.Require(onlyDchg is null, "TrgOps of a disabled RCB can be set to dchg", onlyDchg?.ToString());
                await client.EnableReportingAsync(rcb.Reference, rcb.Fc, cancellationToken: ct).ConfigureAwait(false);
                var changed = await CauseDataChangesAsync(ctx, client, rcb, 1, ChangeMemberAction,
                    $"Change the value of one member of data set {rcb.DataSet!.Reference} once (e.g. {rcb.DataSet.Members[0].Reference}); press Enter at once if its values change on their own.", ct).ConfigureAwait(false);
                var report = await ctx.NextReportAsync(client, ct).ConfigureAwait(false);
                ctx.Require(report is not null, $"a report follows the data change within {ctx.ReportTimeout.TotalMilliseconds} ms");
                if (rcb.Source.OptFields.ReasonCode) ctx.Check(report!.Entries.Count > 0 && report.Entries.All(e => e.ReasonCode is { } rc && rc[TrgDchg]), "every member of the report has the reason data-change", string.Join(",", report.Entries.Select(e => e.ReasonCode?.Format() ?? "none")));
                if (changed is { } index) ctx.Check(report!.Entries.Any(e => e.MemberIndex == index), $"the report includes the changed member {rcb.DataSet.Members[index].Reference}", string.Join(",", report.Entries.Select(e => e.MemberIndex)));
                else ctx.Check(report!.Entries.Count > 0, "the report includes the changed member(s)", report.Entries.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            finally
            {
                await RestoreRcbAsync(ctx, client, rcb, [("TrgOps", trg)], purge: false, ct).ConfigureAwait(false);
            }
        });
        yield return new ScriptedCase($"s{g}4", g, $"{kind} sends integrity reports every IntgPd", async (ctx, ct) =>
        {
            var rcb = FirstRcb(ctx, buffered);
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var period = ctx.Pixit.IntegrityPeriodMs;
            var originalPeriod = await client.GetDataValuesAsync(rcb.Reference + ".IntgPd", rcb.Fc, ct).ConfigureAwait(false);
            var trg = (MmsBitString)await client.GetDataValuesAsync(rcb.Reference + ".TrgOps", rcb.Fc, ct).ConfigureAwait(false);
            try
            {
                await client.SetDataValuesAsync(rcb.Reference + ".IntgPd", rcb.Fc, new MmsUnsigned((ulong)period), ct).ConfigureAwait(false);
                // integrity alone, and an empty buffer: no data change or buffered report can be taken for an integrity report
                await client.SetDataValuesAsync(rcb.Reference + ".TrgOps", rcb.Fc, MmsBitString.FromBits(trg.BitLength, TrgIntegrity), ct).ConfigureAwait(false);
                if (buffered && rcb.Attribute("PurgeBuf") is not null) await ctx.TryWriteAsync(client, rcb.Reference + ".PurgeBuf", rcb.Fc, new MmsBoolean(true), ct).ConfigureAwait(false);
                await client.EnableReportingAsync(rcb.Reference, rcb.Fc, cancellationToken: ct).ConfigureAwait(false);
                for (var i = 0; i < 2; i++)
                {
                    var report = await ctx.NextReportAsync(client, ct).ConfigureAwait(false);
                    ctx.Require(report is not null, $"integrity report {i + 1} arrives within {ctx.ReportTimeout.TotalMilliseconds} ms");
                    ctx.Check(report!.Entries.Count == rcb.DataSet!.Members.Count, "an integrity report includes every member");
                    if (rcb.Source.OptFields.ReasonCode) ctx.Check(report.Entries.All(e => e.ReasonCode is { } rc && rc[TrgIntegrity]), "the reason is integrity");
                }
            }
            finally
            {
                await RestoreRcbAsync(ctx, client, rcb, [("TrgOps", trg), ("IntgPd", originalPeriod)], purge: false, ct).ConfigureAwait(false);
            }
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
            yield return new ScriptedCase("sBr9", Br, "BRCB overflow: more data changes than the buffer holds while disabled, then BufOvfl in the first report", async (ctx, ct) =>
            {
                var rcb = FirstRcb(ctx, buffered: true);
                var events = (ctx.Pixit.BufferOverflowEvents ?? throw new CaseNotApplicableException("the PIXIT does not give bufferOverflowEvents")) + 1;
                var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
                var opt = (MmsBitString)await client.GetDataValuesAsync(rcb.Reference + ".OptFlds", rcb.Fc, ct).ConfigureAwait(false);
                var trg = (MmsBitString)await client.GetDataValuesAsync(rcb.Reference + ".TrgOps", rcb.Fc, ct).ConfigureAwait(false);
                var withOvfl = MmsBitString.FromBits(opt.BitLength, [.. Enumerable.Range(0, opt.BitLength).Where(b => opt[b] || b == OptBufOvfl)]);
                try
                {
                    ctx.Require(await ctx.TryWriteAsync(client, rcb.Reference + ".OptFlds", rcb.Fc, withOvfl, ct).ConfigureAwait(false) is null, "OptFlds of the disabled BRCB can include bufOvfl");
                    ctx.Require(await ctx.TryWriteAsync(client, rcb.Reference + ".TrgOps", rcb.Fc, MmsBitString.FromBits(trg.BitLength, TrgDchg), ct).ConfigureAwait(false) is null, "TrgOps of the disabled BRCB can be set to dchg");
                    if (rcb.Attribute("PurgeBuf") is not null) await ctx.TryWriteAsync(client, rcb.Reference + ".PurgeBuf", rcb.Fc, new MmsBoolean(true), ct).ConfigureAwait(false);
                    await CauseDataChangesAsync(ctx, client, rcb, events, OverflowBufferAction,
                        $"Make at least {events} changes of members of data set {rcb.DataSet!.Reference} now (the BRCB {rcb.Reference} is disabled and buffers them); press Enter when done.", ct).ConfigureAwait(false);
                    await client.EnableReportingAsync(rcb.Reference, rcb.Fc, cancellationToken: ct).ConfigureAwait(false);
                    var first = await ctx.NextReportAsync(client, ct).ConfigureAwait(false);
                    ctx.Require(first is not null, "the buffered reports are sent once the BRCB is enabled");
                    ctx.Check(first!.BufOvfl == true, "the first report after the overflow has BufOvfl true", first.BufOvfl?.ToString() ?? "no BufOvfl field");
                }
                finally
                {
                    await RestoreRcbAsync(ctx, client, rcb, [("TrgOps", trg), ("OptFlds", opt)], purge: true, ct).ConfigureAwait(false);
                }
            });
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
