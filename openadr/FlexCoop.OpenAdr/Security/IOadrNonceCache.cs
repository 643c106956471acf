namespace FlexCoop.OpenAdr.Security;

/// <summary>Remembers <c>ReplayProtect</c> nonces so a captured message cannot be replayed.</summary>
public interface IOadrNonceCache
{
    /// <summary>Records <paramref name="nonce"/>; false when it was already recorded.</summary>
    /// <param name="nonce">The nonce as sent.</param>
    /// <param name="timestamp">The message's <c>ReplayProtect</c> timestamp, for expiry.</param>
    bool TryRecord(string nonce, DateTimeOffset timestamp);
}

/// <summary>
/// An in-memory, bounded, thread-safe nonce cache. It keeps at most <see cref="Capacity"/> nonces and
/// forgets those whose timestamp is older than <see cref="Retention"/> before the newest seen: a
/// message that old is refused by the replay window anyway, so retention should be at least twice
/// the replay window.
/// </summary>
public sealed class OadrNonceCache : IOadrNonceCache
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private readonly Queue<(string Nonce, DateTimeOffset Timestamp)> _order = new();
    private DateTimeOffset _newest = DateTimeOffset.MinValue;

    public OadrNonceCache(int capacity = 100_000, TimeSpan? retention = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        Retention = retention ?? TimeSpan.FromMinutes(10);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Retention, TimeSpan.Zero, nameof(retention));
    }

    public int Capacity { get; }

    public TimeSpan Retention { get; }

    /// <summary>How many nonces are remembered now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _seen.Count;
            }
        }
    }

    public bool TryRecord(string nonce, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(nonce);
        lock (_gate)
        {
            if (_seen.ContainsKey(nonce))
            {
                return false;
            }
            if (timestamp > _newest)
            {
                _newest = timestamp;
            }
            _seen[nonce] = timestamp;
            _order.Enqueue((nonce, timestamp));
            // Entries leave in arrival order: by capacity, or once older than the retention.
            while (_order.Count > Capacity || (_order.Count > 0 && _order.Peek().Timestamp < _newest - Retention))
            {
                var (old, _) = _order.Dequeue();
                _seen.Remove(old);
            }
            return true;
        }
    }
}
