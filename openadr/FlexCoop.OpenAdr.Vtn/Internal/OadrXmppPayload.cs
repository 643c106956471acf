using System.Text;
using System.Xml;
using System.Xml.Linq;
using FlexCoop.OpenAdr.Xml;

namespace FlexCoop.OpenAdr.Vtn.Internal;

/// <summary>
/// The OpenADR 2.0b XMPP binding's payload: the <c>oadrPayload</c> element (the same document an
/// HTTP body carries) as the one child of an IQ stanza.
/// </summary>
internal static class OadrXmppPayload
{
    /// <summary>The XMPP feature (XEP-0030) and IQ payload namespace: the 2.0b schema namespace.</summary>
    public const string Namespace = "http://openadr.org/oadr-2.0b/2012/07";

    public static readonly XName Name = XName.Get("oadrPayload", Namespace);

    public static byte[] ToBytes(XElement payload) => Encoding.UTF8.GetBytes(payload.ToString(SaveOptions.DisableFormatting));

    /// <summary>A serialised OpenADR document as an element for a stanza (DTDs refused, bounded).</summary>
    public static XElement ToXElement(byte[] document, long maxCharacters)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = maxCharacters,
            MaxCharactersFromEntities = 0,
        };
        using var reader = XmlReader.Create(new MemoryStream(document), settings);
        try
        {
            return XElement.Load(reader, LoadOptions.PreserveWhitespace);
        }
        catch (XmlException ex)
        {
            throw new OadrFormatException("xml", "", $"not a readable XML document: {ex.Message}", inner: ex);
        }
    }
}
