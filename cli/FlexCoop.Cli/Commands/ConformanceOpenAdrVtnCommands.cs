using System.Collections;
using System.CommandLine;
using FlexCoop.Conformance.Certification;
using FlexCoop.Conformance.Certification.OpenAdr;
using FlexCoop.Conformance.Reports;
using FlexCoop.OpenAdr.Schema;
using Spectre.Console;

namespace FlexCoop.Cli
{
    internal static partial class CommandCatalog
    {
        static partial void AddOpenAdrVtnSuite(Command conformance) => conformance.Subcommands.Add(Commands.ConformanceOpenAdrVtnCommands.Vtn());
    }
}

namespace FlexCoop.Cli.Commands
{
    /// <summary>
    /// <c>flexcoop conformance vtn</c>: the OpenADR 2.0b certification suite for a VTN (the suite plays the VEN), and
    /// <c>flexcoop vtn conformance-action</c>: the action hook that lets it drive our own VTN unattended.
    /// </summary>
    internal static class ConformanceOpenAdrVtnCommands
    {
        public static Command Vtn()
        {
            var vtn = new Option<string>("--vtn") { Description = "The VTN under test: https://HOST:PORT (with --tls-cert/--tls-key/--ca), or http://HOST:PORT for development. The services are under /OpenADR2/Simple/2.0b/ of it.", Required = true };
            var exchange = new Option<string>("--exchange") { Description = "pull (the harness polls) or push (the harness VEN registers its own listener as oadrTransportAddress and the VTN posts to it; see --push-listen).", DefaultValueFactory = _ => "pull" };
            var pushListen = new Option<string?>("--push-listen") { Description = "Push: where the harness VEN listens, e.g. https://127.0.0.1:9443 (same scheme as --vtn; over https it serves --tls-cert and requires the VTN's client certificate). Default: loopback on a port the OS assigns. The VTN must be able to reach it." };
            var cases = new Option<string?>("--cases") { Description = "Run only these cases: comma-separated globs on case IDs, e.g. 'A_E3_*,N1_0010' or 'R1_30??*'." };
            var pics = new Option<string?>("--pics") { Description = "PICS file (JSON or INI) naming the optional features the VTN claims; optional cases it does not claim are not applicable. Keys: " + string.Join(", ", VtnCatalogue.All.Select(c => c.OptionalFeature).OfType<string>().Append(VtnCatalogue.EventBaseline).Distinct()) + "; preconfigured-venid takes the venID as its value." };
            var tlsCert = new Option<string?>("--tls-cert") { Description = "The harness VEN's client certificate (PEM)." };
            var tlsKey = new Option<string?>("--tls-key") { Description = "Its private key (PEM)." };
            var ca = new Option<string[]>("--ca") { Description = "CA certificate (PEM) the VTN's server certificate must chain to (repeatable)." };
            var junit = new Option<string?>("--junit") { Description = "Write the verdicts as JUnit XML to this file." };
            var html = new Option<string?>("--html") { Description = "Write a self-contained HTML report (every message of every case, failing elements marked) to this file." };
            var hook = new Option<string?>("--action-hook") { Description = "Run 'CMD ACTION CASE-ID' for operator actions (" + string.Join(", ", VtnActions.Names) + "), with their parameters in FLEXCOOP_ACTION_* environment variables, and wait for it to exit 0, instead of prompting in the terminal. Our own VTN: --action-hook \"flexcoop vtn conformance-action --api http://127.0.0.1:8081\"." };
            var timeScale = new Option<double>("--time-scale") { Description = "Factor on every period and timeout (event start times and durations asked of the operator, report periods, the 200 s the VTN has to deliver); 0.1 runs ten times faster.", DefaultValueFactory = _ => 1.0 };
            var venName = new Option<string?>("--ven-name") { Description = "The oadrVenName the harness registers with (default FLEXCOOP_TH_VEN)." };
            var marketContexts = new Option<string[]>("--market-context") { Description = "The VTN's two market contexts (programs); give twice (defaults http://flexcoop.test/mc/1 and /mc/2)." };
            var schemas = new Option<string?>("--schemas") { Description = "Folder holding the official OpenADR 2.0b XSDs (default: $FLEXCOOP_SCHEMAS, else ../shared/schemas/openadr20b)." };
            var noXsd = new Option<bool>("--no-xsd") { Description = "Check answers without the official schema (codec structure and profile rules only)." };
            var list = new Option<bool>("--list") { Description = "List the catalogue (ID, group, scripted or not, optional feature) and exit." };
            var security = new Option<string>("--security") { Description = "standard (TLS 1.2 with client certificates) or high: the harness VEN also signs every payload with --tls-cert and checks every payload of the VTN carries a valid XML signature chaining to --ca, with a fresh ReplayProtect nonce (G1_4011, G0_9020; claim 'xml-signature' in the PICS). Needs an https:// --vtn.", DefaultValueFactory = _ => "standard" };
            var command = new Command("vtn", """
                Certify an OpenADR 2.0b VTN: the suite plays a VEN (the harness), registers with the VTN, polls it, answers
                its events and report requests, sends opts and reports, and runs the Alliance's VTN-under-test cases
                (N registration, A_E3/E event, R report, P opt, G general). Every answer of the VTN is checked: HTTP status and
                rule 53 headers, schema and profile rules, requestID echoes, venID and vtnID, the distribute rules (5, 14, 15,
                22, 41), TLS version, cipher suite and certificate. Operator actions at the VTN (create, modify and cancel
                events, request and cancel reports, cancel a registration) prompt in the terminal, or run --action-hook.
                Verdicts: pass, fail (with the rule and the bytes), not applicable (PICS), inconclusive, not implemented.
                Exit code 0 only if every applicable case passed, 1 otherwise, 2 for usage or environment errors.
                Push (--exchange push): the harness VEN registers with oadrHttpPullModel false and its own listener as
                oadrTransportAddress; each push case runs the script of the pull case of its shape, with what the VTN pushes
                checked like polled messages (plus rule 53 headers and TLS of the VTN's push connections).
                Example (our own VTN, automated; the VTN runs the two market contexts the suite uses):
                  flexcoop vtn serve --insecure-http --urls http://127.0.0.1:8080 --api-url http://127.0.0.1:8081 \
                    --program http://flexcoop.test/mc/1 --program http://flexcoop.test/mc/2
                  flexcoop conformance vtn --vtn http://127.0.0.1:8080 --no-xsd --time-scale 0.1 \
                    --action-hook "flexcoop vtn conformance-action --api http://127.0.0.1:8081" --junit vtn.xml --html vtn.html
                """);
            foreach (var o in new Option[] { vtn, exchange, pushListen, cases, pics, tlsCert, tlsKey, ca, junit, html, hook, timeScale, venName, marketContexts, schemas, noXsd, list, security })
            {
                command.Options.Add(o);
            }
            command.SetAction(async (parse, ct) =>
            {
                var mode = parse.GetValue(exchange) switch
                {
                    "pull" => Exchange.Pull,
                    "push" => Exchange.Push,
                    var other => throw new CliUsageException($"--exchange must be pull or push, not '{other}'"),
                };
                if (parse.GetValue(list))
                {
                    var scripted = OpenAdrVtnSuite.ScriptedPullCases.ToHashSet(StringComparer.Ordinal);
                    // A push case runs the script of the pull case of its shape.
                    foreach (var c in VtnCatalogue.All.Where(c => c.Exchange == mode))
                    {
                        var has = scripted.Contains(VtnCatalogue.PullShapeOf(c));
                        Console.WriteLine($"{c.Id,-22} {c.Group,-13} {(has ? "scripted" : "not implemented"),-16} {c.OptionalFeature ?? "-",-24} {c.Title}");
                    }
                    return ExitCodes.Success;
                }
                if (!Uri.TryCreate(parse.GetValue(vtn), UriKind.Absolute, out var vtnUrl)) throw new CliUsageException("--vtn must be a URL such as https://vtn.example:8443");
                System.Security.Cryptography.X509Certificates.X509Certificate2? certificate = null;
                if (parse.GetValue(tlsCert) is { } certPath)
                {
                    certificate = VtnCommands.LoadPem(certPath, parse.GetValue(tlsKey) ?? throw new CliUsageException("--tls-cert needs --tls-key"));
                }
                string? schemaDirectory = null;
                if (!parse.GetValue(noXsd))
                {
                    schemaDirectory = OadrSchemaLocator.Find(parse.GetValue(schemas))
                        ?? throw new CliUsageException("the official OpenADR 2.0b schemas were not found: pass --schemas DIR, set " + OadrSchemaLocator.EnvironmentVariable + ", or use --no-xsd");
                }
                var contexts = parse.GetValue(marketContexts) ?? [];
                if (contexts.Length is not (0 or 2)) throw new CliUsageException("give --market-context twice (the VTN's two market contexts), or not at all");
                var options = new HarnessVenOptions
                {
                    Vtn = vtnUrl,
                    Exchange = mode,
                    Certificate = certificate,
                    CertificateAuthorities = ConformanceOpenAdrCommands.LoadCertificates(parse.GetValue(ca) ?? []),
                    TimeScale = parse.GetValue(timeScale),
                    SchemaDirectory = schemaDirectory,
                };
                options = options with
                {
                    Security = parse.GetValue(security) switch
                    {
                        "standard" => FlexCoop.OpenAdr.Security.OadrSecurityLevel.Standard,
                        "high" => FlexCoop.OpenAdr.Security.OadrSecurityLevel.High,
                        var other => throw new CliUsageException($"--security must be standard or high, not '{other}'"),
                    },
                };
                if (parse.GetValue(venName) is { } name) options = options with { VenName = name };
                if (parse.GetValue(pushListen) is { } listenText)
                {
                    if (!Uri.TryCreate(listenText, UriKind.Absolute, out var listenUrl)) throw new CliUsageException("--push-listen must be a URL such as https://127.0.0.1:9443");
                    options = options with { PushListen = listenUrl };
                }
                if (contexts.Length == 2) options = options with { MarketContext1 = contexts[0], MarketContext2 = contexts[1] };
                try
                {
                    var claims = parse.GetValue(pics) is { } picsFile ? Pics.Load(picsFile) : Pics.None;
                    await using var suite = await OpenAdrVtnSuite.StartAsync(options, ct);
                    if (CertificationRunner.Select(suite, parse.GetValue(cases)).Count == 0) throw new CliUsageException($"no case ID matches '{parse.GetValue(cases)}'");
                    Console.WriteLine($"harness VEN certifying the VTN at {options.Vtn}");
                    foreach (var note in suite.Notes) Console.WriteLine("  " + note);
                    await Console.Out.FlushAsync(ct);
                    var actions = ConformanceSuiteRun.Operator(parse.GetValue(hook), options.Scaled(options.AsyncResponseTimeout) + TimeSpan.FromMinutes(1));
                    return await ConformanceSuiteRun.RunAsync(suite, new CertificationRunOptions
                    {
                        Pattern = parse.GetValue(cases),
                        Pics = claims,
                        Operator = actions,
                        CaseTimeout = options.Scaled(TimeSpan.FromMinutes(20)) + TimeSpan.FromMinutes(2),
                    }, parse.GetValue(junit), parse.GetValue(html), ct);
                }
                catch (CertificationSetupException ex)
                {
                    throw new CliUsageException(ex.Message);
                }
            });
            return command;
        }

        /// <summary><c>flexcoop vtn conformance-action ACTION CASE-ID --api URL</c>: one operator action of the VTN suite, on our VTN.</summary>
        public static Command Action()
        {
            var api = new Option<string>("--api") { Description = "The VTN's operator API (printed by 'vtn serve').", DefaultValueFactory = _ => "http://127.0.0.1:8081" };
            var action = new Argument<string>("ACTION") { Description = "The action: " + string.Join(", ", VtnActions.Names) + "." };
            var caseId = new Argument<string>("CASE-ID") { Description = "The case asking for it (for messages)." };
            var command = new Command("conformance-action", $"""
                Perform one operator action of 'flexcoop conformance vtn' on this VTN through its operator API: the suite's
                --action-hook for our own VTN. The action's parameters come from the environment variables the suite sets
                ({OperatorAction.EnvironmentVariable("ven-id")}, {OperatorAction.EnvironmentVariable("event-id")}, ...). Exit code 0 when done, 1 when the VTN refused
                (e.g. an event breaking rule 18), 2 for usage errors.
                """) { Options = { api }, Arguments = { action, caseId } };
            command.SetAction(async (parse, ct) =>
            {
                if (!Uri.TryCreate(parse.GetValue(api), UriKind.Absolute, out var apiUrl)) throw new CliUsageException("--api must be a URL such as http://127.0.0.1:8081");
                var name = parse.GetValue(action)!;
                if (!VtnActions.Names.Contains(name)) throw new CliUsageException($"unknown action '{name}'; known: {string.Join(", ", VtnActions.Names)}");
                var prefix = OperatorAction.EnvironmentVariable("");
                var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (DictionaryEntry e in Environment.GetEnvironmentVariables())
                {
                    if (e.Key is string key && key.StartsWith(prefix, StringComparison.Ordinal) && e.Value is string value)
                    {
                        parameters[key[prefix.Length..].ToLowerInvariant().Replace('_', '-')] = value;
                    }
                }
                using var vtnOperator = new VtnApiOperator(apiUrl);
                try
                {
                    await vtnOperator.PerformAsync(new OperatorAction(name, name) { Parameters = parameters }, parse.GetValue(caseId)!, ct);
                }
                catch (OperatorActionException ex)
                {
                    await Console.Error.WriteLineAsync(ex.Message);
                    return ExitCodes.Invalid;
                }
                Console.WriteLine($"{name} done");
                return ExitCodes.Success;
            });
            return command;
        }
    }
}
