using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Security;
using FlexCoop.OpenAdr.Xml;

namespace FlexCoop.Conformance.Certification.OpenAdr;

/// <summary>How the harness signs a payload it sends at high security.</summary>
internal enum OutgoingSigning
{
    /// <summary>With the harness's own certificate (what a conforming VTN does).</summary>
    Harness,

    /// <summary>With a self-signed certificate no CA vouches for: a conforming VEN refuses it (wrong signer).</summary>
    Stranger,

    /// <summary>Not at all: a conforming VEN refuses it (signature missing).</summary>
    None,
}

/// <summary>
/// High security for the harness VTN: signs what it sends (with its own certificate, or on purpose with a stranger's
/// or not at all) and verifies what the VEN sends with the OpenADR library's signer and verifier.
/// </summary>
internal sealed class HarnessSecurity : IDisposable
{
    private readonly OadrSigner _signer;
    private readonly OadrSigner _stranger;
    private readonly ECDsa _strangerKey;
    private readonly X509Certificate2 _strangerCertificate;
    private readonly OadrVerifyOptions _verify;
    private readonly OadrXmlLimits _limits;

    public HarnessSecurity(HarnessOptions options)
    {
        _signer = HarnessSignatures.Signer(options.Certificate!);
        _strangerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=FlexCoop harness stranger (signs on purpose with an untrusted key)", _strangerKey, HashAlgorithmName.SHA256);
        var now = DateTimeOffset.UtcNow;
        _strangerCertificate = request.CreateSelfSigned(now.AddHours(-1), now.AddDays(1));
        _stranger = new OadrSigner(_strangerCertificate);
        _limits = OadrXmlLimits.Default with { MaxCharacters = options.MaxMessageBytes };
        _verify = HarnessSignatures.VerifyOptions(options.CertificateAuthorities, options.SignatureReplayWindow, _limits);
    }

    /// <summary>The payload as sent: signed as <paramref name="signing"/> says.</summary>
    public byte[] Sign(byte[] payload, OutgoingSigning signing) => signing switch
    {
        OutgoingSigning.Harness => _signer.Sign(payload, limits: _limits),
        OutgoingSigning.Stranger => _stranger.Sign(payload, limits: _limits),
        _ => payload,
    };

    /// <summary>Verifies a VEN payload; <paramref name="venCertificate"/>, when known, is the certificate it must be signed with.</summary>
    public OadrSignatureVerification Verify(ReadOnlySpan<byte> payload, X509Certificate2? venCertificate) =>
        OadrSignatureVerifier.Verify(payload, venCertificate is null ? _verify : _verify with { SignerCertificate = venCertificate });

    public void Dispose()
    {
        _strangerCertificate.Dispose();
        _strangerKey.Dispose();
    }
}

internal sealed partial class HarnessVtn
{
    /// <summary>Signs and verifies at high security; null at standard security.</summary>
    private HarnessSecurity? _security;

    /// <summary>The client certificate the VEN presented last (the signer its payloads must carry at high security).</summary>
    public X509Certificate2? VenCertificate { get; private set; }

    /// <summary>True when the run is at high security.</summary>
    public bool High => _security is not null;

    /// <summary>The bytes the harness puts on the wire for <paramref name="message"/>.</summary>
    public byte[] Encode(OadrMessage message, OutgoingSigning signing = OutgoingSigning.Harness)
    {
        var bytes = OadrCodec.SerializeToUtf8Bytes(message, Wire);
        return _security is null ? bytes : _security.Sign(bytes, signing);
    }

    /// <summary>
    /// High security: checks the VEN signed <paramref name="body"/> with its own certificate, validly, with a fresh
    /// nonce and a timestamp in the window. False (and a failure recorded) when not.
    /// </summary>
    private bool VerifyFromVen(byte[] body, X509Certificate2? tlsCertificate, string what, int index)
    {
        if (_security is null) return true;
        if (tlsCertificate is not null) VenCertificate = tlsCertificate;
        var result = _security.Verify(body, tlsCertificate ?? VenCertificate);
        if (result.IsValid) return true;
        var why = result.Status switch
        {
            OadrSignatureStatus.NoSignature => "carries no ds:Signature: at high security the VEN signs every payload",
            OadrSignatureStatus.NoReplayProtect => "has a signature without dsp:ReplayProtect (timestamp and nonce)",
            OadrSignatureStatus.NonceReused => "reuses a ReplayProtect nonce the VEN already sent: a replay",
            OadrSignatureStatus.ReplayWindowExceeded => $"has a ReplayProtect timestamp more than {_options.SignatureReplayWindow.TotalSeconds:0} s from the harness's clock",
            OadrSignatureStatus.UntrustedCertificate => "is signed by a certificate that is not the VEN's TLS certificate or does not chain to the configured CA",
            _ => "has a signature that does not verify",
        };
        AddFailure(new CheckFailure("xml-signature", $"{what} {why} ({result.Status}: {result.Message})", result.Status.ToString(), index));
        return false;
    }
}
