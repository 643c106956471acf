using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Xml;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FlexCoop.OpenAdr.Ven.Internal;

/// <summary>
/// The push VEN's listener: the VTN POSTs its payloads to <c>/OpenADR2/Simple/2.0b/{service}</c>
/// over mutual TLS; the VEN's answer goes back in the response body.
/// </summary>
internal sealed class PushListener : IAsyncDisposable
{
    private static readonly OadrSerializerOptions Wire = OadrSerializerOptions.Default with { Indent = false };

    private readonly WebApplication _app;

    private PushListener(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<PushListener> StartAsync(OadrVen ven, VenOptions options, string listenUrl, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var uri = new Uri(listenUrl);
        var address = uri.Host == "localhost" ? IPAddress.Loopback
            : IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) ? ip
            : throw new VenConfigurationException($"push listener '{listenUrl}': listen on an IP address or localhost");
        var limits = OadrXmlLimits.Default with { MaxCharacters = options.MaxMessageBytes };
        SslStreamCertificateContext? context = options.InsecureHttp ? null : SslStreamCertificateContext.Create(options.ClientCertificate!, null, offline: true);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "FlexCoop.OpenAdr.Ven" });
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        builder.Services.AddRoutingCore();
        ListenOptions? bound = null;
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxMessageBytes;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            kestrel.Listen(address, uri.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                if (context is not null)
                {
                    listen.UseHttps(new TlsHandshakeCallbackOptions
                    {
                        OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions
                        {
                            ServerCertificateContext = context,
                            ClientCertificateRequired = true,
                            EnabledSslProtocols = options.TlsProtocols,
                            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                            CipherSuitesPolicy = options.CipherSuites is { Count: > 0 } suites ? Tls.Policy(suites) : null,
                            RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
                                certificate is X509Certificate2 c && Tls.ChainsTo(c, chain, options.VtnCertificateAuthorities),
                        }),
                    });
                }
                bound = listen;
            });
        });
        var app = builder.Build();
        app.MapPost(VenTransport.ServicePath + "{service}", async (HttpContext http, string service) =>
        {
            if (http.Request.ContentType is not { } type || !(type.StartsWith("application/xml", StringComparison.OrdinalIgnoreCase) || type.StartsWith("text/xml", StringComparison.OrdinalIgnoreCase)))
            {
                http.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
                return;
            }
            byte[] body;
            try
            {
                using var buffer = new MemoryStream();
                await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
                body = buffer.ToArray();
            }
            catch (Microsoft.AspNetCore.Http.BadHttpRequestException ex)
            {
                http.Response.StatusCode = ex.StatusCode;
                return;
            }
            if (ven.Security?.Verify(body, http.Connection.ClientCertificate) is { IsValid: false } signature)
            {
                // High security: not authenticated, so answered 463 and never acted on.
                VenLog.PushRefused(ven.Logger, service, signature.Status.ToString(), signature.Message);
                var reason = $"high security: signature {signature.Status}: {signature.Message}";
                await WriteAsync(http, ven, new OadrResponse
                {
                    EiResponse = new EiResponse { ResponseCode = ResponseCode.NotRegisteredOrAuthorized, RequestId = "", ResponseDescription = reason.Length <= 250 ? reason : reason[..250] },
                    VenId = ven.VenId,
                });
                return;
            }
            OadrMessage reply;
            try
            {
                var message = OadrCodec.ParseMessage(body, limits);
                var answer = await ven.HandleFromVtnAsync(message, pushed: true, http.RequestAborted);
                reply = answer.Reply ?? new OadrResponse { EiResponse = new EiResponse { ResponseCode = ResponseCode.Ok, RequestId = "", ResponseDescription = "OK" }, VenId = ven.VenId };
                if (answer.Then is { } then)
                {
                    // Work that follows the answer (re-registration, re-publishing metadata) runs after it is written.
                    http.Response.OnCompleted(() => Task.Run(() => then(CancellationToken.None)));
                }
            }
            catch (OadrFormatException ex)
            {
                reply = new OadrResponse { EiResponse = new EiResponse { ResponseCode = ResponseCode.InvalidData, RequestId = "", ResponseDescription = ex.Detail }, VenId = ven.VenId };
            }
            await WriteAsync(http, ven, reply);
        });
        await app.StartAsync(cancellationToken);
        var endpoint = bound!.IPEndPoint!;
        var host = endpoint.Address.Equals(IPAddress.Any) ? IPAddress.Loopback : endpoint.Address;
        return new PushListener(app, new Uri($"{uri.Scheme}://{new IPEndPoint(host, endpoint.Port)}/"));
    }

    // The VEN's answer, signed at high security.
    private static async Task WriteAsync(HttpContext http, OadrVen ven, OadrMessage reply)
    {
        var bytes = OadrCodec.SerializeToUtf8Bytes(reply, Wire);
        if (ven.Security is not null) bytes = ven.Security.Sign(bytes);
        http.Response.ContentType = "application/xml";
        http.Response.ContentLength = bytes.Length;
        await http.Response.Body.WriteAsync(bytes, http.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
