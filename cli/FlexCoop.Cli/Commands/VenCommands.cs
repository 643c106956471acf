using System.CommandLine;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Ven;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FlexCoop.Cli.Commands;

/// <summary><c>flexcoop ven ...</c></summary>
internal static class VenCommands
{
    public static Command Create()
    {
        var command = new Command("ven", "Run an OpenADR 2.0b VEN that simulates a simple device.");
        command.Subcommands.Add(Run());
        command.Subcommands.Add(Control());
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
        var ca = new Option<string[]>("--ca") { Description = "CA certificate PEM (or bundle) the VTN's certificate chains to (repeatable)." };
        var insecure = new Option<bool>("--insecure-http") { Description = "Talk plain HTTP to an --insecure-http VTN (development only)." };
        var state = new Option<string>("--state") { Description = "SQLite file keeping registration and events across restarts.", DefaultValueFactory = _ => "ven.db" };
        var poll = new Option<string?>("--poll-frequency") { Description = "Poll at this ISO 8601 period instead of the VTN's." };
        var messageLog = new Option<string?>("--message-log") { Description = "Append every exchange with the VTN to this JSON-lines file ('flexcoop replay FILE' reads it)." };
        var marketContexts = new Option<string[]>("--market-context") { Description = "A market context (program URI) the VEN takes part in (repeatable; default: any). Events in other ones are refused (rule 48)." };
        var faults = new Option<string[]>("--fault")
        {
            Description = "Misbehave on purpose, to prove a certification suite catches it (repeatable): " + string.Join(", ", VenFaults.Names) + ".",
        };
        var control = new Option<string?>("--control-url")
        {
            Description = "Serve the device's operator panel on this loopback URL (http://127.0.0.1:PORT, port 0 for any): POST /actions/NAME performs an action " +
                          "(" + string.Join(", ", VenOperatorPanel.Actions) + ") and answers when it is done. 'flexcoop ven control' calls it; use that as a conformance --action-hook.",
        };
        var command = new Command("run", """
            Run a VEN until interrupted. It registers, announces a TELEMETRY_USAGE report (power, kW)
            and a TELEMETRY_STATUS report, opts in to every event, answers report requests with a
            simulated load (2 kW, lowered by the SIMPLE level of the active event), and logs what it receives.
            Example: flexcoop ven run --vtn https://127.0.0.1:8443 --ven-name boiler-1 --cert pki/ven.crt --key pki/ven.key --ca pki/ca.crt
            With --control-url, a certification suite can restart it, cancel its registration or opt out through
            'flexcoop ven control --url URL ACTION'; with --fault it breaks one rule on purpose.
            """);
        foreach (var o in new Option[] { vtn, name, venId, push, cert, key, ca, insecure, state, poll, messageLog, marketContexts, faults, control }) command.Options.Add(o);
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
                VtnCertificateAuthorities = ConformanceOpenAdrCommands.LoadCertificates(parse.GetValue(ca) ?? []),
                InsecureHttp = insecureHttp,
                PushListenUrl = parse.GetValue(push),
                StatePath = parse.GetValue(state),
                PollFrequency = parse.GetValue(poll) is { } p ? VtnCommands.Duration(p, "--poll-frequency") : null,
                ReportProviders = [device.Usage, device.Status],
                MessageLogPath = parse.GetValue(messageLog),
                MarketContexts = parse.GetValue(marketContexts) ?? [],
                Faults = (parse.GetValue(faults) ?? []).Aggregate(VenFault.None, (all, f) => all | VenFaults.Parse(f)),
            };
            options = options with { Security = VtnCommands.SecurityLevel(parse.GetValue(security)!), Xmpp = xmpp.Build(parse, certificate) };
            if (options.Xmpp is not null && options.VtnJid is null) throw new CliUsageException("with --xmpp-server, --vtn is the VTN's full JID as xmpp:vtn@example.org/vtn (printed by 'vtn serve')");
            var controlUrl = parse.GetValue(control) is { } cu ? ControlEndpoint.ParseLoopback(cu) : null;
            using var logs = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
            try
            {
                await using var panel = await VenOperatorPanel.StartAsync(options, null, logs, ven =>
                {
                    device.Ven = ven;
                    Console.WriteLine($"registered as {ven.VenId} ({ven.RegistrationId}) with {ven.VtnId}; {(ven.PushUrl is { } u ? $"push listener on {u}" : $"polling every {ven.PollInterval}")}");
                    ven.EventChanged += (_, e) => Console.WriteLine($"event {e.Event.EventId} #{e.Event.ModificationNumber} {e.Change.ToString().ToLowerInvariant()}: {e.Event.Status.ToString().ToLowerInvariant()}, start {e.Event.EffectiveStart.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}{(e.Reason is null ? "" : ", " + e.Reason)}");
                    ven.MessageReceived += (_, e) => Console.WriteLine($"received {e.Message.ElementName}{(e.Pushed ? " (push)" : "")}");
                    ven.ReportSent += (_, e) => Console.WriteLine($"report {e.ReportRequestId} ({e.ReportSpecifierId}) sent with {e.Readings} readings");
                }, ct);
                if (options.Faults != VenFault.None) Console.WriteLine($"faults on: {options.Faults}");
                await using var endpoint = controlUrl is null ? null : await ControlEndpoint.StartAsync(controlUrl, panel, ct);
                if (endpoint is not null) Console.WriteLine($"control endpoint on {endpoint.Url}");
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

    private static Command Control()
    {
        var url = new Option<string>("--url") { Description = "The control URL 'ven run --control-url' printed.", Required = true };
        var action = new Argument<string>("ACTION") { Description = "What to do: " + string.Join(", ", VenOperatorPanel.Actions) + "." };
        var caseId = new Argument<string?>("CASE") { Description = "The certification case asking (logged only).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("control", """
            Perform an operator action on a running 'flexcoop ven run --control-url URL' and wait until it is done.
            Made to be a certification suite's action hook, which appends the action and the case ID:
              flexcoop conformance ven --listen http://127.0.0.1:8080 --action-hook "flexcoop ven control --url http://127.0.0.1:9090"
            Exit code 0 when done, 1 when the VEN could not do it, 2 when the VEN cannot be reached.
            """);
        command.Options.Add(url);
        command.Arguments.Add(action);
        command.Arguments.Add(caseId);
        command.SetAction(async (parse, ct) =>
        {
            if (!Uri.TryCreate(parse.GetValue(url), UriKind.Absolute, out var baseUrl)) throw new CliUsageException("--url must be a URL");
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
            HttpResponseMessage response;
            try
            {
                response = await http.PostAsync(new Uri(baseUrl, "/actions/" + Uri.EscapeDataString(parse.GetValue(action)!) + (parse.GetValue(caseId) is { } c ? "?case=" + Uri.EscapeDataString(c) : "")), null, ct);
            }
            catch (HttpRequestException ex)
            {
                throw new CliUsageException($"cannot reach the VEN's control endpoint {baseUrl}: {ex.Message}");
            }
            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(ct);
                if (response.IsSuccessStatusCode)
                {
                    Console.WriteLine(text);
                    return ExitCodes.Success;
                }
                await Console.Error.WriteLineAsync($"flexcoop: {text}");
                return ExitCodes.Invalid;
            }
        });
        return command;
    }

    /// <summary>The operator panel on loopback HTTP: POST /actions/NAME.</summary>
    private sealed class ControlEndpoint : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private ControlEndpoint(WebApplication app, Uri url)
        {
            _app = app;
            Url = url;
        }

        public Uri Url { get; }

        public static Uri ParseLoopback(string text)
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != "http" || !IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) || !IPAddress.IsLoopback(ip))
            {
                throw new CliUsageException("--control-url must be http://127.0.0.1:PORT (loopback only: it can restart the VEN)");
            }
            return uri;
        }

        public static async Task<ControlEndpoint> StartAsync(Uri url, VenOperatorPanel panel, CancellationToken ct)
        {
            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "flexcoop-ven-control" });
            builder.Services.AddSingleton<ILoggerFactory>(Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
            builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
            builder.Services.AddRoutingCore();
            builder.WebHost.UseKestrelCore();
            ListenOptions? bound = null;
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Parse(url.Host.Trim('[', ']')), url.Port, l => bound = l));
            var app = builder.Build();
            app.MapPost("/actions/{name}", async (HttpContext http, string name) =>
            {
                var caseId = http.Request.Query["case"].ToString();
                Console.WriteLine($"operator action {name}{(caseId.Length > 0 ? " for " + caseId : "")}");
                try
                {
                    await panel.PerformAsync(name, http.RequestAborted);
                    return Results.Text($"done: {name}");
                }
                catch (VenException ex)
                {
                    return Results.Text($"{name} failed: {ex.Message}", statusCode: 409);
                }
            });
            await app.StartAsync(ct);
            return new ControlEndpoint(app, new Uri($"http://{bound!.IPEndPoint}/"));
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }
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
