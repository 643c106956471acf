namespace FlexCoop.OpenAdr.Security;

/// <summary>
/// A message cannot be signed: it is not an OpenADR payload, it is already signed, or the key
/// does not fit the certificate or is of a type the 2.0b profile does not use.
/// (Verification never throws for a bad signature: it returns an <see cref="OadrSignatureVerification"/>.)
/// </summary>
public sealed class OadrSignatureException : OpenAdrException
{
    public OadrSignatureException(string message, Exception? inner = null) : base(message, inner) { }
}
