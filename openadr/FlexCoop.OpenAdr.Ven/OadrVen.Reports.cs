using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Ven.Internal;

namespace FlexCoop.OpenAdr.Ven;

public sealed partial class OadrVen
{
    private TaskCompletionSource _reportWake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void WakeReports() => Interlocked.Exchange(ref _reportWake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>The <c>METADATA_</c> form of a report definition, as <c>oadrRegisterReport</c> carries it.</summary>
    private OadrReport Metadata(VenReportDefinition definition) => new()
    {
        ReportRequestId = "0",
        ReportSpecifierId = definition.ReportSpecifierId,
        ReportName = new ReportName("METADATA_" + definition.ReportName.Value),
        Duration = IsoDuration.FromTimeSpan(TimeSpan.Zero),
        CreatedDateTime = Now,
        Descriptions = ValueList.From(definition.DataPoints.Select(p => new OadrReportDescription
        {
            RId = p.RId,
            ReportDataSource = p.ResourceId is null ? null : new EiTarget { ResourceIds = ValueList.Create([p.ResourceId]) },
            ReportType = p.ReportType,
            ItemBase = p.ItemBase,
            ReadingType = p.ReadingType,
            SamplingRate = new OadrSamplingRate
            {
                MinPeriod = IsoDuration.FromTimeSpan(TimeSpan.FromSeconds(Math.Ceiling(p.MinPeriod.TotalSeconds))),
                MaxPeriod = IsoDuration.FromTimeSpan(TimeSpan.FromSeconds(Math.Ceiling(p.MaxPeriod.TotalSeconds))),
                OnChange = false,
            },
        })),
    };

    /// <summary>
    /// Takes report requests (from <c>oadrCreateReport</c> or <c>oadrRegisteredReport</c>) and
    /// returns the <c>oadrCreatedReport</c> listing every request the VEN is now working on (rule 311:
    /// echoing the requestID). A request for an unknown report or rID is refused (461 / 452).
    /// </summary>
    private OadrCreatedReport AcceptReportRequests(string requestId, IReadOnlyList<OadrReportRequest> requests)
    {
        var now = Now;
        foreach (var request in requests)
        {
            var specifier = request.ReportSpecifier;
            if (specifier.ReportSpecifierId == "METADATA") continue;
            var provider = _options.ReportProviders.FirstOrDefault(p => p.Definition.ReportSpecifierId == specifier.ReportSpecifierId);
            if (provider is null)
            {
                return new OadrCreatedReport { EiResponse = Error(ResponseCode.ReportNotSupported, requestId, $"no report {specifier.ReportSpecifierId}"), VenId = VenId, PendingReports = Pending() };
            }
            var unknown = specifier.SpecifierPayloads.FirstOrDefault(p => provider.Definition.DataPoints.All(d => d.RId != p.RId));
            if (unknown is not null)
            {
                return new OadrCreatedReport { EiResponse = Error(ResponseCode.InvalidId, requestId, $"report {specifier.ReportSpecifierId} has no rID {unknown.RId}"), VenId = VenId, PendingReports = Pending() };
            }
        }
        foreach (var request in requests.Where(r => r.ReportSpecifier.ReportSpecifierId != "METADATA"))
        {
            _state.SaveReportRequest(new ActiveReportRequest(request, now, null, Cancelled: false, ReportToFollow: false));
        }
        WakeReports();
        return new OadrCreatedReport { EiResponse = Ok(requestId), VenId = VenId, PendingReports = Pending() };
    }

    private ValueList<string> Pending() => ValueList.From(_state.ReportRequests.Where(r => !r.Cancelled).Select(r => r.Request.ReportRequestId).Order(StringComparer.Ordinal));

    private VtnAnswer OnCreateReport(OadrCreateReport create)
    {
        var created = AcceptReportRequests(create.RequestId, create.ReportRequests);
        // A METADATA request (rule 304) is answered by registering the reports again.
        if (create.ReportRequests.Any(r => r.ReportSpecifier.ReportSpecifierId == "METADATA") && created.EiResponse.ResponseCode.IsSuccess)
        {
            return new(created, SendReportRegistrationAsync);
        }
        return new(created);
    }

    private VtnAnswer OnCancelReport(OadrCancelReport cancel)
    {
        foreach (var id in cancel.ReportRequestIds)
        {
            var active = _state.ReportRequests.FirstOrDefault(r => r.Request.ReportRequestId == id);
            if (active is null) continue;
            if (cancel.ReportToFollow)
            {
                _state.SaveReportRequest(active with { Cancelled = true, ReportToFollow = true });
            }
            else
            {
                _state.RemoveReportRequest(id);
            }
        }
        WakeReports();
        return new(new OadrCanceledReport { EiResponse = Ok(cancel.RequestId), VenId = VenId, PendingReports = Pending() });
    }

    /// <summary>When a request's next report is due, and the window it covers; null when it has nothing more to send.</summary>
    private static (DateTimeOffset Due, DateTimeOffset From, DateTimeOffset To, bool Last)? NextReport(ActiveReportRequest active, ReportName name, DateTimeOffset now)
    {
        var specifier = active.Request.ReportSpecifier;
        var granularity = specifier.Granularity.TryGetTimeSpan(out var g) ? g : TimeSpan.Zero;
        var back = specifier.ReportBackDuration.TryGetTimeSpan(out var b) ? b : TimeSpan.Zero;
        var start = specifier.ReportInterval?.DtStart ?? active.ReceivedAt;
        var length = specifier.ReportInterval?.Duration is { } d && d.TryGetTimeSpan(out var l) ? l : TimeSpan.Zero;
        var end = length > TimeSpan.Zero ? start + length : (DateTimeOffset?)null;

        if (active.Cancelled)
        {
            // reportToFollow: one last report covering what is not yet reported.
            return active.ReportToFollow ? (now, active.LastReportAt ?? start, now, true) : null;
        }
        if (name == ReportName.HistoryUsage || name == ReportName.HistoryGreenButton)
        {
            // History: the whole interval, once it is over.
            if (active.LastReportAt is not null) return null;
            var to = end ?? now;
            return (to > now ? to : now, start, to, true);
        }
        if (back == TimeSpan.Zero)
        {
            // One-shot: once, at the start.
            if (active.LastReportAt is not null) return null;
            return (start > now ? start : now, start > now ? start : now - (granularity > TimeSpan.Zero ? granularity : TimeSpan.Zero), start > now ? start : now, true);
        }
        var from = active.LastReportAt ?? start;
        if (from + back < now - back)
        {
            from = now - back; // periods missed while down are not made up
        }
        var due = from + back;
        if (end is { } e && from >= e) return null;
        var last = end is { } stop && due >= stop;
        return (due, from, last ? end!.Value : due, last);
    }

    private async Task ReportLoopAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            var wake = Volatile.Read(ref _reportWake).Task;
            var now = Now;
            var next = TimeSpan.FromHours(1);
            foreach (var listed in _state.ReportRequests)
            {
                // A report sent before this one may have taken long enough for a cancellation to arrive:
                // plan from the request as it stands now, and skip it if it has ended.
                if (_state.ReportRequests.FirstOrDefault(r => r.Request.ReportRequestId == listed.Request.ReportRequestId) is not { } active) continue;
                var provider = _options.ReportProviders.FirstOrDefault(p => p.Definition.ReportSpecifierId == active.Request.ReportSpecifier.ReportSpecifierId);
                if (provider is null || _state.Registration is null) continue;
                var plan = NextReport(active, provider.Definition.ReportName, now);
                if (plan is null)
                {
                    _state.RemoveReportRequest(active.Request.ReportRequestId);
                    continue;
                }
                if (plan.Value.Due <= now)
                {
                    try
                    {
                        await SendReportAsync(active, provider, plan.Value.From, plan.Value.To, token);
                        if (plan.Value.Last) _state.RemoveReportRequest(active.Request.ReportRequestId);
                        // A cancellation carried on the acknowledgement (R1_3050) may have ended or changed it meanwhile.
                        else if (_state.ReportRequests.FirstOrDefault(r => r.Request.ReportRequestId == active.Request.ReportRequestId) is { } current) _state.SaveReportRequest(current with { LastReportAt = plan.Value.To });
                        next = TimeSpan.Zero; // plan again: the next period may already be due
                    }
                    catch (OperationCanceledException) when (token.IsCancellationRequested)
                    {
                        return;
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // A provider's failure or an unreachable VTN must not stop the other reports.
                        VenLog.ReportFailed(_logger, active.Request.ReportRequestId, ex.Message);
                        next = TimeSpan.FromSeconds(Math.Min(next.TotalSeconds, 5));
                    }
                    continue;
                }
                var wait = plan.Value.Due - now;
                if (wait < next) next = wait;
            }
            if (next == TimeSpan.Zero) continue;
            try
            {
                await Task.WhenAny(Task.Delay(next, _clock, token), wake).WaitAsync(token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task SendReportAsync(ActiveReportRequest active, IVenReportProvider provider, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var specifier = active.Request.ReportSpecifier;
        var granularity = specifier.Granularity.TryGetTimeSpan(out var g) ? g : TimeSpan.Zero;
        var rIds = specifier.SpecifierPayloads.Select(p => p.RId).ToList();
        var readings = await provider.ReadAsync(rIds, from, to, granularity, cancellationToken);
        var intervals = readings
            .Where(r => rIds.Contains(r.RId)) // rule 314: only the requested rIDs
            .Select(r => new Interval
            {
                DtStart = r.DtStart.ToUniversalTime(),
                Duration = IsoDuration.FromTimeSpan(TimeSpan.FromSeconds(Math.Round(r.Duration.TotalSeconds))),
                Payloads = ValueList.Create<StreamPayload>([new OadrReportPayload
                {
                    RId = r.RId,
                    Payload = r.Status is { } status ? status : PayloadFloat.Of(r.Value ?? 0),
                }]),
            })
            .ToList();
        var update = new OadrUpdateReport
        {
            RequestId = NewId("req-"),
            VenId = VenId,
            Reports = ValueList.Create([new OadrReport
            {
                DtStart = from.ToUniversalTime(),
                Duration = IsoDuration.FromTimeSpan(TimeSpan.FromSeconds(Math.Max(0, Math.Round((to - from).TotalSeconds)))),
                Intervals = ValueList.From(intervals),
                ReportRequestId = active.Request.ReportRequestId,
                ReportSpecifierId = specifier.ReportSpecifierId,
                ReportName = provider.Definition.ReportName,
                CreatedDateTime = Now,
            }]),
        };
        var reply = await SendAsync("EiReport", update, cancellationToken);
        if (reply is not OadrUpdatedReport updated || !updated.EiResponse.ResponseCode.IsSuccess)
        {
            throw Refused(update.ElementName, reply);
        }
        VenLog.ReportSent(_logger, active.Request.ReportRequestId, intervals.Count);
        ReportSent?.Invoke(this, new VenReportSentEventArgs(active.Request.ReportRequestId, specifier.ReportSpecifierId, intervals.Count));
        if (updated.CancelReport is { } piggyback)
        {
            // R1_3050: a cancellation carried on the acknowledgement.
            var answer = await HandleFromVtnAsync(piggyback, pushed: false, cancellationToken);
            await SendAndHandleAsync(answer.Reply, cancellationToken);
        }
    }
}
