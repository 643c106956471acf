using System.Collections.Concurrent;
using System.Text;

namespace FlexCoop.OpenAdr.Vtn.Internal;

/// <summary>
/// An accepted <c>oadrPoll</c> body as the bytes before and after its venID. A poll carries nothing
/// but the venID, so every VEN of one implementation sends the same bytes around it: the shape is
/// shared and a VEN's memo costs one reference. A body is rebuilt exactly (before + venID + after),
/// so a match is byte-for-byte the body that was accepted. A body in which the venID does not occur
/// exactly once as ASCII is kept whole (<see cref="IsSpliced"/> false), for its VEN alone.
/// </summary>
internal sealed class PollShape
{
    private PollShape(byte[] before, byte[] after, bool spliced)
    {
        Before = before;
        After = after;
        IsSpliced = spliced;
    }

    /// <summary>The bytes before the venID; the whole body when not spliced.</summary>
    public byte[] Before { get; }

    /// <summary>The bytes after the venID; empty when not spliced.</summary>
    public byte[] After { get; }

    /// <summary>True when the body is split around its venID (and may be shared).</summary>
    public bool IsSpliced { get; }

    /// <summary>The shape of <paramref name="body"/>, split around <paramref name="venId"/> where it occurs exactly once as ASCII.</summary>
    public static PollShape Of(ReadOnlySpan<byte> body, string venId)
    {
        if (venId.Length > 0 && Ascii.IsValid(venId))
        {
            Span<byte> id = venId.Length <= 256 ? stackalloc byte[venId.Length] : new byte[venId.Length];
            Encoding.ASCII.GetBytes(venId, id);
            var at = body.IndexOf(id);
            if (at >= 0 && body[(at + id.Length)..].IndexOf(id) < 0)
            {
                return new PollShape(body[..at].ToArray(), body[(at + id.Length)..].ToArray(), spliced: true);
            }
        }
        return new PollShape(body.ToArray(), [], spliced: false);
    }

    /// <summary>True when <paramref name="body"/> is exactly the accepted body, for the VEN <paramref name="venId"/>.</summary>
    public bool Matches(ReadOnlySpan<byte> body, string venId)
    {
        if (!IsSpliced) return body.SequenceEqual(Before);
        return body.Length == Before.Length + venId.Length + After.Length
            && body.StartsWith(Before)
            && body.EndsWith(After)
            && Ascii.Equals(body.Slice(Before.Length, venId.Length), venId);
    }

    /// <summary>Same bytes around the venID.</summary>
    internal sealed class ContentComparer : IEqualityComparer<PollShape>
    {
        public static readonly ContentComparer Instance = new();

        public bool Equals(PollShape? x, PollShape? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null && x.IsSpliced == y.IsSpliced
                && x.Before.AsSpan().SequenceEqual(y.Before) && x.After.AsSpan().SequenceEqual(y.After));

        public int GetHashCode(PollShape obj)
        {
            var hash = new HashCode();
            hash.AddBytes(obj.Before);
            hash.Add(obj.Before.Length);
            hash.AddBytes(obj.After);
            return hash.ToHashCode();
        }
    }
}

/// <summary>
/// The spliced poll shapes in use, each kept once. Bounded: past <see cref="MaxShared"/> distinct
/// shapes a new one is used unshared (correct, only not deduplicated), so a peer cannot grow the
/// table by varying its bytes.
/// </summary>
internal sealed class PollShapes
{
    /// <summary>At most this many distinct shapes are shared.</summary>
    public const int MaxShared = 256;

    private readonly ConcurrentDictionary<PollShape, PollShape> _shared = new(PollShape.ContentComparer.Instance);

    public int Count => _shared.Count;

    /// <summary>The shape of an accepted poll, the shared instance where there is one.</summary>
    public PollShape Of(ReadOnlySpan<byte> body, string venId)
    {
        var shape = PollShape.Of(body, venId);
        if (!shape.IsSpliced) return shape;
        if (_shared.TryGetValue(shape, out var shared)) return shared;
        return _shared.Count < MaxShared ? _shared.GetOrAdd(shape, shape) : shape;
    }
}
