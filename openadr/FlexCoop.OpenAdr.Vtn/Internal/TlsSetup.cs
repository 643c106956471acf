using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace FlexCoop.OpenAdr.Vtn.Internal;

/// <summary>
/// The server side of mutual TLS: certificate contexts built once, the client chain checked
/// against the configured CAs, the cipher suites pinned.
/// </summary>
internal sealed class TlsSetup
{
    private readonly (X509Certificate2 Certificate, SslStreamCertificateContext Context)[] _certificates;
    private readonly IReadOnlyList<X509Certificate2> _anchors;
    private readonly CipherSuitesPolicy? _cipherSuites;
    private readonly VtnOptions _options;

    public TlsSetup(VtnOptions options)
    {
        _options = options;
        _anchors = options.ClientCertificateAuthorities;
        _certificates = options.ServerCertificates
            .Select(c => (c, SslStreamCertificateContext.Create(c, additionalCertificates: null, offline: true)))
            .ToArray();
        if (options.CipherSuites is { Count: > 0 } suites)
        {
            _cipherSuites = CipherPolicy(suites);
        }
    }

    /// <summary>A policy of exactly these suites; Windows (SChannel) cannot pin suites per connection.</summary>
    public static CipherSuitesPolicy CipherPolicy(IReadOnlyList<TlsCipherSuite> suites)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new VtnConfigurationException("this platform cannot pin TLS cipher suites; set CipherSuites to null");
        }
        return new CipherSuitesPolicy(suites);
    }

    /// <summary>Options for one incoming connection, given the host name the client asked for (SNI).</summary>
    public SslServerAuthenticationOptions ForConnection(string? serverName) => new()
    {
        ServerCertificateContext = Pick(serverName),
        ClientCertificateRequired = true,
        RemoteCertificateValidationCallback = ValidateClient,
        EnabledSslProtocols = _options.TlsProtocols,
        CipherSuitesPolicy = _cipherSuites,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
    };

    private SslStreamCertificateContext Pick(string? serverName)
    {
        if (!string.IsNullOrEmpty(serverName))
        {
            foreach (var (certificate, context) in _certificates)
            {
                if (certificate.MatchesHostname(serverName, allowWildcards: true, allowCommonName: false)) return context;
            }
        }
        return _certificates[0].Context;
    }

    private bool ValidateClient(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        certificate is X509Certificate2 c2 && CertificateIdentity.ChainsTo(c2, chain, _anchors);
}
