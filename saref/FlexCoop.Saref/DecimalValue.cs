namespace FlexCoop.Saref;

internal static class DecimalValue
{
    /// <summary>The same value with no trailing zeros in its scale (3500.0 → 3500), so models compare and print alike.</summary>
    public static decimal Normalize(decimal value) => value / 1.0000000000000000000000000000m;
}
