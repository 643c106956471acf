namespace FlexCoop.Usef.Internal;

/// <summary>
/// An XSD simple type whose values recur from message to message (a domain, a version, a time zone, a currency, an
/// entity address): how a value of it is checked, what the error says it should be, and the cache that serves a value
/// seen before straight from its UTF-8 bytes. The reader (<see cref="XmlInput"/>) asks the cache first and calls
/// <see cref="Parse"/> only on a miss, so a hit costs one hash and one comparison and allocates nothing.
/// </summary>
/// <typeparam name="T">The value made of the text (immutable).</typeparam>
internal sealed class CachedSimpleType<T>
    where T : class
{
    private readonly Func<string, T?> _parse;

    /// <param name="expected">What a valid value is, as the error message says it: <c>'x' is not {expected}</c>.</param>
    /// <param name="slots">Cache slots, a power of two.</param>
    /// <param name="maxKeyLength">Longer values are checked every time, never cached.</param>
    /// <param name="parse">The value of a text, or null when the text is not of this type.</param>
    public CachedSimpleType(string expected, int slots, int maxKeyLength, Func<string, T?> parse)
    {
        Expected = expected;
        Cache = new Utf8ValueCache<T>(slots, maxKeyLength);
        _parse = parse;
    }

    /// <summary>What a valid value is, for the error message.</summary>
    public string Expected { get; }

    /// <summary>Values that passed <see cref="Parse"/>, by their UTF-8 bytes.</summary>
    public Utf8ValueCache<T> Cache { get; }

    /// <summary>The value of <paramref name="text"/>, or null when it is not of this type.</summary>
    public T? Parse(string text) => _parse(text);
}
