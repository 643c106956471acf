namespace FlexCoop.Iec61850.Scl;

/// <summary><c>DataTypeTemplates</c>: the types LN instances are built from.</summary>
public sealed record SclDataTypeTemplates
{
    public IReadOnlyList<SclLNodeType> LNodeTypes { get; init; } = [];
    public IReadOnlyList<SclDOType> DOTypes { get; init; } = [];
    public IReadOnlyList<SclDAType> DATypes { get; init; } = [];
    public IReadOnlyList<SclEnumType> EnumTypes { get; init; } = [];
    public SclPosition Position { get; init; }
}

/// <summary><c>LNodeType</c>: the data objects of a logical node class.</summary>
public sealed record SclLNodeType
{
    public required string Id { get; init; }
    public required string LnClass { get; init; }
    public string? Desc { get; init; }
    public IReadOnlyList<SclDo> DataObjects { get; init; } = [];
    public SclPosition Position { get; init; }
}

/// <summary><c>DO</c> in an LNodeType.</summary>
public sealed record SclDo
{
    public required string Name { get; init; }
    public required string Type { get; init; }
    public bool Transient { get; init; }
    public string? Desc { get; init; }
    public SclPosition Position { get; init; }
}

/// <summary><c>DOType</c>: the attributes and sub data objects of a common data class.</summary>
public sealed record SclDOType
{
    public required string Id { get; init; }
    public required string Cdc { get; init; }
    public string? CdcNs { get; init; }
    public string? Desc { get; init; }

    /// <summary>The <c>DA</c> (<see cref="SclDa"/>) and <c>SDO</c> (<see cref="SclSdo"/>) children in document order, which is the MMS structure order.</summary>
    public IReadOnlyList<SclTemplateMember> Members { get; init; } = [];
    public SclPosition Position { get; init; }
}

/// <summary>A named member of a type: <c>DA</c> or <c>SDO</c> of a DOType, <c>BDA</c> of a DAType.</summary>
public abstract record SclTemplateMember
{
    public required string Name { get; init; }
    public string? Desc { get; init; }
    public SclPosition Position { get; init; }
}

/// <summary><c>SDO</c>: a sub data object of a DOType.</summary>
public sealed record SclSdo : SclTemplateMember
{
    public required string Type { get; init; }

    /// <summary><c>count</c>: 0 for a single object, else the array size.</summary>
    public uint Count { get; init; }
}

/// <summary>What <c>DA</c> and <c>BDA</c> have in common: a basic type, an optional type reference, values.</summary>
public abstract record SclAttributeDefinition : SclTemplateMember
{
    /// <summary><c>bType</c> as written (<c>BOOLEAN</c>, <c>INT32</c>, <c>Struct</c>, <c>Enum</c>, ...).</summary>
    public required string BType { get; init; }

    /// <summary><c>type</c>: the DAType of a Struct or the EnumType of an Enum.</summary>
    public string? Type { get; init; }

    /// <summary><c>count</c>: 0 for a single value, else the array size.</summary>
    public uint Count { get; init; }
    public SclValKind? ValKind { get; init; }
    public string? SAddr { get; init; }

    /// <summary>Default values from the template.</summary>
    public IReadOnlyList<SclVal> Values { get; init; } = [];
}

/// <summary><c>DA</c>: an attribute of a DOType with its functional constraint and trigger options.</summary>
public sealed record SclDa : SclAttributeDefinition
{
    /// <summary><c>fc</c> as written.</summary>
    public required string Fc { get; init; }
    public bool Dchg { get; init; }
    public bool Qchg { get; init; }
    public bool Dupd { get; init; }
}

/// <summary><c>BDA</c>: a component of a DAType.</summary>
public sealed record SclBda : SclAttributeDefinition;

/// <summary><c>DAType</c>: a structured attribute type.</summary>
public sealed record SclDAType
{
    public required string Id { get; init; }
    public string? Desc { get; init; }
    public IReadOnlyList<SclBda> Components { get; init; } = [];
    public SclPosition Position { get; init; }
}

/// <summary><c>EnumType</c>: the names and ordinals of an enumeration.</summary>
public sealed record SclEnumType
{
    public required string Id { get; init; }
    public string? Desc { get; init; }
    public IReadOnlyList<SclEnumVal> Values { get; init; } = [];
    public SclPosition Position { get; init; }

    /// <summary>The ordinal of <paramref name="name"/>, or null.</summary>
    public int? OrdOf(string name)
    {
        foreach (var v in Values)
        {
            if (string.Equals(v.Name, name, StringComparison.Ordinal)) return v.Ord;
        }
        return null;
    }

    /// <summary>The name of ordinal <paramref name="ord"/>, or null.</summary>
    public string? NameOf(int ord)
    {
        foreach (var v in Values)
        {
            if (v.Ord == ord) return v.Name;
        }
        return null;
    }
}

/// <summary><c>EnumVal</c>: one literal of an enumeration.</summary>
public sealed record SclEnumVal(int Ord, string Name);
