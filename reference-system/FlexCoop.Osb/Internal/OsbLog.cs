using Microsoft.Extensions.Logging;

namespace FlexCoop.Osb.Internal;

internal static partial class OsbLog
{
    [LoggerMessage(1, LogLevel.Information, "{HomeId} enrolled: certificate {Subject}, VTN {VtnUrl}")]
    public static partial void Enrolled(ILogger logger, string homeId, string subject, Uri vtnUrl);

    [LoggerMessage(2, LogLevel.Information, "{HomeId} registered as {VenId} with {DeviceCount} devices")]
    public static partial void Registered(ILogger logger, string homeId, string? venId, int deviceCount);

    [LoggerMessage(3, LogLevel.Information, "{HomeId} event {EventId}: {Opt} ({Reason})")]
    public static partial void Decided(ILogger logger, string homeId, string eventId, string opt, string reason);

    [LoggerMessage(4, LogLevel.Information, "{HomeId} demand-response level {Level}")]
    public static partial void LevelChanged(ILogger logger, string homeId, int level);

    [LoggerMessage(5, LogLevel.Warning, "{HomeId} control tick failed: {Error}")]
    public static partial void TickFailed(ILogger logger, string homeId, string error);

    [LoggerMessage(6, LogLevel.Warning, "{HomeId} opts out of active event {EventId}: {Reason}")]
    public static partial void OptingOut(ILogger logger, string homeId, string eventId, string reason);

    [LoggerMessage(7, LogLevel.Warning, "{HomeId} could not start: {Error}")]
    public static partial void StartFailed(ILogger logger, string homeId, string error);
}
