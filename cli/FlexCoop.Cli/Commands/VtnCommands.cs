using System.CommandLine;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Serialization;
using FlexCoop.OpenAdr.Vtn;
using FlexCoop.OpenAdr.Vtn.Api;
using FlexCoop.OpenAdr.Vtn.Storage;
using Microsoft.Extensions.Logging;

namespace FlexCoop.Cli.Commands;

/// <summary><c>flexcoop vtn ...</c>: run a VTN and operate it through its REST API.</summary>
internal static class VtnCommands
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    public static Command Create()
    {
        var command = new Command("vtn", "Run and operate an OpenADR 2.0b VTN (serve, vens, events, reports).");
        command.Subcommands.Add(Serve());
        command.Subcommands.Add(Vens());
        command.Subcommands.Add(EventsCommand());
        command.Subcommands.Add(Reports());
        command.Subcommands.Add(ConformanceOpenAdrVtnCommands.Action());
        return command;
    }

    private static Option<string> ApiOption() => new("--api")
    {
        Description = "The VTN's operator API (printed by 'vtn serve').",
        DefaultValueFactory = _ => "http://127.0.0.1:8081",
    };

    // ---- serve ----

    private static Command Serve()
    {
        var urls = new Option<string[]>("--urls") { Description = "Where VENs connect: https://IP:PORT (repeatable; port 0 picks one).", DefaultValueFactory = _ => ["https://0.0.0.0:8443"] };
        var db = new Option<string>("--db") { Description = "SQLite state file (WAL).", DefaultValueFactory = _ => "vtn.db" };
        var postgres = new Option<string?>("--postgres") { Description = "PostgreSQL connection string instead of --db." };
        var certs = new Option<string[]>("--tls-cert") { Description = "Server certificate PEM (repeatable: an RSA and an ECC one); its key in --tls-key in the same order." };
        var keys = new Option<string[]>("--tls-key") { Description = "Private key PEM of each --tls-cert." };
        var ca = new Option<string[]>("--ca") { Description = "CA certificate PEM that VEN certificates must chain to (repeatable)." };
        var insecure = new Option<bool>("--insecure-http") { Description = "Serve plain HTTP without client authentication (development only)." };
        var api = new Option<string>("--api-url") { Description = "Operator REST API listener (loopback http).", DefaultValueFactory = _ => "http://127.0.0.1:8081" };
        var vtnId = new Option<string>("--vtn-id") { Description = "The vtnID.", DefaultValueFactory = _ => "flexcoop-vtn" };
        var programs = new Option<string[]>("--program") { Description = "Market context URI of a program (repeatable; the first is the default)." };
        var poll = new Option<string>("--poll-frequency") { Description = "oadrRequestedOadrPollFreq as ISO 8601.", DefaultValueFactory = _ => "PT10S" };
        var schemas = new Option<string?>("--schemas") { Description = "Also validate every received message against the OpenADR XSDs in this directory." };
        var messageLog = new Option<string?>("--message-log") { Description = "Append every exchange with VENs to this JSON-lines file ('flexcoop replay FILE' reads it)." };
        var command = new Command("serve", """
            Run a VTN until interrupted. VENs connect with mutual TLS (TLS 1.2, the rule 67 suites);
            operators use the REST API on --api-url (OpenAPI at /api/openapi.json).
            Example with a dev PKI from 'flexcoop certs create':
              flexcoop vtn serve --tls-cert pki/vtn-rsa.crt --tls-key pki/vtn-rsa.key --tls-cert pki/vtn-ecc.crt --tls-key pki/vtn-ecc.key --ca pki/ca.crt
            """);
        foreach (var o in new Option[] { urls, db, postgres, certs, keys, ca, insecure, api, vtnId, programs, poll, schemas, messageLog }) command.Options.Add(o);
        var security = SecurityOption("VTN signs every payload it sends with its first --tls-cert and refuses (463) every VEN payload not signed by that VEN's certificate");
        command.Options.Add(security);
        var postgresSchema = new Option<string>("--postgres-schema") { Description = "With --postgres: the schema holding the VTN's tables (several VTNs can share a database).", DefaultValueFactory = _ => "flexcoop_vtn" };
        command.Options.Add(postgresSchema);
        var xmpp = new XmppCliOptions("VTN", "vtn@example.org/vtn", "its first --tls-cert");
        xmpp.AddTo(command);
        var faults = new Option<string[]>("--fault") { Description = "Run with a deliberate protocol fault, to prove the VTN certification suite catches it (repeatable; never in production): " + string.Join(", ", VtnFaults.Names) + "." };
        command.Options.Add(faults);
        command.SetAction(async (parse, ct) =>
        {
            var insecureHttp = parse.GetValue(insecure);
            var certFiles = parse.GetValue(certs) ?? [];
            var keyFiles = parse.GetValue(keys) ?? [];
            if (!insecureHttp && certFiles.Length == 0) throw new CliUsageException("give --tls-cert/--tls-key/--ca, or --insecure-http for development");
            if (certFiles.Length != keyFiles.Length) throw new CliUsageException("give one --tls-key per --tls-cert");
            var listen = parse.GetValue(urls)!;
            if (insecureHttp) listen = listen.Select(u => u.Replace("https://", "http://", StringComparison.Ordinal)).ToArray();
            var programList = parse.GetValue(programs) is { Length: > 0 } p ? p.Select(m => new VtnProgram(m)).ToList() : [new VtnProgram("http://flexcoop.example/programs/default")];
            var options = new VtnOptions
            {
                VtnId = parse.GetValue(vtnId)!,
                Urls = listen,
                OperatorUrls = [parse.GetValue(api)!],
                InsecureHttp = insecureHttp,
                ServerCertificates = certFiles.Zip(keyFiles, LoadPem).ToList(),
                ClientCertificateAuthorities = ConformanceOpenAdrCommands.LoadCertificates(parse.GetValue(ca) ?? []),
                Programs = programList,
                RequestedPollFrequency = Duration(parse.GetValue(poll)!, "--poll-frequency"),
                SchemaDirectory = parse.GetValue(schemas),
                MessageLogPath = parse.GetValue(messageLog),
            };
            options = options with { Security = SecurityLevel(parse.GetValue(security)!), Xmpp = xmpp.Build(parse, options.ServerCertificates.FirstOrDefault()) };
            foreach (var fault in parse.GetValue(faults) ?? [])
            {
                try
                {
                    options = options with { Faults = options.Faults | VtnFaults.Parse(fault) };
                }
                catch (VtnConfigurationException ex)
                {
                    throw new CliUsageException("--fault: " + ex.Message);
                }
            }
            await using IVtnStore store = parse.GetValue(postgres) is { } cs ? OpenPostgres(cs, parse.GetValue(postgresSchema)!) : new SqliteVtnStore(parse.GetValue(db)!);
            using var logs = LoggerFactory.Create(b => b.AddSimpleConsole(c => c.SingleLine = true).SetMinimumLevel(LogLevel.Information));
            try
            {
                await using var server = await VtnServer.StartAsync(options, store, null, logs, ct);
                foreach (var url in server.Urls) Console.WriteLine($"listening on {url}");
                foreach (var url in server.OperatorUrls) Console.WriteLine($"operator API on {url}");
                if (server.Vtn.XmppJid is { } jid) Console.WriteLine($"XMPP transport as {jid} (VENs use --vtn xmpp:{jid})");
                await Console.Out.FlushAsync(ct);
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                catch (OperationCanceledException)
                {
                }
            }
            catch (VtnException ex)
            {
                throw new CliUsageException(ex.Message);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static PostgresVtnStore OpenPostgres(string connectionString, string schema)
    {
        try
        {
            return new PostgresVtnStore(connectionString, schema);
        }
        catch (ArgumentException ex)
        {
            throw new CliUsageException($"--postgres-schema: {ex.Message}");
        }
        catch (VtnException ex)
        {
            throw new CliUsageException($"--postgres: {ex.Message}");
        }
    }

    /// <summary><c>--security standard|high</c>, shared by <c>vtn serve</c> and <c>ven run</c>.</summary>
    internal static Option<string> SecurityOption(string high)
    {
        var option = new Option<string>("--security")
        {
            Description = $"standard (TLS with client certificates) or high (also XML signatures: the {high}; both sides must use the same level).",
            DefaultValueFactory = _ => "standard",
        };
        option.AcceptOnlyFromAmong("standard", "high");
        return option;
    }

    internal static FlexCoop.OpenAdr.Security.OadrSecurityLevel SecurityLevel(string value) =>
        value == "high" ? FlexCoop.OpenAdr.Security.OadrSecurityLevel.High : FlexCoop.OpenAdr.Security.OadrSecurityLevel.Standard;

    internal static X509Certificate2 LoadPem(string certificate, string key)
    {
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certificate, key);
            // Through PKCS#12 so TLS can use the key on every platform.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new CliUsageException($"cannot load {certificate} with {key}: {ex.Message}");
        }
    }

    internal static TimeSpan Duration(string text, string what)
    {
        if (!FlexCoop.OpenAdr.Model.IsoDuration.TryParse(text, out var d) || !d.TryGetTimeSpan(out var span) || span < TimeSpan.Zero)
        {
            throw new CliUsageException($"{what}: '{text}' is not an ISO 8601 duration such as PT10S");
        }
        return span;
    }

    // ---- operator commands ----

    private static async Task<JsonElement> CallAsync(string api, HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = new Uri(api), Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (HttpRequestException ex)
        {
            throw new CliUsageException($"cannot reach the VTN's operator API at {api}: {ex.Message}");
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            var json = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
            if (!response.IsSuccessStatusCode)
            {
                var error = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("error", out var e) ? e.GetString() : text;
                throw new CliUsageException($"the VTN refused ({(int)response.StatusCode}): {error}");
            }
            return json;
        }
    }

    private static Command Vens()
    {
        var api = ApiOption();
        var command = new Command("vens", "List the VENs the VTN knows (registered or not).") { Options = { api } };
        command.SetAction(async (parse, ct) =>
        {
            var vens = await CallAsync(parse.GetValue(api)!, HttpMethod.Get, "/api/vens", null, ct);
            Console.WriteLine($"{"venID",-32} {"name",-20} {"registration",-26} {"model",-5} transport");
            foreach (var v in vens.EnumerateArray())
            {
                Console.WriteLine($"{v.GetProperty("venId").GetString(),-32} {Str(v, "venName"),-20} {Str(v, "registrationId") ?? "(not registered)",-26} {(v.GetProperty("httpPullModel").GetBoolean() ? "pull" : "push"),-5} {Str(v, "transportAddress")}");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

    private static Command EventsCommand()
    {
        var command = new Command("events", "Create, modify, cancel and list events.");
        var api = ApiOption();
        var list = new Command("list", "List events with their status now.") { Options = { api } };
        list.SetAction(async (parse, ct) =>
        {
            var events = await CallAsync(parse.GetValue(api)!, HttpMethod.Get, "/api/events", null, ct);
            Console.WriteLine($"{"eventID",-26} {"mod",3} {"status",-9} {"dtstart",-20} {"duration",-9} signals");
            foreach (var view in events.EnumerateArray())
            {
                var e = view.GetProperty("event");
                var signals = string.Join(", ", e.GetProperty("signals").EnumerateArray().Select(s => s.GetProperty("signalName").GetString()));
                Console.WriteLine($"{e.GetProperty("eventId").GetString(),-26} {e.GetProperty("modificationNumber").GetInt64(),3} {view.GetProperty("status").GetString(),-9} {e.GetProperty("dtStart").GetDateTimeOffset().UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} {e.GetProperty("duration").GetString(),-9} {signals}");
            }
            return ExitCodes.Success;
        });
        command.Subcommands.Add(list);
        command.Subcommands.Add(EventWrite("create", "Create an event and distribute it (modificationNumber 0)."));
        command.Subcommands.Add(EventWrite("modify", "Replace an event's content (modificationNumber + 1)."));
        var cancelApi = ApiOption();
        var id = new Argument<string>("EVENT-ID") { Description = "The event to cancel." };
        var cancel = new Command("cancel", "Cancel an event (modificationNumber + 1, status cancelled).") { Options = { cancelApi }, Arguments = { id } };
        cancel.SetAction(async (parse, ct) =>
        {
            var view = await CallAsync(parse.GetValue(cancelApi)!, HttpMethod.Post, $"/api/events/{Uri.EscapeDataString(parse.GetValue(id)!)}/cancel", null, ct);
            Console.WriteLine($"cancelled {view.GetProperty("event").GetProperty("eventId").GetString()} (modificationNumber {view.GetProperty("event").GetProperty("modificationNumber").GetInt64()})");
            return ExitCodes.Success;
        });
        command.Subcommands.Add(cancel);
        return command;
    }

    private static Command EventWrite(string name, string description)
    {
        var api = ApiOption();
        var signal = new Option<string>("--signal") { Description = "SIMPLE, ELECTRICITY_PRICE, LOAD_DISPATCH, LOAD_CONTROL or another signalName.", DefaultValueFactory = _ => "SIMPLE" };
        var type = new Option<string?>("--signal-type") { Description = "level, price, setpoint, delta, x-loadControlLevelOffset, ... (defaults from the signal)." };
        var intervals = new Option<string[]>("--interval") { Description = "DURATION=VALUE, e.g. PT30M=1 (repeatable, in order).", Required = true };
        var start = new Option<string>("--start") { Description = "dtstart: ISO 8601 UTC time, or +DURATION from now (e.g. +PT5M).", DefaultValueFactory = _ => "+PT1M" };
        var startAfter = new Option<string?>("--start-after") { Description = "Start randomisation window (tolerance startafter), e.g. PT5M." };
        var priority = new Option<uint?>("--priority") { Description = "0 is highest; the program's by default." };
        var market = new Option<string?>("--market-context") { Description = "The program; the VTN's first by default." };
        var venTargets = new Option<string[]>("--target-ven") { Description = "Send only to these venIDs (repeatable)." };
        var resourceTargets = new Option<string[]>("--target-resource") { Description = "Target resourceIDs (repeatable; the VEN matches them)." };
        var groupTargets = new Option<string[]>("--target-group") { Description = "Target groupIDs (repeatable)." };
        var currency = new Option<string?>("--currency") { Description = "ISO 4217 code for a price signal (default EUR)." };
        var noResponse = new Option<bool>("--no-response") { Description = "oadrResponseRequired never." };
        var test = new Option<bool>("--test-event") { Description = "Mark as a test event." };
        var command = new Command(name, description);
        foreach (var o in new Option[] { api, signal, type, intervals, start, startAfter, priority, market, venTargets, resourceTargets, groupTargets, currency, noResponse, test }) command.Options.Add(o);
        var id = new Argument<string>("EVENT-ID") { Description = "The event to modify." };
        if (name == "modify") command.Arguments.Add(id);
        command.SetAction(async (parse, ct) =>
        {
            var spec = new EventSpec
            {
                MarketContext = parse.GetValue(market),
                Priority = parse.GetValue(priority),
                DtStart = Start(parse.GetValue(start)!),
                StartAfter = parse.GetValue(startAfter),
                ResponseRequired = !parse.GetValue(noResponse),
                TestEvent = parse.GetValue(test) ? "true" : null,
                Targets = new VtnTargets
                {
                    VenIds = parse.GetValue(venTargets) ?? [],
                    ResourceIds = parse.GetValue(resourceTargets) ?? [],
                    GroupIds = parse.GetValue(groupTargets) ?? [],
                },
                Signals =
                [
                    new SignalSpec
                    {
                        SignalName = parse.GetValue(signal)!,
                        SignalType = parse.GetValue(type),
                        Currency = parse.GetValue(currency),
                        Intervals = (parse.GetValue(intervals) ?? []).Select(Interval).ToList(),
                    },
                ],
            };
            var view = name == "create"
                ? await CallAsync(parse.GetValue(api)!, HttpMethod.Post, "/api/events", spec, ct)
                : await CallAsync(parse.GetValue(api)!, HttpMethod.Put, $"/api/events/{Uri.EscapeDataString(parse.GetValue(id)!)}", spec, ct);
            var e = view.GetProperty("event");
            Console.WriteLine($"{(name == "create" ? "created" : "modified")} {e.GetProperty("eventId").GetString()} (modificationNumber {e.GetProperty("modificationNumber").GetInt64()}, {view.GetProperty("status").GetString()})");
            return ExitCodes.Success;
        });
        return command;
    }

    private static DateTimeOffset Start(string text)
    {
        if (text.StartsWith('+')) return DateTimeOffset.UtcNow + Duration(text[1..], "--start");
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)) return at;
        throw new CliUsageException($"--start: '{text}' is neither an ISO 8601 time nor +DURATION");
    }

    private static IntervalSpec Interval(string text)
    {
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || !double.TryParse(text[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw new CliUsageException($"--interval: '{text}' is not DURATION=VALUE such as PT30M=1");
        }
        Duration(text[..eq], "--interval");
        return new IntervalSpec(text[..eq], value);
    }

    private static Command Reports()
    {
        var command = new Command("reports", "Ask VENs for reports and show what they sent.");
        var api = ApiOption();
        var ven = new Option<string>("--ven") { Description = "The venID.", Required = true };
        var report = new Option<string>("--report") { Description = "The VEN's reportSpecifierID (see 'reports show --metadata'), or METADATA.", Required = true };
        var rids = new Option<string[]>("--rid") { Description = "Data points (repeatable; all by default)." };
        var granularity = new Option<string?>("--granularity") { Description = "Sampling period, e.g. PT1M; absent for one reading." };
        var back = new Option<string?>("--report-back") { Description = "Reporting period, e.g. PT5M; absent for a one-shot report." };
        var start = new Option<string?>("--start") { Description = "When reporting starts (ISO 8601 or +DURATION); now by default. For HISTORY_USAGE: the start of the past window." };
        var duration = new Option<string?>("--duration") { Description = "How long reporting lasts (or the history window)." };
        var request = new Command("request", "Ask a VEN for a report: one-shot, periodic or delayed start.");
        foreach (var o in new Option[] { api, ven, report, rids, granularity, back, start, duration }) request.Options.Add(o);
        request.SetAction(async (parse, ct) =>
        {
            var spec = new ReportRequestSpec
            {
                VenId = parse.GetValue(ven)!,
                ReportSpecifierId = parse.GetValue(report)!,
                RIds = parse.GetValue(rids) is { Length: > 0 } r ? r : null,
                Granularity = parse.GetValue(granularity),
                ReportBackDuration = parse.GetValue(back),
                Start = parse.GetValue(start) is { } s ? Start(s) : null,
                Duration = parse.GetValue(duration),
            };
            var made = await CallAsync(parse.GetValue(api)!, HttpMethod.Post, "/api/reports/requests", spec, ct);
            Console.WriteLine($"requested {made.GetProperty("reportRequestId").GetString()}");
            return ExitCodes.Success;
        });
        command.Subcommands.Add(request);

        var showApi = ApiOption();
        var showVen = new Option<string>("--ven") { Description = "The venID.", Required = true };
        var showRequest = new Option<string?>("--request") { Description = "Only the readings of this reportRequestID." };
        var metadata = new Option<bool>("--metadata") { Description = "Show the reports the VEN registered instead of readings." };
        var limit = new Option<int>("--limit") { Description = "Newest readings to show.", DefaultValueFactory = _ => 50 };
        var show = new Command("show", "Show a VEN's registered reports, requests and newest readings.");
        foreach (var o in new Option[] { showApi, showVen, showRequest, metadata, limit }) show.Options.Add(o);
        show.SetAction(async (parse, ct) =>
        {
            var venId = Uri.EscapeDataString(parse.GetValue(showVen)!);
            if (parse.GetValue(metadata))
            {
                var reports = await CallAsync(parse.GetValue(showApi)!, HttpMethod.Get, $"/api/reports?ven={venId}", null, ct);
                foreach (var r in reports.EnumerateArray())
                {
                    var points = string.Join(", ", r.GetProperty("descriptions").EnumerateArray().Select(d => d.GetProperty("rId").GetString()));
                    Console.WriteLine($"{r.GetProperty("reportSpecifierId").GetString()} {r.GetProperty("reportName").GetString()}: {points}");
                }
                return ExitCodes.Success;
            }
            var query = $"/api/reports/readings?ven={venId}&limit={parse.GetValue(limit)}" + (parse.GetValue(showRequest) is { } rq ? $"&request={Uri.EscapeDataString(rq)}" : "");
            var readings = await CallAsync(parse.GetValue(showApi)!, HttpMethod.Get, query, null, ct);
            foreach (var x in readings.EnumerateArray())
            {
                var value = x.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble().ToString(CultureInfo.InvariantCulture) : Str(x, "payloadText");
                Console.WriteLine($"{x.GetProperty("dtStart").GetDateTimeOffset().UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} {Str(x, "reportRequestId"),-24} {Str(x, "rId"),-10} {value}");
            }
            return ExitCodes.Success;
        });
        command.Subcommands.Add(show);
        return command;
    }
}

/// <summary>
/// The XMPP transport options shared by <c>vtn serve</c> and <c>ven run</c> (issue 6):
/// <c>--xmpp-server HOST[:PORT] --xmpp-jid JID [--xmpp-password P] [--xmpp-ca CA.pem]</c>.
/// Without a password the session authenticates with SASL EXTERNAL on the side's certificate.
/// </summary>
internal sealed class XmppCliOptions
{
    public XmppCliOptions(string side, string exampleJid, string certificate)
    {
        Server = new Option<string?>("--xmpp-server") { Description = $"Also use the OpenADR 2.0b XMPP transport through this XMPP server: HOST or HOST:PORT (5222 by default)." };
        Jid = new Option<string?>("--xmpp-jid") { Description = $"The {side}'s full JID on that server, e.g. {exampleJid}." };
        Password = new Option<string?>("--xmpp-password") { Description = $"Log in with this password (SCRAM-SHA-1); without it, SASL EXTERNAL on {certificate}." };
        Ca = new Option<string[]>("--xmpp-ca") { Description = "CA certificate PEM the XMPP server's certificate chains to (repeatable; the system store otherwise)." };
    }

    public Option<string?> Server { get; }

    public Option<string?> Jid { get; }

    public Option<string?> Password { get; }

    public Option<string[]> Ca { get; }

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Server, Jid, Password, Ca }) command.Options.Add(o);
    }

    /// <summary>The session options, or null when <c>--xmpp-server</c> is not given.</summary>
    public FlexCoop.Xmpp.XmppClientOptions? Build(ParseResult parse, X509Certificate2? certificate)
    {
        if (parse.GetValue(Server) is not { } server) return null;
        var jidText = parse.GetValue(Jid) ?? throw new CliUsageException("--xmpp-server needs --xmpp-jid");
        if (!FlexCoop.Xmpp.Jid.TryParse(jidText, out var jid) || jid.IsBare) throw new CliUsageException($"--xmpp-jid: '{jidText}' is not a full JID such as user@example.org/resource");
        var host = server;
        var port = 5222;
        var colon = server.LastIndexOf(':');
        if (colon > 0 && !server.EndsWith(']'))
        {
            if (!int.TryParse(server[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                throw new CliUsageException($"--xmpp-server: '{server}' is not HOST or HOST:PORT");
            }
            host = server[..colon];
        }
        var password = parse.GetValue(Password);
        if (password is null && certificate is null) throw new CliUsageException("the XMPP session needs --xmpp-password or a certificate for SASL EXTERNAL");
        var anchors = parse.GetValue(Ca) ?? [];
        return new FlexCoop.Xmpp.XmppClientOptions
        {
            Jid = jid,
            Host = host.Trim('[', ']'),
            Port = port,
            Password = password,
            ClientCertificate = password is null ? certificate : null,
            TrustedCertificates = anchors.Length == 0 ? null : [.. ConformanceOpenAdrCommands.LoadCertificates(anchors)],
        };
    }
}
