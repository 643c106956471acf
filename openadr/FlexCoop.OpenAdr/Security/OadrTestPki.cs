using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FlexCoop.OpenAdr.Security;

/// <summary>What kind of party a test certificate is for.</summary>
public enum OadrTestRole
{
    CertificateAuthority,
    Vtn,
    Ven,
}

/// <summary>Settings for <see cref="OadrTestPki.Create"/>.</summary>
public sealed record OadrTestPkiOptions
{
    /// <summary>Organisation (O) in every subject.</summary>
    public string Organization { get; init; } = "FlexCoop Test PKI";

    /// <summary>Start of validity; one hour before the clock's now when null (tolerates small clock skew).</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>Validity of the leaf certificates; the CAs get twice as long.</summary>
    public TimeSpan Validity { get; init; } = TimeSpan.FromDays(365);

    /// <summary>DNS names in every leaf certificate's subject alternative name.</summary>
    public IReadOnlyList<string> DnsNames { get; init; } = ["localhost"];

    /// <summary>IP addresses in every leaf certificate's subject alternative name.</summary>
    public IReadOnlyList<IPAddress> IpAddresses { get; init; } = [IPAddress.Loopback, IPAddress.IPv6Loopback];

    /// <summary>Clock for <see cref="NotBefore"/> when not set.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

/// <summary>One certificate of the test PKI with its private key and PEM encodings.</summary>
public sealed class OadrTestCredential : IDisposable
{
    internal OadrTestCredential(string name, OadrTestRole role, string description, X509Certificate2 certificate, AsymmetricAlgorithm key, OadrTestCredential? issuer)
    {
        Name = name;
        Role = role;
        Description = description;
        Certificate = certificate;
        Issuer = issuer;
        CertificatePem = certificate.ExportCertificatePem() + "\n";
        PrivateKeyPem = key.ExportPkcs8PrivateKeyPem() + "\n";
        Fingerprint = OadrFingerprint.Of(certificate);
    }

    /// <summary>Short name used for file names: <c>ca-rsa</c>, <c>vtn-ecc</c>, <c>ven-hybrid</c>, ...</summary>
    public string Name { get; }

    public OadrTestRole Role { get; }

    /// <summary>One line: key type and issuer.</summary>
    public string Description { get; }

    /// <summary>The certificate with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The CA that issued it; null for a CA.</summary>
    public OadrTestCredential? Issuer { get; }

    public string CertificatePem { get; }

    /// <summary>The private key, PKCS#8 PEM, unencrypted (test material only).</summary>
    public string PrivateKeyPem { get; }

    /// <summary>The 2.0b fingerprint, which a VEN uses as its VEN ID.</summary>
    public string Fingerprint { get; }

    public void Dispose() => Certificate.Dispose();
}

/// <summary>
/// A test PKI for OpenADR 2.0b development and certification runs, made in memory (writing it to
/// files is the caller's business, e.g. <c>flexcoop certs create</c>): an RSA-2048 root CA and an
/// ECC P-256 root CA; VTN and VEN certificates with RSA-2048 keys (issued by the RSA CA) and with
/// P-256 keys (issued by the ECC CA); and a hybrid VEN certificate, a P-256 key signed by the RSA CA,
/// as rule 68 describes. Leaf certificates carry both server and client authentication EKUs (a VTN
/// is also a client in push mode, a push VEN also a server) and the subject alternative names
/// localhost, 127.0.0.1 and ::1, so the TLS transports can use them on loopback.
/// Not for production: keys are unencrypted and the CAs are self-signed.
/// </summary>
public sealed class OadrTestPki : IDisposable
{
    private OadrTestPki(IReadOnlyList<OadrTestCredential> credentials) => Credentials = credentials;

    /// <summary>Every credential, CAs first.</summary>
    public IReadOnlyList<OadrTestCredential> Credentials { get; }

    public OadrTestCredential CaRsa => Get("ca-rsa");

    public OadrTestCredential CaEcc => Get("ca-ecc");

    public OadrTestCredential VtnRsa => Get("vtn-rsa");

    public OadrTestCredential VtnEcc => Get("vtn-ecc");

    public OadrTestCredential VenRsa => Get("ven-rsa");

    public OadrTestCredential VenEcc => Get("ven-ecc");

    public OadrTestCredential VenHybrid => Get("ven-hybrid");

    /// <summary>The CA certificates (without keys), as trust anchors for verification and TLS.</summary>
    public IReadOnlyList<X509Certificate2> TrustAnchors =>
        Credentials.Where(c => c.Role == OadrTestRole.CertificateAuthority)
            .Select(c => X509CertificateLoader.LoadCertificate(c.Certificate.RawData)).ToList();

    /// <summary>Makes a new PKI with fresh keys.</summary>
    public static OadrTestPki Create(OadrTestPkiOptions? options = null)
    {
        options ??= new OadrTestPkiOptions();
        if (options.Validity <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Validity must be positive");
        }
        var notBefore = options.NotBefore ?? options.TimeProvider.GetUtcNow().AddHours(-1);
        var notAfter = notBefore + options.Validity;
        var caNotAfter = notBefore + options.Validity + options.Validity;

        var caRsaKey = RSA.Create(2048);
        var caRsa = CreateCa("ca-rsa", "RSA-2048 root CA", caRsaKey, options, notBefore, caNotAfter);
        var caEccKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caEcc = CreateCa("ca-ecc", "ECC P-256 root CA", caEccKey, options, notBefore, caNotAfter);

        var list = new List<OadrTestCredential> { caRsa, caEcc };
        list.Add(CreateLeaf("vtn-rsa", OadrTestRole.Vtn, "VTN, RSA-2048 key, issued by the RSA CA", RSA.Create(2048), caRsa, caRsaKey, options, notBefore, notAfter));
        list.Add(CreateLeaf("vtn-ecc", OadrTestRole.Vtn, "VTN, ECC P-256 key, issued by the ECC CA", ECDsa.Create(ECCurve.NamedCurves.nistP256), caEcc, caEccKey, options, notBefore, notAfter));
        list.Add(CreateLeaf("ven-rsa", OadrTestRole.Ven, "VEN, RSA-2048 key, issued by the RSA CA", RSA.Create(2048), caRsa, caRsaKey, options, notBefore, notAfter));
        list.Add(CreateLeaf("ven-ecc", OadrTestRole.Ven, "VEN, ECC P-256 key, issued by the ECC CA", ECDsa.Create(ECCurve.NamedCurves.nistP256), caEcc, caEccKey, options, notBefore, notAfter));
        list.Add(CreateLeaf("ven-hybrid", OadrTestRole.Ven, "VEN, hybrid: ECC P-256 key issued by the RSA CA", ECDsa.Create(ECCurve.NamedCurves.nistP256), caRsa, caRsaKey, options, notBefore, notAfter));
        caRsaKey.Dispose();
        caEccKey.Dispose();
        return new OadrTestPki(list);
    }

    public void Dispose()
    {
        foreach (var credential in Credentials)
        {
            credential.Dispose();
        }
    }

    private OadrTestCredential Get(string name) => Credentials.Single(c => c.Name == name);

    private static OadrTestCredential CreateCa(string name, string description, AsymmetricAlgorithm key, OadrTestPkiOptions options, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var request = NewRequest($"CN=FlexCoop Test {description}, O={Escape(options.Organization)}", key);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 1, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var withKey = request.CreateSelfSigned(notBefore, notAfter);
        return new OadrTestCredential(name, OadrTestRole.CertificateAuthority, description, withKey, key, issuer: null);
    }

    private static OadrTestCredential CreateLeaf(
        string name, OadrTestRole role, string description, AsymmetricAlgorithm key, OadrTestCredential issuer, AsymmetricAlgorithm issuerKey,
        OadrTestPkiOptions options, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var request = NewRequest($"CN=flexcoop-test-{name}, OU={role.ToString().ToUpperInvariant()}, O={Escape(options.Organization)}", key);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        var usage = key is RSA
            ? X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment
            : X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement;
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication"), new Oid("1.3.6.1.5.5.7.3.2", "Client Authentication")], critical: false));
        var san = new SubjectAlternativeNameBuilder();
        foreach (var dns in options.DnsNames)
        {
            san.AddDnsName(dns);
        }
        foreach (var ip in options.IpAddresses)
        {
            san.AddIpAddress(ip);
        }
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer.Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));

        // The X509SignatureGenerator overload lets an RSA CA sign an EC key (the hybrid case).
        var generator = issuerKey switch
        {
            RSA rsa => X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1),
            ECDsa ecdsa => X509SignatureGenerator.CreateForECDsa(ecdsa),
            _ => throw new ArgumentException("unsupported issuer key", nameof(issuerKey)),
        };
        using var certificate = request.Create(issuer.Certificate.SubjectName, generator, notBefore, notAfter, SerialNumber());
        using (key)
        {
            // The certificate keeps its own copy of the key; the PEM is exported before disposal.
            var withKey = key switch
            {
                RSA rsa => certificate.CopyWithPrivateKey(rsa),
                ECDsa ecdsa => certificate.CopyWithPrivateKey(ecdsa),
                _ => throw new ArgumentException("unsupported key", nameof(key)),
            };
            return new OadrTestCredential(name, role, description, withKey, key, issuer);
        }
    }

    private static CertificateRequest NewRequest(string subject, AsymmetricAlgorithm key) => key switch
    {
        RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        ECDsa ecdsa => new CertificateRequest(subject, ecdsa, HashAlgorithmName.SHA256),
        _ => throw new ArgumentException("unsupported key", nameof(key)),
    };

    private static byte[] SerialNumber()
    {
        var bytes = RandomNumberGenerator.GetBytes(16);
        bytes[0] &= 0x7F; // positive
        bytes[0] |= 0x01; // no leading zero byte
        return bytes;
    }

    private static string Escape(string value) => value.Contains(',', StringComparison.Ordinal) || value.Contains('=', StringComparison.Ordinal) ? $"\"{value.Replace("\"", "", StringComparison.Ordinal)}\"" : value;
}
