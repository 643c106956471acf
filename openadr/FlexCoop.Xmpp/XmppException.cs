namespace FlexCoop.Xmpp;

/// <summary>The root of every error this package raises.</summary>
public abstract class XmppException : Exception
{
    private protected XmppException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// A stream-level error (RFC 6120 §4.9): the stream is unusable afterwards. Raised when the
/// peer sends <c>&lt;stream:error/&gt;</c> or when the codec refuses its bytes (the
/// <see cref="Condition"/> is then the condition we would send, e.g. <c>not-well-formed</c>,
/// <c>restricted-xml</c> or <c>policy-violation</c>).
/// </summary>
public sealed class XmppStreamException : XmppException
{
    public XmppStreamException(string condition, string? text = null, Exception? innerException = null)
        : base(text is null ? $"XMPP stream error <{condition}/>" : $"XMPP stream error <{condition}/>: {text}", innerException)
    {
        Condition = condition;
        Text = text;
    }

    /// <summary>The defined condition, e.g. <c>not-well-formed</c>, <c>host-unknown</c>, <c>conflict</c>.</summary>
    public string Condition { get; }

    /// <summary>The optional human-readable text.</summary>
    public string? Text { get; }
}

/// <summary>
/// An IQ answered with <c>type='error'</c> (RFC 6120 §8.3): carries the error type and the
/// defined condition, e.g. <c>service-unavailable</c> or <c>item-not-found</c>.
/// </summary>
public sealed class XmppStanzaException : XmppException
{
    public XmppStanzaException(StanzaError error, Stanza? stanza = null)
        : base(error.Text is null
            ? $"XMPP stanza error {error.Type.ToString().ToLowerInvariant()} <{error.Condition}/>"
            : $"XMPP stanza error {error.Type.ToString().ToLowerInvariant()} <{error.Condition}/>: {error.Text}")
    {
        Error = error;
        Stanza = stanza;
    }

    public StanzaError Error { get; }

    /// <summary>The error condition, e.g. <c>service-unavailable</c>.</summary>
    public string Condition => Error.Condition;

    /// <summary>The error stanza as received, when there is one.</summary>
    public Stanza? Stanza { get; }
}

/// <summary>SASL authentication failed or no acceptable mechanism was offered (RFC 6120 §6).</summary>
public sealed class XmppAuthenticationException : XmppException
{
    public XmppAuthenticationException(string message, string? condition = null, Exception? innerException = null)
        : base(condition is null ? message : $"{message} <{condition}/>", innerException)
    {
        Condition = condition;
    }

    /// <summary>The SASL failure condition (e.g. <c>not-authorized</c>), when the server sent one.</summary>
    public string? Condition { get; }
}

/// <summary>The connection could not be established or was lost and could not be re-established.</summary>
public sealed class XmppConnectionException : XmppException
{
    public XmppConnectionException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>An IQ got no answer within its timeout.</summary>
public sealed class XmppTimeoutException : XmppException
{
    public XmppTimeoutException(string message)
        : base(message)
    {
    }
}

/// <summary>A JID that does not satisfy RFC 7622 (empty part, too long, forbidden character).</summary>
public sealed class XmppJidException : XmppException
{
    public XmppJidException(string message)
        : base(message)
    {
    }
}
