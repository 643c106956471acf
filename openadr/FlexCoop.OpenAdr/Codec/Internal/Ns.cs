namespace FlexCoop.OpenAdr.Codec.Internal;

/// <summary>The namespaces of OpenADR 2.0b and their conventional prefixes.</summary>
internal static class Ns
{
    public const string Oadr = "http://openadr.org/oadr-2.0b/2012/07";
    public const string Pyld = "http://docs.oasis-open.org/ns/energyinterop/201110/payloads";
    public const string Ei = "http://docs.oasis-open.org/ns/energyinterop/201110";
    public const string Emix = "http://docs.oasis-open.org/ns/emix/2011/06";
    public const string Xcal = "urn:ietf:params:xml:ns:icalendar-2.0";
    public const string Strm = "urn:ietf:params:xml:ns:icalendar-2.0:stream";
    public const string Power = "http://docs.oasis-open.org/ns/emix/2011/06/power";
    public const string Scale = "http://docs.oasis-open.org/ns/emix/2011/06/siscale";
    public const string Gml = "http://www.opengis.net/gml/3.2";
    public const string Atom = "http://www.w3.org/2005/Atom";
    public const string Ds = "http://www.w3.org/2000/09/xmldsig#";
    public const string Xsi = "http://www.w3.org/2001/XMLSchema-instance";
    public const string Xmlns = FlexCoop.Xml.Internal.Utf8XmlTokenizer.XmlnsNamespace;
    public const string Xml = FlexCoop.Xml.Internal.Utf8XmlTokenizer.XmlNamespace;

    /// <summary>Prefix and namespace, in the order they are declared on the root of a serialised message.</summary>
    public static readonly (string Prefix, string Uri)[] Declared =
    [
        ("oadr", Oadr),
        ("pyld", Pyld),
        ("ei", Ei),
        ("emix", Emix),
        ("xcal", Xcal),
        ("strm", Strm),
        ("power", Power),
        ("scale", Scale),
        ("gml", Gml),
        ("atom", Atom),
        ("xsi", Xsi),
    ];

    /// <summary>The conventional prefix of a namespace, for messages; empty for an unknown one.</summary>
    public static string PrefixOf(string? uri)
    {
        foreach (var (prefix, u) in Declared)
        {
            if (string.Equals(u, uri, StringComparison.Ordinal)) return prefix;
        }
        return string.Equals(uri, Ds, StringComparison.Ordinal) ? "ds" : "";
    }

    /// <summary><see cref="Display(string, string?)"/> for a name still in UTF-8.</summary>
    public static string Display(ReadOnlySpan<byte> local, string? uri) => Display(System.Text.Encoding.UTF8.GetString(local), uri);

    /// <summary><c>prefix:local</c> with the conventional prefix (or <c>{uri}local</c> for other namespaces).</summary>
    public static string Display(string local, string? uri)
    {
        var prefix = PrefixOf(uri);
        if (prefix.Length > 0) return prefix + ":" + local;
        return string.IsNullOrEmpty(uri) ? local : "{" + uri + "}" + local;
    }
}
