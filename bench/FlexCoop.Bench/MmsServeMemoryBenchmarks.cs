using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Client;
using FlexCoop.Iec61850.Scl;

namespace FlexCoop.Bench;

/// <summary>
/// Memory of <c>flexcoop iec61850 serve</c> as an operator runs it: two serve processes side by side in the same
/// run, one on a generated 10-attribute model (the baseline: the runtime, the CLI and the MMS stack with almost no
/// model) and one on a generated 10,000-attribute model. Each is browsed once by the <c>flexcoop iec61850 browse</c>
/// process, then by the benchmark (the server directory, every named variable name, the type of every logical
/// node), and the resident set (VmRSS from /proc) of both is printed as "// serve resident" lines after
/// listening, after the CLI browse (the figure compared with the target: the 10,000-attribute server under 50 MB)
/// and after the benchmark's many browses (which grow both processes alike).
/// The timed part is one full browse of each server; its ratio says how browse time grows with the model.
/// Needs Linux and the CLI built in Release first (dotnet build -c Release cli/FlexCoop.Cli).
/// Run: dotnet run -c Release --project bench/FlexCoop.Bench -- --filter '*MmsServeMemoryBenchmarks*' --job short --inProcess
/// </summary>
public class MmsServeMemoryBenchmarks
{
    private ServeProcess? _small;
    private ServeProcess? _large;
    private MmsClient? _smallClient;
    private MmsClient? _largeClient;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _small = await ServeProcess.StartAsync(10);
        _large = await ServeProcess.StartAsync(10_000);
        foreach (var serve in new[] { _small, _large }) serve.Print("once listening");
        var smallListening = _small.ResidentMegabytes();
        var largeListening = _large.ResidentMegabytes();
        foreach (var serve in new[] { _small, _large })
        {
            await serve.BrowseWithCliAsync();
            serve.Print("after flexcoop iec61850 browse");
        }
        // The figure checked against the target: one operator browse of each. The benchmark's many browses that follow
        // grow both processes alike (the garbage collector's budgets, pooled buffers), so they are printed but not compared.
        var small = _small.ResidentMegabytes();
        var large = _large.ResidentMegabytes();
        Console.WriteLine($"// serve resident: listening, 10,000 attributes {largeListening:F1} MB vs baseline 10 attributes {smallListening:F1} MB " +
            $"(model cost {largeListening - smallListening:F1} MB)");
        Console.WriteLine($"// serve resident: after one browse, 10,000 attributes {large:F1} MB vs baseline 10 attributes {small:F1} MB " +
            $"(model cost {large - small:F1} MB); target < 50 MB: {(large < 50 ? "met" : "NOT met")}");
        _smallClient = await MmsClient.ConnectAsync("127.0.0.1", _small.Port);
        _largeClient = await MmsClient.ConnectAsync("127.0.0.1", _large.Port);
    }

    [Benchmark(Baseline = true, Description = "browse the 10-attribute server")]
    public Task<int> BrowseSmall() => BrowseAsync(_smallClient!);

    [Benchmark(Description = "browse the 10,000-attribute server")]
    public Task<int> BrowseLarge() => BrowseAsync(_largeClient!);

    /// <summary>Every domain, every variable name of each (GetNameList with continuation), and the type of every top-level variable.</summary>
    private static async Task<int> BrowseAsync(MmsClient client)
    {
        var count = 0;
        foreach (var domain in await client.GetDomainNamesAsync())
        {
            var names = await client.GetNameListAsync(MmsObjectClass.NamedVariable, MmsScope.DomainSpecific, domain);
            count += names.Count;
            foreach (var name in names)
            {
                if (name.Contains('$', StringComparison.Ordinal)) continue;
                await client.GetVariableAccessAttributesAsync(ObjectName.Domain(domain, name));
                count++;
            }
        }
        return count;
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        if (_smallClient is not null) await _smallClient.DisposeAsync();
        if (_largeClient is not null) await _largeClient.DisposeAsync();
        if (_small is not null && _large is not null)
        {
            _small.Print("after the benchmark's browsing");
            _large.Print("after the benchmark's browsing");
        }
        if (_small is not null) await _small.DisposeAsync();
        if (_large is not null) await _large.DisposeAsync();
    }

    /// <summary>A <c>flexcoop iec61850 serve</c> process on a generated model of <see cref="Attributes"/> attributes.</summary>
    private sealed class ServeProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly string _model;

        private ServeProcess(Process process, string model, int attributes, int port)
        {
            _process = process;
            _model = model;
            Attributes = attributes;
            Port = port;
        }

        public int Attributes { get; }
        public int Port { get; }

        public static string CliDll()
        {
            var root = LibIec61850.RepoRoot();
            return new[] { "Release", "Debug" }.Select(c => Path.Combine(root, "cli", "FlexCoop.Cli", "bin", c, "net10.0", "flexcoop.dll")).FirstOrDefault(File.Exists)
                ?? throw new InvalidOperationException("build the CLI first: dotnet build -c Release cli/FlexCoop.Cli");
        }

        public static async Task<ServeProcess> StartAsync(int attributes)
        {
            if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("VmRSS is read from /proc: Linux only");
            var model = Path.Combine(Path.GetTempPath(), $"flexcoop-serve-memory-{Environment.ProcessId}-{attributes}.cid");
            await File.WriteAllTextAsync(model, SclModelGenerator.Generate(attributes, "GEN"));
            var process = Start(CliDll(), "iec61850", "serve", model, "--port", "0", "--bind", "127.0.0.1");
            var line = await process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("serve printed nothing: " + await process.StandardError.ReadToEndAsync());
            var port = int.Parse(line[(line.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
            return new ServeProcess(process, model, attributes, port);
        }

        private static Process Start(params string[] args)
        {
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in args) psi.ArgumentList.Add(a);
            return Process.Start(psi) ?? throw new InvalidOperationException("cannot start dotnet");
        }

        /// <summary>Runs <c>flexcoop iec61850 browse</c> against this server (the whole model tree, data sets, control blocks).</summary>
        public async Task BrowseWithCliAsync()
        {
            using var browse = Start(CliDll(), "iec61850", "browse", $"127.0.0.1:{Port}");
            var output = browse.StandardOutput.ReadToEndAsync();
            var errors = browse.StandardError.ReadToEndAsync();
            await browse.WaitForExitAsync();
            if (browse.ExitCode != 0) throw new InvalidOperationException($"browse exited with {browse.ExitCode}: {await errors}");
            var lines = (await output).Count(c => c == '\n');
            Console.WriteLine($"// serve resident: browse of the {Attributes}-attribute server printed {lines} lines");
        }

        public double ResidentMegabytes() => LibIec61850.ResidentMegabytes(_process.Id);

        public void Print(string when) =>
            Console.WriteLine($"// serve resident: {Attributes,6} attributes, {when}: {ResidentMegabytes():F1} MB");

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited) _process.Kill();
            await _process.WaitForExitAsync();
            _process.Dispose();
            File.Delete(_model);
        }
    }
}
