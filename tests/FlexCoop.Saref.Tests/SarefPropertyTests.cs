using System.Text.Json;
using System.Text.Json.Serialization;
using CsCheck;
using FlexCoop.Saref.Rdf;
using FlexCoop.Saref.Tests.Rdf;

namespace FlexCoop.Saref.Tests;

public sealed class SarefPropertyTests
{
    private static readonly JsonSerializerOptions Canonical = new() { Converters = { new JsonStringEnumConverter() } };

    private static Gen<T?> Opt<T>(Gen<T> gen) where T : struct =>
        Gen.Int[0, 2].SelectMany(n => n == 0 ? Gen.Const((T?)null) : gen.Select(x => (T?)x));

    private static readonly Gen<decimal> Value = Gen.Int[-100_000_000, 100_000_000].Select(Gen.Int[0, 3], (n, scale) => n / (decimal)Math.Pow(10, scale) / 1.0000000000000000000000000000m);

    private static readonly Gen<DateTimeOffset> Instant = Gen.Select(Gen.Long[0, 3_000_000_000], Gen.Int[-12, 14])
        .Select((seconds, hours) => new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(seconds).ToOffset(TimeSpan.FromHours(hours)));

    private static readonly Gen<TimeSpan> Span = Gen.Long[0, 10_000_000].Select(s => TimeSpan.FromSeconds(s));

    private static readonly Gen<Unit> MeasuredUnit = Gen.Enum<Unit>().Where(u => u != Unit.None);

    // Controlled properties are always named (prefix "c-"), so they never share an IRI with a measured one.
    private static Gen<List<PropertyDescription>> Properties(string prefix, bool alwaysNamed = false) =>
        Gen.Select(Gen.Enum<PropertyKind>(), Gen.Bool, Opt(MeasuredUnit)).List[0, 4]
            .Select(list => list.Select((p, i) => new PropertyDescription(p.Item1, p.Item2 || alwaysNamed ? $"{prefix}{i}{(i % 2 == 0 ? " x/y" : "")}" : null, p.Item3)).ToList())
            .Select(list => list.GroupBy(p => p.Name ?? SarefIris.KindName(p.Kind)).Select(g => g.First()).ToList());

    private static readonly Gen<Slot> SlotGen = Gen.Select(Opt(Span), Opt(Span), Opt(Value), Opt(Value), Opt(Value))
        .Select((d, dmax, pmin, pmax, e) => new Slot { Number = 0, Duration = d, MaxDuration = dmax, MinPowerW = pmin, MaxPowerW = pmax, ExpectedEnergyWh = e });

    private static readonly Gen<PowerSequence> SequenceGen = Gen.Select(Gen.Enum<PowerSequenceState>(), Gen.Bool, Opt(Gen.Bool), Opt(Instant), Opt(Instant), SlotGen.List[1, 3])
        .Select((state, remote, pausable, es, le, slots) => new PowerSequence
        {
            Id = 0, State = state, RemoteControllable = remote, Pausable = pausable, EarliestStart = es, LatestEnd = le,
            Slots = slots.Select((s, i) => s with { Number = (uint)i + 1 }).ToList(),
        });

    private static readonly Gen<PowerProfile> ProfileGen = Gen.Select(Gen.Bool, Gen.Bool, SequenceGen.List[1, 3].List[0, 3])
        .Select((remote, reselect, groups) => new PowerProfile
        {
            NodeRemoteControllable = remote,
            SupportsReselection = reselect,
            AlternativesGroups = groups.Select((g, i) => new AlternativesGroup
            {
                Id = (uint)i + 10,
                Sequences = g.Select((s, j) => s with { Id = (uint)j + 1 }).ToList(),
            }).ToList(),
        });

    private static readonly Gen<DeviceDescription> DeviceGen = Gen.Select(
            Gen.Select(Gen.Enum<DeviceCategory>(), RdfGen.NastyString.Null(), RdfGen.NastyString.Null(), Properties("m-"), Properties("c-", alwaysNamed: true)),
            Gen.Select(Gen.Enum<FunctionKind>().HashSet[0, 4], Opt(Gen.Enum<DeviceState>()), Opt(Value), ProfileGen.Null(), Opt(Instant)))
        .Select((a, b) =>
        {
            var (category, label, location, measures, controls) = a;
            var (functions, state, maxPower, profile, timestamp) = b;
            return new DeviceDescription
            {
                Id = "d",
                Category = category,
                Label = label,
                Location = location,
                Measures = measures,
                Controls = controls,
                Functions = functions.ToList(),
                State = state,
                Limits = maxPower is null ? null : new PowerLimits { MaxPowerW = maxPower },
                Measurements = measures.Take(1).Select(p => new MeasurementValue(p.Kind, maxPower ?? 1m, Unit.Watt, timestamp)).ToList(),
                PowerProfile = profile,
            };
        });

    private static readonly Gen<HomeDescription> HomeGen = Gen.Select(RdfGen.NastyString.Null(), DeviceGen.List[0, 4])
        .Select((label, devices) => new HomeDescription
        {
            Iri = "https://coop.example/homes/h/",
            Label = label,
            Devices = devices.Select((d, i) => d with { Id = "dev-" + i }).ToList(),
        });

    [Fact]
    public void Random_home_survives_model_to_turtle_to_model_and_to_jsonld()
    {
        HomeGen.Sample(home =>
        {
            var graph = SarefGraphBuilder.Build(home);
            var turtle = TurtleWriter.Write(graph);
            var back = SarefGraphReader.ReadHome(TurtleReader.Parse(turtle), home.Iri);
            Assert.Equal(JsonSerializer.Serialize(home, Canonical), JsonSerializer.Serialize(back, Canonical));
            using var _ = JsonDocument.Parse(JsonLdWriter.Write(graph));
        }, iter: 150);
    }

    [Fact]
    public void Mutated_json_descriptions_fail_only_with_mapping_errors()
    {
        var json = Vectors.Read("home-42.json");
        Gen.Select(Gen.Int[0, json.Length - 1], Gen.Char, Gen.Int[0, 2]).Sample((at, c, mode) =>
        {
            var mutated = mode switch
            {
                0 => json.Remove(at, 1).Insert(at, c.ToString()),
                1 => json[..at],
                _ => json.Insert(at, c.ToString()),
            };
            try
            {
                SarefGraphBuilder.Build(DeviceDescriptionJson.Parse(mutated));
            }
            catch (SarefMappingException)
            {
            }
        }, iter: 1000);
    }

    [Fact]
    public void Mutated_register_reports_fail_only_with_mapping_errors()
    {
        var xml = Vectors.Read("ven-register-report.xml");
        Gen.Select(Gen.Int[0, xml.Length - 1], Gen.Char["<>&\"x/ \u0000"]).Sample((at, c) =>
        {
            try
            {
                SarefGraphBuilder.Build(OpenAdrReportMapping.FromXml(xml.Remove(at, 1).Insert(at, c.ToString())));
            }
            catch (SarefMappingException)
            {
            }
        }, iter: 500);
    }
}
