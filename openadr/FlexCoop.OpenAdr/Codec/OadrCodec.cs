using System.Buffers;
using System.Text;
using System.Xml;
using FlexCoop.OpenAdr.Codec.Internal;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Xml;

namespace FlexCoop.OpenAdr.Codec;

/// <summary>
/// Reads and writes OpenADR 2.0b XML. Parsing is streaming (<see cref="XmlReader"/>), strict about the
/// schema's element order, cardinality and simple types, and safe on hostile input: DTDs are refused,
/// nothing is ever resolved, size and depth are bounded. Every failure is an <see cref="OadrFormatException"/>
/// whose <see cref="OadrFormatException.Rule"/> is <c>xml</c> (not well-formed), <c>dtd</c>, <c>limits</c> or
/// <c>xsd</c> (not what the schema allows), with the element path and line.
/// </summary>
/// <remarks>
/// The codec checks structure and values but not everything an XSD validator does (e.g. uniqueness of
/// XML IDs); validate against the official schema set for that. Paths are written
/// <c>/oadrPayload/oadrSignedObject/oadrDistributeEvent/oadrEvent[2]/eiEvent/eventDescriptor/eventID</c>: local
/// names, with a 1-based index on elements that may repeat.
/// </remarks>
public static class OadrCodec
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Parses a document from its bytes (encoding from the XML declaration or byte order mark, UTF-8 by default).</summary>
    /// <exception cref="OadrFormatException">The bytes are not a valid OpenADR 2.0b message.</exception>
    public static OadrDocument Parse(ReadOnlySpan<byte> xml, OadrXmlLimits? limits = null)
    {
        var rented = ArrayPool<byte>.Shared.Rent(Math.Max(xml.Length, 1));
        try
        {
            xml.CopyTo(rented);
            using var stream = new MemoryStream(rented, 0, xml.Length, writable: false);
            return Parse(stream, limits);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Parses a document from a stream (read to the end of the document; not closed).</summary>
    /// <exception cref="OadrFormatException">The content is not a valid OpenADR 2.0b message.</exception>
    /// <remarks>An <see cref="IOException"/> from the stream itself is not caught.</remarks>
    public static OadrDocument Parse(Stream xml, OadrXmlLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(xml);
        return ParseCore(settings => XmlReader.Create(xml, settings), limits);
    }

    /// <summary>Parses a document from text.</summary>
    /// <exception cref="OadrFormatException">The text is not a valid OpenADR 2.0b message.</exception>
    public static OadrDocument Parse(string xml, OadrXmlLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(xml);
        return ParseCore(settings => XmlReader.Create(new StringReader(xml), settings), limits);
    }

    /// <summary>Parses and returns only the message.</summary>
    /// <exception cref="OadrFormatException">The bytes are not a valid OpenADR 2.0b message.</exception>
    public static OadrMessage ParseMessage(ReadOnlySpan<byte> xml, OadrXmlLimits? limits = null) => Parse(xml, limits).Message;

    private static OadrDocument ParseCore(Func<XmlReaderSettings, XmlReader> create, OadrXmlLimits? limits)
    {
        limits = (limits ?? OadrXmlLimits.Default).Validated();
        var settings = limits.CreateReaderSettings();
        settings.NameTable = new OadrNameTable();
        OadrMessageReader? reader = null;
        try
        {
            using var xml = create(settings);
            reader = new OadrMessageReader(xml, limits);
            return reader.ReadDocument();
        }
        catch (OadrFormatException)
        {
            throw;
        }
        catch (XmlException ex)
        {
            var path = reader?.PathString(null) ?? "";
            var rule = ex.Message.Contains("DTD", StringComparison.Ordinal) ? "dtd"
                : ex.Message.Contains("MaxCharactersInDocument", StringComparison.Ordinal) ? "limits"
                : "xml";
            var message = rule switch
            {
                "dtd" => "a DTD (DOCTYPE) is not allowed",
                "limits" => $"the document is longer than {limits.MaxCharacters} characters",
                _ => ex.Message,
            };
            throw new OadrFormatException(rule, path, message, ex.LineNumber, ex.LinePosition, ex);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException or InvalidOperationException
                                       or DecoderFallbackException or NotSupportedException)
        {
            // XmlReader reports some encoding problems with these; they are malformed input all the same.
            throw new OadrFormatException("xml", reader?.PathString(null) ?? "", ex.Message, 0, 0, ex);
        }
    }

    /// <summary>Writes <paramref name="message"/> as UTF-8 to <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException">The model holds something XML cannot carry (e.g. a control character in a string).</exception>
    public static void Serialize(OadrMessage message, IBufferWriter<byte> output, OadrSerializerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        Serialize(message, new BufferWriterStream(output), options);
    }

    /// <summary>Writes <paramref name="message"/> as UTF-8 to <paramref name="output"/> (not closed).</summary>
    /// <exception cref="ArgumentException">
    /// The model holds something XML cannot carry (e.g. a control character in a string) or a required value is null.
    /// </exception>
    public static void Serialize(OadrMessage message, Stream output, OadrSerializerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(output);
        options ??= OadrSerializerOptions.Default;
        using var writer = XmlWriter.Create(output, WriterSettings(options));
        try
        {
            new OadrMessageWriter(writer).WriteDocument(message, options);
        }
        catch (NullReferenceException ex)
        {
            // A required property left null (object initialisers cannot always enforce 'required').
            throw new ArgumentException("the message lacks a required value: a required property is null", nameof(message), ex);
        }
    }

    /// <summary>The message as UTF-8 bytes.</summary>
    public static byte[] SerializeToUtf8Bytes(OadrMessage message, OadrSerializerOptions? options = null)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        Serialize(message, buffer, options);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The message as text (its XML declaration, if any, says UTF-8: encode it so when storing it).</summary>
    public static string SerializeToString(OadrMessage message, OadrSerializerOptions? options = null)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        Serialize(message, buffer, options);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static readonly XmlWriterSettings[] Settings =
    [
        MakeSettings(indent: false, declaration: false),
        MakeSettings(indent: false, declaration: true),
        MakeSettings(indent: true, declaration: false),
        MakeSettings(indent: true, declaration: true),
    ];

    private static XmlWriterSettings WriterSettings(OadrSerializerOptions options) =>
        Settings[(options.Indent ? 2 : 0) + (options.XmlDeclaration ? 1 : 0)];

    private static XmlWriterSettings MakeSettings(bool indent, bool declaration) => new()
    {
        Encoding = Utf8NoBom,
        Indent = indent,
        IndentChars = "  ",
        NewLineChars = "\n",
        OmitXmlDeclaration = !declaration,
        CloseOutput = false,
        CheckCharacters = true,
        // Carriage returns in values survive a round trip only as character references.
        NewLineHandling = NewLineHandling.Entitize,
    };
}
