using FlexCoop.Usef;

namespace FlexCoop.Xml.Internal;

// What the shared tokenizer (openadr/Shared/Xml, compiled in as source) needs from FlexCoop.Usef: its exception type.
// UFTP elements have no namespace, so no namespace is known beyond xml and xmlns; the codec names the element path
// of its own errors (UftpPath), so a not-well-formed document is reported with its line and an empty path.
internal ref partial struct Utf8XmlTokenizer
{
    private static IEnumerable<string> PackageNamespaces => [];

    private static UftpFormatException CreateException(string rule, string path, string message, int line, int column, Exception? inner) =>
        new(rule, path, column > 0 ? $"{message} (column {column})" : message, line, inner);

    /// <summary>UFTP paths are the codec's (see <see cref="Usef.Internal.UftpPath"/>): none for a tokenizer error.</summary>
    private readonly string DescribePath(int offset, bool element) => "";
}

internal static partial class Utf8XmlInput
{
    private static partial Exception Refused(string message) => new UftpFormatException("xml", "", message);

    private static partial Exception TooLong(long maxCharacters) => new UftpFormatException("limits", "", $"the document is longer than {maxCharacters} characters");
}
