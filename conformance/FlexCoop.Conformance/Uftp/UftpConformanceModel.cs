using FlexCoop.Conformance.Certification;
using FlexCoop.Usef;

namespace FlexCoop.Conformance.Uftp;

/// <summary>What a case script concluded: a verdict (Pass, Fail or NotApplicable) and the findings behind it.</summary>
public sealed record UftpCaseOutcome(CaseVerdict Verdict, IReadOnlyList<string> Findings)
{
    /// <summary>Passed, with notes (e.g. which of the allowed answers the participant chose).</summary>
    public static UftpCaseOutcome Pass(params string[] notes) => new(CaseVerdict.Pass, notes);

    /// <summary>Failed for these reasons (at least one).</summary>
    public static UftpCaseOutcome Fail(params string[] findings) => new(CaseVerdict.Fail, findings);

    /// <summary>Does not apply, for this reason.</summary>
    public static UftpCaseOutcome NotApplicable(string reason) => new(CaseVerdict.NotApplicable, [reason]);

    /// <summary>Pass when there are no findings, else Fail with them.</summary>
    public static UftpCaseOutcome From(IReadOnlyList<string> findings, params string[] notes) =>
        findings.Count == 0 ? Pass(notes) : new(CaseVerdict.Fail, findings);
}

/// <summary>
/// One case of the UFTP catalogue: what it checks, which participant role it applies to, the requirement it
/// stands for, and its script (null: listed but not scripted, which the runner reports as not implemented).
/// </summary>
/// <param name="Id">Stable id, <c>group.name</c> (e.g. <c>signature.bad</c>); <c>--cases</c> patterns match it, and the group alone selects the group.</param>
/// <param name="Roles">Roles of the participant under test the case applies to.</param>
/// <param name="Title">One line saying what is sent and what is expected.</param>
/// <param name="Requirement">The rule of the specification it checks (the rule a failure names).</param>
/// <param name="Script">The script, run with the suite's session.</param>
public sealed record UftpConformanceCase(
    string Id,
    IReadOnlyList<UftpRole> Roles,
    string Title,
    string Requirement,
    Func<UftpSuiteSession, CancellationToken, Task<UftpCaseOutcome>>? Script)
{
    /// <summary>The group: the id up to its first dot (<c>signature</c>).</summary>
    public string Group => Id.Contains('.', StringComparison.Ordinal) ? Id[..Id.IndexOf('.', StringComparison.Ordinal)] : Id;

    /// <summary>The case as the certification runner and its reports know it.</summary>
    public CertificationCase ToCertificationCase() => new(Id, Title, Group) { Requirement = Requirement };
}
