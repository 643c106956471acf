using System.Text.Json;
using System.Text.Json.Serialization;
using FlexCoop.ReferenceSystem.Contracts;

namespace FlexCoop.Osb.Home;

/// <summary>Reads, checks and writes home files (JSON, camelCase, comments and trailing commas allowed).</summary>
public static class HomeFile
{
    /// <summary>The largest home file read.</summary>
    public const int MaxBytes = 256 * 1024;

    private const int MaxDevices = 64;

    /// <summary>The serializer settings of home files.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowOutOfOrderMetadataProperties = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        MaxDepth = 16,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>One device of each kind, with the default parameters.</summary>
    public static IReadOnlyList<DeviceDefinition> DefaultDevices() =>
    [
        new HeatPumpDefinition(),
        new HotWaterTankDefinition(),
        new EvChargerDefinition { Name = "garage" },
        new PhotovoltaicDefinition { Name = "roof" },
        new BatteryDefinition(),
        new LightDefinition { Name = "living" },
        new SensorDefinition { Name = "living" },
        new BaseLoadDefinition(),
    ];

    /// <summary>Reads and checks the home file at <paramref name="path"/>.</summary>
    /// <exception cref="OsbConfigurationException">The file is missing, too large, not JSON of this shape, or inconsistent.</exception>
    public static HomeDefinition Load(string path)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw new OsbConfigurationException($"home file {path} does not exist");
            if (info.Length > MaxBytes) throw new OsbConfigurationException($"home file {path} is {info.Length} bytes; the limit is {MaxBytes}");
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException ex)
        {
            throw new OsbConfigurationException($"cannot read home file {path}: {ex.Message}", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new OsbConfigurationException($"cannot read home file {path}: {ex.Message}", ex);
        }
        return Parse(bytes);
    }

    /// <summary>Reads and checks a home file's content.</summary>
    /// <exception cref="OsbConfigurationException">Not JSON of this shape, or inconsistent.</exception>
    public static HomeDefinition Parse(ReadOnlySpan<byte> json)
    {
        if (json.Length > MaxBytes) throw new OsbConfigurationException($"the home file is {json.Length} bytes; the limit is {MaxBytes}");
        HomeDefinition? home;
        try
        {
            home = JsonSerializer.Deserialize<HomeDefinition>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new OsbConfigurationException($"the home file is not valid: {ex.Message}", ex);
        }
        catch (NotSupportedException ex)
        {
            throw new OsbConfigurationException($"the home file is not valid: {ex.Message}", ex);
        }
        if (home is null) throw new OsbConfigurationException("the home file is empty (null)");
        return Validate(home);
    }

    /// <summary>Writes <paramref name="home"/> as a home file.</summary>
    public static string Serialize(HomeDefinition home) => JsonSerializer.Serialize(home, JsonOptions);

    /// <summary>Checks every rule of the format; throws naming the first one broken, returns <paramref name="home"/> otherwise.</summary>
    public static HomeDefinition Validate(HomeDefinition home)
    {
        ArgumentNullException.ThrowIfNull(home);
        if (string.IsNullOrEmpty(home.HomeId) || home.HomeId.Length > 64 || !home.HomeId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new OsbConfigurationException($"homeId '{home.HomeId}' must be 1–64 letters, digits, '-' or '_'");
        }
        Check(home.Location is not null, "location is null");
        Check(home.Location!.Latitude is >= -90 and <= 90, "location.latitude must be within −90..90");
        Check(home.Location.Longitude is >= -180 and <= 180, "location.longitude must be within −180..180");
        Check(home.UtcOffsetHours is null or (>= -14 and <= 14), "utcOffsetHours must be within −14..14");
        Check(home.Climate is not null && home.Building is not null && home.Comfort is not null && home.Control is not null && home.Devices is not null,
            "climate, building, comfort, control and devices may be left out but not null");
        var c = home.Climate!;
        Check(c.AnnualAmplitudeC >= 0 && c.DailyAmplitudeC >= 0 && c.VariabilityC >= 0, "climate amplitudes must not be negative");
        Check(c.Cloudiness is >= 0 and <= 1, "climate.cloudiness must be within 0..1");
        var b = home.Building!;
        Check(b.Model is "1R1C" or "2R2C", "building.model must be 1R1C or 2R2C");
        Check(b.HeatLossWPerK > 0 && b.HeatCapacityJPerK > 0 && b.AirHeatCapacityJPerK > 0 && b.AirToMassWPerK > 0, "building conductances and capacities must be positive");
        Check(b.InitialTemperatureC is > -40 and < 60, "building.initialTemperatureC is out of range");
        var comfort = home.Comfort!;
        Check(comfort.MinC < comfort.MaxC && comfort.SetpointC >= comfort.MinC && comfort.SetpointC <= comfort.MaxC,
            "comfort needs minC < maxC and setpointC within them");
        Check(comfort.MaxC - comfort.MinC >= 1, "the comfort band must be at least 1 K wide");
        Check(home.Control!.ModeratePrice <= home.Control.HighPrice, "control.moderatePrice must not exceed highPrice");
        Check(home.Devices!.Count <= MaxDevices, $"at most {MaxDevices} devices");
        var seen = new HashSet<DerResourceId>();
        foreach (var device in home.Devices)
        {
            Check(device is not null, "a device is null");
            try
            {
                DerResourceId.Create(device!.Kind, device.Name);
            }
            catch (ArgumentException ex)
            {
                throw new OsbConfigurationException($"device {device!.Kind} '{device.Name}': {ex.Message}", ex);
            }
            Check(seen.Add(device.ResourceId), $"two devices are named {device.ResourceId}");
            ValidateDevice(device);
            if (home.Mqtt is not null)
            {
                Check(device.Items?.Power is not null, $"{device.ResourceId}: a home with mqtt needs items.power for every device");
            }
            foreach (var (role, item) in device.Items?.All ?? [])
            {
                Check(item.Length is > 0 and <= 128 && !item.Any(ch => ch is '/' or '+' or '#' || char.IsControl(ch) || char.IsWhiteSpace(ch)),
                    $"{device.ResourceId}: items.{role} '{item}' is not an item name (no '/', '+', '#', spaces)");
            }
        }
        if (home.Mqtt is { } mqtt)
        {
            Check(Uri.TryCreate(mqtt.Broker, UriKind.Absolute, out var broker) && broker.Scheme == "mqtt", "mqtt.broker must be mqtt://HOST[:PORT]");
            Check(!string.IsNullOrEmpty(mqtt.Prefix) && !mqtt.Prefix.Any(ch => ch is '+' or '#'), "mqtt.prefix must be non-empty with no wildcards");
            Check(mqtt.StaleAfter > TimeSpan.Zero, "mqtt.staleAfter must be positive");
        }
        if (home.Devices.Count(d => d.Kind == DerKind.HeatPump) > 1) throw new OsbConfigurationException("one heat pump heats the building; the home names several");
        return home;
    }

    private static void ValidateDevice(DeviceDefinition device)
    {
        var id = device.ResourceId;
        switch (device)
        {
            case HeatPumpDefinition hp:
                Check(hp.RatedPowerW > 0 && hp.CarnotEfficiency is > 0 and <= 1 && hp.SupplyTemperatureC is > 20 and < 90, $"{id}: ratedPowerW > 0, carnotEfficiency in (0, 1], supplyTemperatureC in 20..90");
                break;
            case HotWaterTankDefinition t:
                Check(t.VolumeLitres > 0 && t.HeaterPowerW > 0 && t.LossWPerK >= 0 && t.DrawLitresPerDay >= 0, $"{id}: volume and heater power positive, loss and draw not negative");
                Check(t.MinC < t.SetpointC && t.SetpointC < 100 && t.ColdWaterC < t.MinC, $"{id}: coldWaterC < minC < setpointC < 100");
                break;
            case EvChargerDefinition ev:
                Check(ev.ChargerPowerW > 0 && ev.BatteryWh > 0 && ev.EnergyNeedWh >= 0 && ev.EnergyNeedWh <= ev.BatteryWh, $"{id}: charger and battery positive, energyNeedWh within 0..batteryWh");
                Check(ev.ArrivalHour is >= 0 and < 24 && ev.DepartureHour is >= 0 and < 24 && ev.Efficiency is > 0 and <= 1, $"{id}: hours within 0..24, efficiency in (0, 1]");
                break;
            case PhotovoltaicDefinition pv:
                Check(pv.PeakPowerW > 0 && pv.Derate is > 0 and <= 1, $"{id}: peakPowerW > 0, derate in (0, 1]");
                break;
            case BatteryDefinition bat:
                Check(bat.CapacityWh > 0 && bat.MaxChargeW > 0 && bat.MaxDischargeW > 0, $"{id}: capacity and power limits positive");
                Check(bat.RoundTripEfficiency is > 0 and <= 1 && bat.ReserveStateOfCharge is >= 0 and < 1
                    && bat.InitialStateOfCharge >= bat.ReserveStateOfCharge && bat.InitialStateOfCharge <= 1, $"{id}: efficiency in (0, 1], 0 <= reserve <= initial <= 1");
                break;
            case LightDefinition l:
                Check(l.RatedPowerW > 0, $"{id}: ratedPowerW > 0");
                break;
            case SensorDefinition s:
                Check(s.PowerW >= 0, $"{id}: powerW not negative");
                break;
            case BaseLoadDefinition bl:
                Check(bl.AverageW >= 0, $"{id}: averageW not negative");
                break;
        }
    }

    private static void Check(bool condition, string rule)
    {
        if (!condition) throw new OsbConfigurationException(rule);
    }
}
