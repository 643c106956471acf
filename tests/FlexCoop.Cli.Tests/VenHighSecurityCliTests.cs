using System.Diagnostics;
using System.Text.RegularExpressions;

namespace FlexCoop.Cli.Tests;

/// <summary><c>--security high</c> on <c>vtn serve</c> and <c>ven run</c>, over mutual TLS with a PKI from <c>certs create</c>.</summary>
public sealed partial class VenCliTests
{
    [Fact]
    public async Task High_security_ven_run_registers_with_high_security_vtn_serve_and_a_standard_ven_is_refused()
    {
        var dir = Directory.CreateTempSubdirectory("flexcoop-ven-high-").FullName;
        var pki = Path.Combine(dir, "pki");
        string P(string file) => Path.Combine(pki, file);
        Process? vtn = null, ven = null;
        try
        {
            var certs = await Flexcoop.RunAsync("certs", "create", "--out", pki);
            Assert.True(certs.ExitCode == 0, certs.StdErr);
            vtn = Start("vtn", "serve", "--security", "high", "--urls", "https://127.0.0.1:0", "--api-url", "http://127.0.0.1:0",
                "--db", Path.Combine(dir, "vtn.db"), "--poll-frequency", "PT1S",
                "--tls-cert", P("vtn-ecc.crt"), "--tls-key", P("vtn-ecc.key"), "--tls-cert", P("vtn-rsa.crt"), "--tls-key", P("vtn-rsa.key"),
                "--ca", P("ca-rsa.crt"), "--ca", P("ca-ecc.crt"));
            var url = (await WaitForLineAsync(vtn, Listening())).Groups[1].Value;
            var api = (await WaitForLineAsync(vtn, OperatorApi())).Groups[1].Value;
            _ = vtn.StandardOutput.ReadToEndAsync(Ct);
            string[] Tls(string name) => ["--cert", P(name + ".crt"), "--key", P(name + ".key"), "--ca", P("ca-rsa.crt"), "--ca", P("ca-ecc.crt")];

            var standard = await Flexcoop.RunAsync(["ven", "run", "--vtn", url, "--ven-name", "plain", "--state", Path.Combine(dir, "plain.db"), .. Tls("ven-rsa")]);
            Assert.Equal(2, standard.ExitCode);
            Assert.Contains("463", standard.StdErr, StringComparison.Ordinal);
            Assert.Contains("NoSignature", standard.StdErr, StringComparison.Ordinal);

            ven = Start(["ven", "run", "--security", "high", "--vtn", url, "--ven-name", "secure-1", "--state", Path.Combine(dir, "ven.db"), .. Tls("ven-ecc")]);
            var venId = (await WaitForLineAsync(ven, Registered())).Groups[1].Value;
            var created = await Flexcoop.RunAsync("vtn", "events", "create", "--api", api, "--interval", "PT10M=2", "--start", "+PT1M");
            Assert.True(created.ExitCode == 0, created.StdErr);
            var eventId = Regex.Match(created.StdOut, @"created (\S+) ").Groups[1].Value;
            Assert.Equal(eventId, (await WaitForLineAsync(ven, EventAdded())).Groups[1].Value);
            var vens = await Flexcoop.RunAsync("vtn", "vens", "--api", api);
            Assert.Contains(venId, vens.StdOut, StringComparison.Ordinal);
            Assert.DoesNotContain("plain", vens.StdOut, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var process in new[] { ven, vtn })
            {
                if (process is null) continue;
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(Ct);
                process.Dispose();
            }
            Directory.Delete(dir, recursive: true);
        }
    }
}
