using System.Xml;
using System.Xml.Linq;
using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;

namespace FlexCoop.Xmpp.Tests;

/// <summary>
/// Test helper: an OpenADR 2.0b message as the <c>oadrPayload</c> child of an XMPP stanza,
/// written and read with the OpenADR codec (the XMPP library knows nothing of OpenADR).
/// </summary>
internal static class OadrXmppPayload
{
    public static readonly XName Name = XName.Get("oadrPayload", "http://openadr.org/oadr-2.0b/2012/07");

    public static XElement ToXElement(OadrMessage message)
    {
        var bytes = OadrCodec.SerializeToUtf8Bytes(message);
        using var reader = XmlReader.Create(new MemoryStream(bytes), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        return XElement.Load(reader);
    }

    public static OadrMessage FromStanza(Stanza stanza)
    {
        var payload = stanza.Payload.SingleOrDefault(p => p.Name == Name)
            ?? throw new InvalidOperationException($"the {stanza.Kind} carries no oadrPayload");
        return OadrCodec.ParseMessage(System.Text.Encoding.UTF8.GetBytes(payload.ToString(SaveOptions.DisableFormatting)));
    }
}
