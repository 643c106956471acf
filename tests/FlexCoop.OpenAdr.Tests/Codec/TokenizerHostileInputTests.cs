using System.Text;
using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Xml;

namespace FlexCoop.OpenAdr.Tests.Codec;

/// <summary>
/// Hostile input through the byte path the VTN, VEN and replay use (<see cref="OadrCodec.Parse(ReadOnlySpan{byte}, OadrXmlLimits?)"/>):
/// each attack ends in an <see cref="OadrFormatException"/> whose rule names what was broken, never in another exception,
/// a hang or an expansion. Also the encodings the codec transcodes and the ones it refuses.
/// </summary>
public sealed class TokenizerHostileInputTests
{
    private const string Declarations =
        "xmlns:oadr=\"http://openadr.org/oadr-2.0b/2012/07\" xmlns:ei=\"http://docs.oasis-open.org/ns/energyinterop/201110\"";

    private static string Poll(string venId = "VEN-1", string attributes = "") =>
        $"<oadr:oadrPoll ei:schemaVersion=\"2.0b\" {Declarations}{attributes}><ei:venID>{venId}</ei:venID></oadr:oadrPoll>";

    private static OadrFormatException Refuse(byte[] bytes, OadrXmlLimits? limits = null) =>
        Assert.Throws<OadrFormatException>(() => OadrCodec.Parse(bytes, limits));

    private static OadrFormatException Refuse(string xml, OadrXmlLimits? limits = null) => Refuse(Encoding.UTF8.GetBytes(xml), limits);

    [Fact]
    public void Billion_laughs_is_refused_with_rule_dtd_before_anything_is_expanded()
    {
        var entities = new StringBuilder("<!ENTITY lol0 \"lol\">");
        for (var i = 1; i < 10; i++) entities.Append($"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10))}\">");
        var ex = Refuse($"<?xml version=\"1.0\"?><!DOCTYPE oadr:oadrPoll [{entities}]>" + Poll("&lol9;"));
        Assert.Equal("dtd", ex.Rule);
        Assert.Contains("DTD", ex.Detail, StringComparison.Ordinal);
        Assert.Equal(1, ex.LineNumber);
    }

    [Fact]
    public void External_entity_is_refused_with_rule_dtd_and_the_file_is_never_read()
    {
        var secret = Path.Combine(Path.GetTempPath(), $"oadr-secret-{Guid.NewGuid():N}.txt");
        File.WriteAllText(secret, "TOP-SECRET");
        try
        {
            var ex = Refuse($"<!DOCTYPE p [<!ENTITY xxe SYSTEM \"file://{secret}\">]>" + Poll("&xxe;"));
            Assert.Equal("dtd", ex.Rule);
            Assert.DoesNotContain("TOP-SECRET", ex.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Theory]
    [InlineData("<!ENTITY e \"x\">")]
    [InlineData("<!ELEMENT x ANY>")]
    [InlineData("<!ATTLIST x a CDATA #IMPLIED>")]
    public void A_markup_declaration_inside_the_message_is_refused_with_rule_dtd(string declaration)
    {
        var ex = Refuse(Poll().Replace("<ei:venID>", declaration + "<ei:venID>", StringComparison.Ordinal));
        Assert.Equal("dtd", ex.Rule);
        Assert.Equal("/oadr:oadrPoll", ex.Path);
    }

    [Fact]
    public void Deep_nesting_is_refused_with_rule_limits_naming_the_element_too_deep()
    {
        // Inside the ds:Signature the codec skips, where only the tokenizer's bound can stop it.
        var deep = string.Concat(Enumerable.Repeat("<ds:x>", 100_000)) + string.Concat(Enumerable.Repeat("</ds:x>", 100_000));
        var xml = $"<oadr:oadrPayload {Declarations} xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:Signature>{deep}</ds:Signature>"
                  + $"<oadr:oadrSignedObject>{Poll()}</oadr:oadrSignedObject></oadr:oadrPayload>";
        var ex = Refuse(xml);
        Assert.Equal("limits", ex.Rule);
        Assert.Contains("nested deeper than 64", ex.Detail, StringComparison.Ordinal);
        Assert.Equal(65, ex.Path.Count(c => c == '/'));
        Assert.StartsWith("/oadr:oadrPayload/ds:Signature/ds:x/ds:x/", ex.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Huge_attribute_value_is_refused_with_rule_limits()
    {
        var ex = Refuse(Poll(attributes: $" xmlns:x=\"urn:{new string('a', 2_000_000)}\""));
        Assert.Equal("limits", ex.Rule);
        Assert.Contains("attribute value is longer than", ex.Detail, StringComparison.Ordinal);
        Assert.Equal("/oadr:oadrPoll", ex.Path);
    }

    [Fact]
    public void Huge_text_is_refused_with_rule_limits_naming_its_element()
    {
        var ex = Refuse(Poll(new string('v', 300)), new OadrXmlLimits { MaxTokenCharacters = 256 });
        Assert.Equal("limits", ex.Rule);
        Assert.Equal("/oadr:oadrPoll/ei:venID", ex.Path);
    }

    [Fact]
    public void Too_many_attributes_and_too_long_names_are_refused_with_rule_limits()
    {
        var attributes = string.Concat(Enumerable.Range(0, 65).Select(i => $" a{i}=\"{i}\""));
        var many = Refuse(Poll(attributes: attributes));
        Assert.Equal("limits", many.Rule);
        Assert.Contains("more than 64 attributes", many.Detail, StringComparison.Ordinal);
        var name = "ei:" + new string('n', 2000);
        var longName = Refuse(Poll().Replace("<ei:venID>VEN-1</ei:venID>", $"<{name}/>", StringComparison.Ordinal));
        Assert.Equal("limits", longName.Rule);
        Assert.Contains("name is longer than 1024", longName.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_document_over_the_size_limit_is_refused_before_it_is_read_whatever_its_form()
    {
        var limits = new OadrXmlLimits { MaxCharacters = 100 };
        var xml = Poll(new string('v', 500));
        Assert.Equal("limits", Refuse(xml, limits).Rule);
        Assert.Equal("limits", Assert.Throws<OadrFormatException>(() => OadrCodec.Parse(xml, limits)).Rule);
        Assert.Equal("limits", Assert.Throws<OadrFormatException>(() => OadrCodec.Parse(new MemoryStream(Encoding.UTF8.GetBytes(xml)), limits)).Rule);
    }

    public static TheoryData<byte[], string> InvalidUtf8() => new()
    {
        { [0xFF], "a byte that never occurs in UTF-8" },
        { [0x80], "a continuation byte on its own" },
        { [0xC3, (byte)'x'], "a sequence cut short" },
        { [0xC0, 0xAF], "an overlong form of '/'" },
        { [0xED, 0xA0, 0x80], "a UTF-16 surrogate" },
        { [0xF4, 0x90, 0x80, 0x80], "beyond U+10FFFF" },
    };

    [Theory]
    [MemberData(nameof(InvalidUtf8))]
    public void Invalid_utf8_is_refused_with_rule_xml_at_its_element_and_line(byte[] bad, string what)
    {
        var xml = Encoding.UTF8.GetBytes(Poll().Replace("<ei:venID>", "\n  <ei:venID>", StringComparison.Ordinal));
        var at = Encoding.UTF8.GetString(xml).IndexOf("VEN-1", StringComparison.Ordinal) + 3;
        var damaged = xml[..at].Concat(bad).Concat(xml[at..]).ToArray();
        var ex = Refuse(damaged);
        Assert.True(ex.Rule == "xml", what);
        Assert.Contains("not valid UTF-8", ex.Detail, StringComparison.Ordinal);
        Assert.Equal("/oadr:oadrPoll/ei:venID", ex.Path);
        Assert.Equal(2, ex.LineNumber);
    }

    [Theory]
    [InlineData("\u0001")]
    [InlineData("\uFFFF")]
    [InlineData("&#0;")]
    [InlineData("&#xD800;")]
    public void Characters_xml_does_not_allow_are_refused_with_rule_xml(string character)
    {
        var ex = Refuse(Poll("V" + character));
        Assert.Equal("xml", ex.Rule);
        Assert.Equal("/oadr:oadrPoll/ei:venID", ex.Path);
    }

    [Fact]
    public void Errors_name_the_path_with_the_prefixes_of_the_document()
    {
        var xml = "<p:oadrPoll xmlns:p=\"http://openadr.org/oadr-2.0b/2012/07\" xmlns=\"http://docs.oasis-open.org/ns/energyinterop/201110\">"
                  + "<venID>V</venID><venID>W</venID></p:oadrPoll>";
        var ex = Refuse(xml);
        Assert.Equal("xsd", ex.Rule);
        Assert.Equal("/p:oadrPoll/venID[2]", ex.Path);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Utf16_with_a_byte_order_mark_is_read_as_the_same_message(bool bigEndian)
    {
        var text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>" + Poll("VEN-é");
        var encoding = new UnicodeEncoding(bigEndian, byteOrderMark: true);
        var bytes = encoding.GetPreamble().Concat(encoding.GetBytes(text)).ToArray();
        var poll = Assert.IsType<OadrPoll>(OadrCodec.Parse(bytes).Message);
        Assert.Equal("VEN-é", poll.VenId);
    }

    [Fact]
    public void Latin1_declared_in_the_declaration_is_transcoded()
    {
        var bytes = Encoding.Latin1.GetBytes("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>" + Poll("VEN-é"));
        Assert.Equal("VEN-é", Assert.IsType<OadrPoll>(OadrCodec.Parse(bytes).Message).VenId);
    }

    [Theory]
    [InlineData("<?xml version=\"1.0\" encoding=\"x-unknown-42\"?>")]
    [InlineData("<?xml version=\"1.0\" encoding=\"UTF-16\"?>")]
    public void An_encoding_the_codec_cannot_honour_is_refused_with_rule_xml(string declaration)
    {
        var ex = Refuse(Encoding.UTF8.GetBytes(declaration + Poll()));
        Assert.Equal("xml", ex.Rule);
        Assert.Contains("encoding", ex.Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Utf32_is_refused_with_rule_xml()
    {
        var bytes = new UTF32Encoding(bigEndian: false, byteOrderMark: true).GetPreamble().Concat(Encoding.UTF32.GetBytes(Poll())).ToArray();
        var ex = Refuse(bytes);
        Assert.Equal("xml", ex.Rule);
        Assert.Contains("UTF-32", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_string_lone_surrogate_is_refused_with_rule_xml()
    {
        var ex = Assert.Throws<OadrFormatException>(() => OadrCodec.Parse(Poll("V\uD800")));
        Assert.Equal("xml", ex.Rule);
    }

    [Fact]
    public void Values_with_references_cdata_and_comments_read_as_their_characters()
    {
        var poll = Assert.IsType<OadrPoll>(OadrCodec.Parse(Encoding.UTF8.GetBytes(Poll("VEN&amp;&#x41;<![CDATA[<1>]]><!-- note -->-2"))).Message);
        Assert.Equal("VEN&A<1>-2", poll.VenId);
    }
}
