using System.Diagnostics;
using System.Text.RegularExpressions;

namespace FlexCoop.Conformance.Certification;

/// <summary>A set of scripted cases against one kind of device (OpenADR VEN, OpenADR VTN, later IEC 61850, UFTP).</summary>
public interface ICertificationSuite
{
    /// <summary>The suite's name in reports.</summary>
    string Name { get; }

    /// <summary>Every case of the catalogue this suite runs (scripted or not).</summary>
    IReadOnlyList<CertificationCase> Cases { get; }

    /// <summary>Notes on the run's set-up for the report (e.g. whether the schema is checked).</summary>
    IReadOnlyList<string> Notes { get; }

    /// <summary>True when a script exists for <paramref name="case"/>.</summary>
    bool HasScript(CertificationCase @case);

    /// <summary>Runs one case; failures go to <paramref name="recorder"/>.</summary>
    Task RunCaseAsync(CertificationCase @case, CaseRecorder recorder, CancellationToken cancellationToken = default);
}

/// <summary>What the runner reports while it runs.</summary>
public interface ICertificationObserver
{
    /// <summary>A case starts (index of count).</summary>
    void CaseStarted(CertificationCase @case, int index, int count);

    /// <summary>A case ended.</summary>
    void CaseFinished(CaseResult result, int index, int count);
}

/// <summary>How to run a suite.</summary>
public sealed record CertificationRunOptions
{
    /// <summary>
    /// Comma-separated globs on case IDs (<c>*</c>, <c>?</c>); a pattern without wildcards also matches the ID it
    /// starts (<c>E1_1020</c>); a pattern also selects every case of the group it names (<c>Ass</c>, <c>event</c>). Null runs all.
    /// </summary>
    public string? Pattern { get; init; }

    /// <summary>What the device claims; unclaimed optional cases are not applicable.</summary>
    public Pics Pics { get; init; } = Pics.None;

    /// <summary>The longest one case may take before it is stopped as inconclusive.</summary>
    public TimeSpan CaseTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Performs operator actions.</summary>
    public IOperatorActions? Operator { get; init; }

    /// <summary>Told about each case as it starts and ends.</summary>
    public ICertificationObserver? Observer { get; init; }
}

/// <summary>Runs the cases of a suite one after the other and gives each its verdict.</summary>
public static class CertificationRunner
{
    /// <summary>The cases of <paramref name="suite"/> that <paramref name="pattern"/> selects, in catalogue order.</summary>
    public static IReadOnlyList<CertificationCase> Select(ICertificationSuite suite, string? pattern)
    {
        ArgumentNullException.ThrowIfNull(suite);
        if (string.IsNullOrWhiteSpace(pattern)) return suite.Cases;
        var parts = pattern.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var globs = parts.Select(Glob).ToList();
        var groups = parts.Select(GroupGlob).ToList();
        return suite.Cases.Where(c => globs.Any(g => g.IsMatch(c.Id)) || groups.Any(g => g.IsMatch(c.Group))).ToList();
    }

    private static Regex GroupGlob(string pattern)
    {
        var body = Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal);
        return new Regex("^" + body + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    private static Regex Glob(string pattern)
    {
        var body = Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal);
        var tail = pattern.Contains('*', StringComparison.Ordinal) || pattern.Contains('?', StringComparison.Ordinal) ? "" : "(_.*)?";
        return new Regex("^" + body + tail + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    /// <summary>Runs the selected cases.</summary>
    /// <exception cref="CertificationSetupException">The pattern selects no case.</exception>
    public static async Task<SuiteResult> RunAsync(ICertificationSuite suite, CertificationRunOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(options);
        var selected = Select(suite, options.Pattern);
        if (selected.Count == 0) throw new CertificationSetupException($"no case ID matches '{options.Pattern}'");
        var started = DateTimeOffset.UtcNow;
        var total = Stopwatch.StartNew();
        var results = new List<CaseResult>();
        for (var i = 0; i < selected.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var @case = selected[i];
            options.Observer?.CaseStarted(@case, i, selected.Count);
            var result = await RunOneAsync(suite, @case, options, cancellationToken);
            results.Add(result);
            options.Observer?.CaseFinished(result, i, selected.Count);
        }
        return new SuiteResult(suite.Name, started, total.Elapsed, results, suite.Notes);
    }

    private static async Task<CaseResult> RunOneAsync(ICertificationSuite suite, CertificationCase @case, CertificationRunOptions options, CancellationToken cancellationToken)
    {
        if (@case.OptionalFeature is { } feature && !options.Pics.Claims(feature))
        {
            return new CaseResult(@case, CaseVerdict.NotApplicable, TimeSpan.Zero, [], [], $"the PICS does not claim '{feature}'");
        }
        if (!suite.HasScript(@case))
        {
            return new CaseResult(@case, CaseVerdict.NotImplemented, TimeSpan.Zero, [], [], "no script for this case yet");
        }
        var watch = Stopwatch.StartNew();
        using var recorder = new CaseRecorder(@case, options.Operator, options.Pics);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, recorder.Failed);
        limit.CancelAfter(options.CaseTimeout);
        string? inconclusive = null;
        try
        {
            await suite.RunCaseAsync(@case, recorder, limit.Token);
        }
        catch (CaseStoppedException)
        {
            // A failure was recorded, or the case was declared inconclusive.
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            if (!recorder.HasFailed) inconclusive = $"the case did not finish within {options.CaseTimeout.TotalSeconds:0} s";
        }
        catch (OperatorActionException ex)
        {
            inconclusive = ex.Message;
        }
#pragma warning disable CA1031 // a broken script must not end the run: the case is inconclusive and says why
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            inconclusive = $"the harness failed: {ex.GetType().Name}: {ex.Message}";
        }
#pragma warning restore CA1031
        var failures = recorder.Failures;
        var verdict = failures.Count > 0 ? CaseVerdict.Fail
            : (inconclusive ?? recorder.InconclusiveReason) is not null ? CaseVerdict.Inconclusive
            : recorder.NotApplicableReason is not null ? CaseVerdict.NotApplicable
            : CaseVerdict.Pass;
        var note = verdict == CaseVerdict.NotApplicable ? recorder.NotApplicableReason : inconclusive ?? recorder.InconclusiveReason;
        return new CaseResult(@case, verdict, watch.Elapsed, failures, recorder.Timeline, note);
    }
}

/// <summary>Thrown inside a case script to stop it once its verdict is known.</summary>
public sealed class CaseStoppedException(string message) : ConformanceException(message);

/// <summary>
/// What one case collects while it runs: the message timeline and the failed checks. Thread-safe:
/// the harness records from its request handlers while the script waits. The first failure cancels
/// <see cref="Failed"/> so the script stops waiting.
/// </summary>
public sealed class CaseRecorder : IDisposable
{
    private readonly Lock _lock = new();
    private readonly List<TimelineEntry> _timeline = [];
    private readonly List<CheckFailure> _failures = [];
    private readonly CancellationTokenSource _failed = new();
    private readonly IOperatorActions? _operator;

    public CaseRecorder(CertificationCase @case, IOperatorActions? @operator, Pics pics)
    {
        Case = @case;
        _operator = @operator;
        Pics = pics;
    }

    /// <summary>The case being run.</summary>
    public CertificationCase Case { get; }

    /// <summary>The device's claims.</summary>
    public Pics Pics { get; }

    /// <summary>Cancelled once a failure is recorded.</summary>
    public CancellationToken Failed => _failed.Token;

    /// <summary>True once a check failed.</summary>
    public bool HasFailed
    {
        get
        {
            lock (_lock) return _failures.Count > 0;
        }
    }

    /// <summary>Why the case is inconclusive, when it is.</summary>
    public string? InconclusiveReason { get; private set; }

    /// <summary>Why the case does not apply to this device, when the script found so (see <see cref="NotApplicable"/>).</summary>
    public string? NotApplicableReason { get; private set; }

    /// <summary>The timeline so far.</summary>
    public IReadOnlyList<TimelineEntry> Timeline
    {
        get
        {
            lock (_lock) return _timeline.ToList();
        }
    }

    /// <summary>The failures so far, first first.</summary>
    public IReadOnlyList<CheckFailure> Failures
    {
        get
        {
            lock (_lock) return _failures.ToList();
        }
    }

    /// <summary>Adds a message or note to the timeline; returns its index.</summary>
    public int Record(MessageDirection direction, string label, string body)
    {
        lock (_lock)
        {
            _timeline.Add(new TimelineEntry(DateTimeOffset.UtcNow, direction, label, body));
            return _timeline.Count - 1;
        }
    }

    /// <summary>Records a failed check without stopping the caller (the harness's always-on checks).</summary>
    public void AddFailure(CheckFailure failure)
    {
        lock (_lock) _failures.Add(failure);
        try
        {
            _failed.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // the case is over; the failure is still kept
        }
    }

    /// <summary>Records a failed check and stops the script.</summary>
    public CaseStoppedException Fail(string rule, string message, string? element = null, int timelineIndex = -1)
    {
        AddFailure(new CheckFailure(rule, message, element, timelineIndex));
        throw new CaseStoppedException(message);
    }

    /// <summary>Fails unless <paramref name="condition"/> holds.</summary>
    public void Check(bool condition, string rule, string message, string? element = null, int timelineIndex = -1)
    {
        if (!condition) Fail(rule, message, element, timelineIndex);
    }

    /// <summary>Ends the case without a verdict on the device.</summary>
    public CaseStoppedException Inconclusive(string reason)
    {
        InconclusiveReason = reason;
        Record(MessageDirection.Note, "inconclusive", reason);
        throw new CaseStoppedException(reason);
    }

    /// <summary>
    /// Ends the case as not applicable: what the device claims or serves leaves nothing to test (an SCL model
    /// without a buffered report control block, a participant that made no offer to order). A failure
    /// recorded before still makes the case fail.
    /// </summary>
    public CaseStoppedException NotApplicable(string reason)
    {
        NotApplicableReason = reason;
        Record(MessageDirection.Note, "not applicable", reason);
        throw new CaseStoppedException(reason);
    }

    /// <summary>Has the operator (person, hook, code) perform an action; notes it in the timeline.</summary>
    /// <exception cref="OperatorActionException">No operator, or the action failed.</exception>
    public async Task ActAsync(OperatorAction action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        Record(MessageDirection.Note, "operator action " + action.Name, action.Instruction);
        if (_operator is null) throw new OperatorActionException($"case needs operator action '{action.Name}' but no operator is available");
        await _operator.PerformAsync(action, Case.Id, cancellationToken);
        Record(MessageDirection.Note, "operator action done", action.Name);
    }

    public void Dispose() => _failed.Dispose();
}
