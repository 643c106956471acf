namespace FlexCoop.Iec61850.Mms.Acsi;

/// <summary>One entry of an IEC 61850 log: its EntryID, when it was recorded, and the data it holds.</summary>
public sealed record Iec61850LogEntry(byte[] EntryId, DateTimeOffset TimeOfEntry, IReadOnlyList<Iec61850LogEntryData> Data)
{
    /// <summary>The EntryID in hexadecimal, as the CLI shows and takes it.</summary>
    public string EntryIdHex => Convert.ToHexString(EntryId);

    public bool Equals(Iec61850LogEntry? other) =>
        other is not null && EntryId.AsSpan().SequenceEqual(other.EntryId) && TimeOfEntry == other.TimeOfEntry && Data.SequenceEqual(other.Data);

    public override int GetHashCode() => HashCode.Combine(EntryId.Length, TimeOfEntry);

    /// <summary>
    /// An entry from its MMS form (8-1): one variable per data item, tagged with the data reference, each
    /// optionally followed by a <c>ReasonCode</c> variable for it.
    /// </summary>
    public static Iec61850LogEntry FromMms(MmsJournalEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var data = new List<Iec61850LogEntryData>();
        foreach (var (tag, value) in entry.Variables)
        {
            if (tag == "ReasonCode" && data.Count > 0 && value is MmsBitString reason && data[^1].ReasonCode is null)
            {
                data[^1] = data[^1] with { ReasonCode = reason };
                continue;
            }
            data.Add(new Iec61850LogEntryData(tag, value, null));
        }
        var t = entry.OccurrenceTime;
        var time = new DateTimeOffset(MmsBinaryTime.Epoch1984.AddDays(t.DaysSince1984 ?? 0).AddMilliseconds(Math.Min(t.MillisecondsOfDay, 86_399_999u)), TimeSpan.Zero);
        return new Iec61850LogEntry(entry.EntryId, time, data);
    }
}

/// <summary>One data item of a log entry: its reference (<c>LD/LN$FC$DO</c>), value and reason for inclusion (dchg 1, qchg 2, dupd 3, integrity 4, gi 5), when recorded.</summary>
public sealed record Iec61850LogEntryData(string Reference, MmsValue Value, MmsBitString? ReasonCode);

public sealed partial class Iec61850Client
{
    /// <summary>The MMS journal of a log reference: <c>LD/LN$LogName</c> or <c>LD/LN.LogName</c>.</summary>
    public static ObjectName LogObjectName(string logReference)
    {
        ArgumentException.ThrowIfNullOrEmpty(logReference);
        var slash = logReference.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == logReference.Length - 1) throw new ArgumentException($"'{logReference}' is not a log reference (LD/LN$LogName)", nameof(logReference));
        return ObjectName.Domain(logReference[..slash], logReference[(slash + 1)..].Replace('.', '$'));
    }

    private static MmsBinaryTime ToBinaryTime(DateTimeOffset time) => MmsBinaryTime.From(time.UtcDateTime);

    /// <summary>QueryLogByTime: the entries of a log recorded from <paramref name="startTime"/> to <paramref name="stopTime"/> (either open when null).</summary>
    public async Task<IReadOnlyList<Iec61850LogEntry>> QueryLogByTimeAsync(string logReference, DateTimeOffset? startTime = null, DateTimeOffset? stopTime = null, CancellationToken cancellationToken = default)
    {
        var entries = await Mms.ReadJournalAsync(LogObjectName(logReference),
            startTime is { } s ? ToBinaryTime(s) : null, stopTime is { } e ? ToBinaryTime(e) : null, cancellationToken).ConfigureAwait(false);
        return entries.Select(Iec61850LogEntry.FromMms).ToArray();
    }

    /// <summary>QueryLogAfter: the entries of a log after the entry <paramref name="entryId"/>, recorded at or after <paramref name="startTime"/>.</summary>
    public async Task<IReadOnlyList<Iec61850LogEntry>> QueryLogAfterAsync(string logReference, DateTimeOffset startTime, byte[] entryId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entryId);
        var entries = await Mms.ReadJournalAfterAsync(LogObjectName(logReference), ToBinaryTime(startTime), entryId, null, cancellationToken).ConfigureAwait(false);
        return entries.Select(Iec61850LogEntry.FromMms).ToArray();
    }
}
