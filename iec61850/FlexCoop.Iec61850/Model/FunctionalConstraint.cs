using System.Diagnostics.CodeAnalysis;

namespace FlexCoop.Iec61850.Model;

/// <summary>
/// Functional constraint (IEC 61850-7-2): what an attribute is for and which services reach it.
/// The names are the two-letter codes of SCL <c>fc</c> and of the MMS names of 8-1 (<c>LN$ST$...</c>).
/// The order of the data FCs is the order the functional view lists them in.
/// </summary>
public enum FunctionalConstraint : byte
{
    /// <summary>Status information.</summary>
    ST,
    /// <summary>Measurands (analogue values).</summary>
    MX,
    /// <summary>Setting (outside setting groups).</summary>
    SP,
    /// <summary>Substitution.</summary>
    SV,
    /// <summary>Configuration.</summary>
    CF,
    /// <summary>Description.</summary>
    DC,
    /// <summary>Setting group (the active group, read-only).</summary>
    SG,
    /// <summary>Setting group editable.</summary>
    SE,
    /// <summary>Service response.</summary>
    SR,
    /// <summary>Operate received.</summary>
    OR,
    /// <summary>Blocking.</summary>
    BL,
    /// <summary>Extended definition (namespaces).</summary>
    EX,
    /// <summary>Control.</summary>
    CO,
    /// <summary>Buffered report control block.</summary>
    BR,
    /// <summary>Unbuffered report control block.</summary>
    RP,
    /// <summary>Log control block.</summary>
    LG,
    /// <summary>GOOSE control block.</summary>
    GO,
    /// <summary>GSSE control block.</summary>
    GS,
    /// <summary>Multicast sampled value control block.</summary>
    MS,
    /// <summary>Unicast sampled value control block.</summary>
    US,
}

/// <summary>Parsing and classification of <see cref="FunctionalConstraint"/>.</summary>
public static class FunctionalConstraints
{
    /// <summary>Parses a two-letter code exactly as SCL writes it (<c>ST</c>, not <c>st</c>).</summary>
    public static bool TryParse(string? text, out FunctionalConstraint fc)
    {
        fc = default;
        if (text is not { Length: 2 }) return false;
        switch (text)
        {
            case "ST": fc = FunctionalConstraint.ST; return true;
            case "MX": fc = FunctionalConstraint.MX; return true;
            case "SP": fc = FunctionalConstraint.SP; return true;
            case "SV": fc = FunctionalConstraint.SV; return true;
            case "CF": fc = FunctionalConstraint.CF; return true;
            case "DC": fc = FunctionalConstraint.DC; return true;
            case "SG": fc = FunctionalConstraint.SG; return true;
            case "SE": fc = FunctionalConstraint.SE; return true;
            case "SR": fc = FunctionalConstraint.SR; return true;
            case "OR": fc = FunctionalConstraint.OR; return true;
            case "BL": fc = FunctionalConstraint.BL; return true;
            case "EX": fc = FunctionalConstraint.EX; return true;
            case "CO": fc = FunctionalConstraint.CO; return true;
            case "BR": fc = FunctionalConstraint.BR; return true;
            case "RP": fc = FunctionalConstraint.RP; return true;
            case "LG": fc = FunctionalConstraint.LG; return true;
            case "GO": fc = FunctionalConstraint.GO; return true;
            case "GS": fc = FunctionalConstraint.GS; return true;
            case "MS": fc = FunctionalConstraint.MS; return true;
            case "US": fc = FunctionalConstraint.US; return true;
            default: return false;
        }
    }

    /// <summary>True for the FCs of control blocks (BR, RP, LG, GO, GS, MS, US), which never appear on a DA of a DOType.</summary>
    public static bool IsControlBlock(this FunctionalConstraint fc) => fc >= FunctionalConstraint.BR;

    /// <summary>True for the FCs of data attributes (ST ... CO).</summary>
    public static bool IsData(this FunctionalConstraint fc) => fc < FunctionalConstraint.BR;
}

/// <summary>Trigger options of an attribute or control block (IEC 61850-7-2 TrgOps).</summary>
[Flags]
[SuppressMessage("Naming", "CA1711", Justification = "The standard's name.")]
public enum TriggerOptions : byte
{
    None = 0,

    /// <summary><c>dchg</c>: data change.</summary>
    DataChange = 1,

    /// <summary><c>qchg</c>: quality change.</summary>
    QualityChange = 2,

    /// <summary><c>dupd</c>: data update (value written, changed or not).</summary>
    DataUpdate = 4,

    /// <summary><c>period</c>: integrity period.</summary>
    Integrity = 8,

    /// <summary><c>gi</c>: general interrogation.</summary>
    GeneralInterrogation = 16,
}
