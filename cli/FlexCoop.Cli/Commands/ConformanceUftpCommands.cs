using System.CommandLine;
using System.Net;
using FlexCoop.Cli.Commands;
using FlexCoop.Conformance.Certification;
using FlexCoop.Conformance.Uftp;
using FlexCoop.Usef;
using FlexCoop.Usef.Participants;
using FlexCoop.Usef.Signing;

namespace FlexCoop.Cli;

internal static partial class CommandCatalog
{
    static partial void AddUftpSuite(Command conformance)
    {
        var role = new Option<string>("--role") { Description = "Role of the participant under test: agr or dso (the suite plays the other).", Required = true };
        role.AcceptOnlyFromAmong("agr", "dso", "AGR", "DSO");
        var endpoint = new Option<string>("--endpoint") { Description = "The participant's message endpoint, e.g. https://agr.example.org/shapeshifter/api/v3/message.", Required = true };
        var domain = new Option<string>("--domain") { Description = "The participant's Internet domain.", Required = true };
        var keys = new Option<string?>("--keys")
        {
            Description = "The suite's key pair: PREFIX.key (private) as 'flexcoop uftp keygen --out PREFIX' writes it. The participant must know the public key " +
                          "for --suite-domain in the counterpart role. Default: a new key, printed so you can register it.",
        };
        var participantKey = new Option<string[]>("--participant-key") { Description = "The participant's public key (base64 or a file holding it); repeatable. Default: DNS TXT at _<role>._usef.<domain>." };
        var suiteDomain = new Option<string>("--suite-domain") { Description = "The suite's own domain (SenderDomain of what it sends).", DefaultValueFactory = _ => "suite.flexcoop.test" };
        var listen = new Option<string>("--listen") { Description = "Where the suite receives the participant's Responses (IP:PORT; the participant must send there).", DefaultValueFactory = _ => "127.0.0.1:0" };
        var cert = new Option<string?>("--cert") { Description = "TLS certificate with key (PKCS#12) for the suite's endpoint; without it the endpoint is plain HTTP." };
        var certPassword = new Option<string?>("--cert-password") { Description = "Password of the PKCS#12 file." };
        var trust = new Option<string[]>("--trust-cert") { Description = "Trust the participant's server certificate (PEM or DER) besides the system's roots; repeatable." };
        var congestionPoint = new Option<string>("--congestion-point") { Description = "A congestion point the participant knows (EntityAddress).", DefaultValueFactory = _ => "ean.871685900012345678" };
        var timeZone = new Option<string>("--time-zone") { Description = "The market's time zone.", DefaultValueFactory = _ => "Europe/Amsterdam" };
        var timeout = new Option<double>("--response-timeout") { Description = "Seconds to wait for each asynchronous Response or message.", DefaultValueFactory = _ => 10 };
        var schemas = new Option<string?>("--schemas") { Description = "Folder of the UFTP XSDs: the participant's own messages are validated against them too." };
        var cases = ConformanceSuiteRun.CasesOption("'signature.*,flex-order.valid' or the group 'transport'");
        var list = new Option<bool>("--list") { Description = "List the cases for --role and exit." };
        var junit = ConformanceSuiteRun.JUnitOption();
        var html = ConformanceSuiteRun.HtmlOption();
        var caseTimeout = ConformanceSuiteRun.TimeoutOption(300);
        var command = new Command("uftp",
            """
            Check a UFTP 3.1 participant (AGR or DSO): the suite plays the counterpart, sends every message the participant's
            role receives, valid and breaking each rule the specification lists (schema, signature, unknown sender, wrong
            recipient, duplicate MessageID, unknown references, ISP numbering, expired and revoked offers, ...), and checks
            the HTTP answers and the asynchronous Responses (Result, RejectionReason, reference, signature, sender) that
            arrive at the suite's own endpoint (--listen), and every message the participant sends.
            Prints a line per case as it ends and a final table: pass, fail (the rule and what was seen), not applicable
            (cannot apply, with the reason), inconclusive, not implemented; the reports hold every message of each case.
            Exit code 0 when every applicable case passed, 1 otherwise, 2 for usage or environment errors.
            Example:  flexcoop conformance uftp --role dso --endpoint https://dso.example.com/shapeshifter/api/v3/message
                        --domain dso.example.com --keys suite --participant-key dso.pub --listen 0.0.0.0:9443 --junit uftp.xml
            """);
        foreach (var o in new Option[] { role, endpoint, domain, keys, participantKey, suiteDomain, listen, cert, certPassword, trust, congestionPoint, timeZone, timeout, schemas, cases, list, junit, html, caseTimeout })
        {
            command.Options.Add(o);
        }
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var target = Enum.Parse<UftpRole>(parseResult.GetValue(role)!, ignoreCase: true);
            if (parseResult.GetValue(list))
            {
                var catalogue = new CatalogueOnly([.. UftpConformanceSuite.CasesFor(target).Select(c => c.ToCertificationCase())]);
                foreach (var c in CertificationRunner.Select(catalogue, parseResult.GetValue(cases)))
                {
                    Console.WriteLine($"{c.Id,-40} {c.Title}");
                }
                return ExitCodes.Success;
            }
            if (!Uri.TryCreate(parseResult.GetValue(endpoint), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            {
                throw new CliUsageException("--endpoint must be an http(s) URL");
            }
            var participantDomain = parseResult.GetValue(domain)!;
            var ownDomain = parseResult.GetValue(suiteDomain)!;
            foreach (var d in new[] { participantDomain, ownDomain })
            {
                if (!UftpSimpleTypes.IsInternetDomain(d)) throw new CliUsageException($"'{d}' is not an Internet domain (lower case, e.g. dso.example.com)");
            }
            if (!IPEndPoint.TryParse(parseResult.GetValue(listen)!, out var listenAt)) throw new CliUsageException("--listen must be IP:PORT");
            if (!EntityAddress.TryParse(parseResult.GetValue(congestionPoint), out var cp)) throw new CliUsageException("--congestion-point is not an EntityAddress");
            var seconds = parseResult.GetValue(timeout);
            if (seconds is <= 0 or > 3600) throw new CliUsageException("--response-timeout must be between 0 and 3600 seconds");
            using var key = parseResult.GetValue(keys) is { } prefix ? UftpCommands.ReadPrivateKey(prefix.EndsWith(".key", StringComparison.Ordinal) ? prefix : prefix + ".key") : UftpSigningKey.Generate();
            var participantKeys = (parseResult.GetValue(participantKey) ?? []).Select(UftpCommands.ReadPublicKey).ToList();
            using var certificate = parseResult.GetValue(cert) is { } certFile ? UftpCommands.LoadPkcs12(certFile, parseResult.GetValue(certPassword)) : null;
            var trusted = (parseResult.GetValue(trust) ?? []).Select(UftpCommands.LoadCertificate).ToList();
            var options = new UftpSuiteOptions
            {
                Role = target,
                Endpoint = url,
                Domain = participantDomain,
                SuiteDomain = ownDomain,
                SuiteKey = key,
                ParticipantKeys = participantKeys,
                Directory = participantKeys.Count == 0 ? new DnsUftpParticipantDirectory() : null,
                Listen = listenAt,
                Certificate = certificate,
                TrustedServerCertificates = trusted,
                CongestionPoint = cp!,
                TimeZone = parseResult.GetValue(timeZone)!,
                ResponseTimeout = TimeSpan.FromSeconds(seconds),
                Schemas = parseResult.GetValue(schemas) is { } schemaDir ? UftpCommands.LoadSchemas(schemaDir) : null,
            };
            Console.WriteLine($"suite: {(target == UftpRole.AGR ? UftpRole.DSO : UftpRole.AGR)} {ownDomain}, public key cs1.{key.PublicKey.ToBase64()}");
            var perCase = ConformanceSuiteRun.CaseTimeout(parseResult.GetValue(caseTimeout));
            try
            {
                await using var suite = await UftpConformanceSuite.StartAsync(options, cancellationToken: cancellationToken);
                ConformanceSuiteRun.RequireSelection(suite, parseResult.GetValue(cases));
                foreach (var note in suite.Notes) Console.WriteLine("  " + note);
                return await ConformanceSuiteRun.RunAsync(suite, new CertificationRunOptions { Pattern = parseResult.GetValue(cases), CaseTimeout = perCase },
                    parseResult.GetValue(junit), parseResult.GetValue(html), cancellationToken);
            }
            catch (CertificationSetupException ex)
            {
                throw new CliUsageException(ex.Message);
            }
            finally
            {
                foreach (var c in trusted) c.Dispose();
            }
        });
        conformance.Subcommands.Add(command);
    }

    /// <summary>A catalogue to select from, without a harness (for <c>--list</c>).</summary>
    private sealed class CatalogueOnly(IReadOnlyList<CertificationCase> cases) : ICertificationSuite
    {
        public string Name => "catalogue";

        public IReadOnlyList<CertificationCase> Cases => cases;

        public IReadOnlyList<string> Notes => [];

        public bool HasScript(CertificationCase @case) => true;

        public Task RunCaseAsync(CertificationCase @case, CaseRecorder recorder, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("a catalogue is only listed");
    }
}
