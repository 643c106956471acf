using System.Security.Cryptography.X509Certificates;
using FlexCoop.OpenAdr.Security;

namespace FlexCoop.Conformance.Certification.OpenAdr;

/// <summary>
/// The settings of the harness VEN that certifies a VTN, as a certification lab sets them. Immutable;
/// validated once by <see cref="OpenAdrVtnSuite.StartAsync"/>.
/// </summary>
public sealed record HarnessVenOptions
{
    /// <summary>The VTN under test: its base URL (<c>https://host:port/</c>); the services are under <c>OpenADR2/Simple/2.0b/</c> of it unless the URL already ends there.</summary>
    public required Uri Vtn { get; init; }

    /// <summary>Pull (the harness polls) or push (the VTN posts to the harness VEN's listener, registered as its oadrTransportAddress).</summary>
    public Exchange Exchange { get; init; } = Exchange.Pull;

    /// <summary>
    /// Push: where the harness VEN listens (<c>https://127.0.0.1:0/</c>, port 0 for one the OS assigns); null listens on
    /// loopback with the scheme of <see cref="Vtn"/>. Over https it serves the harness certificate and requires the VTN's.
    /// </summary>
    public Uri? PushListen { get; init; }

    /// <summary>The harness VEN's client certificate with private key (required for https).</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>The CAs the VTN's server certificate must chain to.</summary>
    public IReadOnlyList<X509Certificate2> CertificateAuthorities { get; init; } = [];

    /// <summary>The <c>oadrVenName</c> the harness registers with.</summary>
    public string VenName { get; init; } = "FLEXCOOP_TH_VEN";

    /// <summary>The first market context (program) the VTN runs events in.</summary>
    public string MarketContext1 { get; init; } = "http://flexcoop.test/mc/1";

    /// <summary>The second market context; cases with two market contexts need the VTN to run both.</summary>
    public string MarketContext2 { get; init; } = "http://flexcoop.test/mc/2";

    /// <summary>How long the VTN has to deliver what an operator action caused (an event, a report request), before time scaling (200 s).</summary>
    public TimeSpan AsyncResponseTimeout { get; init; } = TimeSpan.FromSeconds(200);

    /// <summary>How long one HTTP exchange with the VTN may take.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The harness's own poll period while it waits for something, before time scaling (PT10S, as a VEN would).</summary>
    public TimeSpan PollFrequency { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Factor on every period and timeout of the run (event and report times the operator is asked for, waits); 0.1 runs ten times faster.</summary>
    public double TimeScale { get; init; } = 1.0;

    /// <summary>How far a time the VTN stamps as now (<c>createdDateTime</c> of a report, <c>modificationDateTime</c>) may be from the harness's clock.</summary>
    public TimeSpan CreatedDateTimeWindow { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Folder of the official 2.0b XSDs; null checks the codec's structure and the profile rules only.</summary>
    public string? SchemaDirectory { get; init; }

    /// <summary>Largest answer accepted from the VTN.</summary>
    public long MaxMessageBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// Standard (TLS 1.2 with client certificates) or high: the harness VEN also signs every payload it sends with
    /// <see cref="Certificate"/> and checks every payload of the VTN (answers and pushes) carries a valid XML signature
    /// by a certificate chaining to <see cref="CertificateAuthorities"/>, with a ReplayProtect timestamp within
    /// <see cref="SignatureReplayWindow"/> and a fresh nonce (G1_4011, G0_9020).
    /// </summary>
    public OadrSecurityLevel Security { get; init; } = OadrSecurityLevel.Standard;

    /// <summary>How far the VTN's ReplayProtect timestamp may be from the harness's clock (±5 minutes).</summary>
    public TimeSpan SignatureReplayWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>True when the run is at high security (XML signatures).</summary>
    public bool High => Security == OadrSecurityLevel.High;

    /// <summary>True when the VTN is reached over TLS.</summary>
    public bool UsesTls => Vtn.Scheme == "https";

    /// <summary>Throws <see cref="CertificationSetupException"/> naming the first inconsistency.</summary>
    public HarnessVenOptions Validate()
    {
        if (Vtn.Scheme is not ("http" or "https")) throw new CertificationSetupException("--vtn must be an http:// or https:// URL");
        if (UsesTls && Certificate is null) throw new CertificationSetupException("an https VTN needs the harness VEN's client certificate (--tls-cert and --tls-key)");
        if (UsesTls && CertificateAuthorities.Count == 0) throw new CertificationSetupException("TLS needs --ca: the CA(s) the VTN's certificate chains to");
        if (!UsesTls && Certificate is not null) throw new CertificationSetupException("a TLS certificate was given but --vtn is http://");
        if (Certificate is { HasPrivateKey: false }) throw new CertificationSetupException("the harness certificate has no private key");
        if (TimeScale is <= 0 or > 10 || double.IsNaN(TimeScale)) throw new CertificationSetupException("--time-scale must be in (0, 10]");
        if (PushListen is { } listen && (listen.Scheme is not ("http" or "https") || listen.Scheme != Vtn.Scheme))
        {
            throw new CertificationSetupException($"--push-listen must be an {Vtn.Scheme}:// URL like --vtn (the harness VEN's listener uses the same security)");
        }
        if (PushListen is not null && Exchange != Exchange.Push) throw new CertificationSetupException("--push-listen is for --exchange push");
        if (High && !UsesTls) throw new CertificationSetupException("--security high adds XML signatures on top of TLS: give an https:// --vtn with --tls-cert/--tls-key/--ca (the harness signs with that certificate)");
        if (SignatureReplayWindow <= TimeSpan.Zero) throw new CertificationSetupException("the signature replay window must be positive");
        if (string.IsNullOrWhiteSpace(VenName)) throw new CertificationSetupException("the VEN name is empty");
        return this;
    }

    /// <summary><paramref name="span"/> times the time scale, in whole seconds (at least one).</summary>
    public TimeSpan Scaled(TimeSpan span) => TimeSpan.FromSeconds(Math.Max(1, Math.Round(span.TotalSeconds * TimeScale)));

    /// <summary>The services' base URL.</summary>
    internal Uri ServiceBase
    {
        get
        {
            var text = Vtn.ToString();
            if (text.EndsWith("/OpenADR2/Simple/2.0b/", StringComparison.Ordinal)) return Vtn;
            if (text.EndsWith("/OpenADR2/Simple/2.0b", StringComparison.Ordinal)) return new Uri(text + "/");
            return new Uri(new Uri(text.EndsWith('/') ? text : text + "/"), "OpenADR2/Simple/2.0b/");
        }
    }
}
