using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

/// <summary>
/// A private Prosody for an XMPP load run, tuned for thousands of sessions on loopback and started
/// by the coordinator (unless <c>--xmpp-env</c> names a running one). Nothing is registered: every
/// session, the VTN's included, logs in with SASL EXTERNAL on a certificate whose xmppAddr names the
/// account (mod_auth_ccert), issued by a CA made for the run. All keys are ECDSA P-256, so Prosody's
/// single thread signs a TLS handshake in tens of microseconds rather than an RSA-2048 millisecond,
/// and the driver issues ten thousand certificates in a blink.
/// </summary>
internal sealed class LoadProsody : IAsyncDisposable
{
    public const string ExternalDomain = "external.localhost";

    private readonly Process _process;

    private LoadProsody(Process process, string envFile)
    {
        _process = process;
        EnvFile = envFile;
    }

    /// <summary>The env file (same keys as scripts/ci/prosody.sh writes) the server and drivers read.</summary>
    public string EnvFile { get; }

    public int ProcessId => _process.Id;

    public static async Task<LoadProsody> StartAsync(string dir, int gcPause = 400, CancellationToken cancellationToken = default)
    {
        var state = Directory.CreateDirectory(Path.Combine(dir, "prosody")).FullName;
        Directory.CreateDirectory(Path.Combine(state, "data"));
        Directory.CreateDirectory(Path.Combine(state, "certs"));
        var (caCrt, serverCrt, serverKey) = WriteCertificates(state);
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var config = Path.Combine(state, "prosody.cfg.lua");
        await File.WriteAllTextAsync(config, Config(state, port, caCrt, serverCrt, serverKey, gcPause), cancellationToken);
        var start = new ProcessStartInfo("prosody") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add("-F");
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(config);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("prosody did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("prosody is not installed (apt-get install prosody prosody-modules, or run scripts/ci/prosody.sh start once)", e);
        }
        var log = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) lock (log) log.AppendLine(line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) lock (log) log.AppendLine(line); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // Ready once it accepts on its port (it reads its config and certificates first).
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"prosody exited ({process.ExitCode}): {log} (see {Path.Combine(state, "prosody.log")})");
            }
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                break;
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(50, cancellationToken);
            }
        }
        var envFile = Path.Combine(state, "prosody.env");
        await File.WriteAllLinesAsync(envFile,
        [
            "FLEXCOOP_TEST_XMPP_HOST=127.0.0.1",
            $"FLEXCOOP_TEST_XMPP_PORT={port.ToString(CultureInfo.InvariantCulture)}",
            "FLEXCOOP_TEST_XMPP_DOMAIN=localhost",
            $"FLEXCOOP_TEST_XMPP_CA={caCrt}",
            $"FLEXCOOP_TEST_XMPP_EXTERNAL_DOMAIN={ExternalDomain}",
            // The VTN too logs in with a certificate (no account to create): ProsodyEnv.VtnOptions.
            "FLEXCOOP_LOAD_VTN_EXTERNAL=load-vtn",
        ], cancellationToken);
        return new LoadProsody(process, envFile);
    }

    private static (string CaCrt, string ServerCrt, string ServerKey) WriteCertificates(string state)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=FlexCoop load CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddDnsName(ExternalDomain);
        san.AddIpAddress(IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(san.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var server = serverRequest.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7), RandomNumberGenerator.GetBytes(12));

        // The CA's key beside its certificate, where ProsodyEnv.ExternalIssuer looks for it (as prosody.sh leaves it).
        var paths = (Path.Combine(state, "ca.crt"), Path.Combine(state, "server.crt"), Path.Combine(state, "server.key"));
        File.WriteAllText(paths.Item1, ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(state, "ca.key"), caKey.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(paths.Item2, server.ExportCertificatePem());
        File.WriteAllText(paths.Item3, serverKey.ExportPkcs8PrivateKeyPem());
        return paths;
    }

    /// <summary>
    /// The load configuration: the test config's security (STARTTLS required, TLS 1.2+, client
    /// certificates checked against the CA, SASL EXTERNAL by xmppAddr) without what costs per session
    /// and is not under test: debug logging (the test config logs every stanza), offline storage,
    /// rosters, s2s. epoll, Nagle off, a deep accept backlog, large reads, stream management acking
    /// every few stanzas rather than after each one. Lua's collector is incremental with a pause of
    /// 400 % (a cycle starts when the heap is four times what the last one left): with ten thousand
    /// sessions the heap is about a gigabyte, and a collection walks all of it; the generational
    /// mode cost Prosody 13.5 s of CPU for the event's 10,000 round trips, this one 7.2 s (same busy
    /// machine), for a larger resident size (1.7 rather than 1.1 GB).
    /// </summary>
    private static string Config(string state, int port, string caCrt, string serverCrt, string serverKey, int gcPause) => $$"""
        -- Written by the FlexCoop load driver (bench/FlexCoop.OpenAdr.LoadDriver/LoadProsody.cs) for one run.
        run_as_root = true
        pidfile = "{{state}}/prosody.pid"
        data_path = "{{state}}/data"
        certificates = "{{state}}/certs"
        log = { warn = "{{state}}/prosody.log" }
        network_backend = "epoll"
        network_settings = { nagle = false; tcp_backlog = 4096; read_size = 65536 }
        gc = { mode = "incremental"; threshold = {{gcPause}}; speed = 200 }
        interfaces = { "127.0.0.1" }
        c2s_ports = { {{port}} }
        c2s_direct_tls_ports = { }
        s2s_ports = { }
        admin_interfaces = { }
        plugin_paths = { "/usr/lib/prosody/modules" }
        modules_enabled = { "saslauth"; "tls"; "disco"; "ping"; "smacks" }
        modules_disabled = { "s2s"; "s2s_auth_certs"; "offline"; "http"; "admin_shell"; "admin_telnet" }
        c2s_require_encryption = true
        c2s_stanza_size_limit = 262144
        c2s_timeout = 600
        smacks_max_unacked_stanzas = 8
        smacks_hibernation_time = 60
        storage = "internal"
        ssl = {
            certificate = "{{serverCrt}}";
            key = "{{serverKey}}";
            cafile = "{{caCrt}}";
            protocol = "tlsv1_2+";
            verify = { "peer"; "client_once" };
        }
        VirtualHost "localhost"
        VirtualHost "{{ExternalDomain}}"
            authentication = "ccert"
            certificate_match = "xmppaddr"
        """;

    private double _cpuMark;

    /// <summary>Prosody's CPU time so far (user + system, from /proc), in seconds.</summary>
    public double CpuSeconds()
    {
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // utime and stime are fields 14 and 15 of /proc/PID/stat (11 and 12 after the command name).
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>Prints Prosody's CPU since the last mark over <paramref name="wall"/> (Prosody runs on one thread: 100 % is one core), then marks.</summary>
    public void Report(string? phase, TimeSpan wall)
    {
        var now = CpuSeconds();
        if (phase is not null)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  Prosody CPU during {phase}: {now - _cpuMark:F1} s in {wall.TotalSeconds:F1} s ({(now - _cpuMark) / Math.Max(0.001, wall.TotalSeconds):P0} of one core), RSS {Rss() / 1048576} MiB"));
        }
        _cpuMark = now;
    }

    private long Rss()
    {
        _process.Refresh();
        return _process.WorkingSet64;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
