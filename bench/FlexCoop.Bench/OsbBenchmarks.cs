using BenchmarkDotNet.Attributes;
using FlexCoop.Osb.Home;
using FlexCoop.Osb.Simulation;

namespace FlexCoop.Bench;

/// <summary>
/// One minute of simulation for 10,000 generated homes (every device's physics: building, heat pump,
/// tank, EV, PV with sun position and clouds, battery, lights, base load), against a baseline that
/// steps only the 10,000 homes' building thermal models (the least a home simulation does).
/// Homes simulated per second of CPU = 10,000 / mean of <see cref="StepHomesOneMinute"/>.
/// Run: dotnet run -c Release --project bench/FlexCoop.Bench -- --filter '*OsbSimulationBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class OsbSimulationBenchmarks
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 1, 15, 0, 0, 0, TimeSpan.Zero));
    private SimulatedHome[] _homes = [];
    private IBuildingThermalModel[] _buildings = [];

    [Params(10_000)]
    public int Homes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var definitions = Enumerable.Range(0, Homes).Select(i => HomeGenerator.Generate(1, i)).ToList();
        _homes = definitions.Select(h => new SimulatedHome(h, _clock)).ToArray();
        _buildings = definitions.Select(h => ThermalModel2R2C.For(h.Building)).ToArray();
    }

    [Benchmark(Baseline = true)]
    public double StepBuildingsOneMinute()
    {
        var sum = 0.0;
        foreach (var b in _buildings)
        {
            b.Step(60, 5, 2000);
            sum += b.IndoorTemperatureC;
        }
        return sum;
    }

    [Benchmark]
    public double StepHomesOneMinute()
    {
        _clock.Advance(TimeSpan.FromMinutes(1));
        var sum = 0.0;
        foreach (var h in _homes)
        {
            h.Advance();
            sum += h.NetPowerW;
        }
        return sum;
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
