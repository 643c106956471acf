using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Ven;
using FlexCoop.Osb;
using FlexCoop.Osb.Agent;
using FlexCoop.Osb.Home;
using Microsoft.Extensions.Logging;

namespace FlexCoop.Cli;

/// <summary><c>flexcoop osb run</c> and <c>flexcoop simulate</c>.</summary>
internal static partial class CommandCatalog
{
    static partial void AddOpenSmartBox(List<Command> commands)
    {
        var osb = new Command("osb", "The Open Smart Box agent: an OpenADR VEN with a device layer (simulated home or MQTT items) and local control.");
        osb.Subcommands.Add(OsbCommands.Run());
        commands.Add(osb);
        commands.Add(OsbCommands.Simulate());
    }
}

/// <summary>The options and actions of <c>osb run</c> and <c>simulate</c>.</summary>
internal static class OsbCommands
{
    private static Option<string> Middleware(string description) => new("--middleware") { Description = description, Required = true };

    private static Option<string?> Ca() => new("--ca") { Description = "PEM file of the cooperative CA (flexcoop serve writes it to <data dir>/ca.crt). Without it the system's trust store is used." };

    private static Option<string?> ClientId() => new("--client-id") { Description = "OAuth 2.0 client for enrolment (flexcoop serve --demo creates osb-enrolment)." };

    private static Option<string?> ClientSecret() => new("--client-secret") { Description = "Its secret." };

    private static Option<string?> ClientSecretFile() => new("--client-secret-file") { Description = "A file holding the secret (e.g. <data dir>/osb-enrolment.secret), instead of --client-secret." };

    private static Option<double> TimeScale() => new("--time-scale") { Description = "Run the simulated physics this many times faster than real time (the protocol stays in real time).", DefaultValueFactory = _ => 1 };

    private static Option<string?> PollFrequency() => new("--poll-frequency") { Description = "Poll at this ISO 8601 period instead of the VTN's, e.g. PT10S." };

    public static Command Run()
    {
        var middleware = Middleware("The middleware's URL (https://HOST:PORT of flexcoop serve), or with --cert/--key the VTN's URL.");
        var homeFile = new Option<string>("--home") { Description = "The home file (JSON): homeId, location, building, comfort band, devices, and for real devices the MQTT broker and items. See the FlexCoop.Osb README.", Required = true };
        var ca = Ca();
        var clientId = ClientId();
        var clientSecret = ClientSecret();
        var secretFile = ClientSecretFile();
        var cert = new Option<string?>("--cert") { Description = "Certificate mode: the OSB's client certificate PEM (no enrolment), for a VTN that trusts its CA." };
        var key = new Option<string?>("--key") { Description = "Its private key PEM." };
        var timeScale = TimeScale();
        var poll = PollFrequency();
        var state = new Option<string?>("--state") { Description = "SQLite file keeping the VEN's registration, events and report requests across restarts (default: memory only)." };
        var command = new Command("run", """
            Run one Open Smart Box until interrupted. It enrols with the middleware (client credentials →
            token → certificate for a fresh key), registers with venName = the home's homeId, announces every
            device in TELEMETRY_USAGE (RESOURCE/power, W) and TELEMETRY_STATUS (RESOURCE/status) metadata,
            reports them as the VTN asks, and obeys events within the comfort band (heat-pump setback, EV
            deferral that still meets the departure need, battery discharge, dimmed lights), opting out of
            events it cannot follow.
            Example: flexcoop osb run --middleware https://127.0.0.1:8443 --home home.json --ca data/ca.crt --client-id osb-enrolment --client-secret-file data/osb-enrolment.secret
            Against a plain VTN: flexcoop osb run --middleware https://127.0.0.1:8443 --home home.json --cert pki/ven.crt --key pki/ven.key --ca pki/ca.crt
            """);
        foreach (var o in new Option[] { middleware, homeFile, ca, clientId, clientSecret, secretFile, cert, key, timeScale, poll, state }) command.Options.Add(o);
        command.SetAction(async (parse, ct) =>
        {
            var url = Url(parse.GetValue(middleware)!);
            HomeDefinition home;
            try
            {
                home = HomeFile.Load(parse.GetValue(homeFile)!);
            }
            catch (OsbConfigurationException ex)
            {
                throw new CliUsageException(ex.Message);
            }
            var anchors = Anchors(parse.GetValue(ca));
            X509Certificate2? certificate = null;
            if (parse.GetValue(cert) is { } c) certificate = Commands.VtnCommands.LoadPem(c, parse.GetValue(key) ?? throw new CliUsageException("--cert needs --key"));
            var (id, secret) = Credentials(parse.GetValue(clientId), parse.GetValue(clientSecret), parse.GetValue(secretFile));
            using var logs = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
            var options = new OsbOptions
            {
                MiddlewareUrl = url,
                Home = home,
                ClientId = id,
                ClientSecret = secret,
                ClientCertificate = certificate,
                CertificateAuthorities = anchors,
                TimeScale = parse.GetValue(timeScale),
                PollFrequency = parse.GetValue(poll) is { } p ? Commands.VtnCommands.Duration(p, "--poll-frequency") : null,
                StatePath = parse.GetValue(state),
                LoggerFactory = logs,
            };
            try
            {
                await using var box = await OpenSmartBox.StartAsync(options, ct);
                if (box.Enrolment is { } e) Console.WriteLine($"enrolled as {e.Certificate.Subject}; VTN {e.VtnUrl}");
                Console.WriteLine($"registered as {box.Ven.VenId} ({box.Ven.RegistrationId}) with {box.Ven.VtnId}; polling every {box.Ven.PollInterval}");
                Console.WriteLine($"{home.Devices.Count} devices: {string.Join(", ", home.Devices.Select(d => d.ResourceId))}");
                box.Decided += (_, d) => Console.WriteLine($"event {d.EventId}: {(d.Decision.Opt == OptType.OptIn ? "optIn" : "optOut")} ({d.Decision.Reason})");
                box.LevelChanged += (_, level) => Console.WriteLine($"demand-response level {level}");
                box.Ven.ReportSent += (_, r) => Console.WriteLine($"report {r.ReportRequestId} ({r.ReportSpecifierId}) sent with {r.Readings} readings");
                await Console.Out.FlushAsync(ct);
                await PrintStatusAsync(box, ct);
            }
            catch (Exception ex) when (ex is OsbException or VenException)
            {
                throw new CliUsageException(ex.Message);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Every minute until interrupted: the home's consumption, indoor temperature and level.</summary>
    private static async Task PrintStatusAsync(OpenSmartBox box, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1));
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                var power = LocalController.HomePowerW(box.Devices);
                var indoor = box.Devices.Devices.Where(d => d.Kind is ReferenceSystem.Contracts.DerKind.Sensor or ReferenceSystem.Contracts.DerKind.HeatPump)
                    .Select(d => box.Devices.Read(d.ResourceId).TemperatureC).FirstOrDefault(t => t is not null);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{box.Devices.Now:yyyy-MM-ddTHH:mm}Z home {power:0} W, indoor {(indoor is { } t ? $"{t:0.0} °C" : "unknown")}, level {box.Level}"));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public static Command Simulate()
    {
        var homes = new Option<int>("--homes") { Description = "How many homes to simulate (1–100000).", Required = true };
        var middleware = Middleware("The middleware's URL (https://HOST:PORT of flexcoop serve), or with --issuer-cert/--issuer-key the VTN's URL.");
        var seed = new Option<int>("--seed") { Description = "Seed of the generated homes (locations, buildings, devices, weather); the same seed gives the same homes.", DefaultValueFactory = _ => 1 };
        var ca = Ca();
        var clientId = ClientId();
        var clientSecret = ClientSecret();
        var secretFile = ClientSecretFile();
        var issuerCert = new Option<string?>("--issuer-cert") { Description = "Certificate mode: a CA certificate PEM (with --issuer-key) that signs each home's client certificate locally, for a plain VTN that trusts it." };
        var issuerKey = new Option<string?>("--issuer-key") { Description = "The issuing CA's private key PEM." };
        var timeScale = TimeScale();
        var poll = PollFrequency();
        var spread = new Option<string>("--start-spread") { Description = "Spread the homes' starts over this ISO 8601 period, so their polls spread over the poll period.", DefaultValueFactory = _ => "PT10S" };
        var command = new Command("simulate", """
            Run N generated homes, each an Open Smart Box with its own identity, in one process until
            interrupted. Homes vary (location, 1R1C/2R2C building, heat pump, hot-water tank, PV, EV, battery,
            lights, sensor, base load) and are the same for the same --seed; homeIds are home-0001, home-0002, ...
            Example: flexcoop simulate --homes 50 --middleware https://127.0.0.1:8443 --ca data/ca.crt --client-id osb-enrolment --client-secret-file data/osb-enrolment.secret
            Against a plain VTN: flexcoop simulate --homes 20 --middleware https://127.0.0.1:8443 --ca pki/ca.crt --issuer-cert pki/ca.crt --issuer-key pki/ca.key
            """);
        foreach (var o in new Option[] { homes, middleware, seed, ca, clientId, clientSecret, secretFile, issuerCert, issuerKey, timeScale, poll, spread }) command.Options.Add(o);
        command.SetAction(async (parse, ct) =>
        {
            var count = parse.GetValue(homes);
            if (count is < 1 or > 100_000) throw new CliUsageException("--homes must be within 1..100000");
            var url = Url(parse.GetValue(middleware)!);
            var anchors = Anchors(parse.GetValue(ca));
            Func<HomeDefinition, X509Certificate2>? issue = null;
            if (parse.GetValue(issuerCert) is { } ic)
            {
                var issuer = Commands.VtnCommands.LoadPem(ic, parse.GetValue(issuerKey) ?? throw new CliUsageException("--issuer-cert needs --issuer-key"));
                issue = h => OsbCertificates.Issue(issuer, h.HomeId);
            }
            var (id, secret) = Credentials(parse.GetValue(clientId), parse.GetValue(clientSecret), parse.GetValue(secretFile));
            if (issue is null && id is null) throw new CliUsageException("give --client-id/--client-secret (enrolment) or --issuer-cert/--issuer-key (certificate mode)");
            if (issue is not null && id is not null) throw new CliUsageException("give enrolment credentials or an issuer, not both");
            using var logs = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
            try
            {
                await using var sim = await HomeSimulation.StartAsync(new HomeSimulationOptions
                {
                    MiddlewareUrl = url,
                    Homes = count,
                    Seed = parse.GetValue(seed),
                    CertificateAuthorities = anchors,
                    ClientId = id,
                    ClientSecret = secret,
                    IssueCertificate = issue,
                    TimeScale = parse.GetValue(timeScale),
                    PollFrequency = parse.GetValue(poll) is { } p ? Commands.VtnCommands.Duration(p, "--poll-frequency") : null,
                    StartSpread = Commands.VtnCommands.Duration(parse.GetValue(spread)!, "--start-spread"),
                    LoggerFactory = logs,
                }, ct);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"started {sim.Running} of {count} homes against {url}"));
                foreach (var (homeId, why) in sim.Failures) Console.WriteLine($"{homeId} failed: {why}");
                await Console.Out.FlushAsync(ct);
                if (sim.Running == 0) return ExitCodes.UsageOrEnvironment;
                await WaitForCancellationAsync(ct);
            }
            catch (Exception ex) when (ex is OsbException or VenException)
            {
                throw new CliUsageException(ex.Message);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Uri Url(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme == "https" ? url : throw new CliUsageException($"--middleware '{text}' must be an https:// URL");

    private static List<X509Certificate2> Anchors(string? file)
    {
        // A bundle (intermediate and root) is read whole.
        return file is null ? [] : FlexCoop.Cli.Commands.ConformanceOpenAdrCommands.LoadCertificates([file]);
    }

    private static (string? Id, string? Secret) Credentials(string? id, string? secret, string? secretFile)
    {
        if (secretFile is not null)
        {
            if (secret is not null) throw new CliUsageException("give --client-secret or --client-secret-file, not both");
            try
            {
                secret = File.ReadAllText(secretFile).Trim();
            }
            catch (IOException ex)
            {
                throw new CliUsageException($"cannot read {secretFile}: {ex.Message}");
            }
        }
        if ((id is null) != (secret is null)) throw new CliUsageException("--client-id and a client secret go together");
        return (id, secret);
    }

    private static async Task WaitForCancellationAsync(CancellationToken ct)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
