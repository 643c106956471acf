using FlexCoop.Iec61850.Mms.Server;
using FlexCoop.Iec61850.Model;

namespace FlexCoop.Iec61850.Mms.Acsi;

/// <summary>
/// Setting groups (IEC 61850-7-2 §16, 8-1 SGCB): each logical device with an SGCB keeps the values of
/// its SG attributes per group. Writing <c>ActSG</c> (SelectActiveSG) loads a group into the SG
/// attributes and stamps <c>LActTm</c>; writing <c>EditSG</c> (SelectEditSG) loads a group into the SE
/// attributes and reserves editing for that association; SE writes (SetEditSGValue) change the edit
/// copy only; writing <c>CnfEdit</c> true (ConfirmEditSGValues) stores the edit copy into the group.
/// </summary>
internal sealed class Iec61850SettingGroupEngine
{
    private sealed class Sgcb(string domain, string itemId, string lnName, int count, List<string> sgItems)
    {
        public string Domain { get; } = domain;

        /// <summary><c>LLN0$SP$SGCB</c>.</summary>
        public string ItemId { get; } = itemId;
        public string LnName { get; } = lnName;
        public int Count { get; } = count;

        /// <summary>Item ids of the SG leaves (<c>LN$SG$DO$DA</c>); the SE twin replaces <c>$SG$</c> by <c>$SE$</c>.</summary>
        public List<string> SgItems { get; } = sgItems;

        /// <summary>Values per group (index 0 = group 1), one per SG leaf.</summary>
        public MmsValue[][] Groups { get; set; } = [];
        public MmsPeer? Editor { get; set; }
        public object Gate { get; } = new();
    }

    private readonly MmsVmd _vmd;
    private readonly Iec61850ServerFaults _faults;
    private readonly Dictionary<string, Sgcb> _byDomain = new(StringComparer.Ordinal);

    public Iec61850SettingGroupEngine(IedModel model, MmsVmd vmd, Iec61850ServerFaults faults)
    {
        _vmd = vmd;
        _faults = faults;
        foreach (var ld in model.LogicalDevices)
        {
            if (ld.Lln0?.SettingGroupControlBlock is not { } sgcb || sgcb.NumOfSGs == 0) continue;
            var domain = ld.MmsDomainName;
            var leaves = new List<DataAttribute>();
            foreach (var ln in ld.LogicalNodes)
            {
                foreach (var d in ln.DataObjects) leaves.AddRange(IedModel.GetAttributes(d, FunctionalConstraint.SG).Where(a => !a.IsStructure));
            }
            leaves.RemoveAll(a => vmd.Find(domain, FcNode.MmsName(a, FunctionalConstraint.SG)) is null);
            var state = new Sgcb(domain, FcNode.MmsName(sgcb, FunctionalConstraint.SP), ld.Lln0.Name, (int)sgcb.NumOfSGs, leaves.Select(a => FcNode.MmsName(a, FunctionalConstraint.SG)).ToList());
            state.Groups = new MmsValue[state.Count][];
            for (var g = 0; g < state.Count; g++)
            {
                state.Groups[g] = new MmsValue[leaves.Count];
                for (var i = 0; i < leaves.Count; i++)
                {
                    var node = vmd.Find(domain, state.SgItems[i])!;
                    var initial = leaves[i].SettingGroupValues.Count > g ? leaves[i].SettingGroupValues[g] : null;
                    state.Groups[g][i] = initial is null ? node.Read() : ValueOf(node.Type, initial);
                }
            }
            _byDomain[domain] = state;
            var act = (int)Math.Clamp(sgcb.ActSG, 1u, sgcb.NumOfSGs);
            Load(state, act, "$SG$");
        }
    }

    private static MmsValue ValueOf(MmsTypeDescription type, object value)
    {
        MmsValue? v = value switch
        {
            bool b => new MmsBoolean(b),
            int i => new MmsInteger(i),
            long l => new MmsInteger(l),
            ulong u => new MmsUnsigned(u),
            float f => new MmsFloat32(f),
            double d => new MmsFloat64(d),
            string s when type is MmsVisibleStringType => new MmsVisibleString(s),
            _ => null,
        };
        return v is not null && type.Accepts(v) ? v : type.DefaultValue();
    }

    private void Load(Sgcb state, int group, string fc)
    {
        var values = state.Groups[group - 1];
        for (var i = 0; i < state.SgItems.Count; i++)
        {
            var item = fc == "$SG$" ? state.SgItems[i] : SeItem(state.SgItems[i]);
            if (_vmd.Find(state.Domain, item) is not null) _vmd.SetValue(state.Domain, item, values[i]);
        }
    }

    private static string SeItem(string sgItem)
    {
        var at = sgItem.IndexOf("$SG$", StringComparison.Ordinal);
        return sgItem[..at] + "$SE$" + sgItem[(at + 4)..];
    }

    private int Read(Sgcb state, string attribute) =>
        _vmd.Find(state.Domain, state.ItemId + "$" + attribute)?.Read() is MmsUnsigned u ? (int)u.Value : 0;

    /// <summary>Refuses or accepts a write of an SGCB attribute or an SE value; <paramref name="handled"/> false for other writes.</summary>
    public DataAccessError? OnWrite(MmsWriteContext context, out bool handled)
    {
        handled = false;
        if (!_byDomain.TryGetValue(context.Domain, out var state)) return null;
        var itemId = context.ItemId;
        if (itemId.StartsWith(state.ItemId, StringComparison.Ordinal))
        {
            handled = true;
            if (itemId.Length == state.ItemId.Length) return DataAccessError.ObjectAccessDenied;
            var attribute = itemId[(state.ItemId.Length + 1)..];
            lock (state.Gate)
            {
                switch (attribute)
                {
                    case "ActSG":
                        {
                            if (context.Value is not MmsUnsigned { Value: var n } || n < 1 || n > (ulong)state.Count) return DataAccessError.ObjectValueInvalid;
                            if (!_faults.HasFlag(Iec61850ServerFaults.SettingGroupIgnored))
                            {
                                Load(state, (int)n, "$SG$");
                                if (_vmd.Find(state.Domain, state.ItemId + "$LActTm") is not null) _vmd.SetValue(state.Domain, state.ItemId + "$LActTm", MmsUtcTime.From(DateTimeOffset.UtcNow, 0x0A));
                            }
                            return null;
                        }
                    case "EditSG":
                        {
                            if (context.Value is not MmsUnsigned { Value: var n } || n > (ulong)state.Count) return DataAccessError.ObjectValueInvalid;
                            if (state.Editor is { IsAssociated: true } editor && !ReferenceEquals(editor, context.Peer)) return DataAccessError.TemporarilyUnavailable;
                            if (n == 0)
                            {
                                state.Editor = null;
                                return null;
                            }
                            Load(state, (int)n, "$SE$");
                            state.Editor = context.Peer;
                            return null;
                        }
                    case "CnfEdit":
                        {
                            if (context.Value is not MmsBoolean { Value: true }) return DataAccessError.ObjectValueInvalid;
                            var edit = Read(state, "EditSG");
                            if (edit == 0 || !ReferenceEquals(state.Editor, context.Peer)) return DataAccessError.TemporarilyUnavailable;
                            var values = state.Groups[edit - 1];
                            for (var i = 0; i < state.SgItems.Count; i++)
                            {
                                if (_vmd.Find(state.Domain, SeItem(state.SgItems[i])) is { } se) values[i] = se.Read();
                            }
                            if (edit == Read(state, "ActSG")) Load(state, edit, "$SG$");
                            return null;
                        }
                    default:
                        return DataAccessError.ObjectAccessDenied;
                }
            }
        }
        if (itemId.Contains("$SE$", StringComparison.Ordinal))
        {
            handled = true;
            lock (state.Gate)
            {
                if (Read(state, "EditSG") == 0) return DataAccessError.TemporarilyUnavailable;
                if (!ReferenceEquals(state.Editor, context.Peer)) return DataAccessError.TemporarilyUnavailable;
            }
            return null;
        }
        return null;
    }

    /// <summary>After a write: <c>CnfEdit</c> reads back false once the edit is confirmed.</summary>
    public void OnWritten(MmsWriteContext context)
    {
        if (!_byDomain.TryGetValue(context.Domain, out var state)) return;
        if (context.ItemId == state.ItemId + "$CnfEdit") _vmd.SetValue(state.Domain, context.ItemId, new MmsBoolean(false));
    }
}
