using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FlexCoop.OpenAdr.Security;

namespace FlexCoop.OpenAdr.Tests.Security;

public sealed class OadrTestPkiTests
{
    [Fact]
    public void Pki_has_two_cas_vtn_and_ven_certificates_and_a_hybrid()
    {
        var pki = SecurityFixture.Pki;

        Assert.Equal(["ca-rsa", "ca-ecc", "vtn-rsa", "vtn-ecc", "ven-rsa", "ven-ecc", "ven-hybrid"], pki.Credentials.Select(c => c.Name));
        Assert.Equal(2048, pki.CaRsa.Certificate.GetRSAPublicKey()!.KeySize);
        Assert.Equal(2048, pki.VtnRsa.Certificate.GetRSAPublicKey()!.KeySize);
        Assert.Equal(2048, pki.VenRsa.Certificate.GetRSAPublicKey()!.KeySize);
        Assert.Equal(256, pki.VtnEcc.Certificate.GetECDsaPublicKey()!.KeySize);
        Assert.Equal(256, pki.VenEcc.Certificate.GetECDsaPublicKey()!.KeySize);
        Assert.Equal(256, pki.VenHybrid.Certificate.GetECDsaPublicKey()!.KeySize);
        Assert.NotEmpty(pki.CaRsa.Certificate.GetRSAPrivateKey()!.SignData([1, 2, 3], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Assert.NotEmpty(pki.VenEcc.Certificate.GetECDsaPrivateKey()!.SignData([1, 2, 3], HashAlgorithmName.SHA256));
    }

    [Fact]
    public void Hybrid_is_an_ecc_key_signed_by_the_rsa_ca()
    {
        var hybrid = SecurityFixture.Pki.VenHybrid.Certificate;

        Assert.NotNull(hybrid.GetECDsaPublicKey());
        Assert.Equal(SecurityFixture.Pki.CaRsa.Certificate.Subject, hybrid.Issuer);
        Assert.Equal("1.2.840.113549.1.1.11", hybrid.SignatureAlgorithm.Value); // sha256WithRSAEncryption
        Assert.Equal("1.2.840.10045.4.3.2", SecurityFixture.Pki.VenEcc.Certificate.SignatureAlgorithm.Value); // ecdsa-with-SHA256
    }

    [Theory]
    [InlineData("vtn-rsa")]
    [InlineData("vtn-ecc")]
    [InlineData("ven-rsa")]
    [InlineData("ven-ecc")]
    [InlineData("ven-hybrid")]
    public void Leaf_chains_to_its_ca_and_is_usable_for_tls_on_loopback(string name)
    {
        var credential = SecurityFixture.Pki.Credentials.Single(c => c.Name == name);
        var certificate = credential.Certificate;

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = SecurityFixture.Now.UtcDateTime;
        chain.ChainPolicy.CustomTrustStore.Add(credential.Issuer!.Certificate);
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.1"));
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.2"));
        Assert.True(chain.Build(certificate), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));

        Assert.True(certificate.HasPrivateKey);
        Assert.True(certificate.MatchesHostname("localhost"));
        Assert.True(certificate.MatchesHostname("127.0.0.1"));
        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains(IPAddress.IPv6Loopback, san.EnumerateIPAddresses());
        Assert.Contains(name, certificate.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void Pem_files_load_back_with_their_keys_and_fingerprint()
    {
        foreach (var credential in SecurityFixture.Pki.Credentials)
        {
            using var loaded = X509Certificate2.CreateFromPem(credential.CertificatePem, credential.PrivateKeyPem);

            Assert.True(loaded.HasPrivateKey, credential.Name);
            Assert.Equal(credential.Certificate.Thumbprint, loaded.Thumbprint);
            Assert.Equal(OadrFingerprint.Of(loaded), credential.Fingerprint);
        }
    }

    [Fact]
    public void Each_pki_has_fresh_keys_and_serial_numbers()
    {
        using var other = OadrTestPki.Create(new OadrTestPkiOptions { NotBefore = SecurityFixture.Now });

        Assert.NotEqual(SecurityFixture.Pki.VenEcc.Fingerprint, other.VenEcc.Fingerprint);
        Assert.Equal(SecurityFixture.Pki.Credentials.Count, other.Credentials.Select(c => c.Certificate.SerialNumber).Distinct().Count());
        Assert.Equal(SecurityFixture.Now.UtcDateTime, other.VenRsa.Certificate.NotBefore.ToUniversalTime());
        Assert.Equal(SecurityFixture.Now.AddDays(365).UtcDateTime, other.VenRsa.Certificate.NotAfter.ToUniversalTime());
    }

    [Fact]
    public void Trust_anchors_carry_no_private_keys()
    {
        Assert.All(SecurityFixture.Pki.TrustAnchors, c => Assert.False(c.HasPrivateKey));
        Assert.Equal(2, SecurityFixture.Pki.TrustAnchors.Count);
    }
}
