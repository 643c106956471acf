using System.Security.Cryptography.X509Certificates;
using FlexCoop.OpenAdr.Xml;

namespace FlexCoop.OpenAdr.Security;

/// <summary>What <see cref="OadrSignatureVerifier"/> checks beyond the signature value itself.</summary>
public sealed record OadrVerifyOptions
{
    /// <summary>Default: no trust anchors, replay window ±5 minutes on the system clock, no nonce cache, SHA-1 refused.</summary>
    public static readonly OadrVerifyOptions Default = new();

    /// <summary>
    /// Trust anchors (root or intermediate CA certificates). When not empty, the signer's certificate
    /// must chain to one of them at the verification time; revocation is not checked.
    /// </summary>
    public IReadOnlyList<X509Certificate2> TrustedCertificates { get; init; } = [];

    /// <summary>
    /// The signer's certificate when known from elsewhere (e.g. the TLS client certificate). When set,
    /// the signature is checked with its key and the certificate in <c>ds:KeyInfo</c> must be this one.
    /// </summary>
    public X509Certificate2? SignerCertificate { get; init; }

    /// <summary>The clock for the replay window and certificate validity.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Pins the verification time (e.g. the capture time of recorded traffic); overrides <see cref="TimeProvider"/>.</summary>
    public DateTimeOffset? VerificationTime { get; init; }

    /// <summary>Whether the <c>ReplayProtect</c> timestamp must lie within <see cref="ReplayWindow"/> of the verification time.</summary>
    public bool CheckReplayWindow { get; init; } = true;

    /// <summary>How far the <c>ReplayProtect</c> timestamp may be from the verification time, either way.</summary>
    public TimeSpan ReplayWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>When set, each nonce is accepted once; the nonce of a valid message is recorded.</summary>
    public IOadrNonceCache? NonceCache { get; init; }

    /// <summary>Accept RSA-SHA1 and SHA-1 digests (reported with <see cref="OadrSignatureVerification.IsLegacyAlgorithm"/>).</summary>
    public bool AllowLegacyAlgorithms { get; init; }

    /// <summary>Bounds for reading the message.</summary>
    public OadrXmlLimits Limits { get; init; } = OadrXmlLimits.Default;

    internal DateTimeOffset Now => VerificationTime ?? TimeProvider.GetUtcNow();
}
