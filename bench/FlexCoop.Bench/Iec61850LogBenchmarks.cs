using System.Net;
using BenchmarkDotNet.Attributes;
using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Iec61850.Mms.Server;
using FlexCoop.Iec61850.Model;

namespace FlexCoop.Bench;

/// <summary>
/// What logging costs the host: one <see cref="Iec61850Server.SetDataValue"/> of the example DER model's
/// <c>FSCH1.SchdSt.stVal</c>, a member of the data set its log control block logs (an SQLite entry per
/// change, in memory or in a file, with the log at its 10,000-entry capacity so the oldest is purged each
/// time), against the baseline: the same update of <c>LLN0.Health.stVal</c>, which no log records.
/// Run: dotnet run -c Release --project bench/FlexCoop.Bench -- --filter '*Iec61850LogBenchmarks*' --job short --inProcess
/// </summary>
[MemoryDiagnoser]
public class Iec61850LogBenchmarks
{
    private const string Logged = "DER1CTRL/FSCH1.SchdSt.stVal";
    private const string NotLogged = "DER1CTRL/LLN0.Health.stVal";
    private Iec61850Server? _inMemory;
    private Iec61850Server? _file;
    private string _db = "";
    private int _n;

    private static string DerModelPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "schemas", "iec61850", "der-unit.cid");
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException("schemas/iec61850/der-unit.cid not found above " + AppContext.BaseDirectory);
    }

    private static Iec61850Server Start(string? db)
    {
        var model = SclResolver.Load(DerModelPath()).FindIed("DER1")!;
        var server = new Iec61850Server(model, new MmsServerOptions { JournalDatabase = db });
        server.Start(new IPEndPoint(IPAddress.Loopback, 0));
        // Fill the log to its capacity so every further entry also purges the oldest.
        for (var i = 0; i < 10_000; i++) server.SetDataValue(Logged, FunctionalConstraint.ST, new MmsInteger(i % 2 + 10));
        return server;
    }

    [GlobalSetup]
    public void Setup()
    {
        _db = Path.Combine(Path.GetTempPath(), $"flexcoop-bench-log-{Guid.NewGuid():N}.db");
        _inMemory = Start(null);
        _file = Start(_db);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        if (_inMemory is not null) await _inMemory.DisposeAsync();
        if (_file is not null) await _file.DisposeAsync();
        foreach (var f in new[] { _db, _db + "-wal", _db + "-shm" }) File.Delete(f);
    }

    private MmsInteger Next() => new(++_n % 2 + 10);

    [Benchmark(Baseline = true)]
    public void UpdateNotLogged() => _inMemory!.SetDataValue(NotLogged, FunctionalConstraint.ST, Next());

    [Benchmark]
    public void UpdateLoggedInMemory() => _inMemory!.SetDataValue(Logged, FunctionalConstraint.ST, Next());

    [Benchmark]
    public void UpdateLoggedToFile() => _file!.SetDataValue(Logged, FunctionalConstraint.ST, Next());
}
