using System.Text;
using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;

namespace FlexCoop.OpenAdr.Tests.Codec;

/// <summary>Simple values read as the schema's lexical rules say.</summary>
public sealed class CodecValueTests
{
    private static string Distribute => Encoding.UTF8.GetString(Vectors.Read("distribute-two-events.xml"));

    private static string ReplaceFirst(string text, string element, string value)
    {
        var open = $"<{element}>";
        var at = text.IndexOf(open, StringComparison.Ordinal) + open.Length;
        return string.Concat(text.AsSpan(0, at), value, text.AsSpan(text.IndexOf('<', at)));
    }

    private static EiEvent FirstEvent(string xml) => ((OadrDistributeEvent)OadrCodec.Parse(xml).Message).Events[0].EiEvent;

    [Theory]
    [InlineData("INF", float.PositiveInfinity)]
    [InlineData("-INF", float.NegativeInfinity)]
    [InlineData("NaN", float.NaN)]
    [InlineData(" 1.5E3 ", 1500f)]
    [InlineData("-0", -0f)]
    [InlineData(".5", 0.5f)]
    public void Parse_float_payload_accepts_every_xs_float_form(string text, float expected)
    {
        var value = FirstEvent(ReplaceFirst(Distribute, "ei:value", text)).EventSignals.Signals[0].Intervals[0].Payloads[0];
        var f = ((PayloadFloat)((SignalPayload)value).Payload).Value;
        Assert.Equal(expected, f);
    }

    [Theory]
    [InlineData("Infinity")]
    [InlineData("1,5")]
    [InlineData("0x10")]
    [InlineData("1e40")]
    [InlineData("")]
    public void Parse_float_payload_refuses_what_xs_float_refuses(string text)
    {
        var ex = Assert.Throws<OadrFormatException>(() => OadrCodec.Parse(ReplaceFirst(Distribute, "ei:value", text)));
        Assert.EndsWith("/ei:payloadFloat/ei:value", ex.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_token_values_collapse_whitespace_but_string_enumerations_do_not()
    {
        Assert.Equal(EventStatus.Far, FirstEvent(ReplaceFirst(Distribute, "ei:eventStatus", "\n  far  ")).EventDescriptor.EventStatus);
        // oadrResponseRequired is an enumeration of xs:string: no whitespace allowed around it.
        var ex = Assert.Throws<OadrFormatException>(() => OadrCodec.Parse(ReplaceFirst(Distribute, "oadr:oadrResponseRequired", " always")));
        Assert.EndsWith("/oadr:oadrResponseRequired", ex.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_xs_string_values_keep_their_whitespace()
    {
        var ev = FirstEvent(ReplaceFirst(Distribute, "ei:vtnComment", "  two  spaces\t"));
        Assert.Equal("  two  spaces\t", ev.EventDescriptor.VtnComment);
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("0", false)]
    [InlineData(" true ", true)]
    public void Parse_booleans_accept_the_four_xs_boolean_forms(string text, bool expected)
    {
        var xml = Encoding.UTF8.GetString(Vectors.Read("update-report-telemetry.xml"));
        var update = (OadrUpdateReport)OadrCodec.Parse(ReplaceFirst(xml, "oadr:oadrOnline", text)).Message;
        var status = (OadrPayloadResourceStatus)((OadrReportPayload)update.Reports[0].Intervals![0].Payloads[1]).Payload;
        Assert.Equal(expected, status.Online);
    }

    [Fact]
    public void Parse_refuses_a_fixed_item_description_with_another_text()
    {
        var xml = Encoding.UTF8.GetString(Vectors.Read("register-report-metadata.xml"))
            .Replace("<power:itemDescription>RealPower</power:itemDescription>", "<power:itemDescription>Power</power:itemDescription>", StringComparison.Ordinal);
        var ex = Assert.Throws<OadrFormatException>(() => OadrCodec.Parse(xml));
        Assert.Equal("/oadr:oadrPayload/oadr:oadrSignedObject/oadr:oadrRegisterReport/oadr:oadrReport/oadr:oadrReportDescription/power:powerReal/power:itemDescription", ex.Path);
    }

    [Fact]
    public void Parse_refuses_an_unknown_currency_code()
    {
        var ex = Assert.Throws<OadrFormatException>(() => OadrCodec.Parse(Distribute.Replace("<oadr:itemUnits>EUR</oadr:itemUnits>", "<oadr:itemUnits>EURO</oadr:itemUnits>", StringComparison.Ordinal)));
        Assert.EndsWith("/oadr:currencyPerKWh/oadr:itemUnits", ex.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_keeps_extension_signal_names_and_refuses_unlisted_ones()
    {
        var ok = FirstEvent(ReplaceFirst(Distribute, "ei:signalName", "x-coopFlexLevel"));
        Assert.True(ok.EventSignals.Signals[0].SignalName.IsExtension);
        Assert.Equal("x-coopFlexLevel", ok.EventSignals.Signals[0].SignalName.Value);
        Assert.Throws<OadrFormatException>(() => OadrCodec.Parse(ReplaceFirst(Distribute, "ei:signalName", "COOP_LEVEL")));
    }

    [Fact]
    public void Parse_keeps_the_exact_duration_text()
    {
        const string original = "<xcal:duration>PT2H</xcal:duration>";
        var at = Distribute.IndexOf(original, StringComparison.Ordinal);
        var xml = string.Concat(Distribute.AsSpan(0, at), "<xcal:duration>PT120M</xcal:duration>", Distribute.AsSpan(at + original.Length));
        var message = OadrCodec.Parse(xml).Message;
        var duration = ((OadrDistributeEvent)message).Events[0].EiEvent.ActivePeriod.Properties.Duration;
        Assert.Equal("PT120M", duration.Text);
        Assert.Equal(TimeSpan.FromHours(2), duration.ToTimeSpan());
        Assert.Contains("<xcal:duration>PT120M</xcal:duration>", OadrCodec.SerializeToString(message), StringComparison.Ordinal);
    }
}
