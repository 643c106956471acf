using System.Xml;

namespace FlexCoop.Usef.Xml;

/// <summary>
/// Bounds for reading untrusted UFTP XML. DTDs are always refused and no external resource is
/// ever resolved, whatever these say.
/// </summary>
public sealed record UftpXmlLimits
{
    /// <summary>Default: 4 MiB per message, depth 16, 64 KiB per attribute value, 200,000 elements.</summary>
    public static readonly UftpXmlLimits Default = new();

    /// <summary>Largest message accepted, in bytes (or characters for string input).</summary>
    public int MaxBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Deepest element nesting accepted (the root is depth 1; UFTP needs 5).</summary>
    public int MaxDepth { get; init; } = 16;

    /// <summary>Longest single attribute value accepted, in characters.</summary>
    public int MaxAttributeCharacters { get; init; } = 64 * 1024;

    /// <summary>Most elements accepted in one message.</summary>
    public int MaxElements { get; init; } = 200_000;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a bound is not positive.</summary>
    public UftpXmlLimits Validated()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxDepth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxAttributeCharacters);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxElements);
        return this;
    }

    /// <summary>Reader settings that refuse DTDs, resolve nothing and bound the document size.</summary>
    public XmlReaderSettings CreateReaderSettings() => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = MaxBytes,
        MaxCharactersFromEntities = 0,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        CloseInput = false,
    };
}
