using FlexCoop.OpenAdr.Security;

namespace FlexCoop.OpenAdr.Tests.Security;

public sealed class OadrNonceCacheTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_nonce_is_accepted_once()
    {
        var cache = new OadrNonceCache();

        Assert.True(cache.TryRecord("a", T0));
        Assert.False(cache.TryRecord("a", T0.AddSeconds(1)));
        Assert.True(cache.TryRecord("b", T0));
    }

    [Fact]
    public void Capacity_bounds_memory_by_forgetting_the_oldest()
    {
        var cache = new OadrNonceCache(capacity: 3);

        for (var i = 0; i < 5; i++)
        {
            Assert.True(cache.TryRecord("n" + i, T0));
        }

        Assert.Equal(3, cache.Count);
        Assert.True(cache.TryRecord("n0", T0)); // forgotten
        Assert.False(cache.TryRecord("n4", T0)); // still remembered
    }

    [Fact]
    public void Nonces_older_than_the_retention_are_forgotten()
    {
        var cache = new OadrNonceCache(retention: TimeSpan.FromMinutes(10));

        cache.TryRecord("old", T0);
        cache.TryRecord("new", T0.AddMinutes(11));

        Assert.Equal(1, cache.Count);
        Assert.False(cache.TryRecord("new", T0.AddMinutes(11)));
    }

    [Fact]
    public void Concurrent_recording_accepts_each_nonce_exactly_once()
    {
        var cache = new OadrNonceCache();
        var accepted = 0;

        Parallel.For(0, 4000, i =>
        {
            if (cache.TryRecord("n" + (i % 1000), T0))
            {
                Interlocked.Increment(ref accepted);
            }
        });

        Assert.Equal(1000, accepted);
    }

    [Fact]
    public void Invalid_settings_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new OadrNonceCache(capacity: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OadrNonceCache(retention: TimeSpan.Zero));
    }
}
