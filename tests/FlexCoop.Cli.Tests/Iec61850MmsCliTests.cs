using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using FlexCoop.Testing;

namespace FlexCoop.Cli.Tests;

/// <summary><c>flexcoop iec61850 serve</c> started as a process, and <c>browse</c>, <c>read</c>, <c>write</c> run against it.</summary>
public sealed class Iec61850MmsCliTests
{
    private static string DerModel => Path.Combine(TestEnvironment.RepoRoot, "schemas", "iec61850", "der-unit.cid");

    /// <summary>A running <c>serve</c> process on a port chosen by the system.</summary>
    internal sealed class ServeProcess : IAsyncDisposable
    {
        private readonly Process _process;

        private ServeProcess(Process process, string endpoint)
        {
            _process = process;
            Endpoint = endpoint;
        }

        public string Endpoint { get; }

        public static async Task<ServeProcess> StartAsync(params string[] extra)
        {
            var psi = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in new[] { Flexcoop.DllPath, "iec61850", "serve", DerModel, "--port", "0", "--bind", "127.0.0.1" }.Concat(extra)) psi.ArgumentList.Add(a);
            var process = Process.Start(psi)!;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("serve printed nothing: " + await process.StandardError.ReadToEndAsync(timeout.Token));
            var endpoint = line[(line.LastIndexOf(' ') + 1)..];
            return new ServeProcess(process, endpoint);
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            _process.Dispose();
        }
    }

    [Fact]
    public async Task Serve_prints_its_endpoint_and_browse_shows_the_model()
    {
        await using var serve = await ServeProcess.StartAsync();
        Assert.StartsWith("127.0.0.1:", serve.Endpoint, StringComparison.Ordinal);
        var (code, stdout, stderr) = await Flexcoop.RunAsync("iec61850", "browse", serve.Endpoint);
        Assert.True(code == 0, stderr);
        Assert.Contains("DER1PV/MMXU1.TotW.mag.f [MX] FLOAT32", stdout, StringComparison.Ordinal);
        Assert.Contains("DER1PV/ZINV1.WRtg.setMag.f [SP] FLOAT32", stdout, StringComparison.Ordinal);
        Assert.Contains("data set DER1CTRL/LLN0.Measurements: DER1PV/MMXU1.TotW [MX]", stdout, StringComparison.Ordinal);
        Assert.Contains("buffered report control block DER1CTRL/LLN0.brcbMeas01", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_then_read_a_setting_and_a_refused_write_exits_1()
    {
        await using var serve = await ServeProcess.StartAsync();
        var (code, stdout, stderr) = await Flexcoop.RunAsync("iec61850", "write", serve.Endpoint, "DER1PV/ZINV1.WRtg.setMag.f", "SP", "7500.5");
        Assert.True(code == 0, stderr);
        (code, stdout, stderr) = await Flexcoop.RunAsync("iec61850", "read", serve.Endpoint, "DER1PV/ZINV1.WRtg", "SP");
        Assert.True(code == 0, stderr);
        Assert.Contains("DER1PV/ZINV1.WRtg.setMag.f [SP] FLOAT32 = 7500.5", stdout, StringComparison.Ordinal);
        (code, _, stderr) = await Flexcoop.RunAsync("iec61850", "write", serve.Endpoint, "DER1PV/MMXU1.TotW.mag.f", "MX", "1");
        Assert.Equal(1, code);
        Assert.Contains("ObjectAccessDenied", stderr, StringComparison.Ordinal);
        (code, _, stderr) = await Flexcoop.RunAsync("iec61850", "read", serve.Endpoint, "DER1PV/MMXU1.Nope", "MX");
        Assert.Equal(1, code);
        (code, _, stderr) = await Flexcoop.RunAsync("iec61850", "write", serve.Endpoint, "DER1PV/ZINV1.WRtg.setMag.f", "SP", "lots");
        Assert.Equal(2, code);
        Assert.Contains("not a value of type FLOAT32", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_a_data_set_and_a_password_protected_server()
    {
        await using var serve = await ServeProcess.StartAsync("--password", "pw1");
        var (code, stdout, stderr) = await Flexcoop.RunAsync("iec61850", "read", serve.Endpoint, "DER1CTRL/LLN0.Status", "DS", "--password", "pw1");
        Assert.True(code == 0, stderr);
        Assert.Contains("DER1CTRL/LLN0.Health.stVal [ST] = ", stdout, StringComparison.Ordinal);
        (code, _, stderr) = await Flexcoop.RunAsync("iec61850", "browse", serve.Endpoint, "--password", "wrong");
        Assert.Equal(2, code);
        Assert.Contains("authentication failure", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("read", "localhost:notaport", "LD/LN.DO", "ST")]
    [InlineData("read", "localhost:1", "LD/LN.DO", "XX")]
    [InlineData("read", "localhost:1", "no-slash", "ST")]
    public async Task Usage_errors_exit_2(string command, string server, string reference, string fc)
    {
        var (code, _, stderr) = await Flexcoop.RunAsync("iec61850", command, server, reference, fc);
        Assert.Equal(2, code);
        Assert.StartsWith("flexcoop:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_is_not_there_exits_2()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var (code, _, stderr) = await Flexcoop.RunAsync("iec61850", "browse", $"127.0.0.1:{port}", "--timeout", "5");
        Assert.Equal(2, code);
        Assert.Contains("cannot associate", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_of_a_missing_file_exits_2()
    {
        var (code, _, stderr) = await Flexcoop.RunAsync("iec61850", "serve", "/nonexistent/model.cid", "--port", "0");
        Assert.Equal(2, code);
        Assert.Contains("not found", stderr, StringComparison.Ordinal);
    }
}
