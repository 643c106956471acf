using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Client;
using FlexCoop.Iec61850.Mms.Server;

namespace FlexCoop.Bench;

/// <summary>
/// A TCP echo over loopback that answers a request of N octets with a response of M octets: the
/// round trip any MMS stack pays for a read of that size, used as the baseline of the MMS benchmarks.
/// </summary>
internal sealed class LoopbackEcho : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly Socket _client;
    private readonly Task _loop;
    private readonly byte[] _request;
    private readonly byte[] _buffer;

    private LoopbackEcho(Socket listener, Socket client, Task loop, int requestLength, int responseLength)
    {
        _listener = listener;
        _client = client;
        _loop = loop;
        _request = new byte[requestLength];
        _buffer = new byte[responseLength];
    }

    /// <summary>Octet counts of one read of <paramref name="names"/> on the wire (request, response TPKT packets).</summary>
    public static async Task<(int Request, int Response)> MeasureReadAsync(int port, IReadOnlyList<ObjectName> names)
    {
        var sizes = new List<int>();
        var probe = await MmsClient.ConnectAsync("127.0.0.1", port, new MmsClientOptions { PacketInspector = (_, b) => { lock (sizes) sizes.Add(b.Length); } });
        lock (sizes) sizes.Clear();
        await probe.ReadAsync(names);
        await probe.DisposeAsync();
        lock (sizes) return (sizes[0], sizes[1]);
    }

    public static async Task<LoopbackEcho> StartAsync(int requestLength, int responseLength)
    {
        var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var accept = listener.AcceptAsync();
        var client = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await client.ConnectAsync(listener.LocalEndPoint!);
        var serverSide = await accept;
        serverSide.NoDelay = true;
        var response = new byte[responseLength];
        var loop = Task.Run(async () =>
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
        return new LoopbackEcho(listener, client, loop, requestLength, responseLength);
    }

    public async Task<int> RoundTripAsync()
    {
        await _client.SendAsync(_request);
        var read = 0;
        while (read < _buffer.Length) read += await _client.ReceiveAsync(_buffer.AsMemory(read));
        return read;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        _listener.Dispose();
        await _loop;
    }
}

/// <summary>
/// The libiec61850 build named by FLEXCOOP_LIBIEC61850_DIR (never part of this repository): its example
/// server as a process, and our small C client driver (bench/native/mms_read_driver.c) compiled against it.
/// </summary>
internal static class LibIec61850
{
    public const string EnvironmentVariable = "FLEXCOOP_LIBIEC61850_DIR";

    public static string? Root => Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } r && Directory.Exists(r) ? r : null;

    public static string RequireRoot() => Root ?? throw new InvalidOperationException(
        $"{EnvironmentVariable} must name a libiec61850 source tree built with CMake in build/ (examples included) for the side-by-side benchmarks");

    /// <summary>The repository root (the folder holding FlexCoop.sln) above the running benchmark.</summary>
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FlexCoop.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("cannot find the repository root (FlexCoop.sln) above " + AppContext.BaseDirectory);
    }

    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Starts a process whose output is drained (and kept for error messages).</summary>
    public static Process StartProcess(string file, IEnumerable<string> args, List<string>? output = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = false, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start " + file);
        var sink = output ?? [];
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (sink) sink.Add(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (sink) sink.Add(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Starts <c>server_example_basic_io</c> on a free port and waits until it accepts an association.</summary>
    public static async Task<(Process Server, int Port)> StartBasicIoServerAsync()
    {
        var root = RequireRoot();
        var binary = Path.Combine(root, "build", "examples", "server_example_basic_io", "server_example_basic_io");
        if (!File.Exists(binary)) throw new InvalidOperationException(binary + " is not built");
        var port = FreePort();
        var output = new List<string>();
        var server = StartProcess(binary, [port.ToString(CultureInfo.InvariantCulture)], output);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (server.HasExited) throw new InvalidOperationException("server_example_basic_io exited: " + string.Join('\n', output));
            try
            {
                await using var probe = await MmsClient.ConnectAsync("127.0.0.1", port);
                await probe.ReleaseAsync();
                return (server, port);
            }
            catch (Exception e) when ((e is SocketException or IOException or MmsException) && deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(50);
            }
        }
    }

    public static string BasicIoModel => Path.Combine(RequireRoot(), "examples", "server_example_basic_io", "simpleIO_direct_control.cid");

    private static string? s_driver;

    /// <summary>Compiles bench/native/mms_read_driver.c against the libiec61850 build (once per process) into a temporary folder.</summary>
    public static string Driver()
    {
        if (s_driver is not null) return s_driver;
        var root = RequireRoot();
        var source = Path.Combine(RepoRoot(), "bench", "native", "mms_read_driver.c");
        var output = Path.Combine(Path.GetTempPath(), $"flexcoop-mms-read-driver-{Environment.ProcessId}");
        string[] includes = ["src/iec61850/inc", "src/mms/inc", "src/common/inc", "src/logging", "hal/inc", "build/config", "build/src"];
        var args = new List<string> { "-O2", "-o", output, source };
        args.AddRange(includes.Select(i => "-I" + Path.Combine(root, i)));
        args.AddRange([Path.Combine(root, "build", "src", "libiec61850.a"), Path.Combine(root, "build", "hal", "libhal.a"), "-lpthread"]);
        var lines = new List<string>();
        using var cc = StartProcess("cc", args, lines);
        cc.WaitForExit();
        if (cc.ExitCode != 0) throw new InvalidOperationException("compiling the libiec61850 client driver failed:\n" + string.Join('\n', lines));
        return s_driver = output;
    }

    /// <summary>Resident set size of a process in MB (VmRSS from /proc).</summary>
    public static double ResidentMegabytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture) / 1024.0;
    }
}

/// <summary>The C client driver as a running process, steered line by line over its stdin.</summary>
internal sealed class NativeReadDriver : IAsyncDisposable
{
    private readonly Process _process;

    private NativeReadDriver(Process process) => _process = process;

    public static async Task<NativeReadDriver> StartAsync(int port, string domain, IReadOnlyList<string> items)
    {
        var psi = new ProcessStartInfo(LibIec61850.Driver()) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "127.0.0.1", port.ToString(CultureInfo.InvariantCulture), domain }.Concat(items)) psi.ArgumentList.Add(a);
        var process = Process.Start(psi)!;
        var ready = await process.StandardOutput.ReadLineAsync();
        if (ready != "ready") throw new InvalidOperationException("the libiec61850 client driver did not start: " + ready + await process.StandardError.ReadToEndAsync());
        return new NativeReadDriver(process);
    }

    /// <summary>Runs <paramref name="count"/> reads (<c>single</c> or <c>multi</c>) in the C client; returns the values read.</summary>
    public async Task<long> RunAsync(string mode, int count)
    {
        await _process.StandardInput.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{mode} {count}"));
        await _process.StandardInput.FlushAsync();
        var line = await _process.StandardOutput.ReadLineAsync();
        if (line is null || !line.StartsWith("ok ", StringComparison.Ordinal)) throw new InvalidOperationException("the libiec61850 client driver failed: " + line + await _process.StandardError.ReadToEndAsync());
        return long.Parse(line[3..], CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        if (!await WaitAsync(_process)) _process.Kill();
        _process.Dispose();
    }

    private static async Task<bool> WaitAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}

/// <summary>Leaves of a VMD to read: primitive (not structured) named components, measurands and status first.</summary>
internal static class MmsLeaves
{
    public static IReadOnlyList<ObjectName> Pick(MmsVmd vmd, int count, string? domainName = null)
    {
        var leaves = new List<ObjectName>();
        foreach (var domain in vmd.Domains.Where(d => domainName is null || d.Name == domainName))
        {
            foreach (var name in domain.Names)
            {
                var node = domain.Find(name)!;
                if (node.Type is MmsStructureType or MmsArrayType) continue;
                if (name.Contains("$MX$", StringComparison.Ordinal) || name.Contains("$ST$", StringComparison.Ordinal)) leaves.Add(ObjectName.Domain(domain.Name, name));
                if (leaves.Count == count) return leaves;
            }
        }
        if (leaves.Count == 0) throw new InvalidOperationException("no MX or ST leaves to read");
        // A small model repeats its leaves to fill the request, as a client polling it would.
        return Enumerable.Range(0, count).Select(i => leaves[i % leaves.Count]).ToArray();
    }
}
