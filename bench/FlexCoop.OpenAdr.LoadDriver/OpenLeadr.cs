using System.Diagnostics;

/// <summary>
/// The OpenLEADR VTN (github.com/OpenLEADR/openleadr-python), run for comparison in the same run as
/// ours when its source is on this machine: <c>--openleadr-dir DIR</c> or <c>FLEXCOOP_OPENLEADR_DIR</c>
/// names the checkout (the folder holding the <c>openleadr</c> package), which goes on PYTHONPATH; its
/// dependencies come from the system's Python (Debian: python3-aiohttp python3-lxml python3-xmltodict
/// python3-jinja2 python3-apscheduler python3-dateutil python3-tz python3-cryptography).
/// <c>FLEXCOOP_OPENLEADR_PYTHON</c> names another interpreter. Nothing of OpenLEADR is part of this
/// project: the driver only starts it with the few lines below, which use its public API the way its
/// documentation shows a VTN (a registration handler, a <c>ven_lookup</c>, internal poll queues),
/// on plain HTTP, where it neither signs nor verifies signatures.
/// </summary>
internal sealed class OpenLeadrVtn : IAsyncDisposable
{
    // signxml is not packaged for Debian and OpenLEADR imports it at load time. On plain HTTP without
    // a signing certificate it is never called, so where it is missing a stand-in that refuses to
    // sign or verify lets the VTN load; where it is installed, the real one is used.
    private const string Script = """
        import asyncio, sys, types, uuid, logging
        from datetime import timedelta
        try:
            import signxml
        except ImportError:
            class Refuse:
                def __init__(self, *args, **kwargs):
                    self.namespaces = {}
                def sign(self, *args, **kwargs):
                    raise RuntimeError("signxml is not installed: this VTN cannot sign")
                def verify(self, *args, **kwargs):
                    raise RuntimeError("signxml is not installed: this VTN cannot verify signatures")
            class InvalidSignature(Exception):
                pass
            signxml = types.ModuleType("signxml")
            signxml.XMLSigner = Refuse
            signxml.XMLVerifier = Refuse
            signxml.methods = types.SimpleNamespace(detached="detached", enveloped="enveloped", enveloping="enveloping")
            signxml.exceptions = types.ModuleType("signxml.exceptions")
            signxml.exceptions.InvalidSignature = InvalidSignature
            sys.modules["signxml"] = signxml
            sys.modules["signxml.exceptions"] = signxml.exceptions
            print("NOTE signxml not installed: a stand-in that refuses to sign is used (plain HTTP signs nothing)", flush=True)
        from openleadr import OpenADRServer
        logging.getLogger("openleadr").setLevel(logging.ERROR)
        vens = {}
        def ven_lookup(ven_id):
            return vens.get(ven_id)
        async def on_create_party_registration(info):
            ven_id, registration_id = "ven-" + uuid.uuid4().hex[:20], "reg-" + uuid.uuid4().hex[:20]
            vens[ven_id] = {"ven_id": ven_id, "ven_name": info.get("ven_name"), "fingerprint": None, "registration_id": registration_id}
            return ven_id, registration_id
        async def main():
            server = OpenADRServer(vtn_id="openleadr-vtn", http_host="127.0.0.1", http_port=0,
                                   requested_poll_freq=timedelta(seconds=10), ven_lookup=ven_lookup)
            server.add_handler("on_create_party_registration", on_create_party_registration)
            await server.run()
            print(f"READY http://127.0.0.1:{server.app_runner.addresses[0][1]}/", flush=True)
            await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
            await server.stop()
        asyncio.run(main())
        """;

    private readonly Process _process;
    private readonly List<string> _errors;

    private OpenLeadrVtn(Process process, Uri url, List<string> errors)
    {
        _process = process;
        Url = url;
        _errors = errors;
    }

    /// <summary>Where the VTN listens (plain HTTP on loopback, a port the OS chose).</summary>
    public Uri Url { get; }

    /// <summary>The OpenLEADR checkout named by <c>--openleadr-dir</c> or <c>FLEXCOOP_OPENLEADR_DIR</c>; null when neither is set.</summary>
    public static string? Locate(string[] args)
    {
        var i = Array.IndexOf(args, "--openleadr-dir");
        var dir = i >= 0 && i + 1 < args.Length ? args[i + 1] : Environment.GetEnvironmentVariable("FLEXCOOP_OPENLEADR_DIR");
        return string.IsNullOrEmpty(dir) ? null : Path.GetFullPath(dir);
    }

    /// <summary>Starts OpenLEADR's VTN from <paramref name="dir"/>; fails with what Python said when it cannot.</summary>
    public static async Task<OpenLeadrVtn> StartAsync(string dir)
    {
        if (!File.Exists(Path.Combine(dir, "openleadr", "__init__.py")))
        {
            throw new InvalidOperationException($"{dir} does not hold the openleadr package (expected {Path.Combine(dir, "openleadr", "__init__.py")}); clone github.com/OpenLEADR/openleadr-python there");
        }
        var python = Environment.GetEnvironmentVariable("FLEXCOOP_OPENLEADR_PYTHON") is { Length: > 0 } p ? p
            : File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var psi = new ProcessStartInfo(python) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(Script);
        psi.Environment["PYTHONPATH"] = dir;
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"{python} did not start");
        var errors = new List<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (errors)
            {
                errors.Add(e.Data);
                if (errors.Count > 40) errors.RemoveAt(0);
            }
        };
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.StartsWith("READY ", StringComparison.Ordinal))
                {
                    var vtn = new OpenLeadrVtn(process, new Uri(line["READY ".Length..]), errors);
                    _ = DrainAsync(process.StandardOutput);
                    return vtn;
                }
                if (line.StartsWith("NOTE ", StringComparison.Ordinal)) Console.WriteLine("  [openleadr] " + line["NOTE ".Length..]);
            }
        }
        catch (OperationCanceledException)
        {
        }
        if (!process.HasExited) process.Kill();
        await process.WaitForExitAsync();
        string said;
        lock (errors) said = string.Join(Environment.NewLine, errors.TakeLast(8));
        process.Dispose();
        throw new InvalidOperationException($"OpenLEADR's VTN did not start with {python} and PYTHONPATH={dir}:{Environment.NewLine}{said}");
    }

    // Its banner and anything else it prints must not fill the pipe.
    private static async Task DrainAsync(StreamReader output)
    {
        try
        {
            while (await output.ReadLineAsync() is not null)
            {
            }
        }
        catch (ObjectDisposedException)
        {
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Its resident memory and CPU time so far (it is one process, one thread of Python).</summary>
    public (long Rss, double CpuSeconds) Stat()
    {
        _process.Refresh();
        return (_process.WorkingSet64, _process.TotalProcessorTime.TotalSeconds);
    }

    /// <summary>What it last wrote on standard error (for a failed phase).</summary>
    public string LastErrors()
    {
        lock (_errors) return string.Join(Environment.NewLine, _errors.TakeLast(8));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close(); // it stops when its standard input ends
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
        }
        catch (IOException)
        {
            if (!_process.HasExited) _process.Kill();
        }
        _process.Dispose();
    }
}
