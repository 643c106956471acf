using System.Runtime.InteropServices;
using FlexCoop.OpenAdr.Model;

namespace FlexCoop.OpenAdr.Codec.Internal;

// Typed simple values: each reads one element (which must be the current node) and checks its lexical form.
internal ref partial struct OadrMessageReader
{
    private string Token(ReadOnlySpan<byte> local, string ns) => OadrText.Collapse(Text(local, ns));

    private uint UInt(ReadOnlySpan<byte> local, string ns)
    {
        var t = Value(local, ns);
        return OadrText.TryParseUInt(t, out var v) ? v : throw BadValue(t, "an unsigned 32-bit integer (xs:unsignedInt)");
    }

    private uint? OptionalUInt(ReadOnlySpan<byte> local, string ns) => At(local, ns) ? UInt(local, ns) : null;

    private bool Bool(ReadOnlySpan<byte> local, string ns)
    {
        var t = Value(local, ns);
        return OadrText.TryParseBoolean(t, out var v) ? v : throw BadValue(t, "a boolean (true, false, 1, 0)");
    }

    private bool? OptionalBool(ReadOnlySpan<byte> local, string ns) => At(local, ns) ? Bool(local, ns) : null;

    private float Float(ReadOnlySpan<byte> local, string ns)
    {
        var t = Value(local, ns);
        return OadrText.TryParseFloat(t, out var v) ? v : throw BadValue(t, "a number (xs:float)");
    }

    private float? OptionalFloat(ReadOnlySpan<byte> local, string ns) => At(local, ns) ? Float(local, ns) : null;

    private decimal Decimal(ReadOnlySpan<byte> local, string ns)
    {
        var t = Value(local, ns);
        return OadrText.TryParseDecimal(t, out var v) ? v : throw BadValue(t, "a decimal number (xs:decimal)");
    }

    /// <summary>An element of type <c>xcal:DateTimeType</c>.</summary>
    private DateTimeOffset DateTimeValue(ReadOnlySpan<byte> local, string ns)
    {
        var t = Value(local, ns);
        // Reports give one date-time per interval, mostly on one day: the plain form yyyy-mm-ddThh:mm:ssZ on the day
        // read last takes only its time of day parsed.
        if (t.Length == 20 && _lastDate != 0 && MemoryMarshal.Read<ulong>(t) == _lastDate && MemoryMarshal.Read<ushort>(t[8..]) == _lastDay
            && t[10] == 'T' && t[13] == ':' && t[16] == ':' && t[19] == 'Z'
            && TwoDigits(t, 11, out var hour) && TwoDigits(t, 14, out var minute) && TwoDigits(t, 17, out var second)
            && hour < 24 && minute < 60 && second < 60)
        {
            return new DateTimeOffset(_lastDateTicks + (hour * 3600L + minute * 60L + second) * TimeSpan.TicksPerSecond, TimeSpan.Zero);
        }
        if (!OadrText.TryParseDateTime(t, out var v)) throw BadValue(t, "a UTC date and time (yyyy-mm-ddThh:mm:ss[.fff]Z)");
        if (t.Length == 20 && v.Offset == TimeSpan.Zero && t[10] == 'T' && v.TimeOfDay.Ticks % TimeSpan.TicksPerSecond == 0)
        {
            // hh 24:00:00 is the next day's midnight: its day is not the written one, and is not cached.
            var written = !t[11..13].SequenceEqual("24"u8);
            if (written)
            {
                _lastDate = MemoryMarshal.Read<ulong>(t);
                _lastDay = MemoryMarshal.Read<ushort>(t[8..]);
                _lastDateTicks = v.UtcTicks - v.UtcTicks % TimeSpan.TicksPerDay;
            }
        }
        return v;
    }

    private static bool TwoDigits(ReadOnlySpan<byte> t, int at, out int value)
    {
        var a = (uint)(t[at] - '0');
        var b = (uint)(t[at + 1] - '0');
        value = (int)(a * 10 + b);
        return a <= 9 && b <= 9;
    }

    private DateTimeOffset? OptionalDateTimeValue(ReadOnlySpan<byte> local, string ns) => At(local, ns) ? DateTimeValue(local, ns) : null;

    /// <summary><c>xcal:dtstart</c> holding <c>xcal:date-time</c>.</summary>
    private DateTimeOffset DtStart()
    {
        Expect("dtstart"u8, Ns.Xcal);
        Begin();
        var v = DateTimeValue("date-time"u8, Ns.Xcal);
        End();
        return v;
    }

    /// <summary>An element of type <c>xcal:DurationValueType</c> (its exact text).</summary>
    private IsoDuration DurationValue(ReadOnlySpan<byte> local, string ns)
    {
        var t = Value(local, ns);
        if (_lastDuration is { } last && System.Text.Ascii.Equals(t, last.Text)) return last;
        var text = System.Text.Encoding.UTF8.GetString(t);
        if (!IsoDuration.TryParse(text, out var v)) throw BadValue(text, "an ISO 8601 duration as xCal allows it (e.g. PT15M, P1D)");
        _lastDuration = v;
        return v;
    }

    /// <summary>An element of type <c>xcal:DurationPropType</c>: it wraps <c>xcal:duration</c>.</summary>
    private IsoDuration DurationProp(ReadOnlySpan<byte> local, string ns)
    {
        Expect(local, ns);
        Begin();
        var v = DurationValue("duration"u8, Ns.Xcal);
        End();
        return v;
    }

    private IsoDuration? OptionalDurationProp(ReadOnlySpan<byte> local, string ns) => At(local, ns) ? DurationProp(local, ns) : null;

    private ResponseCode ResponseCodeValue()
    {
        var t = Text("responseCode"u8, Ns.Ei);
        var code = new ResponseCode(t);
        return code.IsValid ? code : throw BadValue(t, "a three-digit response code");
    }

    private SchemaVersion? SchemaVersionValue(string? attribute)
    {
        if (attribute is null) return null;
        var v = new SchemaVersion(OadrText.Collapse(attribute));
        return v.IsValid ? v : throw Xsd($"ei:schemaVersion '{attribute}' is not 2.0a, 2.0b or an x- extension");
    }

    private SignalName SignalNameValue()
    {
        var v = new SignalName(Token("signalName"u8, Ns.Ei));
        return v.IsValid ? v : throw BadValue(v.Value, "a signal name of the 2.0b list or an x- extension");
    }

    private ReportName ReportNameValue()
    {
        var v = new ReportName(Token("reportName"u8, Ns.Ei));
        return v.IsValid ? v : throw BadValue(v.Value, "a report name of the 2.0b list or an x- extension");
    }

    private ReportType ReportTypeValue()
    {
        var v = new ReportType(Token("reportType"u8, Ns.Ei));
        return v.IsValid ? v : throw BadValue(v.Value, "a report type of the 2.0b list or an x- extension");
    }

    private ReadingType ReadingTypeValue()
    {
        var v = new ReadingType(Token("readingType"u8, Ns.Ei));
        return v.IsValid ? v : throw BadValue(v.Value, "a reading type of the 2.0b list or an x- extension");
    }

    private OptReason OptReasonValue()
    {
        var v = new OptReason(Token("optReason"u8, Ns.Ei));
        return v.IsValid ? v : throw BadValue(v.Value, "an opt reason of the 2.0b list or an x- extension");
    }

    private DataQuality DataQualityValue()
    {
        var v = new DataQuality(Token("oadrDataQuality"u8, Ns.Oadr));
        return v.IsValid ? v : throw BadValue(v.Value, "a data quality of the 2.0b list or an x- extension");
    }

    private EventStatus EventStatusValue()
    {
        var t = Token("eventStatus"u8, Ns.Ei);
        return OadrText.TryParse(t, out EventStatus v) ? v : throw BadValue(t, "none, far, near, active, completed or cancelled");
    }

    private OptType OptTypeValue()
    {
        var t = Token("optType"u8, Ns.Ei);
        return OadrText.TryParse(t, out OptType v) ? v : throw BadValue(t, "optIn or optOut");
    }

    private ResponseRequired ResponseRequiredValue()
    {
        var t = Text("oadrResponseRequired"u8, Ns.Oadr);
        return OadrText.TryParse(t, out ResponseRequired v) ? v : throw BadValue(t, "always or never");
    }

    private OadrProfileName ProfileNameValue()
    {
        var t = Token("oadrProfileName"u8, Ns.Oadr);
        return OadrText.TryParse(t, out OadrProfileName v) ? v : throw BadValue(t, "2.0a or 2.0b");
    }

    private OadrTransportName TransportNameValue()
    {
        var t = Token("oadrTransportName"u8, Ns.Oadr);
        return OadrText.TryParse(t, out OadrTransportName v) ? v : throw BadValue(t, "simpleHttp or xmpp");
    }

    private OadrServiceName ServiceNameValue()
    {
        var t = Token("oadrServiceName"u8, Ns.Oadr);
        return OadrText.TryParse(t, out OadrServiceName v) ? v : throw BadValue(t, "EiEvent, EiOpt, EiReport, EiRegisterParty or OadrPoll");
    }

    private SignalType SignalTypeValue()
    {
        var t = Token("signalType"u8, Ns.Ei);
        return OadrText.TryParse(t, out SignalType v) ? v : throw BadValue(t, "a signal type of the 2.0b list");
    }

    private SiScaleCode ScaleValue()
    {
        var t = Text("siScaleCode"u8, Ns.Scale);
        return OadrText.TryParse(t, out SiScaleCode v) ? v : throw BadValue(t, "an SI scale code (p, n, micro, m, c, d, k, M, G, T, none)");
    }

    /// <summary>An <c>xs:string</c> element whose schema fixes its value.</summary>
    private void Fixed(ReadOnlySpan<byte> local, string ns, ReadOnlySpan<byte> expected)
    {
        var t = Value(local, ns);
        if (!t.SequenceEqual(expected)) throw BadValue(t, $"'{System.Text.Encoding.UTF8.GetString(expected)}', the value the schema fixes");
    }
}
