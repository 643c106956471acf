using System.Buffers;
using System.Text;
using System.Xml;
using FlexCoop.OpenAdr.Codec.Internal;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Xml;
using FlexCoop.Xml.Internal;

namespace FlexCoop.OpenAdr.Codec;

/// <summary>
/// Reads and writes OpenADR 2.0b XML. Parsing runs on the package's own UTF-8 pull tokenizer (no
/// <see cref="XmlReader"/>, no DOM), strict about the schema's element order, cardinality and simple types, and
/// safe on hostile input: DTDs and entity declarations are refused, nothing is ever resolved, size, depth, names,
/// attributes and text are bounded by <see cref="OadrXmlLimits"/>. Every failure is an <see cref="OadrFormatException"/>
/// whose <see cref="OadrFormatException.Rule"/> is <c>xml</c> (not well-formed), <c>dtd</c>, <c>limits</c> or
/// <c>xsd</c> (not what the schema allows), with the element path and line.
/// </summary>
/// <remarks>
/// <para>
/// The codec checks structure and values but not everything an XSD validator does (e.g. uniqueness of
/// XML IDs); validate against the official schema set for that. Paths are written as the schema validator writes
/// them, with the prefixes of the document and a 1-based position on an element that is not the first of its name
/// among its siblings: <c>/oadr:oadrPayload/oadr:oadrSignedObject/oadr:oadrDistributeEvent/oadr:oadrEvent[2]/ei:eiEvent/ei:eventDescriptor/ei:eventID</c>.
/// </para>
/// <para>
/// Input is UTF-8 (the declaration may be absent or say UTF-8). UTF-16 with a byte order mark and single-byte
/// encodings .NET knows (ISO-8859-1, US-ASCII) are transcoded to UTF-8 first; other encodings are refused (rule
/// <c>xml</c>). A string's declaration is not checked: its characters are already decoded.
/// </para>
/// </remarks>
public static class OadrCodec
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Parses a document from its bytes (UTF-8 by default; UTF-16 with a byte order mark; see the remarks).</summary>
    /// <exception cref="OadrFormatException">The bytes are not a valid OpenADR 2.0b message.</exception>
    public static OadrDocument Parse(ReadOnlySpan<byte> xml, OadrXmlLimits? limits = null)
    {
        limits = (limits ?? OadrXmlLimits.Default).Validated();
        byte[]? rented = null;
        try
        {
            var utf8 = Utf8XmlInput.ToUtf8(xml, limits.MaxCharacters, out rented, out var transcoded);
            return Decode(utf8, limits, transcoded);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Parses a document from a stream (read to its end; not closed).</summary>
    /// <exception cref="OadrFormatException">The content is not a valid OpenADR 2.0b message.</exception>
    /// <remarks>An <see cref="IOException"/> from the stream itself is not caught.</remarks>
    public static OadrDocument Parse(Stream xml, OadrXmlLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(xml);
        limits = (limits ?? OadrXmlLimits.Default).Validated();
        byte[]? buffer = null;
        try
        {
            return Parse(Utf8XmlInput.ReadToEnd(xml, limits.MaxCharacters, out buffer), limits);
        }
        finally
        {
            if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Parses a document from text (its XML declaration's encoding label is not checked).</summary>
    /// <exception cref="OadrFormatException">The text is not a valid OpenADR 2.0b message.</exception>
    public static OadrDocument Parse(string xml, OadrXmlLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(xml);
        limits = (limits ?? OadrXmlLimits.Default).Validated();
        byte[]? rented = null;
        try
        {
            var utf8 = Utf8XmlInput.FromString(xml, limits.MaxCharacters, out rented);
            return Decode(utf8, limits, anyEncodingLabel: true);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Parses and returns only the message.</summary>
    /// <exception cref="OadrFormatException">The bytes are not a valid OpenADR 2.0b message.</exception>
    public static OadrMessage ParseMessage(ReadOnlySpan<byte> xml, OadrXmlLimits? limits = null) => Parse(xml, limits).Message;

    private static OadrDocument Decode(ReadOnlySpan<byte> utf8, OadrXmlLimits limits, bool anyEncodingLabel)
    {
        var reader = new OadrMessageReader(utf8, limits, anyEncodingLabel);
        try
        {
            return reader.ReadDocument();
        }
        finally
        {
            reader.Dispose();
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
