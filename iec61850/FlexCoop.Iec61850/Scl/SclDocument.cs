namespace FlexCoop.Iec61850.Scl;

/// <summary>Where an element starts in its file (1-based), for diagnostics.</summary>
public readonly record struct SclPosition(int Line, int Column)
{
    public override string ToString() => $"{Line}:{Column}";
}

/// <summary>
/// A parsed SCL file (ICD, IID, CID, SCD, SSD): the typed content of the document exactly as
/// written, before resolution. Resolve it into ACSI instance trees with
/// <see cref="Model.SclResolver.Resolve(SclDocument, string?, SclLimits?)"/>.
/// </summary>
public sealed record SclDocument
{
    /// <summary>The <c>version</c> attribute of <c>SCL</c>: <c>2007</c> for Edition 2, absent (null) for Edition 1 (2003).</summary>
    public string? Version { get; init; }

    /// <summary>The <c>revision</c> attribute (<c>A</c>, <c>B</c>), Edition 2 only.</summary>
    public string? Revision { get; init; }

    /// <summary>The <c>release</c> attribute (<c>4</c> for 2007B4), Edition 2.1 only.</summary>
    public string? Release { get; init; }

    /// <summary>True for a 2007 (Edition 2) file, false for a 2003 (Edition 1) file.</summary>
    public bool IsEdition2 => Version is not null && string.CompareOrdinal(Version, "2007") >= 0;

    public SclHeader? Header { get; init; }

    public SclCommunication? Communication { get; init; }

    public IReadOnlyList<SclIed> Ieds { get; init; } = [];

    public SclDataTypeTemplates? DataTypeTemplates { get; init; }

    /// <summary>Problems found while reading the elements (missing or malformed attributes, misplaced elements).</summary>
    public IReadOnlyList<SclDiagnostic> Diagnostics { get; init; } = [];

    /// <summary>The file name or other label the document was read from, for messages; empty when read from a stream.</summary>
    public string Source { get; init; } = "";

    /// <summary>
    /// Reads an SCL file. Throws <see cref="SclException"/> when it is not readable XML or breaks a limit,
    /// and the usual <see cref="IOException"/>s when the file cannot be opened.
    /// </summary>
    public static SclDocument Load(string path, SclLimits? limits = null) => Internal.SclParser.Load(path, limits);

    /// <summary>Reads SCL from a stream (UTF-8 or as declared).</summary>
    public static SclDocument Load(Stream stream, SclLimits? limits = null) => Internal.SclParser.Load(stream, limits);

    /// <summary>Reads SCL from a string.</summary>
    public static SclDocument Parse(string xml, SclLimits? limits = null) => Internal.SclParser.Parse(xml, limits);

    /// <summary>The IED named <paramref name="name"/>, or null.</summary>
    public SclIed? FindIed(string name) => Ieds.FirstOrDefault(i => string.Equals(i.Name, name, StringComparison.Ordinal));
}

/// <summary><c>Header</c>: identification of the configuration.</summary>
public sealed record SclHeader
{
    public required string Id { get; init; }
    public string? Version { get; init; }
    public string? Revision { get; init; }
    public string? ToolId { get; init; }
    public string? NameStructure { get; init; }
    public IReadOnlyList<SclHistoryItem> History { get; init; } = [];
    public SclPosition Position { get; init; }
}

/// <summary><c>Hitem</c>: one entry of the header's history.</summary>
public sealed record SclHistoryItem(string Version, string Revision, string When, string? Who, string? What, string? Why);

/// <summary><c>IED</c>: one intelligent electronic device.</summary>
public sealed record SclIed
{
    public required string Name { get; init; }
    public string? Desc { get; init; }
    public string? Type { get; init; }
    public string? Manufacturer { get; init; }
    public string? ConfigVersion { get; init; }
    public string? OriginalSclVersion { get; init; }
    public string? OriginalSclRevision { get; init; }

    /// <summary>The <c>Services</c> capabilities; empty when the element is absent.</summary>
    public SclServices Services { get; init; } = SclServices.Empty;

    public IReadOnlyList<SclAccessPoint> AccessPoints { get; init; } = [];
    public SclPosition Position { get; init; }
}

/// <summary>
/// <c>Services</c>: each child element (<c>GetDirectory</c>, <c>ConfDataSet max="10"</c>,
/// <c>ReportSettings cbName="Conf"</c>, ...) with its attributes, in document order.
/// </summary>
public sealed record SclServices
{
    public static readonly SclServices Empty = new();

    public IReadOnlyList<SclService> Items { get; init; } = [];

    /// <summary>True when the service element <paramref name="name"/> is present.</summary>
    public bool Has(string name) => Find(name) is not null;

    /// <summary>The service element <paramref name="name"/>, or null.</summary>
    public SclService? Find(string name) => Items.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal));
}

/// <summary>One capability element of <c>Services</c> and its attributes.</summary>
public sealed record SclService(string Name, IReadOnlyDictionary<string, string> Attributes)
{
    /// <summary>An attribute's value, or null.</summary>
    public string? this[string attribute] => Attributes.TryGetValue(attribute, out var v) ? v : null;
}

/// <summary><c>AccessPoint</c>: a communication access point of an IED, usually holding a <c>Server</c>.</summary>
public sealed record SclAccessPoint
{
    public required string Name { get; init; }
    public string? Desc { get; init; }
    public bool Router { get; init; }
    public bool Clock { get; init; }
    public SclServer? Server { get; init; }

    /// <summary><c>ServerAt apName</c>: this access point reaches the server of another access point.</summary>
    public string? ServerAt { get; init; }

    public SclPosition Position { get; init; }
}

/// <summary>How clients authenticate to a server (<c>Authentication</c>).</summary>
[Flags]
public enum SclAuthentication
{
    None = 1,
    Password = 2,
    Weak = 4,
    Strong = 8,
    Certificate = 16,
}

/// <summary><c>Server</c>: the ACSI server of an access point.</summary>
public sealed record SclServer
{
    /// <summary>Transaction timeout in seconds (<c>timeout</c>, default 30).</summary>
    public uint Timeout { get; init; } = 30;
    public SclAuthentication Authentication { get; init; } = SclAuthentication.None;
    public IReadOnlyList<SclLDevice> LDevices { get; init; } = [];
    public SclPosition Position { get; init; }
}

/// <summary><c>LDevice</c>: a logical device with its LN0 and LNs.</summary>
public sealed record SclLDevice
{
    public required string Inst { get; init; }

    /// <summary>The Edition 2 <c>ldName</c>; when absent the LD's name is the IED name followed by <see cref="Inst"/>.</summary>
    public string? LdName { get; init; }
    public string? Desc { get; init; }
    public SclLogicalNode? Ln0 { get; init; }
    public IReadOnlyList<SclLogicalNode> LogicalNodes { get; init; } = [];
    public SclPosition Position { get; init; }
}

/// <summary>
/// <c>LN0</c> or <c>LN</c>: a logical node instance with its type, instance values and, for LN0
/// (and in Edition 2 any LN), data sets and control blocks.
/// </summary>
public sealed record SclLogicalNode
{
    /// <summary>True for <c>LN0</c> (whose name is always <c>LLN0</c>).</summary>
    public bool IsLn0 { get; init; }
    public string Prefix { get; init; } = "";
    public required string LnClass { get; init; }
    public string Inst { get; init; } = "";
    public required string LnType { get; init; }
    public string? Desc { get; init; }

    /// <summary>The LN name: prefix + lnClass + inst, or <c>LLN0</c>.</summary>
    public string Name => IsLn0 ? "LLN0" : Prefix + LnClass + Inst;

    public IReadOnlyList<SclDoi> Dois { get; init; } = [];
    public IReadOnlyList<SclDataSet> DataSets { get; init; } = [];
    public IReadOnlyList<SclReportControl> ReportControls { get; init; } = [];
    public IReadOnlyList<SclLogControl> LogControls { get; init; } = [];
    public IReadOnlyList<SclGseControl> GseControls { get; init; } = [];
    public IReadOnlyList<SclSmvControl> SmvControls { get; init; } = [];
    public SclSettingControl? SettingControl { get; init; }
    public IReadOnlyList<SclExtRef> Inputs { get; init; } = [];

    /// <summary>Names of the <c>Log</c> elements of this LN.</summary>
    public IReadOnlyList<string> Logs { get; init; } = [];
    public SclPosition Position { get; init; }
}

/// <summary><c>DOI</c>: instance values of a data object.</summary>
public sealed record SclDoi
{
    public required string Name { get; init; }
    public string? Ix { get; init; }
    public string? Desc { get; init; }
    public IReadOnlyList<SclSdi> Sdis { get; init; } = [];
    public IReadOnlyList<SclDai> Dais { get; init; } = [];
    public SclPosition Position { get; init; }
}

/// <summary><c>SDI</c>: instance values of a sub data object or of a structured attribute.</summary>
public sealed record SclSdi
{
    public required string Name { get; init; }
    public string? Ix { get; init; }
    public IReadOnlyList<SclSdi> Sdis { get; init; } = [];
    public IReadOnlyList<SclDai> Dais { get; init; } = [];
    public SclPosition Position { get; init; }
}

/// <summary><c>DAI</c>: the instance value of one attribute.</summary>
public sealed record SclDai
{
    public required string Name { get; init; }
    public string? Ix { get; init; }
    public string? SAddr { get; init; }
    public SclValKind? ValKind { get; init; }
    public bool? ValImport { get; init; }
    public IReadOnlyList<SclVal> Values { get; init; } = [];
    public SclPosition Position { get; init; }
}

/// <summary><c>Val</c>: a value as text, for setting group <see cref="SGroup"/> when given.</summary>
public sealed record SclVal(string Text, uint? SGroup, SclPosition Position);

/// <summary><c>valKind</c>: how an attribute's value may change.</summary>
public enum SclValKind
{
    /// <summary><c>Spec</c>: specification, not yet configured.</summary>
    Spec,

    /// <summary><c>Conf</c>: configured, fixed while running.</summary>
    Conf,

    /// <summary><c>RO</c>: read-only for clients.</summary>
    RO,

    /// <summary><c>Set</c>: settable online.</summary>
    Set,
}

/// <summary><c>ExtRef</c> inside <c>Inputs</c>: an external signal this LN subscribes to.</summary>
public sealed record SclExtRef
{
    public string? IedName { get; init; }
    public string? LdInst { get; init; }
    public string? Prefix { get; init; }
    public string? LnClass { get; init; }
    public string? LnInst { get; init; }
    public string? DoName { get; init; }
    public string? DaName { get; init; }
    public string? IntAddr { get; init; }
    public string? ServiceType { get; init; }
    public string? SrcLDInst { get; init; }
    public string? SrcPrefix { get; init; }
    public string? SrcLNClass { get; init; }
    public string? SrcLNInst { get; init; }
    public string? SrcCBName { get; init; }
    public SclPosition Position { get; init; }
}
