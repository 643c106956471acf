namespace FlexCoop.OpenAdr.Security.Internal;

internal static class OadrNamespaces
{
    public const string Oadr = "http://openadr.org/oadr-2.0b/2012/07";
    public const string Ds = "http://www.w3.org/2000/09/xmldsig#";
    public const string Dsp = "http://openadr.org/oadr-2.0b/2012/07/xmldsig-properties";
    public const string Xmlns = "http://www.w3.org/2000/xmlns/";
}
