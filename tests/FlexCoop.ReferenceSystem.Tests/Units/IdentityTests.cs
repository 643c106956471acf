using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FlexCoop.ReferenceSystem.Identity;
using FlexCoop.ReferenceSystem.Registry;
using FlexCoop.ReferenceSystem.Storage;

namespace FlexCoop.ReferenceSystem.Tests.Units;

public sealed class IdentityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Password_hash_verifies_the_password_and_nothing_else()
    {
        var hash = PasswordHashing.Hash("correct horse battery");
        Assert.True(PasswordHashing.Verify("correct horse battery", hash));
        Assert.False(PasswordHashing.Verify("correct horse batterY", hash));
        Assert.NotEqual(hash, PasswordHashing.Hash("correct horse battery"));
        Assert.False(PasswordHashing.Verify("x", "pbkdf2-sha256$notanumber$AA==$AA=="));
        Assert.False(PasswordHashing.Verify("x", "plain"));
    }

    [Fact]
    public async Task Ca_issues_a_client_certificate_for_the_csr_of_the_named_home_only()
    {
        var dir = Directory.CreateTempSubdirectory("flexcoop-ca-").FullName;
        await using var store = new SqliteReferenceStore(dir);
        await store.InitializeAsync(Ct);
        using var ca = await CooperativeCa.LoadOrCreateAsync(store.Identity, TimeProvider.System, Ct);
        using var again = await CooperativeCa.LoadOrCreateAsync(store.Identity, TimeProvider.System, Ct);
        Assert.Equal(ca.CertificatePem, again.CertificatePem);

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest("CN=home-0042", key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
        using var issued = ca.IssueClientCertificate(csr, "home-0042", DateTimeOffset.UtcNow, TimeSpan.FromDays(30));
        Assert.True(ca.Issued(issued));
        Assert.Equal("CN=home-0042", issued.Subject);
        var eku = issued.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single();
        Assert.Equal(["1.3.6.1.5.5.7.3.2"], eku.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value));
        Assert.Throws<EnrolmentException>(() => ca.IssueClientCertificate(csr, "home-0043", DateTimeOffset.UtcNow, TimeSpan.FromDays(30)));
        Assert.Throws<EnrolmentException>(() => ca.IssueClientCertificate("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----", "home-0042", DateTimeOffset.UtcNow, TimeSpan.FromDays(1)));
        using var weak = RSA.Create(1024);
        var weakCsr = new CertificateRequest("CN=home-0042", weak, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSigningRequestPem();
        Assert.Throws<EnrolmentException>(() => ca.IssueClientCertificate(weakCsr, "home-0042", DateTimeOffset.UtcNow, TimeSpan.FromDays(1)));

        using var rogueKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rogue = new CertificateRequest("CN=home-0042", rogueKey, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
        Assert.False(ca.Issued(rogue));
    }

    [Theory]
    [InlineData("online=true;manualOverride=false", true, false, null)]
    [InlineData("online=false;manualOverride=true;levelOffset=2;setPoint=21.5", false, true, "levelOffset=2;setPoint=21.5")]
    [InlineData("online=true;capacity=NaNx", true, null, null)]
    public void Status_text_of_the_vtn_store_is_read_back(string text, bool online, bool? manualOverride, string? loadControl)
    {
        var status = DerRegistry.ParseStatus(text);
        Assert.Equal(online, status.Online);
        Assert.Equal(manualOverride, status.ManualOverride);
        Assert.Equal(loadControl, status.LoadControlState);
    }

    [Fact]
    public void Distance_between_eindhoven_and_amsterdam_is_about_110_km()
    {
        var km = Geo.DistanceKm(51.4416, 5.4697, 52.3676, 4.9041);
        Assert.InRange(km, 105, 115);
        Assert.Equal(0, Geo.DistanceKm(51, 5, 51, 5), 9);
    }
}
