namespace FlexCoop.Saref.Rdf;

/// <summary>
/// RDF graph isomorphism (RDF 1.1 Concepts 3.6): a bijection between the blank nodes of two
/// graphs that maps one onto the other. Blank nodes are first coloured by iterated hashing of
/// their neighbourhoods, then a backtracking search tries only same-coloured candidates. Fast for
/// the graphs this library produces (tree-shaped, distinguishable blank nodes); worst case
/// exponential for large highly symmetric graphs.
/// </summary>
public static class RdfGraphIsomorphism
{
    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> are isomorphic.</summary>
    public static bool AreIsomorphic(RdfGraph a, RdfGraph b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count) return false;
        var groundA = a.Triples.Where(IsGround).ToList();
        var groundB = new HashSet<RdfTriple>(b.Triples.Where(IsGround));
        if (groundA.Count != groundB.Count || !groundA.All(groundB.Contains)) return false;

        var blankTriplesA = a.Triples.Where(t => !IsGround(t)).ToList();
        var blankTriplesB = b.Triples.Where(t => !IsGround(t)).ToList();
        if (blankTriplesA.Count == 0) return true;

        var nodesA = BlankNodes(blankTriplesA);
        var nodesB = BlankNodes(blankTriplesB);
        if (nodesA.Count != nodesB.Count) return false;

        var (colorsA, colorsB) = Refine(blankTriplesA, nodesA, blankTriplesB, nodesB);
        var histogramA = colorsA.Values.GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        var histogramB = colorsB.Values.GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        if (histogramA.Count != histogramB.Count || histogramA.Any(kv => histogramB.GetValueOrDefault(kv.Key) != kv.Value)) return false;

        var candidatesByColor = nodesB.GroupBy(n => colorsB[n]).ToDictionary(g => g.Key, g => g.ToList());
        // Smallest colour classes first: most constrained nodes are fixed early.
        var order = nodesA.OrderBy(n => histogramA[colorsA[n]]).ToList();
        var setB = new HashSet<RdfTriple>(blankTriplesB);
        var triplesByNodeA = new Dictionary<RdfBlankNode, List<RdfTriple>>();
        foreach (var t in blankTriplesA)
        {
            if (t.Subject is RdfBlankNode s) Index(triplesByNodeA, s, t);
            if (t.Object is RdfBlankNode o && o != t.Subject) Index(triplesByNodeA, o, t);
        }
        var mapping = new Dictionary<RdfBlankNode, RdfBlankNode>();
        var used = new HashSet<RdfBlankNode>();
        return Search(0);

        bool Search(int index)
        {
            if (index == order.Count) return true;
            var node = order[index];
            foreach (var candidate in candidatesByColor[colorsA[node]])
            {
                if (used.Contains(candidate)) continue;
                mapping[node] = candidate;
                used.Add(candidate);
                if (Consistent(node) && Search(index + 1)) return true;
                mapping.Remove(node);
                used.Remove(candidate);
            }
            return false;
        }

        bool Consistent(RdfBlankNode node)
        {
            foreach (var t in triplesByNodeA[node])
            {
                var s = Map(t.Subject);
                var o = Map(t.Object);
                if (s is null || o is null) continue;
                if (!setB.Contains(new RdfTriple(s, t.Predicate, o))) return false;
            }
            return true;
        }

        RdfTerm? Map(RdfTerm term) => term is RdfBlankNode bn ? mapping.GetValueOrDefault(bn) : term;
    }

    private static void Index(Dictionary<RdfBlankNode, List<RdfTriple>> index, RdfBlankNode node, RdfTriple t)
    {
        if (!index.TryGetValue(node, out var list)) index.Add(node, list = []);
        list.Add(t);
    }

    private static bool IsGround(RdfTriple t) => t.Subject is not RdfBlankNode && t.Object is not RdfBlankNode;

    private static HashSet<RdfBlankNode> BlankNodes(List<RdfTriple> triples)
    {
        var set = new HashSet<RdfBlankNode>();
        foreach (var t in triples)
        {
            if (t.Subject is RdfBlankNode s) set.Add(s);
            if (t.Object is RdfBlankNode o) set.Add(o);
        }
        return set;
    }

    /// <summary>Colour refinement run on both graphs with the same hash function, until the partitions stop splitting.</summary>
    private static (Dictionary<RdfBlankNode, ulong>, Dictionary<RdfBlankNode, ulong>) Refine(
        List<RdfTriple> ta, HashSet<RdfBlankNode> na, List<RdfTriple> tb, HashSet<RdfBlankNode> nb)
    {
        var ca = na.ToDictionary(n => n, _ => 1UL);
        var cb = nb.ToDictionary(n => n, _ => 1UL);
        var classes = 1;
        for (var round = 0; round <= na.Count; round++)
        {
            var nextA = Step(ta, ca);
            var nextB = Step(tb, cb);
            var newClasses = nextA.Values.Distinct().Count();
            ca = nextA;
            cb = nextB;
            if (newClasses == classes && round > 0) break;
            classes = newClasses;
        }
        return (ca, cb);
    }

    private static Dictionary<RdfBlankNode, ulong> Step(List<RdfTriple> triples, Dictionary<RdfBlankNode, ulong> colors)
    {
        var signatures = colors.Keys.ToDictionary(n => n, _ => new List<ulong>());
        foreach (var t in triples)
        {
            var p = StableHash(t.Predicate.Value);
            if (t.Subject is RdfBlankNode s) signatures[s].Add(Mix(Mix(1, p), TermHash(t.Object, colors)));
            if (t.Object is RdfBlankNode o) signatures[o].Add(Mix(Mix(2, p), TermHash(t.Subject, colors)));
        }
        var next = new Dictionary<RdfBlankNode, ulong>(colors.Count);
        foreach (var (node, list) in signatures)
        {
            list.Sort();
            var h = colors[node];
            foreach (var x in list) h = Mix(h, x);
            next[node] = h;
        }
        return next;
    }

    private static ulong TermHash(RdfTerm term, Dictionary<RdfBlankNode, ulong> colors) => term switch
    {
        RdfBlankNode b => Mix(3, colors[b]),
        _ => StableHash(term.ToString()),
    };

    private static ulong StableHash(string s)
    {
        // FNV-1a, 64 bit: stable across runs and identical for both graphs.
        var h = 14695981039346656037UL;
        foreach (var c in s)
        {
            h ^= c;
            h *= 1099511628211UL;
        }
        return h;
    }

    private static ulong Mix(ulong h, ulong x)
    {
        h ^= x + 0x9E3779B97F4A7C15UL + (h << 6) + (h >> 2);
        h ^= h >> 31;
        h *= 0xBF58476D1CE4E5B9UL;
        return h ^ (h >> 29);
    }
}
