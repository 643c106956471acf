using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Security;

namespace FlexCoop.OpenAdr.Ven;

/// <summary>How a VEN runs. Immutable; validated once by <see cref="OadrVen.StartAsync"/>.</summary>
public sealed record VenOptions
{
    /// <summary>The VTN's base URL, e.g. <c>https://vtn.example:8443</c> (the service path is appended).</summary>
    public required Uri VtnUrl { get; init; }

    /// <summary><c>oadrVenName</c>.</summary>
    public required string VenName { get; init; }

    /// <summary>A venID given out of band (N1_0025); null lets the VTN assign one.</summary>
    public string? VenId { get; init; }

    /// <summary>The VEN's certificate with private key, presented to the VTN (and served by the push listener).</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>The trust anchors the VTN's certificate must chain to.</summary>
    public IReadOnlyList<X509Certificate2> VtnCertificateAuthorities { get; init; } = [];

    /// <summary>TLS versions used; rule 67 fixes TLS 1.2.</summary>
    public SslProtocols TlsProtocols { get; init; } = SslProtocols.Tls12;

    /// <summary>Cipher suites offered (rule 67's two by default); null leaves OpenSSL's defaults.</summary>
    public IReadOnlyList<TlsCipherSuite>? CipherSuites { get; init; } =
    [
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256,
    ];

    /// <summary>Talk to an <c>http://</c> VTN without TLS. For development only.</summary>
    public bool InsecureHttp { get; init; }

    /// <summary>
    /// Push mode: where this VEN listens for the VTN's POSTs (<c>https://HOST:PORT</c>, port 0 for any);
    /// null for a pull VEN.
    /// </summary>
    public string? PushListenUrl { get; init; }

    /// <summary>The address given to the VTN as <c>oadrTransportAddress</c>; defaults to the bound push URL.</summary>
    public string? PushPublicUrl { get; init; }

    /// <summary>Poll at this period instead of the VTN's <c>oadrRequestedOadrPollFreq</c>.</summary>
    public TimeSpan? PollFrequency { get; init; }

    /// <summary>Never poll faster than this, whatever the VTN asks (rule 55).</summary>
    public TimeSpan MinPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The SQLite file holding registration, events, opts and report requests across restarts; null keeps them in memory only.</summary>
    public string? StatePath { get; init; }

    /// <summary>The market contexts this VEN takes part in; empty accepts any (rule 48).</summary>
    public IReadOnlyList<string> MarketContexts { get; init; } = [];

    /// <summary>This VEN's resource IDs, for matching event targets (rule 22).</summary>
    public IReadOnlyList<string> ResourceIds { get; init; } = [];

    /// <summary>This VEN's group IDs, for matching event targets (rule 22).</summary>
    public IReadOnlyList<string> GroupIds { get; init; } = [];

    /// <summary>This VEN's party IDs, for matching event targets (rule 22).</summary>
    public IReadOnlyList<string> PartyIds { get; init; } = [];

    /// <summary>Signal names the VEN acts on; an event with another signal is answered 460 (E1_1070).</summary>
    public IReadOnlyList<string> SupportedSignals { get; init; } =
        ["SIMPLE", "simple", "ELECTRICITY_PRICE", "ENERGY_PRICE", "DEMAND_CHARGE", "BID_PRICE", "BID_LOAD", "BID_ENERGY", "CHARGE_STATE", "LOAD_DISPATCH", "LOAD_CONTROL"];

    /// <summary>Decides whether to take part in a new or changed event; opts in when null.</summary>
    public Func<VenEvent, OptType>? DecideOpt { get; init; }

    /// <summary>The reports this VEN offers (announced in <c>oadrRegisterReport</c>).</summary>
    public IReadOnlyList<IVenReportProvider> ReportProviders { get; init; } = [];

    /// <summary>Largest message accepted from the VTN.</summary>
    public long MaxMessageBytes { get; init; } = 1024 * 1024;

    /// <summary>HTTP connections kept open to the VTN; 1 makes polls and reports take turns on one TLS session (less memory per VEN when many run in one process).</summary>
    public int MaxConnectionsPerServer { get; init; } = 2;

    /// <summary>Time allowed for one HTTP exchange with the VTN.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Seed for start randomisation (rule 30); null for a random seed.</summary>
    public int? RandomSeed { get; init; }

    /// <summary>
    /// <see cref="OadrSecurityLevel.High"/> signs every payload the VEN sends with
    /// <see cref="ClientCertificate"/> and acts on no payload from the VTN unless it carries a valid
    /// signature by a certificate chaining to <see cref="VtnCertificateAuthorities"/>, within
    /// <see cref="SignatureReplayWindow"/>, with a nonce not seen before.
    /// </summary>
    public OadrSecurityLevel Security { get; init; } = OadrSecurityLevel.Standard;

    /// <summary>How far a signed payload's <c>ReplayProtect</c> timestamp may be from the VEN's clock, either way.</summary>
    public TimeSpan SignatureReplayWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The VEN's XMPP session (its JID, the server, TLS, SASL EXTERNAL with its certificate or a
    /// password), used when <see cref="VtnUrl"/> is an XMPP address (<c>xmpp:vtn@example.org/vtn</c>):
    /// the VEN then registers with <c>oadrTransportName</c> xmpp and its full JID as
    /// <c>oadrTransportAddress</c>, sends every payload in an IQ set to the VTN and takes the VTN's
    /// pushes from IQ sets (no polling).
    /// </summary>
    public FlexCoop.Xmpp.XmppClientOptions? Xmpp { get; init; }

    /// <summary>The VTN's JID when <see cref="VtnUrl"/> is <c>xmpp:JID</c>; null otherwise.</summary>
    public FlexCoop.Xmpp.Jid? VtnJid =>
        VtnUrl.Scheme == "xmpp" && FlexCoop.Xmpp.Jid.TryParse(Uri.UnescapeDataString(VtnUrl.OriginalString["xmpp:".Length..]), out var jid) && !jid.IsBare ? jid : null;

    /// <summary>
    /// When set, every request sent to the VTN and its answer are appended to this file as one JSON
    /// line (format <c>flexcoop-message-log/1</c>), which <c>flexcoop replay</c> reads.
    /// </summary>
    public string? MessageLogPath { get; init; }

    /// <summary>Deliberate faults for proving a certification suite (<see cref="VenFaults"/>); none by default.</summary>
    public VenFault Faults { get; init; }

    /// <summary>Throws <see cref="VenConfigurationException"/> naming the first inconsistency.</summary>
    public VenOptions Validate()
    {
        if (VtnUrl.Scheme is not ("http" or "https" or "xmpp")) throw new VenConfigurationException("VtnUrl must be http://, https:// or xmpp:JID");
        if (VtnUrl.Scheme == "xmpp" && (Xmpp is null || VtnJid is null)) throw new VenConfigurationException("an xmpp: VTN address needs a full JID (xmpp:vtn@example.org/resource) and the VEN's Xmpp session options");
        if (VtnUrl.Scheme == "http" && !InsecureHttp) throw new VenConfigurationException("the VTN URL is plain HTTP: OpenADR 2.0b needs TLS; set InsecureHttp for development");
        if (string.IsNullOrWhiteSpace(VenName)) throw new VenConfigurationException("VenName is empty");
        if (!InsecureHttp && Xmpp is null)
        {
            if (ClientCertificate is null || !ClientCertificate.HasPrivateKey) throw new VenConfigurationException("TLS needs a client certificate with its private key");
            if (VtnCertificateAuthorities.Count == 0) throw new VenConfigurationException("TLS needs the CA certificate(s) the VTN's certificate chains to");
        }
        if (PushListenUrl is not null && (!Uri.TryCreate(PushListenUrl, UriKind.Absolute, out var push) || push.Scheme != (InsecureHttp ? "http" : "https")))
        {
            throw new VenConfigurationException($"PushListenUrl must be an {(InsecureHttp ? "http" : "https")}:// URL");
        }
        if (Security == OadrSecurityLevel.High)
        {
            if (ClientCertificate is null || !ClientCertificate.HasPrivateKey) throw new VenConfigurationException("high security needs the VEN's certificate with its private key to sign with");
            if (VtnCertificateAuthorities.Count == 0) throw new VenConfigurationException("high security needs the CA certificate(s) the VTN's signatures chain to");
            if (SignatureReplayWindow <= TimeSpan.Zero) throw new VenConfigurationException("SignatureReplayWindow must be positive");
        }
        if (MaxConnectionsPerServer < 1) throw new VenConfigurationException("MaxConnectionsPerServer must be at least 1");
        if (PollFrequency is { } f && f <= TimeSpan.Zero) throw new VenConfigurationException("PollFrequency must be positive");
        var ids = ReportProviders.Select(p => p.Definition.ReportSpecifierId).ToList();
        if (ids.Distinct(StringComparer.Ordinal).Count() != ids.Count) throw new VenConfigurationException("two report providers share a reportSpecifierID");
        return this;
    }
}
