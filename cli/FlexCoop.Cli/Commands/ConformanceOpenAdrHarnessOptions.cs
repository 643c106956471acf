using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using FlexCoop.Conformance.Certification;
using FlexCoop.Conformance.Certification.OpenAdr;
using FlexCoop.OpenAdr.Schema;
using ExchangeModel = FlexCoop.Conformance.Certification.Exchange;
using PicsClaims = FlexCoop.Conformance.Certification.Pics;

namespace FlexCoop.Cli.Commands;

/// <summary>
/// The options <c>flexcoop conformance ven</c> and <c>flexcoop conformance vtn</c> both take (exchange, cases, PICS,
/// the harness's TLS certificate, key and CAs, JUnit and HTML reports, action hook, time scale, market contexts,
/// schemas, the catalogue list) and what both commands do with them: read and check them into the
/// <see cref="OpenAdrHarnessOptions"/> both harnesses share, list the catalogue, start the suite and run it. Each
/// command words the descriptions for the side its harness plays and adds the options of that side.
/// </summary>
internal sealed class ConformanceOpenAdrHarnessOptions
{
    /// <param name="exchange">Description of <c>--exchange</c>.</param>
    /// <param name="casesExamples">Examples of <c>--cases</c> patterns for this suite's IDs.</param>
    /// <param name="pics">Description of <c>--pics</c>.</param>
    /// <param name="tlsCert">Description of <c>--tls-cert</c> (which certificate the harness presents).</param>
    /// <param name="ca">Description of <c>--ca</c> (whose certificate must chain to it).</param>
    /// <param name="html">Description of <c>--html</c>.</param>
    /// <param name="actionHook">Description of <c>--action-hook</c>.</param>
    /// <param name="timeScale">Description of <c>--time-scale</c> (what it scales).</param>
    /// <param name="marketContexts">Description of <c>--market-context</c>.</param>
    /// <param name="marketContextsMeaning">What the two market contexts are, for the usage error.</param>
    /// <param name="noXsd">Description of <c>--no-xsd</c>.</param>
    /// <param name="list">Description of <c>--list</c>.</param>
    public ConformanceOpenAdrHarnessOptions(
        string exchange, string casesExamples, string pics, string tlsCert, string ca, string html, string actionHook,
        string timeScale, string marketContexts, string marketContextsMeaning, string noXsd, string list)
    {
        Exchange = new Option<string>("--exchange") { Description = exchange, DefaultValueFactory = _ => "pull" };
        Cases = new Option<string?>("--cases") { Description = $"Run only these cases: comma-separated globs on case IDs, e.g. {casesExamples}." };
        Pics = new Option<string?>("--pics") { Description = pics };
        TlsCert = new Option<string?>("--tls-cert") { Description = tlsCert };
        TlsKey = new Option<string?>("--tls-key") { Description = "Its private key (PEM)." };
        Ca = new Option<string[]>("--ca") { Description = ca };
        JUnit = new Option<string?>("--junit") { Description = "Write the verdicts as JUnit XML to this file." };
        Html = new Option<string?>("--html") { Description = html };
        ActionHook = new Option<string?>("--action-hook") { Description = actionHook };
        TimeScale = new Option<double>("--time-scale") { Description = timeScale, DefaultValueFactory = _ => 1.0 };
        MarketContexts = new Option<string[]>("--market-context") { Description = marketContexts };
        Schemas = new Option<string?>("--schemas") { Description = "Folder holding the official OpenADR 2.0b XSDs (default: $FLEXCOOP_SCHEMAS, else ../shared/schemas/openadr20b)." };
        NoXsd = new Option<bool>("--no-xsd") { Description = noXsd };
        List = new Option<bool>("--list") { Description = list };
        _marketContextsMeaning = marketContextsMeaning;
    }

    private readonly string _marketContextsMeaning;

    public Option<string> Exchange { get; }

    public Option<string?> Cases { get; }

    public Option<string?> Pics { get; }

    public Option<string?> TlsCert { get; }

    public Option<string?> TlsKey { get; }

    public Option<string[]> Ca { get; }

    public Option<string?> JUnit { get; }

    public Option<string?> Html { get; }

    public Option<string?> ActionHook { get; }

    public Option<double> TimeScale { get; }

    public Option<string[]> MarketContexts { get; }

    public Option<string?> Schemas { get; }

    public Option<bool> NoXsd { get; }

    public Option<bool> List { get; }

    /// <summary>Adds <paramref name="options"/> to <paramref name="command"/> in the order given (the order of its help).</summary>
    public static void AddTo(Command command, params Option[] options)
    {
        foreach (var o in options) command.Options.Add(o);
    }

    /// <summary><c>--exchange</c>: pull or push.</summary>
    public ExchangeModel GetExchange(ParseResult parse) => parse.GetValue(Exchange) switch
    {
        "pull" => ExchangeModel.Pull,
        "push" => ExchangeModel.Push,
        var other => throw new CliUsageException($"--exchange must be pull or push, not '{other}'"),
    };

    /// <summary>
    /// <c>--list</c>: prints the catalogue's cases of <paramref name="exchange"/> (ID, group, scripted or not, optional
    /// feature, title) and returns true; false when the option is not given.
    /// </summary>
    public bool TryList(ParseResult parse, IEnumerable<CertificationCase> catalogue, ExchangeModel exchange, Func<CertificationCase, bool> isScripted)
    {
        if (!parse.GetValue(List)) return false;
        foreach (var c in catalogue.Where(c => c.Exchange == exchange))
        {
            Console.WriteLine($"{c.Id,-22} {c.Group,-13} {(isScripted(c) ? "scripted" : "not implemented"),-16} {c.OptionalFeature ?? "-",-24} {c.Title}");
        }
        return true;
    }

    /// <summary>
    /// <paramref name="options"/> with what the shared options give: exchange, certificate and key, CAs, time scale,
    /// schema folder (unless <c>--no-xsd</c>), and the two market contexts when given.
    /// </summary>
    /// <exception cref="CliUsageException">An option is malformed, a file cannot be read, or the schemas are not found.</exception>
    public T Apply<T>(ParseResult parse, T options)
        where T : OpenAdrHarnessOptions
    {
        X509Certificate2? certificate = null;
        if (parse.GetValue(TlsCert) is { } certPath)
        {
            certificate = VtnCommands.LoadPem(certPath, parse.GetValue(TlsKey) ?? throw new CliUsageException("--tls-cert needs --tls-key"));
        }
        var anchors = ConformanceOpenAdrCommands.LoadCertificates(parse.GetValue(Ca) ?? []);
        string? schemaDirectory = null;
        if (!parse.GetValue(NoXsd))
        {
            schemaDirectory = OadrSchemaLocator.Find(parse.GetValue(Schemas))
                ?? throw new CliUsageException("the official OpenADR 2.0b schemas were not found: pass --schemas DIR, set " + OadrSchemaLocator.EnvironmentVariable + ", or use --no-xsd");
        }
        var contexts = parse.GetValue(MarketContexts) ?? [];
        if (contexts.Length is not (0 or 2)) throw new CliUsageException($"give --market-context twice ({_marketContextsMeaning}), or not at all");
        options = options with
        {
            Exchange = GetExchange(parse),
            Certificate = certificate,
            CertificateAuthorities = anchors,
            TimeScale = parse.GetValue(TimeScale),
            SchemaDirectory = schemaDirectory,
        };
        return contexts.Length == 2 ? options with { MarketContext1 = contexts[0], MarketContext2 = contexts[1] } : options;
    }

    /// <summary>
    /// Loads the PICS, starts the suite, checks <c>--cases</c> selects something, prints <paramref name="banner"/> and
    /// the suite's notes, and runs the selected cases with the operator (terminal or hook) and the reports asked for.
    /// </summary>
    /// <param name="start">Starts the suite on the options <see cref="Apply"/> gave.</param>
    /// <param name="banner">The first line printed once the suite runs (tests and scripts wait for it).</param>
    /// <param name="caseTimeout">How long one case may take before time scaling; two minutes are added after it.</param>
    /// <returns>The exit code: 0 when every applicable case passed, else 1.</returns>
    public async Task<int> RunAsync<TSuite>(
        ParseResult parse, OpenAdrHarnessOptions options, Func<CancellationToken, Task<TSuite>> start, Func<TSuite, string> banner,
        TimeSpan caseTimeout, CancellationToken cancellationToken)
        where TSuite : ICertificationSuite, IAsyncDisposable
    {
        var pattern = parse.GetValue(Cases);
        try
        {
            var claims = parse.GetValue(Pics) is { } picsFile ? PicsClaims.Load(picsFile) : PicsClaims.None;
            await using var suite = await start(cancellationToken);
            if (CertificationRunner.Select(suite, pattern).Count == 0) throw new CliUsageException($"no case ID matches '{pattern}'");
            Console.WriteLine(banner(suite));
            foreach (var note in suite.Notes) Console.WriteLine("  " + note);
            await Console.Out.FlushAsync(cancellationToken);
            var actions = ConformanceSuiteRun.Operator(parse.GetValue(ActionHook), options.Scaled(options.AsyncResponseTimeout) + TimeSpan.FromMinutes(1));
            return await ConformanceSuiteRun.RunAsync(suite, new CertificationRunOptions
            {
                Pattern = pattern,
                Pics = claims,
                Operator = actions,
                CaseTimeout = options.Scaled(caseTimeout) + TimeSpan.FromMinutes(2),
            }, parse.GetValue(JUnit), parse.GetValue(Html), cancellationToken);
        }
        catch (CertificationSetupException ex)
        {
            throw new CliUsageException(ex.Message);
        }
    }
}
