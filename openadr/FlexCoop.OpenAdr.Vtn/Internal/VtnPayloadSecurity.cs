using System.Security.Cryptography.X509Certificates;
using FlexCoop.OpenAdr.Security;
using FlexCoop.OpenAdr.Xml;

namespace FlexCoop.OpenAdr.Vtn.Internal;

/// <summary>
/// High-security mode on the VTN: signs every payload it sends with its signing certificate and
/// verifies every payload it receives (trusted signer, the VEN's own certificate, replay window,
/// nonce seen once).
/// </summary>
internal sealed class VtnPayloadSecurity
{
    private readonly OadrSigner _signer;
    private readonly OadrVerifyOptions _verify;
    private readonly OadrXmlLimits _limits;

    public VtnPayloadSecurity(VtnOptions options, TimeProvider clock)
    {
        var certificate = options.SigningCertificate ?? options.ServerCertificates[0];
        try
        {
            _signer = new OadrSigner(certificate, clock) { ConventionalPrefixes = true }; // survives XMPP servers
        }
        catch (OadrSignatureException ex)
        {
            throw new VtnConfigurationException($"the signing certificate cannot sign: {ex.Message}", ex);
        }
        _limits = OadrXmlLimits.Default with { MaxCharacters = Math.Max(options.MaxRequestBodyBytes, OadrXmlLimits.Default.MaxCharacters) };
        _verify = new OadrVerifyOptions
        {
            TrustedCertificates = options.ClientCertificateAuthorities,
            TimeProvider = clock,
            ReplayWindow = options.SignatureReplayWindow,
            NonceCache = new OadrNonceCache(retention: options.SignatureReplayWindow * 2 + TimeSpan.FromMinutes(1)),
            Limits = OadrXmlLimits.Default with { MaxCharacters = options.MaxRequestBodyBytes },
        };
    }

    /// <summary>The payload signed: wrapped in <c>oadrPayload</c> with the signature first.</summary>
    public byte[] Sign(byte[] payload) => _signer.Sign(payload, limits: _limits);

    /// <summary>
    /// Verifies a received payload. <paramref name="tlsCertificate"/> is the certificate the sender
    /// presented in TLS (the signature must be made with it); <paramref name="expectedFingerprint"/>
    /// names the VEN the payload must come from (the answer to a push).
    /// </summary>
    public OadrSignatureVerification Verify(ReadOnlySpan<byte> payload, X509Certificate2? tlsCertificate, string? expectedFingerprint)
    {
        var result = OadrSignatureVerifier.Verify(payload, tlsCertificate is null ? _verify : _verify with { SignerCertificate = tlsCertificate });
        if (result.IsValid && expectedFingerprint is not null
            && (result.SignerCertificate is null || !OadrFingerprint.Matches(OadrFingerprint.Of(result.SignerCertificate), expectedFingerprint)))
        {
            return result with { Status = OadrSignatureStatus.UntrustedCertificate, Message = "the payload is signed by another certificate than the VEN's" };
        }
        return result;
    }
}
