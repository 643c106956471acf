using System.Security.Cryptography.X509Certificates;
using FlexCoop.Osb.Home;
using FlexCoop.Osb.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlexCoop.Osb.Agent;

/// <summary>How <see cref="HomeSimulation"/> runs.</summary>
public sealed record HomeSimulationOptions
{
    /// <summary>The middleware's base URL (enrolment), or the VTN's when <see cref="IssueCertificate"/> is set.</summary>
    public required Uri MiddlewareUrl { get; init; }

    /// <summary>How many homes.</summary>
    public int Homes { get; init; } = 20;

    /// <summary>The index of the first home (<c>home-0001</c> is index 0): several simulations, e.g. one per middleware node, run distinct homes.</summary>
    public int FirstHome { get; init; }

    /// <summary>The seed the homes are generated from (<see cref="HomeGenerator"/>).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The CA certificates the middleware's and VTN's certificates chain to.</summary>
    public IReadOnlyList<X509Certificate2> CertificateAuthorities { get; init; } = [];

    /// <summary>OAuth 2.0 client for enrolment.</summary>
    public string? ClientId { get; init; }

    public string? ClientSecret { get; init; }

    /// <summary>Certificate mode: makes each home's client certificate (no enrolment).</summary>
    public Func<HomeDefinition, X509Certificate2>? IssueCertificate { get; init; }

    /// <summary>Simulation time runs this many times faster than the clock.</summary>
    public double TimeScale { get; init; } = 1;

    /// <summary>Poll at this period instead of the VTN's.</summary>
    public TimeSpan? PollFrequency { get; init; }

    /// <summary>Home starts are spread evenly over this window, so their polls spread over the poll period (zero: as fast as allowed).</summary>
    public TimeSpan StartSpread { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Homes enrolling and registering at once.</summary>
    public int MaxConcurrentStarts { get; init; } = 16;

    /// <summary>Attempts per home before it is given up.</summary>
    public int StartAttempts { get; init; } = 3;

    /// <summary>How often local control runs (one loop for all homes).</summary>
    public TimeSpan ControlInterval { get; init; } = TimeSpan.FromSeconds(10);

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Told, while <see cref="HomeSimulation.StartAsync"/> runs, how many homes have finished starting (running or given up) so far.</summary>
    public IProgress<int>? StartProgress { get; init; }
}

/// <summary>
/// Many simulated homes in one process, each an <see cref="OpenSmartBox"/> with its own identity,
/// sharing one control loop. Starts are spread and bounded so thousands of homes can enrol and
/// register without a stampede, and their polls fall evenly over the poll period.
/// </summary>
/// <example>
/// <code>
/// await using var sim = await HomeSimulation.StartAsync(new HomeSimulationOptions
/// {
///     MiddlewareUrl = new Uri("https://127.0.0.1:8443"),
///     Homes = 50,
///     ClientId = "osb-enrolment",
///     ClientSecret = secret,
///     CertificateAuthorities = [ca],
/// }, cancellationToken);
/// Console.WriteLine($"{sim.Running} homes running");
/// </code>
/// </example>
public sealed class HomeSimulation : IAsyncDisposable
{
    private readonly HomeSimulationOptions _options;
    private readonly OpenSmartBox?[] _boxes;
    private readonly ControlScheduler _scheduler;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();

    private HomeSimulation(HomeSimulationOptions options)
    {
        _options = options;
        Homes = Enumerable.Range(options.FirstHome, options.Homes).Select(i => HomeGenerator.Generate(options.Seed, i)).ToList();
        _boxes = new OpenSmartBox?[options.Homes];
        _scheduler = new ControlScheduler(options.ControlInterval, options.Clock);
        _logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<HomeSimulation>();
    }

    /// <summary>The homes, in order.</summary>
    public IReadOnlyList<HomeDefinition> Homes { get; }

    /// <summary>The running boxes (null where a home is stopped or failed to start).</summary>
    public IReadOnlyList<OpenSmartBox?> Boxes
    {
        get
        {
            lock (_lock) return _boxes.ToArray();
        }
    }

    /// <summary>How many homes run.</summary>
    public int Running
    {
        get
        {
            lock (_lock) return _boxes.Count(b => b is not null);
        }
    }

    /// <summary>Why homes failed to start, by homeId.</summary>
    public IReadOnlyDictionary<string, string> Failures => _failures;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _failures = new(StringComparer.Ordinal);

    /// <summary>Generates and starts the homes; returns when each has started or used up its attempts.</summary>
    /// <exception cref="OsbConfigurationException">The options are inconsistent.</exception>
    public static async Task<HomeSimulation> StartAsync(HomeSimulationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Homes is < 1 or > 1_000_000) throw new OsbConfigurationException("the number of homes must be within 1..1000000");
        if (options.FirstHome is < 0 or > 1_000_000) throw new OsbConfigurationException("the first home's index must be within 0..1000000");
        if (options.MaxConcurrentStarts < 1 || options.StartAttempts < 1) throw new OsbConfigurationException("MaxConcurrentStarts and StartAttempts must be at least 1");
        if (options.IssueCertificate is null && (options.ClientId is null || options.ClientSecret is null))
        {
            throw new OsbConfigurationException("give client credentials for enrolment, or a certificate issuer");
        }
        var sim = new HomeSimulation(options);
        try
        {
            using var gate = new SemaphoreSlim(options.MaxConcurrentStarts);
            var started = options.Clock.GetUtcNow();
            var tasks = new List<Task>(options.Homes);
            var finished = 0;
            for (var i = 0; i < options.Homes; i++)
            {
                var slot = options.StartSpread * i / options.Homes;
                var wait = started + slot - options.Clock.GetUtcNow();
                if (wait > TimeSpan.Zero) await Task.Delay(wait, options.Clock, cancellationToken);
                await gate.WaitAsync(cancellationToken);
                var index = i;
                tasks.Add(Task.Run(async () =>
                {
                    try
                    {
                        await sim.StartHomeAsync(index, cancellationToken);
                    }
                    finally
                    {
                        gate.Release();
                        options.StartProgress?.Report(Interlocked.Increment(ref finished));
                    }
                }, CancellationToken.None));
            }
            await Task.WhenAll(tasks);
            return sim;
        }
        catch
        {
            await sim.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts (or restarts) home <paramref name="index"/>; a failure is recorded in <see cref="Failures"/> after the last attempt.</summary>
    public async Task<bool> StartHomeAsync(int index, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Homes.Count);
        await StopHomeAsync(index);
        var home = Homes[index];
        for (var attempt = 1; attempt <= _options.StartAttempts; attempt++)
        {
            try
            {
                var box = await OpenSmartBox.StartAsync(new OsbOptions
                {
                    MiddlewareUrl = _options.MiddlewareUrl,
                    Home = home,
                    ClientId = _options.IssueCertificate is null ? _options.ClientId : null,
                    ClientSecret = _options.IssueCertificate is null ? _options.ClientSecret : null,
                    ClientCertificate = _options.IssueCertificate?.Invoke(home),
                    CertificateAuthorities = _options.CertificateAuthorities,
                    TimeScale = _options.TimeScale,
                    Clock = _options.Clock,
                    PollFrequency = _options.PollFrequency,
                    ControlInterval = _options.ControlInterval,
                    LoggerFactory = _options.LoggerFactory,
                }, _scheduler, cancellationToken);
                lock (_lock) _boxes[index] = box;
                _failures.TryRemove(home.HomeId, out _);
                return true;
            }
            catch (Exception ex) when (ex is OsbException or OpenAdr.Ven.VenException && !cancellationToken.IsCancellationRequested)
            {
                if (attempt == _options.StartAttempts)
                {
                    _failures[home.HomeId] = ex.Message;
                    OsbLog.StartFailed(_logger, home.HomeId, ex.Message);
                    return false;
                }
                await Task.Delay(TimeSpan.FromSeconds(attempt), _options.Clock, cancellationToken);
            }
        }
        return false;
    }

    /// <summary>Stops home <paramref name="index"/> (its VEN stops polling; the middleware will see it time out).</summary>
    public async Task StopHomeAsync(int index)
    {
        OpenSmartBox? box;
        lock (_lock)
        {
            box = _boxes[index];
            _boxes[index] = null;
        }
        if (box is not null) await box.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _scheduler.DisposeAsync();
        for (var i = 0; i < _boxes.Length; i++) await StopHomeAsync(i);
    }
}
