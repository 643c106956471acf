using System.Net;
using System.Security.Cryptography.X509Certificates;
using FlexCoop.Usef.Participants;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FlexCoop.Usef.Transport;

/// <summary>What the receiving side made of a POSTed message: the HTTP status to answer and why.</summary>
public sealed record UftpReceiveOutcome(int StatusCode, string? Reason = null)
{
    /// <summary>200: the message was accepted for processing (its Response follows asynchronously).</summary>
    public static readonly UftpReceiveOutcome Ok = new(StatusCodes.Status200OK);

    /// <summary>400: the XML is malformed, schema-invalid or hostile.</summary>
    public static UftpReceiveOutcome BadRequest(string reason) => new(StatusCodes.Status400BadRequest, reason);

    /// <summary>401: the signature could not be verified for the claimed sender.</summary>
    public static UftpReceiveOutcome Unauthorized(string reason) => new(StatusCodes.Status401Unauthorized, reason);

    /// <summary>419 Authentication Timeout: the sender's public key could not be looked up; the sender should retry later.</summary>
    public static UftpReceiveOutcome AuthenticationTimeout(string reason) => new(419, reason);
}

/// <summary>Listening settings of a participant endpoint (immutable).</summary>
public sealed record UftpServerOptions
{
    /// <summary>Where to listen; port 0 lets the OS choose (see <see cref="UftpHttpServer.MessageEndpoint"/>).</summary>
    public IPEndPoint Listen { get; init; } = new(IPAddress.Loopback, 0);

    /// <summary>The TLS certificate (with private key). Null serves plain HTTP, for use behind a TLS-terminating proxy only.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>Largest request body accepted (413 above it).</summary>
    public int MaxBodyBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Logging for the web host; null logs nothing.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}

/// <summary>
/// The UFTP participant endpoint: accepts <c>POST /shapeshifter/api/v3/message</c> with a
/// <c>text/xml</c> SignedMessage and answers 200 (accepted for processing), 400 (malformed or
/// invalid, or not sent as XML), 401 (signature not verified), 419 (sender's key not found), 404 (other
/// paths), 405 (other methods), 413 (too large) or 500, the codes the specification's error table names. Kestrel, HTTP/1.1 and HTTP/2, TLS when a certificate is given.
/// </summary>
public sealed class UftpHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private UftpHttpServer(WebApplication app, Uri endpoint)
    {
        _app = app;
        MessageEndpoint = endpoint;
    }

    /// <summary>The URL messages are POSTed to, with the port actually bound.</summary>
    public Uri MessageEndpoint { get; }

    /// <summary>Starts listening; <paramref name="receive"/> judges each message body.</summary>
    public static async Task<UftpHttpServer> StartAsync(UftpServerOptions options, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask<UftpReceiveOutcome>> receive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(receive);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        if (options.LoggerFactory is { } lf) builder.Services.AddSingleton(lf);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            k.Listen(options.Listen, listen =>
            {
                if (options.Certificate is { } cert) listen.UseHttps(cert);
            });
        });
        var app = builder.Build();
        app.Run(context => HandleAsync(context, options, receive));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var bound = new Uri(address);
        var host = options.Listen.Address.Equals(IPAddress.Any) || options.Listen.Address.Equals(IPAddress.IPv6Any) ? "localhost" : bound.Host;
        var endpoint = new UriBuilder(bound.Scheme, host, bound.Port, UftpEndpoints.MessagePath).Uri;
        return new UftpHttpServer(app, endpoint);
    }

    private static async Task HandleAsync(HttpContext context, UftpServerOptions options, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask<UftpReceiveOutcome>> receive)
    {
        var request = context.Request;
        var response = context.Response;
        if (!string.Equals(request.Path.Value, UftpEndpoints.MessagePath, StringComparison.Ordinal))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        if (!HttpMethods.IsPost(request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers.Allow = "POST";
            return;
        }
        var mediaType = request.ContentType?.Split(';')[0].Trim();
        if (!string.Equals(mediaType, "text/xml", StringComparison.OrdinalIgnoreCase) && !string.Equals(mediaType, "application/xml", StringComparison.OrdinalIgnoreCase))
        {
            // The specification answers a wrong Content-Type with 400 Bad Request.
            response.StatusCode = StatusCodes.Status400BadRequest;
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync("the message must be sent as text/xml", context.RequestAborted).ConfigureAwait(false);
            return;
        }
        if (request.ContentLength > options.MaxBodyBytes)
        {
            response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }
        ReadOnlyMemory<byte> body;
        try
        {
            using var buffer = new MemoryStream(request.ContentLength is { } announced and > 0 ? (int)announced : 0);
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > options.MaxBodyBytes)
                {
                    response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                    return;
                }
                buffer.Write(chunk, 0, read);
            }
            // The bytes as read, not a copy: the codec decodes the Body into an array of its own and keeps nothing else.
            body = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }
        UftpReceiveOutcome outcome;
        try
        {
            outcome = await receive(body, context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        response.StatusCode = outcome.StatusCode;
        if (outcome.Reason is { Length: > 0 } reason)
        {
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync(reason, context.RequestAborted).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
