using System.Diagnostics;
using System.Text.RegularExpressions;
using FlexCoop.Usef;

namespace FlexCoop.Conformance.Uftp;

/// <summary>
/// Runs the UFTP participant suite: starts the suite's endpoint, runs every case that applies to the
/// participant's role and matches the pattern, one after the other, and reports a verdict per case.
/// A case without a script is <see cref="UftpVerdict.NotImplemented"/>; a script that throws fails
/// its case with the exception's message, and the run goes on.
/// </summary>
public static class UftpConformanceSuite
{
    /// <summary>Runs the suite with the built-in cases.</summary>
    public static Task<UftpSuiteReport> RunAsync(UftpSuiteOptions options, string? casePattern = null, CancellationToken cancellationToken = default) =>
        RunAsync(options, UftpConformanceCases.All, casePattern, cancellationToken);

    /// <summary>Runs the suite with the given cases.</summary>
    public static async Task<UftpSuiteReport> RunAsync(UftpSuiteOptions options, IEnumerable<UftpConformanceCase> cases, string? casePattern = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(cases);
        var selected = Select(cases, options.Role, casePattern);
        var started = DateTimeOffset.UtcNow;
        var total = Stopwatch.StartNew();
        var results = new List<UftpCaseResult>();
        await using (var session = await UftpSuiteSession.StartAsync(options, cancellationToken).ConfigureAwait(false))
        {
            foreach (var c in selected)
            {
                var watch = Stopwatch.StartNew();
                UftpCaseOutcome outcome;
                if (c.Script is null)
                {
                    outcome = new UftpCaseOutcome(UftpVerdict.NotImplemented, ["this case has no script yet"]);
                }
                else
                {
                    try
                    {
                        outcome = await c.Script(session, cancellationToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        throw;
                    }
#pragma warning disable CA1031 // A broken case is reported as failed; the others still run.
                    catch (Exception ex)
#pragma warning restore CA1031
                    {
                        outcome = UftpCaseOutcome.Fail($"the case could not complete: {ex.GetType().Name}: {ex.Message}");
                    }
                }
                results.Add(new UftpCaseResult(c, outcome.Verdict, outcome.Findings, watch.Elapsed));
            }
        }
        return new UftpSuiteReport(options.Role, options.Domain, options.Endpoint, started, total.Elapsed, results);
    }

    /// <summary>
    /// The cases for <paramref name="role"/> whose id matches <paramref name="pattern"/>: comma-separated
    /// globs (<c>*</c> any text, <c>?</c> one character), e.g. <c>signature.*,flex-order.*</c>; null or empty selects all.
    /// </summary>
    public static IReadOnlyList<UftpConformanceCase> Select(IEnumerable<UftpConformanceCase> cases, UftpRole role, string? pattern)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var globs = string.IsNullOrWhiteSpace(pattern)
            ? []
            : pattern.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(g => new Regex("^" + Regex.Escape(g).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1)))
                .ToList();
        return [.. cases.Where(c => c.Roles.Contains(role) && (globs.Count == 0 || globs.Any(g => g.IsMatch(c.Id))))];
    }
}
