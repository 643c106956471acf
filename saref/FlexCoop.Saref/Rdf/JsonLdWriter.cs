using System.Globalization;
using System.Text;
using System.Text.Json;
using FlexCoop.Saref.Rdf.Internal;

namespace FlexCoop.Saref.Rdf;

/// <summary>Choices for <see cref="JsonLdWriter"/>.</summary>
public sealed record JsonLdWriterOptions
{
    public static readonly JsonLdWriterOptions Default = new();

    /// <summary>
    /// Terms for the context: a term name (e.g. <c>label</c>) mapped to the full IRI of a property
    /// (e.g. <c>rdfs:label</c>'s IRI). Properties with a term are written with the term as key.
    /// </summary>
    public IReadOnlyDictionary<string, string> Terms { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Indent the output. Default true.</summary>
    public bool Indented { get; init; } = true;
}

/// <summary>
/// Writes a graph as a compacted JSON-LD 1.1 document: a <c>@context</c> with the graph's
/// prefixes (and the given terms), and a <c>@graph</c> with one node object per subject, using
/// <c>@id</c>, <c>@type</c>, and <c>@value</c> with <c>@type</c> or <c>@language</c>. Lexical forms are
/// kept exactly (no native JSON numbers), so the document converts back to an isomorphic graph.
/// </summary>
public static class JsonLdWriter
{
    /// <summary>The graph as a JSON-LD document (UTF-8 text).</summary>
    public static string Write(RdfGraph graph, JsonLdWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        options ??= JsonLdWriterOptions.Default;
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = options.Indented }))
        {
            new Session(graph, options, json).Run();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private sealed class Session(RdfGraph graph, JsonLdWriterOptions options, Utf8JsonWriter json)
    {
        private readonly Dictionary<RdfBlankNode, string> labels = [];
        private readonly Dictionary<string, string> termByIri = new(StringComparer.Ordinal);
        private readonly HashSet<string> prefixNames = new(StringComparer.Ordinal);

        public void Run()
        {
            foreach (var (term, iri) in options.Terms)
            {
                if (term.Length == 0 || term.StartsWith('@') || term.Contains(':', StringComparison.Ordinal))
                {
                    throw new ArgumentException($"'{term}' cannot be a JSON-LD term (empty, keyword-like or containing ':')", nameof(options));
                }
                termByIri[iri] = term;
            }
            foreach (var (prefix, _) in graph.Namespaces.Entries)
            {
                if (prefix.Length > 0 && !options.Terms.ContainsKey(prefix)) prefixNames.Add(prefix);
            }

            json.WriteStartObject();
            json.WritePropertyName("@context");
            json.WriteStartObject();
            foreach (var (prefix, ns) in graph.Namespaces.Entries)
            {
                if (prefixNames.Contains(prefix)) json.WriteString(prefix, ns);
            }
            foreach (var (term, iri) in options.Terms) json.WriteString(term, iri);
            json.WriteEndObject();

            json.WritePropertyName("@graph");
            json.WriteStartArray();
            var bySubject = new Dictionary<RdfTerm, List<RdfTriple>>();
            var order = new List<RdfTerm>();
            foreach (var t in graph.Triples)
            {
                if (!bySubject.TryGetValue(t.Subject, out var list))
                {
                    bySubject.Add(t.Subject, list = []);
                    order.Add(t.Subject);
                }
                list.Add(t);
            }
            foreach (var subject in order) WriteNode(subject, bySubject[subject]);
            json.WriteEndArray();
            json.WriteEndObject();
        }

        private void WriteNode(RdfTerm subject, List<RdfTriple> triples)
        {
            json.WriteStartObject();
            json.WriteString("@id", Id(subject));
            var types = triples.Where(t => t.Predicate == RdfVocabulary.RdfType && t.Object is RdfIri).Select(t => (RdfIri)t.Object).ToList();
            if (types.Count > 0)
            {
                json.WritePropertyName("@type");
                json.WriteStartArray();
                foreach (var type in types) json.WriteStringValue(Compact(type.Value));
                json.WriteEndArray();
            }
            var groups = new List<(RdfIri Predicate, List<RdfTerm> Objects)>();
            foreach (var t in triples)
            {
                if (t.Predicate == RdfVocabulary.RdfType && t.Object is RdfIri) continue;
                var g = groups.FindIndex(x => x.Predicate == t.Predicate);
                if (g < 0) groups.Add((t.Predicate, [t.Object]));
                else groups[g].Objects.Add(t.Object);
            }
            foreach (var (predicate, objects) in groups)
            {
                json.WritePropertyName(termByIri.TryGetValue(predicate.Value, out var term) ? term : Compact(predicate.Value));
                json.WriteStartArray();
                foreach (var o in objects) WriteValue(o);
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }

        private void WriteValue(RdfTerm term)
        {
            json.WriteStartObject();
            switch (term)
            {
                case RdfIri or RdfBlankNode:
                    json.WriteString("@id", Id(term));
                    break;
                case RdfLiteral l:
                    json.WriteString("@value", l.LexicalForm);
                    if (l.Language is not null) json.WriteString("@language", l.Language);
                    else if (l.Datatype != RdfVocabulary.XsdString) json.WriteString("@type", Compact(l.Datatype.Value));
                    break;
            }
            json.WriteEndObject();
        }

        private string Id(RdfTerm term) => term switch
        {
            RdfIri iri => Compact(iri.Value),
            RdfBlankNode b => "_:" + Label(b),
            _ => throw new ArgumentException("a literal has no @id", nameof(term)),
        };

        private string Label(RdfBlankNode b)
        {
            if (!labels.TryGetValue(b, out var label))
            {
                label = "b" + labels.Count.ToString(CultureInfo.InvariantCulture);
                labels.Add(b, label);
            }
            return label;
        }

        /// <summary>A compact IRI when a prefix fits and the result cannot be misread; else the full IRI.</summary>
        private string Compact(string iri)
        {
            if (graph.Namespaces.TrySplit(iri, out var prefix, out var local) && prefixNames.Contains(prefix)
                && local.Length > 0 && TurtleNames.IsSimpleLocalName(local) && !local.StartsWith("//", StringComparison.Ordinal))
            {
                return prefix + ":" + local;
            }
            // A full IRI whose scheme is also a prefix name would be expanded as a compact IRI: refuse it.
            var scheme = iri[..IriText.SchemeLength(iri)];
            if (prefixNames.Contains(scheme) || options.Terms.ContainsKey(scheme))
            {
                throw new ArgumentException($"IRI '{iri}' would be misread in JSON-LD because '{scheme}' is also a prefix; rename the prefix");
            }
            return iri;
        }
    }
}
