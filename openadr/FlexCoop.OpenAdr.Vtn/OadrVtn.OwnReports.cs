using System.Collections.Concurrent;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Vtn.Internal;
using FlexCoop.OpenAdr.Vtn.Storage;

namespace FlexCoop.OpenAdr.Vtn;

/// <summary>
/// The VTN's own report (certification cases R1_3070 to R1_3120): the VTN announces a TELEMETRY_STATUS report
/// of itself in the <c>oadrRegisterReport</c> it sends a VEN after registration (or when the VEN asks for its
/// METADATA), answers a VEN's <c>oadrCreateReport</c> for it with <c>oadrCreatedReport</c>, sends
/// <c>oadrUpdateReport</c> once or every reportBackDuration, and stops on the VEN's <c>oadrCancelReport</c>,
/// sent on its own or piggy-backed on an <c>oadrUpdatedReport</c>.
/// </summary>
public sealed partial class OadrVtn
{
    /// <summary>The reportSpecifierID of the VTN's own status report.</summary>
    public const string OwnStatusReportSpecifierId = "VTN_STATUS";

    /// <summary>The one data point of the VTN's status report: an <c>oadrPayloadResourceStatus</c> (online, no manual override).</summary>
    public const string OwnStatusRId = "vtn-status";

    /// <summary>The fastest the VTN samples and reports its status (its metadata's minPeriod).</summary>
    public static readonly TimeSpan OwnReportMinPeriod = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan OwnReportMaxPeriod = TimeSpan.FromHours(1);

    /// <summary>Most requests for the VTN's report one VEN may have running at once.</summary>
    private const int MaxOwnReportRequestsPerVen = 16;

    private readonly ConcurrentDictionary<string, OwnReportSchedule> _ownReports = new(StringComparer.Ordinal);

    /// <summary>The reportRequestIDs of the running (periodic, not yet cancelled) requests a VEN made for the VTN's report.</summary>
    public IReadOnlyList<string> OwnReportRequests(string venId) =>
        _ownReports.Values.Where(s => s.VenId == venId).Select(s => s.ReportRequestId).Order(StringComparer.Ordinal).ToList();

    /// <summary>The VTN's metadata (<c>oadrRegisterReport</c>) sent to a VEN after it registers or asks for METADATA.</summary>
    private OadrRegisterReport VtnMetadataRegistration(VenRecord ven) => new()
    {
        RequestId = NewId("req-"),
        VenId = ven.VenId,
        ReportRequestId = "0",
        Reports = ValueList.Create([new OadrReport
        {
            ReportRequestId = "0",
            ReportSpecifierId = OwnStatusReportSpecifierId,
            ReportName = ReportName.MetadataTelemetryStatus,
            Duration = IsoDuration.Zero,
            CreatedDateTime = Now,
            Descriptions = Options.Has(VtnFault.NoOwnReports) ? ValueList<OadrReportDescription>.Empty : ValueList.Create([new OadrReportDescription
            {
                RId = OwnStatusRId,
                ReportType = ReportType.XResourceStatus,
                ReadingType = ReadingType.XNotApplicable,
                SamplingRate = new OadrSamplingRate
                {
                    MinPeriod = IsoDuration.FromTimeSpan(OwnReportMinPeriod),
                    MaxPeriod = IsoDuration.FromTimeSpan(OwnReportMaxPeriod),
                    OnChange = false,
                },
            }]),
        }]),
    };

    /// <summary>
    /// A VEN asks for the VTN's reports: <c>METADATA</c> (answered, then the VTN's <c>oadrRegisterReport</c> is queued)
    /// or the VTN's status report, one-shot (reportBackDuration zero: one report queued now) or periodic. Every request is
    /// checked before any is acted on: an unknown report is 461, an rID the VTN did not announce 452 (rule 314), a
    /// reportBackDuration under the sampling minimum 454.
    /// </summary>
    private async Task<OadrCreatedReport> CreateReportFromVenAsync(VenRecord ven, OadrCreateReport create, CancellationToken cancellationToken)
    {
        OadrCreatedReport Refuse(ResponseCode code, string reason)
        {
            VtnLog.PayloadRefused(_logger, create.ElementName, ven.VenId, code.Value, reason);
            Raise(VtnActivityKind.Refused, ven.VenId, $"{code.Value} {create.ElementName}: {reason}");
            return new OadrCreatedReport { EiResponse = Response(code, create.RequestId, reason), PendingReports = PendingOwnReports(ven), VenId = ven.VenId };
        }

        var offers = !Options.Has(VtnFault.NoOwnReports);
        var metadata = false;
        var accepted = new List<(OadrReportRequest Request, IReadOnlyList<string> RIds, TimeSpan Back)>();
        foreach (var request in create.ReportRequests)
        {
            var spec = request.ReportSpecifier;
            if (spec.ReportSpecifierId == "METADATA")
            {
                metadata = true;
                continue;
            }
            if (!offers || spec.ReportSpecifierId != OwnStatusReportSpecifierId)
            {
                return Refuse(ResponseCode.ReportNotSupported, $"the VTN has no report {spec.ReportSpecifierId}");
            }
            var unknown = spec.SpecifierPayloads.FirstOrDefault(p => p.RId != OwnStatusRId);
            if (unknown is not null)
            {
                return Refuse(ResponseCode.InvalidId, $"report {OwnStatusReportSpecifierId} has no rID {unknown.RId} (rule 314)");
            }
            var back = spec.ReportBackDuration.TryGetTimeSpan(out var b) ? b : TimeSpan.Zero;
            if (back > TimeSpan.Zero && back < OwnReportMinPeriod)
            {
                return Refuse(ResponseCode.InvalidData, $"reportBackDuration {spec.ReportBackDuration.Text} is under the report's minPeriod {IsoDuration.FromTimeSpan(OwnReportMinPeriod).Text}");
            }
            if (_ownReports.ContainsKey(request.ReportRequestId))
            {
                return Refuse(ResponseCode.InvalidId, $"reportRequestID {request.ReportRequestId} is already running");
            }
            accepted.Add((request, [OwnStatusRId], back));
        }
        if (_ownReports.Values.Count(s => s.VenId == ven.VenId) + accepted.Count(a => a.Back > TimeSpan.Zero) > MaxOwnReportRequestsPerVen)
        {
            return Refuse(ResponseCode.NotAllowed, $"a VEN may have at most {MaxOwnReportRequestsPerVen} periodic requests for the VTN's report running");
        }

        var queued = new List<OadrMessage?>();
        if (metadata) queued.Add(VtnMetadataRegistration(ven));
        var now = Now;
        foreach (var (request, rIds, back) in accepted)
        {
            var interval = request.ReportSpecifier.ReportInterval;
            var start = interval?.DtStart is { } s && s > now ? s : now;
            DateTimeOffset? end = interval?.Duration is { } d && d.TryGetTimeSpan(out var length) && length > TimeSpan.Zero ? start + length : null;
            var schedule = new OwnReportSchedule(ven.VenId, request.ReportRequestId, rIds, back, end);
            OwnReportLog.Requested(_logger, ven.VenId, request.ReportSpecifier.ReportSpecifierId, request.ReportRequestId, back);
            if (!schedule.IsPeriodic)
            {
                queued.Add(OwnReport(ven, schedule));
                continue;
            }
            _ownReports[schedule.ReportRequestId] = schedule;
            schedule.Arm(_clock, start - now + back, OnOwnReportDue);
        }
        if (queued.Count > 0) await EnqueueAsync(ven, queued, cancellationToken);
        Raise(VtnActivityKind.OwnReportRequested, ven.VenId, string.Join(',', create.ReportRequests.Select(r => r.ReportRequestId)));
        return new OadrCreatedReport { EiResponse = Response(ResponseCode.Ok, create.RequestId, "OK"), PendingReports = PendingOwnReports(ven), VenId = ven.VenId };
    }

    private ValueList<string> PendingOwnReports(VenRecord ven) => ValueList.From(OwnReportRequests(ven.VenId));

    /// <summary>One report of the VTN's status answering <paramref name="schedule"/>'s request.</summary>
    private OadrUpdateReport OwnReport(VenRecord ven, OwnReportSchedule schedule)
    {
        var now = Now;
        now = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        var rIds = Options.Has(VtnFault.UnrequestedReportRId) ? ["x-unrequested"] : schedule.RIds;
        return new OadrUpdateReport
        {
            RequestId = NewId("req-"),
            VenId = ven.VenId,
            Reports = ValueList.Create([new OadrReport
            {
                ReportRequestId = schedule.ReportRequestId,
                ReportSpecifierId = OwnStatusReportSpecifierId,
                ReportName = ReportName.TelemetryStatus,
                CreatedDateTime = now,
                DtStart = now,
                Duration = IsoDuration.FromTimeSpan(schedule.ReportBack),
                Intervals = ValueList.Create([new Interval
                {
                    DtStart = now,
                    Duration = IsoDuration.FromTimeSpan(schedule.ReportBack),
                    Uid = "0",
                    Payloads = ValueList.From(rIds.Select(r => (StreamPayload)new OadrReportPayload
                    {
                        RId = r,
                        Confidence = 100,
                        Accuracy = 0,
                        Payload = new OadrPayloadResourceStatus { Online = true, ManualOverride = false },
                    })),
                }]),
            }]),
        };
    }

    private void OnOwnReportDue(OwnReportSchedule schedule) => _ = SendOwnReportAsync(schedule);

    /// <summary>Queues the next periodic report; stops the request when it is over or its VEN is no longer registered.</summary>
    private async Task SendOwnReportAsync(OwnReportSchedule schedule)
    {
        try
        {
            var ven = _vens.Find(schedule.VenId);
            if (ven is not { IsRegistered: true } || (schedule.End is { } end && Now > end))
            {
                StopOwnReport(schedule.ReportRequestId);
                return;
            }
            // A cancellation that came while this tick waited for a thread wins: the report is built only if still running.
            if (!_ownReports.ContainsKey(schedule.ReportRequestId)) return;
            await EnqueueAsync(ven, [OwnReport(ven, schedule)], CancellationToken.None);
        }
        catch (Exception ex) when (ex is VtnException or InvalidOperationException or ObjectDisposedException or IOException or System.Data.Common.DbException)
        {
            OwnReportLog.SendFailed(_logger, ex, schedule.ReportRequestId, schedule.VenId);
            StopOwnReport(schedule.ReportRequestId);
        }
    }

    private bool StopOwnReport(string reportRequestId)
    {
        if (!_ownReports.TryRemove(reportRequestId, out var schedule)) return false;
        schedule.Dispose();
        return true;
    }

    /// <summary>Stops every periodic report of the VTN's (the server is stopping).</summary>
    internal void StopOwnReports()
    {
        foreach (var id in _ownReports.Keys) StopOwnReport(id);
    }

    /// <summary>
    /// The VEN cancels requests for the VTN's report: each must be one of its running requests (452 otherwise, nothing
    /// cancelled); with reportToFollow one last report is queued. The answer lists what is still running (pendingReports).
    /// </summary>
    private async Task<OadrCanceledReport> CancelReportFromVenAsync(VenRecord ven, OadrCancelReport cancel, CancellationToken cancellationToken)
    {
        var unknown = cancel.ReportRequestIds.FirstOrDefault(id => !_ownReports.TryGetValue(id, out var s) || s.VenId != ven.VenId);
        if (unknown is not null)
        {
            var reason = $"no running request {unknown} of this VEN for a report of the VTN's";
            VtnLog.PayloadRefused(_logger, cancel.ElementName, ven.VenId, ResponseCode.InvalidId.Value, reason);
            Raise(VtnActivityKind.Refused, ven.VenId, $"{ResponseCode.InvalidId.Value} {cancel.ElementName}: {reason}");
            return new OadrCanceledReport { EiResponse = Response(ResponseCode.InvalidId, cancel.RequestId, reason), PendingReports = PendingOwnReports(ven), VenId = ven.VenId };
        }
        var last = CancelOwnReports(ven, cancel);
        if (last.Count > 0) await EnqueueAsync(ven, last, cancellationToken);
        return new OadrCanceledReport { EiResponse = Response(ResponseCode.Ok, cancel.RequestId, "OK"), PendingReports = PendingOwnReports(ven), VenId = ven.VenId };
    }

    /// <summary>Stops the requests <paramref name="cancel"/> names; returns the last reports due (reportToFollow).</summary>
    private List<OadrMessage?> CancelOwnReports(VenRecord ven, OadrCancelReport cancel)
    {
        var last = new List<OadrMessage?>();
        foreach (var id in cancel.ReportRequestIds)
        {
            if (!_ownReports.TryGetValue(id, out var schedule) || schedule.VenId != ven.VenId) continue;
            OwnReportLog.Cancelled(_logger, ven.VenId, id);
            Raise(VtnActivityKind.OwnReportCancelled, ven.VenId, id);
            if (Options.Has(VtnFault.IgnoresReportCancel)) continue;
            StopOwnReport(id);
            if (cancel.ReportToFollow) last.Add(OwnReport(ven, schedule));
        }
        return last;
    }

    /// <summary>
    /// The VEN acknowledges a report of the VTN's (<c>oadrUpdatedReport</c>); an <c>oadrCancelReport</c> riding on it
    /// (piggy-backed) stops the requests it names that are this VEN's.
    /// </summary>
    private async Task<OadrResponse> UpdatedReportAsync(VenRecord ven, OadrUpdatedReport updated, CancellationToken cancellationToken)
    {
        if (updated.CancelReport is { } cancel)
        {
            var last = CancelOwnReports(ven, cancel);
            if (last.Count > 0) await EnqueueAsync(ven, last, cancellationToken);
        }
        Raise(VtnActivityKind.OwnReportAcknowledged, ven.VenId, updated.EiResponse.RequestId);
        return Ok(updated.EiResponse.RequestId, ven.VenId);
    }

    private OadrResponse RegisteredReport(VenRecord ven, OadrRegisteredReport registered)
    {
        // The VEN's answer to the VTN's metadata. The VTN starts its reports on an oadrCreateReport only (R1_3090):
        // report requests carried here are not acted on.
        Raise(VtnActivityKind.OwnReportAcknowledged, ven.VenId, registered.EiResponse.RequestId);
        return Ok(registered.EiResponse.RequestId, ven.VenId);
    }
}
