using System.Xml;

namespace FlexCoop.Iec61850.Scl;

/// <summary>
/// Bounds for reading an untrusted SCL file and resolving it. DTDs are always refused and no
/// external resource is ever resolved, whatever these say. A bound exceeded is an
/// <see cref="SclException"/> with rule <c>limits</c>.
/// </summary>
public sealed record SclLimits
{
    /// <summary>Default: 128 Mi characters, depth 64, 1 Mi characters per token, 4 M instance nodes.</summary>
    public static readonly SclLimits Default = new();

    /// <summary>Largest document accepted, in characters. SCD files of a whole substation run to tens of MB.</summary>
    public long MaxCharacters { get; init; } = 128L * 1024 * 1024;

    /// <summary>Deepest element nesting accepted (<c>SCL</c> is depth 1; real files stay under 25).</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>Longest attribute value or text node accepted, in characters.</summary>
    public int MaxTokenCharacters { get; init; } = 1024 * 1024;

    /// <summary>
    /// Most data objects and data attributes the resolver creates for one IED. Templates can nest
    /// types so that a small file expands to billions of instances; this bounds that expansion.
    /// </summary>
    public int MaxInstanceNodes { get; init; } = 4_000_000;

    /// <summary>Deepest nesting of DO/SDO/DA/BDA types the resolver follows.</summary>
    public int MaxTypeDepth { get; init; } = 32;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a bound is not positive.</summary>
    public SclLimits Validated()
    {
        if (MaxCharacters <= 0) throw new ArgumentOutOfRangeException(nameof(MaxCharacters));
        if (MaxDepth <= 0) throw new ArgumentOutOfRangeException(nameof(MaxDepth));
        if (MaxTokenCharacters <= 0) throw new ArgumentOutOfRangeException(nameof(MaxTokenCharacters));
        if (MaxInstanceNodes <= 0) throw new ArgumentOutOfRangeException(nameof(MaxInstanceNodes));
        if (MaxTypeDepth <= 0) throw new ArgumentOutOfRangeException(nameof(MaxTypeDepth));
        return this;
    }

    internal XmlReaderSettings CreateReaderSettings() => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = MaxCharacters,
        MaxCharactersFromEntities = 0,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        CloseInput = false,
    };
}
