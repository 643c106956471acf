using Microsoft.Extensions.Logging;

namespace FlexCoop.OpenAdr.Ven.Internal;

internal static partial class VenLog
{
    [LoggerMessage(1, LogLevel.Information, "registered with VTN {VtnId} as {VenId} ({RegistrationId}), polling every {Poll}")]
    public static partial void Registered(ILogger logger, string vtnId, string venId, string registrationId, TimeSpan poll);

    [LoggerMessage(2, LogLevel.Information, "received {Payload} ({How})")]
    public static partial void Received(ILogger logger, string payload, string how);

    [LoggerMessage(3, LogLevel.Information, "event {EventId} #{ModificationNumber} {Change}: {Detail}")]
    public static partial void EventChange(ILogger logger, string eventId, uint modificationNumber, string change, string detail);

    [LoggerMessage(4, LogLevel.Warning, "poll failed: {Error}")]
    public static partial void PollFailed(ILogger logger, string error);

    [LoggerMessage(5, LogLevel.Warning, "report {ReportRequestId} failed: {Error}")]
    public static partial void ReportFailed(ILogger logger, string reportRequestId, string error);

    [LoggerMessage(6, LogLevel.Information, "sent report {ReportRequestId} with {Count} readings")]
    public static partial void ReportSent(ILogger logger, string reportRequestId, int count);

    [LoggerMessage(7, LogLevel.Warning, "registration ended by the VTN")]
    public static partial void RegistrationEnded(ILogger logger);

    [LoggerMessage(8, LogLevel.Information, "push listener on {Url}")]
    public static partial void PushListening(ILogger logger, string url);

    [LoggerMessage(9, LogLevel.Warning, "the VTN no longer knows this VEN (463); registering again")]
    public static partial void Reregistering(ILogger logger);

    [LoggerMessage(40, LogLevel.Warning, "pushed {Service} payload refused (463): signature {Status}: {Detail}")]
    public static partial void PushRefused(ILogger logger, string service, string status, string detail);
}
