namespace FlexCoop.OpenAdr.Model;

/// <summary>
/// <c>ei:signalName</c>: the name of an event signal. The schema's list is open (any <c>x-</c> token is allowed too), so this keeps
/// the raw text; the listed values are available as static properties.
/// </summary>
/// <param name="Value">The text on the wire.</param>
public readonly record struct SignalName(string Value)
{
    /// <summary><c>SIMPLE</c>.</summary>
    public static SignalName Simple => new("SIMPLE");

    /// <summary><c>simple</c>.</summary>
    public static SignalName SimpleLowerCase => new("simple");

    /// <summary><c>ELECTRICITY_PRICE</c>.</summary>
    public static SignalName ElectricityPrice => new("ELECTRICITY_PRICE");

    /// <summary><c>ENERGY_PRICE</c>.</summary>
    public static SignalName EnergyPrice => new("ENERGY_PRICE");

    /// <summary><c>DEMAND_CHARGE</c>.</summary>
    public static SignalName DemandCharge => new("DEMAND_CHARGE");

    /// <summary><c>BID_PRICE</c>.</summary>
    public static SignalName BidPrice => new("BID_PRICE");

    /// <summary><c>BID_LOAD</c>.</summary>
    public static SignalName BidLoad => new("BID_LOAD");

    /// <summary><c>BID_ENERGY</c>.</summary>
    public static SignalName BidEnergy => new("BID_ENERGY");

    /// <summary><c>CHARGE_STATE</c>.</summary>
    public static SignalName ChargeState => new("CHARGE_STATE");

    /// <summary><c>LOAD_DISPATCH</c>.</summary>
    public static SignalName LoadDispatch => new("LOAD_DISPATCH");

    /// <summary><c>LOAD_CONTROL</c>.</summary>
    public static SignalName LoadControl => new("LOAD_CONTROL");

    /// <summary>Every value the schema lists, in schema order.</summary>
    public static IReadOnlyList<SignalName> Known { get; } =
    [
        Simple,
        SimpleLowerCase,
        ElectricityPrice,
        EnergyPrice,
        DemandCharge,
        BidPrice,
        BidLoad,
        BidEnergy,
        ChargeState,
        LoadDispatch,
        LoadControl,
    ];

    /// <summary>True for a value the schema lists.</summary>
    public bool IsKnown => Value is not null && Internal.OadrTokens.Contains(Known, this);

    /// <summary>True for an extension value: <c>x-</c> followed by a non-blank character.</summary>
    public bool IsExtension => Internal.OadrTokens.IsExtension(Value);

    /// <summary>True when the schema admits the value (listed or extension).</summary>
    public bool IsValid => IsKnown || IsExtension;

    public override string ToString() => Value ?? "";
}

/// <summary>
/// <c>ei:optReason</c>: why a VEN opts in or out. The schema's list is open (any <c>x-</c> token is allowed too), so this keeps
/// the raw text; the listed values are available as static properties.
/// </summary>
/// <param name="Value">The text on the wire.</param>
public readonly record struct OptReason(string Value)
{
    /// <summary><c>economic</c>.</summary>
    public static OptReason Economic => new("economic");

    /// <summary><c>emergency</c>.</summary>
    public static OptReason Emergency => new("emergency");

    /// <summary><c>mustRun</c>.</summary>
    public static OptReason MustRun => new("mustRun");

    /// <summary><c>notParticipating</c>.</summary>
    public static OptReason NotParticipating => new("notParticipating");

    /// <summary><c>outageRunStatus</c>.</summary>
    public static OptReason OutageRunStatus => new("outageRunStatus");

    /// <summary><c>overrideStatus</c>.</summary>
    public static OptReason OverrideStatus => new("overrideStatus");

    /// <summary><c>participating</c>.</summary>
    public static OptReason Participating => new("participating");

    /// <summary><c>x-schedule</c>.</summary>
    public static OptReason XSchedule => new("x-schedule");

    /// <summary>Every value the schema lists, in schema order.</summary>
    public static IReadOnlyList<OptReason> Known { get; } =
    [
        Economic,
        Emergency,
        MustRun,
        NotParticipating,
        OutageRunStatus,
        OverrideStatus,
        Participating,
        XSchedule,
    ];

    /// <summary>True for a value the schema lists.</summary>
    public bool IsKnown => Value is not null && Internal.OadrTokens.Contains(Known, this);

    /// <summary>True for an extension value: <c>x-</c> followed by a non-blank character.</summary>
    public bool IsExtension => Internal.OadrTokens.IsExtension(Value);

    /// <summary>True when the schema admits the value (listed or extension).</summary>
    public bool IsValid => IsKnown || IsExtension;

    public override string ToString() => Value ?? "";
}

/// <summary>
/// <c>ei:reportName</c>: the name of a report. The schema's list is open (any <c>x-</c> token is allowed too), so this keeps
/// the raw text; the listed values are available as static properties.
/// </summary>
/// <param name="Value">The text on the wire.</param>
public readonly record struct ReportName(string Value)
{
    /// <summary><c>METADATA_HISTORY_USAGE</c>.</summary>
    public static ReportName MetadataHistoryUsage => new("METADATA_HISTORY_USAGE");

    /// <summary><c>HISTORY_USAGE</c>.</summary>
    public static ReportName HistoryUsage => new("HISTORY_USAGE");

    /// <summary><c>METADATA_HISTORY_GREENBUTTON</c>.</summary>
    public static ReportName MetadataHistoryGreenButton => new("METADATA_HISTORY_GREENBUTTON");

    /// <summary><c>HISTORY_GREENBUTTON</c>.</summary>
    public static ReportName HistoryGreenButton => new("HISTORY_GREENBUTTON");

    /// <summary><c>METADATA_TELEMETRY_USAGE</c>.</summary>
    public static ReportName MetadataTelemetryUsage => new("METADATA_TELEMETRY_USAGE");

    /// <summary><c>TELEMETRY_USAGE</c>.</summary>
    public static ReportName TelemetryUsage => new("TELEMETRY_USAGE");

    /// <summary><c>METADATA_TELEMETRY_STATUS</c>.</summary>
    public static ReportName MetadataTelemetryStatus => new("METADATA_TELEMETRY_STATUS");

    /// <summary><c>TELEMETRY_STATUS</c>.</summary>
    public static ReportName TelemetryStatus => new("TELEMETRY_STATUS");

    /// <summary>Every value the schema lists, in schema order.</summary>
    public static IReadOnlyList<ReportName> Known { get; } =
    [
        MetadataHistoryUsage,
        HistoryUsage,
        MetadataHistoryGreenButton,
        HistoryGreenButton,
        MetadataTelemetryUsage,
        TelemetryUsage,
        MetadataTelemetryStatus,
        TelemetryStatus,
    ];

    /// <summary>True for a value the schema lists.</summary>
    public bool IsKnown => Value is not null && Internal.OadrTokens.Contains(Known, this);

    /// <summary>True for an extension value: <c>x-</c> followed by a non-blank character.</summary>
    public bool IsExtension => Internal.OadrTokens.IsExtension(Value);

    /// <summary>True when the schema admits the value (listed or extension).</summary>
    public bool IsValid => IsKnown || IsExtension;

    public override string ToString() => Value ?? "";
}

/// <summary>
/// <c>ei:reportType</c>: what a report data point measures. The schema's list is open (any <c>x-</c> token is allowed too), so this keeps
/// the raw text; the listed values are available as static properties.
/// </summary>
/// <param name="Value">The text on the wire.</param>
public readonly record struct ReportType(string Value)
{
    /// <summary><c>reading</c>.</summary>
    public static ReportType Reading => new("reading");

    /// <summary><c>usage</c>.</summary>
    public static ReportType Usage => new("usage");

    /// <summary><c>demand</c>.</summary>
    public static ReportType Demand => new("demand");

    /// <summary><c>setPoint</c>.</summary>
    public static ReportType SetPoint => new("setPoint");

    /// <summary><c>deltaUsage</c>.</summary>
    public static ReportType DeltaUsage => new("deltaUsage");

    /// <summary><c>deltaSetPoint</c>.</summary>
    public static ReportType DeltaSetPoint => new("deltaSetPoint");

    /// <summary><c>deltaDemand</c>.</summary>
    public static ReportType DeltaDemand => new("deltaDemand");

    /// <summary><c>baseline</c>.</summary>
    public static ReportType Baseline => new("baseline");

    /// <summary><c>deviation</c>.</summary>
    public static ReportType Deviation => new("deviation");

    /// <summary><c>avgUsage</c>.</summary>
    public static ReportType AvgUsage => new("avgUsage");

    /// <summary><c>avgDemand</c>.</summary>
    public static ReportType AvgDemand => new("avgDemand");

    /// <summary><c>operatingState</c>.</summary>
    public static ReportType OperatingState => new("operatingState");

    /// <summary><c>upRegulationCapacityAvailable</c>.</summary>
    public static ReportType UpRegulationCapacityAvailable => new("upRegulationCapacityAvailable");

    /// <summary><c>downRegulationCapacityAvailable</c>.</summary>
    public static ReportType DownRegulationCapacityAvailable => new("downRegulationCapacityAvailable");

    /// <summary><c>regulationSetpoint</c>.</summary>
    public static ReportType RegulationSetpoint => new("regulationSetpoint");

    /// <summary><c>storedEnergy</c>.</summary>
    public static ReportType StoredEnergy => new("storedEnergy");

    /// <summary><c>targetEnergyStorage</c>.</summary>
    public static ReportType TargetEnergyStorage => new("targetEnergyStorage");

    /// <summary><c>availableEnergyStorage</c>.</summary>
    public static ReportType AvailableEnergyStorage => new("availableEnergyStorage");

    /// <summary><c>price</c>.</summary>
    public static ReportType Price => new("price");

    /// <summary><c>level</c>.</summary>
    public static ReportType Level => new("level");

    /// <summary><c>powerFactor</c>.</summary>
    public static ReportType PowerFactor => new("powerFactor");

    /// <summary><c>percentUsage</c>.</summary>
    public static ReportType PercentUsage => new("percentUsage");

    /// <summary><c>percentDemand</c>.</summary>
    public static ReportType PercentDemand => new("percentDemand");

    /// <summary><c>x-resourceStatus</c>.</summary>
    public static ReportType XResourceStatus => new("x-resourceStatus");

    /// <summary>Every value the schema lists, in schema order.</summary>
    public static IReadOnlyList<ReportType> Known { get; } =
    [
        Reading,
        Usage,
        Demand,
        SetPoint,
        DeltaUsage,
        DeltaSetPoint,
        DeltaDemand,
        Baseline,
        Deviation,
        AvgUsage,
        AvgDemand,
        OperatingState,
        UpRegulationCapacityAvailable,
        DownRegulationCapacityAvailable,
        RegulationSetpoint,
        StoredEnergy,
        TargetEnergyStorage,
        AvailableEnergyStorage,
        Price,
        Level,
        PowerFactor,
        PercentUsage,
        PercentDemand,
        XResourceStatus,
    ];

    /// <summary>True for a value the schema lists.</summary>
    public bool IsKnown => Value is not null && Internal.OadrTokens.Contains(Known, this);

    /// <summary>True for an extension value: <c>x-</c> followed by a non-blank character.</summary>
    public bool IsExtension => Internal.OadrTokens.IsExtension(Value);

    /// <summary>True when the schema admits the value (listed or extension).</summary>
    public bool IsValid => IsKnown || IsExtension;

    public override string ToString() => Value ?? "";
}

/// <summary>
/// <c>ei:readingType</c>: how a report value was obtained. The schema's list is open (any <c>x-</c> token is allowed too), so this keeps
/// the raw text; the listed values are available as static properties.
/// </summary>
/// <param name="Value">The text on the wire.</param>
public readonly record struct ReadingType(string Value)
{
    /// <summary><c>Direct Read</c>.</summary>
    public static ReadingType DirectRead => new("Direct Read");

    /// <summary><c>Net</c>.</summary>
    public static ReadingType Net => new("Net");

    /// <summary><c>Allocated</c>.</summary>
    public static ReadingType Allocated => new("Allocated");

    /// <summary><c>Estimated</c>.</summary>
    public static ReadingType Estimated => new("Estimated");

    /// <summary><c>Summed</c>.</summary>
    public static ReadingType Summed => new("Summed");

    /// <summary><c>Derived</c>.</summary>
    public static ReadingType Derived => new("Derived");

    /// <summary><c>Mean</c>.</summary>
    public static ReadingType Mean => new("Mean");

    /// <summary><c>Peak</c>.</summary>
    public static ReadingType Peak => new("Peak");

    /// <summary><c>Hybrid</c>.</summary>
    public static ReadingType Hybrid => new("Hybrid");

    /// <summary><c>Contract</c>.</summary>
    public static ReadingType Contract => new("Contract");

    /// <summary><c>Projected</c>.</summary>
    public static ReadingType Projected => new("Projected");

    /// <summary><c>x-RMS</c>.</summary>
    public static ReadingType XRms => new("x-RMS");

    /// <summary><c>x-notApplicable</c>.</summary>
    public static ReadingType XNotApplicable => new("x-notApplicable");

    /// <summary>Every value the schema lists, in schema order.</summary>
    public static IReadOnlyList<ReadingType> Known { get; } =
    [
        DirectRead,
        Net,
        Allocated,
        Estimated,
        Summed,
        Derived,
        Mean,
        Peak,
        Hybrid,
        Contract,
        Projected,
        XRms,
        XNotApplicable,
    ];

    /// <summary>True for a value the schema lists.</summary>
    public bool IsKnown => Value is not null && Internal.OadrTokens.Contains(Known, this);

    /// <summary>True for an extension value: <c>x-</c> followed by a non-blank character.</summary>
    public bool IsExtension => Internal.OadrTokens.IsExtension(Value);

    /// <summary>True when the schema admits the value (listed or extension).</summary>
    public bool IsValid => IsKnown || IsExtension;

    public override string ToString() => Value ?? "";
}

/// <summary>
/// <c>oadr:oadrDataQuality</c>: the quality of a report value. The schema's list is open (any <c>x-</c> token is allowed too), so this keeps
/// the raw text; the listed values are available as static properties.
/// </summary>
/// <param name="Value">The text on the wire.</param>
public readonly record struct DataQuality(string Value)
{
    /// <summary><c>No Quality - No Value</c>.</summary>
    public static DataQuality NoQualityNoValue => new("No Quality - No Value");

    /// <summary><c>No New Value - Previous Value Used</c>.</summary>
    public static DataQuality NoNewValuePreviousValueUsed => new("No New Value - Previous Value Used");

    /// <summary><c>Quality Bad - Non Specific</c>.</summary>
    public static DataQuality QualityBadNonSpecific => new("Quality Bad - Non Specific");

    /// <summary><c>Quality Bad - Configuration Error</c>.</summary>
    public static DataQuality QualityBadConfigurationError => new("Quality Bad - Configuration Error");

    /// <summary><c>Quality Bad - Not Connected</c>.</summary>
    public static DataQuality QualityBadNotConnected => new("Quality Bad - Not Connected");

    /// <summary><c>Quality Bad - Device Failure</c>.</summary>
    public static DataQuality QualityBadDeviceFailure => new("Quality Bad - Device Failure");

    /// <summary><c>Quality Bad - Sensor Failure</c>.</summary>
    public static DataQuality QualityBadSensorFailure => new("Quality Bad - Sensor Failure");

    /// <summary><c>Quality Bad - Last Known Value</c>.</summary>
    public static DataQuality QualityBadLastKnownValue => new("Quality Bad - Last Known Value");

    /// <summary><c>Quality Bad - Comm Failure</c>.</summary>
    public static DataQuality QualityBadCommFailure => new("Quality Bad - Comm Failure");

    /// <summary><c>Quality Bad - Out of Service</c>.</summary>
    public static DataQuality QualityBadOutOfService => new("Quality Bad - Out of Service");

    /// <summary><c>Quality Uncertain - Non Specific</c>.</summary>
    public static DataQuality QualityUncertainNonSpecific => new("Quality Uncertain - Non Specific");

    /// <summary><c>Quality Uncertain - Last Usable Value</c>.</summary>
    public static DataQuality QualityUncertainLastUsableValue => new("Quality Uncertain - Last Usable Value");

    /// <summary><c>Quality Uncertain - Sensor Not Accurate</c>.</summary>
    public static DataQuality QualityUncertainSensorNotAccurate => new("Quality Uncertain - Sensor Not Accurate");

    /// <summary><c>Quality Uncertain - EU Units Exceeded</c>.</summary>
    public static DataQuality QualityUncertainEUUnitsExceeded => new("Quality Uncertain - EU Units Exceeded");

    /// <summary><c>Quality Uncertain - Sub Normal</c>.</summary>
    public static DataQuality QualityUncertainSubNormal => new("Quality Uncertain - Sub Normal");

    /// <summary><c>Quality Good - Non Specific</c>.</summary>
    public static DataQuality QualityGoodNonSpecific => new("Quality Good - Non Specific");

    /// <summary><c>Quality Good - Local Override</c>.</summary>
    public static DataQuality QualityGoodLocalOverride => new("Quality Good - Local Override");

    /// <summary><c>Quality Limit - Field/Not</c>.</summary>
    public static DataQuality QualityLimitFieldNot => new("Quality Limit - Field/Not");

    /// <summary><c>Quality Limit - Field/Low</c>.</summary>
    public static DataQuality QualityLimitFieldLow => new("Quality Limit - Field/Low");

    /// <summary><c>Quality Limit - Field/High</c>.</summary>
    public static DataQuality QualityLimitFieldHigh => new("Quality Limit - Field/High");

    /// <summary><c>Quality Limit - Field/Constant</c>.</summary>
    public static DataQuality QualityLimitFieldConstant => new("Quality Limit - Field/Constant");

    /// <summary>Every value the schema lists, in schema order.</summary>
    public static IReadOnlyList<DataQuality> Known { get; } =
    [
        NoQualityNoValue,
        NoNewValuePreviousValueUsed,
        QualityBadNonSpecific,
        QualityBadConfigurationError,
        QualityBadNotConnected,
        QualityBadDeviceFailure,
        QualityBadSensorFailure,
        QualityBadLastKnownValue,
        QualityBadCommFailure,
        QualityBadOutOfService,
        QualityUncertainNonSpecific,
        QualityUncertainLastUsableValue,
        QualityUncertainSensorNotAccurate,
        QualityUncertainEUUnitsExceeded,
        QualityUncertainSubNormal,
        QualityGoodNonSpecific,
        QualityGoodLocalOverride,
        QualityLimitFieldNot,
        QualityLimitFieldLow,
        QualityLimitFieldHigh,
        QualityLimitFieldConstant,
    ];

    /// <summary>True for a value the schema lists.</summary>
    public bool IsKnown => Value is not null && Internal.OadrTokens.Contains(Known, this);

    /// <summary>True for an extension value: <c>x-</c> followed by a non-blank character.</summary>
    public bool IsExtension => Internal.OadrTokens.IsExtension(Value);

    /// <summary>True when the schema admits the value (listed or extension).</summary>
    public bool IsValid => IsKnown || IsExtension;

    public override string ToString() => Value ?? "";
}

/// <summary>
/// <c>ei:schemaVersion</c>: the schema version a payload declares. The schema's list is open (any <c>x-</c> token is allowed too), so this keeps
/// the raw text; the listed values are available as static properties.
/// </summary>
/// <param name="Value">The text on the wire.</param>
public readonly record struct SchemaVersion(string Value)
{
    /// <summary><c>2.0a</c>.</summary>
    public static SchemaVersion V20a => new("2.0a");

    /// <summary><c>2.0b</c>.</summary>
    public static SchemaVersion V20b => new("2.0b");

    /// <summary>Every value the schema lists, in schema order.</summary>
    public static IReadOnlyList<SchemaVersion> Known { get; } =
    [
        V20a,
        V20b,
    ];

    /// <summary>True for a value the schema lists.</summary>
    public bool IsKnown => Value is not null && Internal.OadrTokens.Contains(Known, this);

    /// <summary>True for an extension value: <c>x-</c> followed by a non-blank character.</summary>
    public bool IsExtension => Internal.OadrTokens.IsExtension(Value);

    /// <summary>True when the schema admits the value (listed or extension).</summary>
    public bool IsValid => IsKnown || IsExtension;

    public override string ToString() => Value ?? "";
}
