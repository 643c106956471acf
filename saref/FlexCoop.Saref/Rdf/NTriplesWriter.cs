using System.Globalization;
using System.Text;
using FlexCoop.Saref.Rdf.Internal;

namespace FlexCoop.Saref.Rdf;

/// <summary>
/// Writes a graph as N-Triples (W3C RDF 1.1 N-Triples) in its canonical form: one triple per
/// line ending in LF, absolute IRIs, blank nodes relabelled <c>_:b0</c>, <c>_:b1</c>, ... in order
/// of first use, literals with only <c>\"</c>, <c>\\</c>, <c>\n</c>, <c>\r</c> escaped.
/// Characters that may not appear in an IRIREF are written as <c>\uXXXX</c>.
/// </summary>
public static class NTriplesWriter
{
    /// <summary>The graph as an N-Triples document.</summary>
    public static string Write(RdfGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var sb = new StringBuilder();
        var labels = new Dictionary<RdfBlankNode, string>();
        foreach (var t in graph.Triples)
        {
            AppendTerm(sb, t.Subject, labels);
            sb.Append(' ');
            NTriplesSyntax.AppendIri(sb, t.Predicate.Value);
            sb.Append(' ');
            AppendTerm(sb, t.Object, labels);
            sb.Append(" .\n");
        }
        return sb.ToString();
    }

    /// <summary>Writes the graph as N-Triples to <paramref name="writer"/>.</summary>
    public static void Write(RdfGraph graph, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Write(graph));
    }

    private static void AppendTerm(StringBuilder sb, RdfTerm term, Dictionary<RdfBlankNode, string> labels)
    {
        switch (term)
        {
            case RdfIri iri:
                NTriplesSyntax.AppendIri(sb, iri.Value);
                break;
            case RdfBlankNode b:
                if (!labels.TryGetValue(b, out var label))
                {
                    label = "b" + labels.Count.ToString(CultureInfo.InvariantCulture);
                    labels.Add(b, label);
                }
                sb.Append("_:").Append(label);
                break;
            case RdfLiteral l:
                NTriplesSyntax.AppendLiteral(sb, l);
                break;
        }
    }
}
