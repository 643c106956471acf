using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FlexCoop.OpenAdr.Engine.Tests.EndToEnd;

/// <summary>
/// A test PKI made in memory once per test run: a CA (RSA 2048), the VTN's RSA 2048 and ECC P-256
/// certificates (rule 68) for 127.0.0.1 and localhost, and VEN certificates (ECC P-256), plus a
/// second CA nobody trusts.
/// </summary>
internal static class TestPki
{
    private static readonly Lazy<X509Certificate2> CaLazy = new(() => CreateCa("FlexCoop Test CA"));
    private static readonly Lazy<X509Certificate2> RogueCaLazy = new(() => CreateCa("Rogue CA"));
    private static readonly Lazy<X509Certificate2> VtnRsaLazy = new(() => Issue(Ca, "vtn-rsa", rsa: true, server: true, dnsNames: ["localhost", "rsa.vtn.test"]));
    private static readonly Lazy<X509Certificate2> VtnEccLazy = new(() => Issue(Ca, "vtn-ecc", rsa: false, server: true, dnsNames: ["localhost", "ecc.vtn.test"]));
    private static int _venCounter;

    // Valid from well before the tests' fake clock (VtnHarness.Start), which signature checks use.
    private static readonly DateTimeOffset NotBefore = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static X509Certificate2 Ca => CaLazy.Value;

    public static X509Certificate2 RogueCa => RogueCaLazy.Value;

    public static X509Certificate2 VtnRsa => VtnRsaLazy.Value;

    public static X509Certificate2 VtnEcc => VtnEccLazy.Value;

    /// <summary>The CA certificate without its private key, as peers hold it.</summary>
    public static X509Certificate2 CaPublic => X509CertificateLoader.LoadCertificate(Ca.RawData);

    /// <summary>A fresh VEN certificate (each VEN its own identity).</summary>
    public static X509Certificate2 NewVen(bool rogue = false) =>
        Issue(rogue ? RogueCa : Ca, $"ven-{Interlocked.Increment(ref _venCounter)}", rsa: false, server: true, dnsNames: ["localhost"]);

    private static X509Certificate2 CreateCa(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var cert = request.CreateSelfSigned(NotBefore, DateTimeOffset.UtcNow.AddYears(5));
        return Reload(cert);
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string name, bool rsa, bool server, string[] dnsNames)
    {
        using var rsaKey = rsa ? RSA.Create(2048) : null;
        using var ecKey = rsa ? null : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = rsa
            ? new CertificateRequest($"CN={name}", rsaKey!, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest($"CN={name}", ecKey!, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            rsa ? X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment : X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            server ? [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")] : [new Oid("1.3.6.1.5.5.7.3.2")], false));
        var san = new SubjectAlternativeNameBuilder();
        foreach (var dns in dnsNames) san.AddDnsName(dns);
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        // An ECC key signed by the RSA CA is rule 68's hybrid certificate.
        using var caKey = ca.GetRSAPrivateKey()!;
        using var issued = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForRSA(caKey, RSASignaturePadding.Pkcs1),
            NotBefore, DateTimeOffset.UtcNow.AddYears(1), serial);
        using var withKey = rsa ? issued.CopyWithPrivateKey(rsaKey!) : issued.CopyWithPrivateKey(ecKey!);
        return Reload(withKey);
    }

    /// <summary>Through PKCS#12 so the private key is usable by SslStream on every platform.</summary>
    private static X509Certificate2 Reload(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
}
