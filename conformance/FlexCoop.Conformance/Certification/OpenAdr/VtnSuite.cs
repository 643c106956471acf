namespace FlexCoop.Conformance.Certification.OpenAdr;

/// <summary>
/// The OpenADR 2.0b certification suite for a VTN: the harness plays a VEN over simple HTTP, pull or push.
/// A push case runs the script of the pull case of the same shape (<see cref="VtnCatalogue.PullShapeOf"/>), with
/// the VTN's requests pushed to the harness VEN's listener and checked there as polled ones are.
/// Start it with <see cref="StartAsync"/> and run it with <see cref="CertificationRunner"/>; the
/// operator actions it asks for are listed in <see cref="VtnActions"/>. Every case starts with the
/// harness VEN registered (it registers on its own at the start of the run).
/// </summary>
public sealed partial class OpenAdrVtnSuite : ICertificationSuite, IAsyncDisposable
{
    private readonly HarnessVen _harness;
    private readonly Dictionary<string, Func<VtnCase, Task>> _scripts;

    private OpenAdrVtnSuite(HarnessVen harness)
    {
        _harness = harness;
        _scripts = Scripts();
        Cases = harness.Options.Exchange == Exchange.Pull ? VtnCatalogue.Pull : VtnCatalogue.PushCases;
    }

    /// <summary>Prepares the harness VEN (nothing is sent before the first case).</summary>
    /// <exception cref="CertificationSetupException">The options are inconsistent or the schemas cannot be loaded.</exception>
    public static async Task<OpenAdrVtnSuite> StartAsync(HarnessVenOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new OpenAdrVtnSuite(await HarnessVen.StartAsync(options, cancellationToken));
    }

    public string Name => $"OpenADR 2.0b VTN ({(_harness.Options.Exchange == Exchange.Pull ? "pull" : "push")})";

    public IReadOnlyList<CertificationCase> Cases { get; }

    public IReadOnlyList<string> Notes =>
    [
        $"harness VEN '{_harness.Options.VenName}' against the VTN at {_harness.Options.ServiceBase}, {(_harness.Options.UsesTls ? "TLS 1.2 with a client certificate" : "plain HTTP (development only; TLS checks off)")}",
        .. _harness.PushAddress is { } push ? [$"push: the harness VEN registers {push} as its oadrTransportAddress; the VTN's pushes are checked like polled messages and answered with the VEN's own requests"] : Array.Empty<string>(),
        _harness.ChecksSchema ? "every answer checked against the official 2.0b schema" : "schema check off (no schema directory): codec structure and profile rules only",
        $"time scale {_harness.Options.TimeScale:0.###}: the VTN has {_harness.Options.Scaled(_harness.Options.AsyncResponseTimeout).TotalSeconds:0} s to deliver what an operator action caused; market contexts {_harness.Options.MarketContext1} and {_harness.Options.MarketContext2}",
    ];

    /// <summary>The IDs (without <c>_TH_VEN</c>) of the pull cases that have a script.</summary>
    public static IReadOnlyCollection<string> ScriptedPullCases { get; } = Scripts().Keys.ToList();

    public bool HasScript(CertificationCase @case)
    {
        ArgumentNullException.ThrowIfNull(@case);
        return _scripts.ContainsKey(VtnCatalogue.PullShapeOf(@case));
    }

    public async Task RunCaseAsync(CertificationCase @case, CaseRecorder recorder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(@case);
        ArgumentNullException.ThrowIfNull(recorder);
        var script = _scripts[VtnCatalogue.PullShapeOf(@case)];
        _harness.BeginCase(recorder);
        var c = new VtnCase(_harness, recorder, cancellationToken);
        try
        {
            if (recorder.Pics.Value("preconfigured-venid") is { } preconfigured) _harness.PreconfiguredVenId = preconfigured;
            if (!_harness.Registered)
            {
                recorder.Record(MessageDirection.Note, "precondition", "the harness VEN registers with the VTN");
                await _harness.RegisterAsync(cancellationToken);
                await _harness.DrainAsync(cancellationToken);
            }
            await script(c);
        }
        finally
        {
            _harness.EndCase();
        }
    }

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private static Dictionary<string, Func<VtnCase, Task>> Scripts()
    {
        var all = new Dictionary<string, Func<VtnCase, Task>>(StringComparer.Ordinal);
        foreach (var part in new[] { RegistrationScripts(), EventScripts(), ReportScripts(), VtnReportScripts(), OptScripts(), GeneralScripts(), SignatureScripts() })
        {
            foreach (var (id, script) in part) all.Add(id, script);
        }
        return all;
    }
}
