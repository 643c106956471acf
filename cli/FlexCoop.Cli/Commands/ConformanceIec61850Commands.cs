using System.CommandLine;
using FlexCoop.Cli.Commands;
using FlexCoop.Conformance.Certification;
using FlexCoop.Conformance.Iec61850;
using FlexCoop.Iec61850.Model;
using FlexCoop.Iec61850.Scl;

namespace FlexCoop.Cli;

/// <summary><c>flexcoop conformance iec61850-server</c>: the IEC 61850 server conformance suite.</summary>
internal static partial class CommandCatalog
{
    static partial void AddIec61850Suite(Command conformance)
    {
        var server = new Argument<string>("HOST[:PORT]") { Description = "The IEC 61850 server under test (default port 102)." };
        var scl = new Option<string>("--scl") { Description = "The SCL file (ICD/CID/IID/SCD) of the model the server claims to serve.", Required = true };
        var ied = new Option<string?>("--ied") { Description = "The IED in the SCL file, when it has several." };
        var pixit = new Option<string?>("--pixit", "--pics")
        {
            Description = "PIXIT JSON: what the server claims, e.g. {\"maxAssociations\": 5, \"password\": \"...\", \"operateControls\": true,\n" +
                          "\"controls\": [{\"reference\": \"LD/CSWI1.Pos\", \"value\": \"false\"}], \"fileServices\": true, \"dynamicDataSets\": true, \"bufferOverflowEvents\": 256}.\n" +
                          "Cases of a feature it does not claim are not applicable.",
        };
        var cases = ConformanceSuiteRun.CasesOption("sCtl*,Ass,sSrvN?");
        var junit = ConformanceSuiteRun.JUnitOption();
        var html = ConformanceSuiteRun.HtmlOption();
        var hook = ConformanceSuiteRun.ActionHookOption(Iec61850ServerSuite.OperatorActionNames);
        var timeout = ConformanceSuiteRun.TimeoutOption(300);
        var list = new Option<bool>("--list") { Description = "List the cases (ID, group, scripted, the PIXIT entry a case needs, title) and exit." };
        var command = new Command("iec61850-server",
            "Check an IEC 61850 server over MMS against its SCL model, case by case in the style of the UCA IUG server test\n" +
            "procedures (groups Ass, Srv, Dset, Rp, Br, Ctl, Sg, Log, Ft, Tm; N = negative). Verdicts: pass, fail (the check\n" +
            "that failed and the PDUs around it), not applicable (not claimed in the PIXIT or nothing in the model), inconclusive.\n" +
            "Controls are operated only when the PIXIT says operateControls: true. Robustness cases (malformed PDUs) run last.\n" +
            "Cases that need a data change the suite cannot cause itself ask the operator (" + string.Join(", ", Iec61850ServerSuite.OperatorActionNames) + ")\n" +
            "in the terminal, or run --action-hook.\n" +
            "Exit codes: 0 every case passed or was not applicable, 1 a case failed, was inconclusive or is not implemented, 2 usage.\n" +
            "Example:  flexcoop conformance iec61850-server 127.0.0.1:10102 --scl model.cid --pixit pixit.json --junit iec.xml --html iec.html");
        command.Arguments.Add(server);
        foreach (var o in new Option[] { scl, ied, pixit, cases, junit, html, hook, timeout, list })
        {
            command.Options.Add(o);
        }
        command.SetAction((parseResult, cancellationToken) => Iec61850MmsCommands.GuardAsync(async () =>
        {
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
            var suite = new Iec61850ServerSuite(new Iec61850SuiteOptions { Host = host, Port = port, Model = model, Pixit = claims });
            var pattern = parseResult.GetValue(cases);
            if (parseResult.GetValue(list))
            {
                ConformanceSuiteRun.List(suite, pattern);
                return ExitCodes.Success;
            }
            ConformanceSuiteRun.RequireSelection(suite, pattern);
            var caseTimeout = ConformanceSuiteRun.CaseTimeout(parseResult.GetValue(timeout));
            foreach (var note in suite.Notes) Console.WriteLine("  " + note);
            return await ConformanceSuiteRun.RunAsync(suite, new CertificationRunOptions
            {
                Pattern = pattern,
                Pics = claims.ToPics(),
                Operator = ConformanceSuiteRun.Operator(parseResult.GetValue(hook), caseTimeout),
                CaseTimeout = caseTimeout,
            }, parseResult.GetValue(junit), parseResult.GetValue(html), cancellationToken).ConfigureAwait(false);
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
        // An FCDA that designates nothing is what sDsetN4 tests: such a model is loaded (those members left out), with a warning.
        var errors = resolution.Diagnostics.Where(d => d.Severity == SclSeverity.Error).ToList();
        var blocking = errors.Where(d => d.Code != SclDiagnosticCodes.UnresolvedFcda).ToList();
        if (blocking.Count > 0) throw new CliUsageException($"--scl {path} has errors: {string.Join("; ", blocking.Take(5))}");
        foreach (var d in errors) Console.Error.WriteLine($"warning: {path}:{d} (the data set is checked by sDsetN4)");
        return resolution.Ieds.Count switch
        {
            0 => throw new CliUsageException($"{path} has no IED with a server"),
            1 => resolution.Ieds[0],
            _ => throw new CliUsageException($"{path} has several IEDs ({string.Join(", ", resolution.Ieds.Select(i => i.Name))}): choose one with --ied"),
        };
    }
}
