using System.Diagnostics.CodeAnalysis;

namespace FlexCoop.Iec61850.Model;

/// <summary>
/// The basic types of SCL <c>bType</c> (IEC 61850-6, 7-2), spelt as SCL spells them.
/// <see cref="DataAttribute.Value"/> holds an initial value as the CLR type named on each member.
/// </summary>
[SuppressMessage("Naming", "CA1720", Justification = "The standard's names.")]
[SuppressMessage("Design", "CA1008", Justification = "No zero value is meaningful.")]
public enum BasicType : byte
{
    /// <summary><see cref="bool"/>.</summary>
    BOOLEAN = 1,
    /// <summary><see cref="long"/> in -128..127.</summary>
    INT8,
    /// <summary><see cref="long"/>.</summary>
    INT16,
    /// <summary><see cref="long"/>.</summary>
    INT24,
    /// <summary><see cref="long"/>.</summary>
    INT32,
    /// <summary><see cref="long"/>.</summary>
    INT64,
    /// <summary><see cref="Int128"/>.</summary>
    INT128,
    /// <summary><see cref="ulong"/> in 0..255.</summary>
    INT8U,
    /// <summary><see cref="ulong"/>.</summary>
    INT16U,
    /// <summary><see cref="ulong"/>.</summary>
    INT24U,
    /// <summary><see cref="ulong"/>.</summary>
    INT32U,
    /// <summary><see cref="float"/>.</summary>
    FLOAT32,
    /// <summary><see cref="double"/>.</summary>
    FLOAT64,
    /// <summary>Enumeration: <see cref="int"/> ordinal of <see cref="DataAttribute.EnumType"/>.</summary>
    Enum,
    /// <summary>Double point: <see cref="int"/> 0 intermediate-state, 1 off, 2 on, 3 bad-state.</summary>
    Dbpos,
    /// <summary>Tap command: <see cref="int"/> 0 stop, 1 lower, 2 higher, 3 reserved.</summary>
    Tcmd,
    /// <summary>Quality bit string (text as written).</summary>
    Quality,
    /// <summary>UTC time (text as written).</summary>
    Timestamp,
    /// <summary><see cref="string"/> of at most 32 characters.</summary>
    VisString32,
    /// <summary><see cref="string"/> of at most 64 characters.</summary>
    VisString64,
    /// <summary><see cref="string"/> of at most 65 characters.</summary>
    VisString65,
    /// <summary><see cref="string"/> of at most 129 characters.</summary>
    VisString129,
    /// <summary><see cref="string"/> of at most 255 characters.</summary>
    VisString255,
    /// <summary>Octet string of at most 64 octets (text as written).</summary>
    Octet64,
    /// <summary><see cref="string"/> of at most 255 characters.</summary>
    Unicode255,
    /// <summary>Structure: the components are <see cref="ModelNode.Children"/>; no value.</summary>
    Struct,
    /// <summary>Binary time of a log or buffered report entry (text as written).</summary>
    EntryTime,
    /// <summary>Interlock and synchrocheck bits (text as written).</summary>
    Check,
    /// <summary>Object reference: <see cref="string"/> of at most 129 characters.</summary>
    ObjRef,
    /// <summary>ISO 4217 currency code: <see cref="string"/> of 3 characters.</summary>
    Currency,
    /// <summary>Physical communication address (MAC, priority, VLAN id, APPID): a structure.</summary>
    PhyComAddr,
    /// <summary>Trigger options: <see cref="Scl.SclTrgOps"/>.</summary>
    TrgOps,
    /// <summary>Report option fields: <see cref="Scl.SclOptFields"/>.</summary>
    OptFlds,
    /// <summary>Sampled value option fields: <see cref="Scl.SclSmvOpts"/>.</summary>
    SvOptFlds,
    /// <summary>Log option fields (text as written).</summary>
    LogOptFlds,
    /// <summary>Entry identifier: 8 octets, <see cref="T:byte[]"/>.</summary>
    EntryID,
    /// <summary>Octet string of 6 octets (a MAC address): <see cref="T:byte[]"/>.</summary>
    Octet6,
    /// <summary>Octet string of 16 octets (text as written).</summary>
    Octet16,
}

/// <summary>Parsing of <see cref="BasicType"/>.</summary>
public static class BasicTypes
{
    private static readonly Dictionary<string, BasicType> ByName = Build();

    private static Dictionary<string, BasicType> Build()
    {
        var map = new Dictionary<string, BasicType>(StringComparer.Ordinal);
        foreach (var t in System.Enum.GetValues<BasicType>()) map[t.ToString()] = t;
        // Edition 1 spellings still seen in files.
        map["VisString"] = BasicType.VisString255;
        return map;
    }

    /// <summary>Parses a <c>bType</c> exactly as SCL writes it.</summary>
    public static bool TryParse(string? text, out BasicType type)
    {
        type = default;
        return text is not null && ByName.TryGetValue(text, out type);
    }

    /// <summary>The longest string of a string type, or 0 when <paramref name="type"/> is not a bounded string.</summary>
    public static int MaxLength(this BasicType type) => type switch
    {
        BasicType.VisString32 => 32,
        BasicType.VisString64 => 64,
        BasicType.VisString65 => 65,
        BasicType.VisString129 or BasicType.ObjRef => 129,
        BasicType.VisString255 or BasicType.Unicode255 => 255,
        BasicType.Currency => 3,
        _ => 0,
    };
}
