using System.CommandLine;
using System.Globalization;
using FlexCoop.Iec61850.Model;
using FlexCoop.Iec61850.Scl;

namespace FlexCoop.Cli.Commands;

/// <summary><c>flexcoop iec61850 scl check|tree</c>: read an SCL file, report its problems, show its data model.</summary>
internal static class Iec61850SclCommands
{
    public static void AddTo(Command iec61850)
    {
        ArgumentNullException.ThrowIfNull(iec61850);
        var scl = new Command("scl", "Read SCL files (ICD, IID, CID, SCD; 2003 and 2007 editions): check them, show their data model.");
        scl.Subcommands.Add(CreateCheck());
        scl.Subcommands.Add(CreateTree());
        scl.Subcommands.Add(CreateGenerate());
        iec61850.Subcommands.Add(scl);
    }

    private static Option<string> IedOption() => new("--ied")
    {
        Description = "Only this IED (by its name attribute); by default every IED with a server.",
    };

    private static Command CreateCheck()
    {
        var model = new Argument<string>("MODEL") { Description = "The SCL file to check." };
        var ied = IedOption();
        var command = new Command("check",
            "Check an SCL file: unknown types, FCDAs that designate nothing, duplicate names, bad values, dangling data sets.\n" +
            "Prints one line per problem (MODEL:LINE:COL: error|warning CODE: message) and a summary per IED.\n" +
            "Exit codes: 0 no errors (warnings allowed), 1 errors, 2 file unreadable (not XML, DTD, over a limit) or missing.");
        command.Arguments.Add(model);
        command.Options.Add(ied);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var path = parseResult.GetValue(model)!;
            var resolution = await LoadAsync(path, parseResult.GetValue(ied), cancellationToken).ConfigureAwait(false);
            if (resolution is null) return ExitCodes.UsageOrEnvironment;
            var stdout = Console.Out;
            foreach (var d in resolution.Diagnostics)
            {
                await stdout.WriteLineAsync($"{path}:{d}").ConfigureAwait(false);
            }
            foreach (var m in resolution.Ieds)
            {
                await stdout.WriteLineAsync(Summary(m)).ConfigureAwait(false);
            }
            var errors = resolution.Diagnostics.Count(d => d.Severity == SclSeverity.Error);
            var warnings = resolution.Diagnostics.Count - errors;
            await stdout.WriteLineAsync($"{path}: {resolution.Ieds.Count} IED(s), {errors} error(s), {warnings} warning(s), edition {(resolution.Document.IsEdition2 ? "2 (2007)" : "1 (2003)")}").ConfigureAwait(false);
            return errors > 0 ? ExitCodes.Invalid : ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateTree()
    {
        var model = new Argument<string>("MODEL") { Description = "The SCL file to show." };
        var ied = IedOption();
        var fcView = new Option<bool>("--mms")
        {
            Description = "Show the IEC 61850-8-1 functional view instead: per logical node, per FC, the MMS names LN$FC$DO$DA.",
        };
        var command = new Command("tree",
            "Show the resolved data model: logical devices, logical nodes, data objects and attributes with their\n" +
            "functional constraint, basic type and initial value, then data sets and control blocks.\n" +
            "Exit codes: 0 shown, 1 shown but the file has errors (listed on stderr), 2 file unreadable or missing.");
        command.Arguments.Add(model);
        command.Options.Add(ied);
        command.Options.Add(fcView);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var path = parseResult.GetValue(model)!;
            var resolution = await LoadAsync(path, parseResult.GetValue(ied), cancellationToken).ConfigureAwait(false);
            if (resolution is null) return ExitCodes.UsageOrEnvironment;
            var stdout = Console.Out;
            foreach (var m in resolution.Ieds)
            {
                await stdout.WriteAsync(parseResult.GetValue(fcView) ? SclTreeWriter.WriteFunctionalView(m) : SclTreeWriter.WriteTree(m)).ConfigureAwait(false);
            }
            var errors = resolution.Diagnostics.Where(d => d.Severity == SclSeverity.Error).ToList();
            foreach (var d in errors)
            {
                await Console.Error.WriteLineAsync($"{path}:{d}").ConfigureAwait(false);
            }
            return errors.Count > 0 ? ExitCodes.Invalid : ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateGenerate()
    {
        var attributes = new Option<int>("--attributes")
        {
            Description = "How many data attributes the model has (every DA and BDA instance; at least 3).",
            Required = true,
        };
        var ied = new Option<string>("--ied") { Description = "The IED name.", DefaultValueFactory = _ => "GEN" };
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file instead of standard output." };
        var command = new Command("generate",
            "Write a synthetic, valid SCL model (Edition 2) with exactly the requested number of data attributes,\n" +
            "for load and memory tests: e.g. 'flexcoop iec61850 scl generate --attributes 10000 -o big.cid'.\n" +
            "Exit codes: 0 written, 2 bad option or the file cannot be written.");
        command.Options.Add(attributes);
        command.Options.Add(ied);
        command.Options.Add(output);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var n = parseResult.GetValue(attributes);
            if (n < SclModelGenerator.AttributesPerLln0) return await UsageErrorAsync($"--attributes must be at least {SclModelGenerator.AttributesPerLln0}").ConfigureAwait(false);
            var name = parseResult.GetValue(ied) ?? "GEN";
            if (name.Length == 0) return await UsageErrorAsync("--ied must not be empty").ConfigureAwait(false);
            var text = SclModelGenerator.Generate(n, name);
            if (parseResult.GetValue(output) is { Length: > 0 } path)
            {
                await File.WriteAllTextAsync(path, text, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await Console.Out.WriteAsync(text).ConfigureAwait(false);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    // Usage errors are reported here rather than thrown, so the exit code is 2 however the runner handles exceptions.
    private static async Task<int> UsageErrorAsync(string message)
    {
        await Console.Error.WriteLineAsync($"flexcoop: {message}").ConfigureAwait(false);
        return ExitCodes.UsageOrEnvironment;
    }

    private static async Task<SclResolution?> LoadAsync(string path, string? ied, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            await UsageErrorAsync($"file not found: {path}").ConfigureAwait(false);
            return null;
        }
        try
        {
            // Parsing is synchronous and CPU-bound; keep the console responsive to Ctrl+C.
            return await Task.Run(() => SclResolver.Load(path, ied), cancellationToken).ConfigureAwait(false);
        }
        catch (SclException ex)
        {
            await Console.Error.WriteLineAsync($"{path}:{ex.Line}:{ex.Column}: error {ex.Rule}: {ex.Detail}").ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await UsageErrorAsync($"cannot read {path}: {ex.Message}").ConfigureAwait(false);
            return null;
        }
    }

    private static string Summary(IedModel m) => string.Create(CultureInfo.InvariantCulture,
        $"IED {m.Name}: {m.LogicalDevices.Count} LDs, {m.LogicalNodeCount} LNs, {m.DataObjectCount} DOs, {m.DataAttributeCount} DAs, " +
        $"{m.DataSets.Count()} data sets, {m.ReportControlBlocks.Count()} RCBs");
}

/// <summary>Text renderings of an <see cref="IedModel"/>, shared by <c>scl tree</c> and the MMS browse command.</summary>
internal static class SclTreeWriter
{
    /// <summary>The ACSI tree: LD, LN, DO (CDC), DA [FC] type = value, then data sets and control blocks.</summary>
    public static string WriteTree(IedModel model)
    {
        var w = new StringWriter(CultureInfo.InvariantCulture);
        w.WriteLine($"IED {model.Name}{(model.Ied.Manufacturer is { } m ? $" ({m}{(model.Ied.Type is { } t ? " " + t : "")})" : "")}");
        foreach (var ld in model.LogicalDevices)
        {
            w.WriteLine($"  LD {ld.Name}");
            foreach (var ln in ld.LogicalNodes)
            {
                w.WriteLine($"    LN {ln.Name} ({ln.LnType})");
                foreach (var d in ln.DataObjects) WriteNode(w, d, 6);
                foreach (var ds in ln.DataSets)
                {
                    w.WriteLine($"      DataSet {ds.Name}");
                    foreach (var member in ds.Members) w.WriteLine($"        {member.Reference} [{member.Fc}]");
                }
                foreach (var cb in ln.ControlBlocks)
                {
                    w.WriteLine($"      {Kind(cb)} {cb.Name} [{cb.Fc}]{(cb.DataSet is { } set ? " -> " + set.Name : "")}");
                    foreach (var a in cb.Attributes) WriteNode(w, a, 8);
                }
            }
        }
        return w.ToString();
    }

    /// <summary>The 8-1 view: per LN and FC, the MMS item names with types.</summary>
    public static string WriteFunctionalView(IedModel model)
    {
        var w = new StringWriter(CultureInfo.InvariantCulture);
        foreach (var ld in model.LogicalDevices)
        {
            w.WriteLine($"domain {ld.MmsDomainName}");
            foreach (var ln in ld.LogicalNodes)
            {
                foreach (var group in ln.FunctionalView)
                {
                    w.WriteLine($"  {group.MmsItemId}");
                    foreach (var n in group.Members) WriteFcNode(w, n, 4);
                }
                foreach (var ds in ln.DataSets) w.WriteLine($"  {ds.MmsItemId} (named variable list, {ds.Members.Count} members)");
            }
        }
        return w.ToString();
    }

    private static void WriteFcNode(StringWriter w, FcNode n, int indent)
    {
        var type = n.Attribute is { } a ? " " + TypeText(a) : "";
        w.WriteLine($"{new string(' ', indent)}{n.MmsItemId}{type}");
        foreach (var c in n.Children) WriteFcNode(w, c, indent + 2);
    }

    private static void WriteNode(StringWriter w, ModelNode node, int indent)
    {
        var pad = new string(' ', indent);
        switch (node)
        {
            case DataObject d:
                w.WriteLine($"{pad}DO {d.Name} ({d.Cdc}){(d.Count > 0 ? $"[{d.Count}]" : "")}");
                break;
            case DataAttribute a:
                var value = ValueText(a);
                w.WriteLine($"{pad}{a.Name} [{a.Fc}] {TypeText(a)}{(value is null ? "" : " = " + value)}");
                break;
        }
        foreach (var c in node.Children) WriteNode(w, c, indent + 2);
    }

    private static string TypeText(DataAttribute a)
    {
        var t = a.BasicType switch
        {
            BasicType.Enum or BasicType.Struct when a.TypeId is not null => $"{a.BasicType}({a.TypeId})",
            _ => a.BasicType.ToString(),
        };
        return a.Count > 0 ? $"{t}[{a.Count}]" : t;
    }

    private static string? ValueText(DataAttribute a) => a.Value switch
    {
        null => null,
        int when a.EnumName is { } name => name,
        byte[] bytes => Convert.ToHexString(bytes),
        string s => "\"" + s + "\"",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var other => other.ToString(),
    };

    private static string Kind(ControlBlock cb) => cb switch
    {
        ReportControlBlock r => r.Buffered ? "BRCB" : "URCB",
        LogControlBlock => "LCB",
        GseControlBlock => "GoCB",
        SmvControlBlock s => s.Fc == FunctionalConstraint.MS ? "MSVCB" : "USVCB",
        SettingGroupControlBlock => "SGCB",
        _ => "CB",
    };
}
