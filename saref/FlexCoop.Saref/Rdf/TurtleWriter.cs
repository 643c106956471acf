using System.Globalization;
using System.Text;
using FlexCoop.Saref.Rdf.Internal;

namespace FlexCoop.Saref.Rdf;

/// <summary>Choices for <see cref="TurtleWriter"/>.</summary>
public sealed record TurtleWriterOptions
{
    public static readonly TurtleWriterOptions Default = new();

    /// <summary>Shorten IRIs with the graph's prefixes (only prefixes actually used are declared). Default true.</summary>
    public bool UsePrefixes { get; init; } = true;

    /// <summary>Write xsd:integer, xsd:decimal, xsd:double and xsd:boolean literals whose lexical form is canonical as bare numbers/booleans. Default true.</summary>
    public bool UseNativeLiterals { get; init; } = true;

    /// <summary>Write blank nodes used once as an object inline as <c>[ ... ]</c>. Default true.</summary>
    public bool InlineBlankNodes { get; init; } = true;

    /// <summary>Write strings containing a line feed as <c>"""...""""</c> long strings. Default true.</summary>
    public bool UseLongStrings { get; init; } = true;

    /// <summary>One indentation step. Default four spaces.</summary>
    public string Indent { get; init; } = "    ";
}

/// <summary>
/// Writes a graph as Turtle (W3C RDF 1.1 Turtle): <c>@prefix</c> declarations for the prefixes
/// used, subjects grouped with <c>;</c> and <c>,</c>, <c>a</c> for <c>rdf:type</c>, blank nodes
/// used once inline as <c>[ ]</c> and others as <c>_:bN</c>, and escaped IRIs and strings.
/// The output reads back to an isomorphic graph.
/// </summary>
public static class TurtleWriter
{
    /// <summary>The graph as a Turtle document.</summary>
    public static string Write(RdfGraph graph, TurtleWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return new Session(graph, options ?? TurtleWriterOptions.Default).Run();
    }

    /// <summary>Writes the graph as Turtle to <paramref name="writer"/>.</summary>
    public static void Write(RdfGraph graph, TextWriter writer, TurtleWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Write(graph, options));
    }

    private sealed class Session(RdfGraph graph, TurtleWriterOptions options)
    {
        private readonly StringBuilder body = new();
        private readonly Dictionary<RdfTerm, List<RdfTriple>> bySubject = [];
        private readonly List<RdfTerm> subjectOrder = [];
        private readonly Dictionary<RdfBlankNode, int> objectUses = [];
        private readonly HashSet<RdfBlankNode> inlinable = [];
        private readonly HashSet<RdfTerm> written = [];
        private readonly Dictionary<RdfBlankNode, string> labels = [];
        private readonly HashSet<string> usedPrefixes = new(StringComparer.Ordinal);

        public string Run()
        {
            foreach (var t in graph.Triples)
            {
                if (!bySubject.TryGetValue(t.Subject, out var list))
                {
                    list = [];
                    bySubject.Add(t.Subject, list);
                    subjectOrder.Add(t.Subject);
                }
                list.Add(t);
                if (t.Object is RdfBlankNode b) objectUses[b] = objectUses.GetValueOrDefault(b) + 1;
            }
            if (options.InlineBlankNodes)
            {
                foreach (var (node, uses) in objectUses)
                {
                    if (uses == 1) inlinable.Add(node);
                }
            }
            foreach (var subject in subjectOrder)
            {
                if (subject is RdfBlankNode b && inlinable.Contains(b)) continue;
                WriteStatement(subject);
            }
            // Blank nodes that only reference each other in a cycle: label one and write it.
            foreach (var subject in subjectOrder)
            {
                if (written.Contains(subject)) continue;
                inlinable.Remove((RdfBlankNode)subject);
                WriteStatement(subject);
            }
            var header = new StringBuilder();
            if (options.UsePrefixes)
            {
                foreach (var (prefix, ns) in graph.Namespaces.Entries)
                {
                    if (!usedPrefixes.Contains(prefix)) continue;
                    header.Append("@prefix ").Append(prefix).Append(": ");
                    NTriplesSyntax.AppendIri(header, ns);
                    header.Append(" .\n");
                }
                if (header.Length > 0 && body.Length > 0) header.Append('\n');
            }
            return header.Append(body).ToString();
        }

        private void WriteStatement(RdfTerm subject)
        {
            written.Add(subject);
            AppendSubjectTerm(subject);
            body.Append(' ');
            WritePredicateObjects(bySubject[subject], 1);
            body.Append(" .\n");
        }

        private void WritePredicateObjects(List<RdfTriple> triples, int level)
        {
            // rdf:type first, then predicates in order of first use; objects of one predicate joined with ','.
            var groups = new List<(RdfIri Predicate, List<RdfTerm> Objects)>();
            foreach (var t in triples.OrderBy(t => t.Predicate == RdfVocabulary.RdfType ? 0 : 1))
            {
                var g = groups.FindIndex(x => x.Predicate == t.Predicate);
                if (g < 0) groups.Add((t.Predicate, [t.Object]));
                else groups[g].Objects.Add(t.Object);
            }
            for (var i = 0; i < groups.Count; i++)
            {
                if (i > 0)
                {
                    body.Append(" ;\n");
                    AppendIndent(level);
                }
                var (predicate, objects) = groups[i];
                if (predicate == RdfVocabulary.RdfType) body.Append('a');
                else AppendIri(predicate);
                body.Append(' ');
                for (var j = 0; j < objects.Count; j++)
                {
                    if (j > 0) body.Append(", ");
                    AppendObject(objects[j], level);
                }
            }
        }

        private void AppendObject(RdfTerm term, int level)
        {
            if (term is RdfBlankNode b && inlinable.Contains(b))
            {
                written.Add(b);
                if (!bySubject.TryGetValue(b, out var triples))
                {
                    body.Append("[]");
                    return;
                }
                body.Append("[\n");
                AppendIndent(level + 1);
                WritePredicateObjects(triples, level + 1);
                body.Append('\n');
                AppendIndent(level);
                body.Append(']');
                return;
            }
            switch (term)
            {
                case RdfIri iri: AppendIri(iri); break;
                case RdfBlankNode node: AppendLabel(node); break;
                case RdfLiteral literal: AppendLiteral(literal); break;
            }
        }

        private void AppendSubjectTerm(RdfTerm subject)
        {
            if (subject is RdfIri iri) AppendIri(iri);
            else AppendLabel((RdfBlankNode)subject);
        }

        private void AppendLabel(RdfBlankNode node)
        {
            if (!labels.TryGetValue(node, out var label))
            {
                label = "b" + labels.Count.ToString(CultureInfo.InvariantCulture);
                labels.Add(node, label);
            }
            body.Append("_:").Append(label);
        }

        private void AppendIri(RdfIri iri)
        {
            if (options.UsePrefixes && graph.Namespaces.TrySplit(iri.Value, out var prefix, out var local)
                && TurtleNames.IsSimpleLocalName(local))
            {
                usedPrefixes.Add(prefix);
                body.Append(prefix).Append(':').Append(local);
                return;
            }
            NTriplesSyntax.AppendIri(body, iri.Value);
        }

        private void AppendLiteral(RdfLiteral literal)
        {
            var lexical = literal.LexicalForm;
            if (options.UseNativeLiterals && literal.Language is null)
            {
                var dt = literal.Datatype;
                if ((dt == RdfVocabulary.XsdInteger && XsdCanonical.IsCanonicalInteger(lexical))
                    || (dt == RdfVocabulary.XsdDecimal && XsdCanonical.IsCanonicalDecimal(lexical))
                    || (dt == RdfVocabulary.XsdDouble && XsdCanonical.IsCanonicalDouble(lexical))
                    || (dt == RdfVocabulary.XsdBoolean && lexical is "true" or "false"))
                {
                    body.Append(lexical);
                    return;
                }
            }
            if (options.UseLongStrings && lexical.Contains('\n', StringComparison.Ordinal)) AppendLongString(lexical);
            else AppendShortString(lexical);
            if (literal.Language is not null)
            {
                body.Append('@').Append(literal.Language);
            }
            else if (literal.Datatype != RdfVocabulary.XsdString)
            {
                body.Append("^^");
                AppendIri(literal.Datatype);
            }
        }

        private void AppendShortString(string s)
        {
            body.Append('"');
            foreach (var c in s)
            {
                switch (c)
                {
                    case '"': body.Append("\\\""); break;
                    case '\\': body.Append("\\\\"); break;
                    case '\n': body.Append("\\n"); break;
                    case '\r': body.Append("\\r"); break;
                    case '\t': body.Append("\\t"); break;
                    case '\b': body.Append("\\b"); break;
                    case '\f': body.Append("\\f"); break;
                    default:
                        if (c < ' ' || c == '\u007F') NTriplesSyntax.AppendUchar(body, c);
                        else body.Append(c);
                        break;
                }
            }
            body.Append('"');
        }

        private void AppendLongString(string s)
        {
            body.Append("\"\"\"");
            foreach (var c in s)
            {
                switch (c)
                {
                    case '"': body.Append("\\\""); break;
                    case '\\': body.Append("\\\\"); break;
                    case '\n': body.Append('\n'); break;
                    case '\r': body.Append("\\r"); break;
                    case '\t': body.Append('\t'); break;
                    default:
                        if (c < ' ' || c == '\u007F') NTriplesSyntax.AppendUchar(body, c);
                        else body.Append(c);
                        break;
                }
            }
            body.Append("\"\"\"");
        }

        private void AppendIndent(int level)
        {
            for (var i = 0; i < level; i++) body.Append(options.Indent);
        }
    }
}
