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

    /// <summary>
    /// Options for one incoming connection, given the host name the client asked for (SNI) and the certificate
    /// kinds its ClientHello can use (<see cref="ClientHelloOffer"/>).
    /// </summary>
    public SslServerAuthenticationOptions ForConnection(string? serverName, CertificateKindsOffered offered = CertificateKindsOffered.Unknown) => new()
    {
        ServerCertificateContext = Pick(serverName, offered),
        ClientCertificateRequired = true,
        RemoteCertificateValidationCallback = ValidateClient,
        EnabledSslProtocols = _options.TlsProtocols,
        CipherSuitesPolicy = _cipherSuites,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
    };

    /// <summary>
    /// The certificates whose DNS name matches the SNI host name (all when none does or no name was sent);
    /// among them the ECC one when the client can only use ECDSA, the RSA one when it can only use RSA,
    /// else the first configured (rule 68: a VTN holds both and serves each client one it can use).
    /// </summary>
    internal SslStreamCertificateContext Pick(string? serverName, CertificateKindsOffered offered = CertificateKindsOffered.Unknown)
    {
        var candidates = _certificates;
        if (!string.IsNullOrEmpty(serverName))
        {
            var named = _certificates.Where(c => c.Certificate.MatchesHostname(serverName, allowWildcards: true, allowCommonName: false)).ToArray();
            if (named.Length > 0) candidates = named;
        }
        if (offered is CertificateKindsOffered.EcdsaOnly or CertificateKindsOffered.RsaOnly)
        {
            var ecc = offered == CertificateKindsOffered.EcdsaOnly;
            foreach (var (certificate, context) in candidates)
            {
                if (IsEcc(certificate) == ecc) return context;
            }
        }
        return candidates[0].Context;
    }

    private static bool IsEcc(X509Certificate2 certificate) => certificate.PublicKey.Oid.Value == "1.2.840.10045.2.1"; // id-ecPublicKey

    private bool ValidateClient(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        certificate is X509Certificate2 c2 && CertificateIdentity.ChainsTo(c2, chain, _anchors);
}
