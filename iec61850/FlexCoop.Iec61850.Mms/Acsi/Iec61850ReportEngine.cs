using FlexCoop.Iec61850.Mms.Server;
using FlexCoop.Iec61850.Model;

namespace FlexCoop.Iec61850.Mms.Acsi;

/// <summary>
/// Reporting for the report control blocks of the model (8-1 clause 17): a client enables an RCB by
/// writing <c>RptEna</c> true (it then owns it), asks for a general interrogation by writing
/// <c>GI</c> true, and receives data-change and quality-change reports when the host updates a
/// member of the RCB's data set. Reports also go out every integrity period (<c>IntgPd</c>, when TrgOps has
/// integrity). A BRCB keeps its reports (up to <see cref="BufferCapacity"/>, then BufOvfl) while no client
/// has it enabled and for resynchronisation: enabling it sends the reports after its <c>EntryID</c>
/// (written by the client, else the last one sent); <c>PurgeBuf</c> empties the buffer. With a
/// <c>BufTm</c> above 0, data changes within the buffer time after the first one go out as one report
/// (each member with its own reason); a second change of a member already waiting sends the waiting
/// report at once and starts a new one. General interrogation and integrity reports are not delayed.
/// A report larger than the owner's negotiated PDU size is split into segments (OptFlds segmentation,
/// SubSqNum, MoreSegmentsFollow) that share one SqNum.
/// </summary>
internal sealed class Iec61850ReportEngine : IDisposable
{
    private const int ReasonIntegrity = 4, ReasonGi = 5;

    private sealed class RcbState(ReportControlBlock rcb, string domain, string itemId, IReadOnlyList<DataSetMember> members)
    {
        public ReportControlBlock Rcb { get; } = rcb;
        public string Domain { get; } = domain;
        public string ItemId { get; } = itemId;
        public IReadOnlyList<DataSetMember> Members { get; } = members;
        public MmsPeer? Owner { get; set; }
        public object Gate { get; } = new();
        public Timer? Integrity { get; set; }

        /// <summary>BRCB: the reports kept (oldest first) for resynchronisation and while no client is enabled.</summary>
        public List<BufferedEntry> Buffer { get; } = [];
        public ulong NextEntryId { get; set; } = 1;
        public ulong LastSent { get; set; }

        /// <summary>BRCB: entries were dropped since the last report sent (BufOvfl).</summary>
        public bool Overflowed { get; set; }

        /// <summary>Changes waiting for the buffer time to end: member index → value and reason.</summary>
        public SortedDictionary<int, (AccessResult Value, int Reason)>? Pending { get; set; }
        public DateTime PendingSince { get; set; }
        public Timer? BufTimer { get; set; }
    }

    /// <summary>One report's content, captured when its event happened: members included, the reason of each, their values.</summary>
    private sealed record BufferedEntry(ulong Id, DateTime Time, int[] Included, int[] Reasons, AccessResult[] Values);

    private bool _disposed;

    /// <summary>Reports a BRCB keeps; beyond it the oldest are dropped and the next report says BufOvfl.</summary>
    public const int BufferCapacity = 256;

    private readonly MmsVmd _vmd;
    private readonly Iec61850ServerFaults _faults;
    private readonly Dictionary<string, RcbState> _byItem = new(StringComparer.Ordinal);
    private readonly List<RcbState> _all = [];

    public Iec61850ReportEngine(IedModel model, MmsVmd vmd, Iec61850ServerFaults faults = Iec61850ServerFaults.None)
    {
        _vmd = vmd;
        _faults = faults;
        foreach (var rcb in model.ReportControlBlocks)
        {
            if (vmd.Find(rcb.LogicalNode!.LogicalDevice.MmsDomainName, rcb.LogicalNode.Name) is null) continue;
            var domain = rcb.LogicalNode!.LogicalDevice.MmsDomainName;
            var item = FcNode.MmsName(rcb, rcb.Fc);
            var state = new RcbState(rcb, domain, item, rcb.DataSet?.Members ?? []);
            _byItem[domain + "/" + item] = state;
            _all.Add(state);
        }
    }

    /// <summary>
    /// Reservation (7-2 §17): an RCB enabled by one association refuses every other association's
    /// writes, and its owner may change only RptEna and GI while it is
    /// enabled; an EntryID that is not in a BRCB's buffer is refused. <paramref name="handled"/> is false for writes that are not RCB attributes.
    /// </summary>
    public DataAccessError? OnWrite(MmsWriteContext context, out bool handled)
    {
        handled = false;
        var cut = context.ItemId.LastIndexOf('$');
        if (cut < 0 || !_byItem.TryGetValue(context.Domain + "/" + context.ItemId[..cut], out var state)) return null;
        handled = true;
        var attribute = context.ItemId[(cut + 1)..];
        if (attribute == "EntryID" && state.Rcb.Buffered && context.Value is MmsOctetString { Value.Length: 8 } wanted)
        {
            var id = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(wanted.Value);
            lock (state.Gate)
            {
                if (id != 0 && !state.Buffer.Any(e => e.Id == id)) return DataAccessError.ObjectValueInvalid;
            }
        }
        if (_faults.HasFlag(Iec61850ServerFaults.NoRcbReservation)) return null;
        var owner = Enabled(state);
        if (owner is null) return null;
        if (!ReferenceEquals(owner, context.Peer)) return DataAccessError.TemporarilyUnavailable;
        return attribute is "RptEna" or "GI" ? null : DataAccessError.TemporarilyUnavailable;
    }

    /// <summary>A client wrote an RCB attribute.</summary>
    public void OnWritten(MmsWriteContext context)
    {
        var cut = context.ItemId.LastIndexOf('$');
        if (cut < 0 || !_byItem.TryGetValue(context.Domain + "/" + context.ItemId[..cut], out var state)) return;
        var attribute = context.ItemId[(cut + 1)..];
        if (attribute == "RptEna" && context.Value is MmsBoolean enable)
        {
            lock (state.Gate)
            {
                state.Owner = enable.Value ? context.Peer : null;
                if (!state.Rcb.Buffered)
                {
                    // An unbuffered RCB reports only what changes while it is enabled: changes still waiting for the
                    // buffer time belong to the session that ends (or to no session) and are not reported to the next.
                    state.Pending = null;
                    state.BufTimer?.Dispose();
                    state.BufTimer = null;
                }
                state.Integrity?.Dispose();
                state.Integrity = null;
                if (enable.Value && _vmd.GetValue(state.Domain, state.ItemId + "$IntgPd") is MmsUnsigned { Value: > 0 } period && Trigger(state, ReasonIntegrity))
                {
                    var ms = (long)Math.Min(period.Value, int.MaxValue);
                    state.Integrity = new Timer(_ => OnIntegrityPeriod(state), null, ms, ms);
                }
            }
            if (enable.Value && state.Rcb.Buffered && context.Peer is { } owner) owner.AfterResponse(() => SendBacklog(state, owner));
        }
        else if (attribute == "PurgeBuf" && context.Value is MmsBoolean { Value: true } && state.Rcb.Buffered)
        {
            lock (state.Gate)
            {
                // Changes still waiting for the buffer time are discarded with the buffer.
                state.Pending = null;
                state.Buffer.Clear();
                state.Overflowed = false;
            }
            _vmd.SetValue(state.Domain, state.ItemId + "$PurgeBuf", new MmsBoolean(false));
        }
        else if (attribute == "GI" && context.Value is MmsBoolean { Value: true })
        {
            _vmd.SetValue(state.Domain, state.ItemId + "$GI", new MmsBoolean(false));
            if (!_faults.HasFlag(Iec61850ServerFaults.GiIgnored) && Enabled(state) is not null && Trigger(state, 5))
            {
                Event(state, Enumerable.Range(0, state.Members.Count).ToArray(), ReasonGi);
            }
        }
    }

    /// <summary>The host changed <paramref name="itemId"/> in <paramref name="domain"/> (reason dchg 1, qchg 2 or dupd 3): report it where a data set holds it.</summary>
    public void OnHostUpdate(string domain, string itemId, int reason)
    {
        if (reason == 1 && _faults.HasFlag(Iec61850ServerFaults.NoDataChangeReports)) return; // 1 = dchg
        foreach (var state in _all)
        {
            if ((Enabled(state) is null && !state.Rcb.Buffered) || !Trigger(state, reason)) continue;
            var included = new List<int>();
            for (var i = 0; i < state.Members.Count; i++)
            {
                var m = state.Members[i];
                if (m.MmsDomainName != domain) continue;
                var id = m.MmsItemId;
                if (itemId == id || itemId.StartsWith(id + "$", StringComparison.Ordinal) || id.StartsWith(itemId + "$", StringComparison.Ordinal)) included.Add(i);
            }
            if (included.Count > 0) Change(state, included, reason);
        }
    }

    /// <summary>A data change: reported at once, or kept for the buffer time (BufTm) with other changes.</summary>
    private void Change(RcbState state, List<int> included, int reason)
    {
        var bufTm = _vmd.GetValue(state.Domain, state.ItemId + "$BufTm") is MmsUnsigned u ? u.Value : 0;
        if (bufTm == 0)
        {
            Event(state, included.ToArray(), reason);
            return;
        }
        lock (state.Gate)
        {
            if (state.Pending is { } waiting && included.Any(waiting.ContainsKey)) FlushPending(state);
            if (state.Pending is null)
            {
                state.Pending = [];
                state.PendingSince = DateTime.UtcNow;
                var pending = state.Pending;
                state.BufTimer?.Dispose();
                state.BufTimer = _disposed ? null : new Timer(_ =>
                {
                    lock (state.Gate)
                    {
                        if (ReferenceEquals(state.Pending, pending)) FlushPending(state);
                    }
                }, null, (long)Math.Min(bufTm, int.MaxValue), Timeout.Infinite);
            }
            foreach (var i in included) state.Pending[i] = (Capture(state.Members[i]), reason);
        }
    }

    /// <summary>The buffer time ended (or a member changed again): the waiting changes become one report (under the RCB's lock).</summary>
    private void FlushPending(RcbState state)
    {
        if (state.Pending is not { Count: > 0 } pending)
        {
            state.Pending = null;
            return;
        }
        state.Pending = null;
        Commit(state, pending.Keys.ToArray(), pending.Values.Select(p => p.Reason).ToArray(), pending.Values.Select(p => p.Value).ToArray(), state.PendingSince);
    }

    private AccessResult Capture(DataSetMember m) =>
        _vmd.Find(m.MmsDomainName, m.MmsItemId) is { } node ? AccessResult.Success(node.Read()) : AccessResult.Failure(DataAccessError.ObjectNonExistent);

    /// <summary>Integrity period elapsed: a report of every member, or the timer stops once the RCB is no longer enabled.</summary>
    private void OnIntegrityPeriod(RcbState state)
    {
        if (Enabled(state) is not null)
        {
            Event(state, Enumerable.Range(0, state.Members.Count).ToArray(), ReasonIntegrity);
            return;
        }
        lock (state.Gate)
        {
            state.Integrity?.Dispose();
            state.Integrity = null;
        }
    }

    private MmsPeer? Enabled(RcbState state)
    {
        lock (state.Gate)
        {
            var enabled = _vmd.GetValue(state.Domain, state.ItemId + "$RptEna") is MmsBoolean { Value: true };
            if (state.Owner is { IsAssociated: true } owner && enabled) return owner;
            // the owner's association ended: the RCB is no longer enabled (a BRCB goes on buffering)
            if (state.Owner is not null && enabled) _vmd.SetValue(state.Domain, state.ItemId + "$RptEna", new MmsBoolean(false));
            state.Owner = null;
            return null;
        }
    }

    private bool Trigger(RcbState state, int reason) =>
        _vmd.GetValue(state.Domain, state.ItemId + "$TrgOps") is MmsBitString trg && trg[reason];

    /// <summary>An event for the RCB reported without delay (GI, integrity, or no BufTm); changes waiting for BufTm go first.</summary>
    private void Event(RcbState state, int[] included, int reason)
    {
        lock (state.Gate)
        {
            if (state.Pending is not null) FlushPending(state);
            var values = new AccessResult[included.Length];
            for (var k = 0; k < included.Length; k++) values[k] = Capture(state.Members[included[k]]);
            Commit(state, included, Enumerable.Repeat(reason, included.Length).ToArray(), values, DateTime.UtcNow);
        }
    }

    /// <summary>A report's content is final: a BRCB keeps it; it goes to the owner when a client has the RCB enabled (under the RCB's lock).</summary>
    private void Commit(RcbState state, int[] included, int[] reasons, AccessResult[] values, DateTime time)
    {
        var entry = new BufferedEntry(state.NextEntryId++, time, included, reasons, values);
        if (state.Rcb.Buffered)
        {
            state.Buffer.Add(entry);
            if (state.Buffer.Count > BufferCapacity)
            {
                state.Buffer.RemoveAt(0);
                state.Overflowed = true;
            }
        }
        if (Enabled(state) is { } owner) Emit(state, owner, [entry]);
    }

    /// <summary>After a BRCB is enabled: the kept reports after its EntryID (resynchronisation), or after the last one sent.</summary>
    private Task SendBacklog(RcbState state, MmsPeer owner)
    {
        BufferedEntry[] backlog;
        lock (state.Gate)
        {
            var after = _vmd.GetValue(state.Domain, state.ItemId + "$EntryID") is MmsOctetString { Value.Length: 8 } e
                ? System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(e.Value)
                : 0;
            if (after == 0) after = state.LastSent;
            backlog = state.Buffer.Where(b => b.Id > after).ToArray();
        }
        if (backlog.Length > 0) Emit(state, owner, backlog);
        return Task.CompletedTask;
    }

    private void Emit(RcbState state, MmsPeer owner, IReadOnlyList<BufferedEntry> entries)
    {
        var reports = new List<InformationReportPdu>(entries.Count);
        lock (state.Gate)
        {
            foreach (var entry in entries) reports.AddRange(Build(state, entry, owner.NegotiatedPduSize));
        }
        foreach (var report in reports) _ = owner.SendInformationReportAsync(report).AsTask();
    }

    /// <summary>Octets of an informationReport beyond its list of access results (PDU tag, list name <c>RPT</c>, lengths).</summary>
    private const int ReportFraming = 24;

    /// <summary>
    /// The 8-1 report of one entry, with the option fields the RCB asks for (under the RCB's lock); split into
    /// segments when it would not fit in <paramref name="pduSize"/> octets.
    /// </summary>
    private List<InformationReportPdu> Build(RcbState state, BufferedEntry entry, int pduSize)
    {
        var opt = (MmsBitString)_vmd.GetValue(state.Domain, state.ItemId + "$OptFlds");
        var sqNum = _vmd.GetValue(state.Domain, state.ItemId + "$SqNum") is MmsUnsigned u ? u.Value : 0;
        var width = state.Rcb.Buffered ? 16 : 8;
        _vmd.SetValue(state.Domain, state.ItemId + "$SqNum", new MmsUnsigned((sqNum + 1) & ((1UL << width) - 1)));
        var rptId = ((MmsVisibleString)_vmd.GetValue(state.Domain, state.ItemId + "$RptID")).Value;
        if (rptId.Length == 0) rptId = state.Domain + "/" + state.ItemId;
        var entryId = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(entryId, entry.Id);
        var overflow = state.Rcb.Buffered && state.Overflowed && !_faults.HasFlag(Iec61850ServerFaults.NoBufferOverflowFlag);
        state.Overflowed = false;
        if (state.Rcb.Buffered)
        {
            state.LastSent = Math.Max(state.LastSent, entry.Id);
            if (_vmd.Find(state.Domain, state.ItemId + "$EntryID") is not null) _vmd.SetValue(state.Domain, state.ItemId + "$EntryID", new MmsOctetString(entryId));
        }

        // Per member: its reference (when asked for), value and reason (when asked for).
        var parts = new (AccessResult? Reference, AccessResult Value, AccessResult? Reason)[entry.Included.Length];
        for (var k = 0; k < entry.Included.Length; k++)
        {
            var m = state.Members[entry.Included[k]];
            parts[k] = (opt[5] ? AccessResult.Success(new MmsVisibleString(m.MmsDomainName + "/" + m.MmsItemId)) : null,
                entry.Values[k],
                opt[3] ? AccessResult.Success(MmsBitString.FromBits(7, entry.Reasons[k])) : null);
        }

        List<AccessResult> Header(MmsBitString optFlds, int subSqNum, bool more, int[] included)
        {
            var results = new List<AccessResult>
            {
                AccessResult.Success(new MmsVisibleString(rptId)),
                AccessResult.Success(optFlds),
            };
            if (optFlds[1]) results.Add(AccessResult.Success(new MmsUnsigned(sqNum)));
            if (optFlds[2]) results.Add(AccessResult.Success(MmsBinaryTime.From(entry.Time)));
            if (optFlds[4]) results.Add(AccessResult.Success(_vmd.GetValue(state.Domain, state.ItemId + "$DatSet")));
            if (optFlds[6]) results.Add(AccessResult.Success(new MmsBoolean(overflow)));
            if (optFlds[7]) results.Add(AccessResult.Success(new MmsOctetString(entryId)));
            if (optFlds[8]) results.Add(AccessResult.Success(_vmd.GetValue(state.Domain, state.ItemId + "$ConfRev")));
            if (optFlds[9])
            {
                results.Add(AccessResult.Success(new MmsUnsigned((ulong)subSqNum)));
                results.Add(AccessResult.Success(new MmsBoolean(more)));
            }
            results.Add(AccessResult.Success(MmsBitString.FromBits(state.Members.Count, included)));
            return results;
        }

        InformationReportPdu Report(MmsBitString optFlds, int subSqNum, bool more, int from, int count)
        {
            var results = Header(optFlds, subSqNum, more, entry.Included.AsSpan(from, count).ToArray());
            for (var k = from; k < from + count; k++) if (parts[k].Reference is { } r) results.Add(r);
            for (var k = from; k < from + count; k++) results.Add(parts[k].Value);
            for (var k = from; k < from + count; k++) if (parts[k].Reason is { } r) results.Add(r);
            return new InformationReportPdu(VariableAccessSpecification.OfList(ObjectName.Vmd("RPT")), results);
        }

        var plain = opt[9] ? WithBit(opt, 9, false) : opt;
        var whole = Report(plain, 0, false, 0, parts.Length);
        if (MmsPduCodec.Encode(whole).Length <= pduSize) return [whole];

        // Too large for the association: segments of as many members as fit, sharing SqNum.
        var segmented = WithBit(opt, 9, true);
        var writer = new Ber.BerWriter(256);
        int SizeOf(AccessResult? r)
        {
            if (r is not { Value: { } v }) return r is null ? 0 : 3;
            writer.Reset();
            MmsDataCodec.WriteData(writer, v);
            return writer.Length;
        }
        var headerSize = 0;
        foreach (var h in Header(segmented, 0xFFFF, true, entry.Included)) headerSize += SizeOf(h);
        var budget = pduSize - headerSize - ReportFraming;
        var segments = new List<(int From, int Count)>();
        var start = 0;
        var used = 0;
        for (var k = 0; k < parts.Length; k++)
        {
            var cost = SizeOf(parts[k].Reference) + SizeOf(parts[k].Value) + SizeOf(parts[k].Reason);
            if (k > start && used + cost > budget)
            {
                segments.Add((start, k - start));
                start = k;
                used = 0;
            }
            used += cost;
        }
        segments.Add((start, parts.Length - start));
        var reports = new List<InformationReportPdu>(segments.Count);
        for (var n = 0; n < segments.Count; n++) reports.Add(Report(segmented, n, n < segments.Count - 1, segments[n].From, segments[n].Count));
        return reports;
    }

    private static MmsBitString WithBit(MmsBitString bits, int bit, bool value)
    {
        var set = Enumerable.Range(0, bits.BitLength).Where(b => b == bit ? value : bits[b]).ToArray();
        return MmsBitString.FromBits(Math.Max(bits.BitLength, bit + 1), set);
    }

    public void Dispose()
    {
        _disposed = true;
        foreach (var state in _all)
        {
            lock (state.Gate)
            {
                state.Integrity?.Dispose();
                state.Integrity = null;
                state.BufTimer?.Dispose();
                state.BufTimer = null;
            }
        }
    }
}
