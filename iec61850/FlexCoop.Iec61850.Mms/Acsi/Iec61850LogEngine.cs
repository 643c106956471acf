using FlexCoop.Iec61850.Mms.Server;
using FlexCoop.Iec61850.Model;

namespace FlexCoop.Iec61850.Mms.Acsi;

/// <summary>
/// Logging for the log control blocks of the model (7-2 clause 17, 8-1 clause 17.3): while an LCB's
/// <c>LogEna</c> is true, a change of a member of its data set (dchg, qchg or dupd, as its
/// <c>TrgOps</c> asks) and every integrity period (<c>IntgPd</c>) add an entry to the journal its
/// <c>LogRef</c> names. An entry holds, per member included, the member's reference with its value
/// and, when the LCB has reason codes, a <c>ReasonCode</c> variable. After each entry the LCB's
/// <c>OldEntrTm</c>, <c>NewEntrTm</c>, <c>OldEntr</c> and <c>NewEntr</c> show the journal's bounds;
/// clients may not write them. <c>DatSet</c> and <c>LogRef</c> may be changed while logging is off.
/// </summary>
internal sealed class Iec61850LogEngine : IDisposable
{
    private const int ReasonIntegrity = 4;

    private sealed class LcbState(LogControlBlock lcb, string domain, string itemId, IReadOnlyList<DataSetMember> members)
    {
        public LogControlBlock Lcb { get; } = lcb;
        public string Domain { get; } = domain;
        public string ItemId { get; } = itemId;
        public IReadOnlyList<DataSetMember> Members { get; set; } = members;
        public object Gate { get; } = new();
        public Timer? Integrity { get; set; }
    }

    private readonly MmsVmd _vmd;
    private readonly Dictionary<string, LcbState> _byItem = new(StringComparer.Ordinal);
    private readonly List<LcbState> _all = [];
    private readonly Dictionary<string, DataSet> _dataSets = new(StringComparer.Ordinal);
    private bool _disposed;

    public Iec61850LogEngine(IedModel model, MmsVmd vmd)
    {
        _vmd = vmd;
        foreach (var ds in model.DataSets)
        {
            _dataSets[Normalize(ds.Reference)] = ds;
        }
        foreach (var lcb in model.LogicalDevices.SelectMany(ld => ld.LogicalNodes).SelectMany(ln => ln.LogControlBlocks))
        {
            var domain = lcb.LogicalNode!.LogicalDevice.MmsDomainName;
            var item = FcNode.MmsName(lcb, lcb.Fc);
            if (vmd.Find(domain, item) is null) continue;
            var state = new LcbState(lcb, domain, item, lcb.DataSet?.Members ?? []);
            _byItem[domain + "/" + item] = state;
            _all.Add(state);
            ShowBounds(state);
            Arm(state);
        }
    }

    /// <summary>The log control blocks served, as <c>domain/LN$LG$name</c>.</summary>
    public IEnumerable<string> LogControlBlocks => _byItem.Keys;

    /// <summary>An object reference in one form whatever its separators (<c>LD/LN.DS</c> and <c>LD/LN$DS</c> alike).</summary>
    private static string Normalize(string reference) => reference.Replace('.', '$');

    /// <summary>The journal a LogRef value (<c>LD/LN$LogName</c>) names, or null.</summary>
    private MmsJournal? JournalOf(string logRef)
    {
        var slash = logRef.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0) return null;
        return _vmd.FindDomain(logRef[..slash])?.FindJournal(Normalize(logRef[(slash + 1)..]));
    }

    private MmsJournal? JournalOf(LcbState state) =>
        _vmd.GetValue(state.Domain, state.ItemId + "$LogRef") is MmsVisibleString { Value: var logRef } ? JournalOf(logRef) : null;

    private bool LogEnabled(LcbState state) => _vmd.GetValue(state.Domain, state.ItemId + "$LogEna") is MmsBoolean { Value: true };

    private bool Trigger(LcbState state, int reason) =>
        _vmd.GetValue(state.Domain, state.ItemId + "$TrgOps") is MmsBitString trg && reason < trg.BitLength && trg[reason];

    /// <summary>Checks a client's write of an LCB attribute; <paramref name="handled"/> is false when it is not one.</summary>
    public DataAccessError? OnWrite(MmsWriteContext context, out bool handled)
    {
        handled = false;
        var cut = context.ItemId.LastIndexOf('$');
        if (cut < 0 || !_byItem.TryGetValue(context.Domain + "/" + context.ItemId[..cut], out var state)) return null;
        handled = true;
        switch (context.ItemId[(cut + 1)..])
        {
            case "OldEntrTm" or "NewEntrTm" or "OldEntr" or "NewEntr":
                return DataAccessError.ObjectAccessDenied;
            case "DatSet" when context.Value is MmsVisibleString { Value: var reference }:
                if (LogEnabled(state)) return DataAccessError.TemporarilyUnavailable;
                return reference.Length == 0 || _dataSets.ContainsKey(Normalize(reference)) ? null : DataAccessError.ObjectValueInvalid;
            case "LogRef" when context.Value is MmsVisibleString { Value: var logRef }:
                if (LogEnabled(state)) return DataAccessError.TemporarilyUnavailable;
                return JournalOf(logRef) is null ? DataAccessError.ObjectValueInvalid : null;
            default:
                return null;
        }
    }

    /// <summary>A client wrote an LCB attribute: the integrity timer and data set follow.</summary>
    public void OnWritten(MmsWriteContext context)
    {
        var cut = context.ItemId.LastIndexOf('$');
        if (cut < 0 || !_byItem.TryGetValue(context.Domain + "/" + context.ItemId[..cut], out var state)) return;
        var attribute = context.ItemId[(cut + 1)..];
        if (attribute == "DatSet" && context.Value is MmsVisibleString { Value: var reference })
        {
            lock (state.Gate) state.Members = _dataSets.TryGetValue(Normalize(reference), out var ds) ? ds.Members : [];
        }
        if (attribute is "LogRef") ShowBounds(state);
        if (attribute is "LogEna" or "IntgPd" or "TrgOps") Arm(state);
    }

    /// <summary>The host changed <paramref name="itemId"/> of <paramref name="domain"/> (reason dchg 1, qchg 2 or dupd 3).</summary>
    public void OnHostUpdate(string domain, string itemId, int reason)
    {
        foreach (var state in _all)
        {
            if (!LogEnabled(state) || !Trigger(state, reason)) continue;
            var members = state.Members;
            var included = new List<int>();
            for (var i = 0; i < members.Count; i++)
            {
                var m = members[i];
                if (m.MmsDomainName != domain) continue;
                var id = m.MmsItemId;
                if (itemId == id || itemId.StartsWith(id + "$", StringComparison.Ordinal) || id.StartsWith(itemId + "$", StringComparison.Ordinal)) included.Add(i);
            }
            if (included.Count > 0) Log(state, members, included, reason);
        }
    }

    /// <summary>(Re)starts the integrity timer of an LCB: running while LogEna, TrgOps integrity and IntgPd &gt; 0.</summary>
    private void Arm(LcbState state)
    {
        lock (state.Gate)
        {
            state.Integrity?.Dispose();
            state.Integrity = null;
            if (_disposed || !LogEnabled(state) || !Trigger(state, ReasonIntegrity)) return;
            if (_vmd.GetValue(state.Domain, state.ItemId + "$IntgPd") is not MmsUnsigned { Value: > 0 } period) return;
            var ms = (long)Math.Min(period.Value, int.MaxValue);
            state.Integrity = new Timer(_ => OnIntegrityPeriod(state), null, ms, ms);
        }
    }

    private void OnIntegrityPeriod(LcbState state)
    {
        if (!LogEnabled(state)) return;
        var members = state.Members;
        Log(state, members, Enumerable.Range(0, members.Count).ToList(), ReasonIntegrity);
    }

    private void Log(LcbState state, IReadOnlyList<DataSetMember> members, List<int> included, int reason)
    {
        if (JournalOf(state) is not { } journal) return;
        var withReason = state.Lcb.Source.ReasonCode;
        var variables = new List<(string Tag, MmsValue Value)>(included.Count * 2);
        foreach (var i in included)
        {
            var m = members[i];
            if (_vmd.Find(m.MmsDomainName, m.MmsItemId) is not { } node) continue;
            variables.Add((m.MmsDomainName + "/" + m.MmsItemId, node.Read()));
            if (withReason) variables.Add(("ReasonCode", MmsBitString.FromBits(7, reason)));
        }
        if (variables.Count == 0) return;
        lock (state.Gate)
        {
            try
            {
                journal.Append(MmsBinaryTime.From(DateTime.UtcNow), variables);
            }
            catch (MmsJournalStoreException)
            {
                // The store failed (e.g. the disk is full): the entry is lost, the server keeps serving.
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            ShowBounds(state);
        }
    }

    /// <summary>OldEntrTm/NewEntrTm/OldEntr/NewEntr from the journal's oldest and newest entries.</summary>
    private void ShowBounds(LcbState state)
    {
        if (JournalOf(state)?.Bounds is not { } b) return;
        _vmd.SetValue(state.Domain, state.ItemId + "$OldEntrTm", b.OldestTime with { DaysSince1984 = b.OldestTime.DaysSince1984 ?? 0 });
        _vmd.SetValue(state.Domain, state.ItemId + "$NewEntrTm", b.NewestTime with { DaysSince1984 = b.NewestTime.DaysSince1984 ?? 0 });
        _vmd.SetValue(state.Domain, state.ItemId + "$OldEntr", new MmsOctetString(MmsJournalStore.EntryIdOf(b.OldestEntry)));
        _vmd.SetValue(state.Domain, state.ItemId + "$NewEntr", new MmsOctetString(MmsJournalStore.EntryIdOf(b.NewestEntry)));
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
            }
        }
    }
}
