using System.Diagnostics;
using System.Text.RegularExpressions;
using FlexCoop.Testing;

namespace FlexCoop.Cli.Tests;

/// <summary>
/// <c>flexcoop vtn serve</c> as a child process: operated with <c>vtn events</c> and <c>vtn vens</c>,
/// killed with SIGKILL and restarted on the same SQLite file.
/// </summary>
public sealed partial class VtnCliTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A running <c>flexcoop vtn serve</c> and the URLs it printed.</summary>
    private sealed class ServeProcess : IAsyncDisposable
    {
        private readonly Process _process;

        private ServeProcess(Process process, string api)
        {
            _process = process;
            Api = api;
        }

        public string Api { get; }

        public static Task<ServeProcess> StartAsync(string db) => StartWithStoreAsync("--db", db);

        /// <summary>Starts <c>vtn serve</c> on plain HTTP with the store options given (<c>--db FILE</c> or <c>--postgres ...</c>).</summary>
        public static async Task<ServeProcess> StartWithStoreAsync(params string[] store)
        {
            var psi = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in new[] { Flexcoop.DllPath, "vtn", "serve", "--insecure-http", "--urls", "http://127.0.0.1:0", "--api-url", "http://127.0.0.1:0" }.Concat(store))
            {
                psi.ArgumentList.Add(a);
            }
            var process = Process.Start(psi) ?? throw new InvalidOperationException("flexcoop did not start");
            _ = process.StandardError.ReadToEndAsync(Ct);
            string? api = null;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (api is null && await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (OperatorLine().Match(line) is { Success: true } m) api = m.Groups[1].Value;
            }
            _ = process.StandardOutput.ReadToEndAsync(Ct);
            return new ServeProcess(process, api ?? throw new InvalidOperationException("vtn serve printed no operator API URL"));
        }

        /// <summary>SIGTERM, as a service manager stops it; returns the exit code.</summary>
        public async Task<int> TerminateAsync()
        {
            var (killExit, _, killError) = await TestEnvironment.RunAsync("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            Assert.True(killExit == 0, killError);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(timeout.Token);
            return _process.ExitCode;
        }

        /// <summary>SIGKILL: no shutdown code runs.</summary>
        public async Task KillAsync()
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(Ct);
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited) await KillAsync();
            _process.Dispose();
        }
    }

    [GeneratedRegex(@"^operator API on (\S+)")]
    private static partial Regex OperatorLine();

    [Fact]
    public async Task Vtn_serve_stops_cleanly_on_sigterm()
    {
        var dir = Directory.CreateTempSubdirectory("flexcoop-vtn-term-").FullName;
        await using var vtn = await ServeProcess.StartAsync(Path.Combine(dir, "vtn.db"));

        Assert.Equal(ExitCodeSuccess, await vtn.TerminateAsync());
    }

    private const int ExitCodeSuccess = 0;

    [Fact]
    public async Task Events_created_through_the_cli_survive_a_sigkill_of_the_vtn()
    {
        var dir = Directory.CreateTempSubdirectory("flexcoop-vtn-cli-").FullName;
        var db = Path.Combine(dir, "vtn.db");
        try
        {
            string eventId;
            await using (var first = await ServeProcess.StartAsync(db))
            {
                var created = await Flexcoop.RunAsync("vtn", "events", "create", "--api", first.Api, "--signal", "SIMPLE",
                    "--interval", "PT30M=1", "--interval", "PT30M=2", "--start", "+PT1H", "--start-after", "PT5M");
                Assert.True(created.ExitCode == 0, created.StdErr);
                eventId = Regex.Match(created.StdOut, @"created (\S+) \(modificationNumber 0").Groups[1].Value;
                Assert.NotEmpty(eventId);
                var modified = await Flexcoop.RunAsync("vtn", "events", "modify", eventId, "--api", first.Api, "--interval", "PT1H=3", "--start", "+PT1H");
                Assert.True(modified.ExitCode == 0, modified.StdErr);
                Assert.Contains("modificationNumber 1", modified.StdOut);
                await first.KillAsync();
            }

            await using var second = await ServeProcess.StartAsync(db);
            var list = await Flexcoop.RunAsync("vtn", "events", "list", "--api", second.Api);
            Assert.Equal(0, list.ExitCode);
            Assert.Matches($@"{Regex.Escape(eventId)}\s+1\s+(far|near)", list.StdOut);

            var cancel = await Flexcoop.RunAsync("vtn", "events", "cancel", eventId, "--api", second.Api);
            Assert.Contains("modificationNumber 2", cancel.StdOut);
            var vens = await Flexcoop.RunAsync("vtn", "vens", "--api", second.Api);
            Assert.Equal(0, vens.ExitCode);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Event_with_intervals_not_adding_up_is_refused_with_the_rule()
    {
        var dir = Directory.CreateTempSubdirectory("flexcoop-vtn-cli-").FullName;
        try
        {
            await using var vtn = await ServeProcess.StartAsync(Path.Combine(dir, "vtn.db"));
            var refused = await Flexcoop.RunAsync("vtn", "events", "create", "--api", vtn.Api, "--signal", "SIMPLE", "--interval", "PT30M=7");
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains("rule 9", refused.StdErr);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Serve_without_tls_material_or_insecure_flag_is_a_usage_error()
    {
        var result = await Flexcoop.RunAsync("vtn", "serve", "--urls", "https://127.0.0.1:0");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--tls-cert", result.StdErr);
    }
}
