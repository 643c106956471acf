using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Ven.Internal;

namespace FlexCoop.OpenAdr.Ven;

/// <summary>One window of an availability schedule; a zero duration is open-ended.</summary>
/// <param name="DtStart">When the window opens.</param>
/// <param name="Duration">How long it lasts.</param>
public sealed record VenAvailability(DateTimeOffset DtStart, TimeSpan Duration);

public sealed partial class OadrVen
{
    /// <summary>
    /// Sends an opt schedule (<c>oadrCreateOpt</c> with <c>vavailability</c>): when the VEN is
    /// available (optIn) or not (optOut). The same <paramref name="optId"/> replaces an earlier
    /// schedule. Returns the optID.
    /// </summary>
    public async Task<string> CreateOptScheduleAsync(OptType optType, OptReason reason, IReadOnlyList<VenAvailability> windows,
        string? marketContext = null, string? optId = null, EiTarget? target = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(windows);
        if (windows.Count == 0) throw new ArgumentException("an opt schedule needs at least one window", nameof(windows));
        var id = optId ?? NewId("opt-");
        var create = new OadrCreateOpt
        {
            OptId = id,
            OptType = optType,
            OptReason = reason,
            MarketContext = marketContext,
            VenId = VenFaults.OptVenId(_options, VenId ?? throw new InvalidOperationException("the VEN is not registered")),
            Vavailability = new Vavailability
            {
                Available = ValueList.From(windows.Select(w => new CalendarProperties
                {
                    DtStart = w.DtStart.ToUniversalTime(),
                    Duration = IsoDuration.FromTimeSpan(w.Duration),
                })),
            },
            CreatedDateTime = Now,
            RequestId = NewId("req-"),
            Target = target ?? EiTarget.Empty,
        };
        await SendOptAsync(create, cancellationToken);
        _state.SaveOpt(new VenOpt(id, optType == OptType.OptIn ? "optIn" : "optOut", null, null, Now));
        return id;
    }

    /// <summary>
    /// Opts in or out of one event (<c>oadrCreateOpt</c> with <c>qualifiedEventID</c>), for example
    /// an optOut during an active event (rule 17). The VTN then ignores later <c>oadrCreatedEvent</c>s for it (rule 206).
    /// </summary>
    public async Task<string> OptEventAsync(string eventId, OptType optType, OptReason reason, CancellationToken cancellationToken = default)
    {
        var e = _state.GetEvent(eventId) ?? throw new InvalidOperationException($"no known event {eventId}");
        var id = NewId("opt-");
        var create = new OadrCreateOpt
        {
            OptId = id,
            OptType = optType,
            OptReason = reason,
            MarketContext = e.MarketContext,
            VenId = VenFaults.OptVenId(_options, VenId ?? throw new InvalidOperationException("the VEN is not registered")),
            CreatedDateTime = Now,
            RequestId = NewId("req-"),
            QualifiedEventId = new QualifiedEventId { EventId = e.EventId, ModificationNumber = e.ModificationNumber },
            Target = EiTarget.Empty,
        };
        await SendOptAsync(create, cancellationToken);
        _state.SaveOpt(new VenOpt(id, optType == OptType.OptIn ? "optIn" : "optOut", e.EventId, e.ModificationNumber, Now));
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_state.GetEvent(eventId) is { } current && VtnId is { } vtnId)
            {
                _state.SaveEvent(current with { Opt = optType }, vtnId);
            }
        }
        finally
        {
            _gate.Release();
        }
        return id;
    }

    /// <summary>Cancels an opt (<c>oadrCancelOpt</c>).</summary>
    public async Task CancelOptAsync(string optId, CancellationToken cancellationToken = default)
    {
        var reply = await SendAsync("EiOpt", new OadrCancelOpt
        {
            RequestId = NewId("req-"),
            OptId = optId,
            VenId = VenFaults.OptVenId(_options, VenId ?? throw new InvalidOperationException("the VEN is not registered")),
        }, cancellationToken);
        if (reply is not OadrCanceledOpt canceled || !canceled.EiResponse.ResponseCode.IsSuccess)
        {
            throw Refused("oadrCancelOpt", reply);
        }
        _state.RemoveOpt(optId);
    }

    private async Task SendOptAsync(OadrCreateOpt create, CancellationToken cancellationToken)
    {
        var reply = await SendAsync("EiOpt", create, cancellationToken);
        if (reply is not OadrCreatedOpt created || !created.EiResponse.ResponseCode.IsSuccess)
        {
            throw Refused(create.ElementName, reply);
        }
    }
}
