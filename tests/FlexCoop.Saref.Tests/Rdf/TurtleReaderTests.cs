using FlexCoop.Saref.Rdf;
using FlexCoop.Testing;

namespace FlexCoop.Saref.Tests.Rdf;

public sealed class TurtleReaderTests
{
    private static RdfGraph Nt(string text) => NTriplesReader.Parse(text);

    [Fact]
    public void Reads_prefixes_base_a_predicate_and_object_lists()
    {
        var g = TurtleReader.Parse("""
            @base <http://example.org/base/> .
            @prefix ex: <http://example.org/> .
            PREFIX rel: <rel/>
            <s> a ex:C ; ex:p ex:o1 , ex:o2 ; ;
                rel:q "x" .
            """);
        var expected = Nt("""
            <http://example.org/base/s> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://example.org/C> .
            <http://example.org/base/s> <http://example.org/p> <http://example.org/o1> .
            <http://example.org/base/s> <http://example.org/p> <http://example.org/o2> .
            <http://example.org/base/s> <http://example.org/base/rel/q> "x" .
            """);
        Assert.True(expected.IsIsomorphicWith(g));
        Assert.Equal("http://example.org/", g.Namespaces.Resolve("ex"));
    }

    [Fact]
    public void Reads_blank_node_property_lists_anon_and_collections()
    {
        var g = TurtleReader.Parse("""
            @prefix : <http://e.org/> .
            [ :p [ :q 1 ] ] :r () .
            :s :list ( 1 "two" [] ) .
            [] :p :o .
            _:x :p _:x .
            """);
        var expected = Nt("""
            _:a <http://e.org/p> _:b .
            _:b <http://e.org/q> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
            _:a <http://e.org/r> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .
            <http://e.org/s> <http://e.org/list> _:l1 .
            _:l1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
            _:l1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> _:l2 .
            _:l2 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> "two" .
            _:l2 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> _:l3 .
            _:l3 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> _:e .
            _:l3 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .
            _:anon <http://e.org/p> <http://e.org/o> .
            _:x <http://e.org/p> _:x .
            """);
        Assert.True(expected.IsIsomorphicWith(g));
    }

    [Fact]
    public void Reads_numbers_booleans_and_keeps_lexical_forms()
    {
        var g = TurtleReader.Parse("@prefix : <http://e.org/> . :s :p -5, +0.50, .5, 1e3, 1.E-2, true, false, 7.");
        var lexicals = g.Triples.Select(t => ((RdfLiteral)t.Object).LexicalForm + "|" + ((RdfLiteral)t.Object).Datatype.Value[33..]).ToList();
        Assert.Equal(["-5|integer", "+0.50|decimal", ".5|decimal", "1e3|double", "1.E-2|double", "true|boolean", "false|boolean", "7|integer"], lexicals);
    }

    [Fact]
    public void Reads_all_string_forms_with_escapes_language_and_datatype()
    {
        var g = TurtleReader.Parse("@prefix : <http://e.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n" +
            ":s :p 'single \\' quote', \"\"\"long \"quoted\" \n line\"\"\", '''long ''single''''', \"tab\\t\\u00e9\\U0001F600\"@EN-us, \"5\"^^xsd:int .");
        var values = g.Triples.Select(t => (RdfLiteral)t.Object).ToList();
        Assert.Equal("single ' quote", values[0].LexicalForm);
        Assert.Equal("long \"quoted\" \n line", values[1].LexicalForm);
        Assert.Equal("long ''single''", values[2].LexicalForm);
        Assert.Equal("tab\té😀", values[3].LexicalForm);
        Assert.Equal("en-us", values[3].Language);
        Assert.Equal("http://www.w3.org/2001/XMLSchema#int", values[4].Datatype.Value);
    }

    [Fact]
    public void Reads_prefixed_names_with_escapes_percent_and_trailing_dot_terminator()
    {
        var g = TurtleReader.Parse("@prefix ex: <http://e.org/> . ex:a\\/b ex:p%20q ex:c.d.");
        var t = Assert.Single(g.Triples);
        Assert.Equal("http://e.org/a/b", ((RdfIri)t.Subject).Value);
        Assert.Equal("http://e.org/p%20q", t.Predicate.Value);
        Assert.Equal("http://e.org/c.d", ((RdfIri)t.Object).Value);
    }

    [Theory]
    [InlineData("@prefix : <http://e.org/> .\n:s :p undefined:x .", 2, 7, "undefined prefix")]
    [InlineData("@prefix : <http://e.org/> .\n:s :p \"open", 2, 7, "unterminated string")]
    [InlineData("<s> <p> <o> .", 1, 1, "no base")]
    [InlineData("@prefix : <http://e.org/> .\n:s :p :o", 2, 9, "expected '.'")]
    [InlineData("@prefix : <http://e.org/> .\n\"lit\" :p :o .", 2, 1, "literal cannot be a subject")]
    [InlineData("@prefix : <http://e.org/> .\n:s :p \"x\"@ .", 2, 11, "invalid language tag")]
    [InlineData("@prefix : <http://e.org/> .\n:s :p \"\\uD800\" .", 2, 8, "scalar value")]
    [InlineData("@prefix : <http://e.org/> .\n:s :p <a b> .", 2, 9, "not allowed in an IRI")]
    [InlineData("@foo <x> .", 1, 1, "unknown directive")]
    public void Errors_name_the_problem_with_line_and_column(string text, int line, int column, string fragment)
    {
        var ex = Assert.Throws<RdfParseException>(() => TurtleReader.Parse(text));
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
        Assert.Equal((line, column), (ex.Line, ex.Column));
        Assert.IsAssignableFrom<SarefException>(ex);
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_refused()
    {
        var text = "@prefix : <http://e.org/> . :s :p " + string.Concat(Enumerable.Repeat("[ :p ", 100)) + "1" + new string(']', 100) + " .";
        var ex = Assert.Throws<RdfParseException>(() => TurtleReader.Parse(text, limits: new RdfReaderLimits { MaxDepth = 50 }));
        Assert.Contains("nesting", ex.Message, StringComparison.Ordinal);
        Assert.Equal(101, TurtleReader.Parse(text, limits: new RdfReaderLimits { MaxDepth = 100 }).Count);
    }

    [Fact]
    public void Documents_over_the_size_or_triple_limit_are_refused()
    {
        var text = "@prefix : <http://e.org/> . :s :p 1, 2, 3, 4 .";
        Assert.Throws<RdfParseException>(() => TurtleReader.Parse(text, limits: new RdfReaderLimits { MaxCharacters = 20 }));
        Assert.Throws<RdfParseException>(() => TurtleReader.Parse(text, limits: new RdfReaderLimits { MaxTriples = 3 }));
    }

    [Fact]
    public void Relative_iris_resolve_per_rfc3986()
    {
        var g = TurtleReader.Parse("<../x/./y?q#f> <#frag> <//other.org/z> .", "http://a.org/b/c/d;p?q");
        var t = Assert.Single(g.Triples);
        Assert.Equal("http://a.org/b/x/y?q#f", ((RdfIri)t.Subject).Value);
        Assert.Equal("http://a.org/b/c/d;p?q#frag", t.Predicate.Value);
        Assert.Equal("http://other.org/z", ((RdfIri)t.Object).Value);
    }

    [Theory]
    [InlineData("ontologies/saref/saref-core-v3.1.1.ttl", 908)]
    [InlineData("ontologies/saref/saref4ener-v1.1.2.ttl", 1167)]
    public void Parses_the_shipped_saref_ontologies_with_the_triple_counts_rapper_reports(string relative, int triples)
    {
        var path = TestEnvironment.RequireShared(relative);
        var g = TurtleReader.Parse(File.ReadAllText(path));
        Assert.Equal(triples, g.Count);
        var again = TurtleReader.Parse(TurtleWriter.Write(g));
        Assert.True(g.IsIsomorphicWith(again));
        Assert.True(g.IsIsomorphicWith(NTriplesReader.Parse(NTriplesWriter.Write(g))));
    }
}
