using System.Text;
using FlexCoop.OpenAdr.Validation;
using FlexCoop.Testing;

namespace FlexCoop.OpenAdr.Tests.Validation;

public sealed class OadrValidatorTests
{
    private static readonly Lazy<OadrValidator> WithSchemas = new(() =>
        new OadrValidator(new OadrValidationOptions { SchemaDirectory = TestEnvironment.RequireShared("schemas/openadr20b") }));

    private static OadrValidator Validator
    {
        get
        {
            TestEnvironment.RequireShared("schemas/openadr20b");
            return WithSchemas.Value;
        }
    }

    private static IReadOnlyList<Violation> Errors(ValidationResult result) =>
        result.Violations.Where(v => v.Severity == ViolationSeverity.Error).ToList();

    [Fact]
    public void Our_fixture_is_valid_wrapped_and_bare()
    {
        var wrapped = Validator.Validate(new DistributeFixture().Bytes());
        Assert.True(wrapped.IsValid, string.Join("\n", wrapped.Violations));
        var bare = Validator.Validate(new DistributeFixture { Wrapped = false }.Bytes());
        Assert.True(bare.IsValid, string.Join("\n", bare.Violations));
    }

    [Fact]
    public void Rule_1_date_time_without_Z_is_reported_with_its_path()
    {
        var result = Validator.Validate(new DistributeFixture { DtStart = "2026-11-30T10:00:00" }.Bytes());
        var v = Assert.Single(Errors(result));
        Assert.Equal("rule 1", v.Rule);
        Assert.EndsWith("xcal:dtstart/xcal:date-time", v.Path, StringComparison.Ordinal);
        Assert.Contains("2026-11-30T10:00:00", v.Message, StringComparison.Ordinal);
        Assert.True(v.LineNumber > 0);
    }

    [Fact]
    public void Rule_1_applies_to_createdDateTime_too()
    {
        var result = Validator.Validate(new DistributeFixture { CreatedDateTime = "2026-11-30T08:00:00+01:00" }.Bytes());
        // The schema's pattern already refuses an offset; the profile rule says why.
        Assert.Contains(result.Violations, v => v.Rule == "rule 1" && v.Path.EndsWith("ei:createdDateTime", StringComparison.Ordinal));
        Assert.False(result.IsValid);
    }

    [Fact]
    public void Rule_45_schemaLocation_is_refused()
    {
        var result = Validator.Validate(new DistributeFixture { SchemaLocation = true }.Bytes());
        var v = Assert.Single(Errors(result));
        Assert.Equal("rule 45", v.Rule);
        Assert.Equal("/oadr:oadrPayload", v.Path);
    }

    [Fact]
    public void Id_longer_than_the_limit_is_reported_and_the_limit_is_configurable()
    {
        var longId = new string('e', 51);
        var result = Validator.Validate(new DistributeFixture { EventId = longId }.Bytes());
        var v = Assert.Single(Errors(result));
        Assert.Equal("id-length", v.Rule);
        Assert.EndsWith("ei:eventDescriptor/ei:eventID", v.Path, StringComparison.Ordinal);

        var lenient = new OadrValidator(new OadrValidationOptions { MaxIdLength = 64 });
        Assert.DoesNotContain(lenient.Validate(new DistributeFixture { EventId = longId }.Bytes()).Violations, x => x.Rule == "id-length");
    }

    [Fact]
    public void Schema_violation_is_named_xsd_with_path()
    {
        var xml = new DistributeFixture().Xml().Replace("<ei:vtnID>flexcoop-vtn</ei:vtnID>", "", StringComparison.Ordinal);
        var result = Validator.Validate(Encoding.UTF8.GetBytes(xml));
        Assert.False(result.IsValid);
        Assert.Contains(result.Violations, v => v.Rule == "xsd" && v.Path.Contains("oadrDistributeEvent", StringComparison.Ordinal));
    }

    [Fact]
    public void Dtd_is_refused_as_one_violation_and_no_file_is_read()
    {
        var xml = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><oadr:oadrPoll xmlns:oadr=\"http://openadr.org/oadr-2.0b/2012/07\">&x;</oadr:oadrPoll>";
        var result = Validator.Validate(Encoding.UTF8.GetBytes(xml));
        var v = Assert.Single(result.Violations);
        Assert.Equal("dtd", v.Rule);
        Assert.DoesNotContain("root:", v.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Not_well_formed_input_is_one_xml_violation()
    {
        var bytes = new DistributeFixture().Bytes();
        var result = Validator.Validate(bytes.AsMemory(0, bytes.Length / 2));
        var v = Assert.Single(result.Violations);
        Assert.Equal("xml", v.Rule);
    }

    [Fact]
    public void Depth_limit_is_enforced()
    {
        var validator = new OadrValidator(new OadrValidationOptions { Limits = new Xml.OadrXmlLimits { MaxDepth = 5 } });
        var v = Assert.Single(validator.Validate(new DistributeFixture().Bytes()).Violations);
        Assert.Equal("limits", v.Rule);
    }

    [Fact]
    public void Size_limit_is_enforced()
    {
        var validator = new OadrValidator(new OadrValidationOptions { Limits = new Xml.OadrXmlLimits { MaxCharacters = 500 } });
        var v = Assert.Single(validator.Validate(new DistributeFixture().Bytes()).Violations);
        Assert.Equal("limits", v.Rule);
    }
}
