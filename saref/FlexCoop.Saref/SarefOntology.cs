using FlexCoop.Saref.Rdf;

namespace FlexCoop.Saref;

/// <summary>A term a description uses that its ontology does not declare.</summary>
/// <param name="Iri">The term.</param>
/// <param name="Usage">How it is used: <c>class</c> (object of rdf:type), <c>property</c> (predicate) or <c>individual</c> (other object).</param>
public sealed record UnknownTerm(string Iri, string Usage);

/// <summary>
/// The terms declared by a set of ontology files (SAREF core, SAREF4ENER, ...), to check that a
/// description uses only terms that exist. A term is declared when it is the subject of an
/// <c>rdf:type</c> triple in an ontology; only IRIs in the ontologies' own namespaces (the
/// <c>owl:Ontology</c> IRIs) are checked, so terms of other vocabularies (RDFS, OM, OWL-Time,
/// FlexCoop's <c>der:</c>) pass.
/// </summary>
public sealed class SarefOntology
{
    private readonly HashSet<string> declared = new(StringComparer.Ordinal);
    private readonly List<string> namespaces = [];

    /// <summary>The namespaces checked (e.g. <c>https://saref.etsi.org/core/</c>).</summary>
    public IReadOnlyList<string> Namespaces => namespaces;

    /// <summary>Number of declared terms.</summary>
    public int TermCount => declared.Count;

    /// <summary>Adds the terms of one ontology graph.</summary>
    public SarefOntology Add(RdfGraph ontology)
    {
        ArgumentNullException.ThrowIfNull(ontology);
        foreach (var t in ontology.Triples)
        {
            if (t.Predicate != RdfVocabulary.RdfType || t.Subject is not RdfIri s) continue;
            if (t.Object == RdfVocabulary.OwlOntology)
            {
                var ns = s.Value.EndsWith('/') || s.Value.EndsWith('#') ? s.Value : s.Value + "#";
                if (!namespaces.Contains(ns)) namespaces.Add(ns);
            }
            else
            {
                declared.Add(s.Value);
            }
        }
        return this;
    }

    /// <summary>Reads every <c>*.ttl</c> file in <paramref name="directory"/>.</summary>
    public static async Task<SarefOntology> LoadDirectoryAsync(string directory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var files = Directory.GetFiles(directory, "*.ttl").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) throw new FileNotFoundException($"no .ttl ontology files in {directory}");
        var ontology = new SarefOntology();
        foreach (var file in files)
        {
            using var reader = new StreamReader(file);
            ontology.Add(await TurtleReader.ParseAsync(reader, new Uri(Path.GetFullPath(file)).AbsoluteUri, cancellationToken: cancellationToken).ConfigureAwait(false));
        }
        return ontology;
    }

    /// <summary>True when <paramref name="iri"/> is declared.</summary>
    public bool Declares(string iri) => declared.Contains(iri);

    /// <summary>The terms of the ontologies' namespaces that <paramref name="description"/> uses but no ontology declares, each once.</summary>
    public IReadOnlyList<UnknownTerm> FindUnknownTerms(RdfGraph description)
    {
        ArgumentNullException.ThrowIfNull(description);
        var unknown = new List<UnknownTerm>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Check(RdfIri iri, string usage)
        {
            if (!namespaces.Any(ns => iri.Value.StartsWith(ns, StringComparison.Ordinal)) || declared.Contains(iri.Value)) return;
            if (seen.Add(iri.Value)) unknown.Add(new UnknownTerm(iri.Value, usage));
        }
        foreach (var t in description.Triples)
        {
            Check(t.Predicate, "property");
            if (t.Object is RdfIri o) Check(o, t.Predicate == RdfVocabulary.RdfType ? "class" : "individual");
            if (t.Subject is RdfIri s) Check(s, "individual");
        }
        return unknown;
    }
}
