namespace FlexCoop.Conformance.Certification;

/// <summary>How messages flow in a case: the device polls (pull) or is posted to (push).</summary>
public enum Exchange
{
    /// <summary>The device under test polls (<c>X = 1</c> in the Alliance's IDs).</summary>
    Pull,

    /// <summary>The harness posts to the device (<c>X = 0</c>).</summary>
    Push,

    /// <summary>The protocol has no pull/push choice (IEC 61850 client/server over MMS, UFTP posting both ways).</summary>
    None,
}

/// <summary>The outcome of one certification case.</summary>
public enum CaseVerdict
{
    /// <summary>Every check passed.</summary>
    Pass,

    /// <summary>A check failed; <see cref="CaseResult.FirstFailure"/> says which.</summary>
    Fail,

    /// <summary>An optional feature the PICS (or PIXIT) does not claim, or the device's model has nothing the case could test.</summary>
    NotApplicable,

    /// <summary>The case could not reach a verdict (an operator action failed, the environment did not allow it).</summary>
    Inconclusive,

    /// <summary>The suite has no script for this case yet. Never a pass.</summary>
    NotImplemented,
}

/// <summary>One case of a certification catalogue, named as the standard's test specification names it.</summary>
/// <param name="Id">The ID as the Alliance writes it, e.g. <c>E1_1020_TH_VTN</c>.</param>
/// <param name="Title">What the case does, in a line.</param>
/// <param name="Group">The service group (registration, event, report, opt, general).</param>
/// <param name="Exchange">Pull or push; <see cref="Exchange.None"/> for protocols without that choice.</param>
/// <param name="OptionalFeature">The PICS key of the optional feature the case needs; null when every device must pass it.</param>
public sealed record CertificationCase(string Id, string Title, string Group, Exchange Exchange, string? OptionalFeature = null)
{
    /// <summary>A case of a protocol without the pull/push choice (IEC 61850, UFTP).</summary>
    public CertificationCase(string id, string title, string group, string? optionalFeature = null)
        : this(id, title, group, Exchange.None, optionalFeature)
    {
    }

    /// <summary>The requirement of the standard the case checks, in a line, when the ID does not say it (shown in reports).</summary>
    public string? Requirement { get; init; }
}

/// <summary>The first (or any) failed check of a case.</summary>
/// <param name="Rule">The rule broken, as vendors know it (<c>rule 42</c>, <c>xsd</c>, <c>rule 53</c>, <c>N1_0015</c>).</param>
/// <param name="Message">A sentence a vendor understands.</param>
/// <param name="Element">The offending element path or bytes, when there is one.</param>
/// <param name="TimelineIndex">The message of the timeline the failure is about (0-based), or -1.</param>
public sealed record CheckFailure(string Rule, string Message, string? Element = null, int TimelineIndex = -1)
{
    public override string ToString() => $"{Rule}: {Message}{(Element is { Length: > 0 } e ? $" [{e}]" : "")}";
}

/// <summary>Direction of a message in a timeline.</summary>
public enum MessageDirection
{
    /// <summary>From the device under test to the harness.</summary>
    FromDevice,

    /// <summary>From the harness to the device under test.</summary>
    ToDevice,

    /// <summary>A note from the harness (an operator action, a wait that ran out).</summary>
    Note,
}

/// <summary>One piece of a case's evidence: a message exchanged with the device, or a note of the harness.</summary>
/// <param name="Time">When it was sent or received.</param>
/// <param name="Direction">Which way it went.</param>
/// <param name="Label">
/// What it was, in the protocol's words: an HTTP exchange (<c>POST /OpenADR2/Simple/2.0b/OadrPoll</c>,
/// <c>200 oadrDistributeEvent</c>), an MMS PDU summary (<c>read request #3</c>), a UFTP message
/// (<c>FlexOrder 2f1c…</c>), a check that held, an action name.
/// </param>
/// <param name="Body">The body as sent (XML is pretty-printed in the HTML report; other text is shown as it is), or the note's text.</param>
public sealed record TimelineEntry(DateTimeOffset Time, MessageDirection Direction, string Label, string Body);

/// <summary>The outcome of one case.</summary>
public sealed record CaseResult(
    CertificationCase Case,
    CaseVerdict Verdict,
    TimeSpan Duration,
    IReadOnlyList<CheckFailure> Failures,
    IReadOnlyList<TimelineEntry> Timeline,
    string? Note = null)
{
    /// <summary>The first failed check, the one a vendor reads first.</summary>
    public CheckFailure? FirstFailure => Failures.Count > 0 ? Failures[0] : null;
}

/// <summary>The outcome of a suite run.</summary>
public sealed record SuiteResult(string Suite, DateTimeOffset Started, TimeSpan Duration, IReadOnlyList<CaseResult> Results, IReadOnlyList<string> Notes)
{
    /// <summary>How many cases ended with <paramref name="verdict"/>.</summary>
    public int Count(CaseVerdict verdict) => Results.Count(r => r.Verdict == verdict);

    /// <summary>True when every case that applies passed (not applicable cases do not count; not implemented ones do).</summary>
    public bool AllApplicablePassed => Results.All(r => r.Verdict is CaseVerdict.Pass or CaseVerdict.NotApplicable);
}

/// <summary>A run that cannot start or go on: the harness cannot listen, a PICS file is unreadable, a pattern matches nothing.</summary>
public sealed class CertificationSetupException(string message, Exception? inner = null) : ConformanceException(message, inner);
