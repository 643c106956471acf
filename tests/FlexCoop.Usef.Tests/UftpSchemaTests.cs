using System.Xml.Schema;
using FlexCoop.Testing;
using FlexCoop.Usef.Validation;

namespace FlexCoop.Usef.Tests;

public sealed class UftpSchemaTests
{
    [Theory]
    [MemberData(nameof(UftpTestFiles.Invalid), MemberType = typeof(UftpTestFiles))]
    public void Fixture_documented_invalid_fails_schema_validation_with_a_path(string fixture)
    {
        var result = UftpTestFiles.Schemas.Validate(File.ReadAllBytes(UftpTestFiles.Vector(fixture)));
        Assert.False(result.IsValid);
        Assert.All(result.Violations, v => Assert.Equal("xsd", v.Rule));
        Assert.StartsWith("/", result.Violations[0].Path, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(UftpTestFiles.Valid), MemberType = typeof(UftpTestFiles))]
    public void Fixture_valid_against_3_1_passes_schema_validation(string fixture) =>
        Assert.True(UftpTestFiles.Schemas.Validate(File.ReadAllBytes(UftpTestFiles.Vector(fixture))).IsValid);

    [Fact]
    public void Xxe_fixture_is_reported_as_dtd_by_the_schema_validator()
    {
        var result = UftpTestFiles.Schemas.Validate(File.ReadAllBytes(UftpTestFiles.Vector("shapeshifter-java-negative/FlexRequestResponse_with_XXE_Attack.xml")));
        Assert.Equal("dtd", Assert.Single(result.Violations).Rule);
    }

    [Fact]
    public void Missing_schema_folder_is_a_clear_error() =>
        Assert.Throws<DirectoryNotFoundException>(() => UftpSchemaSet.Load(Path.Combine(Path.GetTempPath(), "no-such-uftp-schemas-" + Guid.NewGuid())));

    [Fact]
    public void Include_outside_the_schema_folder_is_refused()
    {
        var source = TestEnvironment.RequireShared("schemas/uftp");
        var dir = Directory.CreateTempSubdirectory("uftp-xsd-");
        try
        {
            foreach (var name in UftpSchemaSet.FileNames) File.Copy(Path.Combine(source, name), Path.Combine(dir.FullName, name));
            var outside = Path.Combine(Path.GetTempPath(), $"outside-{Guid.NewGuid():N}.xsd");
            File.WriteAllText(outside, "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"/>");
            var metering = Path.Combine(dir.FullName, "UFTP-metering.xsd");
            File.WriteAllText(metering, File.ReadAllText(metering).Replace("<xs:include schemaLocation=\"UFTP-common.xsd\"/>", $"<xs:include schemaLocation=\"UFTP-common.xsd\"/><xs:include schemaLocation=\"{new Uri(outside).AbsoluteUri}\"/>", StringComparison.Ordinal));
            try
            {
                var error = Record.Exception(() => UftpSchemaSet.Load(dir.FullName));
                Assert.NotNull(error);
                Assert.IsAssignableFrom<XmlSchemaException>(error);
            }
            finally
            {
                File.Delete(outside);
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
