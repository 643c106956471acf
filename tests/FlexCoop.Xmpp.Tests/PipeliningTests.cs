using System.Text;
using System.Xml.Linq;

namespace FlexCoop.Xmpp.Tests;

/// <summary>
/// Many stanzas in flight on one session (the VTN pushing to thousands of VENs): sends queued in call
/// order share writes, IQs are correlated whatever the order of answers, and a payload serialised
/// once by the caller goes into the stanza as it is, after a check that it is one element.
/// </summary>
public sealed class PipeliningTests
{
    private static readonly XNamespace Test = "urn:flexcoop:test:pipelining";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string RunPrefix() => Guid.NewGuid().ToString("N")[..8] + ":";

    [Fact]
    public async Task Messages_queued_without_awaiting_each_arrive_once_in_call_order()
    {
        var prosody = Prosody.Require();
        await using var alice = await prosody.ConnectAsync(1, "pipe-a");
        await using var bob = await prosody.ConnectAsync(2, "pipe-b");
        var run = RunPrefix();
        const int count = 400;
        // Started back to back: most are queued while an earlier write is still going on.
        var sends = Enumerable.Range(0, count).Select(i => alice.SendMessageAsync(new Message(MessageType.Chat) { To = bob.Jid, Body = $"{run}{i}" }, Ct)).ToArray();
        await Task.WhenAll(sends);
        var got = new List<int>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (got.Count < count)
        {
            var message = await bob.Messages.ReadAsync(timeout.Token);
            if (message.Body is { } body && body.StartsWith(run, StringComparison.Ordinal))
            {
                got.Add(int.Parse(body[run.Length..], System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        Assert.Equal(Enumerable.Range(0, count), got);
        // The server acknowledged what it received: the unacknowledged queue does not grow with the burst.
        await alice.PingAsync(cancellationToken: Ct);
        Assert.InRange(alice.UnacknowledgedCount, 0, 2 * alice.Options.AckRequestThreshold);
    }

    [Fact]
    public async Task Concurrent_iqs_on_one_session_each_get_their_own_answer()
    {
        var prosody = Prosody.Require();
        await using var alice = await prosody.ConnectAsync(1, "conc-a");
        await using var bob = await prosody.ConnectAsync(2, "conc-b");
        bob.SetIqHandler(Test + "echo", async (iq, ct) =>
        {
            // Answers come back out of order.
            var n = int.Parse(iq.FirstPayload!.Value, System.Globalization.CultureInfo.InvariantCulture);
            if (n % 3 == 0) await Task.Yield();
            return new XElement(Test + "echo", n * 2);
        });
        var results = await Task.WhenAll(Enumerable.Range(0, 300).Select(async i =>
            (i, (await alice.SendIqAsync(new Iq(IqType.Get) { To = bob.Jid, Payload = [new XElement(Test + "echo", i)] }, cancellationToken: Ct)).FirstPayload!.Value)));
        Assert.All(results, r => Assert.Equal((r.i * 2).ToString(System.Globalization.CultureInfo.InvariantCulture), r.Value));
    }

    [Fact]
    public async Task Serialised_payload_reaches_the_handler_as_the_element_written_and_the_result_comes_back()
    {
        var prosody = Prosody.Require();
        await using var alice = await prosody.ConnectAsync(1, "raw-a");
        await using var bob = await prosody.ConnectAsync(2, "raw-b");
        XElement? received = null;
        bob.SetIqHandler(Test + "doc", (iq, _) =>
        {
            received = iq.FirstPayload;
            return ValueTask.FromResult<XElement?>(new XElement(Test + "done", iq.FirstPayload!.Elements().Count()));
        });
        // As a serializer writes a document: BOM, declaration, indentation, a prefixed child and an escaped character.
        var document = "\uFEFF<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<doc xmlns=\"urn:flexcoop:test:pipelining\" xmlns:p=\"urn:flexcoop:test:other\">\n  <item n=\"1\">a &amp; b</item>\n  <p:item>é</p:item>\n</doc>\n";
        var result = await alice.SendIqAsync(bob.Jid, IqType.Set, Encoding.UTF8.GetBytes(document), cancellationToken: Ct);
        Assert.Equal("2", result.FirstPayload!.Value);
        Assert.NotNull(received);
        Assert.Equal(Test + "doc", received.Name);
        Assert.Equal("a & b", received.Element(Test + "item")!.Value);
        Assert.Equal("é", received.Element(XName.Get("item", "urn:flexcoop:test:other"))!.Value);
    }

    [Fact]
    public async Task Serialised_payload_error_answer_is_a_stanza_exception()
    {
        var prosody = Prosody.Require();
        await using var alice = await prosody.ConnectAsync(1, "rawerr-a");
        await using var bob = await prosody.ConnectAsync(2, "rawerr-b");
        var e = await Assert.ThrowsAsync<XmppStanzaException>(() =>
            alice.SendIqAsync(bob.Jid, IqType.Set, "<nobody-handles xmlns='urn:flexcoop:test:pipelining'/>"u8.ToArray(), cancellationToken: Ct));
        Assert.Equal("service-unavailable", e.Condition);
    }

    [Theory]
    [InlineData("<a xmlns='urn:x'/><b xmlns='urn:x'/>", "two elements")]
    [InlineData("<!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>", "a DTD")]
    [InlineData("<a xmlns='urn:x'>&e;</a>", "an undefined entity")]
    [InlineData("<a xmlns='urn:x'><!-- note --></a>", "a comment")]
    [InlineData("<a xmlns='urn:x'><?pi data?></a>", "a processing instruction")]
    [InlineData("<a xmlns='urn:x'><b></a>", "mismatched tags")]
    [InlineData("text", "no element")]
    [InlineData("   ", "nothing")]
    [InlineData("<?xml version='1.0'", "an unclosed declaration")]
    [InlineData("<a xmlns='urn:x'><b><c><d><e><f/></e></d></c></b></a>", "nesting deeper than MaxDepth 4")]
    public async Task Serialised_payload_that_is_not_one_plain_element_is_refused_before_anything_is_sent(string payload, string what)
    {
        // Not connected: a payload that passed the check would fail with InvalidOperationException instead.
        await using var client = new XmppClient(new XmppClientOptions { Jid = Jid.Parse("ven@example.test"), Password = "x", MaxDepth = 4 });
        var e = await Assert.ThrowsAsync<ArgumentException>(() => client.SendIqAsync(Jid.Parse("vtn@example.test/r"), IqType.Set, Encoding.UTF8.GetBytes(payload), cancellationToken: Ct));
        Assert.False(string.IsNullOrEmpty(e.Message), what);
    }

    [Fact]
    public async Task Serialised_payload_over_the_stanza_limit_is_refused_and_one_within_passes_the_check()
    {
        await using var client = new XmppClient(new XmppClientOptions { Jid = Jid.Parse("ven@example.test"), Password = "x", MaxStanzaBytes = 64 * 1024 });
        var big = Encoding.UTF8.GetBytes("<a xmlns='urn:x'>" + new string('x', 64 * 1024) + "</a>");
        await Assert.ThrowsAsync<ArgumentException>(() => client.SendIqAsync(null, IqType.Set, big, cancellationToken: Ct));
        var fine = Encoding.UTF8.GetBytes("<?xml version='1.0'?><a xmlns='urn:x'><b/></a>");
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.SendIqAsync(null, IqType.Set, fine, cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => client.SendIqAsync(null, IqType.Result, fine, cancellationToken: Ct));
    }
}
