using System.Xml;
using FlexCoop.Xml.Internal;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Model.Internal;

namespace FlexCoop.OpenAdr.Codec.Internal;

// Nested types shared by several messages, each read in schema sequence order.
internal ref partial struct OadrMessageReader
{
    private EiResponse ReadEiResponse()
    {
        Expect("eiResponse"u8, Ns.Ei);
        Begin();
        var code = ResponseCodeValue();
        var description = OptionalText("responseDescription"u8, Ns.Ei);
        var requestId = Text("requestID"u8, Ns.Pyld);
        End();
        return new EiResponse { ResponseCode = code, ResponseDescription = description, RequestId = requestId };
    }

    private EiResponse? OptionalEiResponse() => At("eiResponse"u8, Ns.Ei) ? ReadEiResponse() : null;

    private QualifiedEventId ReadQualifiedEventId()
    {
        Expect("qualifiedEventID"u8, Ns.Ei);
        Begin();
        var id = Text("eventID"u8, Ns.Ei);
        var mod = UInt("modificationNumber"u8, Ns.Ei);
        End();
        return new QualifiedEventId { EventId = id, ModificationNumber = mod };
    }

    /// <summary>Reads <c>ei:EiTargetType</c> content of the current element (eiTarget, oadrDeviceClass, reportSubject, ...).</summary>
    private EiTarget ReadTarget(ReadOnlySpan<byte> local, string ns)
    {
        Expect(local, ns);
        Begin();
        var aggregated = WrappedStrings("aggregatedPnode"u8, Ns.Power, "node"u8, Ns.Power);
        var endDevices = WrappedStrings("endDeviceAsset"u8, Ns.Power, "mrid"u8, Ns.Power);
        var meters = WrappedStrings("meterAsset"u8, Ns.Power, "mrid"u8, Ns.Power);
        var pnodes = WrappedStrings("pnode"u8, Ns.Power, "node"u8, Ns.Power);
        var areas = FeatureCollections("serviceArea"u8, Ns.Emix);
        var deliveryPoints = WrappedStrings("serviceDeliveryPoint"u8, Ns.Power, "node"u8, Ns.Power);
        var locations = FeatureCollections("serviceLocation"u8, Ns.Power);
        var transports = new ListBuilder<TransportInterface>();
        while (At("transportInterface"u8, Ns.Power))
        {
            Begin();
            var receipt = Text("pointOfReceipt"u8, Ns.Power);
            var delivery = Text("pointOfDelivery"u8, Ns.Power);
            End();
            transports.Add(new TransportInterface { PointOfReceipt = receipt, PointOfDelivery = delivery });
        }
        var groupIds = Strings("groupID"u8, Ns.Ei);
        var groupNames = Strings("groupName"u8, Ns.Ei);
        var resourceIds = Strings("resourceID"u8, Ns.Ei);
        var venIds = Strings("venID"u8, Ns.Ei);
        var partyIds = Strings("partyID"u8, Ns.Ei);
        End();
        if (aggregated.Count + endDevices.Count + meters.Count + pnodes.Count + areas.Count + deliveryPoints.Count
            + locations.Count + transports.Count + groupIds.Count + groupNames.Count + resourceIds.Count + venIds.Count + partyIds.Count == 0)
        {
            return EiTarget.Empty;
        }
        return new EiTarget
        {
            AggregatedPnodes = aggregated,
            EndDeviceAssets = endDevices,
            MeterAssets = meters,
            Pnodes = pnodes,
            ServiceAreas = areas,
            ServiceDeliveryPoints = deliveryPoints,
            ServiceLocations = locations,
            TransportInterfaces = transports.ToValueList(),
            GroupIds = groupIds,
            GroupNames = groupNames,
            ResourceIds = resourceIds,
            VenIds = venIds,
            PartyIds = partyIds,
        };
    }

    private EiTarget? OptionalTarget(ReadOnlySpan<byte> local, string ns) => At(local, ns) ? ReadTarget(local, ns) : null;

    /// <summary>Zero or more repetitions of a simple string element.</summary>
    private ValueList<string> Strings(ReadOnlySpan<byte> local, string ns)
    {
        if (!At(local, ns)) return ValueList<string>.Empty;
        var list = new ListBuilder<string>();
        while (At(local, ns)) list.Add(Text());
        return list.ToValueList();
    }

    /// <summary>Zero or more <c>outer</c> elements each holding one <c>inner</c> string element.</summary>
    private ValueList<string> WrappedStrings(ReadOnlySpan<byte> outer, string outerNs, ReadOnlySpan<byte> inner, string innerNs)
    {
        if (!At(outer, outerNs)) return ValueList<string>.Empty;
        var list = new ListBuilder<string>();
        while (At(outer, outerNs))
        {
            Begin();
            list.Add(Text(inner, innerNs));
            End();
        }
        return list.ToValueList();
    }

    private ValueList<GmlFeatureCollection> FeatureCollections(ReadOnlySpan<byte> outer, string outerNs)
    {
        if (!At(outer, outerNs)) return ValueList<GmlFeatureCollection>.Empty;
        var list = new ListBuilder<GmlFeatureCollection>();
        while (At(outer, outerNs))
        {
            Begin();
            list.Add(ReadFeatureCollection());
            End();
        }
        return list.ToValueList();
    }

    private GmlFeatureCollection ReadFeatureCollection()
    {
        Expect("FeatureCollection"u8, Ns.Gml);
        var id = Begin("id"u8, Ns.Gml);
        CheckId(id, "gml:id");
        Expect("location"u8, Ns.Gml);
        Begin();
        Expect("Polygon"u8, Ns.Gml);
        var polygonId = Begin("id"u8, Ns.Gml);
        CheckId(polygonId, "gml:id");
        Expect("exterior"u8, Ns.Gml);
        Begin();
        Expect("LinearRing"u8, Ns.Gml);
        Begin();
        var positions = ParseDoubleList(Value("posList"u8, Ns.Gml));
        End();
        End();
        End();
        End();
        End();
        return new GmlFeatureCollection { Id = id is null ? null : OadrText.Collapse(id), PolygonId = polygonId is null ? null : OadrText.Collapse(polygonId), PositionList = positions };
    }

    private void CheckId(string? id, string name)
    {
        if (id is not null && !IsNcName(OadrText.Collapse(id))) throw Xsd($"{name} '{id}' is not an XML ID (NCName)");
    }

    private readonly ValueList<double> ParseDoubleList(ReadOnlySpan<byte> text)
    {
        var list = new ListBuilder<double>();
        var rest = text;
        while (true)
        {
            rest = rest.TrimStart(" \t\r\n"u8);
            if (rest.IsEmpty) break;
            var end = rest.IndexOfAny(" \t\r\n"u8);
            var item = end < 0 ? rest : rest[..end];
            if (!OadrText.TryParseDouble(item, out var d)) throw BadValue(text, "a list of numbers (xs:double)");
            list.Add(d);
            rest = end < 0 ? default : rest[end..];
        }
        return list.ToValueList();
    }

    private CalendarProperties ReadProperties()
    {
        Expect("properties"u8, Ns.Xcal);
        Begin();
        var start = DtStart();
        var duration = DurationProp("duration"u8, Ns.Xcal);
        Tolerance? tolerance = null;
        if (At("tolerance"u8, Ns.Xcal))
        {
            Begin();
            Expect("tolerate"u8, Ns.Xcal);
            Begin();
            IsoDuration? startAfter = At("startafter"u8, Ns.Xcal) ? DurationValue("startafter"u8, Ns.Xcal) : null;
            End();
            End();
            tolerance = new Tolerance { StartAfter = startAfter };
        }
        var notification = OptionalDurationProp("x-eiNotification"u8, Ns.Ei);
        var rampUp = OptionalDurationProp("x-eiRampUp"u8, Ns.Ei);
        var recovery = OptionalDurationProp("x-eiRecovery"u8, Ns.Ei);
        End();
        return new CalendarProperties
        {
            DtStart = start,
            Duration = duration,
            Tolerance = tolerance,
            Notification = notification,
            RampUp = rampUp,
            Recovery = recovery,
        };
    }

    /// <summary><c>strm:intervals</c>: one or more <c>ei:interval</c>.</summary>
    private ValueList<Interval> ReadIntervals()
    {
        Expect("intervals"u8, Ns.Strm);
        Begin();
        var list = new ListBuilder<Interval>();
        Expect("interval"u8, Ns.Ei);
        while (At("interval"u8, Ns.Ei)) list.Add(ReadInterval());
        End();
        return list.ToValueList();
    }

    private Interval ReadInterval()
    {
        Begin();
        DateTimeOffset? start = At("dtstart"u8, Ns.Xcal) ? DtStart() : null;
        var duration = OptionalDurationProp("duration"u8, Ns.Xcal);
        string? uid = null;
        if (At("uid"u8, Ns.Xcal))
        {
            Begin();
            uid = Text("text"u8, Ns.Xcal);
            End();
        }
        var payloads = new ListBuilder<StreamPayload>();
        do
        {
            payloads.Add(ReadStreamPayload());
        }
        while (AtElement);
        End();
        return new Interval { DtStart = start, Duration = duration, Uid = uid, Payloads = payloads.ToValueList() };
    }

    /// <summary>A member of <c>strm:streamPayloadBase</c>.</summary>
    private StreamPayload ReadStreamPayload()
    {
        if (At("signalPayload"u8, Ns.Ei))
        {
            Begin();
            var payload = ReadPayloadBase();
            End();
            return new SignalPayload { Payload = payload };
        }
        if (At("oadrReportPayload"u8, Ns.Oadr))
        {
            Begin();
            var rid = Text("rID"u8, Ns.Ei);
            uint? confidence = null;
            if (At("confidence"u8, Ns.Ei))
            {
                var c = UInt("confidence"u8, Ns.Ei);
                if (c > 100) throw BadValue(c.ToString(System.Globalization.CultureInfo.InvariantCulture), "a confidence between 0 and 100");
                confidence = c;
            }
            var accuracy = OptionalFloat("accuracy"u8, Ns.Ei);
            var payload = ReadPayloadBase();
            DataQuality? quality = At("oadrDataQuality"u8, Ns.Oadr) ? DataQualityValue() : null;
            End();
            return new OadrReportPayload { RId = rid, Confidence = confidence, Accuracy = accuracy, Payload = payload, DataQuality = quality };
        }
        if (At("oadrGBPayload"u8, Ns.Oadr))
        {
            Begin();
            var feed = ReadFeed();
            End();
            return new OadrGreenButtonPayload { Feed = feed };
        }
        throw Unexpected("a stream payload (ei:signalPayload, oadr:oadrReportPayload or oadr:oadrGBPayload)");
    }

    /// <summary>A member of <c>ei:payloadBase</c>.</summary>
    private PayloadBase ReadPayloadBase()
    {
        if (At("payloadFloat"u8, Ns.Ei))
        {
            Begin();
            var value = Float("value"u8, Ns.Ei);
            End();
            return new PayloadFloat { Value = value };
        }
        if (At("oadrPayloadResourceStatus"u8, Ns.Oadr))
        {
            Begin();
            var online = Bool("oadrOnline"u8, Ns.Oadr);
            var manual = Bool("oadrManualOverride"u8, Ns.Oadr);
            OadrLoadControlState? state = null;
            if (At("oadrLoadControlState"u8, Ns.Oadr))
            {
                Begin();
                state = new OadrLoadControlState
                {
                    Capacity = OptionalLoadControlValue("oadrCapacity"u8),
                    LevelOffset = OptionalLoadControlValue("oadrLevelOffset"u8),
                    PercentOffset = OptionalLoadControlValue("oadrPercentOffset"u8),
                    SetPoint = OptionalLoadControlValue("oadrSetPoint"u8),
                };
                End();
            }
            End();
            return new OadrPayloadResourceStatus { Online = online, ManualOverride = manual, LoadControlState = state };
        }
        throw Unexpected("a payload (ei:payloadFloat or oadr:oadrPayloadResourceStatus)");
    }

    private LoadControlStateValue? OptionalLoadControlValue(ReadOnlySpan<byte> local)
    {
        if (!At(local, Ns.Oadr)) return null;
        Begin();
        var min = OptionalFloat("oadrMin"u8, Ns.Oadr);
        var max = OptionalFloat("oadrMax"u8, Ns.Oadr);
        var current = Float("oadrCurrent"u8, Ns.Oadr);
        var normal = OptionalFloat("oadrNormal"u8, Ns.Oadr);
        End();
        return new LoadControlStateValue { Min = min, Max = max, Current = current, Normal = normal };
    }

    /// <summary>An optional member of <c>emix:itemBase</c> at the current position.</summary>
    private ItemBase? OptionalItemBase()
    {
        if (!AtElement) return null;
        var ns = _x.NamespaceUri;
        // Compared as UTF-8 against the candidates; the match is the candidate's own string, so nothing is allocated.
        var local = KnownName(_x.LocalName, ItemBaseNames);
        if (ReferenceEquals(ns, Ns.Power))
        {
            switch (local)
            {
                case "powerReal":
                {
                    Begin();
                    Fixed("itemDescription"u8, Ns.Power, "RealPower"u8);
                    var unitText = Token("itemUnits"u8, Ns.Power);
                    if (!OadrText.TryParse(unitText, out RealPowerUnit unit)) throw BadValue(unitText, "W or J/s");
                    var scale = ScaleValue();
                    var attributes = ReadPowerAttributes();
                    End();
                    return new PowerReal { Units = unit, Scale = scale, Attributes = attributes };
                }
                case "powerReactive":
                {
                    var (scale, attributes) = ReadPowerItem("ReactivePower"u8, "VAR"u8);
                    return new PowerReactive { Scale = scale, Attributes = attributes };
                }
                case "powerApparent":
                {
                    var (scale, attributes) = ReadPowerItem("ApparentPower"u8, "VA"u8);
                    return new PowerApparent { Scale = scale, Attributes = attributes };
                }
                case "energyReal":
                    return new EnergyReal { Scale = ReadScaledItem(Ns.Power, "RealEnergy"u8, "Wh"u8) };
                case "energyReactive":
                    return new EnergyReactive { Scale = ReadScaledItem(Ns.Power, "ReactiveEnergy"u8, "VARh"u8) };
                case "energyApparent":
                    return new EnergyApparent { Scale = ReadScaledItem(Ns.Power, "ApparentEnergy"u8, "VAh"u8) };
                case "voltage":
                    return new VoltageItem { Scale = ReadScaledItem(Ns.Power, "Voltage"u8, "V"u8) };
                default:
                    return null;
            }
        }
        if (!ReferenceEquals(ns, Ns.Oadr)) return null;
        switch (local)
        {
            case "current":
                return new CurrentItem { Scale = ReadScaledItem(Ns.Oadr, "Current"u8, "A"u8) };
            case "frequency":
                return new FrequencyItem { Scale = ReadScaledItem(Ns.Oadr, "Frequency"u8, "Hz"u8) };
            case "Therm":
                return new ThermItem { Scale = ReadScaledItem(Ns.Oadr, "Therm"u8, "thm"u8) };
            case "temperature":
            {
                Begin();
                Fixed("itemDescription"u8, Ns.Oadr, "temperature"u8);
                var unitText = Token("itemUnits"u8, Ns.Oadr);
                if (!OadrText.TryParse(unitText, out TemperatureUnit unit)) throw BadValue(unitText, "celsius or fahrenheit");
                var scale = ScaleValue();
                End();
                return new TemperatureItem { Units = unit, Scale = scale };
            }
            case "pulseCount":
            {
                Begin();
                Fixed("itemDescription"u8, Ns.Oadr, "pulse count"u8);
                Fixed("itemUnits"u8, Ns.Oadr, "count"u8);
                var factor = Float("pulseFactor"u8, Ns.Oadr);
                End();
                return new PulseCountItem { PulseFactor = factor };
            }
            case "currency":
            case "currencyPerKWh":
            case "currencyPerKW":
            case "currencyPerThm":
            {
                var kind = local switch
                {
                    "currency" => CurrencyItemKind.Currency,
                    "currencyPerKWh" => CurrencyItemKind.CurrencyPerKWh,
                    "currencyPerKW" => CurrencyItemKind.CurrencyPerKW,
                    _ => CurrencyItemKind.CurrencyPerThm,
                };
                Begin();
                var descriptionText = Token("itemDescription"u8, Ns.Oadr);
                if (!OadrText.TryParse(descriptionText, out CurrencyItemDescription description))
                {
                    throw BadValue(descriptionText, "currency, currencyPerKW or currencyPerKWh");
                }
                var code = Token("itemUnits"u8, Ns.Oadr);
                if (!IsoCurrencyCodes.All.Contains(code)) throw BadValue(code, "an ISO 4217 currency code");
                var scale = ScaleValue();
                End();
                return new CurrencyItem { Kind = kind, Description = description, Currency = code, Scale = scale };
            }
            case "customUnit":
            {
                Begin();
                var description = Text("itemDescription"u8, Ns.Oadr);
                var units = Text("itemUnits"u8, Ns.Oadr);
                var scale = ScaleValue();
                End();
                return new CustomUnit { ItemDescription = description, ItemUnits = units, Scale = scale };
            }
            case "oadrGBDataDescription":
            {
                Begin();
                var feed = ReadFeed();
                End();
                return new OadrGreenButtonDataDescription { Feed = feed };
            }
            default:
                return null;
        }
    }

    private static readonly string[] ItemBaseNames =
    [
        "powerReal", "powerReactive", "powerApparent", "energyReal", "energyReactive", "energyApparent", "voltage",
        "current", "frequency", "Therm", "temperature", "pulseCount", "currency", "currencyPerKWh", "currencyPerKW",
        "currencyPerThm", "customUnit", "oadrGBDataDescription",
    ];

    private static string? KnownName(ReadOnlySpan<byte> local, string[] candidates)
    {
        foreach (var candidate in candidates)
        {
            if (System.Text.Ascii.Equals(local, candidate)) return candidate;
        }
        return null;
    }

    private SiScaleCode ReadScaledItem(string ns, ReadOnlySpan<byte> description, ReadOnlySpan<byte> units)
    {
        Begin();
        Fixed("itemDescription"u8, ns, description);
        Fixed("itemUnits"u8, ns, units);
        var scale = ScaleValue();
        End();
        return scale;
    }

    private (SiScaleCode, PowerAttributes) ReadPowerItem(ReadOnlySpan<byte> description, ReadOnlySpan<byte> units)
    {
        Begin();
        Fixed("itemDescription"u8, Ns.Power, description);
        Fixed("itemUnits"u8, Ns.Power, units);
        var scale = ScaleValue();
        var attributes = ReadPowerAttributes();
        End();
        return (scale, attributes);
    }

    private PowerAttributes ReadPowerAttributes()
    {
        Expect("powerAttributes"u8, Ns.Power);
        Begin();
        var hertz = Decimal("hertz"u8, Ns.Power);
        var voltage = Decimal("voltage"u8, Ns.Power);
        var ac = Bool("ac"u8, Ns.Power);
        End();
        return new PowerAttributes { Hertz = hertz, Voltage = voltage, Ac = ac };
    }

    /// <summary>
    /// <c>atom:feed</c>, kept as XML: copied token by token (the tokenizer bounds its depth and sizes) into a string
    /// whose elements declare the namespaces they use. Comments and PIs are dropped, CDATA becomes escaped text.
    /// </summary>
    private OpaqueXml ReadFeed()
    {
        Expect("feed"u8, Ns.Atom);
        var sb = new System.Text.StringBuilder();
        var settings = new XmlWriterSettings { OmitXmlDeclaration = true, ConformanceLevel = ConformanceLevel.Fragment, NewLineHandling = NewLineHandling.None };
        using (var w = XmlWriter.Create(sb, settings))
        {
            var startDepth = _x.Depth;
            Push(_x.TokenStart);
            // The feed is kept as it was written, whitespace included.
            _x.SkipWhitespaceText = false;
            do
            {
                switch (_x.Kind)
                {
                    case XmlTokenKind.StartElement:
                        w.WriteStartElement(Utf8(_x.Prefix), Utf8(_x.LocalName), _x.NamespaceUri);
                        for (var i = 0; i < _x.AttributeCount; i++)
                        {
                            w.WriteAttributeString(Utf8(_x.AttributePrefix(i)), Utf8(_x.AttributeLocalName(i)), _x.AttributeNamespace(i), _x.AttributeValue(i));
                        }
                        if (_x.IsEmptyElement) w.WriteEndElement();
                        break;
                    case XmlTokenKind.EndElement:
                        w.WriteFullEndElement();
                        break;
                    case XmlTokenKind.Text:
                        var text = Utf8(_x.GetText());
                        if (_x.IsWhitespace) w.WriteWhitespace(text);
                        else w.WriteString(text);
                        break;
                }
                if (_x.Depth == startDepth && (_x.Kind == XmlTokenKind.EndElement || (_x.Kind == XmlTokenKind.StartElement && _x.IsEmptyElement)))
                {
                    break;
                }
            }
            while (_x.Read());
        }
        _x.SkipWhitespaceText = true;
        _x.Read();
        SkipInsignificant();
        Pop();
        return new OpaqueXml(sb.ToString());
    }

    private static string Utf8(ReadOnlySpan<byte> text) => text.IsEmpty ? string.Empty : System.Text.Encoding.UTF8.GetString(text);
}
