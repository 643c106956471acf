namespace FlexCoop.Usef.Validation;

/// <summary>
/// One broken rule in one message. <see cref="Rule"/> is <c>xsd</c> for schema violations,
/// <c>xml</c>/<c>dtd</c>/<c>limits</c> for unreadable input, and the kebab-case name of a
/// <see cref="UftpRule"/> for business rules (e.g. <c>duplicate-message-id</c>).
/// </summary>
/// <param name="Rule">The rule's name.</param>
/// <param name="Path">Element/attribute path in the message, e.g. <c>/FlexOffer/OfferOption[1]/ISP[2]/@Start</c>.</param>
/// <param name="Message">A sentence a participant understands.</param>
/// <param name="LineNumber">1-based line in the document where known, else 0.</param>
/// <param name="BusinessRule">The business rule, when this is one.</param>
public sealed record UftpViolation(string Rule, string Path, string Message, int LineNumber = 0, UftpRule? BusinessRule = null)
{
    /// <summary>A violation for a business rule.</summary>
    public static UftpViolation Of(UftpRule rule, string path, string message) => new(rule.Name(), path, message, 0, rule);

    /// <summary>The violation a format error stands for.</summary>
    public static UftpViolation Of(UftpFormatException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new(error.Rule, error.Path, error.Detail, error.LineNumber);
    }

    /// <summary><c>rule: message (at path)</c>, the form the CLI prints.</summary>
    public override string ToString()
    {
        var at = Path.Length > 0 ? $" (at {Path}{(LineNumber > 0 ? $", line {LineNumber}" : "")})" : LineNumber > 0 ? $" (line {LineNumber})" : "";
        return $"{Rule}: {Message}{at}";
    }
}

/// <summary>The outcome of validating one message: valid when there are no violations.</summary>
public sealed class UftpValidationResult
{
    /// <summary>No violations.</summary>
    public static readonly UftpValidationResult Valid = new([]);

    public UftpValidationResult(IReadOnlyList<UftpViolation> violations) => Violations = violations;

    public IReadOnlyList<UftpViolation> Violations { get; }

    public bool IsValid => Violations.Count == 0;

    /// <summary>The first business rule broken, for the RejectionReason of a response.</summary>
    public UftpViolation? First => Violations.Count > 0 ? Violations[0] : null;

    /// <summary>All violations of several results together.</summary>
    public static UftpValidationResult Combine(params UftpValidationResult[] results) =>
        new(results.SelectMany(r => r.Violations).ToList());
}
