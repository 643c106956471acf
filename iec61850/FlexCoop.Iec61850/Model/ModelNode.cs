using FlexCoop.Iec61850.Scl;

namespace FlexCoop.Iec61850.Model;

/// <summary>
/// A node of the resolved ACSI instance tree: <see cref="LogicalDevice"/>, <see cref="LogicalNode"/>,
/// <see cref="DataObject"/>, <see cref="DataAttribute"/> or <see cref="ControlBlock"/>. The tree is
/// built once by <see cref="SclResolver"/> and never changes afterwards, so it may be read from any
/// number of threads.
/// </summary>
public abstract class ModelNode
{
    private protected ModelNode(string name, ModelNode? parent, SclPosition position)
    {
        Name = name;
        Parent = parent;
        Position = position;
    }

    /// <summary>The node's own name (<c>LLN0</c>, <c>Pos</c>, <c>stVal</c>).</summary>
    public string Name { get; }

    /// <summary>The node above, or null for a logical device.</summary>
    public ModelNode? Parent { get; }

    /// <summary>
    /// The ACSI object reference, without FC: <c>LDName/LNName.DO.SDO.DA.BDA</c>
    /// (e.g. <c>DER1CTRL/XCBR1.Pos.stVal</c>).
    /// </summary>
    /// <remarks>Built on each use from the names up the tree, so that a large model does not hold one path string per node.</remarks>
    public string Reference => Parent switch
    {
        null => Name,
        LogicalDevice => Parent.Reference + "/" + Name,
        _ => Parent.Reference + "." + Name,
    };

    /// <summary>Where the element that defines this node is in the SCL file (the template element for DOs and DAs).</summary>
    public SclPosition Position { get; }

    /// <summary>The nodes below, in the order of the SCL types (which is the order of MMS structure components).</summary>
    public IReadOnlyList<ModelNode> Children => ChildList;

    /// <summary>Shared by every node without children (most nodes of a large model are leaves): never added to.</summary>
    private static readonly List<ModelNode> NoChildren = new(0);

    private List<ModelNode>? _children;

    /// <summary>The children, for reading (a leaf has no list of its own); <see cref="AddChild"/> adds one.</summary>
    internal List<ModelNode> ChildList => _children ?? NoChildren;

    internal void AddChild(ModelNode child) => (_children ??= []).Add(child);

    /// <summary>The child named <paramref name="name"/>, or null.</summary>
    public ModelNode? Child(string name)
    {
        foreach (var c in ChildList)
        {
            if (string.Equals(c.Name, name, StringComparison.Ordinal)) return c;
        }
        return null;
    }

    /// <summary>The logical node this node belongs to (itself for a logical node), or null for a logical device.</summary>
    public LogicalNode? LogicalNode
    {
        get
        {
            for (var n = this; n is not null; n = n.Parent)
            {
                if (n is LogicalNode ln) return ln;
            }
            return null;
        }
    }

    public override string ToString() => Reference;
}

/// <summary>A data object (DO) or sub data object (SDO) instance of a common data class.</summary>
public sealed class DataObject : ModelNode
{
    internal DataObject(string name, ModelNode parent, string cdc, string typeId, uint count, bool transient, SclPosition position)
        : base(name, parent, position)
    {
        Cdc = cdc;
        TypeId = typeId;
        Count = count;
        Transient = transient;
    }

    /// <summary>The common data class (<c>SPS</c>, <c>DPC</c>, <c>MV</c>, <c>WYE</c>, ...).</summary>
    public string Cdc { get; }

    /// <summary>The DOType id it was built from.</summary>
    public string TypeId { get; }

    /// <summary>0 for a single object, else the size of an array of SDOs.</summary>
    public uint Count { get; }

    /// <summary>The <c>transient</c> flag of the DO.</summary>
    public bool Transient { get; }

    /// <summary>The sub data objects, in order.</summary>
    public IEnumerable<DataObject> SubDataObjects => ChildList.OfType<DataObject>();

    /// <summary>The attributes directly below this object, in order.</summary>
    public IEnumerable<DataAttribute> Attributes => ChildList.OfType<DataAttribute>();

    /// <summary>True when some attribute below (at any depth) has functional constraint <paramref name="fc"/>.</summary>
    public bool HasFc(FunctionalConstraint fc) => (FcMask & (1u << (int)fc)) != 0;

    /// <summary>One bit per functional constraint present below; set by the resolver once the children are built.</summary>
    internal uint FcMask { get; set; }

    internal void ComputeFcMask()
    {
        var mask = 0u;
        foreach (var c in ChildList)
        {
            mask |= c is DataAttribute a ? 1u << (int)a.Fc : ((DataObject)c).FcMask;
        }
        FcMask = mask;
    }
}

/// <summary>
/// A data attribute (DA), a component of a structured attribute (BDA), or an attribute of a
/// control block, with its functional constraint, basic type and initial value.
/// </summary>
public sealed class DataAttribute : ModelNode
{
    internal DataAttribute(string name, ModelNode parent, FunctionalConstraint fc, BasicType type, SclPosition position)
        : base(name, parent, position)
    {
        Fc = fc;
        BasicType = type;
    }

    /// <summary>The functional constraint; components of a structure carry the FC of the structure.</summary>
    public FunctionalConstraint Fc { get; }

    public BasicType BasicType { get; }

    /// <summary>The DAType id of a Struct or the EnumType id of an Enum, else null.</summary>
    public string? TypeId { get; internal init; }

    /// <summary>The enumeration of an <see cref="BasicType.Enum"/> attribute.</summary>
    public SclEnumType? EnumType { get; internal init; }

    /// <summary>0 for a single value, else the array size.</summary>
    public uint Count { get; internal init; }

    /// <summary>The triggers of the DA (components inherit them from the DA).</summary>
    public TriggerOptions TriggerOptions { get; internal init; }

    public SclValKind? ValKind { get; internal set; }

    /// <summary>The short address (<c>sAddr</c>) of the DAI, DA or BDA that sets it.</summary>
    public string? SAddr { get; internal set; }

    /// <summary>
    /// The initial value from the DAI's <c>Val</c>, else the template's, parsed as the CLR type
    /// <see cref="Model.BasicType"/> documents (bool, long, ulong, float, double, int for enumerations, string...);
    /// null when the file gives none, and for structures and arrays.
    /// </summary>
    public object? Value { get; internal set; }

    /// <summary>The initial value exactly as written in the SCL file, or null.</summary>
    public string? ValueText { get; internal set; }

    /// <summary>
    /// Values per setting group (<c>Val sGroup="n"</c>) for SG/SE attributes: index 0 is group 1.
    /// Empty when the file gives none.
    /// </summary>
    public IReadOnlyList<object?> SettingGroupValues { get; internal set; } = [];

    /// <summary>True for a <see cref="BasicType.Struct"/> or <see cref="BasicType.PhyComAddr"/> attribute, whose components are its children.</summary>
    public bool IsStructure => ChildList.Count > 0;

    /// <summary>The components of a structure, in order.</summary>
    public IEnumerable<DataAttribute> Components => ChildList.Cast<DataAttribute>();

    /// <summary>The data object this attribute belongs to (the innermost), or null for a control block attribute.</summary>
    public DataObject? DataObject
    {
        get
        {
            for (var n = Parent; n is not null; n = n.Parent)
            {
                if (n is DataObject d) return d;
                if (n is ControlBlock) return null;
            }
            return null;
        }
    }

    /// <summary>The enumeration literal of <see cref="Value"/> for an Enum attribute, or null.</summary>
    public string? EnumName => Value is int ord && EnumType is not null ? EnumType.NameOf(ord) : null;
}
