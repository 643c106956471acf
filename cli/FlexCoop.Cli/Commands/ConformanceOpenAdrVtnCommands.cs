using System.Collections;
using System.CommandLine;
using FlexCoop.Conformance.Certification;
using FlexCoop.Conformance.Certification.OpenAdr;
using FlexCoop.Conformance.Reports;
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
            var pushListen = new Option<string?>("--push-listen") { Description = "Push: where the harness VEN listens, e.g. https://127.0.0.1:9443 (same scheme as --vtn; over https it serves --tls-cert and requires the VTN's client certificate). Default: loopback on a port the OS assigns. The VTN must be able to reach it." };
            var venName = new Option<string?>("--ven-name") { Description = "The oadrVenName the harness registers with (default FLEXCOOP_TH_VEN)." };
            var shared = new ConformanceOpenAdrHarnessOptions(
                exchange: "pull (the harness polls) or push (the harness VEN registers its own listener as oadrTransportAddress and the VTN posts to it; see --push-listen).",
                casesExamples: "'A_E3_*,N1_0010' or 'R1_30??*'",
                pics: "PICS file (JSON or INI) naming the optional features the VTN claims; optional cases it does not claim are not applicable. Keys: " + string.Join(", ", VtnCatalogue.All.Select(c => c.OptionalFeature).OfType<string>().Append(VtnCatalogue.EventBaseline).Distinct()) + "; preconfigured-venid takes the venID as its value.",
                tlsCert: "The harness VEN's client certificate (PEM).",
                ca: "CA certificate (PEM) the VTN's server certificate must chain to (repeatable).",
                html: "Write a self-contained HTML report (every message of every case, failing elements marked) to this file.",
                actionHook: "Run 'CMD ACTION CASE-ID' for operator actions (" + string.Join(", ", VtnActions.Names) + "), with their parameters in FLEXCOOP_ACTION_* environment variables, and wait for it to exit 0, instead of prompting in the terminal. Our own VTN: --action-hook \"flexcoop vtn conformance-action --api http://127.0.0.1:8081\".",
                timeScale: "Factor on every period and timeout (event start times and durations asked of the operator, report periods, the 200 s the VTN has to deliver); 0.1 runs ten times faster.",
                marketContexts: "The VTN's two market contexts (programs); give twice (defaults http://flexcoop.test/mc/1 and /mc/2).",
                marketContextsMeaning: "the VTN's two market contexts",
                noXsd: "Check answers without the official schema (codec structure and profile rules only).",
                list: "List the catalogue (ID, group, scripted or not, optional feature) and exit.");
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
            ConformanceOpenAdrHarnessOptions.AddTo(command, vtn, shared.Exchange, pushListen, shared.Cases, shared.Pics, shared.TlsCert, shared.TlsKey, shared.Ca,
                shared.JUnit, shared.Html, shared.ActionHook, shared.TimeScale, venName, shared.MarketContexts, shared.Schemas, shared.NoXsd, shared.List);
            command.Options.Add(security);
            command.SetAction(async (parse, ct) =>
            {
                var mode = shared.GetExchange(parse);
                // A push case runs the script of the pull case of its shape.
                var scripted = OpenAdrVtnSuite.ScriptedPullCases.ToHashSet(StringComparer.Ordinal);
                if (shared.TryList(parse, VtnCatalogue.All, mode, c => scripted.Contains(VtnCatalogue.PullShapeOf(c)))) return ExitCodes.Success;
                if (!Uri.TryCreate(parse.GetValue(vtn), UriKind.Absolute, out var vtnUrl)) throw new CliUsageException("--vtn must be a URL such as https://vtn.example:8443");
                var options = shared.Apply(parse, new HarnessVenOptions { Vtn = vtnUrl });
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
                return await shared.RunAsync(parse, options, token => OpenAdrVtnSuite.StartAsync(options, token), _ => $"harness VEN certifying the VTN at {options.Vtn}",
                    TimeSpan.FromMinutes(20), ct);
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
