using FlexCoop.Saref.Rdf;

namespace FlexCoop.Saref.Tests.Rdf;

public sealed class IsomorphismTests
{
    private static RdfGraph Nt(string text) => NTriplesReader.Parse(text);

    [Fact]
    public void Graphs_differing_only_in_blank_labels_are_isomorphic()
    {
        var a = Nt("_:x <http://e/p> _:y .\n_:y <http://e/q> \"1\" .\n<http://e/s> <http://e/r> _:x .\n");
        var b = Nt("<http://e/s> <http://e/r> _:m .\n_:n <http://e/q> \"1\" .\n_:m <http://e/p> _:n .\n");
        Assert.True(a.IsIsomorphicWith(b));
    }

    [Fact]
    public void Different_literal_makes_graphs_not_isomorphic()
    {
        var a = Nt("_:x <http://e/p> \"1\" .\n");
        var b = Nt("_:x <http://e/p> \"2\" .\n");
        Assert.False(a.IsIsomorphicWith(b));
    }

    [Fact]
    public void Blank_node_cannot_stand_for_two_nodes()
    {
        var a = Nt("_:x <http://e/p> \"1\" .\n_:x <http://e/p> \"2\" .\n");
        var b = Nt("_:x <http://e/p> \"1\" .\n_:y <http://e/p> \"2\" .\n");
        Assert.False(a.IsIsomorphicWith(b));
        Assert.False(b.IsIsomorphicWith(a));
    }

    [Fact]
    public void Symmetric_cycles_of_different_length_are_told_apart()
    {
        // two 3-cycles vs one 6-cycle: colour refinement alone cannot separate them, the search must.
        var two = Nt("_:a <http://e/p> _:b .\n_:b <http://e/p> _:c .\n_:c <http://e/p> _:a .\n_:d <http://e/p> _:e .\n_:e <http://e/p> _:f .\n_:f <http://e/p> _:d .\n");
        var six = Nt("_:a <http://e/p> _:b .\n_:b <http://e/p> _:c .\n_:c <http://e/p> _:d .\n_:d <http://e/p> _:e .\n_:e <http://e/p> _:f .\n_:f <http://e/p> _:a .\n");
        Assert.False(two.IsIsomorphicWith(six));
        var twoRelabelled = Nt("_:q <http://e/p> _:r .\n_:s <http://e/p> _:t .\n_:r <http://e/p> _:w .\n_:w <http://e/p> _:q .\n_:t <http://e/p> _:u .\n_:u <http://e/p> _:s .\n");
        Assert.True(two.IsIsomorphicWith(twoRelabelled));
    }

    [Fact]
    public void Ground_triples_must_match_exactly()
    {
        var a = Nt("<http://e/s> <http://e/p> <http://e/o> .\n");
        var b = Nt("<http://e/s> <http://e/p> <http://e/O> .\n");
        Assert.False(a.IsIsomorphicWith(b));
        Assert.True(a.IsIsomorphicWith(Nt("<http://e/s> <http://e/p> <http://e/o> .\n")));
    }
}
