using System.CommandLine;
using System.Globalization;
using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Iec61850.Model;

namespace FlexCoop.Cli.Commands;

/// <summary><c>flexcoop iec61850 control|reports</c>: operate a controllable object, watch a report control block.</summary>
internal static class Iec61850ControlCommands
{
    public static void AddTo(Command iec61850)
    {
        ArgumentNullException.ThrowIfNull(iec61850);
        iec61850.Subcommands.Add(CreateControl());
        iec61850.Subcommands.Add(CreateReports());
    }

    // ------------------------------------------------------------------ control

    private static Command CreateControl()
    {
        var server = Iec61850MmsCommands.ServerArgument();
        var reference = new Argument<string>("REF") { Description = "The controllable data object LD/LN.DO (e.g. DER1CTRL/CSWI1.Pos)." };
        var value = new Option<string>("--value")
        {
            Description = "The control value ctlVal, read as the object's type: true/false for SPC/DPC, a number for APC/INC.",
            Required = true,
        };
        var sbo = new Option<bool>("--sbo") { Description = "Select before operating even if the object's ctlModel is direct (to test a server)." };
        var test = new Option<bool>("--test") { Description = "Set the Test flag: the server checks the command but does not operate the process." };
        var check = new Option<string[]>("--check") { Description = "Checks the server is to make: interlock, synchrocheck (repeatable or comma-separated)." };
        var ctlNum = new Option<int>("--ctl-num") { Description = "Control sequence number 0..255 (default 1).", DefaultValueFactory = _ => 1 };
        var originator = new Option<string>("--originator") { Description = "orIdent of the originator (orCat is remote-control; default flexcoop).", DefaultValueFactory = _ => "flexcoop" };
        var password = Iec61850MmsCommands.PasswordOption();
        var timeout = Iec61850MmsCommands.TimeoutOption();
        var command = new Command("control",
            "Operate a controllable data object as its ctlModel says: direct or select-before-operate (SBO read for\n" +
            "normal security, SBOw for enhanced), then Oper; with enhanced security waits for the CommandTermination.\n" +
            "Prints each step and, on failure, the LastApplError (AddCause) and DataAccessError.\n" +
            "Exit codes: 0 operated, 1 refused or terminated negatively, 2 usage or connection.");
        command.Arguments.Add(server);
        command.Arguments.Add(reference);
        command.Options.Add(value);
        command.Options.Add(sbo);
        command.Options.Add(test);
        command.Options.Add(check);
        command.Options.Add(ctlNum);
        command.Options.Add(originator);
        command.Options.Add(password);
        command.Options.Add(timeout);
        command.SetAction((parseResult, cancellationToken) => Iec61850MmsCommands.GuardAsync(async () =>
        {
            var reference_ = parseResult.GetValue(reference)!;
            Iec61850MmsCommands.CheckReference(reference_);
            var number = parseResult.GetValue(ctlNum);
            if (number is < 0 or > 255) throw new CliUsageException("--ctl-num must be 0..255");
            var checks = ParseChecks(parseResult.GetValue(check) ?? []);
            var seconds = parseResult.GetValue(timeout);
            await using var client = await Iec61850MmsCommands.ConnectAsync(parseResult.GetValue(server)!, parseResult.GetValue(password), seconds, cancellationToken).ConfigureAwait(false);
            return await Iec61850MmsCommands.RunClientAsync(async () =>
            {
                var stdout = Console.Out;
                var model = await client.GetControlModelAsync(reference_, cancellationToken).ConfigureAwait(false);
                await stdout.WriteLineAsync($"{reference_}: ctlModel {Name(model)}").ConfigureAwait(false);
                if (model == ControlModel.StatusOnly)
                {
                    await stdout.WriteLineAsync("the object is status-only: it cannot be controlled").ConfigureAwait(false);
                    return ExitCodes.Invalid;
                }
                var ctlValType = await client.GetDataDefinitionAsync(reference_ + ".Oper.ctlVal", FunctionalConstraint.CO, cancellationToken).ConfigureAwait(false);
                var parameters = new ControlParameters
                {
                    CtlVal = ParseCtlVal(ctlValType, parseResult.GetValue(value)!),
                    CtlNum = (byte)number,
                    Origin = Originator.Remote(parseResult.GetValue(originator)!),
                    Test = parseResult.GetValue(test),
                    Check = checks,
                };
                var enhanced = model is ControlModel.DirectWithEnhancedSecurity or ControlModel.SboWithEnhancedSecurity;
                if (parseResult.GetValue(sbo) || model is ControlModel.SboWithNormalSecurity or ControlModel.SboWithEnhancedSecurity)
                {
                    var selected = enhanced
                        ? await client.SelectWithValueAsync(reference_, parameters, cancellationToken).ConfigureAwait(false)
                        : await client.SelectAsync(reference_, cancellationToken).ConfigureAwait(false);
                    await stdout.WriteLineAsync((enhanced ? "SelectWithValue: " : "Select: ") + Describe(selected)).ConfigureAwait(false);
                    if (!selected.Success) return ExitCodes.Invalid;
                }
                var operated = await client.OperateAsync(reference_, parameters, waitForTermination: enhanced, terminationTimeout: TimeSpan.FromSeconds(seconds), cancellationToken).ConfigureAwait(false);
                if (operated.Termination is { } termination)
                {
                    await stdout.WriteLineAsync("Operate: accepted").ConfigureAwait(false);
                    await stdout.WriteLineAsync("CommandTermination: " + (termination.Success ? "positive" : "negative, " + Describe(termination.Error))).ConfigureAwait(false);
                }
                else
                {
                    await stdout.WriteLineAsync("Operate: " + Describe(operated)).ConfigureAwait(false);
                }
                return operated.Success ? ExitCodes.Success : ExitCodes.Invalid;
            }).ConfigureAwait(false);
        }));
        return command;
    }

    private static ControlChecks ParseChecks(IEnumerable<string> values)
    {
        var synchro = false;
        var interlock = false;
        foreach (var item in values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            switch (item.ToLowerInvariant())
            {
                case "interlock":
                    interlock = true;
                    break;
                case "synchrocheck":
                    synchro = true;
                    break;
                default:
                    throw new CliUsageException($"--check: '{item}' is not interlock or synchrocheck");
            }
        }
        return new ControlChecks(synchro, interlock);
    }

    /// <summary>ctlVal of the server's type; an analogue value structure <c>{f}</c> or <c>{i}</c> takes the number.</summary>
    private static MmsValue ParseCtlVal(MmsTypeDescription type, string text) => type switch
    {
        MmsStructureType { Components.Count: 1 } s => new MmsStructure(Iec61850MmsCommands.ParseValue(s.Components[0].Type, text)),
        MmsBitStringType { Size: 2 } => text.ToLowerInvariant() switch
        {
            "true" or "on" or "1" => new MmsBoolean(true),
            "false" or "off" or "0" => new MmsBoolean(false),
            _ => throw new CliUsageException($"'{text}' is not a value of type BOOLEAN"),
        },
        _ => Iec61850MmsCommands.ParseValue(type, text),
    };

    private static string Name(ControlModel model) => model switch
    {
        ControlModel.StatusOnly => "status-only",
        ControlModel.DirectWithNormalSecurity => "direct-with-normal-security",
        ControlModel.SboWithNormalSecurity => "sbo-with-normal-security",
        ControlModel.DirectWithEnhancedSecurity => "direct-with-enhanced-security",
        _ => "sbo-with-enhanced-security",
    };

    private static string Describe(ControlResult result) => result.Success
        ? "accepted"
        : "refused" + (result.AccessError is { } e ? $", DataAccessError {e}" : "") + (result.Error is { } l ? ", " + Describe(l) : "");

    private static string Describe(LastApplError? error) => error is null
        ? "no LastApplError"
        : $"LastApplError {error.ControlObject} Error={error.Error} AddCause={error.AddCause} ctlNum={error.CtlNum.ToString(CultureInfo.InvariantCulture)}";

    // ------------------------------------------------------------------ reports

    private static Command CreateReports()
    {
        var server = Iec61850MmsCommands.ServerArgument();
        var rcb = new Argument<string>("RCB") { Description = "The report control block LD/LN.name (e.g. DER1CTRL/LLN0.urcbStatus01); BR or RP is found out." };
        var gi = new Option<bool>("--gi") { Description = "Ask for a general interrogation once enabled (a report of every data set member)." };
        var integrity = new Option<int?>("--integrity") { Description = "Set the integrity period IntgPd in milliseconds and turn the integrity trigger on." };
        var count = new Option<int?>("--count") { Description = "Stop after this many reports (default: until Ctrl+C)." };
        var password = Iec61850MmsCommands.PasswordOption();
        var timeout = Iec61850MmsCommands.TimeoutOption();
        var command = new Command("reports",
            "Enable a report control block and print its reports as they arrive: a header line (RptID, SqNum,\n" +
            "time, data set, EntryID) and one line per included member with its reasons for inclusion.\n" +
            "Exit codes: 0 stopped, 1 the server refused the RCB (e.g. reserved by another client), 2 usage or connection.");
        command.Arguments.Add(server);
        command.Arguments.Add(rcb);
        command.Options.Add(gi);
        command.Options.Add(integrity);
        command.Options.Add(count);
        command.Options.Add(password);
        command.Options.Add(timeout);
        command.SetAction((parseResult, cancellationToken) => Iec61850MmsCommands.GuardAsync(async () =>
        {
            var rcbRef = parseResult.GetValue(rcb)!;
            Iec61850MmsCommands.CheckReference(rcbRef);
            var period = parseResult.GetValue(integrity);
            if (period is < 1) throw new CliUsageException("--integrity must be at least 1 ms");
            var limit = parseResult.GetValue(count);
            if (limit is < 1) throw new CliUsageException("--count must be at least 1");
            await using var client = await Iec61850MmsCommands.ConnectAsync(parseResult.GetValue(server)!, parseResult.GetValue(password), parseResult.GetValue(timeout), cancellationToken).ConfigureAwait(false);
            return await Iec61850MmsCommands.RunClientAsync(async () =>
            {
                var stdout = Console.Out;
                FunctionalConstraint fc;
                try
                {
                    await client.GetDataDefinitionAsync(rcbRef, FunctionalConstraint.BR, cancellationToken).ConfigureAwait(false);
                    fc = FunctionalConstraint.BR;
                }
                catch (MmsServiceErrorException)
                {
                    await client.GetDataDefinitionAsync(rcbRef, FunctionalConstraint.RP, cancellationToken).ConfigureAwait(false);
                    fc = FunctionalConstraint.RP;
                }
                if (period is { } ms)
                {
                    await client.SetDataValuesAsync(rcbRef + ".IntgPd", fc, new MmsUnsigned((ulong)ms), cancellationToken).ConfigureAwait(false);
                    if (await client.GetDataValuesAsync(rcbRef + ".TrgOps", fc, cancellationToken).ConfigureAwait(false) is MmsBitString trg)
                    {
                        var bits = Enumerable.Range(0, trg.BitLength).Where(b => trg[b] || b == 4).ToArray();
                        await client.SetDataValuesAsync(rcbRef + ".TrgOps", fc, MmsBitString.FromBits(trg.BitLength, bits), cancellationToken).ConfigureAwait(false);
                    }
                }
                await client.EnableReportingAsync(rcbRef, fc, cancellationToken: cancellationToken).ConfigureAwait(false);
                await stdout.WriteLineAsync($"enabled {rcbRef} [{fc}]; waiting for reports").ConfigureAwait(false);
                await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (parseResult.GetValue(gi)) await client.GeneralInterrogationAsync(rcbRef, fc, cancellationToken).ConfigureAwait(false);
                var received = 0;
                try
                {
                    while (limit is null || received < limit)
                    {
                        var report = await client.ReadReportAsync(cancellationToken).ConfigureAwait(false);
                        received++;
                        foreach (var line in Format(report)) await stdout.WriteLineAsync(line).ConfigureAwait(false);
                        await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    await stdout.WriteLineAsync($"stopped after {received} reports").ConfigureAwait(false);
                }
                return ExitCodes.Success;
            }).ConfigureAwait(false);
        }));
        return command;
    }

    private static readonly string[] Reasons = ["reserved", "dchg", "qchg", "dupd", "integrity", "gi", "application"];

    internal static IEnumerable<string> Format(Iec61850Report report)
    {
        var header = $"report {report.RptId}";
        if (report.SqNum is { } sq) header += $" SqNum={sq.ToString(CultureInfo.InvariantCulture)}";
        if (report.TimeOfEntry is { } t) header += $" time={t.Format()}";
        if (report.DataSet is { } ds) header += $" DatSet={ds}";
        if (report.EntryId is { } id) header += $" EntryID={Convert.ToHexString(id)}";
        if (report.BufOvfl is true) header += " BufOvfl";
        if (report.ConfRev is { } rev) header += $" ConfRev={rev.ToString(CultureInfo.InvariantCulture)}";
        yield return header;
        foreach (var e in report.Entries)
        {
            var reasons = e.ReasonCode is { } rc ? " (" + string.Join(",", Enumerable.Range(0, Math.Min(rc.BitLength, Reasons.Length)).Where(b => rc[b]).Select(b => Reasons[b])) + ")" : "";
            yield return $"  [{e.MemberIndex.ToString(CultureInfo.InvariantCulture)}] {e.Reference ?? "member"} = {e.Value.Format()}{reasons}";
        }
    }
}
