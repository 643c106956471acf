using System.Text;
using System.Xml.Linq;

namespace FlexCoop.Xmpp.Tests;

/// <summary>IQ handlers that answer with an element already serialised (SetRawIqHandler), through a real Prosody.</summary>
public sealed class RawIqHandlerTests
{
    private static readonly XNamespace Test = "urn:flexcoop:test";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Raw_handler_answer_reaches_the_requester_as_the_result_payload()
    {
        var prosody = Prosody.Require();
        await using var alice = await prosody.ConnectAsync(1, "raw-a");
        await using var bob = await prosody.ConnectAsync(2, "raw-b");
        bob.SetRawIqHandler(Test + "echo", (iq, _) => ValueTask.FromResult<ReadOnlyMemory<byte>>(
            Encoding.UTF8.GetBytes($"<?xml version='1.0'?>\n<echo xmlns='urn:flexcoop:test' from='{iq.From}'><said>{iq.FirstPayload!.Value}</said></echo>\n")));
        var result = await alice.SendIqAsync(new Iq(IqType.Set) { To = bob.Jid, Payload = [new XElement(Test + "echo", "hello")] }, cancellationToken: Ct);
        Assert.Equal(IqType.Result, result.Type);
        Assert.Equal(bob.Jid, result.From);
        Assert.Equal(Test + "echo", result.FirstPayload!.Name);
        Assert.Equal(alice.Jid!.ToString(), (string?)result.FirstPayload.Attribute("from"));
        Assert.Equal("hello", result.FirstPayload.Element(Test + "said")?.Value);
    }

    [Fact]
    public async Task Raw_handler_returning_nothing_answers_an_empty_result()
    {
        var prosody = Prosody.Require();
        await using var alice = await prosody.ConnectAsync(1, "raw-empty-a");
        await using var bob = await prosody.ConnectAsync(2, "raw-empty-b");
        bob.SetRawIqHandler(Test + "nothing", (_, _) => ValueTask.FromResult(ReadOnlyMemory<byte>.Empty));
        var result = await alice.SendIqAsync(new Iq(IqType.Get) { To = bob.Jid, Payload = [new XElement(Test + "nothing")] }, cancellationToken: Ct);
        Assert.Equal(IqType.Result, result.Type);
        Assert.Empty(result.Payload);
    }

    [Fact]
    public async Task Raw_handler_returning_malformed_bytes_answers_internal_server_error_and_the_session_lives_on()
    {
        var prosody = Prosody.Require();
        await using var alice = await prosody.ConnectAsync(1, "raw-bad-a");
        await using var bob = await prosody.ConnectAsync(2, "raw-bad-b");
        bob.SetRawIqHandler(Test + "bad", (_, _) => ValueTask.FromResult<ReadOnlyMemory<byte>>("<open><unclosed></open>"u8.ToArray()));
        bob.SetRawIqHandler(Test + "two", (_, _) => ValueTask.FromResult<ReadOnlyMemory<byte>>("<a xmlns='urn:flexcoop:test'/><b/>"u8.ToArray()));
        foreach (var name in new[] { "bad", "two" })
        {
            var e = await Assert.ThrowsAsync<XmppStanzaException>(() =>
                alice.SendIqAsync(new Iq(IqType.Set) { To = bob.Jid, Payload = [new XElement(Test + name)] }, cancellationToken: Ct));
            Assert.Equal("internal-server-error", e.Condition);
        }
        // Nothing malformed went on bob's stream: the server still routes to him.
        bob.SetRawIqHandler(Test + "ok", (_, _) => ValueTask.FromResult<ReadOnlyMemory<byte>>("<ok xmlns='urn:flexcoop:test'/>"u8.ToArray()));
        var result = await alice.SendIqAsync(new Iq(IqType.Set) { To = bob.Jid, Payload = [new XElement(Test + "ok")] }, cancellationToken: Ct);
        Assert.Equal(Test + "ok", result.FirstPayload!.Name);
    }

    [Fact]
    public async Task Raw_handler_throwing_a_stanza_error_answers_with_that_error()
    {
        var prosody = Prosody.Require();
        await using var alice = await prosody.ConnectAsync(1, "raw-err-a");
        await using var bob = await prosody.ConnectAsync(2, "raw-err-b");
        bob.SetRawIqHandler(Test + "deny", (_, _) =>
            throw new XmppStanzaException(new StanzaError(StanzaErrorType.Auth, "not-authorized", "not you")));
        var e = await Assert.ThrowsAsync<XmppStanzaException>(() =>
            alice.SendIqAsync(new Iq(IqType.Set) { To = bob.Jid, Payload = [new XElement(Test + "deny")] }, cancellationToken: Ct));
        Assert.Equal("not-authorized", e.Condition);
        Assert.Equal(StanzaErrorType.Auth, e.Error.Type);
    }
}
