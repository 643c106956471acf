using System.Xml;
using FlexCoop.OpenAdr.Model;

namespace FlexCoop.OpenAdr.Codec.Internal;

internal sealed partial class OadrMessageWriter
{
    private void Target(string prefix, string local, string ns, EiTarget target)
    {
        Start(prefix, local, ns);
        WrappedStrings("aggregatedPnode", "node", target.AggregatedPnodes);
        WrappedStrings("endDeviceAsset", "mrid", target.EndDeviceAssets);
        WrappedStrings("meterAsset", "mrid", target.MeterAssets);
        WrappedStrings("pnode", "node", target.Pnodes);
        foreach (var area in target.ServiceAreas)
        {
            Start(Emix, "serviceArea", Ns.Emix);
            FeatureCollection(area);
            End();
        }
        WrappedStrings("serviceDeliveryPoint", "node", target.ServiceDeliveryPoints);
        foreach (var location in target.ServiceLocations)
        {
            Start(Power, "serviceLocation", Ns.Power);
            FeatureCollection(location);
            End();
        }
        foreach (var ti in target.TransportInterfaces)
        {
            Start(Power, "transportInterface", Ns.Power);
            Leaf(Power, "pointOfReceipt", Ns.Power, ti.PointOfReceipt);
            Leaf(Power, "pointOfDelivery", Ns.Power, ti.PointOfDelivery);
            End();
        }
        Strings(Ei, "groupID", Ns.Ei, target.GroupIds);
        Strings(Ei, "groupName", Ns.Ei, target.GroupNames);
        Strings(Ei, "resourceID", Ns.Ei, target.ResourceIds);
        Strings(Ei, "venID", Ns.Ei, target.VenIds);
        Strings(Ei, "partyID", Ns.Ei, target.PartyIds);
        End();
    }

    private void FeatureCollection(GmlFeatureCollection fc)
    {
        Start(Gml, "FeatureCollection", Ns.Gml);
        if (fc.Id is not null) w.WriteAttributeString(Gml, "id", Ns.Gml, fc.Id);
        Start(Gml, "location", Ns.Gml);
        Start(Gml, "Polygon", Ns.Gml);
        if (fc.PolygonId is not null) w.WriteAttributeString(Gml, "id", Ns.Gml, fc.PolygonId);
        Start(Gml, "exterior", Ns.Gml);
        Start(Gml, "LinearRing", Ns.Gml);
        Start(Gml, "posList", Ns.Gml);
        var first = true;
        foreach (var d in fc.PositionList)
        {
            if (!first) w.WriteString(" ");
            first = false;
            w.WriteChars(_buffer, 0, OadrText.FormatDouble(d, _buffer));
        }
        End();
        End();
        End();
        End();
        End();
        End();
    }

    private void Properties(CalendarProperties p)
    {
        Start(Xcal, "properties", Ns.Xcal);
        DtStart(p.DtStart);
        DurationProp(Xcal, "duration", Ns.Xcal, p.Duration);
        if (p.Tolerance is { } tolerance)
        {
            Start(Xcal, "tolerance", Ns.Xcal);
            Start(Xcal, "tolerate", Ns.Xcal);
            if (tolerance.StartAfter is { } startAfter) Leaf(Xcal, "startafter", Ns.Xcal, startAfter.Text);
            End();
            End();
        }
        if (p.Notification is { } n) DurationProp(Ei, "x-eiNotification", Ns.Ei, n);
        if (p.RampUp is { } r) DurationProp(Ei, "x-eiRampUp", Ns.Ei, r);
        if (p.Recovery is { } rec) DurationProp(Ei, "x-eiRecovery", Ns.Ei, rec);
        End();
    }

    private void Intervals(ValueList<Interval> intervals)
    {
        Start(Strm, "intervals", Ns.Strm);
        foreach (var interval in intervals)
        {
            Start(Ei, "interval", Ns.Ei);
            if (interval.DtStart is { } start) DtStart(start);
            if (interval.Duration is { } duration) DurationProp(Xcal, "duration", Ns.Xcal, duration);
            if (interval.Uid is { } uid)
            {
                Start(Xcal, "uid", Ns.Xcal);
                Leaf(Xcal, "text", Ns.Xcal, uid);
                End();
            }
            foreach (var payload in interval.Payloads) StreamPayload(payload);
            End();
        }
        End();
    }

    private void StreamPayload(StreamPayload payload)
    {
        switch (payload)
        {
            case SignalPayload sp:
                Start(Ei, "signalPayload", Ns.Ei);
                PayloadBase(sp.Payload);
                End();
                break;
            case OadrReportPayload rp:
                Start(Oadr, "oadrReportPayload", Ns.Oadr);
                Leaf(Ei, "rID", Ns.Ei, rp.RId);
                if (rp.Confidence is { } c) UInt(Ei, "confidence", Ns.Ei, c);
                if (rp.Accuracy is { } a) Float(Ei, "accuracy", Ns.Ei, a);
                PayloadBase(rp.Payload);
                if (rp.DataQuality is { } q) Leaf(Oadr, "oadrDataQuality", Ns.Oadr, q.Value ?? "");
                End();
                break;
            case OadrGreenButtonPayload gb:
                Start(Oadr, "oadrGBPayload", Ns.Oadr);
                Opaque(gb.Feed);
                End();
                break;
            default:
                throw new ArgumentException($"unknown stream payload {payload?.GetType().Name ?? "null"}", nameof(payload));
        }
    }

    private void PayloadBase(PayloadBase payload)
    {
        switch (payload)
        {
            case PayloadFloat f:
                Start(Ei, "payloadFloat", Ns.Ei);
                Float(Ei, "value", Ns.Ei, f.Value);
                End();
                break;
            case OadrPayloadResourceStatus s:
                Start(Oadr, "oadrPayloadResourceStatus", Ns.Oadr);
                Bool(Oadr, "oadrOnline", Ns.Oadr, s.Online);
                Bool(Oadr, "oadrManualOverride", Ns.Oadr, s.ManualOverride);
                if (s.LoadControlState is { } state)
                {
                    Start(Oadr, "oadrLoadControlState", Ns.Oadr);
                    LoadControlValue("oadrCapacity", state.Capacity);
                    LoadControlValue("oadrLevelOffset", state.LevelOffset);
                    LoadControlValue("oadrPercentOffset", state.PercentOffset);
                    LoadControlValue("oadrSetPoint", state.SetPoint);
                    End();
                }
                End();
                break;
            default:
                throw new ArgumentException($"unknown payload {payload?.GetType().Name ?? "null"}", nameof(payload));
        }
    }

    private void LoadControlValue(string local, LoadControlStateValue? value)
    {
        if (value is null) return;
        Start(Oadr, local, Ns.Oadr);
        if (value.Min is { } min) Float(Oadr, "oadrMin", Ns.Oadr, min);
        if (value.Max is { } max) Float(Oadr, "oadrMax", Ns.Oadr, max);
        Float(Oadr, "oadrCurrent", Ns.Oadr, value.Current);
        if (value.Normal is { } normal) Float(Oadr, "oadrNormal", Ns.Oadr, normal);
        End();
    }

    private void ItemBase(ItemBase? item)
    {
        switch (item)
        {
            case null:
                return;
            case PowerReal p:
                Start(Power, "powerReal", Ns.Power);
                Leaf(Power, "itemDescription", Ns.Power, "RealPower");
                Leaf(Power, "itemUnits", Ns.Power, OadrText.ToText(p.Units));
                Leaf(Scale, "siScaleCode", Ns.Scale, OadrText.ToText(p.Scale));
                PowerAttributes(p.Attributes);
                End();
                return;
            case PowerReactive p:
                PowerItem("powerReactive", "ReactivePower", "VAR", p.Scale, p.Attributes);
                return;
            case PowerApparent p:
                PowerItem("powerApparent", "ApparentPower", "VA", p.Scale, p.Attributes);
                return;
            case EnergyReal e:
                ScaledItem(Power, Ns.Power, "energyReal", "RealEnergy", "Wh", e.Scale);
                return;
            case EnergyReactive e:
                ScaledItem(Power, Ns.Power, "energyReactive", "ReactiveEnergy", "VARh", e.Scale);
                return;
            case EnergyApparent e:
                ScaledItem(Power, Ns.Power, "energyApparent", "ApparentEnergy", "VAh", e.Scale);
                return;
            case VoltageItem v:
                ScaledItem(Power, Ns.Power, "voltage", "Voltage", "V", v.Scale);
                return;
            case CurrentItem c:
                ScaledItem(Oadr, Ns.Oadr, "current", "Current", "A", c.Scale);
                return;
            case FrequencyItem f:
                ScaledItem(Oadr, Ns.Oadr, "frequency", "Frequency", "Hz", f.Scale);
                return;
            case ThermItem t:
                ScaledItem(Oadr, Ns.Oadr, "Therm", "Therm", "thm", t.Scale);
                return;
            case TemperatureItem t:
                ScaledItem(Oadr, Ns.Oadr, "temperature", "temperature", OadrText.ToText(t.Units), t.Scale);
                return;
            case PulseCountItem p:
                Start(Oadr, "pulseCount", Ns.Oadr);
                Leaf(Oadr, "itemDescription", Ns.Oadr, "pulse count");
                Leaf(Oadr, "itemUnits", Ns.Oadr, "count");
                Float(Oadr, "pulseFactor", Ns.Oadr, p.PulseFactor);
                End();
                return;
            case CurrencyItem c:
                ScaledItem(Oadr, Ns.Oadr, OadrText.ElementName(c.Kind), OadrText.ToText(c.Description), c.Currency, c.Scale);
                return;
            case CustomUnit u:
                ScaledItem(Oadr, Ns.Oadr, "customUnit", u.ItemDescription, u.ItemUnits, u.Scale);
                return;
            case OadrGreenButtonDataDescription gb:
                Start(Oadr, "oadrGBDataDescription", Ns.Oadr);
                Opaque(gb.Feed);
                End();
                return;
            default:
                throw new ArgumentException($"unknown item base {item.GetType().Name}", nameof(item));
        }
    }

    private void ScaledItem(string prefix, string ns, string local, string description, string units, SiScaleCode scale)
    {
        Start(prefix, local, ns);
        Leaf(prefix, "itemDescription", ns, description);
        Leaf(prefix, "itemUnits", ns, units);
        Leaf(Scale, "siScaleCode", Ns.Scale, OadrText.ToText(scale));
        End();
    }

    private void PowerItem(string local, string description, string units, SiScaleCode scale, PowerAttributes attributes)
    {
        Start(Power, local, Ns.Power);
        Leaf(Power, "itemDescription", Ns.Power, description);
        Leaf(Power, "itemUnits", Ns.Power, units);
        Leaf(Scale, "siScaleCode", Ns.Scale, OadrText.ToText(scale));
        PowerAttributes(attributes);
        End();
    }

    private void PowerAttributes(PowerAttributes a)
    {
        Start(Power, "powerAttributes", Ns.Power);
        Decimal(Power, "hertz", Ns.Power, a.Hertz);
        Decimal(Power, "voltage", Ns.Power, a.Voltage);
        Bool(Power, "ac", Ns.Power, a.Ac);
        End();
    }

    /// <summary>Writes kept XML back, read with the same hostile-input settings as any message.</summary>
    private void Opaque(OpaqueXml xml)
    {
        var settings = Xml.OadrXmlLimits.Default.CreateReaderSettings();
        settings.ConformanceLevel = ConformanceLevel.Fragment;
        settings.IgnoreWhitespace = false;
        using var reader = XmlReader.Create(new StringReader(xml.OuterXml), settings);
        reader.MoveToContent();
        w.WriteNode(reader, defattr: false);
    }
}
