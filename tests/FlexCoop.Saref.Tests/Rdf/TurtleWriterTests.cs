using FlexCoop.Saref.Rdf;

namespace FlexCoop.Saref.Tests.Rdf;

public sealed class TurtleWriterTests
{
    private static readonly RdfIri S = new("http://example.org/s");
    private static readonly RdfIri P = new("http://example.org/p");

    private static RdfGraph One(RdfTerm obj)
    {
        var g = new RdfGraph();
        g.Namespaces.Add("ex", "http://example.org/");
        g.Add(S, P, obj);
        return g;
    }

    private static void AssertTurtleRoundTrips(RdfGraph g)
    {
        var text = TurtleWriter.Write(g);
        var back = TurtleReader.Parse(text);
        Assert.True(g.IsIsomorphicWith(back), "not isomorphic after Turtle round trip:\n" + text);
    }

    [Theory]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData("back\\slash", "\"back\\\\slash\"")]
    [InlineData("tab\there", "\"tab\\there\"")]
    [InlineData("cr\rhere", "\"cr\\rhere\"")]
    [InlineData("bell\u0007", "\"bell\\u0007\"")]
    [InlineData("del\u007F", "\"del\\u007F\"")]
    [InlineData("é ü 日本 😀", "\"é ü 日本 😀\"")]
    public void Short_strings_escape_quotes_backslashes_and_controls(string value, string expected)
    {
        var text = TurtleWriter.Write(One(RdfLiteral.String(value)));
        Assert.Contains("ex:s ex:p " + expected + " .", text, StringComparison.Ordinal);
        AssertTurtleRoundTrips(One(RdfLiteral.String(value)));
    }

    [Fact]
    public void Strings_with_line_feeds_use_long_quotes_and_escape_every_quote()
    {
        var value = "line one\nline \"two\"\n\"\"\"end\"";
        var text = TurtleWriter.Write(One(RdfLiteral.String(value)));
        Assert.Contains("\"\"\"line one\nline \\\"two\\\"\n\\\"\\\"\\\"end\\\"\"\"\"", text, StringComparison.Ordinal);
        AssertTurtleRoundTrips(One(RdfLiteral.String(value)));
    }

    [Fact]
    public void Iri_with_space_and_forbidden_characters_is_written_with_u_escapes()
    {
        var g = One(new RdfIri("http://example.org/a b<c>\"d{e}|f^g`h\\i"));
        var text = TurtleWriter.Write(g);
        Assert.Contains("<http://example.org/a\\u0020b\\u003Cc\\u003E\\u0022d\\u007Be\\u007D\\u007Cf\\u005Eg\\u0060h\\u005Ci>", text, StringComparison.Ordinal);
        AssertTurtleRoundTrips(g);
    }

    [Theory]
    [InlineData("42", "http://www.w3.org/2001/XMLSchema#integer", "42")]
    [InlineData("-7", "http://www.w3.org/2001/XMLSchema#integer", "-7")]
    [InlineData("007", "http://www.w3.org/2001/XMLSchema#integer", "\"007\"^^xsd:integer")]
    [InlineData("+7", "http://www.w3.org/2001/XMLSchema#integer", "\"+7\"^^xsd:integer")]
    [InlineData("3.5", "http://www.w3.org/2001/XMLSchema#decimal", "3.5")]
    [InlineData("3.50", "http://www.w3.org/2001/XMLSchema#decimal", "\"3.50\"^^xsd:decimal")]
    [InlineData("3", "http://www.w3.org/2001/XMLSchema#decimal", "\"3\"^^xsd:decimal")]
    [InlineData("1.5E3", "http://www.w3.org/2001/XMLSchema#double", "1.5E3")]
    [InlineData("1500", "http://www.w3.org/2001/XMLSchema#double", "\"1500\"^^xsd:double")]
    [InlineData("true", "http://www.w3.org/2001/XMLSchema#boolean", "true")]
    [InlineData("1", "http://www.w3.org/2001/XMLSchema#boolean", "\"1\"^^xsd:boolean")]
    public void Native_shorthand_only_for_canonical_lexical_forms(string lexical, string datatype, string expected)
    {
        var g = One(new RdfLiteral(lexical, new RdfIri(datatype)));
        g.Namespaces.Add("xsd", RdfVocabulary.XsdNamespace);
        var text = TurtleWriter.Write(g);
        Assert.Contains("ex:s ex:p " + expected + " .", text, StringComparison.Ordinal);
        AssertTurtleRoundTrips(g);
    }

    [Fact]
    public void Language_tags_are_written_after_at_sign()
    {
        var text = TurtleWriter.Write(One(RdfLiteral.LangString("Wärmepumpe", "de-DE")));
        Assert.Contains("\"Wärmepumpe\"@de-de", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Blank_node_used_once_is_inlined_and_shared_one_is_labelled()
    {
        var g = new RdfGraph();
        g.Namespaces.Add("ex", "http://example.org/");
        var once = new RdfBlankNode("x");
        var shared = new RdfBlankNode("y");
        g.Add(S, P, once);
        g.Add(once, P, RdfLiteral.String("inner"));
        g.Add(S, new RdfIri("http://example.org/q"), shared);
        g.Add(new RdfIri("http://example.org/t"), P, shared);
        g.Add(shared, P, new RdfBlankNode("empty"));
        var text = TurtleWriter.Write(g);
        Assert.Contains("ex:p [\n", text, StringComparison.Ordinal);
        Assert.Contains("ex:p []", text, StringComparison.Ordinal);
        Assert.Contains("_:b0", text, StringComparison.Ordinal);
        AssertTurtleRoundTrips(g);
    }

    [Fact]
    public void Cycle_of_blank_nodes_is_written_with_a_label()
    {
        var g = new RdfGraph();
        var a = new RdfBlankNode("a");
        var b = new RdfBlankNode("b");
        g.Add(a, P, b);
        g.Add(b, P, a);
        AssertTurtleRoundTrips(g);
    }

    [Fact]
    public void Type_is_written_first_as_a_with_object_lists()
    {
        var g = new RdfGraph();
        g.Namespaces.Add("ex", "http://example.org/");
        g.Add(S, P, RdfLiteral.String("x"));
        g.Add(S, RdfVocabulary.RdfType, new RdfIri("http://example.org/A"));
        g.Add(S, RdfVocabulary.RdfType, new RdfIri("http://example.org/B"));
        var text = TurtleWriter.Write(g);
        Assert.StartsWith("@prefix ex: <http://example.org/> .\n\nex:s a ex:A, ex:B ;\n    ex:p \"x\" .\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Local_names_that_need_escapes_fall_back_to_full_iris()
    {
        var g = One(new RdfIri("http://example.org/has/slash"));
        g.Add(S, P, new RdfIri("http://example.org/1starts-with-digit"));
        g.Add(S, P, new RdfIri("http://example.org/ends."));
        var text = TurtleWriter.Write(g);
        Assert.Contains("<http://example.org/has/slash>", text, StringComparison.Ordinal);
        Assert.Contains("<http://example.org/1starts-with-digit>", text, StringComparison.Ordinal);
        Assert.Contains("<http://example.org/ends.>", text, StringComparison.Ordinal);
        AssertTurtleRoundTrips(g);
    }

    [Fact]
    public void Only_used_prefixes_are_declared()
    {
        var g = One(RdfLiteral.String("x"));
        g.Namespaces.Add("unused", "http://unused.example/");
        var text = TurtleWriter.Write(g);
        Assert.DoesNotContain("unused", text, StringComparison.Ordinal);
    }
}
