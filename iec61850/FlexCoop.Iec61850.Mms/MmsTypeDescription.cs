namespace FlexCoop.Iec61850.Mms;

/// <summary>
/// An MMS TypeSpecification (ISO 9506-2) as returned by GetVariableAccessAttributes.
/// String and bit-string sizes are negative for variable length (at most the absolute value).
/// </summary>
public abstract record MmsTypeDescription
{
    private protected MmsTypeDescription() { }

    /// <summary>The value a fresh variable of this type holds.</summary>
    public abstract MmsValue DefaultValue();

    /// <summary>True when <paramref name="value"/> has this type (sizes and widths respected).</summary>
    public abstract bool Accepts(MmsValue value);

    /// <summary>A compact type name (used by the CLI): <c>BOOLEAN</c>, <c>INT32</c>, <c>STRUCT{...}</c>.</summary>
    public abstract string Describe();
}

public sealed record MmsBooleanType : MmsTypeDescription
{
    public static readonly MmsBooleanType Instance = new();
    public override MmsValue DefaultValue() => new MmsBoolean(false);
    public override bool Accepts(MmsValue value) => value is MmsBoolean;
    public override string Describe() => "BOOLEAN";
}

public sealed record MmsBitStringType(int Size) : MmsTypeDescription
{
    public override MmsValue DefaultValue() => new MmsBitString(new byte[(Math.Abs(Size) + 7) / 8], Size >= 0 ? Size : 0);
    public override bool Accepts(MmsValue value) => value is MmsBitString b && (Size >= 0 ? b.BitLength == Size : b.BitLength <= -Size);
    public override string Describe() => $"BITSTRING({Size})";
}

/// <summary>A signed integer of <paramref name="Width"/> bits (8, 16, 32, 64; 128 is refused).</summary>
public sealed record MmsIntegerType(int Width) : MmsTypeDescription
{
    public override MmsValue DefaultValue() => new MmsInteger(0);
    public override bool Accepts(MmsValue value) =>
        value is MmsInteger i && (Width >= 64 || (i.Value >= -(1L << (Width - 1)) && i.Value < 1L << (Width - 1)));
    public override string Describe() => $"INT{Width}";
}

public sealed record MmsUnsignedType(int Width) : MmsTypeDescription
{
    public override MmsValue DefaultValue() => new MmsUnsigned(0);
    public override bool Accepts(MmsValue value) =>
        (value is MmsUnsigned u && (Width >= 64 || u.Value >> Width == 0)) ||
        (value is MmsInteger i && i.Value >= 0 && (Width >= 64 || (ulong)i.Value >> Width == 0));
    public override string Describe() => $"INT{Width}U";
}

/// <summary>Floating point: format width 32 (exponent 8) or 64 (exponent 11).</summary>
public sealed record MmsFloatType(int FormatWidth, int ExponentWidth) : MmsTypeDescription
{
    public static readonly MmsFloatType Float32 = new(32, 8);
    public static readonly MmsFloatType Float64 = new(64, 11);
    public override MmsValue DefaultValue() => FormatWidth == 64 ? new MmsFloat64(0) : new MmsFloat32(0);
    public override bool Accepts(MmsValue value) => FormatWidth == 64 ? value is MmsFloat64 : value is MmsFloat32;
    public override string Describe() => FormatWidth == 64 ? "FLOAT64" : "FLOAT32";
}

public sealed record MmsOctetStringType(int Size) : MmsTypeDescription
{
    public override MmsValue DefaultValue() => new MmsOctetString(Size > 0 ? new byte[Size] : []);
    public override bool Accepts(MmsValue value) => value is MmsOctetString o && (Size >= 0 ? o.Value.Length == Size : o.Value.Length <= -Size);
    public override string Describe() => $"OCTETSTRING({Size})";
}

public sealed record MmsVisibleStringType(int Size) : MmsTypeDescription
{
    public override MmsValue DefaultValue() => new MmsVisibleString("");
    public override bool Accepts(MmsValue value) => value is MmsVisibleString s && s.Value.Length <= Math.Abs(Size);
    public override string Describe() => $"VISIBLESTRING({Size})";
}

public sealed record MmsUnicodeStringType(int Size) : MmsTypeDescription
{
    public override MmsValue DefaultValue() => new MmsUnicodeString("");
    public override bool Accepts(MmsValue value) => value is MmsUnicodeString s && s.Value.Length <= Math.Abs(Size);
    public override string Describe() => $"UNICODESTRING({Size})";
}

public sealed record MmsUtcTimeType : MmsTypeDescription
{
    public static readonly MmsUtcTimeType Instance = new();
    public override MmsValue DefaultValue() => new MmsUtcTime(0, 0, 0);
    public override bool Accepts(MmsValue value) => value is MmsUtcTime;
    public override string Describe() => "UTCTIME";
}

/// <summary>Binary time (TimeOfDay): with date (six octets) or without (four).</summary>
public sealed record MmsBinaryTimeType(bool WithDate) : MmsTypeDescription
{
    public override MmsValue DefaultValue() => new MmsBinaryTime(0, WithDate ? (ushort)0 : null);
    public override bool Accepts(MmsValue value) => value is MmsBinaryTime t && t.DaysSince1984.HasValue == WithDate;
    public override string Describe() => WithDate ? "BINARYTIME6" : "BINARYTIME4";
}

/// <summary>One named component of a structure.</summary>
public sealed record MmsComponent(string Name, MmsTypeDescription Type);

public sealed record MmsStructureType(IReadOnlyList<MmsComponent> Components) : MmsTypeDescription
{
    public MmsStructureType(params MmsComponent[] components) : this((IReadOnlyList<MmsComponent>)components) { }

    public override MmsValue DefaultValue() => new MmsStructure(Components.Select(c => c.Type.DefaultValue()).ToArray());

    public override bool Accepts(MmsValue value)
    {
        if (value is not MmsStructure s || s.Components.Count != Components.Count) return false;
        for (var i = 0; i < Components.Count; i++)
        {
            if (!Components[i].Type.Accepts(s.Components[i])) return false;
        }
        return true;
    }

    public bool Equals(MmsStructureType? other) => other is not null && Components.SequenceEqual(other.Components);
    public override int GetHashCode() => Components.Count;
    public override string Describe() => "STRUCT{" + string.Join(", ", Components.Select(c => $"{c.Name}: {c.Type.Describe()}")) + "}";

    private NameOrder? _nameOrder;

    /// <summary>
    /// The indices of <see cref="Components"/> in ordinal order of their names (the GetNameList order). Computed on first
    /// use and kept with the structure: a server shares one type tree between the logical nodes of one type, so this is
    /// once per type, not once per variable or per request. A copy made with <c>with</c> computes its own.
    /// </summary>
    internal int[] ComponentsInNameOrder()
    {
        var cached = Volatile.Read(ref _nameOrder);
        if (cached is not null && ReferenceEquals(cached.Components, Components)) return cached.Order;
        var order = new int[Components.Count];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        var components = Components;
        Array.Sort(order, (x, y) => string.CompareOrdinal(components[x].Name, components[y].Name));
        Volatile.Write(ref _nameOrder, new NameOrder(components, order));
        return order;
    }

    /// <summary>A component order and the component list it was computed for.</summary>
    private sealed record NameOrder(IReadOnlyList<MmsComponent> Components, int[] Order);
}

public sealed record MmsArrayType(int NumberOfElements, MmsTypeDescription ElementType) : MmsTypeDescription
{
    public override MmsValue DefaultValue() => new MmsArray(Enumerable.Range(0, NumberOfElements).Select(_ => ElementType.DefaultValue()).ToArray());
    public override bool Accepts(MmsValue value) =>
        value is MmsArray a && a.Elements.Count == NumberOfElements && a.Elements.All(ElementType.Accepts);
    public override string Describe() => $"ARRAY[{NumberOfElements}] OF {ElementType.Describe()}";
}
