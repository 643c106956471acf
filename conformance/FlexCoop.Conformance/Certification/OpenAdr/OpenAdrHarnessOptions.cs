using System.Security.Cryptography.X509Certificates;

namespace FlexCoop.Conformance.Certification.OpenAdr;

/// <summary>
/// The settings both OpenADR 2.0b harnesses take, whichever side they play: the harness VTN that certifies a VEN
/// (<see cref="HarnessOptions"/>) and the harness VEN that certifies a VTN (<see cref="HarnessVenOptions"/>). The
/// exchange model, the harness's TLS identity and trust, the two market contexts, the 2.0b periods and timeouts with
/// their time scale, the schema check and the message size limit. Immutable.
/// </summary>
public abstract record OpenAdrHarnessOptions
{
    /// <summary>Pull (the VEN polls) or push (the VTN posts to the VEN's listener, its <c>oadrTransportAddress</c>).</summary>
    public Exchange Exchange { get; init; } = Exchange.Pull;

    /// <summary>The harness's own certificate with private key: its TLS server certificate as a VTN, its client certificate as a VEN.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>The CAs the peer's certificate must chain to.</summary>
    public IReadOnlyList<X509Certificate2> CertificateAuthorities { get; init; } = [];

    /// <summary>The first market context (program) the peer is configured for.</summary>
    public string MarketContext1 { get; init; } = "http://flexcoop.test/mc/1";

    /// <summary>The second market context; the cases with two market contexts need the peer to know both.</summary>
    public string MarketContext2 { get; init; } = "http://flexcoop.test/mc/2";

    /// <summary>The poll period (PT10S) before time scaling: what the harness VTN asks of the VEN, or how often the harness VEN polls while it waits.</summary>
    public TimeSpan PollFrequency { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the peer has for an asynchronous answer or delivery (reports, registration steps, what an operator action caused), before time scaling (200 s).</summary>
    public TimeSpan AsyncResponseTimeout { get; init; } = TimeSpan.FromSeconds(200);

    /// <summary>Factor on every period and timeout of the run; 0.1 runs ten times faster.</summary>
    public double TimeScale { get; init; } = 1.0;

    /// <summary>How far a time the peer stamps as now (<c>createdDateTime</c>, <c>modificationDateTime</c>) may be from the harness's clock.</summary>
    public TimeSpan CreatedDateTimeWindow { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Folder of the official 2.0b XSDs; null checks the codec's structure and the profile rules only.</summary>
    public string? SchemaDirectory { get; init; }

    /// <summary>Largest message accepted from the peer.</summary>
    public long MaxMessageBytes { get; init; } = 1024 * 1024;

    /// <summary>True when the harness talks to the peer over TLS.</summary>
    public abstract bool UsesTls { get; }

    /// <summary><paramref name="span"/> times the time scale, in whole seconds (at least one).</summary>
    public TimeSpan Scaled(TimeSpan span) => TimeSpan.FromSeconds(Math.Max(1, Math.Round(span.TotalSeconds * TimeScale)));

    /// <summary>The checks both harnesses make: the certificate has its private key, the time scale is in (0, 10].</summary>
    /// <exception cref="CertificationSetupException">Naming the first inconsistency.</exception>
    protected void ValidateCertificateAndTimeScale()
    {
        if (Certificate is { HasPrivateKey: false }) throw new CertificationSetupException("the harness certificate has no private key");
        if (TimeScale is <= 0 or > 10 || double.IsNaN(TimeScale)) throw new CertificationSetupException("--time-scale must be in (0, 10]");
    }
}
