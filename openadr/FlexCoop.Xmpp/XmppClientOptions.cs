using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace FlexCoop.Xmpp;

/// <summary>
/// How an <see cref="XmppClient"/> connects, authenticates and recovers. Immutable; checked
/// once by <see cref="Validate"/> when the client is built.
/// </summary>
public sealed record XmppClientOptions
{
    /// <summary>The account: <c>localpart@domain</c>, with an optional resource to request at bind.</summary>
    public required Jid Jid { get; init; }

    /// <summary>The password for SCRAM-SHA-1 or PLAIN; null when only EXTERNAL is used.</summary>
    public string? Password { get; init; }

    /// <summary>The host to connect to; defaults to the JID's domain.</summary>
    public string? Host { get; init; }

    /// <summary>The TCP port (default 5222).</summary>
    public int Port { get; init; } = 5222;

    /// <summary>When true (default) the stream must be upgraded with STARTTLS before SASL.</summary>
    public bool RequireTls { get; init; } = true;

    /// <summary>The TLS protocol versions allowed (default TLS 1.2 and 1.3).</summary>
    public SslProtocols TlsProtocols { get; init; } = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>
    /// The cipher suites to offer, as for the HTTP transport (OpenADR names TLS 1.2 suites);
    /// null keeps the operating system's default. Not settable on Windows.
    /// </summary>
    public IReadOnlyList<TlsCipherSuite>? CipherSuites { get; init; }

    /// <summary>
    /// The CAs the server certificate must chain to; null uses the system store. The name
    /// checked is <see cref="TlsServerName"/>.
    /// </summary>
    public X509Certificate2Collection? TrustedCertificates { get; init; }

    /// <summary>The name the server certificate must carry; defaults to the JID's domain.</summary>
    public string? TlsServerName { get; init; }

    /// <summary>The client certificate (with private key) presented in TLS and used by SASL EXTERNAL.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>
    /// The SASL mechanisms to try, in order of preference. Default: EXTERNAL when a client
    /// certificate is set, then SCRAM-SHA-1, then PLAIN.
    /// </summary>
    public IReadOnlyList<string>? SaslMechanisms { get; init; }

    /// <summary>Allows PLAIN over an unencrypted stream (development only; default false).</summary>
    public bool AllowPlainWithoutTls { get; init; }

    /// <summary>TCP connect plus stream negotiation must finish within this (default 15 s).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Default time an IQ waits for its response (default 30 s).</summary>
    public TimeSpan IqTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Enables stream management (XEP-0198) with resumption when the server offers it (default true).</summary>
    public bool StreamManagement { get; init; } = true;

    /// <summary>
    /// With stream management, an ack is requested (<c>&lt;r/&gt;</c>) once this many stanzas are
    /// unacknowledged (default 8). Unacknowledged stanzas are kept and sent again after a reconnect.
    /// </summary>
    public int AckRequestThreshold { get; init; } = 8;

    /// <summary>
    /// With stream management, every IQ answer this client sends (result or error) is followed, in
    /// the same write, by an <c>&lt;a/&gt;</c> acknowledging the stanzas received so far (XEP-0198 lets
    /// either party acknowledge at any time). The server can then drop its copies of what it sent
    /// (the request included) at once instead of keeping them until it asks with <c>&lt;r/&gt;</c>:
    /// a session that receives a few requests and answers them (a VEN) costs the server no growing
    /// queue. Default true.
    /// </summary>
    public bool AcknowledgeWithAnswers { get; init; } = true;

    /// <summary>
    /// After this long without receiving anything the server is pinged (XEP-0199); no answer
    /// within the same time drops the connection and reconnects. Default 60 s; zero disables it.
    /// </summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How many recent (sender, id) pairs of received messages are remembered to drop a second
    /// delivery after a session that could not be resumed (default 4096; 0 turns it off).
    /// </summary>
    public int MessageDeduplicationWindow { get; init; } = 4096;

    /// <summary>Reconnects after a lost connection (default true).</summary>
    public bool Reconnect { get; init; } = true;

    /// <summary>First back-off delay; doubled per attempt up to <see cref="ReconnectMaxDelay"/>, with ±50 % jitter.</summary>
    public TimeSpan ReconnectInitialDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Largest back-off delay (default 30 s).</summary>
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts before giving up (default 20; 0 means no limit).</summary>
    public int MaxReconnectAttempts { get; init; } = 20;

    /// <summary>Sends an initial available presence after binding (default true).</summary>
    public bool SendInitialPresence { get; init; } = true;

    /// <summary>Largest element accepted from the server in bytes (default 256 KiB).</summary>
    public int MaxStanzaBytes { get; init; } = 256 * 1024;

    /// <summary>Deepest element nesting accepted in one stanza (default 32).</summary>
    public int MaxDepth { get; init; } = 32;

    /// <summary>The identity we announce in disco#info (XEP-0030).</summary>
    public DiscoIdentity Identity { get; init; } = new("client", "bot", "FlexCoop");

    /// <summary>Extra features announced in disco#info, besides disco and ping.</summary>
    public IReadOnlyList<string> Features { get; init; } = [];

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Jid is null || Jid.Local is null)
        {
            throw new ArgumentException("Jid must be an account address localpart@domain", nameof(Jid));
        }
        if (Port is < 1 or > 65535)
        {
            throw new ArgumentException("Port must be 1..65535", nameof(Port));
        }
        if (Password is null && ClientCertificate is null)
        {
            throw new ArgumentException("set a Password (SCRAM-SHA-1/PLAIN) or a ClientCertificate (EXTERNAL)", nameof(Password));
        }
        if (ConnectTimeout <= TimeSpan.Zero || IqTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("timeouts must be positive", nameof(IqTimeout));
        }
        if (ReconnectInitialDelay <= TimeSpan.Zero || ReconnectMaxDelay < ReconnectInitialDelay || MaxReconnectAttempts < 0)
        {
            throw new ArgumentException("reconnect delays must be positive and MaxReconnectAttempts >= 0", nameof(ReconnectInitialDelay));
        }
        if (KeepAliveInterval < TimeSpan.Zero || KeepAliveInterval > TimeSpan.Zero && KeepAliveInterval < TimeSpan.FromMilliseconds(100))
        {
            throw new ArgumentException("KeepAliveInterval must be zero (off) or at least 100 ms", nameof(KeepAliveInterval));
        }
        if (MessageDeduplicationWindow < 0)
        {
            throw new ArgumentException("MessageDeduplicationWindow must be >= 0", nameof(MessageDeduplicationWindow));
        }
        if (AckRequestThreshold < 1)
        {
            throw new ArgumentException("AckRequestThreshold must be at least 1", nameof(AckRequestThreshold));
        }
        if (MaxStanzaBytes < 4096 || MaxDepth < 4)
        {
            throw new ArgumentException("MaxStanzaBytes must be >= 4096 and MaxDepth >= 4", nameof(MaxStanzaBytes));
        }
        if (CipherSuites is { Count: > 0 } && OperatingSystem.IsWindows())
        {
            throw new ArgumentException("this platform cannot pin TLS cipher suites; set CipherSuites to null", nameof(CipherSuites));
        }
    }
}
