using System.Net;
using System.Security.Authentication;
using System.Security.Claims;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using FlexCoop.OpenAdr.Security;
using FlexCoop.OpenAdr.Vtn;
using FlexCoop.ReferenceSystem.Bus;
using FlexCoop.ReferenceSystem.Identity;
using FlexCoop.ReferenceSystem.Internal;
using FlexCoop.ReferenceSystem.Registry;
using FlexCoop.ReferenceSystem.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace FlexCoop.ReferenceSystem.Hosting;

/// <summary>
/// One middleware node (<c>flexcoop serve</c>): on one HTTPS base URL it serves the OpenADR VTN
/// (<c>/OpenADR2/Simple/2.0b/*</c>, client certificate from the cooperative CA), the OAuth 2.0
/// token endpoint (<c>/connect/token</c>, OpenIddict), enrolment, the DER registry API and the
/// VTN operator API (<c>/api/*</c>, bearer tokens), with the store, the bus and the registry behind.
/// Dispose it to stop.
/// </summary>
public sealed class MiddlewareHost : IAsyncDisposable
{
    /// <summary>The client the demo creates for Open Smart Box enrolment.</summary>
    public const string DemoEnrolmentClient = "osb-enrolment";

    private readonly WebApplication _app;
    private readonly VtnServer _engine;
    private readonly IAsyncDisposable? _sync;
    private readonly ReadingsRetention _retention;
    private int _disposed;

    private MiddlewareHost(MiddlewareOptions options, WebApplication app, VtnServer engine, IReferenceStore store, IComponentBus bus, CooperativeCa ca,
        DerRegistry registry, IdentityService identity, IReadOnlyList<Uri> urls, IAsyncDisposable? sync, DemoCredentials? demo, ReadingsRetention retention, string nodeId)
    {
        _retention = retention;
        NodeId = nodeId;
        Options = options;
        _app = app;
        _engine = engine;
        Store = store;
        Bus = bus;
        Ca = ca;
        Registry = registry;
        Identity = identity;
        Urls = urls;
        _sync = sync;
        Demo = demo;
    }

    public MiddlewareOptions Options { get; }

    /// <summary>This node's name on the bus.</summary>
    public string NodeId { get; }

    /// <summary>The purge of old report readings (runs on <see cref="ReadingsRetentionOptions.Interval"/>).</summary>
    public ReadingsRetention Retention => _retention;

    /// <summary>The bound base URLs (an OS-assigned port filled in).</summary>
    public IReadOnlyList<Uri> Urls { get; }

    /// <summary>The middleware URL: VENs, tokens, enrolment and the APIs.</summary>
    public Uri Url => Urls[0];

    /// <summary>The DER registry API's list of DERs.</summary>
    public Uri RegistryApiUrl => new(Url, "/api/registry/ders");

    /// <summary>The OpenAPI document of every <c>/api</c> endpoint.</summary>
    public Uri OpenApiUrl => new(Url, "/api/openapi.json");

    public IReferenceStore Store { get; }

    public IComponentBus Bus { get; }

    public CooperativeCa Ca { get; }

    public DerRegistry Registry { get; }

    public IdentityService Identity { get; }

    /// <summary>The VTN engine.</summary>
    public OadrVtn Vtn => _engine.Vtn;

    /// <summary>The demo's credentials when started with <see cref="MiddlewareOptions.Demo"/>.</summary>
    public DemoCredentials? Demo { get; }

    /// <summary>Starts a node: store (created or migrated), bus, CA, VTN engine, registry, identity, HTTPS listener.</summary>
    public static async Task<MiddlewareHost> StartAsync(MiddlewareOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? clock = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        loggerFactory ??= NullLoggerFactory.Instance;
        clock ??= TimeProvider.System;
        Directory.CreateDirectory(options.DataDirectory);
        var nodeId = options.NodeId ?? "node-" + Guid.NewGuid().ToString("N")[..8];

        IReferenceStore store = options.PostgresConnectionString is { } pg
            ? new PostgresReferenceStore(pg, options.SchemaPrefix, options.PostgresMaxConnections)
            : new SqliteReferenceStore(options.DataDirectory, options.SqliteSynchronousFull);
        var owned = new Stack<IAsyncDisposable>();
        owned.Push(store);
        try
        {
            await store.InitializeAsync(cancellationToken);
            IComponentBus bus = options.MqttUrl is { } mqtt
                ? await MqttComponentBus.ConnectAsync(mqtt, options.SchemaPrefix, nodeId, loggerFactory, cancellationToken)
                : new InProcessComponentBus(nodeId, loggerFactory.CreateLogger<InProcessComponentBus>());
            owned.Push(bus);

            var ca = await CooperativeCa.LoadOrCreateAsync(store.Identity, clock, cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(options.DataDirectory, "ca.crt"), ca.CertificatePem, cancellationToken);
            var listen = options.Urls.Select(ParseEndpoint).ToList();
            var serverCertificate = ca.IssueServerCertificate(
                ["localhost", Dns.GetHostName(), .. options.Urls.Select(u => new Uri(u).Host).Where(h => !IPAddress.TryParse(h.Trim('[', ']'), out _) && h is not ("*" or "+"))],
                [IPAddress.Loopback, IPAddress.IPv6Loopback, .. listen.Select(e => e.Address).Where(a => !a.Equals(IPAddress.Any) && !a.Equals(IPAddress.IPv6Any))],
                clock.GetUtcNow());

            var vtnOptions = new VtnOptions
            {
                VtnId = "flexcoop-vtn",
                Urls = options.Urls,
                ServerCertificates = [serverCertificate],
                ClientCertificateAuthorities = [ca.PublicCertificate],
                RequestedPollFrequency = options.PollPeriod,
                TelemetryGranularity = options.PollPeriod,
                SchemaDirectory = options.SchemaDirectory,
            };
            var engine = await VtnServer.StartEngineAsync(vtnOptions, store.Vtn, clock, loggerFactory, cancellationToken);
            owned.Push(engine);
            var registry = new DerRegistry(store, engine.Vtn, bus, new RegistryOptions { PollPeriod = options.PollPeriod, TimeoutPolls = options.TimeoutPolls },
                clock, loggerFactory.CreateLogger<DerRegistry>());
            var identity = new IdentityService(store, clock);
            var retention = new ReadingsRetention(store.Vtn, options.ReadingsRetention, clock, loggerFactory.CreateLogger<ReadingsRetention>());
            owned.Push(retention);
            IAsyncDisposable? sync = options.MqttUrl is null ? null : await VtnClusterSync.StartAsync(engine.Vtn, bus, loggerFactory.CreateLogger<VtnClusterSync>(), cancellationToken);
            if (sync is not null) owned.Push(sync);

            var signingKey = await identity.SigningKeyAsync(cancellationToken);
            var encryptionKey = await identity.EncryptionKeyAsync(cancellationToken);
            var issuerSeed = new Uri($"https://{(listen[0].Address.Equals(IPAddress.Any) ? "localhost" : listen[0].Address.ToString())}:{listen[0].Port}/");
            var issuer = await identity.IssuerAsync(issuerSeed, cancellationToken);

            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "FlexCoop.ReferenceSystem" });
            builder.Services.AddLogging();
            builder.Services.AddSingleton(loggerFactory);
            builder.Services.AddSingleton(clock);
            builder.Services.AddSingleton(store);
            builder.Services.AddSingleton(identity);
            builder.Services.AddSingleton(registry);
            builder.Services.AddSingleton(ca);
            builder.Services.AddSingleton(options);
            builder.Services.AddRouting();
            builder.Services.ConfigureHttpJsonOptions(json => OpenAdr.Vtn.Api.OperatorApi.Configure(json.SerializerOptions));
            builder.Services.AddOpenApi("openapi");
            builder.Services.AddDbContext<ReferenceIdentityDbContext>(store.ConfigureIdentityDatabase);
            builder.Services.AddOpenIddict()
                .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<ReferenceIdentityDbContext>())
                .AddServer(server =>
                {
                    server.SetTokenEndpointUris("connect/token");
                    server.AllowClientCredentialsFlow().AllowPasswordFlow();
                    server.AcceptAnonymousClients();
                    server.RegisterScopes([.. ReferenceScopes.All]);
                    server.SetIssuer(issuer);
                    server.AddSigningKey(signingKey);
                    server.AddEncryptionKey(encryptionKey);
                    server.DisableAccessTokenEncryption();
                    // Access tokens are self-contained signed JWTs checked by the local validation and
                    // nothing revokes or introspects them: no database row per token issued (one EF Core
                    // insert per OSB enrolment and per sign-in saved).
                    server.DisableTokenStorage();
                    server.SetAccessTokenLifetime(options.AccessTokenLifetime);
                    server.UseAspNetCore().EnableTokenEndpointPassthrough();
                })
                .AddValidation(validation =>
                {
                    validation.UseLocalServer();
                    validation.UseAspNetCore();
                });
            builder.Services.AddAuthentication(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
            builder.Services.AddAuthorizationBuilder()
                .AddPolicy(Policies.Registry, p => p.RequireAuthenticatedUser().RequireAssertion(c => c.User.HasScope(ReferenceScopes.Registry)))
                .AddPolicy(Policies.Enrolment, p => p.RequireAuthenticatedUser().RequireAssertion(c => c.User.HasScope(ReferenceScopes.Enrolment)))
                .AddPolicy(Policies.Operator, p => p.RequireAuthenticatedUser().RequireAssertion(c =>
                    c.User.HasScope(ReferenceScopes.Operator) && (c.User.HasClaim(Claims.Role, Roles.Aggregator) || c.User.HasClaim(Claims.Role, Roles.Component))))
                .AddPolicy(Policies.Accounts, p => p.RequireAuthenticatedUser().RequireAssertion(c =>
                    c.User.HasScope(ReferenceScopes.Accounts) && c.User.HasClaim(Claims.Role, Roles.Aggregator)));

            var listeners = new List<ListenOptions>();
            builder.WebHost.UseKestrelCore();
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;
                kestrel.Limits.MaxRequestBodySize = vtnOptions.MaxRequestBodyBytes;
                kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
                kestrel.Limits.MaxRequestLineSize = 8 * 1024;
                kestrel.Limits.RequestHeadersTimeout = vtnOptions.RequestHeadersTimeout;
                kestrel.Limits.KeepAliveTimeout = vtnOptions.KeepAliveTimeout;
                kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(vtnOptions.MinRequestBodyBytesPerSecond, vtnOptions.MinRequestBodyGrace);
                foreach (var endpoint in listen)
                {
                    kestrel.Listen(endpoint, l =>
                    {
                        l.Protocols = HttpProtocols.Http1;
                        l.UseHttps(new HttpsConnectionAdapterOptions
                        {
                            ServerCertificate = serverCertificate,
                            // Asked for, not required: OSBs present theirs, people and components use bearer tokens.
                            ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                            ClientCertificateValidation = (certificate, _, _) => ca.Issued(certificate),
                            SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                            CheckCertificateRevocation = false,
                            HandshakeTimeout = vtnOptions.RequestHeadersTimeout,
                        });
                        listeners.Add(l);
                    });
                }
            });

            var app = builder.Build();
            owned.Push(app);
            var logger = loggerFactory.CreateLogger<MiddlewareHost>();
            // Routing first, so the guard can run the certificate-authenticated OpenADR endpoints itself,
            // ahead of the bearer-token pipeline (OpenIddict validation, a DI scope per request).
            app.UseRouting();
            app.Use((context, next) => AccessControl.GuardAsync(context, next, store, registry, clock, logger));
            app.UseAuthentication();
            app.UseAuthorization();
            VtnServer.MapServices(app, engine.Vtn);
            app.MapOpenApi("/api/{documentName}.json").AllowAnonymous();
            IdentityEndpoints.Map(app);
            RegistryApi.Map(app);
            NodeApi.Map(app, nodeId, registry);
            OpenAdr.Vtn.Api.OperatorApi.Map(app, engine.Vtn, "/api/vtn").RequireAuthorization(Policies.Operator);

            DemoCredentials? demo = null;
            if (options.Demo)
            {
                await using var scope = app.Services.CreateAsyncScope();
                demo = await DemoCredentials.CreateAsync(options.DataDirectory, store, identity, scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>(), clock, cancellationToken);
            }

            await app.StartAsync(cancellationToken);
            var bound = listeners.Select(l => new Uri($"https://{ToHost(l.IPEndPoint!)}/")).ToList();
            registry.Start();
            retention.Start();
            ReferenceLog.Serving(logger, nodeId, bound[0].ToString(), new Uri(bound[0], "/api/registry/ders").ToString());
            return new MiddlewareHost(options, app, engine, store, bus, ca, registry, identity, bound, sync, demo, retention, nodeId);
        }
        catch
        {
            while (owned.TryPop(out var d)) await d.DisposeAsync();
            throw;
        }
    }

    private static string ToHost(IPEndPoint endpoint)
    {
        var address = endpoint.Address.Equals(IPAddress.Any) ? IPAddress.Loopback
            : endpoint.Address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback
            : endpoint.Address;
        return new IPEndPoint(address, endpoint.Port).ToString();
    }

    private static IPEndPoint ParseEndpoint(string url)
    {
        var uri = new Uri(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal));
        var host = uri.Host.Trim('[', ']');
        var address = host == "localhost" ? IPAddress.Loopback
            : IPAddress.TryParse(host, out var ip) ? ip
            : throw new ReferenceConfigurationException($"'{url}': listen on an IP address, localhost or *, not a host name");
        return new IPEndPoint(address, uri.Port);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        await Registry.DisposeAsync();
        await _retention.DisposeAsync();
        if (_sync is not null) await _sync.DisposeAsync();
        await _engine.DisposeAsync();
        await Bus.DisposeAsync();
        await Store.DisposeAsync();
        Ca.Dispose();
    }
}

/// <summary>The authorization policies of the <c>/api</c> endpoints.</summary>
public static class Policies
{
    /// <summary>Scope <c>registry</c>.</summary>
    public const string Registry = "registry";

    /// <summary>Scope <c>enrolment</c>.</summary>
    public const string Enrolment = "enrolment";

    /// <summary>Scope <c>operator</c>, aggregator or component.</summary>
    public const string Operator = "operator";

    /// <summary>Scope <c>accounts</c>, aggregator.</summary>
    public const string Accounts = "accounts";
}

/// <summary>
/// Keeps the VTN engines of several nodes on one store in step: what changes here (a VEN's
/// registration or queue, an event) is announced on the bus, and what another node announces is
/// read again from the store.
/// </summary>
internal sealed class VtnClusterSync : IAsyncDisposable
{
    private readonly OadrVtn _vtn;
    private readonly IComponentBus _bus;
    private readonly ILogger _logger;
    private readonly Channel<object> _outbox = Channel.CreateUnbounded<object>(new() { SingleReader = true });
    private readonly List<IAsyncDisposable> _subscriptions = [];
    private Task? _publisher;

    private VtnClusterSync(OadrVtn vtn, IComponentBus bus, ILogger logger)
    {
        _vtn = vtn;
        _bus = bus;
        _logger = logger;
    }

    public static async Task<VtnClusterSync> StartAsync(OadrVtn vtn, IComponentBus bus, ILogger logger, CancellationToken cancellationToken)
    {
        var sync = new VtnClusterSync(vtn, bus, logger);
        sync._subscriptions.Add(await bus.SubscribeAsync<VenChanged>(BusTopics.VtnVen, async (m, ct) =>
        {
            if (m.Origin != bus.NodeId) await sync.ApplyAsync(m.Origin, () => vtn.ReloadVenAsync(m.Body.VenId, ct));
        }, cancellationToken));
        sync._subscriptions.Add(await bus.SubscribeAsync<EventChanged>(BusTopics.VtnEvent, async (m, ct) =>
        {
            if (m.Origin != bus.NodeId) await sync.ApplyAsync(m.Origin, () => vtn.ReloadEventAsync(m.Body.EventId, ct));
        }, cancellationToken));
        vtn.Activity += sync.OnActivity;
        sync._publisher = Task.Run(sync.PublishLoopAsync, CancellationToken.None);
        return sync;
    }

    private async Task ApplyAsync(string origin, Func<Task> reload)
    {
        try
        {
            await reload();
        }
        catch (VtnStoreException ex)
        {
            ReferenceLog.RemoteChangeFailed(_logger, origin, ex.Message);
        }
    }

    private void OnActivity(object? sender, VtnActivityEventArgs e)
    {
        var a = e.Activity;
        object? message = a.Kind switch
        {
            VtnActivityKind.Registered or VtnActivityKind.RegistrationCancelled or VtnActivityKind.Queued when a.VenId is not null => new VenChanged(a.VenId),
            VtnActivityKind.EventSaved => new EventChanged(a.Detail),
            _ => null,
        };
        if (message is not null) _outbox.Writer.TryWrite(message);
    }

    private async Task PublishLoopAsync()
    {
        await foreach (var message in _outbox.Reader.ReadAllAsync())
        {
            try
            {
                if (message is VenChanged ven) await _bus.PublishAsync(BusTopics.VtnVen, ven);
                else if (message is EventChanged ev) await _bus.PublishAsync(BusTopics.VtnEvent, ev);
            }
            catch (ComponentBusException ex)
            {
                ReferenceLog.RemoteChangeFailed(_logger, _bus.NodeId, ex.Message);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _vtn.Activity -= OnActivity;
        _outbox.Writer.TryComplete();
        if (_publisher is not null) await _publisher;
        foreach (var s in _subscriptions) await s.DisposeAsync();
    }
}

/// <summary>What <c>flexcoop serve --demo</c> creates, with the secrets written beside the data.</summary>
/// <param name="EnrolmentClientId">The OSB enrolment client.</param>
/// <param name="EnrolmentSecretFile">Its secret's file.</param>
/// <param name="AggregatorUser">The aggregator account.</param>
/// <param name="AggregatorPasswordFile">Its password's file.</param>
/// <param name="Prosumers">Prosumer accounts and the home each owns.</param>
/// <param name="ProsumerPasswordFile">The prosumers' password's file.</param>
public sealed record DemoCredentials(string EnrolmentClientId, string EnrolmentSecretFile, string AggregatorUser, string AggregatorPasswordFile,
    IReadOnlyList<(string User, string HomeId)> Prosumers, string ProsumerPasswordFile)
{
    /// <summary>Prosumer accounts the demo makes (<c>prosumer-0001</c> owns <c>home-0001</c>, ...).</summary>
    public const int ProsumerCount = 5;

    internal static async Task<DemoCredentials> CreateAsync(string dir, IReferenceStore store, IdentityService identity, IOpenIddictApplicationManager applications,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        // The secrets live in the store so every node and every restart hands out the same ones.
        var now = clock.GetUtcNow();
        var enrolmentSecret = await store.Identity.GetOrCreateSecretAsync("demo-osb-enrolment", PasswordHashing.NewSecret, now, cancellationToken);
        var aggregatorPassword = await store.Identity.GetOrCreateSecretAsync("demo-aggregator", PasswordHashing.NewSecret, now, cancellationToken);
        var prosumerPassword = await store.Identity.GetOrCreateSecretAsync("demo-prosumer", PasswordHashing.NewSecret, now, cancellationToken);
        await IdentityService.SaveClientAsync(applications, MiddlewareHost.DemoEnrolmentClient, enrolmentSecret, [ReferenceScopes.Enrolment], cancellationToken);
        await identity.SaveAccountAsync("aggregator", aggregatorPassword, Roles.Aggregator, null, cancellationToken);
        var prosumers = new List<(string, string)>();
        for (var i = 1; i <= ProsumerCount; i++)
        {
            var user = $"prosumer-{i:0000}";
            var home = $"home-{i:0000}";
            await identity.SaveAccountAsync(user, prosumerPassword, Roles.Prosumer, [home], cancellationToken);
            prosumers.Add((user, home));
        }
        var files = (Path.Combine(dir, "osb-enrolment.secret"), Path.Combine(dir, "aggregator.password"), Path.Combine(dir, "prosumer.password"));
        await WriteSecretAsync(files.Item1, enrolmentSecret, cancellationToken);
        await WriteSecretAsync(files.Item2, aggregatorPassword, cancellationToken);
        await WriteSecretAsync(files.Item3, prosumerPassword, cancellationToken);
        return new DemoCredentials(MiddlewareHost.DemoEnrolmentClient, files.Item1, "aggregator", files.Item2, prosumers, files.Item3);
    }

    private static async Task WriteSecretAsync(string path, string secret, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(path, secret, cancellationToken);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
