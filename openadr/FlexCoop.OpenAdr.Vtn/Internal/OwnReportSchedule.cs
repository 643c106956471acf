namespace FlexCoop.OpenAdr.Vtn.Internal;

/// <summary>
/// One request a VEN made for a report of the VTN's own (<c>oadrCreateReport</c> to the VTN): what it asked for
/// and, when periodic, the timer that sends the next report. Kept in memory only.
/// </summary>
internal sealed class OwnReportSchedule : IDisposable
{
    private ITimer? _timer;

    public OwnReportSchedule(string venId, string reportRequestId, IReadOnlyList<string> rIds, TimeSpan reportBack, DateTimeOffset? end)
    {
        VenId = venId;
        ReportRequestId = reportRequestId;
        RIds = rIds;
        ReportBack = reportBack;
        End = end;
    }

    public string VenId { get; }

    public string ReportRequestId { get; }

    /// <summary>The data points asked for (rule 314: a report carries these and no others).</summary>
    public IReadOnlyList<string> RIds { get; }

    /// <summary>How often a report goes out; zero for a one-shot request.</summary>
    public TimeSpan ReportBack { get; }

    /// <summary>When reporting ends (the request's reportInterval); null for open-ended.</summary>
    public DateTimeOffset? End { get; }

    public bool IsPeriodic => ReportBack > TimeSpan.Zero;

    /// <summary>Arms the timer that sends the periodic reports (first after <paramref name="due"/>).</summary>
    public void Arm(TimeProvider clock, TimeSpan due, Action<OwnReportSchedule> tick)
    {
        _timer = clock.CreateTimer(static state => ((Action)state!)(), (Action)(() => tick(this)), due, ReportBack);
    }

    public void Dispose() => Interlocked.Exchange(ref _timer, null)?.Dispose();
}
