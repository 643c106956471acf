using System.CommandLine;
using System.Globalization;
using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Iec61850.Mms.Goose;
using FlexCoop.Iec61850.Model;

namespace FlexCoop.Cli.Commands;

/// <summary><c>flexcoop iec61850 goose publish|listen</c>: GOOSE on a raw Ethernet socket.</summary>
internal static class Iec61850GooseCommands
{
    public static void AddTo(Command iec61850)
    {
        var goose = new Command("goose",
            "GOOSE (IEC 61850-8-1): publish a GOOSE control block of an SCL model, or listen to GOOSE on an interface.\n" +
            "Both use a raw Ethernet socket: Linux only, run as root or with the CAP_NET_RAW capability.");
        goose.Subcommands.Add(CreatePublish());
        goose.Subcommands.Add(CreateListen());
        iec61850.Subcommands.Add(goose);
    }

    private static Option<string> InterfaceOption() => new("--interface")
    {
        Description = "The network interface to send or receive on, e.g. eth0 (lo works for a local test).",
        Required = true,
    };

    private static Option<long?> CountOption(string what) => new("--count") { Description = $"Stop after this many {what} (default: run until Ctrl+C)." };

    internal static GooseEthernetSocket Open(string interfaceName)
    {
        try
        {
            return GooseEthernetSocket.Open(interfaceName);
        }
        catch (GooseTransportException ex)
        {
            throw new CliUsageException($"{ex.Message} ({ex.Error})");
        }
    }

    // ------------------------------------------------------------------ publish

    private static Command CreatePublish()
    {
        var model = new Argument<string>("MODEL") { Description = "The SCL file (ICD, IID, CID or SCD) with the GSEControl and its Communication/GSE address." };
        var gocb = new Option<string>("--gocb")
        {
            Description = "The GOOSE control block: LD/LLN0.name, its MMS form LD/LLN0$GO$name, or just its name when that is unique.",
            Required = true,
        };
        var ied = new Option<string?>("--ied") { Description = "The IED when the file has several (by its name attribute)." };
        var networkInterface = InterfaceOption();
        var count = CountOption("frames");
        var simulation = new Option<bool>("--simulation") { Description = "Mark the messages as simulated (simulation flag and Reserved 1 bit)." };
        var command = new Command("publish",
            "Publish a GOOSE control block: its data set's values from the model, to the MAC address, APPID and VLAN of\n" +
            "its GSE element, retransmitted at MinTime, doubling up to MaxTime. Prints one line per frame sent.\n" +
            "Example: flexcoop iec61850 goose publish schemas/iec61850/der-unit.cid --gocb DER1CTRL/LLN0.gcbStatus --interface eth0\n" +
            "Exit codes: 0 stopped, 1 the file has errors, 2 file, control block or interface unusable (or no permission).");
        command.Arguments.Add(model);
        command.Options.Add(gocb);
        command.Options.Add(ied);
        command.Options.Add(networkInterface);
        command.Options.Add(count);
        command.Options.Add(simulation);
        command.SetAction((parseResult, cancellationToken) => Iec61850MmsCommands.GuardAsync(async () =>
        {
            var path = parseResult.GetValue(model)!;
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
            if (resolution.HasErrors)
            {
                foreach (var d in resolution.Diagnostics) await Console.Error.WriteLineAsync($"{path}:{d}").ConfigureAwait(false);
                return ExitCodes.Invalid;
            }
            var iedModel = resolution.Ieds.Count switch
            {
                0 => throw new CliUsageException($"{path} has no IED"),
                1 => resolution.Ieds[0],
                _ => throw new CliUsageException($"{path} has several IEDs ({string.Join(", ", resolution.Ieds.Select(i => i.Name))}): choose one with --ied"),
            };
            var controlBlock = FindControlBlock(iedModel, parseResult.GetValue(gocb)!);
            GoosePublisherOptions options;
            try
            {
                options = GoosePublisherOptions.FromControlBlock(controlBlock) with { Simulation = parseResult.GetValue(simulation) };
                options.Validate();
            }
            catch (ArgumentException ex)
            {
                throw new CliUsageException(ex.Message);
            }
            var values = GoosePublisherOptions.DataSetValues(controlBlock, Iec61850MmsMapping.BuildVmd(iedModel));
            var interfaceName = parseResult.GetValue(networkInterface)!;
            await using var socket = Open(interfaceName);
            options = options with { Source = socket.LocalAddress };
            var publisher = new GoosePublisher(options, values);
            var vlan = options.Vlan is { } v ? $"VLAN {v.Id} priority {v.Priority}" : "untagged";
            await Console.Out.WriteLineAsync(
                $"publishing {options.GocbRef} (goID {options.GoId}, data set {options.DatSet} with {values.Count} entries) to {options.Destination} " +
                $"APPID 0x{options.AppId:X4} {vlan} on {interfaceName}, MinTime {options.MinTime.TotalMilliseconds} ms, MaxTime {options.MaxTime.TotalMilliseconds} ms").ConfigureAwait(false);
            await Console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            var printer = new PrintingTransport(socket);
            try
            {
                await publisher.RunAsync(printer, parseResult.GetValue(count), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C
            }
            catch (GooseTransportException ex)
            {
                throw new CliUsageException(ex.Message);
            }
            await Console.Out.WriteLineAsync($"sent {printer.Sent} frames").ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static GseControlBlock FindControlBlock(IedModel model, string reference)
    {
        var all = model.LogicalDevices.SelectMany(ld => ld.LogicalNodes).SelectMany(ln => ln.GseControlBlocks).ToList();
        var matches = all.Where(g =>
            string.Equals(g.Reference, reference, StringComparison.Ordinal)
            || string.Equals($"{g.LogicalNode!.LogicalDevice.Name}/{g.LogicalNode.Name}$GO${g.Name}", reference, StringComparison.Ordinal)
            || string.Equals(g.Name, reference, StringComparison.Ordinal)).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new CliUsageException($"no GOOSE control block '{reference}' in IED {model.Name}" +
                (all.Count == 0 ? " (it has none)" : $" (it has {string.Join(", ", all.Select(g => g.Reference))})")),
            _ => throw new CliUsageException($"'{reference}' names several control blocks ({string.Join(", ", matches.Select(g => g.Reference))}): give LD/LN.name"),
        };
    }

    /// <summary>Prints a line for every frame the publisher sends.</summary>
    private sealed class PrintingTransport(IGooseTransport inner) : IGooseTransport
    {
        public long Sent { get; private set; }

        public async ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken = default)
        {
            await inner.SendAsync(frame, cancellationToken).ConfigureAwait(false);
            Sent++;
            var pdu = GooseCodec.Decode(frame.Span).Pdu;
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{DateTimeOffset.UtcNow:HH:mm:ss.fff} sent stNum={pdu.StNum} sqNum={pdu.SqNum} timeAllowedtoLive={pdu.TimeAllowedToLive}ms {Format(pdu.AllData)}")).ConfigureAwait(false);
            await Console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReceiveAsync(buffer, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private static string Format(IReadOnlyList<MmsValue> values) => "[" + string.Join(", ", values.Select(v => v.Format())) + "]";

    // ------------------------------------------------------------------ listen

    private static Command CreateListen()
    {
        var networkInterface = InterfaceOption();
        var appId = new Option<string?>("--appid") { Description = "Only this APPID, hexadecimal as in SCL (1001 or 0x1001)." };
        var gocb = new Option<string?>("--gocb") { Description = "Only this control block, in its MMS form LD/LLN0$GO$name." };
        var count = CountOption("accepted frames (first, state change or retransmission)");
        var command = new Command("listen",
            "Listen to GOOSE on an interface: one line per frame (APPID, gocbRef, stNum, sqNum, how it relates to the\n" +
            "previous frame of that publisher: first, state-change, retransmission, duplicate, out-of-order, malformed)\n" +
            "and an EXPIRED line when a publisher stays silent longer than its timeAllowedtoLive.\n" +
            "Example: flexcoop iec61850 goose listen --interface eth0 --appid 1001\n" +
            "Exit codes: 0 stopped, 2 bad option or interface unusable (or no permission).");
        command.Options.Add(networkInterface);
        command.Options.Add(appId);
        command.Options.Add(gocb);
        command.Options.Add(count);
        command.SetAction((parseResult, cancellationToken) => Iec61850MmsCommands.GuardAsync(async () =>
        {
            ushort? appIdFilter = null;
            if (parseResult.GetValue(appId) is { } text)
            {
                var hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
                appIdFilter = ushort.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var id)
                    ? id
                    : throw new CliUsageException($"--appid: '{text}' is not a hexadecimal APPID (0000..FFFF)");
            }
            var interfaceName = parseResult.GetValue(networkInterface)!;
            var subscriber = new GooseSubscriber(new GooseSubscriberOptions { AppId = appIdFilter, GocbRef = parseResult.GetValue(gocb) });
            await using var socket = Open(interfaceName);
            await Console.Out.WriteLineAsync($"listening for GOOSE on {interfaceName}" + (appIdFilter is { } a ? $" (APPID 0x{a:X4})" : "")).ConfigureAwait(false);
            await Console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            var limit = parseResult.GetValue(count);
            long accepted = 0;
            try
            {
                await foreach (var e in subscriber.ListenAsync(socket, cancellationToken).ConfigureAwait(false))
                {
                    var now = DateTimeOffset.UtcNow.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
                    if (e.Expired is { } expired)
                    {
                        await Console.Out.WriteLineAsync($"{now} EXPIRED APPID 0x{expired.AppId:X4} {expired.GocbRef}: nothing within timeAllowedtoLive {expired.LastPdu.TimeAllowedToLive} ms after stNum={expired.LastPdu.StNum} sqNum={expired.LastPdu.SqNum}").ConfigureAwait(false);
                    }
                    else if (e.Reception is { Frame: { } frame } r)
                    {
                        var p = frame.Pdu;
                        var status = r.Status switch
                        {
                            GooseReceptionStatus.StateChange => "state-change",
                            GooseReceptionStatus.OutOfOrder => "out-of-order",
                            _ => r.Status.ToString().ToLowerInvariant(),
                        };
                        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                            $"{now} APPID 0x{frame.AppId:X4} {p.GocbRef} from {frame.Source} stNum={p.StNum} sqNum={p.SqNum} timeAllowedtoLive={p.TimeAllowedToLive}ms confRev={p.ConfRev}" +
                            $"{(p.Simulation ? " simulation" : "")} {status}{(r.MissedFrames ? " (frames missed)" : "")} {Format(p.AllData)}")).ConfigureAwait(false);
                        if (r.Accepted) accepted++;
                    }
                    else if (e.Reception is { Error: { } error })
                    {
                        await Console.Out.WriteLineAsync($"{now} malformed GOOSE: {error.Message}").ConfigureAwait(false);
                    }
                    await Console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
                    if (limit is { } max && accepted >= max) break;
                }
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C
            }
            catch (GooseTransportException ex)
            {
                throw new CliUsageException(ex.Message);
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}
