using System.Text;
using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Xml;

namespace FlexCoop.OpenAdr.Tests.Codec;

public sealed class CodecErrorTests
{
    private const string Declarations =
        "xmlns:oadr=\"http://openadr.org/oadr-2.0b/2012/07\" xmlns:ei=\"http://docs.oasis-open.org/ns/energyinterop/201110\" "
        + "xmlns:pyld=\"http://docs.oasis-open.org/ns/energyinterop/201110/payloads\"";

    private static OadrFormatException Refuse(string xml, OadrXmlLimits? limits = null) =>
        Assert.Throws<OadrFormatException>(() => OadrCodec.Parse(xml, limits));

    [Fact]
    public void Parse_bare_poll_reads_ven_id()
    {
        var doc = OadrCodec.Parse($"<oadr:oadrPoll ei:schemaVersion=\"2.0b\" {Declarations}><ei:venID>VEN-1</ei:venID></oadr:oadrPoll>");
        var poll = Assert.IsType<OadrPoll>(doc.Message);
        Assert.Equal("VEN-1", poll.VenId);
        Assert.Equal(SchemaVersion.V20b, poll.SchemaVersion);
        Assert.Equal(OadrEnvelope.None, doc.Envelope);
    }

    [Fact]
    public void Parse_refuses_a_dtd_with_rule_dtd()
    {
        var ex = Refuse($"<!DOCTYPE oadr:oadrPoll [<!ELEMENT x ANY>]><oadr:oadrPoll {Declarations}><ei:venID>V</ei:venID></oadr:oadrPoll>");
        Assert.Equal("dtd", ex.Rule);
        Assert.IsType<System.Xml.XmlException>(ex.InnerException);
    }

    [Fact]
    public void Parse_refuses_an_external_entity_without_reading_it()
    {
        var secret = Path.Combine(Path.GetTempPath(), $"oadr-secret-{Guid.NewGuid():N}.txt");
        File.WriteAllText(secret, "TOP-SECRET");
        try
        {
            var xml = $"<?xml version=\"1.0\"?><!DOCTYPE p [<!ENTITY xxe SYSTEM \"file://{secret}\">]>"
                      + $"<oadr:oadrPoll {Declarations}><ei:venID>&xxe;</ei:venID></oadr:oadrPoll>";
            var ex = Refuse(xml);
            Assert.Equal("dtd", ex.Rule);
            Assert.DoesNotContain("TOP-SECRET", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public void Parse_refuses_an_undeclared_entity_as_not_well_formed()
    {
        var ex = Refuse($"<oadr:oadrPoll {Declarations}><ei:venID>&boom;</ei:venID></oadr:oadrPoll>");
        Assert.Equal("xml", ex.Rule);
        Assert.Equal("/oadr:oadrPoll/ei:venID", ex.Path);
    }

    [Fact]
    public void Parse_refuses_unclosed_elements_as_not_well_formed()
    {
        var ex = Refuse($"<oadr:oadrPoll {Declarations}><ei:venID>V</ei:venID>");
        Assert.Equal("xml", ex.Rule);
        Assert.IsType<System.Xml.XmlException>(ex.InnerException);
    }

    [Fact]
    public void Parse_refuses_a_document_longer_than_the_limit()
    {
        var xml = $"<oadr:oadrPoll {Declarations}><ei:venID>{new string('v', 5000)}</ei:venID></oadr:oadrPoll>";
        var ex = Refuse(xml, new OadrXmlLimits { MaxCharacters = 2000 });
        Assert.Equal("limits", ex.Rule);
    }

    [Fact]
    public void Parse_refuses_a_value_longer_than_the_token_limit()
    {
        var xml = $"<oadr:oadrPoll {Declarations}><ei:venID>{new string('v', 300)}</ei:venID></oadr:oadrPoll>";
        var ex = Refuse(xml, new OadrXmlLimits { MaxTokenCharacters = 256 });
        Assert.Equal("limits", ex.Rule);
        Assert.Equal("/oadr:oadrPoll/ei:venID", ex.Path);
    }

    [Fact]
    public void Parse_refuses_nesting_deeper_than_the_limit()
    {
        var sample = Vectors.Read("distribute-two-events.xml");
        var ok = OadrCodec.Parse(sample, new OadrXmlLimits { MaxDepth = 40 });
        Assert.IsType<OadrDistributeEvent>(ok.Message);
        var ex = Assert.Throws<OadrFormatException>(() => OadrCodec.Parse(sample, new OadrXmlLimits { MaxDepth = 6 }));
        Assert.Equal("limits", ex.Rule);
        Assert.StartsWith("/oadr:oadrPayload/oadr:oadrSignedObject/oadr:oadrDistributeEvent/oadr:oadrEvent/ei:eiEvent", ex.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_refuses_deep_nesting_inside_a_signature_it_skips()
    {
        var deep = string.Concat(Enumerable.Repeat("<ds:x>", 100)) + string.Concat(Enumerable.Repeat("</ds:x>", 100));
        var xml = $"<oadr:oadrPayload {Declarations} xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:Signature>{deep}</ds:Signature>"
                  + "<oadr:oadrSignedObject><oadr:oadrPoll><ei:venID>V</ei:venID></oadr:oadrPoll></oadr:oadrSignedObject></oadr:oadrPayload>";
        Assert.Equal("limits", Refuse(xml).Rule);
        Assert.True(OadrCodec.Parse(xml, new OadrXmlLimits { MaxDepth = 200 }).HasSignature);
    }

    [Fact]
    public void Parse_names_the_unknown_element_and_where_it_is()
    {
        var ex = Refuse($"<oadr:oadrPoll {Declarations}>\n  <ei:venID>V</ei:venID>\n  <ei:surprise/>\n</oadr:oadrPoll>");
        Assert.Equal("xsd", ex.Rule);
        Assert.Equal("/oadr:oadrPoll/ei:surprise", ex.Path);
        Assert.Equal(3, ex.LineNumber);
        Assert.Contains("ei:surprise", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_names_the_missing_element()
    {
        var ex = Refuse($"<oadr:oadrCancelOpt {Declarations}><pyld:requestID>R</pyld:requestID><ei:venID>V</ei:venID></oadr:oadrCancelOpt>");
        Assert.Equal("xsd", ex.Rule);
        Assert.Contains("ei:optID", ex.Detail, StringComparison.Ordinal);
        Assert.Equal("/oadr:oadrCancelOpt/ei:venID", ex.Path);
    }

    [Fact]
    public void Parse_refuses_elements_in_the_wrong_order()
    {
        var ex = Refuse($"<oadr:oadrCancelOpt {Declarations}><ei:optID>O</ei:optID><pyld:requestID>R</pyld:requestID><ei:venID>V</ei:venID></oadr:oadrCancelOpt>");
        Assert.Equal("xsd", ex.Rule);
        Assert.Equal("/oadr:oadrCancelOpt/ei:optID", ex.Path);
    }

    [Fact]
    public void Parse_refuses_a_bad_value_naming_its_element()
    {
        var xml = Encoding.UTF8.GetString(Vectors.Read("distribute-two-events.xml"))
            .Replace("<ei:modificationNumber>0</ei:modificationNumber>", "<ei:modificationNumber>zero</ei:modificationNumber>", StringComparison.Ordinal);
        var ex = Refuse(xml);
        Assert.Equal("xsd", ex.Rule);
        Assert.Equal("/oadr:oadrPayload/oadr:oadrSignedObject/oadr:oadrDistributeEvent/oadr:oadrEvent/ei:eiEvent/ei:eventDescriptor/ei:modificationNumber", ex.Path);
        Assert.Contains("'zero'", ex.Detail, StringComparison.Ordinal);
        Assert.True(ex.LineNumber > 1);
    }

    [Fact]
    public void Parse_path_indexes_repeated_elements()
    {
        var xml = Encoding.UTF8.GetString(Vectors.Read("distribute-two-events.xml"));
        var second = xml.IndexOf("<ei:signalName>", xml.IndexOf("EVT-2", StringComparison.Ordinal), StringComparison.Ordinal);
        xml = string.Concat(xml.AsSpan(0, second), "<ei:signalName>NOT_A_SIGNAL</ei:signalName><x/>", xml.AsSpan(xml.IndexOf("</ei:signalName>", second, StringComparison.Ordinal) + "</ei:signalName>".Length));
        var ex = Refuse(xml);
        Assert.Equal("/oadr:oadrPayload/oadr:oadrSignedObject/oadr:oadrDistributeEvent/oadr:oadrEvent[2]/ei:eiEvent/ei:eiEventSignals/ei:eiEventSignal/ei:signalName", ex.Path);
    }

    [Theory]
    [InlineData("2.0c")]
    [InlineData("x- ")]
    public void Parse_refuses_an_unknown_schema_version(string version)
    {
        var ex = Refuse($"<oadr:oadrPoll ei:schemaVersion=\"{version}\" {Declarations}><ei:venID>V</ei:venID></oadr:oadrPoll>");
        Assert.Equal("xsd", ex.Rule);
    }

    [Fact]
    public void Parse_refuses_attributes_the_schema_does_not_declare()
    {
        var ex = Refuse($"<oadr:oadrPoll {Declarations}><ei:venID id=\"1\">V</ei:venID></oadr:oadrPoll>");
        Assert.Equal("xsd", ex.Rule);
        Assert.Equal("/oadr:oadrPoll/ei:venID", ex.Path);
    }

    [Fact]
    public void Parse_accepts_schema_location_but_never_loads_it()
    {
        var doc = OadrCodec.Parse($"<oadr:oadrPoll xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://openadr.org/oadr-2.0b/2012/07 http://127.0.0.1:9/none.xsd\" {Declarations}><ei:venID>V</ei:venID></oadr:oadrPoll>");
        Assert.IsType<OadrPoll>(doc.Message);
    }

    [Fact]
    public void Parse_refuses_text_where_elements_belong()
    {
        var ex = Refuse($"<oadr:oadrPoll {Declarations}>stray<ei:venID>V</ei:venID></oadr:oadrPoll>");
        Assert.Equal("xsd", ex.Rule);
    }

    [Fact]
    public void Parse_refuses_a_second_root_element()
    {
        var ex = Refuse($"<oadr:oadrPoll {Declarations}><ei:venID>V</ei:venID></oadr:oadrPoll><oadr:oadrPoll/>");
        Assert.Equal("xml", ex.Rule);
    }

    [Fact]
    public void Parse_refuses_an_empty_document()
    {
        Assert.Equal("xml", Refuse("").Rule);
        Assert.Equal("xml", Assert.Throws<OadrFormatException>(() => OadrCodec.Parse(ReadOnlySpan<byte>.Empty)).Rule);
    }

    [Theory]
    [InlineData("2012-01-01T00:00:00+01:00")]
    [InlineData("2012-13-01T00:00:00Z")]
    [InlineData("2012-02-30T00:00:00Z")]
    [InlineData("2012-01-01 00:00:00Z")]
    [InlineData("2012-01-01T00:00:00.Z")]
    public void Parse_refuses_date_times_the_schema_refuses(string value)
    {
        var xml = Encoding.UTF8.GetString(Vectors.Read("distribute-two-events.xml"));
        var at = xml.IndexOf("<ei:createdDateTime>", StringComparison.Ordinal) + "<ei:createdDateTime>".Length;
        xml = string.Concat(xml.AsSpan(0, at), value, xml.AsSpan(xml.IndexOf('<', at)));
        var ex = Refuse(xml);
        Assert.EndsWith("/ei:eventDescriptor/ei:createdDateTime", ex.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_reads_date_times_without_zone_as_utc_and_keeps_fractions()
    {
        var xml = Encoding.UTF8.GetString(Vectors.Read("distribute-two-events.xml"));
        var at = xml.IndexOf("<ei:createdDateTime>", StringComparison.Ordinal) + "<ei:createdDateTime>".Length;
        xml = string.Concat(xml.AsSpan(0, at), "2024-06-01T12:30:00.125", xml.AsSpan(xml.IndexOf('<', at)));
        var ev = Assert.IsType<OadrDistributeEvent>(OadrCodec.Parse(xml).Message);
        var created = ev.Events[0].EiEvent.EventDescriptor.CreatedDateTime;
        Assert.Equal(new DateTimeOffset(2024, 6, 1, 12, 30, 0, 125, TimeSpan.Zero), created);
        Assert.Contains("2024-06-01T12:30:00.125Z", OadrCodec.SerializeToString(ev), StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_never_writes_a_schema_location_and_declares_prefixes_once_on_the_root()
    {
        var text = Encoding.UTF8.GetString(Vectors.Read("distribute-two-events.xml"));
        var message = OadrCodec.Parse(text).Message;
        var output = OadrCodec.SerializeToString(message);
        Assert.DoesNotContain("schemaLocation", output, StringComparison.Ordinal);
        Assert.Equal(1, CountOf(output, "xmlns:ei="));
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<oadr:oadrPayload xmlns:oadr=", output, StringComparison.Ordinal);
    }

    private static int CountOf(string text, string what)
    {
        var count = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal)) count++;
        return count;
    }
}
