using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Ven;
using FlexCoop.Osb.Devices;
using FlexCoop.Osb.Home;
using FlexCoop.Osb.Internal;
using FlexCoop.Osb.Simulation;
using FlexCoop.ReferenceSystem.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlexCoop.Osb.Agent;

/// <summary>
/// The Open Smart Box agent: an OpenADR 2.0b VEN (<see cref="OadrVen"/>) for one home, its device
/// layer (a simulated home or real devices over MQTT) and local control. On start it enrols with the
/// middleware (client credentials → token → CSR → certificate) unless given a certificate, registers
/// with venName = homeId, announces every device in TELEMETRY_USAGE and TELEMETRY_STATUS metadata,
/// reports them as the VTN requests, and obeys events within the comfort limits, opting out of
/// those it cannot follow (in <c>oadrCreatedEvent</c>, or later with <c>oadrCreateOpt</c> when an
/// active event comes to break the EV's need or an occupant overrides a device).
/// </summary>
/// <example>
/// <code>
/// await using var osb = await OpenSmartBox.StartAsync(new OsbOptions
/// {
///     MiddlewareUrl = new Uri("https://coop.example:8443"),
///     Home = HomeFile.Load("home.json"),
///     ClientId = "osb-enrolment",
///     ClientSecret = File.ReadAllText("osb-enrolment.secret").Trim(),
///     CertificateAuthorities = [X509CertificateLoader.LoadCertificateFromFile("ca.crt")],
/// });
/// </code>
/// </example>
public sealed class OpenSmartBox : IAsyncDisposable
{
    private readonly OsbOptions _options;
    private readonly ILogger _logger;
    private readonly LocalController _controller;
    private readonly ControlScheduler? _ownScheduler;
    private readonly ControlScheduler? _sharedScheduler;
    private readonly SemaphoreSlim _tick = new(1, 1);
    private readonly Dictionary<DerResourceId, DeviceControl> _applied = [];
    private readonly ConcurrentDictionary<string, byte> _optedOutLive = new(StringComparer.Ordinal);
    private readonly bool _ownsDevices;
    private OadrVen? _ven;
    private int _level;
    private int _disposed;

    private OpenSmartBox(OsbOptions options, IDeviceAdapter devices, bool ownsDevices, ControlScheduler? shared)
    {
        _options = options;
        Devices = devices;
        _ownsDevices = ownsDevices;
        _logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<OpenSmartBox>();
        _controller = new LocalController(options.Home, options.TimeScale);
        _sharedScheduler = shared;
        if (shared is null) _ownScheduler = new ControlScheduler(options.ControlInterval, options.Clock);
    }

    /// <summary>The home.</summary>
    public HomeDefinition Home => _options.Home;

    /// <summary>The homeId (the venName).</summary>
    public string HomeId => _options.Home.HomeId;

    /// <summary>The device layer.</summary>
    public IDeviceAdapter Devices { get; }

    /// <summary>The VEN.</summary>
    public OadrVen Ven => _ven ?? throw new InvalidOperationException("the OSB has not started");

    /// <summary>What the middleware gave at enrolment; null in certificate mode.</summary>
    public OsbEnrolment? Enrolment { get; private set; }

    /// <summary>The demand-response level local control applies now (0: none).</summary>
    public int Level => Volatile.Read(ref _level);

    /// <summary>Local control, for inspection.</summary>
    public LocalController Controller => _controller;

    /// <summary>Raised when the agent decides on an event (opt in or out, and why).</summary>
    public event EventHandler<OsbDecisionEventArgs>? Decided;

    /// <summary>Raised when local control moves to another level.</summary>
    public event EventHandler<int>? LevelChanged;

    /// <summary>Starts an OSB: device layer, enrolment (or the given certificate), registration, control.</summary>
    /// <exception cref="OsbConfigurationException">The options are inconsistent.</exception>
    /// <exception cref="OsbEnrolmentException">Enrolment failed.</exception>
    /// <exception cref="OsbDeviceException">The devices cannot be reached.</exception>
    /// <exception cref="VenException">Registration with the VTN failed.</exception>
    public static Task<OpenSmartBox> StartAsync(OsbOptions options, CancellationToken cancellationToken = default) =>
        StartAsync(options, null, cancellationToken);

    internal static async Task<OpenSmartBox> StartAsync(OsbOptions options, ControlScheduler? scheduler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        IDeviceAdapter devices;
        var ownsDevices = options.Devices is null;
        if (options.Devices is { } given) devices = given;
        else if (options.Home.Mqtt is not null) devices = await MqttDeviceAdapter.ConnectAsync(options.Home, options.Clock, cancellationToken);
        else devices = new SimulatedHome(options.Home, options.TimeScale == 1 ? options.Clock : new ScaledTimeProvider(options.Clock, options.TimeScale));
        var box = new OpenSmartBox(options, devices, ownsDevices, scheduler);
        try
        {
            await box.StartVenAsync(cancellationToken);
            (scheduler ?? box._ownScheduler)!.Add(box);
            return box;
        }
        catch
        {
            await box.DisposeAsync();
            throw;
        }
    }

    private async Task StartVenAsync(CancellationToken cancellationToken)
    {
        var certificate = _options.ClientCertificate;
        var anchors = _options.CertificateAuthorities.ToList();
        var vtnUrl = _options.MiddlewareUrl;
        var statusPeriod = _options.StatusSamplingPeriod ?? _options.PollFrequency ?? TimeSpan.FromSeconds(10);
        if (certificate is null)
        {
            using var client = new EnrolmentClient(_options.MiddlewareUrl, anchors);
            Enrolment = await client.EnrolAsync(_options.Home, _options.ClientId!, _options.ClientSecret!, cancellationToken);
            certificate = Enrolment.Certificate;
            anchors.Add(Enrolment.CaCertificate);
            vtnUrl = Enrolment.VtnUrl;
            statusPeriod = _options.StatusSamplingPeriod ?? Enrolment.PollPeriod;
            OsbLog.Enrolled(_logger, HomeId, certificate.Subject, vtnUrl);
        }
        var venOptions = new VenOptions
        {
            VtnUrl = vtnUrl,
            VenName = HomeId,
            ClientCertificate = certificate,
            VtnCertificateAuthorities = anchors,
            StatePath = _options.StatePath,
            PollFrequency = _options.PollFrequency,
            ResourceIds = Devices.Devices.Select(d => d.ResourceId.ToString()).ToList(),
            ReportProviders = [new OsbReports.Usage(Devices, statusPeriod), new OsbReports.Status(Devices, statusPeriod)],
            DecideOpt = Decide,
            RandomSeed = (int)(_options.Home.Seed & 0x7FFFFFFF),
            MaxConnectionsPerServer = 1, // one TLS session per home: thousands of homes share a process
        };
        _ven = await OadrVen.StartAsync(venOptions, _options.Clock, _options.LoggerFactory, cancellationToken);
        _ven.EventChanged += (_, _) => _ = Task.Run(() => TickAsync(CancellationToken.None));
        OsbLog.Registered(_logger, HomeId, _ven.VenId, Devices.Devices.Count);
    }

    /// <summary>Called by the VEN (under its lock) for each new or changed event.</summary>
    private OptType Decide(VenEvent e)
    {
        OptDecision decision;
        try
        {
            decision = _controller.Decide(e, Devices, _options.Clock.GetUtcNow());
        }
        catch (OsbException ex)
        {
            decision = new OptDecision(OptType.OptOut, $"cannot judge the event: {ex.Message}");
        }
        OsbLog.Decided(_logger, HomeId, e.EventId, decision.Opt == OptType.OptIn ? "optIn" : "optOut", decision.Reason);
        Decided?.Invoke(this, new OsbDecisionEventArgs(e.EventId, decision));
        return decision.Opt;
    }

    /// <summary>
    /// One round of local control: the level the active events ask for now, the devices commanded
    /// accordingly, and an <c>oadrCreateOpt</c> optOut for an active event the home can no longer follow.
    /// Runs every control interval and whenever an event changes; rounds never overlap.
    /// </summary>
    public async Task TickAsync(CancellationToken cancellationToken = default)
    {
        if (_ven is not { } ven || Volatile.Read(ref _disposed) != 0) return;
        try
        {
            await _tick.WaitAsync(cancellationToken);
        }
        catch (ObjectDisposedException)
        {
            return;
        }
        try
        {
            var now = _options.Clock.GetUtcNow();
            var active = ven.Events.Where(e => e.Opt == OptType.OptIn && !e.IsTest && e.EffectiveStart <= now && (e.EffectiveEnd is not { } end || now < end)).ToList();
            var level = 0;
            if (active.Count > 0)
            {
                var homePower = LocalController.HomePowerW(Devices);
                foreach (var e in active)
                {
                    var demand = _controller.DemandAt(e, now, homePower);
                    var remaining = (e.EffectiveEnd ?? now + TimeSpan.FromHours(1)) - now;
                    var needed = _controller.LevelFor(demand, Devices, remaining * _options.TimeScale) ?? 3;
                    level = Math.Max(level, needed);
                }
            }
            foreach (var (device, control) in _controller.Plan(level, Devices))
            {
                if (_applied.TryGetValue(device, out var applied) && applied == control) continue;
                await Devices.ApplyAsync(device, control, cancellationToken);
                _applied[device] = control;
            }
            if (Interlocked.Exchange(ref _level, level) != level)
            {
                OsbLog.LevelChanged(_logger, HomeId, level);
                LevelChanged?.Invoke(this, level);
            }
            if (level > 0) await CheckActiveEventsAsync(ven, active, level, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is OsbException or VenException or InvalidOperationException)
        {
            OsbLog.TickFailed(_logger, HomeId, ex.Message);
        }
        finally
        {
            _tick.Release();
        }
    }

    /// <summary>Opts out of active events an occupant's override or the EV's need now prevents following.</summary>
    private async Task CheckActiveEventsAsync(OadrVen ven, IReadOnlyList<VenEvent> active, int level, CancellationToken cancellationToken)
    {
        (OptReason Reason, string Why)? problem = null;
        foreach (var d in Devices.Devices.Where(d => d.Controllable))
        {
            var r = Devices.Read(d.ResourceId);
            if (r.ManualOverride) problem = (OptReason.OverrideStatus, $"{d.ResourceId} is overridden by hand");
            else if (level >= 2 && r.MustRun) problem = (OptReason.MustRun, $"{d.ResourceId} must charge to meet its departure need");
        }
        if (problem is not { } p) return;
        foreach (var e in active.Where(e => _optedOutLive.TryAdd(e.EventId, 0)))
        {
            OsbLog.OptingOut(_logger, HomeId, e.EventId, p.Why);
            await ven.OptEventAsync(e.EventId, OptType.OptOut, p.Reason, cancellationToken);
            Decided?.Invoke(this, new OsbDecisionEventArgs(e.EventId, new OptDecision(OptType.OptOut, p.Why)));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _sharedScheduler?.Remove(this);
        if (_ownScheduler is not null) await _ownScheduler.DisposeAsync();
        if (_ven is not null) await _ven.DisposeAsync();
        if (_ownsDevices) await Devices.DisposeAsync();
        // Wait for a tick in flight, then release.
        await _tick.WaitAsync();
        _tick.Dispose();
    }
}

/// <summary>The argument of <see cref="OpenSmartBox.Decided"/>.</summary>
public sealed class OsbDecisionEventArgs(string eventId, OptDecision decision) : EventArgs
{
    public string EventId { get; } = eventId;

    public OptDecision Decision { get; } = decision;
}
