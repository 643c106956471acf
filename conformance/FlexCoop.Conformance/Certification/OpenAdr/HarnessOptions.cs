using FlexCoop.OpenAdr.Security;

namespace FlexCoop.Conformance.Certification.OpenAdr;

/// <summary>
/// The settings of the harness VTN, as a certification lab sets them. Immutable; validated once by
/// <see cref="OpenAdrVenSuite.StartAsync"/>.
/// </summary>
public sealed record HarnessOptions : OpenAdrHarnessOptions
{
    /// <summary>Where the harness VTN listens (<c>https://IP:PORT</c>, port 0 for any; <c>http://</c> for development).</summary>
    public required Uri Listen { get; init; }

    /// <summary>Push: where the VEN listens, when its registration does not say (<c>oadrTransportAddress</c>).</summary>
    public Uri? VenPushUrl { get; init; }

    /// <summary>The harness's vtnID.</summary>
    public string VtnId { get; init; } = "FLEXCOOP_TH_VTN";

    /// <summary>
    /// Push runs: where the second harness VTN listens, for the cases with events from two VTNs (A_E0_0185, A_E0_0295);
    /// null: the host of <see cref="Listen"/>, any free port.
    /// </summary>
    public Uri? SecondVtnListen { get; init; }

    /// <summary>The second harness VTN's vtnID.</summary>
    public string SecondVtnId { get; init; } = "FLEXCOOP_TH_VTN_2";

    /// <summary>A market context the VEN is not part of.</summary>
    public string ForeignMarketContext { get; init; } = "http://flexcoop.test/mc/not-yours";

    /// <summary>How long the VEN has to answer an event with <c>oadrCreatedEvent</c>, before time scaling (95 s).</summary>
    public TimeSpan CreatedEventTimeout { get; init; } = TimeSpan.FromSeconds(95);

    /// <summary>
    /// Standard (TLS 1.2 with client certificates) or high: the harness then signs every payload it sends with its
    /// certificate and verifies every payload from the VEN (signature present and valid, signer is the VEN's TLS
    /// certificate chaining to <see cref="OpenAdrHarnessOptions.CertificateAuthorities"/>, replay protection within
    /// <see cref="SignatureReplayWindow"/> with a fresh nonce), refusing with 463 what fails.
    /// </summary>
    public OadrSecurityLevel Security { get; init; } = OadrSecurityLevel.Standard;

    /// <summary>High security: how far a VEN's <c>dsp:ReplayProtect</c> timestamp may be from the harness's clock.</summary>
    public TimeSpan SignatureReplayWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>True when TLS is on.</summary>
    public override bool UsesTls => Certificate is not null;

    /// <summary>Throws <see cref="CertificationSetupException"/> naming the first inconsistency.</summary>
    public HarnessOptions Validate()
    {
        if (Listen.Scheme is not ("http" or "https")) throw new CertificationSetupException("--listen must be an http:// or https:// URL");
        if (Listen.Scheme == "https" && Certificate is null) throw new CertificationSetupException("https needs --tls-cert and --tls-key");
        if (Listen.Scheme == "http" && Certificate is not null) throw new CertificationSetupException("a TLS certificate was given but --listen is http://");
        ValidateCertificateAndTimeScale();
        if (UsesTls && CertificateAuthorities.Count == 0) throw new CertificationSetupException("TLS needs --ca: the CA(s) the VEN's certificate chains to");
        if (Security == OadrSecurityLevel.High && Certificate is null) throw new CertificationSetupException("--security high signs with the harness certificate: give https:// with --tls-cert/--tls-key/--ca");
        if (SignatureReplayWindow <= TimeSpan.Zero) throw new CertificationSetupException("the signature replay window must be positive");
        if (SecondVtnListen is { } second && second.Scheme != Listen.Scheme) throw new CertificationSetupException("--second-vtn-listen must use the same scheme as --listen");
        if (Exchange == Exchange.Push && VenPushUrl is { Scheme: not ("http" or "https") }) throw new CertificationSetupException("--ven-push-url must be http:// or https://");
        return this;
    }
}
