using System.Diagnostics.CodeAnalysis;

namespace FlexCoop.Usef.Internal;

/// <summary>
/// A small, fixed-size, thread-safe cache from UTF-8 bytes to the value the codec made of them once (an interned domain,
/// version or time zone string, an <see cref="EntityAddress"/>): the same sender, recipient and congestion point come
/// back in every message, so they are checked and decoded once rather than per message. Direct-mapped and lock-free: a
/// slot holds one immutable entry, a new key simply replaces what was there, so hostile input can make it miss but never
/// grow. Only values that passed the codec's checks are added, so a hit is exactly what the slow path would return.
/// </summary>
/// <typeparam name="T">The cached value (immutable).</typeparam>
internal sealed class Utf8ValueCache<T>
    where T : class
{
    private readonly Entry?[] _slots;
    private readonly int _mask;
    private readonly int _maxKeyLength;

    /// <param name="slots">Number of slots, a power of two.</param>
    /// <param name="maxKeyLength">Longer values are never cached.</param>
    public Utf8ValueCache(int slots, int maxKeyLength)
    {
        if (slots <= 0 || (slots & (slots - 1)) != 0) throw new ArgumentOutOfRangeException(nameof(slots), "must be a power of two");
        _slots = new Entry?[slots];
        _mask = slots - 1;
        _maxKeyLength = maxKeyLength;
    }

    public bool TryGet(ReadOnlySpan<byte> key, [NotNullWhen(true)] out T? value)
    {
        if (key.Length <= _maxKeyLength)
        {
            var entry = Volatile.Read(ref _slots[Slot(key)]);
            if (entry is not null && key.SequenceEqual(entry.Key))
            {
                value = entry.Value;
                return true;
            }
        }
        value = null;
        return false;
    }

    public void Add(ReadOnlySpan<byte> key, T value)
    {
        if (key.Length > _maxKeyLength) return;
        Volatile.Write(ref _slots[Slot(key)], new Entry(key.ToArray(), value));
    }

    private int Slot(ReadOnlySpan<byte> key)
    {
        // HashCode is seeded per process, so which keys share a slot cannot be chosen from outside.
        var hash = new HashCode();
        hash.AddBytes(key);
        return hash.ToHashCode() & _mask;
    }

    private sealed class Entry(byte[] key, T value)
    {
        public byte[] Key { get; } = key;

        public T Value { get; } = value;
    }
}
