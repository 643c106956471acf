using FlexCoop.Iec61850.Scl;

namespace FlexCoop.Iec61850.Model;

/// <summary>
/// The resolved ACSI server of one IED: its logical devices, logical nodes, data objects and
/// attributes, data sets and control blocks, with lookup by object reference. Built by
/// <see cref="SclResolver"/>; immutable and safe to share between threads.
/// </summary>
public sealed class IedModel
{
    /// <summary>The logical devices by name; nodes below are found by walking their children (no index of every reference).</summary>
    private readonly Dictionary<string, LogicalDevice> _devices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DataSet> _dataSets = new(StringComparer.Ordinal);
    private readonly List<LogicalDevice> _logicalDevices = [];

    internal IedModel(SclIed ied, string accessPointName, SclServer server, SclConnectedAP? connectedAP, bool edition2)
    {
        Ied = ied;
        AccessPointName = accessPointName;
        Authentication = server.Authentication;
        ConnectedAP = connectedAP;
        IsEdition2 = edition2;
    }

    /// <summary>The IED name.</summary>
    public string Name => Ied.Name;

    /// <summary>The IED element as parsed (manufacturer, type, services).</summary>
    public SclIed Ied { get; }

    /// <summary>The access point whose server this is.</summary>
    public string AccessPointName { get; }

    public SclAuthentication Authentication { get; }

    /// <summary>The access point's addresses from <c>Communication</c>, or null when the file has none.</summary>
    public SclConnectedAP? ConnectedAP { get; }

    /// <summary>True when read from an Edition 2 (2007) file: control blocks carry the Edition 2 attributes (ResvTms, Owner, ...).</summary>
    public bool IsEdition2 { get; }

    public IReadOnlyList<LogicalDevice> LogicalDevices => _logicalDevices;

    /// <summary>Number of data objects and sub data objects.</summary>
    public int DataObjectCount { get; internal set; }

    /// <summary>Number of data attributes including components of structures, excluding control block attributes.</summary>
    public int DataAttributeCount { get; internal set; }

    public int LogicalNodeCount => _logicalDevices.Sum(ld => ld.LogicalNodes.Count);

    public IEnumerable<DataSet> DataSets => _logicalDevices.SelectMany(ld => ld.LogicalNodes).SelectMany(ln => ln.DataSets);

    public IEnumerable<ReportControlBlock> ReportControlBlocks => _logicalDevices.SelectMany(ld => ld.LogicalNodes).SelectMany(ln => ln.ReportControlBlocks);

    /// <summary>The logical device named <paramref name="name"/> (its full name, e.g. <c>DER1CTRL</c>), or null.</summary>
    public LogicalDevice? FindLogicalDevice(string name) => _devices.GetValueOrDefault(name);

    /// <summary>
    /// The node with ACSI reference <paramref name="reference"/> (<c>LD</c>, <c>LD/LN</c>,
    /// <c>LD/LN.DO</c>, <c>LD/LN.DO.DA</c>, <c>LD/LN.rcbName</c>), or null. Where one name has two FCs
    /// (a setting <c>setMag</c> with SG and SE) this is the first in type order; <see cref="FindAttribute"/> picks by FC.
    /// </summary>
    public ModelNode? FindNode(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var slash = reference.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0) return _devices.GetValueOrDefault(reference);
        if (!_devices.TryGetValue(reference[..slash], out var device) || slash == reference.Length - 1) return null;
        ModelNode? node = device;
        var path = reference.AsSpan(slash + 1);
        foreach (var range in path.Split('.'))
        {
            var name = path[range];
            ModelNode? next = null;
            foreach (var child in node.ChildList)
            {
                if (name.SequenceEqual(child.Name))
                {
                    next = child;
                    break;
                }
            }
            if (next is null) return null;
            node = next;
        }
        return node;
    }

    /// <summary>The attribute <paramref name="reference"/> if its functional constraint is <paramref name="fc"/>, else null.</summary>
    public DataAttribute? FindAttribute(string reference, FunctionalConstraint fc)
    {
        if (FindNode(reference) is not DataAttribute first) return null;
        if (first.Fc == fc) return first;
        // The same reference under another FC (setMag with SG and SE): find the top attribute of that FC
        // in the data object (or control block) and walk down the same component names.
        var path = new List<string>();
        ModelNode n = first;
        while (n.Parent is DataAttribute)
        {
            path.Add(n.Name);
            n = n.Parent;
        }
        ModelNode? current = null;
        foreach (var c in n.Parent!.ChildList)
        {
            if (c is DataAttribute a && a.Fc == fc && string.Equals(a.Name, n.Name, StringComparison.Ordinal))
            {
                current = a;
                break;
            }
        }
        for (var i = path.Count - 1; i >= 0 && current is not null; i--) current = current.Child(path[i]);
        return current as DataAttribute;
    }

    /// <summary>The data set <c>LD/LN.DataSetName</c>, or null.</summary>
    public DataSet? FindDataSet(string reference) => _dataSets.GetValueOrDefault(reference);

    /// <summary>
    /// Every attribute of functional constraint <paramref name="fc"/> at or below <paramref name="node"/>
    /// that holds a value (no structures: their components instead), in tree order.
    /// </summary>
    public static IEnumerable<DataAttribute> GetAttributes(ModelNode node, FunctionalConstraint fc)
    {
        ArgumentNullException.ThrowIfNull(node);
        var stack = new Stack<ModelNode>();
        stack.Push(node);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (n is DataAttribute a)
            {
                if (a.Fc != fc) continue;
                if (!a.IsStructure)
                {
                    yield return a;
                    continue;
                }
            }
            for (var i = n.ChildList.Count - 1; i >= 0; i--) stack.Push(n.ChildList[i]);
        }
    }

    /// <summary>Every node of the tree in depth-first order, logical devices first.</summary>
    public IEnumerable<ModelNode> Walk()
    {
        var stack = new Stack<ModelNode>();
        for (var i = _logicalDevices.Count - 1; i >= 0; i--) stack.Push(_logicalDevices[i]);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            yield return n;
            for (var i = n.ChildList.Count - 1; i >= 0; i--) stack.Push(n.ChildList[i]);
        }
    }

    internal void Add(LogicalDevice ld) => _logicalDevices.Add(ld);

    /// <summary>Makes a logical device findable by name (nodes below it are found through their parents).</summary>
    internal void Index(ModelNode node)
    {
        if (node is LogicalDevice device) _devices.TryAdd(device.Name, device);
    }

    internal void Index(DataSet ds) => _dataSets.TryAdd(ds.Reference, ds);

    public override string ToString() => Name;
}

/// <summary>A logical device (an MMS domain in 8-1).</summary>
public sealed class LogicalDevice : ModelNode
{
    private Dictionary<string, FcNode>? _mmsIndex;

    internal LogicalDevice(string name, string inst, IedModel ied, SclLDevice source)
        : base(name, null, source.Position)
    {
        Inst = inst;
        Ied = ied;
        Source = source;
    }

    /// <summary>The LDevice <c>inst</c>; <see cref="ModelNode.Name"/> is the full name (<c>ldName</c>, or IED name + inst).</summary>
    public string Inst { get; }

    public IedModel Ied { get; }

    public SclLDevice Source { get; }

    /// <summary>The MMS domain name (8-1): the logical device name.</summary>
    public string MmsDomainName => Name;

    /// <summary>The logical nodes, LLN0 first.</summary>
    public IReadOnlyList<LogicalNode> LogicalNodes => field ??= ChildList.Cast<LogicalNode>().ToArray();

    /// <summary>LLN0, or null when the file has no LN0 (an error).</summary>
    public LogicalNode? Lln0 => Child("LLN0") as LogicalNode;

    /// <summary>The logical node named <paramref name="name"/> (<c>LLN0</c>, <c>MMXU1</c>), or null.</summary>
    public LogicalNode? FindLogicalNode(string name) => Child(name) as LogicalNode;

    /// <summary>
    /// The node of the functional view with MMS item id <paramref name="itemId"/> in this domain
    /// (<c>MMXU1$MX$TotW$mag$f</c>, <c>LLN0$BR$brcbA01</c>), or null. Component names are case-sensitive.
    /// </summary>
    public FcNode? FindMmsVariable(string itemId)
    {
        var index = Volatile.Read(ref _mmsIndex);
        if (index is null)
        {
            index = new Dictionary<string, FcNode>(StringComparer.Ordinal);
            foreach (var ln in LogicalNodes)
            {
                foreach (var group in ln.FunctionalView)
                {
                    var stack = new Stack<FcNode>(group.Members);
                    while (stack.Count > 0)
                    {
                        var n = stack.Pop();
                        index[n.MmsItemId] = n;
                        foreach (var c in n.Children) stack.Push(c);
                    }
                }
            }
            Interlocked.CompareExchange(ref _mmsIndex, index, null);
            index = _mmsIndex;
        }
        return index.GetValueOrDefault(itemId);
    }
}

/// <summary>A logical node instance with its data objects, data sets and control blocks.</summary>
public sealed class LogicalNode : ModelNode
{
    private readonly WeakReference<IReadOnlyList<FcGroup>> _view = new(null!);

    internal LogicalNode(LogicalDevice parent, SclLogicalNode source)
        : base(source.Name, parent, source.Position)
    {
        Source = source;
    }

    /// <summary>The LN element as parsed.</summary>
    public SclLogicalNode Source { get; }

    public string Prefix => Source.Prefix;

    /// <summary>The LN class (<c>LLN0</c>, <c>MMXU</c>, <c>DRCT</c>, ...).</summary>
    public string LnClass => Source.LnClass;

    public string Inst => Source.Inst;

    /// <summary>The LNodeType id.</summary>
    public string LnType => Source.LnType;

    public LogicalDevice LogicalDevice => (LogicalDevice)Parent!;

    /// <summary>The data objects, in LNodeType order.</summary>
    public IEnumerable<DataObject> DataObjects => ChildList.OfType<DataObject>();

    /// <summary>The data object named <paramref name="name"/>, or null.</summary>
    public DataObject? FindDataObject(string name) => Child(name) as DataObject;

    public IReadOnlyList<DataSet> DataSets { get; internal set; } = [];

    /// <summary>Report control block instances (each of <c>RptEnabled max</c> indexed instances separately).</summary>
    public IReadOnlyList<ReportControlBlock> ReportControlBlocks { get; internal set; } = [];

    public IReadOnlyList<LogControlBlock> LogControlBlocks { get; internal set; } = [];

    public IReadOnlyList<GseControlBlock> GseControlBlocks { get; internal set; } = [];

    public IReadOnlyList<SmvControlBlock> SmvControlBlocks { get; internal set; } = [];

    /// <summary>Every control block instance of this LN, in the order they were configured (reports, logs, GOOSE, SV, setting groups).</summary>
    public IEnumerable<ControlBlock> ControlBlocks => ChildList.OfType<ControlBlock>();

    /// <summary>The setting group control block (LLN0 only), or null.</summary>
    public SettingGroupControlBlock? SettingGroupControlBlock { get; internal set; }

    /// <summary>The <c>Log</c> names of this LN.</summary>
    public IReadOnlyList<string> Logs => Source.Logs;

    /// <summary>
    /// The functional view of 8-1: for each FC present (in <see cref="FunctionalConstraint"/> order),
    /// the data objects having attributes of that FC, recursively, and the control blocks of that FC.
    /// This is the MMS named variable <c>LN</c> with its components <c>LN$FC$DO$DA</c>. Built on first use and
    /// kept only while someone holds it (the garbage collector may drop it and it is built again on the next use),
    /// so that a long-running server does not keep a second copy of the model beside its MMS objects.
    /// </summary>
    public IReadOnlyList<FcGroup> FunctionalView
    {
        get
        {
            if (_view.TryGetTarget(out var view)) return view;
            view = FcGroup.Build(this);
            _view.SetTarget(view);
            return view;
        }
    }

    /// <summary>The data set named <paramref name="name"/>, or null.</summary>
    public DataSet? FindDataSet(string name) => DataSets.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.Ordinal));
}
