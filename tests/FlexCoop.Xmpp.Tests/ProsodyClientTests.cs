using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;

namespace FlexCoop.Xmpp.Tests;

/// <summary>The client against a real Prosody (Debian) started by scripts/ci/prosody.sh.</summary>
public sealed class ProsodyClientTests
{
    private static readonly XNamespace Test = "urn:flexcoop:test";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Scram_sha1_over_starttls_binds_the_requested_resource()
    {
        var prosody = Prosody.Require();
        await using var client = await prosody.ConnectAsync(1, "scram");
        Assert.Equal("SCRAM-SHA-1", client.Mechanism);
        Assert.True(client.IsSecure);
        Assert.Equal(Jid.Parse($"{prosody.User(1)}@{prosody.Domain}/scram"), client.Jid);
        Assert.True(client.IsStreamManagementEnabled);
    }

    [Fact]
    public async Task Plain_over_starttls_authenticates()
    {
        var prosody = Prosody.Require();
        await using var client = await prosody.ConnectAsync(1, "plain", o => o with { SaslMechanisms = ["PLAIN"] });
        Assert.Equal("PLAIN", client.Mechanism);
        Assert.True(client.IsSecure);
    }

    [Fact]
    public async Task Pinned_tls12_cipher_suite_is_negotiated()
    {
        var prosody = Prosody.Require();
        const TlsCipherSuite suite = TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256;
        await using var client = await prosody.ConnectAsync(1, "cipher", o => o with
        {
            TlsProtocols = System.Security.Authentication.SslProtocols.Tls12,
            CipherSuites = [suite],
        });
        Assert.Equal(suite, client.CipherSuite);
    }

    [Fact]
    public async Task External_authenticates_with_the_client_certificate()
    {
        var prosody = Prosody.Require();
        using var certificate = X509Certificate2.CreateFromPemFile(
            prosody.Value("FLEXCOOP_TEST_XMPP_EXTERNAL_CERT"), prosody.Value("FLEXCOOP_TEST_XMPP_EXTERNAL_KEY"));
        var domain = prosody.Value("FLEXCOOP_TEST_XMPP_EXTERNAL_DOMAIN");
        await using var client = new XmppClient(new XmppClientOptions
        {
            Jid = Jid.Create(prosody.Value("FLEXCOOP_TEST_XMPP_EXTERNAL_USER"), domain, "ven"),
            Host = prosody.Host,
            Port = prosody.Port,
            TrustedCertificates = prosody.TrustedCa,
            ClientCertificate = certificate,
        });
        await client.ConnectAsync(Ct);
        Assert.Equal("EXTERNAL", client.Mechanism);
        Assert.Equal(Jid.Parse($"{prosody.Value("FLEXCOOP_TEST_XMPP_EXTERNAL_USER")}@{domain}/ven"), client.Jid);
    }

    [Fact]
    public async Task Wrong_password_is_a_typed_authentication_failure()
    {
        var prosody = Prosody.Require();
        var client = new XmppClient(prosody.Options(1) with { Password = "wrong" });
        var e = await Assert.ThrowsAsync<XmppAuthenticationException>(() => client.ConnectAsync(Ct));
        Assert.Equal("not-authorized", e.Condition);
    }

    [Fact]
    public async Task Server_certificate_from_another_ca_is_refused()
    {
        var prosody = Prosody.Require();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Some other CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var otherCa = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var client = new XmppClient(prosody.Options(1) with { TrustedCertificates = [otherCa], Reconnect = false });
        await Assert.ThrowsAsync<XmppConnectionException>(() => client.ConnectAsync(Ct));
    }

    [Fact]
    public async Task Iq_round_trip_between_two_clients_returns_the_handlers_payload()
    {
        var prosody = Prosody.Require();
        await using var alice = await prosody.ConnectAsync(1, "iq-a");
        await using var bob = await prosody.ConnectAsync(2, "iq-b");
        bob.SetIqHandler(Test + "echo", (iq, _) =>
            ValueTask.FromResult<XElement?>(new XElement(Test + "echo", new XAttribute("from", iq.From!.ToString()), iq.FirstPayload!.Value)));
        var result = await alice.SendIqAsync(new Iq(IqType.Get) { To = bob.Jid, Payload = [new XElement(Test + "echo", "hello")] }, cancellationToken: Ct);
        Assert.Equal(IqType.Result, result.Type);
        Assert.Equal(bob.Jid, result.From);
        Assert.Equal("hello", result.FirstPayload!.Value);
        Assert.Equal(alice.Jid!.ToString(), (string?)result.FirstPayload.Attribute("from"));
    }

    [Fact]
    public async Task Iq_nobody_handles_is_a_service_unavailable_stanza_exception()
    {
        var prosody = Prosody.Require();
        await using var alice = await prosody.ConnectAsync(1, "su-a");
        await using var bob = await prosody.ConnectAsync(2, "su-b");
        var e = await Assert.ThrowsAsync<XmppStanzaException>(() =>
            alice.SendIqAsync(new Iq(IqType.Set) { To = bob.Jid, Payload = [new XElement(Test + "unknown")] }, cancellationToken: Ct));
        Assert.Equal("service-unavailable", e.Condition);
        Assert.Equal(StanzaErrorType.Cancel, e.Error.Type);
    }

    [Fact]
    public async Task Iq_to_an_absent_resource_is_answered_by_the_server_with_an_error()
    {
        var prosody = Prosody.Require();
        await using var alice = await prosody.ConnectAsync(1, "absent-a");
        var e = await Assert.ThrowsAsync<XmppStanzaException>(() =>
            alice.SendIqAsync(new Iq(IqType.Get) { To = Jid.Create(prosody.User(2), prosody.Domain, "nobody-here"), Payload = [new XElement(Test + "x")] }, cancellationToken: Ct));
        Assert.Equal("service-unavailable", e.Condition);
    }

    [Fact]
    public async Task Disco_info_of_an_unknown_node_is_item_not_found()
    {
        var prosody = Prosody.Require();
        await using var alice = await prosody.ConnectAsync(1, "inf-a");
        var e = await Assert.ThrowsAsync<XmppStanzaException>(() => alice.DiscoverInfoAsync(Jid.Parse(prosody.Domain), "urn:flexcoop:no-such-node", Ct));
        Assert.Equal("item-not-found", e.Condition);
    }

    [Fact]
    public async Task Disco_info_of_server_and_peer_list_their_features()
    {
        var prosody = Prosody.Require();
        await using var alice = await prosody.ConnectAsync(1, "disco-a");
        await using var bob = await prosody.ConnectAsync(2, "disco-b", o => o with { Features = ["http://openadr.org/openadr2"] });
        var server = await alice.DiscoverInfoAsync(Jid.Parse(prosody.Domain), cancellationToken: Ct);
        Assert.True(server.Supports("urn:xmpp:ping"));
        Assert.Contains(server.Identities, i => i.Category == "server");
        var peer = await alice.DiscoverInfoAsync(bob.Jid!, cancellationToken: Ct);
        Assert.True(peer.Supports("http://openadr.org/openadr2"));
        Assert.True(peer.Supports("http://jabber.org/protocol/disco#info"));
        Assert.Contains(peer.Identities, i => i is { Category: "client", Type: "bot" });
        var items = await alice.DiscoverItemsAsync(bob.Jid!, cancellationToken: Ct);
        Assert.Empty(items);
    }

    [Fact]
    public async Task Ping_reaches_the_server_and_a_peer()
    {
        var prosody = Prosody.Require();
        await using var alice = await prosody.ConnectAsync(1, "ping-a");
        await using var bob = await prosody.ConnectAsync(2, "ping-b");
        Assert.True(await alice.PingAsync(cancellationToken: Ct) > TimeSpan.Zero);
        Assert.True(await alice.PingAsync(bob.Jid, cancellationToken: Ct) > TimeSpan.Zero);
    }

    [Fact]
    public async Task Messages_between_clients_arrive_in_order()
    {
        var prosody = Prosody.Require();
        await using var alice = await prosody.ConnectAsync(1, "msg-a");
        await using var bob = await prosody.ConnectAsync(2, "msg-b");
        var run = RunPrefix();
        for (var i = 0; i < 20; i++)
        {
            await alice.SendMessageAsync(new Message(MessageType.Chat) { To = bob.Jid, Body = $"{run}m{i}" }, Ct);
        }
        var got = await ReceiveAsync(bob, 20, TimeSpan.FromSeconds(20), run);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"m{i}"), got);
        // 21 stanzas went out (presence and 20 messages); acks requested every 8 trimmed the queue.
        await alice.PingAsync(cancellationToken: Ct);
        Assert.InRange(alice.UnacknowledgedCount, 0, 2 * alice.Options.AckRequestThreshold);
    }

    [Fact]
    public async Task Receiver_connection_dropped_mid_stream_resumes_and_sees_every_message_once()
    {
        var prosody = Prosody.Require();
        await using var alice = await prosody.ConnectAsync(1, "drop-a");
        await using var bob = await prosody.ConnectAsync(2, "drop-b");
        var run = RunPrefix();
        var reconnected = new TaskCompletionSource<XmppReconnectedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        bob.Reconnected += (_, e) => reconnected.TrySetResult(e);
        const int n = 60;
        var receiving = ReceiveAsync(bob, n, TimeSpan.FromSeconds(40), run);
        for (var i = 0; i < n; i++)
        {
            if (i == 20)
            {
                bob.AbortConnection();
            }
            await alice.SendMessageAsync(new Message(MessageType.Chat) { To = bob.Jid, Body = $"{run}m{i}" }, Ct);
        }
        var got = await receiving;
        Assert.Equal(Enumerable.Range(0, n).Select(i => $"m{i}"), got);
        var e = await reconnected.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.True(e.Resumed);
        await AssertNothingMoreAsync(bob, run);
    }

    [Fact]
    public async Task Sender_connection_dropped_mid_stream_resends_unacknowledged_and_nothing_is_duplicated()
    {
        var prosody = Prosody.Require();
        await using var alice = await prosody.ConnectAsync(1, "sdrop-a");
        await using var bob = await prosody.ConnectAsync(2, "sdrop-b");
        var run = RunPrefix();
        var reconnected = new TaskCompletionSource<XmppReconnectedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        alice.Reconnected += (_, e) => reconnected.TrySetResult(e);
        const int n = 60;
        var receiving = ReceiveAsync(bob, n, TimeSpan.FromSeconds(40), run);
        for (var i = 0; i < n; i++)
        {
            await alice.SendMessageAsync(new Message(MessageType.Chat) { To = bob.Jid, Body = $"{run}m{i}" }, Ct);
            if (i == 30)
            {
                alice.AbortConnection();
            }
        }
        var got = await receiving;
        Assert.Equal(Enumerable.Range(0, n).Select(i => $"m{i}"), got);
        Assert.True((await reconnected.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct)).Resumed);
        await AssertNothingMoreAsync(bob, run);
    }

    [Fact]
    public async Task Second_session_with_the_same_resource_ends_the_first_with_a_conflict_stream_error()
    {
        var prosody = Prosody.Require();
        await using var first = await prosody.ConnectAsync(3, "same");
        var ended = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        first.Disconnected += (_, e) => ended.TrySetResult(e);
        await using var second = await prosody.ConnectAsync(3, "same");
        var e = Assert.IsType<XmppStreamException>(await ended.Task.WaitAsync(TimeSpan.FromSeconds(20), Ct));
        Assert.Equal("conflict", e.Condition);
        // A conflict is final: the first client does not reconnect and refuses to send.
        await Assert.ThrowsAnyAsync<Exception>(() => first.Messages.Completion.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        await Assert.ThrowsAsync<XmppConnectionException>(() => first.SendMessageAsync(new Message { To = second.Jid, Body = "x" }, Ct));
        Assert.Equal(second.Jid, first.Jid);
    }

    /// <summary>
    /// Reads <paramref name="count"/> message bodies. With a <paramref name="prefix"/> it keeps only bodies
    /// from this run (the server's offline storage may hold messages from an earlier, interrupted run)
    /// and returns them without the prefix.
    /// </summary>
    internal static async Task<List<string>> ReceiveAsync(XmppClient client, int count, TimeSpan timeout, string prefix = "")
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(timeout);
        var got = new List<string>();
        while (got.Count < count)
        {
            var message = await client.Messages.ReadAsync(cts.Token);
            if (message.Body is not null && message.Body.StartsWith(prefix, StringComparison.Ordinal))
            {
                got.Add(message.Body[prefix.Length..]);
            }
        }
        return got;
    }

    /// <summary>After a round trip through the server, no further (duplicate) message of this run is waiting.</summary>
    internal static async Task AssertNothingMoreAsync(XmppClient receiver, string prefix = "")
    {
        await receiver.PingAsync(cancellationToken: Ct);
        while (receiver.Messages.TryRead(out var extra))
        {
            Assert.False(extra.Body?.StartsWith(prefix, StringComparison.Ordinal) == true, $"unexpected extra message '{extra.Body}'");
        }
    }

    internal static string RunPrefix() => Guid.NewGuid().ToString("N")[..8] + ":";
}
