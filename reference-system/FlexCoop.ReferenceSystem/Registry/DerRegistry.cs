using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using FlexCoop.OpenAdr.Vtn;
using FlexCoop.ReferenceSystem.Bus;
using FlexCoop.ReferenceSystem.Contracts;
using FlexCoop.ReferenceSystem.Internal;
using FlexCoop.ReferenceSystem.Storage;
using Microsoft.Extensions.Logging;

namespace FlexCoop.ReferenceSystem.Registry;

/// <summary>How the registry tracks keep-alive.</summary>
public sealed record RegistryOptions
{
    /// <summary>The poll period VENs are asked for; the keep-alive window is <see cref="TimeoutPolls"/> of them.</summary>
    public TimeSpan PollPeriod { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A DER not heard from within this many poll periods is timed out.</summary>
    public int TimeoutPolls { get; init; } = 3;

    /// <summary>The keep-alive window.</summary>
    public TimeSpan Window => PollPeriod * TimeoutPolls;

    /// <summary>How often heard marks are written and silent homes looked for: a quarter poll period, at most one second.</summary>
    public TimeSpan SweepInterval => TimeSpan.FromTicks(Math.Clamp(PollPeriod.Ticks / 4, TimeSpan.FromMilliseconds(50).Ticks, TimeSpan.FromSeconds(1).Ticks));
}

/// <summary>
/// The DER registry: filled from what the VTN receives (registrations, report metadata, status
/// reports) and from enrolment (location, ratings); keeps every home's keep-alive; appends each
/// change to the registry log in the store and announces it on the bus
/// (<see cref="BusTopics.RegistryLog"/>). Query it through <see cref="IRegistryRepository"/>.
/// </summary>
public sealed class DerRegistry : IAsyncDisposable
{
    private readonly IReferenceStore _store;
    private readonly OadrVtn _vtn;
    private readonly IComponentBus _bus;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly Channel<VtnActivity> _activities = Channel.CreateUnbounded<VtnActivity>(new() { SingleReader = true });
    private readonly ConcurrentDictionary<string, DateTimeOffset> _heard = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _homeByVen = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private Task? _applyLoop;
    private Task? _keepAliveLoop;

    public DerRegistry(IReferenceStore store, OadrVtn vtn, IComponentBus bus, RegistryOptions options, TimeProvider clock, ILogger<DerRegistry> logger)
    {
        _store = store;
        _vtn = vtn;
        _bus = bus;
        Options = options;
        _clock = clock;
        _logger = logger;
    }

    public RegistryOptions Options { get; }

    /// <summary>The repository the registry writes; read DERs and the log from it.</summary>
    public IRegistryRepository Repository => _store.Registry;

    /// <summary>Raised for each log entry this node appended, after it is committed.</summary>
    public event EventHandler<RegistryEventArgs>? Appended;

    /// <summary>Raised when a registration is kept out of the registry (its venName is not the home its certificate was enrolled for), after it is logged.</summary>
    public event EventHandler<AccessRefusalEventArgs>? RegistrationRefused;

    /// <summary>Starts following the VTN and tracking keep-alive.</summary>
    public void Start()
    {
        _vtn.Activity += OnActivity;
        _applyLoop = Task.Run(ApplyLoopAsync);
        _keepAliveLoop = Task.Run(KeepAliveLoopAsync);
    }

    /// <summary>A message from <paramref name="venId"/> arrived: the home and its DERs are heard now.</summary>
    public void Heard(string venId) => _heard[venId] = _clock.GetUtcNow();

    private void OnActivity(object? sender, VtnActivityEventArgs e)
    {
        if (e.Activity.VenId is not null && e.Activity.Kind is VtnActivityKind.Registered or VtnActivityKind.ReportsRegistered
            or VtnActivityKind.ReportUpdated or VtnActivityKind.RegistrationCancelled)
        {
            _activities.Writer.TryWrite(e.Activity);
        }
    }

    /// <summary>At most this many homes' readings are applied in one transaction.</summary>
    private const int StatusBatch = 2000;

    /// <summary>At most this many of the newest readings are read per home: a report of every device's status and power.</summary>
    private const int ReadingsPerHome = 32;

    private async Task ApplyLoopAsync()
    {
        try
        {
            while (await _activities.Reader.WaitToReadAsync(_stop.Token))
            {
                // Registrations and report metadata are applied in order as they come; readings are
                // only noted, then applied for every home that reported meanwhile in one batch, so
                // the store sees one transaction per batch rather than one per oadrUpdateReport.
                while (_reported.Count < StatusBatch && _activities.Reader.TryRead(out var activity))
                {
                    if (activity.Kind == VtnActivityKind.ReportUpdated)
                    {
                        _reported.Add(activity.VenId!);
                        continue;
                    }
                    try
                    {
                        await ApplyAsync(activity, _stop.Token);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !_stop.IsCancellationRequested)
                    {
                        // One activity that cannot be applied must not stop the registry following the VTN.
                        ReferenceLog.RegistryFailed(_logger, ex, activity.Kind.ToString(), activity.VenId!);
                    }
                }
                if (_reported.Count == 0) continue;
                try
                {
                    await ApplyReadingsAsync([.. _reported], _stop.Token);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !_stop.IsCancellationRequested)
                {
                    ReferenceLog.RegistryFailed(_logger, ex, nameof(VtnActivityKind.ReportUpdated), $"{_reported.Count} homes");
                }
                _reported.Clear();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The home a venID is registered for (remembered; looked up in the store once).</summary>
    private async ValueTask<string?> HomeOfAsync(string venId, CancellationToken cancellationToken)
    {
        if (_homeByVen.TryGetValue(venId, out var homeId)) return homeId;
        var home = await Repository.GetHomeByVenAsync(venId, cancellationToken);
        if (home is null) return null;
        _homeByVen[venId] = home.HomeId;
        return home.HomeId;
    }

    private async Task ApplyReadingsAsync(IReadOnlyList<string> venIds, CancellationToken cancellationToken)
    {
        var byHome = new ConcurrentDictionary<string, IReadOnlyDictionary<string, DerStatus>>(StringComparer.Ordinal);
        // Reads run beside each other (SQLite readers do not wait for the writer in WAL mode).
        await Parallel.ForEachAsync(venIds, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (venId, ct) =>
        {
            var homeId = await HomeOfAsync(venId, ct);
            if (homeId is null) return;
            var statuses = StatusesOf(await _store.Vtn.GetReadingsAsync(venId, null, ReadingsPerHome, ct));
            if (statuses.Count > 0) byHome[homeId] = statuses;
        });
        if (byHome.IsEmpty) return;
        await PublishAsync(await Repository.UpdateStatusesAsync(byHome, _clock.GetUtcNow(), cancellationToken), cancellationToken);
    }

    /// <summary>The latest status and power of each resource in readings given oldest first.</summary>
    private static Dictionary<string, DerStatus> StatusesOf(IReadOnlyList<OpenAdr.Vtn.Storage.ReportReadingRecord> readings)
    {
        var statuses = new Dictionary<string, DerStatus>(StringComparer.Ordinal);
        foreach (var reading in readings)
        {
            var slash = reading.RId.LastIndexOf('/');
            if (slash <= 0) continue;
            var resourceId = reading.RId[..slash];
            var measure = reading.RId[(slash + 1)..];
            var current = statuses.GetValueOrDefault(resourceId) ?? new DerStatus();
            if (measure == "status" && reading.PayloadText is { } text)
            {
                statuses[resourceId] = ParseStatus(text) with { PowerW = current.PowerW };
            }
            else if (measure == "power" && reading.Value is { } value)
            {
                statuses[resourceId] = current with { PowerW = value };
            }
        }
        return statuses;
    }

    private async Task ApplyAsync(VtnActivity activity, CancellationToken cancellationToken)
    {
        var venId = activity.VenId!;
        var now = _clock.GetUtcNow();
        switch (activity.Kind)
        {
            case VtnActivityKind.Registered:
            {
                var ven = _vtn.FindVen(venId) ?? await _store.Vtn.GetVenAsync(venId, cancellationToken);
                var homeId = ven?.VenName;
                if (homeId is null) return;
                var enrolment = await _store.Identity.GetEnrolmentAsync(homeId, cancellationToken);
                if (enrolment is null || !string.Equals(enrolment.Fingerprint, venId, StringComparison.Ordinal))
                {
                    // A venName must be the home its certificate was enrolled for.
                    var reason = enrolment is null ? $"home {homeId} is not enrolled" : $"venID {venId} is not the certificate enrolled for {homeId}";
                    ReferenceLog.AccessRefused(_logger, "oadrCreatePartyRegistration", "/OpenADR2/Simple/2.0b/EiRegisterParty", venId, "osb", 403, reason);
                    var refusal = new AccessRefusal(0, now, venId, "osb", "OpenADR", "/OpenADR2/Simple/2.0b/EiRegisterParty", 403, reason);
                    await _store.Identity.LogRefusalAsync(refusal, cancellationToken);
                    RegistrationRefused?.Invoke(this, new AccessRefusalEventArgs(refusal));
                    return;
                }
                await PublishAsync(await Repository.RegisterHomeAsync(homeId, venId, enrolment.Location, now, cancellationToken), cancellationToken);
                // A home re-enrolled with a new certificate: its old venID no longer maps to it.
                foreach (var stale in _homeByVen.Where(p => p.Value == homeId && p.Key != venId).Select(p => p.Key).ToList()) _homeByVen.TryRemove(stale, out _);
                _homeByVen[venId] = homeId;
                break;
            }
            case VtnActivityKind.ReportsRegistered:
            {
                var home = await Repository.GetHomeByVenAsync(venId, cancellationToken);
                if (home is null) return;
                var enrolment = await _store.Identity.GetEnrolmentAsync(home.HomeId, cancellationToken);
                var ratings = (enrolment?.Devices ?? []).GroupBy(d => d.ResourceId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
                var metadata = await _store.Vtn.GetVenReportsAsync(venId, cancellationToken);
                var devices = new List<DerRecord>();
                foreach (var group in metadata.SelectMany(r => r.Descriptions.Select(d => (Report: r.ReportName, Description: d)))
                    .Where(x => x.Description.ResourceId is not null)
                    .GroupBy(x => x.Description.ResourceId!, StringComparer.Ordinal))
                {
                    if (!DerResourceId.TryParse(group.Key, out var id))
                    {
                        ReferenceLog.DeviceIgnored(_logger, home.HomeId, group.Key, "not a <DerKind>.<local name> resource ID");
                        continue;
                    }
                    ratings.TryGetValue(group.Key, out var rating);
                    devices.Add(new DerRecord
                    {
                        HomeId = home.HomeId,
                        ResourceId = group.Key,
                        Kind = id.Value.Kind,
                        Reports = group.Select(x => x.Report).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
                        RIds = group.Select(x => x.Description.RId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
                        RatedPowerW = rating?.RatedPowerW,
                        CapacityWh = rating?.CapacityWh,
                        Controllable = rating?.Controllable ?? false,
                    });
                }
                await PublishAsync(await Repository.SetDevicesAsync(home.HomeId, devices, now, cancellationToken), cancellationToken);
                break;
            }
            case VtnActivityKind.ReportUpdated:
                await ApplyReadingsAsync([venId], cancellationToken);
                break;
            case VtnActivityKind.RegistrationCancelled:
                _homeByVen.TryRemove(venId, out _);
                await PublishAsync(await Repository.DeregisterAsync(venId, now, cancellationToken), cancellationToken);
                break;
        }
    }

    /// <summary>Reads the VTN's stored form of <c>oadrPayloadResourceStatus</c>: <c>online=true;manualOverride=false;levelOffset=1</c>.</summary>
    public static DerStatus ParseStatus(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        bool? online = null, manualOverride = null;
        var loadControl = new List<string>();
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) continue;
            var (name, value) = (part[..eq], part[(eq + 1)..]);
            switch (name)
            {
                case "online": online = value == "true"; break;
                case "manualOverride": manualOverride = value == "true"; break;
                default:
                    if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) loadControl.Add($"{name}={value}");
                    break;
            }
        }
        return new DerStatus { Online = online, ManualOverride = manualOverride, LoadControlState = loadControl.Count == 0 ? null : string.Join(';', loadControl) };
    }

    /// <summary>Appends an enrolment to the log.</summary>
    internal async Task LogEnrolmentAsync(string homeId, string detail, CancellationToken cancellationToken)
    {
        var entry = await Repository.AppendAsync(RegistryEventKind.Enrolled, homeId, null, detail, _clock.GetUtcNow(), cancellationToken);
        await PublishAsync([entry], cancellationToken);
    }

    private async Task PublishAsync(IReadOnlyList<RegistryEvent> entries, CancellationToken cancellationToken)
    {
        foreach (var entry in entries)
        {
            ReferenceLog.RegistryEvent(_logger, entry.Kind.ToString(), entry.HomeId, entry.ResourceId ?? "", entry.Detail);
            Appended?.Invoke(this, new RegistryEventArgs(entry));
            try
            {
                await _bus.PublishAsync(BusTopics.RegistryLog, entry, cancellationToken);
            }
            catch (ComponentBusException ex)
            {
                // The log in the store is the record; the bus only tells who listens now.
                ReferenceLog.RegistryFailed(_logger, ex, "publish " + entry.Kind, entry.HomeId);
            }
        }
    }

    private async Task KeepAliveLoopAsync()
    {
        using var timer = new PeriodicTimer(Options.SweepInterval, _clock);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    await SweepAsync(_stop.Token);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !_stop.IsCancellationRequested)
                {
                    ReferenceLog.KeepAliveFailed(_logger, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Writes the heard marks collected since the last sweep, then times out the homes silent for the whole window.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken = default)
    {
        var batch = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var venId in _heard.Keys)
        {
            if (_heard.TryRemove(venId, out var at)) batch[venId] = at;
        }
        if (batch.Count > 0) await PublishAsync(await Repository.MarkHeardAsync(batch, cancellationToken), cancellationToken);
        var now = _clock.GetUtcNow();
        await PublishAsync(await Repository.TimeOutAsync(now - Options.Window, now, cancellationToken), cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _vtn.Activity -= OnActivity;
        _activities.Writer.TryComplete();
        await _stop.CancelAsync();
        if (_applyLoop is not null) await _applyLoop;
        if (_keepAliveLoop is not null) await _keepAliveLoop;
        _stop.Dispose();
    }
}

/// <summary>The argument of <see cref="DerRegistry.Appended"/>.</summary>
public sealed class RegistryEventArgs(RegistryEvent entry) : EventArgs
{
    public RegistryEvent Entry { get; } = entry;
}

/// <summary>The argument of <see cref="DerRegistry.RegistrationRefused"/>.</summary>
public sealed class AccessRefusalEventArgs(AccessRefusal refusal) : EventArgs
{
    public AccessRefusal Refusal { get; } = refusal;
}
