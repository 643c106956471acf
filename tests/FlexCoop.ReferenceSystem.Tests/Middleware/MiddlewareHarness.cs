using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using FlexCoop.OpenAdr.Ven;
using FlexCoop.ReferenceSystem.Bus;
using FlexCoop.ReferenceSystem.Hosting;
using FlexCoop.ReferenceSystem.Registry;

namespace FlexCoop.ReferenceSystem.Tests.Middleware;

/// <summary>
/// A middleware node on loopback (OS-assigned port, its own data directory, 1 s polls), an HTTP
/// client that trusts its CA, and helpers to get tokens, enrol OSBs and wait on the registry log.
/// </summary>
internal sealed class MiddlewareHarness : IAsyncDisposable
{
    public static readonly TimeSpan PollPeriod = TimeSpan.FromSeconds(1);
    public const int TimeoutPolls = 3;

    private readonly ConcurrentQueue<RegistryEvent> _log = new();
    private readonly List<OadrVen> _vens = [];
    private readonly bool _ownsDirectory;
    private IAsyncDisposable? _subscription;
    private event Action? LogChanged;

    private MiddlewareHarness(MiddlewareHost host, string directory, bool ownsDirectory)
    {
        Host = host;
        Directory = directory;
        _ownsDirectory = ownsDirectory;
        Http = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is X509Certificate2 c && host.Ca.Issued(c),
            },
        })
        { Timeout = TimeSpan.FromSeconds(60) };
    }

    public MiddlewareHost Host { get; }

    public string Directory { get; }

    public HttpClient Http { get; }

    public Uri Url => Host.Url;

    public static async Task<MiddlewareHarness> StartAsync(string? directory = null, Func<MiddlewareOptions, MiddlewareOptions>? configure = null, string name = "MW")
    {
        var owns = directory is null;
        directory ??= System.IO.Directory.CreateTempSubdirectory("flexcoop-mw-").FullName;
        var options = new MiddlewareOptions
        {
            DataDirectory = directory,
            Urls = ["https://127.0.0.1:0"],
            PollPeriod = PollPeriod,
            TimeoutPolls = TimeoutPolls,
            Demo = true,
        };
        options = configure?.Invoke(options) ?? options;
        var host = await MiddlewareHost.StartAsync(options, TestOutputLoggerProvider.Factory(name), null, TestContext.Current.CancellationToken);
        var harness = new MiddlewareHarness(host, directory, owns);
        harness._subscription = await host.Bus.SubscribeAsync<RegistryEvent>(BusTopics.RegistryLog, (m, _) =>
        {
            harness._log.Enqueue(m.Body);
            harness.LogChanged?.Invoke();
            return ValueTask.CompletedTask;
        }, TestContext.Current.CancellationToken);
        return harness;
    }

    /// <summary>Every registry log entry announced on the bus since the harness started.</summary>
    public IReadOnlyList<RegistryEvent> Log => [.. _log];

    /// <summary>Completes once the entries announced so far satisfy <paramref name="condition"/>; fails after 60 s.</summary>
    public async Task WaitForLogAsync(Func<IReadOnlyList<RegistryEvent>, bool> condition, string what)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (condition(Log)) done.TrySetResult();
        }
        LogChanged += Check;
        try
        {
            Check();
            await done.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"timed out waiting for {what}; registry log: {string.Join(" | ", Log.Select(e => $"{e.Kind} {e.HomeId} {e.ResourceId}"))}");
        }
        finally
        {
            LogChanged -= Check;
        }
    }

    /// <summary>Every DER of <paramref name="homeId"/> has reported its status.</summary>
    public Task WaitForStatusAsync(TestOsb osb) =>
        WaitForLogAsync(log => osb.Devices.All(d => log.Any(e => e.Kind == RegistryEventKind.StatusChanged && e.HomeId == osb.HomeId && e.ResourceId == d.ResourceId)),
            $"the status of every DER of {osb.HomeId}");

    public async Task<string> ClientTokenAsync(string scope = "enrolment")
    {
        var secret = await File.ReadAllTextAsync(Path.Combine(Directory, "osb-enrolment.secret"), TestContext.Current.CancellationToken);
        return await TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = MiddlewareHost.DemoEnrolmentClient,
            ["client_secret"] = secret,
            ["scope"] = scope,
        });
    }

    public async Task<string> PasswordTokenAsync(string user, string scope = "registry")
    {
        var file = user == "aggregator" ? "aggregator.password" : "prosumer.password";
        var password = await File.ReadAllTextAsync(Path.Combine(Directory, file), TestContext.Current.CancellationToken);
        return await TokenAsync(new Dictionary<string, string> { ["grant_type"] = "password", ["username"] = user, ["password"] = password, ["scope"] = scope });
    }

    public async Task<(int Status, string Body)> PostTokenRawAsync(Dictionary<string, string> form)
    {
        using var content = new FormUrlEncodedContent(form);
        using var response = await Http.PostAsync(new Uri(Url, "/connect/token"), content, TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    private async Task<string> TokenAsync(Dictionary<string, string> form)
    {
        var (status, body) = await PostTokenRawAsync(form);
        Assert.True(status == 200, $"token request answered {status}: {body}");
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("access_token").GetString()!;
    }

    public async Task<(int Status, string Body, string? ContentType)> GetAsync(string path, string? token, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Url, path));
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (accept is not null) request.Headers.Accept.ParseAdd(accept);
        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), response.Content.Headers.ContentType?.MediaType);
    }

    public async Task<T> GetJsonAsync<T>(string path, string token)
    {
        var (status, body, _) = await GetAsync(path, token);
        Assert.True(status == 200, $"GET {path} answered {status}: {body}");
        return JsonSerializer.Deserialize<T>(body, Json)!;
    }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Enrols an OSB for <paramref name="homeId"/> and starts it.</summary>
    public async Task<(TestOsb Osb, OadrVen Ven)> StartOsbAsync(string homeId, HomeLocation? location = null, string? statePath = null)
    {
        var token = await ClientTokenAsync();
        var osb = await TestOsb.EnrolAsync(Http, Url, token, homeId, location: location);
        var ven = await StartVenAsync(osb, statePath);
        return (osb, ven);
    }

    public async Task<OadrVen> StartVenAsync(TestOsb osb, string? statePath = null, Uri? url = null)
    {
        var ven = await osb.StartAsync(url ?? Url, statePath);
        _vens.Add(ven);
        return ven;
    }

    public async Task StopVenAsync(OadrVen ven)
    {
        _vens.Remove(ven);
        await ven.DisposeAsync();
    }

    /// <summary>Stops the node but keeps its directory (for a restart on the same files).</summary>
    public async Task StopAsync()
    {
        foreach (var ven in _vens) await ven.DisposeAsync();
        _vens.Clear();
        if (_subscription is not null) await _subscription.DisposeAsync();
        _subscription = null;
        await Host.DisposeAsync();
        Http.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (!_ownsDirectory) return;
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A database file may still be closing; the temp folder is cleaned by the OS.
        }
    }
}
