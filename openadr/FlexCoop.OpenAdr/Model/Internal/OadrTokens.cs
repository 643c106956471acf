namespace FlexCoop.OpenAdr.Model.Internal;

/// <summary>Helpers for the schema's open token lists.</summary>
internal static class OadrTokens
{
    /// <summary>The schema's <c>EiExtensionTokenType</c>: <c>x-</c> then a non-blank character, then anything.</summary>
    public static bool IsExtension(string? value) =>
        value is { Length: > 2 } && value[0] == 'x' && value[1] == '-' && !char.IsWhiteSpace(value[2]);

    public static bool Contains<T>(IReadOnlyList<T> known, T value) where T : IEquatable<T>
    {
        for (var i = 0; i < known.Count; i++)
        {
            if (known[i].Equals(value)) return true;
        }
        return false;
    }
}
