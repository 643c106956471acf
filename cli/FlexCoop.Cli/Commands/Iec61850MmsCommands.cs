using System.CommandLine;
using System.Globalization;
using System.Net;
using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Iec61850.Mms.Client;
using FlexCoop.Iec61850.Mms.Server;
using FlexCoop.Iec61850.Model;
using FlexCoop.Iec61850.Scl;

namespace FlexCoop.Cli.Commands;

/// <summary><c>flexcoop iec61850 serve|browse|read|write</c>: an IEC 61850 server from SCL, and a client for any server over MMS.</summary>
internal static class Iec61850MmsCommands
{
    public static void AddTo(Command iec61850)
    {
        ArgumentNullException.ThrowIfNull(iec61850);
        iec61850.Subcommands.Add(CreateServe());
        iec61850.Subcommands.Add(CreateBrowse());
        iec61850.Subcommands.Add(CreateRead());
        iec61850.Subcommands.Add(CreateWrite());
    }

    // ------------------------------------------------------------------ options shared by the client commands

    internal static Argument<string> ServerArgument() => new("HOST[:PORT]")
    {
        Description = "The IEC 61850 server: a host name or address, optionally with :PORT (default 102; [::1]:102 for IPv6).",
    };

    internal static Option<string?> PasswordOption() => new("--password")
    {
        Description = "Password for ACSE authentication (mechanism 2.2.3.1), when the server asks for one.",
    };

    internal static Option<int> TimeoutOption() => new("--timeout")
    {
        Description = "Seconds to wait for the association and for each answer (default 10).",
        DefaultValueFactory = _ => 10,
    };

    internal static (string Host, int Port) ParseEndpoint(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0) throw new CliUsageException($"'{text}' is not HOST[:PORT]");
            var host = text[1..close];
            var rest = text[(close + 1)..];
            return (host, rest.Length == 0 ? MmsClientOptions.DefaultPort : ParsePort(rest.TrimStart(':'), text));
        }
        var colon = text.LastIndexOf(':');
        if (colon > 0 && text.IndexOf(':', StringComparison.Ordinal) == colon) return (text[..colon], ParsePort(text[(colon + 1)..], text));
        if (text.Length == 0) throw new CliUsageException("the server address is empty");
        return (text, MmsClientOptions.DefaultPort);
    }

    private static int ParsePort(string port, string whole) =>
        int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and < 65536
            ? p
            : throw new CliUsageException($"'{whole}': the port must be a number from 1 to 65535");

    internal static FunctionalConstraint ParseFc(string text) =>
        FunctionalConstraints.TryParse(text.ToUpperInvariant(), out var fc)
            ? fc
            : throw new CliUsageException($"'{text}' is not a functional constraint (ST, MX, SP, SV, CF, DC, SG, SE, SR, OR, BL, EX, CO, BR, RP, LG, GO, GS, MS, US)");

    internal static async Task<Iec61850Client> ConnectAsync(string server, string? password, int timeoutSeconds, CancellationToken cancellationToken)
    {
        var (host, port) = ParseEndpoint(server);
        if (timeoutSeconds < 1) throw new CliUsageException("--timeout must be at least 1 second");
        var options = new MmsClientOptions
        {
            Password = password,
            ConnectTimeout = TimeSpan.FromSeconds(timeoutSeconds),
            RequestTimeout = TimeSpan.FromSeconds(timeoutSeconds),
        };
        try
        {
            return await Iec61850Client.ConnectAsync(host, port, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MmsException or TimeoutException)
        {
            throw new CliUsageException($"cannot associate with {host}:{port}: {ex.Message}");
        }
    }

    /// <summary>
    /// Turns a usage error into its message and exit code 2 here, since System.CommandLine's own
    /// exception handler would otherwise report it as an unhandled exception.
    /// </summary>
    internal static async Task<int> GuardAsync(Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (CliUsageException ex)
        {
            await Console.Error.WriteLineAsync($"flexcoop: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.UsageOrEnvironment;
        }
    }

    /// <summary>Runs a client action; MMS failures become a message and exit code 1.</summary>
    internal static async Task<int> RunClientAsync(Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MmsException or TimeoutException)
        {
            await Console.Error.WriteLineAsync($"flexcoop: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Invalid;
        }
    }

    // ------------------------------------------------------------------ serve

    private static Command CreateServe()
    {
        var model = new Argument<string>("MODEL") { Description = "The SCL file (ICD, IID, CID or SCD) whose IED to serve." };
        var port = new Option<int>("--port") { Description = "TCP port to listen on (default 102; 0 lets the system choose).", DefaultValueFactory = _ => 102 };
        var ied = new Option<string?>("--ied") { Description = "The IED to serve when the file has several (by its name attribute)." };
        var bind = new Option<string>("--bind") { Description = "Address to listen on (default 0.0.0.0, every IPv4 interface).", DefaultValueFactory = _ => "0.0.0.0" };
        var password = new Option<string?>("--password") { Description = "Require this password from clients (ACSE authentication 2.2.3.1)." };
        var files = new Option<string?>("--files") { Description = "Serve this directory with the MMS file services (read-only unless --files-writable); names leaving it are refused." };
        var filesWritable = new Option<bool>("--files-writable") { Description = "Let clients delete, rename and store (SetFile/ObtainFile) files in the --files directory." };
        var logDb = new Option<string?>("--log-db") { Description = "SQLite file for the logs (LogControl blocks); entries survive a restart with the same file. In memory when omitted." };
        var logCapacity = new Option<int>("--log-capacity") { Description = "Entries kept per log; the oldest are purged beyond it (default 10000).", DefaultValueFactory = _ => 10_000 };
        var maxAssociations = new Option<int>("--max-associations") { Description = "Clients served at once; the next is refused (default 10).", DefaultValueFactory = _ => 10 };
        var fault = new Option<string[]>("--fault")
        {
            Description = "Start with a deliberate defect, to show a conformance suite catches it (repeatable): " + string.Join(", ", Iec61850ServerFaultNames.All.Keys) + ". Never in production.",
            AllowMultipleArgumentsPerToken = false,
        };
        var allowUnresolvedFcda = new Option<bool>("--allow-unresolved-fcda")
        {
            Description = "Serve a model whose data sets have FCDAs that designate nothing (SCL errors unresolved-fcda, listed on stderr):\n" +
                          "each such data set is served with the members that resolve. Other SCL errors still stop the server.\n" +
                          "For testing clients and suites on a faulty configuration (conformance case sDsetN4).",
        };
        var command = new Command("serve",
            "Serve the data model of an SCL file over MMS (IEC 61850-8-1): logical devices as domains, logical nodes\n" +
            "as named variables LN$FC$DO$DA, data sets as named variable lists, control blocks as structures.\n" +
            "Prints the endpoint it listens on, then serves until Ctrl+C.\n" +
            "Exit codes: 0 stopped, 1 the file has errors (listed on stderr), 2 file missing or port unavailable.");
        command.Arguments.Add(model);
        command.Options.Add(port);
        command.Options.Add(ied);
        command.Options.Add(bind);
        command.Options.Add(password);
        command.Options.Add(files);
        command.Options.Add(filesWritable);
        command.Options.Add(logDb);
        command.Options.Add(logCapacity);
        command.Options.Add(maxAssociations);
        command.Options.Add(fault);
        command.Options.Add(allowUnresolvedFcda);
        var controlUrl = Iec61850OperatorCommands.ControlUrlOption();
        command.Options.Add(controlUrl);
        var goose = new Option<string?>("--goose")
        {
            Description = "Publish the model's GOOSE control blocks on this network interface (e.g. eth0): each is enabled\n" +
                "(GoEna true) and sends a new state whenever a value of its data set changes (host update, control, client\n" +
                "write). Raw Ethernet socket: Linux only, root or CAP_NET_RAW.",
        };
        command.Options.Add(goose);
        command.SetAction((parseResult, cancellationToken) => GuardAsync(async () =>
        {
            var path = parseResult.GetValue(model)!;
            var controlAt = parseResult.GetValue(controlUrl) is { } controlText ? Iec61850OperatorCommands.ParseLoopback(controlText) : null;
            if (!File.Exists(path)) throw new CliUsageException($"file not found: {path}");
            SclResolution resolution;
            try
            {
                resolution = SclResolver.Load(path, parseResult.GetValue(ied));
            }
            catch (Iec61850.Iec61850Exception ex)
            {
                throw new CliUsageException($"{path}: {ex.Message}");
            }
            var tolerated = parseResult.GetValue(allowUnresolvedFcda) ? SclDiagnosticCodes.UnresolvedFcda : null;
            if (resolution.Diagnostics.Any(d => d.Severity == SclSeverity.Error && d.Code != tolerated))
            {
                foreach (var d in resolution.Diagnostics) await Console.Error.WriteLineAsync($"{path}:{d}").ConfigureAwait(false);
                return ExitCodes.Invalid;
            }
            foreach (var d in resolution.Diagnostics.Where(d => d.Code == tolerated))
            {
                await Console.Error.WriteLineAsync($"{path}:{d} (served without that member: --allow-unresolved-fcda)").ConfigureAwait(false);
            }
            var iedModel = resolution.Ieds.Count switch
            {
                0 => throw new CliUsageException($"{path} has no IED with a server"),
                1 => resolution.Ieds[0],
                _ => throw new CliUsageException($"{path} has several IEDs ({string.Join(", ", resolution.Ieds.Select(i => i.Name))}): choose one with --ied"),
            };
            if (!IPAddress.TryParse(parseResult.GetValue(bind), out var address)) throw new CliUsageException($"--bind: '{parseResult.GetValue(bind)}' is not an IP address");
            var portNumber = parseResult.GetValue(port);
            if (portNumber is < 0 or > 65535) throw new CliUsageException("--port must be 0..65535");
            var filesDir = parseResult.GetValue(files);
            if (filesDir is not null && !Directory.Exists(filesDir)) throw new CliUsageException($"--files: directory not found: {filesDir}");
            var options = new MmsServerOptions
            {
                Password = parseResult.GetValue(password),
                FileStoreRoot = filesDir,
                AllowFileWrite = parseResult.GetValue(filesWritable),
                JournalDatabase = parseResult.GetValue(logDb),
                JournalCapacity = parseResult.GetValue(logCapacity) >= 1 ? parseResult.GetValue(logCapacity) : throw new CliUsageException("--log-capacity must be at least 1"),
                MaxAssociations = Math.Max(1, parseResult.GetValue(maxAssociations)),
            };
            var faults = Iec61850ServerFaults.None;
            foreach (var name in parseResult.GetValue(fault) ?? [])
            {
                faults |= Iec61850ServerFaultNames.All.TryGetValue(name, out var f)
                    ? f
                    : throw new CliUsageException($"--fault: '{name}' is not a fault mode ({string.Join(", ", Iec61850ServerFaultNames.All.Keys)})");
            }
            if (parseResult.GetValue(filesWritable) && filesDir is null) throw new CliUsageException("--files-writable needs --files DIR");
            Iec61850Server server;
            try
            {
                server = new Iec61850Server(iedModel, options, faults: faults);
            }
            catch (MmsJournalStoreException ex)
            {
                throw new CliUsageException($"--log-db: {ex.Message}");
            }
            await using var running = server;
            var gooseInterface = parseResult.GetValue(goose);
            await using var gooseSocket = gooseInterface is null ? null : Iec61850GooseCommands.Open(gooseInterface);
            try
            {
                if (gooseSocket is not null && server.StartGoose(gooseSocket.LocalAddress).Count == 0)
                {
                    throw new CliUsageException($"--goose: {path} has no GOOSE control block with a data set in IED {iedModel.Name}");
                }
            }
            catch (ArgumentException ex)
            {
                // A GSE address the publisher cannot use (e.g. a destination that is not multicast).
                throw new CliUsageException($"--goose: {ex.Message}");
            }
            try
            {
                server.Start(new IPEndPoint(address, portNumber));
            }
            catch (System.Net.Sockets.SocketException ex)
            {
                throw new CliUsageException($"cannot listen on {address}:{portNumber}: {ex.Message}");
            }
            var ep = server.LocalEndPoint;
            // What parsing and resolving the SCL left behind is garbage now: compact once and give it back to the OS,
            // so a long-running server holds only its model (about 5 MB less resident for 10,000 attributes).
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            if (faults != Iec61850ServerFaults.None) await Console.Error.WriteLineAsync($"WARNING: deliberate faults enabled: {faults}").ConfigureAwait(false);
            await Console.Out.WriteLineAsync($"serving IED {iedModel.Name} ({iedModel.LogicalDevices.Count} logical devices, {iedModel.LogicalNodeCount} logical nodes, {iedModel.DataAttributeCount} attributes) on {ep.Address}:{ep.Port}").ConfigureAwait(false);
            await using var operatorPanel = controlAt is null ? null : Iec61850OperatorCommands.StartControl(controlAt, server);
            if (operatorPanel is not null) await Console.Out.WriteLineAsync($"operator control on {operatorPanel.Url}").ConfigureAwait(false);
            var stopped = Task.Delay(Timeout.Infinite, cancellationToken);
            var publishing = stopped;
            if (gooseSocket is not null)
            {
                foreach (var publisher in server.GoosePublishers)
                {
                    var o = publisher.Options;
                    await Console.Out.WriteLineAsync($"GOOSE {o.GocbRef} (data set {o.DatSet}) to {o.Destination} APPID 0x{o.AppId:X4} on {gooseInterface}").ConfigureAwait(false);
                }
                publishing = server.RunGooseAsync(gooseSocket, cancellationToken);
            }
            await Console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            await Task.WhenAny(stopped, publishing).ConfigureAwait(false);
            if (!cancellationToken.IsCancellationRequested && publishing.Exception?.GetBaseException() is { } failure)
            {
                await Console.Error.WriteLineAsync($"GOOSE publishing on {gooseInterface} failed: {failure.Message}").ConfigureAwait(false);
                return ExitCodes.UsageOrEnvironment;
            }
            await Console.Out.WriteLineAsync("stopping").ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    // ------------------------------------------------------------------ browse

    private static Command CreateBrowse()
    {
        var server = ServerArgument();
        var password = PasswordOption();
        var timeout = TimeoutOption();
        var command = new Command("browse",
            "Show the data model of an IEC 61850 server: logical devices, logical nodes, every attribute as\n" +
            "REFERENCE [FC] TYPE, then data sets with their members and the report control blocks.\n" +
            "Exit codes: 0 shown, 1 the server answered with an error, 2 cannot connect or associate.");
        command.Arguments.Add(server);
        command.Options.Add(password);
        command.Options.Add(timeout);
        command.SetAction((parseResult, cancellationToken) => GuardAsync(async () =>
        {
            await using var client = await ConnectAsync(parseResult.GetValue(server)!, parseResult.GetValue(password), parseResult.GetValue(timeout), cancellationToken).ConfigureAwait(false);
            return await RunClientAsync(async () =>
            {
                var stdout = Console.Out;
                var identity = await client.Mms.IdentifyAsync(cancellationToken).ConfigureAwait(false);
                await stdout.WriteLineAsync($"server: {identity.VendorName} {identity.ModelName} {identity.Revision}").ConfigureAwait(false);
                foreach (var ld in await client.GetServerDirectoryAsync(cancellationToken).ConfigureAwait(false))
                {
                    await stdout.WriteLineAsync(ld).ConfigureAwait(false);
                    foreach (var ln in await client.GetLogicalDeviceDirectoryAsync(ld, cancellationToken).ConfigureAwait(false))
                    {
                        var lnRef = ld + "/" + ln;
                        await stdout.WriteLineAsync("  " + lnRef).ConfigureAwait(false);
                        var type = await client.GetLogicalNodeTypeAsync(lnRef, cancellationToken).ConfigureAwait(false);
                        foreach (var fc in type.Components)
                        {
                            foreach (var (path, leaf) in Leaves(fc.Type, ""))
                            {
                                await stdout.WriteLineAsync($"    {lnRef}{path} [{fc.Name}] {leaf.Describe()}").ConfigureAwait(false);
                            }
                        }
                        foreach (var ds in await client.GetLogicalNodeDirectoryAsync(lnRef, AcsiClass.DataSet, cancellationToken).ConfigureAwait(false))
                        {
                            var members = await client.GetDataSetDirectoryAsync(lnRef + "." + ds, cancellationToken).ConfigureAwait(false);
                            await stdout.WriteLineAsync($"    data set {lnRef}.{ds}: {string.Join(", ", members.Select(m => $"{m.Reference} [{m.Fc}]"))}").ConfigureAwait(false);
                        }
                        foreach (var (cls, label) in new[] { (AcsiClass.Brcb, "buffered report control block"), (AcsiClass.Urcb, "unbuffered report control block"), (AcsiClass.Lcb, "log control block"), (AcsiClass.Gocb, "GOOSE control block") })
                        {
                            foreach (var cb in await client.GetLogicalNodeDirectoryAsync(lnRef, cls, cancellationToken).ConfigureAwait(false))
                            {
                                await stdout.WriteLineAsync($"    {label} {lnRef}.{cb}").ConfigureAwait(false);
                            }
                        }
                    }
                }
                return ExitCodes.Success;
            }).ConfigureAwait(false);
        }));
        return command;
    }

    private static IEnumerable<(string Path, MmsTypeDescription Type)> Leaves(MmsTypeDescription type, string path)
    {
        if (type is MmsStructureType s)
        {
            foreach (var c in s.Components)
            {
                foreach (var leaf in Leaves(c.Type, path + "." + c.Name)) yield return leaf;
            }
        }
        else
        {
            yield return (path, type);
        }
    }

    // ------------------------------------------------------------------ read

    private static Command CreateRead()
    {
        var server = ServerArgument();
        var reference = new Argument<string>("REF") { Description = "Object reference LD/LN.DO[.DA...] (e.g. DER1PV/MMXU1.TotW.mag.f), or a data set LD/LN.DataSet with FC DS." };
        var fc = new Argument<string>("FC") { Description = "Functional constraint (ST, MX, SP, CF, DC, ...), or DS to read a data set." };
        var password = PasswordOption();
        var timeout = TimeoutOption();
        var command = new Command("read",
            "Read a value (GetDataValues): one line per attribute, REFERENCE [FC] TYPE = VALUE.\n" +
            "Exit codes: 0 read, 1 the server refused (e.g. the object does not exist), 2 cannot connect or associate.");
        command.Arguments.Add(server);
        command.Arguments.Add(reference);
        command.Arguments.Add(fc);
        command.Options.Add(password);
        command.Options.Add(timeout);
        command.SetAction((parseResult, cancellationToken) => GuardAsync(async () =>
        {
            var reference_ = parseResult.GetValue(reference)!;
            var fcText = parseResult.GetValue(fc)!;
            var dataSet = string.Equals(fcText, "DS", StringComparison.OrdinalIgnoreCase);
            var fc_ = dataSet ? FunctionalConstraint.ST : ParseFc(fcText);
            CheckReference(reference_);
            await using var client = await ConnectAsync(parseResult.GetValue(server)!, parseResult.GetValue(password), parseResult.GetValue(timeout), cancellationToken).ConfigureAwait(false);
            return await RunClientAsync(async () =>
            {
                if (dataSet)
                {
                    var members = await client.GetDataSetDirectoryAsync(reference_, cancellationToken).ConfigureAwait(false);
                    var values = await client.GetDataSetValuesAsync(reference_, cancellationToken).ConfigureAwait(false);
                    for (var i = 0; i < members.Count && i < values.Count; i++)
                    {
                        await Console.Out.WriteLineAsync($"{members[i].Reference} [{members[i].Fc}] = {values[i]}").ConfigureAwait(false);
                    }
                    return ExitCodes.Success;
                }
                var type = await client.GetDataDefinitionAsync(reference_, fc_, cancellationToken).ConfigureAwait(false);
                var value = await client.GetDataValuesAsync(reference_, fc_, cancellationToken).ConfigureAwait(false);
                foreach (var line in FormatValue(reference_, fc_, type, value)) await Console.Out.WriteLineAsync(line).ConfigureAwait(false);
                return ExitCodes.Success;
            }).ConfigureAwait(false);
        }));
        return command;
    }

    private static string ReferenceMessage(string reference) => $"'{reference}' is not an object reference LD/LN[.DO[.DA]]";

    internal static bool CheckReference(string reference)
    {
        try
        {
            Iec61850MmsMapping.ToObjectName(reference, FunctionalConstraint.ST);
            return true;
        }
        catch (ArgumentException)
        {
            throw new CliUsageException(ReferenceMessage(reference));
        }
    }

    private static IEnumerable<string> FormatValue(string path, FunctionalConstraint fc, MmsTypeDescription type, MmsValue value)
    {
        if (type is MmsStructureType s && value is MmsStructure v && v.Components.Count == s.Components.Count)
        {
            for (var i = 0; i < s.Components.Count; i++)
            {
                foreach (var line in FormatValue(path + "." + s.Components[i].Name, fc, s.Components[i].Type, v.Components[i])) yield return line;
            }
            yield break;
        }
        var text = value switch
        {
            MmsBitString b when type is MmsBitStringType { Size: 13 } => $"{b.Format()} ({Iec61850Quality.FromBitString(b).Validity.ToString().ToLowerInvariant()})",
            _ => value.Format(),
        };
        yield return $"{path} [{fc}] {type.Describe()} = {text}";
    }

    // ------------------------------------------------------------------ write

    private static Command CreateWrite()
    {
        var server = ServerArgument();
        var reference = new Argument<string>("REF") { Description = "Object reference of the attribute LD/LN.DO.DA (e.g. DER1PV/ZINV1.WRtg.setMag.f)." };
        var fc = new Argument<string>("FC") { Description = "Functional constraint (SP, CF, DC, SV, ...)." };
        var value = new Argument<string>("VALUE")
        {
            Description = "The new value, read as the attribute's type: true/false, an integer, a decimal number, text,\n" +
                          "bits as 0/1 digits (quality, Dbpos), hex for octet strings, ISO 8601 for time stamps.",
        };
        var password = PasswordOption();
        var timeout = TimeoutOption();
        var command = new Command("write",
            "Write one attribute (SetDataValues). The server's type for REF decides how VALUE is read.\n" +
            "Exit codes: 0 written, 1 the server refused (access denied, wrong type, does not exist), 2 usage or connection.");
        command.Arguments.Add(server);
        command.Arguments.Add(reference);
        command.Arguments.Add(fc);
        command.Arguments.Add(value);
        command.Options.Add(password);
        command.Options.Add(timeout);
        command.SetAction((parseResult, cancellationToken) => GuardAsync(async () =>
        {
            var reference_ = parseResult.GetValue(reference)!;
            var fc_ = ParseFc(parseResult.GetValue(fc)!);
            CheckReference(reference_);
            await using var client = await ConnectAsync(parseResult.GetValue(server)!, parseResult.GetValue(password), parseResult.GetValue(timeout), cancellationToken).ConfigureAwait(false);
            return await RunClientAsync(async () =>
            {
                var type = await client.GetDataDefinitionAsync(reference_, fc_, cancellationToken).ConfigureAwait(false);
                var parsed = ParseValue(type, parseResult.GetValue(value)!);
                await client.SetDataValuesAsync(reference_, fc_, parsed, cancellationToken).ConfigureAwait(false);
                await Console.Out.WriteLineAsync($"{reference_} [{fc_}] {type.Describe()} = {parsed.Format()}").ConfigureAwait(false);
                return ExitCodes.Success;
            }).ConfigureAwait(false);
        }));
        return command;
    }

    internal static MmsValue ParseValue(MmsTypeDescription type, string text)
    {
        var inv = CultureInfo.InvariantCulture;
        MmsValue? value = type switch
        {
            MmsBooleanType => text.ToLowerInvariant() switch
            {
                "true" or "1" or "on" => new MmsBoolean(true),
                "false" or "0" or "off" => new MmsBoolean(false),
                _ => null,
            },
            MmsIntegerType => long.TryParse(text, NumberStyles.Integer, inv, out var l) ? new MmsInteger(l) : null,
            MmsUnsignedType => ulong.TryParse(text, NumberStyles.None, inv, out var u) ? new MmsUnsigned(u) : null,
            MmsFloatType { FormatWidth: 64 } => double.TryParse(text, NumberStyles.Float, inv, out var d) ? new MmsFloat64(d) : null,
            MmsFloatType => float.TryParse(text, NumberStyles.Float, inv, out var f) ? new MmsFloat32(f) : null,
            MmsVisibleStringType => text.All(c => c is >= ' ' and <= '~') ? new MmsVisibleString(text) : null,
            MmsUnicodeStringType => new MmsUnicodeString(text),
            MmsOctetStringType => TryHex(text) is { } bytes ? new MmsOctetString(bytes) : null,
            MmsBitStringType => text.Length > 0 && text.All(c => c is '0' or '1')
                ? MmsBitString.FromBits(text.Length, Enumerable.Range(0, text.Length).Where(i => text[i] == '1').ToArray())
                : null,
            MmsUtcTimeType => DateTimeOffset.TryParse(text, inv, DateTimeStyles.AssumeUniversal, out var t) && t >= DateTimeOffset.UnixEpoch ? MmsUtcTime.From(t) : null,
            MmsBinaryTimeType { WithDate: true } => DateTimeOffset.TryParse(text, inv, DateTimeStyles.AssumeUniversal, out var bt) && bt.UtcDateTime >= MmsBinaryTime.Epoch1984 ? MmsBinaryTime.From(bt.UtcDateTime) : null,
            MmsStructureType or MmsArrayType => throw new CliUsageException($"the attribute is a {type.Describe()}: write its components one by one"),
            _ => null,
        };
        if (value is null || !type.Accepts(value)) throw new CliUsageException($"'{text}' is not a value of type {type.Describe()}");
        return value;
    }

    private static byte[]? TryHex(string text)
    {
        var hex = text.Replace(" ", "", StringComparison.Ordinal).Replace(":", "", StringComparison.Ordinal);
        if (hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) hex = hex[2..];
        try
        {
            return Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
