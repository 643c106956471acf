using FlexCoop.Iec61850.Mms.Server;
using FlexCoop.Iec61850.Model;
using FlexCoop.Iec61850.Scl;

namespace FlexCoop.Iec61850.Mms.Acsi;

/// <summary>
/// The IEC 61850-8-1 mapping of an <see cref="IedModel"/> onto MMS objects: each logical device is
/// a domain, each logical node one named variable whose components are its functional constraints
/// (<c>LN$FC$DO$DA</c>), data sets are named variable lists (<c>LN$DataSet</c>), report and other
/// control blocks are structures under their FC (<c>LN$BR$brcb01</c>), logs are journals.
/// </summary>
public static class Iec61850MmsMapping
{
    /// <summary>Functional constraints whose attributes a client may write.</summary>
    public static bool IsWritable(FunctionalConstraint fc) => fc is FunctionalConstraint.CF or FunctionalConstraint.DC or FunctionalConstraint.SP
        or FunctionalConstraint.SV or FunctionalConstraint.SE or FunctionalConstraint.BL or FunctionalConstraint.CO or FunctionalConstraint.BR
        or FunctionalConstraint.RP or FunctionalConstraint.LG or FunctionalConstraint.GO or FunctionalConstraint.GS or FunctionalConstraint.MS
        or FunctionalConstraint.US;

    /// <summary>Builds the MMS objects of <paramref name="model"/> with the initial values from SCL.</summary>
    public static MmsVmd BuildVmd(IedModel model) => BuildVmd(model, Iec61850ServerFaults.None);

    internal static MmsVmd BuildVmd(IedModel model, Iec61850ServerFaults faults, MmsJournalStore? journalStore = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var vmd = new MmsVmd(journalStore);
        Func<string, bool> writable = faults.HasFlag(Iec61850ServerFaults.WriteAllowedOnSt)
            ? path => IsWritablePath(path) || path.Contains("$ST$", StringComparison.Ordinal) || path.Contains("$MX$", StringComparison.Ordinal)
            : IsWritablePath;
        var hidden = faults.HasFlag(Iec61850ServerFaults.WrongDirectory) ? UnreferencedLogicalNode(model) : null;
        var shared = new SharedParts();
        foreach (var ld in model.LogicalDevices)
        {
            var domain = vmd.AddDomain(ld.MmsDomainName);
            foreach (var ln in ld.LogicalNodes)
            {
                if (ln == hidden) continue;
                var components = new List<MmsComponent>();
                var values = new List<MmsValue>();
                foreach (var group in ln.FunctionalView)
                {
                    var (type, value) = Build(group.Members, shared);
                    components.Add(new MmsComponent(group.Fc.ToString(), type));
                    values.Add(value);
                }
                if (components.Count == 0) continue;
                domain.AddVariable(ln.Name, shared.Type(new MmsStructureType(components)), shared.Value(new MmsStructure(values)), writable);
                foreach (var log in ln.Logs) domain.AddJournal(ln.Name + "$" + log);
            }
        }
        foreach (var ds in model.DataSets)
        {
            var d = vmd.FindDomain(ds.LogicalNode.LogicalDevice.MmsDomainName)!;
            var members = ds.Members.Select(m => ObjectName.Domain(m.MmsDomainName, m.MmsItemId)).ToArray();
            if (members.Length > 0 && vmd.Find(d.Name, ds.LogicalNode.Name) is not null) d.AddNamedVariableList(ds.MmsItemId, members);
        }
        return vmd;
    }

    /// <summary>The last logical node (not LLN0) that no data set member lies in: what the wrong-directory fault hides.</summary>
    private static LogicalNode? UnreferencedLogicalNode(IedModel model)
    {
        var referenced = model.DataSets.SelectMany(d => d.Members).Select(m => m.Target.LogicalNode).ToHashSet();
        return model.LogicalDevices.SelectMany(ld => ld.LogicalNodes).LastOrDefault(ln => ln.Name != "LLN0" && !referenced.Contains(ln));
    }

    /// <summary>Writable when the FC component (second segment of <c>LN$FC$...</c>) is a writable FC.</summary>
    private static bool IsWritablePath(string itemId)
    {
        var parts = itemId.Split('$');
        return parts.Length >= 3 && FunctionalConstraints.TryParse(parts[1], out var fc) && IsWritable(fc);
    }

    private static (MmsTypeDescription Type, MmsValue Value) Build(IReadOnlyList<FcNode> members, SharedParts shared)
    {
        var components = new MmsComponent[members.Count];
        var values = new MmsValue[members.Count];
        for (var i = 0; i < members.Count; i++)
        {
            var (t, v) = Build(members[i], shared);
            components[i] = new MmsComponent(members[i].Name, t);
            values[i] = v;
        }
        return (shared.Type(new MmsStructureType(components)), shared.Value(new MmsStructure(values)));
    }

    private static (MmsTypeDescription Type, MmsValue Value) Build(FcNode node, SharedParts shared)
    {
        (MmsTypeDescription, MmsValue) element;
        if (node.Children.Count > 0)
        {
            element = Build(node.Children, shared);
        }
        else if (node.Attribute is { } a)
        {
            var type = TypeOf(a.BasicType);
            var value = ValueOf(a, type);
            // 8-1 writes a control block's data set reference in its MMS form LD/LN$DataSet.
            if (a.Parent is ControlBlock && a.Name == "DatSet" && value is MmsVisibleString { Value: { Length: > 0 } ds } && ds.LastIndexOf('.') is var dot and > 0)
            {
                value = new MmsVisibleString(ds[..dot] + "$" + ds[(dot + 1)..]);
            }
            element = (shared.Type(type), shared.Value(value));
        }
        else
        {
            element = (shared.Type(new MmsStructureType()), shared.Value(new MmsStructure()));
        }
        var count = node.Node switch
        {
            DataAttribute a => a.Count,
            DataObject d => d.Count,
            _ => 0u,
        };
        if (count == 0) return element;
        var arrayType = new MmsArrayType((int)count, element.Item1);
        return (shared.Type(arrayType), shared.Value(new MmsArray(Enumerable.Repeat(element.Item2, (int)count).ToArray())));
    }

    /// <summary>
    /// One instance of each distinct type and initial value, shared by every logical node that has it: a model of
    /// many nodes of a few types (the usual IED) then holds each type tree once. Safe because types and values are
    /// immutable (a write replaces the value along its path). Parts are built bottom-up, so a structure is the same
    /// as another when its names match and its components are the very same shared instances.
    /// </summary>
    private sealed class SharedParts
    {
        private readonly Dictionary<MmsTypeDescription, MmsTypeDescription> _types = new(new ShallowTypeComparer());
        private readonly Dictionary<MmsValue, MmsValue> _values = new(new ShallowValueComparer());

        public MmsTypeDescription Type(MmsTypeDescription type)
        {
            if (_types.TryGetValue(type, out var existing)) return existing;
            _types.Add(type, type);
            return type;
        }

        public MmsValue Value(MmsValue value)
        {
            // -0.0 equals 0.0 by record equality: a negative zero is never shared, so the initial sign survives.
            if (value is MmsFloat32 { Value: 0 } f32 && float.IsNegative(f32.Value) || value is MmsFloat64 { Value: 0 } f64 && double.IsNegative(f64.Value)) return value;
            if (_values.TryGetValue(value, out var existing)) return existing;
            _values.Add(value, value);
            return value;
        }
    }

    private sealed class ShallowTypeComparer : IEqualityComparer<MmsTypeDescription>
    {
        public bool Equals(MmsTypeDescription? x, MmsTypeDescription? y) => (x, y) switch
        {
            (MmsStructureType a, MmsStructureType b) => a.Components.Count == b.Components.Count
                && a.Components.Select((c, i) => string.Equals(c.Name, b.Components[i].Name, StringComparison.Ordinal) && ReferenceEquals(c.Type, b.Components[i].Type)).All(same => same),
            (MmsArrayType a, MmsArrayType b) => a.NumberOfElements == b.NumberOfElements && ReferenceEquals(a.ElementType, b.ElementType),
            (MmsStructureType or MmsArrayType, _) or (_, MmsStructureType or MmsArrayType) => false,
            _ => object.Equals(x, y),
        };

        public int GetHashCode(MmsTypeDescription obj)
        {
            switch (obj)
            {
                case MmsStructureType s:
                    var hash = new HashCode();
                    foreach (var c in s.Components)
                    {
                        hash.Add(c.Name, StringComparer.Ordinal);
                        hash.Add(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(c.Type));
                    }
                    return hash.ToHashCode();
                case MmsArrayType a:
                    return HashCode.Combine(a.NumberOfElements, System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(a.ElementType));
                default:
                    return obj.GetHashCode();
            }
        }
    }

    private sealed class ShallowValueComparer : IEqualityComparer<MmsValue>
    {
        public bool Equals(MmsValue? x, MmsValue? y) => (x, y) switch
        {
            (MmsStructure a, MmsStructure b) => SameItems(a.Components, b.Components),
            (MmsArray a, MmsArray b) => SameItems(a.Elements, b.Elements),
            (MmsStructure or MmsArray, _) or (_, MmsStructure or MmsArray) => false,
            _ => object.Equals(x, y),
        };

        private static bool SameItems(IReadOnlyList<MmsValue> a, IReadOnlyList<MmsValue> b)
        {
            if (a.Count != b.Count) return false;
            for (var i = 0; i < a.Count; i++)
            {
                if (!ReferenceEquals(a[i], b[i])) return false;
            }
            return true;
        }

        public int GetHashCode(MmsValue obj)
        {
            var items = obj switch
            {
                MmsStructure s => s.Components,
                MmsArray a => a.Elements,
                _ => null,
            };
            if (items is null) return obj.GetHashCode();
            var hash = new HashCode();
            hash.Add(obj is MmsArray);
            foreach (var item in items) hash.Add(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(item));
            return hash.ToHashCode();
        }
    }

    /// <summary>The MMS type 8-1 gives a basic type.</summary>
    public static MmsTypeDescription TypeOf(BasicType type) => type switch
    {
        BasicType.BOOLEAN => MmsBooleanType.Instance,
        BasicType.INT8 => new MmsIntegerType(8),
        BasicType.INT16 => new MmsIntegerType(16),
        BasicType.INT24 or BasicType.INT32 => new MmsIntegerType(32),
        BasicType.INT64 or BasicType.INT128 => new MmsIntegerType(64),
        BasicType.INT8U => new MmsUnsignedType(8),
        BasicType.INT16U => new MmsUnsignedType(16),
        BasicType.INT24U or BasicType.INT32U => new MmsUnsignedType(32),
        BasicType.FLOAT32 => MmsFloatType.Float32,
        BasicType.FLOAT64 => MmsFloatType.Float64,
        BasicType.Enum => new MmsIntegerType(8),
        BasicType.Dbpos or BasicType.Tcmd or BasicType.Check => new MmsBitStringType(2),
        BasicType.Quality => new MmsBitStringType(13),
        BasicType.Timestamp => MmsUtcTimeType.Instance,
        BasicType.VisString32 or BasicType.VisString64 or BasicType.VisString65 or BasicType.VisString129 or BasicType.VisString255
            or BasicType.ObjRef or BasicType.Currency => new MmsVisibleStringType(-type.MaxLength()),
        BasicType.Unicode255 => new MmsUnicodeStringType(-255),
        BasicType.Octet64 => new MmsOctetStringType(-64),
        BasicType.Octet16 => new MmsOctetStringType(16),
        BasicType.Octet6 => new MmsOctetStringType(6),
        BasicType.EntryID => new MmsOctetStringType(8),
        BasicType.EntryTime => new MmsBinaryTimeType(true),
        BasicType.TrgOps => new MmsBitStringType(6),
        BasicType.OptFlds => new MmsBitStringType(10),
        BasicType.SvOptFlds => new MmsBitStringType(5),
        BasicType.LogOptFlds => new MmsBitStringType(1),
        _ => new MmsStructureType(),
    };

    /// <summary>The initial MMS value of an attribute from its SCL value, or the type's default.</summary>
    public static MmsValue ValueOf(DataAttribute attribute, MmsTypeDescription type)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        ArgumentNullException.ThrowIfNull(type);
        MmsValue? value = (attribute.Value, attribute.BasicType) switch
        {
            (bool b, _) => new MmsBoolean(b),
            (int i, BasicType.Dbpos or BasicType.Tcmd) => new MmsBitString([(byte)((i & 3) << 6)], 2),
            (int i, _) => new MmsInteger(i),
            (long l, _) => new MmsInteger(l),
            (ulong u, _) => new MmsUnsigned(u),
            (float f, _) => new MmsFloat32(f),
            (double d, _) => new MmsFloat64(d),
            (string s, BasicType.Unicode255) => new MmsUnicodeString(s),
            (string s, _) when type is MmsVisibleStringType && s.All(c => c is >= ' ' and <= '~') => new MmsVisibleString(s),
            (byte[] o, _) => new MmsOctetString(o),
            (SclTrgOps t, _) => Bits(6, false, t.Dchg, t.Qchg, t.Dupd, t.Period, t.Gi),
            (SclOptFields o, _) => Bits(10, false, o.SeqNum, o.TimeStamp, o.ReasonCode, o.DataSet, o.DataRef, o.BufOvfl, o.EntryId, o.ConfigRef, o.Segmentation),
            _ => null,
        };
        return value is not null && type.Accepts(value) ? value : type.DefaultValue();
    }

    private static MmsBitString Bits(int length, params bool[] bits)
    {
        var set = new List<int>();
        for (var i = 0; i < bits.Length && i < length; i++)
        {
            if (bits[i]) set.Add(i);
        }
        return MmsBitString.FromBits(length, set.ToArray());
    }

    /// <summary>MMS domain and item id of an ACSI reference (<c>LD/LN.DO.DA</c>) under <paramref name="fc"/>.</summary>
    public static ObjectName ToObjectName(string reference, FunctionalConstraint fc)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var slash = reference.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == reference.Length - 1) throw new ArgumentException($"'{reference}' is not an object reference LD/LN[.DO[.DA]]", nameof(reference));
        var ld = reference[..slash];
        var parts = reference[(slash + 1)..].Split('.');
        var item = parts.Length == 1 ? parts[0] + "$" + fc : parts[0] + "$" + fc + "$" + string.Join("$", parts.Skip(1));
        return ObjectName.Domain(ld, item);
    }

    /// <summary>ACSI reference and FC of an MMS domain-specific name <c>LN$FC$DO$DA</c>; null when it has no FC part.</summary>
    public static (string Reference, FunctionalConstraint Fc)? FromObjectName(ObjectName name)
    {
        var parts = name.ItemId.Split('$');
        if (parts.Length < 2 || !FunctionalConstraints.TryParse(parts[1], out var fc)) return null;
        var reference = $"{name.DomainId}/{parts[0]}" + string.Concat(parts.Skip(2).Select(p => "." + p));
        return (reference, fc);
    }
}
