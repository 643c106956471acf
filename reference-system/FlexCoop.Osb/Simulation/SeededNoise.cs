namespace FlexCoop.Osb.Simulation;

/// <summary>
/// Deterministic noise: a value is a hash of (seed, channel, key), so it does not depend on the
/// order or size of simulation steps. A home run twice with the same seed sees the same weather,
/// the same EV trips and the same hot-water draws.
/// </summary>
public static class SeededNoise
{
    /// <summary>A uniform value in [0, 1) for <paramref name="key"/> on <paramref name="channel"/>.</summary>
    public static double Uniform(ulong seed, int channel, long key)
    {
        var x = seed ^ ((ulong)(uint)channel * 0x9E3779B97F4A7C15UL) ^ ((ulong)key * 0xBF58476D1CE4E5B9UL);
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        x ^= x >> 31;
        return (x >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>A uniform value in [-1, 1).</summary>
    public static double Signed(ulong seed, int channel, long key) => (2 * Uniform(seed, channel, key)) - 1;

    /// <summary>Smooth value noise in [0, 1): uniform values at integer <paramref name="x"/>, eased in between.</summary>
    public static double Smooth(ulong seed, int channel, double x)
    {
        var i = (long)Math.Floor(x);
        var f = x - i;
        var ease = f * f * (3 - (2 * f));
        var a = Uniform(seed, channel, i);
        var b = Uniform(seed, channel, i + 1);
        return a + ((b - a) * ease);
    }
}
