using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Vtn.Storage;

namespace FlexCoop.OpenAdr.Vtn;

public sealed partial class OadrVtn
{
    /// <summary>
    /// A VEN's <c>oadrRegisterReport</c>: its metadata replaces what it announced before; for each
    /// telemetry report (usage, status) the VTN asks for it periodically at
    /// <see cref="VtnOptions.TelemetryGranularity"/> (within the report's sampling range) in the
    /// <c>oadrRegisteredReport</c>.
    /// </summary>
    private async Task<OadrRegisteredReport> RegisterReportAsync(VenRecord ven, OadrRegisterReport register, CancellationToken cancellationToken)
    {
        var now = Now;
        var reports = register.Reports.Select(r => new VenReportRecord
        {
            VenId = ven.VenId,
            ReportSpecifierId = r.ReportSpecifierId,
            ReportName = StripMetadata(r.ReportName?.Value ?? ""),
            Duration = r.Duration is { } d && d.TryGetTimeSpan(out var span) ? span : null,
            RegisteredAt = now,
            Descriptions = r.Descriptions.Select(x => new ReportDescriptionRecord
            {
                RId = x.RId,
                ReportType = x.ReportType.Value,
                ReadingType = x.ReadingType.Value,
                ResourceId = x.ReportDataSource?.ResourceIds.FirstOrDefault(),
                MarketContext = x.MarketContext,
                ItemKind = x.ItemBase?.GetType().Name,
                MinPeriod = x.SamplingRate?.MinPeriod.TryGetTimeSpan(out var min) == true ? min : null,
                MaxPeriod = x.SamplingRate?.MaxPeriod.TryGetTimeSpan(out var max) == true ? max : null,
                OnChange = x.SamplingRate?.OnChange ?? false,
            }).ToList(),
        }).ToList();

        var requests = new List<ReportRequestRecord>();
        if (Options.TelemetryGranularity > TimeSpan.Zero)
        {
            foreach (var report in reports.Where(r => r.ReportName is "TELEMETRY_USAGE" or "TELEMETRY_STATUS" && r.Descriptions.Count > 0))
            {
                var granularity = Options.TelemetryGranularity;
                var min = report.Descriptions.Select(d => d.MinPeriod ?? TimeSpan.Zero).Max();
                var max = report.Descriptions.Select(d => d.MaxPeriod ?? TimeSpan.MaxValue).Min();
                if (granularity < min) granularity = min;
                if (granularity > max && max >= min) granularity = max;
                granularity = TimeSpan.FromSeconds(Math.Max(1, Math.Round(granularity.TotalSeconds)));
                requests.Add(new ReportRequestRecord
                {
                    ReportRequestId = NewId("rr-"),
                    VenId = ven.VenId,
                    ReportSpecifierId = report.ReportSpecifierId,
                    RIds = report.Descriptions.Select(d => d.RId).ToList(),
                    Granularity = granularity,
                    ReportBackDuration = granularity,
                    State = ReportRequestState.Requested,
                    CreatedAt = now,
                    UpdatedAt = now,
                });
            }
        }
        await _store.RegisterVenReportsAsync(ven.VenId, reports, requests, cancellationToken);
        Raise(VtnActivityKind.ReportsRegistered, ven.VenId, string.Join(',', reports.Select(r => r.ReportName)));
        return new OadrRegisteredReport
        {
            EiResponse = Response(ResponseCode.Ok, register.RequestId, "OK"),
            VenId = ven.VenId,
            ReportRequests = ValueList.From(requests.Select(r => ToReportRequest(r, reports))),
        };
    }

    private static string StripMetadata(string name) => name.StartsWith("METADATA_", StringComparison.Ordinal) ? name["METADATA_".Length..] : name;

    private OadrReportRequest ToReportRequest(ReportRequestRecord r, IReadOnlyList<VenReportRecord> metadata)
    {
        var descriptions = metadata.Where(m => m.ReportSpecifierId == r.ReportSpecifierId).SelectMany(m => m.Descriptions).ToList();
        return new OadrReportRequest
        {
            ReportRequestId = r.ReportRequestId,
            ReportSpecifier = new ReportSpecifier
            {
                ReportSpecifierId = r.ReportSpecifierId,
                Granularity = IsoDuration.FromTimeSpan(r.Granularity),
                ReportBackDuration = IsoDuration.FromTimeSpan(r.ReportBackDuration),
                ReportInterval = new CalendarProperties
                {
                    DtStart = (r.Start ?? r.CreatedAt).ToUniversalTime(),
                    Duration = IsoDuration.FromTimeSpan(r.Duration ?? TimeSpan.Zero),
                },
                SpecifierPayloads = ValueList.From(r.RIds.Select(id => new SpecifierPayload
                {
                    RId = id,
                    ReadingType = new ReadingType(descriptions.FirstOrDefault(d => d.RId == id)?.ReadingType ?? "x-notApplicable"),
                })),
            },
        };
    }

    /// <summary>
    /// Asks a VEN for a report it registered: one-shot (zero granularity and back duration),
    /// periodic, or starting later (<paramref name="start"/>). Returns the stored request.
    /// </summary>
    /// <param name="venId">The VEN.</param>
    /// <param name="reportSpecifierId">The VEN's report (from its metadata), or <c>METADATA</c> to ask for its metadata again.</param>
    /// <param name="rIds">The data points; empty for all of the report's.</param>
    /// <param name="granularity">Sampling period; zero for one reading.</param>
    /// <param name="reportBackDuration">How often to send reports; zero for once.</param>
    /// <param name="start">When reporting starts; null for now.</param>
    /// <param name="duration">How long; null or zero for open-ended.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<ReportRequestRecord> RequestReportAsync(string venId, string reportSpecifierId, IReadOnlyList<string>? rIds = null,
        TimeSpan granularity = default, TimeSpan reportBackDuration = default, DateTimeOffset? start = null, TimeSpan? duration = null,
        CancellationToken cancellationToken = default)
    {
        var ven = RequireRegistered(venId);
        var metadata = await _store.GetVenReportsAsync(venId, cancellationToken);
        IReadOnlyList<string> points;
        if (reportSpecifierId == "METADATA")
        {
            points = ["METADATA"]; // the schema needs a specifierPayload; rID METADATA by convention
        }
        else
        {
            var report = metadata.FirstOrDefault(m => m.ReportSpecifierId == reportSpecifierId)
                ?? throw new VtnOperationException($"VEN {venId} has not registered a report {reportSpecifierId}");
            points = rIds is { Count: > 0 } ? rIds : report.Descriptions.Select(d => d.RId).ToList();
            var unknown = points.Where(p => report.Descriptions.All(d => d.RId != p)).ToList();
            if (unknown.Count > 0) throw new VtnOperationException($"report {reportSpecifierId} has no rID {string.Join(", ", unknown)}");
        }
        var now = Now;
        var request = new ReportRequestRecord
        {
            ReportRequestId = NewId("rr-"),
            VenId = venId,
            ReportSpecifierId = reportSpecifierId,
            RIds = points,
            Granularity = granularity,
            ReportBackDuration = reportBackDuration,
            Start = start,
            Duration = duration,
            State = ReportRequestState.Requested,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var message = new OadrCreateReport { RequestId = NewId("req-"), VenId = venId, ReportRequests = ValueList.Create([ToReportRequest(request, metadata)]) };
        await _store.SaveReportRequestsAsync([request], [ToOutbound(ven, message)], cancellationToken);
        Notify([ven]);
        return request;
    }

    /// <summary>Cancels a report request (<c>oadrCancelReport</c>); with <paramref name="reportToFollow"/> the VEN may send one last report.</summary>
    public async Task CancelReportAsync(string venId, string reportRequestId, bool reportToFollow = false, CancellationToken cancellationToken = default)
    {
        var ven = RequireRegistered(venId);
        var request = await _store.GetReportRequestAsync(reportRequestId, cancellationToken);
        if (request is null || request.VenId != venId) throw new VtnOperationException($"VEN {venId} has no report request {reportRequestId}");
        if (request.State is ReportRequestState.Cancelled or ReportRequestState.Completed)
        {
            throw new VtnOperationException($"report request {reportRequestId} is {request.State.ToString().ToLowerInvariant()} already");
        }
        var message = new OadrCancelReport { RequestId = NewId("req-"), VenId = venId, ReportRequestIds = ValueList.Create([reportRequestId]), ReportToFollow = reportToFollow };
        var now = Now;
        await _store.SaveReportRequestsAsync([request with { State = ReportRequestState.Cancelled, ReportToFollow = reportToFollow, UpdatedAt = now }], [ToOutbound(ven, message)], cancellationToken);
        Notify([ven]);
    }

    /// <summary>Cancellations waiting for the VEN's next <c>oadrUpdateReport</c>, by reportRequestID (kept in memory only).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string VenId, bool ReportToFollow)> _piggybackCancels = new(StringComparer.Ordinal);

    /// <summary>
    /// Cancels a periodic report request by piggy-backing <c>oadrCancelReport</c> on the <c>oadrUpdatedReport</c>
    /// that answers the VEN's next report (2.0b allows it; certification case R1_3050). Nothing is sent until
    /// that report comes; the cancellation is held in memory, so a restart forgets it: use
    /// <see cref="CancelReportAsync"/> for a VEN that may not report again.
    /// </summary>
    /// <exception cref="VtnOperationException">The VEN has no such active or requested periodic request.</exception>
    public async Task CancelReportOnNextUpdateAsync(string venId, string reportRequestId, bool reportToFollow = false, CancellationToken cancellationToken = default)
    {
        RequireRegistered(venId);
        var request = await _store.GetReportRequestAsync(reportRequestId, cancellationToken);
        if (request is null || request.VenId != venId) throw new VtnOperationException($"VEN {venId} has no report request {reportRequestId}");
        if (request.State is not (ReportRequestState.Requested or ReportRequestState.Active) || request.ReportBackDuration == TimeSpan.Zero)
        {
            throw new VtnOperationException($"report request {reportRequestId} is {request.State.ToString().ToLowerInvariant()}{(request.ReportBackDuration == TimeSpan.Zero ? " and one-shot" : "")}: only a running periodic request can be cancelled on its next report");
        }
        if (Options.Has(VtnFault.SeparateReportCancel))
        {
            await CancelReportAsync(venId, reportRequestId, reportToFollow, cancellationToken);
            return;
        }
        _piggybackCancels[reportRequestId] = (venId, reportToFollow);
    }

    /// <summary>The piggy-backed cancellation due to <paramref name="ven"/>, stored as sent; null when none.</summary>
    private async Task<OadrCancelReport?> TakePiggybackCancelAsync(VenRecord ven, CancellationToken cancellationToken)
    {
        if (_piggybackCancels.IsEmpty) return null;
        var due = _piggybackCancels.Where(p => p.Value.VenId == ven.VenId).ToList();
        var records = new List<ReportRequestRecord>();
        var now = Now;
        foreach (var (id, (_, follow)) in due)
        {
            if (!_piggybackCancels.TryRemove(id, out _)) continue;
            var request = await _store.GetReportRequestAsync(id, cancellationToken);
            if (request is null || request.State is ReportRequestState.Cancelled or ReportRequestState.Completed) continue;
            records.Add(request with { State = ReportRequestState.Cancelled, ReportToFollow = follow, UpdatedAt = now });
        }
        if (records.Count == 0) return null;
        await _store.SaveReportRequestsAsync(records, [], cancellationToken);
        return new OadrCancelReport
        {
            RequestId = NewId("req-"),
            VenId = ven.VenId,
            ReportRequestIds = ValueList.From(records.Select(r => r.ReportRequestId)),
            ReportToFollow = records.Any(r => r.ReportToFollow),
        };
    }

    private async Task<OadrResponse> CreatedReportAsync(VenRecord ven, OadrCreatedReport created, CancellationToken cancellationToken)
    {
        // pendingReports lists every request the VEN is working on: those of ours become active.
        if (created.PendingReports.Count > 0)
        {
            var requests = (await _store.ListReportRequestsAsync(ven.VenId, cancellationToken))
                .Where(r => r.State == ReportRequestState.Requested && created.PendingReports.Contains(r.ReportRequestId))
                .Select(r => r.ReportRequestId)
                .ToList();
            if (requests.Count > 0)
            {
                await _store.SetReportRequestStateAsync(ven.VenId, requests, ReportRequestState.Active, Now, cancellationToken);
            }
        }
        Raise(VtnActivityKind.ReportCreated, ven.VenId, string.Join(',', created.PendingReports));
        return Ok(created.EiResponse.RequestId, ven.VenId);
    }

    /// <summary>
    /// <c>oadrUpdateReport</c>: each report must answer one of this VEN's requests, with only the
    /// requested rIDs (rule 314); readings are stored all or nothing; a one-shot request is then complete.
    /// </summary>
    private async Task<OadrMessage> UpdateReportAsync(VenRecord ven, OadrUpdateReport update, CancellationToken cancellationToken)
    {
        var now = Now;
        var readings = new List<ReportReadingRecord>();
        var completed = new List<string>();
        foreach (var report in update.Reports)
        {
            var request = await _store.GetReportRequestAsync(report.ReportRequestId, cancellationToken);
            if (request is null || request.VenId != ven.VenId)
            {
                return RefuseUpdate(ven, update, ResponseCode.InvalidId, $"no report request {report.ReportRequestId} for this VEN");
            }
            if (request.State == ReportRequestState.Completed || (request.State == ReportRequestState.Cancelled && !request.ReportToFollow))
            {
                return RefuseUpdate(ven, update, ResponseCode.InvalidId, $"report request {report.ReportRequestId} is {request.State.ToString().ToLowerInvariant()}");
            }
            foreach (var interval in report.Intervals ?? ValueList<Interval>.Empty)
            {
                var start = interval.DtStart ?? report.DtStart ?? now;
                var length = interval.Duration is { } d && d.TryGetTimeSpan(out var span) ? span : TimeSpan.Zero;
                foreach (var payload in interval.Payloads.OfType<OadrReportPayload>())
                {
                    if (request.RIds.Count > 0 && !request.RIds.Contains(payload.RId))
                    {
                        return RefuseUpdate(ven, update, ResponseCode.InvalidId, $"rID {payload.RId} was not requested in {request.ReportRequestId} (rule 314)");
                    }
                    readings.Add(new ReportReadingRecord
                    {
                        VenId = ven.VenId,
                        ReportRequestId = request.ReportRequestId,
                        ReportSpecifierId = request.ReportSpecifierId,
                        RId = payload.RId,
                        DtStart = start,
                        Duration = length,
                        Value = payload.Payload is PayloadFloat f ? f.Value : null,
                        PayloadText = payload.Payload is OadrPayloadResourceStatus status ? Describe(status) : null,
                        DataQuality = payload.DataQuality?.Value,
                        ReceivedAt = now,
                    });
                }
            }
            if (request.State == ReportRequestState.Cancelled || request.ReportBackDuration == TimeSpan.Zero)
            {
                completed.Add(request.ReportRequestId);
            }
        }
        await _store.AddReadingsAsync(readings, cancellationToken);
        if (completed.Count > 0)
        {
            await _store.SetReportRequestStateAsync(ven.VenId, completed, ReportRequestState.Completed, now, cancellationToken);
        }
        Raise(VtnActivityKind.ReportUpdated, ven.VenId, $"{readings.Count} readings for {string.Join(',', update.Reports.Select(r => r.ReportRequestId))}");
        var cancel = await TakePiggybackCancelAsync(ven, cancellationToken);
        return new OadrUpdatedReport { EiResponse = Response(ResponseCode.Ok, update.RequestId, "OK"), CancelReport = cancel, VenId = ven.VenId };
    }

    private OadrUpdatedReport RefuseUpdate(VenRecord ven, OadrUpdateReport update, ResponseCode code, string reason)
    {
        Internal.VtnLog.PayloadRefused(_logger, update.ElementName, ven.VenId, code.Value, reason);
        Raise(VtnActivityKind.Refused, ven.VenId, $"{code.Value} {update.ElementName}: {reason}");
        return new OadrUpdatedReport { EiResponse = Response(code, update.RequestId, reason), VenId = ven.VenId };
    }

    /// <summary>A resource status as stored text: <c>online=true;manualOverride=false;...</c>.</summary>
    public static string Describe(OadrPayloadResourceStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var parts = new List<string> { $"online={(status.Online ? "true" : "false")}", $"manualOverride={(status.ManualOverride ? "true" : "false")}" };
        if (status.LoadControlState is { } l)
        {
            void Add(string name, LoadControlStateValue? v)
            {
                if (v is not null) parts.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name}={v.Current}"));
            }
            Add("capacity", l.Capacity);
            Add("levelOffset", l.LevelOffset);
            Add("percentOffset", l.PercentOffset);
            Add("setPoint", l.SetPoint);
        }
        return string.Join(';', parts);
    }

    private OadrResponse CanceledReport(VenRecord ven, OadrCanceledReport canceled)
    {
        // The request was marked cancelled when the VTN sent oadrCancelReport; this confirms it.
        Raise(VtnActivityKind.ReportCanceled, ven.VenId, string.Join(',', canceled.PendingReports));
        return Ok(canceled.EiResponse.RequestId, ven.VenId);
    }
}
