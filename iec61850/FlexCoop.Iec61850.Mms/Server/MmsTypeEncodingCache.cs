using System.Collections.Concurrent;
using FlexCoop.Iec61850.Mms.Ber;

namespace FlexCoop.Iec61850.Mms.Server;

/// <summary>
/// The encoded TypeSpecification of the structured types clients ask for with GetVariableAccessAttributes, kept by type
/// instance. The IEC 61850 mapping shares one type tree between the logical nodes of one type, and a functional
/// constraint view (<c>LN$MX</c>) or a data object (<c>LN$MX$AnIn1</c>) is a node of that tree, so a browse of a large
/// model encodes each logical node type and each view once, not once per logical node.
/// </summary>
/// <remarks>
/// Bounded: at most <see cref="MaxTypes"/> types and <see cref="MaxOctets"/> octets in all. Once full, a type not kept is
/// encoded with each response as it would be without the cache. Types are immutable records and the cache holds only
/// types the VMD holds anyway.
/// </remarks>
internal sealed class MmsTypeEncodingCache
{
    public const int MaxTypes = 1024;
    public const int MaxOctets = 1 << 20;

    private readonly ConcurrentDictionary<MmsTypeDescription, byte[]> _encoded = new(ReferenceEqualityComparer.Instance);
    private int _octets;

    /// <summary>Types kept now.</summary>
    public int Count => _encoded.Count;

    /// <summary>Octets kept now.</summary>
    public int Octets => Volatile.Read(ref _octets);

    /// <summary>
    /// The encoding of a structure or array type, kept for the next request when there is room; null for a simple type
    /// (a few octets, written with the response) and for a structured type that no longer fits the bounds.
    /// </summary>
    public byte[]? Find(MmsTypeDescription type)
    {
        if (type is not (MmsStructureType or MmsArrayType)) return null;
        if (_encoded.TryGetValue(type, out var kept)) return kept;
        if (_encoded.Count >= MaxTypes || Octets >= MaxOctets) return null;
        var writer = new BerWriter(256);
        MmsDataCodec.WriteType(writer, type);
        var encoded = writer.ToArray();
        if (Interlocked.Add(ref _octets, encoded.Length) > MaxOctets)
        {
            Interlocked.Add(ref _octets, -encoded.Length);
            return null;
        }
        var stored = _encoded.GetOrAdd(type, encoded);
        // Another association encoded the same type at the same moment: count its octets once.
        if (!ReferenceEquals(stored, encoded)) Interlocked.Add(ref _octets, -encoded.Length);
        return stored;
    }
}
