using System.Globalization;

namespace FlexCoop.Usef.Validation;

/// <summary>
/// Checks a parsed UFTP message against the specification's business rules (roles, references,
/// conversations, duplicates, expiry and revocation, ISP numbering for the Period's real length,
/// agreed ISP duration and time zone, congestion points, versions, clock, bounds). Every broken
/// rule is a <see cref="UftpViolation"/> with its <see cref="UftpRule"/>.
/// </summary>
public sealed class UftpBusinessValidator
{
    private readonly UftpValidationOptions _options;
    private readonly IUftpValidationContext _context;
    private readonly TimeProvider _time;

    public UftpBusinessValidator(UftpValidationOptions options, IUftpValidationContext context, TimeProvider? timeProvider = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _context = context ?? throw new ArgumentNullException(nameof(context));
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>
    /// Validates <paramref name="message"/> as received from a sender in <paramref name="senderRole"/>
    /// (the SignedMessage envelope's role; null skips the role check).
    /// </summary>
    public async ValueTask<UftpValidationResult> ValidateAsync(PayloadMessage message, UftpRole? senderRole = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var v = new List<UftpViolation>();
        var info = UftpMessageTypes.Get(message.MessageType);
        var root = "/" + info.ElementName;
        var now = _time.GetUtcNow();

        // Header.
        var major = message.Version.Split('.')[0];
        if (!int.TryParse(major, NumberStyles.None, CultureInfo.InvariantCulture, out var m) || !_options.SupportedMajorVersions.Contains(m))
        {
            v.Add(UftpViolation.Of(UftpRule.UnsupportedVersion, root + "/@Version", $"version {message.Version} is not supported (supported major versions: {string.Join(", ", _options.SupportedMajorVersions)})"));
        }
        if (senderRole is { } sr && !info.SenderRoles.Contains(sr))
        {
            v.Add(UftpViolation.Of(UftpRule.SenderRoleNotAllowed, root, $"a {sr} may not send {info.ElementName} (sent by {string.Join("/", info.SenderRoles)})"));
        }
        if (_options.OwnRole is { } own && !info.RecipientRoles.Contains(own))
        {
            v.Add(UftpViolation.Of(UftpRule.RecipientRoleNotAllowed, root, $"a {own} does not receive {info.ElementName} (received by {string.Join("/", info.RecipientRoles)})"));
        }
        if (_options.OwnDomain is { } domain && !string.Equals(domain, message.RecipientDomain, StringComparison.Ordinal))
        {
            v.Add(UftpViolation.Of(UftpRule.RecipientDomainMismatch, root + "/@RecipientDomain", $"addressed to {message.RecipientDomain}, this participant is {domain}"));
        }
        if (!_options.DisabledRules.Contains(UftpRule.DuplicateMessageId) && await _context.FindMessageAsync(message.MessageId, cancellationToken).ConfigureAwait(false) is not null)
        {
            // A duplicate is judged on its MessageID alone: the rest was checked the first time.
            return new UftpValidationResult([UftpViolation.Of(UftpRule.DuplicateMessageId, root + "/@MessageID", $"message {message.MessageId} was received before")]);
        }
        if (message.TimeStamp > now + _options.ClockTolerance)
        {
            v.Add(UftpViolation.Of(UftpRule.TimeStampInFuture, root + "/@TimeStamp", $"TimeStamp {message.TimeStamp:O} is more than {_options.ClockTolerance} ahead of {now:O}"));
        }
        if (message is PayloadMessageResponse { Result: AcceptedRejected.Rejected, RejectionReason: null or "" })
        {
            v.Add(UftpViolation.Of(UftpRule.RejectionReasonMissing, root + "/@RejectionReason", "a rejection must give a RejectionReason"));
        }

        // Time zone, ISP duration and ISP numbering.
        switch (message)
        {
            case FlexMessage f:
                CheckIsps(v, root, f.TimeZone, f.IspDuration, f.Period, IspsOf(f), requireComplete: f is DPrognosis);
                break;
            case Metering me:
                CheckIsps(v, root, me.TimeZone, me.IspDuration, me.Period, me.Profiles.SelectMany((p, pi) => p.Isps.Select((i, ii) => ($"/Profile[{pi + 1}]/ISP[{ii + 1}]", i.Start, 1, pi))), requireComplete: false);
                break;
            case AgrPortfolioUpdate a:
                CheckTimeZone(v, root, a.TimeZone);
                break;
            case AgrPortfolioQuery a:
                CheckTimeZone(v, root, a.TimeZone);
                break;
            case AgrPortfolioQueryResponse a:
                CheckTimeZone(v, root, a.TimeZone);
                break;
            case DsoPortfolioUpdate d:
                CheckTimeZone(v, root, d.TimeZone);
                break;
            case DsoPortfolioQuery d:
                CheckTimeZone(v, root, d.TimeZone);
                break;
            case DsoPortfolioQueryResponse d:
                CheckTimeZone(v, root, d.TimeZone);
                break;
        }

        if (message is FlexMessage flex)
        {
            if (_options.RequireKnownCongestionPoints && !await _context.IsCongestionPointKnownAsync(flex.CongestionPoint, cancellationToken).ConfigureAwait(false))
            {
                v.Add(UftpViolation.Of(UftpRule.UnknownCongestionPoint, root + "/@CongestionPoint", $"congestion point {flex.CongestionPoint} is not known"));
            }
            if (_options.RejectPastPeriods && flex is FlexRequest or FlexOffer or FlexOrder && UftpIspCalendar.TryFindTimeZone(flex.TimeZone, out var zone)
                && UftpIspCalendar.DayStart(flex.Period.AddDays(1), zone!) <= now)
            {
                v.Add(UftpViolation.Of(UftpRule.PeriodInPast, root + "/@Period", $"period {flex.Period:yyyy-MM-dd} has passed"));
            }
        }

        await CheckTypeSpecificAsync(v, root, message, now, cancellationToken).ConfigureAwait(false);

        // Responses refer to a message of the right type in the same conversation.
        if (info.RespondsTo is { } respondsTo && UftpMessageTypes.ReferencedMessageId(message) is { } referenced)
        {
            var attribute = ReferenceAttribute(message.MessageType);
            await CheckReferenceAsync(v, $"{root}/@{attribute}", message, referenced, respondsTo, cancellationToken).ConfigureAwait(false);
        }
        if (_options.DisabledRules.Count > 0) v.RemoveAll(x => x.BusinessRule is { } rule && _options.DisabledRules.Contains(rule));
        return v.Count == 0 ? UftpValidationResult.Valid : new UftpValidationResult(v);
    }

    private async ValueTask CheckTypeSpecificAsync(List<UftpViolation> v, string root, PayloadMessage message, DateTimeOffset now, CancellationToken ct)
    {
        switch (message)
        {
            case DPrognosis p:
                CheckPowers(v, root, p.Isps.Select((i, n) => ($"/ISP[{n + 1}]/@Power", i.Power)));
                await CheckRevisionAsync(v, root, p, p.Revision, ct).ConfigureAwait(false);
                break;
            case FlexRequest r:
                CheckExpiration(v, root, r.TimeStamp, r.ExpirationDateTime);
                for (var n = 0; n < r.Isps.Count; n++)
                {
                    var isp = r.Isps[n];
                    if (isp.MinPower > isp.MaxPower)
                    {
                        v.Add(UftpViolation.Of(UftpRule.MinPowerAboveMaxPower, $"{root}/ISP[{n + 1}]", $"MinPower {isp.MinPower} is greater than MaxPower {isp.MaxPower}"));
                    }
                }
                CheckPowers(v, root, r.Isps.SelectMany((i, n) => new[] { ($"/ISP[{n + 1}]/@MinPower", i.MinPower), ($"/ISP[{n + 1}]/@MaxPower", i.MaxPower) }));
                await CheckRevisionAsync(v, root, r, r.Revision, ct).ConfigureAwait(false);
                break;
            case FlexOffer o:
                CheckExpiration(v, root, o.TimeStamp, o.ExpirationDateTime);
                if (o.OfferOptions.Count > 1 && !_options.MutexOffersSupported)
                {
                    v.Add(UftpViolation.Of(UftpRule.MutexOffersNotSupported, root + "/OfferOption[2]", "mutually exclusive offer options are not supported on this congestion point"));
                }
                var seen = new HashSet<string>(StringComparer.Ordinal);
                for (var n = 0; n < o.OfferOptions.Count; n++)
                {
                    var option = o.OfferOptions[n];
                    var at = $"{root}/OfferOption[{n + 1}]";
                    if (!seen.Add(option.OptionReference))
                    {
                        v.Add(UftpViolation.Of(UftpRule.DuplicateOptionReference, at + "/@OptionReference", $"OptionReference '{option.OptionReference}' is used twice"));
                    }
                    CheckPrice(v, at + "/@Price", option.Price);
                    CheckPowers(v, at, option.Isps.Select((i, k) => ($"/ISP[{k + 1}]/@Power", i.Power)));
                }
                if (o.Unsolicited != true && o.FlexRequestMessageId is null)
                {
                    v.Add(UftpViolation.Of(UftpRule.MissingFlexRequestReference, root + "/@FlexRequestMessageID", "a FlexOffer that is not unsolicited must name the FlexRequest it answers"));
                }
                if (o.FlexRequestMessageId is { } requestId
                    && await CheckReferenceAsync(v, root + "/@FlexRequestMessageID", o, requestId, UftpMessageType.FlexRequest, ct).ConfigureAwait(false) is FlexRequest request)
                {
                    CheckSameSubject(v, root, o, request);
                    if (request.ExpirationDateTime < o.TimeStamp)
                    {
                        v.Add(UftpViolation.Of(UftpRule.FlexRequestExpired, root + "/@FlexRequestMessageID", $"the FlexRequest expired at {request.ExpirationDateTime:O}"));
                    }
                }
                if (o.DPrognosisMessageId is { } prognosisId)
                {
                    await CheckExistsAsync(v, root + "/@D-PrognosisMessageID", prognosisId, UftpMessageType.DPrognosis, ct).ConfigureAwait(false);
                }
                break;
            case FlexOfferRevocation rev:
                if (await CheckReferenceAsync(v, root + "/@FlexOfferMessageID", rev, rev.FlexOfferMessageId, UftpMessageType.FlexOffer, ct).ConfigureAwait(false) is FlexOffer)
                {
                    if (await _context.IsFlexOfferRevokedAsync(rev.FlexOfferMessageId, ct).ConfigureAwait(false))
                    {
                        v.Add(UftpViolation.Of(UftpRule.FlexOfferRevoked, root + "/@FlexOfferMessageID", "the FlexOffer was already revoked"));
                    }
                    if (await _context.IsFlexOfferOrderedAsync(rev.FlexOfferMessageId, ct).ConfigureAwait(false))
                    {
                        v.Add(UftpViolation.Of(UftpRule.FlexOfferAlreadyOrdered, root + "/@FlexOfferMessageID", "the FlexOffer was already ordered and can no longer be revoked"));
                    }
                }
                break;
            case FlexOrder order:
                CheckPrice(v, root + "/@Price", order.Price);
                CheckPowers(v, root, order.Isps.Select((i, n) => ($"/ISP[{n + 1}]/@Power", i.Power)));
                if (order.Unsolicited != true && order.FlexOfferMessageId is null)
                {
                    v.Add(UftpViolation.Of(UftpRule.MissingFlexOfferReference, root + "/@FlexOfferMessageID", "a FlexOrder that is not unsolicited must name the FlexOffer it orders"));
                }
                if (order.FlexOfferMessageId is { } offerId
                    && await CheckReferenceAsync(v, root + "/@FlexOfferMessageID", order, offerId, UftpMessageType.FlexOffer, ct).ConfigureAwait(false) is FlexOffer offer)
                {
                    CheckSameSubject(v, root, order, offer);
                    if (offer.ExpirationDateTime < order.TimeStamp)
                    {
                        v.Add(UftpViolation.Of(UftpRule.FlexOfferExpired, root + "/@FlexOfferMessageID", $"the FlexOffer expired at {offer.ExpirationDateTime:O}"));
                    }
                    if (await _context.IsFlexOfferRevokedAsync(offerId, ct).ConfigureAwait(false))
                    {
                        v.Add(UftpViolation.Of(UftpRule.FlexOfferRevoked, root + "/@FlexOfferMessageID", "the FlexOffer was revoked"));
                    }
                    if (!string.Equals(offer.Currency, order.Currency, StringComparison.Ordinal))
                    {
                        v.Add(UftpViolation.Of(UftpRule.CurrencyMismatch, root + "/@Currency", $"the order is in {order.Currency}, the offer in {offer.Currency}"));
                    }
                    var option = order.OptionReference is null && offer.OfferOptions.Count == 1
                        ? offer.OfferOptions[0]
                        : offer.OfferOptions.FirstOrDefault(op => string.Equals(op.OptionReference, order.OptionReference, StringComparison.Ordinal));
                    if (option is null)
                    {
                        v.Add(UftpViolation.Of(UftpRule.UnknownOptionReference, root + "/@OptionReference", $"the FlexOffer has no option '{order.OptionReference}'"));
                    }
                    else if (order.ActivationFactor < option.MinActivationFactor)
                    {
                        v.Add(UftpViolation.Of(UftpRule.ActivationFactorBelowMinimum, root + "/@ActivationFactor", $"ActivationFactor {order.ActivationFactor} is below the option's minimum {option.MinActivationFactor}"));
                    }
                }
                if (order.DPrognosisMessageId is { } prognosis)
                {
                    await CheckExistsAsync(v, root + "/@D-PrognosisMessageID", prognosis, UftpMessageType.DPrognosis, ct).ConfigureAwait(false);
                }
                break;
            case FlexReservationUpdate fru:
                CheckPowers(v, root, fru.Isps.Select((i, n) => ($"/ISP[{n + 1}]/@Power", i.Power)));
                break;
            case FlexSettlement s:
                if (s.PeriodEnd < s.PeriodStart)
                {
                    v.Add(UftpViolation.Of(UftpRule.InvalidPeriodRange, root + "/@PeriodEnd", $"PeriodEnd {s.PeriodEnd:yyyy-MM-dd} is before PeriodStart {s.PeriodStart:yyyy-MM-dd}"));
                }
                for (var n = 0; n < s.FlexOrderSettlements.Count; n++)
                {
                    var fos = s.FlexOrderSettlements[n];
                    var at = $"{root}/FlexOrderSettlement[{n + 1}]";
                    if (fos.NetSettlement != fos.Price - fos.Penalty)
                    {
                        v.Add(UftpViolation.Of(UftpRule.NetSettlementMismatch, at + "/@NetSettlement", $"NetSettlement {fos.NetSettlement} is not Price {fos.Price} minus Penalty {fos.Penalty}"));
                    }
                    CheckPrice(v, at + "/@Price", fos.Price);
                    if (fos.Period < s.PeriodStart || fos.Period > s.PeriodEnd)
                    {
                        v.Add(UftpViolation.Of(UftpRule.InvalidPeriodRange, at + "/@Period", $"Period {fos.Period:yyyy-MM-dd} is outside {s.PeriodStart:yyyy-MM-dd}..{s.PeriodEnd:yyyy-MM-dd}"));
                    }
                    if (fos.DPrognosisMessageId is { } dp)
                    {
                        await CheckExistsAsync(v, at + "/@D-PrognosisMessageID", dp, UftpMessageType.DPrognosis, ct).ConfigureAwait(false);
                    }
                }
                break;
            case FlexSettlementResponse sr:
                for (var n = 0; n < sr.FlexOrderSettlementStatuses.Count; n++)
                {
                    if (sr.FlexOrderSettlementStatuses[n] is { Disposition: AcceptedDisputed.Disputed, DisputeReason: null or "" })
                    {
                        v.Add(UftpViolation.Of(UftpRule.DisputeReasonMissing, $"{root}/FlexOrderSettlementStatus[{n + 1}]/@DisputeReason", "a dispute must give a DisputeReason"));
                    }
                }
                break;
            case Metering me:
                for (var n = 0; n < me.Profiles.Count; n++)
                {
                    var p = me.Profiles[n];
                    var expected = p.ProfileType == MeteringProfileType.Power ? MeteringUnit.kW : MeteringUnit.kWh;
                    if (p.Unit != expected)
                    {
                        v.Add(UftpViolation.Of(UftpRule.MeteringUnitMismatch, $"{root}/Profile[{n + 1}]/@Unit", $"a {p.ProfileType} profile is in {expected}, not {p.Unit}"));
                    }
                }
                break;
            case AgrPortfolioUpdate apu:
                for (var n = 0; n < apu.Connections.Count; n++)
                {
                    if (apu.Connections[n] is { EndPeriod: { } end } c && end < c.StartPeriod)
                    {
                        v.Add(UftpViolation.Of(UftpRule.InvalidPeriodRange, $"{root}/Connection[{n + 1}]/@EndPeriod", $"EndPeriod {end:yyyy-MM-dd} is before StartPeriod {c.StartPeriod:yyyy-MM-dd}"));
                    }
                }
                break;
            case DsoPortfolioUpdate dpu:
                for (var n = 0; n < dpu.CongestionPoints.Count; n++)
                {
                    var cp = dpu.CongestionPoints[n];
                    if (cp.EndPeriod is { } end && end < cp.StartPeriod)
                    {
                        v.Add(UftpViolation.Of(UftpRule.InvalidPeriodRange, $"{root}/CongestionPoint[{n + 1}]/@EndPeriod", $"EndPeriod {end:yyyy-MM-dd} is before StartPeriod {cp.StartPeriod:yyyy-MM-dd}"));
                    }
                    for (var k = 0; k < cp.Connections.Count; k++)
                    {
                        if (cp.Connections[k] is { EndPeriod: { } ce } c && ce < c.StartPeriod)
                        {
                            v.Add(UftpViolation.Of(UftpRule.InvalidPeriodRange, $"{root}/CongestionPoint[{n + 1}]/Connection[{k + 1}]/@EndPeriod", $"EndPeriod {ce:yyyy-MM-dd} is before StartPeriod {c.StartPeriod:yyyy-MM-dd}"));
                        }
                    }
                }
                break;
        }
    }

    private static IEnumerable<(string Path, int Start, int Duration, int Group)> IspsOf(FlexMessage f) => f switch
    {
        DPrognosis p => p.Isps.Select((i, n) => ($"/ISP[{n + 1}]", i.Start, i.Duration, 0)),
        FlexRequest r => r.Isps.Select((i, n) => ($"/ISP[{n + 1}]", i.Start, i.Duration, 0)),
        FlexOffer o => o.OfferOptions.SelectMany((op, k) => op.Isps.Select((i, n) => ($"/OfferOption[{k + 1}]/ISP[{n + 1}]", i.Start, i.Duration, k))),
        FlexOrder o => o.Isps.Select((i, n) => ($"/ISP[{n + 1}]", i.Start, i.Duration, 0)),
        FlexReservationUpdate u => u.Isps.Select((i, n) => ($"/ISP[{n + 1}]", i.Start, i.Duration, 0)),
        _ => [],
    };

    private bool CheckTimeZone(List<UftpViolation> v, string root, string timeZone)
    {
        if (!UftpIspCalendar.TryFindTimeZone(timeZone, out _))
        {
            v.Add(UftpViolation.Of(UftpRule.UnknownTimeZone, root + "/@TimeZone", $"'{timeZone}' is not a known IANA time zone"));
            return false;
        }
        if (_options.AgreedTimeZone is { } agreed && !string.Equals(agreed, timeZone, StringComparison.Ordinal))
        {
            v.Add(UftpViolation.Of(UftpRule.TimeZoneMismatch, root + "/@TimeZone", $"the market's time zone is {agreed}, not {timeZone}"));
        }
        return true;
    }

    private void CheckIsps(List<UftpViolation> v, string root, string timeZone, TimeSpan ispDuration, DateOnly period, IEnumerable<(string Path, int Start, int Duration, int Group)> isps, bool requireComplete)
    {
        var zoneOk = CheckTimeZone(v, root, timeZone);
        if (ispDuration <= TimeSpan.Zero || ispDuration.Ticks % TimeSpan.TicksPerMinute != 0 || TimeSpan.FromDays(1).Ticks % ispDuration.Ticks != 0)
        {
            v.Add(UftpViolation.Of(UftpRule.InvalidIspDuration, root + "/@ISP-Duration", $"ISP-Duration {ispDuration} is not a whole number of minutes dividing an hour-aligned day"));
            return;
        }
        if (_options.AgreedIspDuration is { } agreed && agreed != ispDuration)
        {
            v.Add(UftpViolation.Of(UftpRule.IspDurationMismatch, root + "/@ISP-Duration", $"the market's ISP duration is {System.Xml.XmlConvert.ToString(agreed)}, not {System.Xml.XmlConvert.ToString(ispDuration)}"));
        }
        if (!zoneOk) return;
        UftpIspCalendar.TryFindTimeZone(timeZone, out var zone);
        if (UftpIspCalendar.IspCount(period, zone!, ispDuration) is not { } count)
        {
            v.Add(UftpViolation.Of(UftpRule.InvalidIspDuration, root + "/@ISP-Duration", $"ISP-Duration does not divide the {UftpIspCalendar.DayLength(period, zone!)} of {period:yyyy-MM-dd} in {timeZone}"));
            return;
        }
        var covered = new Dictionary<int, bool[]>();
        foreach (var (path, start, duration, group) in isps)
        {
            var last = (long)start + duration - 1;
            if (start < 1 || duration < 1 || last > count)
            {
                v.Add(UftpViolation.Of(UftpRule.IspOutOfRange, root + path, $"ISPs {start}..{last} are outside 1..{count} ({count} ISPs of {ispDuration.TotalMinutes} minutes on {period:yyyy-MM-dd} in {timeZone})"));
                continue;
            }
            if (!covered.TryGetValue(group, out var seen)) covered[group] = seen = new bool[count + 1];
            var overlap = 0;
            for (var i = start; i <= last; i++)
            {
                if (seen[i] && overlap == 0) overlap = i;
                seen[i] = true;
            }
            if (overlap > 0)
            {
                v.Add(UftpViolation.Of(UftpRule.IspOverlap, root + path, $"ISP {overlap} is covered twice"));
            }
        }
        if (requireComplete && covered.TryGetValue(0, out var all))
        {
            var missing = Enumerable.Range(1, count).Where(i => !all[i]).ToList();
            if (missing.Count > 0)
            {
                v.Add(UftpViolation.Of(UftpRule.IspIncomplete, root, $"{missing.Count} of {count} ISPs are missing (first: {missing[0]})"));
            }
        }
    }

    private void CheckPowers(List<UftpViolation> v, string root, IEnumerable<(string Path, long Power)> powers)
    {
        foreach (var (path, power) in powers)
        {
            if (power > _options.MaxAbsolutePowerWatts || power < -_options.MaxAbsolutePowerWatts)
            {
                v.Add(UftpViolation.Of(UftpRule.PowerOutOfBounds, root + path, $"power {power} W is beyond ±{_options.MaxAbsolutePowerWatts} W"));
            }
        }
    }

    private void CheckPrice(List<UftpViolation> v, string path, decimal price)
    {
        if (price < 0 || price > _options.MaxPrice)
        {
            v.Add(UftpViolation.Of(UftpRule.PriceOutOfBounds, path, $"price {price} is outside 0..{_options.MaxPrice}"));
        }
    }

    private static void CheckExpiration(List<UftpViolation> v, string root, DateTimeOffset timeStamp, DateTimeOffset expiration)
    {
        if (expiration <= timeStamp)
        {
            v.Add(UftpViolation.Of(UftpRule.ExpirationBeforeTimeStamp, root + "/@ExpirationDateTime", $"ExpirationDateTime {expiration:O} is not after TimeStamp {timeStamp:O}"));
        }
    }

    private static void CheckSameSubject(List<UftpViolation> v, string root, FlexMessage message, FlexMessage referenced)
    {
        if (message.CongestionPoint != referenced.CongestionPoint || message.Period != referenced.Period || message.IspDuration != referenced.IspDuration || message.TimeZone != referenced.TimeZone)
        {
            v.Add(UftpViolation.Of(UftpRule.ReferenceMismatch, root, $"the referenced {UftpMessageTypes.Get(referenced.MessageType).ElementName} is for {referenced.CongestionPoint} on {referenced.Period:yyyy-MM-dd}, this message for {message.CongestionPoint} on {message.Period:yyyy-MM-dd}"));
        }
    }

    private async ValueTask CheckRevisionAsync(List<UftpViolation> v, string root, FlexMessage message, long revision, CancellationToken ct)
    {
        if (await _context.LatestRevisionAsync(message.MessageType, message.SenderDomain, message.CongestionPoint, message.Period, ct).ConfigureAwait(false) is { } latest && revision <= latest)
        {
            v.Add(UftpViolation.Of(UftpRule.RevisionNotIncreasing, root + "/@Revision", $"Revision {revision} is not higher than {latest}, received before"));
        }
    }

    private async ValueTask<PayloadMessage?> CheckExistsAsync(List<UftpViolation> v, string path, Guid id, UftpMessageType expected, CancellationToken ct)
    {
        var found = await _context.FindMessageAsync(id, ct).ConfigureAwait(false);
        if (found is null)
        {
            v.Add(UftpViolation.Of(UftpRule.ReferencedMessageUnknown, path, $"no {UftpMessageTypes.Get(expected).ElementName} with MessageID {id} is known"));
            return null;
        }
        if (found.MessageType != expected)
        {
            v.Add(UftpViolation.Of(UftpRule.ReferencedMessageWrongType, path, $"message {id} is a {UftpMessageTypes.Get(found.MessageType).ElementName}, not a {UftpMessageTypes.Get(expected).ElementName}"));
            return null;
        }
        return found;
    }

    private async ValueTask<PayloadMessage?> CheckReferenceAsync(List<UftpViolation> v, string path, PayloadMessage message, Guid id, UftpMessageType expected, CancellationToken ct)
    {
        var found = await CheckExistsAsync(v, path, id, expected, ct).ConfigureAwait(false);
        if (found is not null && found.ConversationId != message.ConversationId)
        {
            v.Add(UftpViolation.Of(UftpRule.ConversationMismatch, path, $"message {id} belongs to conversation {found.ConversationId}, not {message.ConversationId}"));
        }
        return found;
    }

    private static string ReferenceAttribute(UftpMessageType type) => type switch
    {
        UftpMessageType.DPrognosisResponse => "D-PrognosisMessageID",
        UftpMessageType.DSOPortfolioUpdateResponse => "DSOPortfolioUpdateResponseMessageID",
        UftpMessageType.AGRPortfolioUpdateResponse => "AGRPortfolioUpdateMessageID",
        UftpMessageType.AGRPortfolioQueryResponse => "AGRPortfolioQueryMessageID",
        UftpMessageType.DSOPortfolioQueryResponse => "DSOPortfolioQueryMessageID",
        _ => UftpMessageTypes.Get(type).ElementName.Replace("Response", "", StringComparison.Ordinal) + "MessageID",
    };
}
