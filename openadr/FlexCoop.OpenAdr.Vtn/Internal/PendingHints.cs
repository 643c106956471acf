using System.Collections.Concurrent;

namespace FlexCoop.OpenAdr.Vtn.Internal;

/// <summary>
/// Which VENs may have queued poll messages, so that an empty poll costs no store access.
/// Every enqueue bumps the VEN's version; a poll that found the queue empty marks the version it
/// saw as clean. A message queued during that poll bumped the version after it, so it stays visible.
/// A VEN never seen is assumed dirty (the store decides).
/// </summary>
internal sealed class PendingHints
{
    private readonly ConcurrentDictionary<string, long> _version = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _clean = new(StringComparer.Ordinal);

    /// <summary>The version to pass to <see cref="MarkClean"/>, read before looking at the store.</summary>
    public long Version(string venId) => _version.GetOrAdd(venId, 1);

    public bool MayHavePending(string venId) =>
        !_clean.TryGetValue(venId, out var clean) || clean != Version(venId);

    public void Bump(string venId) => _version.AddOrUpdate(venId, 2, (_, v) => v + 1);

    public void MarkClean(string venId, long seenVersion) => _clean[venId] = seenVersion;
}
