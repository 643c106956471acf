using System.Security.Cryptography.X509Certificates;

namespace FlexCoop.OpenAdr.Vtn.Internal;

/// <summary>Certificate checks shared by the VTN's listener and its push client.</summary>
internal static class CertificateIdentity
{
    /// <summary>The 2.0b VEN ID of a certificate (the library's fingerprint: last 10 bytes of SHA-256 over the DER, <c>AA:BB:…</c>).</summary>
    public static string Fingerprint(X509Certificate2 certificate) => FlexCoop.OpenAdr.Security.OadrFingerprint.Of(certificate);

    /// <summary>True when <paramref name="certificate"/> chains to one of <paramref name="anchors"/> (no revocation check).</summary>
    public static bool ChainsTo(X509Certificate2 certificate, X509Chain? presented, IReadOnlyList<X509Certificate2> anchors)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        foreach (var anchor in anchors) chain.ChainPolicy.CustomTrustStore.Add(anchor);
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                if (!element.Certificate.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span))
                {
                    chain.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }
        }
        return chain.Build(certificate);
    }
}
