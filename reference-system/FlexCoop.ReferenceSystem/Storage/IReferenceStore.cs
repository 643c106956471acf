using FlexCoop.OpenAdr.Vtn.Storage;
using FlexCoop.ReferenceSystem.Registry;
using Microsoft.EntityFrameworkCore;

namespace FlexCoop.ReferenceSystem.Storage;

/// <summary>
/// The reference system's durable state, one store for every component: the VTN's own store, the
/// repositories of the identity service and the DER registry, and the Entity Framework database
/// the OpenIddict stores use. SQLite files by default (<see cref="SqliteReferenceStore"/>),
/// PostgreSQL to run several nodes on one database (<see cref="PostgresReferenceStore"/>).
/// Later components add their repositories here.
/// </summary>
public interface IReferenceStore : IAsyncDisposable
{
    /// <summary>Creates or migrates every table (idempotent; several nodes may start at once).</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>The VTN's state (VENs, events, reports, outbound queue).</summary>
    IVtnStore Vtn { get; }

    /// <summary>Homes, DERs and the registry log.</summary>
    IRegistryRepository Registry { get; }

    /// <summary>People's accounts, enrolments, shared secrets and the access log.</summary>
    IIdentityRepository Identity { get; }

    /// <summary>Points an Entity Framework context at this store's identity database.</summary>
    void ConfigureIdentityDatabase(DbContextOptionsBuilder builder);
}

/// <summary>The DER registry's durable state. Each change appends its log entries in the same transaction.</summary>
public interface IRegistryRepository
{
    /// <summary>A home registered (or re-registered) with the VTN under <paramref name="venId"/>.</summary>
    Task<IReadOnlyList<RegistryEvent>> RegisterHomeAsync(string homeId, string venId, HomeLocation? location, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Replaces the home's devices: new ones are added, changed ones updated, missing ones removed.</summary>
    Task<IReadOnlyList<RegistryEvent>> SetDevicesAsync(string homeId, IReadOnlyList<DerRecord> devices, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Applies status and power readings; a change of online, manual override or load-control state is logged.</summary>
    Task<IReadOnlyList<RegistryEvent>> UpdateStatusAsync(string homeId, IReadOnlyDictionary<string, DerStatus> statuses, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Applies the status and power readings of many homes (by homeId, then resourceID) in one transaction.</summary>
    Task<IReadOnlyList<RegistryEvent>> UpdateStatusesAsync(IReadOnlyDictionary<string, IReadOnlyDictionary<string, DerStatus>> statusesByHome, DateTimeOffset now,
        CancellationToken cancellationToken = default);

    /// <summary>Counts of homes and DERs by state, how many are current (home heard and status reported at or after <paramref name="currentSince"/>), the oldest marks.</summary>
    Task<RegistrySummary> SummarizeAsync(DateTimeOffset currentSince, CancellationToken cancellationToken = default);

    /// <summary>Marks homes (by venID) heard at the given times; timed-out ones come back online.</summary>
    Task<IReadOnlyList<RegistryEvent>> MarkHeardAsync(IReadOnlyDictionary<string, DateTimeOffset> heardByVenId, CancellationToken cancellationToken = default);

    /// <summary>Marks every online home (and its DERs) last heard before <paramref name="cutoff"/> timed out.</summary>
    Task<IReadOnlyList<RegistryEvent>> TimeOutAsync(DateTimeOffset cutoff, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>The home's registration ended.</summary>
    Task<IReadOnlyList<RegistryEvent>> DeregisterAsync(string venId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Appends an entry that goes with no other change (an enrolment).</summary>
    Task<RegistryEvent> AppendAsync(RegistryEventKind kind, string homeId, string? resourceId, string detail, DateTimeOffset now, CancellationToken cancellationToken = default);

    Task<HomeRecord?> GetHomeAsync(string homeId, CancellationToken cancellationToken = default);

    Task<HomeRecord?> GetHomeByVenAsync(string venId, CancellationToken cancellationToken = default);

    Task<DerRecord?> GetDerAsync(string homeId, string resourceId, CancellationToken cancellationToken = default);

    /// <summary>The DERs matching <paramref name="query"/>, by home and resource ID.</summary>
    Task<IReadOnlyList<DerRecord>> QueryDersAsync(DerQuery query, CancellationToken cancellationToken = default);

    /// <summary>Log entries after <paramref name="sinceSequence"/> and at or after <paramref name="sinceTime"/>, oldest first.</summary>
    Task<IReadOnlyList<RegistryEvent>> ReadLogAsync(long sinceSequence = 0, DateTimeOffset? sinceTime = null, IReadOnlyCollection<string>? homeIds = null, int limit = 1000, CancellationToken cancellationToken = default);
}

/// <summary>A person's account: an aggregator or a prosumer.</summary>
/// <param name="UserName">Sign-in name.</param>
/// <param name="Role"><see cref="Roles.Aggregator"/> or <see cref="Roles.Prosumer"/>.</param>
/// <param name="HomeIds">The homes a prosumer owns.</param>
/// <param name="PasswordHash">PBKDF2 hash (see <see cref="Identity.PasswordHashing"/>).</param>
public sealed record AccountRecord(string UserName, string Role, IReadOnlyList<string> HomeIds, string PasswordHash);

/// <summary>The roles of the reference system.</summary>
public static class Roles
{
    /// <summary>Runs the cooperative's flexibility: sees every DER, creates events.</summary>
    public const string Aggregator = "aggregator";

    /// <summary>Owns homes: sees their DERs only.</summary>
    public const string Prosumer = "prosumer";

    /// <summary>A software component or an Open Smart Box (client credentials).</summary>
    public const string Component = "component";
}

/// <summary>An enrolled Open Smart Box: the certificate it was issued and what it told about its home.</summary>
public sealed record EnrolmentRecord
{
    public required string HomeId { get; init; }

    public required string Fingerprint { get; init; }

    public required string SerialNumber { get; init; }

    /// <summary>The OAuth client that enrolled it.</summary>
    public required string EnrolledBy { get; init; }

    public HomeLocation? Location { get; init; }

    public IReadOnlyList<DeviceRating> Devices { get; init; } = [];

    public DateTimeOffset EnrolledAt { get; init; }
}

/// <summary>One refused request.</summary>
public sealed record AccessRefusal(long Id, DateTimeOffset At, string? Subject, string? Role, string Method, string Path, int Status, string Reason);

/// <summary>Accounts, enrolments, secrets shared by the nodes, and the access log.</summary>
public interface IIdentityRepository
{
    /// <summary>The value stored under <paramref name="name"/>, creating it with <paramref name="create"/> when absent; the first node to store it wins.</summary>
    Task<string> GetOrCreateSecretAsync(string name, Func<string> create, DateTimeOffset now, CancellationToken cancellationToken = default);

    Task SaveAccountAsync(AccountRecord account, DateTimeOffset now, CancellationToken cancellationToken = default);

    Task<AccountRecord?> GetAccountAsync(string userName, CancellationToken cancellationToken = default);

    Task SaveEnrolmentAsync(EnrolmentRecord enrolment, CancellationToken cancellationToken = default);

    Task<EnrolmentRecord?> GetEnrolmentAsync(string homeId, CancellationToken cancellationToken = default);

    Task LogRefusalAsync(AccessRefusal refusal, CancellationToken cancellationToken = default);

    /// <summary>The newest refusals first.</summary>
    Task<IReadOnlyList<AccessRefusal>> ReadRefusalsAsync(int limit = 100, CancellationToken cancellationToken = default);
}
