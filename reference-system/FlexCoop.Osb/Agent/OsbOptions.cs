using System.Security.Cryptography.X509Certificates;
using FlexCoop.Osb.Devices;
using FlexCoop.Osb.Home;
using Microsoft.Extensions.Logging;

namespace FlexCoop.Osb.Agent;

/// <summary>
/// How an Open Smart Box runs. Give either <see cref="ClientId"/> and <see cref="ClientSecret"/>
/// (enrol with the middleware) or <see cref="ClientCertificate"/> (register directly with a VTN
/// that trusts it, e.g. a plain <c>flexcoop vtn serve</c>).
/// </summary>
public sealed record OsbOptions
{
    /// <summary>The middleware's base URL (enrolment mode), or the VTN's (certificate mode).</summary>
    public required Uri MiddlewareUrl { get; init; }

    /// <summary>The home: its devices are simulated, or reached over MQTT when it has an <c>mqtt</c> section.</summary>
    public required HomeDefinition Home { get; init; }

    /// <summary>OAuth 2.0 client ID for enrolment (e.g. <c>osb-enrolment</c>).</summary>
    public string? ClientId { get; init; }

    public string? ClientSecret { get; init; }

    /// <summary>Certificate mode: the OSB's client certificate with its key; no enrolment.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>The CA certificates the middleware's and VTN's certificates chain to (the cooperative CA).</summary>
    public IReadOnlyList<X509Certificate2> CertificateAuthorities { get; init; } = [];

    /// <summary>Simulation time runs this many times faster than the clock (a simulated home only; the protocol stays in real time).</summary>
    public double TimeScale { get; init; } = 1;

    /// <summary>The clock of the protocol and, scaled, of the simulation.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>How often local control re-evaluates events and device states.</summary>
    public TimeSpan ControlInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Poll at this period instead of the VTN's <c>oadrRequestedOadrPollFreq</c>.</summary>
    public TimeSpan? PollFrequency { get; init; }

    /// <summary>The fastest TELEMETRY_STATUS sampling offered (the poll period by default).</summary>
    public TimeSpan? StatusSamplingPeriod { get; init; }

    /// <summary>The VEN state file (registration, events, report requests); null keeps them in memory.</summary>
    public string? StatePath { get; init; }

    /// <summary>The devices, when the caller supplies its own adapter; null builds one from the home.</summary>
    public IDeviceAdapter? Devices { get; init; }

    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Throws <see cref="OsbConfigurationException"/> naming the first inconsistency.</summary>
    public OsbOptions Validate()
    {
        if (MiddlewareUrl.Scheme != "https") throw new OsbConfigurationException("the middleware URL must be https://");
        HomeFile.Validate(Home);
        var enrol = ClientId is not null || ClientSecret is not null;
        if (enrol && ClientCertificate is not null) throw new OsbConfigurationException("give client credentials (enrolment) or a certificate, not both");
        if (!enrol && ClientCertificate is null) throw new OsbConfigurationException("give client credentials (--client-id/--client-secret) or a certificate (--cert/--key)");
        if (enrol && (string.IsNullOrEmpty(ClientId) || string.IsNullOrEmpty(ClientSecret))) throw new OsbConfigurationException("enrolment needs both a client ID and a client secret");
        if (ClientCertificate is { HasPrivateKey: false }) throw new OsbConfigurationException("the client certificate has no private key");
        if (ClientCertificate is not null && CertificateAuthorities.Count == 0) throw new OsbConfigurationException("certificate mode needs the CA certificate the VTN's certificate chains to (--ca)");
        if (!(TimeScale > 0) || TimeScale > 100_000) throw new OsbConfigurationException("the time scale must be within (0, 100000]");
        if (ControlInterval <= TimeSpan.Zero) throw new OsbConfigurationException("the control interval must be positive");
        return this;
    }
}
