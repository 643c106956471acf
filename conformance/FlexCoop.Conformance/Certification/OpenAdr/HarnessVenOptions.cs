using FlexCoop.OpenAdr.Security;

namespace FlexCoop.Conformance.Certification.OpenAdr;

/// <summary>
/// The settings of the harness VEN that certifies a VTN, as a certification lab sets them. Immutable;
/// validated once by <see cref="OpenAdrVtnSuite.StartAsync"/>.
/// </summary>
public sealed record HarnessVenOptions : OpenAdrHarnessOptions
{
    /// <summary>The VTN under test: its base URL (<c>https://host:port/</c>); the services are under <c>OpenADR2/Simple/2.0b/</c> of it unless the URL already ends there.</summary>
    public required Uri Vtn { get; init; }

    /// <summary>
    /// Push: where the harness VEN listens (<c>https://127.0.0.1:0/</c>, port 0 for one the OS assigns); null listens on
    /// loopback with the scheme of <see cref="Vtn"/>. Over https it serves the harness certificate and requires the VTN's.
    /// </summary>
    public Uri? PushListen { get; init; }

    /// <summary>The <c>oadrVenName</c> the harness registers with.</summary>
    public string VenName { get; init; } = "FLEXCOOP_TH_VEN";

    /// <summary>How long one HTTP exchange with the VTN may take.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Standard (TLS 1.2 with client certificates) or high: the harness VEN also signs every payload it sends with
    /// <see cref="OpenAdrHarnessOptions.Certificate"/> and checks every payload of the VTN (answers and pushes) carries a valid XML signature
    /// by a certificate chaining to <see cref="OpenAdrHarnessOptions.CertificateAuthorities"/>, with a ReplayProtect timestamp within
    /// <see cref="SignatureReplayWindow"/> and a fresh nonce (G1_4011, G0_9020).
    /// </summary>
    public OadrSecurityLevel Security { get; init; } = OadrSecurityLevel.Standard;

    /// <summary>How far the VTN's ReplayProtect timestamp may be from the harness's clock (±5 minutes).</summary>
    public TimeSpan SignatureReplayWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>True when the run is at high security (XML signatures).</summary>
    public bool High => Security == OadrSecurityLevel.High;

    /// <summary>True when the VTN is reached over TLS.</summary>
    public override bool UsesTls => Vtn.Scheme == "https";

    /// <summary>Throws <see cref="CertificationSetupException"/> naming the first inconsistency.</summary>
    public HarnessVenOptions Validate()
    {
        if (Vtn.Scheme is not ("http" or "https")) throw new CertificationSetupException("--vtn must be an http:// or https:// URL");
        if (UsesTls && Certificate is null) throw new CertificationSetupException("an https VTN needs the harness VEN's client certificate (--tls-cert and --tls-key)");
        if (UsesTls && CertificateAuthorities.Count == 0) throw new CertificationSetupException("TLS needs --ca: the CA(s) the VTN's certificate chains to");
        if (!UsesTls && Certificate is not null) throw new CertificationSetupException("a TLS certificate was given but --vtn is http://");
        ValidateCertificateAndTimeScale();
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
