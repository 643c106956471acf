using FlexCoop.Usef.Validation;

namespace FlexCoop.Usef.Transport;

/// <summary>
/// Deliberate misbehaviour of a <see cref="UftpNode"/>, for proving that a conformance suite
/// notices it (<c>flexcoop uftp serve --fault NAME</c>). A production participant runs with none.
/// </summary>
[Flags]
public enum UftpFault
{
    /// <summary>Behaves as the specification says.</summary>
    None = 0,
    /// <summary>Takes a SignedMessage whose signature does not verify as if it did.</summary>
    AcceptsBadSignature = 1 << 0,
    /// <summary>Takes a SignedMessage from a sender whose key it does not know, unverified.</summary>
    AcceptsUnknownSender = 1 << 1,
    /// <summary>Answers HTTP 200 but never sends the asynchronous Response.</summary>
    NoAsyncResponse = 1 << 2,
    /// <summary>Sends Responses that refer to a MessageID other than the one they answer.</summary>
    WrongReference = 1 << 3,
    /// <summary>Accepts a second message with a MessageID it has seen before.</summary>
    AcceptsDuplicateId = 1 << 4,
    /// <summary>Accepts a FlexOrder for a FlexOffer that was revoked.</summary>
    AcceptsOrderOnRevokedOffer = 1 << 5,
    /// <summary>Accepts a FlexOrder for a FlexOffer whose ExpirationDateTime has passed.</summary>
    AcceptsOrderOnExpiredOffer = 1 << 6,
    /// <summary>Accepts messages addressed to another RecipientDomain.</summary>
    AcceptsWrongRecipient = 1 << 7,
    /// <summary>Accepts references to messages it never saw.</summary>
    AcceptsUnknownReference = 1 << 8,
    /// <summary>Accepts ISPs outside the Period's ISP numbering.</summary>
    AcceptsIspOutOfRange = 1 << 9,
    /// <summary>Signs its Responses with a key that is not the one it publishes.</summary>
    SignsWithWrongKey = 1 << 10,
}

/// <summary>Names of <see cref="UftpFault"/> values as the CLI spells them (<c>accepts-bad-signature</c>).</summary>
public static class UftpFaults
{
    /// <summary>Every single fault (not <see cref="UftpFault.None"/>).</summary>
    public static IReadOnlyList<UftpFault> All { get; } = [.. Enum.GetValues<UftpFault>().Where(f => f != UftpFault.None)];

    /// <summary>The kebab-case name (<c>AcceptsBadSignature</c> → <c>accepts-bad-signature</c>).</summary>
    public static string Name(this UftpFault fault)
    {
        var s = fault.ToString();
        var sb = new System.Text.StringBuilder(s.Length + 8);
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsUpper(s[i]) && i > 0) sb.Append('-');
            sb.Append(char.ToLowerInvariant(s[i]));
        }
        return sb.ToString();
    }

    /// <summary>Parses one kebab-case name; false when unknown.</summary>
    public static bool TryParse(string name, out UftpFault fault)
    {
        foreach (var f in All)
        {
            if (string.Equals(f.Name(), name, StringComparison.OrdinalIgnoreCase))
            {
                fault = f;
                return true;
            }
        }
        fault = UftpFault.None;
        return false;
    }

    /// <summary>The business rules a set of faults switches off.</summary>
    public static IReadOnlySet<UftpRule> DisabledRules(UftpFault faults)
    {
        var rules = new HashSet<UftpRule>();
        if (faults.HasFlag(UftpFault.AcceptsOrderOnRevokedOffer)) rules.Add(UftpRule.FlexOfferRevoked);
        if (faults.HasFlag(UftpFault.AcceptsOrderOnExpiredOffer)) rules.Add(UftpRule.FlexOfferExpired);
        if (faults.HasFlag(UftpFault.AcceptsWrongRecipient)) rules.Add(UftpRule.RecipientDomainMismatch);
        if (faults.HasFlag(UftpFault.AcceptsUnknownReference)) rules.Add(UftpRule.ReferencedMessageUnknown);
        if (faults.HasFlag(UftpFault.AcceptsIspOutOfRange)) rules.Add(UftpRule.IspOutOfRange);
        if (faults.HasFlag(UftpFault.AcceptsDuplicateId)) rules.Add(UftpRule.DuplicateMessageId);
        return rules;
    }
}
