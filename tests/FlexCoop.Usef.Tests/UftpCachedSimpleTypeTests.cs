using FlexCoop.Usef.Internal;
using FlexCoop.Usef.Xml;

namespace FlexCoop.Usef.Tests;

/// <summary>
/// The header types read through one cached reader (domains, versions, time zones, currencies, entity addresses):
/// each refuses a bad value every time it comes, naming the attribute and what the value should be, and a value
/// that once passed is served again as the same object.
/// </summary>
public sealed class UftpCachedSimpleTypeTests
{
    [Theory]
    [InlineData("SenderDomain=\"agr.example.org\"", "SenderDomain=\"Agr.Example.ORG\"", "SenderDomain", "is not an Internet domain (lower-case)")]
    [InlineData("Version=\"3.1.0\"", "Version=\"3.1\"", "Version", "is not a version (major.minor.patch)")]
    [InlineData("TimeZone=\"Europe/Amsterdam\"", "TimeZone=\"CET\"", "TimeZone", "is not a time zone name (Area/Location)")]
    [InlineData("Currency=\"EUR\"", "Currency=\"eur\"", "Currency", "is not an ISO 4217 currency code")]
    [InlineData("CongestionPoint=\"ean.871685900012345678\"", "CongestionPoint=\"ean:871685900012345678\"", "CongestionPoint", "is not an EntityAddress")]
    public void A_bad_cached_attribute_is_refused_every_time_naming_what_it_should_be(string valid, string invalid, string attribute, string expected)
    {
        var xml = FlexOfferXml().Replace(valid, invalid, StringComparison.Ordinal);
        Assert.Contains(invalid, xml, StringComparison.Ordinal);
        for (var i = 0; i < 2; i++)
        {
            var ex = Assert.Throws<UftpFormatException>(() => UftpXml.Parse(xml));
            Assert.Equal("xsd", ex.Rule);
            Assert.EndsWith("/@" + attribute, ex.Path, StringComparison.Ordinal);
            Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void An_optional_cached_attribute_is_null_when_absent_shared_when_present_and_checked_when_bad()
    {
        var xml = PortfolioResponseXml("agr-optional.example.net");
        var a = (DsoPortfolioQueryResponse)UftpXml.Parse(xml);
        var b = (DsoPortfolioQueryResponse)UftpXml.Parse(xml);
        var connections = a.CongestionPoint!.Connections;
        Assert.Equal("agr-optional.example.net", connections[0].AgrDomain);
        Assert.Null(connections[1].AgrDomain);
        Assert.Same(connections[0].AgrDomain, b.CongestionPoint!.Connections[0].AgrDomain);
        Assert.Same(connections[0].EntityAddress, b.CongestionPoint.Connections[0].EntityAddress);

        var ex = Assert.Throws<UftpFormatException>(() => UftpXml.Parse(PortfolioResponseXml("AGR_optional.example.net")));
        Assert.EndsWith("Connection[1]/@AGR-Domain", ex.Path, StringComparison.Ordinal);
        Assert.Contains("is not an Internet domain (lower-case)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cached_type_parses_only_what_its_check_accepts_and_caches_nothing_itself()
    {
        var type = new CachedSimpleType<string>("three letters", 4, 8, static v => v.Length == 3 ? v : null);
        Assert.Equal("abc", type.Parse("abc"));
        Assert.Null(type.Parse("abcd"));
        Assert.Equal("three letters", type.Expected);
        Assert.False(type.Cache.TryGet("abc"u8, out _));
    }

    private static string FlexOfferXml() =>
        "<FlexOffer Version=\"3.1.0\" SenderDomain=\"agr.example.org\" RecipientDomain=\"dso.example.com\" TimeStamp=\"2025-06-01T08:00:00Z\" "
        + $"MessageID=\"{Guid.NewGuid()}\" ConversationID=\"{Guid.NewGuid()}\" ISP-Duration=\"PT15M\" TimeZone=\"Europe/Amsterdam\" Period=\"2025-06-02\" "
        + $"CongestionPoint=\"ean.871685900012345678\" ExpirationDateTime=\"2025-06-01T10:00:00Z\" FlexRequestMessageID=\"{Guid.NewGuid()}\" Currency=\"EUR\">"
        + "<OfferOption OptionReference=\"A\" Price=\"123.45\"><ISP Power=\"-1000\" Start=\"1\"/></OfferOption></FlexOffer>";

    private static string PortfolioResponseXml(string agrDomain) =>
        "<DSOPortfolioQueryResponse Version=\"3.1.0\" SenderDomain=\"cro.example.org\" RecipientDomain=\"dso.example.com\" TimeStamp=\"2025-06-01T08:00:00Z\" "
        + $"MessageID=\"{Guid.NewGuid()}\" ConversationID=\"{Guid.NewGuid()}\" Result=\"Accepted\" DSOPortfolioQueryMessageID=\"{Guid.NewGuid()}\" "
        + "TimeZone=\"Europe/Amsterdam\" Period=\"2025-06-02\"><CongestionPoint EntityAddress=\"ean.871685900012340001\">"
        + $"<Connection EntityAddress=\"ean.871685900012340002\" AGR-Domain=\"{agrDomain}\"/><Connection EntityAddress=\"ean.871685900012340003\"/>"
        + "</CongestionPoint></DSOPortfolioQueryResponse>";
}
