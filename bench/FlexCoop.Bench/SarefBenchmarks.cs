using BenchmarkDotNet.Attributes;
using FlexCoop.Saref;
using FlexCoop.Saref.Rdf;

namespace FlexCoop.Bench;

/// <summary>
/// Writing the example home (tests/FlexCoop.Saref.Tests/vectors/home-42.json, ~600 triples) in each
/// syntax, against N-Triples (the simplest writer) as the baseline.
/// </summary>
[MemoryDiagnoser]
public class SarefWriteBenchmarks
{
    private RdfGraph graph = null!;

    [GlobalSetup]
    public void Setup() => graph = SarefGraphBuilder.Build(DeviceDescriptionJson.Parse(File.ReadAllText(SarefBenchData.HomeJson)));

    [Benchmark(Baseline = true)]
    public string NTriples() => NTriplesWriter.Write(graph);

    [Benchmark]
    public string Turtle() => TurtleWriter.Write(graph);

    [Benchmark]
    public string JsonLd() => JsonLdWriter.Write(graph);

    [Benchmark]
    public RdfGraph BuildFromModel() => SarefGraphBuilder.Build(DeviceDescriptionJson.Parse(File.ReadAllText(SarefBenchData.HomeJson)));
}

/// <summary>Reading the example home back: Turtle and graph-to-model against N-Triples parsing as the baseline.</summary>
[MemoryDiagnoser]
public class SarefReadBenchmarks
{
    private string ntriples = null!;
    private string turtle = null!;
    private RdfGraph graph = null!;

    [GlobalSetup]
    public void Setup()
    {
        graph = SarefGraphBuilder.Build(DeviceDescriptionJson.Parse(File.ReadAllText(SarefBenchData.HomeJson)));
        ntriples = NTriplesWriter.Write(graph);
        turtle = TurtleWriter.Write(graph);
    }

    [Benchmark(Baseline = true)]
    public RdfGraph ParseNTriples() => NTriplesReader.Parse(ntriples);

    [Benchmark]
    public RdfGraph ParseTurtle() => TurtleReader.Parse(turtle);

    [Benchmark]
    public HomeDescription GraphToModel() => SarefGraphReader.ReadHome(graph, "https://coop.example/homes/42/");

    [Benchmark]
    public bool Isomorphism() => graph.IsIsomorphicWith(NTriplesReader.Parse(ntriples));
}

internal static class SarefBenchData
{
    /// <summary>The example home, found from the current folder or the program's folder, or any folder above them.</summary>
    public static string HomeJson
    {
        get
        {
            foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            {
                for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                {
                    var candidate = Path.Combine(dir.FullName, "tests", "FlexCoop.Saref.Tests", "vectors", "home-42.json");
                    if (File.Exists(candidate)) return candidate;
                }
            }
            throw new FileNotFoundException("run from the repository: tests/FlexCoop.Saref.Tests/vectors/home-42.json not found");
        }
    }
}
