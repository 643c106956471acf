using FlexCoop.Testing;

namespace FlexCoop.Cli.Tests;

public sealed class SarefJsonLdCliTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("flexcoop-saref-jsonld-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task Check_accepts_the_jsonld_export_and_reports_a_broken_one_with_its_path()
    {
        var ontologies = TestEnvironment.RequireShared("ontologies/saref");
        var jsonld = Path.Combine(_dir.FullName, "home.jsonld");
        var vector = Path.Combine(TestEnvironment.RepoRoot, "tests", "FlexCoop.Saref.Tests", "vectors", "home-42.json");
        var (code, _, stderr) = await Flexcoop.RunAsync("saref", "export", vector, "--format", "jsonld", "-o", jsonld);
        Assert.True(code == 0, stderr);

        (code, var stdout, stderr) = await Flexcoop.RunAsync("saref", "check", jsonld, "--ontologies", ontologies);
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains($"{jsonld}: ok:", stdout, StringComparison.Ordinal);

        var broken = Path.Combine(_dir.FullName, "broken.jsonld");
        await File.WriteAllTextAsync(broken, """{ "@context": "https://example.org/remote-context.jsonld", "@id": "urn:x:a" }""", TestContext.Current.CancellationToken);
        (code, _, stderr) = await Flexcoop.RunAsync("saref", "check", broken, "--ontologies", ontologies);
        Assert.Equal(1, code);
        Assert.Contains("remote context", stderr, StringComparison.Ordinal);
        Assert.Contains("$.@context", stderr, StringComparison.Ordinal);
    }
}
