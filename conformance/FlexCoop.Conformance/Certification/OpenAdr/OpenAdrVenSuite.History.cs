using FlexCoop.OpenAdr.Model;

namespace FlexCoop.Conformance.Certification.OpenAdr;

public sealed partial class OpenAdrVenSuite
{
    /// <summary>
    /// R1_3130 / R1_3140 (PICS <c>history-usage</c>): the VTN asks for readings the VEN already holds, for a whole
    /// interval in the past or for part of it; the VEN sends them at once, each reading inside the window asked for.
    /// </summary>
    private static Dictionary<string, Func<VenCase, Task>> HistoryScripts() => new(StringComparer.Ordinal)
    {
        ["R1_3130"] = c => HistoryAsync(c, whole: true),
        ["R1_3140"] = c => HistoryAsync(c, whole: false),
    };

    private static async Task HistoryAsync(VenCase c, bool whole)
    {
        var history = Announced(c, ReportName.HistoryUsage);
        var granularity = c.S(60);
        var now = DateTimeOffset.UtcNow;
        var end = new DateTimeOffset(now.Ticks - now.Ticks % granularity.Ticks, TimeSpan.Zero);
        var length = granularity * 10;
        var start = end - length;
        if (!whole)
        {
            // The middle of the hour-long record: from its third to its seventh interval.
            start += granularity * 3;
            length = granularity * 4;
            end = start + length;
        }
        var request = Request(history, granularity, TimeSpan.Zero, start, length);
        await RequestReportsAsync(c, request);
        var (update, index) = await UpdateFor(c, request, whole ? "HISTORY_USAGE for the whole interval" : "HISTORY_USAGE for part of the interval");
        var report = update.Reports.First(r => r.ReportRequestId == request.ReportRequestId);
        c.R.Check(report.ReportName == ReportName.HistoryUsage, c.Id, $"the report answering a HISTORY_USAGE request is named {report.ReportName?.Value ?? "(nothing)"}",
            $"<ei:reportName>{report.ReportName?.Value}</ei:reportName>", index);
        var intervals = report.Intervals ?? ValueList<Interval>.Empty;
        c.R.Check(intervals.Count > 0, c.Id, $"the HISTORY_USAGE report carries no interval; {start.UtcDateTime:HH:mm:ss}Z to {end.UtcDateTime:HH:mm:ss}Z was asked for", "<strm:intervals/>", index);
        foreach (var interval in intervals)
        {
            var at = interval.DtStart ?? report.DtStart;
            c.R.Check(at is { } t && t >= start && t < end, c.Id,
                $"a reading starts at {at?.UtcDateTime.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) ?? "(no dtstart)"}Z, outside the {start.UtcDateTime:HH:mm:ss}Z to {end.UtcDateTime:HH:mm:ss}Z window asked for",
                $"<xcal:date-time>{at?.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}</xcal:date-time>", index);
        }
    }
}
