using FlexCoop.Conformance.Certification;
using FlexCoop.Usef;

namespace FlexCoop.Conformance.Uftp;

/// <summary>
/// The UFTP participant suite as a certification suite: <see cref="StartAsync"/> starts the suite's
/// endpoint (the participant must know it), then <see cref="CertificationRunner"/> runs the cases that
/// apply to the participant's role one after the other. Each case's timeline holds every UFTP message the
/// suite sent (the sealed payload, readable) with the participant's HTTP answer, and every message the
/// participant sent while the case ran.
/// </summary>
public sealed class UftpConformanceSuite : ICertificationSuite, IAsyncDisposable
{
    private readonly UftpSuiteSession _session;
    private readonly Dictionary<string, UftpConformanceCase> _byId;

    private UftpConformanceSuite(UftpSuiteSession session, IEnumerable<UftpConformanceCase> cases)
    {
        _session = session;
        var forRole = cases.Where(c => c.Roles.Contains(session.Options.Role)).ToList();
        _byId = forRole.ToDictionary(c => c.Id, StringComparer.Ordinal);
        Cases = [.. forRole.Select(c => c.ToCertificationCase())];
    }

    /// <summary>Starts the suite's endpoint for the built-in cases (or <paramref name="cases"/>) of the participant's role.</summary>
    /// <exception cref="CertificationSetupException">The options are unusable (role, time zone) or the endpoint cannot listen.</exception>
    public static async Task<UftpConformanceSuite> StartAsync(UftpSuiteOptions options, IEnumerable<UftpConformanceCase>? cases = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        UftpSuiteSession session;
        try
        {
            session = await UftpSuiteSession.StartAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            throw new CertificationSetupException(ex.Message, ex);
        }
        catch (IOException ex)
        {
            throw new CertificationSetupException($"the suite's endpoint cannot listen on {options.Listen}: {ex.Message}", ex);
        }
        return new UftpConformanceSuite(session, cases ?? UftpConformanceCases.All);
    }

    /// <summary>The cases of <paramref name="role"/> in the built-in catalogue.</summary>
    public static IReadOnlyList<UftpConformanceCase> CasesFor(UftpRole role) => [.. UftpConformanceCases.All.Where(c => c.Roles.Contains(role))];

    /// <summary>The suite's session: its endpoint, and what the participant sent.</summary>
    public UftpSuiteSession Session => _session;

    public string Name => $"UFTP {_session.Options.Role} {_session.Options.Domain}";

    public IReadOnlyList<CertificationCase> Cases { get; }

    public IReadOnlyList<string> Notes =>
    [
        $"participant {_session.Options.Role} {_session.Options.Domain} at {_session.Options.Endpoint}",
        $"the suite plays the {_session.SuiteRole} {_session.Options.SuiteDomain}, receiving at {_session.SuiteEndpoint}",
        _session.Options.Schemas is null ? "the participant's messages are not checked against the UFTP XSDs (no schema folder)" : "the participant's messages are checked against the UFTP XSDs",
        $"asynchronous response timeout {_session.Options.ResponseTimeout.TotalSeconds:0.#} s",
    ];

    public bool HasScript(CertificationCase @case)
    {
        ArgumentNullException.ThrowIfNull(@case);
        return _byId.TryGetValue(@case.Id, out var c) && c.Script is not null;
    }

    public async Task RunCaseAsync(CertificationCase @case, CaseRecorder recorder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(@case);
        ArgumentNullException.ThrowIfNull(recorder);
        var script = _byId[@case.Id].Script!;
        UftpCaseOutcome outcome;
        _session.BeginCase(recorder);
        try
        {
            outcome = await script(_session, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _session.EndCase();
        }
        var rule = @case.Requirement ?? @case.Id;
        switch (outcome.Verdict)
        {
            case CaseVerdict.Fail:
                foreach (var finding in outcome.Findings.DefaultIfEmpty("failed"))
                {
                    recorder.AddFailure(new CheckFailure(rule, finding, null, recorder.Record(MessageDirection.Note, "FAILED: " + finding, "")));
                }
                break;
            case CaseVerdict.NotApplicable:
                throw recorder.NotApplicable(outcome.Findings.Count > 0 ? outcome.Findings[0] : "does not apply to this participant");
            default:
                foreach (var note in outcome.Findings) recorder.Record(MessageDirection.Note, "ok: " + note, "");
                break;
        }
    }

    public ValueTask DisposeAsync() => _session.DisposeAsync();
}
