using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;

namespace FlexCoop.Conformance.Tests;

/// <summary>OpenADR messages for replay scenarios, built with the typed model and written by the codec.</summary>
internal static class Messages
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    public static byte[] Bytes(OadrMessage m) => OadrCodec.SerializeToUtf8Bytes(m);

    public static OadrPoll Poll(string ven) => new() { VenId = ven, SchemaVersion = new SchemaVersion("2.0b") };

    public static OadrResponse Ok(string ven, string requestId = "") => new()
    {
        SchemaVersion = new SchemaVersion("2.0b"),
        EiResponse = new EiResponse { ResponseCode = ResponseCode.Ok, RequestId = requestId },
        VenId = ven,
    };

    public static OadrDistributeEvent Distribute(string requestId, params (string Id, uint Mod)[] events) => new()
    {
        SchemaVersion = new SchemaVersion("2.0b"),
        RequestId = requestId,
        VtnId = "vtn-1",
        Events = ValueList.From(events.Select(e => new OadrEvent
        {
            ResponseRequired = ResponseRequired.Always,
            EiEvent = new EiEvent
            {
                EventDescriptor = new EventDescriptor
                {
                    EventId = e.Id,
                    ModificationNumber = e.Mod,
                    MarketContext = "http://flexcoop.example/programs/peak",
                    CreatedDateTime = T0,
                    EventStatus = EventStatus.Far,
                },
                ActivePeriod = new ActivePeriod
                {
                    Properties = new CalendarProperties { DtStart = T0.AddHours(2), Duration = IsoDuration.Parse("PT1H") },
                },
                EventSignals = new EventSignals
                {
                    Signals =
                    [
                        new EventSignal
                        {
                            SignalName = SignalName.Simple,
                            SignalType = SignalType.Level,
                            SignalId = "sig-1",
                            Intervals =
                            [
                                new Interval
                                {
                                    Duration = IsoDuration.Parse("PT1H"),
                                    Uid = "0",
                                    Payloads = [new SignalPayload { Payload = PayloadFloat.Of(1) }],
                                },
                            ],
                        },
                    ],
                },
                Target = EiTarget.Empty,
            },
        })),
    };

    public static OadrCreatedEvent Created(string ven, string requestId, string eventId, uint mod) => new()
    {
        SchemaVersion = new SchemaVersion("2.0b"),
        EiResponse = new EiResponse { ResponseCode = ResponseCode.Ok, RequestId = "" },
        VenId = ven,
        EventResponses =
        [
            new EventResponse
            {
                ResponseCode = ResponseCode.Ok,
                RequestId = requestId,
                QualifiedEventId = new QualifiedEventId { EventId = eventId, ModificationNumber = mod },
                OptType = OptType.OptIn,
            },
        ],
    };

    public static OadrCreateReport CreateReport(string ven, string requestId, string reportRequestId, params string[] rids) => new()
    {
        SchemaVersion = new SchemaVersion("2.0b"),
        RequestId = requestId,
        VenId = ven,
        ReportRequests =
        [
            new OadrReportRequest
            {
                ReportRequestId = reportRequestId,
                ReportSpecifier = new ReportSpecifier
                {
                    ReportSpecifierId = "usage-spec",
                    Granularity = IsoDuration.Parse("PT15M"),
                    ReportBackDuration = IsoDuration.Parse("PT15M"),
                    SpecifierPayloads = ValueList.From(rids.Select(r => new SpecifierPayload { RId = r, ReadingType = new ReadingType("Direct Read") })),
                },
            },
        ],
    };

    public static OadrUpdateReport UpdateReport(string ven, string requestId, string reportRequestId, params string[] rids) => new()
    {
        SchemaVersion = new SchemaVersion("2.0b"),
        RequestId = requestId,
        VenId = ven,
        Reports =
        [
            new OadrReport
            {
                DtStart = T0,
                Duration = IsoDuration.Parse("PT15M"),
                Intervals = ValueList.From(rids.Select((r, i) => new Interval
                {
                    DtStart = T0,
                    Duration = IsoDuration.Parse("PT15M"),
                    Uid = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Payloads = [new OadrReportPayload { RId = r, Payload = PayloadFloat.Of(1.5f) }],
                })),
                ReportRequestId = reportRequestId,
                ReportSpecifierId = "usage-spec",
                ReportName = new ReportName("TELEMETRY_USAGE"),
                CreatedDateTime = T0,
            },
        ],
    };

    public static OadrUpdatedReport Updated(string ven, string requestId) => new()
    {
        SchemaVersion = new SchemaVersion("2.0b"),
        EiResponse = new EiResponse { ResponseCode = ResponseCode.Ok, RequestId = requestId },
        VenId = ven,
    };
}
