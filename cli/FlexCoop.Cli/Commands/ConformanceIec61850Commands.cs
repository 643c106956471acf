using System.CommandLine;
using FlexCoop.Cli.Commands;
using FlexCoop.Conformance.Iec61850;
using FlexCoop.Iec61850.Model;

namespace FlexCoop.Cli;

/// <summary><c>flexcoop conformance iec61850-server</c>: the IEC 61850 server conformance suite.</summary>
internal static partial class CommandCatalog
{
    static partial void AddIec61850Suite(Command conformance)
    {
        var server = new Argument<string>("HOST[:PORT]") { Description = "The IEC 61850 server under test (default port 102)." };
        var scl = new Option<string>("--scl") { Description = "The SCL file (ICD/CID/IID/SCD) of the model the server claims to serve.", Required = true };
        var ied = new Option<string?>("--ied") { Description = "The IED in the SCL file, when it has several." };
        var pixit = new Option<string?>("--pixit")
        {
            Description = "PIXIT JSON: what the server claims, e.g. {\"maxAssociations\": 5, \"password\": \"...\", \"operateControls\": true,\n" +
                          "\"controls\": [{\"reference\": \"LD/CSWI1.Pos\", \"value\": \"false\"}], \"fileServices\": true, \"dynamicDataSets\": true}.",
        };
        var cases = new Option<string?>("--cases") { Description = "Only these cases: IDs or groups, comma-separated, * and ? allowed (e.g. sCtl*,Ass)." };
        var junit = new Option<string?>("--junit") { Description = "Write the verdicts as JUnit XML to this file." };
        var html = new Option<string?>("--html") { Description = "Write an HTML report (verdict table, checks, timelines) to this file." };
        var list = new Option<bool>("--list") { Description = "List the cases (ID, group, implemented or not) and exit." };
        var command = new Command("iec61850-server",
            "Check an IEC 61850 server over MMS against its SCL model, case by case in the style of the UCA IUG server test\n" +
            "procedures (groups Ass, Srv, Dset, Rp, Br, Ctl, Sg, Log, Ft, Tm; N = negative). Verdicts: Pass, Fail, NotApplicable\n" +
            "(not claimed in the PIXIT or nothing in the model), NotImplemented (script not written yet), Inconclusive.\n" +
            "Controls are operated only when the PIXIT says operateControls: true. Robustness cases (malformed PDUs) run last.\n" +
            "Exit codes: 0 every case passed or was not applicable, 1 a case failed, was inconclusive or is not implemented, 2 usage.");
        command.Arguments.Add(server);
        command.Options.Add(scl);
        command.Options.Add(ied);
        command.Options.Add(pixit);
        command.Options.Add(cases);
        command.Options.Add(junit);
        command.Options.Add(html);
        command.Options.Add(list);
        command.SetAction((parseResult, cancellationToken) => Iec61850MmsCommands.GuardAsync(async () =>
        {
            var stdout = Console.Out;
            if (parseResult.GetValue(list))
            {
                foreach (var c in Iec61850ServerSuite.Select(parseResult.GetValue(cases)))
                {
                    var implemented = !Iec61850ServerSuite.NotImplementedCases.Contains(c.Id);
                    await stdout.WriteLineAsync($"{c.Id,-8} {c.Group,-5} {(implemented ? "" : "[not implemented] ")}{c.Title}").ConfigureAwait(false);
                }
                return ExitCodes.Success;
            }
            var (host, port) = Iec61850MmsCommands.ParseEndpoint(parseResult.GetValue(server)!);
            var model = LoadModel(parseResult.GetValue(scl)!, parseResult.GetValue(ied));
            var pixitPath = parseResult.GetValue(pixit);
            Iec61850Pixit claims;
            try
            {
                claims = pixitPath is null ? new Iec61850Pixit() : Iec61850Pixit.Parse(await File.ReadAllTextAsync(pixitPath, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is Iec61850SuiteException or IOException or UnauthorizedAccessException)
            {
                throw new CliUsageException($"--pixit {pixitPath}: {ex.Message}");
            }
            var options = new Iec61850SuiteOptions { Host = host, Port = port, Model = model, Pixit = claims, Cases = parseResult.GetValue(cases) };
            if (Iec61850ServerSuite.Select(options.Cases).Count == 0) throw new CliUsageException($"--cases: no case matches '{options.Cases}'");
            var report = await Iec61850ServerSuite.RunAsync(options, r =>
            {
                var line = $"{r.Id,-8} {r.Verdict,-14} {r.Title}" + (r.Verdict == Iec61850Verdict.Pass || r.Message is null ? "" : $"  -- {r.Message}");
                stdout.WriteLine(line);
            }, cancellationToken).ConfigureAwait(false);
            await stdout.WriteLineAsync(string.Join(", ", Enum.GetValues<Iec61850Verdict>().Select(v => $"{v} {report.Count(v)}")) + $" ({report.Duration.TotalSeconds:0.0} s)").ConfigureAwait(false);
            if (parseResult.GetValue(junit) is { } junitPath)
            {
                await using var file = File.Create(junitPath);
                Iec61850SuiteReports.WriteJUnit(report, file);
            }
            if (parseResult.GetValue(html) is { } htmlPath) await File.WriteAllTextAsync(htmlPath, Iec61850SuiteReports.RenderHtml(report), cancellationToken).ConfigureAwait(false);
            return report.Passed ? ExitCodes.Success : ExitCodes.Invalid;
        }));
        conformance.Subcommands.Add(command);
    }

    private static IedModel LoadModel(string path, string? ied)
    {
        if (!File.Exists(path)) throw new CliUsageException($"--scl: file not found: {path}");
        SclResolution resolution;
        try
        {
            resolution = SclResolver.Load(path, ied);
        }
        catch (Iec61850.Iec61850Exception ex)
        {
            throw new CliUsageException($"--scl {path}: {ex.Message}");
        }
        if (resolution.HasErrors) throw new CliUsageException($"--scl {path} has errors: {string.Join("; ", resolution.Diagnostics.Take(5))}");
        return resolution.Ieds.Count switch
        {
            0 => throw new CliUsageException($"{path} has no IED with a server"),
            1 => resolution.Ieds[0],
            _ => throw new CliUsageException($"{path} has several IEDs ({string.Join(", ", resolution.Ieds.Select(i => i.Name))}): choose one with --ied"),
        };
    }
}
