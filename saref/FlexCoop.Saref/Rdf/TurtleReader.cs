using FlexCoop.Saref.Rdf.Internal;

namespace FlexCoop.Saref.Rdf;

/// <summary>
/// Reads Turtle (W3C RDF 1.1 Turtle): <c>@prefix</c>/<c>PREFIX</c>, <c>@base</c>/<c>BASE</c>,
/// prefixed names with escapes, <c>a</c>, <c>;</c> and <c>,</c> lists, <c>[ ]</c> blank node
/// property lists, <c>( )</c> collections, all four string forms with escapes, language tags,
/// datatypes, numeric and boolean shorthands, and comments. Errors are
/// <see cref="RdfParseException"/>s with line and column.
/// </summary>
public static class TurtleReader
{
    /// <summary>Parses a Turtle document. Relative IRIs resolve against <c>@base</c>, else <paramref name="baseIri"/>; with neither they are an error.</summary>
    public static RdfGraph Parse(string text, string? baseIri = null, RdfReaderLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new TurtleParser(text, ntriples: false, baseIri, (limits ?? RdfReaderLimits.Default).Validated()).Parse();
    }

    /// <summary>Reads a Turtle document from <paramref name="reader"/>, refusing more than the limit's characters.</summary>
    public static async Task<RdfGraph> ParseAsync(TextReader reader, string? baseIri = null, RdfReaderLimits? limits = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        limits = (limits ?? RdfReaderLimits.Default).Validated();
        var text = await BoundedText.ReadAsync(reader, limits.MaxCharacters, cancellationToken).ConfigureAwait(false);
        return Parse(text, baseIri, limits);
    }
}

/// <summary>
/// Reads N-Triples (W3C RDF 1.1 N-Triples) strictly: one triple per line, absolute IRIs,
/// <c>_:</c> labels, <c>"..."</c> literals with <c>@lang</c> or <c>^^&lt;iri&gt;</c>, comments.
/// </summary>
public static class NTriplesReader
{
    /// <summary>Parses an N-Triples document.</summary>
    public static RdfGraph Parse(string text, RdfReaderLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new TurtleParser(text, ntriples: true, null, (limits ?? RdfReaderLimits.Default).Validated()).Parse();
    }

    /// <summary>Reads an N-Triples document from <paramref name="reader"/>, refusing more than the limit's characters.</summary>
    public static async Task<RdfGraph> ParseAsync(TextReader reader, RdfReaderLimits? limits = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        limits = (limits ?? RdfReaderLimits.Default).Validated();
        var text = await BoundedText.ReadAsync(reader, limits.MaxCharacters, cancellationToken).ConfigureAwait(false);
        return Parse(text, limits);
    }
}
