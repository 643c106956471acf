using FlexCoop.Iec61850.Scl;

namespace FlexCoop.Iec61850.Model;

/// <summary>
/// A control block instance of a logical node. Its <see cref="ModelNode.Children"/> are its
/// attributes as 8-1 maps them to an MMS structure (e.g. a BRCB's <c>RptID</c>, <c>RptEna</c>,
/// <c>DatSet</c>, ...), each a <see cref="DataAttribute"/> of the control block's FC with its
/// configured value.
/// </summary>
public abstract class ControlBlock : ModelNode
{
    private protected ControlBlock(string name, LogicalNode parent, FunctionalConstraint fc, DataSet? dataSet, SclPosition position)
        : base(name, parent, position)
    {
        Fc = fc;
        DataSet = dataSet;
    }

    /// <summary>BR, RP, LG, GO, GS, MS, US, or SP for the setting group control block.</summary>
    public FunctionalConstraint Fc { get; }

    /// <summary>The data set it refers to, or null (none configured, or a dangling name reported as a diagnostic).</summary>
    public DataSet? DataSet { get; }

    /// <summary>The attribute named <paramref name="name"/>, or null.</summary>
    public DataAttribute? Attribute(string name) => Child(name) as DataAttribute;

    /// <summary>The attributes, in MMS structure order.</summary>
    public IEnumerable<DataAttribute> Attributes => ChildList.Cast<DataAttribute>();
}

/// <summary>A buffered (BRCB, FC BR) or unbuffered (URCB, FC RP) report control block instance.</summary>
public sealed class ReportControlBlock : ControlBlock
{
    internal ReportControlBlock(string name, LogicalNode parent, SclReportControl source, DataSet? dataSet)
        : base(name, parent, source.Buffered ? FunctionalConstraint.BR : FunctionalConstraint.RP, dataSet, source.Position)
    {
        Source = source;
    }

    /// <summary>The ReportControl element; several indexed instances share one.</summary>
    public SclReportControl Source { get; }

    public bool Buffered => Source.Buffered;
}

/// <summary>A log control block (FC LG).</summary>
public sealed class LogControlBlock : ControlBlock
{
    internal LogControlBlock(LogicalNode parent, SclLogControl source, DataSet? dataSet)
        : base(source.Name, parent, FunctionalConstraint.LG, dataSet, source.Position)
    {
        Source = source;
    }

    public SclLogControl Source { get; }
}

/// <summary>A GOOSE control block (FC GO) or GSSE control block (FC GS).</summary>
public sealed class GseControlBlock : ControlBlock
{
    internal GseControlBlock(LogicalNode parent, SclGseControl source, DataSet? dataSet, SclGseAddress? address)
        : base(source.Name, parent, string.Equals(source.Type, "GSSE", StringComparison.Ordinal) ? FunctionalConstraint.GS : FunctionalConstraint.GO, dataSet, source.Position)
    {
        Source = source;
        Address = address;
    }

    public SclGseControl Source { get; }

    /// <summary>The multicast address from <c>Communication</c> (MAC, APPID, VLAN, MinTime/MaxTime), or null.</summary>
    public SclGseAddress? Address { get; }
}

/// <summary>A multicast (FC MS) or unicast (FC US) sampled value control block.</summary>
public sealed class SmvControlBlock : ControlBlock
{
    internal SmvControlBlock(LogicalNode parent, SclSmvControl source, DataSet? dataSet, SclSmvAddress? address)
        : base(source.Name, parent, source.Multicast ? FunctionalConstraint.MS : FunctionalConstraint.US, dataSet, source.Position)
    {
        Source = source;
        Address = address;
    }

    public SclSmvControl Source { get; }

    /// <summary>The address from <c>Communication</c>, or null.</summary>
    public SclSmvAddress? Address { get; }
}

/// <summary>The setting group control block <c>SGCB</c> of LLN0 (its attributes have FC SP).</summary>
public sealed class SettingGroupControlBlock : ControlBlock
{
    internal SettingGroupControlBlock(LogicalNode parent, SclSettingControl source)
        : base("SGCB", parent, FunctionalConstraint.SP, null, source.Position)
    {
        Source = source;
    }

    public SclSettingControl Source { get; }

    public uint NumOfSGs => Source.NumOfSGs;

    public uint ActSG => Source.ActSG;
}
