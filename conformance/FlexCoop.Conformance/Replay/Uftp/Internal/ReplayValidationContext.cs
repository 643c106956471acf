using FlexCoop.Usef;
using FlexCoop.Usef.Validation;

namespace FlexCoop.Conformance.Replay.Uftp.Internal;

/// <summary>
/// The capture's earlier messages as the business rules see them, indexed so that each question costs the same
/// however long the capture is: messages by MessageID, revoked and ordered offers, the highest revision per
/// (type, sender, congestion point, period). Same answers as <see cref="InMemoryUftpValidationContext"/> (a later
/// message with a MessageID seen before replaces it); used from one thread, in capture order.
/// </summary>
internal sealed class ReplayValidationContext : IUftpValidationContext
{
    private readonly Dictionary<Guid, PayloadMessage> _messages = [];
    private readonly HashSet<Guid> _revoked = [];
    private readonly Dictionary<Guid, int> _orders = [];
    private readonly Dictionary<(UftpMessageType Type, string Sender, string CongestionPoint, DateOnly Period), long> _latestRevision = [];

    public void Add(PayloadMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var replaced = _messages.TryGetValue(message.MessageId, out var earlier);
        _messages[message.MessageId] = message;
        if (message is FlexOfferRevocation revocation) _revoked.Add(revocation.FlexOfferMessageId);
        if (replaced)
        {
            // Rare (a duplicate MessageID, itself a finding): the replaced message no longer counts, so rebuild.
            Rebuild();
            return;
        }
        Index(message);
    }

    private void Index(PayloadMessage message)
    {
        if (message is FlexOrder { FlexOfferMessageId: { } offer }) _orders[offer] = _orders.GetValueOrDefault(offer) + 1;
        if (Revision(message) is { } revision && message is FlexMessage f)
        {
            var key = (message.MessageType, message.SenderDomain, f.CongestionPoint.Value, f.Period);
            if (!_latestRevision.TryGetValue(key, out var best) || revision > best) _latestRevision[key] = revision;
        }
    }

    private void Rebuild()
    {
        _orders.Clear();
        _latestRevision.Clear();
        foreach (var m in _messages.Values) Index(m);
    }

    private static long? Revision(PayloadMessage message) => message switch
    {
        DPrognosis p => p.Revision,
        FlexRequest r => r.Revision,
        _ => null,
    };

    public ValueTask<PayloadMessage?> FindMessageAsync(Guid messageId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_messages.GetValueOrDefault(messageId));

    public ValueTask<bool> IsFlexOfferRevokedAsync(Guid flexOfferMessageId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_revoked.Contains(flexOfferMessageId));

    public ValueTask<bool> IsFlexOfferOrderedAsync(Guid flexOfferMessageId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_orders.ContainsKey(flexOfferMessageId));

    /// <summary>The replay makes no congestion point known (the rule that needs them is off in replay).</summary>
    public ValueTask<bool> IsCongestionPointKnownAsync(EntityAddress congestionPoint, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(false);

    public ValueTask<long?> LatestRevisionAsync(UftpMessageType type, string senderDomain, EntityAddress congestionPoint, DateOnly period, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(congestionPoint);
        return ValueTask.FromResult(_latestRevision.TryGetValue((type, senderDomain, congestionPoint.Value, period), out var best) ? best : (long?)null);
    }
}
