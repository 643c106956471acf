using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.Security;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using FlexCoop.ReferenceSystem.Hosting;
using FlexCoop.ReferenceSystem.Registry;

namespace FlexCoop.ReferenceSystem.LoadDriver;

/// <summary>Command-line arguments: <c>--name value</c> pairs, repeatable, and bare flags.</summary>
internal sealed class Args(string[] args)
{
    public bool Has(string name) => args.Contains(name, StringComparer.Ordinal);

    public IReadOnlyList<string> All(string name) =>
        args.Select((v, i) => (v, i)).Where(x => x.v == name && x.i + 1 < args.Length).Select(x => args[x.i + 1]).ToList();

    public string? Str(string name) => All(name) is { Count: > 0 } values ? values[^1] : null;

    public int Int(string name, int fallback) => Str(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
}

/// <summary>The serve nodes of the run: attached to (already running) or started as child processes and stopped at the end.</summary>
internal sealed class NodeSet : IAsyncDisposable
{
    private readonly List<Process> _processes = [];
    private readonly List<string> _ownedDirectories = [];

    public IReadOnlyList<Uri> Urls { get; private set; } = [];

    /// <summary>A node's data directory: ca.crt and the demo secrets.</summary>
    public string DataDirectory { get; private set; } = "";

    public string StoreName { get; private set; } = "SQLite";

    public void Attach(IReadOnlyList<Uri> urls, string dataDirectory)
    {
        Urls = urls;
        DataDirectory = dataDirectory;
        StoreName = urls.Count > 1 ? "PostgreSQL (attached)" : "as started";
    }

    public async Task SpawnAsync(string dll, int count, TimeSpan pollPeriod, string? postgres, string? mqtt, string? sqliteSynchronous,
        IReadOnlyList<(string Name, string Value)> environment)
    {
        if (count < 1) throw new ArgumentException("--nodes is at least 1");
        if (count > 1 && (postgres is null || mqtt is null)) throw new ArgumentException("several nodes need --postgres and --mqtt");
        var prefix = "load" + Guid.NewGuid().ToString("N")[..10];
        StoreName = postgres is null ? $"SQLite (synchronous={sqliteSynchronous ?? "full"})" : "PostgreSQL + MQTT";
        var urls = new List<Uri>();
        for (var k = 0; k < count; k++)
        {
            var dir = Directory.CreateTempSubdirectory("flexcoop-load-node-").FullName;
            _ownedDirectories.Add(dir);
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[] { dll, "serve", "--data", dir, "--urls", "https://127.0.0.1:0", "--demo", "--demo-homes", "0",
                "--poll-period", System.Xml.XmlConvert.ToString(pollPeriod), "--log-level", "warning", "--node-id", $"node-{k + 1}" })
            {
                start.ArgumentList.Add(arg);
            }
            if (postgres is not null)
            {
                foreach (var arg in new[] { "--postgres", postgres, "--schema-prefix", prefix }) start.ArgumentList.Add(arg);
            }
            if (sqliteSynchronous is not null)
            {
                start.ArgumentList.Add("--sqlite-synchronous");
                start.ArgumentList.Add(sqliteSynchronous);
            }
            if (mqtt is not null)
            {
                start.ArgumentList.Add("--mqtt");
                start.ArgumentList.Add(mqtt);
            }
            foreach (var (variable, value) in environment) start.Environment[variable] = value;
            var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start dotnet");
            _processes.Add(process);
            var url = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
            var name = $"node-{k + 1}";
            _ = Task.Run(async () =>
            {
                while (await process.StandardOutput.ReadLineAsync() is { } line)
                {
                    if (line.StartsWith("middleware URL: ", StringComparison.Ordinal)) url.TrySetResult(new Uri(line["middleware URL: ".Length..]));
                }
                url.TrySetException(new InvalidOperationException($"{name} exited with {(process.HasExited ? process.ExitCode : -1)} before serving"));
            });
            _ = Task.Run(async () =>
            {
                while (await process.StandardError.ReadLineAsync() is { } line) Console.Error.WriteLine($"[{name}] {line}");
            });
            // A node on a loaded machine can take minutes to create its schema, CA and keys.
            try
            {
                urls.Add(await url.Task.WaitAsync(TimeSpan.FromMinutes(10)));
            }
            catch (TimeoutException)
            {
                throw new InvalidOperationException($"{name} did not print its URL within 10 minutes");
            }
            if (k == 0) DataDirectory = dir;
            Console.WriteLine($"started {name} (pid {process.Id}) at {urls[^1]}");
        }
        Urls = urls;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                // SIGTERM: serve stops cleanly; killed when it does not within 30 s.
                using var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
                await term.WaitForExitAsync();
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                try
                {
                    await process.WaitForExitAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            process.Dispose();
        }
        foreach (var dir in _ownedDirectories)
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}

/// <summary>How many homes of one simulation have finished starting (the highest count reported: reports may arrive out of order).</summary>
internal sealed class StartCounter : IProgress<int>
{
    private int _value;

    public int Value => Volatile.Read(ref _value);

    public void Report(int value)
    {
        var seen = Volatile.Read(ref _value);
        while (value > seen)
        {
            var was = Interlocked.CompareExchange(ref _value, value, seen);
            if (was == seen) return;
            seen = was;
        }
    }
}

/// <summary>The open-file limit of this process (inherited by the nodes it starts).</summary>
internal static class OpenFileLimit
{
    /// <summary>On Linux, raises the soft limit to the hard one: every home holds a connection, on both sides.</summary>
    public static void RaiseToHardLimit()
    {
        if (!OperatingSystem.IsLinux()) return;
        const int RlimitNofile = 7;
        if (GetRLimit(RlimitNofile, out var limit) == 0 && limit.Current < limit.Maximum)
        {
            var raised = limit with { Current = limit.Maximum };
            _ = SetRLimit(RlimitNofile, in raised);
        }
        if (GetRLimit(RlimitNofile, out var now) == 0) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"open-file limit: {now.Current} (hard {now.Maximum})"));
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct RLimit(ulong Current, ulong Maximum);

    [DllImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static extern int GetRLimit(int resource, out RLimit limit);

    [DllImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static extern int SetRLimit(int resource, in RLimit limit);
}

/// <summary>The middleware's token, summary and node endpoints, over HTTPS trusting the cooperative CA.</summary>
internal sealed class NodeApiClient(X509Certificate2 ca) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                if (certificate is null) return false;
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
            },
        },
    })
    { Timeout = TimeSpan.FromMinutes(2) };

    public async Task<string> TokenAsync(Uri node, string aggregatorPassword)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = "aggregator",
            ["password"] = aggregatorPassword,
            ["scope"] = "registry",
        });
        using var response = await _http.PostAsync(new Uri(node, "/connect/token"), form);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"token request answered {(int)response.StatusCode}: {body}");
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("access_token").GetString()!;
    }

    public Task<RegistrySummary> SummaryAsync(Uri node, string token, TimeSpan within) =>
        GetAsync<RegistrySummary>(new Uri(node, "/api/registry/summary?within=" + System.Xml.XmlConvert.ToString(within)), token);

    public Task<NodeStatus> NodeAsync(Uri node, string token) => GetAsync<NodeStatus>(new Uri(node, "/api/node"), token);

    private async Task<T> GetAsync<T>(Uri url, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new("Bearer", token);
        using var response = await _http.SendAsync(request);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET {url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<T>(Json))!;
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>
/// Times every <c>oadrPoll</c> round trip of this process from the <c>System.Net.Http</c> activities
/// (the VENs' HTTP client): as the homes see it, TLS and queueing included.
/// </summary>
internal sealed class PollLatencyRecorder : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly Lock _lock = new();
    private List<double> _polls = [];
    private long _others;

    public PollLatencyRecorder()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = OnStopped,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    private readonly Dictionary<string, (int Count, double TotalMs, double MaxMs)> _byPath = new(StringComparer.Ordinal);

    private void OnStopped(Activity activity)
    {
        var url = activity.GetTagItem("url.full") as string;
        var ms = activity.Duration.TotalMilliseconds;
        var path = url is not null && Uri.TryCreate(url, UriKind.Absolute, out var u) ? u.AbsolutePath : "(unknown)";
        lock (_lock)
        {
            var (count, total, max) = _byPath.GetValueOrDefault(path);
            _byPath[path] = (count + 1, total + ms, Math.Max(max, ms));
            if (path.EndsWith("/OadrPoll", StringComparison.Ordinal)) _polls.Add(ms);
            else _others++;
        }
    }

    /// <summary>Every request path seen since the last reset: count, mean and max ms (where the time of a phase goes).</summary>
    public IReadOnlyList<string> ByPath()
    {
        lock (_lock)
        {
            return _byPath.OrderByDescending(p => p.Value.TotalMs)
                .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}: {p.Value.Count} requests, mean {p.Value.TotalMs / p.Value.Count:0.0} ms, max {p.Value.MaxMs:0.0} ms"))
                .ToList();
        }
    }

    public void Reset()
    {
        lock (_lock)
        {
            _polls = [];
            _others = 0;
            _byPath.Clear();
        }
    }

    public PollLatency Snapshot()
    {
        double[] copy;
        lock (_lock) copy = [.. _polls];
        Array.Sort(copy);
        double At(double q) => copy.Length == 0 ? double.NaN : copy[Math.Min(copy.Length - 1, (int)Math.Floor(q * copy.Length))];
        long others;
        lock (_lock) others = _others;
        return new PollLatency(copy.Length, others, At(0.5), At(0.99), copy.Length == 0 ? double.NaN : copy[^1]);
    }

    public void Dispose() => _listener.Dispose();
}

/// <summary>Poll round trips measured: how many, other requests (reports, answers), p50, p99, max in ms.</summary>
internal sealed record PollLatency(int Count, long OtherRequests, double P50Ms, double P99Ms, double MaxMs);

/// <summary>One look at the registry: the fraction of the homes' DERs current within two poll periods, and the worst lag.</summary>
internal sealed record FreshnessSample(DateTimeOffset At, long Current, long Expected, double Fraction, TimeSpan WorstLag, long Online, long TimedOut)
{
    public static FreshnessSample From(RegistrySummary s, long expected, DateTimeOffset at)
    {
        // The later of the two marks that make a DER current is its lag: when its home was last heard, when its status was last reported.
        var oldest = new[] { s.OldestHeard, s.OldestReport }.Where(t => t is not null).Select(t => t!.Value).DefaultIfEmpty(at).Min();
        var lag = at - oldest;
        return new FreshnessSample(at, s.Current, expected, expected == 0 ? 0 : Math.Min(1.0, (double)s.Current / expected), lag < TimeSpan.Zero ? TimeSpan.Zero : lag, s.Online, s.TimedOut);
    }
}

internal sealed record NodeMemorySample(string Node, long WorkingSetBytes, long ManagedHeapBytes, TimeSpan CpuTime);

/// <summary>The figures of a run and whether they meet the targets.</summary>
internal sealed class LoadRunResult
{
    public int Homes { get; init; }
    public int Nodes { get; init; }
    public string Store { get; init; } = "";
    public double PollPeriodSeconds { get; init; }
    public int HomesRunning { get; init; }
    public long Ders { get; init; }
    public int StartFailures { get; init; }
    public double EnrolmentSeconds { get; init; }
    public double EnrolmentHomesPerSecond { get; init; }
    public PollLatency Polls { get; init; } = new(0, 0, double.NaN, double.NaN, double.NaN);
    public double MinCurrentFraction { get; init; }
    public double MeanCurrentFraction { get; init; }
    public double WorstLagSeconds { get; init; }
    public IReadOnlyList<double> ServeMaxWorkingSetMB { get; init; } = [];
    public IReadOnlyList<double> ServeMaxManagedHeapMB { get; init; } = [];
    public double SimulatorWorkingSetMB { get; init; }
    /// <summary>Serve CPU time per home over the enrolment + registration phase (all nodes).</summary>
    public double ServeCpuMsPerHomeStarted { get; init; }
    /// <summary>Serve CPU time per OpenADR request (poll, report, answer) while measured (all nodes): load-independent.</summary>
    public double ServeCpuMsPerRequest { get; init; }
    /// <summary>Serve CPU seconds per second while measured (all nodes; 2.0 is two cores busy).</summary>
    public double ServeCpuUtilisation { get; init; }
    public IReadOnlyList<FreshnessSample> Samples { get; init; } = [];
    public List<string> Missed { get; } = [];
    public bool Passed => Missed.Count == 0;

    public void Judge(TimeSpan pollPeriod, int p99TargetMs)
    {
        if (HomesRunning < Homes) Missed.Add($"{Homes - HomesRunning} homes did not start");
        if (Samples.Count == 0) Missed.Add("no sample taken");
        if (MinCurrentFraction < 1.0) Missed.Add($"freshness: at worst {MinCurrentFraction:P2} of DERs current within two poll periods (target 100 %)");
        if (WorstLagSeconds > 2 * pollPeriod.TotalSeconds) Missed.Add($"worst lag {WorstLagSeconds:0.0} s > two poll periods ({2 * pollPeriod.TotalSeconds:0} s)");
        if (!(Polls.P99Ms <= p99TargetMs)) Missed.Add($"p99 poll latency {Polls.P99Ms:0.0} ms > {p99TargetMs} ms");
    }

    public void Print()
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine();
        Console.WriteLine(string.Create(c, $"homes {HomesRunning}/{Homes} on {Nodes} node(s), {Store}; {Ders} DERs; poll period {PollPeriodSeconds} s"));
        Console.WriteLine(string.Create(c, $"enrolment + registration: {EnrolmentSeconds:0.0} s, {EnrolmentHomesPerSecond:0.0} homes/s ({StartFailures} failed)"));
        Console.WriteLine(string.Create(c, $"registry freshness: min {MinCurrentFraction:P2}, mean {MeanCurrentFraction:P2} of DERs current within two poll periods; worst lag {WorstLagSeconds:0.0} s"));
        Console.WriteLine(string.Create(c, $"poll latency (homes' view): {Polls.Count} polls, p50 {Polls.P50Ms:0.0} ms, p99 {Polls.P99Ms:0.0} ms, max {Polls.MaxMs:0.0} ms ({Polls.OtherRequests} other requests)"));
        Console.WriteLine(string.Create(c, $"serve memory: RSS {string.Join(" / ", ServeMaxWorkingSetMB.Select(m => m.ToString("0", c)))} MB, managed heap {string.Join(" / ", ServeMaxManagedHeapMB.Select(m => m.ToString("0", c)))} MB (max per node)"));
        Console.WriteLine(string.Create(c, $"serve CPU: {ServeCpuMsPerHomeStarted:0.0} ms per home enrolled and registered; {ServeCpuMsPerRequest:0.00} ms per OpenADR request while measured ({ServeCpuUtilisation:0.00} cores busy)"));
        Console.WriteLine(string.Create(c, $"simulator RSS: {SimulatorWorkingSetMB:0} MB ({SimulatorWorkingSetMB * 1024 / Math.Max(1, HomesRunning):0} KB per home)"));
        Console.WriteLine(Passed ? "targets met" : "targets missed: " + string.Join("; ", Missed));
    }

    public Task WriteAsync(string path) =>
        File.WriteAllTextAsync(path, JsonSerializer.Serialize(this, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
}
