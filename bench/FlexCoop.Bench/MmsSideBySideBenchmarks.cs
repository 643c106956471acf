using System.Net;
using BenchmarkDotNet.Attributes;
using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Iec61850.Mms.Client;
using FlexCoop.Iec61850.Model;

namespace FlexCoop.Bench;

/// <summary>
/// Each client against each server, in one run: our MMS client and libiec61850's (our C driver
/// bench/native/mms_read_driver.c linked against it) against our server and against libiec61850's
/// <c>server_example_basic_io</c>, both servers serving that example's SCL model
/// (<c>simpleIO_direct_control.cid</c>). Needs FLEXCOOP_LIBIEC61850_DIR (a libiec61850 tree built in
/// build/, never part of this repository) and a C compiler (<c>cc</c>); without them setup fails with the reason.
/// The baseline is a raw TCP round trip over loopback with the octets of a single-value read.
/// Reads/s = 1 / mean of a "1 value" row; values/s = 100 / mean of a "100 values" row.
/// Run: FLEXCOOP_LIBIEC61850_DIR=/path/to/libiec61850 dotnet run -c Release --project bench/FlexCoop.Bench -- --filter '*MmsSideBySide*' --job short --inProcess
/// </summary>
public class MmsSideBySideBenchmarks
{
    public enum ServerStack
    {
        FlexCoop,
        LibIec61850,
    }

    [Params(ServerStack.FlexCoop, ServerStack.LibIec61850)]
    public ServerStack Server { get; set; }

    private Iec61850Server? _ourServer;
    private System.Diagnostics.Process? _theirServer;
    private MmsClient? _client;
    private NativeReadDriver? _driver;
    private LoopbackEcho? _echo;
    private ObjectName _one;
    private ObjectName[] _hundred = [];

    private const string Domain = "simpleIOGenericIO";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var resolution = SclResolver.Load(LibIec61850.BasicIoModel);
        var model = resolution.Ieds[0];
        _hundred = MmsLeaves.Pick(Iec61850MmsMapping.BuildVmd(model), 100, Domain).ToArray();
        _one = _hundred[0];
        int port;
        if (Server == ServerStack.FlexCoop)
        {
            _ourServer = new Iec61850Server(model);
            _ourServer.Start(new IPEndPoint(IPAddress.Loopback, 0));
            port = _ourServer.LocalEndPoint.Port;
        }
        else
        {
            (_theirServer, port) = await LibIec61850.StartBasicIoServerAsync();
            Console.WriteLine($"// libiec61850 server_example_basic_io resident: {LibIec61850.ResidentMegabytes(_theirServer.Id):F1} MB");
        }
        // The octets of one single-value read on the wire, seen by the client's inspector during its first read.
        var sizes = new List<int>();
        var capture = true;
        _client = await MmsClient.ConnectAsync("127.0.0.1", port, new MmsClientOptions { PacketInspector = (_, b) => { if (Volatile.Read(ref capture)) lock (sizes) sizes.Add(b.Length); } });
        lock (sizes) sizes.Clear();
        await _client.ReadAsync(_one);
        Volatile.Write(ref capture, false);
        int request, response;
        lock (sizes) (request, response) = (sizes[0], sizes[1]);
        _echo = await LoopbackEcho.StartAsync(request, response);
        _driver = await NativeReadDriver.StartAsync(port, Domain, _hundred.Select(n => n.ItemId).ToArray());
        Console.WriteLine($"// {Server} server, single read of {Domain}/{_one.ItemId}: {request} octets request, {response} octets response");
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

    [Benchmark(Description = "FlexCoop client, 1 value", OperationsPerInvoke = Operations)]
    public async Task<int> FlexCoopReadOne()
    {
        var ok = 0;
        for (var i = 0; i < Operations; i++)
        {
            if ((await _client!.ReadAsync(_one)).IsSuccess) ok++;
        }
        return ok;
    }

    [Benchmark(Description = "FlexCoop client, 100 values", OperationsPerInvoke = Operations)]
    public async Task<int> FlexCoopReadHundred()
    {
        var values = 0;
        for (var i = 0; i < Operations; i++) values += (await _client!.ReadAsync(_hundred)).Count;
        return values;
    }

    [Benchmark(Description = "libiec61850 client, 1 value", OperationsPerInvoke = Operations)]
    public Task<long> LibIec61850ReadOne() => _driver!.RunAsync("single", Operations);

    [Benchmark(Description = "libiec61850 client, 100 values", OperationsPerInvoke = Operations)]
    public Task<long> LibIec61850ReadHundred() => _driver!.RunAsync("multi", Operations);

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        if (_driver is not null) await _driver.DisposeAsync();
        if (_client is not null) await _client.DisposeAsync();
        if (_echo is not null) await _echo.DisposeAsync();
        if (_ourServer is not null) await _ourServer.DisposeAsync();
        if (_theirServer is not null)
        {
            _theirServer.Kill();
            await _theirServer.WaitForExitAsync();
            _theirServer.Dispose();
        }
    }
}
