using System.Xml;
using BenchmarkDotNet.Attributes;
using FlexCoop.Iec61850.Model;
using FlexCoop.Iec61850.Scl;

namespace FlexCoop.Bench;

/// <summary>
/// Reading SCL: the baseline is a bare XmlReader pass over the same text with the same settings (the
/// cost of tokenising the XML at all); then parsing into records, then resolving into the instance
/// tree with the 8-1 functional view and MMS index built.
/// Run: dotnet run -c Release --project bench/FlexCoop.Bench -- --filter '*Scl*' --job short
/// </summary>
[MemoryDiagnoser]
public class SclReadBenchmarks
{
    private string _xml = "";

    /// <summary><c>der-unit</c>: the example DER model (23 KB, 459 attributes); <c>generated-10000</c>: 10,000 attributes.</summary>
    [Params("der-unit", "generated-10000")]
    public string Model { get; set; } = "";

    [GlobalSetup]
    public void Setup() =>
        _xml = Model == "der-unit" ? File.ReadAllText(FindRepoFile("schemas/iec61850/der-unit.cid")) : SclModelGenerator.Generate(10_000);

    [Benchmark(Baseline = true)]
    public int XmlReaderPass()
    {
        using var reader = XmlReader.Create(new StringReader(_xml), new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreWhitespace = true,
        });
        var attributes = 0;
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element) attributes += reader.AttributeCount;
        }
        return attributes;
    }

    [Benchmark]
    public SclDocument Parse() => SclDocument.Parse(_xml);

    [Benchmark]
    public IedModel ParseAndResolve() => SclResolver.Resolve(SclDocument.Parse(_xml)).Ieds[0];

    [Benchmark]
    public FcNode? ParseResolveAndIndexForMms()
    {
        var model = SclResolver.Resolve(SclDocument.Parse(_xml)).Ieds[0];
        FcNode? last = null;
        foreach (var ld in model.LogicalDevices) last = ld.FindMmsVariable("LLN0$ST$Beh$stVal") ?? last;
        return last;
    }

    internal static string FindRepoFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"{relative} not found above {AppContext.BaseDirectory}");
    }
}

/// <summary>
/// Finding one attribute in a resolved 10,000-attribute model, as an MMS read does: by ACSI
/// reference and FC (the baseline) and by MMS domain and item id.
/// </summary>
[MemoryDiagnoser]
public class SclLookupBenchmarks
{
    private IedModel _model = null!;
    private LogicalDevice _ld = null!;

    [GlobalSetup]
    public void Setup()
    {
        _model = SclResolver.Resolve(SclDocument.Parse(SclModelGenerator.Generate(10_000))).Ieds[0];
        _ld = _model.FindLogicalDevice("GENLD2")!;
        _ = _ld.FindMmsVariable("GGIO25$MX$AnIn3$mag$f");
    }

    [Benchmark(Baseline = true)]
    public DataAttribute? FindAttributeByReference() => _model.FindAttribute("GENLD2/GGIO25.AnIn3.mag.f", FunctionalConstraint.MX);

    [Benchmark]
    public FcNode? FindMmsVariable() => _ld.FindMmsVariable("GGIO25$MX$AnIn3$mag$f");
}
