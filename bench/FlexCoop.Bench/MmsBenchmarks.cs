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
    private Socket? _echoListener;
    private Socket? _echoClient;
    private Task? _echoLoop;
    private byte[] _request = [];
    private byte[] _response = [];

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

        // Octet counts of one single-value read on the wire (TPKT packets), for the echo baseline.
        var sizes = new List<int>();
        var probe = await MmsClient.ConnectAsync("127.0.0.1", _server.LocalEndPoint.Port, new MmsClientOptions { PacketInspector = (_, b) => { lock (sizes) sizes.Add(b.Length); } });
        lock (sizes) sizes.Clear();
        await probe.ReadAsync(_one);
        await probe.DisposeAsync();
        _request = new byte[sizes[0]];
        _response = new byte[sizes[1]];

        _echoListener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        _echoListener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _echoListener.Listen();
        var accept = _echoListener.AcceptAsync();
        _echoClient = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await _echoClient.ConnectAsync(_echoListener.LocalEndPoint!);
        var serverSide = await accept;
        serverSide.NoDelay = true;
        var requestLength = _request.Length;
        var response = _response;
        _echoLoop = Task.Run(async () =>
        {
            var buffer = new byte[requestLength];
            try
            {
                while (true)
                {
                    var read = 0;
                    while (read < requestLength)
                    {
                        var n = await serverSide.ReceiveAsync(buffer.AsMemory(read));
                        if (n == 0) return;
                        read += n;
                    }
                    await serverSide.SendAsync(response);
                }
            }
            catch (SocketException)
            {
                // closed at cleanup
            }
            finally
            {
                serverSide.Dispose();
            }
        });
    }

    /// <summary>Sequential operations per invocation, so that an iteration lasts long enough to measure.</summary>
    private const int Operations = 200;

    [Benchmark(Baseline = true, Description = "raw TCP round trip, same octets", OperationsPerInvoke = Operations)]
    public async Task<int> TcpRoundTrip()
    {
        var buffer = new byte[_response.Length];
        var total = 0;
        for (var i = 0; i < Operations; i++)
        {
            await _echoClient!.SendAsync(_request);
            var read = 0;
            while (read < buffer.Length) read += await _echoClient.ReceiveAsync(buffer.AsMemory(read));
            total += read;
        }
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
        _echoClient?.Dispose();
        _echoListener?.Dispose();
        if (_echoLoop is not null) await _echoLoop;
    }
}
