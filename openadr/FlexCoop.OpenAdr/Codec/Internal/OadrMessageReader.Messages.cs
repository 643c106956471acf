using FlexCoop.OpenAdr.Model;

namespace FlexCoop.OpenAdr.Codec.Internal;

// The 23 payloads and their own nested types.
internal ref partial struct OadrMessageReader
{
    /// <summary>Reads the payload at the current node, or returns null when it is not one of the 23.</summary>
    private OadrMessage? TryReadMessage()
    {
        if (!AtElement || !ReferenceEquals(_x.NamespaceUri, Ns.Oadr)) return null;
        var name = _x.LocalName;
        if (name.SequenceEqual("oadrDistributeEvent"u8)) return ReadDistributeEvent();
        if (name.SequenceEqual("oadrUpdateReport"u8)) return ReadUpdateReport();
        if (name.SequenceEqual("oadrPoll"u8)) return ReadPoll();
        if (name.SequenceEqual("oadrResponse"u8)) return ReadResponse();
        if (name.SequenceEqual("oadrCreatedEvent"u8)) return ReadCreatedEvent();
        if (name.SequenceEqual("oadrRequestEvent"u8)) return ReadRequestEvent();
        if (name.SequenceEqual("oadrRegisterReport"u8)) return ReadRegisterReport();
        if (name.SequenceEqual("oadrRegisteredReport"u8)) return ReadRegisteredReport();
        if (name.SequenceEqual("oadrCreateReport"u8)) return ReadCreateReport();
        if (name.SequenceEqual("oadrCreatedReport"u8)) return ReadCreatedReport();
        if (name.SequenceEqual("oadrUpdatedReport"u8)) return ReadUpdatedReport();
        if (name.SequenceEqual("oadrCancelReport"u8)) return ReadCancelReport();
        if (name.SequenceEqual("oadrCanceledReport"u8)) return ReadCanceledReport();
        if (name.SequenceEqual("oadrCreateOpt"u8)) return ReadCreateOpt();
        if (name.SequenceEqual("oadrCreatedOpt"u8)) return ReadCreatedOpt();
        if (name.SequenceEqual("oadrCancelOpt"u8)) return ReadCancelOpt();
        if (name.SequenceEqual("oadrCanceledOpt"u8)) return ReadCanceledOpt();
        if (name.SequenceEqual("oadrQueryRegistration"u8)) return ReadQueryRegistration();
        if (name.SequenceEqual("oadrCreatePartyRegistration"u8)) return ReadCreatePartyRegistration();
        if (name.SequenceEqual("oadrCreatedPartyRegistration"u8)) return ReadCreatedPartyRegistration();
        if (name.SequenceEqual("oadrCancelPartyRegistration"u8)) return ReadCancelPartyRegistration();
        if (name.SequenceEqual("oadrCanceledPartyRegistration"u8)) return ReadCanceledPartyRegistration();
        if (name.SequenceEqual("oadrRequestReregistration"u8)) return ReadRequestReregistration();
        return null;
    }

    /// <summary>Enters a payload element, returning its <c>ei:schemaVersion</c>.</summary>
    private SchemaVersion? BeginMessage() => SchemaVersionValue(Begin("schemaVersion"u8, Ns.Ei));

    // ---- events --------------------------------------------------------------------------------

    private OadrDistributeEvent ReadDistributeEvent()
    {
        var version = BeginMessage();
        var response = OptionalEiResponse();
        var requestId = Text("requestID"u8, Ns.Pyld);
        var vtnId = Text("vtnID"u8, Ns.Ei);
        var events = new ListBuilder<OadrEvent>();
        while (At("oadrEvent"u8, Ns.Oadr))
        {
            Begin();
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
        Expect("eiEvent"u8, Ns.Ei);
        Begin();
        var descriptor = ReadEventDescriptor();
        Expect("eiActivePeriod"u8, Ns.Ei);
        Begin();
        var properties = ReadProperties();
        Expect("components"u8, Ns.Xcal);
        var nil = Begin("nil"u8, Ns.Xsi);
        var isNil = false;
        if (nil is not null && !OadrText.TryParseBoolean(System.Text.Encoding.UTF8.GetBytes(nil), out isNil)) throw Xsd($"xsi:nil '{nil}' is not a boolean");
        // 2.0b gives xcal:components no content; anything inside is refused rather than silently dropped.
        End();
        End();
        var signals = ReadEventSignals();
        var target = ReadTarget("eiTarget"u8, Ns.Ei);
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
        Expect("eventDescriptor"u8, Ns.Ei);
        Begin();
        var id = Text("eventID"u8, Ns.Ei);
        var mod = UInt("modificationNumber"u8, Ns.Ei);
        var modTime = OptionalDateTimeValue("modificationDateTime"u8, Ns.Ei);
        var modReason = OptionalText("modificationReason"u8, Ns.Ei);
        var priority = OptionalUInt("priority"u8, Ns.Ei);
        Expect("eiMarketContext"u8, Ns.Ei);
        Begin();
        var market = Token("marketContext"u8, Ns.Emix);
        End();
        var created = DateTimeValue("createdDateTime"u8, Ns.Ei);
        var status = EventStatusValue();
        var test = OptionalText("testEvent"u8, Ns.Ei);
        var comment = OptionalText("vtnComment"u8, Ns.Ei);
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
        Expect("eiEventSignals"u8, Ns.Ei);
        Begin();
        var signals = new ListBuilder<EventSignal>();
        Expect("eiEventSignal"u8, Ns.Ei);
        while (At("eiEventSignal"u8, Ns.Ei))
        {
            Begin();
            var intervals = ReadIntervals();
            var target = OptionalTarget("eiTarget"u8, Ns.Ei);
            var name = SignalNameValue();
            var type = SignalTypeValue();
            var id = Text("signalID"u8, Ns.Ei);
            var item = OptionalItemBase();
            float? current = null;
            if (At("currentValue"u8, Ns.Ei))
            {
                Begin();
                Expect("payloadFloat"u8, Ns.Ei);
                Begin();
                current = Float("value"u8, Ns.Ei);
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
        if (At("eiEventBaseline"u8, Ns.Ei))
        {
            Begin();
            var start = DtStart();
            var duration = DurationProp("duration"u8, Ns.Xcal);
            var intervals = ReadIntervals();
            var id = Text("baselineID"u8, Ns.Ei);
            var resources = Strings("resourceID"u8, Ns.Ei);
            var name = Text("baselineName"u8, Ns.Ei);
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
        Expect("eiRequestEvent"u8, Ns.Pyld);
        Begin();
        var requestId = Text("requestID"u8, Ns.Pyld);
        var venId = Text("venID"u8, Ns.Ei);
        var limit = OptionalUInt("replyLimit"u8, Ns.Pyld);
        End();
        End();
        return new OadrRequestEvent { SchemaVersion = version, RequestId = requestId, VenId = venId, ReplyLimit = limit };
    }

    private OadrCreatedEvent ReadCreatedEvent()
    {
        var version = BeginMessage();
        Expect("eiCreatedEvent"u8, Ns.Pyld);
        Begin();
        var response = ReadEiResponse();
        ValueList<EventResponse>? responses = null;
        if (At("eventResponses"u8, Ns.Ei))
        {
            Begin();
            var list = new ListBuilder<EventResponse>();
            while (At("eventResponse"u8, Ns.Ei))
            {
                Begin();
                var code = ResponseCodeValue();
                var description = OptionalText("responseDescription"u8, Ns.Ei);
                var requestId = Text("requestID"u8, Ns.Pyld);
                var qualified = ReadQualifiedEventId();
                var opt = OptTypeValue();
                End();
                list.Add(new EventResponse { ResponseCode = code, ResponseDescription = description, RequestId = requestId, QualifiedEventId = qualified, OptType = opt });
            }
            End();
            responses = list.ToValueList();
        }
        var venId = Text("venID"u8, Ns.Ei);
        End();
        End();
        return new OadrCreatedEvent { SchemaVersion = version, EiResponse = response, EventResponses = responses, VenId = venId };
    }

    private OadrPoll ReadPoll()
    {
        var version = BeginMessage();
        var venId = Text("venID"u8, Ns.Ei);
        End();
        return new OadrPoll { SchemaVersion = version, VenId = venId };
    }

    private OadrResponse ReadResponse()
    {
        var version = BeginMessage();
        var response = ReadEiResponse();
        var venId = OptionalText("venID"u8, Ns.Ei);
        End();
        return new OadrResponse { SchemaVersion = version, EiResponse = response, VenId = venId };
    }

    // ---- reports -------------------------------------------------------------------------------

    private ValueList<OadrReport> ReadReports()
    {
        if (!At("oadrReport"u8, Ns.Oadr)) return ValueList<OadrReport>.Empty;
        var list = new ListBuilder<OadrReport>();
        while (At("oadrReport"u8, Ns.Oadr)) list.Add(ReadReport());
        return list.ToValueList();
    }

    private OadrReport ReadReport()
    {
        Begin();
        DateTimeOffset? start = At("dtstart"u8, Ns.Xcal) ? DtStart() : null;
        var duration = OptionalDurationProp("duration"u8, Ns.Xcal);
        ValueList<Interval>? intervals = At("intervals"u8, Ns.Strm) ? ReadIntervals() : null;
        var reportId = OptionalText("eiReportID"u8, Ns.Ei);
        var descriptions = new ListBuilder<OadrReportDescription>();
        while (At("oadrReportDescription"u8, Ns.Oadr)) descriptions.Add(ReadReportDescription());
        var requestId = Text("reportRequestID"u8, Ns.Ei);
        var specifierId = Text("reportSpecifierID"u8, Ns.Ei);
        ReportName? name = At("reportName"u8, Ns.Ei) ? ReportNameValue() : null;
        var created = DateTimeValue("createdDateTime"u8, Ns.Ei);
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

    private OadrReportDescription ReadReportDescription()
    {
        Begin();
        var rid = Text("rID"u8, Ns.Ei);
        var subject = OptionalTarget("reportSubject"u8, Ns.Ei);
        var source = OptionalTarget("reportDataSource"u8, Ns.Ei);
        var type = ReportTypeValue();
        var item = OptionalItemBase();
        var reading = ReadingTypeValue();
        var market = At("marketContext"u8, Ns.Emix) ? Token("marketContext"u8, Ns.Emix) : null;
        OadrSamplingRate? rate = null;
        if (At("oadrSamplingRate"u8, Ns.Oadr))
        {
            Begin();
            var min = DurationValue("oadrMinPeriod"u8, Ns.Oadr);
            var max = DurationValue("oadrMaxPeriod"u8, Ns.Oadr);
            var onChange = Bool("oadrOnChange"u8, Ns.Oadr);
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
        if (atLeastOne) Expect("oadrReportRequest"u8, Ns.Oadr);
        if (!At("oadrReportRequest"u8, Ns.Oadr)) return ValueList<OadrReportRequest>.Empty;
        var list = new ListBuilder<OadrReportRequest>();
        while (At("oadrReportRequest"u8, Ns.Oadr))
        {
            Begin();
            var requestId = Text("reportRequestID"u8, Ns.Ei);
            Expect("reportSpecifier"u8, Ns.Ei);
            Begin();
            var specifierId = Text("reportSpecifierID"u8, Ns.Ei);
            var granularity = DurationProp("granularity"u8, Ns.Xcal);
            var backDuration = DurationProp("reportBackDuration"u8, Ns.Ei);
            CalendarProperties? interval = null;
            if (At("reportInterval"u8, Ns.Ei))
            {
                Begin();
                interval = ReadProperties();
                End();
            }
            var payloads = new ListBuilder<SpecifierPayload>();
            Expect("specifierPayload"u8, Ns.Ei);
            while (At("specifierPayload"u8, Ns.Ei))
            {
                Begin();
                var rid = Text("rID"u8, Ns.Ei);
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
        Expect("oadrPendingReports"u8, Ns.Oadr);
        Begin();
        var ids = Strings("reportRequestID"u8, Ns.Ei);
        End();
        return ids;
    }

    private OadrRegisterReport ReadRegisterReport()
    {
        var version = BeginMessage();
        var requestId = Text("requestID"u8, Ns.Pyld);
        var reports = ReadReports();
        var venId = OptionalText("venID"u8, Ns.Ei);
        var reportRequestId = OptionalText("reportRequestID"u8, Ns.Ei);
        End();
        return new OadrRegisterReport { SchemaVersion = version, RequestId = requestId, Reports = reports, VenId = venId, ReportRequestId = reportRequestId };
    }

    private OadrRegisteredReport ReadRegisteredReport()
    {
        var version = BeginMessage();
        var response = ReadEiResponse();
        var requests = ReadReportRequests(atLeastOne: false);
        var venId = OptionalText("venID"u8, Ns.Ei);
        End();
        return new OadrRegisteredReport { SchemaVersion = version, EiResponse = response, ReportRequests = requests, VenId = venId };
    }

    private OadrCreateReport ReadCreateReport()
    {
        var version = BeginMessage();
        var requestId = Text("requestID"u8, Ns.Pyld);
        var requests = ReadReportRequests(atLeastOne: true);
        var venId = OptionalText("venID"u8, Ns.Ei);
        End();
        return new OadrCreateReport { SchemaVersion = version, RequestId = requestId, ReportRequests = requests, VenId = venId };
    }

    private OadrCreatedReport ReadCreatedReport()
    {
        var version = BeginMessage();
        var response = ReadEiResponse();
        var pending = ReadPendingReports();
        var venId = OptionalText("venID"u8, Ns.Ei);
        End();
        return new OadrCreatedReport { SchemaVersion = version, EiResponse = response, PendingReports = pending, VenId = venId };
    }

    private OadrUpdateReport ReadUpdateReport()
    {
        var version = BeginMessage();
        var requestId = Text("requestID"u8, Ns.Pyld);
        var reports = ReadReports();
        var venId = OptionalText("venID"u8, Ns.Ei);
        End();
        return new OadrUpdateReport { SchemaVersion = version, RequestId = requestId, Reports = reports, VenId = venId };
    }

    private OadrUpdatedReport ReadUpdatedReport()
    {
        var version = BeginMessage();
        var response = ReadEiResponse();
        var cancel = At("oadrCancelReport"u8, Ns.Oadr) ? ReadCancelReport() : null;
        var venId = OptionalText("venID"u8, Ns.Ei);
        End();
        return new OadrUpdatedReport { SchemaVersion = version, EiResponse = response, CancelReport = cancel, VenId = venId };
    }

    private OadrCancelReport ReadCancelReport()
    {
        var version = BeginMessage();
        var requestId = Text("requestID"u8, Ns.Pyld);
        Expect("reportRequestID"u8, Ns.Ei);
        var ids = Strings("reportRequestID"u8, Ns.Ei);
        var follow = Bool("reportToFollow"u8, Ns.Pyld);
        var venId = OptionalText("venID"u8, Ns.Ei);
        End();
        return new OadrCancelReport { SchemaVersion = version, RequestId = requestId, ReportRequestIds = ids, ReportToFollow = follow, VenId = venId };
    }

    private OadrCanceledReport ReadCanceledReport()
    {
        var version = BeginMessage();
        var response = ReadEiResponse();
        var pending = ReadPendingReports();
        var venId = OptionalText("venID"u8, Ns.Ei);
        End();
        return new OadrCanceledReport { SchemaVersion = version, EiResponse = response, PendingReports = pending, VenId = venId };
    }

    // ---- opt -----------------------------------------------------------------------------------

    private OadrCreateOpt ReadCreateOpt()
    {
        var version = BeginMessage();
        var optId = Text("optID"u8, Ns.Ei);
        var optType = OptTypeValue();
        var reason = OptReasonValue();
        var market = At("marketContext"u8, Ns.Emix) ? Token("marketContext"u8, Ns.Emix) : null;
        var venId = Text("venID"u8, Ns.Ei);
        Vavailability? availability = null;
        if (At("vavailability"u8, Ns.Xcal))
        {
            Begin();
            Expect("components"u8, Ns.Xcal);
            Begin();
            var list = new ListBuilder<CalendarProperties>();
            while (At("available"u8, Ns.Xcal))
            {
                Begin();
                list.Add(ReadProperties());
                End();
            }
            End();
            End();
            availability = new Vavailability { Available = list.ToValueList() };
        }
        var created = DateTimeValue("createdDateTime"u8, Ns.Ei);
        var requestId = Text("requestID"u8, Ns.Pyld);
        var qualified = At("qualifiedEventID"u8, Ns.Ei) ? ReadQualifiedEventId() : null;
        var target = ReadTarget("eiTarget"u8, Ns.Ei);
        var deviceClass = OptionalTarget("oadrDeviceClass"u8, Ns.Oadr);
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
        var optId = Text("optID"u8, Ns.Ei);
        End();
        return new OadrCreatedOpt { SchemaVersion = version, EiResponse = response, OptId = optId };
    }

    private OadrCancelOpt ReadCancelOpt()
    {
        var version = BeginMessage();
        var requestId = Text("requestID"u8, Ns.Pyld);
        var optId = Text("optID"u8, Ns.Ei);
        var venId = Text("venID"u8, Ns.Ei);
        End();
        return new OadrCancelOpt { SchemaVersion = version, RequestId = requestId, OptId = optId, VenId = venId };
    }

    private OadrCanceledOpt ReadCanceledOpt()
    {
        var version = BeginMessage();
        var response = ReadEiResponse();
        var optId = OptionalText("optID"u8, Ns.Ei);
        End();
        return new OadrCanceledOpt { SchemaVersion = version, EiResponse = response, OptId = optId };
    }

    // ---- registration --------------------------------------------------------------------------

    private OadrQueryRegistration ReadQueryRegistration()
    {
        var version = BeginMessage();
        var requestId = Text("requestID"u8, Ns.Pyld);
        End();
        return new OadrQueryRegistration { SchemaVersion = version, RequestId = requestId };
    }

    private OadrCreatePartyRegistration ReadCreatePartyRegistration()
    {
        var version = BeginMessage();
        var requestId = Text("requestID"u8, Ns.Pyld);
        var registrationId = OptionalText("registrationID"u8, Ns.Ei);
        var venId = OptionalText("venID"u8, Ns.Ei);
        var profile = ProfileNameValue();
        var transport = TransportNameValue();
        var address = OptionalText("oadrTransportAddress"u8, Ns.Oadr);
        var reportOnly = Bool("oadrReportOnly"u8, Ns.Oadr);
        var signature = Bool("oadrXmlSignature"u8, Ns.Oadr);
        var venName = OptionalText("oadrVenName"u8, Ns.Oadr);
        var pull = OptionalBool("oadrHttpPullModel"u8, Ns.Oadr);
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
        var registrationId = OptionalText("registrationID"u8, Ns.Ei);
        var venId = OptionalText("venID"u8, Ns.Ei);
        var vtnId = Text("vtnID"u8, Ns.Ei);
        Expect("oadrProfiles"u8, Ns.Oadr);
        Begin();
        var profiles = new ListBuilder<OadrProfile>();
        Expect("oadrProfile"u8, Ns.Oadr);
        while (At("oadrProfile"u8, Ns.Oadr))
        {
            Begin();
            var name = ProfileNameValue();
            Expect("oadrTransports"u8, Ns.Oadr);
            Begin();
            var transports = new ListBuilder<OadrTransportName>();
            Expect("oadrTransport"u8, Ns.Oadr);
            while (At("oadrTransport"u8, Ns.Oadr))
            {
                Begin();
                transports.Add(TransportNameValue());
                End();
            }
            End();
            End();
            profiles.Add(new OadrProfile { ProfileName = name, Transports = transports.ToValueList() });
        }
        End();
        var pollFreq = OptionalDurationProp("oadrRequestedOadrPollFreq"u8, Ns.Oadr);
        ValueList<OadrService>? services = null;
        if (At("oadrServiceSpecificInfo"u8, Ns.Oadr))
        {
            Begin();
            var list = new ListBuilder<OadrService>();
            while (At("oadrService"u8, Ns.Oadr))
            {
                Begin();
                var name = ServiceNameValue();
                Expect("oadrInfo"u8, Ns.Oadr);
                var info = ReadInfos();
                End();
                list.Add(new OadrService { ServiceName = name, Info = info });
            }
            End();
            services = list.ToValueList();
        }
        ValueList<OadrExtension>? extensions = null;
        if (At("oadrExtensions"u8, Ns.Oadr))
        {
            Begin();
            var list = new ListBuilder<OadrExtension>();
            while (At("oadrExtension"u8, Ns.Oadr))
            {
                Begin();
                var name = Text("oadrExtensionName"u8, Ns.Oadr);
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
        while (At("oadrInfo"u8, Ns.Oadr))
        {
            Begin();
            var key = Text("oadrKey"u8, Ns.Oadr);
            var value = Text("oadrValue"u8, Ns.Oadr);
            End();
            list.Add(new OadrInfo { Key = key, Value = value });
        }
        return list.ToValueList();
    }

    private OadrCancelPartyRegistration ReadCancelPartyRegistration()
    {
        var version = BeginMessage();
        var requestId = Text("requestID"u8, Ns.Pyld);
        var registrationId = Text("registrationID"u8, Ns.Ei);
        var venId = OptionalText("venID"u8, Ns.Ei);
        End();
        return new OadrCancelPartyRegistration { SchemaVersion = version, RequestId = requestId, RegistrationId = registrationId, VenId = venId };
    }

    private OadrCanceledPartyRegistration ReadCanceledPartyRegistration()
    {
        var version = BeginMessage();
        var response = ReadEiResponse();
        var registrationId = OptionalText("registrationID"u8, Ns.Ei);
        var venId = OptionalText("venID"u8, Ns.Ei);
        End();
        return new OadrCanceledPartyRegistration { SchemaVersion = version, EiResponse = response, RegistrationId = registrationId, VenId = venId };
    }

    private OadrRequestReregistration ReadRequestReregistration()
    {
        var version = BeginMessage();
        var venId = Text("venID"u8, Ns.Ei);
        End();
        return new OadrRequestReregistration { SchemaVersion = version, VenId = venId };
    }
}
