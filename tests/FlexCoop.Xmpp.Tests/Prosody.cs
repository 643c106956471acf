using System.Security.Cryptography.X509Certificates;
using FlexCoop.Testing;

namespace FlexCoop.Xmpp.Tests;

/// <summary>
/// The Prosody server started by scripts/ci/prosody.sh, described by the env file named in
/// FLEXCOOP_TEST_XMPP_ENV (default /tmp/flexcoop-prosody.env). Tests that need it skip
/// locally and fail under CI=true when it is not there.
/// </summary>
internal sealed class Prosody
{
    private static readonly Lazy<Prosody?> Instance = new(Load);
    private readonly Dictionary<string, string> _values;

    private Prosody(Dictionary<string, string> values) => _values = values;

    public string Host => _values["FLEXCOOP_TEST_XMPP_HOST"];
    public int Port => int.Parse(_values["FLEXCOOP_TEST_XMPP_PORT"], System.Globalization.CultureInfo.InvariantCulture);
    public string Domain => _values["FLEXCOOP_TEST_XMPP_DOMAIN"];
    public X509Certificate2Collection TrustedCa { get; private init; } = [];

    public string User(int n) => _values[$"FLEXCOOP_TEST_XMPP_USER{n}"];
    public string Password(int n) => _values[$"FLEXCOOP_TEST_XMPP_PASSWORD{n}"];
    public string Value(string name) => _values[name];

    public static Prosody Require()
    {
        var p = Instance.Value;
        if (p is null)
        {
            TestEnvironment.SkipOrFail("no Prosody test server: run 'scripts/ci/prosody.sh' (Debian packages prosody, prosody-modules) and set FLEXCOOP_TEST_XMPP_ENV to its env file");
        }
        return p!;
    }

    private static Prosody? Load()
    {
        var path = Environment.GetEnvironmentVariable("FLEXCOOP_TEST_XMPP_ENV") is { Length: > 0 } e ? e : "/tmp/flexcoop-prosody.env";
        if (!File.Exists(path))
        {
            return null;
        }
        var values = File.ReadAllLines(path)
            .Select(l => l.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.Ordinal);
        var ca = X509CertificateLoader.LoadCertificateFromFile(values["FLEXCOOP_TEST_XMPP_CA"]);
        var prosody = new Prosody(values) { TrustedCa = [ca] };
        // The env file may outlive the server: check that it listens.
        using var probe = new System.Net.Sockets.TcpClient();
        try
        {
            probe.Connect(prosody.Host, prosody.Port);
        }
        catch (System.Net.Sockets.SocketException)
        {
            return null;
        }
        return prosody;
    }

    public XmppClientOptions Options(int user, string? resource = null) => new()
    {
        Jid = Jid.Create(User(user), Domain, resource),
        Password = Password(user),
        Host = Host,
        Port = Port,
        TrustedCertificates = TrustedCa,
        IqTimeout = TimeSpan.FromSeconds(10),
        ReconnectInitialDelay = TimeSpan.FromMilliseconds(100),
        ReconnectMaxDelay = TimeSpan.FromSeconds(2),
        MaxReconnectAttempts = 60,
    };

    public async Task<XmppClient> ConnectAsync(int user, string? resource = null, Func<XmppClientOptions, XmppClientOptions>? change = null)
    {
        var options = Options(user, resource);
        var client = new XmppClient(change is null ? options : change(options));
        await client.ConnectAsync(TestContext.Current.CancellationToken);
        return client;
    }

    public async Task RestartAsync()
    {
        var (exitCode, _, stdErr) = await TestEnvironment.RunAsync("bash", Value("FLEXCOOP_TEST_XMPP_RESTART").Split(' '), timeout: TimeSpan.FromSeconds(60));
        Assert.True(exitCode == 0, stdErr);
    }
}
