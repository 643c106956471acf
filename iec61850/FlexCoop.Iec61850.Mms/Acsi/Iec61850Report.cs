namespace FlexCoop.Iec61850.Mms.Acsi;

/// <summary>
/// A report (8-1 informationReport on <c>RPT</c>) decoded by its option fields: the report id,
/// sequence number, time, data set, configuration revision, and the included members with their
/// values, references and reasons for inclusion.
/// </summary>
public sealed record Iec61850Report
{
    public required string RptId { get; init; }
    public required MmsBitString OptFlds { get; init; }
    public ulong? SqNum { get; init; }
    public MmsBinaryTime? TimeOfEntry { get; init; }
    public string? DataSet { get; init; }
    public bool? BufOvfl { get; init; }
    public byte[]? EntryId { get; init; }
    public ulong? ConfRev { get; init; }

    /// <summary>Segmented reports: the number of this segment (0, 1, ...), or null when the report is not segmented.</summary>
    public ulong? SubSqNum { get; init; }

    /// <summary>Segmented reports: whether more segments of the same SqNum follow.</summary>
    public bool? MoreSegmentsFollow { get; init; }

    /// <summary>How many segments the report arrived in (1 when it was not segmented).</summary>
    public int Segments { get; init; } = 1;

    /// <summary>Which data set members the report carries (bit i = member i).</summary>
    public required MmsBitString Inclusion { get; init; }

    /// <summary>The included members: index in the data set, MMS reference (when sent), value, reasons (when sent).</summary>
    public required IReadOnlyList<Iec61850ReportEntry> Entries { get; init; }

    /// <summary>Decodes an informationReport; null when it is not a report (not on <c>RPT</c>), a <see cref="MmsDecodeException"/> when it breaks 8-1.</summary>
    public static Iec61850Report? Parse(InformationReportPdu pdu)
    {
        ArgumentNullException.ThrowIfNull(pdu);
        if (pdu.Specification.VariableListName is not { Scope: MmsScope.VmdSpecific, ItemId: "RPT" }) return null;
        var r = pdu.Results;
        var i = 0;
        T Next<T>(string what) where T : MmsValue =>
            i < r.Count && r[i].Value is T v ? (i++, v).v : throw new MmsDecodeException("mms", $"report element {i} ({what}) missing or of the wrong type", i);
        var rptId = Next<MmsVisibleString>("RptID").Value;
        var opt = Next<MmsBitString>("OptFlds");
        ulong? sqNum = opt[1] ? Next<MmsUnsigned>("SqNum").Value : null;
        var time = opt[2] ? Next<MmsBinaryTime>("TimeOfEntry") : null;
        var dataSet = opt[4] ? Next<MmsVisibleString>("DatSet").Value : null;
        bool? bufOvfl = opt[6] ? Next<MmsBoolean>("BufOvfl").Value : null;
        var entryId = opt[7] ? Next<MmsOctetString>("EntryID").Value : null;
        ulong? confRev = opt[8] ? Next<MmsUnsigned>("ConfRev").Value : null;
        ulong? subSqNum = null;
        bool? moreSegments = null;
        if (opt[9])
        {
            subSqNum = Next<MmsUnsigned>("SubSqNum").Value;
            moreSegments = Next<MmsBoolean>("MoreSegmentsFollow").Value;
        }
        var inclusion = Next<MmsBitString>("Inclusion");
        var indices = Enumerable.Range(0, inclusion.BitLength).Where(b => inclusion[b]).ToArray();
        var references = opt[5] ? indices.Select(_ => Next<MmsVisibleString>("data reference").Value).ToArray() : null;
        var values = new List<MmsValue>();
        foreach (var _ in indices)
        {
            if (i >= r.Count || r[i].Value is not { } v) throw new MmsDecodeException("mms", $"report element {i} (value) missing", i);
            values.Add(v);
            i++;
        }
        var reasons = opt[3] ? indices.Select(_ => Next<MmsBitString>("reason code")).ToArray() : null;
        if (i != r.Count) throw new MmsDecodeException("mms", $"report has {r.Count - i} elements after the last expected one", i);
        return new Iec61850Report
        {
            RptId = rptId,
            OptFlds = opt,
            SqNum = sqNum,
            TimeOfEntry = time,
            DataSet = dataSet,
            BufOvfl = bufOvfl,
            EntryId = entryId,
            ConfRev = confRev,
            SubSqNum = subSqNum,
            MoreSegmentsFollow = moreSegments,
            Inclusion = inclusion,
            Entries = indices.Select((index, k) => new Iec61850ReportEntry(index, references?[k], values[k], reasons?[k])).ToArray(),
        };
    }
}

/// <summary>
/// Puts segmented reports back together: segments of one report share RptID and SqNum and are numbered
/// by SubSqNum from 0; the one without MoreSegmentsFollow completes it. A gap in the numbering drops the
/// incomplete report.
/// </summary>
internal sealed class Iec61850ReportAssembler
{
    private readonly Dictionary<(string RptId, ulong? SqNum), List<Iec61850Report>> _partial = [];
    private readonly object _gate = new();

    /// <summary>Most reports being put together at once; the oldest is dropped beyond it.</summary>
    private const int MaxPartial = 16;

    /// <summary>The whole report once <paramref name="segment"/> completes it; null while segments are missing.</summary>
    public Iec61850Report? Add(Iec61850Report segment)
    {
        if (segment.SubSqNum is not { } sub) return segment;
        lock (_gate)
        {
            var key = (segment.RptId, segment.SqNum);
            if (sub == 0)
            {
                if (_partial.Count >= MaxPartial && !_partial.ContainsKey(key)) _partial.Remove(_partial.Keys.First());
                _partial[key] = [];
            }
            if (!_partial.TryGetValue(key, out var parts) || (ulong)parts.Count != sub)
            {
                _partial.Remove(key);
                return null;
            }
            parts.Add(segment);
            if (segment.MoreSegmentsFollow == true) return null;
            _partial.Remove(key);
            var bits = parts.SelectMany(p => p.Entries.Select(e => e.MemberIndex)).ToArray();
            return parts[0] with
            {
                SubSqNum = null,
                MoreSegmentsFollow = null,
                Inclusion = MmsBitString.FromBits(parts[0].Inclusion.BitLength, bits),
                Entries = parts.SelectMany(p => p.Entries).ToArray(),
                Segments = parts.Count,
            };
        }
    }
}

/// <summary>One member in a report: its index in the data set, reference, value and reason code bits (dchg 1, qchg 2, dupd 3, integrity 4, gi 5).</summary>
public sealed record Iec61850ReportEntry(int MemberIndex, string? Reference, MmsValue Value, MmsBitString? ReasonCode);
