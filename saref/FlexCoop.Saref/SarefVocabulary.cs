using FlexCoop.Saref.Rdf;

namespace FlexCoop.Saref;

/// <summary>
/// IRIs of the SAREF terms this library emits, exactly as the ontology files spell them.
/// <see cref="Core"/> is SAREF core 3.1.1 and <see cref="Ener"/> SAREF4ENER 1.1.2; terms from later
/// versions are kept apart in <see cref="Core4"/> (SAREF core 4.x) and <see cref="Ener2"/>
/// (SAREF4ENER 2.x) because they are not in the 3.1.1/1.1.2 ontology files, and
/// <see cref="Der"/> holds FlexCoop's own terms for what SAREF 3.1.1 cannot say.
/// </summary>
public static class SarefVocabulary
{
    public const string SarefNamespace = "https://saref.etsi.org/core/";
    public const string S4enerNamespace = "https://saref.etsi.org/saref4ener/";
    public const string OmNamespace = "http://www.ontology-of-units-of-measure.org/resource/om-2/";
    public const string TimeNamespace = "http://www.w3.org/2006/time#";
    /// <summary>FlexCoop's DER vocabulary: device categories and relations SAREF 3.1.1 lacks.</summary>
    public const string DerNamespace = "https://flexcoop.example/ns/der#";

    /// <summary>A graph's prefix table with the prefixes used by SAREF descriptions.</summary>
    public static RdfNamespaces StandardPrefixes() => new RdfNamespaces()
        .Add("saref", SarefNamespace)
        .Add("s4ener", S4enerNamespace)
        .Add("om", OmNamespace)
        .Add("time", TimeNamespace)
        .Add("der", DerNamespace)
        .Add("rdf", RdfVocabulary.RdfNamespace)
        .Add("rdfs", RdfVocabulary.RdfsNamespace)
        .Add("xsd", RdfVocabulary.XsdNamespace);

    private static RdfIri S(string local) => new(SarefNamespace + local);
    private static RdfIri E(string local) => new(S4enerNamespace + local);

    /// <summary>SAREF core 3.1.1 (https://saref.etsi.org/core/v3.1.1/).</summary>
    public static class Core
    {
        // classes: devices
        public static readonly RdfIri Device = S("Device");
        public static readonly RdfIri Actuator = S("Actuator");
        public static readonly RdfIri Appliance = S("Appliance");
        public static readonly RdfIri HVAC = S("HVAC");
        public static readonly RdfIri Meter = S("Meter");
        public static readonly RdfIri Sensor = S("Sensor");
        public static readonly RdfIri Switch = S("Switch");
        public static readonly RdfIri TemperatureSensor = S("TemperatureSensor");
        // classes: functions
        public static readonly RdfIri Function = S("Function");
        public static readonly RdfIri ActuatingFunction = S("ActuatingFunction");
        public static readonly RdfIri SensingFunction = S("SensingFunction");
        public static readonly RdfIri MeteringFunction = S("MeteringFunction");
        public static readonly RdfIri EventFunction = S("EventFunction");
        public static readonly RdfIri OnOffFunction = S("OnOffFunction");
        public static readonly RdfIri StartStopFunction = S("StartStopFunction");
        public static readonly RdfIri OpenCloseFunction = S("OpenCloseFunction");
        public static readonly RdfIri LevelControlFunction = S("LevelControlFunction");
        // classes: commands
        public static readonly RdfIri Command = S("Command");
        public static readonly RdfIri OnCommand = S("OnCommand");
        public static readonly RdfIri OffCommand = S("OffCommand");
        public static readonly RdfIri ToggleCommand = S("ToggleCommand");
        public static readonly RdfIri StartCommand = S("StartCommand");
        public static readonly RdfIri StopCommand = S("StopCommand");
        public static readonly RdfIri PauseCommand = S("PauseCommand");
        public static readonly RdfIri OpenCommand = S("OpenCommand");
        public static readonly RdfIri CloseCommand = S("CloseCommand");
        public static readonly RdfIri SetAbsoluteLevelCommand = S("SetAbsoluteLevelCommand");
        public static readonly RdfIri SetRelativeLevelCommand = S("SetRelativeLevelCommand");
        public static readonly RdfIri StepUpCommand = S("StepUpCommand");
        public static readonly RdfIri StepDownCommand = S("StepDownCommand");
        public static readonly RdfIri GetSensingDataCommand = S("GetSensingDataCommand");
        public static readonly RdfIri GetCurrentMeterValueCommand = S("GetCurrentMeterValueCommand");
        public static readonly RdfIri GetMeterHistoryCommand = S("GetMeterHistoryCommand");
        public static readonly RdfIri NotifyCommand = S("NotifyCommand");
        // classes: states
        public static readonly RdfIri State = S("State");
        public static readonly RdfIri OnState = S("OnState");
        public static readonly RdfIri OffState = S("OffState");
        public static readonly RdfIri StartState = S("StartState");
        public static readonly RdfIri StopState = S("StopState");
        public static readonly RdfIri OpenState = S("OpenState");
        public static readonly RdfIri CloseState = S("CloseState");
        // classes: commodities, properties, measurements, units, profiles
        public static readonly RdfIri Commodity = S("Commodity");
        public static readonly RdfIri Electricity = S("Electricity");
        public static readonly RdfIri Gas = S("Gas");
        public static readonly RdfIri Water = S("Water");
        public static readonly RdfIri Property = S("Property");
        public static readonly RdfIri Power = S("Power");
        public static readonly RdfIri Energy = S("Energy");
        public static readonly RdfIri Temperature = S("Temperature");
        public static readonly RdfIri Humidity = S("Humidity");
        public static readonly RdfIri Light = S("Light");
        public static readonly RdfIri Motion = S("Motion");
        public static readonly RdfIri Occupancy = S("Occupancy");
        public static readonly RdfIri Pressure = S("Pressure");
        public static readonly RdfIri Measurement = S("Measurement");
        public static readonly RdfIri UnitOfMeasure = S("UnitOfMeasure");
        public static readonly RdfIri PowerUnit = S("PowerUnit");
        public static readonly RdfIri EnergyUnit = S("EnergyUnit");
        public static readonly RdfIri TemperatureUnit = S("TemperatureUnit");
        public static readonly RdfIri PressureUnit = S("PressureUnit");
        public static readonly RdfIri IlluminanceUnit = S("IlluminanceUnit");
        public static readonly RdfIri FeatureOfInterest = S("FeatureOfInterest");
        public static readonly RdfIri Profile = S("Profile");
        public static readonly RdfIri Time = S("Time");
        public static readonly RdfIri Task = S("Task");
        // task individuals
        public static readonly RdfIri Comfort = S("Comfort");
        public static readonly RdfIri EnergyEfficiency = S("EnergyEfficiency");
        public static readonly RdfIri Lighting = S("Lighting");
        public static readonly RdfIri Safety = S("Safety");
        // object properties
        public static readonly RdfIri Accomplishes = S("accomplishes");
        public static readonly RdfIri ActsUpon = S("actsUpon");
        public static readonly RdfIri ConsistsOf = S("consistsOf");
        public static readonly RdfIri ControlsProperty = S("controlsProperty");
        public static readonly RdfIri HasCommand = S("hasCommand");
        public static readonly RdfIri HasFunction = S("hasFunction");
        public static readonly RdfIri HasMeterReadingType = S("hasMeterReadingType");
        public static readonly RdfIri HasProfile = S("hasProfile");
        public static readonly RdfIri HasSensorType = S("hasSensorType");
        public static readonly RdfIri HasState = S("hasState");
        public static readonly RdfIri HasTime = S("hasTime");
        public static readonly RdfIri HasTypicalConsumption = S("hasTypicalConsumption");
        public static readonly RdfIri IsCommandOf = S("isCommandOf");
        public static readonly RdfIri IsMeasuredIn = S("isMeasuredIn");
        public static readonly RdfIri IsUsedFor = S("isUsedFor");
        public static readonly RdfIri MakesMeasurement = S("makesMeasurement");
        public static readonly RdfIri MeasuresProperty = S("measuresProperty");
        public static readonly RdfIri RelatesToMeasurement = S("relatesToMeasurement");
        public static readonly RdfIri RelatesToProperty = S("relatesToProperty");
        // datatype properties
        public static readonly RdfIri HasManufacturer = S("hasManufacturer");
        public static readonly RdfIri HasModel = S("hasModel");
        public static readonly RdfIri HasTimestamp = S("hasTimestamp");
        public static readonly RdfIri HasValue = S("hasValue");
    }

    /// <summary>
    /// SAREF core 4.x terms (ETSI TS 103 264 V4.1.1) replacing Measurement: not in the 3.1.1 ontology
    /// file, so <c>flexcoop saref check</c> against 3.1.1 reports them. Emitted only when asked
    /// (<see cref="SarefGraphOptions.IncludeSaref4Terms"/>).
    /// </summary>
    public static class Core4
    {
        public static readonly RdfIri Observation = S("Observation");
        public static readonly RdfIri PropertyValue = S("PropertyValue");
        public static readonly RdfIri HasPropertyValue = S("hasPropertyValue");
        public static readonly RdfIri IsValueOfProperty = S("isValueOfProperty");
        public static readonly RdfIri Observes = S("observes");
        public static readonly RdfIri HasResult = S("hasResult");
        public static readonly RdfIri HasResultTime = S("hasResultTime");
        public static readonly RdfIri Controls = S("controls");
        public static readonly RdfIri Consumes = S("consumes");
        public static readonly RdfIri Produces = S("produces");
    }

    /// <summary>SAREF4ENER 1.1.2 (https://saref.etsi.org/saref4ener/v1.1.2/).</summary>
    public static class Ener
    {
        public static readonly RdfIri Device = E("Device");
        public static readonly RdfIri PowerProfile = E("PowerProfile");
        public static readonly RdfIri AlternativesGroup = E("AlternativesGroup");
        public static readonly RdfIri PowerSequence = E("PowerSequence");
        public static readonly RdfIri Slot = E("Slot");
        public static readonly RdfIri Power = E("Power");
        public static readonly RdfIri PowerMax = E("PowerMax");
        public static readonly RdfIri PowerMin = E("PowerMin");
        public static readonly RdfIri PowerExpected = E("PowerExpected");
        public static readonly RdfIri Energy = E("Energy");
        public static readonly RdfIri EnergyMax = E("EnergyMax");
        public static readonly RdfIri EnergyMin = E("EnergyMin");
        public static readonly RdfIri EnergyExpected = E("EnergyExpected");
        public static readonly RdfIri PowerSequenceState = E("PowerSequenceState");
        public static readonly RdfIri EarliestStartTime = E("EarliestStartTime");
        public static readonly RdfIri LatestEndTime = E("LatestEndTime");
        public static readonly RdfIri StartTime = E("StartTime");
        public static readonly RdfIri EndTime = E("EndTime");
        public static readonly RdfIri DefaultDuration = E("DefaultDuration");
        public static readonly RdfIri DefaultDurationDescription = E("DefaultDurationDescription");
        public static readonly RdfIri MinDuration = E("MinDuration");
        public static readonly RdfIri MaxDuration = E("MaxDuration");
        public static readonly RdfIri SlotTimeDurationDescription = E("SlotTimeDurationDescription");
        // power sequence states (individuals)
        public static readonly RdfIri Running = E("Running");
        public static readonly RdfIri Paused = E("Paused");
        public static readonly RdfIri Scheduled = E("Scheduled");
        public static readonly RdfIri ScheduledPaused = E("ScheduledPaused");
        public static readonly RdfIri Pending = E("Pending");
        public static readonly RdfIri Inactive = E("Inactive");
        public static readonly RdfIri Completed = E("Completed");
        public static readonly RdfIri Invalid = E("Invalid");
        // object properties
        public static readonly RdfIri Exposes = E("exposes");
        public static readonly RdfIri BelongsTo = E("belongsTo");
        public static readonly RdfIri HasPowerValueType = E("hasPowerValueType");
        public static readonly RdfIri HasEnergyValueType = E("hasEnergyValueType");
        public static readonly RdfIri HasEnergy = E("hasEnergy");
        // datatype properties
        public static readonly RdfIri AlternativesCount = E("alternativesCount");
        public static readonly RdfIri AlternativesGroupId = E("alternativesGroupID");
        public static readonly RdfIri NodeRemoteControllable = E("nodeRemoteControllable");
        public static readonly RdfIri SupportsReselection = E("supportsReselection");
        public static readonly RdfIri SupportsSingleSlotSchedulingOnly = E("supportsSingleSlotSchedulingOnly");
        public static readonly RdfIri TotalSequencesCountMax = E("totalSequencesCountMax");
        public static readonly RdfIri SequenceId = E("sequenceID");
        public static readonly RdfIri SequenceRemoteControllable = E("sequenceRemoteControllable");
        public static readonly RdfIri IsPausable = E("isPausable");
        public static readonly RdfIri IsStoppable = E("isStoppable");
        public static readonly RdfIri SlotNumber = E("slotNumber");
        public static readonly RdfIri XsdDuration = E("xsdDuration");
        public static readonly RdfIri PowerSource = E("powerSource");
        public static readonly RdfIri SerialNumber = E("serialNumber");
        public static readonly RdfIri DeviceName = E("deviceName");
    }

    /// <summary>
    /// SAREF4ENER 2.x flexibility terms (ETSI TS 103 410-1 V2.1.1, S2/InterConnect): not in the
    /// 1.1.2 ontology file. Listed for integrators; the builder does not emit them.
    /// </summary>
    public static class Ener2
    {
        public static readonly RdfIri FlexibilityProfile = E("FlexibilityProfile");
        public static readonly RdfIri PowerEnvelopeProfile = E("PowerEnvelopeProfile");
        public static readonly RdfIri PowerLimitProfile = E("PowerLimitProfile");
        public static readonly RdfIri OperationModeProfile = E("OperationModeProfile");
        public static readonly RdfIri FillRateProfile = E("FillRateProfile");
        public static readonly RdfIri FlexOffer = E("FlexOffer");
        public static readonly RdfIri FlexRequest = E("FlexRequest");
        public static readonly RdfIri Storage = E("Storage");
    }

    /// <summary>Units of the Ontology of units of Measure 2 (OM), which SAREF's documentation uses as example units.</summary>
    public static class Om
    {
        public static readonly RdfIri Watt = new(OmNamespace + "watt");
        public static readonly RdfIri WattHour = new(OmNamespace + "wattHour");
        public static readonly RdfIri DegreeCelsius = new(OmNamespace + "degreeCelsius");
        public static readonly RdfIri Volt = new(OmNamespace + "volt");
        public static readonly RdfIri Ampere = new(OmNamespace + "ampere");
        public static readonly RdfIri Percent = new(OmNamespace + "percent");
        public static readonly RdfIri Lux = new(OmNamespace + "lux");
        public static readonly RdfIri Pascal = new(OmNamespace + "pascal");
        public static readonly RdfIri Hertz = new(OmNamespace + "hertz");
    }

    /// <summary>OWL-Time terms used to give instants and durations to SAREF4ENER temporal entities.</summary>
    public static class Time
    {
        public static readonly RdfIri InXsdDateTimeStamp = new(TimeNamespace + "inXSDDateTimeStamp");
        public static readonly RdfIri HasDurationDescription = new(TimeNamespace + "hasDurationDescription");
        public static readonly RdfIri XsdDateTimeStamp = new(RdfVocabulary.XsdNamespace + "dateTimeStamp");
    }

    /// <summary>FlexCoop's DER vocabulary (namespace <see cref="DerNamespace"/>): categories as subclasses of SAREF device classes, and location.</summary>
    public static class Der
    {
        public static readonly RdfIri HeatPump = new(DerNamespace + "HeatPump");
        public static readonly RdfIri HotWaterTank = new(DerNamespace + "HotWaterTank");
        public static readonly RdfIri EvCharger = new(DerNamespace + "EvCharger");
        public static readonly RdfIri PhotovoltaicSystem = new(DerNamespace + "PhotovoltaicSystem");
        public static readonly RdfIri Battery = new(DerNamespace + "Battery");
        public static readonly RdfIri Luminaire = new(DerNamespace + "Luminaire");
        public static readonly RdfIri SmartPlug = new(DerNamespace + "SmartPlug");
        public static readonly RdfIri Voltage = new(DerNamespace + "Voltage");
        public static readonly RdfIri Current = new(DerNamespace + "Current");
        public static readonly RdfIri StateOfCharge = new(DerNamespace + "StateOfCharge");
        public static readonly RdfIri Frequency = new(DerNamespace + "Frequency");
        public static readonly RdfIri IsLocatedIn = new(DerNamespace + "isLocatedIn");
        public static readonly RdfIri OpenAdrResourceId = new(DerNamespace + "openAdrResourceId");
        public static readonly RdfIri OpenAdrReportId = new(DerNamespace + "openAdrReportId");
    }
}
