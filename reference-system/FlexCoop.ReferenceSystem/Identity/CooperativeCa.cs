using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FlexCoop.OpenAdr.Security;
using FlexCoop.ReferenceSystem.Storage;

namespace FlexCoop.ReferenceSystem.Identity;

/// <summary>
/// The cooperative's certificate authority: an ECDSA P-256 root made by the first node to start
/// and kept in the store (so every node issues and trusts the same one). It issues each node's
/// TLS server certificate and, at enrolment, each Open Smart Box's client certificate.
/// </summary>
public sealed class CooperativeCa : IDisposable
{
    private const string SecretName = "cooperative-ca";
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");

    private CooperativeCa(X509Certificate2 certificate)
    {
        Certificate = certificate;
        PublicCertificate = X509CertificateLoader.LoadCertificate(certificate.RawData);
        CertificatePem = certificate.ExportCertificatePem() + "\n";
    }

    /// <summary>The CA certificate with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The CA certificate alone, as peers trust it.</summary>
    public X509Certificate2 PublicCertificate { get; }

    /// <summary>The CA certificate, PEM.</summary>
    public string CertificatePem { get; }

    /// <summary>The CA in <paramref name="identity"/>, made there when the store has none.</summary>
    public static async Task<CooperativeCa> LoadOrCreateAsync(IIdentityRepository identity, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(clock);
        var now = clock.GetUtcNow();
        var pem = await identity.GetOrCreateSecretAsync(SecretName, () => Create(now), now, cancellationToken);
        return new CooperativeCa(X509Certificate2.CreateFromPem(pem, pem));
    }

    private static string Create(DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=FlexCoop Cooperative CA, O=FlexCoop", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var ca = request.CreateSelfSigned(now.AddHours(-1), now.AddYears(20));
        return ca.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem() + "\n";
    }

    /// <summary>A TLS server certificate for a node, for these host names and addresses, with a fresh P-256 key.</summary>
    public X509Certificate2 IssueServerCertificate(IEnumerable<string> dnsNames, IEnumerable<IPAddress> addresses, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=FlexCoop middleware, O=FlexCoop", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames.Distinct(StringComparer.OrdinalIgnoreCase)) san.AddDnsName(name);
        foreach (var address in addresses.Distinct()) san.AddIpAddress(address);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuth, ClientAuth], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        using var issued = request.Create(Certificate, now.AddHours(-1), Min(now.AddYears(1), Certificate.NotAfter), NewSerial());
        using var withKey = issued.CopyWithPrivateKey(key);
        // A key the TLS stack can use on every platform: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>
    /// Issues a client certificate (clientAuth) for the key of a PKCS#10 request whose subject CN is
    /// <paramref name="commonName"/>. The request's own extensions are ignored; its signature must verify.
    /// </summary>
    /// <exception cref="EnrolmentException">The request is unreadable, badly signed, for another name or a weak key.</exception>
    public X509Certificate2 IssueClientCertificate(string csrPem, string commonName, DateTimeOffset now, TimeSpan validity)
    {
        ArgumentNullException.ThrowIfNull(csrPem);
        if (csrPem.Length > 16 * 1024) throw new EnrolmentException("csrPem is longer than 16 KiB");
        CertificateRequest request;
        try
        {
            request = CertificateRequest.LoadSigningRequestPem(csrPem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException ex)
        {
            throw new EnrolmentException($"csrPem is not a valid, self-signed PKCS#10 certificate request: {ex.Message}", ex);
        }
        catch (ArgumentException ex)
        {
            throw new EnrolmentException($"csrPem is not a PEM certificate request: {ex.Message}", ex);
        }
        var cn = CommonName(request.SubjectName);
        if (!string.Equals(cn, commonName, StringComparison.Ordinal))
        {
            throw new EnrolmentException($"the request's subject CN is '{cn}', the homeId '{commonName}'");
        }
        switch (request.PublicKey.Oid.Value)
        {
            case "1.2.840.10045.2.1":
                using (var ec = request.PublicKey.GetECDsaPublicKey())
                {
                    if (ec is null || ec.KeySize < 256) throw new EnrolmentException("an ECDSA key must be P-256 or larger");
                }
                break;
            case "1.2.840.113549.1.1.1":
                using (var rsa = request.PublicKey.GetRSAPublicKey())
                {
                    if (rsa is null || rsa.KeySize < 2048) throw new EnrolmentException("an RSA key must be 2048 bits or more");
                }
                break;
            default:
                throw new EnrolmentException($"key algorithm {request.PublicKey.Oid.Value} is not ECDSA or RSA");
        }
        request.CertificateExtensions.Clear();
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ClientAuth], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        return request.Create(Certificate, now.AddHours(-1), Min(now + validity, Certificate.NotAfter), NewSerial());
    }

    /// <summary>True when <paramref name="certificate"/> was issued by this CA (signature and validity checked, no revocation).</summary>
    public bool Issued(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(PublicCertificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate) && chain.ChainElements.Count == 2
            && chain.ChainElements[^1].Certificate.RawData.AsSpan().SequenceEqual(PublicCertificate.RawData);
    }

    /// <summary>The 2.0b fingerprint (a VEN's venID).</summary>
    public static string Fingerprint(X509Certificate2 certificate) => OadrFingerprint.Of(certificate);

    private static string? CommonName(X500DistinguishedName name)
    {
        foreach (var rdn in name.EnumerateRelativeDistinguishedNames())
        {
            if (rdn.GetSingleElementType().Value == "2.5.4.3") return rdn.GetSingleElementValue();
        }
        return null;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTime b) => a.UtcDateTime < b.ToUniversalTime() ? a : new DateTimeOffset(b.ToUniversalTime());

    private static byte[] NewSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // positive
        serial[0] |= 0x01; // and not starting with a zero byte
        return serial;
    }

    public void Dispose()
    {
        Certificate.Dispose();
        PublicCertificate.Dispose();
    }
}

/// <summary>An enrolment request cannot be honoured; the message names what is wrong.</summary>
public sealed class EnrolmentException : ReferenceSystemException
{
    public EnrolmentException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
