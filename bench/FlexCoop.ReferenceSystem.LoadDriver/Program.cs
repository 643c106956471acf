using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using FlexCoop.Osb.Agent;
using FlexCoop.ReferenceSystem.LoadDriver;
using Microsoft.Extensions.Logging;

// Load run of the reference system: N simulated homes (Open Smart Boxes, this process) against one
// or more `flexcoop serve` nodes (other processes), measuring what issue #9 asks:
//   - enrolment + registration time of all homes (token, CSR, certificate, oadrCreatePartyRegistration, oadrRegisterReport);
//   - registry freshness: the fraction of DERs whose home was heard and whose status was reported
//     within two poll periods (GET /api/registry/summary), and the worst lag;
//   - poll latency as the homes see it (p50, p99, max of every oadrPoll round trip, from the
//     System.Net.Http activities of this process);
//   - serve's resident and managed memory (GET /api/node of each node).
//
// Either against nodes already running (their data directory gives ca.crt and the demo secrets):
//   flexcoop serve --demo --demo-homes 0 --data /tmp/coop --log-level warning &
//   dotnet run -c Release --project bench/FlexCoop.ReferenceSystem.LoadDriver -- --middleware https://127.0.0.1:8443 --data /tmp/coop --homes 1000
// or starting them itself (--serve PATH/flexcoop.dll; --nodes 2 with --postgres and --mqtt):
//   dotnet run -c Release --project bench/FlexCoop.ReferenceSystem.LoadDriver -- --serve cli/FlexCoop.Cli/bin/Release/net10.0/flexcoop.dll --homes 1000
//   ... --serve ... --nodes 2 --postgres "Host=127.0.0.1;Username=...;Password=...;Database=..." --mqtt mqtt://127.0.0.1:1883 --homes 1000

var a = new Args(args);
if (a.Has("--help"))
{
    Console.WriteLine("""
        FlexCoop.ReferenceSystem.LoadDriver: N simulated homes against flexcoop serve node(s).
          --homes N               homes to simulate (default 1000)
          --poll-period ISO       poll period of the nodes (default PT60S; passed to the nodes started with --serve; with
                                  --middleware give the period the nodes were started with). Serve asks
                                  the homes for TELEMETRY_USAGE and TELEMETRY_STATUS at the same period, and the freshness
                                  target is two of them. OpenADR VENs commonly poll every 1 to 5 minutes; one minute keeps
                                  the registry's status at most two minutes old with 3 requests per home per minute
          --seconds S             measured steady-state time after the warm-up (default: three poll periods, at least 60)
          --warmup S              seconds between the last home registered and the measurement (default: three poll periods)
          --concurrency K         homes enrolling and registering at once (default 32; 64 for 10,000 homes)
          --seed S                seed of the generated homes (default 1)
          --out FILE              also write the figures as JSON
        Nodes already running:
          --middleware URL        a node (repeatable: homes are split across the nodes)
          --data DIR              the data directory of a node (ca.crt, osb-enrolment.secret, aggregator.password)
        Nodes started by the driver:
          --serve DLL             the built flexcoop.dll (cli/FlexCoop.Cli/bin/Release/net10.0/flexcoop.dll)
          --nodes K               how many nodes (default 1; more need --postgres and --mqtt)
          --postgres CONN         PostgreSQL connection string for the nodes (a fresh schema prefix each run)
          --mqtt URL              MQTT broker for the nodes' bus
          --sqlite-synchronous M  passed to serve: full (its default) or normal (needed for thousands of homes on SQLite)
          --serve-env NAME=VALUE  an environment variable for the nodes started (repeatable), e.g. DOTNET_TieredPGO=0
        Targets (exit code 1 when one is missed): every DER current within two poll periods in every sample
        (fraction 1.0, worst lag <= 2 poll periods), p99 poll latency <= --p99-target-ms (default 1000).
        """);
    return 0;
}
var homes = a.Int("--homes", 1000);
var pollPeriod = System.Xml.XmlConvert.ToTimeSpan(a.Str("--poll-period") ?? "PT60S");
var seconds = a.Int("--seconds", Math.Max(60, (int)Math.Ceiling(pollPeriod.TotalSeconds * 3)));
var warmup = TimeSpan.FromSeconds(a.Int("--warmup", (int)Math.Ceiling(pollPeriod.TotalSeconds * 3)));
var concurrency = a.Int("--concurrency", 32);
var seed = a.Int("--seed", 1);
var p99Target = a.Int("--p99-target-ms", 1000);
var output = a.Str("--out");

// Every home holds a connection to its node: thousands of descriptors in this process and in the nodes.
OpenFileLimit.RaiseToHardLimit();
await using var nodes = new NodeSet();
if (a.Str("--serve") is { } dll)
{
    var environment = a.All("--serve-env").Select(e => e.Split('=', 2) is [var name, var value] && name.Length > 0
        ? (name, value) : throw new ArgumentException($"--serve-env takes NAME=VALUE, not '{e}'")).ToList();
    await nodes.SpawnAsync(dll, a.Int("--nodes", 1), pollPeriod, a.Str("--postgres"), a.Str("--mqtt"), a.Str("--sqlite-synchronous"), environment);
}
else
{
    var urls = a.All("--middleware");
    var data = a.Str("--data") ?? throw new ArgumentException("give --middleware URL --data DIR, or --serve DLL");
    if (urls.Count == 0) throw new ArgumentException("give --middleware URL (repeatable)");
    nodes.Attach(urls.Select(u => new Uri(u)).ToList(), data);
}

var ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(nodes.DataDirectory, "ca.crt"));
var enrolmentSecret = (await File.ReadAllTextAsync(Path.Combine(nodes.DataDirectory, "osb-enrolment.secret"))).Trim();
var aggregatorPassword = (await File.ReadAllTextAsync(Path.Combine(nodes.DataDirectory, "aggregator.password"))).Trim();
using var api = new NodeApiClient(ca);
var token = await api.TokenAsync(nodes.Urls[0], aggregatorPassword);

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"load run: {homes} homes against {nodes.Urls.Count} node(s) [{string.Join(", ", nodes.Urls)}], poll period {pollPeriod.TotalSeconds} s, {Environment.ProcessorCount} cores"));

using var latency = new PollLatencyRecorder();
using var logs = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Error));

// Enrolment and registration: every home, split across the nodes, as fast as --concurrency allows.
var perNode = Enumerable.Range(0, nodes.Urls.Count).Select(k => homes / nodes.Urls.Count + (k < homes % nodes.Urls.Count ? 1 : 0)).ToList();
async Task<TimeSpan> ServeCpuAsync()
{
    var total = TimeSpan.Zero;
    foreach (var url in nodes.Urls) total += (await api.NodeAsync(url, token)).CpuTime;
    return total;
}
var cpuBeforeStart = await ServeCpuAsync();
var startWatch = Stopwatch.StartNew();
// One line every 30 s while homes start (10,000 homes take many minutes): how many, and serve's CPU so far.
var startedPerNode = nodes.Urls.Select(_ => new StartCounter()).ToList();
using var startReport = new CancellationTokenSource();
var startReporter = Task.Run(async () =>
{
    using var timer = new PeriodicTimer(TimeSpan.FromSeconds(30));
    try
    {
        while (await timer.WaitForNextTickAsync(startReport.Token))
        {
            var started = startedPerNode.Sum(c => c.Value);
            var cpu = await ServeCpuAsync() - cpuBeforeStart;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  t={startWatch.Elapsed.TotalSeconds:0}s {started} of {homes} homes started ({started / startWatch.Elapsed.TotalSeconds:0.0}/s); serve CPU {cpu.TotalSeconds:0} s ({cpu.TotalMilliseconds / Math.Max(1, started):0.0} ms per home so far)"));
        }
    }
    catch (OperationCanceledException)
    {
    }
    catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException)
    {
        Console.WriteLine($"  progress report stopped: {ex.Message}");
    }
});
var simulations = await Task.WhenAll(perNode.Select((count, k) => HomeSimulation.StartAsync(new HomeSimulationOptions
{
    MiddlewareUrl = nodes.Urls[k],
    Homes = count,
    FirstHome = perNode.Take(k).Sum(),
    Seed = seed,
    ClientId = "osb-enrolment",
    ClientSecret = enrolmentSecret,
    CertificateAuthorities = [ca],
    StartSpread = TimeSpan.Zero,
    MaxConcurrentStarts = Math.Max(1, concurrency / nodes.Urls.Count),
    LoggerFactory = logs,
    StartProgress = startedPerNode[k],
})));
var startTime = startWatch.Elapsed;
await startReport.CancelAsync();
await startReporter;
var cpuAfterStart = await ServeCpuAsync();
var running = simulations.Sum(s => s.Running);
var expectedDers = simulations.Sum(s => s.Boxes.Where(b => b is not null).Sum(b => b!.Devices.Devices.Count));
var failures = simulations.SelectMany(s => s.Failures).ToList();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"enrolment + registration: {running} of {homes} homes in {startTime.TotalSeconds:0.0} s ({running / startTime.TotalSeconds:0.0} homes/s); {expectedDers} DERs"));
foreach (var (homeId, why) in failures.Take(10)) Console.WriteLine($"  {homeId} failed: {why}");
foreach (var line in latency.ByPath()) Console.WriteLine("  " + line);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  serve CPU: {(cpuAfterStart - cpuBeforeStart).TotalMilliseconds / Math.Max(1, running):0.0} ms per home enrolled and registered"));

await Task.Delay(warmup);
latency.Reset();
var cpuBeforeMeasure = await ServeCpuAsync();

var samples = new List<FreshnessSample>();
var memory = new List<NodeMemorySample>();
var measureWatch = Stopwatch.StartNew();
while (measureWatch.Elapsed < TimeSpan.FromSeconds(seconds))
{
    await Task.Delay(pollPeriod);
    var sampleAt = DateTimeOffset.UtcNow;
    var summary = await api.SummaryAsync(nodes.Urls[0], token, pollPeriod * 2);
    var sample = FreshnessSample.From(summary, expectedDers, sampleAt);
    samples.Add(sample);
    foreach (var url in nodes.Urls)
    {
        var node = await api.NodeAsync(url, token);
        memory.Add(new NodeMemorySample(url.ToString(), node.WorkingSetBytes, node.ManagedHeapBytes, node.CpuTime));
    }
    var polls = latency.Snapshot();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  t={measureWatch.Elapsed.TotalSeconds:0}s current {sample.Fraction:P2} ({summary.Current}/{expectedDers}), online {summary.Online}, timed out {summary.TimedOut}, worst lag {sample.WorstLag.TotalSeconds:0.0} s; polls {polls.Count} p50 {polls.P50Ms:0.0} ms p99 {polls.P99Ms:0.0} ms; serve RSS {string.Join(" / ", memory.TakeLast(nodes.Urls.Count).Select(m => $"{m.WorkingSetBytes / 1048576.0:0} MB"))}"));
}

var cpuMeasured = await ServeCpuAsync() - cpuBeforeMeasure;
var measuredRequests = latency.Snapshot() is { } counted ? counted.Count + counted.OtherRequests : 0;
using var self = Process.GetCurrentProcess();
Console.WriteLine("requests while measured:");
foreach (var line in latency.ByPath()) Console.WriteLine("  " + line);
var result = new LoadRunResult
{
    Homes = homes,
    Nodes = nodes.Urls.Count,
    Store = nodes.StoreName,
    PollPeriodSeconds = pollPeriod.TotalSeconds,
    HomesRunning = running,
    Ders = expectedDers,
    StartFailures = failures.Count,
    EnrolmentSeconds = startTime.TotalSeconds,
    EnrolmentHomesPerSecond = running / startTime.TotalSeconds,
    Polls = latency.Snapshot(),
    MinCurrentFraction = samples.Count == 0 ? 0 : samples.Min(s => s.Fraction),
    MeanCurrentFraction = samples.Count == 0 ? 0 : samples.Average(s => s.Fraction),
    WorstLagSeconds = samples.Count == 0 ? double.NaN : samples.Max(s => s.WorstLag.TotalSeconds),
    ServeMaxWorkingSetMB = memory.GroupBy(m => m.Node).Select(g => g.Max(m => m.WorkingSetBytes) / 1048576.0).ToList(),
    ServeMaxManagedHeapMB = memory.GroupBy(m => m.Node).Select(g => g.Max(m => m.ManagedHeapBytes) / 1048576.0).ToList(),
    SimulatorWorkingSetMB = self.WorkingSet64 / 1048576.0,
    ServeCpuMsPerHomeStarted = (cpuAfterStart - cpuBeforeStart).TotalMilliseconds / Math.Max(1, running),
    ServeCpuMsPerRequest = cpuMeasured.TotalMilliseconds / Math.Max(1, measuredRequests),
    ServeCpuUtilisation = cpuMeasured.TotalSeconds / measureWatch.Elapsed.TotalSeconds,
    Samples = samples,
};
result.Judge(pollPeriod, p99Target);
result.Print();
if (output is not null) await result.WriteAsync(output);

foreach (var s in simulations) await s.DisposeAsync();
return result.Passed ? 0 : 1;
