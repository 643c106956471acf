using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Xml;

namespace FlexCoop.OpenAdr.Ven.Internal;

/// <summary>Simple HTTP to the VTN: one keep-alive TLS session, POST a payload, read the answer.</summary>
internal sealed class VenTransport : IVenTransport
{
    public const string ServicePath = "/OpenADR2/Simple/2.0b/";
    private static readonly OadrSerializerOptions Wire = OadrSerializerOptions.Default with { Indent = false };

    private readonly HttpClient _http;
    private readonly Uri _base;
    private readonly OadrXmlLimits _limits;
    private readonly long _maxBytes;
    private readonly VenPayloadSecurity? _security;
    private readonly VenOptions _options;

    public VenTransport(VenOptions options, VenPayloadSecurity? security = null)
    {
        _security = security;
        _base = options.VtnUrl;
        _options = options;
        _maxBytes = options.MaxMessageBytes;
        _limits = OadrXmlLimits.Default with { MaxCharacters = options.MaxMessageBytes };
        var handler = new SocketsHttpHandler
        {
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = options.MaxConnectionsPerServer,
            ConnectTimeout = TimeSpan.FromSeconds(15),
        };
        if (!options.InsecureHttp)
        {
            var anchors = options.VtnCertificateAuthorities;
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = options.TlsProtocols,
                ClientCertificates = [options.ClientCertificate!],
                LocalCertificateSelectionCallback = (_, _, _, _, _) => options.ClientCertificate!,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                RemoteCertificateValidationCallback = (_, certificate, chain, _) => certificate is X509Certificate2 c && Tls.ChainsTo(c, chain, anchors),
                CipherSuitesPolicy = options.CipherSuites is { Count: > 0 } suites ? Tls.Policy(suites) : null,
            };
        }
        _http = new HttpClient(VenMessageLog.Wrap(handler, options)) { Timeout = options.RequestTimeout };
    }

    /// <summary>POSTs <paramref name="message"/> to <paramref name="service"/> and returns the VTN's answer.</summary>
    public async Task<OadrMessage> SendAsync(string service, OadrMessage message, CancellationToken cancellationToken)
    {
        var bytes = VenFaults.OnWire(_options, message, OadrCodec.SerializeToUtf8Bytes(message, Wire));
        if (_security is not null) bytes = _security.Sign(bytes);
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
        HttpResponseMessage response;
        try
        {
            response = await _http.PostAsync(new Uri(_base, ServicePath + service), content, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new VenTransportException($"cannot reach the VTN at {_base}: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new VenTransportException($"the VTN at {_base} did not answer in time", ex);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new VenTransportException($"the VTN answered {message.ElementName} with HTTP {(int)response.StatusCode}");
            }
            if (response.Content.Headers.ContentLength is { } length && length > _maxBytes)
            {
                throw new VenTransportException($"the VTN's answer is {length} bytes, over the limit");
            }
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (_security?.Verify(body) is { IsValid: false } signature)
            {
                throw new VenSignatureException($"answer to {message.ElementName}", signature.Status, signature.Message);
            }
            try
            {
                return OadrCodec.ParseMessage(body, _limits);
            }
            catch (OadrFormatException ex)
            {
                throw new VenTransportException($"the VTN's answer to {message.ElementName} is unreadable: {ex.Message}", ex);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>How the VEN reaches the VTN: simple HTTP (<see cref="VenTransport"/>) or XMPP (<see cref="VenXmppTransport"/>).</summary>
internal interface IVenTransport : IAsyncDisposable
{
    /// <summary>Sends <paramref name="message"/> to <paramref name="service"/> and returns the VTN's answer.</summary>
    Task<OadrMessage> SendAsync(string service, OadrMessage message, CancellationToken cancellationToken);
}

/// <summary>Certificate checks and cipher policy shared by the transport and the push listener.</summary>
internal static class Tls
{
    public static bool ChainsTo(X509Certificate2 certificate, X509Chain? presented, IReadOnlyList<X509Certificate2> anchors)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        foreach (var anchor in anchors) chain.ChainPolicy.CustomTrustStore.Add(anchor);
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements) chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        }
        return chain.Build(certificate);
    }

    public static CipherSuitesPolicy Policy(IReadOnlyList<TlsCipherSuite> suites)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new VenConfigurationException("this platform cannot pin TLS cipher suites; set CipherSuites to null");
        }
        return new CipherSuitesPolicy(suites);
    }
}
