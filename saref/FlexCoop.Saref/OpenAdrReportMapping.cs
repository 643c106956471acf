using System.Text;
using FlexCoop.OpenAdr;
using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;

namespace FlexCoop.Saref;

/// <summary>
/// Maps an OpenADR 2.0b VEN's report metadata (<c>oadrRegisterReport</c>) to a SAREF description:
/// one device per reported resource, each report description a measured or controlled property.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Device: the description's <c>reportDataSource/resourceID</c>, else its subject's or data source's
/// <c>endDeviceAsset</c>/<c>meterAsset</c> mRID, else the VEN itself. Devices known only by a meter asset are meters.</item>
/// <item>Property: the item base gives the kind (<c>powerReal</c>/<c>powerReactive</c>/<c>powerApparent</c> → power,
/// <c>energy*</c> → energy, <c>voltage</c>, <c>current</c>, <c>frequency</c>, <c>oadr:temperature</c>); the rID
/// names it. Units are set only when the scale is <c>none</c> and the unit is one SAREF's OM units express.</item>
/// <item>Report type: <c>setPoint</c>, <c>deltaSetPoint</c> and <c>regulationSetpoint</c> are controlled properties
/// (with a level-control function); other types are measured (metering function for power and energy, sensing
/// otherwise). <c>x-resourceStatus</c> adds an event function (the VEN notifies status changes).</item>
/// <item>Item bases with no SAREF counterpart (currency, pulse count, therm, custom units, Green Button) are skipped.</item>
/// </list>
/// </remarks>
public static class OpenAdrReportMapping
{
    /// <summary>The home IRI used when none is given: <c>https://flexcoop.example/vens/{venID}/</c>.</summary>
    public static string DefaultHomeIri(string? venId) =>
        "https://flexcoop.example/vens/" + Uri.EscapeDataString(string.IsNullOrEmpty(venId) ? "unknown-ven" : venId) + "/";

    /// <summary>Parses an OpenADR document and maps it; it must be an <c>oadrRegisterReport</c>.</summary>
    /// <exception cref="SarefMappingException">Not a readable OpenADR 2.0b <c>oadrRegisterReport</c>.</exception>
    public static HomeDescription FromXml(string xml, string? homeIri = null)
    {
        ArgumentNullException.ThrowIfNull(xml);
        OadrMessage message;
        try
        {
            message = OadrCodec.Parse(xml).Message;
        }
        catch (OadrFormatException ex)
        {
            throw new SarefMappingException(ex.Path, "not a valid OpenADR 2.0b message: " + ex.Message, ex);
        }
        return message is OadrRegisterReport report
            ? FromRegisterReport(report, homeIri)
            : throw new SarefMappingException("/" + message.ElementName, $"expected an oadrRegisterReport, got {message.ElementName}");
    }

    /// <summary>Maps the report metadata of <paramref name="report"/> to a home description.</summary>
    public static HomeDescription FromRegisterReport(OadrRegisterReport report, string? homeIri = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        homeIri ??= DefaultHomeIri(report.VenId);
        var devices = new List<(string Key, bool MeterOnly, DeviceBuilder Builder)>();
        foreach (var r in report.Reports)
        {
            foreach (var d in r.Descriptions)
            {
                var (key, meterOnly) = DeviceKey(d, report.VenId);
                var index = devices.FindIndex(x => x.Key == key);
                if (index < 0)
                {
                    devices.Add((key, meterOnly, new DeviceBuilder(key)));
                    index = devices.Count - 1;
                }
                else if (!meterOnly && devices[index].MeterOnly)
                {
                    devices[index] = (key, false, devices[index].Builder);
                }
                devices[index].Builder.Add(d);
            }
        }
        var ids = new HashSet<string>(StringComparer.Ordinal);
        return new HomeDescription
        {
            Iri = homeIri,
            Label = report.VenId is null ? "OpenADR VEN" : "OpenADR VEN " + report.VenId,
            Devices = devices.Select(d => d.Builder.Build(UniqueId(d.Key, ids), d.MeterOnly ? DeviceCategory.Meter : DeviceCategory.Generic)).ToList(),
        };
    }

    private static (string Key, bool MeterOnly) DeviceKey(OadrReportDescription d, string? venId)
    {
        if (d.ReportDataSource is { } source && source.ResourceIds.Count > 0) return (source.ResourceIds[0], false);
        if (d.ReportSubject is { } subject)
        {
            if (subject.EndDeviceAssets.Count > 0) return (subject.EndDeviceAssets[0], false);
            if (subject.MeterAssets.Count > 0) return (subject.MeterAssets[0], true);
        }
        if (d.ReportDataSource is { } ds)
        {
            if (ds.EndDeviceAssets.Count > 0) return (ds.EndDeviceAssets[0], false);
            if (ds.MeterAssets.Count > 0) return (ds.MeterAssets[0], true);
        }
        return (venId ?? "ven", false);
    }

    private static string UniqueId(string key, HashSet<string> used)
    {
        var sb = new StringBuilder();
        foreach (var c in key) sb.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-');
        var id = sb.Length == 0 ? "device" : sb.ToString();
        if (id.Length > 60) id = id[..60];
        var candidate = id;
        for (var n = 2; !used.Add(candidate); n++) candidate = id + "-" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return candidate;
    }

    private sealed class DeviceBuilder(string key)
    {
        private readonly List<PropertyDescription> measures = [];
        private readonly List<PropertyDescription> controls = [];
        private readonly List<FunctionKind> functions = [];

        public void Add(OadrReportDescription d)
        {
            if (d.ReportType == ReportType.XResourceStatus) AddFunction(FunctionKind.Event);
            if (Property(d) is not { } property) return;
            var controlled = d.ReportType == ReportType.SetPoint || d.ReportType == ReportType.DeltaSetPoint || d.ReportType == ReportType.RegulationSetpoint;
            var list = controlled ? controls : measures;
            var name = property.Name!;
            for (var n = 2; measures.Concat(controls).Any(p => p.Name == name); n++) name = property.Name + "-" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            list.Add(property with { Name = name });
            if (controlled) AddFunction(FunctionKind.LevelControl);
            else AddFunction(property.Kind is PropertyKind.Power or PropertyKind.Energy ? FunctionKind.Metering : FunctionKind.Sensing);
        }

        private void AddFunction(FunctionKind kind)
        {
            if (!functions.Contains(kind)) functions.Add(kind);
        }

        public DeviceDescription Build(string id, DeviceCategory category) => new()
        {
            Id = id,
            Category = category,
            Label = key,
            OpenAdrResourceId = key,
            Functions = functions,
            Measures = measures,
            Controls = controls,
        };

        private static PropertyDescription? Property(OadrReportDescription d)
        {
            var (kind, unit) = d.ItemBase switch
            {
                PowerReal p => (PropertyKind.Power, p.Scale == SiScaleCode.None ? Unit.Watt : (Unit?)null),
                PowerReactive or PowerApparent => (PropertyKind.Power, null),
                EnergyReal e => (PropertyKind.Energy, e.Scale == SiScaleCode.None ? Unit.WattHour : (Unit?)null),
                EnergyReactive or EnergyApparent => (PropertyKind.Energy, null),
                VoltageItem v => (PropertyKind.Voltage, v.Scale == SiScaleCode.None ? Unit.Volt : (Unit?)null),
                CurrentItem c => (PropertyKind.Current, c.Scale == SiScaleCode.None ? Unit.Ampere : (Unit?)null),
                FrequencyItem f => (PropertyKind.Frequency, f.Scale == SiScaleCode.None ? Unit.Hertz : (Unit?)null),
                TemperatureItem t => (PropertyKind.Temperature, t.Scale == SiScaleCode.None && t.Units == TemperatureUnit.Celsius ? Unit.DegreeCelsius : (Unit?)null),
                _ => ((PropertyKind?)null, (Unit?)null),
            };
            return kind is { } k ? new PropertyDescription(k, d.RId, unit) : null;
        }
    }
}
