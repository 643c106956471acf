using System.CommandLine;
using FlexCoop.Conformance.Certification;
using FlexCoop.Conformance.Reports;
using Spectre.Console;

namespace FlexCoop.Cli.Commands;

/// <summary>
/// What the <c>conformance</c> suites share on the command line: the options every suite takes
/// (<c>--cases</c>, <c>--junit</c>, <c>--html</c>, <c>--timeout</c>, <c>--action-hook</c>) and one way to run a
/// suite on <see cref="CertificationRunner"/> with the live progress, the final table, the reports and the exit code.
/// </summary>
internal static class ConformanceSuiteRun
{
    public static Option<string?> CasesOption(string example) => new("--cases")
    {
        Description = $"Run only these cases: comma-separated globs on case IDs, or group names (e.g. {example}). An ID without wildcards also selects the IDs it starts.",
    };

    public static Option<string?> JUnitOption() => new("--junit") { Description = "Write the verdicts as JUnit XML to this file (Fail = failure, Inconclusive/NotImplemented = error, NotApplicable = skipped)." };

    public static Option<string?> HtmlOption() => new("--html") { Description = "Write a self-contained HTML report (verdict table, each case's failures and its timeline of messages) to this file." };

    public static Option<double> TimeoutOption(double defaultSeconds) => new("--timeout")
    {
        Description = $"Seconds one case may take before it is stopped as inconclusive (default {defaultSeconds:0}).",
        DefaultValueFactory = _ => defaultSeconds,
    };

    public static Option<string?> ActionHookOption(IEnumerable<string> actions) => new("--action-hook")
    {
        Description = "Run 'CMD ACTION CASE-ID' for the operator actions (" + string.Join(", ", actions) + ") and wait for it to exit 0, instead of prompting in the terminal.",
    };

    /// <summary>A person at the terminal, or the hook command.</summary>
    public static IOperatorActions Operator(string? hook, TimeSpan timeout) =>
        hook is { Length: > 0 } command ? new HookOperatorActions(command, timeout) : new ConsoleOperatorActions(Console.In, Console.Out);

    /// <summary>The case timeout from <c>--timeout</c>, checked.</summary>
    public static TimeSpan CaseTimeout(double seconds) =>
        seconds is > 0 and <= 24 * 3600 ? TimeSpan.FromSeconds(seconds) : throw new CliUsageException("--timeout must be between 0 and 86400 seconds");

    /// <summary>Fails with a usage error when the pattern selects nothing.</summary>
    public static void RequireSelection(ICertificationSuite suite, string? pattern)
    {
        if (CertificationRunner.Select(suite, pattern).Count == 0) throw new CliUsageException($"--cases: no case matches '{pattern}'");
    }

    /// <summary>Prints the catalogue: ID, group, scripted or not, the PICS/PIXIT key a case needs, title.</summary>
    public static void List(ICertificationSuite suite, string? pattern)
    {
        foreach (var c in CertificationRunner.Select(suite, pattern))
        {
            Console.WriteLine($"{c.Id,-40} {c.Group,-24} {(suite.HasScript(c) ? "scripted" : "not implemented"),-16} {c.OptionalFeature ?? "-",-22} {c.Title}");
        }
    }

    /// <summary>Runs the suite with live progress and the final table, writes the reports; 0 when every applicable case passed, else 1.</summary>
    public static async Task<int> RunAsync(ICertificationSuite suite, CertificationRunOptions options, string? junit, string? html, CancellationToken cancellationToken)
    {
        var observer = new CertificationConsole(AnsiConsole.Console);
        SuiteResult result;
        try
        {
            result = await CertificationRunner.RunAsync(suite, options with { Observer = options.Observer ?? observer }, cancellationToken).ConfigureAwait(false);
        }
        catch (CertificationSetupException ex)
        {
            throw new CliUsageException(ex.Message);
        }
        observer.WriteSummary(result);
        if (junit is not null)
        {
            await using (var file = File.Create(junit))
            {
                CertificationJUnitReport.Write(result, file);
            }
            Console.WriteLine($"JUnit XML written to {junit}");
        }
        if (html is not null)
        {
            await File.WriteAllTextAsync(html, CertificationHtmlReport.Render(result), cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"HTML report written to {html}");
        }
        return result.AllApplicablePassed ? ExitCodes.Success : ExitCodes.Invalid;
    }
}
