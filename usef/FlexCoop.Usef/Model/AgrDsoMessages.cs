namespace FlexCoop.Usef;

/// <summary><c>D-Prognosis</c> (AGR → DSO): the forecast power per ISP on a congestion point.</summary>
public sealed record DPrognosis : FlexMessage
{
    /// <summary><c>Revision</c>: incremented with every new revision of the prognosis.</summary>
    public required long Revision { get; init; }

    /// <summary>The <c>ISP</c> elements (at least one).</summary>
    public required ValueList<PowerIsp> Isps { get; init; }

    public override UftpMessageType MessageType => UftpMessageType.DPrognosis;
}

/// <summary><c>FlexOrderStatus</c> in a D-PrognosisResponse.</summary>
public sealed record FlexOrderStatus(Guid FlexOrderMessageId, bool IsValidated);

/// <summary><c>D-PrognosisResponse</c> (DSO → AGR).</summary>
public sealed record DPrognosisResponse : PayloadMessageResponse
{
    /// <summary><c>D-PrognosisMessageID</c>.</summary>
    public required Guid DPrognosisMessageId { get; init; }

    /// <summary>The <c>FlexOrderStatus</c> elements (may be empty).</summary>
    public ValueList<FlexOrderStatus> FlexOrderStatuses { get; init; } = ValueList<FlexOrderStatus>.Empty;

    public override UftpMessageType MessageType => UftpMessageType.DPrognosisResponse;
}

/// <summary><c>FlexReservationUpdate</c> (DSO → AGR): the power still reserved under a bilateral contract.</summary>
public sealed record FlexReservationUpdate : FlexMessage
{
    /// <summary><c>ContractID</c>.</summary>
    public required string ContractId { get; init; }

    /// <summary><c>Reference</c>: assigned by the DSO.</summary>
    public required string Reference { get; init; }

    /// <summary>The <c>ISP</c> elements (remaining reserved power).</summary>
    public required ValueList<PowerIsp> Isps { get; init; }

    public override UftpMessageType MessageType => UftpMessageType.FlexReservationUpdate;
}

/// <summary><c>FlexReservationUpdateResponse</c> (AGR → DSO).</summary>
public sealed record FlexReservationUpdateResponse : PayloadMessageResponse
{
    /// <summary><c>FlexReservationUpdateMessageID</c>.</summary>
    public required Guid FlexReservationUpdateMessageId { get; init; }

    public override UftpMessageType MessageType => UftpMessageType.FlexReservationUpdateResponse;
}

/// <summary>One <c>ISP</c> of a FlexRequest: the power band wanted (MinPower..MaxPower, watts).</summary>
public readonly record struct FlexRequestIsp(AvailableRequested? Disposition, long MinPower, long MaxPower, int Start, int Duration = 1);

/// <summary><c>FlexRequest</c> (DSO → AGR): asks for flexibility on a congestion point.</summary>
public sealed record FlexRequest : FlexMessage
{
    /// <summary><c>Revision</c>.</summary>
    public required long Revision { get; init; }

    /// <summary><c>ExpirationDateTime</c>: until when offers may be made.</summary>
    public required DateTimeOffset ExpirationDateTime { get; init; }

    /// <summary><c>ContractID</c>.</summary>
    public string? ContractId { get; init; }

    /// <summary><c>ServiceType</c>.</summary>
    public string? ServiceType { get; init; }

    /// <summary>The <c>ISP</c> elements.</summary>
    public required ValueList<FlexRequestIsp> Isps { get; init; }

    public override UftpMessageType MessageType => UftpMessageType.FlexRequest;
}

/// <summary><c>FlexRequestResponse</c> (AGR → DSO).</summary>
public sealed record FlexRequestResponse : PayloadMessageResponse
{
    /// <summary><c>FlexRequestMessageID</c>.</summary>
    public required Guid FlexRequestMessageId { get; init; }

    public override UftpMessageType MessageType => UftpMessageType.FlexRequestResponse;
}

/// <summary><c>OfferOption</c> of a FlexOffer: a price for a power profile.</summary>
/// <param name="OptionReference">Referenced by the FlexOrder that takes this option.</param>
/// <param name="Price">Price for the whole option (CurrencyAmountType, 4 decimals at most).</param>
/// <param name="Isps">The offered flex power per ISP.</param>
/// <param name="MinActivationFactor">Smallest ActivationFactor an order may use (0.01..1.00, default 1.00).</param>
public sealed record FlexOfferOption(string OptionReference, decimal Price, ValueList<PowerIsp> Isps, decimal MinActivationFactor = 1.00m);

/// <summary><c>FlexOffer</c> (AGR → DSO).</summary>
public sealed record FlexOffer : FlexMessage
{
    /// <summary><c>ExpirationDateTime</c>: until when the offer may be ordered.</summary>
    public required DateTimeOffset ExpirationDateTime { get; init; }

    /// <summary><c>Unsolicited</c>: true when not an answer to a FlexRequest.</summary>
    public bool? Unsolicited { get; init; }

    /// <summary><c>FlexRequestMessageID</c>: the request answered (required unless unsolicited).</summary>
    public Guid? FlexRequestMessageId { get; init; }

    /// <summary><c>ContractID</c>.</summary>
    public string? ContractId { get; init; }

    /// <summary><c>D-PrognosisMessageID</c>: the baseline D-Prognosis.</summary>
    public Guid? DPrognosisMessageId { get; init; }

    /// <summary><c>BaselineReference</c>.</summary>
    public string? BaselineReference { get; init; }

    /// <summary><c>Currency</c> (ISO 4217).</summary>
    public required string Currency { get; init; }

    /// <summary>The <c>OfferOption</c> elements (at least one; several are mutually exclusive).</summary>
    public required ValueList<FlexOfferOption> OfferOptions { get; init; }

    public override UftpMessageType MessageType => UftpMessageType.FlexOffer;
}

/// <summary><c>FlexOfferResponse</c> (DSO → AGR).</summary>
public sealed record FlexOfferResponse : PayloadMessageResponse
{
    /// <summary><c>FlexOfferMessageID</c>.</summary>
    public required Guid FlexOfferMessageId { get; init; }

    public override UftpMessageType MessageType => UftpMessageType.FlexOfferResponse;
}

/// <summary><c>FlexOfferRevocation</c> (AGR → DSO): withdraws an offer that was not ordered yet.</summary>
public sealed record FlexOfferRevocation : PayloadMessage
{
    /// <summary><c>FlexOfferMessageID</c>.</summary>
    public required Guid FlexOfferMessageId { get; init; }

    public override UftpMessageType MessageType => UftpMessageType.FlexOfferRevocation;
}

/// <summary><c>FlexOfferRevocationResponse</c> (DSO → AGR).</summary>
public sealed record FlexOfferRevocationResponse : PayloadMessageResponse
{
    /// <summary><c>FlexOfferRevocationMessageID</c>.</summary>
    public required Guid FlexOfferRevocationMessageId { get; init; }

    public override UftpMessageType MessageType => UftpMessageType.FlexOfferRevocationResponse;
}

/// <summary><c>FlexOrder</c> (DSO → AGR): buys a FlexOffer option.</summary>
public sealed record FlexOrder : FlexMessage
{
    /// <summary>The <c>ISP</c> elements (ordered flex power).</summary>
    public required ValueList<PowerIsp> Isps { get; init; }

    /// <summary><c>Unsolicited</c>.</summary>
    public bool? Unsolicited { get; init; }

    /// <summary><c>FlexOfferMessageID</c>: the offer ordered.</summary>
    public Guid? FlexOfferMessageId { get; init; }

    /// <summary><c>ServiceType</c>.</summary>
    public string? ServiceType { get; init; }

    /// <summary><c>ContractID</c>.</summary>
    public string? ContractId { get; init; }

    /// <summary><c>D-PrognosisMessageID</c>.</summary>
    public Guid? DPrognosisMessageId { get; init; }

    /// <summary><c>BaselineReference</c>.</summary>
    public string? BaselineReference { get; init; }

    /// <summary><c>Price</c>.</summary>
    public required decimal Price { get; init; }

    /// <summary><c>Currency</c>.</summary>
    public required string Currency { get; init; }

    /// <summary><c>OrderReference</c>: assigned by the DSO.</summary>
    public required string OrderReference { get; init; }

    /// <summary><c>OptionReference</c>: the offer option taken.</summary>
    public string? OptionReference { get; init; }

    /// <summary><c>ActivationFactor</c> (0.01..1.00, default 1.00).</summary>
    public decimal ActivationFactor { get; init; } = 1.00m;

    public override UftpMessageType MessageType => UftpMessageType.FlexOrder;
}

/// <summary><c>FlexOrderResponse</c> (AGR → DSO).</summary>
public sealed record FlexOrderResponse : PayloadMessageResponse
{
    /// <summary><c>FlexOrderMessageID</c>.</summary>
    public required Guid FlexOrderMessageId { get; init; }

    public override UftpMessageType MessageType => UftpMessageType.FlexOrderResponse;
}

/// <summary>One <c>ISP</c> of a FlexOrderSettlement (watts).</summary>
public readonly record struct FlexOrderSettlementIsp(int Start, int Duration, long BaselinePower, long OrderedFlexPower, long ActualPower, long DeliveredFlexPower, long PowerDeficiency = 0);

/// <summary><c>FlexOrderSettlement</c>: settlement of one FlexOrder on one day.</summary>
public sealed record FlexOrderSettlement
{
    /// <summary><c>OrderReference</c>.</summary>
    public string? OrderReference { get; init; }

    /// <summary><c>Period</c>.</summary>
    public required DateOnly Period { get; init; }

    /// <summary><c>ContractID</c>.</summary>
    public string? ContractId { get; init; }

    /// <summary><c>D-PrognosisMessageID</c>.</summary>
    public Guid? DPrognosisMessageId { get; init; }

    /// <summary><c>BaselineReference</c>.</summary>
    public string? BaselineReference { get; init; }

    /// <summary><c>CongestionPoint</c>.</summary>
    public required EntityAddress CongestionPoint { get; init; }

    /// <summary><c>Price</c>.</summary>
    public required decimal Price { get; init; }

    /// <summary><c>Penalty</c> (default 0).</summary>
    public decimal Penalty { get; init; }

    /// <summary><c>NetSettlement</c>: Price minus Penalty.</summary>
    public required decimal NetSettlement { get; init; }

    /// <summary>The <c>ISP</c> elements.</summary>
    public required ValueList<FlexOrderSettlementIsp> Isps { get; init; }
}

/// <summary>One <c>ISP</c> of a contract settlement period (watts).</summary>
public readonly record struct ContractSettlementIsp(int Start, int Duration, long ReservedPower, long? RequestedPower = null, long? AvailablePower = null, long? OfferedPower = null, long? OrderedPower = null);

/// <summary><c>Period</c> element of a ContractSettlement.</summary>
public sealed record ContractSettlementPeriod(DateOnly Period, ValueList<ContractSettlementIsp> Isps);

/// <summary><c>ContractSettlement</c>.</summary>
public sealed record ContractSettlement(string? ContractId, ValueList<ContractSettlementPeriod> Periods);

/// <summary>
/// <c>FlexSettlement</c> (DSO → AGR). In UFTP 3.1.0 its type extends the response type, so it
/// carries a Result, and it needs at least one FlexOrderSettlement and one ContractSettlement.
/// </summary>
public sealed record FlexSettlement : PayloadMessageResponse
{
    /// <summary><c>PeriodStart</c>.</summary>
    public required DateOnly PeriodStart { get; init; }

    /// <summary><c>PeriodEnd</c>.</summary>
    public required DateOnly PeriodEnd { get; init; }

    /// <summary><c>Currency</c>.</summary>
    public required string Currency { get; init; }

    /// <summary>The <c>FlexOrderSettlement</c> elements.</summary>
    public required ValueList<FlexOrderSettlement> FlexOrderSettlements { get; init; }

    /// <summary>The <c>ContractSettlement</c> elements.</summary>
    public required ValueList<ContractSettlement> ContractSettlements { get; init; }

    public override UftpMessageType MessageType => UftpMessageType.FlexSettlement;
}

/// <summary><c>FlexOrderSettlementStatus</c> in a FlexSettlementResponse.</summary>
public sealed record FlexOrderSettlementStatus(string? OrderReference, AcceptedDisputed Disposition, string? DisputeReason = null);

/// <summary><c>FlexSettlementResponse</c> (AGR → DSO).</summary>
public sealed record FlexSettlementResponse : PayloadMessageResponse
{
    /// <summary><c>FlexSettlementMessageID</c>.</summary>
    public required Guid FlexSettlementMessageId { get; init; }

    /// <summary>The <c>FlexOrderSettlementStatus</c> elements (at least one).</summary>
    public required ValueList<FlexOrderSettlementStatus> FlexOrderSettlementStatuses { get; init; }

    public override UftpMessageType MessageType => UftpMessageType.FlexSettlementResponse;
}
