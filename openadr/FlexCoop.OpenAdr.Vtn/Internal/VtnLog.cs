using Microsoft.Extensions.Logging;

namespace FlexCoop.OpenAdr.Vtn.Internal;

internal static partial class VtnLog
{
    [LoggerMessage(1, LogLevel.Warning, "VTN serving plain HTTP on {Url}: no TLS, no client authentication; for development only")]
    public static partial void InsecureHttp(ILogger logger, string url);

    [LoggerMessage(2, LogLevel.Information, "VTN {VtnId} listening on {Url}")]
    public static partial void Listening(ILogger logger, string vtnId, string url);

    [LoggerMessage(3, LogLevel.Information, "request refused with HTTP {Status}: {Reason}")]
    public static partial void HttpRefused(ILogger logger, int status, string reason);

    [LoggerMessage(4, LogLevel.Information, "{Payload} from {VenId} refused with {Code}: {Reason}")]
    public static partial void PayloadRefused(ILogger logger, string payload, string venId, string code, string reason);

    [LoggerMessage(5, LogLevel.Information, "VEN {VenId} registered ({RegistrationId}, {Model})")]
    public static partial void Registered(ILogger logger, string venId, string registrationId, string model);

    [LoggerMessage(6, LogLevel.Information, "VEN {VenId} registration {RegistrationId} cancelled by {By}")]
    public static partial void Cancelled(ILogger logger, string venId, string registrationId, string by);

    [LoggerMessage(7, LogLevel.Warning, "push of message {Id} ({Kind}) to {VenId} failed (attempt {Attempt}): {Error}")]
    public static partial void PushFailed(ILogger logger, long id, string kind, string venId, int attempt, string error);

    [LoggerMessage(8, LogLevel.Error, "store failure while handling {Endpoint}")]
    public static partial void StoreFailure(ILogger logger, Exception exception, string endpoint);

    [LoggerMessage(9, LogLevel.Information, "event {EventId} modification {ModificationNumber} saved ({Change})")]
    public static partial void EventSaved(ILogger logger, string eventId, long modificationNumber, string change);

    [LoggerMessage(11, LogLevel.Information, "operator API on {Url} (OpenAPI document at /api/openapi.json)")]
    public static partial void OperatorApi(ILogger logger, string url);

    [LoggerMessage(10, LogLevel.Error, "push dispatcher failed; retrying")]
    public static partial void PushLoopFailed(ILogger logger, Exception exception);
}
