using System.CommandLine;
using FlexCoop.Cli.Commands;
using FlexCoop.ReferenceSystem;
using FlexCoop.ReferenceSystem.Hosting;
using Microsoft.Extensions.Logging;

namespace FlexCoop.Cli
{
    internal static partial class CommandCatalog
    {
        static partial void AddReferenceSystem(List<Command> commands) => commands.Add(ServeCommands.Create());
    }
}

namespace FlexCoop.Cli.Commands
{
    /// <summary><c>flexcoop serve</c>: run a node of the reference system's middleware.</summary>
    internal static class ServeCommands
    {
        public static Command Create()
        {
            var data = new Option<string>("--data") { Description = "Data directory: SQLite databases (without --postgres), ca.crt, demo secrets.", DefaultValueFactory = _ => "flexcoop-data" };
            var urls = new Option<string[]>("--urls") { Description = "Where to listen: https://IP:PORT (repeatable; port 0 picks a free one).", DefaultValueFactory = _ => ["https://127.0.0.1:8443"] };
            var postgres = new Option<string?>("--postgres") { Description = "PostgreSQL connection string: the store is shared by every node on this database." };
            var mqtt = new Option<string?>("--mqtt") { Description = "MQTT broker for the bus between nodes, mqtt://HOST:PORT (needs --postgres)." };
            var timeoutPolls = new Option<int>("--timeout-polls") { Description = "A DER not heard from within this many poll periods is marked timed out.", DefaultValueFactory = _ => 3 };
            var pollPeriod = new Option<string>("--poll-period") { Description = "Poll period asked of the Open Smart Boxes (ISO 8601), also the TELEMETRY_STATUS period.", DefaultValueFactory = _ => "PT10S" };
            var schemaPrefix = new Option<string>("--schema-prefix") { Description = "Prefix of the PostgreSQL schemas and MQTT topics (nodes of one system share it).", DefaultValueFactory = _ => "flexcoop" };
            var schemas = new Option<string?>("--schemas") { Description = "Also validate every received OpenADR message against the XSDs in this directory." };
            var demo = new Option<bool>("--demo") { Description = "Create the demo accounts and the OSB enrolment client (secrets written to the data directory and printed), and run --demo-homes simulated homes against this node." };
            var demoHomes = new Option<int>("--demo-homes") { Description = "With --demo: how many simulated homes (Open Smart Boxes) enrol and run in this process (0 for none).", DefaultValueFactory = _ => 50 };
            var nodeId = new Option<string?>("--node-id") { Description = "This node's name on the bus and in /api/node (default: node-<random>)." };
            var logLevel = new Option<LogLevel>("--log-level") { Description = "Least level logged to the console: trace, debug, information, warning, error (warning for load runs: every registry event is an information line).", DefaultValueFactory = _ => LogLevel.Information };
            var readingsMaxAge = new Option<string>("--readings-max-age") { Description = "Delete report readings received longer ago than this ISO 8601 period (\"none\" keeps them).", DefaultValueFactory = _ => "P7D" };
            var readingsPerRId = new Option<int>("--readings-per-rid") { Description = "Keep at most this many readings of each DER's measure (rID), newest first (0 keeps all).", DefaultValueFactory = _ => 1000 };
            var retentionInterval = new Option<string>("--retention-interval") { Description = "How often old readings are purged (ISO 8601).", DefaultValueFactory = _ => "PT10M" };
            var sqliteSynchronous = new Option<string>("--sqlite-synchronous") { Description = "SQLite only: full (default) flushes every commit to disk; normal lets WAL flush at checkpoints (survives a killed process, may lose the last commits on a power loss) for about ten times the commits a second: thousands of homes on one node.", DefaultValueFactory = _ => "full" };
            sqliteSynchronous.AcceptOnlyFromAmong("full", "normal");
            var command = new Command("serve", """
                Run a node of the FLEXCoop middleware until interrupted: the OpenADR 2.0b VTN, identity
                (OAuth 2.0 / OpenID Connect tokens at /connect/token, OSB enrolment at /api/enrolment),
                the component bus, the store and the DER registry (/api/registry/ders; OpenAPI at
                /api/openapi.json), all on one HTTPS URL whose certificate the cooperative CA issues
                (its certificate is written to DATA/ca.crt and served at /api/ca.crt).
                One node on SQLite, with 50 simulated homes enrolling and reporting to it:
                  flexcoop serve --demo --data ./coop
                Several nodes acting as one:
                  flexcoop serve --urls https://0.0.0.0:8443 --postgres "Host=db;Username=coop;Password=..." --mqtt mqtt://broker:1883
                """);
            foreach (var o in new Option[] { data, urls, postgres, mqtt, timeoutPolls, pollPeriod, schemaPrefix, schemas, demo, demoHomes, nodeId, logLevel, readingsMaxAge, readingsPerRId, retentionInterval, sqliteSynchronous }) command.Options.Add(o);
            command.SetAction(async (parse, ct) =>
            {
                var homes = parse.GetValue(demoHomes);
                if (homes is < 0 or > 100_000) throw new CliUsageException("--demo-homes must be within 0..100000");
                Uri? mqttUrl = null;
                if (parse.GetValue(mqtt) is { } m && (!Uri.TryCreate(m, UriKind.Absolute, out mqttUrl) || mqttUrl.Scheme != "mqtt"))
                {
                    throw new CliUsageException($"--mqtt: '{m}' is not an mqtt://HOST:PORT URL");
                }
                var options = new MiddlewareOptions
                {
                    DataDirectory = parse.GetValue(data)!,
                    Urls = parse.GetValue(urls)!,
                    PostgresConnectionString = parse.GetValue(postgres),
                    MqttUrl = mqttUrl,
                    SchemaPrefix = parse.GetValue(schemaPrefix)!,
                    TimeoutPolls = parse.GetValue(timeoutPolls),
                    PollPeriod = VtnCommands.Duration(parse.GetValue(pollPeriod)!, "--poll-period"),
                    SchemaDirectory = parse.GetValue(schemas),
                    Demo = parse.GetValue(demo),
                    NodeId = parse.GetValue(nodeId),
                    SqliteSynchronousFull = parse.GetValue(sqliteSynchronous) != "normal",
                    ReadingsRetention = new ReadingsRetentionOptions
                    {
                        MaxAge = parse.GetValue(readingsMaxAge) is "none" ? null : VtnCommands.Duration(parse.GetValue(readingsMaxAge)!, "--readings-max-age"),
                        KeepPerRId = parse.GetValue(readingsPerRId) switch
                        {
                            0 => null,
                            < 0 => throw new CliUsageException("--readings-per-rid is 0 (keep all) or more"),
                            var n => n,
                        },
                        Interval = VtnCommands.Duration(parse.GetValue(retentionInterval)!, "--retention-interval"),
                    },
                };
                using var logs = LoggerFactory.Create(b => b.AddSimpleConsole(c => c.SingleLine = true).SetMinimumLevel(parse.GetValue(logLevel))
                    .AddFilter("Microsoft", LogLevel.Warning).AddFilter("OpenIddict", LogLevel.Warning));
                MiddlewareHost host;
                try
                {
                    host = await MiddlewareHost.StartAsync(options, logs, null, ct);
                }
                catch (ReferenceSystemException ex)
                {
                    throw new CliUsageException(ex.Message);
                }
                catch (OpenAdr.Vtn.VtnException ex)
                {
                    throw new CliUsageException(ex.Message);
                }
                catch (IOException ex)
                {
                    throw new CliUsageException($"cannot start: {ex.Message}");
                }
                await using (host)
                {
                    Console.WriteLine($"middleware URL: {host.Url}");
                    Console.WriteLine($"registry API: {host.RegistryApiUrl}");
                    Console.WriteLine($"OpenAPI: {host.OpenApiUrl}");
                    Console.WriteLine($"CA certificate: {Path.GetFullPath(Path.Combine(options.DataDirectory, "ca.crt"))}");
                    if (host.Demo is { } d)
                    {
                        Console.WriteLine($"OSB enrolment client: {d.EnrolmentClientId}, secret in {Path.GetFullPath(d.EnrolmentSecretFile)}");
                        Console.WriteLine($"aggregator account: {d.AggregatorUser}, password in {Path.GetFullPath(d.AggregatorPasswordFile)}");
                        Console.WriteLine($"prosumer accounts: {string.Join(", ", d.Prosumers.Select(p => $"{p.User} (owns {p.HomeId})"))}, password in {Path.GetFullPath(d.ProsumerPasswordFile)}");
                        Console.WriteLine($"token: curl --cacert {Path.Combine(options.DataDirectory, "ca.crt")} -d grant_type=password -d username=aggregator -d \"password=$(cat {d.AggregatorPasswordFile})\" -d \"scope=registry operator accounts\" {host.Url}connect/token");
                    }
                    await Console.Out.FlushAsync(ct);
                    await using var simulation = host.Demo is { } demoCredentials && homes > 0
                        ? await StartDemoHomesAsync(host, demoCredentials, options.DataDirectory, homes, logs, ct)
                        : null;
                    try
                    {
                        await Task.Delay(Timeout.Infinite, ct);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }
                return ExitCodes.Success;
            });
            return command;
        }

        /// <summary>Enrols and runs the demo's simulated homes against this node, through its public endpoints like any OSB.</summary>
        private static async Task<Osb.Agent.HomeSimulation> StartDemoHomesAsync(
            MiddlewareHost host, DemoCredentials demo, string dataDirectory, int homes, ILoggerFactory logs, CancellationToken cancellationToken)
        {
            var secret = (await File.ReadAllTextAsync(demo.EnrolmentSecretFile, cancellationToken)).Trim();
            var ca = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(Path.Combine(dataDirectory, "ca.crt"));
            var simulation = await Osb.Agent.HomeSimulation.StartAsync(new Osb.Agent.HomeSimulationOptions
            {
                MiddlewareUrl = host.Url,
                Homes = homes,
                ClientId = demo.EnrolmentClientId,
                ClientSecret = secret,
                CertificateAuthorities = [ca],
                LoggerFactory = logs,
            }, cancellationToken);
            Console.WriteLine($"demo: {simulation.Running} of {homes} simulated homes running{(simulation.Failures.Count == 0 ? "" : $"; failed: {string.Join(", ", simulation.Failures.Select(f => $"{f.Key} ({f.Value})"))}")}");
            Console.WriteLine($"list them: curl --cacert {Path.Combine(dataDirectory, "ca.crt")} -H \"Authorization: Bearer TOKEN\" {host.RegistryApiUrl}");
            await Console.Out.FlushAsync(cancellationToken);
            return simulation;
        }
    }
}
