using System.Collections.Frozen;
using System.Xml;

namespace FlexCoop.OpenAdr.Codec.Internal;

/// <summary>
/// A name table whose atoms for every OpenADR name are the string literals the codec compares against,
/// so the reader's names are checked by reference, and which costs nothing to set up per message: the
/// known names are a static read-only set, other names go to a small per-document table.
/// </summary>
internal sealed class OadrNameTable : XmlNameTable
{
    private static readonly FrozenSet<string> Known = KnownNames.All.ToFrozenSet(StringComparer.Ordinal);
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> KnownBySpan =
        Known.GetAlternateLookup<ReadOnlySpan<char>>();

    private NameTable? _others;

    public override string Add(char[] array, int offset, int length)
    {
        if (length == 0) return string.Empty;
        if (KnownBySpan.TryGetValue(array.AsSpan(offset, length), out var atom)) return atom;
        return (_others ??= new NameTable()).Add(array, offset, length);
    }

    public override string Add(string array)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (array.Length == 0) return string.Empty;
        if (Known.TryGetValue(array, out var atom)) return atom;
        return (_others ??= new NameTable()).Add(array);
    }

    public override string? Get(char[] array, int offset, int length)
    {
        if (length == 0) return string.Empty;
        if (KnownBySpan.TryGetValue(array.AsSpan(offset, length), out var atom)) return atom;
        return _others?.Get(array, offset, length);
    }

    public override string? Get(string array)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (array.Length == 0) return string.Empty;
        if (Known.TryGetValue(array, out var atom)) return atom;
        return _others?.Get(array);
    }
}
