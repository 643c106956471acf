using FlexCoop.OpenAdr.Model;

namespace FlexCoop.OpenAdr.Ven;

/// <summary>One data point of a report the VEN offers (an <c>oadrReportDescription</c>).</summary>
/// <param name="RId">The point's rID.</param>
/// <param name="ReportType">e.g. <c>usage</c>, <c>x-resourceStatus</c>.</param>
/// <param name="ReadingType">e.g. <c>Direct Read</c>, <c>x-notApplicable</c>.</param>
/// <param name="ItemBase">The unit, or null (status points have none).</param>
/// <param name="MinPeriod">Fastest sampling the VEN supports.</param>
/// <param name="MaxPeriod">Slowest sampling the VEN supports.</param>
/// <param name="ResourceId">The resource it measures, if any.</param>
public sealed record VenDataPoint(string RId, ReportType ReportType, ReadingType ReadingType, ItemBase? ItemBase, TimeSpan MinPeriod, TimeSpan MaxPeriod, string? ResourceId = null);

/// <summary>A report the VEN offers: its specifier ID, its name (<c>TELEMETRY_USAGE</c>, <c>TELEMETRY_STATUS</c>, <c>HISTORY_USAGE</c>) and its points.</summary>
public sealed record VenReportDefinition(string ReportSpecifierId, ReportName ReportName, IReadOnlyList<VenDataPoint> DataPoints);

/// <summary>One reading: a number (<see cref="Value"/>) or a resource status (<see cref="Status"/>).</summary>
public sealed record VenReading(string RId, DateTimeOffset DtStart, TimeSpan Duration, float? Value = null, OadrPayloadResourceStatus? Status = null);

/// <summary>
/// A report the host application supplies. The VEN asks it for readings when a report is due:
/// for telemetry, the current values (one reading per point sampled over the window);
/// for history, the readings inside the window.
/// </summary>
public interface IVenReportProvider
{
    /// <summary>What the report is; announced to the VTN in <c>oadrRegisterReport</c>.</summary>
    VenReportDefinition Definition { get; }

    /// <summary>The readings of <paramref name="rIds"/> for [<paramref name="start"/>, <paramref name="end"/>), sampled every <paramref name="granularity"/> (zero: one reading each).</summary>
    ValueTask<IReadOnlyList<VenReading>> ReadAsync(IReadOnlyList<string> rIds, DateTimeOffset start, DateTimeOffset end, TimeSpan granularity, CancellationToken cancellationToken = default);
}
