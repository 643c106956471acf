using System.Globalization;
using System.Text.Json;
using System.Xml;

namespace FlexCoop.Saref;

/// <summary>
/// Reads FlexCoop's JSON device description (a home and its devices; schema in the package
/// README) into a <see cref="HomeDescription"/>. Strict: unknown members, wrong types and values
/// out of range are <see cref="SarefMappingException"/>s naming the JSON path.
/// </summary>
public static class DeviceDescriptionJson
{
    /// <summary>Largest document accepted, in characters (1 MiB).</summary>
    public const int MaxCharacters = 1024 * 1024;

    /// <summary>Parses a JSON device description.</summary>
    public static HomeDescription Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.Length > MaxCharacters) throw new SarefMappingException("", $"document is longer than {MaxCharacters} characters");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = false });
        }
        catch (JsonException ex)
        {
            throw new SarefMappingException("", $"not well-formed JSON: {ex.Message}", ex);
        }
        using (doc)
        {
            return Home(doc.RootElement);
        }
    }

    /// <summary>True when the text looks like a JSON object (first non-blank character '{').</summary>
    public static bool LooksLikeJson(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || c == '\uFEFF') continue;
            return c == '{';
        }
        return false;
    }

    private static HomeDescription Home(JsonElement root)
    {
        const string path = "$";
        Members(root, path, "home", "label", "devices");
        var iri = RequiredString(root, path, "home");
        if (!Rdf.Internal.IriText.HasScheme(iri) || !(iri.EndsWith('/') || iri.EndsWith('#')) || iri.Any(c => c <= ' ' || c is '<' or '>' or '"'))
        {
            throw new SarefMappingException(path + ".home", "must be an absolute IRI ending in '/' or '#', e.g. https://coop.example/homes/42/");
        }
        var devices = new List<DeviceDescription>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var d in Array(root, path, "devices"))
        {
            var device = Device(d, $"{path}.devices[{i++}]");
            if (!ids.Add(device.Id)) throw new SarefMappingException($"{path}.devices[{i - 1}].id", $"duplicate device id '{device.Id}'");
            devices.Add(device);
        }
        return new HomeDescription { Iri = iri, Label = OptionalString(root, path, "label"), Devices = devices };
    }

    private static DeviceDescription Device(JsonElement e, string path)
    {
        Members(e, path, "id", "type", "label", "manufacturer", "model", "serialNumber", "location", "powerSource", "openAdrResourceId",
            "ratedPowerW", "maxPowerW", "minPowerW", "energyCapacityWh", "functions", "measures", "controls", "state", "measurements", "flexibility");
        var id = RequiredString(e, path, "id");
        if (id.Length > 64 || id.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_' and not '.'))
        {
            throw new SarefMappingException(path + ".id", "must be 1 to 64 letters, digits, '-', '_' or '.'");
        }
        var category = Enum(RequiredString(e, path, "type"), path + ".type", Categories);
        var powerSource = OptionalString(e, path, "powerSource");
        if (powerSource is not null && powerSource is not ("unknown" or "mainsSinglePhase" or "mains3Phase" or "battery" or "dc"))
        {
            throw new SarefMappingException(path + ".powerSource", "must be one of unknown, mainsSinglePhase, mains3Phase, battery, dc (s4ener:powerSource)");
        }
        PowerLimits? limits = null;
        var rated = Number(e, path, "ratedPowerW");
        var max = Number(e, path, "maxPowerW");
        var min = Number(e, path, "minPowerW");
        var capacity = Number(e, path, "energyCapacityWh");
        if (rated is not null || max is not null || min is not null || capacity is not null)
        {
            if (max is not null && min is not null && min > max) throw new SarefMappingException(path + ".minPowerW", "is greater than maxPowerW");
            if (capacity < 0) throw new SarefMappingException(path + ".energyCapacityWh", "must not be negative");
            limits = new PowerLimits { RatedPowerW = rated, MaxPowerW = max, MinPowerW = min, EnergyCapacityWh = capacity };
        }
        var functions = Array(e, path, "functions").Select((f, i) => Enum(StringValue(f, $"{path}.functions[{i}]"), $"{path}.functions[{i}]", Functions)).Distinct().ToList();
        var measures = Array(e, path, "measures").Select((p, i) => Property(p, $"{path}.measures[{i}]")).ToList();
        var controls = Array(e, path, "controls").Select((p, i) => Property(p, $"{path}.controls[{i}]")).ToList();
        UniqueNames(measures, path + ".measures");
        UniqueNames(controls, path + ".controls");
        foreach (var c in controls)
        {
            var name = c.Name ?? SarefIris.KindName(c.Kind);
            if (measures.FirstOrDefault(m => (m.Name ?? SarefIris.KindName(m.Kind)) == name) is { } m && m != c)
            {
                throw new SarefMappingException(path + ".controls", $"'{name}' is also a measured property but with another kind or unit; use the same description or another name");
            }
        }
        var measurements = Array(e, path, "measurements").Select((m, i) => Measurement(m, $"{path}.measurements[{i}]")).ToList();
        foreach (var m in measurements)
        {
            if (!measures.Any(p => p.Kind == m.Property)) measures.Add(new PropertyDescription(m.Property));
        }
        var state = OptionalString(e, path, "state") is { } s ? Enum(s, path + ".state", States) : (DeviceState?)null;
        return new DeviceDescription
        {
            Id = id,
            Category = category,
            Label = OptionalString(e, path, "label"),
            Manufacturer = OptionalString(e, path, "manufacturer"),
            Model = OptionalString(e, path, "model"),
            SerialNumber = OptionalString(e, path, "serialNumber"),
            Location = OptionalString(e, path, "location"),
            PowerSource = powerSource,
            OpenAdrResourceId = OptionalString(e, path, "openAdrResourceId"),
            Limits = limits,
            Functions = functions,
            Measures = measures,
            Controls = controls,
            State = state,
            Measurements = measurements,
            PowerProfile = e.TryGetProperty("flexibility", out var flex) ? Profile(flex, path + ".flexibility") : null,
        };
    }

    private static void UniqueNames(List<PropertyDescription> properties, string path)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in properties)
        {
            var name = p.Name ?? SarefIris.KindName(p.Kind);
            if (!names.Add(name)) throw new SarefMappingException(path, $"two properties are named '{name}'; give them distinct \"name\"s");
        }
    }

    private static PropertyDescription Property(JsonElement e, string path)
    {
        if (e.ValueKind == JsonValueKind.String) return new PropertyDescription(Enum(e.GetString()!, path, Properties));
        Members(e, path, "property", "name", "unit");
        var kind = Enum(RequiredString(e, path, "property"), path + ".property", Properties);
        var unit = OptionalString(e, path, "unit") is { } u ? UnitOf(u, path + ".unit").Unit : (Unit?)null;
        return new PropertyDescription(kind, OptionalString(e, path, "name"), unit);
    }

    private static MeasurementValue Measurement(JsonElement e, string path)
    {
        Members(e, path, "property", "value", "unit", "timestamp");
        var kind = Enum(RequiredString(e, path, "property"), path + ".property", Properties);
        var value = Number(e, path, "value") ?? throw new SarefMappingException(path + ".value", "is required");
        var (unit, factor) = UnitOf(RequiredString(e, path, "unit"), path + ".unit");
        return new MeasurementValue(kind, DecimalValue.Normalize(value * factor), unit, Timestamp(e, path, "timestamp"));
    }

    private static PowerProfile Profile(JsonElement e, string path)
    {
        Members(e, path, "remoteControllable", "supportsReselection", "singleSlotSchedulingOnly", "sequences");
        var sequences = new List<(uint Group, PowerSequence Sequence)>();
        var i = 0;
        foreach (var s in Array(e, path, "sequences"))
        {
            var sp = $"{path}.sequences[{i}]";
            Members(s, sp, "id", "group", "state", "remoteControllable", "pausable", "stoppable", "earliestStart", "latestEnd", "start", "end", "slots");
            var id = UIntMember(s, sp, "id") ?? (uint)(i + 1);
            var group = UIntMember(s, sp, "group") ?? id;
            var slots = Array(s, sp, "slots").Select((sl, n) => Slot(sl, $"{sp}.slots[{n}]", (uint)(n + 1))).ToList();
            if (slots.Count == 0) throw new SarefMappingException(sp + ".slots", "a power sequence needs at least one slot");
            var sequence = new PowerSequence
            {
                Id = id,
                State = OptionalString(s, sp, "state") is { } st ? Enum(st, sp + ".state", SequenceStates) : PowerSequenceState.Inactive,
                RemoteControllable = Bool(s, sp, "remoteControllable") ?? true,
                Pausable = Bool(s, sp, "pausable"),
                Stoppable = Bool(s, sp, "stoppable"),
                EarliestStart = Timestamp(s, sp, "earliestStart"),
                LatestEnd = Timestamp(s, sp, "latestEnd"),
                Start = Timestamp(s, sp, "start"),
                End = Timestamp(s, sp, "end"),
                Slots = slots,
            };
            if (sequence.EarliestStart > sequence.LatestEnd) throw new SarefMappingException(sp + ".latestEnd", "is before earliestStart");
            if (sequences.Any(x => x.Group == group && x.Sequence.Id == id)) throw new SarefMappingException(sp + ".id", $"duplicate sequence id {id} in group {group}");
            sequences.Add((group, sequence));
            i++;
        }
        return new PowerProfile
        {
            NodeRemoteControllable = Bool(e, path, "remoteControllable") ?? true,
            SupportsReselection = Bool(e, path, "supportsReselection") ?? false,
            SupportsSingleSlotSchedulingOnly = Bool(e, path, "singleSlotSchedulingOnly") ?? false,
            AlternativesGroups = sequences.GroupBy(x => x.Group).OrderBy(g => g.Key)
                .Select(g => new AlternativesGroup { Id = g.Key, Sequences = g.Select(x => x.Sequence).OrderBy(x => x.Id).ToList() }).ToList(),
        };
    }

    private static Slot Slot(JsonElement e, string path, uint number)
    {
        Members(e, path, "duration", "minDuration", "maxDuration", "minPowerW", "maxPowerW", "expectedPowerW", "expectedEnergyWh");
        var slot = new Slot
        {
            Number = number,
            Duration = Duration(e, path, "duration"),
            MinDuration = Duration(e, path, "minDuration"),
            MaxDuration = Duration(e, path, "maxDuration"),
            MinPowerW = Number(e, path, "minPowerW"),
            MaxPowerW = Number(e, path, "maxPowerW"),
            ExpectedPowerW = Number(e, path, "expectedPowerW"),
            ExpectedEnergyWh = Number(e, path, "expectedEnergyWh"),
        };
        if (slot.MinPowerW > slot.MaxPowerW) throw new SarefMappingException(path + ".minPowerW", "is greater than maxPowerW");
        return slot;
    }

    // ---- vocabularies of the JSON schema ----

    private static readonly Dictionary<string, DeviceCategory> Categories = new(StringComparer.Ordinal)
    {
        ["generic"] = DeviceCategory.Generic, ["heatPump"] = DeviceCategory.HeatPump, ["hotWaterTank"] = DeviceCategory.HotWaterTank,
        ["evCharger"] = DeviceCategory.EvCharger, ["pv"] = DeviceCategory.Photovoltaic, ["battery"] = DeviceCategory.Battery,
        ["light"] = DeviceCategory.Light, ["sensor"] = DeviceCategory.Sensor, ["meter"] = DeviceCategory.Meter, ["smartPlug"] = DeviceCategory.SmartPlug,
    };

    private static readonly Dictionary<string, FunctionKind> Functions =
        System.Enum.GetValues<FunctionKind>().ToDictionary(f => SarefIris.JsonNaming(f.ToString()), StringComparer.Ordinal);

    private static readonly Dictionary<string, PropertyKind> Properties =
        System.Enum.GetValues<PropertyKind>().ToDictionary(SarefIris.KindName, StringComparer.Ordinal);

    private static readonly Dictionary<string, DeviceState> States =
        System.Enum.GetValues<DeviceState>().ToDictionary(s => SarefIris.JsonNaming(s.ToString()), StringComparer.Ordinal);

    private static readonly Dictionary<string, PowerSequenceState> SequenceStates =
        System.Enum.GetValues<PowerSequenceState>().ToDictionary(s => SarefIris.JsonNaming(s.ToString()), StringComparer.Ordinal);

    /// <summary>Unit symbols accepted (UCUM-like), with the factor to the library's unit.</summary>
    private static (Unit Unit, decimal Factor) UnitOf(string symbol, string path) => symbol switch
    {
        "W" => (Unit.Watt, 1m),
        "kW" => (Unit.Watt, 1000m),
        "Wh" => (Unit.WattHour, 1m),
        "kWh" => (Unit.WattHour, 1000m),
        "Cel" or "°C" => (Unit.DegreeCelsius, 1m),
        "V" => (Unit.Volt, 1m),
        "A" => (Unit.Ampere, 1m),
        "%" => (Unit.Percent, 1m),
        "lx" => (Unit.Lux, 1m),
        "Pa" => (Unit.Pascal, 1m),
        "Hz" => (Unit.Hertz, 1m),
        "1" => (Unit.None, 1m),
        _ => throw new SarefMappingException(path, $"unknown unit '{symbol}' (use W, kW, Wh, kWh, Cel, V, A, %, lx, Pa, Hz or 1)"),
    };

    // ---- JSON helpers ----

    private static void Members(JsonElement e, string path, params string[] allowed)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new SarefMappingException(path, "must be a JSON object");
        foreach (var p in e.EnumerateObject())
        {
            if (System.Array.IndexOf(allowed, p.Name) < 0) throw new SarefMappingException($"{path}.{p.Name}", $"unknown member (allowed: {string.Join(", ", allowed)})");
        }
    }

    private static T Enum<T>(string value, string path, Dictionary<string, T> names) =>
        names.TryGetValue(value, out var v) ? v : throw new SarefMappingException(path, $"'{value}' is not one of {string.Join(", ", names.Keys)}");

    private static IEnumerable<JsonElement> Array(JsonElement e, string path, string name)
    {
        if (!e.TryGetProperty(name, out var a) || a.ValueKind == JsonValueKind.Null) return [];
        if (a.ValueKind != JsonValueKind.Array) throw new SarefMappingException($"{path}.{name}", "must be an array");
        return a.EnumerateArray().ToList();
    }

    private static string StringValue(JsonElement e, string path) =>
        e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new SarefMappingException(path, "must be a string");

    private static string RequiredString(JsonElement e, string path, string name) =>
        OptionalString(e, path, name) ?? throw new SarefMappingException($"{path}.{name}", "is required");

    private static string? OptionalString(JsonElement e, string path, string name)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        var s = StringValue(v, $"{path}.{name}");
        if (s.Length > 4096) throw new SarefMappingException($"{path}.{name}", "is longer than 4096 characters");
        return s;
    }

    private static decimal? Number(JsonElement e, string path, string name)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDecimal(out var d)) throw new SarefMappingException($"{path}.{name}", "must be a number within ±7.9e28");
        return DecimalValue.Normalize(d);
    }

    private static uint? UIntMember(JsonElement e, string path, string name)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind == JsonValueKind.Number && v.TryGetUInt32(out var u) ? u : throw new SarefMappingException($"{path}.{name}", "must be an unsigned integer");
    }

    private static bool? Bool(JsonElement e, string path, string name)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new SarefMappingException($"{path}.{name}", "must be true or false"),
        };
    }

    private static DateTimeOffset? Timestamp(JsonElement e, string path, string name)
    {
        var s = OptionalString(e, path, name);
        if (s is null) return null;
        // RFC 3339 with an explicit offset: the instant must not depend on the reader's time zone.
        if (!(s.EndsWith('Z') || s.Length > 6 && s[^6] is '+' or '-' && s[^3] == ':')
            || !DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
        {
            throw new SarefMappingException($"{path}.{name}", $"'{s}' is not an RFC 3339 date-time with offset (e.g. 2026-11-30T18:00:00Z)");
        }
        return t;
    }

    private static TimeSpan? Duration(JsonElement e, string path, string name)
    {
        var s = OptionalString(e, path, name);
        if (s is null) return null;
        try
        {
            var d = XmlConvert.ToTimeSpan(s);
            return d < TimeSpan.Zero ? throw new SarefMappingException($"{path}.{name}", "must not be negative") : d;
        }
        catch (FormatException ex)
        {
            throw new SarefMappingException($"{path}.{name}", $"'{s}' is not an ISO 8601 duration (e.g. PT1H30M)", ex);
        }
        catch (OverflowException ex)
        {
            throw new SarefMappingException($"{path}.{name}", $"'{s}' is out of range", ex);
        }
    }
}
