using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using FlexCoop.Conformance.Certification;
using FlexCoop.Conformance.Certification.OpenAdr;
using FlexCoop.Conformance.Reports;
using Spectre.Console;

namespace FlexCoop.Cli
{
    internal static partial class CommandCatalog
    {
        static partial void AddOpenAdrSuites(Command conformance) => conformance.Subcommands.Add(Commands.ConformanceOpenAdrCommands.Ven());
    }
}

namespace FlexCoop.Cli.Commands
{
    /// <summary><c>flexcoop conformance ven</c>: the OpenADR 2.0b certification suite for a VEN (the suite plays the VTN).</summary>
    internal static class ConformanceOpenAdrCommands
    {
        public static Command Ven()
        {
            var listen = new Option<string>("--listen") { Description = "Where the harness VTN listens: https://IP:PORT (with --tls-cert/--tls-key/--ca), or http://IP:PORT for development. Port 0 picks a free one.", Required = true };
            var venPushUrl = new Option<string?>("--ven-push-url") { Description = "Push: where the VEN listens, when its registration gives no oadrTransportAddress." };
            var security = new Option<string>("--security") { Description = "standard (TLS 1.2 with client certificates) or high: the harness signs every payload with --tls-cert and checks every VEN payload is signed with the VEN's certificate (valid, chaining to --ca, fresh ReplayProtect nonce); G1_4011 also sends a replayed, a wrongly signed and an unsigned payload the VEN must refuse. Needs TLS; claim 'xml-signature' in the PICS.", DefaultValueFactory = _ => "standard" };
            var vtnId = new Option<string?>("--vtn-id") { Description = "The harness's vtnID (default FLEXCOOP_TH_VTN)." };
            var secondVtn = new Option<string?>("--second-vtn-listen") { Description = "Push runs: where the second harness VTN listens for the cases with two VTNs (A_E0_0185, A_E0_0295; PICS 'multiple-vtns'), on operator action 'register-second-vtn'. Default: the --listen host, any free port." };
            var shared = new ConformanceOpenAdrHarnessOptions(
                exchange: "pull (the VEN polls; every VEN supports it) or push (the harness posts to the VEN; PICS must claim 'push').",
                casesExamples: "'E1_*,N1_0010' or 'A_E1_02??*'",
                pics: "PICS file (JSON or INI) naming the optional features the VEN claims; optional cases it does not claim are not applicable. Keys: " + string.Join(", ", VenCatalogue.All.Select(c => c.OptionalFeature).OfType<string>().Distinct()) + ".",
                tlsCert: "The harness VTN's certificate (PEM).",
                ca: "CA certificate (PEM) the VEN's client certificate must chain to (repeatable).",
                html: "Write a self-contained HTML report (timeline of every case, failing elements marked) to this file.",
                actionHook: "Run 'CMD ACTION CASE-ID' for operator actions (restart, cancel-registration, opt-out-event, ...) and wait for it to exit 0, instead of prompting in the terminal. Our own VEN: --action-hook \"flexcoop ven control --url URL\".",
                timeScale: "Factor on every period and timeout (poll PT10S, created-event 95 s, async response 200 s, event and report periods); 0.1 runs ten times faster.",
                marketContexts: "The two market contexts the VEN is configured for (give twice; defaults http://flexcoop.test/mc/1 and /mc/2).",
                marketContextsMeaning: "the two market contexts the VEN is configured for",
                noXsd: "Check messages without the official schema (codec structure and profile rules only).",
                list: "List the catalogue (ID, group, optional feature, scripted or not) and exit.");
            var command = new Command("ven", """
                Certify an OpenADR 2.0b VEN: the suite plays the VTN (the harness), runs the Alliance's VEN-under-test cases
                (N registration, E/A_E event, R report, P opt, G general) and checks every message the VEN sends
                (schema, profile rules, venID and requestIDs, HTTP headers, createdDateTime, TLS suite and certificate).
                Point the VEN at the URL printed as 'harness VTN listening on URL'. Cases that need a person at the device
                prompt in the terminal, or run --action-hook.
                Verdicts: pass, fail (with the rule and the bytes), not applicable (PICS), inconclusive, not implemented.
                Exit code 0 only if every applicable case passed, 1 otherwise, 2 for usage or environment errors.
                Example (our own VEN, automated):
                  flexcoop ven run --vtn http://127.0.0.1:8080 --insecure-http --ven-name dut --control-url http://127.0.0.1:9090 \
                    --market-context http://flexcoop.test/mc/1 --market-context http://flexcoop.test/mc/2
                  flexcoop conformance ven --listen http://127.0.0.1:8080 --no-xsd --time-scale 0.1 \
                    --action-hook "flexcoop ven control --url http://127.0.0.1:9090" --junit ven.xml --html ven.html
                """);
            ConformanceOpenAdrHarnessOptions.AddTo(command, listen, shared.Exchange, venPushUrl, shared.Cases, shared.Pics, security, shared.TlsCert, shared.TlsKey, shared.Ca,
                shared.JUnit, shared.Html, shared.ActionHook, shared.TimeScale, vtnId, shared.MarketContexts, shared.Schemas, shared.NoXsd, shared.List, secondVtn);
            command.SetAction(async (parse, ct) =>
            {
                var mode = shared.GetExchange(parse);
                if (shared.TryList(parse, VenCatalogue.All, mode, OpenAdrVenSuite.IsScripted)) return ExitCodes.Success;
                var level = parse.GetValue(security) switch
                {
                    "standard" => FlexCoop.OpenAdr.Security.OadrSecurityLevel.Standard,
                    "high" => FlexCoop.OpenAdr.Security.OadrSecurityLevel.High,
                    var other => throw new CliUsageException($"--security must be standard or high, not '{other}'"),
                };
                if (!Uri.TryCreate(parse.GetValue(listen), UriKind.Absolute, out var listenUrl)) throw new CliUsageException("--listen must be a URL such as https://0.0.0.0:8443");
                var options = shared.Apply(parse, new HarnessOptions
                {
                    Listen = listenUrl,
                    VenPushUrl = parse.GetValue(venPushUrl) is { } pushUrl ? new Uri(pushUrl) : null,
                    Security = level,
                    SecondVtnListen = parse.GetValue(secondVtn) is { } second
                        ? Uri.TryCreate(second, UriKind.Absolute, out var secondUrl) ? secondUrl : throw new CliUsageException("--second-vtn-listen must be a URL such as https://0.0.0.0:8444")
                        : null,
                });
                if (parse.GetValue(vtnId) is { } id) options = options with { VtnId = id };
                return await shared.RunAsync(parse, options, token => OpenAdrVenSuite.StartAsync(options, token), suite => $"harness VTN listening on {suite.Url}",
                    TimeSpan.FromMinutes(30), ct);
            });
            return command;
        }

        /// <summary>Every certificate in the given PEM files (a bundle holds several).</summary>
        internal static List<X509Certificate2> LoadCertificates(IEnumerable<string> files)
        {
            var all = new List<X509Certificate2>();
            foreach (var file in files)
            {
                var collection = new X509Certificate2Collection();
                try
                {
                    collection.ImportFromPemFile(file);
                }
                catch (System.Security.Cryptography.CryptographicException ex)
                {
                    throw new CliUsageException($"cannot read the certificates in {file}: {ex.Message}");
                }
                if (collection.Count == 0) throw new CliUsageException($"{file} holds no PEM certificate");
                all.AddRange(collection);
            }
            return all;
        }
    }
}
