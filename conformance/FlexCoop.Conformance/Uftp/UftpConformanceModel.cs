using FlexCoop.Usef;

namespace FlexCoop.Conformance.Uftp;

/// <summary>The verdict of one conformance case.</summary>
public enum UftpVerdict
{
    /// <summary>The participant did what the specification requires.</summary>
    Pass,
    /// <summary>The participant did not; the findings say what it did instead.</summary>
    Fail,
    /// <summary>The case cannot apply to this participant (e.g. it made no offer to order); the findings say why.</summary>
    NotApplicable,
    /// <summary>The case is listed but has no script yet: never a pass.</summary>
    NotImplemented,
}

/// <summary>What a case script concluded: a verdict and the findings behind it.</summary>
public sealed record UftpCaseOutcome(UftpVerdict Verdict, IReadOnlyList<string> Findings)
{
    /// <summary>Passed, with notes (e.g. which of the allowed answers the participant chose).</summary>
    public static UftpCaseOutcome Pass(params string[] notes) => new(UftpVerdict.Pass, notes);

    /// <summary>Failed for these reasons (at least one).</summary>
    public static UftpCaseOutcome Fail(params string[] findings) => new(UftpVerdict.Fail, findings);

    /// <summary>Does not apply, for this reason.</summary>
    public static UftpCaseOutcome NotApplicable(string reason) => new(UftpVerdict.NotApplicable, [reason]);

    /// <summary>Pass when there are no findings, else Fail with them.</summary>
    public static UftpCaseOutcome From(IReadOnlyList<string> findings, params string[] notes) =>
        findings.Count == 0 ? Pass(notes) : new(UftpVerdict.Fail, findings);
}

/// <summary>
/// One conformance case: what it checks, which participant role it applies to, the requirement it
/// stands for, and its script (null: listed but not scripted, reported as <see cref="UftpVerdict.NotImplemented"/>).
/// </summary>
/// <param name="Id">Stable id, <c>group.name</c> (e.g. <c>signature.bad</c>); <c>--cases</c> patterns match it.</param>
/// <param name="Roles">Roles of the participant under test the case applies to.</param>
/// <param name="Title">One line saying what is sent and what is expected.</param>
/// <param name="Requirement">The rule of the specification it checks.</param>
/// <param name="Script">The script, run with the suite's session.</param>
public sealed record UftpConformanceCase(
    string Id,
    IReadOnlyList<UftpRole> Roles,
    string Title,
    string Requirement,
    Func<UftpSuiteSession, CancellationToken, Task<UftpCaseOutcome>>? Script);

/// <summary>The result of one case in a run.</summary>
public sealed record UftpCaseResult(UftpConformanceCase Case, UftpVerdict Verdict, IReadOnlyList<string> Findings, TimeSpan Duration);

/// <summary>The results of one run of the UFTP participant suite.</summary>
public sealed record UftpSuiteReport(UftpRole Role, string Domain, Uri Endpoint, DateTimeOffset Started, TimeSpan Duration, IReadOnlyList<UftpCaseResult> Results)
{
    /// <summary>How many cases had <paramref name="verdict"/>.</summary>
    public int Count(UftpVerdict verdict) => Results.Count(r => r.Verdict == verdict);

    /// <summary>True when no case failed and none is unimplemented (NotApplicable cases do not count against).</summary>
    public bool Passed => Results.All(r => r.Verdict is UftpVerdict.Pass or UftpVerdict.NotApplicable);

    /// <summary>Ids of the failed cases.</summary>
    public IReadOnlyList<string> FailedCaseIds => [.. Results.Where(r => r.Verdict == UftpVerdict.Fail).Select(r => r.Case.Id)];
}
