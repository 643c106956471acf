using FlexCoop.ReferenceSystem.Contracts;
using FlexCoop.Saref;
using FlexCoop.Saref.Rdf;

namespace FlexCoop.ReferenceSystem.Registry;

/// <summary>Describes registry DERs in SAREF / SAREF4ENER through FlexCoop.Saref.</summary>
public static class SarefDescription
{
    /// <summary>The SAREF device category of a DER kind.</summary>
    public static DeviceCategory CategoryOf(DerKind kind) => kind switch
    {
        DerKind.HeatPump => DeviceCategory.HeatPump,
        DerKind.HotWaterTank => DeviceCategory.HotWaterTank,
        DerKind.EvCharger => DeviceCategory.EvCharger,
        DerKind.Photovoltaic => DeviceCategory.Photovoltaic,
        DerKind.Battery => DeviceCategory.Battery,
        DerKind.Light => DeviceCategory.Light,
        DerKind.Sensor => DeviceCategory.Sensor,
        // A home's uncontrolled consumption is known only by metering it.
        DerKind.BaseLoad => DeviceCategory.Meter,
        _ => DeviceCategory.Generic,
    };

    /// <summary>The home's IRI under <paramref name="baseUrl"/> (ends with '/').</summary>
    public static string HomeIri(Uri baseUrl, string homeId)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        return new Uri(baseUrl, "/api/registry/homes/" + Uri.EscapeDataString(homeId) + "/").AbsoluteUri;
    }

    /// <summary>One DER as a SAREF device description.</summary>
    public static DeviceDescription Device(DerRecord der)
    {
        ArgumentNullException.ThrowIfNull(der);
        var category = CategoryOf(der.Kind);
        var usage = der.Reports.Contains("TELEMETRY_USAGE");
        var functions = new List<FunctionKind>();
        if (der.Controllable) functions.AddRange([FunctionKind.OnOff, FunctionKind.LevelControl]);
        if (usage) functions.Add(category == DeviceCategory.Sensor ? FunctionKind.Sensing : FunctionKind.Metering);
        if (der.Reports.Contains("TELEMETRY_STATUS")) functions.Add(FunctionKind.Event);
        var measures = usage ? new List<PropertyDescription> { new(PropertyKind.Power, der.ResourceId + "/power", Unit.Watt) } : [];
        return new DeviceDescription
        {
            Id = der.ResourceId,
            Category = category,
            Label = $"{der.Kind} {der.ResourceId[(der.ResourceId.IndexOf('.', StringComparison.Ordinal) + 1)..]} of {der.HomeId}",
            OpenAdrResourceId = der.ResourceId,
            Limits = der.RatedPowerW is null && der.CapacityWh is null ? null : new PowerLimits
            {
                RatedPowerW = der.RatedPowerW is { } p && double.IsFinite(p) ? (decimal)p : null,
                EnergyCapacityWh = der.CapacityWh is > 0 and < 1e12 and var c ? (decimal)c : null,
            },
            Functions = functions,
            Measures = measures,
            Measurements = der.Status.PowerW is { } w && usage && double.IsFinite(w) && Math.Abs(w) < 1e12
                ? [new MeasurementValue(PropertyKind.Power, (decimal)w, Unit.Watt, der.Status.UpdatedAt ?? der.LastHeard)]
                : [],
        };
    }

    /// <summary>A home with the given DERs as an RDF graph.</summary>
    public static RdfGraph Graph(Uri baseUrl, string homeId, IEnumerable<DerRecord> ders) =>
        SarefGraphBuilder.Build(new HomeDescription
        {
            Iri = HomeIri(baseUrl, homeId),
            Label = homeId,
            Devices = ders.Select(Device).ToList(),
        });
}
