using System.Buffers;
using System.Text;
using System.Xml;
using FlexCoop.Usef.Internal;
using FlexCoop.Xml.Internal;

namespace FlexCoop.Usef.Xml;

/// <summary>A parsed UFTP document: either a signed envelope or a bare payload message.</summary>
/// <param name="Signed">The envelope, when the root is <c>SignedMessage</c>.</param>
/// <param name="Payload">The message, when the root is a payload message.</param>
public sealed record UftpDocument(SignedMessage? Signed, PayloadMessage? Payload);

/// <summary>
/// The UFTP 3.1 XML codec: pure and synchronous, reading with the UTF-8 pull tokenizer it shares with
/// FlexCoop.OpenAdr (no <see cref="XmlReader"/>, no string per element or path) and writing with
/// <see cref="XmlWriter"/>, element and attribute names exactly as the XSDs spell them. DTDs are refused, nothing is
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
    public static PayloadMessage Parse(string xml, UftpXmlLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(xml);
        limits ??= UftpXmlLimits.Default;
        byte[]? rented = null;
        try
        {
            // The characters are decoded already: the declaration's encoding label is not checked.
            var doc = ParseUtf8(Utf8XmlInput.FromString(xml, limits.MaxBytes, out rented), limits, anyEncodingLabel: true);
            return doc.Payload ?? throw new UftpFormatException("xsd", "/SignedMessage", "expected a payload message, found a SignedMessage envelope");
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

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
        byte[]? rented = null;
        try
        {
            // UTF-8 is read as it is; UTF-16 and the other encodings .NET knows are transcoded first.
            var utf8 = Utf8XmlInput.ToUtf8(xml.Span, limits.MaxBytes, out rented, out var transcoded);
            return ParseUtf8(utf8, limits, transcoded);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static UftpDocument ParseUtf8(ReadOnlySpan<byte> utf8, UftpXmlLimits limits, bool anyEncodingLabel)
    {
        var input = new XmlInput(utf8, limits, anyEncodingLabel);
        try
        {
            var root = input.ReadRoot();
            var doc = root == "SignedMessage"
                ? new UftpDocument(ReadSignedMessage(ref input), null)
                : new UftpDocument(null, ReadPayload(ref input, root));
            input.ReadEnd();
            return doc;
        }
        finally
        {
            input.Dispose();
        }
    }

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
