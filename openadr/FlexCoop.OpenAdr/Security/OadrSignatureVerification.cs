using System.Security.Cryptography.X509Certificates;

namespace FlexCoop.OpenAdr.Security;

/// <summary>How the signature is attached to the message.</summary>
public enum OadrSignatureForm
{
    /// <summary>No signature found.</summary>
    None,

    /// <summary>The 2.0b profile's form: references by id to <c>oadrSignedObject</c> and to the <c>ReplayProtect</c> object.</summary>
    Detached,

    /// <summary>One reference to the whole document (<c>URI=""</c>) with the enveloped-signature transform.</summary>
    Enveloped,
}

/// <summary>The <c>dsp:ReplayProtect</c> block of a signature.</summary>
/// <param name="Timestamp">When the sender signed, as it says.</param>
/// <param name="Nonce">The sender's one-time value.</param>
public sealed record OadrReplayProtect(DateTimeOffset Timestamp, string Nonce);

/// <summary>
/// The result of <see cref="OadrSignatureVerifier"/>: a status, a message a vendor
/// understands, and what was found (form, algorithm, signer, replay protection).
/// </summary>
public sealed record OadrSignatureVerification
{
    public required OadrSignatureStatus Status { get; init; }

    /// <summary>What was checked or what failed, in one sentence.</summary>
    public required string Message { get; init; }

    public bool IsValid => Status == OadrSignatureStatus.Valid;

    public OadrSignatureForm Form { get; init; }

    /// <summary>The <c>SignatureMethod</c> algorithm URI, when a signature was read.</summary>
    public string? SignatureMethod { get; init; }

    /// <summary>True when the signature uses SHA-1 (legacy) and was accepted because the options allowed it.</summary>
    public bool IsLegacyAlgorithm { get; init; }

    /// <summary>The certificate the signature was checked with; null when it carried only a bare key.</summary>
    public X509Certificate2? SignerCertificate { get; init; }

    /// <summary>The id of the signed <c>oadrSignedObject</c> (detached form).</summary>
    public string? SignedObjectId { get; init; }

    public OadrReplayProtect? ReplayProtect { get; init; }

    public override string ToString() => $"{Status}: {Message}";
}
