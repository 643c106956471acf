using FlexCoop.Iec61850.Mms.Goose;
using FlexCoop.Iec61850.Mms.Server;
using FlexCoop.Iec61850.Model;

namespace FlexCoop.Iec61850.Mms.Acsi;

/// <summary>
/// GOOSE fed from the server's values (7-2 §18, 8-1 §18): one <see cref="GoosePublisher"/> per GOOSE control
/// block that has a data set. While a control block is enabled (<c>GoEna</c> true, set by the host or written by a
/// client), every change of a value of its data set, whether by the host API, a control operation or a client
/// write, becomes a new state: stNum + 1, sqNum 0, and the fast retransmissions from MinTime. An update that
/// leaves the data set's values as they were (a data update of the same value, or a change of another value)
/// sends no new state.
/// </summary>
internal sealed class Iec61850GooseEngine
{
    private sealed class GocbState(GseControlBlock controlBlock, string domain, string itemId, ObjectName[] members, GoosePublisher publisher)
    {
        public GseControlBlock ControlBlock { get; } = controlBlock;
        public string Domain { get; } = domain;

        /// <summary><c>LLN0$GO$name</c>.</summary>
        public string ItemId { get; } = itemId;

        public ObjectName[] Members { get; } = members;
        public GoosePublisher Publisher { get; } = publisher;
        public Lock Gate { get; } = new();
    }

    private readonly MmsVmd _vmd;
    private readonly GocbState[] _all;
    private readonly Dictionary<string, GocbState> _byEnable;

    public Iec61850GooseEngine(IedModel model, MmsVmd vmd, MacAddress source, TimeProvider timeProvider)
    {
        _vmd = vmd;
        var all = new List<GocbState>();
        foreach (var gcb in model.LogicalDevices.SelectMany(ld => ld.LogicalNodes).SelectMany(ln => ln.GseControlBlocks))
        {
            if (gcb.Fc != FunctionalConstraint.GO || gcb.DataSet is not { Members.Count: > 0 } dataSet) continue;
            var domain = gcb.LogicalNode!.LogicalDevice.MmsDomainName;
            var itemId = FcNode.MmsName(gcb, gcb.Fc);
            if (vmd.Find(domain, itemId + "$GoEna") is null) continue;
            var members = dataSet.Members.Select(m => ObjectName.Domain(m.MmsDomainName, m.MmsItemId)).ToArray();
            if (members.Any(m => vmd.Find(m.DomainId!, m.ItemId) is null)) continue;
            var options = GoosePublisherOptions.FromControlBlock(gcb) with { Source = source };
            var publisher = new GoosePublisher(options, ReadValues(vmd, members), timeProvider);
            all.Add(new GocbState(gcb, domain, itemId, members, publisher));
        }
        _all = all.ToArray();
        _byEnable = _all.ToDictionary(s => s.Domain + "/" + s.ItemId + "$GoEna", StringComparer.Ordinal);
    }

    /// <summary>The publishers, in model order.</summary>
    public IReadOnlyList<GoosePublisher> Publishers => _all.Select(s => s.Publisher).ToArray();

    /// <summary>Sets GoEna of every control block to <paramref name="enable"/> and starts or stops its publisher.</summary>
    public void EnableAll(bool enable)
    {
        foreach (var state in _all)
        {
            _vmd.SetValue(state.Domain, state.ItemId + "$GoEna", new MmsBoolean(enable));
            Apply(state, enable);
        }
    }

    /// <summary>Starts the publishers whose GoEna is already true (e.g. from SCL or an earlier client write).</summary>
    public void StartEnabled()
    {
        foreach (var state in _all)
        {
            if (_vmd.GetValue(state.Domain, state.ItemId + "$GoEna") is MmsBoolean { Value: true }) Apply(state, true);
        }
    }

    private void Apply(GocbState state, bool enable)
    {
        lock (state.Gate)
        {
            if (enable) state.Publisher.Start(ReadValues(_vmd, state.Members));
            else state.Publisher.Stop();
        }
    }

    /// <summary>A client wrote: GoEna starts or stops a publisher; a data set value becomes a new state.</summary>
    public void OnWritten(MmsWriteContext context)
    {
        if (_byEnable.TryGetValue(context.Domain + "/" + context.ItemId, out var state) && context.Value is MmsBoolean enable)
        {
            Apply(state, enable.Value);
            return;
        }
        OnValueChanged(context.Domain, context.ItemId);
    }

    /// <summary>
    /// A value at <paramref name="domain"/>/<paramref name="itemId"/> changed (or was written again): each enabled
    /// control block whose data set covers it, or lies within it, publishes a new state when its values differ.
    /// </summary>
    public void OnValueChanged(string domain, string itemId)
    {
        foreach (var state in _all)
        {
            if (!Covers(state, domain, itemId)) continue;
            lock (state.Gate)
            {
                if (!state.Publisher.IsPublishing) continue;
                var values = ReadValues(_vmd, state.Members);
                var current = state.Publisher.Values;
                var changed = false;
                for (var i = 0; i < values.Length && !changed; i++) changed = !values[i].Equals(current[i]);
                if (changed) state.Publisher.Publish(values);
            }
        }
    }

    private static bool Covers(GocbState state, string domain, string itemId)
    {
        foreach (var m in state.Members)
        {
            if (!string.Equals(m.DomainId, domain, StringComparison.Ordinal)) continue;
            var id = m.ItemId;
            if (itemId == id
                || (itemId.Length > id.Length && itemId[id.Length] == '$' && itemId.StartsWith(id, StringComparison.Ordinal))
                || (id.Length > itemId.Length && id[itemId.Length] == '$' && id.StartsWith(itemId, StringComparison.Ordinal)))
            {
                return true;
            }
        }
        return false;
    }

    private static MmsValue[] ReadValues(MmsVmd vmd, ObjectName[] members)
    {
        var values = new MmsValue[members.Length];
        for (var i = 0; i < members.Length; i++) values[i] = vmd.GetValue(members[i].DomainId!, members[i].ItemId);
        return values;
    }

    /// <summary>Sends every publisher's due frames on <paramref name="transport"/> until cancelled.</summary>
    public Task RunAsync(IGooseTransport transport, CancellationToken cancellationToken) =>
        Task.WhenAll(_all.Select(s => s.Publisher.SendDueFramesAsync(transport, null, cancellationToken)));
}
