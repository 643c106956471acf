namespace FlexCoop.Saref;

/// <summary>What kind of DER or device a description is; decides its SAREF classes and task.</summary>
public enum DeviceCategory
{
    /// <summary>Any device: <c>saref:Device</c>.</summary>
    Generic,
    /// <summary><c>saref:HVAC</c> + <c>der:HeatPump</c>, accomplishes <c>saref:Comfort</c>.</summary>
    HeatPump,
    /// <summary><c>saref:Appliance</c> + <c>der:HotWaterTank</c>, accomplishes <c>saref:Comfort</c>.</summary>
    HotWaterTank,
    /// <summary><c>saref:Appliance</c> + <c>der:EvCharger</c>.</summary>
    EvCharger,
    /// <summary><c>saref:Device</c> + <c>der:PhotovoltaicSystem</c>, accomplishes <c>saref:EnergyEfficiency</c>.</summary>
    Photovoltaic,
    /// <summary><c>saref:Device</c> + <c>der:Battery</c>, accomplishes <c>saref:EnergyEfficiency</c>.</summary>
    Battery,
    /// <summary><c>saref:Appliance</c> + <c>der:Luminaire</c>, accomplishes <c>saref:Lighting</c>.</summary>
    Light,
    /// <summary><c>saref:Sensor</c> (<c>saref:TemperatureSensor</c> when it measures temperature).</summary>
    Sensor,
    /// <summary><c>saref:Meter</c>, accomplishes <c>saref:EnergyEfficiency</c>.</summary>
    Meter,
    /// <summary><c>saref:Switch</c> + <c>der:SmartPlug</c>.</summary>
    SmartPlug,
}

/// <summary>A quality a device measures or controls; decides the property's SAREF class and default unit.</summary>
public enum PropertyKind
{
    /// <summary><c>saref:Power</c>, watts.</summary>
    Power,
    /// <summary><c>saref:Energy</c>, watt-hours.</summary>
    Energy,
    /// <summary><c>saref:Temperature</c>, degrees Celsius.</summary>
    Temperature,
    /// <summary><c>saref:Humidity</c>, percent.</summary>
    Humidity,
    /// <summary><c>saref:Light</c>, lux.</summary>
    Light,
    /// <summary><c>saref:Motion</c>.</summary>
    Motion,
    /// <summary><c>saref:Occupancy</c>.</summary>
    Occupancy,
    /// <summary><c>saref:Pressure</c>, pascal.</summary>
    Pressure,
    /// <summary><c>saref:Property</c> + <c>der:Voltage</c>, volts.</summary>
    Voltage,
    /// <summary><c>saref:Property</c> + <c>der:Current</c>, amperes.</summary>
    Current,
    /// <summary><c>saref:Property</c> + <c>der:StateOfCharge</c>, percent.</summary>
    StateOfCharge,
    /// <summary><c>saref:Property</c> + <c>der:Frequency</c>, hertz.</summary>
    Frequency,
}

/// <summary>A unit of measure (OM 2 individual).</summary>
public enum Unit
{
    Watt,
    WattHour,
    DegreeCelsius,
    Volt,
    Ampere,
    Percent,
    Lux,
    Pascal,
    Hertz,
    /// <summary>A count or flag without unit (motion, occupancy).</summary>
    None,
}

/// <summary>A SAREF function a device offers, with the commands SAREF gives it.</summary>
public enum FunctionKind
{
    /// <summary><c>saref:OnOffFunction</c>: on, off, toggle.</summary>
    OnOff,
    /// <summary><c>saref:StartStopFunction</c>: start, stop, pause.</summary>
    StartStop,
    /// <summary><c>saref:OpenCloseFunction</c>: open, close.</summary>
    OpenClose,
    /// <summary><c>saref:LevelControlFunction</c>: set absolute/relative level, step up/down.</summary>
    LevelControl,
    /// <summary><c>saref:SensingFunction</c>: get sensing data; sensor types are the measured properties.</summary>
    Sensing,
    /// <summary><c>saref:MeteringFunction</c>: current value and history; reading types are the measured power/energy properties.</summary>
    Metering,
    /// <summary><c>saref:EventFunction</c>: notify.</summary>
    Event,
}

/// <summary>A device state (<c>saref:hasState</c>).</summary>
public enum DeviceState
{
    On,
    Off,
    Start,
    Stop,
    Open,
    Close,
}

/// <summary>Where a power sequence is (<c>s4ener:PowerSequenceState</c>).</summary>
public enum PowerSequenceState
{
    Running,
    Paused,
    Scheduled,
    ScheduledPaused,
    Pending,
    Inactive,
    Completed,
    Invalid,
}

/// <summary>A measured or controlled property. <see cref="Name"/> tells two of the same kind apart (e.g. an OpenADR rID).</summary>
/// <param name="Kind">What is measured.</param>
/// <param name="Name">A name unique within the device; null means the kind's name.</param>
/// <param name="Unit">The unit readings use; null means the kind's default unit.</param>
public sealed record PropertyDescription(PropertyKind Kind, string? Name = null, Unit? Unit = null);

/// <summary>A value observed for a property (<c>saref:Measurement</c>; with 4.x terms also a <c>saref:Observation</c>).</summary>
public sealed record MeasurementValue(PropertyKind Property, decimal Value, Unit Unit, DateTimeOffset? Timestamp = null);

/// <summary>
/// Static power and energy limits of a DER. Powers in watts, positive for consumption and negative
/// for production (a 5 kW PV inverter has <see cref="MinPowerW"/> = -5000).
/// </summary>
public sealed record PowerLimits
{
    /// <summary>Highest power drawn (or least production) in W: <c>s4ener:PowerMax</c>.</summary>
    public decimal? MaxPowerW { get; init; }

    /// <summary>Lowest power drawn (most production when negative) in W: <c>s4ener:PowerMin</c>.</summary>
    public decimal? MinPowerW { get; init; }

    /// <summary>Nominal (rated) power in W: <c>s4ener:PowerExpected</c> as typical consumption.</summary>
    public decimal? RatedPowerW { get; init; }

    /// <summary>Usable storage capacity in Wh (battery, hot-water tank, EV): <c>s4ener:EnergyMax</c>.</summary>
    public decimal? EnergyCapacityWh { get; init; }
}

/// <summary>One step of a power sequence (<c>s4ener:Slot</c>): duration and power bounds.</summary>
public sealed record Slot
{
    /// <summary>Position in the sequence, from 1 (<c>s4ener:slotNumber</c>).</summary>
    public required uint Number { get; init; }

    /// <summary>Nominal duration (<c>s4ener:DefaultDuration</c>).</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Shortest duration when the slot can be shortened (<c>s4ener:MinDuration</c>).</summary>
    public TimeSpan? MinDuration { get; init; }

    /// <summary>Longest duration when the slot can be stretched (<c>s4ener:MaxDuration</c>).</summary>
    public TimeSpan? MaxDuration { get; init; }

    /// <summary>Lowest power in W (<c>s4ener:PowerMin</c>).</summary>
    public decimal? MinPowerW { get; init; }

    /// <summary>Highest power in W (<c>s4ener:PowerMax</c>).</summary>
    public decimal? MaxPowerW { get; init; }

    /// <summary>Expected power in W (<c>s4ener:PowerExpected</c>).</summary>
    public decimal? ExpectedPowerW { get; init; }

    /// <summary>Expected energy in Wh (<c>s4ener:EnergyExpected</c>).</summary>
    public decimal? ExpectedEnergyWh { get; init; }
}

/// <summary>
/// A task the device can run with a flexible start (<c>s4ener:PowerSequence</c>): the flexibility
/// window is <see cref="EarliestStart"/> .. <see cref="LatestEnd"/>.
/// </summary>
public sealed record PowerSequence
{
    /// <summary><c>s4ener:sequenceID</c>.</summary>
    public required uint Id { get; init; }

    public PowerSequenceState State { get; init; } = PowerSequenceState.Inactive;

    /// <summary>The CEM (aggregator) may schedule it (<c>s4ener:sequenceRemoteControllable</c>).</summary>
    public bool RemoteControllable { get; init; } = true;

    public bool? Pausable { get; init; }

    public bool? Stoppable { get; init; }

    /// <summary>Start of the flexibility window (<c>s4ener:EarliestStartTime</c>).</summary>
    public DateTimeOffset? EarliestStart { get; init; }

    /// <summary>End of the flexibility window (<c>s4ener:LatestEndTime</c>).</summary>
    public DateTimeOffset? LatestEnd { get; init; }

    /// <summary>Scheduled start (<c>s4ener:StartTime</c>).</summary>
    public DateTimeOffset? Start { get; init; }

    /// <summary>Scheduled end (<c>s4ener:EndTime</c>).</summary>
    public DateTimeOffset? End { get; init; }

    public IReadOnlyList<Slot> Slots { get; init; } = [];
}

/// <summary>Alternative power sequences of which one is run (<c>s4ener:AlternativesGroup</c>).</summary>
public sealed record AlternativesGroup
{
    /// <summary><c>s4ener:alternativesGroupID</c>.</summary>
    public required uint Id { get; init; }

    public IReadOnlyList<PowerSequence> Sequences { get; init; } = [];
}

/// <summary>A device's flexibility as SAREF4ENER models it (<c>s4ener:PowerProfile</c>).</summary>
public sealed record PowerProfile
{
    public bool NodeRemoteControllable { get; init; } = true;

    public bool SupportsReselection { get; init; }

    public bool SupportsSingleSlotSchedulingOnly { get; init; }

    public IReadOnlyList<AlternativesGroup> AlternativesGroups { get; init; } = [];
}

/// <summary>One device (DER, appliance, sensor, meter) as the DER registry knows it.</summary>
public sealed record DeviceDescription
{
    /// <summary>Identifier unique within the home: letters, digits, '-', '_' and '.' (it becomes part of IRIs).</summary>
    public required string Id { get; init; }

    public DeviceCategory Category { get; init; } = DeviceCategory.Generic;

    /// <summary>Human-readable name (<c>rdfs:label</c>).</summary>
    public string? Label { get; init; }

    /// <summary><c>saref:hasManufacturer</c>.</summary>
    public string? Manufacturer { get; init; }

    /// <summary><c>saref:hasModel</c>.</summary>
    public string? Model { get; init; }

    /// <summary><c>s4ener:serialNumber</c>.</summary>
    public string? SerialNumber { get; init; }

    /// <summary>Room or place (a <c>saref:FeatureOfInterest</c> linked by <c>der:isLocatedIn</c>).</summary>
    public string? Location { get; init; }

    /// <summary><c>s4ener:powerSource</c>: unknown, mainsSinglePhase, mains3Phase, battery or dc.</summary>
    public string? PowerSource { get; init; }

    /// <summary>The OpenADR resource this device is reported as (<c>der:openAdrResourceId</c>).</summary>
    public string? OpenAdrResourceId { get; init; }

    public PowerLimits? Limits { get; init; }

    public IReadOnlyList<FunctionKind> Functions { get; init; } = [];

    /// <summary>Properties the device measures (<c>saref:measuresProperty</c>).</summary>
    public IReadOnlyList<PropertyDescription> Measures { get; init; } = [];

    /// <summary>Properties the device controls (<c>saref:controlsProperty</c>).</summary>
    public IReadOnlyList<PropertyDescription> Controls { get; init; } = [];

    public DeviceState? State { get; init; }

    public IReadOnlyList<MeasurementValue> Measurements { get; init; } = [];

    /// <summary>Flexibility (<c>s4ener:exposes</c>); null when the device offers none.</summary>
    public PowerProfile? PowerProfile { get; init; }
}

/// <summary>A home (or site) and its devices: what a DER registry stores for one prosumer.</summary>
public sealed record HomeDescription
{
    /// <summary>Base IRI of the home, ending in '/' or '#'; device IRIs are <c>{Iri}devices/{id}</c>.</summary>
    public required string Iri { get; init; }

    public string? Label { get; init; }

    public IReadOnlyList<DeviceDescription> Devices { get; init; } = [];
}
