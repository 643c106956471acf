using System.Collections.Concurrent;
using FlexCoop.OpenAdr.Vtn.Storage;

namespace FlexCoop.OpenAdr.Vtn.Internal;

/// <summary>
/// The VENs the VTN knows, in memory: one <see cref="Slot"/> per VEN holding its record, the poll
/// hint and the poll memo, found by venID or by certificate fingerprint. Everything durable is in
/// the store; this is what the poll path needs without touching it, kept small because it is paid
/// for every registered VEN (issue 3: at most 2 KB per VEN):
/// <list type="bullet">
/// <item>one dictionary entry per VEN: a certificate VEN's venID is its fingerprint, so the
/// fingerprint index holds only the VENs whose fingerprint is something else;</item>
/// <item>the fingerprint string is the venID string when they are equal, and the profile and
/// transport names are shared constants (records read back from the store come with copies);</item>
/// <item>the poll hint is two counters on the slot (no dictionary of its own);</item>
/// <item>the poll memo is a reference to a <see cref="PollShape"/> shared by every VEN whose poll
/// has the same bytes around its venID.</item>
/// </list>
/// </summary>
internal sealed class VenDirectory
{
    private readonly ConcurrentDictionary<string, Slot> _byVenId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Slot> _byOtherFingerprint = new(StringComparer.Ordinal);
    private readonly PollShapes _shapes = new();
    private readonly Lock _gate = new();

    // The shapes of polls accepted from VENs without a certificate (plain HTTP), few: one per VEN implementation.
    private volatile PollShape[] _anonymousShapes = [];

    /// <summary>What the VTN keeps in memory for one VEN. Its venID never changes.</summary>
    internal sealed class Slot(VenRecord record)
    {
        /// <summary>The VEN's current record.</summary>
        public volatile VenRecord Record = record;

        /// <summary>Bumped on every enqueue for the VEN; starts above <see cref="Clean"/> so a VEN never polled asks the store.</summary>
        public long Version = 1;

        /// <summary>The version at which a poll last found the VEN's queue empty.</summary>
        public long Clean;

        /// <summary>The last poll the VEN's certificate had accepted, as a shape around its venID.</summary>
        public volatile PollShape? Poll;
    }

    /// <summary>How many VENs are known.</summary>
    public int Count => _byVenId.Count;

    /// <summary>Every VEN's current record, in no particular order.</summary>
    public IEnumerable<VenRecord> All => _byVenId.Values.Select(s => s.Record);

    /// <summary>A VEN by venID.</summary>
    public VenRecord? Find(string venId) => _byVenId.TryGetValue(venId, out var slot) ? slot.Record : null;

    /// <summary>The VEN bound to a certificate fingerprint.</summary>
    public VenRecord? FindByFingerprint(string fingerprint) => SlotByFingerprint(fingerprint)?.Record;

    private Slot? SlotByFingerprint(string fingerprint)
    {
        if (_byOtherFingerprint.TryGetValue(fingerprint, out var slot)) return slot;
        return _byVenId.TryGetValue(fingerprint, out slot) && string.Equals(slot.Record.Fingerprint, fingerprint, StringComparison.Ordinal) ? slot : null;
    }

    /// <summary>Adds or replaces a VEN's record (registration, cancellation, reload); returns the record as kept.</summary>
    public VenRecord Remember(VenRecord ven)
    {
        ven = Compact(ven);
        lock (_gate)
        {
            if (_byVenId.TryGetValue(ven.VenId, out var slot))
            {
                var old = slot.Record;
                if (old.Fingerprint.Length > 0 && !string.Equals(old.Fingerprint, ven.Fingerprint, StringComparison.Ordinal))
                {
                    // The certificate changed: the old fingerprint no longer leads here, nor does the memo of its polls.
                    _byOtherFingerprint.TryRemove(new KeyValuePair<string, Slot>(old.Fingerprint, slot));
                    slot.Poll = null;
                }
                slot.Record = ven;
            }
            else
            {
                slot = new Slot(ven);
                _byVenId[ven.VenId] = slot;
            }
            if (ven.Fingerprint.Length == 0) return ven;
            if (ReferenceEquals(ven.Fingerprint, ven.VenId))
            {
                // Found through the venID index; another VEN that held this fingerprint before no longer does.
                _byOtherFingerprint.TryRemove(ven.Fingerprint, out _);
            }
            else
            {
                _byOtherFingerprint[ven.Fingerprint] = slot;
            }
            return ven;
        }
    }

    // Shares what need not be stored twice: the fingerprint that is the venID, the usual names.
    private static VenRecord Compact(VenRecord ven)
    {
        var fingerprint = ven.Fingerprint.Length == 0 ? ""
            : string.Equals(ven.Fingerprint, ven.VenId, StringComparison.Ordinal) ? ven.VenId : ven.Fingerprint;
        var profile = ven.ProfileName == "2.0b" ? "2.0b" : ven.ProfileName;
        var transport = ven.TransportName switch
        {
            "simpleHttp" => "simpleHttp",
            "xmpp" => "xmpp",
            var other => other,
        };
        return ReferenceEquals(fingerprint, ven.Fingerprint) && ReferenceEquals(profile, ven.ProfileName) && ReferenceEquals(transport, ven.TransportName)
            ? ven
            : ven with { Fingerprint = fingerprint, ProfileName = profile, TransportName = transport };
    }

    // ---- poll hint: which VENs may have queued poll messages, so that an empty poll costs no store access ----

    /// <summary>The version to pass to <see cref="MarkClean"/>, read before looking at the store.</summary>
    public long Version(string venId) => _byVenId.TryGetValue(venId, out var slot) ? Volatile.Read(ref slot.Version) : 0;

    /// <summary>False only when a poll found the queue empty and nothing was queued since; a VEN not known is assumed to have something.</summary>
    public bool MayHavePending(string venId) =>
        !_byVenId.TryGetValue(venId, out var slot) || Volatile.Read(ref slot.Clean) != Volatile.Read(ref slot.Version);

    /// <summary>Something was queued for the VEN.</summary>
    public void Bump(string venId)
    {
        if (_byVenId.TryGetValue(venId, out var slot)) Interlocked.Increment(ref slot.Version);
    }

    /// <summary>
    /// A poll found the queue empty at <paramref name="seenVersion"/>. A message queued during that
    /// poll bumped the version after it, so it stays visible.
    /// </summary>
    public void MarkClean(string venId, long seenVersion)
    {
        if (seenVersion > 0 && _byVenId.TryGetValue(venId, out var slot)) Volatile.Write(ref slot.Clean, seenVersion);
    }

    // ---- poll memo: the last oadrPoll body each certificate had accepted ----

    /// <summary>
    /// The registered VEN of <paramref name="fingerprint"/> if it sent exactly these bytes before
    /// and they were accepted (validated, parsed, naming its own venID); null otherwise.
    /// </summary>
    public VenRecord? RecognisePoll(string fingerprint, ReadOnlySpan<byte> body)
    {
        if (SlotByFingerprint(fingerprint) is not { Poll: { } shape } slot) return null;
        var ven = slot.Record;
        return ven.IsRegistered && shape.Matches(body, ven.VenId) ? ven : null;
    }

    /// <summary>Remembers a poll from <paramref name="fingerprint"/> that passed validation and parsing and named <paramref name="venId"/>, its VEN's own.</summary>
    public void RememberPoll(string fingerprint, ReadOnlySpan<byte> body, string venId)
    {
        if (SlotByFingerprint(fingerprint) is not { } slot || !string.Equals(slot.Record.VenId, venId, StringComparison.Ordinal)) return;
        if (slot.Poll is { } known && known.Matches(body, venId)) return;
        slot.Poll = _shapes.Of(body, venId);
    }

    // ---- the same memo for VENs without a certificate (plain HTTP), whose identity is the venID they send ----

    /// <summary>At most this many poll shapes are tried for a poll without a certificate.</summary>
    public const int MaxAnonymousShapes = 4;

    /// <summary>
    /// The registered VEN without a certificate that sent exactly these bytes before, without a
    /// certificate, and had them accepted; null otherwise. The venID is read from between a known
    /// shape's bytes and must lead to a VEN whose memo is that very shape, so the body is
    /// byte-for-byte one that VEN had accepted, and names it as the full path would
    /// (<see cref="Find"/> by the venID sent).
    /// </summary>
    public VenRecord? RecogniseAnonymousPoll(ReadOnlySpan<byte> body)
    {
        Span<char> buffer = stackalloc char[256];
        foreach (var shape in _anonymousShapes)
        {
            var idLength = body.Length - shape.Before.Length - shape.After.Length;
            if (idLength is <= 0 or > 256 || !body.StartsWith(shape.Before) || !body.EndsWith(shape.After)) continue;
            var id = body.Slice(shape.Before.Length, idLength);
            var chars = buffer[..idLength];
            if (System.Text.Ascii.ToUtf16(id, chars, out var written) != System.Buffers.OperationStatus.Done || written != idLength) continue;
            if (!_byVenId.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(chars, out var slot)) continue;
            var ven = slot.Record;
            if (ven.Fingerprint.Length == 0 && ven.IsRegistered && ReferenceEquals(slot.Poll, shape)) return ven;
        }
        return null;
    }

    /// <summary>Remembers a poll received without a certificate that passed validation and parsing and named <paramref name="venId"/>, a VEN without a certificate.</summary>
    public void RememberAnonymousPoll(ReadOnlySpan<byte> body, string venId)
    {
        if (!_byVenId.TryGetValue(venId, out var slot) || slot.Record.Fingerprint.Length != 0) return;
        if (slot.Poll is { } known && known.Matches(body, venId)) return;
        var shape = _shapes.Of(body, venId);
        slot.Poll = shape;
        if (!shape.IsSpliced || Array.IndexOf(_anonymousShapes, shape) >= 0) return;
        lock (_gate)
        {
            var shapes = _anonymousShapes;
            if (shapes.Length < MaxAnonymousShapes && Array.IndexOf(shapes, shape) < 0) _anonymousShapes = [.. shapes, shape];
        }
    }

    /// <summary>Forgets the poll memo of a certificate.</summary>
    public void ForgetPoll(string fingerprint)
    {
        if (SlotByFingerprint(fingerprint) is { } slot) slot.Poll = null;
    }

    /// <summary>How many distinct poll shapes are shared (for tests and diagnostics).</summary>
    public int SharedPollShapes => _shapes.Count;
}
