namespace FlexCoop.Saref;

/// <summary>The root of every exception thrown by FlexCoop.Saref.</summary>
public abstract class SarefException : Exception
{
    protected SarefException(string message) : base(message) { }

    protected SarefException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>
/// An RDF document (Turtle or N-Triples) that cannot be read: a syntax error, an undefined
/// prefix, an invalid escape, or a document over the reader's size or nesting limits.
/// <see cref="Line"/> and <see cref="Column"/> (1-based) say where.
/// </summary>
public sealed class RdfParseException : SarefException
{
    public RdfParseException(string message, int line, int column, Exception? inner = null)
        : base($"{message} (line {line}, column {column})", inner)
    {
        Detail = message;
        Line = line;
        Column = column;
    }

    /// <summary>The message without the position.</summary>
    public string Detail { get; }

    /// <summary>1-based line of the error.</summary>
    public int Line { get; }

    /// <summary>1-based column (in UTF-16 code units) of the error.</summary>
    public int Column { get; }
}

/// <summary>
/// An input that cannot be mapped to a SAREF description: a JSON device description that is not
/// well-formed or breaks its schema, or OpenADR report metadata that cannot be read.
/// <see cref="Path"/> names where (a JSON path such as <c>$.devices[2].ratedPowerW</c>, or an XML element path).
/// </summary>
public sealed class SarefMappingException : SarefException
{
    public SarefMappingException(string path, string message, Exception? inner = null)
        : base(path.Length > 0 ? $"{message} (at {path})" : message, inner)
    {
        Path = path;
        Detail = message;
    }

    /// <summary>Where in the input the problem is; empty when the input could not be entered.</summary>
    public string Path { get; }

    /// <summary>The message without the path.</summary>
    public string Detail { get; }
}

/// <summary>
/// A JSON-LD document that cannot be read: not well-formed JSON, a construct the reader does not
/// support (remote contexts, <c>@reverse</c>, named graphs), a term it cannot expand, or a document
/// over the <see cref="Rdf.RdfReaderLimits"/>. <see cref="Path"/> names where (<c>$.@graph[3].saref:hasValue</c>).
/// </summary>
public sealed class JsonLdException : SarefException
{
    public JsonLdException(string path, string message, int line = 0, Exception? inner = null)
        : base($"{message} (at {path}{(line > 0 ? $", line {line}" : "")})", inner)
    {
        Path = path;
        Detail = message;
        Line = line;
    }

    /// <summary>Where in the document, as a JSON path.</summary>
    public string Path { get; }

    /// <summary>The message without the path.</summary>
    public string Detail { get; }

    /// <summary>1-based line for JSON syntax errors, 0 otherwise.</summary>
    public int Line { get; }
}
