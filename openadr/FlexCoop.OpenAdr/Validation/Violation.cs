namespace FlexCoop.OpenAdr.Validation;

/// <summary>
/// One broken rule in one message. <see cref="Rule"/> is <c>xsd</c> for schema violations,
/// <c>rule N</c> for the profile's conformance rules (e.g. <c>rule 8</c>), <c>id-length</c> for the
/// ID length limits, <c>xml</c>/<c>dtd</c>/<c>limits</c> for unreadable input.
/// </summary>
/// <param name="Rule">The rule's name as vendors know it.</param>
/// <param name="Path">Element path in the message, e.g. <c>/oadrPayload/oadrSignedObject/oadrDistributeEvent/oadrEvent[1]/eiEvent/eiEventSignals/eiEventSignal[1]/intervals/interval[2]/uid</c>.</param>
/// <param name="Message">A sentence a vendor understands.</param>
/// <param name="LineNumber">1-based line in the document where known, else 0.</param>
/// <param name="Severity">An error makes the message invalid; a warning is reported but does not.</param>
public sealed record Violation(string Rule, string Path, string Message, int LineNumber = 0, ViolationSeverity Severity = ViolationSeverity.Error)
{
    /// <summary><c>rule: message (at path)</c>, the form the CLI prints.</summary>
    public override string ToString()
    {
        var at = Path.Length > 0 ? $" (at {Path}{(LineNumber > 0 ? $", line {LineNumber}" : "")})" : LineNumber > 0 ? $" (line {LineNumber})" : "";
        return $"{Rule}: {Message}{at}";
    }
}

/// <summary>How much a violation matters.</summary>
public enum ViolationSeverity
{
    /// <summary>The message breaks the rule: it is invalid.</summary>
    Error,

    /// <summary>Allowed, but likely not what the sender meant (e.g. a testEvent value of "False").</summary>
    Warning,
}

/// <summary>The outcome of validating one message: valid when there are no error violations.</summary>
public sealed class ValidationResult
{
    public static readonly ValidationResult Valid = new([]);

    public ValidationResult(IReadOnlyList<Violation> violations) => Violations = violations;

    public IReadOnlyList<Violation> Violations { get; }

    public bool IsValid => !Violations.Any(v => v.Severity == ViolationSeverity.Error);

    public static ValidationResult Combine(params ValidationResult[] results) =>
        new(results.SelectMany(r => r.Violations).ToList());
}
