using System.Text;
using System.Xml.Linq;
using CsCheck;

namespace FlexCoop.Xmpp.Tests;

public sealed class XmppStreamReaderTests
{
    private const string Header =
        "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' from='localhost' id='s1' version='1.0' xml:lang='en'>";

    private static List<XmppStreamEvent> ReadAll(XmppStreamReader reader, string text, int chunk = int.MaxValue)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var events = new List<XmppStreamEvent>();
        for (var i = 0; i < bytes.Length; i += chunk)
        {
            reader.Append(bytes.AsSpan(i, Math.Min(chunk, bytes.Length - i)));
            while (reader.TryRead(out var ev))
            {
                events.Add(ev);
            }
        }
        return events;
    }

    private static XmppStreamException Refuse(string body, XmppStreamReaderOptions? options = null) =>
        Assert.Throws<XmppStreamException>(() => ReadAll(new XmppStreamReader(options), Header + body));

    [Fact]
    public void Header_then_stanzas_then_close_are_read_in_order()
    {
        var events = ReadAll(new XmppStreamReader(), Header +
            "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>" +
            "<message to='a@b/c' type='chat'><body>x &lt;&amp;&gt; &#x263A;</body></message> \n " +
            "</stream:stream>");
        Assert.Equal(4, events.Count);
        var opened = Assert.IsType<XmppStreamOpened>(events[0]);
        Assert.Equal(("localhost", "s1", "1.0", "en"), (opened.From, opened.Id, opened.Version, opened.Lang));
        var features = Assert.IsType<XmppStreamElement>(events[1]).Element;
        Assert.Equal(XmppNames.Streams + "features", features.Name);
        Assert.NotNull(features.Element(XmppNames.Tls + "starttls")?.Element(XmppNames.Tls + "required"));
        var message = Assert.IsType<Message>(Stanza.FromXElement(Assert.IsType<XmppStreamElement>(events[2]).Element));
        Assert.Equal("x <&> \u263A", message.Body);
        Assert.Equal(MessageType.Chat, message.Type);
        Assert.IsType<XmppStreamClosed>(events[3]);
    }

    [Fact]
    public void Stanza_fed_one_byte_at_a_time_gives_the_same_element()
    {
        var text = Header + "<iq type='get' id='p1' from='localhost'><ping xmlns='urn:xmpp:ping'/></iq><presence/>";
        var whole = ReadAll(new XmppStreamReader(), text);
        var bytewise = ReadAll(new XmppStreamReader(), text, chunk: 1);
        Assert.Equal(3, bytewise.Count);
        Assert.Equal(((XmppStreamElement)whole[1]).Element.ToString(), ((XmppStreamElement)bytewise[1]).Element.ToString());
        var iq = Assert.IsType<Iq>(Stanza.FromXElement(((XmppStreamElement)bytewise[1]).Element));
        Assert.Equal(XmppNames.Ping + "ping", iq.FirstPayload!.Name);
    }

    [Fact]
    public void Prefixed_namespaces_and_cdata_resolve()
    {
        var events = ReadAll(new XmppStreamReader(), Header +
            "<message><x:payload xmlns:x='urn:test' x:a='1'><![CDATA[<raw & text>]]></x:payload></message>");
        var payload = ((XmppStreamElement)events[1]).Element.Elements().Single();
        Assert.Equal(XName.Get("payload", "urn:test"), payload.Name);
        Assert.Equal("1", (string?)payload.Attribute(XName.Get("a", "urn:test")));
        Assert.Equal("<raw & text>", payload.Value);
    }

    [Fact]
    public void Chunked_reading_equals_whole_reading_for_any_split() =>
        Gen.Int[1, 40].Sample(chunk =>
        {
            var text = Header + "<message id='m1'><body>h\u00e9llo \u263A w\u00f6rld</body><x xmlns='urn:a'><y b='&apos;q&apos;'/></x></message>";
            var whole = ReadAll(new XmppStreamReader(), text);
            var split = ReadAll(new XmppStreamReader(), text, chunk);
            return whole.Count == split.Count
                && ((XmppStreamElement)whole[1]).Element.ToString() == ((XmppStreamElement)split[1]).Element.ToString();
        });

    [Fact]
    public void Doctype_is_refused_as_restricted_xml()
    {
        var e = Assert.Throws<XmppStreamException>(() => ReadAll(new XmppStreamReader(),
            "<?xml version='1.0'?><!DOCTYPE stream [<!ENTITY x 'boom'>]><stream:stream xmlns:stream='http://etherx.jabber.org/streams'>"));
        Assert.Equal("restricted-xml", e.Condition);
    }

    [Fact]
    public void Entity_reference_is_refused_as_restricted_xml() =>
        Assert.Equal("restricted-xml", Refuse("<message><body>&xxe;</body></message>").Condition);

    [Fact]
    public void Comment_is_refused_as_restricted_xml() =>
        Assert.Equal("restricted-xml", Refuse("<message><!-- hi --></message>").Condition);

    [Fact]
    public void Processing_instruction_is_refused_as_restricted_xml() =>
        Assert.Equal("restricted-xml", Refuse("<message><?pi data?></message>").Condition);

    [Fact]
    public void Oversized_stanza_is_a_policy_violation()
    {
        var body = new string('a', 10_000);
        var e = Refuse($"<message><body>{body}</body></message>", new XmppStreamReaderOptions { MaxStanzaBytes = 4096 });
        Assert.Equal("policy-violation", e.Condition);
    }

    [Fact]
    public void Oversized_stanza_arriving_in_pieces_is_refused_before_it_is_buffered_whole()
    {
        var reader = new XmppStreamReader(new XmppStreamReaderOptions { MaxStanzaBytes = 4096 });
        ReadAll(reader, Header + "<message><body>");
        var chunk = Encoding.UTF8.GetBytes(new string('a', 1000));
        var e = Assert.Throws<XmppStreamException>(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                reader.Append(chunk);
                reader.TryRead(out _);
            }
        });
        Assert.Equal("policy-violation", e.Condition);
    }

    [Fact]
    public void Too_deep_nesting_is_a_policy_violation()
    {
        var deep = string.Concat(Enumerable.Repeat("<a>", 100)) + string.Concat(Enumerable.Repeat("</a>", 100));
        Assert.Equal("policy-violation", Refuse($"<message>{deep}</message>").Condition);
    }

    [Theory]
    [InlineData("<message><body></message>")]
    [InlineData("<message a='1' a='2'/>")]
    [InlineData("<message a=1/>")]
    [InlineData("<p:message/>")]
    [InlineData("<message><body>&#0;</body></message>")]
    [InlineData("<message><body>& </body></message>")]
    [InlineData("<1message/>")]
    [InlineData("</stream:features>")]
    public void Malformed_xml_is_not_well_formed(string body) =>
        Assert.Equal("not-well-formed", Refuse(body).Condition);

    [Fact]
    public void Invalid_utf8_is_not_well_formed()
    {
        var reader = new XmppStreamReader();
        ReadAll(reader, Header);
        reader.Append("<message><body>"u8);
        reader.Append([0xC3, 0x28]);
        reader.Append("</body></message>"u8);
        Assert.Equal("not-well-formed", Assert.Throws<XmppStreamException>(() => reader.TryRead(out _)).Condition);
    }

    [Fact]
    public void Wrong_stream_namespace_is_invalid_namespace()
    {
        var e = Assert.Throws<XmppStreamException>(() => ReadAll(new XmppStreamReader(), "<stream:stream xmlns:stream='urn:wrong'>"));
        Assert.Equal("invalid-namespace", e.Condition);
    }

    [Fact]
    public void Reader_stays_failed_after_an_error()
    {
        var reader = new XmppStreamReader();
        Assert.Throws<XmppStreamException>(() => ReadAll(reader, Header + "<!-- x -->"));
        Assert.Throws<XmppStreamException>(() => reader.Append("<presence/>"u8));
    }

    [Fact]
    public void Random_bytes_never_escape_as_an_untyped_exception() =>
        Gen.Byte.Array[0, 200].Sample(bytes =>
        {
            var reader = new XmppStreamReader(new XmppStreamReaderOptions { MaxStanzaBytes = 4096, MaxDepth = 8 });
            try
            {
                reader.Append(Encoding.UTF8.GetBytes(Header));
                reader.Append(bytes);
                while (reader.TryRead(out _))
                {
                }
            }
            catch (XmppStreamException)
            {
            }
        }, iter: 2000);

    [Fact]
    public void Writer_output_reads_back_as_the_same_stanza()
    {
        var message = new Message(MessageType.Chat)
        {
            To = Jid.Parse("bob@localhost/r"),
            Id = "m1",
            Body = "a < b & 'c'",
            Payload = [new XElement(XName.Get("oadrPayload", "http://openadr.org/oadr-2.0b/2012/07"), new XAttribute("x", "1"))],
        };
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        XmppStreamWriter.WriteElement(buffer, message.ToXElement());
        var reader = new XmppStreamReader();
        reader.Append(Encoding.UTF8.GetBytes(Header));
        reader.TryRead(out _);
        reader.Append(buffer.WrittenSpan);
        Assert.True(reader.TryRead(out var ev));
        var back = Assert.IsType<Message>(Stanza.FromXElement(((XmppStreamElement)ev).Element));
        Assert.Equal(message.Body, back.Body);
        Assert.Equal(message.To, back.To);
        Assert.Equal(message.Payload[0].Name, back.Payload[0].Name);
    }
}
