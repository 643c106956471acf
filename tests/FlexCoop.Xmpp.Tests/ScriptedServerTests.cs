using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FlexCoop.Xmpp.Tests;

/// <summary>
/// The client against a hostile or minimal server on a loopback socket: it answers the
/// client's stream header with fixed bytes, so the client's handling of them is exact.
/// </summary>
public sealed class ScriptedServerTests
{
    private const string Header = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' from='example.test' id='x1' version='1.0'>";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<Exception> ConnectAgainstAsync(string reply, Func<XmppClientOptions, XmppClientOptions>? change = null)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = Task.Run(async () =>
        {
            using var socket = await listener.AcceptTcpClientAsync(Ct);
            var stream = socket.GetStream();
            var buffer = new byte[4096];
            var seen = new StringBuilder();
            while (!seen.ToString().Contains("<stream:stream", StringComparison.Ordinal) || !seen.ToString().TrimEnd().EndsWith('>'))
            {
                var n = await stream.ReadAsync(buffer, Ct);
                if (n == 0) return;
                seen.Append(Encoding.UTF8.GetString(buffer, 0, n));
            }
            await stream.WriteAsync(Encoding.UTF8.GetBytes(reply), Ct);
            // Hold the connection until the client gives up.
            while (await stream.ReadAsync(buffer, Ct) > 0)
            {
            }
        }, Ct);
        var options = new XmppClientOptions
        {
            Jid = Jid.Parse("ven@example.test"),
            Password = "secret",
            Host = "127.0.0.1",
            Port = port,
            Reconnect = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        await using var client = new XmppClient(change is null ? options : change(options));
        var error = await Assert.ThrowsAnyAsync<XmppException>(() => client.ConnectAsync(Ct));
        listener.Stop();
        try
        {
            await server;
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            // the client closed first
        }
        return error;
    }

    [Fact]
    public async Task Server_sending_a_doctype_is_refused_as_restricted_xml()
    {
        var e = Assert.IsType<XmppStreamException>(await ConnectAgainstAsync(
            "<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'><!ENTITY lol2 '&lol;&lol;'>]><stream:stream xmlns:stream='http://etherx.jabber.org/streams'>"));
        Assert.Equal("restricted-xml", e.Condition);
    }

    [Fact]
    public async Task Server_stanza_with_an_entity_is_refused_as_restricted_xml()
    {
        var e = Assert.IsType<XmppStreamException>(await ConnectAgainstAsync(Header + "<stream:features><x>&xxe;</x></stream:features>"));
        Assert.Equal("restricted-xml", e.Condition);
    }

    [Fact]
    public async Task Server_stream_error_becomes_a_typed_exception_with_its_condition()
    {
        var e = Assert.IsType<XmppStreamException>(await ConnectAgainstAsync(Header +
            "<stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/><text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>no such host</text></stream:error></stream:stream>"));
        Assert.Equal("host-unknown", e.Condition);
        Assert.Equal("no such host", e.Text);
    }

    [Fact]
    public async Task Server_without_starttls_is_refused_when_tls_is_required() =>
        Assert.IsType<XmppConnectionException>(await ConnectAgainstAsync(Header +
            "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>"));

    [Fact]
    public async Task Plain_over_an_unencrypted_stream_is_not_used_unless_allowed()
    {
        var e = Assert.IsType<XmppAuthenticationException>(await ConnectAgainstAsync(Header +
            "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>",
            o => o with { RequireTls = false, SaslMechanisms = ["PLAIN"] }));
        Assert.Contains("no acceptable SASL mechanism", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Oversized_server_element_is_a_policy_violation()
    {
        var e = Assert.IsType<XmppStreamException>(await ConnectAgainstAsync(Header + "<stream:features><x>" + new string('a', 20_000) + "</x></stream:features>",
            o => o with { MaxStanzaBytes = 8192 }));
        Assert.Equal("policy-violation", e.Condition);
    }
}
