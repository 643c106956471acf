using Microsoft.Extensions.Logging;

namespace FlexCoop.OpenAdr.Vtn.Internal;

internal static partial class OwnReportLog
{
    [LoggerMessage(40, LogLevel.Information, "VEN {VenId} asked for the VTN's report {ReportSpecifierId} ({ReportRequestId}, report back every {ReportBack})")]
    public static partial void Requested(ILogger logger, string venId, string reportSpecifierId, string reportRequestId, TimeSpan reportBack);

    [LoggerMessage(41, LogLevel.Information, "VEN {VenId} cancelled its request {ReportRequestId} for the VTN's report")]
    public static partial void Cancelled(ILogger logger, string venId, string reportRequestId);

    [LoggerMessage(42, LogLevel.Warning, "periodic report {ReportRequestId} to VEN {VenId} could not be queued; it stops")]
    public static partial void SendFailed(ILogger logger, Exception exception, string reportRequestId, string venId);
}
