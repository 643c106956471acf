using System.Xml;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Model.Internal;

namespace FlexCoop.OpenAdr.Codec.Internal;

// Nested types shared by several messages, each read in schema sequence order.
internal sealed partial class OadrMessageReader
{
    private EiResponse ReadEiResponse()
    {
        Expect("eiResponse", Ns.Ei);
        Begin();
        var code = ResponseCodeValue();
        var description = OptionalText("responseDescription", Ns.Ei);
        var requestId = Text("requestID", Ns.Pyld);
        End();
        return new EiResponse { ResponseCode = code, ResponseDescription = description, RequestId = requestId };
    }

    private EiResponse? OptionalEiResponse() => At("eiResponse", Ns.Ei) ? ReadEiResponse() : null;

    private QualifiedEventId ReadQualifiedEventId()
    {
        Expect("qualifiedEventID", Ns.Ei);
        Begin();
        var id = Text("eventID", Ns.Ei);
        var mod = UInt("modificationNumber", Ns.Ei);
        End();
        return new QualifiedEventId { EventId = id, ModificationNumber = mod };
    }

    /// <summary>Reads <c>ei:EiTargetType</c> content of the current element (eiTarget, oadrDeviceClass, reportSubject, ...).</summary>
    private EiTarget ReadTarget(string local, string ns)
    {
        Expect(local, ns);
        Begin();
        var aggregated = WrappedStrings("aggregatedPnode", Ns.Power, "node", Ns.Power);
        var endDevices = WrappedStrings("endDeviceAsset", Ns.Power, "mrid", Ns.Power);
        var meters = WrappedStrings("meterAsset", Ns.Power, "mrid", Ns.Power);
        var pnodes = WrappedStrings("pnode", Ns.Power, "node", Ns.Power);
        var areas = FeatureCollections("serviceArea", Ns.Emix);
        var deliveryPoints = WrappedStrings("serviceDeliveryPoint", Ns.Power, "node", Ns.Power);
        var locations = FeatureCollections("serviceLocation", Ns.Power);
        var transports = new ListBuilder<TransportInterface>();
        while (At("transportInterface", Ns.Power))
        {
            Begin(transports.Count + 1);
            var receipt = Text("pointOfReceipt", Ns.Power);
            var delivery = Text("pointOfDelivery", Ns.Power);
            End();
            transports.Add(new TransportInterface { PointOfReceipt = receipt, PointOfDelivery = delivery });
        }
        var groupIds = Strings("groupID", Ns.Ei);
        var groupNames = Strings("groupName", Ns.Ei);
        var resourceIds = Strings("resourceID", Ns.Ei);
        var venIds = Strings("venID", Ns.Ei);
        var partyIds = Strings("partyID", Ns.Ei);
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

    private EiTarget? OptionalTarget(string local, string ns) => At(local, ns) ? ReadTarget(local, ns) : null;

    /// <summary>Zero or more repetitions of a simple string element.</summary>
    private ValueList<string> Strings(string local, string ns)
    {
        if (!At(local, ns)) return ValueList<string>.Empty;
        var list = new ListBuilder<string>();
        while (At(local, ns)) list.Add(Text(list.Count + 1));
        return list.ToValueList();
    }

    /// <summary>Zero or more <c>outer</c> elements each holding one <c>inner</c> string element.</summary>
    private ValueList<string> WrappedStrings(string outer, string outerNs, string inner, string innerNs)
    {
        if (!At(outer, outerNs)) return ValueList<string>.Empty;
        var list = new ListBuilder<string>();
        while (At(outer, outerNs))
        {
            Begin(list.Count + 1);
            list.Add(Text(inner, innerNs));
            End();
        }
        return list.ToValueList();
    }

    private ValueList<GmlFeatureCollection> FeatureCollections(string outer, string outerNs)
    {
        if (!At(outer, outerNs)) return ValueList<GmlFeatureCollection>.Empty;
        var list = new ListBuilder<GmlFeatureCollection>();
        while (At(outer, outerNs))
        {
            Begin(list.Count + 1);
            list.Add(ReadFeatureCollection());
            End();
        }
        return list.ToValueList();
    }

    private GmlFeatureCollection ReadFeatureCollection()
    {
        Expect("FeatureCollection", Ns.Gml);
        var id = Begin("id", Ns.Gml);
        CheckId(id, "gml:id");
        Expect("location", Ns.Gml);
        Begin();
        Expect("Polygon", Ns.Gml);
        var polygonId = Begin("id", Ns.Gml);
        CheckId(polygonId, "gml:id");
        Expect("exterior", Ns.Gml);
        Begin();
        Expect("LinearRing", Ns.Gml);
        Begin();
        var text = Text("posList", Ns.Gml);
        var positions = ParseDoubleList(text);
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

    private ValueList<double> ParseDoubleList(string text)
    {
        var list = new ListBuilder<double>();
        var span = text.AsSpan();
        foreach (var range in span.SplitAny(" \t\r\n"))
        {
            var item = span[range];
            if (item.IsEmpty) continue;
            if (!OadrText.TryParseDouble(item, out var d)) throw BadValue("posList", text, "a list of numbers (xs:double)");
            list.Add(d);
        }
        return list.ToValueList();
    }

    private CalendarProperties ReadProperties()
    {
        Expect("properties", Ns.Xcal);
        Begin();
        var start = DtStart();
        var duration = DurationProp("duration", Ns.Xcal);
        Tolerance? tolerance = null;
        if (At("tolerance", Ns.Xcal))
        {
            Begin();
            Expect("tolerate", Ns.Xcal);
            Begin();
            IsoDuration? startAfter = At("startafter", Ns.Xcal) ? DurationValue("startafter", Ns.Xcal) : null;
            End();
            End();
            tolerance = new Tolerance { StartAfter = startAfter };
        }
        var notification = OptionalDurationProp("x-eiNotification", Ns.Ei);
        var rampUp = OptionalDurationProp("x-eiRampUp", Ns.Ei);
        var recovery = OptionalDurationProp("x-eiRecovery", Ns.Ei);
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
        Expect("intervals", Ns.Strm);
        Begin();
        var list = new ListBuilder<Interval>();
        Expect("interval", Ns.Ei);
        while (At("interval", Ns.Ei)) list.Add(ReadInterval(list.Count + 1));
        End();
        return list.ToValueList();
    }

    private Interval ReadInterval(int index)
    {
        Begin(index);
        DateTimeOffset? start = At("dtstart", Ns.Xcal) ? DtStart() : null;
        var duration = OptionalDurationProp("duration", Ns.Xcal);
        string? uid = null;
        if (At("uid", Ns.Xcal))
        {
            Begin();
            uid = Text("text", Ns.Xcal);
            End();
        }
        var payloads = new ListBuilder<StreamPayload>();
        do
        {
            payloads.Add(ReadStreamPayload(payloads.Count + 1));
        }
        while (!_atEmpty && _r.NodeType == XmlNodeType.Element);
        End();
        return new Interval { DtStart = start, Duration = duration, Uid = uid, Payloads = payloads.ToValueList() };
    }

    /// <summary>A member of <c>strm:streamPayloadBase</c>.</summary>
    private StreamPayload ReadStreamPayload(int index)
    {
        if (At("signalPayload", Ns.Ei))
        {
            Begin(index);
            var payload = ReadPayloadBase();
            End();
            return new SignalPayload { Payload = payload };
        }
        if (At("oadrReportPayload", Ns.Oadr))
        {
            Begin(index);
            var rid = Text("rID", Ns.Ei);
            uint? confidence = null;
            if (At("confidence", Ns.Ei))
            {
                var c = UInt("confidence", Ns.Ei);
                if (c > 100) throw BadValue("confidence", c.ToString(System.Globalization.CultureInfo.InvariantCulture), "a confidence between 0 and 100");
                confidence = c;
            }
            var accuracy = OptionalFloat("accuracy", Ns.Ei);
            var payload = ReadPayloadBase();
            DataQuality? quality = At("oadrDataQuality", Ns.Oadr) ? DataQualityValue() : null;
            End();
            return new OadrReportPayload { RId = rid, Confidence = confidence, Accuracy = accuracy, Payload = payload, DataQuality = quality };
        }
        if (At("oadrGBPayload", Ns.Oadr))
        {
            Begin(index);
            var feed = ReadFeed();
            End();
            return new OadrGreenButtonPayload { Feed = feed };
        }
        throw Unexpected("a stream payload (ei:signalPayload, oadr:oadrReportPayload or oadr:oadrGBPayload)");
    }

    /// <summary>A member of <c>ei:payloadBase</c>.</summary>
    private PayloadBase ReadPayloadBase()
    {
        if (At("payloadFloat", Ns.Ei))
        {
            Begin();
            var value = Float("value", Ns.Ei);
            End();
            return new PayloadFloat { Value = value };
        }
        if (At("oadrPayloadResourceStatus", Ns.Oadr))
        {
            Begin();
            var online = Bool("oadrOnline", Ns.Oadr);
            var manual = Bool("oadrManualOverride", Ns.Oadr);
            OadrLoadControlState? state = null;
            if (At("oadrLoadControlState", Ns.Oadr))
            {
                Begin();
                state = new OadrLoadControlState
                {
                    Capacity = OptionalLoadControlValue("oadrCapacity"),
                    LevelOffset = OptionalLoadControlValue("oadrLevelOffset"),
                    PercentOffset = OptionalLoadControlValue("oadrPercentOffset"),
                    SetPoint = OptionalLoadControlValue("oadrSetPoint"),
                };
                End();
            }
            End();
            return new OadrPayloadResourceStatus { Online = online, ManualOverride = manual, LoadControlState = state };
        }
        throw Unexpected("a payload (ei:payloadFloat or oadr:oadrPayloadResourceStatus)");
    }

    private LoadControlStateValue? OptionalLoadControlValue(string local)
    {
        if (!At(local, Ns.Oadr)) return null;
        Begin();
        var min = OptionalFloat("oadrMin", Ns.Oadr);
        var max = OptionalFloat("oadrMax", Ns.Oadr);
        var current = Float("oadrCurrent", Ns.Oadr);
        var normal = OptionalFloat("oadrNormal", Ns.Oadr);
        End();
        return new LoadControlStateValue { Min = min, Max = max, Current = current, Normal = normal };
    }

    /// <summary>An optional member of <c>emix:itemBase</c> at the current position.</summary>
    private ItemBase? OptionalItemBase()
    {
        if (_atEmpty || _r.NodeType != XmlNodeType.Element) return null;
        var ns = _r.NamespaceURI;
        var local = _r.LocalName;
        if (ReferenceEquals(ns, Ns.Power))
        {
            switch (local)
            {
                case "powerReal":
                {
                    Begin();
                    Fixed("itemDescription", Ns.Power, "RealPower");
                    var unitText = Token("itemUnits", Ns.Power);
                    if (!OadrText.TryParse(unitText, out RealPowerUnit unit)) throw BadValue("itemUnits", unitText, "W or J/s");
                    var scale = ScaleValue();
                    var attributes = ReadPowerAttributes();
                    End();
                    return new PowerReal { Units = unit, Scale = scale, Attributes = attributes };
                }
                case "powerReactive":
                {
                    var (scale, attributes) = ReadPowerItem("ReactivePower", "VAR");
                    return new PowerReactive { Scale = scale, Attributes = attributes };
                }
                case "powerApparent":
                {
                    var (scale, attributes) = ReadPowerItem("ApparentPower", "VA");
                    return new PowerApparent { Scale = scale, Attributes = attributes };
                }
                case "energyReal":
                    return new EnergyReal { Scale = ReadScaledItem(Ns.Power, "RealEnergy", "Wh") };
                case "energyReactive":
                    return new EnergyReactive { Scale = ReadScaledItem(Ns.Power, "ReactiveEnergy", "VARh") };
                case "energyApparent":
                    return new EnergyApparent { Scale = ReadScaledItem(Ns.Power, "ApparentEnergy", "VAh") };
                case "voltage":
                    return new VoltageItem { Scale = ReadScaledItem(Ns.Power, "Voltage", "V") };
                default:
                    return null;
            }
        }
        if (!ReferenceEquals(ns, Ns.Oadr)) return null;
        switch (local)
        {
            case "current":
                return new CurrentItem { Scale = ReadScaledItem(Ns.Oadr, "Current", "A") };
            case "frequency":
                return new FrequencyItem { Scale = ReadScaledItem(Ns.Oadr, "Frequency", "Hz") };
            case "Therm":
                return new ThermItem { Scale = ReadScaledItem(Ns.Oadr, "Therm", "thm") };
            case "temperature":
            {
                Begin();
                Fixed("itemDescription", Ns.Oadr, "temperature");
                var unitText = Token("itemUnits", Ns.Oadr);
                if (!OadrText.TryParse(unitText, out TemperatureUnit unit)) throw BadValue("itemUnits", unitText, "celsius or fahrenheit");
                var scale = ScaleValue();
                End();
                return new TemperatureItem { Units = unit, Scale = scale };
            }
            case "pulseCount":
            {
                Begin();
                Fixed("itemDescription", Ns.Oadr, "pulse count");
                Fixed("itemUnits", Ns.Oadr, "count");
                var factor = Float("pulseFactor", Ns.Oadr);
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
                var descriptionText = Token("itemDescription", Ns.Oadr);
                if (!OadrText.TryParse(descriptionText, out CurrencyItemDescription description))
                {
                    throw BadValue("itemDescription", descriptionText, "currency, currencyPerKW or currencyPerKWh");
                }
                var code = Token("itemUnits", Ns.Oadr);
                if (!IsoCurrencyCodes.All.Contains(code)) throw BadValue("itemUnits", code, "an ISO 4217 currency code");
                var scale = ScaleValue();
                End();
                return new CurrencyItem { Kind = kind, Description = description, Currency = code, Scale = scale };
            }
            case "customUnit":
            {
                Begin();
                var description = Text("itemDescription", Ns.Oadr);
                var units = Text("itemUnits", Ns.Oadr);
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

    private SiScaleCode ReadScaledItem(string ns, string description, string units)
    {
        Begin();
        Fixed("itemDescription", ns, description);
        Fixed("itemUnits", ns, units);
        var scale = ScaleValue();
        End();
        return scale;
    }

    private (SiScaleCode, PowerAttributes) ReadPowerItem(string description, string units)
    {
        Begin();
        Fixed("itemDescription", Ns.Power, description);
        Fixed("itemUnits", Ns.Power, units);
        var scale = ScaleValue();
        var attributes = ReadPowerAttributes();
        End();
        return (scale, attributes);
    }

    private PowerAttributes ReadPowerAttributes()
    {
        Expect("powerAttributes", Ns.Power);
        Begin();
        var hertz = Decimal("hertz", Ns.Power);
        var voltage = Decimal("voltage", Ns.Power);
        var ac = Bool("ac", Ns.Power);
        End();
        return new PowerAttributes { Hertz = hertz, Voltage = voltage, Ac = ac };
    }

    /// <summary>
    /// <c>atom:feed</c>, kept as XML: copied node by node (so depth and size limits hold) into a string whose
    /// root declares the namespaces it uses.
    /// </summary>
    private OpaqueXml ReadFeed()
    {
        Expect("feed", Ns.Atom);
        var sb = new System.Text.StringBuilder();
        var settings = new XmlWriterSettings { OmitXmlDeclaration = true, ConformanceLevel = ConformanceLevel.Fragment, NewLineHandling = NewLineHandling.None };
        using (var w = XmlWriter.Create(sb, settings))
        {
            var startDepth = _r.Depth;
            Push(_r.LocalName, 0);
            do
            {
                switch (_r.NodeType)
                {
                    case XmlNodeType.Element:
                        CheckDepth();
                        w.WriteStartElement(_r.Prefix, _r.LocalName, _r.NamespaceURI);
                        var empty = _r.IsEmptyElement;
                        for (var more = _r.MoveToFirstAttribute(); more; more = _r.MoveToNextAttribute())
                        {
                            CheckToken(_r.Value);
                            w.WriteAttributeString(_r.Prefix, _r.LocalName, _r.NamespaceURI, _r.Value);
                        }
                        _r.MoveToElement();
                        if (empty) w.WriteEndElement();
                        break;
                    case XmlNodeType.EndElement:
                        w.WriteFullEndElement();
                        break;
                    case XmlNodeType.Text:
                        CheckToken(_r.Value);
                        w.WriteString(_r.Value);
                        break;
                    case XmlNodeType.CDATA:
                        CheckToken(_r.Value);
                        w.WriteCData(_r.Value);
                        break;
                    case XmlNodeType.Whitespace:
                    case XmlNodeType.SignificantWhitespace:
                        w.WriteWhitespace(_r.Value);
                        break;
                }
                if (_r.Depth == startDepth && (_r.NodeType == XmlNodeType.EndElement || (_r.NodeType == XmlNodeType.Element && _r.IsEmptyElement)))
                {
                    break;
                }
            }
            while (_r.Read());
        }
        _r.Read();
        SkipInsignificant();
        Pop();
        return new OpaqueXml(sb.ToString());
    }
}
