using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Ven;
using FlexCoop.OpenAdr.Vtn;
using FlexCoop.OpenAdr.Vtn.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace FlexCoop.OpenAdr.Engine.Tests.EndToEnd;

/// <summary>
/// A VTN on loopback (OS-assigned port, mutual TLS, a SQLite file of its own, a fake clock) and
/// helpers to start VENs against it and to await what happens.
/// </summary>
internal sealed class VtnHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);
    public const string Program = "http://flexcoop.example/programs/test";
    public const string Other = "http://flexcoop.example/programs/other";
    public const string Third = "http://flexcoop.example/programs/third";

    private readonly List<OadrVen> _vens = [];
    private readonly Dictionary<OadrVen, X509Certificate2> _certificates = [];

    private readonly bool _ownsDir;

    private VtnHarness(string dir, bool ownsDir, FakeTimeProvider clock, SqliteVtnStore store, VtnServer server, VtnOptions options)
    {
        Dir = dir;
        _ownsDir = ownsDir;
        Clock = clock;
        Store = store;
        Server = server;
        Options = options;
    }

    public string Dir { get; }

    public FakeTimeProvider Clock { get; }

    public SqliteVtnStore Store { get; }

    public VtnServer Server { get; }

    public VtnOptions Options { get; }

    public OadrVtn Vtn => Server.Vtn;

    public static async Task<VtnHarness> StartAsync(Func<VtnOptions, VtnOptions>? configure = null, string? dir = null)
    {
        var ownsDir = dir is null;
        dir ??= Directory.CreateTempSubdirectory("flexcoop-vtn-").FullName;
        var clock = new FakeTimeProvider(Start);
        var options = new VtnOptions
        {
            VtnId = "test-vtn",
            ServerCertificates = [TestPki.VtnEcc, TestPki.VtnRsa],
            ClientCertificateAuthorities = [TestPki.CaPublic],
            Programs = [new VtnProgram(Program, 1), new VtnProgram(Other, 2), new VtnProgram(Third, 3)],
            TelemetryGranularity = TimeSpan.Zero,
            PushRetryDelay = TimeSpan.FromMilliseconds(200),
        };
        options = configure?.Invoke(options) ?? options;
        var store = new SqliteVtnStore(Path.Combine(dir, "vtn.db"));
        var output = TestContext.Current.TestOutputHelper;
        var logs = LoggerFactory.Create(b => b.AddProvider(new TestOutputLoggerProvider(output, "VTN")));
        var server = await VtnServer.StartAsync(options, store, clock, logs, TestContext.Current.CancellationToken);
        server.Vtn.Activity += (_, e) => output?.WriteLine($"VTN {e.Activity.Kind} {e.Activity.VenId}: {e.Activity.Detail}");
        return new VtnHarness(dir, ownsDir, clock, store, server, options);
    }

    public VenOptions VenOptions(string name, X509Certificate2? certificate = null) => new()
    {
        VtnUrl = Server.Url,
        VenName = name,
        ClientCertificate = certificate ?? TestPki.NewVen(),
        VtnCertificateAuthorities = [TestPki.CaPublic],
        PollFrequency = TimeSpan.FromDays(1), // tests poll explicitly with PollNowAsync
    };

    public async Task<OadrVen> StartVenAsync(VenOptions options)
    {
        var logs = LoggerFactory.Create(b => b.AddProvider(new TestOutputLoggerProvider(TestContext.Current.TestOutputHelper, "VEN")));
        var ven = await OadrVen.StartAsync(options, Clock, logs, TestContext.Current.CancellationToken);
        _vens.Add(ven);
        _certificates[ven] = options.ClientCertificate!;
        return ven;
    }

    public Task<OadrVen> StartVenAsync(string name) => StartVenAsync(VenOptions(name));

    /// <summary>Completes with the first VTN activity matching <paramref name="match"/> (from now on).</summary>
    public Task<VtnActivity> NextActivity(Func<VtnActivity, bool> match)
    {
        var tcs = new TaskCompletionSource<VtnActivity>(TaskCreationOptions.RunContinuationsAsynchronously);
        EventHandler<VtnActivityEventArgs>? handler = null;
        handler = (_, e) =>
        {
            if (match(e.Activity) && tcs.TrySetResult(e.Activity)) Vtn.Activity -= handler;
        };
        Vtn.Activity += handler;
        return tcs.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// Moves the fake clock a step at a time until <paramref name="condition"/> completes: timers
    /// armed on the fake clock (report schedules) fire as it passes them.
    /// </summary>
    public async Task AdvanceUntilAsync(Task condition, TimeSpan step, int maxSteps = 200)
    {
        for (var i = 0; i < maxSteps && !condition.IsCompleted; i++)
        {
            Clock.Advance(step);
            await Task.WhenAny(condition, Task.Delay(TimeSpan.FromMilliseconds(50), TestContext.Current.CancellationToken));
        }
        await condition.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
    }

    /// <summary>The certificate a VEN started here presents.</summary>
    public X509Certificate2 VenCertificate(OadrVen ven) => _certificates[ven];

    /// <summary>POSTs a message as the holder of <paramref name="client"/>'s certificate and parses the answer.</summary>
    public async Task<OadrMessage> SendAsync(HttpClient client, string service, OadrMessage message)
    {
        var (status, body) = await PostRawAsync(client, service, OadrCodec.SerializeToString(message));
        Assert.Equal(200, status);
        return OadrCodec.ParseMessage(System.Text.Encoding.UTF8.GetBytes(body));
    }

    /// <summary>An HttpClient presenting <paramref name="certificate"/> (or none) and trusting the test CA, for raw requests.</summary>
    public static HttpClient RawClient(X509Certificate2? certificate)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = certificate is null ? null : [certificate],
                LocalCertificateSelectionCallback = certificate is null ? null : (_, _, _, _, _) => certificate,
                RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null,
            },
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <param name="expectContinue">
    /// Send <c>Expect: 100-continue</c> and hold the body back until the server asks for it. A server that
    /// refuses the request from its headers (413 on the declared length) answers without reading the body and
    /// may close the connection; without this, a client still writing a large body can get a broken pipe
    /// instead of the answer, depending on socket buffer timing.
    /// </param>
    public async Task<(int Status, string Body)> PostRawAsync(HttpClient client, string service, string xml, string contentType = "application/xml", bool expectContinue = false)
    {
        using var content = new StringContent(xml);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Server.Url, "/OpenADR2/Simple/2.0b/" + service)) { Content = content };
        request.Headers.ExpectContinue = expectContinue;
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var ven in _vens) await ven.DisposeAsync();
        await Server.DisposeAsync();
        await Store.DisposeAsync();
        if (!_ownsDir) return;
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
            // A VEN state file may still be closing; the temp folder is cleaned by the OS.
        }
    }
}
