using System.Globalization;
using System.Text;
using CsCheck;
using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Codec.Internal;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Xml;
using FlexCoop.Xml.Internal;

namespace FlexCoop.OpenAdr.Tests.Codec;

/// <summary>
/// The parse fast paths held to the general code they stand in for: plain decimals read without the framework's
/// float parser (same bits, ties left to it), short values taken from the reader's cache of recent strings (equal
/// values, one instance) and indentation skipped eight bytes at a time (same events as <see cref="System.Xml.XmlReader"/>).
/// </summary>
public sealed class CodecFastPathTests
{
    // ---- plain decimals ------------------------------------------------------------------------

    /// <summary>What the general parser makes of a literal the fast path may also take.</summary>
    private static float General(string text) => float.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static void AssertSameAsGeneral(string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        Assert.True(OadrText.TryParseFloat(bytes, out var parsed), text);
        Assert.True(BitConverter.SingleToInt32Bits(General(text)) == BitConverter.SingleToInt32Bits(parsed), $"{text}: {parsed:R}, the general parser gives {General(text):R}");
        if (OadrText.TryParsePlainDecimal(bytes, out var fast))
        {
            Assert.True(BitConverter.SingleToInt32Bits(General(text)) == BitConverter.SingleToInt32Bits(fast), $"{text}: fast path {fast:R}, the general parser gives {General(text):R}");
        }
    }

    /// <summary>[-]digits[.digits] with up to 18 digits on either side, leading and trailing zeros included.</summary>
    private static Gen<string> PlainDecimals { get; } =
        Gen.Select(Gen.Bool, Gen.Char['0', '9'].Array[1, 18], Gen.Char['0', '9'].Array[0, 24], Gen.Bool)
            .Select((negative, whole, fraction, point) =>
                (negative ? "-" : "") + new string(whole) + (point || fraction.Length > 0 ? "." + new string(fraction) : ""));

    [Fact]
    public void Plain_decimals_parse_to_the_same_float_as_the_general_parser()
    {
        PlainDecimals.Sample(AssertSameAsGeneral, iter: 20000);
    }

    [Fact]
    public void Shortest_round_trip_texts_of_random_floats_parse_back_to_the_same_float()
    {
        // What a writer gives (0.21000001): up to 9 significant digits, often beyond the 7 a float division handles.
        Gen.Float.Where(float.IsFinite).Sample(f =>
        {
            var text = f.ToString("R", CultureInfo.InvariantCulture);
            if (text.Contains('E', StringComparison.Ordinal)) return;
            AssertSameAsGeneral(text);
            Assert.True(OadrText.TryParseFloat(Encoding.ASCII.GetBytes(text), out var back) && BitConverter.SingleToInt32Bits(back) == BitConverter.SingleToInt32Bits(f), text);
        }, iter: 20000);
    }

    [Theory]
    [InlineData("16777217")] // 2^24 + 1: exactly halfway between two floats, rounds to even
    [InlineData("16777219")]
    [InlineData("-16777217")]
    [InlineData("33554434")] // halfway at 2^25, ulp 4
    [InlineData("0.500000029802322387695312")] // 2^-1 + 2^-25, but 24 decimals: over the fast path's scale
    public void A_decimal_halfway_between_two_floats_is_left_to_the_general_parser(string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        Assert.False(OadrText.TryParsePlainDecimal(bytes, out _));
        AssertSameAsGeneral(text);
    }

    [Theory]
    [InlineData("16777217.000001", 16777218f)] // just above halfway: up
    [InlineData("16777216.999999", 16777216f)] // just below halfway: down
    [InlineData("0.21000001", 0.21000001f)]
    [InlineData("123456789012345", 123456789012345f)]
    [InlineData("0.0000000000000000000001", 1e-22f)]
    [InlineData("-0.0", -0f)]
    [InlineData("7.", 7f)]
    [InlineData("000000000000000000000001.5", 1.5f)]
    public void A_plain_decimal_near_a_tie_or_at_a_bound_is_read_exactly(string text, float expected)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        Assert.True(OadrText.TryParsePlainDecimal(bytes, out var fast));
        Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(fast));
        AssertSameAsGeneral(text);
    }

    [Theory]
    [InlineData("1234567890123456")] // 16 significant digits
    [InlineData("0.00000000000000000000001")] // 23 decimals
    [InlineData("1e3")]
    [InlineData("+1")]
    [InlineData("")]
    [InlineData("-")]
    [InlineData(".")]
    [InlineData("1.2.3")]
    [InlineData("--1")]
    public void Literals_beyond_the_plain_form_are_left_to_the_general_parser(string text)
    {
        Assert.False(OadrText.TryParsePlainDecimal(Encoding.ASCII.GetBytes(text), out _));
    }

    // ---- recent strings ------------------------------------------------------------------------

    [Fact]
    public void Parse_events_repeating_interval_uids_gives_equal_uids_made_once()
    {
        var message = new OadrDistributeEvent
        {
            SchemaVersion = SchemaVersion.V20b,
            RequestId = "REQ-1",
            VtnId = "VTN-1",
            Events = ValueList.From(Enumerable.Range(0, 3).Select(e => new OadrEvent
            {
                EiEvent = new EiEvent
                {
                    EventDescriptor = new EventDescriptor
                    {
                        EventId = $"EVT-{e}",
                        ModificationNumber = 0,
                        MarketContext = "http://example.com/market",
                        CreatedDateTime = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
                        EventStatus = EventStatus.Far,
                    },
                    ActivePeriod = new ActivePeriod
                    {
                        Properties = new CalendarProperties { DtStart = new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero), Duration = IsoDuration.Parse("PT24H") },
                    },
                    EventSignals = new EventSignals
                    {
                        Signals =
                        [
                            new EventSignal
                            {
                                Intervals = ValueList.From(Enumerable.Range(0, 24).Select(i => new Interval
                                {
                                    Duration = IsoDuration.Parse("PT1H"),
                                    Uid = i.ToString(CultureInfo.InvariantCulture),
                                    Payloads = [new SignalPayload { Payload = PayloadFloat.Of(i) }],
                                })),
                                SignalName = SignalName.Simple,
                                SignalType = SignalType.Level,
                                SignalId = $"SIG-{e}",
                            },
                        ],
                    },
                    Target = new EiTarget { VenIds = ["VEN-1"] },
                },
                ResponseRequired = ResponseRequired.Always,
            })),
        };
        var parsed = (OadrDistributeEvent)OadrCodec.Parse(OadrCodec.SerializeToUtf8Bytes(message)).Message;
        Assert.Equal(message, parsed);
        var uids = parsed.Events.Select(e => e.EiEvent.EventSignals.Signals[0].Intervals.Select(i => i.Uid!).ToArray()).ToArray();
        for (var i = 0; i < 24; i++) Assert.Equal(i.ToString(CultureInfo.InvariantCulture), uids[0][i]);
        // The 24 uids and the event's other short values fit the cache (64 sets of two) but for a few that share a
        // set with two others: the next events reuse the strings of the first rather than make them again.
        for (var e = 1; e < 3; e++)
        {
            var shared = Enumerable.Range(0, 24).Count(i => ReferenceEquals(uids[0][i], uids[e][i]));
            Assert.True(shared >= 20, $"event {e}: {shared} of 24 uids are the first event's strings");
        }
    }

    [Fact]
    public void Recent_string_sets_spread_short_ids_that_differ_in_one_byte()
    {
        var sets = Enumerable.Range(0, 24).Select(i => OadrMessageReader.RecentSet(Encoding.ASCII.GetBytes(i.ToString(CultureInfo.InvariantCulture)))).ToHashSet();
        // 24 values over 64 sets of two: a few may share one, most may not.
        Assert.True(sets.Count >= 18, $"{sets.Count} sets for 24 uids");
        Gen.Byte.Array[1, 32].Sample(value =>
        {
            var set = OadrMessageReader.RecentSet(value);
            Assert.InRange(set, 0, 63);
            Assert.Equal(set, OadrMessageReader.RecentSet(value.ToArray()));
        }, iter: 2000);
    }

    // ---- indentation -----------------------------------------------------------------------------

    /// <summary>Whitespace runs of every length up to 40 (spaces, then tabs, line ends, a carriage return) before and inside tags.</summary>
    private static Gen<string> IndentedDocuments { get; } =
        Gen.Select(Gen.Int[0, 40], Gen.Int[0, 40], Gen.OneOfConst("", "\t", "\n", " \t ", "\r\n"), Gen.Int[0, 12]).Select((before, inner, tail, text) =>
            "<r>\n" + new string(' ', before) + tail + "<a>" + new string('7', text) + "</a>"
            + new string(' ', inner) + "<b><c/>" + new string(' ', inner) + tail + "</b>\n" + new string(' ', before) + "</r>" + new string(' ', text));

    [Fact]
    public void Indentation_of_any_length_gives_the_same_events_as_XmlReader()
    {
        IndentedDocuments.Sample(text =>
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            var expected = TokenizerAgreementTests.XmlReaderEvents(bytes);
            Assert.Equal(expected, TokenizerAgreementTests.TokenizerEvents(bytes));
            // Skipping whitespace-only text gives the same elements and the non-blank text.
            Assert.Equal(expected.Where(e => !(e.StartsWith("T ", StringComparison.Ordinal) && string.IsNullOrWhiteSpace(e[2..]))), SkippingEvents(bytes));
        }, iter: 3000);
    }

    private static List<string> SkippingEvents(byte[] document)
    {
        var events = new List<string>();
        var t = new Utf8XmlTokenizer(document, OadrXmlLimits.Default) { SkipWhitespaceText = true };
        try
        {
            while (t.Read())
            {
                var name = Encoding.UTF8.GetString(t.LocalName);
                switch (t.Kind)
                {
                    case XmlTokenKind.StartElement:
                        events.Add($"S {{{t.NamespaceUri}}}{name}");
                        if (t.IsEmptyElement) events.Add($"E {{{t.NamespaceUri}}}{name}");
                        break;
                    case XmlTokenKind.EndElement:
                        events.Add($"E {{{t.NamespaceUri}}}{name}");
                        break;
                    case XmlTokenKind.Text:
                        events.Add("T " + Encoding.UTF8.GetString(t.GetText()));
                        break;
                }
            }
        }
        finally
        {
            t.Dispose();
        }
        return events;
    }
}
