using FlexCoop.OpenAdr.Vtn;
using FlexCoop.OpenAdr.Vtn.Storage;
using FlexCoop.ReferenceSystem.Internal;
using Microsoft.Extensions.Logging;

namespace FlexCoop.ReferenceSystem.Hosting;

/// <summary>
/// How long the VTN's report readings (<c>TELEMETRY_USAGE</c>, <c>TELEMETRY_STATUS</c>) are kept:
/// every 10 s status report of every DER is a row, so without a bound the table grows by
/// 8,000 rows a second at 10,000 homes. Null for a bound turns it off.
/// </summary>
public sealed record ReadingsRetentionOptions
{
    /// <summary>Readings received longer ago than this are deleted.</summary>
    public TimeSpan? MaxAge { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Of each DER's measure (a VEN's rID, e.g. <c>HeatPump.main/power</c>) only the newest this many readings are kept.</summary>
    public int? KeepPerRId { get; init; } = 1000;

    /// <summary>How often the purge runs.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Rows deleted per transaction, so reports arriving meanwhile wait at most one batch.</summary>
    public int Batch { get; init; } = 5000;

    internal void Validate()
    {
        if (MaxAge is { } age && age < TimeSpan.FromMinutes(1)) throw new ReferenceConfigurationException("readings are kept at least one minute");
        if (KeepPerRId is < 1) throw new ReferenceConfigurationException("at least one reading per rID is kept (the registry reads the latest)");
        if (Interval < TimeSpan.FromMilliseconds(100) || Interval > TimeSpan.FromDays(1)) throw new ReferenceConfigurationException("the retention interval is between 100 ms and 1 day");
        if (Batch is < 1 or > 1_000_000) throw new ReferenceConfigurationException("the retention batch is between 1 and 1,000,000 rows");
    }
}

/// <summary>Runs <see cref="IVtnStore.PurgeReadingsAsync"/> on a schedule. Each node runs it; the deletes are idempotent.</summary>
public sealed class ReadingsRetention : IAsyncDisposable
{
    private readonly IVtnStore _store;
    private readonly ReadingsRetentionOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public ReadingsRetention(IVtnStore store, ReadingsRetentionOptions options, TimeProvider clock, ILogger<ReadingsRetention> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _store = store;
        _options = options;
        _clock = clock;
        _logger = logger;
    }

    /// <summary>Raised after each purge with the number of readings deleted.</summary>
    public event EventHandler<long>? Purged;

    internal void Start()
    {
        if (_options.MaxAge is null && _options.KeepPerRId is null) return;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Purges now; returns how many readings were deleted.</summary>
    public async Task<long> PurgeAsync(CancellationToken cancellationToken = default)
    {
        var cut = _options.MaxAge is { } age ? _clock.GetUtcNow() - age : (DateTimeOffset?)null;
        var deleted = await _store.PurgeReadingsAsync(cut, _options.KeepPerRId, _options.Batch, cancellationToken);
        ReferenceLog.ReadingsPurged(_logger, deleted);
        Purged?.Invoke(this, deleted);
        return deleted;
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(_options.Interval, _clock);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    await PurgeAsync(_stop.Token);
                }
                catch (VtnStoreException ex)
                {
                    ReferenceLog.RetentionFailed(_logger, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null) await _loop;
        _stop.Dispose();
    }
}
