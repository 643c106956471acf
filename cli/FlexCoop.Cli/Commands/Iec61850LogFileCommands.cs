using System.CommandLine;
using System.Globalization;
using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Acsi;

namespace FlexCoop.Cli.Commands;

/// <summary><c>flexcoop iec61850 log|files</c>: query an IEC 61850 log, and the file services of a server.</summary>
internal static class Iec61850LogFileCommands
{
    public static void AddTo(Command iec61850)
    {
        ArgumentNullException.ThrowIfNull(iec61850);
        iec61850.Subcommands.Add(CreateLog());
        iec61850.Subcommands.Add(CreateFiles());
    }

    // ------------------------------------------------------------------ log

    private static DateTimeOffset ParseTime(string text, string option) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) && t.Year >= 1984
            ? t
            : throw new CliUsageException($"{option}: '{text}' is not a time from 1984 on (e.g. 2026-11-30T12:00:00Z)");

    private static Command CreateLog()
    {
        var server = Iec61850MmsCommands.ServerArgument();
        var logRef = new Argument<string>("LOGREF") { Description = "The log: LD/LN$LogName (as an LCB's LogRef shows it), e.g. DER1CTRL/LLN0$EventLog." };
        var from = new Option<string?>("--from") { Description = "Entries recorded at or after this UTC time (ISO 8601, e.g. 2026-11-30T12:00:00Z)." };
        var to = new Option<string?>("--to") { Description = "Entries recorded at or before this UTC time." };
        var after = new Option<string?>("--after") { Description = "Entries after this EntryID (hex, as this command prints it): QueryLogAfter. --from then bounds their time (default: any)." };
        var password = Iec61850MmsCommands.PasswordOption();
        var timeout = Iec61850MmsCommands.TimeoutOption();
        var command = new Command("log",
            "Query a log of an IEC 61850 server (QueryLogByTime, or QueryLogAfter with --after; MMS ReadJournal).\n" +
            "Prints one line per entry: ENTRYID TIME, then one indented line per data item: REFERENCE = VALUE [reason].\n" +
            "Exit codes: 0 shown, 1 the server refused (e.g. no such log), 2 usage or cannot connect.");
        command.Arguments.Add(server);
        command.Arguments.Add(logRef);
        command.Options.Add(from);
        command.Options.Add(to);
        command.Options.Add(after);
        command.Options.Add(password);
        command.Options.Add(timeout);
        command.SetAction((parseResult, cancellationToken) => Iec61850MmsCommands.GuardAsync(async () =>
        {
            var reference = parseResult.GetValue(logRef)!;
            try
            {
                Iec61850Client.LogObjectName(reference);
            }
            catch (ArgumentException ex)
            {
                throw new CliUsageException(ex.Message);
            }
            var fromTime = parseResult.GetValue(from) is { } f ? ParseTime(f, "--from") : (DateTimeOffset?)null;
            var toTime = parseResult.GetValue(to) is { } t ? ParseTime(t, "--to") : (DateTimeOffset?)null;
            byte[]? afterEntry = null;
            if (parseResult.GetValue(after) is { } hex)
            {
                if (toTime is not null) throw new CliUsageException("--after cannot be combined with --to (QueryLogAfter has no end time)");
                try
                {
                    afterEntry = Convert.FromHexString(hex);
                }
                catch (FormatException)
                {
                    throw new CliUsageException($"--after: '{hex}' is not a hexadecimal EntryID");
                }
                if (afterEntry.Length is 0 or > 64) throw new CliUsageException("--after: an EntryID has 1..64 octets");
            }
            await using var client = await Iec61850MmsCommands.ConnectAsync(parseResult.GetValue(server)!, parseResult.GetValue(password), parseResult.GetValue(timeout), cancellationToken).ConfigureAwait(false);
            return await Iec61850MmsCommands.RunClientAsync(async () =>
            {
                var entries = afterEntry is null
                    ? await client.QueryLogByTimeAsync(reference, fromTime, toTime, cancellationToken).ConfigureAwait(false)
                    : await client.QueryLogAfterAsync(reference, fromTime ?? new DateTimeOffset(1984, 1, 1, 0, 0, 0, TimeSpan.Zero), afterEntry, cancellationToken).ConfigureAwait(false);
                var stdout = Console.Out;
                foreach (var entry in entries)
                {
                    await stdout.WriteLineAsync($"{entry.EntryIdHex} {entry.TimeOfEntry.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)}").ConfigureAwait(false);
                    foreach (var data in entry.Data)
                    {
                        var reason = data.ReasonCode is { } r ? " [" + ReasonText(r) + "]" : "";
                        await stdout.WriteLineAsync($"  {data.Reference} = {data.Value.Format()}{reason}").ConfigureAwait(false);
                    }
                }
                await stdout.WriteLineAsync($"{entries.Count} entries").ConfigureAwait(false);
                return ExitCodes.Success;
            }).ConfigureAwait(false);
        }));
        return command;
    }

    private static string ReasonText(MmsBitString reason)
    {
        string[] names = ["reserved", "dchg", "qchg", "dupd", "integrity", "gi", "application-trigger"];
        var set = Enumerable.Range(0, Math.Min(reason.BitLength, names.Length)).Where(b => reason[b]).Select(b => names[b]).ToArray();
        return set.Length == 0 ? "none" : string.Join(",", set);
    }

    // ------------------------------------------------------------------ files

    private static Command CreateFiles()
    {
        var command = new Command("files",
            "The file services of an IEC 61850 server (MMS FileDirectory, FileOpen/Read/Close, FileDelete, FileRename,\n" +
            "ObtainFile): ls, get, put, rm, mv. The server decides which names exist and whether it lets you change them.");
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateGet());
        command.Subcommands.Add(CreatePut());
        command.Subcommands.Add(CreateRemove());
        command.Subcommands.Add(CreateMove());
        return command;
    }

    private static Command ClientCommand(string name, string description, Argument<string>[] arguments, Func<Iec61850Client, ParseResult, CancellationToken, Task<int>> run)
    {
        var server = Iec61850MmsCommands.ServerArgument();
        var password = Iec61850MmsCommands.PasswordOption();
        var timeout = Iec61850MmsCommands.TimeoutOption();
        var command = new Command(name, description + "\nExit codes: 0 done, 1 the server refused, 2 usage or cannot connect.");
        command.Arguments.Add(server);
        foreach (var a in arguments) command.Arguments.Add(a);
        command.Options.Add(password);
        command.Options.Add(timeout);
        command.SetAction((parseResult, cancellationToken) => Iec61850MmsCommands.GuardAsync(async () =>
        {
            await using var client = await Iec61850MmsCommands.ConnectAsync(parseResult.GetValue(server)!, parseResult.GetValue(password), parseResult.GetValue(timeout), cancellationToken).ConfigureAwait(false);
            return await Iec61850MmsCommands.RunClientAsync(() => run(client, parseResult, cancellationToken)).ConfigureAwait(false);
        }));
        return command;
    }

    private static Command CreateList()
    {
        var spec = new Argument<string>("PATH") { Description = "A directory or file of the server (default: everything).", Arity = ArgumentArity.ZeroOrOne };
        return ClientCommand("ls", "List files: SIZE  LAST-MODIFIED  NAME, one per line (continuation followed to the end).", [spec], async (client, parseResult, ct) =>
        {
            var entries = await client.Mms.FileDirectoryAsync(parseResult.GetValue(spec), ct).ConfigureAwait(false);
            foreach (var e in entries)
            {
                var modified = e.Attributes.LastModified?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-";
                await Console.Out.WriteLineAsync($"{e.Attributes.Size,12}  {modified,-20}  {e.FileName}").ConfigureAwait(false);
            }
            return ExitCodes.Success;
        });
    }

    private static Command CreateGet()
    {
        var remote = new Argument<string>("REMOTE") { Description = "The file on the server." };
        var local = new Argument<string>("LOCAL") { Description = "Where to write it (default: its name in the current directory; - for standard output).", Arity = ArgumentArity.ZeroOrOne };
        return ClientCommand("get", "Copy a file from the server (GetFile: FileOpen, FileRead until the end, FileClose).", [remote, local], async (client, parseResult, ct) =>
        {
            var name = parseResult.GetValue(remote)!;
            var target = parseResult.GetValue(local) ?? Path.GetFileName(name.TrimEnd('/'));
            if (target.Length == 0) throw new CliUsageException($"cannot derive a local name from '{name}': give LOCAL");
            var data = await client.Mms.GetFileAsync(name, ct).ConfigureAwait(false);
            if (target == "-")
            {
                await using var stdout = Console.OpenStandardOutput();
                await stdout.WriteAsync(data, ct).ConfigureAwait(false);
                return ExitCodes.Success;
            }
            try
            {
                await File.WriteAllBytesAsync(target, data, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CliUsageException($"cannot write {target}: {ex.Message}");
            }
            await Console.Out.WriteLineAsync($"{name} -> {target} ({data.Length} octets)").ConfigureAwait(false);
            return ExitCodes.Success;
        });
    }

    private static Command CreatePut()
    {
        var local = new Argument<string>("LOCAL") { Description = "The local file to send." };
        var remote = new Argument<string>("REMOTE") { Description = "Its name on the server (default: the local file's name).", Arity = ArgumentArity.ZeroOrOne };
        return ClientCommand("put", "Store a file on the server (SetFile: MMS ObtainFile; the server reads it from this client). The server must allow writing.", [local, remote], async (client, parseResult, ct) =>
        {
            var path = parseResult.GetValue(local)!;
            if (!File.Exists(path)) throw new CliUsageException($"file not found: {path}");
            var name = parseResult.GetValue(remote) ?? Path.GetFileName(path);
            await client.Mms.SetFileAsync(path, name, ct).ConfigureAwait(false);
            await Console.Out.WriteLineAsync($"{path} -> {name} ({new FileInfo(path).Length} octets)").ConfigureAwait(false);
            return ExitCodes.Success;
        });
    }

    private static Command CreateRemove()
    {
        var remote = new Argument<string>("REMOTE") { Description = "The file on the server to delete." };
        return ClientCommand("rm", "Delete a file on the server (FileDelete). The server must allow writing.", [remote], async (client, parseResult, ct) =>
        {
            await client.Mms.FileDeleteAsync(parseResult.GetValue(remote)!, ct).ConfigureAwait(false);
            return ExitCodes.Success;
        });
    }

    private static Command CreateMove()
    {
        var from = new Argument<string>("FROM") { Description = "The file's current name on the server." };
        var to = new Argument<string>("TO") { Description = "Its new name." };
        return ClientCommand("mv", "Rename a file on the server (FileRename). The server must allow writing.", [from, to], async (client, parseResult, ct) =>
        {
            await client.Mms.FileRenameAsync(parseResult.GetValue(from)!, parseResult.GetValue(to)!, ct).ConfigureAwait(false);
            return ExitCodes.Success;
        });
    }
}
