using CsCheck;
using FlexCoop.Saref.Rdf;

namespace FlexCoop.Saref.Tests.Rdf;

public sealed class RdfPropertyTests
{
    [Fact]
    public void Random_graph_survives_turtle_round_trip_as_isomorphic_graph()
    {
        RdfGen.Graph.Sample(g =>
        {
            var text = TurtleWriter.Write(g);
            var back = TurtleReader.Parse(text);
            Assert.True(g.IsIsomorphicWith(back), text);
        }, iter: 400);
    }

    [Fact]
    public void Random_graph_survives_turtle_round_trip_without_prefixes_or_shorthands()
    {
        var plain = new TurtleWriterOptions { UsePrefixes = false, UseNativeLiterals = false, InlineBlankNodes = false, UseLongStrings = false };
        RdfGen.Graph.Sample(g => Assert.True(g.IsIsomorphicWith(TurtleReader.Parse(TurtleWriter.Write(g, plain)))), iter: 200);
    }

    [Fact]
    public void Random_graph_survives_ntriples_round_trip_as_isomorphic_graph()
    {
        RdfGen.Graph.Sample(g =>
        {
            var text = NTriplesWriter.Write(g);
            var back = NTriplesReader.Parse(text);
            Assert.True(g.IsIsomorphicWith(back), text);
        }, iter: 400);
    }

    [Fact]
    public void Ntriples_output_is_also_valid_turtle_giving_the_same_graph()
    {
        RdfGen.Graph.Sample(g => Assert.True(g.IsIsomorphicWith(TurtleReader.Parse(NTriplesWriter.Write(g)))), iter: 200);
    }

    [Fact]
    public void Truncated_or_corrupted_turtle_fails_only_with_typed_errors()
    {
        Gen.Select(RdfGen.Graph, Gen.Int[0, 10_000], Gen.Char).Sample((g, cut, c) =>
        {
            var text = TurtleWriter.Write(g);
            if (text.Length == 0) return;
            var at = cut % text.Length;
            var mutated = text[..at] + c + text[(at + 1)..];
            foreach (var candidate in new[] { text[..at], mutated })
            {
                try
                {
                    TurtleReader.Parse(candidate);
                }
                catch (RdfParseException)
                {
                }
            }
        }, iter: 400);
    }

    [Fact]
    public void Isomorphism_is_invariant_under_blank_node_relabelling_and_order()
    {
        Gen.Select(RdfGen.Graph, Gen.Int).Sample((g, seed) =>
        {
            var rename = new Dictionary<RdfBlankNode, RdfBlankNode>();
            RdfTerm Map(RdfTerm t) => t is RdfBlankNode b
                ? rename.TryGetValue(b, out var n) ? n : rename[b] = new RdfBlankNode("r" + rename.Count)
                : t;
            var shuffled = g.Triples.OrderBy(t => HashCode.Combine(t, seed)).ToList();
            var h = new RdfGraph();
            foreach (var t in shuffled) h.Add(Map(t.Subject), t.Predicate, Map(t.Object));
            Assert.True(g.IsIsomorphicWith(h));
        }, iter: 300);
    }
}

public sealed class JsonLdPropertyTests
{
    [Fact]
    public void Random_graph_as_jsonld_is_json_with_one_node_per_subject_and_every_value_object()
    {
        RdfGen.Graph.Sample(g =>
        {
            using var doc = System.Text.Json.JsonDocument.Parse(JsonLdWriter.Write(g));
            var nodes = doc.RootElement.GetProperty("@graph").EnumerateArray().ToList();
            Assert.Equal(g.Triples.Select(t => t.Subject).Distinct().Count(), nodes.Count);
            var values = nodes.Sum(n => n.EnumerateObject().Where(p => p.Name is not "@id" and not "@type").Sum(p => p.Value.GetArrayLength()))
                + nodes.Sum(n => n.TryGetProperty("@type", out var types) ? types.GetArrayLength() : 0);
            Assert.Equal(g.Count, values);
        }, iter: 300);
    }
}
