namespace FlexCoop.OpenAdr;

/// <summary>
/// A message that cannot be read: not well-formed XML, a DTD or entity, over a size or depth
/// limit, an unknown element, elements out of schema order, a value of the wrong type.
/// <see cref="Rule"/> names what it breaks (<c>xml</c>, <c>dtd</c>, <c>limits</c>, <c>xsd</c>),
/// <see cref="Path"/> where (e.g. <c>/oadrPayload/oadrSignedObject/oadrDistributeEvent/oadrEvent[2]/eiEvent</c>).
/// </summary>
public sealed class OadrFormatException : OpenAdrException
{
    public OadrFormatException(string rule, string path, string message, int lineNumber = 0, int linePosition = 0, Exception? inner = null)
        : base(Compose(rule, path, message, lineNumber, linePosition), inner)
    {
        Rule = rule;
        Path = path;
        Detail = message;
        LineNumber = lineNumber;
        LinePosition = linePosition;
    }

    /// <summary>The rule broken: <c>xml</c>, <c>dtd</c>, <c>limits</c> or <c>xsd</c>.</summary>
    public string Rule { get; }

    /// <summary>Where in the message, as an element path; empty when the document could not be entered.</summary>
    public string Path { get; }

    /// <summary>The message without rule and path.</summary>
    public string Detail { get; }

    /// <summary>1-based line of the offending node, 0 when unknown.</summary>
    public int LineNumber { get; }

    /// <summary>1-based column of the offending node, 0 when unknown.</summary>
    public int LinePosition { get; }

    /// <summary>The violation this error stands for, for validation reports.</summary>
    public Validation.Violation ToViolation() => new(Rule, Path, Detail, LineNumber);

    private static string Compose(string rule, string path, string message, int line, int column)
    {
        var where = path.Length > 0 ? $" at {path}" : "";
        var pos = line > 0 ? $" (line {line}, column {column})" : "";
        return $"{rule}: {message}{where}{pos}";
    }
}
