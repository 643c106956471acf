using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FlexCoop.Conformance.Tests;

/// <summary>An in-memory PKI for the TLS replay tests: a CA, the VTN's ECC and RSA certificates for 127.0.0.1, a VEN certificate.</summary>
internal static class ReplayPki
{
    private static readonly Lazy<X509Certificate2> CaLazy = new(() =>
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=FlexCoop replay test CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var self = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return Usable(self);
    });

    private static readonly Lazy<X509Certificate2> VtnEccLazy = new(() => Issue("replay-vtn-ecc", rsa: false));
    private static readonly Lazy<X509Certificate2> VtnRsaLazy = new(() => Issue("replay-vtn-rsa", rsa: true));
    private static readonly Lazy<X509Certificate2> VenLazy = new(() => Issue("replay-ven", rsa: false));

    public static X509Certificate2 Ca => CaLazy.Value;

    public static X509Certificate2 CaPublic => X509CertificateLoader.LoadCertificate(Ca.RawData);

    public static X509Certificate2 VtnEcc => VtnEccLazy.Value;

    public static X509Certificate2 VtnRsa => VtnRsaLazy.Value;

    public static X509Certificate2 Ven => VenLazy.Value;

    private static X509Certificate2 Issue(string name, bool rsa)
    {
        using var rsaKey = rsa ? RSA.Create(2048) : null;
        using var ecKey = rsa ? null : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = rsa
            ? new CertificateRequest($"CN={name}", rsaKey!, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest($"CN={name}", ecKey!, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            rsa ? X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment : X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        using var caKey = Ca.GetECDsaPrivateKey()!;
        var serial = RandomNumberGenerator.GetBytes(10);
        serial[0] &= 0x7F;
        using var issued = request.Create(Ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey),
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddMonths(6), serial);
        using var withKey = rsa ? issued.CopyWithPrivateKey(rsaKey!) : issued.CopyWithPrivateKey(ecKey!);
        return Usable(withKey);
    }

    /// <summary>Through PKCS#12, so that SslStream can use the private key.</summary>
    private static X509Certificate2 Usable(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
}
