using FlexCoop.Saref.Rdf;
using static FlexCoop.Saref.SarefVocabulary;

namespace FlexCoop.Saref;

/// <summary>Choices for <see cref="SarefGraphBuilder"/>.</summary>
public sealed record SarefGraphOptions
{
    public static readonly SarefGraphOptions Default = new();

    /// <summary>
    /// Also type measurements as SAREF 4.x <c>saref:Observation</c>s with <c>saref:observes</c> and
    /// <c>saref:hasResultTime</c>. These terms are not in SAREF core 3.1.1. Default false.
    /// </summary>
    public bool IncludeSaref4Terms { get; init; }
}

/// <summary>
/// Describes homes and devices in SAREF core 3.1.1 and SAREF4ENER 1.1.2 as an RDF graph.
/// Every device, function, command, property, profile, group, sequence and slot gets an IRI under
/// the home's IRI (<c>{home}devices/{id}</c>, <c>.../functions/onOff</c>, ...); values (measurements,
/// limits, times) are blank nodes. <see cref="SarefGraphReader"/> reads such a graph back.
/// </summary>
public sealed class SarefGraphBuilder
{
    private readonly RdfGraph graph;
    private readonly SarefGraphOptions options;

    public SarefGraphBuilder(SarefGraphOptions? options = null)
    {
        this.options = options ?? SarefGraphOptions.Default;
        graph = new RdfGraph(StandardPrefixes());
    }

    /// <summary>The graph built so far.</summary>
    public RdfGraph Graph => graph;

    /// <summary>A graph describing <paramref name="home"/> and all its devices.</summary>
    public static RdfGraph Build(HomeDescription home, SarefGraphOptions? options = null)
    {
        var builder = new SarefGraphBuilder(options);
        builder.AddHome(home);
        return builder.Graph;
    }

    /// <summary>Adds the home and its devices.</summary>
    public SarefGraphBuilder AddHome(HomeDescription home)
    {
        ArgumentNullException.ThrowIfNull(home);
        var homeIri = HomeIri(home.Iri);
        graph.Add(homeIri, RdfVocabulary.RdfType, Core.FeatureOfInterest);
        if (home.Label is not null) graph.Add(homeIri, RdfVocabulary.RdfsLabel, RdfLiteral.String(home.Label));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var device in home.Devices)
        {
            if (!seen.Add(device.Id)) throw new ArgumentException($"two devices have the id '{device.Id}'", nameof(home));
            AddDevice(home.Iri, device);
        }
        return this;
    }

    /// <summary>Adds one device of the home whose base IRI is <paramref name="homeIri"/>; returns the device's IRI.</summary>
    public RdfIri AddDevice(string homeIri, DeviceDescription device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var home = HomeIri(homeIri);
        var dev = SarefIris.Device(homeIri, device.Id);
        foreach (var type in CategoryTypes(device)) graph.Add(dev, RdfVocabulary.RdfType, type);
        if (device.Label is not null) graph.Add(dev, RdfVocabulary.RdfsLabel, RdfLiteral.String(device.Label));
        if (device.Manufacturer is not null) graph.Add(dev, Core.HasManufacturer, RdfLiteral.String(device.Manufacturer));
        if (device.Model is not null) graph.Add(dev, Core.HasModel, RdfLiteral.String(device.Model));
        if (device.SerialNumber is not null) graph.Add(dev, Ener.SerialNumber, RdfLiteral.String(device.SerialNumber));
        if (device.PowerSource is not null) graph.Add(dev, Ener.PowerSource, RdfLiteral.String(device.PowerSource));
        if (device.OpenAdrResourceId is not null) graph.Add(dev, Der.OpenAdrResourceId, RdfLiteral.String(device.OpenAdrResourceId));
        if (Task(device.Category) is { } task) graph.Add(dev, Core.Accomplishes, task);
        if (UsesElectricity(device.Category))
        {
            var electricity = SarefIris.Electricity(homeIri);
            graph.Add(electricity, RdfVocabulary.RdfType, Core.Electricity);
            graph.Add(dev, Core.IsUsedFor, electricity);
        }
        if (device.Location is not null)
        {
            var location = SarefIris.Location(homeIri, device.Location);
            graph.Add(location, RdfVocabulary.RdfType, Core.FeatureOfInterest);
            graph.Add(location, RdfVocabulary.RdfsLabel, RdfLiteral.String(device.Location));
            graph.Add(location, Der.IsLocatedIn, home);
            graph.Add(dev, Der.IsLocatedIn, location);
        }
        else
        {
            graph.Add(dev, Der.IsLocatedIn, home);
        }

        var byName = new Dictionary<string, PropertyDescription>(StringComparer.Ordinal);
        foreach (var p in device.Measures.Concat(device.Controls))
        {
            var name = p.Name ?? SarefIris.KindName(p.Kind);
            if (byName.TryGetValue(name, out var other) && (other.Kind != p.Kind || other.Unit != p.Unit))
            {
                throw new ArgumentException($"device '{device.Id}': property '{name}' is described twice differently (kind or unit)", nameof(device));
            }
            byName[name] = p;
        }
        var measured = device.Measures.Select(p => AddProperty(dev, p, Core.MeasuresProperty)).ToList();
        foreach (var p in device.Controls) AddProperty(dev, p, Core.ControlsProperty);
        foreach (var kind in device.Functions) AddFunction(dev, kind, device.Measures, measured);
        if (device.State is { } state)
        {
            var node = graph.NewBlankNode();
            graph.Add(dev, Core.HasState, node);
            graph.Add(node, RdfVocabulary.RdfType, StateClass(state));
        }
        foreach (var m in device.Measurements) AddMeasurement(dev, device, m);
        if (device.Limits is { } limits) AddLimits(dev, limits);
        if (device.PowerProfile is { } profile) AddPowerProfile(dev, profile);
        return dev;
    }

    private RdfIri AddProperty(RdfIri dev, PropertyDescription p, RdfIri relation)
    {
        var iri = SarefIris.Property(dev, p.Name ?? SarefIris.KindName(p.Kind));
        foreach (var type in PropertyTypes(p.Kind)) graph.Add(iri, RdfVocabulary.RdfType, type);
        if (p.Name is not null) graph.Add(iri, RdfVocabulary.RdfsLabel, RdfLiteral.String(p.Name));
        if (p.Unit is { } unit && UnitIri(unit) is { } u) graph.Add(iri, Core.IsMeasuredIn, TypedUnit(unit, u));
        graph.Add(dev, relation, iri);
        return iri;
    }

    private void AddFunction(RdfIri dev, FunctionKind kind, IReadOnlyList<PropertyDescription> measures, List<RdfIri> measured)
    {
        var f = SarefIris.Function(dev, kind);
        graph.Add(dev, Core.HasFunction, f);
        graph.Add(f, RdfVocabulary.RdfType, FunctionClass(kind));
        foreach (var (name, type) in Commands(kind))
        {
            var c = new RdfIri(f.Value + "/commands/" + name);
            graph.Add(f, Core.HasCommand, c);
            graph.Add(c, RdfVocabulary.RdfType, type);
            graph.Add(c, Core.IsCommandOf, f);
        }
        for (var i = 0; i < measures.Count; i++)
        {
            if (kind == FunctionKind.Sensing) graph.Add(f, Core.HasSensorType, measured[i]);
            if (kind == FunctionKind.Metering && measures[i].Kind is PropertyKind.Power or PropertyKind.Energy)
            {
                graph.Add(f, Core.HasMeterReadingType, measured[i]);
            }
        }
    }

    private void AddMeasurement(RdfIri dev, DeviceDescription device, MeasurementValue m)
    {
        var property = device.Measures.FirstOrDefault(p => p.Kind == m.Property) is { } described
            ? SarefIris.Property(dev, described.Name ?? SarefIris.KindName(described.Kind))
            : AddProperty(dev, new PropertyDescription(m.Property), Core.MeasuresProperty);
        var node = Value(Core.Measurement, m.Value, m.Unit);
        graph.Add(dev, Core.MakesMeasurement, node);
        graph.Add(node, Core.RelatesToProperty, property);
        if (m.Timestamp is { } ts) graph.Add(node, Core.HasTimestamp, RdfLiteral.DateTime(ts));
        if (options.IncludeSaref4Terms)
        {
            graph.Add(node, RdfVocabulary.RdfType, Core4.Observation);
            graph.Add(node, Core4.Observes, property);
            if (m.Timestamp is { } t) graph.Add(node, Core4.HasResultTime, RdfLiteral.DateTime(t));
        }
    }

    private void AddLimits(RdfIri dev, PowerLimits limits)
    {
        if (limits.RatedPowerW is { } rated) graph.Add(dev, Core.HasTypicalConsumption, PropertyWithValue(Ener.PowerExpected, rated, Unit.Watt));
        if (limits.MaxPowerW is { } max) graph.Add(dev, Core.HasTypicalConsumption, PropertyWithValue(Ener.PowerMax, max, Unit.Watt));
        if (limits.MinPowerW is { } min) graph.Add(dev, Core.HasTypicalConsumption, PropertyWithValue(Ener.PowerMin, min, Unit.Watt));
        if (limits.EnergyCapacityWh is { } capacity) graph.Add(dev, Ener.HasEnergy, PropertyWithValue(Ener.EnergyMax, capacity, Unit.WattHour));
    }

    private void AddPowerProfile(RdfIri dev, PowerProfile profile)
    {
        var p = SarefIris.PowerProfile(dev);
        graph.Add(dev, Ener.Exposes, p);
        graph.Add(dev, Core.HasProfile, p);
        graph.Add(p, RdfVocabulary.RdfType, Ener.PowerProfile);
        graph.Add(p, Ener.BelongsTo, dev);
        graph.Add(p, Ener.NodeRemoteControllable, RdfLiteral.Boolean(profile.NodeRemoteControllable));
        graph.Add(p, Ener.SupportsReselection, RdfLiteral.Boolean(profile.SupportsReselection));
        graph.Add(p, Ener.SupportsSingleSlotSchedulingOnly, RdfLiteral.Boolean(profile.SupportsSingleSlotSchedulingOnly));
        graph.Add(p, Ener.AlternativesCount, RdfLiteral.Integer(profile.AlternativesGroups.Count));
        graph.Add(p, Ener.TotalSequencesCountMax, UnsignedInt((uint)profile.AlternativesGroups.Sum(g => g.Sequences.Count)));
        foreach (var group in profile.AlternativesGroups)
        {
            var g = SarefIris.Group(p, group.Id);
            graph.Add(p, Core.ConsistsOf, g);
            graph.Add(g, RdfVocabulary.RdfType, Ener.AlternativesGroup);
            graph.Add(g, Ener.BelongsTo, p);
            graph.Add(g, Ener.AlternativesGroupId, RdfLiteral.Integer(group.Id));
            foreach (var sequence in group.Sequences) AddSequence(g, sequence);
        }
    }

    private void AddSequence(RdfIri g, PowerSequence sequence)
    {
        var s = SarefIris.Sequence(g, sequence.Id);
        graph.Add(g, Core.ConsistsOf, s);
        graph.Add(s, RdfVocabulary.RdfType, Ener.PowerSequence);
        graph.Add(s, Ener.BelongsTo, g);
        graph.Add(s, Ener.SequenceId, UnsignedInt(sequence.Id));
        graph.Add(s, Ener.SequenceRemoteControllable, RdfLiteral.Boolean(sequence.RemoteControllable));
        graph.Add(s, Core.HasState, SequenceStateIri(sequence.State));
        if (sequence.Pausable is { } pausable) graph.Add(s, Ener.IsPausable, RdfLiteral.Boolean(pausable));
        if (sequence.Stoppable is { } stoppable) graph.Add(s, Ener.IsStoppable, RdfLiteral.Boolean(stoppable));
        if (sequence.EarliestStart is { } es) graph.Add(s, Core.HasTime, Instant(Ener.EarliestStartTime, es));
        if (sequence.LatestEnd is { } le) graph.Add(s, Core.HasTime, Instant(Ener.LatestEndTime, le));
        if (sequence.Start is { } st) graph.Add(s, Core.HasTime, Instant(Ener.StartTime, st));
        if (sequence.End is { } en) graph.Add(s, Core.HasTime, Instant(Ener.EndTime, en));
        foreach (var slot in sequence.Slots)
        {
            var sl = SarefIris.Slot(s, slot.Number);
            graph.Add(s, Core.ConsistsOf, sl);
            graph.Add(sl, RdfVocabulary.RdfType, Ener.Slot);
            graph.Add(sl, Ener.BelongsTo, s);
            graph.Add(sl, Ener.SlotNumber, UnsignedInt(slot.Number));
            if (slot.Duration is { } d) graph.Add(sl, Core.HasTime, Duration(Ener.DefaultDuration, Ener.DefaultDurationDescription, d));
            if (slot.MinDuration is { } dmin) graph.Add(sl, Core.HasTime, Duration(Ener.MinDuration, Ener.SlotTimeDurationDescription, dmin));
            if (slot.MaxDuration is { } dmax) graph.Add(sl, Core.HasTime, Duration(Ener.MaxDuration, Ener.SlotTimeDurationDescription, dmax));
            if (slot.MinPowerW is { } pmin) graph.Add(sl, Ener.HasPowerValueType, PropertyWithValue(Ener.PowerMin, pmin, Unit.Watt));
            if (slot.MaxPowerW is { } pmax) graph.Add(sl, Ener.HasPowerValueType, PropertyWithValue(Ener.PowerMax, pmax, Unit.Watt));
            if (slot.ExpectedPowerW is { } pexp) graph.Add(sl, Ener.HasPowerValueType, PropertyWithValue(Ener.PowerExpected, pexp, Unit.Watt));
            if (slot.ExpectedEnergyWh is { } eexp) graph.Add(sl, Ener.HasEnergyValueType, PropertyWithValue(Ener.EnergyExpected, eexp, Unit.WattHour));
        }
    }

    /// <summary>[ a propertyClass ; saref:relatesToMeasurement [ a saref:Measurement ; saref:hasValue v ; saref:isMeasuredIn unit ] ].</summary>
    private RdfBlankNode PropertyWithValue(RdfIri propertyClass, decimal value, Unit unit)
    {
        var property = graph.NewBlankNode();
        graph.Add(property, RdfVocabulary.RdfType, propertyClass);
        graph.Add(property, Core.RelatesToMeasurement, Value(Core.Measurement, value, unit));
        return property;
    }

    private RdfBlankNode Value(RdfIri type, decimal value, Unit unit)
    {
        var node = graph.NewBlankNode();
        graph.Add(node, RdfVocabulary.RdfType, type);
        graph.Add(node, Core.HasValue, RdfLiteral.Decimal(value));
        if (UnitIri(unit) is { } u) graph.Add(node, Core.IsMeasuredIn, TypedUnit(unit, u));
        return node;
    }

    /// <summary>Types the OM unit individual with its SAREF 3.1.1 unit class (saref:PowerUnit, ...), once per graph.</summary>
    private RdfIri TypedUnit(Unit unit, RdfIri iri)
    {
        var type = unit switch
        {
            Unit.Watt => Core.PowerUnit,
            Unit.WattHour => Core.EnergyUnit,
            Unit.DegreeCelsius => Core.TemperatureUnit,
            Unit.Pascal => Core.PressureUnit,
            Unit.Lux => Core.IlluminanceUnit,
            _ => Core.UnitOfMeasure,
        };
        graph.Add(iri, RdfVocabulary.RdfType, type);
        return iri;
    }

    private RdfBlankNode Instant(RdfIri type, DateTimeOffset at)
    {
        var node = graph.NewBlankNode();
        graph.Add(node, RdfVocabulary.RdfType, type);
        graph.Add(node, SarefVocabulary.Time.InXsdDateTimeStamp, new RdfLiteral(RdfLiteral.DateTime(at).LexicalForm, SarefVocabulary.Time.XsdDateTimeStamp));
        return node;
    }

    private RdfBlankNode Duration(RdfIri type, RdfIri descriptionType, TimeSpan duration)
    {
        var node = graph.NewBlankNode();
        var description = graph.NewBlankNode();
        graph.Add(node, RdfVocabulary.RdfType, type);
        graph.Add(node, SarefVocabulary.Time.HasDurationDescription, description);
        graph.Add(description, RdfVocabulary.RdfType, descriptionType);
        graph.Add(description, Ener.XsdDuration, RdfLiteral.Duration(duration));
        return node;
    }

    private static RdfLiteral UnsignedInt(uint value) => new(value.ToString(System.Globalization.CultureInfo.InvariantCulture), RdfVocabulary.XsdUnsignedInt);

    private static RdfIri HomeIri(string iri)
    {
        if (!iri.EndsWith('/') && !iri.EndsWith('#')) throw new ArgumentException($"the home IRI must end with '/' or '#': '{iri}'", nameof(iri));
        return new RdfIri(iri);
    }

    internal static IEnumerable<RdfIri> CategoryTypes(DeviceDescription device)
    {
        var der = device.PowerProfile is not null || device.Limits is not null;
        switch (device.Category)
        {
            case DeviceCategory.HeatPump: return [Core.HVAC, Ener.Device, Der.HeatPump];
            case DeviceCategory.HotWaterTank: return [Core.Appliance, Ener.Device, Der.HotWaterTank];
            case DeviceCategory.EvCharger: return [Core.Appliance, Ener.Device, Der.EvCharger];
            case DeviceCategory.Photovoltaic: return [Core.Device, Ener.Device, Der.PhotovoltaicSystem];
            case DeviceCategory.Battery: return [Core.Device, Ener.Device, Der.Battery];
            case DeviceCategory.Light: return der ? [Core.Appliance, Ener.Device, Der.Luminaire] : [Core.Appliance, Der.Luminaire];
            case DeviceCategory.Meter: return [Core.Meter];
            case DeviceCategory.SmartPlug: return der ? [Core.Switch, Ener.Device, Der.SmartPlug] : [Core.Switch, Der.SmartPlug];
            case DeviceCategory.Sensor:
                return device.Measures.Any(p => p.Kind == PropertyKind.Temperature) ? [Core.Sensor, Core.TemperatureSensor] : [Core.Sensor];
            default: return der ? [Core.Device, Ener.Device] : [Core.Device];
        }
    }

    private static RdfIri? Task(DeviceCategory category) => category switch
    {
        DeviceCategory.HeatPump or DeviceCategory.HotWaterTank => Core.Comfort,
        DeviceCategory.Photovoltaic or DeviceCategory.Battery or DeviceCategory.Meter or DeviceCategory.EvCharger => Core.EnergyEfficiency,
        DeviceCategory.Light => Core.Lighting,
        _ => null,
    };

    private static bool UsesElectricity(DeviceCategory category) => category is not DeviceCategory.Sensor and not DeviceCategory.Generic;

    internal static IEnumerable<RdfIri> PropertyTypes(PropertyKind kind) => kind switch
    {
        PropertyKind.Power => [Core.Power],
        PropertyKind.Energy => [Core.Energy],
        PropertyKind.Temperature => [Core.Temperature],
        PropertyKind.Humidity => [Core.Humidity],
        PropertyKind.Light => [Core.Light],
        PropertyKind.Motion => [Core.Motion],
        PropertyKind.Occupancy => [Core.Occupancy],
        PropertyKind.Pressure => [Core.Pressure],
        PropertyKind.Voltage => [Core.Property, Der.Voltage],
        PropertyKind.Current => [Core.Property, Der.Current],
        PropertyKind.StateOfCharge => [Core.Property, Der.StateOfCharge],
        PropertyKind.Frequency => [Core.Property, Der.Frequency],
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    internal static RdfIri FunctionClass(FunctionKind kind) => kind switch
    {
        FunctionKind.OnOff => Core.OnOffFunction,
        FunctionKind.StartStop => Core.StartStopFunction,
        FunctionKind.OpenClose => Core.OpenCloseFunction,
        FunctionKind.LevelControl => Core.LevelControlFunction,
        FunctionKind.Sensing => Core.SensingFunction,
        FunctionKind.Metering => Core.MeteringFunction,
        FunctionKind.Event => Core.EventFunction,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static (string Name, RdfIri Type)[] Commands(FunctionKind kind) => kind switch
    {
        FunctionKind.OnOff => [("on", Core.OnCommand), ("off", Core.OffCommand), ("toggle", Core.ToggleCommand)],
        FunctionKind.StartStop => [("start", Core.StartCommand), ("stop", Core.StopCommand), ("pause", Core.PauseCommand)],
        FunctionKind.OpenClose => [("open", Core.OpenCommand), ("close", Core.CloseCommand)],
        FunctionKind.LevelControl => [("setAbsoluteLevel", Core.SetAbsoluteLevelCommand), ("setRelativeLevel", Core.SetRelativeLevelCommand), ("stepUp", Core.StepUpCommand), ("stepDown", Core.StepDownCommand)],
        FunctionKind.Sensing => [("getSensingData", Core.GetSensingDataCommand)],
        FunctionKind.Metering => [("getCurrentMeterValue", Core.GetCurrentMeterValueCommand), ("getMeterHistory", Core.GetMeterHistoryCommand)],
        FunctionKind.Event => [("notify", Core.NotifyCommand)],
        _ => [],
    };

    internal static RdfIri StateClass(DeviceState state) => state switch
    {
        DeviceState.On => Core.OnState,
        DeviceState.Off => Core.OffState,
        DeviceState.Start => Core.StartState,
        DeviceState.Stop => Core.StopState,
        DeviceState.Open => Core.OpenState,
        DeviceState.Close => Core.CloseState,
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    internal static RdfIri SequenceStateIri(PowerSequenceState state) => state switch
    {
        PowerSequenceState.Running => Ener.Running,
        PowerSequenceState.Paused => Ener.Paused,
        PowerSequenceState.Scheduled => Ener.Scheduled,
        PowerSequenceState.ScheduledPaused => Ener.ScheduledPaused,
        PowerSequenceState.Pending => Ener.Pending,
        PowerSequenceState.Inactive => Ener.Inactive,
        PowerSequenceState.Completed => Ener.Completed,
        PowerSequenceState.Invalid => Ener.Invalid,
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    internal static RdfIri? UnitIri(Unit unit) => unit switch
    {
        Unit.Watt => Om.Watt,
        Unit.WattHour => Om.WattHour,
        Unit.DegreeCelsius => Om.DegreeCelsius,
        Unit.Volt => Om.Volt,
        Unit.Ampere => Om.Ampere,
        Unit.Percent => Om.Percent,
        Unit.Lux => Om.Lux,
        Unit.Pascal => Om.Pascal,
        Unit.Hertz => Om.Hertz,
        _ => null,
    };
}

/// <summary>The IRIs the builder gives to the parts of a description.</summary>
public static class SarefIris
{
    public static RdfIri Device(string homeIri, string deviceId) => new(homeIri + "devices/" + Uri.EscapeDataString(deviceId));

    public static RdfIri Location(string homeIri, string location) => new(homeIri + "locations/" + Uri.EscapeDataString(location));

    public static RdfIri Electricity(string homeIri) => new(homeIri + "commodities/electricity");

    public static RdfIri Property(RdfIri device, string name) => new(device.Value + "/properties/" + Uri.EscapeDataString(name));

    public static RdfIri Function(RdfIri device, FunctionKind kind) => new(device.Value + "/functions/" + JsonNaming(kind.ToString()));

    public static RdfIri PowerProfile(RdfIri device) => new(device.Value + "/power-profile");

    public static RdfIri Group(RdfIri profile, uint id) => new(profile.Value + "/groups/" + id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static RdfIri Sequence(RdfIri group, uint id) => new(group.Value + "/sequences/" + id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static RdfIri Slot(RdfIri sequence, uint number) => new(sequence.Value + "/slots/" + number.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The name a property of this kind gets when it has none: <c>power</c>, <c>stateOfCharge</c>, ...</summary>
    public static string KindName(PropertyKind kind) => JsonNaming(kind.ToString());

    internal static string JsonNaming(string pascal) => char.ToLowerInvariant(pascal[0]) + pascal[1..];
}
