using System.Text;
using FlexCoop.Iec61850.Model;
using FlexCoop.Iec61850.Scl;

namespace FlexCoop.Iec61850.Tests.Scl;

public sealed class SclHostileInputTests
{
    private const string Ns = "http://www.iec.ch/61850/2003/SCL";

    [Fact]
    public void Dtd_with_internal_entities_is_refused()
    {
        var xml = "<?xml version=\"1.0\"?><!DOCTYPE SCL [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>" +
                  $"<SCL xmlns=\"{Ns}\"><Header id=\"&b;\"/></SCL>";
        var ex = Assert.Throws<SclException>(() => SclDocument.Parse(xml));
        Assert.Equal("dtd", ex.Rule);
        Assert.IsAssignableFrom<Iec61850Exception>(ex);
    }

    [Fact]
    public void External_entity_is_refused_and_nothing_is_read()
    {
        var secret = Path.GetTempFileName();
        try
        {
            File.WriteAllText(secret, "secret");
            var xml = $"<?xml version=\"1.0\"?><!DOCTYPE SCL [<!ENTITY x SYSTEM \"file://{secret}\">]><SCL xmlns=\"{Ns}\"><Header id=\"&x;\"/></SCL>";
            var ex = Assert.Throws<SclException>(() => SclDocument.Parse(xml));
            Assert.Equal("dtd", ex.Rule);
            Assert.DoesNotContain("secret", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public void Deep_nesting_is_refused_at_the_depth_limit()
    {
        var sb = new StringBuilder($"<SCL xmlns=\"{Ns}\">");
        for (var i = 0; i < 10_000; i++) sb.Append("<Private>");
        for (var i = 0; i < 10_000; i++) sb.Append("</Private>");
        sb.Append("</SCL>");
        var ex = Assert.Throws<SclException>(() => SclDocument.Parse(sb.ToString()));
        Assert.Equal("limits", ex.Rule);
        Assert.Contains("64", ex.Detail, StringComparison.Ordinal);
        Assert.Equal(1, ex.Line);
    }

    [Fact]
    public void Huge_attribute_is_refused()
    {
        var xml = $"<SCL xmlns=\"{Ns}\"><Header id=\"{new string('x', 2 * 1024 * 1024)}\"/></SCL>";
        var ex = Assert.Throws<SclException>(() => SclDocument.Parse(xml));
        Assert.Equal("limits", ex.Rule);
    }

    [Fact]
    public void Huge_text_is_refused_under_a_smaller_limit()
    {
        var xml = $"<SCL xmlns=\"{Ns}\"><Header id=\"h\"/><Private>{new string('x', 5000)}</Private></SCL>";
        var ex = Assert.Throws<SclException>(() => SclDocument.Parse(xml, new SclLimits { MaxTokenCharacters = 1000 }));
        Assert.Equal("limits", ex.Rule);
        Assert.NotNull(SclDocument.Parse(xml));
    }

    [Fact]
    public void Document_over_the_size_limit_is_refused()
    {
        var xml = File.ReadAllText(SclVectors.DerUnit);
        var ex = Assert.Throws<SclException>(() => SclDocument.Parse(xml, new SclLimits { MaxCharacters = 4096 }));
        Assert.Equal("limits", ex.Rule);
    }

    [Theory]
    [InlineData("")]
    [InlineData("<SCL xmlns=\"http://www.iec.ch/61850/2003/SCL\">")]
    [InlineData("<SCL xmlns=\"http://www.iec.ch/61850/2003/SCL\"><Header id=\"a\"></SCL>")]
    [InlineData("<SCL xmlns=\"http://www.iec.ch/61850/2003/SCL\" a=\"1\" a=\"2\"/>")]
    [InlineData("\u0001")]
    public void Malformed_xml_is_an_xml_error(string xml)
    {
        var ex = Assert.Throws<SclException>(() => SclDocument.Parse(xml));
        Assert.Equal("xml", ex.Rule);
    }

    [Fact]
    public void Root_that_is_not_scl_is_refused()
    {
        var ex = Assert.Throws<SclException>(() => SclDocument.Parse("<oadrPayload xmlns=\"http://openadr.org/oadr-2.0b/2012/07\"/>"));
        Assert.Equal("scl", ex.Rule);
        Assert.Equal((1, 1), (ex.Line, ex.Column));
    }

    [Fact]
    public void Type_expansion_bomb_is_stopped_at_the_instance_limit()
    {
        // Ten levels of DATypes with ten components each: 10^10 attributes from a 3 KB file.
        var t = new StringBuilder();
        for (var level = 0; level < 10; level++)
        {
            t.Append($"<DAType id=\"T{level}\">");
            for (var i = 0; i < 10; i++)
            {
                t.Append(level == 9
                    ? $"<BDA name=\"b{i}\" bType=\"INT32\"/>"
                    : $"<BDA name=\"b{i}\" bType=\"Struct\" type=\"T{level + 1}\"/>");
            }
            t.Append("</DAType>");
        }
        var xml = $"<SCL xmlns=\"{Ns}\"><Header id=\"bomb\"/><IED name=\"I\"><AccessPoint name=\"A\"><Server><LDevice inst=\"L\">" +
                  "<LN0 lnClass=\"LLN0\" inst=\"\" lnType=\"LN\"/></LDevice></Server></AccessPoint></IED>" +
                  "<DataTypeTemplates><LNodeType id=\"LN\" lnClass=\"LLN0\"><DO name=\"D\" type=\"DT\"/></LNodeType>" +
                  "<DOType id=\"DT\" cdc=\"XXX\"><DA name=\"a\" bType=\"Struct\" type=\"T0\" fc=\"ST\"/></DOType>" + t + "</DataTypeTemplates></SCL>";
        var doc = SclDocument.Parse(xml);
        var ex = Assert.Throws<SclException>(() => SclResolver.Resolve(doc, limits: new SclLimits { MaxInstanceNodes = 100_000 }));
        Assert.Equal("limits", ex.Rule);
    }

    [Fact]
    public void Type_chain_deeper_than_the_limit_is_refused()
    {
        var t = new StringBuilder();
        for (var level = 0; level < 40; level++)
        {
            t.Append($"<DAType id=\"T{level}\">").Append(level == 39
                ? "<BDA name=\"v\" bType=\"INT32\"/>"
                : $"<BDA name=\"n\" bType=\"Struct\" type=\"T{level + 1}\"/>").Append("</DAType>");
        }
        var xml = $"<SCL xmlns=\"{Ns}\"><Header id=\"deep\"/><IED name=\"I\"><AccessPoint name=\"A\"><Server><LDevice inst=\"L\">" +
                  "<LN0 lnClass=\"LLN0\" inst=\"\" lnType=\"LN\"/></LDevice></Server></AccessPoint></IED>" +
                  "<DataTypeTemplates><LNodeType id=\"LN\" lnClass=\"LLN0\"><DO name=\"D\" type=\"DT\"/></LNodeType>" +
                  "<DOType id=\"DT\" cdc=\"XXX\"><DA name=\"a\" bType=\"Struct\" type=\"T0\" fc=\"ST\"/></DOType>" + t + "</DataTypeTemplates></SCL>";
        var ex = Assert.Throws<SclException>(() => SclResolver.Resolve(SclDocument.Parse(xml)));
        Assert.Equal("limits", ex.Rule);
        Assert.Contains("32", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Limits_that_are_not_positive_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SclDocument.Parse("<SCL/>", new SclLimits { MaxDepth = 0 }));
    }
}
