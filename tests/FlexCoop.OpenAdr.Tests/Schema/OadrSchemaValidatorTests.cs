using System.Text;
using System.Xml.Linq;
using CsCheck;
using FlexCoop.OpenAdr.Schema;
using FlexCoop.OpenAdr.Xml;
using FlexCoop.Testing;

namespace FlexCoop.OpenAdr.Tests.Schema;

public sealed class OadrSchemaValidatorTests
{
    private static readonly XNamespace Oadr = "http://openadr.org/oadr-2.0b/2012/07";
    private static readonly XNamespace Ei = "http://docs.oasis-open.org/ns/energyinterop/201110";

    [Theory]
    [MemberData(nameof(AllianceSamples))]
    public void Alliance_sample_is_valid_unless_documented_as_predating_the_schema(string name)
    {
        var file = Path.Combine(TestEnvironment.RequireShared("vectors/openadr20b/alliance-spec-samples"), name);
        var result = SchemaFixture.Validator().Validate(File.ReadAllBytes(file));

        if (SchemaFixture.InvalidAllianceSamples.Contains(name))
        {
            Assert.False(result.IsValid);
            Assert.All(result.Violations, v => Assert.Equal("xsd", v.Rule));
            Assert.All(result.Violations, v => Assert.True(v.LineNumber > 0, v.ToString()));
        }
        else
        {
            Assert.True(result.IsValid, string.Join("\n", result.Violations));
        }
    }

    public static TheoryData<string> AllianceSamples() => SchemaFixture.AllianceSampleNames();

    [Fact]
    public void Report_samples_with_bare_PT0M_report_back_duration_point_at_the_element()
    {
        var file = Path.Combine(TestEnvironment.RequireShared("vectors/openadr20b/alliance-spec-samples"), "Sample_oadrCreateReport.xml");
        var result = SchemaFixture.Validator().Validate(File.ReadAllBytes(file));

        Assert.NotEmpty(result.Violations);
        Assert.All(result.Violations, v => Assert.Equal("/oadr:oadrCreateReport/oadr:oadrReportRequest/ei:reportSpecifier/ei:reportBackDuration", v.Path));
        Assert.All(result.Violations, v => Assert.Equal(12, v.LineNumber));
    }

    [Fact]
    public void Bare_payload_and_whole_oadrPayload_are_both_accepted()
    {
        var bare = File.ReadAllBytes(Path.Combine(TestEnvironment.RequireShared("vectors/openadr20b/avob-OpenADR/model20b"), "poll", "oadrPoll.xml"));
        var whole = File.ReadAllBytes(Path.Combine(TestEnvironment.RequireShared("vectors/openadr20b/alliance-spec-samples"), "sample_oadrPayload_20b.xml"));
        var validator = SchemaFixture.Validator();

        Assert.True(validator.Validate(bare).IsValid);
        Assert.True(validator.Validate(whole).IsValid);
    }

    [Fact]
    public void Errors_in_two_events_are_all_reported_with_their_paths()
    {
        var doc = LoadDistributeEventWithTwoEvents();
        var events = doc.Root!.Elements(Oadr + "oadrEvent").ToList();
        events[0].Descendants(Ei + "eventID").Single().Remove();
        events[1].Descendants(Ei + "modificationNumber").Single().Value = "not-a-number";

        var result = SchemaFixture.Validator().Validate(Encoding.UTF8.GetBytes(doc.ToString()));

        Assert.Equal(2, result.Violations.Count);
        // eventID missing: the validator notices at the next element, which it did not expect yet.
        Assert.Equal("/oadr:oadrDistributeEvent/oadr:oadrEvent/ei:eiEvent/ei:eventDescriptor/ei:modificationNumber", result.Violations[0].Path);
        Assert.Contains("eventID", result.Violations[0].Message, StringComparison.Ordinal);
        Assert.Equal("/oadr:oadrDistributeEvent/oadr:oadrEvent[2]/ei:eiEvent/ei:eventDescriptor/ei:modificationNumber", result.Violations[1].Path);
        Assert.Contains("modificationNumber", result.Violations[1].Message, StringComparison.Ordinal);
        Assert.All(result.Violations, v => Assert.Equal("xsd", v.Rule));
    }

    [Fact]
    public void Violations_are_capped_and_the_rest_summarised()
    {
        var doc = LoadDistributeEventWithTwoEvents();
        var template = doc.Root!.Elements(Oadr + "oadrEvent").First();
        for (var i = 0; i < 150; i++)
        {
            var copy = new XElement(template);
            copy.Descendants(Ei + "modificationNumber").Single().Value = "x" + i;
            doc.Root.Add(copy);
        }

        var result = SchemaFixture.Validator().Validate(Encoding.UTF8.GetBytes(doc.ToString()));

        Assert.Equal(OadrSchemaValidator.MaxViolations + 1, result.Violations.Count);
        Assert.Contains("further schema errors", result.Violations[^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_root_element_is_a_schema_violation()
    {
        var result = SchemaFixture.Validator().Validate("<oadrPayload xmlns='urn:not-openadr'/>"u8);

        var violation = Assert.Single(result.Violations);
        Assert.Equal("xsd", violation.Rule);
        Assert.Equal("/oadrPayload", violation.Path);
    }

    [Fact]
    public void Duplicate_ids_are_a_schema_violation()
    {
        // oadrSignedObject/@oadr:Id is an xs:ID; the signature checks rely on ids being unique.
        var xml = """
            <oadr:oadrPayload xmlns:oadr="http://openadr.org/oadr-2.0b/2012/07" xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
              <oadr:oadrSignedObject oadr:Id="same"><oadr:oadrPoll ei:schemaVersion="2.0b" xmlns:ei="http://docs.oasis-open.org/ns/energyinterop/201110"><ei:venID>v</ei:venID></oadr:oadrPoll></oadr:oadrSignedObject>
            </oadr:oadrPayload>
            """;
        Assert.True(SchemaFixture.Validator().Validate(Encoding.UTF8.GetBytes(xml)).IsValid);

        var withObject = xml.Replace(
            "<oadr:oadrSignedObject",
            "<ds:Signature Id=\"same\"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"/><ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\"/><ds:Reference URI=\"#same\"><ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/><ds:DigestValue>AAAA</ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue>AAAA</ds:SignatureValue></ds:Signature><oadr:oadrSignedObject",
            StringComparison.Ordinal);
        var result = SchemaFixture.Validator().Validate(Encoding.UTF8.GetBytes(withObject));

        Assert.Contains(result.Violations, v => v.Rule == "xsd" && v.Message.Contains("same", StringComparison.Ordinal));
    }

    [Fact]
    public void Replay_protect_block_is_checked_against_the_signature_properties_schema()
    {
        static string Payload(string replayProtect) => $"""
            <oadr:oadrPayload xmlns:oadr="http://openadr.org/oadr-2.0b/2012/07" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:dsp="http://openadr.org/oadr-2.0b/2012/07/xmldsig-properties">
              <ds:Signature><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI="#o"><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>AAAA</ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue>AAAA</ds:SignatureValue>
              <ds:Object Id="rp"><ds:SignatureProperties><ds:SignatureProperty Target="#s">{replayProtect}</ds:SignatureProperty></ds:SignatureProperties></ds:Object></ds:Signature>
              <oadr:oadrSignedObject oadr:Id="o"><oadr:oadrPoll ei:schemaVersion="2.0b" xmlns:ei="http://docs.oasis-open.org/ns/energyinterop/201110"><ei:venID>v</ei:venID></oadr:oadrPoll></oadr:oadrSignedObject>
            </oadr:oadrPayload>
            """;
        var validator = SchemaFixture.Validator();

        var good = validator.Validate(Encoding.UTF8.GetBytes(Payload("<dsp:ReplayProtect><dsp:timestamp>2026-01-01T00:00:00Z</dsp:timestamp><dsp:nonce>n1</dsp:nonce></dsp:ReplayProtect>")));
        var bad = validator.Validate(Encoding.UTF8.GetBytes(Payload("<dsp:ReplayProtect><dsp:nonce>n1</dsp:nonce></dsp:ReplayProtect>")));

        Assert.True(good.IsValid, string.Join("\n", good.Violations));
        var violation = Assert.Single(bad.Violations);
        Assert.EndsWith("/dsp:ReplayProtect/dsp:nonce", violation.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Whitespace_around_an_unsignedInt_is_refused_as_libxml2_does_but_not_around_a_patterned_date_time()
    {
        var doc = LoadDistributeEventWithTwoEvents();
        var descriptor = doc.Root!.Elements(Oadr + "oadrEvent").First().Descendants(Ei + "eventDescriptor").Single();
        descriptor.Element(Ei + "modificationDateTime")!.Value = "2001-12-17T09:30:47.000Z\n   ";
        var validator = SchemaFixture.Validator();
        Assert.True(validator.Validate(Encoding.UTF8.GetBytes(doc.ToString())).IsValid);

        descriptor.Element(Ei + "modificationNumber")!.Value = " 1 ";
        var result = validator.Validate(Encoding.UTF8.GetBytes(doc.ToString()));

        var violation = Assert.Single(result.Violations);
        Assert.Equal("xsd", violation.Rule);
        Assert.EndsWith("/ei:eventDescriptor/ei:modificationNumber", violation.Path, StringComparison.Ordinal);
        Assert.Contains("whitespace", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stream_and_span_give_the_same_verdict()
    {
        var file = Path.Combine(TestEnvironment.RequireShared("vectors/openadr20b/alliance-spec-samples"), "Sample_oadrCreateReport.xml");
        var bytes = File.ReadAllBytes(file);
        var validator = SchemaFixture.Validator();

        using var stream = new MemoryStream(bytes);
        Assert.Equal(validator.Validate(bytes).Violations, validator.Validate(stream).Violations);
    }

    [Fact]
    public void One_validator_can_be_used_from_many_threads()
    {
        var directory = TestEnvironment.RequireShared("vectors/openadr20b/alliance-spec-samples");
        var files = Directory.GetFiles(directory, "*.xml").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();
        var validator = SchemaFixture.Validator();
        var sequential = files.Select(f => validator.Validate(f).Violations.Count).ToArray();

        var parallel = new int[files.Length];
        Parallel.For(0, files.Length * 4, i => parallel[i % files.Length] = validator.Validate(files[i % files.Length]).Violations.Count);

        Assert.Equal(sequential, parallel);
    }

    [Fact]
    public void Not_well_formed_document_gives_one_xml_violation()
    {
        var result = SchemaFixture.Validator().Validate("<oadrPayload><unclosed></oadrPayload>"u8);

        var violation = Assert.Single(result.Violations);
        Assert.Equal("xml", violation.Rule);
        Assert.True(violation.LineNumber > 0);
    }

    [Fact]
    public void Oversized_document_gives_one_limits_violation()
    {
        var file = Path.Combine(TestEnvironment.RequireShared("vectors/openadr20b/alliance-spec-samples"), "Sample_oadrDistributeEvent.xml");
        var result = SchemaFixture.Validator().Validate(File.ReadAllBytes(file), new OadrXmlLimits { MaxCharacters = 500 });

        Assert.Equal("limits", Assert.Single(result.Violations).Rule);
    }

    [Fact]
    public void Too_deep_document_gives_one_limits_violation_naming_the_path()
    {
        var deep = new StringBuilder("<oadrPayload xmlns='http://openadr.org/oadr-2.0b/2012/07'>");
        for (var i = 0; i < 10; i++) deep.Append("<a>");
        for (var i = 0; i < 10; i++) deep.Append("</a>");
        deep.Append("</oadrPayload>");

        var result = SchemaFixture.Validator().Validate(Encoding.UTF8.GetBytes(deep.ToString()), new OadrXmlLimits { MaxDepth = 5 });

        var violation = Assert.Single(result.Violations);
        Assert.Equal("limits", violation.Rule);
        Assert.Equal("/oadrPayload/a/a/a/a/a", violation.Path);
    }

    [Fact]
    public void Long_text_node_gives_one_limits_violation()
    {
        var xml = "<oadrPoll xmlns='http://openadr.org/oadr-2.0b/2012/07'><venID xmlns='http://docs.oasis-open.org/ns/energyinterop/201110'>" + new string('v', 5000) + "</venID></oadrPoll>";

        var result = SchemaFixture.Validator().Validate(Encoding.UTF8.GetBytes(xml), new OadrXmlLimits { MaxTokenCharacters = 1000 });

        Assert.Equal("limits", Assert.Single(result.Violations).Rule);
    }

    [Fact]
    public void External_entity_is_refused_without_reading_the_file()
    {
        var secret = Path.Combine(Path.GetTempPath(), $"flexcoop-secret-{Guid.NewGuid():N}.txt");
        File.WriteAllText(secret, "TOP-SECRET-CONTENT");
        try
        {
            var xml = $"""
                <?xml version="1.0"?>
                <!DOCTYPE oadrPoll [ <!ENTITY xxe SYSTEM "file://{secret}"> ]>
                <oadrPoll xmlns="http://openadr.org/oadr-2.0b/2012/07"><venID xmlns="http://docs.oasis-open.org/ns/energyinterop/201110">&xxe;</venID></oadrPoll>
                """;

            var result = SchemaFixture.Validator().Validate(Encoding.UTF8.GetBytes(xml));

            var violation = Assert.Single(result.Violations);
            Assert.Equal("dtd", violation.Rule);
            Assert.DoesNotContain("TOP-SECRET", violation.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public void Billion_laughs_is_refused_as_dtd()
    {
        var xml = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [
              <!ENTITY lol "lol">
              <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
              <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
              <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
            ]>
            <oadrPoll xmlns="http://openadr.org/oadr-2.0b/2012/07">&lol4;</oadrPoll>
            """;

        var result = SchemaFixture.Validator().Validate(Encoding.UTF8.GetBytes(xml));

        Assert.Equal("dtd", Assert.Single(result.Violations).Rule);
    }

    [Fact]
    public void Doctype_without_entities_is_refused_as_dtd()
    {
        var result = SchemaFixture.Validator().Validate("<!DOCTYPE oadrPoll SYSTEM \"http://example.invalid/x.dtd\"><oadrPoll/>"u8);

        Assert.Equal("dtd", Assert.Single(result.Violations).Rule);
    }

    [Fact]
    public void Schema_location_hint_in_a_message_is_not_followed()
    {
        // The Alliance samples carry xsi:schemaLocation; a hostile one pointing elsewhere must not load anything.
        var xml = """
            <oadrPoll xmlns="http://openadr.org/oadr-2.0b/2012/07" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                      xsi:schemaLocation="http://openadr.org/oadr-2.0b/2012/07 http://example.invalid/evil.xsd"
                      xmlns:ei="http://docs.oasis-open.org/ns/energyinterop/201110" ei:schemaVersion="2.0b"><ei:venID>v</ei:venID></oadrPoll>
            """;

        Assert.True(SchemaFixture.Validator().Validate(Encoding.UTF8.GetBytes(xml)).IsValid);
    }

    [Fact]
    public void Mutated_and_truncated_messages_only_ever_give_violations()
    {
        var file = Path.Combine(TestEnvironment.RequireShared("vectors/openadr20b/alliance-spec-samples"), "Sample_oadrDistributeEvent.xml");
        var original = File.ReadAllBytes(file);
        var validator = SchemaFixture.Validator();
        var rules = new HashSet<string>(StringComparer.Ordinal) { "xsd", "xml", "dtd", "limits" };
        var lastTagEnd = Array.LastIndexOf(original, (byte)'>');

        Gen.Select(Gen.Int[0, original.Length - 1], Gen.Byte, Gen.Int[1, original.Length]).Sample((position, value, length) =>
        {
            var mutated = original[..length];
            if (position < mutated.Length)
            {
                mutated[position] = value;
            }
            var result = validator.Validate(mutated);
            Assert.All(result.Violations, v => Assert.Contains(v.Rule, rules));
            if (length <= lastTagEnd)
            {
                // Cut before the final '>': the root element is never closed.
                Assert.False(result.IsValid);
            }
        }, iter: 200);
    }

    private static XDocument LoadDistributeEventWithTwoEvents()
    {
        var file = Path.Combine(TestEnvironment.RequireShared("vectors/openadr20b/alliance-spec-samples"), "Sample_oadrDistributeEvent.xml");
        var doc = XDocument.Load(file);
        var events = doc.Root!.Elements(Oadr + "oadrEvent").ToList();
        Assert.Single(events);
        events[0].AddAfterSelf(new XElement(events[0]));
        return doc;
    }
}
