using FlexCoop.OpenAdr.Schema;
using FlexCoop.Testing;

namespace FlexCoop.OpenAdr.Tests.Schema;

/// <summary>Where the official schemas and public samples are, for the schema and signature tests.</summary>
internal static class SchemaFixture
{
    public static string SchemaDirectory => TestEnvironment.RequireShared("schemas/openadr20b");

    public static OadrSchemaValidator Validator() => new(OadrSchemaSet.Load(SchemaDirectory));

    public static string AllianceSamples => Path.Combine(TestEnvironment.SharedDir, "vectors", "openadr20b", "alliance-spec-samples");

    public static string AvobModel => Path.Combine(TestEnvironment.SharedDir, "vectors", "openadr20b", "avob-OpenADR", "model20b");

    /// <summary>The five Alliance samples written against an older draft (see the vectors README).</summary>
    public static readonly IReadOnlySet<string> InvalidAllianceSamples = new HashSet<string>(StringComparer.Ordinal)
    {
        "Sample_oadrCreateReport.xml",
        "Sample_oadrCreateReport_OneShot_Telemetry.xml",
        "Sample_oadrCreateReport_Telemetry_Status.xml",
        "Sample_oadrRegisteredReport_W_ReportRequest.xml",
        "Sample_oadrRegisiterReport_GreenButton.xml",
    };

    public static TheoryData<string> AllianceSampleNames() => Names(AllianceSamples, "*.xml", SearchOption.TopDirectoryOnly);

    public static TheoryData<string> AvobModelNames() => Names(AvobModel, "*.xml", SearchOption.AllDirectories);

    private static TheoryData<string> Names(string directory, string pattern, SearchOption option)
    {
        var data = new TheoryData<string>();
        if (!Directory.Exists(directory))
        {
            // The theory then reports the missing folder through RequireShared in its body.
            data.Add("(missing)");
            return data;
        }
        foreach (var file in Directory.EnumerateFiles(directory, pattern, option).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(directory, file));
        }
        return data;
    }
}
