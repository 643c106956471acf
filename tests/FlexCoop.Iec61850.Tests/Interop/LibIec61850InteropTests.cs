using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using FlexCoop.Iec61850.Model;
using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Testing;

namespace FlexCoop.Iec61850.Tests.Interop;

/// <summary>
/// Interoperability with libiec61850, the C stack most IEC 61850 devices use. Opt-in: set
/// FLEXCOOP_LIBIEC61850_DIR to a libiec61850 source tree built with CMake in its <c>build/</c>
/// folder (examples included). Without it these tests skip, on CI too, because the peer is not a
/// Debian package and is never built by this repository.
/// </summary>
public sealed class LibIec61850InteropTests
{
    private const string EnvironmentVariable = "FLEXCOOP_LIBIEC61850_DIR";

    public static TheoryData<string, string> ExampleServers => new()
    {
        { "server_example_basic_io", "server_example_basic_io/simpleIO_direct_control.cid" },
        { "server_example_control", "server_example_control/simpleIO_control_tests.cid" },
        { "server_example_deadband", "server_example_deadband/cid_example_deadband.cid" },
        { "server_example_61400_25", "server_example_61400_25/wtur.cid" },
    };

    [Theory]
    [MemberData(nameof(ExampleServers))]
    public async Task Our_client_sees_the_libiec61850_example_server_as_its_scl_describes(string example, string model)
    {
        var root = RequireLibIec61850();
        var binary = Path.Combine(root, "build", "examples", example, example);
        if (!File.Exists(binary)) Assert.Skip($"{binary} is not built");
        var ied = LoadModel(Path.Combine(root, "examples", model));

        var port = FreePort();
        using var server = Process.Start(new ProcessStartInfo(binary)
        {
            ArgumentList = { port.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        try
        {
            await using var client = await ConnectWhenListeningAsync(port, server);

            var devices = await client.GetServerDirectoryAsync(TestContext.Current.CancellationToken);
            Assert.Equal(ied.LogicalDevices.Select(ld => ld.Name).Order(StringComparer.Ordinal), devices.Order(StringComparer.Ordinal));
            foreach (var ld in ied.LogicalDevices)
            {
                var nodes = await client.GetLogicalDeviceDirectoryAsync(ld.Name, TestContext.Current.CancellationToken);
                Assert.Equal(ld.LogicalNodes.Select(ln => ln.Name).Order(StringComparer.Ordinal), nodes.Order(StringComparer.Ordinal));
                foreach (var ln in ld.LogicalNodes)
                {
                    var dataObjects = await client.GetLogicalNodeDirectoryAsync($"{ld.Name}/{ln.Name}", cancellationToken: TestContext.Current.CancellationToken);
                    Assert.Equal(
                        ln.Children.OfType<DataObject>().Select(d => d.Name).Order(StringComparer.Ordinal),
                        dataObjects.Order(StringComparer.Ordinal));
                }
            }

            await client.ReleaseAsync(TestContext.Current.CancellationToken);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Libiec61850_browsing_client_sees_our_server_as_the_scl_describes()
    {
        var root = RequireLibIec61850();
        var binary = Path.Combine(root, "build", "examples", "iec61850_client_example2", "iec61850_client_example2");
        if (!File.Exists(binary)) Assert.Skip($"{binary} is not built");
        var ied = LoadModel(Path.Combine(root, "examples", "server_example_basic_io", "simpleIO_direct_control.cid"));

        await using var server = new Iec61850Server(ied);
        server.Start(new IPEndPoint(IPAddress.Loopback, 0));

        var (exit, stdout, stderr) = await TestEnvironment.RunAsync(
            binary, ["127.0.0.1", server.LocalEndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            timeout: TimeSpan.FromMinutes(1));
        Assert.True(exit == 0, $"client_example2 exited {exit}: {stderr}");

        // client_example2 prints "LD: x", "  LN: y", "    DO: z" (and data attributes, data sets).
        var seen = new List<string>();
        string? ld = null, ln = null;
        foreach (var raw in stdout.Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.StartsWith("LD: ", StringComparison.Ordinal)) ld = line[4..];
            else if (line.StartsWith("  LN: ", StringComparison.Ordinal)) ln = line[6..];
            else if (line.StartsWith("    DO: ", StringComparison.Ordinal)) seen.Add($"{ld}/{ln}.{line[8..]}");
        }

        var expected = ied.LogicalDevices
            .SelectMany(d => d.LogicalNodes.SelectMany(n => n.Children.OfType<DataObject>().Select(o => $"{d.Name}/{n.Name}.{o.Name}")));
        Assert.Equal(expected.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
    }

    private static string RequireLibIec61850()
    {
        var root = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrEmpty(root) || !Directory.Exists(root))
        {
            Assert.Skip($"{EnvironmentVariable} does not name a built libiec61850 tree; interoperability with it is opt-in");
        }
        return root;
    }

    private static IedModel LoadModel(string path)
    {
        var resolution = SclResolver.Load(path);
        Assert.False(resolution.HasErrors, string.Join(Environment.NewLine, resolution.Diagnostics));
        return Assert.Single(resolution.Ieds);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Connects once the external server accepts; it gives no other sign of readiness.</summary>
    private static async Task<Iec61850Client> ConnectWhenListeningAsync(int port, Process server)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(server.HasExited, $"the libiec61850 server exited with {(server.HasExited ? server.ExitCode : 0)}");
            try
            {
                return await Iec61850Client.ConnectAsync("127.0.0.1", port, cancellationToken: TestContext.Current.CancellationToken);
            }
            catch (Exception ex) when (ex is SocketException or IOException or FlexCoop.Iec61850.Mms.MmsException && deadline.Elapsed < TimeSpan.FromSeconds(15))
            {
                await Task.Delay(50, TestContext.Current.CancellationToken);
            }
        }
    }
}
