using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CsCheck;
using FlexCoop.Saref.Rdf;
using FlexCoop.Testing;

namespace FlexCoop.Saref.Tests.Rdf;

public sealed class JsonLdReaderTests
{
    private const string Saref = "https://saref.etsi.org/core/";
    private const string Ex = "https://coop.example/homes/7/";

    private static readonly JsonSerializerOptions Canonical = new() { Converters = { new JsonStringEnumConverter() } };

    private static string Snapshot(HomeDescription home) => JsonSerializer.Serialize(home, Canonical);

    [Fact]
    public void Random_graph_written_as_jsonld_reads_back_isomorphic()
    {
        RdfGen.Graph.Sample(g =>
        {
            var back = JsonLdReader.Parse(JsonLdWriter.Write(g));
            Assert.True(g.IsIsomorphicWith(back), JsonLdWriter.Write(g));
        }, iter: 300);
    }

    [Fact]
    public void Example_home_survives_model_to_jsonld_to_model()
    {
        var home = Vectors.Home42();
        var graph = SarefGraphBuilder.Build(home);
        var read = JsonLdReader.Parse(JsonLdWriter.Write(graph));
        Assert.True(graph.IsIsomorphicWith(read));
        Assert.Equal(Snapshot(home), Snapshot(SarefGraphReader.ReadHome(read, home.Iri)));
        Assert.Equal([home.Iri], SarefGraphReader.FindHomes(read));
        // The context's prefixes become the graph's, so Turtle written from what was read keeps them.
        Assert.Equal(Saref, read.Namespaces.Resolve("saref"));
    }

    [Fact]
    public void Compacted_document_with_a_saref_context_expands_terms_coercions_lists_and_native_values()
    {
        var json = """
            {
              "@context": {
                "@vocab": "https://saref.etsi.org/core/",
                "@base": "https://coop.example/homes/7/",
                "saref": "https://saref.etsi.org/core/",
                "xsd": "http://www.w3.org/2001/XMLSchema#",
                "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
                "label": { "@id": "rdfs:label", "@language": "en" },
                "unit": { "@id": "saref:isMeasuredIn", "@type": "@id" },
                "kind": { "@id": "saref:hasFunction", "@type": "@vocab" },
                "value": { "@id": "saref:hasValue", "@type": "xsd:decimal" },
                "steps": { "@id": "saref:consistsOf", "@container": "@list" }
              },
              "@graph": [
                {
                  "@id": "devices/heat-pump",
                  "@type": ["Device", "saref:HVAC"],
                  "label": "Heat pump",
                  "hasManufacturer": "Acme",
                  "kind": "OnOffFunction",
                  "steps": ["first", 2],
                  "makesMeasurement": {
                    "@type": "Measurement",
                    "value": "1200.5",
                    "unit": "http://www.ontology-of-units-of-measure.org/resource/om-2/watt",
                    "hasTimestamp": { "@value": "2025-06-01T08:00:00Z", "@type": "xsd:dateTime" },
                    "saref:isAccomplishedBy": [1.5, true, -7]
                  }
                }
              ]
            }
            """;
        var graph = JsonLdReader.Parse(json);
        var device = new RdfIri(Ex + "devices/heat-pump");
        string? Lit(RdfTerm s, string p) => graph.Objects(s, new RdfIri(p)).OfType<RdfLiteral>().Select(l => l.LexicalForm + "|" + l.Datatype.Value + "|" + l.Language).SingleOrDefault();

        Assert.Contains(new RdfTriple(device, RdfVocabulary.RdfType, new RdfIri(Saref + "Device")), graph.Triples);
        Assert.Contains(new RdfTriple(device, RdfVocabulary.RdfType, new RdfIri(Saref + "HVAC")), graph.Triples);
        Assert.Equal("Heat pump|http://www.w3.org/1999/02/22-rdf-syntax-ns#langString|en", Lit(device, RdfVocabulary.RdfsLabel.Value));
        Assert.Equal("Acme|http://www.w3.org/2001/XMLSchema#string|", Lit(device, Saref + "hasManufacturer"));
        Assert.Contains(new RdfTriple(device, new RdfIri(Saref + "hasFunction"), new RdfIri(Saref + "OnOffFunction")), graph.Triples);
        var measurement = Assert.Single(graph.Objects(device, new RdfIri(Saref + "makesMeasurement")));
        Assert.IsType<RdfBlankNode>(measurement);
        Assert.Equal("1200.5|http://www.w3.org/2001/XMLSchema#decimal|", Lit(measurement, Saref + "hasValue"));
        Assert.Equal("2025-06-01T08:00:00Z|http://www.w3.org/2001/XMLSchema#dateTime|", Lit(measurement, Saref + "hasTimestamp"));
        Assert.Contains(new RdfTriple(measurement, new RdfIri(Saref + "isMeasuredIn"), new RdfIri("http://www.ontology-of-units-of-measure.org/resource/om-2/watt")), graph.Triples);
        var natives = graph.Objects(measurement, new RdfIri(Saref + "isAccomplishedBy")).Cast<RdfLiteral>().Select(l => (l.LexicalForm, l.Datatype)).ToList();
        Assert.Equal([("1.5E0", RdfVocabulary.XsdDouble), ("true", RdfVocabulary.XsdBoolean), ("-7", RdfVocabulary.XsdInteger)], natives);
        // "steps" is an RDF list of "first" and 2.
        var head = Assert.Single(graph.Objects(device, new RdfIri(Saref + "consistsOf")));
        Assert.Equal(RdfLiteral.String("first"), Assert.Single(graph.Objects(head, RdfVocabulary.RdfFirst)));
        var second = Assert.Single(graph.Objects(head, RdfVocabulary.RdfRest));
        Assert.Equal(RdfLiteral.Integer(2), Assert.Single(graph.Objects(second, RdfVocabulary.RdfFirst)));
        Assert.Equal(RdfVocabulary.RdfNil, Assert.Single(graph.Objects(second, RdfVocabulary.RdfRest)));
    }

    [Fact]
    public void Expanded_document_reads_to_the_same_graph_as_its_compacted_form()
    {
        var expanded = """
            [
              {
                "@id": "https://coop.example/homes/7/devices/pv",
                "@type": ["https://saref.etsi.org/core/Device"],
                "http://www.w3.org/2000/01/rdf-schema#label": [{ "@value": "Roof PV", "@language": "nl" }],
                "https://saref.etsi.org/core/hasTypicalConsumption": [{ "@id": "_:p" }]
              },
              {
                "@id": "_:p",
                "https://saref.etsi.org/core/hasValue": [{ "@value": "-4000.0", "@type": "http://www.w3.org/2001/XMLSchema#decimal" }]
              }
            ]
            """;
        var compacted = """
            { "@context": { "saref": "https://saref.etsi.org/core/", "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "xsd": "http://www.w3.org/2001/XMLSchema#" },
              "@id": "https://coop.example/homes/7/devices/pv", "@type": "saref:Device",
              "rdfs:label": { "@value": "Roof PV", "@language": "nl" },
              "saref:hasTypicalConsumption": { "saref:hasValue": { "@value": "-4000.0", "@type": "xsd:decimal" } } }
            """;
        var a = JsonLdReader.Parse(expanded);
        var b = JsonLdReader.Parse(compacted);
        Assert.Equal(4, a.Count);
        Assert.True(a.IsIsomorphicWith(b));
    }

    [Fact]
    public async Task Rdflib_expanded_and_compacted_output_of_our_turtle_reads_back_isomorphic()
    {
        var python = await ExternalTools.RequirePythonWithRdflibAsync();
        var graph = SarefGraphBuilder.Build(Vectors.Home42());
        var dir = ExternalTools.TempDir();
        try
        {
            var ttl = Path.Combine(dir, "home.ttl");
            var script = Path.Combine(dir, "expand.py");
            await File.WriteAllTextAsync(ttl, TurtleWriter.Write(graph), new UTF8Encoding(false), TestContext.Current.CancellationToken);
            await File.WriteAllTextAsync(script, """
                import sys, rdflib
                rdflib.NORMALIZE_LITERALS = False
                g = rdflib.Graph()
                g.parse(sys.argv[1], format="turtle")
                out = g.serialize(format="json-ld", auto_compact=(sys.argv[2] == "compact"))
                if isinstance(out, bytes):
                    out = out.decode("utf-8")
                sys.stdout.write(out)
                """, TestContext.Current.CancellationToken);
            foreach (var form in new[] { "expand", "compact" })
            {
                var (code, stdout, stderr) = await TestEnvironment.RunAsync(python, [script, ttl, form]);
                Assert.True(code == 0, stderr);
                var theirs = JsonLdReader.Parse(stdout);
                Assert.True(graph.IsIsomorphicWith(theirs), $"{form}:\n{stdout[..Math.Min(2000, stdout.Length)]}");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("""{ "@context": "https://saref.etsi.org/context.jsonld", "@id": "urn:x:a" }""", "$.@context", "remote context")]
    [InlineData("""{ "@id": "urn:x:a", "@reverse": { "urn:x:p": { "@id": "urn:x:b" } } }""", "$.@reverse", "not supported")]
    [InlineData("""{ "@id": "urn:x:a", "unknownTerm": "x" }""", "$.unknownTerm", "not a term")]
    [InlineData("""{ "@id": "urn:x:a", "urn:x:p": { "@value": "x", "@type": "urn:x:t", "@language": "en" } }""", "$.urn:x:p", "both @type and @language")]
    [InlineData("""{ "@id": "relative/a", "urn:x:p": "x" }""", "$.@id", "relative IRI")]
    [InlineData("""{ "@id": "urn:x:a", "urn:x:p": [[1]] }""", "$.urn:x:p[0]", "arrays of arrays")]
    [InlineData("""{ "@context": { "@import": "https://x/ctx" }, "@id": "urn:x:a" }""", "$.@context.@import", "remote context")]
    [InlineData("42", "$", "object or an array")]
    public void Unsupported_or_broken_documents_fail_with_a_typed_error_naming_the_path(string json, string path, string message)
    {
        var ex = Assert.Throws<JsonLdException>(() => JsonLdReader.Parse(json));
        Assert.Equal(path, ex.Path);
        Assert.Contains(message, ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_json_fails_with_its_line_and_limits_are_enforced()
    {
        var ex = Assert.Throws<JsonLdException>(() => JsonLdReader.Parse("{\n  \"@id\": \"urn:x:a\",\n  \"urn:x:p\": \n}"));
        Assert.Equal(4, ex.Line);
        var deep = string.Concat(Enumerable.Repeat("{\"urn:x:p\":", 80)) + "{}" + new string('}', 80);
        Assert.Throws<JsonLdException>(() => JsonLdReader.Parse(deep, limits: new RdfReaderLimits { MaxDepth = 64 }));
        Assert.Throws<JsonLdException>(() => JsonLdReader.Parse(new string(' ', 100) + "{}", limits: new RdfReaderLimits { MaxCharacters = 50 }));
        var many = "[" + string.Join(",", Enumerable.Range(0, 20).Select(i => $$"""{ "@id": "urn:x:{{i}}", "urn:x:p": "v" }""")) + "]";
        Assert.Throws<JsonLdException>(() => JsonLdReader.Parse(many, limits: new RdfReaderLimits { MaxTriples = 10 }));
    }

    [Fact]
    public void Any_mangled_writer_output_fails_only_with_typed_errors()
    {
        var text = JsonLdWriter.Write(SarefGraphBuilder.Build(Vectors.Home42()));
        Gen.Select(Gen.Int[0, text.Length - 1], Gen.Int[1, 40], Gen.Char['\0', '\u00FF']).Sample((at, length, c) =>
        {
            var mangled = text[..at] + new string(c, Math.Min(length, 3)) + text[Math.Min(text.Length, at + length)..];
            try
            {
                JsonLdReader.Parse(mangled);
            }
            catch (JsonLdException)
            {
                // Typed: fine.
            }
        }, iter: 400);
    }
}
