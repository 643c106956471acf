using System.Net;
using FlexCoop.OpenAdr.Vtn.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlexCoop.OpenAdr.Vtn;

/// <summary>
/// An OpenADR 2.0b VTN on Kestrel: the five simple-HTTP endpoints under
/// <c>/OpenADR2/Simple/2.0b/</c>, mutual TLS (rule 67, 68), request size and slow-client limits.
/// Start it with <see cref="StartAsync(VtnOptions, Storage.IVtnStore, TimeProvider?, ILoggerFactory?, CancellationToken)"/>;
/// dispose it to stop.
/// </summary>
public sealed partial class VtnServer : IAsyncDisposable
{
    /// <summary>The path every service endpoint sits under.</summary>
    public const string ServicePath = "/OpenADR2/Simple/2.0b/";

    private readonly WebApplication? _app;
    private readonly ILogger _logger;
    private readonly OadrVtn? _vtn;
    private readonly IAsyncDisposable? _push;
    private int _disposed;

    private VtnServer(WebApplication? app, IReadOnlyList<Uri> urls, IReadOnlyList<Uri> operatorUrls, ILogger logger, OadrVtn? vtn, IAsyncDisposable? push)
    {
        _app = app;
        Urls = urls;
        OperatorUrls = operatorUrls;
        _logger = logger;
        _vtn = vtn;
        _push = push;
    }

    /// <summary>The URLs actually bound (an OS-assigned port filled in).</summary>
    public IReadOnlyList<Uri> Urls { get; }

    /// <summary>The first bound URL.</summary>
    public Uri Url => Urls[0];

    /// <summary>The operator API's bound URLs (empty when it is not served).</summary>
    public IReadOnlyList<Uri> OperatorUrls { get; }

    /// <summary>The VTN engine: VENs, events, reports, opts; what operators and the REST API act on.</summary>
    public OadrVtn Vtn => _vtn ?? throw new InvalidOperationException("this server was started without a VTN engine");

    /// <summary>Starts a VTN on <paramref name="store"/> (initialised here).</summary>
    /// <param name="options">How to listen and behave; validated here.</param>
    /// <param name="store">Durable state; the server does not dispose it.</param>
    /// <param name="clock">The clock driving event status and timestamps (a fake one in tests).</param>
    /// <param name="loggerFactory">Where logs go.</param>
    /// <param name="cancellationToken">Cancels starting.</param>
    public static async Task<VtnServer> StartAsync(VtnOptions options, Storage.IVtnStore store, TimeProvider? clock = null,
        ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        options.Validate();
        loggerFactory ??= NullLoggerFactory.Instance;
        clock ??= TimeProvider.System;
        await store.InitializeAsync(cancellationToken);
        var vtn = await OadrVtn.CreateAsync(options, store, clock, loggerFactory, cancellationToken);
        var push = new PushDispatcher(vtn, options, clock, loggerFactory.CreateLogger<PushDispatcher>());
        vtn.AttachPush(push);
        try
        {
            var server = await StartCoreAsync(options, vtn, loggerFactory, vtn, push, cancellationToken);
            if (options.Xmpp is { } xmpp)
            {
                try
                {
                    vtn.AttachXmpp(await VtnXmppBinding.StartAsync(vtn, xmpp, loggerFactory, cancellationToken));
                }
                catch
                {
                    await server.DisposeAsync();
                    throw;
                }
            }
            push.Start();
            return server;
        }
        catch
        {
            await push.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts the VTN engine and its push dispatcher without a listener of its own, for an
    /// application that serves the OpenADR services on its own host with <see cref="MapServices"/>
    /// (and authenticates VENs by client certificate there). <see cref="VtnOptions.Urls"/> and the
    /// operator API are not used; the certificates are (push).
    /// </summary>
    /// <param name="options">How to behave; validated here.</param>
    /// <param name="store">Durable state; the server does not dispose it.</param>
    /// <param name="clock">The clock driving event status and timestamps.</param>
    /// <param name="loggerFactory">Where logs go.</param>
    /// <param name="cancellationToken">Cancels starting.</param>
    public static async Task<VtnServer> StartEngineAsync(VtnOptions options, Storage.IVtnStore store, TimeProvider? clock = null,
        ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        options.Validate();
        loggerFactory ??= NullLoggerFactory.Instance;
        clock ??= TimeProvider.System;
        await store.InitializeAsync(cancellationToken);
        var vtn = await OadrVtn.CreateAsync(options, store, clock, loggerFactory, cancellationToken);
        var push = new PushDispatcher(vtn, options, clock, loggerFactory.CreateLogger<PushDispatcher>());
        vtn.AttachPush(push);
        push.Start();
        return new VtnServer(null, [], [], loggerFactory.CreateLogger<VtnServer>(), vtn, push);
    }

    /// <summary>
    /// Maps the five services (<c>POST /OpenADR2/Simple/2.0b/{service}</c>) onto another
    /// application's endpoints. The connection's client certificate is the VEN's identity: the host
    /// must require one that chains to <see cref="VtnOptions.ClientCertificateAuthorities"/>.
    /// </summary>
    public static RouteHandlerBuilder MapServices(IEndpointRouteBuilder endpoints, OadrVtn vtn)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(vtn);
        var logger = endpoints.ServiceProvider.GetService<ILoggerFactory>()?.CreateLogger<VtnServer>() ?? NullLogger<VtnServer>.Instance;
        var services = Enum.GetValues<OadrEndpoint>().ToDictionary(e => e.ToString(), e => e, StringComparer.Ordinal);
        var identities = new ClientIdentityCache();
        return endpoints.MapPost(ServicePath + "{service}", (HttpContext context, string service) =>
            ServeAsync(context, service, services, vtn, identities, logger, vtn.Options.Has(VtnFault.MissingContentType)));
    }

    /// <summary>Starts the HTTP host around any request handler (tests use this for the transport alone).</summary>
    internal static async Task<VtnServer> StartCoreAsync(VtnOptions options, IOadrRequestHandler handler, ILoggerFactory loggerFactory,
        OadrVtn? vtn, IAsyncDisposable? push, CancellationToken cancellationToken)
    {
        options.Validate();
        var logger = loggerFactory.CreateLogger<VtnServer>();
        var tls = options.InsecureHttp ? null : new TlsSetup(options);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "FlexCoop.OpenAdr.Vtn" });
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        builder.Services.AddRoutingCore();
        var withApi = vtn is not null && options.OperatorUrls.Count > 0;
        if (withApi)
        {
            builder.Services.ConfigureHttpJsonOptions(json => Api.OperatorApi.Configure(json.SerializerOptions));
            builder.Services.AddOpenApi("openapi");
        }
        var venListeners = new List<ListenOptions>();
        var operatorListeners = new List<ListenOptions>();
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.Limits.MaxRequestLineSize = 8 * 1024;
            kestrel.Limits.RequestHeadersTimeout = options.RequestHeadersTimeout;
            kestrel.Limits.KeepAliveTimeout = options.KeepAliveTimeout;
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(options.MinRequestBodyBytesPerSecond, options.MinRequestBodyGrace);
            kestrel.Limits.MinResponseDataRate = new MinDataRate(options.MinRequestBodyBytesPerSecond, options.MinRequestBodyGrace);
            foreach (var url in options.Urls)
            {
                kestrel.Listen(ParseEndpoint(url), listen =>
                {
                    listen.Protocols = HttpProtocols.Http1;
                    if (tls is not null)
                    {
                        // Before TLS: read what the ClientHello offers, to serve the RSA or the ECC certificate (rule 68).
                        listen.Use(next => connection => Internal.ClientHelloOffer.PeekAsync(connection, next, options.RequestHeadersTimeout));
                        listen.UseHttps(new TlsHandshakeCallbackOptions
                        {
                            OnConnection = context => ValueTask.FromResult(tls.ForConnection(context.ClientHelloInfo.ServerName, Internal.ClientHelloOffer.Of(context.Connection))),
                            HandshakeTimeout = options.RequestHeadersTimeout,
                        });
                    }
                    venListeners.Add(listen);
                });
            }
            if (withApi)
            {
                foreach (var url in options.OperatorUrls)
                {
                    kestrel.Listen(ParseEndpoint(url), listen =>
                    {
                        listen.Protocols = HttpProtocols.Http1;
                        operatorListeners.Add(listen);
                    });
                }
            }
        });

        var app = builder.Build();
        var operatorPorts = new HashSet<int>();
        var started = false;
        app.Use(async (context, next) =>
        {
            // Each listener serves one side only: VENs the OpenADR services, operators the API.
            var onOperatorPort = Volatile.Read(ref started) && operatorPorts.Contains(context.Connection.LocalPort);
            var apiPath = context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal);
            if (!Volatile.Read(ref started) || onOperatorPort != apiPath)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            await next(context);
        });
        if (options.MessageLogPath is { } messageLog) Internal.VtnMessageLog.Use(app, messageLog, options.MaxRequestBodyBytes);
        var endpoints = Enum.GetValues<OadrEndpoint>().ToDictionary(e => e.ToString(), e => e, StringComparer.Ordinal);
        var identities = new ClientIdentityCache();
        app.MapPost(ServicePath + "{service}", (HttpContext context, string service) =>
            ServeAsync(context, service, endpoints, handler, identities, logger, options.Has(VtnFault.MissingContentType)));
        if (withApi)
        {
            Api.OperatorApi.Map(app, vtn!);
            app.MapOpenApi("/api/{documentName}.json");
        }

        await app.StartAsync(cancellationToken);
        foreach (var listener in operatorListeners) operatorPorts.Add(listener.IPEndPoint!.Port);
        Volatile.Write(ref started, true);
        var scheme = options.InsecureHttp ? "http" : "https";
        var bound = venListeners.Select(l => ToUri(scheme, l.IPEndPoint!)).ToList();
        var operatorBound = operatorListeners.Select(l => ToUri("http", l.IPEndPoint!)).ToList();
        foreach (var url in bound)
        {
            if (options.InsecureHttp) VtnLog.InsecureHttp(logger, url.ToString());
            VtnLog.Listening(logger, options.VtnId, url.ToString());
        }
        foreach (var url in operatorBound)
        {
            VtnLog.OperatorApi(logger, url.ToString());
        }
        return new VtnServer(app, bound, operatorBound, logger, vtn, push);
    }

    private static Uri ToUri(string scheme, IPEndPoint endpoint)
    {
        var address = endpoint.Address.Equals(IPAddress.Any) ? IPAddress.Loopback
            : endpoint.Address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback
            : endpoint.Address;
        return new Uri($"{scheme}://{new IPEndPoint(address, endpoint.Port)}/");
    }

    private static async Task ServeAsync(HttpContext context, string service, Dictionary<string, OadrEndpoint> endpoints, IOadrRequestHandler handler, ClientIdentityCache identities, ILogger logger, bool omitContentType = false)
    {
        if (!endpoints.TryGetValue(service, out var endpoint))
        {
            await RefuseAsync(context, StatusCodes.Status404NotFound, $"no service '{service}'", logger);
            return;
        }
        var contentType = context.Request.ContentType;
        if (contentType is null || !(contentType.StartsWith("application/xml", StringComparison.OrdinalIgnoreCase) || contentType.StartsWith("text/xml", StringComparison.OrdinalIgnoreCase)))
        {
            await RefuseAsync(context, StatusCodes.Status415UnsupportedMediaType, "Content-Type must be application/xml (rule 53)", logger);
            return;
        }
        byte[] body;
        try
        {
            body = await ReadBodyAsync(context.Request, context.RequestAborted);
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException ex)
        {
            // Too large (413) or too slow (408): Kestrel has decided the status.
            await RefuseAsync(context, ex.StatusCode, ex.Message, logger);
            return;
        }
        var identity = identities.Of(context.Connection.ClientCertificate);
        byte[] reply;
        try
        {
            reply = await handler.HandleAsync(endpoint, body, identity, context.RequestAborted);
        }
        catch (VtnStoreException ex)
        {
            // Nothing was acknowledged: the VEN sees a server error and will retry.
            VtnLog.StoreFailure(logger, ex, service);
            await RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, "store unavailable", logger);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status200OK;
        if (!omitContentType) context.Response.ContentType = "application/xml";
        context.Response.ContentLength = reply.Length;
        await context.Response.Body.WriteAsync(reply, context.RequestAborted);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } length and <= int.MaxValue)
        {
            var buffer = new byte[length];
            await request.Body.ReadExactlyAsync(buffer, cancellationToken);
            return buffer;
        }
        using var copy = new MemoryStream();
        await request.Body.CopyToAsync(copy, cancellationToken);
        return copy.ToArray();
    }

    private static async Task RefuseAsync(HttpContext context, int status, string reason, ILogger logger)
    {
        VtnLog.HttpRefused(logger, status, reason);
        if (context.Response.HasStarted) return;
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        var bytes = System.Text.Encoding.UTF8.GetBytes(reason);
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    private static IPEndPoint ParseEndpoint(string url)
    {
        var normalised = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
        var uri = new Uri(normalised);
        var host = uri.Host;
        var address = host switch
        {
            "localhost" => IPAddress.Loopback,
            _ when IPAddress.TryParse(host.Trim('[', ']'), out var ip) => ip,
            _ => throw new VtnConfigurationException($"'{url}': listen on an IP address, localhost or *, not a host name"),
        };
        return new IPEndPoint(address, uri.Port);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (_push is not null) await _push.DisposeAsync();
        _vtn?.StopOwnReports();
        if (_vtn is not null) await _vtn.CloseXmppAsync();
        if (_app is null) return;
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
