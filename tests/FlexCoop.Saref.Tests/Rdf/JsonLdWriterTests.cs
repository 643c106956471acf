using System.Text.Json;
using FlexCoop.Saref.Rdf;

namespace FlexCoop.Saref.Tests.Rdf;

public sealed class JsonLdWriterTests
{
    [Fact]
    public void Writes_context_graph_ids_types_and_value_objects()
    {
        var g = new RdfGraph();
        g.Namespaces.Add("ex", "http://example.org/").Add("xsd", RdfVocabulary.XsdNamespace).Add("rdfs", RdfVocabulary.RdfsNamespace);
        var s = new RdfIri("http://example.org/dev");
        var b = new RdfBlankNode("q");
        g.Add(s, RdfVocabulary.RdfType, new RdfIri("http://example.org/Device"));
        g.Add(s, RdfVocabulary.RdfsLabel, RdfLiteral.LangString("Heat pump", "en"));
        g.Add(s, new RdfIri("http://example.org/power"), RdfLiteral.Decimal(3.5m));
        g.Add(s, new RdfIri("http://example.org/name"), RdfLiteral.String("HP \"1\""));
        g.Add(s, new RdfIri("http://example.org/has"), b);
        g.Add(b, new RdfIri("http://example.org/other"), new RdfIri("http://other.org/x y"));
        var json = JsonLdWriter.Write(g, new JsonLdWriterOptions { Terms = new Dictionary<string, string> { ["label"] = RdfVocabulary.RdfsLabel.Value } });
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal("http://example.org/", root.GetProperty("@context").GetProperty("ex").GetString());
        Assert.Equal("http://www.w3.org/2000/01/rdf-schema#label", root.GetProperty("@context").GetProperty("label").GetString());
        var nodes = root.GetProperty("@graph").EnumerateArray().ToList();
        Assert.Equal(2, nodes.Count);
        var dev = nodes[0];
        Assert.Equal("ex:dev", dev.GetProperty("@id").GetString());
        Assert.Equal("ex:Device", dev.GetProperty("@type")[0].GetString());
        Assert.Equal("Heat pump", dev.GetProperty("label")[0].GetProperty("@value").GetString());
        Assert.Equal("en", dev.GetProperty("label")[0].GetProperty("@language").GetString());
        Assert.Equal("3.5", dev.GetProperty("ex:power")[0].GetProperty("@value").GetString());
        Assert.Equal("xsd:decimal", dev.GetProperty("ex:power")[0].GetProperty("@type").GetString());
        Assert.Equal("HP \"1\"", dev.GetProperty("ex:name")[0].GetProperty("@value").GetString());
        Assert.Equal("_:b0", dev.GetProperty("ex:has")[0].GetProperty("@id").GetString());
        Assert.Equal("_:b0", nodes[1].GetProperty("@id").GetString());
        Assert.Equal("http://other.org/x y", nodes[1].GetProperty("ex:other")[0].GetProperty("@id").GetString());
    }

    [Fact]
    public void Iri_whose_scheme_is_a_prefix_name_is_refused_rather_than_misread()
    {
        var g = new RdfGraph();
        g.Namespaces.Add("urn", "http://not-urn.example/");
        g.Add(new RdfIri("urn:x:1"), RdfVocabulary.RdfsLabel, RdfLiteral.String("x"));
        Assert.Throws<ArgumentException>(() => JsonLdWriter.Write(g));
    }
}
