using System.Globalization;
using FlexCoop.Conformance.Certification;
using Spectre.Console;

namespace FlexCoop.Conformance.Reports;

/// <summary>Live progress (one line per case as it ends) and the final verdict table, with Spectre.Console.</summary>
public sealed class CertificationConsole(IAnsiConsole console) : ICertificationObserver
{
    public void CaseStarted(CertificationCase @case, int index, int count)
    {
        ArgumentNullException.ThrowIfNull(@case);
        console.MarkupLine(CultureInfo.InvariantCulture, $"[grey][[{index + 1}/{count}]][/] {Markup.Escape(@case.Id)} [grey]{Markup.Escape(@case.Title)}[/] …");
    }

    public void CaseFinished(CaseResult result, int index, int count)
    {
        ArgumentNullException.ThrowIfNull(result);
        var why = result.FirstFailure?.ToString() ?? result.Note;
        console.MarkupLine(CultureInfo.InvariantCulture, $"[grey][[{index + 1}/{count}]][/] {Markup.Escape(result.Case.Id)} {Verdict(result.Verdict)} [grey]({result.Duration.TotalSeconds:0.0} s)[/]{(why is null || result.Verdict == CaseVerdict.Pass ? "" : " " + Markup.Escape(why))}");
    }

    /// <summary>The final table: case, verdict, time, first failed check; then the counts.</summary>
    public void WriteSummary(SuiteResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var table = new Table().Title(Markup.Escape(result.Suite)).AddColumn("case").AddColumn("verdict").AddColumn(new TableColumn("time").RightAligned()).AddColumn("first failed check");
        foreach (var r in result.Results)
        {
            var check = r.FirstFailure is { } f ? $"[bold]{Markup.Escape(f.Rule)}[/] {Markup.Escape(f.Message)}" : Markup.Escape(r.Verdict == CaseVerdict.Pass ? "" : r.Note ?? "");
            table.AddRow(Markup.Escape(r.Case.Id), Verdict(r.Verdict), r.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s", check);
        }
        console.Write(table);
        console.MarkupLine(CultureInfo.InvariantCulture,
            $"{result.Results.Count} cases in {result.Duration.TotalSeconds:0} s: [green]{result.Count(CaseVerdict.Pass)} pass[/], [red]{result.Count(CaseVerdict.Fail)} fail[/], " +
            $"[yellow]{result.Count(CaseVerdict.Inconclusive)} inconclusive[/], [grey]{result.Count(CaseVerdict.NotApplicable)} not applicable[/], [purple]{result.Count(CaseVerdict.NotImplemented)} not implemented[/]");
    }

    private static string Verdict(CaseVerdict v) => v switch
    {
        CaseVerdict.Pass => "[green]pass[/]",
        CaseVerdict.Fail => "[red bold]fail[/]",
        CaseVerdict.Inconclusive => "[yellow]inconclusive[/]",
        CaseVerdict.NotApplicable => "[grey]not applicable[/]",
        _ => "[purple]not implemented[/]",
    };
}
