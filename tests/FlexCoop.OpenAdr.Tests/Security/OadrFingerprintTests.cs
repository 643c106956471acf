using System.Security.Cryptography.X509Certificates;
using FlexCoop.OpenAdr.Security;
using FlexCoop.Testing;

namespace FlexCoop.OpenAdr.Tests.Security;

public sealed class OadrFingerprintTests
{
    // avob/OpenADR keeps each certificate's expected fingerprints in files beside it.
    [Theory]
    [InlineData("test.crt", "test.fingerprint", "test.fingerprint.oadr20a")]
    [InlineData("test-ecc.crt", "test-ecc.fingerprint", "test-ecc.oadr20a")]
    public void Fingerprints_match_the_published_vectors(string certificate, string fingerprint20b, string fingerprint20a)
    {
        var directory = TestEnvironment.RequireShared("vectors/openadr20b/avob-OpenADR/fingerprint-vectors");
        using var cert = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(directory, certificate));
        var expected20b = File.ReadAllText(Path.Combine(directory, fingerprint20b)).Trim();
        var expected20a = File.ReadAllText(Path.Combine(directory, fingerprint20a)).Trim();

        var actual = OadrFingerprint.Of(cert);

        Assert.Matches("^([0-9A-F]{2}:){9}[0-9A-F]{2}$", actual);
        Assert.True(OadrFingerprint.Matches(actual, expected20b), $"{actual} vs {expected20b}");
        Assert.Equal(expected20b, OadrFingerprint.Normalize(actual));
        Assert.Equal(expected20a, OadrFingerprint.Normalize(OadrFingerprint.Of20a(cert)));
        Assert.False(OadrFingerprint.Matches(actual, expected20a));
    }

    [Fact]
    public void Fingerprint_of_der_bytes_equals_fingerprint_of_the_certificate()
    {
        var cert = SecurityFixture.Pki.VenRsa.Certificate;

        Assert.Equal(OadrFingerprint.Of(cert), OadrFingerprint.Of(cert.RawData));
    }

    [Theory]
    [InlineData("F2:50:43:4D:2F:78:59:F3:51:7D", "f250434d2f7859f3517d", true)]
    [InlineData("f2:50:43:4d:2f:78:59:f3:51:7d", "F250434D2F7859F3517D", true)]
    [InlineData(" F2:50:43:4D:2F:78:59:F3:51:7D\n", "f250434d2f7859f3517d", true)]
    [InlineData("F2:50:43:4D:2F:78:59:F3:51:7E", "f250434d2f7859f3517d", false)]
    [InlineData("F2:50:43:4D:2F:78:59:F3:51", "f250434d2f7859f3517d", false)]
    [InlineData("", "", false)]
    public void Matches_ignores_case_colons_and_surrounding_whitespace(string a, string b, bool expected)
    {
        Assert.Equal(expected, OadrFingerprint.Matches(a, b));
        Assert.Equal(expected, OadrFingerprint.Matches(b, a));
    }

    [Fact]
    public void Null_never_matches()
    {
        Assert.False(OadrFingerprint.Matches(null, "aa"));
        Assert.False(OadrFingerprint.Matches("aa", null));
    }
}
