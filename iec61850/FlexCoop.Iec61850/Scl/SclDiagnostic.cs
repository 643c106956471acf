namespace FlexCoop.Iec61850.Scl;

/// <summary>How bad a <see cref="SclDiagnostic"/> is.</summary>
public enum SclSeverity
{
    /// <summary>Suspicious but usable: the model is what the file says.</summary>
    Warning,

    /// <summary>The file breaks a rule of IEC 61850-6; the part concerned is left out of the model.</summary>
    Error,
}

/// <summary>
/// One problem found in an SCL file, with the 1-based line and column of the element concerned.
/// <see cref="Code"/> is one of <see cref="SclDiagnosticCodes"/>.
/// </summary>
public sealed record SclDiagnostic(SclSeverity Severity, string Code, string Message, int Line, int Column)
{
    /// <summary><c>LINE:COL: error CODE: message</c>, the form compilers print (prefix it with the file name).</summary>
    public override string ToString() =>
        $"{Line}:{Column}: {(Severity == SclSeverity.Error ? "error" : "warning")} {Code}: {Message}";
}

/// <summary>The codes of <see cref="SclDiagnostic"/>, stable for tools that filter on them.</summary>
public static class SclDiagnosticCodes
{
    /// <summary>A required attribute is absent or empty (e.g. an LN without <c>lnType</c>).</summary>
    public const string MissingAttribute = "missing-attribute";

    /// <summary>An attribute value is not of its schema type (a non-numeric <c>confRev</c>, an unknown <c>fc</c>).</summary>
    public const string BadAttribute = "bad-attribute";

    /// <summary>A <c>Val</c> that is not a value of the attribute's basic type (a <c>BOOLEAN</c> of "maybe", an INT8 of 300).</summary>
    public const string BadValue = "bad-value";

    /// <summary>Two siblings with the same name or two types with the same id.</summary>
    public const string Duplicate = "duplicate";

    /// <summary>An LN's <c>lnType</c> names no LNodeType.</summary>
    public const string UnknownLNodeType = "unknown-lnodetype";

    /// <summary>A DO's or SDO's <c>type</c> names no DOType.</summary>
    public const string UnknownDOType = "unknown-dotype";

    /// <summary>A DA's or BDA's <c>type</c> of a Struct names no DAType.</summary>
    public const string UnknownDAType = "unknown-datype";

    /// <summary>A DA's or BDA's <c>type</c> of an Enum names no EnumType.</summary>
    public const string UnknownEnumType = "unknown-enumtype";

    /// <summary>Types that contain themselves (a DOType whose SDO is of that DOType, directly or not).</summary>
    public const string TypeCycle = "type-cycle";

    /// <summary>An FCDA that designates no attribute of its functional constraint.</summary>
    public const string UnresolvedFcda = "unresolved-fcda";

    /// <summary>A control block whose <c>datSet</c> names no DataSet of its logical node.</summary>
    public const string UnknownDataSet = "unknown-dataset";

    /// <summary>A DOI, SDI or DAI that names nothing in the logical node's type.</summary>
    public const string UnresolvedInstance = "unresolved-instance";

    /// <summary>An element that is not allowed where it is, or a reference to an IED, LD or log that is absent.</summary>
    public const string Structure = "structure";

    /// <summary>The root is in no namespace or an unexpected one; the file is read as SCL anyway.</summary>
    public const string Namespace = "namespace";
}
