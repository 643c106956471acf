using FlexCoop.Usef.Storage;
using FlexCoop.Usef.Transport;
using FlexCoop.Usef.Validation;

namespace FlexCoop.Usef.Roles;

/// <summary>Policy of the aggregator role (immutable).</summary>
public sealed record UftpAgrServiceOptions
{
    /// <summary>Price asked for a whole offer option.</summary>
    public decimal OfferPrice { get; init; } = 100m;

    /// <summary>Currency of offers.</summary>
    public string Currency { get; init; } = "EUR";

    /// <summary>How long an offer stays valid (capped by the request's expiry).</summary>
    public TimeSpan OfferValidity { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The flex power offered for one requested ISP band [MinPower, MaxPower]; null offers nothing
    /// for it. Default: the value of the band closest to zero (the least the DSO asked for).
    /// </summary>
    public Func<FlexRequestIsp, long?> OfferPower { get; init; } = isp => isp.Disposition == AvailableRequested.Available ? null : Math.Clamp(0, isp.MinPower, isp.MaxPower);

    /// <summary>
    /// When a DSO sends a new revision of a FlexRequest for a congestion point and day, revoke (FlexOfferRevocation)
    /// the offers made for its earlier revisions that were not ordered, before offering again. Default true.
    /// </summary>
    public bool RevokeSupersededOffers { get; init; } = true;
}

/// <summary>
/// The aggregator (AGR) role: sends D-Prognoses, answers FlexRequests with FlexOffers, and on a
/// FlexOrder sends the updated D-Prognosis that includes the ordered flexibility. Every message
/// it receives is answered by the node's automatic Response.
/// </summary>
public sealed class UftpAgrService(UftpAgrServiceOptions options) : IUftpMessageHandler
{
    /// <summary>Sends a D-Prognosis (power per ISP, in watts) for a congestion point and day.</summary>
    public static async Task<DPrognosis> SendPrognosisAsync(UftpNode node, string dsoDomain, EntityAddress congestionPoint, DateOnly period, IReadOnlyList<long> powers, long revision, string timeZone = "Europe/Amsterdam", TimeSpan? ispDuration = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(powers);
        var prognosis = new DPrognosis
        {
            SenderDomain = node.Domain, RecipientDomain = dsoDomain, TimeStamp = node.Time.GetUtcNow(), MessageId = UftpNode.NewMessageId(), ConversationId = Guid.NewGuid(),
            IspDuration = ispDuration ?? TimeSpan.FromMinutes(15), TimeZone = timeZone, Period = period, CongestionPoint = congestionPoint, Revision = revision,
            Isps = new ValueList<PowerIsp>(Compress(powers)),
        };
        await node.SendAsync(prognosis, cancellationToken).ConfigureAwait(false);
        return prognosis;
    }

    public async ValueTask HandleAsync(UftpNode node, PayloadMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        switch (message)
        {
            case FlexRequest request:
                await OfferAsync(node, request, cancellationToken).ConfigureAwait(false);
                break;
            case FlexOrder order:
                await UpdatePrognosisAsync(node, order, cancellationToken).ConfigureAwait(false);
                break;
            case AgrPortfolioQueryResponse { Result: AcceptedRejected.Accepted } portfolio:
                // The CRO says which congestion points hold our connections: they become known for validation.
                await node.Store.AddCongestionPointsAsync(portfolio.DsoViews.SelectMany(v => v.DsoPortfolios).SelectMany(p => p.CongestionPoints).Select(c => c.EntityAddress), cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private async Task OfferAsync(UftpNode node, FlexRequest request, CancellationToken ct)
    {
        if (options.RevokeSupersededOffers) await RevokeSupersededAsync(node, request, ct).ConfigureAwait(false);
        var isps = new List<PowerIsp>();
        foreach (var isp in request.Isps)
        {
            if (options.OfferPower(isp) is { } power) isps.Add(new PowerIsp(power, isp.Start, isp.Duration));
        }
        if (isps.Count == 0) return;
        var prognosis = await LatestPrognosisAsync(node, request.CongestionPoint, request.Period, ct).ConfigureAwait(false);
        var now = node.Time.GetUtcNow();
        var expiry = now + options.OfferValidity;
        if (request.ExpirationDateTime < expiry) expiry = request.ExpirationDateTime;
        var offer = new FlexOffer
        {
            SenderDomain = node.Domain, RecipientDomain = request.SenderDomain, TimeStamp = now, MessageId = UftpNode.NewMessageId(), ConversationId = request.ConversationId,
            IspDuration = request.IspDuration, TimeZone = request.TimeZone, Period = request.Period, CongestionPoint = request.CongestionPoint,
            ExpirationDateTime = expiry, FlexRequestMessageId = request.MessageId, ContractId = request.ContractId, DPrognosisMessageId = prognosis?.MessageId, Currency = options.Currency,
            OfferOptions = new[] { new FlexOfferOption("option-1", options.OfferPrice, new ValueList<PowerIsp>(isps)) },
        };
        await node.SendAsync(offer, ct).ConfigureAwait(false);
    }

    private static async Task RevokeSupersededAsync(UftpNode node, FlexRequest request, CancellationToken ct)
    {
        var all = await node.Store.AllAsync(ct).ConfigureAwait(false);
        var older = all.Where(s => s.Direction == UftpDirection.Inbound && s.Message is FlexRequest r && r.SenderDomain == request.SenderDomain
                && r.CongestionPoint == request.CongestionPoint && r.Period == request.Period && r.Revision < request.Revision)
            .Select(s => s.Message.MessageId).ToHashSet();
        if (older.Count == 0) return;
        foreach (var offer in all.Where(s => s.Direction == UftpDirection.Outbound).Select(s => s.Message).OfType<FlexOffer>()
            .Where(o => o.FlexRequestMessageId is { } id && older.Contains(id)).ToList())
        {
            if (await node.Store.IsFlexOfferOrderedAsync(offer.MessageId, ct).ConfigureAwait(false) || await node.Store.IsFlexOfferRevokedAsync(offer.MessageId, ct).ConfigureAwait(false)) continue;
            await node.SendAsync(new FlexOfferRevocation
            {
                SenderDomain = node.Domain, RecipientDomain = offer.RecipientDomain, TimeStamp = node.Time.GetUtcNow(), MessageId = UftpNode.NewMessageId(), ConversationId = offer.ConversationId,
                FlexOfferMessageId = offer.MessageId,
            }, ct).ConfigureAwait(false);
        }
    }

    private static async Task UpdatePrognosisAsync(UftpNode node, FlexOrder order, CancellationToken ct)
    {
        var latest = await LatestPrognosisAsync(node, order.CongestionPoint, order.Period, ct).ConfigureAwait(false);
        if (latest is null || !UftpIspCalendar.TryFindTimeZone(order.TimeZone, out var zone)) return;
        var count = UftpIspCalendar.IspCount(order.Period, zone!, order.IspDuration) ?? 0;
        var powers = Expand(latest.Isps, count);
        foreach (var isp in order.Isps)
        {
            for (var i = isp.Start; i < isp.Start + isp.Duration && i <= count; i++) powers[i - 1] += (long)(isp.Power * order.ActivationFactor);
        }
        await SendPrognosisAsync(node, order.SenderDomain, order.CongestionPoint, order.Period, powers, latest.Revision + 1, order.TimeZone, order.IspDuration, ct).ConfigureAwait(false);
    }

    internal static async Task<DPrognosis?> LatestPrognosisAsync(UftpNode node, EntityAddress congestionPoint, DateOnly period, CancellationToken ct) =>
        (await node.Store.AllAsync(ct).ConfigureAwait(false))
            .Select(s => s.Message).OfType<DPrognosis>()
            .Where(p => p.CongestionPoint == congestionPoint && p.Period == period)
            .MaxBy(p => p.Revision);

    /// <summary>Power per ISP (index 0 = ISP 1) from ISP elements.</summary>
    public static long[] Expand(IEnumerable<PowerIsp> isps, int count)
    {
        ArgumentNullException.ThrowIfNull(isps);
        var powers = new long[count];
        foreach (var isp in isps)
        {
            for (var i = isp.Start; i < isp.Start + isp.Duration && i <= count; i++)
            {
                if (i >= 1) powers[i - 1] = isp.Power;
            }
        }
        return powers;
    }

    /// <summary>ISP elements from power per ISP, runs of equal power joined with Duration.</summary>
    public static IEnumerable<PowerIsp> Compress(IReadOnlyList<long> powers)
    {
        ArgumentNullException.ThrowIfNull(powers);
        var start = 0;
        for (var i = 1; i <= powers.Count; i++)
        {
            if (i == powers.Count || powers[i] != powers[start])
            {
                yield return new PowerIsp(powers[start], start + 1, i - start);
                start = i;
            }
        }
    }
}
