using System.Security.Cryptography.Xml;
using System.Xml;
using FlexCoop.OpenAdr.Schema.Internal;
using FlexCoop.OpenAdr.Security.Internal;
using FlexCoop.OpenAdr.Xml;

namespace FlexCoop.OpenAdr.Security;

/// <summary>
/// The conventional-prefix form of a signed OpenADR 2.0b message: the one serialisation the
/// signer produces and a verifier restores before checking a message that crossed a relay which
/// re-serialises XML (an XMPP server).
/// <para>
/// Canonical XML 1.0 (inclusive) keeps namespace prefixes and every in-scope namespace declaration,
/// so a relay that keeps the elements, attributes and text but chooses its own prefixes and drops
/// unused declarations (Prosody writes each element with a default-namespace declaration and
/// attributes with generated <c>ns1</c> prefixes) changes the bytes a signature covers. The form
/// defined here depends only on what such a relay keeps (the expanded names, the attributes and
/// the character data, in document order), so restoring it gives back the signer's bytes:
/// </para>
/// <list type="bullet">
/// <item>elements and attributes in the profile's namespaces carry the codec's conventional
/// prefixes (<c>oadr</c>, <c>pyld</c>, <c>ei</c>, <c>emix</c>, <c>xcal</c>, <c>strm</c>, <c>power</c>,
/// <c>scale</c>, <c>gml</c>, <c>atom</c>, <c>xsi</c>, <c>dsp</c>); a namespace outside that list gets
/// <c>ns1</c>, <c>ns2</c>... in the order of its first use;</item>
/// <item>each of those namespaces is declared once, on the root element, when (and only when)
/// the document uses it, in the list's order;</item>
/// <item>XML Signature elements (<c>http://www.w3.org/2000/09/xmldsig#</c>) are written unprefixed,
/// the outermost one of each subtree declaring it as the default namespace, as
/// <c>System.Security.Cryptography.Xml</c> writes them; an attribute in that namespace uses <c>ds</c>;</item>
/// <item>no other namespace declaration exists; attribute values, text, comments and processing
/// instructions are kept as they are. Attribute order, quoting, empty-element tags and character
/// references need no rule: Canonical XML makes them irrelevant.</item>
/// </list>
/// A message whose namespaced data is held in attribute values or text (QNames in content, such as
/// <c>xsi:type</c> values) cannot survive a prefix-rewriting relay and is not made to: the profile's
/// payloads carry none.
/// </summary>
public static class OadrConventionalPrefixes
{
    /// <summary>The profile's namespaces and their prefixes, in declaration order (the codec's list, then ReplayProtect's).</summary>
    public static IReadOnlyList<(string Prefix, string Namespace)> Known { get; } =
    [
        ("oadr", "http://openadr.org/oadr-2.0b/2012/07"),
        ("pyld", "http://docs.oasis-open.org/ns/energyinterop/201110/payloads"),
        ("ei", "http://docs.oasis-open.org/ns/energyinterop/201110"),
        ("emix", "http://docs.oasis-open.org/ns/emix/2011/06"),
        ("xcal", "urn:ietf:params:xml:ns:icalendar-2.0"),
        ("strm", "urn:ietf:params:xml:ns:icalendar-2.0:stream"),
        ("power", "http://docs.oasis-open.org/ns/emix/2011/06/power"),
        ("scale", "http://docs.oasis-open.org/ns/emix/2011/06/siscale"),
        ("gml", "http://www.opengis.net/gml/3.2"),
        ("atom", "http://www.w3.org/2005/Atom"),
        ("xsi", "http://www.w3.org/2001/XMLSchema-instance"),
        ("dsp", OadrNamespaces.Dsp),
        ("ds", OadrNamespaces.Ds),
    ];

    private const string XmlNamespace = "http://www.w3.org/XML/1998/namespace";

    /// <summary>
    /// Reads <paramref name="message"/> (DTDs refused, bounded by <paramref name="limits"/>) and
    /// returns it in the conventional-prefix form as UTF-8 (with an XML declaration, as the signer writes).
    /// </summary>
    /// <exception cref="OadrFormatException">The message is not readable XML.</exception>
    public static byte[] Restore(ReadOnlySpan<byte> message, OadrXmlLimits? limits = null)
    {
        var document = SafeXml.LoadDocument(message.ToArray(), limits ?? OadrXmlLimits.Default);
        return OadrSigner.Serialize(Restore(document));
    }

    /// <summary>
    /// Returns a new document holding <paramref name="document"/> in the conventional-prefix form
    /// (whitespace preserved). The input is not changed. The work recurses once per nesting level:
    /// read untrusted input with the byte overload (or another reader bounding the depth) first.
    /// </summary>
    public static XmlDocument Restore(XmlDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var root = document.DocumentElement ?? throw new ArgumentException("the document has no root element", nameof(document));
        var prefixes = AssignPrefixes(root);
        var result = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        var newRoot = CopyElement(result, root, prefixes, defaultIsDs: false);
        foreach (var (prefix, uri) in prefixes.Declared)
        {
            newRoot.SetAttribute("xmlns:" + prefix, uri);
        }
        result.AppendChild(newRoot);
        return result;
    }

    /// <summary>True when <paramref name="document"/> is already in the conventional-prefix form.</summary>
    /// <remarks>Compares the Canonical XML 1.0 forms, so quoting, attribute order and empty-element tags do not matter.</remarks>
    public static bool IsConventional(XmlDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return Canonical(document).AsSpan().SequenceEqual(Canonical(Restore(document)));
    }

    /// <summary>The Canonical XML 1.0 form (without comments) of a whole document.</summary>
    internal static byte[] Canonical(XmlDocument document)
    {
        var transform = new XmlDsigC14NTransform(includeComments: false);
        transform.LoadInput(document);
        using var output = (Stream)transform.GetOutput(typeof(Stream));
        using var copy = new MemoryStream();
        output.CopyTo(copy);
        return copy.ToArray();
    }

    private sealed class PrefixTable
    {
        public Dictionary<string, string> ByNamespace { get; } = new(StringComparer.Ordinal);

        public List<(string Prefix, string Uri)> Declared { get; } = [];
    }

    private static PrefixTable AssignPrefixes(XmlElement root)
    {
        // Which namespaces need a prefix: every element namespace but ds (unprefixed), every attribute namespace.
        var used = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Use(string uri)
        {
            if (uri.Length > 0 && uri != XmlNamespace && seen.Add(uri)) used.Add(uri);
        }
        Walk(root);
        void Walk(XmlElement element)
        {
            if (element.NamespaceURI != OadrNamespaces.Ds) Use(element.NamespaceURI);
            foreach (XmlAttribute attribute in element.Attributes)
            {
                if (attribute.NamespaceURI != OadrNamespaces.Xmlns) Use(attribute.NamespaceURI);
            }
            for (var child = element.FirstChild; child is not null; child = child.NextSibling)
            {
                if (child is XmlElement e) Walk(e);
            }
        }

        var table = new PrefixTable();
        foreach (var (prefix, uri) in Known)
        {
            if (seen.Contains(uri))
            {
                table.ByNamespace[uri] = prefix;
                table.Declared.Add((prefix, uri));
            }
        }
        var next = 1;
        foreach (var uri in used)
        {
            if (table.ByNamespace.ContainsKey(uri)) continue;
            var prefix = "ns" + next++;
            table.ByNamespace[uri] = prefix;
            table.Declared.Add((prefix, uri));
        }
        return table;
    }

    private static XmlElement CopyElement(XmlDocument target, XmlElement source, PrefixTable prefixes, bool defaultIsDs)
    {
        XmlElement copy;
        var isDs = source.NamespaceURI == OadrNamespaces.Ds;
        if (isDs)
        {
            copy = target.CreateElement(source.LocalName, OadrNamespaces.Ds);
        }
        else if (source.NamespaceURI.Length == 0)
        {
            copy = target.CreateElement(source.LocalName);
        }
        else
        {
            copy = target.CreateElement(prefixes.ByNamespace[source.NamespaceURI], source.LocalName, source.NamespaceURI);
        }
        var childDefaultIsDs = isDs || (defaultIsDs && source.NamespaceURI.Length > 0);
        foreach (XmlAttribute attribute in source.Attributes)
        {
            if (attribute.NamespaceURI == OadrNamespaces.Xmlns) continue;
            XmlAttribute copied;
            if (attribute.NamespaceURI.Length == 0)
            {
                copied = target.CreateAttribute(attribute.LocalName);
            }
            else if (attribute.NamespaceURI == XmlNamespace)
            {
                copied = target.CreateAttribute("xml", attribute.LocalName, XmlNamespace);
            }
            else
            {
                copied = target.CreateAttribute(prefixes.ByNamespace[attribute.NamespaceURI], attribute.LocalName, attribute.NamespaceURI);
            }
            copied.Value = attribute.Value;
            copy.Attributes.Append(copied);
        }
        // Declarations after the attributes, where an XmlWriter puts the ones it adds.
        if (isDs && !defaultIsDs)
        {
            copy.SetAttribute("xmlns", OadrNamespaces.Ds);
        }
        else if (source.NamespaceURI.Length == 0 && defaultIsDs)
        {
            // Inside a signature the default namespace is ds: an element in no namespace undeclares it.
            copy.SetAttribute("xmlns", "");
        }
        for (var child = source.FirstChild; child is not null; child = child.NextSibling)
        {
            XmlNode? node = child switch
            {
                XmlElement e => CopyElement(target, e, prefixes, childDefaultIsDs),
                // A CDATA section is character data to Canonical XML; a relay may write it either way.
                XmlCDataSection c => target.CreateTextNode(c.Value),
                XmlText t => target.CreateTextNode(t.Value),
                XmlSignificantWhitespace s => target.CreateSignificantWhitespace(s.Value),
                XmlWhitespace w => target.CreateWhitespace(w.Value),
                XmlComment c => target.CreateComment(c.Value),
                XmlProcessingInstruction p => target.CreateProcessingInstruction(p.Target, p.Data),
                _ => null,
            };
            if (node is not null) copy.AppendChild(node);
        }
        return copy;
    }
}
