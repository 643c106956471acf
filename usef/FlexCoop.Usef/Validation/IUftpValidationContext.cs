using System.Collections.Concurrent;

namespace FlexCoop.Usef.Validation;

/// <summary>
/// What the business-rule validator needs to know about earlier traffic and the grid: messages
/// already seen (sent or received), revoked offers, congestion points, latest revisions.
/// The SQLite store implements it durably; <see cref="InMemoryUftpValidationContext"/> in memory.
/// </summary>
public interface IUftpValidationContext
{
    /// <summary>A message sent or received earlier, or null.</summary>
    ValueTask<PayloadMessage?> FindMessageAsync(Guid messageId, CancellationToken cancellationToken = default);

    /// <summary>True when an accepted FlexOfferRevocation revoked the offer.</summary>
    ValueTask<bool> IsFlexOfferRevokedAsync(Guid flexOfferMessageId, CancellationToken cancellationToken = default);

    /// <summary>True when a FlexOrder for the offer was sent or received.</summary>
    ValueTask<bool> IsFlexOfferOrderedAsync(Guid flexOfferMessageId, CancellationToken cancellationToken = default);

    /// <summary>True when the congestion point is known (from configuration or a portfolio).</summary>
    ValueTask<bool> IsCongestionPointKnownAsync(EntityAddress congestionPoint, CancellationToken cancellationToken = default);

    /// <summary>The highest Revision seen of this type from this sender for this congestion point and period, or null.</summary>
    ValueTask<long?> LatestRevisionAsync(UftpMessageType type, string senderDomain, EntityAddress congestionPoint, DateOnly period, CancellationToken cancellationToken = default);
}

/// <summary>An in-memory <see cref="IUftpValidationContext"/>: for tests, the CLI and single-process use.</summary>
public sealed class InMemoryUftpValidationContext : IUftpValidationContext
{
    private readonly ConcurrentDictionary<Guid, PayloadMessage> _messages = new();
    private readonly ConcurrentDictionary<Guid, bool> _revoked = new();
    private readonly ConcurrentDictionary<string, bool> _congestionPoints = new(StringComparer.Ordinal);

    /// <summary>Records a message as seen (and, for a FlexOfferRevocation, the offer as revoked).</summary>
    public void Add(PayloadMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        _messages[message.MessageId] = message;
        if (message is FlexOfferRevocation revocation) _revoked[revocation.FlexOfferMessageId] = true;
    }

    /// <summary>Makes a congestion point known.</summary>
    public void AddCongestionPoint(EntityAddress congestionPoint)
    {
        ArgumentNullException.ThrowIfNull(congestionPoint);
        _congestionPoints[congestionPoint.Value] = true;
    }

    public ValueTask<PayloadMessage?> FindMessageAsync(Guid messageId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_messages.GetValueOrDefault(messageId));

    public ValueTask<bool> IsFlexOfferRevokedAsync(Guid flexOfferMessageId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_revoked.ContainsKey(flexOfferMessageId));

    public ValueTask<bool> IsFlexOfferOrderedAsync(Guid flexOfferMessageId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_messages.Values.OfType<FlexOrder>().Any(o => o.FlexOfferMessageId == flexOfferMessageId));

    public ValueTask<bool> IsCongestionPointKnownAsync(EntityAddress congestionPoint, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(congestionPoint is not null && _congestionPoints.ContainsKey(congestionPoint.Value));

    public ValueTask<long?> LatestRevisionAsync(UftpMessageType type, string senderDomain, EntityAddress congestionPoint, DateOnly period, CancellationToken cancellationToken = default)
    {
        long? best = null;
        foreach (var m in _messages.Values)
        {
            if (m.MessageType != type || m.SenderDomain != senderDomain || m is not FlexMessage f || f.CongestionPoint != congestionPoint || f.Period != period) continue;
            var revision = m switch { DPrognosis p => p.Revision, FlexRequest r => r.Revision, _ => (long?)null };
            if (revision is { } r2 && (best is null || r2 > best)) best = r2;
        }
        return ValueTask.FromResult(best);
    }
}
