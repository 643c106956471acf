using System.Security.Cryptography;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using CsCheck;
using FlexCoop.OpenAdr.Security;
using FlexCoop.OpenAdr.Tests.Schema;
using FlexCoop.Testing;

namespace FlexCoop.OpenAdr.Tests.Security;

public sealed class OadrSignatureTamperTests
{
    private static byte[] SignedRsa() => SecurityFixture.Signer(SecurityFixture.Pki.VenRsa).Sign(SecurityFixture.UnsignedPayload());

    private static OadrSignatureVerification Verify(byte[] message, OadrVerifyOptions? options = null) =>
        OadrSignatureVerifier.Verify(message, options ?? SecurityFixture.Options());

    private static byte[] Edit(byte[] signed, Action<XmlDocument, XmlNamespaceManager> edit)
    {
        var document = SecurityFixture.Load(signed);
        edit(document, SecurityFixture.Namespaces(document));
        return SecurityFixture.Save(document);
    }

    [Theory]
    [InlineData("ven-rsa")]
    [InlineData("ven-ecc")]
    public void Changed_payload_value_is_a_digest_mismatch_naming_the_signed_object(string signer)
    {
        var credential = SecurityFixture.Pki.Credentials.Single(c => c.Name == signer);
        var signed = SecurityFixture.Signer(credential).Sign(SecurityFixture.UnsignedPayload());
        var text = Encoding.UTF8.GetString(signed);
        Assert.Contains("<ns2:vtnID>TH_VTN</ns2:vtnID>", text, StringComparison.Ordinal);

        var result = Verify(Encoding.UTF8.GetBytes(text.Replace("<ns2:vtnID>TH_VTN</ns2:vtnID>", "<ns2:vtnID>TH_VTM</ns2:vtnID>", StringComparison.Ordinal)));

        Assert.Equal(OadrSignatureStatus.DigestMismatch, result.Status);
        Assert.Contains("#" + Verify(signed).SignedObjectId, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Changed_nonce_is_a_digest_mismatch()
    {
        var tampered = Edit(SignedRsa(), (d, ns) => d.SelectSingleNode("//dsp:nonce", ns)!.InnerText = "replayed");

        Assert.Equal(OadrSignatureStatus.DigestMismatch, Verify(tampered).Status);
    }

    [Fact]
    public void Changed_signature_value_is_a_bad_signature()
    {
        var tampered = Edit(SignedRsa(), (d, ns) =>
        {
            var value = d.SelectSingleNode("//ds:SignatureValue", ns)!;
            var bytes = Convert.FromBase64String(value.InnerText);
            bytes[10] ^= 0x01;
            value.InnerText = Convert.ToBase64String(bytes);
        });

        var result = Verify(tampered);

        Assert.Equal(OadrSignatureStatus.BadSignature, result.Status);
    }

    [Fact]
    public void Changed_digest_value_in_signed_info_is_a_bad_signature()
    {
        // Altering SignedInfo breaks the signature value even if the referenced data is intact;
        // here the stored digest no longer matches either, and the digest check reports first.
        var tampered = Edit(SignedRsa(), (d, ns) => d.SelectSingleNode("//ds:Reference[1]/ds:DigestValue", ns)!.InnerText = Convert.ToBase64String(new byte[32]));

        var result = Verify(tampered);

        Assert.Contains(result.Status, new[] { OadrSignatureStatus.DigestMismatch, OadrSignatureStatus.BadSignature });
        Assert.False(result.IsValid);
    }

    [Fact]
    public void Removed_reference_is_a_reference_mismatch()
    {
        var tampered = Edit(SignedRsa(), (d, ns) =>
        {
            var reference = d.SelectSingleNode("//ds:SignedInfo/ds:Reference[2]", ns)!;
            reference.ParentNode!.RemoveChild(reference);
        });

        var result = Verify(tampered);

        Assert.Equal(OadrSignatureStatus.ReferenceMismatch, result.Status);
        Assert.Contains("1 references", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicated_id_on_a_forged_signed_object_is_a_reference_mismatch()
    {
        // The attacker puts a forged oadrSignedObject with the same id before the signed one.
        var tampered = Edit(SignedRsa(), (d, ns) =>
        {
            var original = (XmlElement)d.SelectSingleNode("/oadr:oadrPayload/oadr:oadrSignedObject", ns)!;
            var forged = (XmlElement)original.CloneNode(deep: true);
            forged.SelectSingleNode(".//ei:vtnID", ns)!.InnerText = "EVIL_VTN";
            original.ParentNode!.InsertBefore(forged, original);
        });

        var result = Verify(tampered);

        Assert.Equal(OadrSignatureStatus.ReferenceMismatch, result.Status);
    }

    [Fact]
    public void Signed_object_moved_into_a_ds_Object_and_replaced_is_a_reference_mismatch()
    {
        // Classic wrapping: the original (still correctly signed) object hides inside the signature,
        // a forged one without id takes its place where the application reads.
        var tampered = Edit(SignedRsa(), (d, ns) =>
        {
            var original = (XmlElement)d.SelectSingleNode("/oadr:oadrPayload/oadr:oadrSignedObject", ns)!;
            var forged = (XmlElement)original.CloneNode(deep: true);
            forged.RemoveAttribute("Id", "http://openadr.org/oadr-2.0b/2012/07");
            forged.SelectSingleNode(".//ei:vtnID", ns)!.InnerText = "EVIL_VTN";
            var signature = d.SelectSingleNode("//ds:Signature", ns)!;
            var wrapper = d.CreateElement("Object", "http://www.w3.org/2000/09/xmldsig#");
            original.ParentNode!.ReplaceChild(forged, original);
            wrapper.AppendChild(original);
            signature.AppendChild(wrapper);
        });

        var result = Verify(tampered);

        Assert.Equal(OadrSignatureStatus.ReferenceMismatch, result.Status);
    }

    [Fact]
    public void Reference_to_an_element_that_is_not_signed_object_or_replay_protect_is_a_reference_mismatch()
    {
        var tampered = Edit(SignedRsa(), (d, ns) =>
        {
            var eiEvent = (XmlElement)d.SelectSingleNode("//ei:eiEvent", ns)!;
            eiEvent.SetAttribute("Id", "evt");
            var uri = (XmlAttribute)d.SelectSingleNode("//ds:SignedInfo/ds:Reference[1]/@URI", ns)!;
            uri.Value = "#evt";
        });

        Assert.Equal(OadrSignatureStatus.ReferenceMismatch, Verify(tampered).Status);
    }

    [Fact]
    public void Xslt_transform_is_refused_before_any_processing()
    {
        var tampered = Edit(SignedRsa(), (d, ns) =>
        {
            var transform = d.SelectSingleNode("//ds:Reference[1]/ds:Transforms/ds:Transform", ns)!;
            ((XmlElement)transform).SetAttribute("Algorithm", "http://www.w3.org/TR/1999/REC-xslt-19991116");
        });

        var result = Verify(tampered);

        Assert.Equal(OadrSignatureStatus.UnsupportedAlgorithm, result.Status);
        Assert.Contains("xslt", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsigned_message_has_no_signature()
    {
        Assert.Equal(OadrSignatureStatus.NoSignature, Verify(SecurityFixture.UnsignedPayload()).Status);
    }

    [Fact]
    public void Two_signatures_are_malformed()
    {
        var tampered = Edit(SignedRsa(), (d, ns) =>
        {
            var signature = d.SelectSingleNode("//ds:Signature", ns)!;
            signature.ParentNode!.InsertAfter(signature.CloneNode(deep: true), signature);
        });

        Assert.Equal(OadrSignatureStatus.Malformed, Verify(tampered).Status);
    }

    [Fact]
    public void Not_well_formed_and_dtd_inputs_are_malformed_without_exceptions()
    {
        var broken = Verify("<oadrPayload><ds:Signature"u8.ToArray());
        var dtd = Verify(Encoding.UTF8.GetBytes("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><oadrPayload>&e;</oadrPayload>"));

        Assert.Equal(OadrSignatureStatus.Malformed, broken.Status);
        Assert.Equal(OadrSignatureStatus.Malformed, dtd.Status);
        Assert.Contains("dtd", dtd.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("root:", dtd.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Same_nonce_twice_is_nonce_reused()
    {
        var signed = SignedRsa();
        var options = SecurityFixture.Options() with { NonceCache = new OadrNonceCache() };

        var first = Verify(signed, options);
        var second = Verify(signed, options);

        Assert.True(first.IsValid, first.ToString());
        Assert.Equal(OadrSignatureStatus.NonceReused, second.Status);
    }

    [Fact]
    public void Forged_message_does_not_consume_its_nonce()
    {
        var signed = SignedRsa();
        var forged = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(signed).Replace("TH_VTN", "XX_VTN", StringComparison.Ordinal));
        var options = SecurityFixture.Options() with { NonceCache = new OadrNonceCache() };

        Assert.False(Verify(forged, options).IsValid);
        Assert.True(Verify(signed, options).IsValid);
    }

    [Theory]
    [InlineData(-301, OadrSignatureStatus.ReplayWindowExceeded)]
    [InlineData(-299, OadrSignatureStatus.Valid)]
    [InlineData(299, OadrSignatureStatus.Valid)]
    [InlineData(301, OadrSignatureStatus.ReplayWindowExceeded)]
    public void Timestamp_outside_the_replay_window_is_refused(int secondsFromSigning, OadrSignatureStatus expected)
    {
        var signed = SignedRsa();

        var result = Verify(signed, SecurityFixture.Options() with { VerificationTime = SecurityFixture.Now.AddSeconds(-secondsFromSigning) });

        Assert.Equal(expected, result.Status);
    }

    [Fact]
    public void Replay_window_can_be_skipped_for_captured_messages()
    {
        var signed = SignedRsa();

        var result = Verify(signed, SecurityFixture.Options() with { VerificationTime = SecurityFixture.Now.AddDays(30), CheckReplayWindow = false });

        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public void Certificate_from_another_pki_is_untrusted()
    {
        var result = Verify(SignedRsa(), SecurityFixture.Options(SecurityFixture.OtherPki));

        Assert.Equal(OadrSignatureStatus.UntrustedCertificate, result.Status);
        Assert.Contains("flexcoop-test-ven-rsa", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ecc_certificate_is_untrusted_by_the_rsa_ca_alone_but_the_hybrid_one_is_trusted()
    {
        var rsaCaOnly = SecurityFixture.Options() with { TrustedCertificates = [SecurityFixture.Pki.TrustAnchors.Single(c => c.Subject.Contains("RSA", StringComparison.Ordinal))] };

        var ecc = Verify(SecurityFixture.Signer(SecurityFixture.Pki.VenEcc).Sign(SecurityFixture.SmallPayload()), rsaCaOnly);
        var hybrid = Verify(SecurityFixture.Signer(SecurityFixture.Pki.VenHybrid).Sign(SecurityFixture.SmallPayload()), rsaCaOnly);

        Assert.Equal(OadrSignatureStatus.UntrustedCertificate, ecc.Status);
        Assert.True(hybrid.IsValid, hybrid.ToString());
        Assert.Equal(OadrXmlSignatureAlgorithms.EcdsaSha256, hybrid.SignatureMethod);
    }

    [Fact]
    public void Expired_certificate_is_untrusted_at_the_pinned_time()
    {
        var result = Verify(SignedRsa(), SecurityFixture.Options() with { VerificationTime = SecurityFixture.Now.AddYears(5), CheckReplayWindow = false });

        Assert.Equal(OadrSignatureStatus.UntrustedCertificate, result.Status);
    }

    [Fact]
    public void Expected_signer_certificate_must_be_the_one_in_key_info()
    {
        var expectEcc = SecurityFixture.Options() with { SignerCertificate = SecurityFixture.Pki.VenEcc.Certificate };
        var expectRsa = SecurityFixture.Options() with { SignerCertificate = SecurityFixture.Pki.VenRsa.Certificate };

        Assert.Equal(OadrSignatureStatus.UntrustedCertificate, Verify(SignedRsa(), expectEcc).Status);
        Assert.True(Verify(SignedRsa(), expectRsa).IsValid);
    }

    [Fact]
    public void Swapped_certificate_in_key_info_gives_a_bad_signature()
    {
        var eccCertificate = Convert.ToBase64String(SecurityFixture.Pki.VenHybrid.Certificate.RawData);
        var otherRsa = Convert.ToBase64String(SecurityFixture.Pki.VtnRsa.Certificate.RawData);
        var tampered = Edit(SignedRsa(), (d, ns) => d.SelectSingleNode("//ds:X509Certificate", ns)!.InnerText = otherRsa);
        var wrongType = Edit(SignedRsa(), (d, ns) => d.SelectSingleNode("//ds:X509Certificate", ns)!.InnerText = eccCertificate);

        Assert.Equal(OadrSignatureStatus.BadSignature, Verify(tampered).Status);
        Assert.Equal(OadrSignatureStatus.BadSignature, Verify(wrongType).Status);
    }

    [Fact]
    public void Verification_never_throws_on_byte_mutations_and_never_accepts_a_changed_signed_part()
    {
        var signed = SecurityFixture.Signer(SecurityFixture.Pki.VenEcc).Sign(SecurityFixture.SmallPayload());
        var options = SecurityFixture.Options();
        var document = SecurityFixture.Load(signed);
        var ns = SecurityFixture.Namespaces(document);
        var venId = document.SelectSingleNode("//ei:venID", ns)!.InnerText;

        Gen.Int[0, signed.Length - 1].Select(Gen.Byte).Sample((position, value) =>
        {
            var mutated = (byte[])signed.Clone();
            mutated[position] = value;
            var result = OadrSignatureVerifier.Verify(mutated, options);
            if (result.IsValid)
            {
                // Accepted only if what the signature covers still reads the same.
                var reread = SecurityFixture.Load(mutated);
                Assert.Equal(venId, reread.SelectSingleNode("//ei:venID", SecurityFixture.Namespaces(reread))!.InnerText);
            }
        }, iter: 300);
    }

    [Fact]
    public void Enveloped_rsa_sha1_avob_sample_does_not_match_its_digest()
    {
        // The file was evidently re-indented after signing: xmlsec1 reports the same (see the interop tests).
        var bytes = File.ReadAllBytes(Path.Combine(TestEnvironment.RequireShared("vectors/openadr20b/avob-OpenADR/model20b"), "xmlsignature", "signatureOadrPayload.xml"));

        var result = OadrSignatureVerifier.Verify(bytes, new OadrVerifyOptions { CheckReplayWindow = false, AllowLegacyAlgorithms = true });

        Assert.Equal(OadrSignatureStatus.DigestMismatch, result.Status);
        Assert.Equal(OadrSignatureForm.Enveloped, result.Form);
        Assert.Equal(OadrXmlSignatureAlgorithms.RsaSha1, result.SignatureMethod);
        Assert.True(result.IsLegacyAlgorithm);
    }

    [Fact]
    public void Enveloped_rsa_sha1_signature_is_legacy_and_accepted_only_when_allowed()
    {
        var bytes = EnvelopedSign(SignedXml.XmlDsigRSASHA1Url, SignedXml.XmlDsigSHA1Url);

        var strict = OadrSignatureVerifier.Verify(bytes, new OadrVerifyOptions { CheckReplayWindow = false });
        var legacy = OadrSignatureVerifier.Verify(bytes, new OadrVerifyOptions { CheckReplayWindow = false, AllowLegacyAlgorithms = true });
        var withWindow = OadrSignatureVerifier.Verify(bytes, new OadrVerifyOptions { AllowLegacyAlgorithms = true });
        var trusted = OadrSignatureVerifier.Verify(bytes, new OadrVerifyOptions { CheckReplayWindow = false, AllowLegacyAlgorithms = true, TrustedCertificates = SecurityFixture.Pki.TrustAnchors });

        Assert.Equal(OadrSignatureStatus.LegacyAlgorithm, strict.Status);
        Assert.Equal(OadrSignatureForm.Enveloped, strict.Form);
        Assert.True(legacy.IsValid, legacy.ToString());
        Assert.True(legacy.IsLegacyAlgorithm);
        Assert.Null(legacy.SignerCertificate);
        Assert.Equal(OadrSignatureStatus.NoReplayProtect, withWindow.Status);
        Assert.Equal(OadrSignatureStatus.UntrustedCertificate, trusted.Status);
    }

    [Fact]
    public void Enveloped_rsa_sha256_signature_verifies_and_a_change_is_a_digest_mismatch()
    {
        var bytes = EnvelopedSign(SignedXml.XmlDsigRSASHA256Url, SignedXml.XmlDsigSHA256Url);
        var changed = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes).Replace("REQ_12345", "REQ_54321", StringComparison.Ordinal));

        var result = OadrSignatureVerifier.Verify(bytes, new OadrVerifyOptions { CheckReplayWindow = false });
        var tampered = OadrSignatureVerifier.Verify(changed, new OadrVerifyOptions { CheckReplayWindow = false });

        Assert.True(result.IsValid, result.ToString());
        Assert.False(result.IsLegacyAlgorithm);
        Assert.Equal(OadrSignatureStatus.DigestMismatch, tampered.Status);
    }

    /// <summary>An enveloped signature made by .NET's SignedXml directly (not our signer), bare RSA key value, as the avob sample has.</summary>
    private static byte[] EnvelopedSign(string signatureMethod, string digestMethod)
    {
        var document = SecurityFixture.Load(File.ReadAllBytes(Path.Combine(TestEnvironment.RequireShared("vectors/openadr20b/avob-OpenADR/model20b"), "xmlsignature", "noSignatureOadrPayload.xml")));
        using var key = RSA.Create(2048);
        var signedXml = new SignedXml(document) { SigningKey = key };
        signedXml.SignedInfo!.SignatureMethod = signatureMethod;
        signedXml.SignedInfo.CanonicalizationMethod = SignedXml.XmlDsigC14NWithCommentsTransformUrl;
        var reference = new Reference("") { DigestMethod = digestMethod };
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        signedXml.AddReference(reference);
        var keyInfo = new KeyInfo();
        keyInfo.AddClause(new RSAKeyValue(key));
        signedXml.KeyInfo = keyInfo;
        signedXml.ComputeSignature();
        var root = document.DocumentElement!;
        root.InsertBefore(document.ImportNode(signedXml.GetXml(), deep: true), root.FirstChild);
        return SecurityFixture.Save(document);
    }
}
