using System.Text;

namespace FlexCoop.Saref.Rdf.Internal;

internal static class BoundedText
{
    /// <summary>Reads all text, throwing <see cref="RdfParseException"/> past <paramref name="maxCharacters"/>.</summary>
    public static async Task<string> ReadAsync(TextReader reader, int maxCharacters, CancellationToken cancellationToken)
    {
        var sb = new StringBuilder();
        var buffer = new char[16384];
        while (true)
        {
            var n = await reader.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
            if (n == 0) return sb.ToString();
            if (sb.Length + n > maxCharacters)
            {
                throw new RdfParseException($"document is longer than the limit of {maxCharacters} characters", 1, 1);
            }
            sb.Append(buffer, 0, n);
        }
    }
}
