using System.Text;
using FlexCoop.Usef.Xml;

namespace FlexCoop.Usef.Tests;

public sealed class UftpXmlHostileTests
{
    private const string Header = "Version=\"3.1.0\" SenderDomain=\"agr.example.org\" RecipientDomain=\"dso.example.com\" TimeStamp=\"2025-01-01T00:00:00Z\" MessageID=\"11111111-2222-3333-4444-555555555555\" ConversationID=\"11111111-2222-3333-4444-666666666666\"";

    private static UftpFormatException Refused(string xml) => Assert.Throws<UftpFormatException>(() => UftpXml.Parse(xml));

    [Theory]
    [InlineData("shapeshifter-java-negative/FlexRequestResponse_with_XXE_Attack.xml")]
    [InlineData("shapeshifter-java-negative/FlexRequestResponse_with_XXE_Attack_SSRF.xml")]
    public void External_entity_fixture_is_refused_as_dtd(string fixture)
    {
        var error = Assert.Throws<UftpFormatException>(() => UftpXml.Parse(File.ReadAllBytes(UftpTestFiles.Vector(fixture))));
        Assert.Equal("dtd", error.Rule);
    }

    [Fact]
    public void External_entity_pointing_at_an_existing_file_reads_nothing()
    {
        var secret = Path.Combine(Path.GetTempPath(), $"uftp-secret-{Guid.NewGuid():N}.txt");
        File.WriteAllText(secret, "TOPSECRET");
        try
        {
            var xml = $"<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file://{secret}\">]><TestMessage {Header} RejectionReason=\"&x;\"/>";
            var error = Refused(xml);
            Assert.Equal("dtd", error.Rule);
            Assert.DoesNotContain("TOPSECRET", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public void Billion_laughs_is_refused_as_dtd()
    {
        var xml = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>"
            + $"<TestMessage {Header}>&lol2;</TestMessage>";
        Assert.Equal("dtd", Refused(xml).Rule);
    }

    [Fact]
    public void Huge_attribute_is_refused_by_limits()
    {
        var xml = $"<FlexRequestResponse {Header} Result=\"Rejected\" RejectionReason=\"{new string('x', 200_000)}\" FlexRequestMessageID=\"11111111-2222-3333-4444-777777777777\"/>";
        Assert.Equal("limits", Refused(xml).Rule);
    }

    [Fact]
    public void Document_over_the_size_limit_is_refused_before_parsing()
    {
        var xml = Encoding.UTF8.GetBytes($"<TestMessage {Header}/>" + new string(' ', 2000));
        var error = Assert.Throws<UftpFormatException>(() => UftpXml.Parse(xml, new UftpXmlLimits { MaxBytes = 1000 }));
        Assert.Equal("limits", error.Rule);
    }

    [Fact]
    public void Deep_nesting_is_refused()
    {
        var xml = $"<TestMessage {Header}>" + string.Concat(Enumerable.Repeat("<a>", 5000)) + string.Concat(Enumerable.Repeat("</a>", 5000)) + "</TestMessage>";
        var error = Refused(xml);
        Assert.Equal("xsd", error.Rule);
        Assert.Equal("/TestMessage/a", error.Path);
    }

    [Fact]
    public void Unknown_attribute_names_its_path()
    {
        var error = Refused($"<TestMessage {Header} Extra=\"1\"/>");
        Assert.Equal("xsd", error.Rule);
        Assert.Equal("/TestMessage/@Extra", error.Path);
    }

    [Fact]
    public void Unknown_root_element_is_refused()
    {
        Assert.Equal("/Prognosis", Refused($"<Prognosis {Header}/>").Path);
    }

    [Fact]
    public void Element_in_a_namespace_is_refused()
    {
        Assert.Equal("xsd", Refused($"<TestMessage xmlns=\"urn:x\" {Header}/>").Rule);
    }

    [Theory]
    [InlineData("MessageID=\"11111111-2222-3333-4444-555555555555\"", "MessageID=\"not-a-uuid\"", "/TestMessage/@MessageID")]
    [InlineData("TimeStamp=\"2025-01-01T00:00:00Z\"", "TimeStamp=\"yesterday\"", "/TestMessage/@TimeStamp")]
    [InlineData("SenderDomain=\"agr.example.org\"", "SenderDomain=\"AGR.example.org\"", "/TestMessage/@SenderDomain")]
    [InlineData("Version=\"3.1.0\"", "Version=\"3.1\"", "/TestMessage/@Version")]
    public void Bad_header_value_names_its_attribute(string good, string bad, string path)
    {
        var error = Refused($"<TestMessage {Header.Replace(good, bad, StringComparison.Ordinal)}/>");
        Assert.Equal("xsd", error.Rule);
        Assert.Equal(path, error.Path);
    }

    [Fact]
    public void Missing_required_attribute_is_refused()
    {
        var error = Refused($"<TestMessage {Header.Replace("Version=\"3.1.0\" ", "", StringComparison.Ordinal)}/>");
        Assert.Contains("Version", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("shapeshifter-java-negative/FlexOrder_missing-Version.xml")]
    [InlineData("shapeshifter-java-negative/FlexRequest_missing-Version.xml")]
    [InlineData("uftplib-2022/TestFlexOffer.XML")]
    [InlineData("uftplib-2022/TestFlexSettlement.XML")]
    [InlineData("uftplib-2022/TestDSOPortfolioUpdateResponse_AcceptedCorrect.XML")]
    [InlineData("uftplib-2022/TestMessageIncorrectISPDuration.XML")]
    [InlineData("uftplib-2022/TestMessageIncorrectTimezone.XML")]
    public void Fixture_invalid_against_3_1_is_refused_by_the_codec(string fixture)
    {
        var error = Assert.Throws<UftpFormatException>(() => UftpXml.Parse(File.ReadAllBytes(UftpTestFiles.Vector(fixture))));
        Assert.Equal("xsd", error.Rule);
    }

    [Theory]
    [InlineData("<FlexOrder {0} ISP-Duration=\"PT15M\" TimeZone=\"Europe/Amsterdam\" Period=\"2025-01-02\" CongestionPoint=\"ean.123456789012\" Price=\"1.23456\" Currency=\"EUR\" OrderReference=\"o\"><ISP Power=\"1\" Start=\"1\"/></FlexOrder>", "/FlexOrder/@Price")]
    [InlineData("<FlexOrder {0} ISP-Duration=\"PT15M\" TimeZone=\"Europe/Amsterdam\" Period=\"2025-01-02\" CongestionPoint=\"ean.123456789012\" Price=\"1\" Currency=\"EUR\" OrderReference=\"o\"><ISP Power=\"1\" Start=\"0\"/></FlexOrder>", "/FlexOrder/ISP[1]/@Start")]
    [InlineData("<FlexOrder {0} ISP-Duration=\"PT15M\" TimeZone=\"Europe/Amsterdam\" Period=\"2025-01-02\" CongestionPoint=\"ean.123456789012\" Price=\"1\" Currency=\"EUR\" OrderReference=\"o\" ActivationFactor=\"1.5\"><ISP Power=\"1\" Start=\"1\"/></FlexOrder>", "/FlexOrder/@ActivationFactor")]
    [InlineData("<FlexOrder {0} ISP-Duration=\"PT15M\" TimeZone=\"Europe/Amsterdam\" Period=\"2025-01-02\" CongestionPoint=\"ean.12\" Price=\"1\" Currency=\"EUR\" OrderReference=\"o\"><ISP Power=\"1\" Start=\"1\"/></FlexOrder>", "/FlexOrder/@CongestionPoint")]
    [InlineData("<FlexOrder {0} ISP-Duration=\"P1M\" TimeZone=\"Europe/Amsterdam\" Period=\"2025-01-02\" CongestionPoint=\"ean.123456789012\" Price=\"1\" Currency=\"EUR\" OrderReference=\"o\"><ISP Power=\"1\" Start=\"1\"/></FlexOrder>", "/FlexOrder/@ISP-Duration")]
    [InlineData("<FlexOrder {0} ISP-Duration=\"PT15M\" TimeZone=\"Europe/Amsterdam\" Period=\"2025-01-02\" CongestionPoint=\"ean.123456789012\" Price=\"1\" Currency=\"EUR\" OrderReference=\"o\"/>", "/FlexOrder")]
    [InlineData("<FlexOrder {0} ISP-Duration=\"PT15M\" TimeZone=\"Europe/Amsterdam\" Period=\"2025-01-02\" CongestionPoint=\"ean.123456789012\" Price=\"1\" Currency=\"EUR\" OrderReference=\"o\"><ISP Power=\"99999999999999999999999\" Start=\"1\"/></FlexOrder>", "/FlexOrder/ISP[1]/@Power")]
    [InlineData("<FlexOrder {0} ISP-Duration=\"PT15M\" TimeZone=\"Europe/Amsterdam\" Period=\"2025-01-02\" CongestionPoint=\"ean.123456789012\" Price=\"1\" Currency=\"EUR\" OrderReference=\"o\"><ISP Power=\"1\" Start=\"1\">text</ISP></FlexOrder>", "/FlexOrder/ISP[1]")]
    [InlineData("<FlexOrder {0} ISP-Duration=\"PT15M\" TimeZone=\"Europe/Amsterdam\" Period=\"2025-01-02\" CongestionPoint=\"ean.123456789012\" Price=\"1\" Currency=\"EUR\" OrderReference=\"o\"><Isp Power=\"1\" Start=\"1\"/></FlexOrder>", "/FlexOrder/Isp")]
    public void Bad_flex_order_value_is_refused_with_its_path(string template, string path)
    {
        var error = Refused(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, Header));
        Assert.Equal(path, error.Path);
    }

    [Fact]
    public void Not_well_formed_xml_is_refused_as_xml()
    {
        Assert.Equal("xml", Refused($"<TestMessage {Header}>").Rule);
        Assert.Equal("xml", Refused("").Rule);
        Assert.Equal("xml", Assert.Throws<UftpFormatException>(() => UftpXml.Parse(new byte[] { 0xFF, 0xFE, 0x00, 0x3C })).Rule);
    }

    [Fact]
    public void Random_bytes_never_escape_as_an_untyped_exception()
    {
        var valid = File.ReadAllBytes(UftpTestFiles.Vector("uftplib-2022/TestFlexOrder.XML"));
        var random = new Random(1234);
        for (var i = 0; i < 2000; i++)
        {
            var mutated = (byte[])valid.Clone();
            for (var k = 0; k < 1 + random.Next(4); k++) mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            try
            {
                UftpXml.Parse(mutated);
            }
            catch (UftpFormatException)
            {
            }
        }
    }
}
