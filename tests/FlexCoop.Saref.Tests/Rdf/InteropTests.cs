using System.Text;
using FlexCoop.Saref.Rdf;
using FlexCoop.Testing;

namespace FlexCoop.Saref.Tests.Rdf;

/// <summary>Our Turtle, N-Triples and JSON-LD read by independent parsers: Debian's rapper and python3-rdflib.</summary>
public sealed class InteropTests
{
    /// <summary>A graph with the characters writers get wrong: quotes, backslashes, line breaks, non-ASCII, odd IRIs.</summary>
    internal static RdfGraph NastyGraph()
    {
        var g = new RdfGraph();
        g.Namespaces.Add("ex", "http://example.org/").Add("xsd", RdfVocabulary.XsdNamespace).Add("rdfs", RdfVocabulary.RdfsNamespace);
        var s = new RdfIri("http://example.org/device-1");
        var p = new RdfIri("http://example.org/p");
        g.Add(s, RdfVocabulary.RdfType, new RdfIri("http://example.org/Device"));
        g.Add(s, RdfVocabulary.RdfsLabel, RdfLiteral.LangString("Wärmepumpe \"WP-1\"", "de"));
        g.Add(s, RdfVocabulary.RdfsComment, RdfLiteral.String("line one\nline two with \\ and \"quotes\" and tab\t"));
        g.Add(s, p, RdfLiteral.String("single line: \\ \" ' é 日本 😀 \r"));
        g.Add(s, p, RdfLiteral.String(""));
        g.Add(s, p, RdfLiteral.Decimal(3.5m));
        g.Add(s, p, new RdfLiteral("3.50", RdfVocabulary.XsdDecimal));
        g.Add(s, p, RdfLiteral.Integer(-42));
        g.Add(s, p, RdfLiteral.Double(1500));
        g.Add(s, p, RdfLiteral.Boolean(true));
        g.Add(s, p, RdfLiteral.DateTime(new DateTimeOffset(2026, 11, 30, 6, 0, 0, TimeSpan.Zero)));
        g.Add(s, p, new RdfIri("http://example.org/path/with%20percent?q=1&r=2#frag"));
        g.Add(s, p, new RdfIri("urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66"));
        var b = new RdfBlankNode("x");
        g.Add(s, new RdfIri("http://example.org/has"), b);
        g.Add(b, RdfVocabulary.RdfType, new RdfIri("http://example.org/Function"));
        g.Add(b, p, new RdfBlankNode("empty"));
        var shared = new RdfBlankNode("shared");
        g.Add(s, p, shared);
        g.Add(b, p, shared);
        g.Add(shared, RdfVocabulary.RdfsLabel, RdfLiteral.String("shared"));
        return g;
    }

    public static TheoryData<string> Graphs => ["escapes", "saref-home-42"];

    private static RdfGraph GraphNamed(string name) => name == "escapes" ? NastyGraph() : SarefGraphBuilder.Build(Vectors.Home42());

    [Theory]
    [MemberData(nameof(Graphs))]
    public async Task Rapper_reads_our_turtle_and_ntriples_to_the_same_graph(string name)
    {
        var rapper = ExternalTools.RequireRapper();
        var graph = GraphNamed(name);
        var dir = ExternalTools.TempDir();
        try
        {
            foreach (var (fileName, syntax, text) in new[] { ("g.ttl", "turtle", TurtleWriter.Write(graph)), ("g.nt", "ntriples", NTriplesWriter.Write(graph)) })
            {
                var file = Path.Combine(dir, fileName);
                await File.WriteAllTextAsync(file, text, new UTF8Encoding(false), TestContext.Current.CancellationToken);
                var (code, stdout, stderr) = await TestEnvironment.RunAsync(rapper, ["-q", "-i", syntax, "-o", "ntriples", file]);
                Assert.True(code == 0, $"rapper failed on our {syntax}: {stderr}\n{text}");
                var theirs = NTriplesReader.Parse(stdout);
                Assert.True(graph.IsIsomorphicWith(theirs), $"rapper read a different graph from our {syntax}:\n{stdout}");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(Graphs))]
    public async Task Rdflib_reads_our_turtle_and_jsonld_as_isomorphic_graphs_and_the_jsonld_equals_ours(string name)
    {
        var python = await ExternalTools.RequirePythonWithRdflibAsync();
        var graph = GraphNamed(name);
        var dir = ExternalTools.TempDir();
        try
        {
            var script = Path.Combine(dir, "check.py");
            var ttl = Path.Combine(dir, "g.ttl");
            var jsonld = Path.Combine(dir, "g.jsonld");
            await File.WriteAllTextAsync(script, ExternalTools.RdflibScript, TestContext.Current.CancellationToken);
            await File.WriteAllTextAsync(ttl, TurtleWriter.Write(graph), new UTF8Encoding(false), TestContext.Current.CancellationToken);
            await File.WriteAllTextAsync(jsonld, JsonLdWriter.Write(graph), new UTF8Encoding(false), TestContext.Current.CancellationToken);
            var (code, stdout, stderr) = await TestEnvironment.RunAsync(python, [script, ttl, jsonld]);
            Assert.True(code == 0, stderr);
            var firstLine = stdout[..stdout.IndexOf('\n', StringComparison.Ordinal)];
            Assert.Equal($"{graph.Count} {graph.Count} True", firstLine);
            var theirs = NTriplesReader.Parse(stdout[(firstLine.Length + 1)..]);
            Assert.True(graph.IsIsomorphicWith(theirs), stdout);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("ontologies/saref/saref-core-v3.1.1.ttl")]
    [InlineData("ontologies/saref/saref4ener-v1.1.2.ttl")]
    public async Task Our_reading_of_the_shipped_ontologies_equals_rappers(string relative)
    {
        var rapper = ExternalTools.RequireRapper();
        var path = TestEnvironment.RequireShared(relative);
        var baseIri = new Uri(Path.GetFullPath(path)).AbsoluteUri;
        var ours = TurtleReader.Parse(await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken), baseIri);
        var (code, stdout, stderr) = await TestEnvironment.RunAsync(rapper, ["-q", "-i", "turtle", "-o", "ntriples", path, baseIri]);
        Assert.True(code == 0, stderr);
        Assert.True(ours.IsIsomorphicWith(NTriplesReader.Parse(stdout)), "our Turtle reader and rapper disagree on " + relative);
    }
}
