using System.Security.Cryptography.X509Certificates;
using FlexCoop.OpenAdr.Security;
using FlexCoop.OpenAdr.Xml;

namespace FlexCoop.Conformance.Certification.OpenAdr;

/// <summary>What the harness VEN and the harness VTN share at high security: their signer and how they verify the other side.</summary>
internal static class HarnessSignatures
{
    /// <summary>A signer with the harness's own certificate; a certificate that cannot sign is a setup error.</summary>
    public static OadrSigner Signer(X509Certificate2 certificate)
    {
        try
        {
            return new OadrSigner(certificate);
        }
        catch (OadrSignatureException ex)
        {
            throw new CertificationSetupException($"the harness certificate cannot sign: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Verification of the other side's payloads: signed by a certificate chaining to <paramref name="authorities"/>, a
    /// ReplayProtect timestamp within <paramref name="replayWindow"/> and a nonce not seen in twice that (plus a minute).
    /// </summary>
    public static OadrVerifyOptions VerifyOptions(IReadOnlyList<X509Certificate2> authorities, TimeSpan replayWindow, OadrXmlLimits limits) => new()
    {
        TrustedCertificates = authorities,
        ReplayWindow = replayWindow,
        NonceCache = new OadrNonceCache(retention: replayWindow * 2 + TimeSpan.FromMinutes(1)),
        Limits = limits,
    };
}
