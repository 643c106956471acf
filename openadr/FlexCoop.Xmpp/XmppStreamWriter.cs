using System.Buffers;
using System.Security;
using System.Text;
using System.Xml.Linq;

namespace FlexCoop.Xmpp;

/// <summary>
/// Writes the client side of an XMPP stream (RFC 6120 §4.2): the opening header, top-level
/// elements and the closing tag, as UTF-8. Pure and synchronous.
/// </summary>
public static class XmppStreamWriter
{
    /// <summary>The <c>&lt;stream:stream&gt;</c> header a client sends to <paramref name="to"/>.</summary>
    public static void WriteHeader(IBufferWriter<byte> output, string to, string? from = null, string lang = "en")
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(to);
        var sb = new StringBuilder(256);
        sb.Append("<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0' to='")
            .Append(SecurityElement.Escape(to)).Append('\'');
        if (from is not null)
        {
            sb.Append(" from='").Append(SecurityElement.Escape(from)).Append('\'');
        }
        sb.Append(" xml:lang='").Append(SecurityElement.Escape(lang)).Append("'>");
        Encoding.UTF8.GetBytes(sb.ToString(), output);
    }

    /// <summary>One top-level element (a stanza or a nonza) without formatting.</summary>
    public static void WriteElement(IBufferWriter<byte> output, XElement element)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(element);
        Encoding.UTF8.GetBytes(element.ToString(SaveOptions.DisableFormatting | SaveOptions.OmitDuplicateNamespaces), output);
    }

    /// <summary>One top-level element as UTF-8 bytes, without formatting (what <see cref="WriteElement"/> writes).</summary>
    public static byte[] ToUtf8(XElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        return Encoding.UTF8.GetBytes(element.ToString(SaveOptions.DisableFormatting | SaveOptions.OmitDuplicateNamespaces));
    }

    /// <summary>The closing <c>&lt;/stream:stream&gt;</c>.</summary>
    public static void WriteClose(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write("</stream:stream>"u8);
    }
}
