using System.Xml.Linq;

namespace FlexCoop.Xmpp;

/// <summary>The <c>type</c> of a stanza error (RFC 6120 §8.3.2).</summary>
public enum StanzaErrorType
{
    Auth,
    Cancel,
    Continue,
    Modify,
    Wait,
}

/// <summary>A stanza error (RFC 6120 §8.3): its type, defined condition and optional text.</summary>
public sealed record StanzaError(StanzaErrorType Type, string Condition, string? Text = null)
{
    /// <summary>The <c>&lt;error/&gt;</c> element.</summary>
    public XElement ToXElement()
    {
        var e = new XElement(XmppNames.Client + "error",
            new XAttribute("type", Type.ToString().ToLowerInvariant()),
            new XElement(XmppNames.Stanzas + Condition));
        if (Text is not null)
        {
            e.Add(new XElement(XmppNames.Stanzas + "text", Text));
        }
        return e;
    }

    /// <summary>Reads an <c>&lt;error/&gt;</c> element; an unknown type reads as cancel.</summary>
    public static StanzaError FromXElement(XElement error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var type = (string?)error.Attribute("type") switch
        {
            "auth" => StanzaErrorType.Auth,
            "continue" => StanzaErrorType.Continue,
            "modify" => StanzaErrorType.Modify,
            "wait" => StanzaErrorType.Wait,
            _ => StanzaErrorType.Cancel,
        };
        var condition = error.Elements().FirstOrDefault(e => e.Name.Namespace == XmppNames.Stanzas && e.Name.LocalName != "text");
        var text = error.Element(XmppNames.Stanzas + "text");
        return new StanzaError(type, condition?.Name.LocalName ?? "undefined-condition", text?.Value);
    }
}

/// <summary>
/// An XMPP stanza in the <c>jabber:client</c> namespace (RFC 6120 §8): addressing, id,
/// <c>xml:lang</c>, and its child elements as payload.
/// </summary>
public abstract record Stanza
{
    /// <summary>The intended recipient, or null for the user's own server or account.</summary>
    public Jid? To { get; init; }

    /// <summary>The sender as stamped by the server.</summary>
    public Jid? From { get; init; }

    /// <summary>The stanza id; IQs always carry one.</summary>
    public string? Id { get; init; }

    /// <summary>The <c>xml:lang</c> attribute, if present.</summary>
    public string? Lang { get; init; }

    /// <summary>The child elements other than <c>&lt;error/&gt;</c> (and <c>&lt;body/&gt;</c> on messages).</summary>
    public IReadOnlyList<XElement> Payload { get; init; } = [];

    /// <summary>The error when the stanza has <c>type='error'</c>.</summary>
    public StanzaError? Error { get; init; }

    /// <summary>The stanza's element name (<c>iq</c>, <c>message</c> or <c>presence</c>).</summary>
    public abstract string Kind { get; }

    /// <summary>The <c>type</c> attribute value, or null when absent.</summary>
    protected abstract string? TypeText { get; }

    /// <summary>The first payload element, or null.</summary>
    public XElement? FirstPayload => Payload.Count > 0 ? Payload[0] : null;

    /// <summary>Serialises the stanza as an element in <c>jabber:client</c>.</summary>
    public virtual XElement ToXElement()
    {
        var e = new XElement(XmppNames.Client + Kind);
        if (To is not null) e.Add(new XAttribute("to", To.ToString()));
        if (From is not null) e.Add(new XAttribute("from", From.ToString()));
        if (Id is not null) e.Add(new XAttribute("id", Id));
        if (TypeText is not null) e.Add(new XAttribute("type", TypeText));
        if (Lang is not null) e.Add(new XAttribute(XNamespace.Xml + "lang", Lang));
        AddChildren(e);
        foreach (var p in Payload)
        {
            e.Add(p);
        }
        if (Error is not null)
        {
            e.Add(Error.ToXElement());
        }
        return e;
    }

    /// <summary>Adds stanza-specific children before the payload.</summary>
    protected virtual void AddChildren(XElement element)
    {
    }

    /// <summary>True when the element is an <c>iq</c>, <c>message</c> or <c>presence</c> in <c>jabber:client</c>.</summary>
    public static bool IsStanza(XElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        return element.Name.Namespace == XmppNames.Client && element.Name.LocalName is "iq" or "message" or "presence";
    }

    /// <summary>
    /// Reads a stanza. Throws <see cref="XmppStreamException"/> (<c>invalid-from</c>,
    /// <c>bad-format</c>) when the element is not a valid stanza.
    /// </summary>
    public static Stanza FromXElement(XElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        if (!IsStanza(element))
        {
            throw new XmppStreamException("unsupported-stanza-type", $"'{element.Name}' is not a stanza");
        }
        var to = ReadJid(element, "to", "improper-addressing");
        var from = ReadJid(element, "from", "invalid-from");
        var id = (string?)element.Attribute("id");
        var lang = (string?)element.Attribute(XNamespace.Xml + "lang");
        var type = (string?)element.Attribute("type");
        var errorElement = element.Element(XmppNames.Client + "error");
        var error = errorElement is null ? null : StanzaError.FromXElement(errorElement);
        switch (element.Name.LocalName)
        {
            case "iq":
            {
                var iqType = type switch
                {
                    "get" => IqType.Get,
                    "set" => IqType.Set,
                    "result" => IqType.Result,
                    "error" => IqType.Error,
                    _ => throw new XmppStreamException("bad-format", $"iq type '{type}' is not get, set, result or error"),
                };
                if (id is null)
                {
                    throw new XmppStreamException("bad-format", "an iq must have an id");
                }
                return new Iq(iqType) { To = to, From = from, Id = id, Lang = lang, Error = error, Payload = PayloadOf(element, null) };
            }
            case "message":
            {
                var messageType = type switch
                {
                    null or "normal" => MessageType.Normal,
                    "chat" => MessageType.Chat,
                    "groupchat" => MessageType.Groupchat,
                    "headline" => MessageType.Headline,
                    "error" => MessageType.Error,
                    _ => MessageType.Normal,
                };
                var body = element.Element(XmppNames.Client + "body");
                return new Message(messageType)
                {
                    To = to, From = from, Id = id, Lang = lang, Error = error, Body = body?.Value,
                    Payload = PayloadOf(element, XmppNames.Client + "body"),
                };
            }
            default:
            {
                var presenceType = type switch
                {
                    null => PresenceType.Available,
                    "unavailable" => PresenceType.Unavailable,
                    "subscribe" => PresenceType.Subscribe,
                    "subscribed" => PresenceType.Subscribed,
                    "unsubscribe" => PresenceType.Unsubscribe,
                    "unsubscribed" => PresenceType.Unsubscribed,
                    "probe" => PresenceType.Probe,
                    "error" => PresenceType.Error,
                    _ => throw new XmppStreamException("bad-format", $"presence type '{type}' is not defined"),
                };
                return new Presence(presenceType) { To = to, From = from, Id = id, Lang = lang, Error = error, Payload = PayloadOf(element, null) };
            }
        }
    }

    private static XElement[] PayloadOf(XElement element, XName? skip) =>
        element.Elements().Where(e => e.Name != XmppNames.Client + "error" && e.Name != skip).ToArray();

    private static Jid? ReadJid(XElement element, string attribute, string condition)
    {
        var value = (string?)element.Attribute(attribute);
        if (value is null)
        {
            return null;
        }
        return Jid.TryParse(value, out var jid)
            ? jid
            : throw new XmppStreamException(condition, $"'{attribute}' is not a valid JID");
    }
}

/// <summary>The <c>type</c> of an IQ.</summary>
public enum IqType
{
    Get,
    Set,
    Result,
    Error,
}

/// <summary>An info/query stanza (RFC 6120 §8.2.3): a request (<c>get</c>/<c>set</c>) and its one response.</summary>
public sealed record Iq(IqType Type) : Stanza
{
    public override string Kind => "iq";

    protected override string? TypeText => Type.ToString().ToLowerInvariant();

    /// <summary>A <c>result</c> to this request, addressed back to its sender, with an optional payload.</summary>
    public Iq CreateResult(XElement? payload = null) =>
        new(IqType.Result) { To = From, Id = Id, Payload = payload is null ? [] : [payload] };

    /// <summary>An <c>error</c> response to this request.</summary>
    public Iq CreateError(StanzaErrorType type, string condition, string? text = null) =>
        new(IqType.Error) { To = From, Id = Id, Error = new StanzaError(type, condition, text) };
}

/// <summary>The <c>type</c> of a message.</summary>
public enum MessageType
{
    Normal,
    Chat,
    Groupchat,
    Headline,
    Error,
}

/// <summary>A message stanza (RFC 6120 §8, RFC 6121 §5): push, no answer expected.</summary>
public sealed record Message(MessageType Type = MessageType.Normal) : Stanza
{
    /// <summary>The <c>&lt;body/&gt;</c> text, if any.</summary>
    public string? Body { get; init; }

    public override string Kind => "message";

    protected override string? TypeText => Type == MessageType.Normal ? null : Type.ToString().ToLowerInvariant();

    protected override void AddChildren(XElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        if (Body is not null)
        {
            element.Add(new XElement(XmppNames.Client + "body", Body));
        }
    }
}

/// <summary>The <c>type</c> of a presence; <see cref="Available"/> is the absent attribute.</summary>
public enum PresenceType
{
    Available,
    Unavailable,
    Subscribe,
    Subscribed,
    Unsubscribe,
    Unsubscribed,
    Probe,
    Error,
}

/// <summary>A presence stanza (RFC 6121 §4).</summary>
public sealed record Presence(PresenceType Type = PresenceType.Available) : Stanza
{
    public override string Kind => "presence";

    protected override string? TypeText => Type == PresenceType.Available ? null : Type.ToString().ToLowerInvariant();
}
