using Microsoft.Extensions.Logging;

namespace FlexCoop.ReferenceSystem.Internal;

internal static partial class ReferenceLog
{
    [LoggerMessage(1, LogLevel.Error, "bus handler for {Topic} failed")]
    public static partial void BusHandlerFailed(ILogger logger, Exception exception, string topic);

    [LoggerMessage(2, LogLevel.Warning, "unreadable bus message on {Topic}: {Reason}")]
    public static partial void BusMessageUnreadable(ILogger logger, string topic, string reason);

    [LoggerMessage(3, LogLevel.Warning, "MQTT bus disconnected ({Reason}); reconnecting")]
    public static partial void BusDisconnected(ILogger logger, string reason);

    [LoggerMessage(4, LogLevel.Warning, "access refused: {Method} {Path} by {Subject} ({Role}) with {Status}: {Reason}")]
    public static partial void AccessRefused(ILogger logger, string method, string path, string subject, string role, int status, string reason);

    [LoggerMessage(5, LogLevel.Information, "enrolled {HomeId}: certificate {Fingerprint} issued to client {Client}")]
    public static partial void Enrolled(ILogger logger, string homeId, string fingerprint, string client);

    [LoggerMessage(6, LogLevel.Error, "registry failed to apply {Activity} of {VenId}")]
    public static partial void RegistryFailed(ILogger logger, Exception exception, string activity, string venId);

    [LoggerMessage(7, LogLevel.Error, "keep-alive sweep failed; retrying")]
    public static partial void KeepAliveFailed(ILogger logger, Exception exception);

    [LoggerMessage(8, LogLevel.Information, "registry: {Kind} {HomeId} {ResourceId}: {Detail}")]
    public static partial void RegistryEvent(ILogger logger, string kind, string homeId, string resourceId, string detail);

    [LoggerMessage(9, LogLevel.Information, "middleware {NodeId} serving {Url} (registry API {RegistryUrl})")]
    public static partial void Serving(ILogger logger, string nodeId, string url, string registryUrl);

    [LoggerMessage(10, LogLevel.Warning, "cannot apply a change from node {Origin}: {Reason}")]
    public static partial void RemoteChangeFailed(ILogger logger, string origin, string reason);

    [LoggerMessage(11, LogLevel.Warning, "device {ResourceId} of {HomeId} ignored: {Reason}")]
    public static partial void DeviceIgnored(ILogger logger, string homeId, string resourceId, string reason);

    [LoggerMessage(12, LogLevel.Information, "readings retention: {Deleted} readings deleted")]
    public static partial void ReadingsPurged(ILogger logger, long deleted);

    [LoggerMessage(13, LogLevel.Warning, "readings retention failed; trying again at the next interval")]
    public static partial void RetentionFailed(ILogger logger, Exception exception);
}
