using System.CommandLine;
using System.Text;
using FlexCoop.Conformance;
using FlexCoop.Conformance.Replay;
using FlexCoop.Conformance.Replay.Mms;
using FlexCoop.Conformance.Replay.OpenAdr;
using FlexCoop.Conformance.Replay.Tls;
using FlexCoop.Conformance.Replay.Uftp;
using FlexCoop.Conformance.Reports;
using FlexCoop.OpenAdr.Validation;

namespace FlexCoop.Cli.Commands;

/// <summary><c>flexcoop replay CAPTURE</c>: a verdict for every message of captured traffic.</summary>
internal static class ReplayCommands
{
    public static Command Create()
    {
        var capture = new Argument<string>("CAPTURE")
        {
            Description = "A pcap or pcapng file (HTTP/1.1 over TCP, TLS 1.2 with --keylog, MMS on TCP 102), a message log written by " +
                          "'flexcoop vtn serve --message-log' or 'flexcoop ven run --message-log', or a folder of request/response files with an index.jsonl " +
                          "(one JSON object per exchange: seq, time, method, path, status, req_file, resp_file, optional req_content_type, resp_content_type).",
        };
        var schemas = new Option<string?>("--schemas") { Description = "Folder holding the official OpenADR 2.0b XSDs (default: $FLEXCOOP_SCHEMAS, else ../shared/schemas/openadr20b)." };
        var noXsd = new Option<bool>("--no-xsd") { Description = "Skip the schema check of each message (OpenADR and UFTP)." };
        var uftpSchemas = new Option<string?>("--uftp-schemas") { Description = "Folder holding the official UFTP 3.1 XSDs (default: $FLEXCOOP_SCHEMAS/uftp, else ../shared/schemas/uftp)." };
        var uftpKeys = new Option<string?>("--uftp-keys")
        {
            Description = "JSON file with the UFTP participants' public keys, the format of 'flexcoop uftp serve --participants': " +
                          "[{\"domain\":\"dso.example.com\",\"role\":\"DSO\",\"publicKeys\":[\"base64...\"]}]. Without it signatures are not checked.",
        };
        var keylog = new Option<string?>("--keylog")
        {
            Description = "TLS key log (NSS format, CLIENT_RANDOM lines, as written with SSLKEYLOGFILE): TLS 1.2 connections in a pcap " +
                          "are decrypted (AES-CBC with HMAC, AES-GCM suites) and their HTTP replayed. Without it TLS is reported as unreadable.",
        };
        var junit = new Option<string?>("--junit") { Description = "Also write the verdicts as JUnit XML to this file." };
        var html = new Option<string?>("--html") { Description = "Also write a self-contained HTML report with every message to this file." };
        var quiet = new Option<bool>("--quiet") { Description = "Print only failing messages and the summary." };
        var against = new Option<string?>("--against")
        {
            Description = "Also re-send the VEN side of each captured OpenADR conversation to this live VTN (http:// or https:// base URL), " +
                          "in capture order, and compare its answers with the captured ones field by field (createdDateTime ignored, " +
                          "IDs the VTN assigns mapped captured -> live by position). One 'live' verdict per exchange.",
        };
        var tlsCert = new Option<string?>("--tls-cert") { Description = "With an https:// --against: the VEN certificate (PEM) to present." };
        var tlsKey = new Option<string?>("--tls-key") { Description = "Its private key (PEM)." };
        var ca = new Option<string[]>("--ca") { Description = "With an https:// --against: CA certificate (PEM) the VTN's certificate must chain to (repeatable); default the system's roots." };
        var command = new Command("replay",
            """
            Re-validate captured traffic, a verdict for every message:
              OpenADR 2.0b: every message on its own (schema, profile rules) and each VEN's conversation across messages
                (echoed requestIDs, modificationNumbers that only grow, created events that answer distributed ones,
                report rIDs that match the requests, HTTP headers).
              USEF UFTP: envelope and sealed message, Ed25519 signature (--uftp-keys), schema, business rules at capture
                time, and the conversation (every message answered by one Response, references to messages seen earlier).
              IEC 61850 MMS (TCP 102): every TPKT/COTP/session/presentation/ACSE/MMS PDU decoded, invokeIDs answered
                exactly once, initiate first, reports only while an RCB is enabled, select -> operate -> termination.
            Prints one line per message and a summary. Exit code 0 if every message passed, 1 if any failed or
            could not be read, 2 if the capture itself cannot be read.
            """);
        command.Arguments.Add(capture);
        foreach (var o in new Option[] { schemas, noXsd, uftpSchemas, uftpKeys, keylog, junit, html, quiet, against, tlsCert, tlsKey, ca }) command.Options.Add(o);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            Capture loaded;
            IReadOnlyList<FlexCoop.Usef.Participants.UftpParticipant>? keys;
            try
            {
                var keyLog = parseResult.GetValue(keylog) is { } keyLogFile ? TlsKeyLog.Load(keyLogFile) : null;
                loaded = Capture.Load(parseResult.GetValue(capture)!, keyLog: keyLog);
                keys = parseResult.GetValue(uftpKeys) is { } keyFile ? UftpKeyFile.Load(keyFile) : null;
            }
            catch (CaptureFormatException ex)
            {
                throw new CliUsageException("cannot read the capture: " + ex.Message);
            }
            var noSchemas = parseResult.GetValue(noXsd);
            // Only what the capture holds needs its schemas: an MMS capture needs no XSD at all.
            var openAdr = loaded.Exchanges.Any(new OpenAdrReplayProtocol().Claims);
            var uftpPresent = loaded.Exchanges.Any(new UftpReplayProtocol().Claims);
            var protocols = new List<IReplayProtocol>();
            if (openAdr)
            {
                var validator = OpenAdrMessageCommands.CreateValidator(parseResult.GetValue(schemas), noSchemas, OadrValidationOptions.Default.MaxIdLength);
                protocols.Add(new OpenAdrReplayProtocol(validator.Options));
            }
            var uftp = new UftpReplayProtocol(keys, uftpPresent && !noSchemas ? UftpCommands.LoadSchemas(parseResult.GetValue(uftpSchemas)) : null);
            protocols.Add(uftp);
            protocols.Add(new MmsReplayProtocol());
            var report = ReplayEngine.Run(loaded, protocols);
            if (parseResult.GetValue(against) is { } target)
            {
                if (!Uri.TryCreate(target, UriKind.Absolute, out var vtnUrl) || vtnUrl.Scheme is not ("http" or "https"))
                {
                    throw new CliUsageException("--against must be an http:// or https:// URL, e.g. https://vtn.example:8443/");
                }
                using var http = LiveClient(parseResult.GetValue(tlsCert), parseResult.GetValue(tlsKey), parseResult.GetValue(ca) ?? []);
                var live = await OpenAdrLiveReplay.RunAsync(loaded, vtnUrl, http, cancellationToken);
                if (live.Count == 0) Console.WriteLine("note: --against: the capture holds no OpenADR request from a VEN to re-send");
                report = report with { Verdicts = report.Verdicts.Concat(live).OrderBy(v => v.Seq).ToList() };
            }
            var onlyFailures = parseResult.GetValue(quiet);
            foreach (var v in report.Verdicts)
            {
                if (onlyFailures && v.Verdict is Verdict.Pass or Verdict.NotChecked) continue;
                var head = $"#{v.Seq} {v.Direction} {v.MessageType}{(v.Party is null ? "" : " " + v.Party)}";
                var verdict = v.Verdict switch
                {
                    Verdict.Pass => "pass",
                    Verdict.Fail => "fail",
                    Verdict.Unreadable => "unreadable",
                    _ => "not checked",
                };
                if (v.Findings.Count == 0)
                {
                    Console.WriteLine($"{head}: {verdict}");
                }
                foreach (var f in v.Findings)
                {
                    Console.WriteLine($"{head}: {verdict}: {f}");
                }
            }
            if (uftpPresent && !uftp.ChecksSignatures)
            {
                Console.WriteLine("note: UFTP signatures were not checked (pass --uftp-keys FILE with the participants' public keys)");
            }
            Console.WriteLine($"{report.Verdicts.Count} messages: {report.Count(Verdict.Pass)} passed, {report.Count(Verdict.Fail)} failed, " +
                              $"{report.Count(Verdict.Unreadable)} unreadable, {report.Count(Verdict.NotChecked)} not checked");
            if (parseResult.GetValue(junit) is { } junitFile)
            {
                await using var f = File.Create(junitFile);
                JUnitReport.Write(report, f);
            }
            if (parseResult.GetValue(html) is { } htmlFile)
            {
                var bySeq = loaded.Exchanges.ToDictionary(e => e.Seq);
                await File.WriteAllTextAsync(htmlFile, HtmlReport.Render(report, v =>
                    v.Text ?? (bySeq.TryGetValue(v.Seq, out var e)
                        ? Encoding.UTF8.GetString((v.Direction == "request" ? e.RequestBody : e.ResponseBody).Span)
                        : null)), cancellationToken);
            }
            return report.AllPassed ? ExitCodes.Success : ExitCodes.Invalid;
        });
        return command;
    }

    /// <summary>The HTTP client that plays the VEN against a live VTN: its certificate, and the VTN's CA when given.</summary>
    private static HttpClient LiveClient(string? certificateFile, string? keyFile, string[] caFiles)
    {
        var handler = new System.Net.Http.SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(15) };
        var ssl = new System.Net.Security.SslClientAuthenticationOptions();
        if (certificateFile is not null)
        {
            var certificate = VtnCommands.LoadPem(certificateFile, keyFile ?? throw new CliUsageException("--tls-cert needs --tls-key"));
            ssl.ClientCertificates = [certificate];
            ssl.LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate;
        }
        if (caFiles.Length > 0)
        {
            var anchors = ConformanceOpenAdrCommands.LoadCertificates(caFiles);
            ssl.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                if (certificate is not System.Security.Cryptography.X509Certificates.X509Certificate2 leaf) return false;
                using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
                chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
                chain.ChainPolicy.CustomTrustStore.AddRange(anchors.ToArray());
                return chain.Build(leaf);
            };
        }
        handler.SslOptions = ssl;
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }
}
