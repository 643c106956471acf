using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Vtn.Internal;
using FlexCoop.OpenAdr.Vtn.Storage;

namespace FlexCoop.OpenAdr.Vtn;

public sealed partial class OadrVtn
{
    private OadrCreatedPartyRegistration Created(ResponseCode code, string requestId, VenRecord? ven, string? description = null) => new()
    {
        EiResponse = Response(code, requestId, description ?? (code.IsSuccess ? "OK" : null)),
        RegistrationId = ven?.RegistrationId,
        VenId = ven?.VenId,
        VtnId = Options.VtnId,
        Profiles = ValueList.Create([new OadrProfile { ProfileName = OadrProfileName.Profile20b, Transports = _xmpp is null ? ValueList.Create([OadrTransportName.SimpleHttp]) : ValueList.Create([OadrTransportName.SimpleHttp, OadrTransportName.Xmpp]) }]),
        RequestedOadrPollFreq = IsoDuration.FromTimeSpan(TimeSpan.FromSeconds(Math.Ceiling(Options.RequestedPollFrequency.TotalSeconds))),
    };

    private VenRecord? Identify(ClientIdentity identity, string? claimedVenId) =>
        identity.Fingerprint is { } fp ? _vens.FindByFingerprint(fp)
        : claimedVenId is null ? null : _vens.Find(claimedVenId);

    private async Task<OadrCreatedPartyRegistration> QueryRegistrationAsync(OadrQueryRegistration query, ClientIdentity identity, CancellationToken cancellationToken)
    {
        // Anyone who passed TLS may ask what the VTN offers; a registered VEN also learns its IDs.
        var ven = identity.Fingerprint is { } fp ? await FindByFingerprintAsync(fp, cancellationToken) : null;
        return Created(ResponseCode.Ok, query.RequestId, ven is { IsRegistered: true } ? ven : null);
    }

    private async Task<OadrCreatedPartyRegistration> CreatePartyRegistrationAsync(OadrCreatePartyRegistration create, ClientIdentity identity, CancellationToken cancellationToken)
    {
        var claimed = NullIfEmpty(create.VenId);
        var known = identity.Fingerprint is { } fp ? await FindByFingerprintAsync(fp, cancellationToken) : Identify(identity, claimed);
        OadrCreatedPartyRegistration Fail(ResponseCode code, string reason)
        {
            VtnLog.PayloadRefused(_logger, create.ElementName, known?.VenId ?? claimed ?? "(new)", code.Value, reason);
            Raise(VtnActivityKind.Refused, known?.VenId ?? claimed, $"{code.Value} {create.ElementName}: {reason}");
            return Created(code, create.RequestId, null, reason);
        }

        if (identity.Fingerprint is { } fingerprint && claimed is not null)
        {
            // A venID must be the one bound to this certificate (or, for a first registration, the certificate's own fingerprint).
            var expected = known?.VenId ?? fingerprint;
            if (!string.Equals(claimed, expected, StringComparison.Ordinal))
            {
                return Fail(ResponseCode.NotRegisteredOrAuthorized, $"venID {claimed} does not match the client certificate");
            }
        }
        if (identity.Fingerprint is null && claimed is not null && known is null)
        {
            return Fail(ResponseCode.InvalidId, $"venID {claimed} is unknown to this VTN; register without a venID to get one");
        }
        if (NullIfEmpty(create.RegistrationId) is { } registrationId && !string.Equals(registrationId, known?.RegistrationId, StringComparison.Ordinal))
        {
            return Fail(ResponseCode.InvalidId, $"registrationID {registrationId} is not this VEN's current registration");
        }
        if (create.ProfileName != OadrProfileName.Profile20b)
        {
            return Fail(ResponseCode.ComplianceError, "only profile 2.0b is offered");
        }
        // XMPP (issue 6): offered when the VTN has an XMPP session; the VEN's full JID is its address.
        var xmpp = create.TransportName == OadrTransportName.Xmpp && _xmpp is not null;
        if (create.TransportName != OadrTransportName.SimpleHttp && !xmpp)
        {
            return Fail(ResponseCode.ComplianceError, _xmpp is null ? "only the simpleHttp transport is offered" : "the transports offered are simpleHttp and xmpp");
        }
        var pull = !xmpp && (create.HttpPullModel ?? true);
        string? address = NullIfEmpty(create.TransportAddress);
        if (xmpp)
        {
            if (!FlexCoop.Xmpp.Jid.TryParse(address, out var jid) || jid.IsBare
                || (identity.Fingerprint is { } sender && sender.StartsWith("xmpp:", StringComparison.Ordinal) && sender != XmppIdentity(jid.Bare.ToString())))
            {
                return Fail(ResponseCode.InvalidData, "an XMPP VEN's oadrTransportAddress must be its own full JID (user@domain/resource)");
            }
        }
        else if (!pull)
        {
            if (address is null || !Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            {
                return Fail(ResponseCode.InvalidData, "a push VEN (oadrHttpPullModel false) must give an http(s) oadrTransportAddress");
            }
            if (uri.Scheme == "http" && !Options.InsecureHttp)
            {
                return Fail(ResponseCode.InvalidData, "the push address must be https");
            }
        }

        var now = Now;
        var ven = new VenRecord
        {
            VenId = known?.VenId ?? identity.Fingerprint ?? NewId("ven-"),
            VenName = create.VenName,
            Fingerprint = identity.Fingerprint ?? "",
            RegistrationId = NewId("reg-"),
            ProfileName = "2.0b",
            TransportName = xmpp ? "xmpp" : "simpleHttp",
            TransportAddress = address,
            HttpPullModel = pull,
            ReportOnly = create.ReportOnly,
            XmlSignature = create.XmlSignature,
            CreatedAt = known?.CreatedAt ?? now,
            UpdatedAt = now,
        };
        if (known?.RegistrationId is { } previous)
        {
            // A new registration replaces the old one with everything tied to it (N1_0060).
            await _store.CancelRegistrationAsync(known.VenId, previous, now, cancellationToken);
        }
        await _store.SaveVenAsync(ven, cancellationToken);
        ven = Remember(ven);
        // After registering, the VEN learns the VTN's reports (METADATA) and the events it is due.
        await EnqueueAsync(ven, [VtnMetadataRegistration(ven), null], cancellationToken);
        VtnLog.Registered(_logger, ven.VenId, ven.RegistrationId!, ven.IsPush ? "push" : "pull");
        Raise(VtnActivityKind.Registered, ven.VenId, ven.RegistrationId!);
        return Created(ResponseCode.Ok, create.RequestId, ven);
    }

    private async Task<OadrCanceledPartyRegistration> CancelPartyRegistrationAsync(VenRecord ven, OadrCancelPartyRegistration cancel, CancellationToken cancellationToken)
    {
        if (!string.Equals(cancel.RegistrationId, ven.RegistrationId, StringComparison.Ordinal))
        {
            VtnLog.PayloadRefused(_logger, cancel.ElementName, ven.VenId, ResponseCode.InvalidId.Value, "wrong registrationID");
            Raise(VtnActivityKind.Refused, ven.VenId, $"452 {cancel.ElementName}: wrong registrationID");
            return new OadrCanceledPartyRegistration
            {
                EiResponse = Response(ResponseCode.InvalidId, cancel.RequestId, $"registrationID {cancel.RegistrationId} is not this VEN's registration"),
                RegistrationId = cancel.RegistrationId,
                VenId = ven.VenId,
            };
        }
        await EndRegistrationAsync(ven, "VEN", cancellationToken);
        return new OadrCanceledPartyRegistration { EiResponse = Response(ResponseCode.Ok, cancel.RequestId, "OK"), RegistrationId = cancel.RegistrationId, VenId = ven.VenId };
    }

    private async Task EndRegistrationAsync(VenRecord ven, string by, CancellationToken cancellationToken)
    {
        if (ven.RegistrationId is not { } registrationId) return;
        await _store.CancelRegistrationAsync(ven.VenId, registrationId, Now, cancellationToken);
        Remember(ven with { RegistrationId = null, UpdatedAt = Now });
        VtnLog.Cancelled(_logger, ven.VenId, registrationId, by);
        Raise(VtnActivityKind.RegistrationCancelled, ven.VenId, $"{registrationId} by {by}");
    }

    /// <summary>
    /// Ends a VEN's registration from the VTN's side: an <c>oadrCancelPartyRegistration</c> is queued
    /// (or pushed) and the registration ends once it has been delivered.
    /// </summary>
    public async Task CancelRegistrationAsync(string venId, CancellationToken cancellationToken = default)
    {
        var ven = RequireRegistered(venId);
        var cancel = new OadrCancelPartyRegistration { RequestId = NewId("req-"), RegistrationId = ven.RegistrationId!, VenId = ven.VenId };
        await EnqueueAsync(ven, [cancel], cancellationToken);
    }

    /// <summary>Asks a VEN to register again (<c>oadrRequestReregistration</c>).</summary>
    public Task RequestReregistrationAsync(string venId, CancellationToken cancellationToken = default)
    {
        var ven = RequireRegistered(venId);
        return EnqueueAsync(ven, [new OadrRequestReregistration { VenId = ven.VenId }], cancellationToken);
    }

    private VenRecord RequireRegistered(string venId) =>
        _vens.Find(venId) is { IsRegistered: true } ven ? ven : throw new VtnOperationException($"no registered VEN {venId}");

    /// <summary>Called when a queued message has reached its VEN.</summary>
    private async Task AfterDeliveryAsync(VenRecord ven, string kind, CancellationToken cancellationToken)
    {
        if (kind == "oadrCancelPartyRegistration" && _vens.Find(ven.VenId) is { } current)
        {
            await EndRegistrationAsync(current, "VTN", cancellationToken);
        }
        Raise(VtnActivityKind.Delivered, ven.VenId, kind);
    }

    /// <summary>
    /// Queues messages for a VEN on its channel (poll or push) and tells the poll hint or the push
    /// dispatcher. A null message stands for "a distribute built at delivery time".
    /// </summary>
    private async Task EnqueueAsync(VenRecord ven, IReadOnlyList<OadrMessage?> messages, CancellationToken cancellationToken)
    {
        var requests = messages.Select(m => ToOutbound(ven, m)).ToList();
        await _store.EnqueueAsync(requests, Now, cancellationToken);
        Notify([ven]);
    }

    private static OutboundRequest ToOutbound(VenRecord ven, OadrMessage? message) =>
        message is null
            ? new OutboundRequest(ven.VenId, "oadrDistributeEvent", null, ven.IsPush ? OutboundChannel.Push : OutboundChannel.Poll, Coalesce: true)
            : new OutboundRequest(ven.VenId, message.ElementName, SerializeToString(message), ven.IsPush ? OutboundChannel.Push : OutboundChannel.Poll);

    private void Notify(IEnumerable<VenRecord> vens, bool raise = true)
    {
        var anyPush = false;
        foreach (var ven in vens)
        {
            if (ven.IsPush) anyPush = true;
            else _vens.Bump(ven.VenId);
            if (raise) Raise(VtnActivityKind.Queued, ven.VenId, "");
        }
        if (anyPush) _push?.Wake();
    }

    /// <summary>
    /// Another engine sharing this store changed the VEN (registered it, queued a message for it):
    /// read it again and treat its poll queue as possibly non-empty.
    /// </summary>
    public async Task ReloadVenAsync(string venId, CancellationToken cancellationToken = default)
    {
        var ven = await _store.GetVenAsync(venId, cancellationToken);
        if (ven is null) return;
        ven = Remember(ven);
        Notify([ven], raise: false);
    }

    /// <summary>The VEN holding this certificate: from memory, else from the store (registered through another engine on the same store).</summary>
    private async ValueTask<VenRecord?> FindByFingerprintAsync(string fingerprint, CancellationToken cancellationToken)
    {
        if (_vens.FindByFingerprint(fingerprint) is { } known) return known;
        var ven = await _store.GetVenByFingerprintAsync(fingerprint, cancellationToken);
        return ven is null ? null : Remember(ven);
    }

    // ---- poll ----

    private async Task<VtnReply> PollAsync(VenRecord ven, CancellationToken cancellationToken)
    {
        Raise(VtnActivityKind.Polled, ven.VenId, "oadrPoll");
        if (!_vens.MayHavePending(ven.VenId))
        {
            return new VtnReply(null, _emptyPoll.For(ven.VenId));
        }
        var seen = _vens.Version(ven.VenId);
        var next = await _store.TakeNextForPollAsync(ven.VenId, Now, cancellationToken);
        if (next is null)
        {
            _vens.MarkClean(ven.VenId, seen);
            return new VtnReply(null, _emptyPoll.For(ven.VenId));
        }
        var bytes = await MaterialiseAsync(ven, next, Now, cancellationToken);
        await AfterDeliveryAsync(ven, next.Kind, cancellationToken);
        return new VtnReply(null, bytes);
    }

    /// <summary>
    /// The bytes of a queued message for its VEN. A distribute is built now, from the events as they
    /// stand in the store: another engine on the store may have queued it for an event whose notice has
    /// not reached this one yet. <paramref name="seenAt"/>: a time after the store returned the message.
    /// </summary>
    internal async Task<byte[]> MaterialiseAsync(VenRecord ven, OutboundMessage message, DateTimeOffset seenAt, CancellationToken cancellationToken)
    {
        if (message.Body is not null) return System.Text.Encoding.UTF8.GetBytes(message.Body);
        await CatchUpEventsAsync(seenAt, cancellationToken);
        return await DistributeBytesAsync(ven, cancellationToken);
    }

    internal void PushFailed(VenRecord ven, OutboundMessage message, string error) =>
        Raise(VtnActivityKind.PushFailed, ven.VenId, $"{message.Kind} #{message.Id}: {error}");

    internal Task PushDeliveredAsync(VenRecord ven, OutboundMessage message, CancellationToken cancellationToken) =>
        AfterDeliveryAsync(ven, message.Kind, cancellationToken);
}
