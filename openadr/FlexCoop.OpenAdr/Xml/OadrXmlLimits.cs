using System.Xml;

namespace FlexCoop.OpenAdr.Xml;

/// <summary>
/// Bounds for reading untrusted XML. DTDs are always refused and no external resource is
/// ever resolved, whatever these say.
/// </summary>
public sealed record OadrXmlLimits
{
    /// <summary>Default: 8 MiB per message, depth 64.</summary>
    public static readonly OadrXmlLimits Default = new();

    /// <summary>Largest message accepted, in characters of the document.</summary>
    public long MaxCharacters { get; init; } = 8L * 1024 * 1024;

    /// <summary>Deepest element nesting accepted (oadrPayload is depth 1).</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>Longest single attribute value or text node accepted, in characters.</summary>
    public int MaxTokenCharacters { get; init; } = 1024 * 1024;

    /// <summary>Longest element or attribute name accepted (prefix included), in characters. Applies to the codec.</summary>
    public int MaxNameCharacters { get; init; } = 1024;

    /// <summary>Most attributes (namespace declarations included) accepted on one element. Applies to the codec.</summary>
    public int MaxAttributes { get; init; } = 64;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a bound is not positive.</summary>
    public OadrXmlLimits Validated()
    {
        if (MaxCharacters <= 0) throw new ArgumentOutOfRangeException(nameof(MaxCharacters));
        if (MaxDepth <= 0) throw new ArgumentOutOfRangeException(nameof(MaxDepth));
        if (MaxTokenCharacters <= 0) throw new ArgumentOutOfRangeException(nameof(MaxTokenCharacters));
        if (MaxNameCharacters <= 0) throw new ArgumentOutOfRangeException(nameof(MaxNameCharacters));
        if (MaxAttributes <= 0) throw new ArgumentOutOfRangeException(nameof(MaxAttributes));
        return this;
    }

    /// <summary>Reader settings that refuse DTDs, resolve nothing and bound the document size.</summary>
    public XmlReaderSettings CreateReaderSettings() => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = MaxCharacters,
        MaxCharactersFromEntities = 0,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = false,
        CloseInput = false,
    };
}
