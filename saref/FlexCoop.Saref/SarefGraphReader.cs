using System.Globalization;
using System.Xml;
using FlexCoop.Saref.Rdf;
using static FlexCoop.Saref.SarefVocabulary;

namespace FlexCoop.Saref;

/// <summary>
/// Reads back the descriptions <see cref="SarefGraphBuilder"/> writes: finds the devices under a
/// home's IRI and rebuilds their model. Triples it does not know are ignored; values it cannot read
/// are a <see cref="SarefMappingException"/> naming the node.
/// </summary>
public sealed class SarefGraphReader
{
    private readonly Dictionary<RdfTerm, List<RdfTriple>> bySubject = [];
    private readonly RdfGraph graph;

    private SarefGraphReader(RdfGraph graph)
    {
        this.graph = graph;
        foreach (var t in graph.Triples)
        {
            if (!bySubject.TryGetValue(t.Subject, out var list)) bySubject.Add(t.Subject, list = []);
            list.Add(t);
        }
    }

    /// <summary>The home at <paramref name="homeIri"/> and every device whose IRI is <c>{homeIri}devices/{id}</c>.</summary>
    public static HomeDescription ReadHome(RdfGraph graph, string homeIri)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(homeIri);
        return new SarefGraphReader(graph).Home(homeIri);
    }

    /// <summary>The home IRIs in the graph: subjects typed <c>saref:FeatureOfInterest</c> that have devices under them.</summary>
    public static IReadOnlyList<string> FindHomes(RdfGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var homes = graph.Match(null, RdfVocabulary.RdfType, Core.FeatureOfInterest).Select(t => t.Subject).OfType<RdfIri>().Select(i => i.Value).ToList();
        return homes.Where(h => graph.Triples.Any(t => t.Subject is RdfIri s && DeviceId(h, s.Value) is not null)).ToList();
    }

    private HomeDescription Home(string homeIri)
    {
        var home = new RdfIri(homeIri);
        var devices = new List<DeviceDescription>();
        var seen = new HashSet<RdfIri>();
        foreach (var t in graph.Triples)
        {
            if (t.Subject is RdfIri s && t.Predicate == RdfVocabulary.RdfType && DeviceId(homeIri, s.Value) is { } id && seen.Add(s))
            {
                devices.Add(Device(home, s, id));
            }
        }
        return new HomeDescription { Iri = homeIri, Label = Text(home, RdfVocabulary.RdfsLabel), Devices = devices };
    }

    private static string? DeviceId(string homeIri, string iri)
    {
        var prefix = homeIri + "devices/";
        if (!iri.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var rest = iri[prefix.Length..];
        return rest.Length == 0 || rest.Contains('/', StringComparison.Ordinal) ? null : Uri.UnescapeDataString(rest);
    }

    private DeviceDescription Device(RdfIri home, RdfIri dev, string id)
    {
        var types = Types(dev);
        var location = Objects(dev, Der.IsLocatedIn).FirstOrDefault();
        PowerLimits? limits = null;
        foreach (var node in Objects(dev, Core.HasTypicalConsumption).Concat(Objects(dev, Ener.HasEnergy)))
        {
            limits ??= new PowerLimits();
            var value = ValueOfProperty(node);
            var nodeTypes = Types(node);
            if (nodeTypes.Contains(Ener.PowerExpected)) limits = limits with { RatedPowerW = value };
            else if (nodeTypes.Contains(Ener.PowerMax)) limits = limits with { MaxPowerW = value };
            else if (nodeTypes.Contains(Ener.PowerMin)) limits = limits with { MinPowerW = value };
            else if (nodeTypes.Contains(Ener.EnergyMax)) limits = limits with { EnergyCapacityWh = value };
        }
        return new DeviceDescription
        {
            Id = id,
            Category = Category(types),
            Label = Text(dev, RdfVocabulary.RdfsLabel),
            Manufacturer = Text(dev, Core.HasManufacturer),
            Model = Text(dev, Core.HasModel),
            SerialNumber = Text(dev, Ener.SerialNumber),
            PowerSource = Text(dev, Ener.PowerSource),
            OpenAdrResourceId = Text(dev, Der.OpenAdrResourceId),
            Location = location is null || location == home ? null : Text(location, RdfVocabulary.RdfsLabel),
            Functions = Objects(dev, Core.HasFunction).Select(f => FunctionKindOf(Types(f), f)).ToList(),
            Measures = Objects(dev, Core.MeasuresProperty).Select(Property).ToList(),
            Controls = Objects(dev, Core.ControlsProperty).Select(Property).ToList(),
            State = Objects(dev, Core.HasState).Select(s => StateOf(Types(s))).FirstOrDefault(s => s is not null),
            Measurements = Objects(dev, Core.MakesMeasurement).Select(Measurement).ToList(),
            Limits = limits,
            PowerProfile = Objects(dev, Ener.Exposes).Select(Profile).FirstOrDefault(),
        };
    }

    private PropertyDescription Property(RdfTerm p)
    {
        var unit = Objects(p, Core.IsMeasuredIn).FirstOrDefault();
        return new PropertyDescription(PropertyKindOf(Types(p), p), Text(p, RdfVocabulary.RdfsLabel), unit is null ? null : UnitOf(unit, p));
    }

    private MeasurementValue Measurement(RdfTerm m)
    {
        var property = Objects(m, Core.RelatesToProperty).FirstOrDefault() ?? throw Error(m, "measurement without saref:relatesToProperty");
        var unit = Objects(m, Core.IsMeasuredIn).FirstOrDefault();
        var ts = Text(m, Core.HasTimestamp);
        return new MeasurementValue(
            PropertyKindOf(Types(property), property),
            Decimal(m, Core.HasValue) ?? throw Error(m, "measurement without saref:hasValue"),
            unit is null ? Unit.None : UnitOf(unit, m),
            ts is null ? null : DateTimeValue(ts, m));
    }

    private decimal ValueOfProperty(RdfTerm property)
    {
        var m = Objects(property, Core.RelatesToMeasurement).FirstOrDefault() ?? throw Error(property, "property without saref:relatesToMeasurement");
        return Decimal(m, Core.HasValue) ?? throw Error(m, "measurement without saref:hasValue");
    }

    private PowerProfile Profile(RdfTerm p) => new()
    {
        NodeRemoteControllable = Bool(p, Ener.NodeRemoteControllable) ?? true,
        SupportsReselection = Bool(p, Ener.SupportsReselection) ?? false,
        SupportsSingleSlotSchedulingOnly = Bool(p, Ener.SupportsSingleSlotSchedulingOnly) ?? false,
        AlternativesGroups = Objects(p, Core.ConsistsOf).Where(g => Types(g).Contains(Ener.AlternativesGroup)).Select(g => new AlternativesGroup
        {
            Id = UInt(g, Ener.AlternativesGroupId),
            Sequences = Objects(g, Core.ConsistsOf).Where(s => Types(s).Contains(Ener.PowerSequence)).Select(Sequence).OrderBy(s => s.Id).ToList(),
        }).OrderBy(g => g.Id).ToList(),
    };

    private PowerSequence Sequence(RdfTerm s)
    {
        DateTimeOffset? Time(RdfIri type) => Objects(s, Core.HasTime).Where(t => Types(t).Contains(type))
            .Select(t => Text(t, SarefVocabulary.Time.InXsdDateTimeStamp)).Where(x => x is not null).Select(x => (DateTimeOffset?)DateTimeValue(x!, s)).FirstOrDefault();
        var stateIri = Objects(s, Core.HasState).OfType<RdfIri>().FirstOrDefault();
        return new PowerSequence
        {
            Id = UInt(s, Ener.SequenceId),
            State = stateIri is null ? PowerSequenceState.Inactive : Enum.GetValues<PowerSequenceState>().First(v => SarefGraphBuilder.SequenceStateIri(v) == stateIri),
            RemoteControllable = Bool(s, Ener.SequenceRemoteControllable) ?? true,
            Pausable = Bool(s, Ener.IsPausable),
            Stoppable = Bool(s, Ener.IsStoppable),
            EarliestStart = Time(Ener.EarliestStartTime),
            LatestEnd = Time(Ener.LatestEndTime),
            Start = Time(Ener.StartTime),
            End = Time(Ener.EndTime),
            Slots = Objects(s, Core.ConsistsOf).Where(x => Types(x).Contains(Ener.Slot)).Select(Slot).OrderBy(x => x.Number).ToList(),
        };
    }

    private Slot Slot(RdfTerm sl)
    {
        TimeSpan? Duration(RdfIri type) => Objects(sl, Core.HasTime).Where(t => Types(t).Contains(type))
            .SelectMany(t => Objects(t, SarefVocabulary.Time.HasDurationDescription)).Select(d => Text(d, Ener.XsdDuration))
            .Where(x => x is not null).Select(x => (TimeSpan?)DurationValue(x!, sl)).FirstOrDefault();
        decimal? Value(RdfIri relation, RdfIri type) => Objects(sl, relation).Where(v => Types(v).Contains(type)).Select(v => (decimal?)ValueOfProperty(v)).FirstOrDefault();
        return new Slot
        {
            Number = UInt(sl, Ener.SlotNumber),
            Duration = Duration(Ener.DefaultDuration),
            MinDuration = Duration(Ener.MinDuration),
            MaxDuration = Duration(Ener.MaxDuration),
            MinPowerW = Value(Ener.HasPowerValueType, Ener.PowerMin),
            MaxPowerW = Value(Ener.HasPowerValueType, Ener.PowerMax),
            ExpectedPowerW = Value(Ener.HasPowerValueType, Ener.PowerExpected),
            ExpectedEnergyWh = Value(Ener.HasEnergyValueType, Ener.EnergyExpected),
        };
    }

    private static DeviceCategory Category(HashSet<RdfIri> types)
    {
        if (types.Contains(Der.HeatPump)) return DeviceCategory.HeatPump;
        if (types.Contains(Der.HotWaterTank)) return DeviceCategory.HotWaterTank;
        if (types.Contains(Der.EvCharger)) return DeviceCategory.EvCharger;
        if (types.Contains(Der.PhotovoltaicSystem)) return DeviceCategory.Photovoltaic;
        if (types.Contains(Der.Battery)) return DeviceCategory.Battery;
        if (types.Contains(Der.Luminaire)) return DeviceCategory.Light;
        if (types.Contains(Der.SmartPlug)) return DeviceCategory.SmartPlug;
        if (types.Contains(Core.Meter)) return DeviceCategory.Meter;
        if (types.Contains(Core.Sensor) || types.Contains(Core.TemperatureSensor)) return DeviceCategory.Sensor;
        return DeviceCategory.Generic;
    }

    private PropertyKind PropertyKindOf(HashSet<RdfIri> types, RdfTerm node)
    {
        foreach (var kind in Enum.GetValues<PropertyKind>())
        {
            var expected = SarefGraphBuilder.PropertyTypes(kind).Last();
            if (types.Contains(expected)) return kind;
        }
        throw Error(node, "property of unknown kind");
    }

    private FunctionKind FunctionKindOf(HashSet<RdfIri> types, RdfTerm node)
    {
        foreach (var kind in Enum.GetValues<FunctionKind>())
        {
            if (types.Contains(SarefGraphBuilder.FunctionClass(kind))) return kind;
        }
        throw Error(node, "function of unknown kind");
    }

    private static DeviceState? StateOf(HashSet<RdfIri> types)
    {
        foreach (var state in Enum.GetValues<DeviceState>())
        {
            if (types.Contains(SarefGraphBuilder.StateClass(state))) return state;
        }
        return null;
    }

    private Unit UnitOf(RdfTerm unit, RdfTerm node)
    {
        foreach (var u in Enum.GetValues<Unit>())
        {
            if (SarefGraphBuilder.UnitIri(u) is { } iri && iri == unit) return u;
        }
        throw Error(node, $"unit {unit} is not one this library knows");
    }

    private HashSet<RdfIri> Types(RdfTerm node) => Objects(node, RdfVocabulary.RdfType).OfType<RdfIri>().ToHashSet();

    private IEnumerable<RdfTerm> Objects(RdfTerm s, RdfIri p) =>
        bySubject.TryGetValue(s, out var list) ? list.Where(t => t.Predicate == p).Select(t => t.Object) : [];

    private string? Text(RdfTerm s, RdfIri p) => Objects(s, p).OfType<RdfLiteral>().FirstOrDefault()?.LexicalForm;

    private decimal? Decimal(RdfTerm s, RdfIri p)
    {
        var text = Text(s, p);
        if (text is null) return null;
        return decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var d)
            ? DecimalValue.Normalize(d)
            : throw Error(s, $"'{text}' is not a decimal number");
    }

    private bool? Bool(RdfTerm s, RdfIri p) => Text(s, p) switch
    {
        null => null,
        "true" or "1" => true,
        "false" or "0" => false,
        var other => throw Error(s, $"'{other}' is not a boolean"),
    };

    private uint UInt(RdfTerm s, RdfIri p)
    {
        var text = Text(s, p) ?? throw Error(s, $"missing {p}");
        return uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : throw Error(s, $"'{text}' is not an unsigned integer");
    }

    private static DateTimeOffset DateTimeValue(string text, RdfTerm node) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var v) ? v : throw Error(node, $"'{text}' is not a date-time");

    private static TimeSpan DurationValue(string text, RdfTerm node)
    {
        try
        {
            return XmlConvert.ToTimeSpan(text);
        }
        catch (FormatException ex)
        {
            throw new SarefMappingException(node.ToString(), $"'{text}' is not an xsd:duration", ex);
        }
        catch (OverflowException ex)
        {
            throw new SarefMappingException(node.ToString(), $"'{text}' is out of range", ex);
        }
    }

    private static SarefMappingException Error(RdfTerm node, string message) => new(node.ToString(), message);
}
