using System.Xml.Linq;

namespace FlexCoop.Xmpp.Tests;

/// <summary>The README's example, compiled, and run against the test Prosody.</summary>
public sealed class ReadmeExampleTests
{
    [Fact]
    public async Task Readme_example_connects_answers_and_reads_a_message()
    {
        var prosody = Prosody.Require();
        var ct = TestContext.Current.CancellationToken;
        await using var vtn = await prosody.ConnectAsync(2, "readme-vtn");

        // --- as in README.md, with the test server's address and CA ---
        await using var client = new XmppClient(new XmppClientOptions
        {
            Jid = Jid.Parse($"{prosody.User(1)}@{prosody.Domain}/readme-ven"),
            Password = prosody.Password(1),
            Host = prosody.Host,
            Port = prosody.Port,
            TrustedCertificates = prosody.TrustedCa,
        });
        await client.ConnectAsync(ct);
        XNamespace oadr = "http://openadr.org/oadr-2.0b/2012/07";
        client.SetIqHandler(oadr + "oadrPayload", (iq, _) => ValueTask.FromResult<XElement?>(null));
        var info = await client.DiscoverInfoAsync(vtn.Jid!, cancellationToken: ct);
        await client.SendMessageAsync(new Message(MessageType.Chat) { To = vtn.Jid!.Bare, Body = "hello" }, ct);
        // ---

        Assert.True(info.Supports("urn:xmpp:ping"));
        // Cancelled (fails) when "hello" does not arrive within 20 s.
        await ProsodyClientTests.ReceiveAsync(vtn, 1, TimeSpan.FromSeconds(20), "hello");
        var answer = await vtn.SendIqAsync(new Iq(IqType.Set) { To = client.Jid, Payload = [new XElement(oadr + "oadrPayload")] }, cancellationToken: ct);
        Assert.Equal(IqType.Result, answer.Type);
    }
}
