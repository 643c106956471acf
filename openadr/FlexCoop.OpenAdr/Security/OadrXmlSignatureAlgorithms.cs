namespace FlexCoop.OpenAdr.Security;

/// <summary>The algorithm identifiers the OpenADR 2.0b signature profile uses, and the legacy ones it replaced.</summary>
public static class OadrXmlSignatureAlgorithms
{
    /// <summary>Canonical XML 1.0 (inclusive, without comments): the profile's canonicalization.</summary>
    public const string C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";

    /// <summary>Canonical XML 1.0 with comments.</summary>
    public const string C14NWithComments = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments";

    /// <summary>The enveloped-signature transform (enveloped signatures only).</summary>
    public const string EnvelopedSignature = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

    public const string RsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";

    public const string EcdsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";

    public const string Sha256 = "http://www.w3.org/2001/04/xmlenc#sha256";

    /// <summary>Legacy: accepted only when <see cref="OadrVerifyOptions.AllowLegacyAlgorithms"/> is set.</summary>
    public const string RsaSha1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";

    /// <summary>Legacy digest.</summary>
    public const string Sha1 = "http://www.w3.org/2000/09/xmldsig#sha1";
}
