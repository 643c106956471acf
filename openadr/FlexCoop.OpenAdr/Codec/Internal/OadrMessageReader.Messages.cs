using FlexCoop.OpenAdr.Model;

namespace FlexCoop.OpenAdr.Codec.Internal;

// The 23 payloads and their own nested types.
internal sealed partial class OadrMessageReader
{
    /// <summary>Reads the payload at the current node, or returns null when it is not one of the 23.</summary>
    private OadrMessage? TryReadMessage()
    {
        if (_atEmpty || _r.NodeType != System.Xml.XmlNodeType.Element || !ReferenceEquals(_r.NamespaceURI, Ns.Oadr)) return null;
        var name = _r.LocalName;
        if (ReferenceEquals(name, "oadrDistributeEvent")) return ReadDistributeEvent();
        if (ReferenceEquals(name, "oadrUpdateReport")) return ReadUpdateReport();
        if (ReferenceEquals(name, "oadrPoll")) return ReadPoll();
        if (ReferenceEquals(name, "oadrResponse")) return ReadResponse();
        if (ReferenceEquals(name, "oadrCreatedEvent")) return ReadCreatedEvent();
        if (ReferenceEquals(name, "oadrRequestEvent")) return ReadRequestEvent();
        if (ReferenceEquals(name, "oadrRegisterReport")) return ReadRegisterReport();
        if (ReferenceEquals(name, "oadrRegisteredReport")) return ReadRegisteredReport();
        if (ReferenceEquals(name, "oadrCreateReport")) return ReadCreateReport();
        if (ReferenceEquals(name, "oadrCreatedReport")) return ReadCreatedReport();
        if (ReferenceEquals(name, "oadrUpdatedReport")) return ReadUpdatedReport();
        if (ReferenceEquals(name, "oadrCancelReport")) return ReadCancelReport();
        if (ReferenceEquals(name, "oadrCanceledReport")) return ReadCanceledReport();
        if (ReferenceEquals(name, "oadrCreateOpt")) return ReadCreateOpt();
        if (ReferenceEquals(name, "oadrCreatedOpt")) return ReadCreatedOpt();
        if (ReferenceEquals(name, "oadrCancelOpt")) return ReadCancelOpt();
        if (ReferenceEquals(name, "oadrCanceledOpt")) return ReadCanceledOpt();
        if (ReferenceEquals(name, "oadrQueryRegistration")) return ReadQueryRegistration();
        if (ReferenceEquals(name, "oadrCreatePartyRegistration")) return ReadCreatePartyRegistration();
        if (ReferenceEquals(name, "oadrCreatedPartyRegistration")) return ReadCreatedPartyRegistration();
        if (ReferenceEquals(name, "oadrCancelPartyRegistration")) return ReadCancelPartyRegistration();
        if (ReferenceEquals(name, "oadrCanceledPartyRegistration")) return ReadCanceledPartyRegistration();
        if (ReferenceEquals(name, "oadrRequestReregistration")) return ReadRequestReregistration();
        return null;
    }

    /// <summary>Enters a payload element, returning its <c>ei:schemaVersion</c>.</summary>
    private SchemaVersion? BeginMessage() => SchemaVersionValue(Begin("schemaVersion", Ns.Ei));

    // ---- events --------------------------------------------------------------------------------

    private OadrDistributeEvent ReadDistributeEvent()
    {
        var version = BeginMessage();
        var response = OptionalEiResponse();
        var requestId = Text("requestID", Ns.Pyld);
        var vtnId = Text("vtnID", Ns.Ei);
        var events = new ListBuilder<OadrEvent>();
        while (At("oadrEvent", Ns.Oadr))
        {
            Begin(events.Count + 1);
            var ev = ReadEiEvent();
            var required = ResponseRequiredValue();
            End();
            events.Add(new OadrEvent { EiEvent = ev, ResponseRequired = required });
        }
        End();
        return new OadrDistributeEvent { SchemaVersion = version, EiResponse = response, RequestId = requestId, VtnId = vtnId, Events = events.ToValueList() };
    }

    private EiEvent ReadEiEvent()
    {
        Expect("eiEvent", Ns.Ei);
        Begin();
        var descriptor = ReadEventDescriptor();
        Expect("eiActivePeriod", Ns.Ei);
        Begin();
        var properties = ReadProperties();
        Expect("components", Ns.Xcal);
        var nil = Begin("nil", Ns.Xsi);
        var isNil = false;
        if (nil is not null && !OadrText.TryParseBoolean(nil, out isNil)) throw Xsd($"xsi:nil '{nil}' is not a boolean");
        // 2.0b gives xcal:components no content; anything inside is refused rather than silently dropped.
        End();
        End();
        var signals = ReadEventSignals();
        var target = ReadTarget("eiTarget", Ns.Ei);
        End();
        return new EiEvent
        {
            EventDescriptor = descriptor,
            ActivePeriod = new ActivePeriod { Properties = properties, ComponentsNil = isNil },
            EventSignals = signals,
            Target = target,
        };
    }

    private EventDescriptor ReadEventDescriptor()
    {
        Expect("eventDescriptor", Ns.Ei);
        Begin();
        var id = Text("eventID", Ns.Ei);
        var mod = UInt("modificationNumber", Ns.Ei);
        var modTime = OptionalDateTimeValue("modificationDateTime", Ns.Ei);
        var modReason = OptionalText("modificationReason", Ns.Ei);
        var priority = OptionalUInt("priority", Ns.Ei);
        Expect("eiMarketContext", Ns.Ei);
        Begin();
        var market = Token("marketContext", Ns.Emix);
        End();
        var created = DateTimeValue("createdDateTime", Ns.Ei);
        var status = EventStatusValue();
        var test = OptionalText("testEvent", Ns.Ei);
        var comment = OptionalText("vtnComment", Ns.Ei);
        End();
        return new EventDescriptor
        {
            EventId = id,
            ModificationNumber = mod,
            ModificationDateTime = modTime,
            ModificationReason = modReason,
            Priority = priority,
            MarketContext = market,
            CreatedDateTime = created,
            EventStatus = status,
            TestEvent = test,
            VtnComment = comment,
        };
    }

    private EventSignals ReadEventSignals()
    {
        Expect("eiEventSignals", Ns.Ei);
        Begin();
        var signals = new ListBuilder<EventSignal>();
        Expect("eiEventSignal", Ns.Ei);
        while (At("eiEventSignal", Ns.Ei))
        {
            Begin(signals.Count + 1);
            var intervals = ReadIntervals();
            var target = OptionalTarget("eiTarget", Ns.Ei);
            var name = SignalNameValue();
            var type = SignalTypeValue();
            var id = Text("signalID", Ns.Ei);
            var item = OptionalItemBase();
            float? current = null;
            if (At("currentValue", Ns.Ei))
            {
                Begin();
                Expect("payloadFloat", Ns.Ei);
                Begin();
                current = Float("value", Ns.Ei);
                End();
                End();
            }
            End();
            signals.Add(new EventSignal
            {
                Intervals = intervals,
                Target = target,
                SignalName = name,
                SignalType = type,
                SignalId = id,
                ItemBase = item,
                CurrentValue = current,
            });
        }
        EventBaseline? baseline = null;
        if (At("eiEventBaseline", Ns.Ei))
        {
            Begin();
            var start = DtStart();
            var duration = DurationProp("duration", Ns.Xcal);
            var intervals = ReadIntervals();
            var id = Text("baselineID", Ns.Ei);
            var resources = Strings("resourceID", Ns.Ei);
            var name = Text("baselineName", Ns.Ei);
            var item = OptionalItemBase();
            End();
            baseline = new EventBaseline
            {
                DtStart = start,
                Duration = duration,
                Intervals = intervals,
                BaselineId = id,
                ResourceIds = resources,
                BaselineName = name,
                ItemBase = item,
            };
        }
        End();
        return new EventSignals { Signals = signals.ToValueList(), Baseline = baseline };
    }

    private OadrRequestEvent ReadRequestEvent()
    {
        var version = BeginMessage();
        Expect("eiRequestEvent", Ns.Pyld);
        Begin();
        var requestId = Text("requestID", Ns.Pyld);
        var venId = Text("venID", Ns.Ei);
        var limit = OptionalUInt("replyLimit", Ns.Pyld);
        End();
        End();
        return new OadrRequestEvent { SchemaVersion = version, RequestId = requestId, VenId = venId, ReplyLimit = limit };
    }

    private OadrCreatedEvent ReadCreatedEvent()
    {
        var version = BeginMessage();
        Expect("eiCreatedEvent", Ns.Pyld);
        Begin();
        var response = ReadEiResponse();
        ValueList<EventResponse>? responses = null;
        if (At("eventResponses", Ns.Ei))
        {
            Begin();
            var list = new ListBuilder<EventResponse>();
            while (At("eventResponse", Ns.Ei))
            {
                Begin(list.Count + 1);
                var code = ResponseCodeValue();
                var description = OptionalText("responseDescription", Ns.Ei);
                var requestId = Text("requestID", Ns.Pyld);
                var qualified = ReadQualifiedEventId();
                var opt = OptTypeValue();
                End();
                list.Add(new EventResponse { ResponseCode = code, ResponseDescription = description, RequestId = requestId, QualifiedEventId = qualified, OptType = opt });
            }
            End();
            responses = list.ToValueList();
        }
        var venId = Text("venID", Ns.Ei);
        End();
        End();
        return new OadrCreatedEvent { SchemaVersion = version, EiResponse = response, EventResponses = responses, VenId = venId };
    }

    private OadrPoll ReadPoll()
    {
        var version = BeginMessage();
        var venId = Text("venID", Ns.Ei);
        End();
        return new OadrPoll { SchemaVersion = version, VenId = venId };
    }

    private OadrResponse ReadResponse()
    {
        var version = BeginMessage();
        var response = ReadEiResponse();
        var venId = OptionalText("venID", Ns.Ei);
        End();
        return new OadrResponse { SchemaVersion = version, EiResponse = response, VenId = venId };
    }

    // ---- reports -------------------------------------------------------------------------------

    private ValueList<OadrReport> ReadReports()
    {
        if (!At("oadrReport", Ns.Oadr)) return ValueList<OadrReport>.Empty;
        var list = new ListBuilder<OadrReport>();
        while (At("oadrReport", Ns.Oadr)) list.Add(ReadReport(list.Count + 1));
        return list.ToValueList();
    }

    private OadrReport ReadReport(int index)
    {
        Begin(index);
        DateTimeOffset? start = At("dtstart", Ns.Xcal) ? DtStart() : null;
        var duration = OptionalDurationProp("duration", Ns.Xcal);
        ValueList<Interval>? intervals = At("intervals", Ns.Strm) ? ReadIntervals() : null;
        var reportId = OptionalText("eiReportID", Ns.Ei);
        var descriptions = new ListBuilder<OadrReportDescription>();
        while (At("oadrReportDescription", Ns.Oadr)) descriptions.Add(ReadReportDescription(descriptions.Count + 1));
        var requestId = Text("reportRequestID", Ns.Ei);
        var specifierId = Text("reportSpecifierID", Ns.Ei);
        ReportName? name = At("reportName", Ns.Ei) ? ReportNameValue() : null;
        var created = DateTimeValue("createdDateTime", Ns.Ei);
        End();
        return new OadrReport
        {
            DtStart = start,
            Duration = duration,
            Intervals = intervals,
            EiReportId = reportId,
            Descriptions = descriptions.ToValueList(),
            ReportRequestId = requestId,
            ReportSpecifierId = specifierId,
            ReportName = name,
            CreatedDateTime = created,
        };
    }

    private OadrReportDescription ReadReportDescription(int index)
    {
        Begin(index);
        var rid = Text("rID", Ns.Ei);
        var subject = OptionalTarget("reportSubject", Ns.Ei);
        var source = OptionalTarget("reportDataSource", Ns.Ei);
        var type = ReportTypeValue();
        var item = OptionalItemBase();
        var reading = ReadingTypeValue();
        var market = At("marketContext", Ns.Emix) ? Token("marketContext", Ns.Emix) : null;
        OadrSamplingRate? rate = null;
        if (At("oadrSamplingRate", Ns.Oadr))
        {
            Begin();
            var min = DurationValue("oadrMinPeriod", Ns.Oadr);
            var max = DurationValue("oadrMaxPeriod", Ns.Oadr);
            var onChange = Bool("oadrOnChange", Ns.Oadr);
            End();
            rate = new OadrSamplingRate { MinPeriod = min, MaxPeriod = max, OnChange = onChange };
        }
        End();
        return new OadrReportDescription
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
    }

    private ValueList<OadrReportRequest> ReadReportRequests(bool atLeastOne)
    {
        if (atLeastOne) Expect("oadrReportRequest", Ns.Oadr);
        if (!At("oadrReportRequest", Ns.Oadr)) return ValueList<OadrReportRequest>.Empty;
        var list = new ListBuilder<OadrReportRequest>();
        while (At("oadrReportRequest", Ns.Oadr))
        {
            Begin(list.Count + 1);
            var requestId = Text("reportRequestID", Ns.Ei);
            Expect("reportSpecifier", Ns.Ei);
            Begin();
            var specifierId = Text("reportSpecifierID", Ns.Ei);
            var granularity = DurationProp("granularity", Ns.Xcal);
            var backDuration = DurationProp("reportBackDuration", Ns.Ei);
            CalendarProperties? interval = null;
            if (At("reportInterval", Ns.Ei))
            {
                Begin();
                interval = ReadProperties();
                End();
            }
            var payloads = new ListBuilder<SpecifierPayload>();
            Expect("specifierPayload", Ns.Ei);
            while (At("specifierPayload", Ns.Ei))
            {
                Begin(payloads.Count + 1);
                var rid = Text("rID", Ns.Ei);
                var item = OptionalItemBase();
                var reading = ReadingTypeValue();
                End();
                payloads.Add(new SpecifierPayload { RId = rid, ItemBase = item, ReadingType = reading });
            }
            End();
            End();
            list.Add(new OadrReportRequest
            {
                ReportRequestId = requestId,
                ReportSpecifier = new ReportSpecifier
                {
                    ReportSpecifierId = specifierId,
                    Granularity = granularity,
                    ReportBackDuration = backDuration,
                    ReportInterval = interval,
                    SpecifierPayloads = payloads.ToValueList(),
                },
            });
        }
        return list.ToValueList();
    }

    private ValueList<string> ReadPendingReports()
    {
        Expect("oadrPendingReports", Ns.Oadr);
        Begin();
        var ids = Strings("reportRequestID", Ns.Ei);
        End();
        return ids;
    }

    private OadrRegisterReport ReadRegisterReport()
    {
        var version = BeginMessage();
        var requestId = Text("requestID", Ns.Pyld);
        var reports = ReadReports();
        var venId = OptionalText("venID", Ns.Ei);
        var reportRequestId = OptionalText("reportRequestID", Ns.Ei);
        End();
        return new OadrRegisterReport { SchemaVersion = version, RequestId = requestId, Reports = reports, VenId = venId, ReportRequestId = reportRequestId };
    }

    private OadrRegisteredReport ReadRegisteredReport()
    {
        var version = BeginMessage();
        var response = ReadEiResponse();
        var requests = ReadReportRequests(atLeastOne: false);
        var venId = OptionalText("venID", Ns.Ei);
        End();
        return new OadrRegisteredReport { SchemaVersion = version, EiResponse = response, ReportRequests = requests, VenId = venId };
    }

    private OadrCreateReport ReadCreateReport()
    {
        var version = BeginMessage();
        var requestId = Text("requestID", Ns.Pyld);
        var requests = ReadReportRequests(atLeastOne: true);
        var venId = OptionalText("venID", Ns.Ei);
        End();
        return new OadrCreateReport { SchemaVersion = version, RequestId = requestId, ReportRequests = requests, VenId = venId };
    }

    private OadrCreatedReport ReadCreatedReport()
    {
        var version = BeginMessage();
        var response = ReadEiResponse();
        var pending = ReadPendingReports();
        var venId = OptionalText("venID", Ns.Ei);
        End();
        return new OadrCreatedReport { SchemaVersion = version, EiResponse = response, PendingReports = pending, VenId = venId };
    }

    private OadrUpdateReport ReadUpdateReport()
    {
        var version = BeginMessage();
        var requestId = Text("requestID", Ns.Pyld);
        var reports = ReadReports();
        var venId = OptionalText("venID", Ns.Ei);
        End();
        return new OadrUpdateReport { SchemaVersion = version, RequestId = requestId, Reports = reports, VenId = venId };
    }

    private OadrUpdatedReport ReadUpdatedReport()
    {
        var version = BeginMessage();
        var response = ReadEiResponse();
        var cancel = At("oadrCancelReport", Ns.Oadr) ? ReadCancelReport() : null;
        var venId = OptionalText("venID", Ns.Ei);
        End();
        return new OadrUpdatedReport { SchemaVersion = version, EiResponse = response, CancelReport = cancel, VenId = venId };
    }

    private OadrCancelReport ReadCancelReport()
    {
        var version = BeginMessage();
        var requestId = Text("requestID", Ns.Pyld);
        Expect("reportRequestID", Ns.Ei);
        var ids = Strings("reportRequestID", Ns.Ei);
        var follow = Bool("reportToFollow", Ns.Pyld);
        var venId = OptionalText("venID", Ns.Ei);
        End();
        return new OadrCancelReport { SchemaVersion = version, RequestId = requestId, ReportRequestIds = ids, ReportToFollow = follow, VenId = venId };
    }

    private OadrCanceledReport ReadCanceledReport()
    {
        var version = BeginMessage();
        var response = ReadEiResponse();
        var pending = ReadPendingReports();
        var venId = OptionalText("venID", Ns.Ei);
        End();
        return new OadrCanceledReport { SchemaVersion = version, EiResponse = response, PendingReports = pending, VenId = venId };
    }

    // ---- opt -----------------------------------------------------------------------------------

    private OadrCreateOpt ReadCreateOpt()
    {
        var version = BeginMessage();
        var optId = Text("optID", Ns.Ei);
        var optType = OptTypeValue();
        var reason = OptReasonValue();
        var market = At("marketContext", Ns.Emix) ? Token("marketContext", Ns.Emix) : null;
        var venId = Text("venID", Ns.Ei);
        Vavailability? availability = null;
        if (At("vavailability", Ns.Xcal))
        {
            Begin();
            Expect("components", Ns.Xcal);
            Begin();
            var list = new ListBuilder<CalendarProperties>();
            while (At("available", Ns.Xcal))
            {
                Begin(list.Count + 1);
                list.Add(ReadProperties());
                End();
            }
            End();
            End();
            availability = new Vavailability { Available = list.ToValueList() };
        }
        var created = DateTimeValue("createdDateTime", Ns.Ei);
        var requestId = Text("requestID", Ns.Pyld);
        var qualified = At("qualifiedEventID", Ns.Ei) ? ReadQualifiedEventId() : null;
        var target = ReadTarget("eiTarget", Ns.Ei);
        var deviceClass = OptionalTarget("oadrDeviceClass", Ns.Oadr);
        End();
        return new OadrCreateOpt
        {
            SchemaVersion = version,
            OptId = optId,
            OptType = optType,
            OptReason = reason,
            MarketContext = market,
            VenId = venId,
            Vavailability = availability,
            CreatedDateTime = created,
            RequestId = requestId,
            QualifiedEventId = qualified,
            Target = target,
            DeviceClass = deviceClass,
        };
    }

    private OadrCreatedOpt ReadCreatedOpt()
    {
        var version = BeginMessage();
        var response = ReadEiResponse();
        var optId = Text("optID", Ns.Ei);
        End();
        return new OadrCreatedOpt { SchemaVersion = version, EiResponse = response, OptId = optId };
    }

    private OadrCancelOpt ReadCancelOpt()
    {
        var version = BeginMessage();
        var requestId = Text("requestID", Ns.Pyld);
        var optId = Text("optID", Ns.Ei);
        var venId = Text("venID", Ns.Ei);
        End();
        return new OadrCancelOpt { SchemaVersion = version, RequestId = requestId, OptId = optId, VenId = venId };
    }

    private OadrCanceledOpt ReadCanceledOpt()
    {
        var version = BeginMessage();
        var response = ReadEiResponse();
        var optId = OptionalText("optID", Ns.Ei);
        End();
        return new OadrCanceledOpt { SchemaVersion = version, EiResponse = response, OptId = optId };
    }

    // ---- registration --------------------------------------------------------------------------

    private OadrQueryRegistration ReadQueryRegistration()
    {
        var version = BeginMessage();
        var requestId = Text("requestID", Ns.Pyld);
        End();
        return new OadrQueryRegistration { SchemaVersion = version, RequestId = requestId };
    }

    private OadrCreatePartyRegistration ReadCreatePartyRegistration()
    {
        var version = BeginMessage();
        var requestId = Text("requestID", Ns.Pyld);
        var registrationId = OptionalText("registrationID", Ns.Ei);
        var venId = OptionalText("venID", Ns.Ei);
        var profile = ProfileNameValue();
        var transport = TransportNameValue();
        var address = OptionalText("oadrTransportAddress", Ns.Oadr);
        var reportOnly = Bool("oadrReportOnly", Ns.Oadr);
        var signature = Bool("oadrXmlSignature", Ns.Oadr);
        var venName = OptionalText("oadrVenName", Ns.Oadr);
        var pull = OptionalBool("oadrHttpPullModel", Ns.Oadr);
        End();
        return new OadrCreatePartyRegistration
        {
            SchemaVersion = version,
            RequestId = requestId,
            RegistrationId = registrationId,
            VenId = venId,
            ProfileName = profile,
            TransportName = transport,
            TransportAddress = address,
            ReportOnly = reportOnly,
            XmlSignature = signature,
            VenName = venName,
            HttpPullModel = pull,
        };
    }

    private OadrCreatedPartyRegistration ReadCreatedPartyRegistration()
    {
        var version = BeginMessage();
        var response = ReadEiResponse();
        var registrationId = OptionalText("registrationID", Ns.Ei);
        var venId = OptionalText("venID", Ns.Ei);
        var vtnId = Text("vtnID", Ns.Ei);
        Expect("oadrProfiles", Ns.Oadr);
        Begin();
        var profiles = new ListBuilder<OadrProfile>();
        Expect("oadrProfile", Ns.Oadr);
        while (At("oadrProfile", Ns.Oadr))
        {
            Begin(profiles.Count + 1);
            var name = ProfileNameValue();
            Expect("oadrTransports", Ns.Oadr);
            Begin();
            var transports = new ListBuilder<OadrTransportName>();
            Expect("oadrTransport", Ns.Oadr);
            while (At("oadrTransport", Ns.Oadr))
            {
                Begin(transports.Count + 1);
                transports.Add(TransportNameValue());
                End();
            }
            End();
            End();
            profiles.Add(new OadrProfile { ProfileName = name, Transports = transports.ToValueList() });
        }
        End();
        var pollFreq = OptionalDurationProp("oadrRequestedOadrPollFreq", Ns.Oadr);
        ValueList<OadrService>? services = null;
        if (At("oadrServiceSpecificInfo", Ns.Oadr))
        {
            Begin();
            var list = new ListBuilder<OadrService>();
            while (At("oadrService", Ns.Oadr))
            {
                Begin(list.Count + 1);
                var name = ServiceNameValue();
                Expect("oadrInfo", Ns.Oadr);
                var info = ReadInfos();
                End();
                list.Add(new OadrService { ServiceName = name, Info = info });
            }
            End();
            services = list.ToValueList();
        }
        ValueList<OadrExtension>? extensions = null;
        if (At("oadrExtensions", Ns.Oadr))
        {
            Begin();
            var list = new ListBuilder<OadrExtension>();
            while (At("oadrExtension", Ns.Oadr))
            {
                Begin(list.Count + 1);
                var name = Text("oadrExtensionName", Ns.Oadr);
                var info = ReadInfos();
                End();
                list.Add(new OadrExtension { Name = name, Info = info });
            }
            End();
            extensions = list.ToValueList();
        }
        End();
        return new OadrCreatedPartyRegistration
        {
            SchemaVersion = version,
            EiResponse = response,
            RegistrationId = registrationId,
            VenId = venId,
            VtnId = vtnId,
            Profiles = profiles.ToValueList(),
            RequestedOadrPollFreq = pollFreq,
            ServiceSpecificInfo = services,
            Extensions = extensions,
        };
    }

    private ValueList<OadrInfo> ReadInfos()
    {
        var list = new ListBuilder<OadrInfo>();
        while (At("oadrInfo", Ns.Oadr))
        {
            Begin(list.Count + 1);
            var key = Text("oadrKey", Ns.Oadr);
            var value = Text("oadrValue", Ns.Oadr);
            End();
            list.Add(new OadrInfo { Key = key, Value = value });
        }
        return list.ToValueList();
    }

    private OadrCancelPartyRegistration ReadCancelPartyRegistration()
    {
        var version = BeginMessage();
        var requestId = Text("requestID", Ns.Pyld);
        var registrationId = Text("registrationID", Ns.Ei);
        var venId = OptionalText("venID", Ns.Ei);
        End();
        return new OadrCancelPartyRegistration { SchemaVersion = version, RequestId = requestId, RegistrationId = registrationId, VenId = venId };
    }

    private OadrCanceledPartyRegistration ReadCanceledPartyRegistration()
    {
        var version = BeginMessage();
        var response = ReadEiResponse();
        var registrationId = OptionalText("registrationID", Ns.Ei);
        var venId = OptionalText("venID", Ns.Ei);
        End();
        return new OadrCanceledPartyRegistration { SchemaVersion = version, EiResponse = response, RegistrationId = registrationId, VenId = venId };
    }

    private OadrRequestReregistration ReadRequestReregistration()
    {
        var version = BeginMessage();
        var venId = Text("venID", Ns.Ei);
        End();
        return new OadrRequestReregistration { SchemaVersion = version, VenId = venId };
    }
}
