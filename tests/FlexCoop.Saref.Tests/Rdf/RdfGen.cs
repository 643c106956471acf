using CsCheck;
using FlexCoop.Saref.Rdf;

namespace FlexCoop.Saref.Tests.Rdf;

/// <summary>CsCheck generators for random graphs with hostile strings, IRIs and blank nodes.</summary>
internal static class RdfGen
{
    private static readonly Gen<string> Piece = Gen.OneOfConst(
        "a", "Z", "0", "_", "-", ".", " ", "\"", "'", "\\", "\n", "\r", "\t", "\u0000", "\u0007", "\u007F",
        "é", "日本", "😀", "\"\"\"", "'''", "<", ">", "{", "}", "|", "^", "`", "#", "@", ":", "%20", "\\u0041", ";", ",", "[", "(");

    public static readonly Gen<string> NastyString = Piece.List[0, 8].Select(string.Concat);

    public static readonly Gen<RdfIri> Iri = Gen.OneOf(
        Gen.OneOfConst("http://example.org/", "https://saref.etsi.org/core/", "urn:x:", "http://example.org/a#").SelectMany(
            ns => Gen.OneOf(Gen.Int[0, 20].Select(i => "n" + i), NastyString).Select(local => new RdfIri(ns + local))));

    public static readonly Gen<RdfBlankNode> Blank = Gen.Int[0, 6].Select(i => new RdfBlankNode("k" + i));

    public static readonly Gen<RdfLiteral> Literal = Gen.OneOf(
        NastyString.Select(RdfLiteral.String),
        Gen.Select(NastyString, Gen.OneOfConst("en", "en-GB", "de-CH-1996", "nl")).Select((s, l) => RdfLiteral.LangString(s, l)),
        Gen.Long.Select(RdfLiteral.Integer),
        Gen.Decimal.Select(RdfLiteral.Decimal),
        Gen.Double.Where(d => !double.IsNaN(d)).Select(RdfLiteral.Double),
        Gen.Bool.Select(RdfLiteral.Boolean),
        Gen.Select(Gen.OneOfConst("007", "+1", "1.50", "-0", "1e3", "x"), Gen.OneOfConst(RdfVocabulary.XsdInteger, RdfVocabulary.XsdDecimal, RdfVocabulary.XsdDouble, RdfVocabulary.XsdBoolean))
            .Select((lex, dt) => new RdfLiteral(lex, dt)),
        Gen.Select(NastyString, Iri).Select((s, dt) => new RdfLiteral(s, dt)));

    private static readonly Gen<RdfTerm> Subject = Gen.OneOf(Iri.Select(i => (RdfTerm)i), Blank.Select(b => (RdfTerm)b));

    private static readonly Gen<RdfTerm> Object = Gen.OneOf(Iri.Select(i => (RdfTerm)i), Blank.Select(b => (RdfTerm)b), Literal.Select(l => (RdfTerm)l));

    private static readonly Gen<RdfIri> Predicate = Gen.OneOf(Iri, Gen.Const(RdfVocabulary.RdfType));

    public static readonly Gen<RdfGraph> Graph = Gen.Select(Subject, Predicate, Object).Select((s, p, o) => new RdfTriple(s, p, o)).List[0, 25]
        .Select(triples =>
        {
            var g = new RdfGraph();
            g.Namespaces.Add("ex", "http://example.org/").Add("saref", "https://saref.etsi.org/core/").Add("xsd", RdfVocabulary.XsdNamespace).Add("", "http://example.org/a#");
            g.AddRange(triples);
            return g;
        });
}
