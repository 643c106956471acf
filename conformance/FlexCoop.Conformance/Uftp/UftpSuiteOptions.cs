using System.Net;
using System.Security.Cryptography.X509Certificates;
using FlexCoop.Usef;
using FlexCoop.Usef.Participants;
using FlexCoop.Usef.Signing;
using FlexCoop.Usef.Validation;

namespace FlexCoop.Conformance.Uftp;

/// <summary>How to reach and address the participant under test, and how the suite presents itself (immutable).</summary>
public sealed record UftpSuiteOptions
{
    /// <summary>Role of the participant under test (AGR or DSO); the suite plays the counterpart.</summary>
    public required UftpRole Role { get; init; }

    /// <summary>The participant's message endpoint (…/shapeshifter/api/v3/message).</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>The participant's Internet domain (RecipientDomain of what the suite sends).</summary>
    public required string Domain { get; init; }

    /// <summary>The suite's own domain; the participant must know it with <see cref="SuiteKey"/>'s public key and <see cref="Listen"/>'s endpoint.</summary>
    public string SuiteDomain { get; init; } = "suite.flexcoop.test";

    /// <summary>The suite's signing key (the caller owns and disposes it).</summary>
    public required UftpSigningKey SuiteKey { get; init; }

    /// <summary>The participant's public keys; empty looks them up in <see cref="Directory"/>.</summary>
    public IReadOnlyList<UftpPublicKey> ParticipantKeys { get; init; } = [];

    /// <summary>Where the participant's keys are found when <see cref="ParticipantKeys"/> is empty (DNS by default).</summary>
    public IUftpParticipantDirectory? Directory { get; init; }

    /// <summary>Where the suite listens for the participant's Responses and messages (port 0: any free port).</summary>
    public IPEndPoint Listen { get; init; } = new(IPAddress.Loopback, 0);

    /// <summary>TLS certificate of the suite's endpoint; null serves plain HTTP.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>Server certificates of the participant trusted besides the system's roots.</summary>
    public IReadOnlyList<X509Certificate2> TrustedServerCertificates { get; init; } = [];

    /// <summary>A congestion point the participant knows.</summary>
    public EntityAddress CongestionPoint { get; init; } = EntityAddress.FromEan("871685900012345678");

    /// <summary>The market's time zone.</summary>
    public string TimeZone { get; init; } = "Europe/Amsterdam";

    /// <summary>The market's ISP duration.</summary>
    public TimeSpan IspDuration { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How long to wait for an asynchronous Response or message of the participant.</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The UFTP XSDs: every message of the participant is also validated against them; null skips that.</summary>
    public UftpSchemaSet? Schemas { get; init; }
}
