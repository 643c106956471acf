namespace FlexCoop.Saref.Rdf;

/// <summary>
/// Namespace prefixes (<c>saref:</c> → <c>https://saref.etsi.org/core/</c>) in the order added.
/// Writers use them to shorten IRIs; the Turtle reader fills them from <c>@prefix</c> directives.
/// </summary>
public sealed class RdfNamespaces
{
    private readonly List<KeyValuePair<string, string>> entries = [];

    /// <summary>The prefixes in the order added.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Entries => entries;

    /// <summary>Adds or replaces a prefix. The prefix is a Turtle PN_PREFIX (may be empty) and the namespace an absolute IRI.</summary>
    public RdfNamespaces Add(string prefix, string namespaceIri)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(namespaceIri);
        if (!Internal.TurtleNames.IsPrefix(prefix))
        {
            throw new ArgumentException($"'{prefix}' is not a valid prefix", nameof(prefix));
        }
        _ = new RdfIri(namespaceIri);
        var index = entries.FindIndex(e => e.Key == prefix);
        var entry = new KeyValuePair<string, string>(prefix, namespaceIri);
        if (index >= 0) entries[index] = entry;
        else entries.Add(entry);
        return this;
    }

    /// <summary>The namespace bound to <paramref name="prefix"/>, or null.</summary>
    public string? Resolve(string prefix)
    {
        foreach (var e in entries) if (e.Key == prefix) return e.Value;
        return null;
    }

    /// <summary>The prefix whose namespace is the longest start of <paramref name="iri"/>, with the rest; false when none fits.</summary>
    public bool TrySplit(string iri, out string prefix, out string localName)
    {
        ArgumentNullException.ThrowIfNull(iri);
        prefix = "";
        localName = "";
        var best = -1;
        for (var i = 0; i < entries.Count; i++)
        {
            var ns = entries[i].Value;
            if (iri.StartsWith(ns, StringComparison.Ordinal) && (best < 0 || ns.Length > entries[best].Value.Length))
            {
                best = i;
            }
        }
        if (best < 0) return false;
        prefix = entries[best].Key;
        localName = iri[entries[best].Value.Length..];
        return true;
    }

    /// <summary>A copy with the same entries.</summary>
    public RdfNamespaces Clone()
    {
        var copy = new RdfNamespaces();
        copy.entries.AddRange(entries);
        return copy;
    }
}
