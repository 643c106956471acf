using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Vtn.Storage;

namespace FlexCoop.OpenAdr.Vtn;

public sealed partial class OadrVtn
{
    /// <summary>
    /// <c>oadrCreateOpt</c>: an availability schedule (windows from <c>vavailability</c>, a zero
    /// duration open-ended) or an opt on one event, which then decides the VEN's participation:
    /// later <c>oadrCreatedEvent</c>s for that event are ignored (rule 206). The same optID replaces the earlier opt.
    /// </summary>
    private async Task<OadrCreatedOpt> CreateOptAsync(VenRecord ven, OadrCreateOpt create, CancellationToken cancellationToken)
    {
        OadrCreatedOpt Fail(ResponseCode code, string reason)
        {
            Internal.VtnLog.PayloadRefused(_logger, create.ElementName, ven.VenId, code.Value, reason);
            Raise(VtnActivityKind.Refused, ven.VenId, $"{code.Value} {create.ElementName}: {reason}");
            return new OadrCreatedOpt { EiResponse = Response(code, create.RequestId, reason), OptId = create.OptId };
        }

        var optType = create.OptType == OptType.OptIn ? "optIn" : "optOut";
        EventResponseRecord? eventResponse = null;
        VtnEvent? e = null;
        if (create.QualifiedEventId is { } qualified)
        {
            e = _events.GetValueOrDefault(qualified.EventId) ?? await _store.GetEventAsync(qualified.EventId, cancellationToken);
            if (e is null || !IsFor(e, ven)) return Fail(ResponseCode.InvalidId, $"unknown eventID {qualified.EventId}");
            eventResponse = new EventResponseRecord
            {
                EventId = e.EventId,
                VenId = ven.VenId,
                ModificationNumber = qualified.ModificationNumber,
                OptType = optType,
                ResponseCode = ResponseCode.Ok.Value,
                RequestId = create.RequestId,
                Source = "oadrCreateOpt",
                ReceivedAt = Now,
            };
        }
        else if (create.Vavailability is null || create.Vavailability.Available.Count == 0)
        {
            return Fail(ResponseCode.InvalidData, "an opt names an event (qualifiedEventID) or gives a schedule (vavailability)");
        }
        if (create.MarketContext is { Length: > 0 } mc && Options.Programs.All(p => p.MarketContext != mc))
        {
            return Fail(ResponseCode.InvalidData, $"no program with market context {mc}");
        }
        var windows = new List<OptWindow>();
        foreach (var available in create.Vavailability?.Available ?? ValueList<CalendarProperties>.Empty)
        {
            if (!available.Duration.TryGetTimeSpan(out var length) || length < TimeSpan.Zero)
            {
                return Fail(ResponseCode.InvalidData, $"availability duration {available.Duration} has no fixed length");
            }
            windows.Add(new OptWindow(available.DtStart, length));
        }
        var opt = new OptRecord
        {
            OptId = create.OptId,
            VenId = ven.VenId,
            OptType = optType,
            OptReason = create.OptReason.Value,
            MarketContext = create.MarketContext,
            EventId = e?.EventId,
            ModificationNumber = create.QualifiedEventId?.ModificationNumber,
            Windows = windows,
            Targets = new VtnTargets
            {
                VenIds = create.Target.VenIds.ToList(),
                GroupIds = create.Target.GroupIds.ToList(),
                ResourceIds = create.Target.ResourceIds.ToList(),
                PartyIds = create.Target.PartyIds.ToList(),
            },
            RequestId = create.RequestId,
            CreatedAt = Now,
        };
        await _store.SaveOptAsync(opt, eventResponse, cancellationToken);
        Raise(VtnActivityKind.OptCreated, ven.VenId, $"{opt.OptId} {optType}{(e is null ? "" : " event " + e.EventId)}");
        return new OadrCreatedOpt { EiResponse = Response(ResponseCode.Ok, create.RequestId, "OK"), OptId = create.OptId };
    }

    private async Task<OadrCanceledOpt> CancelOptAsync(VenRecord ven, OadrCancelOpt cancel, CancellationToken cancellationToken)
    {
        if (!await _store.CancelOptAsync(ven.VenId, cancel.OptId, cancellationToken))
        {
            Internal.VtnLog.PayloadRefused(_logger, cancel.ElementName, ven.VenId, ResponseCode.InvalidId.Value, "unknown optID");
            Raise(VtnActivityKind.Refused, ven.VenId, $"452 {cancel.ElementName}: unknown optID {cancel.OptId}");
            return new OadrCanceledOpt { EiResponse = Response(ResponseCode.InvalidId, cancel.RequestId, $"no opt {cancel.OptId}"), OptId = cancel.OptId };
        }
        Raise(VtnActivityKind.OptCancelled, ven.VenId, cancel.OptId);
        return new OadrCanceledOpt { EiResponse = Response(ResponseCode.Ok, cancel.RequestId, "OK"), OptId = cancel.OptId };
    }
}
