using FlexCoop.Saref.Rdf;

namespace FlexCoop.Saref.Tests.Rdf;

public sealed class NTriplesTests
{
    [Fact]
    public void Writer_uses_canonical_form_one_line_per_triple()
    {
        var g = new RdfGraph();
        var b = new RdfBlankNode("whatever");
        g.Add(new RdfIri("http://example.org/s"), new RdfIri("http://example.org/p"), RdfLiteral.String("a\"b\\c\nd\re\tf"));
        g.Add(new RdfIri("http://example.org/s"), new RdfIri("http://example.org/p"), b);
        g.Add(b, new RdfIri("http://example.org/p"), RdfLiteral.LangString("x", "en-GB"));
        g.Add(b, new RdfIri("http://example.org/p"), RdfLiteral.Integer(5));
        var text = NTriplesWriter.Write(g);
        Assert.Equal(
            "<http://example.org/s> <http://example.org/p> \"a\\\"b\\\\c\\nd\\re\tf\" .\n" +
            "<http://example.org/s> <http://example.org/p> _:b0 .\n" +
            "_:b0 <http://example.org/p> \"x\"@en-gb .\n" +
            "_:b0 <http://example.org/p> \"5\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n",
            text);
        Assert.True(g.IsIsomorphicWith(NTriplesReader.Parse(text)));
    }

    [Fact]
    public void Reader_accepts_comments_escapes_and_blank_lines()
    {
        var text = "# a comment\n\n<http://e.org/s> <http://e.org/p> \"\\u00E9\\U0001F600\" . # trailing\r\n_:x <http://e.org/p> <http://e.org/o\\u0020x> .";
        var g = NTriplesReader.Parse(text);
        Assert.Equal(2, g.Count);
        Assert.Contains(g.Triples, t => t.Object is RdfLiteral { LexicalForm: "é😀" });
        Assert.Contains(g.Triples, t => t.Object is RdfIri { Value: "http://e.org/o x" });
    }

    [Theory]
    [InlineData("<s> <http://e.org/p> <http://e.org/o> .", 1, 1)]
    [InlineData("<http://e.org/s> <http://e.org/p> \"x\" . <http://e.org/s> <http://e.org/p> \"y\" .", 1, 41)]
    [InlineData("<http://e.org/s> ex:p <http://e.org/o> .", 1, 18)]
    [InlineData("<http://e.org/s> <http://e.org/p> 'x' .", 1, 35)]
    [InlineData("<http://e.org/s> <http://e.org/p> \"x\"\n", 1, 38)]
    [InlineData("\n<http://e.org/s> <http://e.org/p> \"\\q\" .", 2, 36)]
    public void Reader_rejects_what_ntriples_does_not_allow_with_position(string text, int line, int column)
    {
        var ex = Assert.Throws<RdfParseException>(() => NTriplesReader.Parse(text));
        Assert.Equal(line, ex.Line);
        Assert.Equal(column, ex.Column);
    }
}
