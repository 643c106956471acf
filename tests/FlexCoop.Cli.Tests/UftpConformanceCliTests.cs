using System.Diagnostics;
using System.Xml.Linq;

namespace FlexCoop.Cli.Tests;

/// <summary><c>flexcoop conformance uftp</c> against <c>flexcoop uftp serve</c>, both as processes on loopback.</summary>
public sealed class UftpConformanceCliTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("flexcoop-uftp-suite-cli-");

    private string F(string name) => Path.Combine(_dir.FullName, name);

    public void Dispose() => _dir.Delete(recursive: true);

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task<(Process Serve, string Url)> ServeAsync(string db, params string[] extra)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _dir.FullName };
        foreach (var a in new[] { Flexcoop.DllPath, "uftp", "serve", "--role", "agr", "--domain", "agr.example.org", "--key", F("agr.key"), "--db", F(db),
                     "--listen", "127.0.0.1:0", "--participants", F("participants.json"), "--no-dns", "--congestion-point", "ean.871685900012345678" }.Concat(extra))
        {
            psi.ArgumentList.Add(a);
        }
        var serve = Process.Start(psi)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var line = await serve.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("serve exited: " + await serve.StandardError.ReadToEndAsync(timeout.Token));
            if (line.StartsWith("listening on ", StringComparison.Ordinal)) return (serve, line["listening on ".Length..].Trim());
        }
    }

    private static async Task StopAsync(Process serve)
    {
        serve.Kill(entireProcessTree: true);
        await serve.WaitForExitAsync(TestContext.Current.CancellationToken);
        serve.Dispose();
    }

    [Fact]
    public async Task Suite_passes_our_agr_and_fails_it_in_a_fault_mode_with_junit_and_html_reports()
    {
        await Flexcoop.RunAsync("uftp", "keygen", "--out", F("agr"));
        await Flexcoop.RunAsync("uftp", "keygen", "--out", F("suite"));
        var port = FreePort();
        File.WriteAllText(F("participants.json"), $$"""
            [{ "domain": "suite.flexcoop.test", "role": "DSO", "endpoint": "http://127.0.0.1:{{port}}/shapeshifter/api/v3/message", "publicKeys": ["{{File.ReadAllText(F("suite.pub")).Trim()}}"] }]
            """);
        string[] Suite(string url, string junit) =>
            ["conformance", "uftp", "--role", "agr", "--endpoint", url, "--domain", "agr.example.org", "--keys", F("suite"), "--participant-key", F("agr.pub"),
             "--listen", $"127.0.0.1:{port}", "--cases", "transport.*,signature.*,flex-order.*", "--response-timeout", "5", "--junit", F(junit), "--html", F(junit + ".html")];

        var (serve, url) = await ServeAsync("agr.db");
        try
        {
            var (code, stdout, stderr) = await Flexcoop.RunAsync(Suite(url, "ok.xml"));
            Assert.True(code == 0, stdout + stderr);
            Assert.Contains("flex-order.revoked-offer pass", stdout, StringComparison.Ordinal);
            Assert.Contains(" 0 fail,", stdout, StringComparison.Ordinal);
            var suite = XDocument.Load(F("ok.xml")).Root!.Element("testsuite")!;
            Assert.Equal("0", (string)suite.Attribute("failures")!);
            Assert.Equal(15, suite.Elements("testcase").Count());
            Assert.Contains("flex-order.valid", File.ReadAllText(F("ok.xml.html")), StringComparison.Ordinal);
        }
        finally
        {
            await StopAsync(serve);
        }

        (serve, url) = await ServeAsync("faulty.db", "--fault", "accepts-bad-signature", "--fault", "accepts-order-on-expired-offer");
        try
        {
            var (code, stdout, _) = await Flexcoop.RunAsync(Suite(url, "faulty.xml"));
            Assert.Equal(1, code);
            Assert.Contains("signature.bad fail", stdout, StringComparison.Ordinal);
            Assert.Contains("flex-order.expired-offer fail", stdout, StringComparison.Ordinal);
            var failed = XDocument.Load(F("faulty.xml")).Descendants("testcase").Where(t => t.Element("failure") is not null).Select(t => ((string)t.Attribute("name")!).Split(' ')[0]).Order(StringComparer.Ordinal);
            Assert.Equal(["flex-order.expired-offer", "signature.bad"], failed);
        }
        finally
        {
            await StopAsync(serve);
        }
    }

    [Fact]
    public async Task List_shows_the_cases_of_a_role_and_bad_options_are_usage_errors()
    {
        var (code, stdout, _) = await Flexcoop.RunAsync("conformance", "uftp", "--role", "dso", "--endpoint", "http://127.0.0.1:9/", "--domain", "dso.example.com", "--list");
        Assert.Equal(0, code);
        Assert.Contains("d-prognosis.incomplete", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("flex-order.valid", stdout, StringComparison.Ordinal);

        (code, _, var stderr) = await Flexcoop.RunAsync("conformance", "uftp", "--role", "dso", "--endpoint", "ftp://x/", "--domain", "dso.example.com");
        Assert.Equal(2, code);
        Assert.Contains("--endpoint", stderr, StringComparison.Ordinal);

        (code, _, stderr) = await Flexcoop.RunAsync("uftp", "serve", "--role", "cro", "--domain", "cro.example.net", "--key", F("missing.key"), "--fault", "accepts-everything");
        Assert.Equal(2, code);
    }
}
