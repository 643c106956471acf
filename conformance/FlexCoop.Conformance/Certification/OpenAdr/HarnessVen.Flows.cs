using FlexCoop.OpenAdr.Model;

namespace FlexCoop.Conformance.Certification.OpenAdr;

internal sealed partial class HarnessVen
{
    /// <summary>The reportSpecifierID of the harness's TELEMETRY_STATUS report.</summary>
    public const string StatusSpecifier = "TH_VEN_STATUS";

    /// <summary>The reportSpecifierID of the harness's TELEMETRY_USAGE report.</summary>
    public const string UsageSpecifier = "TH_VEN_USAGE";

    /// <summary>The reportSpecifierID of the harness's HISTORY_USAGE report (energy, kept for a day).</summary>
    public const string HistorySpecifier = "TH_VEN_HISTORY";

    /// <summary>The VTN's own report metadata: its last <c>oadrRegisterReport</c> (null until it sent one).</summary>
    public OadrRegisterReport? VtnMetadata { get; private set; }

    public static string NewId(string prefix) => prefix + "_" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>The reports the harness VEN announces: a TELEMETRY_STATUS (<c>status</c>) and a TELEMETRY_USAGE (<c>power</c>, <c>energy</c>).</summary>
    public IReadOnlyList<OadrReport> Metadata(string suffix = "")
    {
        var sampling = new OadrSamplingRate { MinPeriod = IsoDuration.FromTimeSpan(TimeSpan.FromSeconds(1)), MaxPeriod = IsoDuration.FromTimeSpan(TimeSpan.FromHours(1)), OnChange = false };
        var now = DateTimeOffset.UtcNow;
        return
        [
            new OadrReport
            {
                ReportRequestId = "0",
                ReportSpecifierId = StatusSpecifier,
                ReportName = ReportName.MetadataTelemetryStatus,
                Duration = IsoDuration.FromTimeSpan(TimeSpan.FromDays(1)),
                CreatedDateTime = now,
                Descriptions = ValueList.Create([new OadrReportDescription { RId = "status", ReportType = ReportType.XResourceStatus, ReadingType = ReadingType.XNotApplicable, SamplingRate = sampling }]),
            },
            new OadrReport
            {
                ReportRequestId = "0",
                ReportSpecifierId = UsageSpecifier,
                ReportName = ReportName.MetadataTelemetryUsage,
                Duration = IsoDuration.FromTimeSpan(TimeSpan.FromDays(1)),
                CreatedDateTime = now,
                Descriptions = ValueList.From(new[] { "power", "energy" + suffix }.Select(r => new OadrReportDescription
                {
                    RId = r,
                    ReportType = ReportType.Usage,
                    ReadingType = ReadingType.DirectRead,
                    ItemBase = r == "power"
                        ? new PowerReal { Scale = SiScaleCode.Kilo, Attributes = new PowerAttributes { Hertz = 50, Voltage = 230, Ac = true } }
                        : new EnergyReal { Scale = SiScaleCode.Kilo },
                    SamplingRate = sampling,
                })),
            },
            new OadrReport
            {
                ReportRequestId = "0",
                ReportSpecifierId = HistorySpecifier,
                ReportName = ReportName.MetadataHistoryUsage,
                Duration = IsoDuration.FromTimeSpan(TimeSpan.FromDays(1)),
                CreatedDateTime = now,
                Descriptions = ValueList.Create([new OadrReportDescription
                {
                    RId = "history-energy",
                    ReportType = ReportType.Usage,
                    ReadingType = ReadingType.DirectRead,
                    ItemBase = new EnergyReal { Scale = SiScaleCode.Kilo },
                    SamplingRate = sampling,
                }]),
            },
        ];
    }

    // ---- registration ----

    /// <summary>oadrQueryRegistration: what the VTN offers.</summary>
    public Task<(OadrCreatedPartyRegistration Message, int Index)> QueryAsync(CancellationToken ct) =>
        SendAsync<OadrCreatedPartyRegistration>(new OadrQueryRegistration { RequestId = NewId("REQ") }, ct);

    /// <summary>
    /// Registers (query, create, then report registration): <paramref name="keepRegistrationId"/> sends the
    /// current registrationID (a re-registration). Returns the oadrCreatedPartyRegistration.
    /// </summary>
    public async Task<(OadrCreatedPartyRegistration Message, int Index)> RegisterAsync(CancellationToken ct, bool keepRegistrationId = false, bool registerReports = true)
    {
        var (query, _) = await QueryAsync(ct);
        if (query.RequestedOadrPollFreq is { } freq && freq.TryGetTimeSpan(out var span)) RequestedPollFrequency = span;
        var create = new OadrCreatePartyRegistration
        {
            RequestId = NewId("REQ"),
            RegistrationId = keepRegistrationId ? RegistrationId : null,
            VenId = keepRegistrationId ? VenId : PreconfiguredVenId,
            ProfileName = OadrProfileName.Profile20b,
            TransportName = OadrTransportName.SimpleHttp,
            ReportOnly = false,
            XmlSignature = _options.High,
            VenName = _options.VenName,
            HttpPullModel = !IsPush,
            TransportAddress = IsPush ? PushAddress!.ToString() : null,
        };
        var (created, index) = await SendAsync<OadrCreatedPartyRegistration>(create, ct);
        if (!created.EiResponse.ResponseCode.IsSuccess)
        {
            throw R.Fail("registration", $"the VTN refused the registration with {created.EiResponse.ResponseCode.Value}: {created.EiResponse.ResponseDescription}", $"<ei:responseCode>{created.EiResponse.ResponseCode.Value}</ei:responseCode>", index);
        }
        if (string.IsNullOrEmpty(created.VenId) || string.IsNullOrEmpty(created.RegistrationId))
        {
            throw R.Fail("registration", "a successful oadrCreatedPartyRegistration gives the VEN its venID and registrationID", "<ei:venID/> <ei:registrationID/>", index);
        }
        VenId = created.VenId;
        RegistrationId = created.RegistrationId;
        Registered = true;
        if (created.RequestedOadrPollFreq is { } f && f.TryGetTimeSpan(out var s)) RequestedPollFrequency = s;
        if (registerReports) await RegisterReportsAsync(ct);
        return (created, index);
    }

    /// <summary>oadrRegisterReport with the harness's metadata; acts on report requests carried in oadrRegisteredReport.</summary>
    public async Task<(OadrRegisteredReport Message, int Index)> RegisterReportsAsync(CancellationToken ct, string suffix = "")
    {
        var register = new OadrRegisterReport { RequestId = NewId("REQ"), Reports = ValueList.From(Metadata(suffix)), VenId = VenId, ReportRequestId = "0" };
        var (registered, index) = await SendAsync<OadrRegisteredReport>(register, ct);
        if (!registered.EiResponse.ResponseCode.IsSuccess)
        {
            throw R.Fail("R1_3060", $"the VTN refused the VEN's report registration with {registered.EiResponse.ResponseCode.Value}: {registered.EiResponse.ResponseDescription}", null, index);
        }
        if (registered.ReportRequests.Count > 0)
        {
            await AcceptReportRequestsAsync(registered.EiResponse.RequestId, registered.ReportRequests, ct);
        }
        return (registered, index);
    }

    /// <summary>The VEN cancels its own registration.</summary>
    public async Task<(OadrCanceledPartyRegistration Message, int Index)> CancelRegistrationAsync(CancellationToken ct, string? registrationId = null)
    {
        var cancel = new OadrCancelPartyRegistration { RequestId = NewId("REQ"), RegistrationId = registrationId ?? RegistrationId ?? "", VenId = VenId };
        var answer = await SendAsync<OadrCanceledPartyRegistration>(cancel, ct);
        if (registrationId is null && answer.Message.EiResponse.ResponseCode.IsSuccess)
        {
            Registered = false;
        }
        return answer;
    }

    // ---- polling ----

    public TimeSpan PollPeriod
    {
        get
        {
            var own = _options.Scaled(_options.PollFrequency);
            return TimeSpan.FromMilliseconds(Math.Min(own.TotalMilliseconds, 1000));
        }
    }

    public Task<(OadrMessage Message, int Index)> PollAsync(CancellationToken ct) => SendAsync(new OadrPoll { VenId = VenId ?? "" }, ct);

    /// <summary>
    /// Polls (push: waits for pushes) until the VTN hands over a <typeparamref name="T"/> matching <paramref name="match"/>; what else
    /// comes is answered as a plain VEN would (<see cref="HandleAsync"/>). Fails the case after <paramref name="timeout"/>.
    /// </summary>
    public async Task<(T Message, int Index)> PollForAsync<T>(string what, TimeSpan timeout, Func<T, bool>? match, CancellationToken ct, string? rule = null) where T : OadrMessage
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var (message, index) = await NextAsync(ct);
            if (message is T t && (match is null || match(t))) return (t, index);
            if (message is OadrResponse r && !r.EiResponse.ResponseCode.IsSuccess)
            {
                throw R.Fail(rule ?? "poll", $"the VTN refused the poll with {r.EiResponse.ResponseCode.Value}: {r.EiResponse.ResponseDescription}", null, index);
            }
            var handled = await HandleAsync(message, ct);
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw R.Fail(rule ?? R.Case.Id.Replace("_TH_VEN", "", StringComparison.Ordinal), $"the VTN did not send {what} within {timeout.TotalSeconds:0} s of polling");
            }
            if (!handled && !IsPush) await Task.Delay(PollPeriod, ct);
        }
    }

    /// <summary>Polls until the VTN has nothing more queued, answering everything; returns how many messages came.</summary>
    public async Task<int> DrainAsync(CancellationToken ct)
    {
        var count = 0;
        for (var i = 0; i < 50; i++)
        {
            var (message, _) = await NextAsync(ct);
            if (message is OadrResponse) return count;
            count++;
            await HandleAsync(message, ct);
        }
        throw R.Fail("rule 50", "the VTN kept handing messages over on 50 polls in a row");
    }

    /// <summary>Answers what the VTN handed over as a plain VEN would; false when there was nothing to act on.</summary>
    public async Task<bool> HandleAsync(OadrMessage message, CancellationToken ct)
    {
        switch (message)
        {
            case OadrDistributeEvent d:
                await AnswerAsync(d, _ => (ResponseCode.Ok, OptType.OptIn), ct);
                return true;
            case OadrCreateReport c:
                await AcceptReportRequestsAsync(c.RequestId, c.ReportRequests, ct);
                if (c.ReportRequests.Any(r => r.ReportSpecifier.ReportSpecifierId == "METADATA")) await RegisterReportsAsync(ct); // rule 304
                return true;
            case OadrRegisterReport r:
                VtnMetadata = r;
                await SendAsync(new OadrRegisteredReport { EiResponse = Ok(r.RequestId), VenId = VenId }, ct);
                return true;
            case OadrUpdateReport u:
                await SendAsync(new OadrUpdatedReport { EiResponse = Ok(u.RequestId), VenId = VenId }, ct);
                return true;
            case OadrCancelReport x:
                foreach (var id in x.ReportRequestIds) ReportRequests.Remove(id);
                await SendAsync(new OadrCanceledReport { EiResponse = Ok(x.RequestId), VenId = VenId }, ct);
                return true;
            case OadrCancelPartyRegistration cp:
                await SendAsync(new OadrCanceledPartyRegistration { EiResponse = Ok(cp.RequestId), RegistrationId = cp.RegistrationId, VenId = VenId }, ct);
                Registered = false;
                return true;
            case OadrRequestReregistration:
                await SendAsync(new OadrResponse { EiResponse = Ok(""), VenId = VenId }, ct);
                await RegisterAsync(ct, keepRegistrationId: true);
                return true;
            default:
                return false;
        }
    }

    public static EiResponse Ok(string requestId) => new() { ResponseCode = ResponseCode.Ok, RequestId = requestId, ResponseDescription = "OK" };

    // ---- events ----

    /// <summary>
    /// Answers the events of <paramref name="d"/> that need an answer with one oadrCreatedEvent (rule 42: each
    /// eventResponse echoes the distribute's requestID); returns the VTN's oadrResponse, or null when none needed one.
    /// </summary>
    public async Task<(OadrResponse Message, int Index)?> AnswerAsync(OadrDistributeEvent d, Func<OadrEvent, (ResponseCode Code, OptType Opt)?> answer, CancellationToken ct, string? venId = null)
    {
        var responses = new List<EventResponse>();
        foreach (var e in d.Events.Where(e => e.ResponseRequired == ResponseRequired.Always))
        {
            if (answer(e) is not { } a) continue;
            responses.Add(new EventResponse
            {
                ResponseCode = a.Code,
                ResponseDescription = a.Code.IsSuccess ? "OK" : "refused by the harness",
                RequestId = d.RequestId,
                QualifiedEventId = new QualifiedEventId { EventId = e.EiEvent.EventDescriptor.EventId, ModificationNumber = e.EiEvent.EventDescriptor.ModificationNumber },
                OptType = a.Opt,
            });
        }
        if (responses.Count == 0) return null;
        var created = new OadrCreatedEvent
        {
            EiResponse = new EiResponse { ResponseCode = ResponseCode.Ok, RequestId = "", ResponseDescription = "OK" },
            EventResponses = ValueList.From(responses),
            VenId = venId ?? VenId ?? "",
        };
        return await SendAsync<OadrResponse>(created, ct);
    }

    /// <summary>oadrRequestEvent (rule 23): the VTN answers at once with the events due.</summary>
    public Task<(OadrDistributeEvent Message, int Index)> RequestEventsAsync(CancellationToken ct, uint? replyLimit = null, string? venId = null) =>
        SendAsync<OadrDistributeEvent>(new OadrRequestEvent { RequestId = NewId("REQ"), VenId = venId ?? VenId ?? "", ReplyLimit = replyLimit }, ct);

    // ---- reports ----

    /// <summary>Accepts report requests with oadrCreatedReport (echoing <paramref name="requestId"/>) and remembers them.</summary>
    public async Task<(OadrResponse Message, int Index)> AcceptReportRequestsAsync(string requestId, IEnumerable<OadrReportRequest> requests, CancellationToken ct, ResponseCode? code = null)
    {
        var list = requests.ToList();
        var refused = code is { IsSuccess: false };
        if (!refused)
        {
            foreach (var r in list) ReportRequests[r.ReportRequestId] = r;
        }
        var created = new OadrCreatedReport
        {
            EiResponse = new EiResponse { ResponseCode = code ?? ResponseCode.Ok, RequestId = requestId, ResponseDescription = refused ? "refused by the harness" : "OK" },
            PendingReports = refused ? ValueList<string>.Empty : ValueList.From(ReportRequests.Keys.ToList()),
            VenId = VenId,
        };
        return await SendAsync<OadrResponse>(created, ct);
    }

    /// <summary>An oadrUpdateReport with one reading per requested rID of <paramref name="request"/>.</summary>
    public OadrUpdateReport Update(OadrReportRequest request, string? rIdOverride = null)
    {
        var now = DateTimeOffset.UtcNow;
        now = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        var specifier = request.ReportSpecifier.ReportSpecifierId;
        if (specifier == HistorySpecifier) return History(request);
        var name = specifier == StatusSpecifier ? ReportName.TelemetryStatus : ReportName.TelemetryUsage;
        var payloads = request.ReportSpecifier.SpecifierPayloads.Select(p => (StreamPayload)new OadrReportPayload
        {
            RId = rIdOverride ?? p.RId,
            Confidence = 100,
            Accuracy = 0,
            Payload = p.RId == "status" ? new OadrPayloadResourceStatus { Online = true, ManualOverride = false } : PayloadFloat.Of(1.5f),
        });
        return new OadrUpdateReport
        {
            RequestId = NewId("REQ"),
            VenId = VenId,
            Reports = ValueList.Create([new OadrReport
            {
                ReportRequestId = request.ReportRequestId,
                ReportSpecifierId = specifier,
                ReportName = name,
                CreatedDateTime = now,
                DtStart = now,
                Duration = IsoDuration.FromTimeSpan(TimeSpan.FromMinutes(1)),
                Intervals = ValueList.Create([new Interval
                {
                    DtStart = now,
                    Duration = IsoDuration.FromTimeSpan(TimeSpan.FromMinutes(1)),
                    Uid = "0",
                    Payloads = ValueList.From(payloads),
                }]),
            }]),
        };
    }

    /// <summary>
    /// A HISTORY_USAGE report answering <paramref name="request"/>: one interval per granularity period of the
    /// requested reportInterval (the whole of it), each with a reading for every requested rID.
    /// </summary>
    private OadrUpdateReport History(OadrReportRequest request)
    {
        var spec = request.ReportSpecifier;
        var start = spec.ReportInterval?.DtStart ?? DateTimeOffset.UtcNow;
        var length = spec.ReportInterval?.Duration is { } d && d.TryGetTimeSpan(out var l) && l > TimeSpan.Zero ? l : TimeSpan.FromHours(1);
        var step = spec.Granularity.TryGetTimeSpan(out var g) && g > TimeSpan.Zero ? g : length;
        var count = (int)Math.Clamp(Math.Ceiling(length / step), 1, 1000);
        var intervals = Enumerable.Range(0, count).Select(i => new Interval
        {
            DtStart = start + step * i,
            Duration = IsoDuration.FromTimeSpan(i == count - 1 ? length - step * i : step),
            Uid = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Payloads = ValueList.From(spec.SpecifierPayloads.Select(p => (StreamPayload)new OadrReportPayload { RId = p.RId, Confidence = 100, Accuracy = 0, Payload = PayloadFloat.Of(0.25f * (i + 1)) })),
        });
        return new OadrUpdateReport
        {
            RequestId = NewId("REQ"),
            VenId = VenId,
            Reports = ValueList.Create([new OadrReport
            {
                ReportRequestId = request.ReportRequestId,
                ReportSpecifierId = HistorySpecifier,
                ReportName = ReportName.HistoryUsage,
                CreatedDateTime = DateTimeOffset.UtcNow,
                DtStart = start,
                Duration = IsoDuration.FromTimeSpan(length),
                Intervals = ValueList.From(intervals),
            }]),
        };
    }

    /// <summary>Sends a report for <paramref name="request"/> and checks the VTN accepts it (rule 311 is checked on every answer).</summary>
    public async Task<(OadrUpdatedReport Message, int Index)> SendReportAsync(OadrReportRequest request, CancellationToken ct)
    {
        var (updated, index) = await SendAsync<OadrUpdatedReport>(Update(request), ct);
        if (!updated.EiResponse.ResponseCode.IsSuccess)
        {
            throw R.Fail(R.Case.Id.Replace("_TH_VEN", "", StringComparison.Ordinal), $"the VTN refused a report it requested with {updated.EiResponse.ResponseCode.Value}: {updated.EiResponse.ResponseDescription}", $"<ei:responseCode>{updated.EiResponse.ResponseCode.Value}</ei:responseCode>", index);
        }
        return (updated, index);
    }
}
