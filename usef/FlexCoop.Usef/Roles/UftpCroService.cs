using FlexCoop.Usef.Storage;
using FlexCoop.Usef.Transport;

namespace FlexCoop.Usef.Roles;

/// <summary>A connection an aggregator represents from <see cref="StartPeriod"/> to <see cref="EndPeriod"/> (inclusive; null: open-ended).</summary>
public sealed record CroAgrConnection(string AgrDomain, EntityAddress EntityAddress, DateOnly StartPeriod, DateOnly? EndPeriod)
{
    /// <summary>True when the connection is represented on <paramref name="period"/>.</summary>
    public bool IsActiveOn(DateOnly period) => StartPeriod <= period && (EndPeriod is null || period <= EndPeriod);
}

/// <summary>A congestion point a DSO registered, with its connections.</summary>
public sealed record CroCongestionPoint(string DsoDomain, DsoPortfolioUpdateCongestionPoint Definition)
{
    /// <summary>True when the congestion point exists on <paramref name="period"/>.</summary>
    public bool IsActiveOn(DateOnly period) => Definition.StartPeriod <= period && (Definition.EndPeriod is null || period <= Definition.EndPeriod);

    /// <summary>The connections of the congestion point on <paramref name="period"/>.</summary>
    public IEnumerable<EntityAddress> ConnectionsOn(DateOnly period) =>
        Definition.Connections.Where(c => c.StartPeriod <= period && (c.EndPeriod is null || period <= c.EndPeriod)).Select(c => c.EntityAddress);
}

/// <summary>
/// What the Common Reference Operator knows: every congestion point registered by DSOs
/// (DSOPortfolioUpdate) and every connection registered by aggregators (AGRPortfolioUpdate).
/// Built from the accepted updates in the participant's store, oldest first, so it survives restarts.
/// </summary>
public sealed class CroPortfolio
{
    private readonly Dictionary<string, CroCongestionPoint> _congestionPoints = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Agr, string Connection), CroAgrConnection> _connections = [];

    /// <summary>Congestion points by EntityAddress.</summary>
    public IReadOnlyDictionary<string, CroCongestionPoint> CongestionPoints => _congestionPoints;

    /// <summary>Every aggregator's connections.</summary>
    public IEnumerable<CroAgrConnection> Connections => _connections.Values;

    /// <summary>Folds the accepted portfolio updates of <paramref name="stored"/> (in order) into a portfolio.</summary>
    public static CroPortfolio From(IEnumerable<UftpStoredMessage> stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var portfolio = new CroPortfolio();
        foreach (var s in stored)
        {
            if (s.Direction != UftpDirection.Inbound || s.Result != AcceptedRejected.Accepted) continue;
            portfolio.Apply(s.Message);
        }
        return portfolio;
    }

    /// <summary>Applies one update: a DSO's congestion points replace what it said before about them; an aggregator's connections likewise.</summary>
    public void Apply(PayloadMessage message)
    {
        switch (message)
        {
            case DsoPortfolioUpdate d:
                foreach (var cp in d.CongestionPoints) _congestionPoints[cp.EntityAddress.Value] = new CroCongestionPoint(d.SenderDomain, cp);
                break;
            case AgrPortfolioUpdate a:
                foreach (var c in a.Connections) _connections[(a.SenderDomain, c.EntityAddress.Value)] = new CroAgrConnection(a.SenderDomain, c.EntityAddress, c.StartPeriod, c.EndPeriod);
                break;
        }
    }

    /// <summary>Why a DSOPortfolioUpdate cannot be accepted (a congestion point of another DSO), or null.</summary>
    public string? CheckUpdate(DsoPortfolioUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        foreach (var cp in update.CongestionPoints)
        {
            if (_congestionPoints.TryGetValue(cp.EntityAddress.Value, out var known) && !string.Equals(known.DsoDomain, update.SenderDomain, StringComparison.Ordinal))
            {
                return $"congestion point {cp.EntityAddress} is registered by {known.DsoDomain}";
            }
            if (cp.EndPeriod is { } end && end < cp.StartPeriod) return $"congestion point {cp.EntityAddress} ends ({end:yyyy-MM-dd}) before it starts ({cp.StartPeriod:yyyy-MM-dd})";
            foreach (var c in cp.Connections)
            {
                if (c.EndPeriod is { } e && e < c.StartPeriod) return $"connection {c.EntityAddress} ends ({e:yyyy-MM-dd}) before it starts ({c.StartPeriod:yyyy-MM-dd})";
                var other = _congestionPoints.Values.FirstOrDefault(o => o.Definition.EntityAddress != cp.EntityAddress && o.Definition.Connections.Any(x => x.EntityAddress == c.EntityAddress));
                if (other is not null) return $"connection {c.EntityAddress} already belongs to congestion point {other.Definition.EntityAddress}";
            }
        }
        return null;
    }

    /// <summary>Why an AGRPortfolioUpdate cannot be accepted (a connection another aggregator represents at the same time), or null.</summary>
    public string? CheckUpdate(AgrPortfolioUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        foreach (var c in update.Connections)
        {
            if (c.EndPeriod is { } e && e < c.StartPeriod) return $"connection {c.EntityAddress} ends ({e:yyyy-MM-dd}) before it starts ({c.StartPeriod:yyyy-MM-dd})";
            var clash = _connections.Values.FirstOrDefault(o => o.EntityAddress == c.EntityAddress && !string.Equals(o.AgrDomain, update.SenderDomain, StringComparison.Ordinal)
                && o.StartPeriod <= (c.EndPeriod ?? DateOnly.MaxValue) && c.StartPeriod <= (o.EndPeriod ?? DateOnly.MaxValue));
            if (clash is not null) return $"connection {c.EntityAddress} is represented by {clash.AgrDomain} in the same period";
        }
        return null;
    }

    /// <summary>
    /// The DSO-View of an aggregator on a day: per DSO, the congestion points holding the
    /// aggregator's connections; then its connections outside any congestion point. Null when the
    /// aggregator has no connection in a congestion point that day (UFTP 3.1.0's schema cannot express an empty view).
    /// </summary>
    public DsoView? ViewFor(string agrDomain, DateOnly period)
    {
        var mine = _connections.Values.Where(c => string.Equals(c.AgrDomain, agrDomain, StringComparison.Ordinal) && c.IsActiveOn(period)).Select(c => c.EntityAddress).ToHashSet();
        var placed = new HashSet<EntityAddress>();
        var portfolios = new List<DsoPortfolio>();
        foreach (var byDso in _congestionPoints.Values.Where(cp => cp.IsActiveOn(period)).GroupBy(cp => cp.DsoDomain, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var points = new List<AgrPortfolioCongestionPoint>();
            foreach (var cp in byDso.OrderBy(c => c.Definition.EntityAddress.Value, StringComparer.Ordinal))
            {
                var connections = cp.ConnectionsOn(period).Where(mine.Contains).ToList();
                if (connections.Count == 0) continue;
                placed.UnionWith(connections);
                var d = cp.Definition;
                points.Add(new AgrPortfolioCongestionPoint(d.EntityAddress, d.MutexOffersSupported, d.DayAheadRedispatchBy, d.IntradayRedispatchBy,
                    new ValueList<PortfolioConnection>(connections.Select(c => new PortfolioConnection(c)))));
            }
            if (points.Count > 0) portfolios.Add(new DsoPortfolio(byDso.Key, new ValueList<AgrPortfolioCongestionPoint>(points)));
        }
        if (portfolios.Count == 0) return null;
        var outside = mine.Where(c => !placed.Contains(c)).OrderBy(c => c.Value, StringComparer.Ordinal).Select(c => new PortfolioConnection(c));
        return new DsoView(new ValueList<DsoPortfolio>(portfolios), new ValueList<PortfolioConnection>(outside));
    }

    /// <summary>The congestion point as a DSO sees it on a day: its connections and the aggregator representing each; null when unknown, another DSO's, or not active that day.</summary>
    public DsoPortfolioQueryCongestionPoint? CongestionPointFor(string dsoDomain, EntityAddress congestionPoint, DateOnly period)
    {
        ArgumentNullException.ThrowIfNull(congestionPoint);
        if (!_congestionPoints.TryGetValue(congestionPoint.Value, out var cp) || !string.Equals(cp.DsoDomain, dsoDomain, StringComparison.Ordinal) || !cp.IsActiveOn(period)) return null;
        var connections = cp.ConnectionsOn(period).Select(c => new DsoPortfolioQueryConnection(c,
            _connections.Values.FirstOrDefault(a => a.EntityAddress == c && a.IsActiveOn(period))?.AgrDomain)).ToList();
        return connections.Count == 0 ? null : new DsoPortfolioQueryCongestionPoint(congestionPoint, new ValueList<DsoPortfolioQueryConnection>(connections));
    }
}

/// <summary>
/// The Common Reference Operator (CRO) role: keeps the register of congestion points (from DSOs'
/// DSOPortfolioUpdates) and of the connections aggregators represent (AGRPortfolioUpdates), and
/// answers AGRPortfolioQuery and DSOPortfolioQuery from it. The register is the store's accepted
/// updates, so the CRO answers the same after a restart.
/// </summary>
public sealed class UftpCroService : IUftpMessageHandler, IUftpResponder
{
    /// <summary>The register as the node's store holds it now.</summary>
    public static async Task<CroPortfolio> PortfolioAsync(UftpNode node, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        return CroPortfolio.From(await node.Store.AllAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Nothing to do after acceptance: the register is read from the store when needed.</summary>
    public ValueTask HandleAsync(UftpNode node, PayloadMessage message, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async ValueTask<PayloadMessage?> CreateResponseAsync(UftpNode node, PayloadMessage request, AcceptedRejected result, string? rejectionReason, Guid messageId, DateTimeOffset timeStamp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(request);
        if (request is not (DsoPortfolioUpdate or AgrPortfolioUpdate or AgrPortfolioQuery or DsoPortfolioQuery)) return null;
        var portfolio = await PortfolioAsync(node, cancellationToken).ConfigureAwait(false);
        if (result == AcceptedRejected.Accepted)
        {
            var refusal = request switch
            {
                DsoPortfolioUpdate d => portfolio.CheckUpdate(d),
                AgrPortfolioUpdate a => portfolio.CheckUpdate(a),
                _ => null,
            };
            if (refusal is not null) (result, rejectionReason) = (AcceptedRejected.Rejected, refusal);
        }
        var reason = result == AcceptedRejected.Rejected ? rejectionReason ?? "rejected" : null;
        switch (request)
        {
            case AgrPortfolioQuery q:
            {
                var view = result == AcceptedRejected.Accepted ? portfolio.ViewFor(q.SenderDomain, q.Period) : null;
                if (result == AcceptedRejected.Accepted && view is null)
                {
                    (result, reason) = (AcceptedRejected.Rejected, $"no connection of {q.SenderDomain} lies in a congestion point on {q.Period:yyyy-MM-dd}");
                }
                return new AgrPortfolioQueryResponse
                {
                    Version = q.Version, SenderDomain = q.RecipientDomain, RecipientDomain = q.SenderDomain, TimeStamp = timeStamp, MessageId = messageId, ConversationId = q.ConversationId,
                    Result = result, RejectionReason = reason, AgrPortfolioQueryMessageId = q.MessageId, TimeZone = q.TimeZone, Period = q.Period,
                    DsoViews = view is null ? ValueList<DsoView>.Empty : ValueList.Of(view),
                };
            }
            case DsoPortfolioQuery q:
            {
                var point = result == AcceptedRejected.Accepted ? portfolio.CongestionPointFor(q.SenderDomain, q.EntityAddress, q.Period) : null;
                if (result == AcceptedRejected.Accepted && point is null)
                {
                    (result, reason) = (AcceptedRejected.Rejected, $"congestion point {q.EntityAddress} is not registered by {q.SenderDomain} with connections on {q.Period:yyyy-MM-dd}");
                }
                return new DsoPortfolioQueryResponse
                {
                    Version = q.Version, SenderDomain = q.RecipientDomain, RecipientDomain = q.SenderDomain, TimeStamp = timeStamp, MessageId = messageId, ConversationId = q.ConversationId,
                    Result = result, RejectionReason = reason, DsoPortfolioQueryMessageId = q.MessageId, TimeZone = q.TimeZone, Period = q.Period, CongestionPoint = point,
                };
            }
            default:
                return UftpResponses.Create(request, result, reason, messageId, timeStamp);
        }
    }
}

/// <summary>Sends the portfolio messages of aggregators and DSOs to the CRO.</summary>
public static class UftpCroClient
{
    /// <summary>AGR → CRO: the connections the aggregator represents.</summary>
    public static async Task<AgrPortfolioUpdate> SendAgrPortfolioUpdateAsync(UftpNode node, string croDomain, IEnumerable<AgrPortfolioUpdateConnection> connections, string timeZone = "Europe/Amsterdam", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        var update = new AgrPortfolioUpdate
        {
            SenderDomain = node.Domain, RecipientDomain = croDomain, TimeStamp = node.Time.GetUtcNow(), MessageId = UftpNode.NewMessageId(), ConversationId = Guid.NewGuid(),
            TimeZone = timeZone, Connections = new ValueList<AgrPortfolioUpdateConnection>(connections),
        };
        await node.SendAsync(update, cancellationToken).ConfigureAwait(false);
        return update;
    }

    /// <summary>AGR → CRO: which of its connections lie in which DSO's congestion points on a day.</summary>
    public static async Task<AgrPortfolioQuery> SendAgrPortfolioQueryAsync(UftpNode node, string croDomain, DateOnly period, string timeZone = "Europe/Amsterdam", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        var query = new AgrPortfolioQuery
        {
            SenderDomain = node.Domain, RecipientDomain = croDomain, TimeStamp = node.Time.GetUtcNow(), MessageId = UftpNode.NewMessageId(), ConversationId = Guid.NewGuid(),
            TimeZone = timeZone, Period = period,
        };
        await node.SendAsync(query, cancellationToken).ConfigureAwait(false);
        return query;
    }

    /// <summary>DSO → CRO: its congestion points and their connections.</summary>
    public static async Task<DsoPortfolioUpdate> SendDsoPortfolioUpdateAsync(UftpNode node, string croDomain, IEnumerable<DsoPortfolioUpdateCongestionPoint> congestionPoints, string timeZone = "Europe/Amsterdam", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        var update = new DsoPortfolioUpdate
        {
            SenderDomain = node.Domain, RecipientDomain = croDomain, TimeStamp = node.Time.GetUtcNow(), MessageId = UftpNode.NewMessageId(), ConversationId = Guid.NewGuid(),
            TimeZone = timeZone, CongestionPoints = new ValueList<DsoPortfolioUpdateCongestionPoint>(congestionPoints),
        };
        await node.SendAsync(update, cancellationToken).ConfigureAwait(false);
        return update;
    }

    /// <summary>DSO → CRO: the connections of one congestion point on a day and who represents them.</summary>
    public static async Task<DsoPortfolioQuery> SendDsoPortfolioQueryAsync(UftpNode node, string croDomain, EntityAddress congestionPoint, DateOnly period, string timeZone = "Europe/Amsterdam", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        var query = new DsoPortfolioQuery
        {
            SenderDomain = node.Domain, RecipientDomain = croDomain, TimeStamp = node.Time.GetUtcNow(), MessageId = UftpNode.NewMessageId(), ConversationId = Guid.NewGuid(),
            TimeZone = timeZone, Period = period, EntityAddress = congestionPoint,
        };
        await node.SendAsync(query, cancellationToken).ConfigureAwait(false);
        return query;
    }
}
