using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Ven;
using Microsoft.Extensions.Logging;

namespace FlexCoop.Cli.Commands;

/// <summary><c>flexcoop ven ...</c></summary>
internal static class VenCommands
{
    public static Command Create()
    {
        var command = new Command("ven", "Run an OpenADR 2.0b VEN that simulates a simple device.");
        command.Subcommands.Add(Run());
        return command;
    }

    private static Command Run()
    {
        var vtn = new Option<string>("--vtn") { Description = "The VTN's URL, e.g. https://127.0.0.1:8443.", Required = true };
        var name = new Option<string>("--ven-name") { Description = "oadrVenName.", Required = true };
        var venId = new Option<string?>("--ven-id") { Description = "A venID given out of band (default: the VTN assigns one)." };
        var push = new Option<string?>("--push-url") { Description = "Listen for the VTN's pushes here (https://IP:PORT) instead of polling." };
        var cert = new Option<string?>("--cert") { Description = "The VEN's certificate PEM." };
        var key = new Option<string?>("--key") { Description = "Its private key PEM." };
        var ca = new Option<string[]>("--ca") { Description = "CA certificate PEM the VTN's certificate chains to (repeatable)." };
        var insecure = new Option<bool>("--insecure-http") { Description = "Talk plain HTTP to an --insecure-http VTN (development only)." };
        var state = new Option<string>("--state") { Description = "SQLite file keeping registration and events across restarts.", DefaultValueFactory = _ => "ven.db" };
        var poll = new Option<string?>("--poll-frequency") { Description = "Poll at this ISO 8601 period instead of the VTN's." };
        var messageLog = new Option<string?>("--message-log") { Description = "Append every exchange with the VTN to this JSON-lines file ('flexcoop replay FILE' reads it)." };
        var command = new Command("run", """
            Run a VEN until interrupted. It registers, announces a TELEMETRY_USAGE report (power, kW)
            and a TELEMETRY_STATUS report, opts in to every event, answers report requests with a
            simulated load (2 kW, lowered by the SIMPLE level of the active event), and logs what it receives.
            Example: flexcoop ven run --vtn https://127.0.0.1:8443 --ven-name boiler-1 --cert pki/ven.crt --key pki/ven.key --ca pki/ca.crt
            """);
        foreach (var o in new Option[] { vtn, name, venId, push, cert, key, ca, insecure, state, poll, messageLog }) command.Options.Add(o);
        var security = VtnCommands.SecurityOption("VEN signs every payload with --cert and acts on no VTN payload not signed by a certificate chaining to --ca");
        command.Options.Add(security);
        var xmpp = new XmppCliOptions("VEN", "ven1@example.org/ven", "--cert");
        xmpp.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var insecureHttp = parse.GetValue(insecure);
            X509Certificate2? certificate = null;
            if (parse.GetValue(cert) is { } c)
            {
                certificate = VtnCommands.LoadPem(c, parse.GetValue(key) ?? throw new CliUsageException("--cert needs --key"));
            }
            else if (!insecureHttp && parse.GetValue(xmpp.Server) is null)
            {
                throw new CliUsageException("give --cert/--key/--ca, or --insecure-http for development");
            }
            if (!Uri.TryCreate(parse.GetValue(vtn), UriKind.Absolute, out var vtnUrl)) throw new CliUsageException("--vtn must be a URL");
            var device = new SimulatedDevice();
            VenOptions options = new()
            {
                VtnUrl = vtnUrl,
                VenName = parse.GetValue(name)!,
                VenId = parse.GetValue(venId),
                ClientCertificate = certificate,
                VtnCertificateAuthorities = (parse.GetValue(ca) ?? []).Select(f => X509CertificateLoader.LoadCertificateFromFile(f)).ToList(),
                InsecureHttp = insecureHttp,
                PushListenUrl = parse.GetValue(push),
                StatePath = parse.GetValue(state),
                PollFrequency = parse.GetValue(poll) is { } p ? VtnCommands.Duration(p, "--poll-frequency") : null,
                ReportProviders = [device.Usage, device.Status],
                MessageLogPath = parse.GetValue(messageLog),
            };
            options = options with { Security = VtnCommands.SecurityLevel(parse.GetValue(security)!), Xmpp = xmpp.Build(parse, certificate) };
            if (options.Xmpp is not null && options.VtnJid is null) throw new CliUsageException("with --xmpp-server, --vtn is the VTN's full JID as xmpp:vtn@example.org/vtn (printed by 'vtn serve')");
            using var logs = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
            try
            {
                await using var ven = await OadrVen.StartAsync(options, null, logs, ct);
                device.Ven = ven;
                Console.WriteLine($"registered as {ven.VenId} ({ven.RegistrationId}) with {ven.VtnId}; {(ven.PushUrl is { } u ? $"push listener on {u}" : $"polling every {ven.PollInterval}")}");
                ven.EventChanged += (_, e) => Console.WriteLine($"event {e.Event.EventId} #{e.Event.ModificationNumber} {e.Change.ToString().ToLowerInvariant()}: {e.Event.Status.ToString().ToLowerInvariant()}, start {e.Event.EffectiveStart.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}{(e.Reason is null ? "" : ", " + e.Reason)}");
                ven.MessageReceived += (_, e) => Console.WriteLine($"received {e.Message.ElementName}{(e.Pushed ? " (push)" : "")}");
                ven.ReportSent += (_, e) => Console.WriteLine($"report {e.ReportRequestId} ({e.ReportSpecifierId}) sent with {e.Readings} readings");
                await Console.Out.FlushAsync(ct);
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                catch (OperationCanceledException)
                {
                }
            }
            catch (VenException ex)
            {
                throw new CliUsageException(ex.Message);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>A 2 kW load that sheds 0.5 kW per SIMPLE level of the active event.</summary>
    private sealed class SimulatedDevice
    {
        public OadrVen? Ven { get; set; }

        public IVenReportProvider Usage => new Provider(this, new VenReportDefinition("RS_USAGE", ReportName.TelemetryUsage,
            [new VenDataPoint("power", ReportType.Usage, new ReadingType("Direct Read"),
                new PowerReal { Scale = SiScaleCode.Kilo, Attributes = new PowerAttributes { Hertz = 50, Voltage = 230, Ac = true } },
                TimeSpan.FromSeconds(10), TimeSpan.FromHours(1))]));

        public IVenReportProvider Status => new Provider(this, new VenReportDefinition("RS_STATUS", ReportName.TelemetryStatus,
            [new VenDataPoint("status", new ReportType("x-resourceStatus"), new ReadingType("x-notApplicable"), null, TimeSpan.FromSeconds(10), TimeSpan.FromHours(1))]));

        private float PowerAt(DateTimeOffset at)
        {
            var level = Ven?.Events.Where(e => e.Opt == OptType.OptIn && !e.IsTest).Select(e => e.ValueAt("SIMPLE", at) ?? 0).DefaultIfEmpty(0).Max() ?? 0;
            return (float)Math.Max(0, 2.0 - 0.5 * level);
        }

        private sealed class Provider(SimulatedDevice device, VenReportDefinition definition) : IVenReportProvider
        {
            public VenReportDefinition Definition { get; } = definition;

            public ValueTask<IReadOnlyList<VenReading>> ReadAsync(IReadOnlyList<string> rIds, DateTimeOffset start, DateTimeOffset end, TimeSpan granularity, CancellationToken cancellationToken = default)
            {
                if (Definition.ReportName == ReportName.TelemetryStatus)
                {
                    return ValueTask.FromResult<IReadOnlyList<VenReading>>([new VenReading("status", end, TimeSpan.Zero, Status: new OadrPayloadResourceStatus { Online = true, ManualOverride = false })]);
                }
                var step = granularity > TimeSpan.Zero ? granularity : end - start;
                var readings = new List<VenReading>();
                for (var t = start; t < end && readings.Count < 1000; t += step > TimeSpan.Zero ? step : TimeSpan.FromSeconds(1))
                {
                    readings.Add(new VenReading("power", t, step, Value: device.PowerAt(t)));
                }
                if (readings.Count == 0) readings.Add(new VenReading("power", end, TimeSpan.Zero, Value: device.PowerAt(end)));
                return ValueTask.FromResult<IReadOnlyList<VenReading>>(readings);
            }
        }
    }
}
