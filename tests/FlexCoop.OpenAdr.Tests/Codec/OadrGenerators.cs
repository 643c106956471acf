using CsCheck;
using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;

namespace FlexCoop.OpenAdr.Tests.Codec;

/// <summary>CsCheck generators of random schema-valid OpenADR 2.0b messages, one per payload type.</summary>
internal static class OadrGenerators
{
    // Text the schema's xs:string accepts: XML characters, including blanks, markup and non-ASCII.
    private static readonly Gen<string> Text = Gen.String[Gen.Char["abcxyzABC019 -_.:/&<>\"'\t\n\réü€日"], 0, 12];

    // Identifiers as real systems write them.
    private static readonly Gen<string> Id = Gen.String[Gen.Char["abcdefXYZ0123456789-_"], 1, 10];

    // A token without blanks (xs:token values must be collapsed already to survive a round trip).
    private static readonly Gen<string> Word = Gen.String[Gen.Char["abcdefghXYZ0123456789-_."], 1, 8];

    private static readonly Gen<string> Uri = Word.Select(w => "http://flexcoop.example/" + w);

    private static readonly Gen<string> XmlId = Gen.Guid.Select(g => "id-" + g.ToString("N"));

    private static readonly Gen<DateTimeOffset> Time =
        Gen.Long[DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks].Select(t => new DateTimeOffset(t, TimeSpan.Zero));

    private static readonly Gen<uint> UInt = Gen.UInt;

    private static readonly Gen<float> Float = Gen.Float;

    private static readonly Gen<IsoDuration> Duration =
        Gen.OneOf(
            Gen.Select(Gen.Int[0, 3], Gen.Int[0, 99], Gen.Bool, (shape, n, negative) =>
                IsoDuration.Parse((negative ? "-" : "") + shape switch
                {
                    0 => $"PT{n}M",
                    1 => $"P{n}D",
                    2 => $"PT{n}S",
                    _ => $"P{n}Y{n}M{n}DT{n}H{n}M{n}S",
                })),
            Gen.Int[1, 52].Select(n => IsoDuration.Parse($"{n}W")),
            Gen.Long[0, 10_000_000].Select(s => IsoDuration.FromTimeSpan(TimeSpan.FromSeconds(s))));

    private static Gen<ValueList<T>> List<T>(Gen<T> gen, int min, int max) => gen.Array[min, max].Select(a => ValueList.From(a));

    private static Gen<T> Token<T>(IReadOnlyList<T> known, Func<string, T> extension) =>
        Gen.OneOf(Gen.OneOfConst(known.ToArray()), Word.Select(w => extension("x-" + w)));

    private static readonly Gen<ResponseCode> Code = Gen.Int[0, 999].Select(ResponseCode.FromNumber);

    private static readonly Gen<SchemaVersion?> Version = Token(SchemaVersion.Known, v => new SchemaVersion(v)).Nullable();

    private static readonly Gen<EiResponse> Response =
        Gen.Select(Code, Text.Null(), Text, (c, d, r) => new EiResponse { ResponseCode = c, ResponseDescription = d, RequestId = r });

    private static readonly Gen<QualifiedEventId> Qualified =
        Gen.Select(Id, UInt, (id, mod) => new QualifiedEventId { EventId = id, ModificationNumber = mod });

    private static readonly Gen<GmlFeatureCollection> Feature =
        Gen.Select(XmlId.Null(), XmlId.Null(), List(Gen.Double, 0, 6),
            (id, pid, pos) => new GmlFeatureCollection { Id = id, PolygonId = pid, PositionList = pos });

    private static readonly Gen<EiTarget> Target =
        from a in List(Id, 0, 2)
        from b in List(Id, 0, 2)
        from c in List(Id, 0, 2)
        from d in List(Id, 0, 2)
        from areas in List(Feature, 0, 1)
        from e in List(Id, 0, 2)
        from locations in List(Feature, 0, 1)
        from ti in List(Gen.Select(Id, Id, (r, d) => new TransportInterface { PointOfReceipt = r, PointOfDelivery = d }), 0, 2)
        from g in List(Text, 0, 2)
        from h in List(Text, 0, 2)
        from i in List(Id, 0, 2)
        from j in List(Id, 0, 2)
        from k in List(Id, 0, 2)
        select new EiTarget
        {
            AggregatedPnodes = a,
            EndDeviceAssets = b,
            MeterAssets = c,
            Pnodes = d,
            ServiceAreas = areas,
            ServiceDeliveryPoints = e,
            ServiceLocations = locations,
            TransportInterfaces = ti,
            GroupIds = g,
            GroupNames = h,
            ResourceIds = i,
            VenIds = j,
            PartyIds = k,
        };

    private static readonly Gen<CalendarProperties> Properties =
        from start in Time
        from duration in Duration
        from tolerance in Duration.Nullable().Select(s => new Tolerance { StartAfter = s }).Null()
        from n in Duration.Nullable()
        from r in Duration.Nullable()
        from rec in Duration.Nullable()
        select new CalendarProperties { DtStart = start, Duration = duration, Tolerance = tolerance, Notification = n, RampUp = r, Recovery = rec };

    private static readonly Gen<SiScaleCode> Scale = Gen.Enum<SiScaleCode>();

    // At most 18 digits: what XSD requires every processor to support (libxml2 stops at 24).
    private static readonly Gen<decimal> Decimal =
        Gen.Select(Gen.Long[-999_999_999_999_999L, 999_999_999_999_999L], Gen.Byte[0, 6], (n, scale) => new decimal(n) / (decimal)Math.Pow(10, scale));

    private static readonly Gen<PowerAttributes> Attributes =
        Gen.Select(Decimal, Decimal, Gen.Bool, (h, v, ac) => new PowerAttributes { Hertz = h, Voltage = v, Ac = ac });

    private static readonly Gen<ItemBase> Item = Gen.OneOf<ItemBase>(
        Gen.Select(Gen.Enum<RealPowerUnit>(), Scale, Attributes, (u, s, a) => new PowerReal { Units = u, Scale = s, Attributes = a }),
        Gen.Select(Scale, Attributes, (s, a) => new PowerReactive { Scale = s, Attributes = a }),
        Gen.Select(Scale, Attributes, (s, a) => new PowerApparent { Scale = s, Attributes = a }),
        Scale.Select(s => new EnergyReal { Scale = s }),
        Scale.Select(s => new EnergyReactive { Scale = s }),
        Scale.Select(s => new EnergyApparent { Scale = s }),
        Scale.Select(s => new VoltageItem { Scale = s }),
        Scale.Select(s => new CurrentItem { Scale = s }),
        Scale.Select(s => new FrequencyItem { Scale = s }),
        Scale.Select(s => new ThermItem { Scale = s }),
        Gen.Select(Gen.Enum<TemperatureUnit>(), Scale, (u, s) => new TemperatureItem { Units = u, Scale = s }),
        Float.Select(f => new PulseCountItem { PulseFactor = f }),
        Gen.Select(Gen.Enum<CurrencyItemKind>(), Gen.Enum<CurrencyItemDescription>(), Gen.OneOfConst("EUR", "USD", "CHF", "JPY", "XXX"), Scale,
            (k, d, c, s) => new CurrencyItem { Kind = k, Description = d, Currency = c, Scale = s }),
        Gen.Select(Text, Text, Scale, (d, u, s) => new CustomUnit { ItemDescription = d, ItemUnits = u, Scale = s }));

    private static readonly Gen<LoadControlStateValue?> LoadValue =
        Gen.Select(Float.Nullable(), Float.Nullable(), Float, Float.Nullable(),
            (min, max, cur, normal) => new LoadControlStateValue { Min = min, Max = max, Current = cur, Normal = normal }).Null();

    private static readonly Gen<PayloadBase> Payload = Gen.OneOf<PayloadBase>(
        Float.Select(PayloadFloat.Of),
        from online in Gen.Bool
        from manual in Gen.Bool
        from state in Gen.Select(LoadValue, LoadValue, LoadValue, LoadValue,
            (c, l, p, s) => new OadrLoadControlState { Capacity = c, LevelOffset = l, PercentOffset = p, SetPoint = s }).Null()
        select new OadrPayloadResourceStatus { Online = online, ManualOverride = manual, LoadControlState = state });

    private static readonly Gen<StreamPayload> SignalPayloadGen = Payload.Select(p => (StreamPayload)new SignalPayload { Payload = p });

    private static readonly Gen<StreamPayload> ReportPayloadGen =
        from rid in Id
        from confidence in Gen.UInt[0, 100].Nullable()
        from accuracy in Float.Nullable()
        from payload in Payload
        from quality in Token(DataQuality.Known, v => new DataQuality(v)).Nullable()
        select (StreamPayload)new OadrReportPayload { RId = rid, Confidence = confidence, Accuracy = accuracy, Payload = payload, DataQuality = quality };

    private static Gen<Interval> IntervalOf(Gen<StreamPayload> payload) =>
        Gen.Select(Time.Nullable(), Duration.Nullable(), Text.Null(), List(payload, 1, 3),
            (start, duration, uid, payloads) => new Interval { DtStart = start, Duration = duration, Uid = uid, Payloads = payloads });

    private static readonly Gen<EventSignal> Signal =
        from intervals in List(IntervalOf(SignalPayloadGen), 1, 4)
        from target in Target.Null()
        from name in Token(SignalName.Known, v => new SignalName(v))
        from type in Gen.Enum<SignalType>()
        from id in Id
        from item in Item.Null()
        from current in Float.Nullable()
        select new EventSignal { Intervals = intervals, Target = target, SignalName = name, SignalType = type, SignalId = id, ItemBase = item, CurrentValue = current };

    private static readonly Gen<EventBaseline> Baseline =
        from start in Time
        from duration in Duration
        from intervals in List(IntervalOf(SignalPayloadGen), 1, 3)
        from id in Id
        from resources in List(Id, 0, 2)
        from name in Text
        from item in Item.Null()
        select new EventBaseline { DtStart = start, Duration = duration, Intervals = intervals, BaselineId = id, ResourceIds = resources, BaselineName = name, ItemBase = item };

    private static readonly Gen<EventDescriptor> Descriptor =
        from id in Id
        from mod in UInt
        from modTime in Time.Nullable()
        from reason in Text.Null()
        from priority in UInt.Nullable()
        from market in Uri
        from created in Time
        from status in Gen.Enum<EventStatus>()
        from test in Text.Null()
        from comment in Text.Null()
        select new EventDescriptor
        {
            EventId = id,
            ModificationNumber = mod,
            ModificationDateTime = modTime,
            ModificationReason = reason,
            Priority = priority,
            MarketContext = market,
            CreatedDateTime = created,
            EventStatus = status,
            TestEvent = test,
            VtnComment = comment,
        };

    private static readonly Gen<OadrEvent> Event =
        from descriptor in Descriptor
        from properties in Properties
        from nil in Gen.Bool
        from signals in List(Signal, 1, 3)
        from baseline in Baseline.Null()
        from target in Target
        from required in Gen.Enum<ResponseRequired>()
        select new OadrEvent
        {
            EiEvent = new EiEvent
            {
                EventDescriptor = descriptor,
                ActivePeriod = new ActivePeriod { Properties = properties, ComponentsNil = nil },
                EventSignals = new EventSignals { Signals = signals, Baseline = baseline },
                Target = target,
            },
            ResponseRequired = required,
        };

    private static readonly Gen<OadrReportDescription> Description =
        from rid in Id
        from subject in Target.Null()
        from source in Target.Null()
        from type in Token(ReportType.Known, v => new ReportType(v))
        from item in Item.Null()
        from reading in Token(ReadingType.Known, v => new ReadingType(v))
        from market in Uri.Null()
        from rate in Gen.Select(Duration, Duration, Gen.Bool, (min, max, c) => new OadrSamplingRate { MinPeriod = min, MaxPeriod = max, OnChange = c }).Null()
        select new OadrReportDescription
        {
            RId = rid,
            ReportSubject = subject,
            ReportDataSource = source,
            ReportType = type,
            ItemBase = item,
            ReadingType = reading,
            MarketContext = market,
            SamplingRate = rate,
        };

    private static readonly Gen<OadrReport> Report =
        from start in Time.Nullable()
        from duration in Duration.Nullable()
        from intervals in List(IntervalOf(ReportPayloadGen), 1, 3).Null()
        from reportId in Id.Null()
        from descriptions in List(Description, 0, 2)
        from requestId in Id
        from specifierId in Id
        from name in Token(ReportName.Known, v => new ReportName(v)).Nullable()
        from created in Time
        select new OadrReport
        {
            DtStart = start,
            Duration = duration,
            Intervals = intervals,
            EiReportId = reportId,
            Descriptions = descriptions,
            ReportRequestId = requestId,
            ReportSpecifierId = specifierId,
            ReportName = name,
            CreatedDateTime = created,
        };

    private static readonly Gen<OadrReportRequest> ReportRequest =
        from requestId in Id
        from specifierId in Id
        from granularity in Duration
        from back in Duration
        from interval in Properties.Null()
        from payloads in List(Gen.Select(Id, Item.Null(), Token(ReadingType.Known, v => new ReadingType(v)),
            (rid, item, reading) => new SpecifierPayload { RId = rid, ItemBase = item, ReadingType = reading }), 1, 3)
        select new OadrReportRequest
        {
            ReportRequestId = requestId,
            ReportSpecifier = new ReportSpecifier
            {
                ReportSpecifierId = specifierId,
                Granularity = granularity,
                ReportBackDuration = back,
                ReportInterval = interval,
                SpecifierPayloads = payloads,
            },
        };

    private static readonly Gen<OadrCancelReport> CancelReport =
        Gen.Select(Version, Id, List(Id, 1, 3), Gen.Bool, Id.Null(),
            (v, r, ids, follow, ven) => new OadrCancelReport { SchemaVersion = v, RequestId = r, ReportRequestIds = ids, ReportToFollow = follow, VenId = ven });

    private static Gen<ValueList<OadrInfo>> Infos(int min) =>
        List(Gen.Select(Text, Text, (k, v) => new OadrInfo { Key = k, Value = v }), min, 2);

    /// <summary>One generator per payload type, by element name.</summary>
    public static readonly IReadOnlyDictionary<string, Gen<OadrMessage>> ByType = new Dictionary<string, Gen<OadrMessage>>
    {
        ["oadrDistributeEvent"] = Gen.Select(Version, Response.Null(), Id, Id, List(Event, 0, 2),
            (v, resp, r, vtn, events) => (OadrMessage)new OadrDistributeEvent { SchemaVersion = v, EiResponse = resp, RequestId = r, VtnId = vtn, Events = events }),
        ["oadrCreatedEvent"] = Gen.Select(Version, Response,
            List(Gen.Select(Code, Text.Null(), Id, Qualified, Gen.Enum<OptType>(),
                (c, d, r, q, o) => new EventResponse { ResponseCode = c, ResponseDescription = d, RequestId = r, QualifiedEventId = q, OptType = o }), 0, 3).Null(),
            Id, (v, resp, list, ven) => (OadrMessage)new OadrCreatedEvent { SchemaVersion = v, EiResponse = resp, EventResponses = list, VenId = ven }),
        ["oadrRequestEvent"] = Gen.Select(Version, Id, Id, UInt.Nullable(),
            (v, r, ven, limit) => (OadrMessage)new OadrRequestEvent { SchemaVersion = v, RequestId = r, VenId = ven, ReplyLimit = limit }),
        ["oadrResponse"] = Gen.Select(Version, Response, Id.Null(), (v, resp, ven) => (OadrMessage)new OadrResponse { SchemaVersion = v, EiResponse = resp, VenId = ven }),
        ["oadrCancelOpt"] = Gen.Select(Version, Id, Id, Id, (v, r, o, ven) => (OadrMessage)new OadrCancelOpt { SchemaVersion = v, RequestId = r, OptId = o, VenId = ven }),
        ["oadrCanceledOpt"] = Gen.Select(Version, Response, Id.Null(), (v, resp, o) => (OadrMessage)new OadrCanceledOpt { SchemaVersion = v, EiResponse = resp, OptId = o }),
        ["oadrCreateOpt"] =
            from v in Version
            from optId in Id
            from type in Gen.Enum<OptType>()
            from reason in Token(OptReason.Known, x => new OptReason(x))
            from market in Uri.Null()
            from ven in Id
            from availability in List(Properties, 0, 2).Select(p => new Vavailability { Available = p }).Null()
            from created in Time
            from requestId in Id
            from qualified in Qualified.Null()
            from target in Target
            from deviceClass in Target.Null()
            select (OadrMessage)new OadrCreateOpt
            {
                SchemaVersion = v,
                OptId = optId,
                OptType = type,
                OptReason = reason,
                MarketContext = market,
                VenId = ven,
                Vavailability = availability,
                CreatedDateTime = created,
                RequestId = requestId,
                QualifiedEventId = qualified,
                Target = target,
                DeviceClass = deviceClass,
            },
        ["oadrCreatedOpt"] = Gen.Select(Version, Response, Id, (v, resp, o) => (OadrMessage)new OadrCreatedOpt { SchemaVersion = v, EiResponse = resp, OptId = o }),
        ["oadrCancelReport"] = CancelReport.Select(c => (OadrMessage)c),
        ["oadrCanceledReport"] = Gen.Select(Version, Response, List(Id, 0, 3), Id.Null(),
            (v, resp, pending, ven) => (OadrMessage)new OadrCanceledReport { SchemaVersion = v, EiResponse = resp, PendingReports = pending, VenId = ven }),
        ["oadrCreateReport"] = Gen.Select(Version, Id, List(ReportRequest, 1, 2), Id.Null(),
            (v, r, requests, ven) => (OadrMessage)new OadrCreateReport { SchemaVersion = v, RequestId = r, ReportRequests = requests, VenId = ven }),
        ["oadrCreatedReport"] = Gen.Select(Version, Response, List(Id, 0, 3), Id.Null(),
            (v, resp, pending, ven) => (OadrMessage)new OadrCreatedReport { SchemaVersion = v, EiResponse = resp, PendingReports = pending, VenId = ven }),
        ["oadrRegisterReport"] = Gen.Select(Version, Id, List(Report, 0, 2), Id.Null(), Id.Null(),
            (v, r, reports, ven, rr) => (OadrMessage)new OadrRegisterReport { SchemaVersion = v, RequestId = r, Reports = reports, VenId = ven, ReportRequestId = rr }),
        ["oadrRegisteredReport"] = Gen.Select(Version, Response, List(ReportRequest, 0, 2), Id.Null(),
            (v, resp, requests, ven) => (OadrMessage)new OadrRegisteredReport { SchemaVersion = v, EiResponse = resp, ReportRequests = requests, VenId = ven }),
        ["oadrUpdateReport"] = Gen.Select(Version, Id, List(Report, 0, 2), Id.Null(),
            (v, r, reports, ven) => (OadrMessage)new OadrUpdateReport { SchemaVersion = v, RequestId = r, Reports = reports, VenId = ven }),
        ["oadrUpdatedReport"] = Gen.Select(Version, Response, CancelReport.Null(), Id.Null(),
            (v, resp, cancel, ven) => (OadrMessage)new OadrUpdatedReport { SchemaVersion = v, EiResponse = resp, CancelReport = cancel, VenId = ven }),
        ["oadrCancelPartyRegistration"] = Gen.Select(Version, Id, Id, Id.Null(),
            (v, r, reg, ven) => (OadrMessage)new OadrCancelPartyRegistration { SchemaVersion = v, RequestId = r, RegistrationId = reg, VenId = ven }),
        ["oadrCanceledPartyRegistration"] = Gen.Select(Version, Response, Id.Null(), Id.Null(),
            (v, resp, reg, ven) => (OadrMessage)new OadrCanceledPartyRegistration { SchemaVersion = v, EiResponse = resp, RegistrationId = reg, VenId = ven }),
        ["oadrCreatePartyRegistration"] =
            from v in Version
            from r in Id
            from reg in Id.Null()
            from ven in Id.Null()
            from profile in Gen.Enum<OadrProfileName>()
            from transport in Gen.Enum<OadrTransportName>()
            from address in Text.Null()
            from reportOnly in Gen.Bool
            from signature in Gen.Bool
            from name in Text.Null()
            from pull in Gen.Bool.Nullable()
            select (OadrMessage)new OadrCreatePartyRegistration
            {
                SchemaVersion = v,
                RequestId = r,
                RegistrationId = reg,
                VenId = ven,
                ProfileName = profile,
                TransportName = transport,
                TransportAddress = address,
                ReportOnly = reportOnly,
                XmlSignature = signature,
                VenName = name,
                HttpPullModel = pull,
            },
        ["oadrCreatedPartyRegistration"] =
            from v in Version
            from resp in Response
            from reg in Id.Null()
            from ven in Id.Null()
            from vtn in Id
            from profiles in List(Gen.Select(Gen.Enum<OadrProfileName>(), List(Gen.Enum<OadrTransportName>(), 1, 2),
                (p, t) => new OadrProfile { ProfileName = p, Transports = t }), 1, 2)
            from poll in Duration.Nullable()
            from services in List(Gen.Select(Gen.Enum<OadrServiceName>(), Infos(1), (n, i) => new OadrService { ServiceName = n, Info = i }), 0, 2).Null()
            from extensions in List(Gen.Select(Text, Infos(0), (n, i) => new OadrExtension { Name = n, Info = i }), 0, 2).Null()
            select (OadrMessage)new OadrCreatedPartyRegistration
            {
                SchemaVersion = v,
                EiResponse = resp,
                RegistrationId = reg,
                VenId = ven,
                VtnId = vtn,
                Profiles = profiles,
                RequestedOadrPollFreq = poll,
                ServiceSpecificInfo = services,
                Extensions = extensions,
            },
        ["oadrRequestReregistration"] = Gen.Select(Version, Id, (v, ven) => (OadrMessage)new OadrRequestReregistration { SchemaVersion = v, VenId = ven }),
        ["oadrQueryRegistration"] = Gen.Select(Version, Id, (v, r) => (OadrMessage)new OadrQueryRegistration { SchemaVersion = v, RequestId = r }),
        ["oadrPoll"] = Gen.Select(Version, Id, (v, ven) => (OadrMessage)new OadrPoll { SchemaVersion = v, VenId = ven }),
    };

    /// <summary>Any of the 23 payloads.</summary>
    public static readonly Gen<OadrMessage> Message = Gen.OneOf(ByType.Values.ToArray());

    /// <summary>Serialiser options: envelope, signed-object id, indentation.</summary>
    public static readonly Gen<OadrSerializerOptions> Options =
        Gen.Select(Gen.Enum<OadrEnvelope>(), XmlId.Null(), Gen.Bool, (e, id, indent) => new OadrSerializerOptions
        {
            Envelope = e,
            SignedObjectId = e == OadrEnvelope.None ? null : id,
            Indent = indent,
        });
}
