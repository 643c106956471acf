using System.Text.Json;
using System.Text.Json.Serialization;
using FlexCoop.Saref.Rdf;
using FlexCoop.Testing;
using static FlexCoop.Saref.SarefVocabulary;

namespace FlexCoop.Saref.Tests;

public sealed class SarefGraphTests
{
    private static readonly JsonSerializerOptions Canonical = new() { Converters = { new JsonStringEnumConverter() } };

    /// <summary>Records hold lists, which compare by reference: compare the models as JSON instead.</summary>
    private static string Snapshot(HomeDescription home) => JsonSerializer.Serialize(home, Canonical);

    [Fact]
    public void Example_home_survives_model_to_turtle_to_model()
    {
        var home = Vectors.Home42();
        var turtle = TurtleWriter.Write(SarefGraphBuilder.Build(home));
        var back = SarefGraphReader.ReadHome(TurtleReader.Parse(turtle), home.Iri);
        Assert.Equal(Snapshot(home), Snapshot(back));
    }

    [Fact]
    public void Example_home_survives_model_to_ntriples_to_model()
    {
        var home = Vectors.Home42();
        var nt = NTriplesWriter.Write(SarefGraphBuilder.Build(home));
        Assert.Equal(Snapshot(home), Snapshot(SarefGraphReader.ReadHome(NTriplesReader.Parse(nt), home.Iri)));
    }

    [Fact]
    public void Turtle_and_ntriples_of_the_example_are_isomorphic_to_the_built_graph()
    {
        var graph = SarefGraphBuilder.Build(Vectors.Home42());
        Assert.True(graph.IsIsomorphicWith(TurtleReader.Parse(TurtleWriter.Write(graph))));
        Assert.True(graph.IsIsomorphicWith(NTriplesReader.Parse(NTriplesWriter.Write(graph))));
    }

    [Fact]
    public void Heat_pump_is_hvac_and_s4ener_device_with_typed_power_values()
    {
        var graph = SarefGraphBuilder.Build(Vectors.Home42());
        var hp = new RdfIri("https://coop.example/homes/42/devices/heat-pump");
        var types = graph.Objects(hp, RdfVocabulary.RdfType).ToList();
        Assert.Contains(Core.HVAC, types);
        Assert.Contains(Ener.Device, types);
        Assert.Contains(graph.Triples, t => t.Subject == hp && t.Predicate == Core.Accomplishes && t.Object == Core.Comfort);
        var slot1 = new RdfIri("https://coop.example/homes/42/devices/heat-pump/power-profile/groups/1/sequences/1/slots/1");
        var powerMax = graph.Objects(slot1, Ener.HasPowerValueType).Single(p => graph.Objects(p, RdfVocabulary.RdfType).Contains(Ener.PowerMax));
        var measurement = graph.Objects(powerMax, Core.RelatesToMeasurement).Single();
        Assert.Equal(RdfLiteral.Decimal(3500m), graph.Objects(measurement, Core.HasValue).Single());
        Assert.Equal(Om.Watt, graph.Objects(measurement, Core.IsMeasuredIn).Single());
        var sequence = new RdfIri("https://coop.example/homes/42/devices/heat-pump/power-profile/groups/1/sequences/1");
        Assert.Contains(graph.Triples, t => t.Subject == sequence && t.Predicate == Core.HasState && t.Object == Ener.Scheduled);
    }

    [Fact]
    public async Task Every_saref_and_s4ener_term_we_emit_is_declared_in_the_ontology_files()
    {
        var dir = TestEnvironment.RequireShared("ontologies/saref");
        var ontology = await SarefOntology.LoadDirectoryAsync(dir, TestContext.Current.CancellationToken);
        Assert.Contains("https://saref.etsi.org/core/", ontology.Namespaces);
        Assert.Contains("https://saref.etsi.org/saref4ener/", ontology.Namespaces);
        var graph = SarefGraphBuilder.Build(Vectors.Home42());
        Assert.Empty(ontology.FindUnknownTerms(graph));
        // and every constant of the 3.1.1 / 1.1.2 vocabulary classes names a declared term
        foreach (var type in new[] { typeof(Core), typeof(Ener) })
        {
            foreach (var field in type.GetFields())
            {
                var iri = (RdfIri)field.GetValue(null)!;
                Assert.True(ontology.Declares(iri.Value), $"{type.Name}.{field.Name} = {iri.Value} is not in the ontology files");
            }
        }
    }

    [Fact]
    public async Task Saref4_observation_terms_are_reported_unknown_against_saref_3_1_1()
    {
        var dir = TestEnvironment.RequireShared("ontologies/saref");
        var ontology = await SarefOntology.LoadDirectoryAsync(dir, TestContext.Current.CancellationToken);
        var graph = SarefGraphBuilder.Build(Vectors.Home42(), new SarefGraphOptions { IncludeSaref4Terms = true });
        var unknown = ontology.FindUnknownTerms(graph).Select(u => u.Iri).Order(StringComparer.Ordinal).ToList();
        Assert.Equal([Core4.Observation.Value, Core4.HasResultTime.Value, Core4.Observes.Value], unknown);
        foreach (var field in typeof(Core4).GetFields().Concat(typeof(Ener2).GetFields()))
        {
            Assert.False(ontology.Declares(((RdfIri)field.GetValue(null)!).Value), field.Name + " is flagged as a later-version term but is declared");
        }
    }

    [Fact]
    public void Homes_are_found_in_a_graph_and_units_carry_their_saref_unit_class()
    {
        var graph = SarefGraphBuilder.Build(Vectors.Home42());
        Assert.Equal(["https://coop.example/homes/42/"], SarefGraphReader.FindHomes(graph));
        Assert.Contains(new RdfTriple(Om.Watt, RdfVocabulary.RdfType, Core.PowerUnit), graph.Triples);
        Assert.Contains(new RdfTriple(Om.DegreeCelsius, RdfVocabulary.RdfType, Core.TemperatureUnit), graph.Triples);
        Assert.Contains(new RdfTriple(Om.Percent, RdfVocabulary.RdfType, Core.UnitOfMeasure), graph.Triples);
    }

    [Fact]
    public void Duplicate_device_ids_and_bad_home_iris_are_refused_by_the_builder()
    {
        var device = new DeviceDescription { Id = "a" };
        Assert.Throws<ArgumentException>(() => SarefGraphBuilder.Build(new HomeDescription { Iri = "https://h.example/", Devices = [device, device] }));
        Assert.Throws<ArgumentException>(() => SarefGraphBuilder.Build(new HomeDescription { Iri = "https://h.example/x", Devices = [device] }));
    }
}
