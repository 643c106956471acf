using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Iec61850.Mms.Server;
using FlexCoop.Iec61850.Model;
using FlexCoop.Iec61850.Scl;

namespace FlexCoop.Iec61850.Tests.Mms;

/// <summary>
/// The compact variable store: components found by walking the types, names listed in GetNameList order without
/// an index of every name, read handlers and values shared by every handle of one name.
/// </summary>
public sealed class MmsVmdStoreTests
{
    private static MmsStructureType Struct(params (string Name, MmsTypeDescription Type)[] components) =>
        new(components.Select(c => new MmsComponent(c.Name, c.Type)).ToArray());

    private static readonly MmsTypeDescription Leaf = MmsBooleanType.Instance;

    /// <summary>Names that are prefixes of each other and differ in '$', digits, '_' and case: the order traps.</summary>
    private static MmsDomain TrickyDomain()
    {
        var domain = new MmsVmd().AddDomain("LD");
        domain.AddVariable("A", Struct(("B", Struct(("c", Leaf), ("C", Leaf), ("C1", Leaf))), ("B1", Leaf), ("_x", Leaf), ("B_", Struct(("z", Leaf)))));
        domain.AddVariable("A1", Struct(("a", Leaf)));
        domain.AddVariable("AB", Leaf);
        domain.AddVariable("a", Struct(("A", Leaf)));
        domain.AddVariable("A_", Leaf);
        return domain;
    }

    private static List<string> AllNames(string name, MmsTypeDescription type)
    {
        var names = new List<string> { name };
        if (type is MmsStructureType s)
        {
            foreach (var c in s.Components) names.AddRange(AllNames(name + "$" + c.Name, c.Type));
        }
        return names;
    }

    [Fact]
    public void Names_are_every_variable_and_component_in_ordinal_order()
    {
        var domain = TrickyDomain();
        var expected = new[] { "A", "A1", "AB", "A_", "a" }.SelectMany(n => AllNames(n, domain.Find(n)!.Type)).ToArray();
        Array.Sort(expected, StringComparer.Ordinal);
        Assert.Equal(expected, domain.Names);
        Assert.Equal(expected.Length, domain.NameCount);
        Assert.Equal(5, domain.VariableCount);
    }

    [Fact]
    public void Names_after_a_name_or_a_non_name_continue_exactly_where_a_sorted_list_would()
    {
        var domain = TrickyDomain();
        var all = domain.Names;
        string[] probes = [.. all, "", "A$", "A$B$", "A$B$C0", "A0", "AA", "Z", "b", "zzz", "A$B1$x", "A_$q"];
        foreach (var after in probes)
        {
            var expected = all.Where(n => string.CompareOrdinal(n, after) > 0).ToArray();
            Assert.Equal(expected, domain.NamesAfter(after).ToArray());
        }
    }

    [Fact]
    public void Names_after_match_the_sorted_list_for_random_structures()
    {
        const string alphabet = "AB_1a";
        var random = new Random(61850);
        string Name() => new(Enumerable.Range(0, random.Next(1, 4)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
        MmsTypeDescription Type(int depth) => depth >= 3 || random.Next(3) == 0
            ? Leaf
            : new MmsStructureType(Enumerable.Range(0, random.Next(1, 5)).Select(_ => Name()).Distinct().Select(n => new MmsComponent(n, Type(depth + 1))).ToArray());
        for (var round = 0; round < 300; round++)
        {
            var domain = new MmsVmd().AddDomain("LD");
            foreach (var n in Enumerable.Range(0, random.Next(1, 6)).Select(_ => Name()).Distinct()) domain.AddVariable(n, Type(0));
            var all = domain.Names;
            var sorted = all.ToArray();
            Array.Sort(sorted, StringComparer.Ordinal);
            Assert.Equal(sorted, all);
            foreach (var after in all.Take(5).Append(Name()).Append(all[^1] + "$").Append(all[random.Next(all.Count)] + "$"))
            {
                Assert.Equal(all.Where(n => string.CompareOrdinal(n, after) > 0), domain.NamesAfter(after));
            }
        }
    }

    [Fact]
    public void Find_walks_components_and_refuses_what_the_type_does_not_have()
    {
        var domain = TrickyDomain();
        Assert.Same(Leaf, domain.Find("A$B$C1")!.Type);
        Assert.Equal("A$B$C1", domain.Find("A$B$C1")!.ItemId);
        Assert.Null(domain.Find("A$B$C2"));
        Assert.Null(domain.Find("A$B1$x"));
        Assert.Null(domain.Find("A$"));
        Assert.Null(domain.Find("Q"));
        Assert.Null(domain.Find("A$$B"));
        Assert.Equal(["A$B$c", "A$B$C", "A$B$C1"], domain.Find("A$B")!.Children.Select(c => c.ItemId));
    }

    [Fact]
    public void Handles_of_one_name_share_the_value_and_the_read_handler()
    {
        var domain = TrickyDomain();
        domain.Vmd.SetValue("LD", "A$B$C", new MmsBoolean(true));
        Assert.Equal(new MmsBoolean(true), domain.Find("A$B$C")!.Read());
        Assert.Equal(new MmsBoolean(false), domain.Find("A$B$c")!.Read());
        Assert.Equal(new MmsBoolean(true), ((MmsStructure)domain.Find("A$B")!.Read()).Components[1]);
        domain.Find("AB")!.ReadHandler = _ => AccessResult.Failure(DataAccessError.ObjectAccessDenied);
        Assert.NotNull(domain.Find("AB")!.ReadHandler);
        Assert.Null(domain.Find("A")!.ReadHandler);
    }

    [Fact]
    public void A_structure_with_a_component_name_twice_is_refused()
    {
        var domain = new MmsVmd().AddDomain("LD");
        Assert.Throws<ArgumentException>(() => domain.AddVariable("X", Struct(("a", Leaf), ("a", Leaf))));
        domain.AddVariable("Y", Leaf);
        Assert.Throws<ArgumentException>(() => domain.AddVariable("Y", Leaf));
    }

    [Fact]
    public void Served_model_lists_every_functional_view_name_of_the_der_model()
    {
        var model = Iec61850MappingTests.LoadDerModel();
        var vmd = Iec61850MmsMapping.BuildVmd(model);
        foreach (var ld in model.LogicalDevices)
        {
            var expected = ld.LogicalNodes.SelectMany(ln => ln.FunctionalView.Count == 0 ? [] : new[] { ln.Name }.Concat(ln.FunctionalView.SelectMany(g => Flatten(g.MmsItemId, g.Members))))
                .Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(expected, vmd.FindDomain(ld.MmsDomainName)!.Names);
        }

        // An array is one MMS name: its elements are not named components.
        static IEnumerable<string> Flatten(string id, IReadOnlyList<FcNode> nodes) =>
            new[] { id }.Concat(nodes.SelectMany(n => n.Node is DataAttribute { Count: > 0 } or DataObject { Count: > 0 } ? [n.MmsItemId] : Flatten(n.MmsItemId, n.Children)));
    }
    [Fact]
    public void Logical_nodes_of_one_type_share_type_and_initial_value_but_not_later_writes()
    {
        var model = SclResolver.Resolve(SclDocument.Parse(SclModelGenerator.Generate(2_000))).Ieds[0];
        var vmd = Iec61850MmsMapping.BuildVmd(model);
        var domain = vmd.Domains[0];
        var first = domain.Find("GGIO1")!;
        var second = domain.Find("GGIO2")!;
        Assert.Same(first.Type, second.Type);
        Assert.Same(first.Read(), second.Read());

        vmd.SetValue(domain.Name, "GGIO1$MX$AnIn1$mag$f", new MmsFloat32(42f));
        Assert.Equal(new MmsFloat32(42f), domain.Find("GGIO1$MX$AnIn1$mag$f")!.Read());
        Assert.Equal(new MmsFloat32(0f), domain.Find("GGIO2$MX$AnIn1$mag$f")!.Read());
        Assert.NotSame(first.Read(), second.Read());
    }
}
