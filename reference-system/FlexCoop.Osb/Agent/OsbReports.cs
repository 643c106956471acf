using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Ven;
using FlexCoop.Osb.Devices;
using FlexCoop.Osb.Home;

namespace FlexCoop.Osb.Agent;

/// <summary>
/// The two reports an OSB announces, one data point per device and measure: the rID is
/// <c>RESOURCEID/power</c> (TELEMETRY_USAGE, W, <c>oadr:powerReal</c>) or <c>RESOURCEID/status</c>
/// (TELEMETRY_STATUS, <c>oadrPayloadResourceStatus</c>), and the data source's resourceID is the
/// device's <c>DerResourceId</c>.
/// </summary>
public static class OsbReports
{
    /// <summary>reportSpecifierID of the usage report.</summary>
    public const string UsageSpecifierId = "OSB_TELEMETRY_USAGE";

    /// <summary>reportSpecifierID of the status report.</summary>
    public const string StatusSpecifierId = "OSB_TELEMETRY_STATUS";

    /// <summary>The sampling period of usage (both bounds).</summary>
    public static readonly TimeSpan UsageSamplingPeriod = TimeSpan.FromMinutes(1);

    private static readonly PowerReal Watts = new() { Scale = SiScaleCode.None, Attributes = new PowerAttributes { Hertz = 50, Voltage = 230, Ac = true } };

    /// <summary>The rID of a device's measure.</summary>
    public static string RId(DeviceDefinition device, string measure)
    {
        ArgumentNullException.ThrowIfNull(device);
        return $"{device.ResourceId}/{measure}";
    }

    /// <summary>The TELEMETRY_USAGE definition: <c>/power</c> of every device, sampled every minute.</summary>
    public static VenReportDefinition UsageDefinition(IReadOnlyList<DeviceDefinition> devices) =>
        new(UsageSpecifierId, ReportName.TelemetryUsage, devices.Select(d => new VenDataPoint(
            RId(d, "power"), ReportType.Usage, new ReadingType("Direct Read"), Watts, UsageSamplingPeriod, UsageSamplingPeriod, d.ResourceId.ToString())).ToList());

    /// <summary>The TELEMETRY_STATUS definition: <c>/status</c> of every device, sampled from <paramref name="statusPeriod"/> to one minute.</summary>
    public static VenReportDefinition StatusDefinition(IReadOnlyList<DeviceDefinition> devices, TimeSpan statusPeriod) =>
        new(StatusSpecifierId, ReportName.TelemetryStatus, devices.Select(d => new VenDataPoint(
            RId(d, "status"), new ReportType("x-resourceStatus"), new ReadingType("x-notApplicable"), null,
            statusPeriod < UsageSamplingPeriod ? statusPeriod : UsageSamplingPeriod, UsageSamplingPeriod, d.ResourceId.ToString())).ToList());

    /// <summary>Usage readings: each device's mean power since the previous report (its power now when it does not meter energy).</summary>
    internal sealed class Usage(IDeviceAdapter devices, TimeSpan statusPeriod) : IVenReportProvider
    {
        private readonly Dictionary<string, DeviceDefinition> _byRId = devices.Devices.ToDictionary(d => RId(d, "power"), StringComparer.Ordinal);
        private readonly Dictionary<string, (double EnergyWh, DateTimeOffset At)> _last = new(StringComparer.Ordinal);
        private readonly Lock _lock = new();

        public VenReportDefinition Definition { get; } = UsageDefinition(devices.Devices);

        public TimeSpan StatusPeriod { get; } = statusPeriod;

        public ValueTask<IReadOnlyList<VenReading>> ReadAsync(IReadOnlyList<string> rIds, DateTimeOffset start, DateTimeOffset end, TimeSpan granularity, CancellationToken cancellationToken = default)
        {
            var readings = new List<VenReading>(rIds.Count);
            lock (_lock)
            {
                foreach (var rId in rIds)
                {
                    if (!_byRId.TryGetValue(rId, out var device)) continue;
                    var r = devices.Read(device.ResourceId);
                    var power = r.PowerW;
                    if (r.EnergyWh is { } energy)
                    {
                        var at = devices.Now;
                        if (_last.TryGetValue(rId, out var previous) && at > previous.At)
                        {
                            power = (energy - previous.EnergyWh) / (at - previous.At).TotalHours;
                        }
                        _last[rId] = (energy, at);
                    }
                    readings.Add(new VenReading(rId, start, end - start, Value: (float)Math.Round(power, 1)));
                }
            }
            return ValueTask.FromResult<IReadOnlyList<VenReading>>(readings);
        }
    }

    /// <summary>Status readings: online, manual override and load-control state of each device.</summary>
    internal sealed class Status(IDeviceAdapter devices, TimeSpan statusPeriod) : IVenReportProvider
    {
        private readonly Dictionary<string, DeviceDefinition> _byRId = devices.Devices.ToDictionary(d => RId(d, "status"), StringComparer.Ordinal);

        public VenReportDefinition Definition { get; } = StatusDefinition(devices.Devices, statusPeriod);

        public ValueTask<IReadOnlyList<VenReading>> ReadAsync(IReadOnlyList<string> rIds, DateTimeOffset start, DateTimeOffset end, TimeSpan granularity, CancellationToken cancellationToken = default)
        {
            var readings = new List<VenReading>(rIds.Count);
            foreach (var rId in rIds)
            {
                if (!_byRId.TryGetValue(rId, out var device)) continue;
                var r = devices.Read(device.ResourceId);
                readings.Add(new VenReading(rId, end, TimeSpan.Zero, Status: new OadrPayloadResourceStatus
                {
                    Online = r.Online,
                    ManualOverride = r.ManualOverride,
                    LoadControlState = r.LoadControl,
                }));
            }
            return ValueTask.FromResult<IReadOnlyList<VenReading>>(readings);
        }
    }
}
