using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using FlexCoop.OpenAdr.Schema.Internal;
using FlexCoop.OpenAdr.Security.Internal;
using FlexCoop.OpenAdr.Xml;

namespace FlexCoop.OpenAdr.Security;

/// <summary>
/// Signs OpenADR 2.0b messages as the high-security profile describes: a detached XML signature
/// placed as the first child of <c>oadrPayload</c>, Canonical XML 1.0, RSA-SHA256 or ECDSA-SHA256
/// (chosen by the certificate's key), SHA-256 digests, and two references: one to
/// <c>oadrSignedObject</c> by its <c>oadr:Id</c> (added when missing) and one to a <c>ds:Object</c>
/// holding <c>ds:SignatureProperties/ds:SignatureProperty/dsp:ReplayProtect</c> with a timestamp and a
/// nonce. The signer's certificate goes into <c>ds:KeyInfo/ds:X509Data</c>. The result is valid against
/// the official schema set.
/// <para>
/// The signature element is written in the default namespace
/// (<c>&lt;Signature xmlns="http://www.w3.org/2000/09/xmldsig#"&gt;</c>), which is the same
/// <c>ds:Signature</c> element as the prefixed form. An instance is immutable and thread-safe.
/// </para>
/// </summary>
public sealed class OadrSigner
{
    private readonly X509Certificate2 _certificate;
    private readonly AsymmetricAlgorithm _key;
    private readonly string _signatureMethod;
    private readonly TimeProvider _timeProvider;

    /// <param name="certificate">The signer's certificate; it must carry its private key (RSA or EC).</param>
    /// <param name="timeProvider">Clock for the <c>ReplayProtect</c> timestamp; the system clock when null.</param>
    /// <exception cref="OadrSignatureException">No private key, or a key type the profile does not use.</exception>
    public OadrSigner(X509Certificate2 certificate, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!certificate.HasPrivateKey)
        {
            throw new OadrSignatureException($"the certificate {certificate.Subject} has no private key; load it together with its key");
        }
        _certificate = certificate;
        _timeProvider = timeProvider ?? TimeProvider.System;
        if (certificate.GetRSAPrivateKey() is { } rsa)
        {
            if (rsa.KeySize < 2048)
            {
                throw new OadrSignatureException($"RSA keys must have at least 2048 bits (rule 68); this one has {rsa.KeySize}");
            }
            _key = rsa;
            _signatureMethod = OadrXmlSignatureAlgorithms.RsaSha256;
        }
        else if (certificate.GetECDsaPrivateKey() is { } ecdsa)
        {
            _key = ecdsa;
            _signatureMethod = OadrXmlSignatureAlgorithms.EcdsaSha256;
        }
        else
        {
            throw new OadrSignatureException($"the key of {certificate.Subject} is neither RSA nor EC; OpenADR 2.0b signs with RSA-SHA256 or ECDSA-SHA256");
        }
    }

    /// <summary>
    /// When true the signed document is written in the conventional-prefix form of
    /// <see cref="OadrConventionalPrefixes"/>, so that a receiver behind a relay that rewrites
    /// namespace prefixes (an XMPP server) can restore exactly the bytes this signer signed; the VTN
    /// and VEN engines sign so. When false (the default) the message keeps the prefixes and
    /// declarations it came with, which verifies only where it travels byte for byte (HTTP).
    /// </summary>
    public bool ConventionalPrefixes { get; init; }

    /// <summary>The signature method this signer uses (RSA-SHA256 or ECDSA-SHA256).</summary>
    public string SignatureMethod => _signatureMethod;

    /// <summary>
    /// Signs a message and returns the signed document as UTF-8. The message may be a whole
    /// unsigned <c>oadrPayload</c>, an <c>oadrSignedObject</c>, or a bare payload element
    /// (e.g. <c>oadrDistributeEvent</c>), which is wrapped into an <c>oadrPayload</c> first.
    /// </summary>
    /// <param name="message">The message bytes (read with DTDs refused and the limits given).</param>
    /// <param name="nonce">The <c>ReplayProtect</c> nonce; 128 random bits in hex when null.</param>
    /// <param name="limits">Bounds for reading the message; <see cref="OadrXmlLimits.Default"/> when null.</param>
    /// <exception cref="OadrFormatException">The message is not readable XML.</exception>
    /// <exception cref="OadrSignatureException">The message is not an OpenADR payload or is already signed.</exception>
    public byte[] Sign(ReadOnlySpan<byte> message, string? nonce = null, OadrXmlLimits? limits = null)
    {
        var document = SafeXml.LoadDocument(message.ToArray(), limits ?? OadrXmlLimits.Default);
        var signed = Sign(document, nonce);
        return Serialize(signed);
    }

    /// <summary>
    /// Signs <paramref name="document"/> and returns the signed document: the same instance, signed in
    /// place, when its root is <c>oadrPayload</c> and <see cref="ConventionalPrefixes"/> is false;
    /// otherwise a new document (the payload wrapped, or rewritten in the conventional-prefix form). See <see cref="Sign(ReadOnlySpan{byte}, string?, OadrXmlLimits?)"/>.
    /// </summary>
    public XmlDocument Sign(XmlDocument document, string? nonce = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.PreserveWhitespace = true;
        document = Wrap(document);
        var payload = document.DocumentElement!;
        var signedObject = SingleChild(payload, "oadrSignedObject")
            ?? throw new OadrSignatureException("oadrPayload has no oadrSignedObject to sign");
        if (payload.GetElementsByTagName("Signature", OadrNamespaces.Ds).Count > 0)
        {
            throw new OadrSignatureException("the message is already signed");
        }

        var signedObjectId = EnsureSignedObjectId(signedObject);
        var suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var signatureId = "signature-" + suffix;
        var replayId = "replayProtect-" + suffix;
        var timestamp = _timeProvider.GetUtcNow().UtcDateTime;
        nonce ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

        // The ds:Object is put in place before signing, inside a placeholder Signature with the same
        // namespace declarations as the final one, so its digest is computed in its final context
        // (inclusive C14N includes inherited namespace declarations).
        var placeholder = document.CreateElement("Signature", OadrNamespaces.Ds);
        var replayObject = CreateReplayObject(document, replayId, signatureId, timestamp, nonce);
        placeholder.AppendChild(replayObject);
        payload.InsertBefore(placeholder, payload.FirstChild);
        if (ConventionalPrefixes)
        {
            // Signed as it will be written, prefixes and declarations included: the references'
            // digests and the SignedInfo cover the conventional-prefix form.
            document = OadrConventionalPrefixes.Restore(document);
            payload = document.DocumentElement!;
            placeholder = (XmlElement)payload.FirstChild!;
            replayObject = (XmlElement)placeholder.FirstChild!;
        }

        var signedXml = new OadrSignedXml(document) { SigningKey = _key };
        signedXml.Signature.Id = signatureId;
        signedXml.SignedInfo!.CanonicalizationMethod = OadrXmlSignatureAlgorithms.C14N;
        signedXml.SignedInfo.SignatureMethod = _signatureMethod;
        signedXml.AddReference(CreateReference("#" + signedObjectId));
        signedXml.AddReference(CreateReference("#" + replayId));
        var keyInfo = new KeyInfo();
        keyInfo.AddClause(new KeyInfoX509Data(_certificate));
        signedXml.KeyInfo = keyInfo;
        try
        {
            signedXml.ComputeSignature();
        }
        catch (CryptographicException ex)
        {
            payload.RemoveChild(placeholder);
            throw new OadrSignatureException("the signature could not be computed: " + ex.Message, ex);
        }

        var signature = (XmlElement)document.ImportNode(signedXml.GetXml(), deep: true);
        placeholder.RemoveChild(replayObject);
        signature.AppendChild(replayObject);
        payload.ReplaceChild(signature, placeholder);
        return document;
    }

    /// <summary>The document as UTF-8 without a byte order mark, with an XML declaration.</summary>
    internal static byte[] Serialize(XmlDocument document)
    {
        if (document.FirstChild is XmlDeclaration declaration)
        {
            document.RemoveChild(declaration);
        }
        var settings = new XmlWriterSettings
        {
            Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            NewLineHandling = NewLineHandling.None,
            Indent = false,
        };
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, settings))
        {
            document.Save(writer);
        }
        return stream.ToArray();
    }

    private static Reference CreateReference(string uri)
    {
        var reference = new Reference(uri) { DigestMethod = OadrXmlSignatureAlgorithms.Sha256 };
        reference.AddTransform(new XmlDsigC14NTransform());
        return reference;
    }

    private static XmlElement CreateReplayObject(XmlDocument document, string objectId, string signatureId, DateTime timestamp, string nonce)
    {
        var dataObject = document.CreateElement("Object", OadrNamespaces.Ds);
        dataObject.SetAttribute("Id", objectId);
        var properties = document.CreateElement("SignatureProperties", OadrNamespaces.Ds);
        var property = document.CreateElement("SignatureProperty", OadrNamespaces.Ds);
        property.SetAttribute("Target", "#" + signatureId);
        var replay = document.CreateElement("dsp", "ReplayProtect", OadrNamespaces.Dsp);
        replay.SetAttribute("xmlns:dsp", OadrNamespaces.Dsp);
        var time = document.CreateElement("dsp", "timestamp", OadrNamespaces.Dsp);
        time.InnerText = timestamp.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var nonceElement = document.CreateElement("dsp", "nonce", OadrNamespaces.Dsp);
        nonceElement.InnerText = nonce;
        replay.AppendChild(time);
        replay.AppendChild(nonceElement);
        property.AppendChild(replay);
        properties.AppendChild(property);
        dataObject.AppendChild(properties);
        return dataObject;
    }

    private static string EnsureSignedObjectId(XmlElement signedObject)
    {
        var existing = signedObject.GetAttribute("Id", OadrNamespaces.Oadr);
        if (existing.Length > 0)
        {
            return existing;
        }
        var prefix = signedObject.GetPrefixOfNamespace(OadrNamespaces.Oadr);
        if (prefix.Length == 0)
        {
            // oadr is the default namespace (or undeclared here): an attribute needs a prefix, and it
            // must be declared by an attribute node so canonicalization sees it before serialisation.
            prefix = signedObject.GetNamespaceOfPrefix("oadr").Length == 0 ? "oadr" : "oadr2b";
            signedObject.SetAttribute("xmlns:" + prefix, OadrNamespaces.Oadr);
        }
        var id = "oadrSignedObject-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var attribute = signedObject.OwnerDocument.CreateAttribute(prefix, "Id", OadrNamespaces.Oadr);
        attribute.Value = id;
        signedObject.Attributes.Append(attribute);
        return id;
    }

    private static XmlDocument Wrap(XmlDocument document)
    {
        var root = document.DocumentElement ?? throw new OadrSignatureException("the message has no root element");
        if (root.NamespaceURI != OadrNamespaces.Oadr)
        {
            throw new OadrSignatureException($"the root element {root.Name} is not in the OpenADR 2.0b namespace {OadrNamespaces.Oadr}");
        }
        if (root.LocalName == "oadrPayload")
        {
            return document;
        }
        var wrapped = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        var payload = wrapped.CreateElement(root.Prefix, "oadrPayload", OadrNamespaces.Oadr);
        wrapped.AppendChild(payload);
        if (root.LocalName == "oadrSignedObject")
        {
            payload.AppendChild(wrapped.ImportNode(root, deep: true));
        }
        else
        {
            var signedObject = wrapped.CreateElement(root.Prefix, "oadrSignedObject", OadrNamespaces.Oadr);
            payload.AppendChild(signedObject);
            signedObject.AppendChild(wrapped.ImportNode(root, deep: true));
        }
        if (root.Prefix.Length > 0)
        {
            payload.SetAttribute("xmlns:" + root.Prefix, OadrNamespaces.Oadr);
        }
        else
        {
            payload.SetAttribute("xmlns", OadrNamespaces.Oadr);
        }
        return wrapped;
    }

    private static XmlElement? SingleChild(XmlElement parent, string localName)
    {
        XmlElement? found = null;
        foreach (var child in parent.ChildNodes.OfType<XmlElement>())
        {
            if (child.LocalName == localName && child.NamespaceURI == OadrNamespaces.Oadr)
            {
                if (found is not null)
                {
                    throw new OadrSignatureException($"oadrPayload has more than one {localName}");
                }
                found = child;
            }
        }
        return found;
    }
}
