namespace FlexCoop.Iec61850.Mms.Server;

/// <summary>
/// Walks the names of a domain's variables and of all their components (<c>LN</c>, <c>LN$FC</c>, <c>LN$FC$DO</c>, ...)
/// in ordinal order, one at a time, after a given name. Each name is built in one reused character buffer and handed
/// out as a span (<see cref="Current"/>, valid until the next <see cref="MoveNext"/>): a GetNameList page costs this
/// cursor and its buffers, not a string, an iterator or a sort per name.
/// </summary>
/// <remarks>
/// A depth-first walk with each structure's components in name order gives ordinal order because <c>$</c> sorts before
/// every character an MMS identifier may hold. Whole subtrees that sort before the continuation name are skipped
/// without building their names.
/// </remarks>
internal sealed class MmsNameCursor
{
    private readonly MmsVariableRoot[] _roots;
    private readonly string? _after;
    private char[] _name = new char[128];
    private int _length;
    private Frame[] _stack = new Frame[8];
    private int _depth;
    private int _root = -1;

    /// <param name="roots">The domain's top-level variables, sorted ordinally by name.</param>
    /// <param name="after">The continuation name: only names sorting after it are visited (all when null).</param>
    public MmsNameCursor(MmsVariableRoot[] roots, string? after)
    {
        _roots = roots;
        _after = after;
    }

    /// <summary>The name the cursor is on.</summary>
    public ReadOnlySpan<char> Current => _name.AsSpan(0, _length);

    /// <summary>Moves to the next name; false when there is none.</summary>
    public bool MoveNext()
    {
        while (true)
        {
            if (_depth == 0)
            {
                if (++_root >= _roots.Length) return false;
                var root = _roots[_root];
                SetName(0, root.Name, component: false);
                if (Visit(root.Type, allAfter: false)) return true;
                continue;
            }
            ref var top = ref _stack[_depth - 1];
            if (top.Next == top.Order.Length)
            {
                _depth--;
                continue;
            }
            var next = top.Type.Components[top.Order[top.Next++]];
            var allAfter = top.AllAfter;
            SetName(top.Length, next.Name, component: true);
            if (Visit(next.Type, allAfter)) return true;
        }
    }

    /// <summary>The name now in the buffer: whether it is one to hand out, and whether its components are worth a walk.</summary>
    private bool Visit(MmsTypeDescription type, bool allAfter)
    {
        // relation > 0: this name and everything below sort after the continuation name; == 0: only the names below do;
        // < 0: only a subtree that the continuation name lies inside can still hold later names.
        var relation = allAfter || _after is null ? 1 : Current.SequenceCompareTo(_after);
        if (type is MmsStructureType s && (relation >= 0 || ContinuationIsInside()))
        {
            if (_depth == _stack.Length) Array.Resize(ref _stack, _stack.Length * 2);
            _stack[_depth++] = new Frame(s, s.ComponentsInNameOrder(), _length, relation > 0);
        }
        return relation > 0;
    }

    /// <summary>True when the continuation name is a component below the name in the buffer.</summary>
    private bool ContinuationIsInside() =>
        _after!.Length > _length && _after[_length] == '$' && _after.AsSpan(0, _length).SequenceEqual(Current);

    /// <summary>Puts <paramref name="part"/> at <paramref name="at"/> in the buffer, after a <c>$</c> for a component.</summary>
    private void SetName(int at, string part, bool component)
    {
        var length = at + (component ? 1 : 0) + part.Length;
        if (length > _name.Length) Array.Resize(ref _name, Math.Max(length, _name.Length * 2));
        if (component) _name[at++] = '$';
        part.CopyTo(_name.AsSpan(at));
        _length = length;
    }

    /// <summary>A structure whose components are being walked: their name order, the next one, and the length of the structure's own name.</summary>
    private struct Frame(MmsStructureType type, int[] order, int length, bool allAfter)
    {
        public readonly MmsStructureType Type = type;
        public readonly int[] Order = order;
        public readonly int Length = length;
        public readonly bool AllAfter = allAfter;
        public int Next;
    }
}
