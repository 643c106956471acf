using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;
using FlexCoop.OpenAdr.Schema.Internal;
using FlexCoop.OpenAdr.Security.Internal;

namespace FlexCoop.OpenAdr.Security;

/// <summary>
/// Verifies the XML signature of an OpenADR 2.0b message and returns a result naming what failed,
/// never throwing for a bad message. Checks, in order: the message is readable and carries exactly
/// one signature; the algorithms are the profile's; the references cover exactly the message's
/// <c>oadrSignedObject</c> (the one child of <c>oadrPayload</c> an application reads) and the
/// signature's own <c>ReplayProtect</c> object, each id carried by exactly one element (so moved or
/// duplicated ids, the signature-wrapping tricks, fail); the digests and the signature value; the
/// certificate chain when trust anchors are given; the replay window; the nonce cache.
/// Enveloped signatures (one reference to the whole document) are verified too.
/// </summary>
public static class OadrSignatureVerifier
{
    private const string HmacSha256 = "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256";

    /// <summary>Verifies the signed message in <paramref name="message"/>.</summary>
    public static OadrSignatureVerification Verify(ReadOnlySpan<byte> message, OadrVerifyOptions? options = null)
    {
        options ??= OadrVerifyOptions.Default;
        XmlDocument document;
        try
        {
            document = SafeXml.LoadDocument(message.ToArray(), options.Limits);
        }
        catch (OadrFormatException ex)
        {
            return Fail(OadrSignatureStatus.Malformed, $"the message is not readable ({ex.Rule}): {ex.Detail}");
        }
        return Verify(document, options);
    }

    /// <summary>Verifies a message already loaded (with <see cref="XmlDocument.PreserveWhitespace"/> set when it was loaded).</summary>
    public static OadrSignatureVerification Verify(XmlDocument document, OadrVerifyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        options ??= OadrVerifyOptions.Default;
        try
        {
            return VerifyCore(document, options);
        }
        catch (CryptographicException ex)
        {
            return Fail(OadrSignatureStatus.Malformed, "the signature cannot be processed: " + ex.Message);
        }
        catch (XmlException ex)
        {
            return Fail(OadrSignatureStatus.Malformed, "the signature cannot be processed: " + ex.Message);
        }
        catch (FormatException ex)
        {
            return Fail(OadrSignatureStatus.Malformed, "the signature cannot be processed: " + ex.Message);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            // SignedXml reports some malformed signatures this way; they are still only malformed input.
            return Fail(OadrSignatureStatus.Malformed, "the signature cannot be processed: " + ex.Message);
        }
    }

    private static OadrSignatureVerification VerifyCore(XmlDocument document, OadrVerifyOptions options)
    {
        var root = document.DocumentElement;
        var signatures = document.GetElementsByTagName("Signature", OadrNamespaces.Ds).OfType<XmlElement>().ToList();
        if (signatures.Count == 0)
        {
            return Fail(OadrSignatureStatus.NoSignature, "the message carries no ds:Signature");
        }
        if (signatures.Count > 1)
        {
            return Fail(OadrSignatureStatus.Malformed, $"the message carries {signatures.Count} ds:Signature elements; the profile allows one");
        }
        var signatureElement = signatures[0];
        if (root is null || root.LocalName != "oadrPayload" || root.NamespaceURI != OadrNamespaces.Oadr)
        {
            return Fail(OadrSignatureStatus.Malformed, $"a signed message must have oadrPayload as root, not {root?.Name}");
        }
        if (signatureElement.ParentNode != root || FirstElementChild(root) != signatureElement)
        {
            return Fail(OadrSignatureStatus.Malformed, "ds:Signature must be the first child of oadrPayload");
        }

        // Algorithms, read from the markup before SignedXml touches it (it would instantiate transforms).
        var (algorithmStatus, algorithmProblem, method, legacy) = CheckAlgorithms(signatureElement);
        var baseResult = new OadrSignatureVerification
        {
            Status = OadrSignatureStatus.Malformed,
            Message = "",
            SignatureMethod = method,
            IsLegacyAlgorithm = legacy,
        };
        if (algorithmStatus is { } status)
        {
            return baseResult with { Status = status, Message = algorithmProblem! };
        }

        var signedXml = new OadrSignedXml(document);
        signedXml.LoadXml(signatureElement);
        var references = signedXml.SignedInfo!.References.OfType<Reference>().ToList();

        // References: what exactly is signed.
        var targets = CheckReferences(document, root, signatureElement, references, out var form, out var signedObjectId, out var replayElement);
        baseResult = baseResult with { Form = form, SignedObjectId = signedObjectId };
        if (targets is not null)
        {
            return baseResult with { Status = OadrSignatureStatus.ReferenceMismatch, Message = targets };
        }

        // Key and certificate.
        var (certificate, extraCertificates, bareKey, keyProblem) = ReadKeyInfo(signedXml);
        if (options.SignerCertificate is { } expected)
        {
            if (certificate is not null && !certificate.RawDataMemory.Span.SequenceEqual(expected.RawDataMemory.Span))
            {
                return baseResult with { Status = OadrSignatureStatus.UntrustedCertificate, Message = $"the certificate in ds:KeyInfo ({certificate.Subject}) is not the expected signer ({expected.Subject})", SignerCertificate = certificate };
            }
            certificate = expected;
            keyProblem = null;
        }
        if (keyProblem is not null)
        {
            return baseResult with { Status = OadrSignatureStatus.Malformed, Message = keyProblem };
        }
        AsymmetricAlgorithm? key = certificate is not null
            ? (AsymmetricAlgorithm?)certificate.GetRSAPublicKey() ?? certificate.GetECDsaPublicKey()
            : bareKey;
        baseResult = baseResult with { SignerCertificate = certificate };
        if (key is null)
        {
            return baseResult with { Status = OadrSignatureStatus.Malformed, Message = "the signer's key is neither RSA nor EC" };
        }
        var keyFits = method == OadrXmlSignatureAlgorithms.EcdsaSha256 ? key is ECDsa : key is RSA;
        if (!keyFits)
        {
            return baseResult with { Status = OadrSignatureStatus.BadSignature, Message = $"the signer's {(key is RSA ? "RSA" : "EC")} key does not fit the signature method {method}" };
        }

        // Digests and signature value.
        if (!signedXml.CheckSignature(key))
        {
            var mismatch = FindDigestMismatch(document, references, form);
            return mismatch is not null
                ? baseResult with { Status = OadrSignatureStatus.DigestMismatch, Message = mismatch }
                : baseResult with { Status = OadrSignatureStatus.BadSignature, Message = $"the signature value does not verify with the key of {certificate?.Subject ?? "ds:KeyValue"}" };
        }
        if (legacy && !options.AllowLegacyAlgorithms)
        {
            return baseResult with { Status = OadrSignatureStatus.LegacyAlgorithm, Message = $"the signature is correct but uses SHA-1 ({method}), which OpenADR 2.0b does not allow; accept it only as legacy" };
        }
        // Trust.
        var now = options.Now;
        if (options.TrustedCertificates.Count > 0)
        {
            if (certificate is null)
            {
                return baseResult with { Status = OadrSignatureStatus.UntrustedCertificate, Message = "the signature carries a bare key, no certificate, so it cannot be traced to a trusted CA" };
            }
            var chainProblem = CheckChain(certificate, extraCertificates, options.TrustedCertificates, now);
            if (chainProblem is not null)
            {
                return baseResult with { Status = OadrSignatureStatus.UntrustedCertificate, Message = chainProblem };
            }
        }

        // Replay protection.
        OadrReplayProtect? replay = null;
        if (replayElement is not null)
        {
            replay = ReadReplayProtect(replayElement, out var replayProblem);
            if (replay is null)
            {
                return baseResult with { Status = OadrSignatureStatus.Malformed, Message = replayProblem! };
            }
            baseResult = baseResult with { ReplayProtect = replay };
        }
        if (options.CheckReplayWindow)
        {
            if (replay is null)
            {
                return baseResult with { Status = OadrSignatureStatus.NoReplayProtect, Message = "the signature has no dsp:ReplayProtect (timestamp and nonce); use the replay-window option to skip this check" };
            }
            var skew = now - replay.Timestamp;
            if (skew.Duration() > options.ReplayWindow)
            {
                return baseResult with
                {
                    Status = OadrSignatureStatus.ReplayWindowExceeded,
                    Message = $"the ReplayProtect timestamp {replay.Timestamp.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} is {FormatSkew(skew)} the verification time {now.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}, outside the window of ±{options.ReplayWindow.TotalSeconds:0} s",
                };
            }
        }
        if (options.NonceCache is { } cache && replay is not null && !cache.TryRecord(replay.Nonce, replay.Timestamp))
        {
            return baseResult with { Status = OadrSignatureStatus.NonceReused, Message = $"the nonce '{replay.Nonce}' was already used: a replayed message" };
        }

        var what = form == OadrSignatureForm.Detached ? $"oadrSignedObject '{signedObjectId}' and ReplayProtect" : "the whole document (enveloped)";
        var signer = certificate is not null ? certificate.Subject : "a bare key";
        return baseResult with
        {
            Status = OadrSignatureStatus.Valid,
            Message = $"{ShortName(method)} signature by {signer} over {what}{(legacy ? " (legacy SHA-1, allowed by option)" : "")}",
        };
    }

    private static (OadrSignatureStatus? Status, string? Problem, string Method, bool Legacy) CheckAlgorithms(XmlElement signature)
    {
        var ns = new XmlNamespaceManager(signature.OwnerDocument.NameTable);
        ns.AddNamespace("ds", OadrNamespaces.Ds);
        string Algorithm(XmlNode? node) => (node as XmlElement)?.GetAttribute("Algorithm") ?? "";

        var canonicalization = Algorithm(signature.SelectSingleNode("ds:SignedInfo/ds:CanonicalizationMethod", ns));
        var method = Algorithm(signature.SelectSingleNode("ds:SignedInfo/ds:SignatureMethod", ns));
        if (canonicalization is not (OadrXmlSignatureAlgorithms.C14N or OadrXmlSignatureAlgorithms.C14NWithComments))
        {
            return (OadrSignatureStatus.UnsupportedAlgorithm, $"canonicalization '{canonicalization}' is not Canonical XML 1.0", method, false);
        }
        var legacy = false;
        switch (method)
        {
            case OadrXmlSignatureAlgorithms.RsaSha256 or OadrXmlSignatureAlgorithms.EcdsaSha256:
                break;
            case OadrXmlSignatureAlgorithms.RsaSha1:
                legacy = true;
                break;
            default:
                return (OadrSignatureStatus.UnsupportedAlgorithm, $"signature method '{method}' is not RSA-SHA256 or ECDSA-SHA256", method, false);
        }
        var references = signature.SelectNodes("ds:SignedInfo/ds:Reference", ns)!.OfType<XmlElement>().ToList();
        if (references.Count == 0)
        {
            return (OadrSignatureStatus.Malformed, "ds:SignedInfo has no ds:Reference", method, legacy);
        }
        foreach (var reference in references)
        {
            var uri = reference.GetAttribute("URI");
            var digest = Algorithm(reference.SelectSingleNode("ds:DigestMethod", ns));
            switch (digest)
            {
                case OadrXmlSignatureAlgorithms.Sha256:
                    break;
                case OadrXmlSignatureAlgorithms.Sha1:
                    legacy = true;
                    break;
                default:
                    return (OadrSignatureStatus.UnsupportedAlgorithm, $"digest method '{digest}' of reference '{uri}' is not SHA-256", method, legacy);
            }
            foreach (var transform in reference.SelectNodes("ds:Transforms/ds:Transform", ns)!.OfType<XmlElement>())
            {
                var algorithm = Algorithm(transform);
                if (algorithm is not (OadrXmlSignatureAlgorithms.C14N or OadrXmlSignatureAlgorithms.C14NWithComments or OadrXmlSignatureAlgorithms.EnvelopedSignature))
                {
                    return (OadrSignatureStatus.UnsupportedAlgorithm, $"transform '{algorithm}' in reference '{uri}' is not allowed (only Canonical XML 1.0 and enveloped-signature)", method, legacy);
                }
            }
        }
        return (null, null, method, legacy);
    }

    /// <summary>Returns a problem, or null when the references are exactly what the profile signs.</summary>
    private static string? CheckReferences(
        XmlDocument document, XmlElement root, XmlElement signatureElement, List<Reference> references,
        out OadrSignatureForm form, out string? signedObjectId, out XmlElement? replayElement)
    {
        form = OadrSignatureForm.None;
        signedObjectId = null;
        replayElement = null;
        var replayProtects = document.GetElementsByTagName("ReplayProtect", OadrNamespaces.Dsp).OfType<XmlElement>().ToList();
        if (replayProtects.Count > 1)
        {
            return $"the message holds {replayProtects.Count} dsp:ReplayProtect elements; exactly one may be signed";
        }
        var signedObjects = root.ChildNodes.OfType<XmlElement>().Where(e => e.LocalName == "oadrSignedObject" && e.NamespaceURI == OadrNamespaces.Oadr).ToList();
        var allSignedObjects = document.GetElementsByTagName("oadrSignedObject", OadrNamespaces.Oadr).Count;
        if (signedObjects.Count == 1 && allSignedObjects > 1)
        {
            return $"the message holds {allSignedObjects} oadrSignedObject elements; only the one under oadrPayload may exist";
        }

        if (references.Count == 1 && references[0].Uri == ""
            && Transforms(references[0]).Any(t => t.Algorithm == OadrXmlSignatureAlgorithms.EnvelopedSignature))
        {
            // The enveloped-signature transform removes the whole ds:Signature, so a ReplayProtect in
            // its ds:Object is not signed and cannot be trusted: enveloped signatures have none.
            form = OadrSignatureForm.Enveloped;
            return null;
        }

        form = OadrSignatureForm.Detached;
        if (references.Count != 2)
        {
            return $"the signature has {references.Count} references; the profile signs exactly two (oadrSignedObject and ReplayProtect)";
        }
        if (signedObjects.Count != 1)
        {
            return "oadrPayload must hold exactly one oadrSignedObject";
        }
        var signedObject = signedObjects[0];
        bool coversObject = false, coversReplay = false;
        foreach (var reference in references)
        {
            var uri = reference.Uri ?? "";
            if (!uri.StartsWith('#') || uri.Length < 2)
            {
                return $"reference '{uri}' is not a same-document reference by id (#id)";
            }
            var id = uri[1..];
            var carriers = IdIndex.FindAll(document, id);
            if (carriers.Count != 1)
            {
                return carriers.Count == 0
                    ? $"reference '{uri}' points at no element"
                    : $"reference '{uri}' matches {carriers.Count} elements: duplicated ids are a signature-wrapping trick";
            }
            var target = carriers[0];
            if (target == signedObject)
            {
                coversObject = true;
                signedObjectId = id;
            }
            else if (replayProtects.Count == 1 && IsInside(target, signatureElement)
                     && (target.NamespaceURI == OadrNamespaces.Ds && target.LocalName is "Object" or "SignatureProperties" or "SignatureProperty"
                         || target == replayProtects[0])
                     && (target == replayProtects[0] || IsInside(replayProtects[0], target)))
            {
                coversReplay = true;
                replayElement = replayProtects[0];
            }
            else
            {
                return $"reference '{uri}' points at {target.Name}, which is neither the message's oadrSignedObject nor the signature's ReplayProtect object";
            }
        }
        if (!coversObject)
        {
            return "no reference covers the oadrSignedObject under oadrPayload";
        }
        if (!coversReplay)
        {
            return "no reference covers the ReplayProtect object";
        }
        return null;
    }

    private static (X509Certificate2? Certificate, X509Certificate2Collection Extra, AsymmetricAlgorithm? BareKey, string? Problem) ReadKeyInfo(SignedXml signedXml)
    {
        var certificates = new X509Certificate2Collection();
        AsymmetricAlgorithm? bareKey = null;
        if (signedXml.KeyInfo is { } keyInfo)
        {
            foreach (KeyInfoClause clause in keyInfo)
            {
                switch (clause)
                {
                    case KeyInfoX509Data x509:
                        foreach (var raw in x509.Certificates?.OfType<X509Certificate>() ?? [])
                        {
                            certificates.Add(X509CertificateLoader.LoadCertificate(raw.GetRawCertData()));
                        }
                        break;
                    case RSAKeyValue rsa:
                        bareKey = rsa.Key;
                        break;
                }
            }
        }
        if (certificates.Count == 0)
        {
            return bareKey is null
                ? (null, certificates, null, "ds:KeyInfo carries neither an X.509 certificate nor an RSA key value")
                : (null, certificates, bareKey, null);
        }
        // The signer is the certificate that issued none of the others.
        var leaf = certificates.FirstOrDefault(c => !certificates.Any(o => o != c && o.IssuerName.RawData.AsSpan().SequenceEqual(c.SubjectName.RawData))) ?? certificates[0];
        certificates.Remove(leaf);
        return (leaf, certificates, null, null);
    }

    private static string? CheckChain(X509Certificate2 certificate, X509Certificate2Collection extra, IReadOnlyList<X509Certificate2> trusted, DateTimeOffset now)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        // Never fetch issuers named in a (hostile) certificate's AIA extension: no network here.
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        foreach (var anchor in trusted)
        {
            if (anchor.SubjectName.RawData.AsSpan().SequenceEqual(anchor.IssuerName.RawData))
            {
                chain.ChainPolicy.CustomTrustStore.Add(anchor);
            }
            else
            {
                chain.ChainPolicy.ExtraStore.Add(anchor);
            }
        }
        chain.ChainPolicy.ExtraStore.AddRange(extra);
        var built = chain.Build(certificate);
        // An intermediate given as trusted counts as an anchor when the chain passes through it.
        var throughTrusted = chain.ChainElements.Any(e => trusted.Any(t => t.RawDataMemory.Span.SequenceEqual(e.Certificate.RawDataMemory.Span)));
        if (built && throughTrusted)
        {
            return null;
        }
        var reasons = chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct().ToList();
        return $"the certificate {certificate.Subject} (issued by {certificate.Issuer}) does not chain to a trusted certificate at {now.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}"
            + (reasons.Count > 0 ? ": " + string.Join("; ", reasons) : "");
    }

    private static OadrReplayProtect? ReadReplayProtect(XmlElement replay, out string? problem)
    {
        problem = null;
        var timestamp = replay.GetElementsByTagName("timestamp", OadrNamespaces.Dsp).OfType<XmlElement>().SingleOrDefault();
        var nonce = replay.GetElementsByTagName("nonce", OadrNamespaces.Dsp).OfType<XmlElement>().SingleOrDefault();
        if (timestamp is null || nonce is null || nonce.InnerText.Trim().Length == 0)
        {
            problem = "dsp:ReplayProtect must hold one dsp:timestamp and one non-empty dsp:nonce";
            return null;
        }
        try
        {
            return new OadrReplayProtect(XmlConvert.ToDateTimeOffset(timestamp.InnerText.Trim()), nonce.InnerText.Trim());
        }
        catch (FormatException)
        {
            problem = $"dsp:timestamp '{timestamp.InnerText}' is not an xs:dateTime";
            return null;
        }
    }

    /// <summary>Recomputes each reference's digest to tell a changed payload from a forged signature value.</summary>
    private static string? FindDigestMismatch(XmlDocument document, List<Reference> references, OadrSignatureForm form)
    {
        foreach (var reference in references)
        {
            byte[]? actual;
            try
            {
                actual = Recompute(document, reference, form);
            }
            catch (CryptographicException)
            {
                actual = null;
            }
            if (actual is null || !actual.AsSpan().SequenceEqual(reference.DigestValue))
            {
                var what = form == OadrSignatureForm.Enveloped ? "the document" : $"the element '{reference.Uri}'";
                return $"the digest of {what} does not match: it was changed after signing";
            }
        }
        return null;
    }

    private static byte[] Recompute(XmlDocument document, Reference original, OadrSignatureForm form)
    {
        var target = document;
        if (form == OadrSignatureForm.Enveloped)
        {
            // The enveloped-signature transform removes the signature; do that by hand on a copy.
            target = (XmlDocument)document.Clone();
            var copy = target.GetElementsByTagName("Signature", OadrNamespaces.Ds).OfType<XmlElement>().Single();
            copy.ParentNode!.RemoveChild(copy);
        }
        var probe = new OadrSignedXml(target);
        var reference = new Reference(original.Uri!) { DigestMethod = original.DigestMethod };
        foreach (Transform transform in original.TransformChain)
        {
            switch (transform.Algorithm)
            {
                case OadrXmlSignatureAlgorithms.C14N:
                    reference.AddTransform(new XmlDsigC14NTransform(includeComments: false));
                    break;
                case OadrXmlSignatureAlgorithms.C14NWithComments:
                    reference.AddTransform(new XmlDsigC14NTransform(includeComments: true));
                    break;
            }
        }
        probe.AddReference(reference);
        probe.SignedInfo!.SignatureMethod = HmacSha256;
        probe.SignedInfo.CanonicalizationMethod = OadrXmlSignatureAlgorithms.C14N;
        using var mac = new HMACSHA256(new byte[32]);
        probe.ComputeSignature(mac);
        return reference.DigestValue ?? [];
    }

    private static IEnumerable<Transform> Transforms(Reference reference)
    {
        foreach (Transform transform in reference.TransformChain)
        {
            yield return transform;
        }
    }

    private static XmlElement? FirstElementChild(XmlElement element)
    {
        for (var child = element.FirstChild; child is not null; child = child.NextSibling)
        {
            if (child is XmlElement e)
            {
                return e;
            }
        }
        return null;
    }

    private static bool IsInside(XmlNode node, XmlNode ancestor)
    {
        for (var current = node.ParentNode; current is not null; current = current.ParentNode)
        {
            if (current == ancestor)
            {
                return true;
            }
        }
        return false;
    }

    private static string FormatSkew(TimeSpan skew) =>
        skew > TimeSpan.Zero ? $"{skew.TotalSeconds:0} s before" : $"{(-skew).TotalSeconds:0} s after";

    private static string ShortName(string method) => method switch
    {
        OadrXmlSignatureAlgorithms.RsaSha256 => "RSA-SHA256",
        OadrXmlSignatureAlgorithms.EcdsaSha256 => "ECDSA-SHA256",
        OadrXmlSignatureAlgorithms.RsaSha1 => "RSA-SHA1",
        _ => method,
    };

    private static OadrSignatureVerification Fail(OadrSignatureStatus status, string message) => new() { Status = status, Message = message };
}
