using System.Text;

namespace FlexCoop.Iec61850.Model;

/// <summary>
/// One functional constraint of a logical node in the 8-1 view: the MMS component <c>LN$FC</c>
/// with the data objects (or control blocks) that have attributes of that FC.
/// </summary>
public sealed class FcGroup
{
    private FcGroup(LogicalNode logicalNode, FunctionalConstraint fc, IReadOnlyList<FcNode> members)
    {
        LogicalNode = logicalNode;
        Fc = fc;
        Members = members;
    }

    public LogicalNode LogicalNode { get; }

    public FunctionalConstraint Fc { get; }

    /// <summary><c>LN$FC</c>.</summary>
    public string MmsItemId => LogicalNode.Name + "$" + Fc;

    /// <summary>The data objects, then the control blocks, of this FC in model order.</summary>
    public IReadOnlyList<FcNode> Members { get; }

    internal static IReadOnlyList<FcGroup> Build(LogicalNode ln)
    {
        var groups = new List<FcGroup>();
        foreach (var fc in System.Enum.GetValues<FunctionalConstraint>())
        {
            var prefix = ln.Name + "$" + fc;
            var members = new List<FcNode>();
            foreach (var child in ln.ChildList)
            {
                switch (child)
                {
                    case DataObject d when d.HasFc(fc):
                        members.Add(FcNode.For(d, fc, prefix));
                        break;
                    case ControlBlock cb when cb.Fc == fc:
                        members.Add(FcNode.For(cb, fc, prefix));
                        break;
                }
            }
            if (members.Count > 0) groups.Add(new FcGroup(ln, fc, members));
        }
        return groups;
    }

    public override string ToString() => MmsItemId;
}

/// <summary>
/// A node of the functional view: a data object, control block or attribute seen under one FC,
/// with only the children that have that FC. Leaves are attributes holding values.
/// </summary>
public sealed class FcNode
{
    private FcNode(ModelNode node, FunctionalConstraint fc, string mmsItemId, IReadOnlyList<FcNode> children)
    {
        Node = node;
        Fc = fc;
        MmsItemId = mmsItemId;
        Children = children;
    }

    /// <summary>The instance tree node (a <see cref="DataObject"/>, <see cref="ControlBlock"/> or <see cref="DataAttribute"/>).</summary>
    public ModelNode Node { get; }

    public string Name => Node.Name;

    public FunctionalConstraint Fc { get; }

    /// <summary>The MMS item id in the LD's domain: <c>LN$FC$DO$SDO$DA$BDA</c>.</summary>
    public string MmsItemId { get; }

    /// <summary>
    /// The components with this FC, in model order; empty for a leaf attribute. For an array
    /// (<see cref="DataAttribute.Count"/> or <see cref="DataObject.Count"/> above 0) they describe one element.
    /// </summary>
    public IReadOnlyList<FcNode> Children { get; }

    /// <summary>The attribute when <see cref="Node"/> is one, else null.</summary>
    public DataAttribute? Attribute => Node as DataAttribute;

    internal static FcNode For(ModelNode node, FunctionalConstraint fc, string parentId)
    {
        var id = parentId + "$" + node.Name;
        var children = new List<FcNode>();
        foreach (var c in node.ChildList)
        {
            var include = c switch
            {
                DataAttribute a => a.Fc == fc,
                DataObject d => d.HasFc(fc),
                _ => false,
            };
            if (include) children.Add(For(c, fc, id));
        }
        return new FcNode(node, fc, id, children.Count == 0 ? [] : children);
    }

    /// <summary>The MMS item id of <paramref name="node"/> (a data object, attribute or control block) under <paramref name="fc"/>.</summary>
    public static string MmsName(ModelNode node, FunctionalConstraint fc)
    {
        ArgumentNullException.ThrowIfNull(node);
        var parts = new List<string>();
        ModelNode? n = node;
        for (; n is not null and not LogicalNode; n = n.Parent) parts.Add(n.Name);
        var sb = new StringBuilder(n?.Name ?? "").Append('$').Append(fc);
        for (var i = parts.Count - 1; i >= 0; i--) sb.Append('$').Append(parts[i]);
        return sb.ToString();
    }

    public override string ToString() => MmsItemId;
}
