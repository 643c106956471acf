using System.Diagnostics;
using System.Text.RegularExpressions;
using FlexCoop.Testing;

namespace FlexCoop.Cli.Tests;

/// <summary>
/// <c>vtn serve --xmpp-server ...</c> and <c>ven run --xmpp-server ...</c> through the Prosody that
/// scripts/ci/prosody.sh starts (env file in FLEXCOOP_TEST_XMPP_ENV): the VTN logs in with a
/// password, the VEN with SASL EXTERNAL on its certificate.
/// </summary>
public sealed partial class VenCliTests
{
    [GeneratedRegex(@"^XMPP transport as (\S+)")]
    private static partial Regex XmppTransport();

    private static Dictionary<string, string> ProsodyEnvironment()
    {
        var path = Environment.GetEnvironmentVariable("FLEXCOOP_TEST_XMPP_ENV") is { Length: > 0 } e ? e : "/tmp/flexcoop-prosody.env";
        if (!File.Exists(path))
        {
            TestEnvironment.SkipOrFail("no Prosody test server: run 'scripts/ci/prosody.sh' and set FLEXCOOP_TEST_XMPP_ENV to its env file");
        }
        return File.ReadAllLines(path).Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.Ordinal);
    }

    [Fact]
    public async Task Ven_run_over_xmpp_registers_with_vtn_serve_through_prosody_and_receives_an_event()
    {
        var env = ProsodyEnvironment();
        var server = $"{env["FLEXCOOP_TEST_XMPP_HOST"]}:{env["FLEXCOOP_TEST_XMPP_PORT"]}";
        var dir = Directory.CreateTempSubdirectory("flexcoop-ven-xmpp-").FullName;
        Process? vtn = null, ven = null;
        try
        {
            vtn = Start("vtn", "serve", "--insecure-http", "--urls", "http://127.0.0.1:0", "--api-url", "http://127.0.0.1:0", "--db", Path.Combine(dir, "vtn.db"),
                "--xmpp-server", server, "--xmpp-jid", $"{env["FLEXCOOP_TEST_XMPP_USER2"]}@{env["FLEXCOOP_TEST_XMPP_DOMAIN"]}/cli-vtn",
                "--xmpp-password", env["FLEXCOOP_TEST_XMPP_PASSWORD2"], "--xmpp-ca", env["FLEXCOOP_TEST_XMPP_CA"]);
            var api = (await WaitForLineAsync(vtn, OperatorApi())).Groups[1].Value;
            var vtnJid = (await WaitForLineAsync(vtn, XmppTransport())).Groups[1].Value;
            _ = vtn.StandardOutput.ReadToEndAsync(Ct);

            var venJid = $"{env["FLEXCOOP_TEST_XMPP_EXTERNAL_USER"]}@{env["FLEXCOOP_TEST_XMPP_EXTERNAL_DOMAIN"]}";
            ven = Start("ven", "run", "--vtn", "xmpp:" + vtnJid, "--ven-name", "xmpp-boiler", "--state", Path.Combine(dir, "ven.db"),
                "--xmpp-server", server, "--xmpp-jid", venJid + "/cli-ven", "--xmpp-ca", env["FLEXCOOP_TEST_XMPP_CA"],
                "--cert", env["FLEXCOOP_TEST_XMPP_EXTERNAL_CERT"], "--key", env["FLEXCOOP_TEST_XMPP_EXTERNAL_KEY"]);
            var venId = (await WaitForLineAsync(ven, Registered())).Groups[1].Value;
            Assert.Equal("xmpp:" + venJid, venId);

            var created = await Flexcoop.RunAsync("vtn", "events", "create", "--api", api, "--interval", "PT10M=2", "--start", "+PT5M");
            Assert.True(created.ExitCode == 0, created.StdErr);
            var eventId = Regex.Match(created.StdOut, @"created (\S+) ").Groups[1].Value;
            Assert.Equal(eventId, (await WaitForLineAsync(ven, EventAdded())).Groups[1].Value); // pushed over XMPP
            var vens = await Flexcoop.RunAsync("vtn", "vens", "--api", api);
            Assert.Contains(venId, vens.StdOut, StringComparison.Ordinal);
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

    [Fact]
    public async Task Ven_run_with_xmpp_server_but_an_https_vtn_address_is_a_usage_error()
    {
        var result = await Flexcoop.RunAsync("ven", "run", "--vtn", "https://127.0.0.1:1", "--ven-name", "x", "--xmpp-server", "127.0.0.1:1",
            "--xmpp-jid", "ven@example.org/ven", "--xmpp-password", "p");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("xmpp:", result.StdErr, StringComparison.Ordinal);
    }
}
