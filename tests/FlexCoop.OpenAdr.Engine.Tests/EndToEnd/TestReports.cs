using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Ven;

namespace FlexCoop.OpenAdr.Engine.Tests.EndToEnd;

/// <summary>A telemetry usage report: one power point whose value is the minute of the window's end.</summary>
internal sealed class UsageProvider(string specifierId = "RS_USAGE") : IVenReportProvider
{
    public VenReportDefinition Definition { get; } = new(specifierId, ReportName.TelemetryUsage,
        [new VenDataPoint("power", ReportType.Usage, new ReadingType("Direct Read"),
            new PowerReal { Scale = SiScaleCode.Kilo, Attributes = new PowerAttributes { Hertz = 50, Voltage = 230, Ac = true } },
            TimeSpan.FromSeconds(1), TimeSpan.FromHours(1))]);

    public ValueTask<IReadOnlyList<VenReading>> ReadAsync(IReadOnlyList<string> rIds, DateTimeOffset start, DateTimeOffset end, TimeSpan granularity, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<VenReading>>([new VenReading("power", start, end - start, Value: 4.5f)]);
}

/// <summary>A telemetry status report: online, no manual override.</summary>
internal sealed class StatusProvider : IVenReportProvider
{
    public VenReportDefinition Definition { get; } = new("RS_STATUS", ReportName.TelemetryStatus,
        [new VenDataPoint("status", new ReportType("x-resourceStatus"), new ReadingType("x-notApplicable"), null, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1))]);

    public ValueTask<IReadOnlyList<VenReading>> ReadAsync(IReadOnlyList<string> rIds, DateTimeOffset start, DateTimeOffset end, TimeSpan granularity, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<VenReading>>([new VenReading("status", end, TimeSpan.Zero, Status: new OadrPayloadResourceStatus { Online = true, ManualOverride = false })]);
}

/// <summary>History usage: one reading per hour of the window asked for.</summary>
internal sealed class HistoryProvider : IVenReportProvider
{
    public VenReportDefinition Definition { get; } = new("RS_HISTORY", ReportName.HistoryUsage,
        [new VenDataPoint("energy", ReportType.Usage, new ReadingType("Direct Read"), new EnergyReal { Scale = SiScaleCode.Kilo }, TimeSpan.FromHours(1), TimeSpan.FromHours(1))]);

    public ValueTask<IReadOnlyList<VenReading>> ReadAsync(IReadOnlyList<string> rIds, DateTimeOffset start, DateTimeOffset end, TimeSpan granularity, CancellationToken cancellationToken = default)
    {
        var readings = new List<VenReading>();
        for (var t = start; t < end; t += TimeSpan.FromHours(1))
        {
            readings.Add(new VenReading("energy", t, TimeSpan.FromHours(1), Value: t.Hour));
        }
        return ValueTask.FromResult<IReadOnlyList<VenReading>>(readings);
    }
}
