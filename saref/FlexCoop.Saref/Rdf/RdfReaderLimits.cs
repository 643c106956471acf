namespace FlexCoop.Saref.Rdf;

/// <summary>Bounds for reading untrusted Turtle and N-Triples. Exceeding one is an <see cref="RdfParseException"/>.</summary>
public sealed record RdfReaderLimits
{
    /// <summary>Default: 32 Mi characters, nesting depth 64, 1,000,000 triples.</summary>
    public static readonly RdfReaderLimits Default = new();

    /// <summary>Largest document accepted, in UTF-16 characters.</summary>
    public int MaxCharacters { get; init; } = 32 * 1024 * 1024;

    /// <summary>Deepest nesting of <c>[ ]</c> and <c>( )</c> accepted.</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>Most triples one document may produce.</summary>
    public int MaxTriples { get; init; } = 1_000_000;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a bound is not positive.</summary>
    public RdfReaderLimits Validated()
    {
        if (MaxCharacters <= 0) throw new ArgumentOutOfRangeException(nameof(MaxCharacters));
        if (MaxDepth <= 0) throw new ArgumentOutOfRangeException(nameof(MaxDepth));
        if (MaxTriples <= 0) throw new ArgumentOutOfRangeException(nameof(MaxTriples));
        return this;
    }
}
