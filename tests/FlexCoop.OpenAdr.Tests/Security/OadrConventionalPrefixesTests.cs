using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using CsCheck;
using FlexCoop.OpenAdr.Security;
using FlexCoop.OpenAdr.Xml;

namespace FlexCoop.OpenAdr.Tests.Security;

/// <summary>
/// The conventional-prefix form a receiver restores before verifying a signed payload that crossed
/// a relay rewriting namespace prefixes (Prosody). The vectors under <c>vectors/xmpp-prosody/</c>
/// are a registration signed by our signer and the same payload as Prosody delivered it (see the
/// README there).
/// </summary>
public sealed class OadrConventionalPrefixesTests
{
    private const string Vectors = "vectors/xmpp-prosody";

    private static byte[] Vector(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, Vectors, name));

    // The vectors' ReplayProtect timestamp is fixed; verify just after it, without a chain (its CA is not kept).
    private static OadrVerifyOptions AtVectorTime(byte[] message)
    {
        var document = SecurityFixture.Load(message);
        var timestamp = document.GetElementsByTagName("timestamp", "http://openadr.org/oadr-2.0b/2012/07/xmldsig-properties")[0]!.InnerText;
        return new OadrVerifyOptions { VerificationTime = XmlConvert.ToDateTimeOffset(timestamp).AddSeconds(1) };
    }

    private static OadrSigner Conventional(OadrTestCredential credential) =>
        new(credential.Certificate, SecurityFixture.Clock(SecurityFixture.Now)) { ConventionalPrefixes = true };

    private static byte[] Canonical(byte[] message)
    {
        var transform = new XmlDsigC14NTransform();
        transform.LoadInput(SecurityFixture.Load(message));
        using var output = (Stream)transform.GetOutput(typeof(Stream));
        using var copy = new MemoryStream();
        output.CopyTo(copy);
        return copy.ToArray();
    }

    [Fact]
    public void Prosody_vector_fails_as_received_and_verifies_after_restoration()
    {
        var relayed = Vector("registration.prosody.xml");

        var asReceived = OadrSignatureVerifier.Verify(relayed, AtVectorTime(relayed));
        var restored = OadrSignatureVerifier.Verify(OadrConventionalPrefixes.Restore(relayed), AtVectorTime(relayed));

        Assert.Equal(OadrSignatureStatus.DigestMismatch, asReceived.Status);
        Assert.True(restored.IsValid, restored.Message);
    }

    [Fact]
    public void Restoring_the_prosody_vector_gives_the_canonical_form_of_what_was_signed()
    {
        var sent = Vector("registration.sent.xml");
        var relayed = Vector("registration.prosody.xml");

        Assert.True(OadrSignatureVerifier.Verify(sent, AtVectorTime(sent)).IsValid);
        Assert.NotEqual(Canonical(sent), Canonical(relayed));
        Assert.Equal(Encoding.UTF8.GetString(Canonical(sent)), Encoding.UTF8.GetString(Canonical(OadrConventionalPrefixes.Restore(relayed))));
    }

    [Fact]
    public async Task Xmlsec1_agrees_the_prosody_vector_verifies_only_after_restoration()
    {
        var xmlsec = FlexCoop.Testing.TestEnvironment.RequireTool("xmlsec1", "xmlsec1");
        var relayed = Vector("registration.prosody.xml");
        var directory = Directory.CreateTempSubdirectory("flexcoop-prefixes-").FullName;
        try
        {
            async Task<int> VerifyAsync(string name, byte[] message)
            {
                var path = Path.Combine(directory, name);
                await File.WriteAllBytesAsync(path, message, TestContext.Current.CancellationToken);
                // --insecure: the vector's CA is not kept; the signature and digests are what is checked here.
                var (exit, _, _) = await FlexCoop.Testing.TestEnvironment.RunAsync(xmlsec,
                    ["--verify", "--insecure", "--id-attr:Id", "http://openadr.org/oadr-2.0b/2012/07:oadrSignedObject", "--id-attr:Id", "http://www.w3.org/2000/09/xmldsig#:Object", path]);
                return exit;
            }

            Assert.NotEqual(0, await VerifyAsync("relayed.xml", relayed));
            Assert.Equal(0, await VerifyAsync("restored.xml", OadrConventionalPrefixes.Restore(relayed)));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Restore_declares_used_namespaces_once_on_the_root_in_the_profile_order()
    {
        var message = """
            <oadrPayload xmlns="http://openadr.org/oadr-2.0b/2012/07"><oadrSignedObject xmlns:q="http://openadr.org/oadr-2.0b/2012/07" q:Id="o1"><oadrPoll xmlns:ns1="http://docs.oasis-open.org/ns/energyinterop/201110" ns1:schemaVersion="2.0b" xmlns:x="http://www.w3.org/2001/XMLSchema-instance"><venID xmlns="http://docs.oasis-open.org/ns/energyinterop/201110">v</venID><ext xmlns="urn:example:extension" a="1"/></oadrPoll></oadrSignedObject><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="s"><ds:Object><ReplayProtect xmlns="http://openadr.org/oadr-2.0b/2012/07/xmldsig-properties"/><plain xmlns=""/></ds:Object></ds:Signature></oadrPayload>
            """u8;

        var restored = Encoding.UTF8.GetString(OadrConventionalPrefixes.Restore(message));

        Assert.Equal(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><oadr:oadrPayload xmlns:oadr=\"http://openadr.org/oadr-2.0b/2012/07\" xmlns:ei=\"http://docs.oasis-open.org/ns/energyinterop/201110\" xmlns:dsp=\"http://openadr.org/oadr-2.0b/2012/07/xmldsig-properties\" xmlns:ns1=\"urn:example:extension\">"
            + "<oadr:oadrSignedObject oadr:Id=\"o1\"><oadr:oadrPoll ei:schemaVersion=\"2.0b\"><ei:venID>v</ei:venID><ns1:ext a=\"1\" /></oadr:oadrPoll></oadr:oadrSignedObject>"
            + "<Signature Id=\"s\" xmlns=\"http://www.w3.org/2000/09/xmldsig#\"><Object><dsp:ReplayProtect /><plain xmlns=\"\" /></Object></Signature></oadr:oadrPayload>",
            restored);
    }

    [Fact]
    public void Signer_output_is_already_in_the_conventional_form_whatever_prefixes_the_message_came_with()
    {
        foreach (var message in new[] { SecurityFixture.SmallPayload(), SecurityFixture.UnsignedPayload() })
        {
            var signed = Conventional(SecurityFixture.Pki.VenEcc).Sign(message);

            Assert.True(OadrConventionalPrefixes.IsConventional(SecurityFixture.Load(signed)));
            Assert.True(OadrSignatureVerifier.Verify(signed, SecurityFixture.Options()).IsValid);
            Assert.Equal(Canonical(signed), Canonical(OadrConventionalPrefixes.Restore(signed)));
        }
    }

    [Fact]
    public void Unconventional_signature_verifies_byte_for_byte_but_not_after_restoration()
    {
        var signer = new OadrSigner(SecurityFixture.Pki.VenRsa.Certificate, SecurityFixture.Clock(SecurityFixture.Now));
        var signed = signer.Sign(SecurityFixture.SmallPayload());

        Assert.False(OadrConventionalPrefixes.IsConventional(SecurityFixture.Load(signed)));
        Assert.True(OadrSignatureVerifier.Verify(signed, SecurityFixture.Options()).IsValid);
        Assert.Equal(OadrSignatureStatus.DigestMismatch, OadrSignatureVerifier.Verify(OadrConventionalPrefixes.Restore(signed), SecurityFixture.Options()).Status);
    }

    [Fact]
    public void Any_prefix_rewriting_of_a_signed_payload_is_undone_by_restoration()
    {
        var signed = Conventional(SecurityFixture.Pki.VenEcc).Sign(SecurityFixture.UnsignedPayload());
        var original = SecurityFixture.Load(signed);

        Gen.Int.Sample(seed =>
        {
            var rewritten = SecurityFixture.Save(Rewrite(original, new Random(seed)));
            var verification = OadrSignatureVerifier.Verify(OadrConventionalPrefixes.Restore(rewritten), SecurityFixture.Options());
            return verification.IsValid;
        }, iter: 50);
    }

    [Fact]
    public void Restore_refuses_a_document_type_declaration()
    {
        var hostile = "<!DOCTYPE oadrPayload [<!ENTITY x \"y\">]><oadrPayload xmlns=\"http://openadr.org/oadr-2.0b/2012/07\">&x;</oadrPayload>"u8.ToArray();

        Assert.Throws<OadrFormatException>(() => OadrConventionalPrefixes.Restore(hostile));
    }

    /// <summary>
    /// What a relay may do: the same names, attributes and text, each element under a default
    /// namespace or a prefix of its own choosing, unused declarations gone (the writer declares only
    /// what is used).
    /// </summary>
    private static XmlDocument Rewrite(XmlDocument source, Random random)
    {
        var target = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        var namespaces = new List<string>();
        int Index(string uri)
        {
            var i = namespaces.IndexOf(uri);
            if (i < 0)
            {
                namespaces.Add(uri);
                i = namespaces.Count - 1;
            }
            return i;
        }
        XmlElement Copy(XmlElement element)
        {
            var prefix = element.NamespaceURI.Length == 0 || random.Next(2) == 0 ? "" : $"p{Index(element.NamespaceURI)}x{random.Next(3)}";
            var copy = target.CreateElement(prefix, element.LocalName, element.NamespaceURI);
            foreach (XmlAttribute attribute in element.Attributes)
            {
                if (attribute.NamespaceURI == "http://www.w3.org/2000/xmlns/") continue;
                var attributePrefix = attribute.NamespaceURI.Length == 0 ? "" : $"a{Index(attribute.NamespaceURI)}";
                var copied = target.CreateAttribute(attributePrefix, attribute.LocalName, attribute.NamespaceURI);
                copied.Value = attribute.Value;
                copy.Attributes.Append(copied);
            }
            foreach (XmlNode child in element.ChildNodes)
            {
                copy.AppendChild(child is XmlElement e ? Copy(e) : target.ImportNode(child, deep: false));
            }
            return copy;
        }
        target.AppendChild(Copy(source.DocumentElement!));
        return target;
    }
}
