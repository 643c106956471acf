namespace FlexCoop.Saref.Rdf;

/// <summary>
/// A set of RDF triples (adding a triple twice keeps one) that remembers the order triples were
/// first added, so writers produce stable output, and carries the namespace prefixes writers use.
/// Not thread-safe for concurrent writes.
/// </summary>
public sealed class RdfGraph
{
    private readonly HashSet<RdfTriple> set = [];
    private readonly List<RdfTriple> ordered = [];
    private readonly HashSet<string> blankLabels = new(StringComparer.Ordinal);
    private int blankCounter;

    public RdfGraph() : this(new RdfNamespaces()) { }

    public RdfGraph(RdfNamespaces namespaces)
    {
        ArgumentNullException.ThrowIfNull(namespaces);
        Namespaces = namespaces;
    }

    /// <summary>Prefixes for Turtle and JSON-LD output (and those read from a Turtle document).</summary>
    public RdfNamespaces Namespaces { get; }

    /// <summary>Number of distinct triples.</summary>
    public int Count => set.Count;

    /// <summary>The triples in the order first added.</summary>
    public IReadOnlyList<RdfTriple> Triples => ordered;

    /// <summary>Adds a triple; returns false if it was already present.</summary>
    public bool Add(RdfTriple triple)
    {
        ArgumentNullException.ThrowIfNull(triple);
        if (!set.Add(triple)) return false;
        ordered.Add(triple);
        if (triple.Subject is RdfBlankNode bs) blankLabels.Add(bs.Label);
        if (triple.Object is RdfBlankNode bo) blankLabels.Add(bo.Label);
        return true;
    }

    /// <summary>Adds a triple; returns false if it was already present.</summary>
    public bool Add(RdfTerm subject, RdfIri predicate, RdfTerm @object) => Add(new RdfTriple(subject, predicate, @object));

    /// <summary>Adds every triple of <paramref name="triples"/>.</summary>
    public void AddRange(IEnumerable<RdfTriple> triples)
    {
        ArgumentNullException.ThrowIfNull(triples);
        foreach (var t in triples) Add(t);
    }

    public bool Contains(RdfTriple triple) => set.Contains(triple);

    /// <summary>A blank node whose label is new in this graph (<c>g0</c>, <c>g1</c>, ...).</summary>
    public RdfBlankNode NewBlankNode()
    {
        while (true)
        {
            var candidate = new RdfBlankNode("g" + blankCounter++.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (blankLabels.Add(candidate.Label)) return candidate;
        }
    }

    /// <summary>Triples matching the given pattern (null matches anything), in insertion order.</summary>
    public IEnumerable<RdfTriple> Match(RdfTerm? subject = null, RdfIri? predicate = null, RdfTerm? @object = null) =>
        ordered.Where(t =>
            (subject is null || t.Subject == subject) &&
            (predicate is null || t.Predicate == predicate) &&
            (@object is null || t.Object == @object));

    /// <summary>The objects of <paramref name="subject"/> <paramref name="predicate"/> ?o.</summary>
    public IEnumerable<RdfTerm> Objects(RdfTerm subject, RdfIri predicate) => Match(subject, predicate).Select(t => t.Object);

    /// <summary>The subjects of ?s <paramref name="predicate"/> <paramref name="object"/>.</summary>
    public IEnumerable<RdfTerm> Subjects(RdfIri predicate, RdfTerm @object) => Match(null, predicate, @object).Select(t => t.Subject);

    /// <summary>True when the two graphs are the same up to blank node labels (RDF 1.1 graph isomorphism).</summary>
    public bool IsIsomorphicWith(RdfGraph other) => RdfGraphIsomorphism.AreIsomorphic(this, other);
}
