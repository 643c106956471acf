namespace FlexCoop.Conformance.Iec61850;

/// <summary>The verdict of one IEC 61850 server test case.</summary>
public enum Iec61850Verdict
{
    /// <summary>Every check held.</summary>
    Pass,

    /// <summary>A check failed: the server broke the rule the check names.</summary>
    Fail,

    /// <summary>The server does not claim the feature (PIXIT) or the model has nothing to test.</summary>
    NotApplicable,

    /// <summary>The case's script is not written yet. Never a pass: the run exits non-zero.</summary>
    NotImplemented,

    /// <summary>The case could not be carried out (connection lost, timeout) without the server clearly breaking a rule.</summary>
    Inconclusive,
}

/// <summary>One check inside a case: what was checked, whether it held, and what was seen.</summary>
public sealed record Iec61850Check(string Description, bool Passed, string? Detail = null);

/// <summary>One event of a case's timeline (a request, a response, a report), relative to the case's start.</summary>
public sealed record Iec61850TimelineEntry(TimeSpan At, string Event);

/// <summary>The outcome of one case.</summary>
public sealed record Iec61850CaseResult
{
    public required string Id { get; init; }
    public required string Group { get; init; }
    public required string Title { get; init; }
    public required Iec61850Verdict Verdict { get; init; }

    /// <summary>Why the verdict (the first failed check, the PIXIT entry that makes it not applicable, ...).</summary>
    public string? Message { get; init; }

    public IReadOnlyList<Iec61850Check> Checks { get; init; } = [];
    public IReadOnlyList<Iec61850TimelineEntry> Timeline { get; init; } = [];
    public TimeSpan Duration { get; init; }
}

/// <summary>A test case: its UCA-style identifier (<c>sAss1</c>, <c>sSrvN1</c>), group, title and script.</summary>
public interface IIec61850TestCase
{
    /// <summary>The identifier, e.g. <c>sCtl5</c>; an <c>N</c> after the group marks a negative case.</summary>
    string Id { get; }

    /// <summary>Ass, Srv, Dset, Rp, Br, Ctl, Sg, Log, Ft or Tm.</summary>
    string Group { get; }

    string Title { get; }

    /// <summary>Runs the case against the server of <paramref name="context"/>.</summary>
    Task<Iec61850CaseResult> RunAsync(Iec61850TestContext context, CancellationToken cancellationToken = default);
}

/// <summary>The results of a suite run.</summary>
public sealed record Iec61850SuiteReport(string Server, string Model, DateTimeOffset Started, TimeSpan Duration, IReadOnlyList<Iec61850CaseResult> Cases)
{
    public int Count(Iec61850Verdict verdict) => Cases.Count(c => c.Verdict == verdict);

    /// <summary>True when no case failed, was inconclusive or is not implemented.</summary>
    public bool Passed => Cases.All(c => c.Verdict is Iec61850Verdict.Pass or Iec61850Verdict.NotApplicable);
}
