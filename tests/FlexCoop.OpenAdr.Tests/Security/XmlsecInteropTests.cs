using System.Globalization;
using System.Text;
using FlexCoop.OpenAdr.Security;
using FlexCoop.OpenAdr.Tests.Schema;
using FlexCoop.Testing;

namespace FlexCoop.OpenAdr.Tests.Security;

/// <summary>
/// Interoperability with xmlsec1 (libxmlsec1 on OpenSSL), an independent XML-DSig implementation:
/// it verifies what we sign, and we verify what it signs. The namespaced <c>oadr:Id</c> is made known
/// to xmlsec1 with <c>--id-attr:Id http://openadr.org/oadr-2.0b/2012/07:oadrSignedObject</c> (the
/// attribute is matched by local name), and the <c>ds:Object</c> id likewise.
/// </summary>
public sealed class XmlsecInteropTests
{
    private static readonly string[] IdAttributes =
    [
        "--id-attr:Id", "http://openadr.org/oadr-2.0b/2012/07:oadrSignedObject",
        "--id-attr:Id", "http://www.w3.org/2000/09/xmldsig#:Object",
    ];

    public static TheoryData<string> Signers() => new() { "ven-rsa", "ven-ecc", "ven-hybrid", "vtn-ecc" };

    [Theory]
    [MemberData(nameof(Signers))]
    public async Task Xmlsec1_verifies_our_signature_against_the_ca(string signer)
    {
        var xmlsec = TestEnvironment.RequireTool("xmlsec1", "xmlsec1");
        var credential = SecurityFixture.Pki.Credentials.Single(c => c.Name == signer);
        using var temp = new TempDirectory();
        var signed = Path.Combine(temp.Path, "signed.xml");
        File.WriteAllBytes(signed, SecurityFixture.Signer(credential).Sign(SecurityFixture.UnsignedPayload()));
        var ca = WritePem(temp.Path, "ca.pem", credential.Issuer!.CertificatePem);

        var (exit, stdout, stderr) = await TestEnvironment.RunAsync(xmlsec,
            ["--verify", "--trusted-pem", ca, .. GmtTime(), .. IdAttributes, signed]);

        Assert.True(exit == 0, $"xmlsec1 refused our {signer} signature:\n{stdout}\n{stderr}");
        Assert.Contains("SignedInfo References (ok/all): 2/2", stdout + stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ven-rsa")]
    [InlineData("ven-ecc")]
    public async Task Xmllint_finds_our_signed_message_schema_valid(string signer)
    {
        var xmllint = TestEnvironment.RequireTool("xmllint", "libxml2-utils");
        var credential = SecurityFixture.Pki.Credentials.Single(c => c.Name == signer);
        using var temp = new TempDirectory();
        var signed = Path.Combine(temp.Path, "signed.xml");
        File.WriteAllBytes(signed, SecurityFixture.Signer(credential).Sign(SecurityFixture.UnsignedPayload()));

        var (exit, _, stderr) = await TestEnvironment.RunAsync(xmllint,
            ["--noout", "--nonet", "--schema", Path.Combine(SchemaFixture.SchemaDirectory, "oadr_20b.xsd"), signed]);

        Assert.True(exit == 0, stderr);
    }

    [Fact]
    public async Task Xmlsec1_rejects_our_signature_after_a_payload_change()
    {
        var xmlsec = TestEnvironment.RequireTool("xmlsec1", "xmlsec1");
        var credential = SecurityFixture.Pki.VenEcc;
        using var temp = new TempDirectory();
        var signed = Path.Combine(temp.Path, "signed.xml");
        var text = Encoding.UTF8.GetString(SecurityFixture.Signer(credential).Sign(SecurityFixture.UnsignedPayload()));
        File.WriteAllText(signed, text.Replace("TH_VTN", "XX_VTN", StringComparison.Ordinal));
        var ca = WritePem(temp.Path, "ca.pem", credential.Issuer!.CertificatePem);

        var (exit, stdout, stderr) = await TestEnvironment.RunAsync(xmlsec,
            ["--verify", "--trusted-pem", ca, .. GmtTime(), .. IdAttributes, signed]);

        Assert.NotEqual(0, exit);
        Assert.Contains("data and digest do not match", stdout + stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ven-rsa", OadrXmlSignatureAlgorithms.RsaSha256)]
    [InlineData("ven-ecc", OadrXmlSignatureAlgorithms.EcdsaSha256)]
    [InlineData("ven-hybrid", OadrXmlSignatureAlgorithms.EcdsaSha256)]
    public async Task We_verify_a_signature_made_by_xmlsec1_from_a_profile_template(string signer, string method)
    {
        var xmlsec = TestEnvironment.RequireTool("xmlsec1", "xmlsec1");
        var credential = SecurityFixture.Pki.Credentials.Single(c => c.Name == signer);
        using var temp = new TempDirectory();
        var template = Path.Combine(temp.Path, "template.xml");
        var output = Path.Combine(temp.Path, "signed.xml");
        File.WriteAllText(template, Template(method, "xmlsec-nonce-" + signer));
        var key = WritePem(temp.Path, "key.pem", credential.PrivateKeyPem);
        var cert = WritePem(temp.Path, "cert.pem", credential.CertificatePem);

        var (exit, stdout, stderr) = await TestEnvironment.RunAsync(xmlsec,
            ["--sign", "--privkey-pem", $"{key},{cert}", .. IdAttributes, "--output", output, template]);
        Assert.True(exit == 0, $"xmlsec1 could not sign:\n{stdout}\n{stderr}");

        var signed = File.ReadAllBytes(output);
        var result = OadrSignatureVerifier.Verify(signed, SecurityFixture.Options() with { NonceCache = new OadrNonceCache() });

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(method, result.SignatureMethod);
        Assert.Equal("xmlsec-nonce-" + signer, result.ReplayProtect!.Nonce);
        Assert.Equal("obj-1", result.SignedObjectId);
        Assert.True(SchemaFixture.Validator().Validate(signed).IsValid);

        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(signed).Replace("ven-from-xmlsec", "ven-from-xmlsex", StringComparison.Ordinal));
        Assert.Equal(OadrSignatureStatus.DigestMismatch, OadrSignatureVerifier.Verify(tampered, SecurityFixture.Options()).Status);
    }

    [Fact]
    public async Task Xmlsec1_and_we_agree_that_the_avob_enveloped_sample_fails_its_digest()
    {
        var xmlsec = TestEnvironment.RequireTool("xmlsec1", "xmlsec1");
        var file = Path.Combine(TestEnvironment.RequireShared("vectors/openadr20b/avob-OpenADR/model20b"), "xmlsignature", "signatureOadrPayload.xml");

        var (exit, stdout, stderr) = await TestEnvironment.RunAsync(xmlsec, ["--verify", file]);
        var ours = OadrSignatureVerifier.Verify(File.ReadAllBytes(file), new OadrVerifyOptions { CheckReplayWindow = false, AllowLegacyAlgorithms = true });

        Assert.NotEqual(0, exit);
        Assert.Contains("data and digest do not match", stdout + stderr, StringComparison.Ordinal);
        Assert.Equal(OadrSignatureStatus.DigestMismatch, ours.Status);
    }

    private static string[] GmtTime() =>
        ["--verification-gmt-time", SecurityFixture.Now.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)];

    private static string WritePem(string directory, string name, string pem)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, pem);
        return path;
    }

    /// <summary>A profile-shaped signature template, prefixed ds: form, for xmlsec1 to fill in.</summary>
    private static string Template(string method, string nonce) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <oadr:oadrPayload xmlns:oadr="http://openadr.org/oadr-2.0b/2012/07" xmlns:ei="http://docs.oasis-open.org/ns/energyinterop/201110">
          <ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="sig-1">
            <ds:SignedInfo>
              <ds:CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>
              <ds:SignatureMethod Algorithm="{method}"/>
              <ds:Reference URI="#obj-1">
                <ds:Transforms><ds:Transform Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/></ds:Transforms>
                <ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>
                <ds:DigestValue></ds:DigestValue>
              </ds:Reference>
              <ds:Reference URI="#replay-1">
                <ds:Transforms><ds:Transform Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/></ds:Transforms>
                <ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>
                <ds:DigestValue></ds:DigestValue>
              </ds:Reference>
            </ds:SignedInfo>
            <ds:SignatureValue></ds:SignatureValue>
            <ds:KeyInfo><ds:X509Data><ds:X509Certificate></ds:X509Certificate></ds:X509Data></ds:KeyInfo>
            <ds:Object Id="replay-1">
              <ds:SignatureProperties>
                <ds:SignatureProperty Target="#sig-1">
                  <dsp:ReplayProtect xmlns:dsp="http://openadr.org/oadr-2.0b/2012/07/xmldsig-properties">
                    <dsp:timestamp>{SecurityFixture.Now.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}</dsp:timestamp>
                    <dsp:nonce>{nonce}</dsp:nonce>
                  </dsp:ReplayProtect>
                </ds:SignatureProperty>
              </ds:SignatureProperties>
            </ds:Object>
          </ds:Signature>
          <oadr:oadrSignedObject oadr:Id="obj-1">
            <oadr:oadrPoll ei:schemaVersion="2.0b"><ei:venID>ven-from-xmlsec</ei:venID></oadr:oadrPoll>
          </oadr:oadrSignedObject>
        </oadr:oadrPayload>
        """;
}
