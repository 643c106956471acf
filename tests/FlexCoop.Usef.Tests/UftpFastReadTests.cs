using System.Globalization;
using System.Text;
using System.Xml;
using CsCheck;
using FlexCoop.Usef.Internal;
using FlexCoop.Usef.Signing;
using FlexCoop.Usef.Xml;

namespace FlexCoop.Usef.Tests;

/// <summary>
/// The header simple types read straight from UTF-8 (dates, times, durations, UUIDs, enumerations), the interned
/// strings and addresses, and the public key cache: each gives exactly what the string readers give, and leaves every
/// form it does not take to them.
/// </summary>
public sealed class UftpFastReadTests
{
    private static byte[] U(string s) => Encoding.UTF8.GetBytes(s);

    /// <summary>What the string reader (XmlConvert, as the codec used it before) makes of an xs:dateTime; offset-less means UTC.</summary>
    private static DateTimeOffset Slow(string s)
    {
        var t = s.AsSpan(s.IndexOf('T', StringComparison.Ordinal) + 1);
        return XmlConvert.ToDateTimeOffset(t.EndsWith("Z") || t.IndexOfAny('+', '-') >= 0 ? s : s + "Z");
    }

    private static readonly Gen<string> DateTimeText = Gen.Select(
        Gen.DateOnly[new DateOnly(2, 1, 1), new DateOnly(9998, 12, 31)],
        Gen.Select(Gen.Int[0, 23], Gen.Int[0, 59], Gen.Int[0, 59]),
        Gen.Select(Gen.Int[0, 7], Gen.Int[0, 9_999_999]),
        Gen.OneOfConst("", "Z", "+01:00", "-05:30", "+14:00", "-14:00", "+00:00", "-00:00", "+13:59"),
        (date, time, fraction, zone) =>
        {
            var digits = fraction.Item1 == 0 ? "" : "." + fraction.Item2.ToString("D7", CultureInfo.InvariantCulture)[..fraction.Item1];
            return $"{date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}T{time.Item1:D2}:{time.Item2:D2}:{time.Item3:D2}{digits}{zone}";
        });

    [Fact]
    public void Common_dateTime_forms_read_from_utf8_as_XmlConvert_reads_them()
    {
        DateTimeText.Sample(text =>
        {
            Assert.True(XmlInput.TryParseDateTime(U(text), out var fast), text);
            var slow = Slow(text);
            Assert.Equal(slow, fast);
            Assert.Equal(slow.Offset, fast.Offset);
            Assert.Equal(slow.Ticks, fast.Ticks);
        }, iter: 2000);
    }

    [Theory]
    [InlineData(" 2025-06-01T08:00:00Z")]
    [InlineData("2025-06-01T08:00:00Z ")]
    [InlineData("2025-06-01T24:00:00Z")]
    [InlineData("2025-06-01T08:00:60Z")]
    [InlineData("2025-06-01T08:00:00.12345678Z")]
    [InlineData("2025-06-01T08:00:00.Z")]
    [InlineData("2025-02-29T08:00:00Z")]
    [InlineData("2025-06-01T08:00:00+14:01")]
    [InlineData("2025-06-01T08:00:00+1:00")]
    [InlineData("0001-01-01T00:00:00+01:00")]
    [InlineData("9999-12-31T23:59:59-01:00")]
    [InlineData("-2025-06-01T08:00:00Z")]
    [InlineData("2025-06-01t08:00:00Z")]
    [InlineData("2025-06-01T08:00:00z")]
    [InlineData("2025-06-01")]
    public void Unusual_dateTime_forms_are_left_to_the_string_reader(string text)
    {
        Assert.False(XmlInput.TryParseDateTime(U(text), out _));
    }

    [Theory]
    [InlineData("2025-06-01T08:00:00.123456789Z")]
    [InlineData(" 2025-06-01T08:00:00+02:00 ")]
    public void A_timestamp_outside_the_fast_form_still_reads_as_before(string timeStamp)
    {
        var message = (TestMessage)UftpXml.Parse(TestMessageXml(timeStamp: timeStamp));
        Assert.Equal(Slow(timeStamp.Trim()), message.TimeStamp);
    }

    [Theory]
    [InlineData("2025-06-01T08:00:00+0100")]
    [InlineData("2025-13-01T08:00:00Z")]
    [InlineData("yesterday")]
    public void A_bad_timestamp_is_refused_naming_the_attribute(string timeStamp)
    {
        var ex = Assert.Throws<UftpFormatException>(() => UftpXml.Parse(TestMessageXml(timeStamp: timeStamp)));
        Assert.Equal("xsd", ex.Rule);
        Assert.EndsWith("/@TimeStamp", ex.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Dates_read_from_utf8_as_DateOnly_reads_them()
    {
        Gen.DateOnly.Sample(date =>
        {
            var text = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            Assert.True(XmlInput.TryParseDate(U(text), out var fast), text);
            Assert.Equal(DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture), fast);
        }, iter: 2000);
    }

    [Theory]
    [InlineData("2025-02-29")]
    [InlineData("2025-13-01")]
    [InlineData("2025-00-10")]
    [InlineData("0000-01-01")]
    [InlineData("2025-1-01")]
    [InlineData(" 2025-01-01")]
    [InlineData("2025-01-01Z")]
    [InlineData("2025/01/01")]
    public void Unusual_dates_are_left_to_the_string_reader(string text)
    {
        Assert.False(XmlInput.TryParseDate(U(text), out _));
    }

    [Theory]
    [InlineData("PT15M")]
    [InlineData("PT1H")]
    [InlineData("PT30S")]
    [InlineData("PT0M")]
    [InlineData("PT015M")]
    [InlineData("PT999999H")]
    public void One_part_durations_read_from_utf8_as_XmlConvert_reads_them(string text)
    {
        Assert.True(XmlInput.TryParseDuration(U(text), out var fast));
        Assert.Equal(XmlConvert.ToTimeSpan(text), fast);
    }

    [Theory]
    [InlineData("P1D")]
    [InlineData("PT1H30M")]
    [InlineData("PT")]
    [InlineData("PTM")]
    [InlineData("PT15m")]
    [InlineData("-PT15M")]
    [InlineData("PT1.5M")]
    [InlineData("PT1234567M")]
    public void Other_durations_are_left_to_the_string_reader(string text)
    {
        Assert.False(XmlInput.TryParseDuration(U(text), out _));
    }

    [Fact]
    public void A_two_part_ISP_duration_still_reads_as_before()
    {
        var xml = TestFiles.FlexOfferXml().Replace("ISP-Duration=\"PT15M\"", "ISP-Duration=\"PT0H15M\"", StringComparison.Ordinal);
        var offer = (FlexOffer)UftpXml.Parse(xml);
        Assert.Equal(TimeSpan.FromMinutes(15), offer.IspDuration);
    }

    [Theory]
    [InlineData("Accepted", AcceptedRejected.Accepted)]
    [InlineData("Rejected", AcceptedRejected.Rejected)]
    [InlineData(" Accepted ", AcceptedRejected.Accepted)]
    public void Result_is_read_from_utf8_and_whitespace_around_it_still_accepted(string text, AcceptedRejected expected)
    {
        var xml = $"<FlexOrderResponse Version=\"3.1.0\" SenderDomain=\"agr.example.org\" RecipientDomain=\"dso.example.com\" TimeStamp=\"2025-06-01T08:00:00Z\" MessageID=\"{Guid.NewGuid()}\" ConversationID=\"{Guid.NewGuid()}\" Result=\"{text}\" FlexOrderMessageID=\"{Guid.NewGuid()}\"/>";
        Assert.Equal(expected, ((FlexOrderResponse)UftpXml.Parse(xml)).Result);
    }

    [Theory]
    [InlineData("accepted")]
    [InlineData("Maybe")]
    public void A_result_that_is_no_name_of_the_enumeration_is_refused(string text)
    {
        var xml = $"<FlexOrderResponse Version=\"3.1.0\" SenderDomain=\"agr.example.org\" RecipientDomain=\"dso.example.com\" TimeStamp=\"2025-06-01T08:00:00Z\" MessageID=\"{Guid.NewGuid()}\" ConversationID=\"{Guid.NewGuid()}\" Result=\"{text}\" FlexOrderMessageID=\"{Guid.NewGuid()}\"/>";
        var ex = Assert.Throws<UftpFormatException>(() => UftpXml.Parse(xml));
        Assert.EndsWith("/@Result", ex.Path, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("5A1C0F2E-0000-4000-8000-00000000000A")]
    [InlineData("5a1c0f2e-0000-4000-8000-00000000000a")]
    public void Uuids_read_from_utf8_in_either_case(string id)
    {
        var message = (TestMessage)UftpXml.Parse(TestMessageXml(messageId: id));
        Assert.Equal(Guid.Parse(id), message.MessageId);
    }

    [Theory]
    [InlineData("{5a1c0f2e-0000-4000-8000-00000000000a}")]
    [InlineData("5a1c0f2e000040008000000000000000")]
    [InlineData("5a1c0f2e-0000-4000-8000-00000000000g")]
    [InlineData(" 5a1c0f2e-0000-4000-8000-00000000000a")]
    public void Other_uuid_forms_are_refused_as_before(string id)
    {
        var ex = Assert.Throws<UftpFormatException>(() => UftpXml.Parse(TestMessageXml(messageId: id)));
        Assert.EndsWith("/@MessageID", ex.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Domains_and_congestion_points_are_checked_once_and_shared_between_messages()
    {
        // Values no other test uses, so that no other test can take their cache slots in between.
        var xml = TestFiles.FlexOfferXml()
            .Replace("agr.example.org", "interned.example.net", StringComparison.Ordinal)
            .Replace("Europe/Amsterdam", "Pacific/Chatham", StringComparison.Ordinal)
            .Replace("\"EUR\"", "\"NZD\"", StringComparison.Ordinal)
            .Replace("ean.871685900012345678", "ean.000000000000424242", StringComparison.Ordinal);
        var a = (FlexOffer)UftpXml.Parse(xml);
        var b = (FlexOffer)UftpXml.Parse(xml);
        Assert.Same(a.SenderDomain, b.SenderDomain);
        Assert.Same(a.TimeZone, b.TimeZone);
        Assert.Same(a.Currency, b.Currency);
        Assert.Same(a.CongestionPoint, b.CongestionPoint);
        Assert.Equal("interned.example.net", a.SenderDomain);
        Assert.Equal("ean.000000000000424242", a.CongestionPoint.Value);
    }

    [Fact]
    public void A_bad_domain_is_refused_every_time_it_comes()
    {
        for (var i = 0; i < 2; i++)
        {
            var ex = Assert.Throws<UftpFormatException>(() => UftpXml.Parse(TestMessageXml(sender: "Agr.Example.org")));
            Assert.EndsWith("/@SenderDomain", ex.Path, StringComparison.Ordinal);
        }
        // An envelope with that sender goes to the full reader, which refuses it too.
        var envelope = U("<SignedMessage SenderDomain=\"Agr.Example.org\" SenderRole=\"AGR\" Body=\"AAAA\"/>");
        Assert.Throws<UftpFormatException>(() => UftpXml.ParseSignedMessage(envelope));
    }

    [Fact]
    public void A_value_with_a_character_reference_is_cached_by_what_it_means()
    {
        var plain = (TestMessage)UftpXml.Parse(TestMessageXml(sender: "character-reference.example.org"));
        var referenced = (TestMessage)UftpXml.Parse(TestMessageXml(sender: "ch&#97;racter-reference.example.org"));
        Assert.Equal("character-reference.example.org", referenced.SenderDomain);
        Assert.Same(plain.SenderDomain, referenced.SenderDomain);
    }

    [Fact]
    public void The_value_cache_stays_its_size_and_replaces_what_shares_a_slot()
    {
        var cache = new Utf8ValueCache<string>(4, 16);
        for (var i = 0; i < 1000; i++) cache.Add(U($"key{i}"), $"value{i}");
        var hits = Enumerable.Range(0, 1000).Count(i => cache.TryGet(U($"key{i}"), out _));
        Assert.InRange(hits, 1, 4);
        Assert.True(cache.TryGet(U("key999"), out var last));
        Assert.Equal("value999", last);
        cache.Add(U("a-key-longer-than-sixteen-bytes"), "long");
        Assert.False(cache.TryGet(U("a-key-longer-than-sixteen-bytes"), out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Utf8ValueCache<string>(3, 16));
    }

    [Fact]
    public void A_public_key_imported_twice_is_the_same_object()
    {
        using var key = UftpSigningKey.Generate();
        var bytes = key.PublicKey.Bytes.ToArray();
        var first = UftpPublicKey.FromBytes(bytes);
        var second = UftpPublicKey.FromBase64(Convert.ToBase64String(bytes));
        Assert.Same(first, second);
        Assert.Same(first, Participants.DnsUftpParticipantDirectory.ParseKey("cs1." + Convert.ToBase64String(bytes)));
        using var other = UftpSigningKey.Generate();
        Assert.NotSame(first, UftpPublicKey.FromBytes(other.PublicKey.Bytes));
    }

    [Fact]
    public void A_cached_key_still_verifies_only_its_own_signatures()
    {
        using var key = UftpSigningKey.Generate();
        using var other = UftpSigningKey.Generate();
        var message = new TestMessage { SenderDomain = "agr.example.org", RecipientDomain = "dso.example.com", TimeStamp = DateTimeOffset.UnixEpoch, MessageId = Guid.NewGuid(), ConversationId = Guid.NewGuid() };
        var signed = UftpSigner.Seal(message, UftpRole.AGR, key);
        Assert.True(UftpSigner.TryOpen(signed, UftpPublicKey.FromBytes(key.PublicKey.Bytes), out _));
        Assert.False(UftpSigner.TryOpen(signed, UftpPublicKey.FromBytes(other.PublicKey.Bytes), out _));
    }

    [Fact]
    public void Open_tries_every_key_of_a_rollover_whether_given_as_a_list_or_a_sequence()
    {
        using var old = UftpSigningKey.Generate();
        using var current = UftpSigningKey.Generate();
        var message = new TestMessage { SenderDomain = "agr.example.org", RecipientDomain = "dso.example.com", TimeStamp = DateTimeOffset.UnixEpoch, MessageId = Guid.NewGuid(), ConversationId = Guid.NewGuid() };
        var signed = UftpSigner.Seal(message, UftpRole.AGR, current);
        UftpPublicKey[] keys = [old.PublicKey, current.PublicKey];
        Assert.Equal(message, UftpSigner.Open(signed, keys).Message);
        Assert.Equal(message, UftpSigner.Open(signed, keys.Where(_ => true)).Message);
        var wrong = Assert.Throws<UftpSignatureException>(() => UftpSigner.Open(signed, keys.Take(1).Where(_ => true)));
        Assert.Equal(UftpSignatureFailure.BadSignature, wrong.Failure);
        var none = Assert.Throws<UftpSignatureException>(() => UftpSigner.Open(signed, Enumerable.Empty<UftpPublicKey>()));
        Assert.Equal(UftpSignatureFailure.UnknownSender, none.Failure);
    }

    [Fact]
    public void Isps_read_as_values_in_document_order()
    {
        var offer = (FlexOffer)UftpXml.Parse(TestFiles.FlexOfferXml());
        var isps = offer.OfferOptions[0].Isps;
        Assert.Equal(Enumerable.Range(1, isps.Count), isps.Select(i => i.Start));
        Assert.Equal(new PowerIsp(-1000, 1), isps[0]);
    }

    [Theory]
    [InlineData("<ISP Start=\"1\" Power=\"-1000\" Duration=\"2\"/>", -1000L, 1, 2)]
    [InlineData("<ISP Duration=\"3\" Start=\"2\" Power=\"7\"/>", 7L, 2, 3)]
    [InlineData("<ISP Power=\" -5 \" Start=\"4\"/>", -5L, 4, 1)]
    public void Isp_attributes_in_any_order_read_the_same(string isp, long power, int start, int duration)
    {
        var xml = TestFiles.FlexOfferXml(isps: isp);
        var read = ((FlexOffer)UftpXml.Parse(xml)).OfferOptions[0].Isps.Single();
        Assert.Equal(new PowerIsp(power, start, duration), read);
    }

    [Theory]
    [InlineData("<ISP Start=\"1\"/>", "required attribute 'Power' is missing")]
    [InlineData("<ISP Power=\"1\" Start=\"1\" Colour=\"red\"/>", "attribute 'Colour' is not allowed")]
    [InlineData("<ISP Colour=\"red\" Power=\"x\" Start=\"1\"/>", "is not an xs:integer")]
    [InlineData("<ISP Power=\"1\" Start=\"0\"/>", "is not an xs:positiveInteger")]
    public void Isp_errors_are_reported_in_the_order_the_reader_checks(string isp, string message)
    {
        var ex = Assert.Throws<UftpFormatException>(() => UftpXml.Parse(TestFiles.FlexOfferXml(isps: isp)));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    private static string TestMessageXml(string sender = "agr.example.org", string timeStamp = "2025-06-01T08:00:00Z", string? messageId = null) =>
        $"<TestMessage Version=\"3.1.0\" SenderDomain=\"{sender}\" RecipientDomain=\"dso.example.com\" TimeStamp=\"{timeStamp}\" MessageID=\"{messageId ?? Guid.NewGuid().ToString()}\" ConversationID=\"{Guid.NewGuid()}\"/>";

    /// <summary>Documents the tests above edit.</summary>
    private static class TestFiles
    {
        public static string FlexOfferXml(string? isps = null)
        {
            isps ??= string.Concat(Enumerable.Range(1, 96).Select(i => $"<ISP Power=\"{-1000 * i}\" Start=\"{i}\"/>"));
            return "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
                + "<FlexOffer Version=\"3.1.0\" SenderDomain=\"agr.example.org\" RecipientDomain=\"dso.example.com\" TimeStamp=\"2025-06-01T08:00:00Z\" "
                + $"MessageID=\"{Guid.NewGuid()}\" ConversationID=\"{Guid.NewGuid()}\" ISP-Duration=\"PT15M\" TimeZone=\"Europe/Amsterdam\" Period=\"2025-06-02\" "
                + $"CongestionPoint=\"ean.871685900012345678\" ExpirationDateTime=\"2025-06-01T10:00:00Z\" FlexRequestMessageID=\"{Guid.NewGuid()}\" Currency=\"EUR\">"
                + $"<OfferOption OptionReference=\"A\" Price=\"123.45\">{isps}</OfferOption></FlexOffer>";
        }
    }
}
