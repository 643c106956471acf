namespace FlexCoop.Usef;

/// <summary>Every UFTP 3.1 message type, one per global element of the schema set.</summary>
public enum UftpMessageType
{
    SignedMessage,
    TestMessage,
    TestMessageResponse,
    DPrognosis,
    DPrognosisResponse,
    FlexReservationUpdate,
    FlexReservationUpdateResponse,
    FlexRequest,
    FlexRequestResponse,
    FlexOffer,
    FlexOfferResponse,
    FlexOfferRevocation,
    FlexOfferRevocationResponse,
    FlexOrder,
    FlexOrderResponse,
    FlexSettlement,
    FlexSettlementResponse,
    Metering,
    MeteringResponse,
    AGRPortfolioUpdate,
    AGRPortfolioUpdateResponse,
    AGRPortfolioQuery,
    AGRPortfolioQueryResponse,
    DSOPortfolioUpdate,
    DSOPortfolioUpdateResponse,
    DSOPortfolioQuery,
    DSOPortfolioQueryResponse,
}

/// <summary>
/// <c>PayloadMessageType</c>: the attributes every UFTP message carries. Messages are sealed,
/// immutable records that compare by value (lists compare item by item).
/// </summary>
public abstract record PayloadMessage
{
    /// <summary><c>Version</c>: the Shapeshifter specification version the sender uses (e.g. <c>3.1.0</c>).</summary>
    public string Version { get; init; } = UftpSimpleTypes.CurrentVersion;

    /// <summary><c>SenderDomain</c>: the sender's Internet domain.</summary>
    public required string SenderDomain { get; init; }

    /// <summary><c>RecipientDomain</c>: the recipient's Internet domain.</summary>
    public required string RecipientDomain { get; init; }

    /// <summary><c>TimeStamp</c>: when the message was created. A wire value without offset is read as UTC.</summary>
    public required DateTimeOffset TimeStamp { get; init; }

    /// <summary><c>MessageID</c>: unique per message.</summary>
    public required Guid MessageId { get; init; }

    /// <summary><c>ConversationID</c>: copied from the first message of a conversation into every reply.</summary>
    public required Guid ConversationId { get; init; }

    /// <summary>The message type (its root element).</summary>
    public abstract UftpMessageType MessageType { get; }
}

/// <summary><c>PayloadMessageResponseType</c>: a reply that accepts or rejects.</summary>
public abstract record PayloadMessageResponse : PayloadMessage
{
    /// <summary><c>Result</c>.</summary>
    public required AcceptedRejected Result { get; init; }

    /// <summary><c>RejectionReason</c>: a human-readable reason when rejected.</summary>
    public string? RejectionReason { get; init; }
}

/// <summary>
/// <c>FlexMessageType</c>: the attributes of messages about one congestion point on one day
/// (D-Prognosis, FlexRequest, FlexOffer, FlexOrder, FlexReservationUpdate).
/// </summary>
public abstract record FlexMessage : PayloadMessage
{
    /// <summary><c>ISP-Duration</c>: the length of one ISP (e.g. PT15M).</summary>
    public required TimeSpan IspDuration { get; init; }

    /// <summary><c>TimeZone</c>: IANA time zone id that gives the Period its UTC offset (e.g. Europe/Amsterdam).</summary>
    public required string TimeZone { get; init; }

    /// <summary><c>Period</c>: the day the ISPs belong to.</summary>
    public required DateOnly Period { get; init; }

    /// <summary><c>CongestionPoint</c>: the entity address of the congestion point.</summary>
    public required EntityAddress CongestionPoint { get; init; }
}

/// <summary>
/// An ISP block with a power in watts: <c>Start</c> is the number of the first ISP of the day
/// (1-based), <c>Duration</c> the number of ISPs it covers (default 1).
/// Used by D-Prognosis, FlexReservationUpdate, FlexOffer options and FlexOrder.
/// A value type, like every ISP of the model: a list of 96 ISPs is one array, not 96 objects.
/// </summary>
public readonly record struct PowerIsp(long Power, int Start, int Duration = 1);

/// <summary><c>TestMessage</c>: checks that a participant is reachable.</summary>
public sealed record TestMessage : PayloadMessage
{
    public override UftpMessageType MessageType => UftpMessageType.TestMessage;
}

/// <summary><c>TestMessageResponse</c> (in 3.1.0 it has no Result).</summary>
public sealed record TestMessageResponse : PayloadMessage
{
    public override UftpMessageType MessageType => UftpMessageType.TestMessageResponse;
}

/// <summary>
/// <c>SignedMessage</c>: the envelope around every message on the wire. <see cref="Body"/> is the
/// libsodium <c>crypto_sign</c> output: 64-byte Ed25519 signature followed by the sealed XML bytes.
/// </summary>
public sealed record SignedMessage
{
    public SignedMessage(string senderDomain, UftpRole senderRole, ReadOnlyMemory<byte> body)
    {
        SenderDomain = senderDomain;
        SenderRole = senderRole;
        Body = body;
    }

    /// <summary><c>SenderDomain</c>.</summary>
    public string SenderDomain { get; }

    /// <summary><c>SenderRole</c>.</summary>
    public UftpRole SenderRole { get; }

    /// <summary><c>Body</c> (decoded from base64): signature || sealed message.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    public bool Equals(SignedMessage? other) =>
        other is not null && SenderDomain == other.SenderDomain && SenderRole == other.SenderRole && Body.Span.SequenceEqual(other.Body.Span);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(SenderDomain);
        hash.Add(SenderRole);
        hash.AddBytes(Body.Span);
        return hash.ToHashCode();
    }
}
