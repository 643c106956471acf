using FlexCoop.Saref.Rdf;
using FlexCoop.Testing;

namespace FlexCoop.Cli.Tests;

public sealed class SarefCommandsTests : IDisposable
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), "flexcoop-saref-cli-" + Guid.NewGuid().ToString("N"));

    public SarefCommandsTests() => Directory.CreateDirectory(dir);

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static string Vector(string name) => Path.Combine(TestEnvironment.RepoRoot, "tests", "FlexCoop.Saref.Tests", "vectors", name);

    [Fact]
    public async Task Export_json_description_as_turtle_and_ntriples_gives_the_same_graph()
    {
        var (code, turtle, stderr) = await Flexcoop.RunAsync("saref", "export", Vector("home-42.json"));
        Assert.True(code == 0, stderr);
        Assert.Contains("a saref:HVAC, s4ener:Device, der:HeatPump", turtle, StringComparison.Ordinal);
        var (code2, ntriples, _) = await Flexcoop.RunAsync("saref", "export", Vector("home-42.json"), "--format", "ntriples");
        Assert.Equal(0, code2);
        Assert.True(TurtleReader.Parse(turtle).IsIsomorphicWith(NTriplesReader.Parse(ntriples)));
    }

    [Fact]
    public async Task Export_register_report_as_jsonld_to_a_file_with_a_base_iri()
    {
        var output = Path.Combine(dir, "ven.jsonld");
        var (code, _, stderr) = await Flexcoop.RunAsync("saref", "export", Vector("ven-register-report.xml"), "-f", "jsonld", "--base", "https://coop.example/vens/osb-42/", "-o", output);
        Assert.True(code == 0, stderr);
        var json = await File.ReadAllTextAsync(output, TestContext.Current.CancellationToken);
        Assert.Contains("\"@id\": \"https://coop.example/vens/osb-42/devices/heat-pump-1\"", json, StringComparison.Ordinal);
        Assert.Contains("\"@context\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_of_an_invalid_description_exits_1_naming_the_json_path()
    {
        var file = Path.Combine(dir, "bad.json");
        await File.WriteAllTextAsync(file, """{ "home": "https://h.example/", "devices": [ { "id": "x", "type": "toaster" } ] }""", TestContext.Current.CancellationToken);
        var (code, stdout, stderr) = await Flexcoop.RunAsync("saref", "export", file);
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Contains("$.devices[0].type", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_with_an_unknown_format_is_a_usage_error()
    {
        var (code, _, _) = await Flexcoop.RunAsync("saref", "export", Vector("home-42.json"), "--format", "rdfxml");
        Assert.Equal(2, code);
    }

    [Fact]
    public async Task Check_accepts_our_export_and_lists_saref4_terms_as_unknown()
    {
        var ontologies = TestEnvironment.RequireShared("ontologies/saref");
        var plain = Path.Combine(dir, "home.ttl");
        var saref4 = Path.Combine(dir, "home4.nt");
        Assert.Equal(0, (await Flexcoop.RunAsync("saref", "export", Vector("home-42.json"), "-o", plain)).ExitCode);
        Assert.Equal(0, (await Flexcoop.RunAsync("saref", "export", Vector("home-42.json"), "--saref4", "-f", "ntriples", "-o", saref4)).ExitCode);

        var (ok, okOut, okErr) = await Flexcoop.RunAsync("saref", "check", plain, "--ontologies", ontologies);
        Assert.True(ok == 0, okOut + okErr);
        Assert.Contains(": ok:", okOut, StringComparison.Ordinal);

        var (bad, badOut, _) = await Flexcoop.RunAsync("saref", "check", saref4, "--ontologies", ontologies);
        Assert.Equal(1, bad);
        Assert.Contains("unknown class: saref:Observation", badOut, StringComparison.Ordinal);
        Assert.Contains("unknown property: saref:observes", badOut, StringComparison.Ordinal);

        var (json, _, _) = await Flexcoop.RunAsync("saref", "check", Vector("home-42.json"), "--ontologies", ontologies);
        Assert.Equal(0, json);
    }

    [Fact]
    public async Task Check_reports_a_turtle_syntax_error_with_line_and_column()
    {
        var ontologies = TestEnvironment.RequireShared("ontologies/saref");
        var file = Path.Combine(dir, "broken.ttl");
        await File.WriteAllTextAsync(file, "@prefix saref: <https://saref.etsi.org/core/> .\n<http://e/x> a saref:Device ;\n  saref:hasModel \"unterminated .\n", TestContext.Current.CancellationToken);
        var (code, _, stderr) = await Flexcoop.RunAsync("saref", "check", file, "--ontologies", ontologies);
        Assert.Equal(1, code);
        Assert.Contains("broken.ttl:3:", stderr, StringComparison.Ordinal);
        Assert.Contains("line break in a short string", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_without_an_ontology_folder_is_an_environment_error()
    {
        var (code, _, stderr) = await Flexcoop.RunAsync("saref", "check", Vector("home-42.json"), "--ontologies", Path.Combine(dir, "missing"));
        Assert.Equal(2, code);
        Assert.Contains("--ontologies", stderr, StringComparison.Ordinal);
    }
}
