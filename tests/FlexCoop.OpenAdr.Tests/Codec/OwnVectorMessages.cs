using FlexCoop.OpenAdr.Model;

namespace FlexCoop.OpenAdr.Tests.Codec;

/// <summary>
/// The messages behind our own vectors (vectors/openadr20b/*.xml), described in code: the files are their
/// canonical serialisation, checked by <see cref="OwnVectorTests"/>.
/// </summary>
internal static class OwnVectorMessages
{
    public static readonly IReadOnlyDictionary<string, OadrMessage> All = new Dictionary<string, OadrMessage>
    {
        ["distribute-two-events.xml"] = DistributeTwoEvents(),
        ["update-report-telemetry.xml"] = UpdateReportTelemetry(),
        ["register-report-metadata.xml"] = RegisterReportMetadata(),
        ["created-event-opt-in.xml"] = CreatedEventOptIn(),
    };

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    private static IsoDuration D(string text) => IsoDuration.Parse(text);

    private static ValueList<Interval> SignalIntervals(string duration, params float[] values) =>
        ValueList.From(values.Select((v, i) => new Interval
        {
            Duration = D(duration),
            Uid = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Payloads = [new SignalPayload { Payload = PayloadFloat.Of(v) }],
        }));

    public static OadrDistributeEvent DistributeTwoEvents() => new()
    {
        SchemaVersion = SchemaVersion.V20b,
        EiResponse = new EiResponse { ResponseCode = ResponseCode.Ok, ResponseDescription = "OK", RequestId = "" },
        RequestId = "DIST-2026-12-01-001",
        VtnId = "FLEXCOOP-VTN",
        Events =
        [
            new OadrEvent
            {
                EiEvent = new EiEvent
                {
                    EventDescriptor = new EventDescriptor
                    {
                        EventId = "EVT-1",
                        ModificationNumber = 0,
                        Priority = 1,
                        MarketContext = "http://flexcoop.example/programs/winter-peak",
                        CreatedDateTime = Utc(11, 30, 9),
                        EventStatus = EventStatus.Far,
                        TestEvent = "false",
                        VtnComment = "Evening peak shaving, level signal with baseline",
                    },
                    ActivePeriod = new ActivePeriod
                    {
                        Properties = new CalendarProperties
                        {
                            DtStart = Utc(12, 1, 17),
                            Duration = D("PT2H"),
                            Tolerance = new Tolerance { StartAfter = D("PT5M") },
                            Notification = D("P1D"),
                            RampUp = D("PT15M"),
                            Recovery = D("PT15M"),
                        },
                    },
                    EventSignals = new EventSignals
                    {
                        Signals =
                        [
                            new EventSignal
                            {
                                Intervals = SignalIntervals("PT30M", 1, 2, 3, 1),
                                SignalName = SignalName.Simple,
                                SignalType = SignalType.Level,
                                SignalId = "SIG-1-LEVEL",
                                CurrentValue = 0,
                            },
                        ],
                        Baseline = new EventBaseline
                        {
                            DtStart = Utc(12, 1, 17),
                            Duration = D("PT2H"),
                            Intervals = SignalIntervals("PT30M", 4.2f, 4.8f, 5.1f, 4.4f),
                            BaselineId = "BL-EVT-1",
                            ResourceIds = ["heat-pump-12", "boiler-7"],
                            BaselineName = "10-of-10 weekday baseline",
                            ItemBase = new PowerReal
                            {
                                Units = RealPowerUnit.Watt,
                                Scale = SiScaleCode.Kilo,
                                Attributes = new PowerAttributes { Hertz = 50, Voltage = 230, Ac = true },
                            },
                        },
                    },
                    Target = new EiTarget { GroupIds = ["district-north"], VenIds = ["VEN-OSB-0001", "VEN-OSB-0002"] },
                },
                ResponseRequired = ResponseRequired.Always,
            },
            new OadrEvent
            {
                EiEvent = new EiEvent
                {
                    EventDescriptor = new EventDescriptor
                    {
                        EventId = "EVT-2",
                        ModificationNumber = 2,
                        ModificationDateTime = Utc(11, 30, 10, 15),
                        ModificationReason = "price update",
                        MarketContext = "http://flexcoop.example/programs/dynamic-tariff",
                        CreatedDateTime = Utc(11, 29, 18),
                        EventStatus = EventStatus.Near,
                    },
                    ActivePeriod = new ActivePeriod
                    {
                        Properties = new CalendarProperties { DtStart = Utc(12, 1, 6), Duration = D("PT6H") },
                        ComponentsNil = true,
                    },
                    EventSignals = new EventSignals
                    {
                        Signals =
                        [
                            new EventSignal
                            {
                                Intervals = SignalIntervals("PT1H", 0.21f, 0.24f, 0.31f, 0.29f, 0.22f, 0.19f),
                                Target = new EiTarget { ResourceIds = ["ev-charger-3"] },
                                SignalName = SignalName.ElectricityPrice,
                                SignalType = SignalType.Price,
                                SignalId = "SIG-2-PRICE",
                                ItemBase = new CurrencyItem
                                {
                                    Kind = CurrencyItemKind.CurrencyPerKWh,
                                    Description = CurrencyItemDescription.CurrencyPerKWh,
                                    Currency = "EUR",
                                    Scale = SiScaleCode.None,
                                },
                                CurrentValue = 0.21f,
                            },
                        ],
                    },
                    Target = new EiTarget
                    {
                        ServiceAreas =
                        [
                            new GmlFeatureCollection
                            {
                                Id = "area-north",
                                PolygonId = "area-north-polygon",
                                PositionList = [52.37, 4.89, 52.38, 4.91, 52.36, 4.92, 52.37, 4.89],
                            },
                        ],
                        PartyIds = ["coop-member-42"],
                    },
                },
                ResponseRequired = ResponseRequired.Never,
            },
        ],
    };

    public static OadrUpdateReport UpdateReportTelemetry() => new()
    {
        SchemaVersion = SchemaVersion.V20b,
        RequestId = "UPD-0001",
        Reports =
        [
            new OadrReport
            {
                DtStart = Utc(12, 1, 17),
                Duration = D("PT1H"),
                Intervals = ValueList.From(Enumerable.Range(0, 4).Select(i => new Interval
                {
                    DtStart = Utc(12, 1, 17, i * 15),
                    Duration = D("PT15M"),
                    Uid = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Payloads =
                    [
                        new OadrReportPayload
                        {
                            RId = "power-real",
                            Confidence = 95,
                            Accuracy = 0.5f,
                            Payload = PayloadFloat.Of(3.25f + i),
                            DataQuality = DataQuality.QualityGoodNonSpecific,
                        },
                        new OadrReportPayload
                        {
                            RId = "status",
                            Payload = new OadrPayloadResourceStatus
                            {
                                Online = true,
                                ManualOverride = i == 3,
                                LoadControlState = new OadrLoadControlState
                                {
                                    LevelOffset = new LoadControlStateValue { Min = -2, Max = 2, Current = i % 3, Normal = 0 },
                                    SetPoint = new LoadControlStateValue { Current = 20.5f },
                                },
                            },
                        },
                    ],
                })),
                EiReportId = "RPT-TELEMETRY-1",
                ReportRequestId = "RR-17",
                ReportSpecifierId = "TELEMETRY-OSB-0001",
                ReportName = ReportName.TelemetryUsage,
                CreatedDateTime = Utc(12, 1, 18, 0),
            },
        ],
        VenId = "VEN-OSB-0001",
    };

    private static PowerAttributes Grid => new() { Hertz = 50, Voltage = 230, Ac = true };

    private static OadrReportDescription Description(string rid, ReportType type, ItemBase? item, ReadingType reading) => new()
    {
        RId = rid,
        ReportDataSource = new EiTarget { ResourceIds = ["osb-0001-" + rid] },
        ReportType = type,
        ItemBase = item,
        ReadingType = reading,
        MarketContext = "http://flexcoop.example/programs/winter-peak",
        SamplingRate = new OadrSamplingRate { MinPeriod = D("PT1M"), MaxPeriod = D("PT15M"), OnChange = false },
    };

    public static OadrRegisterReport RegisterReportMetadata() => new()
    {
        SchemaVersion = SchemaVersion.V20b,
        RequestId = "REG-RPT-0001",
        Reports =
        [
            new OadrReport
            {
                Duration = D("PT1H"),
                Descriptions =
                [
                    Description("power-real", ReportType.Usage, new PowerReal { Scale = SiScaleCode.Kilo, Attributes = Grid }, ReadingType.DirectRead),
                    Description("power-reactive", ReportType.Usage, new PowerReactive { Scale = SiScaleCode.Kilo, Attributes = Grid }, ReadingType.DirectRead),
                    Description("power-apparent", ReportType.Usage, new PowerApparent { Scale = SiScaleCode.Kilo, Attributes = Grid }, ReadingType.DirectRead),
                    Description("energy-real", ReportType.Usage, new EnergyReal { Scale = SiScaleCode.Kilo }, ReadingType.Net),
                    Description("energy-reactive", ReportType.Usage, new EnergyReactive { Scale = SiScaleCode.Kilo }, ReadingType.Net),
                    Description("energy-apparent", ReportType.Usage, new EnergyApparent { Scale = SiScaleCode.Kilo }, ReadingType.Net),
                    Description("voltage", ReportType.Reading, new VoltageItem { Scale = SiScaleCode.None }, ReadingType.XRms),
                    Description("current", ReportType.Reading, new CurrentItem { Scale = SiScaleCode.None }, ReadingType.XRms),
                    Description("frequency", ReportType.Reading, new FrequencyItem { Scale = SiScaleCode.None }, ReadingType.DirectRead),
                    Description("indoor-temperature", ReportType.Reading, new TemperatureItem { Units = TemperatureUnit.Celsius, Scale = SiScaleCode.None }, ReadingType.DirectRead),
                    Description("gas", ReportType.Usage, new ThermItem { Scale = SiScaleCode.None }, ReadingType.Summed),
                    Description("meter-pulses", ReportType.Usage, new PulseCountItem { PulseFactor = 1000 }, ReadingType.DirectRead),
                    Description("tariff", ReportType.Price, new CurrencyItem { Kind = CurrencyItemKind.CurrencyPerKWh, Description = CurrencyItemDescription.CurrencyPerKWh, Currency = "EUR", Scale = SiScaleCode.None }, ReadingType.Contract),
                    Description("battery-soc", new ReportType("x-stateOfCharge"), new CustomUnit { ItemDescription = "state of charge", ItemUnits = "%", Scale = SiScaleCode.None }, ReadingType.Derived),
                ],
                ReportRequestId = "0",
                ReportSpecifierId = "TELEMETRY-OSB-0001",
                ReportName = ReportName.MetadataTelemetryUsage,
                CreatedDateTime = Utc(11, 30, 8),
            },
            new OadrReport
            {
                Duration = D("PT1H"),
                Descriptions =
                [
                    new OadrReportDescription
                    {
                        RId = "status",
                        ReportSubject = new EiTarget { EndDeviceAssets = ["heat-pump"] },
                        ReportDataSource = new EiTarget { ResourceIds = ["heat-pump-12"] },
                        ReportType = ReportType.XResourceStatus,
                        ReadingType = ReadingType.XNotApplicable,
                        SamplingRate = new OadrSamplingRate { MinPeriod = D("PT1M"), MaxPeriod = D("PT1H"), OnChange = true },
                    },
                ],
                ReportRequestId = "0",
                ReportSpecifierId = "STATUS-OSB-0001",
                ReportName = ReportName.MetadataTelemetryStatus,
                CreatedDateTime = Utc(11, 30, 8),
            },
        ],
        VenId = "VEN-OSB-0001",
    };

    public static OadrCreatedEvent CreatedEventOptIn() => new()
    {
        SchemaVersion = SchemaVersion.V20b,
        EiResponse = new EiResponse { ResponseCode = ResponseCode.Ok, ResponseDescription = "OK", RequestId = "DIST-2026-12-01-001" },
        EventResponses =
        [
            new EventResponse
            {
                ResponseCode = ResponseCode.Ok,
                RequestId = "DIST-2026-12-01-001",
                QualifiedEventId = new QualifiedEventId { EventId = "EVT-1", ModificationNumber = 0 },
                OptType = OptType.OptIn,
            },
        ],
        VenId = "VEN-OSB-0001",
    };
}
