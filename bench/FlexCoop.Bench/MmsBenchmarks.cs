using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Iec61850.Mms.Client;
using FlexCoop.Iec61850.Model;
using FlexCoop.Iec61850.Scl;

namespace FlexCoop.Bench;

/// <summary>
/// Our MMS client against our MMS server over loopback, serving a generated 10,000-attribute
/// IEC 61850 model. The baseline is a raw TCP round trip over loopback of the same number of
/// octets as a single-value read request and its response: the floor any stack pays.
/// Reads/s = 1 / mean of <see cref="ReadOneValue"/>; values/s = 100 / mean of <see cref="ReadHundredValues"/>.
/// The server's retained memory for the model is printed in the log ("// server memory").
/// Run: dotnet run -c Release --project bench/FlexCoop.Bench -- --filter '*MmsReadBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class MmsReadBenchmarks
{
    private Iec61850Server? _server;
    private MmsClient? _client;
    private ObjectName _one;
    private ObjectName[] _hundred = [];
    private LoopbackEcho? _echo;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var xml = SclModelGenerator.Generate(10_000);
        var start = GC.GetTotalMemory(true);
        var model = SclResolver.Resolve(SclDocument.Parse(xml)).Ieds[0];
        var before = GC.GetTotalMemory(true);
        _server = new Iec61850Server(model);
        _server.Start(new IPEndPoint(IPAddress.Loopback, 0));
        var after = GC.GetTotalMemory(true);
        Console.WriteLine($"// server memory: {model.DataAttributeCount} attributes, SCL model {(before - start) / 1024.0 / 1024.0:F1} MB + MMS server objects {(after - before) / 1024.0 / 1024.0:F1} MB of managed heap; process working set {Environment.WorkingSet / 1024.0 / 1024.0:F1} MB (model, server and client together)");

        _client = await MmsClient.ConnectAsync("127.0.0.1", _server.LocalEndPoint.Port);
        var leaves = new List<ObjectName>();
        foreach (var domain in _server.Mms.Vmd.Domains)
        {
            foreach (var name in domain.Names)
            {
                var node = domain.Find(name)!;
                if (node.Type is not MmsStructureType && node.Type is not MmsArrayType && name.Contains("$MX$", StringComparison.Ordinal)) leaves.Add(ObjectName.Domain(domain.Name, name));
                if (leaves.Count == 100) break;
            }
            if (leaves.Count == 100) break;
        }
        _hundred = leaves.ToArray();
        _one = _hundred[0];

        var (request, response) = await LoopbackEcho.MeasureReadAsync(_server.LocalEndPoint.Port, [_one]);
        _echo = await LoopbackEcho.StartAsync(request, response);
        await ServeResidentMemoryAsync();
    }

    /// <summary>
    /// The resident memory of <c>flexcoop iec61850 serve</c> of the same generated 10,000-attribute model in a
    /// process of its own (VmRSS from /proc, after it served 100 reads of 100 values); target &lt; 50 MB.
    /// Needs the CLI built in Release (dotnet build -c Release cli/FlexCoop.Cli); printed as "// serve resident".
    /// </summary>
    private static async Task ServeResidentMemoryAsync()
    {
        var root = LibIec61850.RepoRoot();
        var dll = new[] { "Release", "Debug" }.Select(c => Path.Combine(root, "cli", "FlexCoop.Cli", "bin", c, "net10.0", "flexcoop.dll")).FirstOrDefault(File.Exists);
        var model = Path.Combine(root, "schemas", "iec61850", "generated-10000.cid");
        if (dll is null || !File.Exists(model) || !OperatingSystem.IsLinux())
        {
            Console.WriteLine("// serve resident: not measured (needs Linux, schemas/iec61850/generated-10000.cid and dotnet build -c Release cli/FlexCoop.Cli)");
            return;
        }
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { dll, "iec61850", "serve", model, "--port", "0", "--bind", "127.0.0.1" }) psi.ArgumentList.Add(a);
        using var serve = System.Diagnostics.Process.Start(psi)!;
        try
        {
            var line = await serve.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("serve printed nothing: " + await serve.StandardError.ReadToEndAsync());
            var port = int.Parse(line[(line.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            var started = LibIec61850.ResidentMegabytes(serve.Id);
            await using (var client = await MmsClient.ConnectAsync("127.0.0.1", port))
            {
                var domain = (await client.GetDomainNamesAsync())[0];
                var names = await client.GetNameListAsync(MmsObjectClass.NamedVariable, MmsScope.DomainSpecific, domain);
                var hundred = names.Where(n => n.Contains("$MX$", StringComparison.Ordinal)).Take(100).Select(n => ObjectName.Domain(domain, n)).ToArray();
                for (var i = 0; i < 100; i++) await client.ReadAsync(hundred);
                await client.ReleaseAsync();
            }
            Console.WriteLine($"// serve resident: flexcoop iec61850 serve of generated-10000.cid ({Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(dll)))} build) holds {LibIec61850.ResidentMegabytes(serve.Id):F1} MB after serving reads ({started:F1} MB once listening); target < 50 MB");
        }
        finally
        {
            serve.Kill();
            await serve.WaitForExitAsync();
        }
  }

    /// <summary>Sequential operations per invocation, so that an iteration lasts long enough to measure.</summary>
    private const int Operations = 200;

    [Benchmark(Baseline = true, Description = "raw TCP round trip, same octets", OperationsPerInvoke = Operations)]
    public async Task<int> TcpRoundTrip()
    {
        var total = 0;
        for (var i = 0; i < Operations; i++) total += await _echo!.RoundTripAsync();
        return total;
    }

    [Benchmark(Description = "MMS read, 1 value", OperationsPerInvoke = Operations)]
    public async Task<int> ReadOneValue()
    {
        var ok = 0;
        for (var i = 0; i < Operations; i++)
        {
            if ((await _client!.ReadAsync(_one)).IsSuccess) ok++;
        }
        return ok;
    }

    [Benchmark(Description = "MMS read, 100 values", OperationsPerInvoke = Operations)]
    public async Task<int> ReadHundredValues()
    {
        var values = 0;
        for (var i = 0; i < Operations; i++) values += (await _client!.ReadAsync(_hundred)).Count;
        return values;
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        if (_client is not null) await _client.DisposeAsync();
        if (_server is not null) await _server.DisposeAsync();
        if (_echo is not null) await _echo.DisposeAsync();
    }
}
