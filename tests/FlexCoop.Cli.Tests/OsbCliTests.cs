using System.Diagnostics;
using System.Text.RegularExpressions;

namespace FlexCoop.Cli.Tests;

/// <summary><c>flexcoop osb run</c> and <c>flexcoop simulate</c>, as a user runs them.</summary>
public sealed partial class OsbCliTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Osb_run_help_names_its_options_and_an_example()
    {
        var (code, stdout, _) = await Flexcoop.RunAsync("osb", "run", "--help");

        Assert.Equal(0, code);
        foreach (var option in new[] { "--middleware", "--home", "--ca", "--client-id", "--client-secret", "--cert", "--key", "--time-scale" })
        {
            Assert.Contains(option, stdout, StringComparison.Ordinal);
        }
        Assert.Contains("Example: flexcoop osb run", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_help_names_its_options_and_an_example()
    {
        var (code, stdout, _) = await Flexcoop.RunAsync("simulate", "--help");

        Assert.Equal(0, code);
        foreach (var option in new[] { "--homes", "--middleware", "--seed", "--ca", "--client-id", "--client-secret", "--issuer-cert" })
        {
            Assert.Contains(option, stdout, StringComparison.Ordinal);
        }
        Assert.Contains("Example: flexcoop simulate", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Osb_run_with_a_broken_home_file_exits_2_naming_the_rule()
    {
        using var temp = new CliTempDirectory();
        var home = Path.Combine(temp.Path, "home.json");
        await File.WriteAllTextAsync(home, """{ "homeId": "h1", "comfort": { "minC": 22, "maxC": 21 } }""", Ct);

        var (code, _, stderr) = await Flexcoop.RunAsync("osb", "run", "--middleware", "https://127.0.0.1:1", "--home", home, "--client-id", "a", "--client-secret", "b");

        Assert.Equal(2, code);
        Assert.Contains("comfort", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_without_credentials_exits_2()
    {
        var (code, _, stderr) = await Flexcoop.RunAsync("simulate", "--homes", "3", "--middleware", "https://127.0.0.1:1");

        Assert.Equal(2, code);
        Assert.Contains("--client-id", stderr, StringComparison.Ordinal);
    }

    private static Process Start(params string[] args) => FlexcoopProcess.Start(args);

    private static async Task<Match> WaitForLineAsync(Process process, Regex pattern)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (pattern.Match(line) is { Success: true } m) return m;
        }
        throw new InvalidOperationException($"no line matching {pattern}");
    }

    private static async Task StopAsync(Process? process)
    {
        if (process is null) return;
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync(Ct);
        process.Dispose();
    }

    [GeneratedRegex(@"^listening on (\S+)")]
    private static partial Regex Listening();

    [GeneratedRegex(@"^operator API on (\S+)")]
    private static partial Regex OperatorApi();

    [GeneratedRegex(@"^registered as (\S+) ")]
    private static partial Regex Registered();

    [GeneratedRegex(@"^started (\d+) of (\d+) homes")]
    private static partial Regex Started();

    [Fact]
    public async Task Osb_run_and_simulate_register_with_vtn_serve_in_certificate_mode()
    {
        using var temp = new CliTempDirectory();
        string F(string name) => Path.Combine(temp.Path, name);
        var pki = await Flexcoop.RunAsync("certs", "create", "--out", temp.Path);
        Assert.True(pki.ExitCode == 0, pki.StdErr);
        await File.WriteAllTextAsync(F("home.json"), """{ "homeId": "home-cli", "location": { "latitude": 52.1, "longitude": 5.1 } }""", Ct);
        var vtn = Start("vtn", "serve", "--urls", "https://127.0.0.1:0", "--api-url", "http://127.0.0.1:0", "--db", F("vtn.db"),
            "--tls-cert", F("vtn-ecc.crt"), "--tls-key", F("vtn-ecc.key"), "--ca", F("ca-bundle.crt"), "--poll-frequency", "PT2S");
        Process? osb = null;
        Process? sim = null;
        try
        {
            var url = (await WaitForLineAsync(vtn, Listening())).Groups[1].Value;
            var api = (await WaitForLineAsync(vtn, OperatorApi())).Groups[1].Value;
            _ = vtn.StandardOutput.ReadToEndAsync(Ct);

            // The CA bundle starts with the RSA root: the ECC VEN and the ECC VTN are accepted only if every
            // certificate of the bundle is read, not just its first.
            osb = Start("osb", "run", "--middleware", url, "--home", F("home.json"), "--cert", F("ven-ecc.crt"), "--key", F("ven-ecc.key"), "--ca", F("ca-bundle.crt"));
            var venId = (await WaitForLineAsync(osb, Registered())).Groups[1].Value;

            sim = Start("simulate", "--homes", "20", "--middleware", url, "--ca", F("ca-ecc.crt"), "--issuer-cert", F("ca-ecc.crt"), "--issuer-key", F("ca-ecc.key"), "--start-spread", "PT0S");
            var started = await WaitForLineAsync(sim, Started());
            Assert.Equal(("20", "20"), (started.Groups[1].Value, started.Groups[2].Value));

            var vens = await Flexcoop.RunAsync("vtn", "vens", "--api", api);
            Assert.True(vens.ExitCode == 0, vens.StdErr);
            Assert.Contains(venId, vens.StdOut, StringComparison.Ordinal);
            Assert.Contains("home-cli", vens.StdOut, StringComparison.Ordinal);
            foreach (var i in Enumerable.Range(1, 20)) Assert.Contains($"home-{i:D4}", vens.StdOut, StringComparison.Ordinal);
        }
        finally
        {
            await StopAsync(sim);
            await StopAsync(osb);
            await StopAsync(vtn);
        }
    }
}
