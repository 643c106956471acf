namespace FlexCoop.Usef.Transport;

/// <summary>Builds the Response that answers a message, as the specification pairs them.</summary>
public static class UftpResponses
{
    /// <summary>
    /// The response to <paramref name="request"/> from its recipient, or null for types whose
    /// response needs data only the application has (AGRPortfolioQuery) and for responses themselves.
    /// </summary>
    public static PayloadMessage? Create(PayloadMessage request, AcceptedRejected result, string? rejectionReason, Guid messageId, DateTimeOffset timeStamp)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reason = result == AcceptedRejected.Rejected ? (string.IsNullOrEmpty(rejectionReason) ? "rejected" : rejectionReason) : null;
        var s = request.RecipientDomain;
        var r = request.SenderDomain;
        var c = request.ConversationId;
        var v = request.Version;
        var id = request.MessageId;
        return request switch
        {
            TestMessage => new TestMessageResponse { Version = v, SenderDomain = s, RecipientDomain = r, TimeStamp = timeStamp, MessageId = messageId, ConversationId = c },
            DPrognosis => new DPrognosisResponse { Version = v, SenderDomain = s, RecipientDomain = r, TimeStamp = timeStamp, MessageId = messageId, ConversationId = c, Result = result, RejectionReason = reason, DPrognosisMessageId = id },
            FlexReservationUpdate => new FlexReservationUpdateResponse { Version = v, SenderDomain = s, RecipientDomain = r, TimeStamp = timeStamp, MessageId = messageId, ConversationId = c, Result = result, RejectionReason = reason, FlexReservationUpdateMessageId = id },
            FlexRequest => new FlexRequestResponse { Version = v, SenderDomain = s, RecipientDomain = r, TimeStamp = timeStamp, MessageId = messageId, ConversationId = c, Result = result, RejectionReason = reason, FlexRequestMessageId = id },
            FlexOffer => new FlexOfferResponse { Version = v, SenderDomain = s, RecipientDomain = r, TimeStamp = timeStamp, MessageId = messageId, ConversationId = c, Result = result, RejectionReason = reason, FlexOfferMessageId = id },
            FlexOfferRevocation => new FlexOfferRevocationResponse { Version = v, SenderDomain = s, RecipientDomain = r, TimeStamp = timeStamp, MessageId = messageId, ConversationId = c, Result = result, RejectionReason = reason, FlexOfferRevocationMessageId = id },
            FlexOrder => new FlexOrderResponse { Version = v, SenderDomain = s, RecipientDomain = r, TimeStamp = timeStamp, MessageId = messageId, ConversationId = c, Result = result, RejectionReason = reason, FlexOrderMessageId = id },
            FlexSettlement fs => new FlexSettlementResponse
            {
                Version = v, SenderDomain = s, RecipientDomain = r, TimeStamp = timeStamp, MessageId = messageId, ConversationId = c, Result = result, RejectionReason = reason, FlexSettlementMessageId = id,
                FlexOrderSettlementStatuses = new ValueList<FlexOrderSettlementStatus>(fs.FlexOrderSettlements.Select(o => result == AcceptedRejected.Accepted
                    ? new FlexOrderSettlementStatus(o.OrderReference, AcceptedDisputed.Accepted)
                    : new FlexOrderSettlementStatus(o.OrderReference, AcceptedDisputed.Disputed, reason))),
            },
            Metering => new MeteringResponse { Version = v, SenderDomain = s, RecipientDomain = r, TimeStamp = timeStamp, MessageId = messageId, ConversationId = c, Result = result, RejectionReason = reason, MeteringMessageId = id },
            AgrPortfolioUpdate => new AgrPortfolioUpdateResponse { Version = v, SenderDomain = s, RecipientDomain = r, TimeStamp = timeStamp, MessageId = messageId, ConversationId = c, Result = result, RejectionReason = reason, AgrPortfolioUpdateMessageId = id },
            DsoPortfolioUpdate => new DsoPortfolioUpdateResponse { Version = v, SenderDomain = s, RecipientDomain = r, TimeStamp = timeStamp, MessageId = messageId, ConversationId = c, Result = result, RejectionReason = reason, DsoPortfolioUpdateMessageId = id },
            DsoPortfolioQuery q => new DsoPortfolioQueryResponse { Version = v, SenderDomain = s, RecipientDomain = r, TimeStamp = timeStamp, MessageId = messageId, ConversationId = c, Result = result, RejectionReason = reason, DsoPortfolioQueryMessageId = id, TimeZone = q.TimeZone, Period = q.Period },
            _ => null,
        };
    }
}
