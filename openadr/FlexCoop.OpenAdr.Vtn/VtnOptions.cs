using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using FlexCoop.OpenAdr.Security;

namespace FlexCoop.OpenAdr.Vtn;

/// <summary>A program (market context) the VTN runs events in, with its priority (0 is highest).</summary>
/// <param name="MarketContext">The market context URI.</param>
/// <param name="Priority">The priority given to its events unless an event sets its own.</param>
public sealed record VtnProgram(string MarketContext, uint Priority = 1);

/// <summary>
/// How a VTN runs. Immutable; <see cref="Validate"/> checks it once when the server starts.
/// </summary>
public sealed record VtnOptions
{
    /// <summary>The two TLS 1.2 suites of rule 67.</summary>
    public static readonly IReadOnlyList<TlsCipherSuite> Rule67CipherSuites =
    [
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256,
    ];

    /// <summary>The VTN's <c>vtnID</c>.</summary>
    public string VtnId { get; init; } = "flexcoop-vtn";

    /// <summary>
    /// Where to listen: <c>https://HOST:PORT</c> (or <c>http://</c> with <see cref="InsecureHttp"/>);
    /// HOST is an IP address, <c>localhost</c> or <c>*</c>; port 0 lets the OS choose (see <see cref="VtnServer.Urls"/>).
    /// </summary>
    public IReadOnlyList<string> Urls { get; init; } = ["https://127.0.0.1:0"];

    /// <summary>
    /// The server certificates, with private keys: typically one RSA (2048 bit or more) and one
    /// ECC (P-256) (rule 68). A client's SNI host name narrows them to those whose DNS name
    /// matches; among those the client's ClientHello decides: the ECC certificate when it offers
    /// only ECDSA suites / signature schemes, the RSA one when it offers only RSA, else the first.
    /// </summary>
    public IReadOnlyList<X509Certificate2> ServerCertificates { get; init; } = [];

    /// <summary>The trust anchors a VEN's certificate chain must lead to.</summary>
    public IReadOnlyList<X509Certificate2> ClientCertificateAuthorities { get; init; } = [];

    /// <summary>TLS versions accepted; rule 67 fixes TLS 1.2.</summary>
    public SslProtocols TlsProtocols { get; init; } = SslProtocols.Tls12;

    /// <summary>Cipher suites offered (rule 67's two by default); null leaves OpenSSL's defaults.</summary>
    public IReadOnlyList<TlsCipherSuite>? CipherSuites { get; init; } = Rule67CipherSuites;

    /// <summary>Serve plain HTTP with no client authentication. For development only; the server logs a warning.</summary>
    public bool InsecureHttp { get; init; }

    /// <summary>The poll period the VTN asks for in <c>oadrRequestedOadrPollFreq</c> (rules 54, 55).</summary>
    public TimeSpan RequestedPollFrequency { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The programs events can be created in.</summary>
    public IReadOnlyList<VtnProgram> Programs { get; init; } = [new VtnProgram("http://flexcoop.example/programs/default")];

    /// <summary>When set, every received message is also validated against the XSDs in this directory.</summary>
    public string? SchemaDirectory { get; init; }

    /// <summary>Largest request body accepted (HTTP 413 beyond).</summary>
    public long MaxRequestBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>A client must send its request headers within this time.</summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>An idle keep-alive connection is closed after this time.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(130);

    /// <summary>The slowest request body accepted, after a grace period of <see cref="MinRequestBodyGrace"/>.</summary>
    public double MinRequestBodyBytesPerSecond { get; init; } = 240;

    /// <summary>See <see cref="MinRequestBodyBytesPerSecond"/>.</summary>
    public TimeSpan MinRequestBodyGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>An event is <c>near</c> (rather than <c>far</c>) this long before it starts, unless it has its own notification period.</summary>
    public TimeSpan NearWindow { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// When a VEN registers a TELEMETRY_USAGE or TELEMETRY_STATUS report, the VTN asks for it at this
    /// period (kept within the report's sampling range); zero asks for nothing on its own.
    /// </summary>
    public TimeSpan TelemetryGranularity { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>First delay before a failed push is retried; it doubles per attempt up to <see cref="PushMaxRetryDelay"/>.</summary>
    public TimeSpan PushRetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest delay between push attempts.</summary>
    public TimeSpan PushMaxRetryDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A push message is given up after this many attempts.</summary>
    public int PushMaxAttempts { get; init; } = 20;

    /// <summary>Time allowed for one push POST.</summary>
    public TimeSpan PushTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Push POSTs in flight at once.</summary>
    public int PushConcurrency { get; init; } = 64;

    /// <summary>
    /// Where the operator REST API (<c>/api/...</c>, OpenAPI document at <c>/api/openapi.json</c>)
    /// listens: plain HTTP on a loopback address (<c>http://127.0.0.1:0</c>); empty for no API.
    /// It is never served on the VEN listeners, and the OpenADR services never on it. Put an
    /// authenticating reverse proxy in front to reach it from elsewhere.
    /// </summary>
    public IReadOnlyList<string> OperatorUrls { get; init; } = [];

    /// <summary>
    /// <see cref="OadrSecurityLevel.High"/> signs every payload the VTN sends and refuses (463) every
    /// payload received without a valid signature by the sending VEN's certificate, within
    /// <see cref="SignatureReplayWindow"/>, with a nonce not seen before.
    /// </summary>
    public OadrSecurityLevel Security { get; init; } = OadrSecurityLevel.Standard;

    /// <summary>The certificate (with private key) the VTN signs with at high security; the first of <see cref="ServerCertificates"/> when null.</summary>
    public X509Certificate2? SigningCertificate { get; init; }

    /// <summary>How far a signed payload's <c>ReplayProtect</c> timestamp may be from the VTN's clock, either way.</summary>
    public TimeSpan SignatureReplayWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The VTN's XMPP session (its JID, the server, TLS and SASL); when set, the VTN also serves the
    /// OpenADR 2.0b XMPP transport (issue 6): VENs register with <c>oadrTransportName</c> xmpp and
    /// their full JID as <c>oadrTransportAddress</c>, send payloads in IQ sets to the VTN's JID and
    /// get everything the VTN has for them pushed in IQ sets.
    /// </summary>
    public FlexCoop.Xmpp.XmppClientOptions? Xmpp { get; init; }

    /// <summary>
    /// When set, every OpenADR exchange served (request, response, status, venID) is appended to this
    /// file as one JSON line (format <c>flexcoop-message-log/1</c>), which <c>flexcoop replay</c> reads.
    /// </summary>
    public string? MessageLogPath { get; init; }

    /// <summary>Deliberate protocol faults, for proving the VTN certification suite (<see cref="VtnFaults"/>); never in production.</summary>
    public VtnFault Faults { get; init; }

    /// <summary>Throws <see cref="VtnConfigurationException"/> naming the first inconsistency.</summary>
    public VtnOptions Validate()
    {
        if (string.IsNullOrWhiteSpace(VtnId)) throw new VtnConfigurationException("VtnId is empty");
        if (Urls.Count == 0) throw new VtnConfigurationException("no URL to listen on");
        foreach (var url in Urls)
        {
            if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
                || uri.Scheme is not ("http" or "https"))
            {
                throw new VtnConfigurationException($"'{url}' is not an http:// or https:// URL");
            }
            if (uri.Scheme == "http" && !InsecureHttp)
            {
                throw new VtnConfigurationException($"'{url}' is plain HTTP: OpenADR 2.0b requires TLS with client certificates; set InsecureHttp to allow it for development");
            }
            if (uri.Scheme == "https" && InsecureHttp)
            {
                throw new VtnConfigurationException($"'{url}' is https but InsecureHttp is set");
            }
        }
        foreach (var url in OperatorUrls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != "http"
                || !(uri.IsLoopback || (System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && System.Net.IPAddress.IsLoopback(ip))))
            {
                throw new VtnConfigurationException($"operator URL '{url}' must be http:// on a loopback address (127.0.0.1, [::1], localhost)");
            }
        }
        if (!InsecureHttp)
        {
            if (ServerCertificates.Count == 0) throw new VtnConfigurationException("TLS needs at least one server certificate");
            if (ServerCertificates.Any(c => !c.HasPrivateKey)) throw new VtnConfigurationException("a server certificate has no private key");
            if (ClientCertificateAuthorities.Count == 0) throw new VtnConfigurationException("TLS with client certificates needs at least one CA certificate to validate VENs against");
        }
        if (Security == OadrSecurityLevel.High)
        {
            var signing = SigningCertificate ?? ServerCertificates.FirstOrDefault();
            if (signing is null || !signing.HasPrivateKey) throw new VtnConfigurationException("high security needs a signing certificate with its private key (SigningCertificate or a server certificate)");
            if (ClientCertificateAuthorities.Count == 0) throw new VtnConfigurationException("high security needs the CA certificate(s) VEN signatures must chain to");
            if (SignatureReplayWindow <= TimeSpan.Zero) throw new VtnConfigurationException("SignatureReplayWindow must be positive");
        }
        if (RequestedPollFrequency <= TimeSpan.Zero) throw new VtnConfigurationException("RequestedPollFrequency must be positive");
        if (Programs.Count == 0) throw new VtnConfigurationException("at least one program (market context) is needed");
        if (MaxRequestBodyBytes < 1024) throw new VtnConfigurationException("MaxRequestBodyBytes below 1 KiB cannot hold an OpenADR message");
        if (PushMaxAttempts < 1) throw new VtnConfigurationException("PushMaxAttempts must be at least 1");
        if (PushConcurrency < 1) throw new VtnConfigurationException("PushConcurrency must be at least 1");
        return this;
    }
}
