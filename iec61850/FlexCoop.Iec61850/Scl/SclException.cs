namespace FlexCoop.Iec61850.Scl;

/// <summary>
/// An SCL file that cannot be read at all: not well-formed XML, a DTD or entity, a size, depth or
/// expansion limit exceeded, or a root element that is not <c>SCL</c>. A file that is readable
/// but wrong (an unknown type, a dangling FCDA) is not an exception: it gives
/// <see cref="SclDiagnostic"/>s and a partial model.
/// </summary>
public sealed class SclException : Iec61850Exception
{
    public SclException(string rule, string message, int line = 0, int column = 0, Exception? inner = null)
        : base(Compose(rule, message, line, column), inner)
    {
        Rule = rule;
        Detail = message;
        Line = line;
        Column = column;
    }

    /// <summary>
    /// The rule broken: <c>xml</c> (not well-formed), <c>dtd</c> (DTDs and entities are refused),
    /// <c>limits</c> (size, depth, token length or instance count bound) or <c>scl</c> (not an SCL document).
    /// </summary>
    public string Rule { get; }

    /// <summary>The message without rule and position.</summary>
    public string Detail { get; }

    /// <summary>1-based line where known, else 0.</summary>
    public int Line { get; }

    /// <summary>1-based column where known, else 0.</summary>
    public int Column { get; }

    private static string Compose(string rule, string message, int line, int column) =>
        line > 0 ? $"{rule}: {message} (line {line}, column {column})" : $"{rule}: {message}";
}
