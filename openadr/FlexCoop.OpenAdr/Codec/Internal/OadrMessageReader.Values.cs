using FlexCoop.OpenAdr.Model;

namespace FlexCoop.OpenAdr.Codec.Internal;

// Typed simple values: each reads one element (which must be the current node) and checks its lexical form.
internal sealed partial class OadrMessageReader
{
    private string Token(string local, string ns) => OadrText.Collapse(Text(local, ns));

    private uint UInt(string local, string ns)
    {
        var t = Text(local, ns);
        return OadrText.TryParseUInt(t, out var v) ? v : throw BadValue(local, t, "an unsigned 32-bit integer (xs:unsignedInt)");
    }

    private uint? OptionalUInt(string local, string ns) => At(local, ns) ? UInt(local, ns) : null;

    private bool Bool(string local, string ns)
    {
        var t = Text(local, ns);
        return OadrText.TryParseBoolean(t, out var v) ? v : throw BadValue(local, t, "a boolean (true, false, 1, 0)");
    }

    private bool? OptionalBool(string local, string ns) => At(local, ns) ? Bool(local, ns) : null;

    private float Float(string local, string ns)
    {
        var t = Text(local, ns);
        return OadrText.TryParseFloat(t, out var v) ? v : throw BadValue(local, t, "a number (xs:float)");
    }

    private float? OptionalFloat(string local, string ns) => At(local, ns) ? Float(local, ns) : null;

    private decimal Decimal(string local, string ns)
    {
        var t = Text(local, ns);
        return OadrText.TryParseDecimal(t, out var v) ? v : throw BadValue(local, t, "a decimal number (xs:decimal)");
    }

    /// <summary>An element of type <c>xcal:DateTimeType</c>.</summary>
    private DateTimeOffset DateTimeValue(string local, string ns)
    {
        var t = Text(local, ns);
        return OadrText.TryParseDateTime(t, out var v) ? v : throw BadValue(local, t, "a UTC date and time (yyyy-mm-ddThh:mm:ss[.fff]Z)");
    }

    private DateTimeOffset? OptionalDateTimeValue(string local, string ns) => At(local, ns) ? DateTimeValue(local, ns) : null;

    /// <summary><c>xcal:dtstart</c> holding <c>xcal:date-time</c>.</summary>
    private DateTimeOffset DtStart()
    {
        Expect("dtstart", Ns.Xcal);
        Begin();
        var v = DateTimeValue("date-time", Ns.Xcal);
        End();
        return v;
    }

    /// <summary>An element of type <c>xcal:DurationValueType</c> (its exact text).</summary>
    private IsoDuration DurationValue(string local, string ns)
    {
        var t = Text(local, ns);
        return IsoDuration.TryParse(t, out var v) ? v : throw BadValue(local, t, "an ISO 8601 duration as xCal allows it (e.g. PT15M, P1D)");
    }

    /// <summary>An element of type <c>xcal:DurationPropType</c>: it wraps <c>xcal:duration</c>.</summary>
    private IsoDuration DurationProp(string local, string ns)
    {
        Expect(local, ns);
        Begin();
        var v = DurationValue("duration", Ns.Xcal);
        End();
        return v;
    }

    private IsoDuration? OptionalDurationProp(string local, string ns) => At(local, ns) ? DurationProp(local, ns) : null;

    private ResponseCode ResponseCodeValue()
    {
        var t = Text("responseCode", Ns.Ei);
        var code = new ResponseCode(t);
        return code.IsValid ? code : throw BadValue("responseCode", t, "a three-digit response code");
    }

    private SchemaVersion? SchemaVersionValue(string? attribute)
    {
        if (attribute is null) return null;
        var v = new SchemaVersion(OadrText.Collapse(attribute));
        return v.IsValid ? v : throw Xsd($"ei:schemaVersion '{attribute}' is not 2.0a, 2.0b or an x- extension");
    }

    private SignalName SignalNameValue()
    {
        var v = new SignalName(Token("signalName", Ns.Ei));
        return v.IsValid ? v : throw BadValue("signalName", v.Value, "a signal name of the 2.0b list or an x- extension");
    }

    private ReportName ReportNameValue()
    {
        var v = new ReportName(Token("reportName", Ns.Ei));
        return v.IsValid ? v : throw BadValue("reportName", v.Value, "a report name of the 2.0b list or an x- extension");
    }

    private ReportType ReportTypeValue()
    {
        var v = new ReportType(Token("reportType", Ns.Ei));
        return v.IsValid ? v : throw BadValue("reportType", v.Value, "a report type of the 2.0b list or an x- extension");
    }

    private ReadingType ReadingTypeValue()
    {
        var v = new ReadingType(Token("readingType", Ns.Ei));
        return v.IsValid ? v : throw BadValue("readingType", v.Value, "a reading type of the 2.0b list or an x- extension");
    }

    private OptReason OptReasonValue()
    {
        var v = new OptReason(Token("optReason", Ns.Ei));
        return v.IsValid ? v : throw BadValue("optReason", v.Value, "an opt reason of the 2.0b list or an x- extension");
    }

    private DataQuality DataQualityValue()
    {
        var v = new DataQuality(Token("oadrDataQuality", Ns.Oadr));
        return v.IsValid ? v : throw BadValue("oadrDataQuality", v.Value, "a data quality of the 2.0b list or an x- extension");
    }

    private EventStatus EventStatusValue()
    {
        var t = Token("eventStatus", Ns.Ei);
        return OadrText.TryParse(t, out EventStatus v) ? v : throw BadValue("eventStatus", t, "none, far, near, active, completed or cancelled");
    }

    private OptType OptTypeValue()
    {
        var t = Token("optType", Ns.Ei);
        return OadrText.TryParse(t, out OptType v) ? v : throw BadValue("optType", t, "optIn or optOut");
    }

    private ResponseRequired ResponseRequiredValue()
    {
        var t = Text("oadrResponseRequired", Ns.Oadr);
        return OadrText.TryParse(t, out ResponseRequired v) ? v : throw BadValue("oadrResponseRequired", t, "always or never");
    }

    private OadrProfileName ProfileNameValue()
    {
        var t = Token("oadrProfileName", Ns.Oadr);
        return OadrText.TryParse(t, out OadrProfileName v) ? v : throw BadValue("oadrProfileName", t, "2.0a or 2.0b");
    }

    private OadrTransportName TransportNameValue()
    {
        var t = Token("oadrTransportName", Ns.Oadr);
        return OadrText.TryParse(t, out OadrTransportName v) ? v : throw BadValue("oadrTransportName", t, "simpleHttp or xmpp");
    }

    private OadrServiceName ServiceNameValue()
    {
        var t = Token("oadrServiceName", Ns.Oadr);
        return OadrText.TryParse(t, out OadrServiceName v) ? v : throw BadValue("oadrServiceName", t, "EiEvent, EiOpt, EiReport, EiRegisterParty or OadrPoll");
    }

    private SignalType SignalTypeValue()
    {
        var t = Token("signalType", Ns.Ei);
        return OadrText.TryParse(t, out SignalType v) ? v : throw BadValue("signalType", t, "a signal type of the 2.0b list");
    }

    private SiScaleCode ScaleValue()
    {
        var t = Text("siScaleCode", Ns.Scale);
        return OadrText.TryParse(t, out SiScaleCode v) ? v : throw BadValue("siScaleCode", t, "an SI scale code (p, n, micro, m, c, d, k, M, G, T, none)");
    }

    /// <summary>An <c>xs:string</c> element whose schema fixes its value.</summary>
    private void Fixed(string local, string ns, string expected)
    {
        var t = Text(local, ns);
        if (!string.Equals(t, expected, StringComparison.Ordinal)) throw BadValue(local, t, $"'{expected}', the value the schema fixes");
    }
}
