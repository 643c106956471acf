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
    private readonly Dictionary<string, Func<VenCase, Task>> _pushScripts;

    private readonly HarnessVtn? _second;

    private OpenAdrVenSuite(HarnessVtn harness, HarnessVtn? second)
    {
        _harness = harness;
        _second = second;
        _scripts = Scripts();
        _pushScripts = PushScripts();
        Cases = harness.Options.Exchange == Exchange.Pull ? VenCatalogue.Pull : VenCatalogue.PushCases;
    }

    /// <summary>Starts the harness VTN.</summary>
    /// <exception cref="CertificationSetupException">The options are inconsistent or the harness cannot listen.</exception>
    public static async Task<OpenAdrVenSuite> StartAsync(HarnessOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var harness = await HarnessVtn.StartAsync(options, cancellationToken);
        if (options.Exchange == Exchange.Pull) return new OpenAdrVenSuite(harness, null);
        try
        {
            // Push runs have two cases with events from two VTNs: a second harness VTN, with its own vtnID.
            var listen = options.SecondVtnListen ?? new UriBuilder(options.Listen) { Port = 0 }.Uri;
            var second = await HarnessVtn.StartAsync(options with { Listen = listen, VtnId = options.SecondVtnId }, cancellationToken);
            return new OpenAdrVenSuite(harness, second);
        }
        catch
        {
            await harness.DisposeAsync();
            throw;
        }
    }

    /// <summary>Push runs: the second harness VTN's base URL (A_E0_0185, A_E0_0295); null in pull runs.</summary>
    public Uri? SecondVtnUrl => _second?.Url;

    /// <summary>The harness VTN's base URL (the VEN's VTN URL).</summary>
    public Uri Url => _harness.Url;

    public string Name => $"OpenADR 2.0b VEN ({(_harness.Options.Exchange == Exchange.Pull ? "pull" : "push")})";

    public IReadOnlyList<CertificationCase> Cases { get; }

    public IReadOnlyList<string> Notes =>
    [
        $"harness VTN {_harness.Options.VtnId} at {Url}, {(_harness.Options.UsesTls ? "TLS 1.2 with client certificates" : "plain HTTP (development only; TLS checks off)")}",
        _harness.High
            ? "high security: the harness signs every payload and verifies every VEN payload (signature, signer = the VEN's TLS certificate, replay protection)"
            : "standard security: payloads are not signed",
        _harness.ChecksSchema ? "every message checked against the official 2.0b schema" : "schema check off (no schema directory): codec structure and profile rules only",
        .. (_second is null ? Array.Empty<string>() : [$"second harness VTN {_second.Options.VtnId} at {_second.Url} (cases with two VTNs: the VEN registers with it on the operator action 'register-second-vtn')"]),
        $"time scale {_harness.Options.TimeScale:0.###}: poll frequency {_harness.Options.Scaled(_harness.Options.PollFrequency).TotalSeconds:0} s, created-event timeout {_harness.Options.Scaled(_harness.Options.CreatedEventTimeout).TotalSeconds:0} s, async timeout {_harness.Options.Scaled(_harness.Options.AsyncResponseTimeout).TotalSeconds:0} s",
    ];

    /// <summary>The IDs (without <c>_TH_VTN</c>) of the pull cases that have a script.</summary>
    public static IReadOnlyCollection<string> ScriptedPullCases { get; } = Scripts().Keys.ToList();

    public bool HasScript(CertificationCase @case) => IsScripted(@case);

    /// <summary>True when the suite has a script for <paramref name="case"/> (pull or push).</summary>
    public static bool IsScripted(CertificationCase @case) => ScriptOf(@case, AllScripts.Pull, AllScripts.Push) is not null;

    private static readonly (Dictionary<string, Func<VenCase, Task>> Pull, Dictionary<string, Func<VenCase, Task>> Push) AllScripts = (Scripts(), PushScripts());

    /// <summary>
    /// The script of a case: the push variant where the case's shape differs in push (polling, a listener that
    /// restarts), else the pull script under the pull ID, else a push-only script under the push ID.
    /// </summary>
    private static Func<VenCase, Task>? ScriptOf(CertificationCase @case, Dictionary<string, Func<VenCase, Task>> pull, Dictionary<string, Func<VenCase, Task>> push)
    {
        ArgumentNullException.ThrowIfNull(@case);
        var own = @case.Id.EndsWith("_TH_VTN", StringComparison.Ordinal) ? @case.Id[..^7] : @case.Id;
        var id = VenCatalogue.ScriptIdOf(@case);
        if (@case.Exchange == Exchange.Push)
        {
            if (id is not null && push.TryGetValue(id, out var variant)) return variant;
            if (push.TryGetValue(own, out var pushOnly)) return pushOnly;
        }
        return id is not null && pull.TryGetValue(id, out var script) ? script : null;
    }

    public async Task RunCaseAsync(CertificationCase @case, CaseRecorder recorder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(@case);
        ArgumentNullException.ThrowIfNull(recorder);
        var script = ScriptOf(@case, _scripts, _pushScripts) ?? throw new CertificationSetupException($"no script for {@case.Id}");
        _harness.BeginCase(recorder);
        _second?.BeginCase(recorder);
        var c = new VenCase(_harness, recorder, cancellationToken) { Second = _second is null ? null : new VenCase(_second, recorder, cancellationToken) };
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
            _second?.EndCase();
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

    public async ValueTask DisposeAsync()
    {
        await _harness.DisposeAsync();
        if (_second is not null) await _second.DisposeAsync();
    }
}
