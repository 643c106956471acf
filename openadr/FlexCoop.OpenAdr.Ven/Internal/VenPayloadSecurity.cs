using System.Security.Cryptography.X509Certificates;
using FlexCoop.OpenAdr.Security;
using FlexCoop.OpenAdr.Xml;

namespace FlexCoop.OpenAdr.Ven.Internal;

/// <summary>
/// High-security mode on the VEN: signs every payload it sends with its own certificate and
/// verifies every payload from the VTN (signer chaining to the VTN's CAs, replay window, nonce seen once).
/// </summary>
internal sealed class VenPayloadSecurity
{
    private readonly OadrSigner _signer;
    private readonly OadrVerifyOptions _verify;
    private readonly bool _ignoresSignatures;

    public VenPayloadSecurity(VenOptions options, TimeProvider clock)
    {
        try
        {
            _signer = new OadrSigner(options.ClientCertificate!, clock) { ConventionalPrefixes = true }; // survives XMPP servers
        }
        catch (OadrSignatureException ex)
        {
            throw new VenConfigurationException($"the VEN's certificate cannot sign: {ex.Message}", ex);
        }
        _ignoresSignatures = options.Has(VenFault.IgnoresSignatures);
        _verify = new OadrVerifyOptions
        {
            TrustedCertificates = options.VtnCertificateAuthorities,
            TimeProvider = clock,
            ReplayWindow = options.SignatureReplayWindow,
            NonceCache = new OadrNonceCache(retention: options.SignatureReplayWindow * 2 + TimeSpan.FromMinutes(1)),
            Limits = OadrXmlLimits.Default with { MaxCharacters = options.MaxMessageBytes },
        };
    }

    /// <summary>The payload signed: wrapped in <c>oadrPayload</c> with the signature first.</summary>
    public byte[] Sign(byte[] payload) => _signer.Sign(payload);

    /// <summary>
    /// Verifies a payload from the VTN; <paramref name="tlsCertificate"/>, when known (a push), is the
    /// certificate the VTN presented and the signature must be made with it.
    /// </summary>
    public OadrSignatureVerification Verify(ReadOnlySpan<byte> payload, X509Certificate2? tlsCertificate = null) =>
        _ignoresSignatures
            ? new OadrSignatureVerification { Status = OadrSignatureStatus.Valid, Message = "not checked (fault ignores-signatures)" }
            : OadrSignatureVerifier.Verify(payload, tlsCertificate is null ? _verify : _verify with { SignerCertificate = tlsCertificate });
}
