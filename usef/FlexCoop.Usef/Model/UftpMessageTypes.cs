namespace FlexCoop.Usef;

/// <summary>
/// What the specification says about each message type: its element name, which roles send and
/// receive it, which response answers it and which message a response refers to.
/// </summary>
public sealed record UftpMessageTypeInfo(
    UftpMessageType Type,
    string ElementName,
    ValueList<UftpRole> SenderRoles,
    ValueList<UftpRole> RecipientRoles,
    UftpMessageType? ResponseType,
    UftpMessageType? RespondsTo)
{
    /// <summary>True for the replies (every *Response type).</summary>
    public bool IsResponse => RespondsTo is not null;
}

/// <summary>The table of <see cref="UftpMessageTypeInfo"/> for every UFTP 3.1 message.</summary>
public static class UftpMessageTypes
{
    private static readonly UftpRole[] Agr = [UftpRole.AGR];
    private static readonly UftpRole[] Dso = [UftpRole.DSO];
    private static readonly UftpRole[] Cro = [UftpRole.CRO];
    private static readonly UftpRole[] Any = [UftpRole.AGR, UftpRole.CRO, UftpRole.DSO];

    private static readonly Dictionary<UftpMessageType, UftpMessageTypeInfo> ByType = Build().ToDictionary(i => i.Type);
    private static readonly Dictionary<string, UftpMessageTypeInfo> ByElement = ByType.Values.ToDictionary(i => i.ElementName, StringComparer.Ordinal);

    /// <summary>Every message type.</summary>
    public static IEnumerable<UftpMessageTypeInfo> All => ByType.Values;

    /// <summary>The facts for one type.</summary>
    public static UftpMessageTypeInfo Get(UftpMessageType type) => ByType[type];

    /// <summary>The type whose root element is <paramref name="elementName"/>, if any.</summary>
    public static UftpMessageTypeInfo? FindByElement(string elementName) => ByElement.GetValueOrDefault(elementName);

    /// <summary>The message a response refers to (its <c>*MessageID</c> attribute); null for non-responses.</summary>
    public static Guid? ReferencedMessageId(PayloadMessage message) => message switch
    {
        TestMessageResponse => null,
        DPrognosisResponse r => r.DPrognosisMessageId,
        FlexReservationUpdateResponse r => r.FlexReservationUpdateMessageId,
        FlexRequestResponse r => r.FlexRequestMessageId,
        FlexOfferResponse r => r.FlexOfferMessageId,
        FlexOfferRevocationResponse r => r.FlexOfferRevocationMessageId,
        FlexOrderResponse r => r.FlexOrderMessageId,
        FlexSettlementResponse r => r.FlexSettlementMessageId,
        MeteringResponse r => r.MeteringMessageId,
        AgrPortfolioUpdateResponse r => r.AgrPortfolioUpdateMessageId,
        AgrPortfolioQueryResponse r => r.AgrPortfolioQueryMessageId,
        DsoPortfolioUpdateResponse r => r.DsoPortfolioUpdateMessageId,
        DsoPortfolioQueryResponse r => r.DsoPortfolioQueryMessageId,
        _ => null,
    };

    private static IEnumerable<UftpMessageTypeInfo> Build()
    {
        static UftpMessageTypeInfo I(UftpMessageType t, string e, UftpRole[] s, UftpRole[] r, UftpMessageType? resp = null, UftpMessageType? to = null) =>
            new(t, e, new ValueList<UftpRole>(s), new ValueList<UftpRole>(r), resp, to);

        yield return I(UftpMessageType.SignedMessage, "SignedMessage", Any, Any);
        yield return I(UftpMessageType.TestMessage, "TestMessage", Any, Any, UftpMessageType.TestMessageResponse);
        yield return I(UftpMessageType.TestMessageResponse, "TestMessageResponse", Any, Any, to: UftpMessageType.TestMessage);
        yield return I(UftpMessageType.DPrognosis, "D-Prognosis", Agr, Dso, UftpMessageType.DPrognosisResponse);
        yield return I(UftpMessageType.DPrognosisResponse, "D-PrognosisResponse", Dso, Agr, to: UftpMessageType.DPrognosis);
        yield return I(UftpMessageType.FlexReservationUpdate, "FlexReservationUpdate", Dso, Agr, UftpMessageType.FlexReservationUpdateResponse);
        yield return I(UftpMessageType.FlexReservationUpdateResponse, "FlexReservationUpdateResponse", Agr, Dso, to: UftpMessageType.FlexReservationUpdate);
        yield return I(UftpMessageType.FlexRequest, "FlexRequest", Dso, Agr, UftpMessageType.FlexRequestResponse);
        yield return I(UftpMessageType.FlexRequestResponse, "FlexRequestResponse", Agr, Dso, to: UftpMessageType.FlexRequest);
        yield return I(UftpMessageType.FlexOffer, "FlexOffer", Agr, Dso, UftpMessageType.FlexOfferResponse);
        yield return I(UftpMessageType.FlexOfferResponse, "FlexOfferResponse", Dso, Agr, to: UftpMessageType.FlexOffer);
        yield return I(UftpMessageType.FlexOfferRevocation, "FlexOfferRevocation", Agr, Dso, UftpMessageType.FlexOfferRevocationResponse);
        yield return I(UftpMessageType.FlexOfferRevocationResponse, "FlexOfferRevocationResponse", Dso, Agr, to: UftpMessageType.FlexOfferRevocation);
        yield return I(UftpMessageType.FlexOrder, "FlexOrder", Dso, Agr, UftpMessageType.FlexOrderResponse);
        yield return I(UftpMessageType.FlexOrderResponse, "FlexOrderResponse", Agr, Dso, to: UftpMessageType.FlexOrder);
        yield return I(UftpMessageType.FlexSettlement, "FlexSettlement", Dso, Agr, UftpMessageType.FlexSettlementResponse);
        yield return I(UftpMessageType.FlexSettlementResponse, "FlexSettlementResponse", Agr, Dso, to: UftpMessageType.FlexSettlement);
        yield return I(UftpMessageType.Metering, "Metering", Agr, Dso, UftpMessageType.MeteringResponse);
        yield return I(UftpMessageType.MeteringResponse, "MeteringResponse", Dso, Agr, to: UftpMessageType.Metering);
        yield return I(UftpMessageType.AGRPortfolioUpdate, "AGRPortfolioUpdate", Agr, Cro, UftpMessageType.AGRPortfolioUpdateResponse);
        yield return I(UftpMessageType.AGRPortfolioUpdateResponse, "AGRPortfolioUpdateResponse", Cro, Agr, to: UftpMessageType.AGRPortfolioUpdate);
        yield return I(UftpMessageType.AGRPortfolioQuery, "AGRPortfolioQuery", Agr, Cro, UftpMessageType.AGRPortfolioQueryResponse);
        yield return I(UftpMessageType.AGRPortfolioQueryResponse, "AGRPortfolioQueryResponse", Cro, Agr, to: UftpMessageType.AGRPortfolioQuery);
        yield return I(UftpMessageType.DSOPortfolioUpdate, "DSOPortfolioUpdate", Dso, Cro, UftpMessageType.DSOPortfolioUpdateResponse);
        yield return I(UftpMessageType.DSOPortfolioUpdateResponse, "DSOPortfolioUpdateResponse", Cro, Dso, to: UftpMessageType.DSOPortfolioUpdate);
        yield return I(UftpMessageType.DSOPortfolioQuery, "DSOPortfolioQuery", Dso, Cro, UftpMessageType.DSOPortfolioQueryResponse);
        yield return I(UftpMessageType.DSOPortfolioQueryResponse, "DSOPortfolioQueryResponse", Cro, Dso, to: UftpMessageType.DSOPortfolioQuery);
    }
}
