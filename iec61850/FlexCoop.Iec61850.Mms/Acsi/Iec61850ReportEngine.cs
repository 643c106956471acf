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
/// (written by the client, else the last one sent); <c>PurgeBuf</c> empties the buffer. BufTm is not applied:
/// each event is reported on its own.
/// </summary>
internal sealed class Iec61850ReportEngine
{
    private const int ReasonDchg = 1, ReasonQchg = 2, ReasonIntegrity = 4, ReasonGi = 5;

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
    }

    /// <summary>One report's content, captured when its event happened.</summary>
    private sealed record BufferedEntry(ulong Id, DateTime Time, int[] Included, int Reason, AccessResult[] Values);

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
                state.Buffer.Clear();
                state.Overflowed = false;
            }
            _vmd.SetValue(state.Domain, state.ItemId + "$PurgeBuf", new MmsBoolean(false));
        }
        else if (attribute == "GI" && context.Value is MmsBoolean { Value: true })
        {
            _vmd.SetValue(state.Domain, state.ItemId + "$GI", new MmsBoolean(false));
            if (!_faults.HasFlag(Iec61850ServerFaults.GiIgnored) && Enabled(state) is { } owner && Trigger(state, 5))
            {
                Event(state, Enumerable.Range(0, state.Members.Count).ToArray(), ReasonGi);
            }
        }
    }

    /// <summary>The host changed <paramref name="itemId"/> in <paramref name="domain"/>: report it where a data set holds it.</summary>
    public void OnHostUpdate(string domain, string itemId)
    {
        var reason = itemId.EndsWith("$q", StringComparison.Ordinal) ? ReasonQchg : ReasonDchg;
        if (reason == ReasonDchg && _faults.HasFlag(Iec61850ServerFaults.NoDataChangeReports)) return;
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
            if (included.Count > 0) Event(state, included.ToArray(), reason);
        }
    }

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

    /// <summary>An event for the RCB: captured now; a BRCB keeps it; sent at once when a client has the RCB enabled.</summary>
    private void Event(RcbState state, int[] included, int reason)
    {
        BufferedEntry entry;
        MmsPeer? owner;
        lock (state.Gate)
        {
            var values = new AccessResult[included.Length];
            for (var k = 0; k < included.Length; k++)
            {
                var m = state.Members[included[k]];
                values[k] = _vmd.Find(m.MmsDomainName, m.MmsItemId) is { } node ? AccessResult.Success(node.Read()) : AccessResult.Failure(DataAccessError.ObjectNonExistent);
            }
            entry = new BufferedEntry(state.NextEntryId++, DateTime.UtcNow, included, reason, values);
            if (state.Rcb.Buffered)
            {
                state.Buffer.Add(entry);
                if (state.Buffer.Count > BufferCapacity)
                {
                    state.Buffer.RemoveAt(0);
                    state.Overflowed = true;
                }
            }
            owner = Enabled(state);
        }
        if (owner is not null) Emit(state, owner, [entry]);
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
            foreach (var entry in entries) reports.Add(Build(state, entry));
        }
        foreach (var report in reports) _ = owner.SendInformationReportAsync(report).AsTask();
    }

    /// <summary>The 8-1 report of one entry, with the option fields the RCB asks for (under the RCB's lock).</summary>
    private InformationReportPdu Build(RcbState state, BufferedEntry entry)
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
        var results = new List<AccessResult>
        {
            AccessResult.Success(new MmsVisibleString(rptId)),
            AccessResult.Success(opt),
        };
        if (opt[1]) results.Add(AccessResult.Success(new MmsUnsigned(sqNum)));
        if (opt[2]) results.Add(AccessResult.Success(MmsBinaryTime.From(entry.Time)));
        if (opt[4]) results.Add(AccessResult.Success(_vmd.GetValue(state.Domain, state.ItemId + "$DatSet")));
        if (opt[6]) results.Add(AccessResult.Success(new MmsBoolean(overflow)));
        if (opt[7]) results.Add(AccessResult.Success(new MmsOctetString(entryId)));
        if (opt[8]) results.Add(AccessResult.Success(_vmd.GetValue(state.Domain, state.ItemId + "$ConfRev")));
        results.Add(AccessResult.Success(MmsBitString.FromBits(state.Members.Count, entry.Included)));
        if (opt[5])
        {
            foreach (var i in entry.Included) results.Add(AccessResult.Success(new MmsVisibleString(state.Members[i].MmsDomainName + "/" + state.Members[i].MmsItemId)));
        }
        results.AddRange(entry.Values);
        if (opt[3])
        {
            foreach (var _ in entry.Included) results.Add(AccessResult.Success(MmsBitString.FromBits(7, entry.Reason)));
        }
        return new InformationReportPdu(VariableAccessSpecification.OfList(ObjectName.Vmd("RPT")), results);
    }
}
