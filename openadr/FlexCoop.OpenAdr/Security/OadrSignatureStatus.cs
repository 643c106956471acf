namespace FlexCoop.OpenAdr.Security;

/// <summary>The outcome of verifying the XML signature of one OpenADR message.</summary>
public enum OadrSignatureStatus
{
    /// <summary>The signature is correct and every requested check passed.</summary>
    Valid,

    /// <summary>The message carries no <c>ds:Signature</c>.</summary>
    NoSignature,

    /// <summary>The message or its signature is not readable or not shaped as the profile requires (several signatures, no key, unreadable XML, ...).</summary>
    Malformed,

    /// <summary>An algorithm or transform outside the profile (e.g. XSLT, XPath, exclusive C14N, RSA-SHA512).</summary>
    UnsupportedAlgorithm,

    /// <summary>RSA-SHA1 or SHA-1 digests, which 2.0a-era stacks used; accepted only when <see cref="OadrVerifyOptions.AllowLegacyAlgorithms"/> is set.</summary>
    LegacyAlgorithm,

    /// <summary>The references do not cover exactly the message's <c>oadrSignedObject</c> and the signature's <c>ReplayProtect</c> object (missing, extra, duplicated or moved ids: signature wrapping).</summary>
    ReferenceMismatch,

    /// <summary>A referenced element changed after signing: its digest does not match.</summary>
    DigestMismatch,

    /// <summary>The signature value does not verify with the signer's key.</summary>
    BadSignature,

    /// <summary>The signer's certificate does not chain to a trusted certificate, or is outside its validity period.</summary>
    UntrustedCertificate,

    /// <summary>The signature has no <c>dsp:ReplayProtect</c> while the replay window is checked.</summary>
    NoReplayProtect,

    /// <summary>The <c>ReplayProtect</c> timestamp is outside the replay window around the verification time.</summary>
    ReplayWindowExceeded,

    /// <summary>The <c>ReplayProtect</c> nonce was already seen.</summary>
    NonceReused,
}
