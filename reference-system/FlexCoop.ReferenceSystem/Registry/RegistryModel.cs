using System.Text.Json.Serialization;
using FlexCoop.ReferenceSystem.Contracts;

namespace FlexCoop.ReferenceSystem.Registry;

/// <summary>Whether the registry hears from a home and its DERs.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DerState>))]
public enum DerState
{
    /// <summary>Heard from within the keep-alive window.</summary>
    Online,
    /// <summary>Not heard from within the keep-alive window; back online at its next message.</summary>
    TimedOut,
    /// <summary>The home's OpenADR registration ended.</summary>
    Deregistered,
}

/// <summary>Where a home is, as its Open Smart Box gave it at enrolment.</summary>
/// <param name="Latitude">WGS 84 degrees, −90 to 90.</param>
/// <param name="Longitude">WGS 84 degrees, −180 to 180.</param>
/// <param name="Postcode">Postal code, up to 16 characters.</param>
public sealed record HomeLocation(double? Latitude, double? Longitude, string? Postcode);

/// <summary>A device's ratings as the enrolment request gives them (ratings do not travel in OpenADR).</summary>
/// <param name="ResourceId">The device's <see cref="DerResourceId"/> as text, e.g. <c>HeatPump.main</c>.</param>
/// <param name="RatedPowerW">Rated power in W (negative for production).</param>
/// <param name="CapacityWh">Storage capacity in Wh; 0 when it stores nothing.</param>
/// <param name="Controllable">Whether the device follows OpenADR events.</param>
public sealed record DeviceRating(string ResourceId, double RatedPowerW, double CapacityWh, bool Controllable);

/// <summary>A home (one Open Smart Box, one VEN) as the registry holds it.</summary>
public sealed record HomeRecord
{
    /// <summary>The home's ID: its OSB's <c>oadrVenName</c> and certificate CN.</summary>
    public required string HomeId { get; init; }

    /// <summary>The venID of its current certificate.</summary>
    public string? VenId { get; init; }

    public HomeLocation? Location { get; init; }

    public DerState State { get; init; }

    public DateTimeOffset RegisteredAt { get; init; }

    public DateTimeOffset LastHeard { get; init; }
}

/// <summary>A DER's status from <c>TELEMETRY_STATUS</c> (<c>oadrPayloadResourceStatus</c>) and its latest power from <c>TELEMETRY_USAGE</c>.</summary>
public sealed record DerStatus
{
    /// <summary><c>oadrOnline</c>; null until the first status report.</summary>
    public bool? Online { get; init; }

    /// <summary><c>oadrManualOverride</c>; null until the first status report.</summary>
    public bool? ManualOverride { get; init; }

    /// <summary><c>oadrLoadControlState</c> values (<c>capacity</c>, <c>levelOffset</c>, <c>percentOffset</c>, <c>setPoint</c>), as reported.</summary>
    public string? LoadControlState { get; init; }

    /// <summary>Latest power reading in W.</summary>
    public double? PowerW { get; init; }

    /// <summary>When the status last changed.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>When a status or power reading was last applied (changed or not).</summary>
    public DateTimeOffset? ReportedAt { get; init; }
}

/// <summary>How current the registry is: what <c>GET /api/registry/summary</c> answers.</summary>
public sealed record RegistrySummary
{
    /// <summary>Homes with at least one DER not deregistered.</summary>
    public long Homes { get; init; }

    /// <summary>DERs not deregistered.</summary>
    public long Ders { get; init; }

    public long Online { get; init; }

    public long TimedOut { get; init; }

    /// <summary>Online DERs whose home was heard, and whose status was reported, at or after <see cref="CurrentSince"/>.</summary>
    public long Current { get; init; }

    public DateTimeOffset CurrentSince { get; init; }

    /// <summary>The least recent heard mark of a home with an online DER.</summary>
    public DateTimeOffset? OldestHeard { get; init; }

    /// <summary>The least recent status report of an online DER (the epoch when one never reported).</summary>
    public DateTimeOffset? OldestReport { get; init; }
}

/// <summary>One DER of a home: what its OSB announced in OpenADR, its ratings from enrolment, its status.</summary>
public sealed record DerRecord
{
    public required string HomeId { get; init; }

    /// <summary>The <c>ei:resourceID</c>, <c>&lt;kind&gt;.&lt;local name&gt;</c>.</summary>
    public required string ResourceId { get; init; }

    public required DerKind Kind { get; init; }

    /// <summary>The reports the OSB offers for it (<c>TELEMETRY_USAGE</c>, <c>TELEMETRY_STATUS</c>).</summary>
    public IReadOnlyList<string> Reports { get; init; } = [];

    /// <summary>The rIDs of its data points.</summary>
    public IReadOnlyList<string> RIds { get; init; } = [];

    public double? RatedPowerW { get; init; }

    public double? CapacityWh { get; init; }

    public bool Controllable { get; init; }

    public DerState State { get; init; }

    public DerStatus Status { get; init; } = new();

    public HomeLocation? Location { get; init; }

    public DateTimeOffset AddedAt { get; init; }

    public DateTimeOffset LastHeard { get; init; }

    /// <summary>True when it can take part in demand response now: online, reporting itself online, not overridden by its owner.</summary>
    public bool Available => State == DerState.Online && Status.Online != false && Status.ManualOverride != true;

    /// <summary>True when it stores energy (battery, hot-water tank, EV): a capacity above zero.</summary>
    public bool HasStorage => CapacityWh > 0;
}

/// <summary>What a registry log entry records.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RegistryEventKind>))]
public enum RegistryEventKind
{
    /// <summary>A home's OSB was enrolled (a client certificate issued).</summary>
    Enrolled,
    /// <summary>A home's OSB registered with the VTN.</summary>
    Registered,
    /// <summary>A device was announced for the first time.</summary>
    DeviceAdded,
    /// <summary>A device's announcement or ratings changed.</summary>
    DeviceChanged,
    /// <summary>A device is no longer announced.</summary>
    DeviceRemoved,
    /// <summary>Online, manual override or load-control state changed.</summary>
    StatusChanged,
    /// <summary>Not heard from within the keep-alive window.</summary>
    TimedOut,
    /// <summary>Heard from again after timing out.</summary>
    BackOnline,
    /// <summary>The home's registration ended.</summary>
    Deregistered,
}

/// <summary>One entry of the append-only registry log.</summary>
/// <param name="Sequence">Increasing, gap-free within one store; read on with <c>since</c>.</param>
/// <param name="At">When it happened.</param>
/// <param name="Kind">What happened.</param>
/// <param name="HomeId">The home.</param>
/// <param name="ResourceId">The DER, when it is about one.</param>
/// <param name="Detail">Human-readable detail (the new status, the changed ratings).</param>
public sealed record RegistryEvent(long Sequence, DateTimeOffset At, RegistryEventKind Kind, string HomeId, string? ResourceId, string Detail);

/// <summary>A search of the registry; every criterion given must hold.</summary>
public sealed record DerQuery
{
    public DerKind? Kind { get; init; }

    public bool? Controllable { get; init; }

    /// <summary>Rated power at least this many W (by magnitude: production counts too).</summary>
    public double? MinRatedPowerW { get; init; }

    public bool? HasStorage { get; init; }

    public DerState? State { get; init; }

    public bool? Available { get; init; }

    public string? Postcode { get; init; }

    /// <summary>With <see cref="NearLongitude"/> and <see cref="WithinKm"/>: great-circle distance from the home.</summary>
    public double? NearLatitude { get; init; }

    public double? NearLongitude { get; init; }

    public double? WithinKm { get; init; }

    /// <summary>Only these homes (a prosumer's); null for all.</summary>
    public IReadOnlyCollection<string>? HomeIds { get; init; }

    public int Limit { get; init; } = 1000;
}
