using FlexCoop.OpenAdr;
using FlexCoop.OpenAdr.Security;
using FlexCoop.OpenAdr.Xml;

namespace FlexCoop.Conformance.Certification.OpenAdr;

/// <summary>
/// High security for the harness VEN (G1_4011, G0_9020): signs what it sends with its certificate, as the OpenADR
/// library's signer does, and verifies every payload of the VTN with the library's verifier.
/// </summary>
internal sealed class HarnessVenSecurity
{
    private readonly OadrSigner _signer;
    private readonly OadrVerifyOptions _verify;
    private readonly OadrXmlLimits _limits;

    public HarnessVenSecurity(HarnessVenOptions options)
    {
        _signer = HarnessSignatures.Signer(options.Certificate!);
        _limits = OadrXmlLimits.Default with { MaxCharacters = options.MaxMessageBytes };
        _verify = HarnessSignatures.VerifyOptions(options.CertificateAuthorities, options.SignatureReplayWindow, _limits);
    }

    public byte[] Sign(byte[] payload)
    {
        try
        {
            return _signer.Sign(payload, limits: _limits);
        }
        catch (OpenAdrException ex)
        {
            throw new CertificationSetupException($"the harness cannot sign its own payload: {ex.Message}", ex);
        }
    }

    public OadrSignatureVerification Verify(ReadOnlySpan<byte> payload) => OadrSignatureVerifier.Verify(payload, _verify);
}

internal sealed partial class HarnessVen
{
    private HarnessVenSecurity? _security;

    /// <summary>How many payloads of the VTN had their signature verified (and passed) in this run.</summary>
    public int VerifiedSignatures => Volatile.Read(ref _verifiedSignatures);

    private int _verifiedSignatures;

    private void StartSecurity()
    {
        if (_options.High) _security = new HarnessVenSecurity(_options);
    }

    /// <summary>The bytes the harness puts on the wire: signed at high security.</summary>
    private byte[] Seal(byte[] payload) => _security is null ? payload : _security.Sign(payload);

    /// <summary>High security: the VTN's payload must carry a valid signature; records a failure naming why when not.</summary>
    private void VerifyFromVtn(ReadOnlySpan<byte> body, string what, int index)
    {
        if (_security is null) return;
        var result = _security.Verify(body);
        if (result.IsValid)
        {
            Interlocked.Increment(ref _verifiedSignatures);
            return;
        }
        var why = result.Status switch
        {
            OadrSignatureStatus.NoSignature => "carries no ds:Signature: at high security the VTN signs every payload it sends",
            OadrSignatureStatus.NoReplayProtect => "has a signature without dsp:ReplayProtect (timestamp and nonce)",
            OadrSignatureStatus.NonceReused => "reuses a ReplayProtect nonce the VTN already sent: a replay",
            OadrSignatureStatus.ReplayWindowExceeded => $"has a ReplayProtect timestamp more than {_options.SignatureReplayWindow.TotalSeconds:0} s from the harness's clock",
            OadrSignatureStatus.UntrustedCertificate => "is signed by a certificate that does not chain to the configured CA",
            _ => "has a signature that does not verify",
        };
        var payload = ElementNameOf(System.Text.Encoding.UTF8.GetString(body[..Math.Min(body.Length, 64 * 1024)]));
        AddFailure(new CheckFailure("xml-signature", $"the VTN's {what} ({payload}) {why} ({result.Status}: {result.Message})", result.Status.ToString(), index));
    }
}
