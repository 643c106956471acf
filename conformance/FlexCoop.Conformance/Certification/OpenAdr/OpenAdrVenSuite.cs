using FlexCoop.OpenAdr.Model;

namespace FlexCoop.Conformance.Certification.OpenAdr;

/// <summary>
/// The OpenADR 2.0b certification suite for a VEN: the harness plays the VTN, over simple HTTP, pull or
/// push. Start it with <see cref="StartAsync"/>, point the VEN at <see cref="Url"/>, then run it with
/// <see cref="CertificationRunner"/>. Cases that need the VEN registered register it first (with the
/// <c>restart</c> operator action when it is not).
/// </summary>
public sealed partial class OpenAdrVenSuite : ICertificationSuite, IAsyncDisposable
{
    private readonly HarnessVtn _harness;
    private readonly Dictionary<string, Func<VenCase, Task>> _scripts;

    private OpenAdrVenSuite(HarnessVtn harness)
    {
        _harness = harness;
        _scripts = Scripts();
        Cases = harness.Options.Exchange == Exchange.Pull ? VenCatalogue.Pull : VenCatalogue.PushCases;
    }

    /// <summary>Starts the harness VTN.</summary>
    /// <exception cref="CertificationSetupException">The options are inconsistent or the harness cannot listen.</exception>
    public static async Task<OpenAdrVenSuite> StartAsync(HarnessOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new OpenAdrVenSuite(await HarnessVtn.StartAsync(options, cancellationToken));
    }

    /// <summary>The harness VTN's base URL (the VEN's VTN URL).</summary>
    public Uri Url => _harness.Url;

    public string Name => $"OpenADR 2.0b VEN ({(_harness.Options.Exchange == Exchange.Pull ? "pull" : "push")})";

    public IReadOnlyList<CertificationCase> Cases { get; }

    public IReadOnlyList<string> Notes =>
    [
        $"harness VTN {_harness.Options.VtnId} at {Url}, {(_harness.Options.UsesTls ? "TLS 1.2 with client certificates" : "plain HTTP (development only; TLS checks off)")}",
        _harness.ChecksSchema ? "every message checked against the official 2.0b schema" : "schema check off (no schema directory): codec structure and profile rules only",
        $"time scale {_harness.Options.TimeScale:0.###}: poll frequency {_harness.Options.Scaled(_harness.Options.PollFrequency).TotalSeconds:0} s, created-event timeout {_harness.Options.Scaled(_harness.Options.CreatedEventTimeout).TotalSeconds:0} s, async timeout {_harness.Options.Scaled(_harness.Options.AsyncResponseTimeout).TotalSeconds:0} s",
    ];

    /// <summary>The IDs (without <c>_TH_VTN</c>) of the pull cases that have a script.</summary>
    public static IReadOnlyCollection<string> ScriptedPullCases { get; } = Scripts().Keys.ToList();

    public bool HasScript(CertificationCase @case)
    {
        ArgumentNullException.ThrowIfNull(@case);
        return VenCatalogue.ScriptIdOf(@case) is { } id && _scripts.ContainsKey(id)
            && !(@case.Exchange == Exchange.Push && PullOnly.Contains(id));
    }

    // Cases whose shape needs polling.
    private static readonly HashSet<string> PullOnly = new(StringComparer.Ordinal) { "N1_0015", "N1_0080" };

    public async Task RunCaseAsync(CertificationCase @case, CaseRecorder recorder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(@case);
        ArgumentNullException.ThrowIfNull(recorder);
        var script = _scripts[VenCatalogue.ScriptIdOf(@case)!];
        _harness.BeginCase(recorder);
        var c = new VenCase(_harness, recorder, cancellationToken);
        try
        {
            await EnsureRegisteredAsync(c);
            await script(c);
        }
        catch (HarnessTimeoutException ex)
        {
            recorder.Fail(ex.Message.Contains("poll", StringComparison.Ordinal) ? "rule 54" : c.Id, ex.Message);
        }
        finally
        {
            _harness.EndCase();
        }
    }

    /// <summary>The precondition of every case: the VEN is registered and has announced its reports.</summary>
    private static async Task EnsureRegisteredAsync(VenCase c)
    {
        if (c.H.Registered) return;
        if (!c.H.HeardFromVen)
        {
            // The start of a run: give the VEN the time to register on its own before asking for a restart.
            c.R.Record(MessageDirection.Note, "precondition", $"waiting up to {c.AsyncTimeout.TotalSeconds:0} s for the VEN to register with {c.H.Url}");
            if (await c.WaitForAsync<OadrRegisterReport>(c.AsyncTimeout))
            {
                if (c.Pull) await c.NextPollAsync();
                return;
            }
            if (!c.H.HeardFromVen) throw c.R.Inconclusive($"the VEN did not contact the harness at {c.H.Url} within {c.AsyncTimeout.TotalSeconds:0} s");
        }
        c.R.Record(MessageDirection.Note, "precondition", "the VEN is not registered with the harness: restarting it to register");
        await c.ActAsync("restart", "Restart the VEN (power cycle); it registers with the harness VTN.");
        await c.ExpectAsync<OadrCreatePartyRegistration>("oadrCreatePartyRegistration after the restart", c.AsyncTimeout, rule: "precondition");
        await c.ExpectAsync<OadrRegisterReport>("oadrRegisterReport after registering", c.AsyncTimeout, rule: "precondition");
        if (c.Pull) await c.NextPollAsync();
    }

    public ValueTask DisposeAsync() => _harness.DisposeAsync();
}
