using System.CommandLine;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Serialization;
using FlexCoop.Usef;
using FlexCoop.Usef.Participants;
using FlexCoop.Usef.Roles;
using FlexCoop.Usef.Signing;
using FlexCoop.Usef.Storage;
using FlexCoop.Usef.Transport;
using FlexCoop.Usef.Validation;
using FlexCoop.Usef.Xml;

namespace FlexCoop.Cli.Commands;

/// <summary><c>flexcoop uftp ...</c>: USEF UFTP 3.1 message tools and a participant.</summary>
internal static class UftpCommands
{
    /// <summary>Environment variable naming a folder that holds <c>uftp/</c> with the official XSDs.</summary>
    public const string SchemasEnvironmentVariable = "FLEXCOOP_SCHEMAS";

    public static Command Create()
    {
        var command = new Command("uftp",
            """
            USEF UFTP 3.1 (Shapeshifter) messages between aggregators (AGR), DSOs and the CRO:
            keygen, sign, verify, validate, send, serve.
            Keys are libsodium Ed25519 keys in base64 (private: 64-byte secret key or 32-byte seed; public: 32 bytes).
            """);
        command.Subcommands.Add(CreateKeygen());
        command.Subcommands.Add(CreateSign());
        command.Subcommands.Add(CreateVerify());
        command.Subcommands.Add(CreateValidate());
        command.Subcommands.Add(CreateSend());
        command.Subcommands.Add(CreateServe());
        return command;
    }

    // ---- keygen ----

    private static Command CreateKeygen()
    {
        var output = new Option<string?>("--out") { Description = "Write PREFIX.key (private, base64) and PREFIX.pub (public, base64) instead of printing both." };
        var force = new Option<bool>("--force") { Description = "Overwrite existing key files." };
        var command = new Command("keygen", "Make an Ed25519 key pair for signing UFTP messages (publish the public key as DNS TXT 'cs1.<key>' at _<role>._usef.<domain>).");
        command.Options.Add(output);
        command.Options.Add(force);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var key = UftpSigningKey.Generate();
            var secret = Convert.ToBase64String(key.ExportLibsodiumSecretKey());
            var prefix = parseResult.GetValue(output);
            if (prefix is null)
            {
                Console.WriteLine($"private: {secret}");
                Console.WriteLine($"public: {key.PublicKey.ToBase64()}");
                return ExitCodes.Success;
            }
            var (keyFile, pubFile) = (prefix + ".key", prefix + ".pub");
            if (!parseResult.GetValue(force) && (File.Exists(keyFile) || File.Exists(pubFile)))
            {
                throw new CliUsageException($"{keyFile} or {pubFile} exists; use --force to overwrite");
            }
            await File.WriteAllTextAsync(keyFile, secret + "\n", cancellationToken);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            await File.WriteAllTextAsync(pubFile, key.PublicKey.ToBase64() + "\n", cancellationToken);
            Console.WriteLine($"wrote {keyFile} and {pubFile}");
            Console.WriteLine($"public: {key.PublicKey.ToBase64()}");
            return ExitCodes.Success;
        });
        return command;
    }

    // ---- sign ----

    private static Command CreateSign()
    {
        var keyOption = new Option<string>("--key") { Description = "File holding the base64 private key (from 'flexcoop uftp keygen').", Required = true };
        var roleOption = new Option<UftpRole?>("--role") { Description = "SenderRole for the envelope (AGR, CRO, DSO). Default: the role that sends the message's type." };
        var output = new Option<string?>("--out") { Description = "Write the SignedMessage here instead of standard output." };
        var file = new Argument<string>("FILE") { Description = "The UFTP payload message to seal; its exact bytes are signed." };
        var command = new Command("sign", "Seal a UFTP message in a SignedMessage envelope (libsodium crypto_sign: signature || message, base64 in Body).");
        command.Options.Add(keyOption);
        command.Options.Add(roleOption);
        command.Options.Add(output);
        command.Arguments.Add(file);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var key = ReadPrivateKey(parseResult.GetValue(keyOption)!);
            var path = parseResult.GetValue(file)!;
            var bytes = await ReadBoundedAsync(path, cancellationToken);
            PayloadMessage message;
            try
            {
                message = UftpXml.Parse(bytes);
            }
            catch (UftpFormatException ex)
            {
                Console.WriteLine($"{path}: invalid: {UftpViolation.Of(ex)}");
                return ExitCodes.Invalid;
            }
            var role = parseResult.GetValue(roleOption) ?? DefaultRole(message);
            var envelope = UftpXml.Serialize(UftpSigner.Seal(bytes, message.SenderDomain, role, key));
            if (parseResult.GetValue(output) is { } outFile)
            {
                await File.WriteAllBytesAsync(outFile, envelope, cancellationToken);
            }
            else
            {
                await using var stdout = Console.OpenStandardOutput();
                await stdout.WriteAsync(envelope, cancellationToken);
                await stdout.WriteAsync("\n"u8.ToArray(), cancellationToken);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static UftpRole DefaultRole(PayloadMessage message)
    {
        var roles = UftpMessageTypes.Get(message.MessageType).SenderRoles;
        return roles.Count == 1 ? roles[0] : throw new CliUsageException($"{UftpMessageTypes.Get(message.MessageType).ElementName} can be sent by several roles: pass --role");
    }

    // ---- verify ----

    private static Command CreateVerify()
    {
        var keyOption = new Option<string>("--public-key") { Description = "The sender's public key: a file holding it in base64, or the base64 text itself.", Required = true };
        var payloadOut = new Option<string?>("--payload-out") { Description = "Write the verified inner message (exact bytes) to this file." };
        var file = new Argument<string>("FILE") { Description = "A SignedMessage envelope." };
        var command = new Command("verify",
            """
            Verify a SignedMessage: the Ed25519 signature with the given key, then that the sealed message is a valid
            UFTP message whose SenderDomain is the envelope's and whose type the envelope's SenderRole may send.
            Prints 'FILE: ok: <type> <MessageID> from <role> <domain>' (exit 0) or 'FILE: invalid: <rule>: <message>' (exit 1).
            """);
        command.Options.Add(keyOption);
        command.Options.Add(payloadOut);
        command.Arguments.Add(file);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var key = ReadPublicKey(parseResult.GetValue(keyOption)!);
            var path = parseResult.GetValue(file)!;
            var bytes = await ReadBoundedAsync(path, cancellationToken);
            try
            {
                var opened = UftpSigner.Open(UftpXml.ParseSignedMessage(bytes), [key]);
                if (parseResult.GetValue(payloadOut) is { } outFile) await File.WriteAllBytesAsync(outFile, opened.PayloadXml.ToArray(), cancellationToken);
                Console.WriteLine($"{path}: ok: {UftpMessageTypes.Get(opened.Message.MessageType).ElementName} {opened.Message.MessageId} from {opened.Envelope.SenderRole} {opened.Envelope.SenderDomain}");
                return ExitCodes.Success;
            }
            catch (UftpFormatException ex)
            {
                Console.WriteLine($"{path}: invalid: {UftpViolation.Of(ex)}");
            }
            catch (UftpSignatureException ex)
            {
                Console.WriteLine($"{path}: invalid: signature: {ex.Failure}: {ex.Message}");
            }
            return ExitCodes.Invalid;
        });
        return command;
    }

    // ---- validate ----

    private static Command CreateValidate()
    {
        var schemas = new Option<string?>("--schemas")
        {
            Description = "Folder holding the official UFTP 3.1 XSDs (UFTP-common.xsd, UFTP-agr-dso.xsd, ...). " +
                          $"Default: ${SchemasEnvironmentVariable}/uftp, else ../shared/schemas/uftp beside the working directory.",
        };
        var noXsd = new Option<bool>("--no-xsd") { Description = "Skip the schema check (when the official XSDs are not at hand)." };
        var files = new Argument<string[]>("FILE")
        {
            Description = "UFTP messages (payloads, or SignedMessage envelopes whose sealed message is checked too, without the signature). " +
                          "Files are read in order as one exchange: a reference to a message given earlier is checked.",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("validate",
            """
            Check UFTP 3.1 messages against the official schemas and the specification's business rules (ISP numbering
            for the day's real length in its time zone, time zone, ISP duration, powers, prices, settlement sums, ...).
            Prints 'FILE: ok', or one line per violation 'FILE: invalid: <rule>: <message>' where <rule> is 'xsd' for
            schema violations, 'xml'/'dtd'/'limits' for unreadable input and the rule's name otherwise.
            Exit code 0 only if every file is valid; 1 if any is invalid; 2 if a file or the schemas cannot be read.
            """);
        command.Options.Add(schemas);
        command.Options.Add(noXsd);
        command.Arguments.Add(files);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var schemaSet = parseResult.GetValue(noXsd) ? null : LoadSchemas(parseResult.GetValue(schemas));
            return await ValidateFilesAsync(schemaSet, parseResult.GetValue(files) ?? [], cancellationToken);
        });
        return command;
    }

    /// <summary>Finds and loads the schema folder: --schemas, $FLEXCOOP_SCHEMAS/uftp, ../shared/schemas/uftp.</summary>
    internal static UftpSchemaSet LoadSchemas(string? option)
    {
        var candidates = new List<string>();
        if (option is not null) candidates.Add(option);
        else
        {
            if (Environment.GetEnvironmentVariable(SchemasEnvironmentVariable) is { Length: > 0 } env) candidates.Add(Path.Combine(env, "uftp"));
            candidates.Add(Path.Combine("..", "shared", "schemas", "uftp"));
        }
        var found = candidates.FirstOrDefault(c => File.Exists(Path.Combine(c, "UFTP-common.xsd")))
            ?? throw new CliUsageException(
                $"the official UFTP 3.1 schemas were not found (looked in {string.Join(", ", candidates.Select(Path.GetFullPath))}): " +
                $"pass --schemas DIR (the folder holding UFTP-common.xsd), set {SchemasEnvironmentVariable} to a folder holding uftp/, or use --no-xsd");
        try
        {
            return UftpSchemaSet.Load(found);
        }
        catch (Exception ex) when (ex is System.Xml.Schema.XmlSchemaException or IOException)
        {
            throw new CliUsageException($"the UFTP schemas in {found} cannot be loaded: {ex.Message}");
        }
    }

    /// <summary>Rules that need state a file alone cannot show.</summary>
    private static readonly HashSet<UftpRule> ContextRules = [UftpRule.ReferencedMessageUnknown, UftpRule.UnknownCongestionPoint, UftpRule.PeriodInPast];

    private static async Task<int> ValidateFilesAsync(UftpSchemaSet? schemas, string[] files, CancellationToken cancellationToken)
    {
        var exit = ExitCodes.Success;
        var context = new InMemoryUftpValidationContext();
        var validator = new UftpBusinessValidator(
            new UftpValidationOptions { AgreedIspDuration = null, AgreedTimeZone = null, RequireKnownCongestionPoints = false, RejectPastPeriods = false },
            context);
        foreach (var file in files)
        {
            byte[] bytes;
            try
            {
                bytes = await ReadBoundedAsync(file, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CliUsageException)
            {
                await Console.Error.WriteLineAsync($"{file}: error: cannot read: {ex.Message}");
                exit = ExitCodes.UsageOrEnvironment;
                continue;
            }
            var violations = new List<UftpViolation>();
            if (schemas is not null) violations.AddRange(schemas.Validate(bytes).Violations);
            UftpRole? senderRole = null;
            ReadOnlyMemory<byte> payloadBytes = bytes;
            try
            {
                var document = UftpXml.ParseDocument(bytes);
                if (document.Signed is { } envelope)
                {
                    senderRole = envelope.SenderRole;
                    payloadBytes = envelope.Body.Length >= UftpSigner.SignatureLength ? envelope.Body[UftpSigner.SignatureLength..] : ReadOnlyMemory<byte>.Empty;
                    if (schemas is not null) violations.AddRange(schemas.Validate(payloadBytes).Violations.Select(v => v with { Path = "/SignedMessage/@Body" + v.Path }));
                }
                var message = document.Payload ?? UftpXml.Parse(payloadBytes);
                var business = await validator.ValidateAsync(message, senderRole, cancellationToken);
                violations.AddRange(business.Violations.Where(v => v.BusinessRule is not { } r || !ContextRules.Contains(r)));
                if (violations.Count == 0 && document.Signed is { } env && !string.Equals(env.SenderDomain, message.SenderDomain, StringComparison.Ordinal))
                {
                    violations.Add(new UftpViolation("signature", "/SignedMessage/@SenderDomain", $"the envelope says {env.SenderDomain}, the sealed message {message.SenderDomain}"));
                }
                context.Add(message);
            }
            catch (UftpFormatException ex)
            {
                // The schema check already explains a schema-level failure or a refused DTD; the codec's reason is added if it is different.
                var v = UftpViolation.Of(ex);
                if (!violations.Any(x => x.Rule == v.Rule && (v.Rule is "xsd" or "dtd" || x.Message == v.Message))) violations.Add(v);
            }
            if (violations.Count == 0)
            {
                Console.WriteLine($"{file}: ok");
                continue;
            }
            foreach (var v in violations) Console.WriteLine($"{file}: invalid: {v}");
            if (exit == ExitCodes.Success) exit = ExitCodes.Invalid;
        }
        return exit;
    }

    // ---- send ----

    private static Command CreateSend()
    {
        var to = new Option<string>("--to") { Description = "The recipient's endpoint, e.g. https://dso.example.com/shapeshifter/api/v3/message.", Required = true };
        var keyOption = new Option<string?>("--key") { Description = "Private key file: seal FILE first (needed unless FILE is already a SignedMessage)." };
        var roleOption = new Option<UftpRole?>("--role") { Description = "SenderRole when sealing (default: the role that sends the message's type)." };
        var trust = new Option<string[]>("--trust-cert") { Description = "Trust this server certificate (PEM or DER file) in addition to the system's roots; repeatable.", AllowMultipleArgumentsPerToken = false };
        var file = new Argument<string>("FILE") { Description = "A UFTP payload message (sealed with --key) or a SignedMessage envelope (sent as is)." };
        var command = new Command("send",
            """
            POST one UFTP message to a participant (text/xml). Prints 'HTTP <status>' and the reason the peer gave.
            Exit code 0 when the peer accepted it for processing (2xx), 1 when it refused (4xx/5xx), 2 when it could not be reached.
            """);
        command.Options.Add(to);
        command.Options.Add(keyOption);
        command.Options.Add(roleOption);
        command.Options.Add(trust);
        command.Arguments.Add(file);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var path = parseResult.GetValue(file)!;
            var bytes = await ReadBoundedAsync(path, cancellationToken);
            UftpDocument document;
            try
            {
                document = UftpXml.ParseDocument(bytes);
            }
            catch (UftpFormatException ex)
            {
                Console.WriteLine($"{path}: invalid: {UftpViolation.Of(ex)}");
                return ExitCodes.Invalid;
            }
            if (document.Payload is { } payload)
            {
                var keyFile = parseResult.GetValue(keyOption) ?? throw new CliUsageException("FILE is not a SignedMessage: pass --key to seal it");
                using var key = ReadPrivateKey(keyFile);
                bytes = UftpXml.Serialize(UftpSigner.Seal(bytes, payload.SenderDomain, parseResult.GetValue(roleOption) ?? DefaultRole(payload), key));
            }
            var certificates = (parseResult.GetValue(trust) ?? []).Select(LoadCertificate).ToList();
            using var sender = new UftpHttpSender(new UftpSenderOptions { TrustedServerCertificates = certificates });
            if (!Uri.TryCreate(parseResult.GetValue(to), UriKind.Absolute, out var endpointUri) || (endpointUri.Scheme != Uri.UriSchemeHttps && endpointUri.Scheme != Uri.UriSchemeHttp))
            {
                throw new CliUsageException("--to must be an http(s) URL");
            }
            var result = await sender.PostAsync(endpointUri, bytes, cancellationToken);
            foreach (var c in certificates) c.Dispose();
            Console.WriteLine(result.StatusCode == 0 ? $"not delivered: {result.Detail}" : $"HTTP {result.StatusCode}{(string.IsNullOrEmpty(result.Detail) ? "" : ": " + result.Detail)}");
            return result.Status switch
            {
                UftpDeliveryStatus.Delivered => ExitCodes.Success,
                _ when result.StatusCode == 0 => ExitCodes.UsageOrEnvironment,
                _ => ExitCodes.Invalid,
            };
        });
        return command;
    }

    // ---- serve ----

    private static Command CreateServe()
    {
        var role = new Option<string>("--role") { Description = "agr, dso or cro.", Required = true };
        role.AcceptOnlyFromAmong("agr", "dso", "cro", "AGR", "DSO", "CRO");
        var domain = new Option<string>("--domain") { Description = "This participant's Internet domain (SenderDomain of what it sends).", Required = true };
        var keyOption = new Option<string>("--key") { Description = "This participant's private key file.", Required = true };
        var db = new Option<string>("--db") { Description = "SQLite file for messages and the outbound queue (created if missing).", DefaultValueFactory = _ => "uftp.db" };
        var listen = new Option<string>("--listen") { Description = "Address and port to listen on (port 0: any free port).", DefaultValueFactory = _ => "127.0.0.1:8443" };
        var cert = new Option<string?>("--cert") { Description = "TLS certificate with private key (PKCS#12 .pfx/.p12). Without it the endpoint is plain HTTP: only behind a TLS proxy." };
        var certPassword = new Option<string?>("--cert-password") { Description = "Password of the PKCS#12 file." };
        var participants = new Option<string?>("--participants") { Description = "JSON file: [{\"domain\":..., \"role\":\"DSO\", \"endpoint\":..., \"publicKeys\":[...]}]; looked up before DNS." };
        var dns = new Option<string?>("--dns") { Description = "Name server (IP:PORT) for _<role>._usef.<domain> TXT lookups; default: the system's." };
        var noDns = new Option<bool>("--no-dns") { Description = "Look participants up only in --participants (no DNS queries)." };
        var congestionPoints = new Option<string[]>("--congestion-point") { Description = "A congestion point this participant knows (EntityAddress); repeatable.", AllowMultipleArgumentsPerToken = true };
        var limit = new Option<long>("--limit") { Description = "DSO: congestion limit in watts; D-Prognosis ISPs above it trigger a FlexRequest.", DefaultValueFactory = _ => long.MaxValue };
        var price = new Option<decimal>("--price") { Description = "AGR: price asked per offer option.", DefaultValueFactory = _ => 100m };
        var schemas = new Option<string?>("--schemas") { Description = "Folder of the UFTP XSDs: validate every message received and sent against them." };
        var faults = new Option<string[]>("--fault")
        {
            Description = "Misbehave on purpose, to check a conformance suite notices (repeatable): " + string.Join(", ", UftpFaults.All.Select(f => f.Name())) + ".",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("serve",
            """
            Run a UFTP participant: an AGR (answers FlexRequests with FlexOffers, sends updated D-Prognoses after orders),
            a DSO (asks for flexibility where D-Prognoses exceed --limit, orders offers) or the CRO (keeps the register
            of congestion points from DSOPortfolioUpdates and of aggregators' connections from AGRPortfolioUpdates, and
            answers AGRPortfolioQuery and DSOPortfolioQuery from it). Accepts POST
            /shapeshifter/api/v3/message, answers every message with its Response, sends through a durable queue in --db.
            Prints 'listening on URL' when ready; stops on Ctrl+C.
            """);
        foreach (var o in new Option[] { role, domain, keyOption, db, listen, cert, certPassword, participants, dns, noDns, congestionPoints, limit, price, schemas, faults }) command.Options.Add(o);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var uftpRole = Enum.Parse<UftpRole>(parseResult.GetValue(role)!, ignoreCase: true);
            var ownDomain = parseResult.GetValue(domain)!;
            if (!UftpSimpleTypes.IsInternetDomain(ownDomain)) throw new CliUsageException($"'{ownDomain}' is not an Internet domain (lower case, e.g. dso.example.com)");
            if (!IPEndPoint.TryParse(parseResult.GetValue(listen)!, out var endpoint)) throw new CliUsageException("--listen must be IP:PORT");
            using var key = ReadPrivateKey(parseResult.GetValue(keyOption)!);
            using var certificate = parseResult.GetValue(cert) is { } certFile ? LoadPkcs12(certFile, parseResult.GetValue(certPassword)) : null;
            var directories = new List<IUftpParticipantDirectory>();
            if (parseResult.GetValue(participants) is { } participantsFile) directories.Add(await LoadParticipantsAsync(participantsFile, cancellationToken));
            var dnsServer = parseResult.GetValue(dns);
            if (dnsServer is not null && !IPEndPoint.TryParse(dnsServer, out _)) throw new CliUsageException("--dns must be IP:PORT");
            if (!parseResult.GetValue(noDns)) directories.Add(new DnsUftpParticipantDirectory(new DnsUftpParticipantDirectoryOptions { NameServers = dnsServer is null ? [] : [IPEndPoint.Parse(dnsServer)] }));
            var points = new List<EntityAddress>();
            foreach (var p in parseResult.GetValue(congestionPoints) ?? [])
            {
                points.Add(EntityAddress.TryParse(p, out var a) ? a! : throw new CliUsageException($"'{p}' is not an EntityAddress"));
            }
            var schemaSet = parseResult.GetValue(schemas) is { } schemaDir ? LoadSchemas(schemaDir) : null;
            using var store = UftpSqliteStore.Open(parseResult.GetValue(db)!);
            await store.AddCongestionPointsAsync(points, cancellationToken);
            var faultSet = UftpFault.None;
            foreach (var name in parseResult.GetValue(faults) ?? [])
            {
                faultSet |= UftpFaults.TryParse(name, out var f) ? f : throw new CliUsageException($"--fault {name}: unknown (known: {string.Join(", ", UftpFaults.All.Select(x => x.Name()))})");
            }
            IUftpMessageHandler handler = uftpRole switch
            {
                UftpRole.AGR => new UftpAgrService(new UftpAgrServiceOptions { OfferPrice = parseResult.GetValue(price) }),
                UftpRole.DSO => new UftpDsoService(new UftpDsoServiceOptions { CongestionLimitWatts = parseResult.GetValue(limit) }),
                _ => new UftpCroService(),
            };
            var options = new UftpNodeOptions
            {
                Domain = ownDomain,
                Role = uftpRole,
                Server = new UftpServerOptions { Listen = endpoint, Certificate = certificate },
                Schemas = schemaSet,
                Faults = faultSet,
            };
            await using var node = await UftpNode.StartAsync(options, key, new CompositeUftpParticipantDirectory([.. directories]), store, handler, cancellationToken: cancellationToken);
            Console.WriteLine($"listening on {node.MessageEndpoint}");
            Console.WriteLine($"{uftpRole} {ownDomain}, public key cs1.{key.PublicKey.ToBase64()}");
            if (faultSet != UftpFault.None) Console.WriteLine($"faults: {string.Join(", ", UftpFaults.All.Where(f => faultSet.HasFlag(f)).Select(f => f.Name()))}");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
            Console.WriteLine("stopped");
            return ExitCodes.Success;
        });
        return command;
    }

    // ---- helpers ----

    private sealed record ParticipantJson(string Domain, UftpRole Role, Uri? Endpoint, string[]? PublicKeys);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private static async Task<StaticUftpParticipantDirectory> LoadParticipantsAsync(string file, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = File.OpenRead(file);
            var entries = await JsonSerializer.DeserializeAsync<ParticipantJson[]>(stream, Json, cancellationToken) ?? [];
            return StaticUftpParticipantDirectory.FromOptions(entries.Select(e => new UftpParticipantOptions { Domain = e.Domain, Role = e.Role, Endpoint = e.Endpoint, PublicKeys = e.PublicKeys ?? [] }));
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or UftpSignatureException)
        {
            throw new CliUsageException($"{file}: not a valid participants file: {ex.Message}");
        }
    }

    internal static UftpSigningKey ReadPrivateKey(string file)
    {
        try
        {
            return UftpSigningKey.FromBase64(File.ReadAllText(file));
        }
        catch (UftpSignatureException ex)
        {
            throw new CliUsageException($"{file}: {ex.Message}");
        }
    }

    internal static UftpPublicKey ReadPublicKey(string fileOrBase64)
    {
        var text = File.Exists(fileOrBase64) ? File.ReadAllText(fileOrBase64) : fileOrBase64;
        text = text.Trim();
        if (text.StartsWith(DnsUftpParticipantDirectory.KeyPrefix, StringComparison.Ordinal)) text = text[DnsUftpParticipantDirectory.KeyPrefix.Length..];
        try
        {
            return UftpPublicKey.FromBase64(text);
        }
        catch (UftpSignatureException ex)
        {
            throw new CliUsageException($"--public-key: {ex.Message} (give a file holding the base64 key, or the key itself)");
        }
    }

    internal static X509Certificate2 LoadCertificate(string file)
    {
        try
        {
            return X509CertificateLoader.LoadCertificateFromFile(file);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new CliUsageException($"{file}: not a certificate: {ex.Message}");
        }
    }

    internal static X509Certificate2 LoadPkcs12(string file, string? password)
    {
        try
        {
            return X509CertificateLoader.LoadPkcs12FromFile(file, password);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new CliUsageException($"{file}: not a PKCS#12 certificate with key (or wrong --cert-password): {ex.Message}");
        }
    }

    private static async Task<byte[]> ReadBoundedAsync(string file, CancellationToken cancellationToken)
    {
        var info = new FileInfo(file);
        if (!info.Exists) throw new FileNotFoundException("no such file", file);
        if (info.Length > UftpXmlLimits.Default.MaxBytes * 2L) throw new CliUsageException($"{file}: " + $"the file is {info.Length} bytes, more than a UFTP message may be");
        return await File.ReadAllBytesAsync(file, cancellationToken);
    }
}
