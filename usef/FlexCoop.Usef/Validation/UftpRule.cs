using System.Text;

namespace FlexCoop.Usef.Validation;

/// <summary>
/// The business rules a UFTP participant checks before accepting a message; each is a reason to
/// answer with <c>Result="Rejected"</c>. The CLI and <see cref="UftpViolation.Rule"/> use the
/// kebab-case form of the name (<see cref="UftpRuleNames.Name"/>).
/// </summary>
public enum UftpRule
{
    /// <summary>Version's major number is not one this participant supports.</summary>
    UnsupportedVersion,
    /// <summary>The sender's role may not send this message type (e.g. a FlexOffer from a DSO).</summary>
    SenderRoleNotAllowed,
    /// <summary>This participant's role may not receive this message type.</summary>
    RecipientRoleNotAllowed,
    /// <summary>RecipientDomain is not this participant's domain.</summary>
    RecipientDomainMismatch,
    /// <summary>A message with this MessageID was received before.</summary>
    DuplicateMessageId,
    /// <summary>TimeStamp lies further in the future than the clock tolerance.</summary>
    TimeStampInFuture,
    /// <summary>TimeZone is not a known IANA time zone.</summary>
    UnknownTimeZone,
    /// <summary>TimeZone is not the market's agreed time zone.</summary>
    TimeZoneMismatch,
    /// <summary>ISP-Duration is not a positive whole number of minutes that divides the day.</summary>
    InvalidIspDuration,
    /// <summary>ISP-Duration is not the market's agreed ISP duration.</summary>
    IspDurationMismatch,
    /// <summary>An ISP's Start or Start+Duration-1 is outside 1..number of ISPs of the Period (23, 24 or 25 hours at DST changes).</summary>
    IspOutOfRange,
    /// <summary>Two ISP elements cover the same ISP.</summary>
    IspOverlap,
    /// <summary>A D-Prognosis does not cover every ISP of the day.</summary>
    IspIncomplete,
    /// <summary>The Period (or its last ISP) has already passed.</summary>
    PeriodInPast,
    /// <summary>PeriodEnd/EndPeriod lies before PeriodStart/StartPeriod.</summary>
    InvalidPeriodRange,
    /// <summary>The congestion point is not known to this participant.</summary>
    UnknownCongestionPoint,
    /// <summary>A referenced message (FlexRequest, FlexOffer, D-Prognosis, or the message a response answers) is unknown.</summary>
    ReferencedMessageUnknown,
    /// <summary>A referenced message has the wrong type.</summary>
    ReferencedMessageWrongType,
    /// <summary>A referenced message belongs to another conversation.</summary>
    ConversationMismatch,
    /// <summary>A referenced message is about another congestion point, period, ISP duration or time zone.</summary>
    ReferenceMismatch,
    /// <summary>A FlexOffer answers a FlexRequest whose ExpirationDateTime has passed.</summary>
    FlexRequestExpired,
    /// <summary>A FlexOrder orders a FlexOffer whose ExpirationDateTime has passed.</summary>
    FlexOfferExpired,
    /// <summary>A FlexOrder orders (or a revocation revokes) a FlexOffer that was revoked.</summary>
    FlexOfferRevoked,
    /// <summary>A FlexOfferRevocation revokes a FlexOffer that was already ordered.</summary>
    FlexOfferAlreadyOrdered,
    /// <summary>ExpirationDateTime is not after TimeStamp.</summary>
    ExpirationBeforeTimeStamp,
    /// <summary>A FlexOffer that is not unsolicited has no FlexRequestMessageID.</summary>
    MissingFlexRequestReference,
    /// <summary>A FlexOrder that is not unsolicited has no FlexOfferMessageID.</summary>
    MissingFlexOfferReference,
    /// <summary>A FlexOrder's OptionReference names no option of the FlexOffer.</summary>
    UnknownOptionReference,
    /// <summary>Two options of a FlexOffer share an OptionReference.</summary>
    DuplicateOptionReference,
    /// <summary>A FlexOffer has several (mutually exclusive) options and the DSO does not support that.</summary>
    MutexOffersNotSupported,
    /// <summary>A FlexOrder's ActivationFactor is below the option's MinActivationFactor.</summary>
    ActivationFactorBelowMinimum,
    /// <summary>A FlexOrder's currency differs from the FlexOffer's.</summary>
    CurrencyMismatch,
    /// <summary>A power is outside the configured bounds.</summary>
    PowerOutOfBounds,
    /// <summary>A price is negative or above the configured bound.</summary>
    PriceOutOfBounds,
    /// <summary>A FlexRequest ISP has MinPower greater than MaxPower.</summary>
    MinPowerAboveMaxPower,
    /// <summary>A Revision is not higher than one already received for the same congestion point and period.</summary>
    RevisionNotIncreasing,
    /// <summary>NetSettlement is not Price minus Penalty.</summary>
    NetSettlementMismatch,
    /// <summary>A response rejects without a RejectionReason.</summary>
    RejectionReasonMissing,
    /// <summary>A FlexOrderSettlementStatus disputes without a DisputeReason.</summary>
    DisputeReasonMissing,
    /// <summary>A metering profile uses the wrong unit (kW for Power, kWh for energy and readings).</summary>
    MeteringUnitMismatch,
}

/// <summary>Names of <see cref="UftpRule"/> values as printed (<c>DuplicateMessageId</c> → <c>duplicate-message-id</c>).</summary>
public static class UftpRuleNames
{
    /// <summary>The kebab-case name of a rule.</summary>
    public static string Name(this UftpRule rule)
    {
        var s = rule.ToString();
        var sb = new StringBuilder(s.Length + 8);
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsUpper(s[i]) && i > 0) sb.Append('-');
            sb.Append(char.ToLowerInvariant(s[i]));
        }
        return sb.ToString();
    }
}
