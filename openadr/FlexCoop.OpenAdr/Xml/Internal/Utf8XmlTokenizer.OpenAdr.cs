using System.Text;
using FlexCoop.OpenAdr;
using FlexCoop.OpenAdr.Codec.Internal;
using FlexCoop.OpenAdr.Schema.Internal;
using FlexCoop.OpenAdr.Xml;

namespace FlexCoop.Xml.Internal;

// What the shared tokenizer (openadr/Shared/Xml) needs from FlexCoop.OpenAdr: its limits, namespaces, exception
// type and element paths.
internal ref partial struct Utf8XmlTokenizer
{
    /// <param name="utf8">The document (a UTF-8 byte order mark is skipped).</param>
    /// <param name="limits">Bounds, already validated.</param>
    /// <param name="anyEncodingLabel">True when the bytes were transcoded to UTF-8 by the caller (see the other constructor).</param>
    public Utf8XmlTokenizer(ReadOnlySpan<byte> utf8, OadrXmlLimits limits, bool anyEncodingLabel = false)
        : this(utf8, new Utf8XmlLimits(limits.MaxCharacters, limits.MaxDepth, limits.MaxTokenCharacters, limits.MaxNameCharacters, limits.MaxAttributes), anyEncodingLabel)
    {
    }

    /// <summary>The OpenADR namespaces, resolved to the <see cref="Ns"/> constants (compare by reference).</summary>
    private static IEnumerable<string> PackageNamespaces => Ns.Declared.Select(d => d.Uri).Append(Ns.Ds);

    private static OadrFormatException CreateException(string rule, string path, string message, int line, int column, Exception? inner) =>
        new(rule, path, message, line, column, inner);

    /// <summary>
    /// The prefixed element path (as <see cref="ElementPath"/> writes it) at byte <paramref name="offset"/>: of the
    /// element whose start tag is there when <paramref name="element"/>, else of the innermost element open there.
    /// Found by reading the document again up to that point, so the fast path keeps no path at all.
    /// </summary>
    public readonly string DescribePath(int offset, bool element)
    {
        var path = new ElementPath();
        var again = new Utf8XmlTokenizer(element ? _xml : _xml[..offset], Utf8XmlLimits.Unbounded, anyEncodingLabel: true, describing: true);
        try
        {
            while (again.Read() && again._tokenStart <= offset)
            {
                if (again._kind == XmlTokenKind.StartElement)
                {
                    var name = Encoding.UTF8.GetString(again.QualifiedName);
                    if (again._tokenStart == offset) return path.DescribeChild(name);
                    path.Enter(name, again._isEmpty);
                }
                else if (again._kind == XmlTokenKind.EndElement)
                {
                    path.Leave();
                }
            }
        }
        catch (OadrFormatException)
        {
            // The document breaks down at the offset (the start tag itself is faulty, or the reading stopped there):
            // the path so far stands, with the faulty element's name when there is one.
            if (element && IsTagStart(offset))
            {
                var end = offset + 1;
                while (end < _xml.Length && !IsBlank(_xml[end]) && _xml[end] is not ((byte)'/' or (byte)'>' or Lt)) end++;
                if (end > offset + 1) return path.DescribeChild(Name(offset + 1, end - offset - 1));
            }
        }
        finally
        {
            again.Dispose();
        }
        return path.Describe();
    }

}

internal static partial class Utf8XmlInput
{
    private static partial Exception Refused(string message) => new OadrFormatException("xml", "", message);

    private static partial Exception TooLong(long maxCharacters) => new OadrFormatException("limits", "", $"the document is longer than {maxCharacters} characters");
}
