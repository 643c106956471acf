using FlexCoop.OpenAdr.Model;

namespace FlexCoop.OpenAdr.Tests.Codec;

public sealed class ModelTests
{
    [Theory]
    [InlineData("PT15M", 900)]
    [InlineData("P1D", 86400)]
    [InlineData("PT0S", 0)]
    [InlineData("-PT5M", -300)]
    [InlineData("P1DT2H3M4S", 93784)]
    [InlineData("PT1H30M", 5400)]
    [InlineData("P1H", 3600)]
    public void Iso_duration_keeps_its_text_and_converts_to_a_time_span(string text, int seconds)
    {
        var d = IsoDuration.Parse(text);
        Assert.Equal(text, d.Text);
        Assert.Equal(text, d.ToString());
        Assert.True(d.TryGetTimeSpan(out var span));
        Assert.Equal(TimeSpan.FromSeconds(seconds), span);
    }

    [Theory]
    [InlineData("P1Y")]
    [InlineData("P2M")]
    public void Iso_duration_with_calendar_units_has_no_time_span(string text)
    {
        var d = IsoDuration.Parse(text);
        Assert.False(d.TryGetTimeSpan(out _));
        Assert.Throws<InvalidOperationException>(() => d.ToTimeSpan());
    }

    [Theory]
    [InlineData("")]
    [InlineData("15M")]
    [InlineData("PT15")]
    [InlineData("PT1.5S")]
    [InlineData(" PT15M")]
    [InlineData("PT1M1H")]
    [InlineData("P1W")]
    [InlineData("PTT1M")]
    public void Iso_duration_refuses_text_the_schema_refuses(string text)
    {
        Assert.False(IsoDuration.TryParse(text, out _));
        Assert.Throws<FormatException>(() => IsoDuration.Parse(text));
    }

    [Theory]
    [InlineData(900, "PT15M")]
    [InlineData(86400, "P1D")]
    [InlineData(0, "PT0S")]
    [InlineData(-300, "-PT5M")]
    [InlineData(90061, "P1DT1H1M1S")]
    public void Iso_duration_from_time_span_is_the_shortest_text(int seconds, string expected)
    {
        Assert.Equal(expected, IsoDuration.FromTimeSpan(TimeSpan.FromSeconds(seconds)).Text);
    }

    [Fact]
    public void Iso_duration_equality_is_by_text()
    {
        Assert.Equal(IsoDuration.Parse("PT60M"), IsoDuration.Parse("PT60M"));
        Assert.NotEqual(IsoDuration.Parse("PT60M"), IsoDuration.Parse("PT1H"));
        Assert.Equal(IsoDuration.Zero, default);
    }

    [Fact]
    public void Value_lists_compare_by_content()
    {
        ValueList<string> a = ["x", "y"];
        ValueList<string> b = ["x", "y"];
        ValueList<string> c = ["y", "x"];
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
        Assert.Same(ValueList<string>.Empty, ValueList.From(Array.Empty<string>()));
    }

    [Fact]
    public void Records_holding_lists_are_equal_when_contents_are()
    {
        var one = new EiTarget { VenIds = ["VEN1", "VEN2"], GroupIds = ["G"] };
        var two = new EiTarget { VenIds = ValueList.From(new[] { "VEN1", "VEN2" }), GroupIds = ["G"] };
        Assert.Equal(one, two);
        Assert.NotEqual(one, two with { GroupIds = [] });
    }

    [Fact]
    public void Extension_tokens_are_recognised_and_known_values_listed()
    {
        Assert.True(SignalName.Simple.IsKnown);
        Assert.True(new SignalName("x-myThing").IsExtension);
        Assert.True(new SignalName("x-myThing").IsValid);
        Assert.False(new SignalName("x- bad").IsValid);
        Assert.False(new SignalName("UNKNOWN").IsValid);
        Assert.Contains(ReportName.TelemetryUsage, ReportName.Known);
        Assert.Equal("Direct Read", ReadingType.DirectRead.Value);
    }

    [Fact]
    public void Response_codes_expose_number_and_class()
    {
        Assert.Equal(200, ResponseCode.Ok.Number);
        Assert.True(ResponseCode.Ok.IsSuccess);
        Assert.Equal(ResponseClass.RequesterError, ResponseCode.NotRegisteredOrAuthorized.Class);
        Assert.Equal("007", ResponseCode.FromNumber(7).Value);
        Assert.False(new ResponseCode("20").IsValid);
    }

    [Fact]
    public void Payload_float_gives_the_decimal_a_person_wrote()
    {
        Assert.Equal(0.1m, PayloadFloat.Of(0.1f).ToDecimal());
        Assert.Equal(1.2m, PayloadFloat.Of(1.2f).ToDecimal());
        Assert.Throws<OverflowException>(() => PayloadFloat.Of(float.NaN).ToDecimal());
    }
}
