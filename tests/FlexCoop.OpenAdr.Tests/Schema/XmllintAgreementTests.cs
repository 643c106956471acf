using FlexCoop.Testing;

namespace FlexCoop.OpenAdr.Tests.Schema;

/// <summary>Our verdict agrees with libxml2's schema validator, an independent implementation.</summary>
public sealed class XmllintAgreementTests
{
    [Theory]
    [MemberData(nameof(AllianceSamples))]
    public Task Alliance_sample_verdict_matches_xmllint(string name) =>
        AssertSameVerdict(Path.Combine(TestEnvironment.RequireShared("vectors/openadr20b/alliance-spec-samples"), name));

    [Theory]
    [MemberData(nameof(AvobModelFiles))]
    public Task Avob_model_file_verdict_matches_xmllint(string name) =>
        AssertSameVerdict(Path.Combine(TestEnvironment.RequireShared("vectors/openadr20b/avob-OpenADR/model20b"), name));

    public static TheoryData<string> AllianceSamples() => SchemaFixture.AllianceSampleNames();

    public static TheoryData<string> AvobModelFiles() => SchemaFixture.AvobModelNames();

    private static async Task AssertSameVerdict(string file)
    {
        var xmllint = TestEnvironment.RequireTool("xmllint", "libxml2-utils");
        var schema = Path.Combine(SchemaFixture.SchemaDirectory, "oadr_20b.xsd");

        var (exit, _, stderr) = await TestEnvironment.RunAsync(xmllint, ["--noout", "--nonet", "--schema", schema, file]);
        Assert.True(exit is 0 or 3, $"xmllint failed to run ({exit}): {stderr}");
        var ours = SchemaFixture.Validator().Validate(File.ReadAllBytes(file));

        Assert.True(exit == 0 == ours.IsValid,
            $"xmllint says {(exit == 0 ? "valid" : "invalid")}, we say {(ours.IsValid ? "valid" : "invalid")}\nxmllint: {stderr}\nours: {string.Join("\n", ours.Violations)}");
    }
}
