using System.Security;
using System.Text;
using System.Xml;

namespace FlexCoop.Xmpp.Internal;

/// <summary>An element serialised by the caller, checked and framed in a stanza without being parsed into a tree.</summary>
internal static class RawPayload
{
    /// <summary>
    /// The element itself (declaration, byte order mark and surrounding white space cut off), after
    /// checking it is one well-formed element as RFC 6120 §11.1 allows in a stream.
    /// </summary>
    /// <exception cref="ArgumentException">Anything else.</exception>
    public static ReadOnlyMemory<byte> Checked(ReadOnlyMemory<byte> payload, int maxBytes, int maxDepth)
    {
        var element = Trim(payload);
        if (element.Length == 0)
        {
            throw new ArgumentException("the payload is empty", nameof(payload));
        }
        if (element.Length > maxBytes)
        {
            throw new ArgumentException($"the payload is {element.Length} bytes, over the {maxBytes}-byte stanza limit", nameof(payload));
        }
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersFromEntities = 0,
            ConformanceLevel = ConformanceLevel.Document,
            CloseInput = true,
        };
        try
        {
            using var reader = XmlReader.Create(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(element, out var segment)
                ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
                : new MemoryStream(element.ToArray(), writable: false), settings);
            while (reader.Read())
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Comment:
                    case XmlNodeType.ProcessingInstruction:
                    case XmlNodeType.XmlDeclaration:
                        throw new ArgumentException($"the payload holds a {reader.NodeType}, which an XMPP stream must not carry", nameof(payload));
                    case XmlNodeType.Element when reader.Depth >= maxDepth:
                        throw new ArgumentException($"the payload is nested deeper than {maxDepth}", nameof(payload));
                }
            }
        }
        catch (XmlException e)
        {
            throw new ArgumentException($"the payload is not one well-formed element: {e.Message}", nameof(payload), e);
        }
        return element;
    }

    /// <summary><c>&lt;iq type=.. to=.. id=..&gt;</c>, the element, <c>&lt;/iq&gt;</c>.</summary>
    public static byte[] Iq(Jid? to, string type, string id, ReadOnlySpan<byte> element)
    {
        var head = new StringBuilder(128).Append("<iq xmlns='jabber:client' type='").Append(type).Append('\'');
        if (to is not null)
        {
            head.Append(" to='").Append(SecurityElement.Escape(to.ToString())).Append('\'');
        }
        head.Append(" id='").Append(SecurityElement.Escape(id)).Append("'>");
        var headBytes = Encoding.UTF8.GetBytes(head.ToString());
        var bytes = new byte[headBytes.Length + element.Length + 5];
        headBytes.CopyTo(bytes, 0);
        element.CopyTo(bytes.AsSpan(headBytes.Length));
        "</iq>"u8.CopyTo(bytes.AsSpan(headBytes.Length + element.Length));
        return bytes;
    }

    private static ReadOnlyMemory<byte> Trim(ReadOnlyMemory<byte> payload)
    {
        var span = payload.Span;
        var start = span.StartsWith("\uFEFF"u8) ? 3 : 0;
        start = SkipSpace(span, start);
        if (span[start..].StartsWith("<?xml"u8))
        {
            var end = span[start..].IndexOf("?>"u8);
            if (end < 0)
            {
                throw new ArgumentException("the payload's XML declaration is not closed", nameof(payload));
            }
            start = SkipSpace(span, start + end + 2);
        }
        var last = span.Length;
        while (last > start && IsSpace(span[last - 1]))
        {
            last--;
        }
        return payload[start..last];
    }

    private static int SkipSpace(ReadOnlySpan<byte> span, int i)
    {
        while (i < span.Length && IsSpace(span[i]))
        {
            i++;
        }
        return i;
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
}
