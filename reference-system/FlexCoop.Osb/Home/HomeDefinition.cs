using System.Text.Json.Serialization;
using FlexCoop.ReferenceSystem.Contracts;

namespace FlexCoop.Osb.Home;

/// <summary>
/// A home as its home file describes it: the homeId (the OSB's <c>oadrVenName</c>), where it is,
/// its building, comfort band and devices, and, for real devices, the MQTT broker and items.
/// Read with <see cref="HomeFile.Load"/>; the format is documented in the package README.
/// </summary>
public sealed record HomeDefinition
{
    /// <summary>The home's identifier, e.g. <c>home-0001</c>: 1–64 letters, digits, '-' or '_'.</summary>
    public required string HomeId { get; init; }

    /// <summary>Where the home is (sun position, and the registry's location search).</summary>
    public HomeLocation Location { get; init; } = new();

    /// <summary>Offset of local time from UTC in hours (profiles follow local time); null derives it from the longitude.</summary>
    public double? UtcOffsetHours { get; init; }

    /// <summary>Seed of the simulation's weather, trips and draws; the same seed gives the same run.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Outdoor temperature and cloudiness.</summary>
    public ClimateDefinition Climate { get; init; } = new();

    /// <summary>The building the heat pump heats.</summary>
    public BuildingDefinition Building { get; init; } = new();

    /// <summary>The indoor comfort band the agent keeps.</summary>
    public ComfortBand Comfort { get; init; } = new();

    /// <summary>How the agent answers price signals.</summary>
    public ControlSettings Control { get; init; } = new();

    /// <summary>The devices; when the file names none, one of each kind (<see cref="HomeFile.DefaultDevices"/>).</summary>
    public IReadOnlyList<DeviceDefinition> Devices { get; init; } = HomeFile.DefaultDevices();

    /// <summary>Real devices over MQTT (openHAB item topics); null simulates the devices.</summary>
    public MqttSettings? Mqtt { get; init; }

    /// <summary>The local-time offset in use.</summary>
    [JsonIgnore]
    public double EffectiveUtcOffsetHours => UtcOffsetHours ?? Math.Round(Location.Longitude / 15);
}

/// <summary>The home's location.</summary>
public sealed record HomeLocation
{
    /// <summary>Degrees north, −90 to 90.</summary>
    public double Latitude { get; init; } = 51.44;

    /// <summary>Degrees east, −180 to 180.</summary>
    public double Longitude { get; init; } = 5.47;

    /// <summary>Postal code, optional.</summary>
    public string? Postcode { get; init; }
}

/// <summary>The outdoor climate of the simulation (see <c>OutdoorTemperatureProfile</c> and <c>CloudCover</c>).</summary>
public sealed record ClimateDefinition
{
    /// <summary>Yearly mean outdoor temperature, °C.</summary>
    public double AnnualMeanC { get; init; } = 10.5;

    /// <summary>Half the difference between the warmest and coldest day's mean, K.</summary>
    public double AnnualAmplitudeC { get; init; } = 7.5;

    /// <summary>Half the day-night difference, K.</summary>
    public double DailyAmplitudeC { get; init; } = 4;

    /// <summary>Largest day-to-day deviation, K.</summary>
    public double VariabilityC { get; init; } = 3;

    /// <summary>Mean cloud cover, 0 (always clear) to 1 (overcast).</summary>
    public double Cloudiness { get; init; } = 0.5;
}

/// <summary>The building's thermal model: one resistance and capacitance (1R1C) or two of each (2R2C).</summary>
public sealed record BuildingDefinition
{
    /// <summary><c>1R1C</c> or <c>2R2C</c>.</summary>
    public string Model { get; init; } = "1R1C";

    /// <summary>Heat loss to outdoors per kelvin, W/K (1R1C: the one conductance; 2R2C: envelope to outdoors).</summary>
    public double HeatLossWPerK { get; init; } = 150;

    /// <summary>Heat capacity, J/K (1R1C: the whole building; 2R2C: the thermal mass).</summary>
    public double HeatCapacityJPerK { get; init; } = 2.0e7;

    /// <summary>2R2C only: the indoor air's (and furniture's) heat capacity, J/K.</summary>
    public double AirHeatCapacityJPerK { get; init; } = 2.0e6;

    /// <summary>2R2C only: conductance between indoor air and the thermal mass, W/K.</summary>
    public double AirToMassWPerK { get; init; } = 600;

    /// <summary>Indoor temperature at the start, °C.</summary>
    public double InitialTemperatureC { get; init; } = 21;
}

/// <summary>The indoor temperature band the agent never leaves on purpose, and the setpoint it normally keeps.</summary>
public sealed record ComfortBand
{
    /// <summary>Lowest acceptable indoor temperature, °C.</summary>
    public double MinC { get; init; } = 19.5;

    /// <summary>Highest acceptable indoor temperature, °C.</summary>
    public double MaxC { get; init; } = 23;

    /// <summary>The setpoint outside events, °C.</summary>
    public double SetpointC { get; init; } = 21;
}

/// <summary>How price signals map to demand-response levels.</summary>
public sealed record ControlSettings
{
    /// <summary>At or above this price (per kWh) the home behaves as at SIMPLE level 1.</summary>
    public double ModeratePrice { get; init; } = 0.25;

    /// <summary>At or above this price the home behaves as at SIMPLE level 2.</summary>
    public double HighPrice { get; init; } = 0.40;
}

/// <summary>The MQTT broker of a home with real devices.</summary>
public sealed record MqttSettings
{
    /// <summary><c>mqtt://HOST:PORT</c> (1883 by default).</summary>
    public required string Broker { get; init; }

    /// <summary>Topic prefix: states arrive on <c>PREFIX/ITEM/state</c>, commands go to <c>PREFIX/ITEM/command</c>.</summary>
    public string Prefix { get; init; } = "openhab";

    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>A device with no state message for this long is reported offline (unless it has an <c>online</c> item).</summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// The openHAB items of one real device. States are read from <c>PREFIX/ITEM/state</c>; commands
/// written to <c>PREFIX/ITEM/command</c>. Every item is optional except <see cref="Power"/>.
/// </summary>
public sealed record MqttItems
{
    /// <summary>Number item: the device's power in W (production negative).</summary>
    public string? Power { get; init; }

    /// <summary>Switch item: ON while the device is reachable.</summary>
    public string? Online { get; init; }

    /// <summary>Switch item: ON while the occupant overrides the device by hand.</summary>
    public string? ManualOverride { get; init; }

    /// <summary>Number item: a measured temperature, °C (indoor air, tank water).</summary>
    public string? Temperature { get; init; }

    /// <summary>Number item, command: the temperature setpoint, °C.</summary>
    public string? Setpoint { get; init; }

    /// <summary>Number item, command: the highest power allowed, W (EV charger).</summary>
    public string? PowerLimit { get; init; }

    /// <summary>Number item, command: discharge at this power, W; 0 returns to automatic (battery).</summary>
    public string? Discharge { get; init; }

    /// <summary>Dimmer item, command: 0–100 % (lights).</summary>
    public string? Level { get; init; }

    /// <summary>Number item: the battery's state of charge, 0–100 %.</summary>
    public string? StateOfCharge { get; init; }

    /// <summary>Every item named, with its role.</summary>
    [JsonIgnore]
    public IEnumerable<(string Role, string Item)> All
    {
        get
        {
            if (Power is not null) yield return ("power", Power);
            if (Online is not null) yield return ("online", Online);
            if (ManualOverride is not null) yield return ("manualOverride", ManualOverride);
            if (Temperature is not null) yield return ("temperature", Temperature);
            if (Setpoint is not null) yield return ("setpoint", Setpoint);
            if (PowerLimit is not null) yield return ("powerLimit", PowerLimit);
            if (Discharge is not null) yield return ("discharge", Discharge);
            if (Level is not null) yield return ("level", Level);
            if (StateOfCharge is not null) yield return ("stateOfCharge", StateOfCharge);
        }
    }
}

/// <summary>
/// One device of the home. The JSON names its kind in <c>"kind"</c> (a <see cref="DerKind"/>) and
/// its local name in <c>"name"</c>; the OpenADR resourceID is <c>KIND.NAME</c>.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(HeatPumpDefinition), nameof(DerKind.HeatPump))]
[JsonDerivedType(typeof(HotWaterTankDefinition), nameof(DerKind.HotWaterTank))]
[JsonDerivedType(typeof(EvChargerDefinition), nameof(DerKind.EvCharger))]
[JsonDerivedType(typeof(PhotovoltaicDefinition), nameof(DerKind.Photovoltaic))]
[JsonDerivedType(typeof(BatteryDefinition), nameof(DerKind.Battery))]
[JsonDerivedType(typeof(LightDefinition), nameof(DerKind.Light))]
[JsonDerivedType(typeof(SensorDefinition), nameof(DerKind.Sensor))]
[JsonDerivedType(typeof(BaseLoadDefinition), nameof(DerKind.BaseLoad))]
public abstract record DeviceDefinition
{
    /// <summary>The local name: 1–32 letters, digits, '-' or '_'.</summary>
    public string Name { get; init; } = "main";

    /// <summary>For a home with MQTT: the device's items.</summary>
    public MqttItems? Items { get; init; }

    [JsonIgnore]
    public abstract DerKind Kind { get; }

    /// <summary>The largest power the device draws (or, for PV and batteries, delivers), W.</summary>
    [JsonIgnore]
    public abstract double RatedW { get; }

    /// <summary>Energy the device stores, Wh (0 when none).</summary>
    [JsonIgnore]
    public virtual double EnergyCapacityWh => 0;

    /// <summary>True when the agent can command it in an event.</summary>
    [JsonIgnore]
    public virtual bool Controllable => true;

    [JsonIgnore]
    public DerResourceId ResourceId => new(Kind, Name);
}

/// <summary>An air-to-water heat pump heating the building; COP from a Carnot fraction at the supply temperature.</summary>
public sealed record HeatPumpDefinition : DeviceDefinition
{
    /// <summary>Electrical power when running, W.</summary>
    public double RatedPowerW { get; init; } = 2000;

    /// <summary>Flow temperature, °C.</summary>
    public double SupplyTemperatureC { get; init; } = 35;

    /// <summary>Fraction of the Carnot COP reached.</summary>
    public double CarnotEfficiency { get; init; } = 0.45;

    [JsonIgnore]
    public override DerKind Kind => DerKind.HeatPump;

    [JsonIgnore]
    public override double RatedW => RatedPowerW;
}

/// <summary>An electric hot-water tank (fully mixed).</summary>
public sealed record HotWaterTankDefinition : DeviceDefinition
{
    public double VolumeLitres { get; init; } = 200;

    public double HeaterPowerW { get; init; } = 2000;

    /// <summary>Normal setpoint, °C; the heater switches on 5 K below.</summary>
    public double SetpointC { get; init; } = 55;

    /// <summary>Lowest acceptable water temperature, °C.</summary>
    public double MinC { get; init; } = 45;

    /// <summary>Standing loss per kelvin above ambient, W/K.</summary>
    public double LossWPerK { get; init; } = 1.5;

    /// <summary>Hot water drawn per day, litres (morning and evening peaks).</summary>
    public double DrawLitresPerDay { get; init; } = 120;

    public double ColdWaterC { get; init; } = 10;

    public double AmbientC { get; init; } = 18;

    [JsonIgnore]
    public override DerKind Kind => DerKind.HotWaterTank;

    [JsonIgnore]
    public override double RatedW => HeaterPowerW;

    [JsonIgnore]
    public override double EnergyCapacityWh => VolumeLitres * 4186 * (SetpointC - MinC) / 3600;
}

/// <summary>An EV charger and the car that comes home in the evening and leaves in the morning.</summary>
public sealed record EvChargerDefinition : DeviceDefinition
{
    public double ChargerPowerW { get; init; } = 7400;

    public double BatteryWh { get; init; } = 60000;

    /// <summary>Usual arrival, local hour (±45 minutes day to day).</summary>
    public double ArrivalHour { get; init; } = 18;

    /// <summary>Usual departure, local hour (next day when not after arrival; ±30 minutes).</summary>
    public double DepartureHour { get; init; } = 7.5;

    /// <summary>Usual energy to add per stay, Wh (60–140 % day to day, never more than the stay allows).</summary>
    public double EnergyNeedWh { get; init; } = 12000;

    /// <summary>Charging efficiency, grid to battery.</summary>
    public double Efficiency { get; init; } = 0.9;

    [JsonIgnore]
    public override DerKind Kind => DerKind.EvCharger;

    [JsonIgnore]
    public override double RatedW => ChargerPowerW;

    [JsonIgnore]
    public override double EnergyCapacityWh => BatteryWh;
}

/// <summary>A PV array (horizontal, clear-sky irradiance times cloud clearness times derating).</summary>
public sealed record PhotovoltaicDefinition : DeviceDefinition
{
    public double PeakPowerW { get; init; } = 4000;

    /// <summary>Inverter, temperature and soiling losses.</summary>
    public double Derate { get; init; } = 0.85;

    [JsonIgnore]
    public override DerKind Kind => DerKind.Photovoltaic;

    [JsonIgnore]
    public override double RatedW => PeakPowerW;

    [JsonIgnore]
    public override bool Controllable => false;
}

/// <summary>A home battery: self-consumption by default, discharging on demand.</summary>
public sealed record BatteryDefinition : DeviceDefinition
{
    public double CapacityWh { get; init; } = 10000;

    public double MaxChargeW { get; init; } = 5000;

    public double MaxDischargeW { get; init; } = 5000;

    /// <summary>Round-trip efficiency; charging and discharging each lose its square root.</summary>
    public double RoundTripEfficiency { get; init; } = 0.9;

    public double InitialStateOfCharge { get; init; } = 0.5;

    /// <summary>The state of charge kept in reserve.</summary>
    public double ReserveStateOfCharge { get; init; } = 0.1;

    [JsonIgnore]
    public override DerKind Kind => DerKind.Battery;

    [JsonIgnore]
    public override double RatedW => Math.Max(MaxChargeW, MaxDischargeW);

    [JsonIgnore]
    public override double EnergyCapacityWh => CapacityWh;
}

/// <summary>The home's lights: on in the morning and evening when it is dark, dimmable.</summary>
public sealed record LightDefinition : DeviceDefinition
{
    public double RatedPowerW { get; init; } = 200;

    [JsonIgnore]
    public override DerKind Kind => DerKind.Light;

    [JsonIgnore]
    public override double RatedW => RatedPowerW;
}

/// <summary>An indoor temperature sensor (it measures the building).</summary>
public sealed record SensorDefinition : DeviceDefinition
{
    public double PowerW { get; init; } = 0.5;

    [JsonIgnore]
    public override DerKind Kind => DerKind.Sensor;

    [JsonIgnore]
    public override double RatedW => PowerW;

    [JsonIgnore]
    public override bool Controllable => false;
}

/// <summary>Everything else the home draws: a daily profile around its average.</summary>
public sealed record BaseLoadDefinition : DeviceDefinition
{
    public double AverageW { get; init; } = 400;

    [JsonIgnore]
    public override DerKind Kind => DerKind.BaseLoad;

    [JsonIgnore]
    public override double RatedW => AverageW * 2.5;

    [JsonIgnore]
    public override bool Controllable => false;
}
