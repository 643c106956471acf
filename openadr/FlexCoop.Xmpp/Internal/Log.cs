using Microsoft.Extensions.Logging;

namespace FlexCoop.Xmpp.Internal;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "XMPP session {Jid} established ({Mechanism}, TLS {Secure}, stream management {StreamManagement})")]
    public static partial void SessionEstablished(ILogger logger, Jid? jid, string? mechanism, bool secure, bool streamManagement);

    [LoggerMessage(2, LogLevel.Warning, "XMPP connection of {Jid} lost")]
    public static partial void ConnectionLost(ILogger logger, Jid? jid, Exception error);

    [LoggerMessage(3, LogLevel.Information, "XMPP session {Jid} {How} after {Attempts} attempt(s); {Resent} unacknowledged stanza(s) sent again")]
    public static partial void Reconnected(ILogger logger, Jid? jid, string how, int attempts, int resent);

    [LoggerMessage(4, LogLevel.Debug, "XMPP reconnect attempt {Attempt} failed")]
    public static partial void ReconnectAttemptFailed(ILogger logger, int attempt, Exception error);

    [LoggerMessage(5, LogLevel.Error, "XMPP session of {Jid} ended")]
    public static partial void SessionEnded(ILogger logger, Jid? jid, Exception error);

    [LoggerMessage(6, LogLevel.Warning, "XMPP keep-alive ping unanswered within {Interval}; dropping the connection")]
    public static partial void KeepAliveTimeout(ILogger logger, TimeSpan interval);

    [LoggerMessage(7, LogLevel.Error, "XMPP IQ handler for {Payload} failed; answered internal-server-error")]
    public static partial void IqHandlerFailed(ILogger logger, System.Xml.Linq.XName payload, Exception error);
}
