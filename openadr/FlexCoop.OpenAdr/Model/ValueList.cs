using System.Collections;
using System.Runtime.CompilerServices;

namespace FlexCoop.OpenAdr.Model;

/// <summary>Builds <see cref="ValueList{T}"/> values; the target of collection expressions (<c>[a, b]</c>).</summary>
public static class ValueList
{
    /// <summary>A list holding a copy of <paramref name="items"/>.</summary>
    public static ValueList<T> Create<T>(ReadOnlySpan<T> items) => items.IsEmpty ? ValueList<T>.Empty : new(items.ToArray());

    /// <summary>A list holding a copy of <paramref name="items"/>.</summary>
    public static ValueList<T> From<T>(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var array = items.ToArray();
        return array.Length == 0 ? ValueList<T>.Empty : new(array);
    }
}

/// <summary>
/// An immutable list that compares by content, so that records holding lists have structural
/// equality. Every collection in the OpenADR model is one of these.
/// </summary>
[CollectionBuilder(typeof(ValueList), nameof(ValueList.Create))]
public sealed class ValueList<T> : IReadOnlyList<T>, IEquatable<ValueList<T>>
{
    /// <summary>The empty list.</summary>
    public static readonly ValueList<T> Empty = new([]);

    private readonly T[] _items;

    internal ValueList(T[] items) => _items = items;

    /// <summary>Wraps an array the caller gives up (used by the codec, which builds arrays it never touches again).</summary>
    internal static ValueList<T> Own(T[] items) => items.Length == 0 ? Empty : new(items);

    public int Count => _items.Length;

    public T this[int index] => _items[index];

    /// <summary>The items as a span (no copy).</summary>
    public ReadOnlySpan<T> AsSpan() => _items;

    public Enumerator GetEnumerator() => new(_items);

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    public bool Equals(ValueList<T>? other)
    {
        if (ReferenceEquals(this, other)) return true;
        if (other is null || other._items.Length != _items.Length) return false;
        var comparer = EqualityComparer<T>.Default;
        for (var i = 0; i < _items.Length; i++)
        {
            if (!comparer.Equals(_items[i], other._items[i])) return false;
        }
        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as ValueList<T>);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(_items.Length);
        foreach (var item in _items) hash.Add(item);
        return hash.ToHashCode();
    }

    public static bool operator ==(ValueList<T>? left, ValueList<T>? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(ValueList<T>? left, ValueList<T>? right) => !(left == right);

    /// <summary>Allocation-free enumerator.</summary>
    public struct Enumerator
    {
        private readonly T[] _array;
        private int _index;

        internal Enumerator(T[] array)
        {
            _array = array;
            _index = -1;
        }

        public readonly T Current => _array[_index];

        public bool MoveNext() => ++_index < _array.Length;
    }

    /// <summary><c>[a, b, c]</c>, for test failure messages.</summary>
    public override string ToString() => "[" + string.Join(", ", _items) + "]";
}
