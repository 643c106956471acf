using FlexCoop.Iec61850.Scl;

namespace FlexCoop.Iec61850.Model;

/// <summary>A data set with its members resolved to the instance tree.</summary>
public sealed class DataSet
{
    internal DataSet(LogicalNode owner, SclDataSet source, IReadOnlyList<DataSetMember> members)
    {
        LogicalNode = owner;
        Source = source;
        Members = members;
    }

    public string Name => Source.Name;

    /// <summary>The logical node holding it (LLN0, or any LN in Edition 2).</summary>
    public LogicalNode LogicalNode { get; }

    /// <summary>ACSI reference <c>LD/LN.DataSetName</c>.</summary>
    public string Reference => LogicalNode.Reference + "." + Name;

    /// <summary>MMS named variable list item id (8-1): <c>LN$DataSetName</c> in the LD's domain.</summary>
    public string MmsItemId => LogicalNode.Name + "$" + Name;

    public SclDataSet Source { get; }

    /// <summary>The members that resolved, in order. FCDAs that designate nothing are left out (with a diagnostic).</summary>
    public IReadOnlyList<DataSetMember> Members { get; }

    public override string ToString() => Reference;
}

/// <summary>One FCDA of a data set, resolved.</summary>
public sealed class DataSetMember
{
    internal DataSetMember(SclFcda source, FunctionalConstraint fc, ModelNode target, IReadOnlyList<DataAttribute> attributes)
    {
        Source = source;
        Fc = fc;
        Target = target;
        Attributes = attributes;
    }

    public SclFcda Source { get; }

    public FunctionalConstraint Fc { get; }

    /// <summary>The data object (FCD) or data attribute (FCDA) designated.</summary>
    public ModelNode Target { get; }

    /// <summary>The attributes holding values that the member covers, in tree order (see <see cref="IedModel.GetAttributes"/>).</summary>
    public IReadOnlyList<DataAttribute> Attributes { get; }

    /// <summary>ACSI reference of the target, without FC.</summary>
    public string Reference => Target.Reference;

    /// <summary>The MMS domain of the target (its logical device).</summary>
    public string MmsDomainName
    {
        get
        {
            ModelNode n = Target;
            while (n.Parent is not null) n = n.Parent;
            return n.Name;
        }
    }

    /// <summary>The MMS item id of the target (8-1): <c>LN$FC$DO$DA</c>.</summary>
    public string MmsItemId => FcNode.MmsName(Target, Fc);

    public override string ToString() => $"{Reference} [{Fc}]";
}
