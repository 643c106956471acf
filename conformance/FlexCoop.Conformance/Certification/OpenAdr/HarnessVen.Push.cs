using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading.Channels;
using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlexCoop.Conformance.Certification.OpenAdr;

/// <summary>
/// Push: the harness VEN's own simple HTTP listener, whose URL it registers as its <c>oadrTransportAddress</c>.
/// Every request the VTN posts there gets the always-on checks (rule 53 headers, TLS facts and the VTN's
/// client certificate, schema and profile rules, venID and vtnID, the distribute rules), is acknowledged
/// with an oadrResponse in the HTTP answer, and is queued for the case script, which reads it where a pull
/// run would have polled (<see cref="NextAsync"/>) and answers it with its own request to the VTN.
/// </summary>
internal sealed partial class HarnessVen
{
    private const string ServicePath = "/OpenADR2/Simple/2.0b/";
    private readonly Channel<(OadrMessage Message, int Index)> _pushed = Channel.CreateUnbounded<(OadrMessage, int)>();
    private WebApplication? _listener;

    /// <summary>The listener's base URL, registered as oadrTransportAddress (push only).</summary>
    public Uri? PushAddress { get; private set; }

    private bool IsPush => _options.Exchange == Exchange.Push;

    /// <summary>True when the VTN pushes to the harness (no polling between waits).</summary>
    public bool IsPushExchange => IsPush;

    private async Task StartListenerAsync(CancellationToken cancellationToken)
    {
        var listen = _options.PushListen ?? new Uri($"{(_options.UsesTls ? "https" : "http")}://127.0.0.1:0/");
        var address = listen.Host switch
        {
            "localhost" => IPAddress.Loopback,
            "*" or "+" => IPAddress.Any,
            var h when IPAddress.TryParse(h.Trim('[', ']'), out var ip) => ip,
            _ => throw new CertificationSetupException($"--push-listen {listen}: listen on an IP address or localhost"),
        };
        var context = _options.UsesTls ? SslStreamCertificateContext.Create(_options.Certificate!, null, offline: true) : null;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "FlexCoop.Conformance.HarnessVen" });
        builder.Services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        builder.Services.AddRoutingCore();
        ListenOptions? bound = null;
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = _options.MaxMessageBytes;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(15);
            kestrel.Listen(address, listen.Port, l =>
            {
                l.Protocols = HttpProtocols.Http1;
                if (context is not null)
                {
                    l.UseHttps(new TlsHandshakeCallbackOptions
                    {
                        OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions
                        {
                            ServerCertificateContext = context,
                            ClientCertificateRequired = true,
                            // What was negotiated is checked per request (rule 67) rather than refused here.
                            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                            RemoteCertificateValidationCallback = (_, certificate, chain, _) => CheckPusherCertificate(certificate, chain),
                        }),
                    });
                }
                bound = l;
            });
        });
        var app = builder.Build();
        app.MapPost(ServicePath + "{service}", (HttpContext http, string service) => ServePushAsync(http, service));
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync();
            throw new CertificationSetupException($"the harness VEN cannot listen on {listen}: {ex.Message}", ex);
        }
        _listener = app;
        var endpoint = bound!.IPEndPoint!;
        var host = endpoint.Address.Equals(IPAddress.Any) ? IPAddress.Loopback : endpoint.Address;
        PushAddress = new Uri($"{listen.Scheme}://{new IPEndPoint(host, endpoint.Port)}/");
    }

    /// <summary>The VTN's client certificate on a push connection: X.509v3 chaining to the configured CAs (rule 68).</summary>
    private bool CheckPusherCertificate(X509Certificate? certificate, X509Chain? presented)
    {
        if (certificate is not X509Certificate2 c)
        {
            AddFailure(new CheckFailure("rule 68", "the VTN pushed without a client certificate: 2.0b needs mutual TLS on push connections too"));
            return false;
        }
        return CheckServerCertificate(c, presented);
    }

    private async Task ServePushAsync(HttpContext http, string service)
    {
        byte[] body;
        try
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
            body = buffer.ToArray();
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException ex)
        {
            AddFailure(new CheckFailure("rule 53", $"the VTN's push could not be read: {ex.Message}"));
            http.Response.StatusCode = ex.StatusCode;
            return;
        }
        var index = Record(MessageDirection.FromDevice, $"push {service}: {ElementNameOf(Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 4096))))}", Encoding.UTF8.GetString(body));
        CheckPushHttp(http, index);
        VerifyFromVtn(body, $"push to {service}", index);
        var result = _validator.Validate(body, out var document);
        foreach (var v in result.Violations.Where(v => v.Severity == ViolationSeverity.Error))
        {
            AddFailure(new CheckFailure(v.Rule, v.Message, v.Path + (v.LineNumber > 0 ? $" (line {v.LineNumber})" : ""), index));
        }
        if (document is null)
        {
            AddFailure(new CheckFailure("xsd", $"the VTN pushed something to {service} that cannot be read as an OpenADR 2.0b payload", null, index));
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        var message = document.Message;
        var expected = message switch
        {
            OadrDistributeEvent => "EiEvent",
            OadrCreateReport or OadrCancelReport or OadrRegisterReport or OadrUpdateReport => "EiReport",
            OadrCancelPartyRegistration or OadrRequestReregistration => "EiRegisterParty",
            _ => null,
        };
        if (expected is null)
        {
            AddFailure(new CheckFailure("push", $"a VTN does not push {message.ElementName}", null, index));
        }
        else if (!string.Equals(service, expected, StringComparison.Ordinal))
        {
            AddFailure(new CheckFailure("rule 53", $"{message.ElementName} was pushed to the {service} endpoint; it belongs to {expected}", http.Request.Path, index));
        }
        // The same checks as on a polled message: venID and vtnID (rule 21), the distribute rules.
        CheckAnswer(new OadrPoll { VenId = VenId ?? "" }, message, index);
        await _pushed.Writer.WriteAsync((message, index), http.RequestAborted);
        // Received: the answer proper (oadrCreatedEvent, oadrCreatedReport, ...) is the VEN's own request, as in pull.
        var ack = new OadrResponse { EiResponse = Ok((message is OadrDistributeEvent d ? d.RequestId : RequestIdOf(message)) ?? ""), VenId = VenId };
        var bytes = Seal(OadrCodec.SerializeToUtf8Bytes(ack, Wire));
        Record(MessageDirection.ToDevice, "200 oadrResponse", Encoding.UTF8.GetString(bytes));
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/xml";
        http.Response.ContentLength = bytes.Length;
        await http.Response.Body.WriteAsync(bytes, http.RequestAborted);
    }

    /// <summary>Rule 53 on the VTN's push requests, and the TLS facts of their connection (rule 67).</summary>
    private void CheckPushHttp(HttpContext http, int index)
    {
        var request = http.Request;
        var type = request.ContentType is { } t ? t.Split(';')[0].Trim() : null;
        if (!string.Equals(type, "application/xml", StringComparison.OrdinalIgnoreCase))
        {
            AddFailure(new CheckFailure("rule 53", "the VTN's push requests must carry Content-Type: application/xml", "Content-Type: " + (request.ContentType ?? "(none)"), index));
        }
        if (request.ContentLength is null)
        {
            AddFailure(new CheckFailure("rule 53", "the VTN's push requests must carry Content-Length (no chunked bodies)", "Transfer-Encoding: " + request.Headers.TransferEncoding, index));
        }
        if (string.IsNullOrEmpty(request.Headers.Host))
        {
            AddFailure(new CheckFailure("rule 53", "the VTN's push requests must carry a Host header", null, index));
        }
        if (_options.UsesTls && http.Features.Get<ITlsHandshakeFeature>() is { } tls)
        {
            if (tls.Protocol != SslProtocols.Tls12)
            {
                AddFailure(new CheckFailure("rule 67", $"the VTN's push connection uses {tls.Protocol}; 2.0b requires TLS 1.2", tls.Protocol.ToString(), index));
            }
            else if (tls.NegotiatedCipherSuite is { } suite && !Rule67Suites.Contains(suite))
            {
                AddFailure(new CheckFailure("rule 67", $"the VTN's push connection negotiated {suite}; 2.0b requires TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256 or TLS_RSA_WITH_AES_128_CBC_SHA256", suite.ToString(), index));
            }
        }
    }

    /// <summary>
    /// The next thing the VTN hands over: pull polls once; push waits up to one poll period for a pushed
    /// request and stands for "nothing queued" with a success oadrResponse (index -1) when none came.
    /// </summary>
    public async Task<(OadrMessage Message, int Index)> NextAsync(CancellationToken ct)
    {
        if (!IsPush) return await PollAsync(ct);
        if (_pushed.Reader.TryRead(out var ready)) return ready;
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        wait.CancelAfter(PollPeriod);
        try
        {
            return await _pushed.Reader.ReadAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (new OadrResponse { EiResponse = Ok(""), VenId = VenId }, -1);
        }
    }

    private async ValueTask StopListenerAsync()
    {
        if (_listener is { } app)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
