// Compiled into FlexCoop.OpenAdr and FlexCoop.Usef beside Utf8XmlTokenizer; each package gives the two errors
// (Refused, TooLong) as its own exception type.
using System.Buffers;
using System.Text;

namespace FlexCoop.Xml.Internal;

/// <summary>
/// Turns a document in whatever form it came (bytes, a stream, a string) into the UTF-8 bytes
/// <see cref="Utf8XmlTokenizer"/> reads. UTF-8 bytes (with or without byte order mark) are used as they are.
/// UTF-16 (by byte order mark, or <c>&lt;?</c> in UTF-16 without one) and single-byte encodings .NET knows
/// (<c>ISO-8859-1</c>, <c>US-ASCII</c>, and whatever an application registers through
/// <see cref="Encoding.RegisterProvider"/>) named by the XML declaration are decoded strictly and re-encoded
/// as UTF-8 first. UTF-32 and unknown encodings are refused with rule <c>xml</c>.
/// </summary>
internal static partial class Utf8XmlInput
{
    /// <summary>The UTF-8 byte order mark, EF BB BF.</summary>
    public static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The document as UTF-8. When it had to be transcoded, <paramref name="rented"/> holds the pooled buffer behind
    /// the result (return it to <see cref="ArrayPool{T}.Shared"/>) and <paramref name="transcoded"/> is true.
    /// </summary>
    /// <remarks>Fails with the package's format exception: rule <c>xml</c> (encoding unsupported or bytes invalid in it) or <c>limits</c>.</remarks>
    public static ReadOnlySpan<byte> ToUtf8(ReadOnlySpan<byte> bytes, long maxCharacters, out byte[]? rented, out bool transcoded)
    {
        rented = null;
        transcoded = false;
        // No supported encoding takes more than 4 bytes per character: anything longer is over the limit unread.
        if (bytes.Length / 4 > maxCharacters) throw TooLong(maxCharacters);
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0, 0, 0xFE, 0xFF]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0, 0])
            || bytes.StartsWith((ReadOnlySpan<byte>)[0, 0, 0, (byte)'<']) || bytes.StartsWith((ReadOnlySpan<byte>)[(byte)'<', 0, 0, 0]))
        {
            throw Refused("UTF-32 documents are not supported: send UTF-8 (or UTF-16)");
        }
        bool? bigEndian = null;
        var skip = 0;
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) (bigEndian, skip) = (true, 2);
        else if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])) (bigEndian, skip) = (false, 2);
        else if (bytes.StartsWith((ReadOnlySpan<byte>)[0, (byte)'<', 0, (byte)'?'])) bigEndian = true;
        else if (bytes.StartsWith((ReadOnlySpan<byte>)[(byte)'<', 0, (byte)'?', 0])) bigEndian = false;
        if (bigEndian is { } be)
        {
            string text;
            try
            {
                text = new UnicodeEncoding(be, byteOrderMark: false, throwOnInvalidBytes: true).GetString(bytes[skip..]);
            }
            catch (DecoderFallbackException)
            {
                throw Refused("the bytes are not valid UTF-16");
            }
            var utf8 = FromString(text, maxCharacters, out rented);
            transcoded = true;
            var label = SniffEncodingLabel(utf8);
            if (!label.IsEmpty && !IsUtf16Label(label))
            {
                throw Refused($"the document is UTF-16 but its XML declaration says encoding '{Encoding.ASCII.GetString(label)}'");
            }
            return utf8;
        }
        var declared = SniffEncodingLabel(bytes);
        if (declared.IsEmpty || IsUtf8Label(declared) || bytes.StartsWith(Utf8Bom))
        {
            // A UTF-8 byte order mark with another label is left for the tokenizer to refuse.
            return bytes;
        }
        var encoding = TryGetEncoding(declared) ?? throw Refused($"encoding '{Encoding.ASCII.GetString(declared)}' is not supported: send UTF-8");
        if (encoding.CodePage is 1200 or 1201 or 12000 or 12001)
        {
            throw Refused($"the XML declaration says encoding '{Encoding.ASCII.GetString(declared)}' but the document has no byte order mark for it");
        }
        string decoded;
        try
        {
            decoded = encoding.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Refused($"the bytes are not valid {encoding.WebName}");
        }
        transcoded = true;
        return FromString(decoded, maxCharacters, out rented);
    }

    /// <summary>A string as UTF-8 (a leading U+FEFF dropped); <paramref name="rented"/> is the pooled buffer behind it.</summary>
    public static ReadOnlySpan<byte> FromString(string text, long maxCharacters, out byte[]? rented)
    {
        rented = null;
        var chars = text.AsSpan();
        if (chars.Length > 0 && chars[0] == '\uFEFF') chars = chars[1..];
        if (chars.Length > maxCharacters) throw TooLong(maxCharacters);
        int count;
        try
        {
            count = StrictUtf8.GetByteCount(chars);
        }
        catch (EncoderFallbackException)
        {
            throw Refused("the text holds a lone surrogate, which is not a character");
        }
        rented = ArrayPool<byte>.Shared.Rent(Math.Max(count, 1));
        var written = StrictUtf8.GetBytes(chars, rented);
        return rented.AsSpan(0, written);
    }

    /// <summary>Reads <paramref name="stream"/> to its end into a pooled buffer (returned through <paramref name="rented"/>).</summary>
    public static ReadOnlySpan<byte> ReadToEnd(Stream stream, long maxCharacters, out byte[] rented)
    {
        var max = (long)Math.Min(Array.MaxLength, Math.Min(maxCharacters, int.MaxValue) * 4L);
        rented = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var length = 0;
        while (true)
        {
            if (length == rented.Length)
            {
                if (length >= max) throw TooLong(maxCharacters);
                var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(max, rented.Length * 2L));
                rented.AsSpan(0, length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(rented);
                rented = bigger;
            }
            var n = stream.Read(rented, length, rented.Length - length);
            if (n == 0) break;
            length += n;
            if (length > max) throw TooLong(maxCharacters);
        }
        return rented.AsSpan(0, length);
    }

    /// <summary>True for a label that names UTF-8 (<c>UTF-8</c> in any case, or an alias .NET maps to it).</summary>
    public static bool IsUtf8Label(ReadOnlySpan<byte> label) =>
        Ascii.EqualsIgnoreCase(label, "UTF-8"u8) || TryGetEncoding(label)?.CodePage == 65001;

    private static bool IsUtf16Label(ReadOnlySpan<byte> label) =>
        Ascii.EqualsIgnoreCase(label, "UTF-16"u8) || TryGetEncoding(label)?.CodePage is 1200 or 1201;

    private static Encoding? TryGetEncoding(ReadOnlySpan<byte> label)
    {
        if (label.IsEmpty || !Ascii.IsValid(label)) return null;
        try
        {
            return Encoding.GetEncoding(Encoding.ASCII.GetString(label), EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// The <c>encoding</c> value of an XML declaration at the start of <paramref name="bytes"/>, or empty. Lenient: a
    /// declaration it misreads is refused by the tokenizer anyway.
    /// </summary>
    internal static ReadOnlySpan<byte> SniffEncodingLabel(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith(Utf8Bom)) bytes = bytes[3..];
        if (!bytes.StartsWith("<?xml"u8)) return default;
        var head = bytes[..Math.Min(bytes.Length, 512)];
        var end = head.IndexOf("?>"u8);
        if (end < 0) return default;
        head = head[..end];
        var at = head.IndexOf("encoding"u8);
        if (at < 0) return default;
        var rest = head[(at + 8)..].TrimStart(" \t\r\n"u8);
        if (rest.IsEmpty || rest[0] != '=') return default;
        rest = rest[1..].TrimStart(" \t\r\n"u8);
        if (rest.IsEmpty || rest[0] is not ((byte)'"' or (byte)'\'')) return default;
        var close = rest[1..].IndexOf(rest[0]);
        return close < 0 ? default : rest.Slice(1, close);
    }

    /// <summary>The package's format error, rule <c>xml</c>, for an encoding refused.</summary>
    private static partial Exception Refused(string message);

    /// <summary>The package's format error, rule <c>limits</c>, for a document over <paramref name="maxCharacters"/>.</summary>
    private static partial Exception TooLong(long maxCharacters);
}
