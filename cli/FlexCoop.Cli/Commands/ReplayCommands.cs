using System.CommandLine;
using System.Text;
using FlexCoop.Conformance;
using FlexCoop.Conformance.Replay;
using FlexCoop.Conformance.Replay.OpenAdr;
using FlexCoop.Conformance.Reports;
using FlexCoop.OpenAdr.Validation;

namespace FlexCoop.Cli.Commands;

/// <summary><c>flexcoop replay CAPTURE</c>: a verdict for every message of captured traffic.</summary>
internal static class ReplayCommands
{
    public static Command Create()
    {
        var capture = new Argument<string>("CAPTURE")
        {
            Description = "A pcap or pcapng file (HTTP/1.1 over TCP), or a folder of request/response files with an index.jsonl " +
                          "(one JSON object per exchange: seq, time, method, path, status, req_file, resp_file, optional req_content_type, resp_content_type).",
        };
        var schemas = new Option<string?>("--schemas") { Description = "Folder holding the official OpenADR 2.0b XSDs (default: $FLEXCOOP_SCHEMAS, else ../shared/schemas/openadr20b)." };
        var noXsd = new Option<bool>("--no-xsd") { Description = "Skip the schema check of each message." };
        var junit = new Option<string?>("--junit") { Description = "Also write the verdicts as JUnit XML to this file." };
        var html = new Option<string?>("--html") { Description = "Also write a self-contained HTML report with every message to this file." };
        var quiet = new Option<bool>("--quiet") { Description = "Print only failing messages and the summary." };
        var command = new Command("replay",
            """
            Re-validate captured OpenADR 2.0b traffic: every message on its own (schema, profile rules) and each VEN's
            conversation across messages (echoed requestIDs, modificationNumbers that only grow, created events that
            answer distributed ones, report rIDs that match the requests, HTTP headers).
            Prints one line per message and a summary. Exit code 0 if every message passed, 1 if any failed or
            could not be read, 2 if the capture itself cannot be read.
            """);
        command.Arguments.Add(capture);
        command.Options.Add(schemas);
        command.Options.Add(noXsd);
        command.Options.Add(junit);
        command.Options.Add(html);
        command.Options.Add(quiet);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var validator = OpenAdrMessageCommands.CreateValidator(parseResult.GetValue(schemas), parseResult.GetValue(noXsd), OadrValidationOptions.Default.MaxIdLength);
            Capture loaded;
            try
            {
                loaded = Capture.Load(parseResult.GetValue(capture)!);
            }
            catch (CaptureFormatException ex)
            {
                throw new CliUsageException("cannot read the capture: " + ex.Message);
            }
            var report = ReplayEngine.Run(loaded, [new OpenAdrReplayProtocol(validator.Options)]);
            var onlyFailures = parseResult.GetValue(quiet);
            foreach (var v in report.Verdicts)
            {
                if (onlyFailures && v.Verdict is Verdict.Pass or Verdict.NotChecked) continue;
                var head = $"#{v.Seq} {v.Direction} {v.MessageType}{(v.Party is null ? "" : " " + v.Party)}";
                var verdict = v.Verdict switch
                {
                    Verdict.Pass => "pass",
                    Verdict.Fail => "fail",
                    Verdict.Unreadable => "unreadable",
                    _ => "not checked",
                };
                if (v.Findings.Count == 0)
                {
                    Console.WriteLine($"{head}: {verdict}");
                }
                foreach (var f in v.Findings)
                {
                    Console.WriteLine($"{head}: {verdict}: {f}");
                }
            }
            Console.WriteLine($"{report.Verdicts.Count} messages: {report.Count(Verdict.Pass)} passed, {report.Count(Verdict.Fail)} failed, " +
                              $"{report.Count(Verdict.Unreadable)} unreadable, {report.Count(Verdict.NotChecked)} not checked");
            if (parseResult.GetValue(junit) is { } junitFile)
            {
                await using var f = File.Create(junitFile);
                JUnitReport.Write(report, f);
            }
            if (parseResult.GetValue(html) is { } htmlFile)
            {
                var bySeq = loaded.Exchanges.ToDictionary(e => e.Seq);
                await File.WriteAllTextAsync(htmlFile, HtmlReport.Render(report, v =>
                    bySeq.TryGetValue(v.Seq, out var e)
                        ? Encoding.UTF8.GetString((v.Direction == "request" ? e.RequestBody : e.ResponseBody).Span)
                        : null), cancellationToken);
            }
            return report.AllPassed ? ExitCodes.Success : ExitCodes.Invalid;
        });
        return command;
    }
}
