namespace FlexCoop.Osb.Internal;

/// <summary>A clock that runs <c>scale</c> times faster than another from the moment it is made. Only <see cref="GetUtcNow"/> is scaled; timers are not.</summary>
internal sealed class ScaledTimeProvider(TimeProvider inner, double scale) : TimeProvider
{
    private readonly DateTimeOffset _origin = inner.GetUtcNow();

    public override DateTimeOffset GetUtcNow()
    {
        var elapsed = inner.GetUtcNow() - _origin;
        return _origin + TimeSpan.FromTicks((long)(elapsed.Ticks * scale));
    }

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;
}
