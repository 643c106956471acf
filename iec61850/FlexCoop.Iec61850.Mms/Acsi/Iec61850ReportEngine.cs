using FlexCoop.Iec61850.Mms.Server;
using FlexCoop.Iec61850.Model;

namespace FlexCoop.Iec61850.Mms.Acsi;

/// <summary>
/// Reporting for the report control blocks of the model (8-1 clause 17): a client enables an RCB by
/// writing <c>RptEna</c> true (it then owns it), asks for a general interrogation by writing
/// <c>GI</c> true, and receives data-change and quality-change reports when the host updates a
/// member of the RCB's data set. Reports also go out every integrity period (<c>IntgPd</c>, when TrgOps has
/// integrity). Buffering across disconnections is not implemented: an RCB reports only while its owner is associated.
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
    }

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
    /// writes, and its owner may change only RptEna and GI (and Purge/EntryID of a BRCB) while it is
    /// enabled. <paramref name="handled"/> is false for writes that are not RCB attributes.
    /// </summary>
    public DataAccessError? OnWrite(MmsWriteContext context, out bool handled)
    {
        handled = false;
        var cut = context.ItemId.LastIndexOf('$');
        if (cut < 0 || !_byItem.TryGetValue(context.Domain + "/" + context.ItemId[..cut], out var state)) return null;
        handled = true;
        if (_faults.HasFlag(Iec61850ServerFaults.NoRcbReservation)) return null;
        var attribute = context.ItemId[(cut + 1)..];
        var owner = Enabled(state);
        if (owner is null) return null;
        if (!ReferenceEquals(owner, context.Peer)) return DataAccessError.TemporarilyUnavailable;
        return attribute is "RptEna" or "GI" or "Purge" or "EntryID" ? null : DataAccessError.TemporarilyUnavailable;
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
        }
        else if (attribute == "GI" && context.Value is MmsBoolean { Value: true })
        {
            _vmd.SetValue(state.Domain, state.ItemId + "$GI", new MmsBoolean(false));
            if (!_faults.HasFlag(Iec61850ServerFaults.GiIgnored) && Enabled(state) is { } owner && Trigger(state, 5))
            {
                Send(state, owner, Enumerable.Range(0, state.Members.Count).ToArray(), ReasonGi);
            }
        }
    }

    /// <summary>The host changed <paramref name="itemId"/> in <paramref name="domain"/>: report it where a data set holds it.</summary>
    public void OnHostUpdate(string domain, string itemId)
    {
        var reason = itemId.EndsWith("$q", StringComparison.Ordinal) ? ReasonQchg : ReasonDchg;
        foreach (var state in _all)
        {
            if (Enabled(state) is not { } owner || !Trigger(state, reason)) continue;
            var included = new List<int>();
            for (var i = 0; i < state.Members.Count; i++)
            {
                var m = state.Members[i];
                if (m.MmsDomainName != domain) continue;
                var id = m.MmsItemId;
                if (itemId == id || itemId.StartsWith(id + "$", StringComparison.Ordinal) || id.StartsWith(itemId + "$", StringComparison.Ordinal)) included.Add(i);
            }
            if (included.Count > 0) Send(state, owner, included.ToArray(), reason);
        }
    }

    /// <summary>Integrity period elapsed: a report of every member, or the timer stops once the RCB is no longer enabled.</summary>
    private void OnIntegrityPeriod(RcbState state)
    {
        if (Enabled(state) is { } owner)
        {
            Send(state, owner, Enumerable.Range(0, state.Members.Count).ToArray(), ReasonIntegrity);
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
            if (state.Owner is { IsAssociated: true } owner && _vmd.GetValue(state.Domain, state.ItemId + "$RptEna") is MmsBoolean { Value: true }) return owner;
            state.Owner = null;
            return null;
        }
    }

    private bool Trigger(RcbState state, int reason) =>
        _vmd.GetValue(state.Domain, state.ItemId + "$TrgOps") is MmsBitString trg && trg[reason];

    private void Send(RcbState state, MmsPeer owner, int[] included, int reason)
    {
        InformationReportPdu report;
        lock (state.Gate)
        {
            var opt = (MmsBitString)_vmd.GetValue(state.Domain, state.ItemId + "$OptFlds");
            var sqNum = _vmd.GetValue(state.Domain, state.ItemId + "$SqNum") is MmsUnsigned u ? u.Value : 0;
            var width = state.Rcb.Buffered ? 16 : 8;
            _vmd.SetValue(state.Domain, state.ItemId + "$SqNum", new MmsUnsigned((sqNum + 1) & ((1UL << width) - 1)));
            var rptId = ((MmsVisibleString)_vmd.GetValue(state.Domain, state.ItemId + "$RptID")).Value;
            if (rptId.Length == 0) rptId = state.Domain + "/" + state.ItemId;
            var results = new List<AccessResult>
            {
                AccessResult.Success(new MmsVisibleString(rptId)),
                AccessResult.Success(opt),
            };
            if (opt[1]) results.Add(AccessResult.Success(new MmsUnsigned(sqNum)));
            if (opt[2]) results.Add(AccessResult.Success(MmsBinaryTime.From(DateTime.UtcNow)));
            if (opt[4]) results.Add(AccessResult.Success(_vmd.GetValue(state.Domain, state.ItemId + "$DatSet")));
            if (opt[6]) results.Add(AccessResult.Success(new MmsBoolean(false)));
            if (opt[7]) results.Add(AccessResult.Success(new MmsOctetString(new byte[8])));
            if (opt[8]) results.Add(AccessResult.Success(_vmd.GetValue(state.Domain, state.ItemId + "$ConfRev")));
            results.Add(AccessResult.Success(MmsBitString.FromBits(state.Members.Count, included)));
            if (opt[5])
            {
                foreach (var i in included) results.Add(AccessResult.Success(new MmsVisibleString(state.Members[i].MmsDomainName + "/" + state.Members[i].MmsItemId)));
            }
            foreach (var i in included)
            {
                var m = state.Members[i];
                results.Add(_vmd.Find(m.MmsDomainName, m.MmsItemId) is { } node ? AccessResult.Success(node.Read()) : AccessResult.Failure(DataAccessError.ObjectNonExistent));
            }
            if (opt[3])
            {
                foreach (var _ in included) results.Add(AccessResult.Success(MmsBitString.FromBits(7, reason)));
            }
            report = new InformationReportPdu(VariableAccessSpecification.OfList(ObjectName.Vmd("RPT")), results);
        }
        _ = owner.SendInformationReportAsync(report).AsTask();
    }
}
