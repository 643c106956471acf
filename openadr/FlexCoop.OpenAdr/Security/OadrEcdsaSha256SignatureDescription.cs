using System.Security.Cryptography;

namespace FlexCoop.OpenAdr.Security;

/// <summary>
/// ECDSA with SHA-256 for <c>SignedXml</c>, which knows only RSA and DSA out of the box. The
/// signature value is the raw <c>r || s</c> concatenation (IEEE P1363), as XML-DSig 1.1 and other
/// stacks (xmlsec, Santuario) write it, not DER. Public because <see cref="CryptoConfig"/> only
/// registers public types; <see cref="OadrSigner"/> and <see cref="OadrSignatureVerifier"/> register it
/// themselves, so applications need not touch it.
/// </summary>
public sealed class OadrEcdsaSha256SignatureDescription : SignatureDescription
{
    private static readonly Lazy<bool> Registration = new(() =>
    {
        CryptoConfig.AddAlgorithm(typeof(OadrEcdsaSha256SignatureDescription), OadrXmlSignatureAlgorithms.EcdsaSha256);
        return true;
    });

    public OadrEcdsaSha256SignatureDescription()
    {
        KeyAlgorithm = typeof(ECDsa).AssemblyQualifiedName;
        DigestAlgorithm = typeof(SHA256).AssemblyQualifiedName;
        FormatterAlgorithm = typeof(Formatter).AssemblyQualifiedName;
        DeformatterAlgorithm = typeof(Deformatter).AssemblyQualifiedName;
    }

    /// <summary>Registers the description with <see cref="CryptoConfig"/> once per process.</summary>
    internal static void EnsureRegistered() => _ = Registration.Value;

    public override HashAlgorithm CreateDigest() => SHA256.Create();

    public override AsymmetricSignatureFormatter CreateFormatter(AsymmetricAlgorithm key) => new Formatter((ECDsa)key);

    public override AsymmetricSignatureDeformatter CreateDeformatter(AsymmetricAlgorithm key) => new Deformatter((ECDsa)key);

    private sealed class Formatter(ECDsa key) : AsymmetricSignatureFormatter
    {
        private ECDsa _key = key;

        public override void SetKey(AsymmetricAlgorithm key) => _key = (ECDsa)key;

        public override void SetHashAlgorithm(string strName)
        {
        }

        public override byte[] CreateSignature(byte[] rgbHash) =>
            _key.SignHash(rgbHash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    private sealed class Deformatter(ECDsa key) : AsymmetricSignatureDeformatter
    {
        private ECDsa _key = key;

        public override void SetKey(AsymmetricAlgorithm key) => _key = (ECDsa)key;

        public override void SetHashAlgorithm(string strName)
        {
        }

        public override bool VerifySignature(byte[] rgbHash, byte[] rgbSignature) =>
            _key.VerifyHash(rgbHash, rgbSignature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }
}
