using FlexCoop.Usef.Storage;
using FlexCoop.Usef.Transport;
using FlexCoop.Usef.Validation;

namespace FlexCoop.Usef.Roles;

/// <summary>Policy of the DSO role (immutable).</summary>
public sealed record UftpDsoServiceOptions
{
    /// <summary>Largest power per ISP a congestion point carries; more in a D-Prognosis triggers a FlexRequest.</summary>
    public long CongestionLimitWatts { get; init; } = long.MaxValue;

    /// <summary>How long a FlexRequest stays open for offers.</summary>
    public TimeSpan RequestValidity { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Whether to order an offer (default: every offer whose first option's price is at most <see cref="MaxPrice"/>).</summary>
    public decimal MaxPrice { get; init; } = decimal.MaxValue;
}

/// <summary>
/// The DSO role: reads D-Prognoses, asks for flexibility with a FlexRequest where the prognosis
/// exceeds the congestion limit, orders acceptable FlexOffers, and settles orders with a
/// FlexSettlement. Every message it receives is answered by the node's automatic Response.
/// </summary>
public sealed class UftpDsoService(UftpDsoServiceOptions options) : IUftpMessageHandler
{
    public async ValueTask HandleAsync(UftpNode node, PayloadMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        switch (message)
        {
            case DPrognosis prognosis:
                await RequestAsync(node, prognosis, cancellationToken).ConfigureAwait(false);
                break;
            case FlexOffer offer:
                await OrderAsync(node, offer, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private async Task RequestAsync(UftpNode node, DPrognosis prognosis, CancellationToken ct)
    {
        var all = await node.Store.AllAsync(ct).ConfigureAwait(false);
        // One trade per congestion point and day: once ordered, later prognoses are only taken note of.
        if (all.Any(s => s.Direction == UftpDirection.Outbound && s.Message is FlexOrder o && o.CongestionPoint == prognosis.CongestionPoint && o.Period == prognosis.Period)) return;
        if (!UftpIspCalendar.TryFindTimeZone(prognosis.TimeZone, out var zone)) return;
        var count = UftpIspCalendar.IspCount(prognosis.Period, zone!, prognosis.IspDuration) ?? 0;
        var powers = UftpAgrService.Expand(prognosis.Isps, count);
        var isps = new List<FlexRequestIsp>();
        for (var i = 0; i < count; i++)
        {
            var excess = powers[i] - options.CongestionLimitWatts;
            if (excess > 0) isps.Add(new FlexRequestIsp(AvailableRequested.Requested, -2 * excess, -excess, i + 1));
        }
        if (isps.Count == 0) return;
        var now = node.Time.GetUtcNow();
        var request = new FlexRequest
        {
            SenderDomain = node.Domain, RecipientDomain = prognosis.SenderDomain, TimeStamp = now, MessageId = UftpNode.NewMessageId(), ConversationId = Guid.NewGuid(),
            IspDuration = prognosis.IspDuration, TimeZone = prognosis.TimeZone, Period = prognosis.Period, CongestionPoint = prognosis.CongestionPoint,
            Revision = 1, ExpirationDateTime = now + options.RequestValidity, Isps = new ValueList<FlexRequestIsp>(isps),
        };
        await node.SendAsync(request, ct).ConfigureAwait(false);
    }

    private async Task OrderAsync(UftpNode node, FlexOffer offer, CancellationToken ct)
    {
        var option = offer.OfferOptions[0];
        if (option.Price > options.MaxPrice) return;
        var order = new FlexOrder
        {
            SenderDomain = node.Domain, RecipientDomain = offer.SenderDomain, TimeStamp = node.Time.GetUtcNow(), MessageId = UftpNode.NewMessageId(), ConversationId = offer.ConversationId,
            IspDuration = offer.IspDuration, TimeZone = offer.TimeZone, Period = offer.Period, CongestionPoint = offer.CongestionPoint,
            FlexOfferMessageId = offer.MessageId, DPrognosisMessageId = offer.DPrognosisMessageId, ContractId = offer.ContractId,
            Price = option.Price, Currency = offer.Currency, OrderReference = "order-" + offer.MessageId.ToString("N")[..12], OptionReference = option.OptionReference,
            Isps = option.Isps,
        };
        await node.SendAsync(order, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Settles every FlexOrder sent to <paramref name="agrDomain"/> for days in the range: baseline from
    /// the prognosis the order was based on, actual power from the AGR's latest prognosis revision.
    /// UFTP 3.1.0 requires at least one ContractSettlement, so one is written per order (its ContractID, or <c>none</c>).
    /// </summary>
    public static async Task<FlexSettlement?> SettleAsync(UftpNode node, string agrDomain, DateOnly periodStart, DateOnly periodEnd, string currency = "EUR", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        var all = await node.Store.AllAsync(cancellationToken).ConfigureAwait(false);
        var orders = all.Where(s => s.Direction == UftpDirection.Outbound && s.Message is FlexOrder o && o.RecipientDomain == agrDomain && o.Period >= periodStart && o.Period <= periodEnd)
            .Select(s => (FlexOrder)s.Message).ToList();
        if (orders.Count == 0) return null;
        var prognoses = all.Select(s => s.Message).OfType<DPrognosis>().ToList();
        var settlements = new List<FlexOrderSettlement>();
        var contracts = new List<ContractSettlement>();
        foreach (var order in orders)
        {
            if (!UftpIspCalendar.TryFindTimeZone(order.TimeZone, out var zone)) continue;
            var count = UftpIspCalendar.IspCount(order.Period, zone!, order.IspDuration) ?? 0;
            var subject = prognoses.Where(p => p.CongestionPoint == order.CongestionPoint && p.Period == order.Period).ToList();
            var baseline = subject.FirstOrDefault(p => p.MessageId == order.DPrognosisMessageId) ?? subject.MinBy(p => p.Revision);
            var actual = subject.MaxBy(p => p.Revision);
            var basePowers = baseline is null ? new long[count] : UftpAgrService.Expand(baseline.Isps, count);
            var actualPowers = actual is null ? new long[count] : UftpAgrService.Expand(actual.Isps, count);
            var isps = new List<FlexOrderSettlementIsp>();
            foreach (var isp in order.Isps)
            {
                for (var i = isp.Start; i < isp.Start + isp.Duration && i <= count; i++)
                {
                    var ordered = (long)(isp.Power * order.ActivationFactor);
                    var delivered = actualPowers[i - 1] - basePowers[i - 1];
                    var deficiency = Math.Sign(ordered) == Math.Sign(delivered) || delivered == 0 ? Math.Max(0, Math.Abs(ordered) - Math.Abs(delivered)) : Math.Abs(ordered);
                    isps.Add(new FlexOrderSettlementIsp(i, 1, basePowers[i - 1], ordered, actualPowers[i - 1], delivered, deficiency));
                }
            }
            settlements.Add(new FlexOrderSettlement
            {
                OrderReference = order.OrderReference, Period = order.Period, ContractId = order.ContractId, DPrognosisMessageId = baseline?.MessageId,
                CongestionPoint = order.CongestionPoint, Price = order.Price, Penalty = 0m, NetSettlement = order.Price, Isps = new ValueList<FlexOrderSettlementIsp>(isps),
            });
            contracts.Add(new ContractSettlement(order.ContractId ?? "none", new[]
            {
                new ContractSettlementPeriod(order.Period, new ValueList<ContractSettlementIsp>(order.Isps.Select(i => new ContractSettlementIsp(i.Start, i.Duration, 0, OrderedPower: i.Power)))),
            }));
        }
        var settlement = new FlexSettlement
        {
            SenderDomain = node.Domain, RecipientDomain = agrDomain, TimeStamp = node.Time.GetUtcNow(), MessageId = UftpNode.NewMessageId(), ConversationId = Guid.NewGuid(),
            Result = AcceptedRejected.Accepted, PeriodStart = periodStart, PeriodEnd = periodEnd, Currency = currency,
            FlexOrderSettlements = new ValueList<FlexOrderSettlement>(settlements), ContractSettlements = new ValueList<ContractSettlement>(contracts),
        };
        await node.SendAsync(settlement, cancellationToken).ConfigureAwait(false);
        return settlement;
    }
}
