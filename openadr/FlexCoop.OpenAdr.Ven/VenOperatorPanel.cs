using FlexCoop.OpenAdr.Model;
using Microsoft.Extensions.Logging;

namespace FlexCoop.OpenAdr.Ven;

/// <summary>
/// What a person at the device's panel can do, by name, so a certification suite's operator
/// actions (<c>--action-hook</c>) can drive a VEN: <c>restart</c>, <c>cancel-registration</c>,
/// <c>reregister</c>, <c>opt-out-event</c> and <c>opt-in-event</c> (the event the VEN heard of last), and the opt schedules
/// <c>opt-schedule-two-windows</c>, <c>opt-schedule-open-ended</c>, <c>opt-schedule-create-cancel</c>,
/// <c>opt-out-market-context</c>, <c>opt-out-target</c>, <c>opt-schedule-replace</c>.
/// Owns the VEN: <c>restart</c> disposes it and starts a new one on the same options (and state file).
/// </summary>
public sealed class VenOperatorPanel : IAsyncDisposable
{
    private readonly VenOptions _options;
    private readonly TimeProvider? _clock;
    private readonly ILoggerFactory? _loggerFactory;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Action<OadrVen>? _attached;
    private string? _lastEventId;

    private VenOperatorPanel(VenOptions options, TimeProvider? clock, ILoggerFactory? loggerFactory, Action<OadrVen>? attached, OadrVen ven)
    {
        _options = options;
        _clock = clock;
        _loggerFactory = loggerFactory;
        _attached = attached;
        Ven = ven;
        Attach(ven);
    }

    /// <summary>The action names <see cref="PerformAsync"/> knows.</summary>
    public static IReadOnlyList<string> Actions { get; } =
    [
        "restart", "cancel-registration", "reregister", "opt-out-event", "opt-in-event", "opt-schedule-two-windows", "opt-schedule-open-ended",
        "opt-schedule-create-cancel", "opt-out-market-context", "opt-out-target", "opt-schedule-replace",
    ];

    /// <summary>The VEN running now (a new instance after <c>restart</c>).</summary>
    public OadrVen Ven { get; private set; }

    /// <summary>Starts a VEN; <paramref name="attached"/> is called with it and with every VEN a restart makes.</summary>
    public static async Task<VenOperatorPanel> StartAsync(VenOptions options, TimeProvider? clock = null, ILoggerFactory? loggerFactory = null,
        Action<OadrVen>? attached = null, CancellationToken cancellationToken = default)
    {
        var ven = await OadrVen.StartAsync(options, clock, loggerFactory, cancellationToken);
        return new VenOperatorPanel(options, clock, loggerFactory, attached, ven);
    }

    private void Attach(OadrVen ven)
    {
        ven.EventChanged += (_, e) =>
        {
            if (e.Change is VenEventChange.Added or VenEventChange.Modified) _lastEventId = e.Event.EventId;
        };
        _attached?.Invoke(ven);
    }

    /// <summary>Performs the named action and returns when it is done.</summary>
    /// <exception cref="VenConfigurationException">No action has that name.</exception>
    /// <exception cref="VenException">The VEN could not do it (the VTN refused, is unreachable, ...).</exception>
    public async Task PerformAsync(string action, CancellationToken cancellationToken = default)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var now = DateTimeOffset.UtcNow;
            var hour = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero) + TimeSpan.FromMinutes(5);
            var marketContext = _options.MarketContexts.Count > 0 ? _options.MarketContexts[0] : null;
            switch (action)
            {
                case "restart":
                    await Ven.DisposeAsync();
                    Ven = await OadrVen.StartAsync(_options, _clock, _loggerFactory, cancellationToken);
                    Attach(Ven);
                    break;
                case "cancel-registration":
                    await Ven.CancelRegistrationAsync(cancellationToken);
                    break;
                case "reregister":
                    await Ven.RegisterAsync(cancellationToken);
                    break;
                case "opt-out-event":
                    var eventId = _lastEventId ?? throw new VenConfigurationException("the VEN has heard of no event to opt out of");
                    await Ven.OptEventAsync(eventId, OptType.OptOut, OptReason.OverrideStatus, cancellationToken);
                    break;
                case "opt-in-event":
                    await Ven.OptEventAsync(_lastEventId ?? throw new VenConfigurationException("the VEN has heard of no event to opt in to"), OptType.OptIn, OptReason.Participating, cancellationToken);
                    break;
                case "opt-schedule-two-windows":
                    await Ven.CreateOptScheduleAsync(OptType.OptIn, OptReason.Participating,
                        [new VenAvailability(hour, TimeSpan.FromHours(2)), new VenAvailability(hour + TimeSpan.FromHours(6), TimeSpan.FromHours(2))], marketContext, cancellationToken: cancellationToken);
                    break;
                case "opt-schedule-open-ended":
                    await Ven.CreateOptScheduleAsync(OptType.OptIn, OptReason.Participating, [new VenAvailability(hour, TimeSpan.Zero)], marketContext, cancellationToken: cancellationToken);
                    break;
                case "opt-schedule-create-cancel":
                    var optId = await Ven.CreateOptScheduleAsync(OptType.OptIn, OptReason.Participating, [new VenAvailability(hour, TimeSpan.FromHours(1))], marketContext, cancellationToken: cancellationToken);
                    await Ven.CancelOptAsync(optId, cancellationToken);
                    break;
                case "opt-out-market-context":
                    await Ven.CreateOptScheduleAsync(OptType.OptOut, OptReason.NotParticipating, [new VenAvailability(hour, TimeSpan.FromHours(1))], marketContext, cancellationToken: cancellationToken);
                    break;
                case "opt-out-target":
                    var target = _options.ResourceIds.Count > 0
                        ? new EiTarget { ResourceIds = ValueList.From(_options.ResourceIds) }
                        : new EiTarget { VenIds = ValueList.Create([Ven.VenId ?? throw new VenConfigurationException("the VEN is not registered")]) };
                    await Ven.CreateOptScheduleAsync(OptType.OptOut, OptReason.OutageRunStatus, [new VenAvailability(hour, TimeSpan.FromHours(1))], marketContext, target: target, cancellationToken: cancellationToken);
                    break;
                case "opt-schedule-replace":
                    var id = await Ven.CreateOptScheduleAsync(OptType.OptIn, OptReason.Participating, [new VenAvailability(hour, TimeSpan.FromHours(1))], marketContext, cancellationToken: cancellationToken);
                    await Ven.CreateOptScheduleAsync(OptType.OptIn, OptReason.Participating, [new VenAvailability(hour, TimeSpan.FromHours(3))], marketContext, optId: id, cancellationToken: cancellationToken);
                    break;
                default:
                    throw new VenConfigurationException($"no operator action '{action}'; known: {string.Join(", ", Actions)}");
            }
        }
        catch (InvalidOperationException ex)
        {
            throw new VenConfigurationException($"'{action}' cannot be done now: {ex.Message}");
        }
        finally
        {
            _lock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Ven.DisposeAsync();
        _lock.Dispose();
    }
}
