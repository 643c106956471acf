using System.Diagnostics;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace FlexCoop.Cli.Tests;

/// <summary><c>flexcoop serve --demo</c> as a child process: the URLs it prints, the demo credentials, the APIs, a SIGKILL and a restart.</summary>
public sealed partial class ServeCliTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class ServeProcess : IAsyncDisposable
    {
        private readonly Process _process;

        private ServeProcess(Process process, Uri url, string output)
        {
            _process = process;
            Url = url;
            Output = output;
        }

        public Uri Url { get; }

        /// <summary>What it printed up to the registry API line.</summary>
        public string Output { get; }

        public static async Task<ServeProcess> StartAsync(string dir)
        {
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { Flexcoop.DllPath, "serve", "--demo", "--data", dir, "--urls", "https://127.0.0.1:0", "--poll-period", "PT2S" })
            {
                psi.ArgumentList.Add(a);
            }
            var process = Process.Start(psi) ?? throw new InvalidOperationException("flexcoop did not start");
            var stderr = process.StandardError.ReadToEndAsync(Ct);
            var lines = new List<string>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            Uri? url = null;
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                lines.Add(line);
                if (MiddlewareLine().Match(line) is { Success: true } m) url = new Uri(m.Groups[1].Value);
                if (line.StartsWith("token:", StringComparison.Ordinal)) break;
            }
            _ = process.StandardOutput.ReadToEndAsync(Ct);
            if (url is null)
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"serve printed no middleware URL: {string.Join('\n', lines)}\n{(process.HasExited ? await stderr : "")}");
            }
            return new ServeProcess(process, url, string.Join('\n', lines));
        }

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

    [GeneratedRegex(@"^middleware URL: (\S+)")]
    private static partial Regex MiddlewareLine();

    private static HttpClient Client(string caFile)
    {
        var ca = X509CertificateLoader.LoadCertificateFromFile(caFile);
        return new HttpClient(new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    if (certificate is not X509Certificate2 c) return false;
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(ca);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(c);
                },
            },
        })
        { Timeout = TimeSpan.FromSeconds(60) };
    }

    [Fact]
    public async Task Serve_demo_prints_its_urls_and_credentials_that_open_the_registry_api_and_keeps_them_across_a_sigkill()
    {
        var dir = Directory.CreateTempSubdirectory("flexcoop-serve-cli-").FullName;
        try
        {
            string ca;
            string password;
            await using (var first = await ServeProcess.StartAsync(dir))
            {
                Assert.Contains("registry API: " + new Uri(first.Url, "/api/registry/ders"), first.Output, StringComparison.Ordinal);
                Assert.Contains("osb-enrolment", first.Output, StringComparison.Ordinal);
                Assert.Contains("prosumer-0001 (owns home-0001)", first.Output, StringComparison.Ordinal);
                ca = await File.ReadAllTextAsync(Path.Combine(dir, "ca.crt"), Ct);
                password = await File.ReadAllTextAsync(Path.Combine(dir, "aggregator.password"), Ct);
                Assert.True(File.Exists(Path.Combine(dir, "osb-enrolment.secret")));

                using var http = Client(Path.Combine(dir, "ca.crt"));
                var token = await TokenAsync(http, first.Url, password);
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(first.Url, "/api/registry/ders"));
                request.Headers.Authorization = new("Bearer", token);
                using var ders = await http.SendAsync(request, Ct);
                Assert.Equal(200, (int)ders.StatusCode);
                Assert.Equal("[]", await ders.Content.ReadAsStringAsync(Ct));
                using var anonymous = await http.GetAsync(new Uri(first.Url, "/api/registry/ders"), Ct);
                Assert.Equal(401, (int)anonymous.StatusCode);
                var openApi = await http.GetStringAsync(new Uri(first.Url, "/api/openapi.json"), Ct);
                using var doc = JsonDocument.Parse(openApi);
                var paths = doc.RootElement.GetProperty("paths");
                Assert.True(paths.TryGetProperty("/api/registry/ders", out _));
                Assert.True(paths.TryGetProperty("/api/enrolment", out _));
                Assert.Equal(ca, await http.GetStringAsync(new Uri(first.Url, "/api/ca.crt"), Ct));
                await first.KillAsync();
            }

            await using var second = await ServeProcess.StartAsync(dir);
            Assert.Equal(ca, await File.ReadAllTextAsync(Path.Combine(dir, "ca.crt"), Ct));
            Assert.Equal(password, await File.ReadAllTextAsync(Path.Combine(dir, "aggregator.password"), Ct));
            using var again = Client(Path.Combine(dir, "ca.crt"));
            Assert.NotEmpty(await TokenAsync(again, second.Url, password));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<string> TokenAsync(HttpClient http, Uri url, string password)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = "aggregator",
            ["password"] = password,
            ["scope"] = "registry",
        });
        using var response = await http.PostAsync(new Uri(url, "/connect/token"), form, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, body);
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("access_token").GetString()!;
    }

    [Fact]
    public async Task Serve_with_mqtt_but_no_postgres_is_a_usage_error()
    {
        var dir = Directory.CreateTempSubdirectory("flexcoop-serve-cli-").FullName;
        try
        {
            var result = await Flexcoop.RunAsync("serve", "--data", dir, "--urls", "https://127.0.0.1:0", "--mqtt", "mqtt://127.0.0.1:1883");
            Assert.Equal(2, result.ExitCode);
            Assert.Contains("--postgres", result.StdErr, StringComparison.Ordinal);
            var badPeriod = await Flexcoop.RunAsync("serve", "--data", dir, "--poll-period", "ten seconds");
            Assert.Equal(2, badPeriod.ExitCode);
            Assert.Contains("--poll-period", badPeriod.StdErr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
