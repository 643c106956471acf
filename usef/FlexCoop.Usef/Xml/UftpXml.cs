using System.Text;
using System.Xml;
using FlexCoop.Usef.Internal;

namespace FlexCoop.Usef.Xml;

/// <summary>A parsed UFTP document: either a signed envelope or a bare payload message.</summary>
/// <param name="Signed">The envelope, when the root is <c>SignedMessage</c>.</param>
/// <param name="Payload">The message, when the root is a payload message.</param>
public sealed record UftpDocument(SignedMessage? Signed, PayloadMessage? Payload);

/// <summary>
/// The UFTP 3.1 XML codec: pure and synchronous, <see cref="XmlReader"/>/<see cref="XmlWriter"/>
/// based, element and attribute names exactly as the XSDs spell them. DTDs are refused, nothing is
/// resolved, sizes and depth are bounded; every failure is a <see cref="UftpFormatException"/>.
/// </summary>
public static partial class UftpXml
{
    /// <summary>Parses a payload message (any root but <c>SignedMessage</c>).</summary>
    public static PayloadMessage Parse(ReadOnlyMemory<byte> xml, UftpXmlLimits? limits = null)
    {
        var doc = ParseDocument(xml, limits);
        return doc.Payload ?? throw new UftpFormatException("xsd", "/SignedMessage", "expected a payload message, found a SignedMessage envelope");
    }

    /// <summary>Parses a payload message from a string.</summary>
    public static PayloadMessage Parse(string xml, UftpXmlLimits? limits = null) => Parse(Encoding.UTF8.GetBytes(xml), limits);

    /// <summary>Parses a <c>SignedMessage</c> envelope.</summary>
    public static SignedMessage ParseSignedMessage(ReadOnlyMemory<byte> xml, UftpXmlLimits? limits = null)
    {
        limits ??= UftpXmlLimits.Default;
        // The plain form straight from the bytes; anything unusual goes through the full reader.
        if (xml.Length <= limits.MaxBytes && SignedMessageFastPath.TryRead(xml.Span, limits.MaxAttributeCharacters) is { } plain) return plain;
        var doc = ParseDocument(xml, limits);
        return doc.Signed ?? throw new UftpFormatException("xsd", "/" + UftpMessageTypes.Get(doc.Payload!.MessageType).ElementName, "expected a SignedMessage envelope");
    }

    /// <summary>Parses either form.</summary>
    public static UftpDocument ParseDocument(ReadOnlyMemory<byte> xml, UftpXmlLimits? limits = null)
    {
        limits ??= UftpXmlLimits.Default;
        if (xml.Length > limits.MaxBytes)
        {
            throw new UftpFormatException("limits", "", $"message of {xml.Length} bytes is larger than the limit of {limits.MaxBytes}");
        }
        using var stream = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(xml, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(xml.ToArray(), writable: false);
        return ParseDocument(stream, limits);
    }

    private static UftpDocument ParseDocument(Stream stream, UftpXmlLimits limits)
    {
        try
        {
            using var reader = XmlReader.Create(stream, ReaderSettings(limits));
            var input = new XmlInput(reader, limits);
            var root = input.ReadRoot();
            UftpDocument doc;
            if (root == "SignedMessage")
            {
                doc = new UftpDocument(ReadSignedMessage(input), null);
            }
            else
            {
                doc = new UftpDocument(null, ReadPayload(input, root));
            }
            input.ReadEnd();
            return doc;
        }
        catch (XmlException ex)
        {
            var rule = ex.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase) ? "dtd"
                : ex.Message.Contains("MaxCharacters", StringComparison.OrdinalIgnoreCase) || ex.Message.Contains("exceeds", StringComparison.OrdinalIgnoreCase) ? "limits"
                : "xml";
            throw new UftpFormatException(rule, "", ex.Message, ex.LineNumber, ex);
        }
        catch (DecoderFallbackException ex)
        {
            throw new UftpFormatException("xml", "", "invalid character encoding: " + ex.Message, 0, ex);
        }
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<UftpXmlLimits, XmlReaderSettings> Settings = new();

    /// <summary>Reader settings are immutable once used: one instance per limits object.</summary>
    private static XmlReaderSettings ReaderSettings(UftpXmlLimits limits) => Settings.GetValue(limits, l => l.CreateReaderSettings());

    /// <summary>Serialises a payload message as UTF-8 XML with a declaration.</summary>
    public static byte[] Serialize(PayloadMessage message, bool indent = false)
    {
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, WriterSettings(indent)))
        {
            writer.WriteStartDocument();
            Write(writer, message);
            writer.WriteEndDocument();
        }
        return stream.ToArray();
    }

    /// <summary>Serialises a <c>SignedMessage</c> envelope as UTF-8 XML with a declaration.</summary>
    public static byte[] Serialize(SignedMessage message)
    {
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, WriterSettings(false)))
        {
            writer.WriteStartDocument();
            Write(writer, message);
            writer.WriteEndDocument();
        }
        return stream.ToArray();
    }

    private static XmlWriterSettings WriterSettings(bool indent) => new()
    {
        Encoding = new UTF8Encoding(false),
        Indent = indent,
        CloseOutput = false,
    };
}
