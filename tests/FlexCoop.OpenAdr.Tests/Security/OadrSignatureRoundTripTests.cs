using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;
using FlexCoop.OpenAdr.Security;
using FlexCoop.OpenAdr.Tests.Schema;
using FlexCoop.Testing;

namespace FlexCoop.OpenAdr.Tests.Security;

public sealed class OadrSignatureRoundTripTests
{
    public static TheoryData<string> Signers() => new() { "ven-rsa", "ven-ecc", "ven-hybrid", "vtn-rsa", "vtn-ecc" };

    [Theory]
    [MemberData(nameof(Signers))]
    public void Signed_message_verifies_with_the_trusted_ca(string signer)
    {
        var credential = SecurityFixture.Pki.Credentials.Single(c => c.Name == signer);
        var signed = SecurityFixture.Signer(credential).Sign(SecurityFixture.UnsignedPayload(), nonce: "nonce-" + signer);

        var result = OadrSignatureVerifier.Verify(signed, SecurityFixture.Options() with { NonceCache = new OadrNonceCache() });

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(OadrSignatureForm.Detached, result.Form);
        Assert.Equal(credential.Certificate.Thumbprint, result.SignerCertificate!.Thumbprint);
        Assert.Equal(SecurityFixture.Now, result.ReplayProtect!.Timestamp);
        Assert.Equal("nonce-" + signer, result.ReplayProtect.Nonce);
        Assert.False(result.IsLegacyAlgorithm);
        var expectedMethod = credential.Certificate.GetRSAPublicKey() is null ? OadrXmlSignatureAlgorithms.EcdsaSha256 : OadrXmlSignatureAlgorithms.RsaSha256;
        Assert.Equal(expectedMethod, result.SignatureMethod);
    }

    [Theory]
    [MemberData(nameof(Signers))]
    public void Signed_message_is_valid_against_the_official_schema(string signer)
    {
        var credential = SecurityFixture.Pki.Credentials.Single(c => c.Name == signer);
        var signed = SecurityFixture.Signer(credential).Sign(SecurityFixture.UnsignedPayload());

        var result = SchemaFixture.Validator().Validate(signed);

        Assert.True(result.IsValid, string.Join("\n", result.Violations) + "\n" + Encoding.UTF8.GetString(signed));
    }

    [Fact]
    public void Signature_has_the_profile_structure()
    {
        var signed = SecurityFixture.Signer(SecurityFixture.Pki.VenRsa).Sign(SecurityFixture.UnsignedPayload());
        var document = SecurityFixture.Load(signed);
        var ns = SecurityFixture.Namespaces(document);

        var signature = (XmlElement)document.DocumentElement!.SelectSingleNode("*[1]")!;
        Assert.Equal("Signature", signature.LocalName);
        Assert.Equal("http://www.w3.org/2000/09/xmldsig#", signature.NamespaceURI);
        Assert.Equal(OadrXmlSignatureAlgorithms.C14N, signature.SelectSingleNode("ds:SignedInfo/ds:CanonicalizationMethod/@Algorithm", ns)!.Value);
        var uris = signature.SelectNodes("ds:SignedInfo/ds:Reference/@URI", ns)!.Cast<XmlAttribute>().Select(a => a.Value).ToList();
        Assert.Equal(2, uris.Count);
        var signedObjectId = document.SelectSingleNode("/oadr:oadrPayload/oadr:oadrSignedObject/@oadr:Id", ns)!.Value;
        Assert.Contains("#" + signedObjectId, uris);
        var objectId = signature.SelectSingleNode("ds:Object/@Id", ns)!.Value;
        Assert.Contains("#" + objectId, uris);
        Assert.NotNull(signature.SelectSingleNode("ds:Object/ds:SignatureProperties/ds:SignatureProperty/dsp:ReplayProtect/dsp:timestamp", ns));
        Assert.NotNull(signature.SelectSingleNode("ds:Object/ds:SignatureProperties/ds:SignatureProperty/dsp:ReplayProtect/dsp:nonce", ns));
        Assert.NotNull(signature.SelectSingleNode("ds:KeyInfo/ds:X509Data/ds:X509Certificate", ns));
        Assert.All(signature.SelectNodes("ds:SignedInfo/ds:Reference/ds:DigestMethod/@Algorithm", ns)!.Cast<XmlAttribute>(),
            a => Assert.Equal(OadrXmlSignatureAlgorithms.Sha256, a.Value));
    }

    [Fact]
    public void Ecdsa_signature_value_is_raw_r_and_s_of_64_bytes()
    {
        var signed = SecurityFixture.Signer(SecurityFixture.Pki.VenEcc).Sign(SecurityFixture.SmallPayload());
        var document = SecurityFixture.Load(signed);

        var value = document.SelectSingleNode("//ds:SignatureValue", SecurityFixture.Namespaces(document))!.InnerText;

        Assert.Equal(64, Convert.FromBase64String(value).Length);
    }

    [Fact]
    public void Existing_oadr_Id_is_kept_and_a_missing_one_is_added_with_its_namespace_declared()
    {
        var withId = Encoding.UTF8.GetString(SecurityFixture.SmallPayload()).Replace("<oadrSignedObject>", "<oadrSignedObject xmlns:o=\"http://openadr.org/oadr-2.0b/2012/07\" o:Id=\"mine\">", StringComparison.Ordinal);
        var signer = SecurityFixture.Signer(SecurityFixture.Pki.VenRsa);

        var kept = OadrSignatureVerifier.Verify(signer.Sign(Encoding.UTF8.GetBytes(withId)), SecurityFixture.Options());
        var added = signer.Sign(SecurityFixture.SmallPayload());
        var addedResult = OadrSignatureVerifier.Verify(added, SecurityFixture.Options());

        Assert.Equal("mine", kept.SignedObjectId);
        Assert.True(addedResult.IsValid, addedResult.ToString());
        Assert.StartsWith("oadrSignedObject-", addedResult.SignedObjectId, StringComparison.Ordinal);
        Assert.Contains("xmlns:oadr=\"http://openadr.org/oadr-2.0b/2012/07\" oadr:Id=", Encoding.UTF8.GetString(added), StringComparison.Ordinal);
    }

    [Fact]
    public void Bare_payload_is_wrapped_in_oadrPayload_and_signed()
    {
        var bare = File.ReadAllBytes(Path.Combine(TestEnvironment.RequireShared("vectors/openadr20b/avob-OpenADR/model20b"), "poll", "oadrPoll.xml"));

        var signed = SecurityFixture.Signer(SecurityFixture.Pki.VenEcc).Sign(bare);

        var document = SecurityFixture.Load(signed);
        Assert.Equal("oadrPayload", document.DocumentElement!.LocalName);
        Assert.NotNull(document.SelectSingleNode("/oadr:oadrPayload/oadr:oadrSignedObject/oadr:oadrPoll", SecurityFixture.Namespaces(document)));
        Assert.True(OadrSignatureVerifier.Verify(signed, SecurityFixture.Options()).IsValid);
        Assert.True(SchemaFixture.Validator().Validate(signed).IsValid);
    }

    [Fact]
    public void Signing_an_already_signed_message_is_refused()
    {
        var signer = SecurityFixture.Signer(SecurityFixture.Pki.VenRsa);
        var signed = signer.Sign(SecurityFixture.SmallPayload());

        var ex = Assert.Throws<OadrSignatureException>(() => signer.Sign(signed));

        Assert.Contains("already signed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Signing_a_non_OpenADR_document_is_refused()
    {
        var signer = SecurityFixture.Signer(SecurityFixture.Pki.VenRsa);

        Assert.Throws<OadrSignatureException>(() => signer.Sign("<html><body/></html>"u8));
        Assert.Throws<OadrFormatException>(() => signer.Sign("<oadrPayload"u8));
    }

    [Fact]
    public void Certificate_without_private_key_cannot_sign()
    {
        var publicOnly = SecurityFixture.Pki.TrustAnchors[0];

        Assert.Throws<OadrSignatureException>(() => new OadrSigner(publicOnly));
    }

    [Fact]
    public void Every_signature_gets_a_fresh_nonce()
    {
        var signer = SecurityFixture.Signer(SecurityFixture.Pki.VenRsa);
        var options = SecurityFixture.Options() with { NonceCache = new OadrNonceCache() };

        var first = OadrSignatureVerifier.Verify(signer.Sign(SecurityFixture.SmallPayload()), options);
        var second = OadrSignatureVerifier.Verify(signer.Sign(SecurityFixture.SmallPayload()), options);

        Assert.True(first.IsValid && second.IsValid, $"{first} / {second}");
        Assert.NotEqual(first.ReplayProtect!.Nonce, second.ReplayProtect!.Nonce);
        Assert.Equal(32, first.ReplayProtect.Nonce.Length);
    }
}
