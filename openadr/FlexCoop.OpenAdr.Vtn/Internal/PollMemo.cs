using System.Collections.Concurrent;

namespace FlexCoop.OpenAdr.Vtn.Internal;

/// <summary>
/// The last <c>oadrPoll</c> body each authenticated sender had accepted, byte for byte, with the
/// venID it named. Schema validation and parsing are pure functions of the bytes, so the same bytes
/// from the same sender need neither again: the engine still checks on every poll that the VEN is
/// registered and that the venID is still the VEN's. Only used without payload signing (a signed
/// poll is never the same twice, and each one's signature and nonce must be checked).
/// </summary>
internal sealed class PollMemo
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private sealed record Entry(byte[] Body, string VenId);

    /// <summary>The venID of the poll <paramref name="body"/> if <paramref name="sender"/> sent exactly these bytes before and they were accepted.</summary>
    public string? Recognise(string sender, ReadOnlySpan<byte> body) =>
        _entries.TryGetValue(sender, out var entry) && body.SequenceEqual(entry.Body) ? entry.VenId : null;

    /// <summary>Remembers a poll that passed validation and parsing and named <paramref name="venId"/>.</summary>
    public void Remember(string sender, ReadOnlySpan<byte> body, string venId)
    {
        if (_entries.TryGetValue(sender, out var entry) && body.SequenceEqual(entry.Body) && entry.VenId == venId) return;
        _entries[sender] = new Entry(body.ToArray(), venId);
    }

    public void Forget(string sender) => _entries.TryRemove(sender, out _);
}
