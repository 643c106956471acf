using System.Security.Cryptography.X509Certificates;
using FlexCoop.OpenAdr.Model;

namespace FlexCoop.Conformance.Certification.OpenAdr;

public sealed partial class OpenAdrVtnSuite
{
    private static ReportOrder OneShot(string specifier, params string[] rIds) => new(specifier) { RIds = rIds.Length > 0 ? rIds : null };

    private static ReportOrder Periodic(VtnCase c, string specifier, double delaySeconds = 0, params string[] rIds) => new(specifier)
    {
        RIds = rIds.Length > 0 ? rIds : null,
        Granularity = c.S(60),
        ReportBack = c.S(60),
        Start = VtnCase.Now + (delaySeconds > 0 ? c.S(delaySeconds) : TimeSpan.Zero),
        Duration = c.S(300),
    };

    /// <summary>A request made, accepted, and answered with <paramref name="reports"/> reports.</summary>
    private static async Task<OadrReportRequest> ReportFlowAsync(VtnCase c, ReportOrder order, int reports = 1)
    {
        var (create, request, _) = await c.RequestReportAsync(order);
        await c.AcceptAsync(create, create.ReportRequests);
        for (var i = 0; i < reports; i++) await c.H.SendReportAsync(request, c.Ct);
        return request;
    }

    /// <summary>Several requests asked for at once; polls until each has come (in one oadrCreateReport or several) and accepts them.</summary>
    private static async Task<IReadOnlyList<OadrReportRequest>> ManyRequestsAsync(VtnCase c, params ReportOrder[] orders)
    {
        foreach (var order in orders) await c.ActAsync(VtnActions.RequestReport, "Ask the VEN for a report: " + order.Describe(), order.Parameters());
        var found = new Dictionary<string, OadrReportRequest>(StringComparer.Ordinal);
        while (found.Count < orders.Length)
        {
            var (create, index) = await c.H.PollForAsync<OadrCreateReport>($"oadrCreateReport for {string.Join(" and ", orders.Select(o => o.Specifier).Where(s => !found.ContainsKey(s)))}", c.AsyncTimeout,
                x => x.ReportRequests.Any(r => orders.Any(o => o.Specifier == r.ReportSpecifier.ReportSpecifierId && !found.ContainsKey(o.Specifier)) && !c.H.ReportRequests.ContainsKey(r.ReportRequestId)), c.Ct);
            foreach (var r in create.ReportRequests)
            {
                var order = orders.FirstOrDefault(o => o.Specifier == r.ReportSpecifier.ReportSpecifierId && !found.ContainsKey(o.Specifier));
                if (order is null) continue;
                c.CheckRequest(r, order, index);
                found[order.Specifier] = r;
            }
            await c.AcceptAsync(create, create.ReportRequests);
        }
        return orders.Select(o => found[o.Specifier]).ToList();
    }

    private static async Task CancelFlowAsync(VtnCase c, bool reportToFollow)
    {
        var request = await ReportFlowAsync(c, Periodic(c, HarnessVen.StatusSpecifier));
        await c.ActAsync(VtnActions.CancelReport, $"Cancel report request {request.ReportRequestId}{(reportToFollow ? " asking for one last report (reportToFollow)" : "")}.",
            new Dictionary<string, string> { [VtnActions.ReportRequestId] = request.ReportRequestId, [VtnActions.ReportToFollow] = reportToFollow ? "yes" : "no" });
        var (cancel, index) = await c.H.PollForAsync<OadrCancelReport>($"oadrCancelReport for {request.ReportRequestId}", c.AsyncTimeout, x => x.ReportRequestIds.Contains(request.ReportRequestId), c.Ct);
        c.R.Check(cancel.ReportToFollow == reportToFollow, c.Id, $"oadrCancelReport says reportToFollow {cancel.ReportToFollow.ToString().ToLowerInvariant()}; the operator asked for {reportToFollow.ToString().ToLowerInvariant()}", $"<pyld:reportToFollow>{cancel.ReportToFollow.ToString().ToLowerInvariant()}</pyld:reportToFollow>", index);
        var (response, ri) = await c.H.SendAsync<OadrResponse>(new OadrCanceledReport { EiResponse = HarnessVen.Ok(cancel.RequestId), PendingReports = ValueList<string>.Empty, VenId = c.VenId }, c.Ct);
        c.Success(response.EiResponse, "oadrCanceledReport", ri);
        if (reportToFollow) await c.H.SendReportAsync(request, c.Ct);
        c.H.ReportRequests.Remove(request.ReportRequestId);
    }

    /// <summary>
    /// R1_3050: the operator cancels a running periodic request asking for the cancellation to ride on the
    /// VTN's next <c>oadrUpdatedReport</c>; the VEN's next report must be answered with one that carries
    /// <c>oadrCancelReport</c> for that request, which the VEN confirms with <c>oadrCanceledReport</c>.
    /// </summary>
    private static async Task PiggybackCancelAsync(VtnCase c)
    {
        var request = await ReportFlowAsync(c, Periodic(c, HarnessVen.StatusSpecifier));
        await c.ActAsync(VtnActions.CancelReport, $"Cancel report request {request.ReportRequestId}, sending the cancellation inside the oadrUpdatedReport that answers the VEN's next report (piggy-backed, no reportToFollow).",
            new Dictionary<string, string> { [VtnActions.ReportRequestId] = request.ReportRequestId, [VtnActions.ReportToFollow] = "no", [VtnActions.Piggyback] = "yes" });
        var (updated, index) = await c.H.SendReportAsync(request, c.Ct);
        if (updated.CancelReport is not { } cancel || !cancel.ReportRequestIds.Contains(request.ReportRequestId))
        {
            throw c.R.Fail(c.Id, $"the oadrUpdatedReport answering the VEN's next report does not carry an oadrCancelReport for {request.ReportRequestId}; the operator cancelled that request piggy-backed, so the VTN must put the cancellation in this answer",
                updated.CancelReport is null ? "<oadr:oadrUpdatedReport> without <oadr:oadrCancelReport>" : $"<pyld:reportRequestID>{string.Join(", ", updated.CancelReport.ReportRequestIds)}</pyld:reportRequestID>", index);
        }
        c.R.Check(!cancel.ReportToFollow, c.Id, "the piggy-backed oadrCancelReport says reportToFollow true; the operator asked for no last report", "<pyld:reportToFollow>true</pyld:reportToFollow>", index);
        c.R.Check(!string.IsNullOrEmpty(cancel.RequestId), "rule 41", "the piggy-backed oadrCancelReport has an empty requestID; the VEN's oadrCanceledReport must be able to echo it", "<pyld:requestID/>", index);
        var (response, ri) = await c.H.SendAsync<OadrResponse>(new OadrCanceledReport { EiResponse = HarnessVen.Ok(cancel.RequestId), PendingReports = ValueList<string>.Empty, VenId = c.VenId }, c.Ct);
        c.Success(response.EiResponse, "oadrCanceledReport confirming the piggy-backed cancellation", ri);
        c.H.ReportRequests.Remove(request.ReportRequestId);
    }

    /// <summary>
    /// R1_3130 / R1_3140: the operator asks for the VEN's HISTORY_USAGE over a past period (<paramref name="agoSeconds"/>
    /// back, <paramref name="seconds"/> long, sampled every <paramref name="granularitySeconds"/>): the request must name
    /// that period, and the VTN must accept the report that fills it.
    /// </summary>
    private static async Task HistoryAsync(VtnCase c, double agoSeconds, double seconds, double granularitySeconds)
    {
        var order = new ReportOrder(HarnessVen.HistorySpecifier)
        {
            Granularity = TimeSpan.FromSeconds(granularitySeconds),
            Start = VtnCase.Now - TimeSpan.FromSeconds(agoSeconds),
            Duration = TimeSpan.FromSeconds(seconds),
        };
        var (create, request, index) = await c.RequestReportAsync(order);
        var interval = request.ReportSpecifier.ReportInterval;
        c.R.Check(interval is { } iv && iv.Duration.TryGetTimeSpan(out var length) && length == order.Duration, c.Id,
            $"the HISTORY_USAGE request covers {interval?.Duration.Text ?? "no period"}; the operator asked for {IsoDuration.FromTimeSpan(order.Duration!.Value).Text} of history", $"<xcal:duration>{interval?.Duration.Text}</xcal:duration>", index);
        await c.AcceptAsync(create, [request]);
        var (updated, ui) = await c.H.SendReportAsync(request, c.Ct);
        c.Success(updated.EiResponse, "HISTORY_USAGE oadrUpdateReport", ui);
        c.H.ReportRequests.Remove(request.ReportRequestId);
    }

    private static Dictionary<string, Func<VtnCase, Task>> ReportScripts() => new(StringComparer.Ordinal)
    {
        ["R1_3130"] = c => HistoryAsync(c, agoSeconds: 3600, seconds: 3600, granularitySeconds: 900),
        ["R1_3140"] = c => HistoryAsync(c, agoSeconds: 1800, seconds: 900, granularitySeconds: 300),
        ["R1_3050"] = PiggybackCancelAsync,
        ["R1_3010"] = c => ReportFlowAsync(c, OneShot(HarnessVen.StatusSpecifier)),
        ["R1_3020"] = c => ReportFlowAsync(c, Periodic(c, HarnessVen.StatusSpecifier), reports: 2),
        ["R1_3025"] = c => ReportFlowAsync(c, Periodic(c, HarnessVen.StatusSpecifier, delaySeconds: 15)),
        ["R1_3027"] = async c =>
        {
            await ReportFlowAsync(c, OneShot(HarnessVen.StatusSpecifier));
            await ReportFlowAsync(c, OneShot(HarnessVen.StatusSpecifier));
        },
        ["R1_3030"] = async c =>
        {
            foreach (var request in await ManyRequestsAsync(c, OneShot(HarnessVen.StatusSpecifier), OneShot(HarnessVen.UsageSpecifier, "power", "energy")))
            {
                await c.H.SendReportAsync(request, c.Ct);
            }
        },
        ["R1_3040"] = c => CancelFlowAsync(c, reportToFollow: false),
        ["R1_3045"] = c => CancelFlowAsync(c, reportToFollow: true),
        ["R1_3060"] = async c =>
        {
            var (registered, index) = await c.H.RegisterReportsAsync(c.Ct, suffix: "2");
            c.Success(registered.EiResponse, "oadrRegisterReport with changed metadata", index);
            await c.H.RegisterReportsAsync(c.Ct);
            await c.H.DrainAsync(c.Ct);
        },
        ["R1_3150"] = c => ReportFlowAsync(c, OneShot(HarnessVen.UsageSpecifier, "power", "energy")),
        ["R1_3160"] = c => ReportFlowAsync(c, Periodic(c, HarnessVen.UsageSpecifier, 15, "power"), reports: 2),
        ["R1_3170"] = async c =>
        {
            var (create, _, index) = await c.RequestReportAsync(new ReportOrder("METADATA"));
            c.R.Check(create.ReportRequests.Any(r => r.ReportSpecifier.ReportSpecifierId == "METADATA"), "rule 304", "a metadata request uses reportSpecifierID METADATA", null, index);
            await c.AcceptAsync(create, create.ReportRequests);
            var (registered, ri) = await c.H.RegisterReportsAsync(c.Ct);
            c.Success(registered.EiResponse, "oadrRegisterReport answering a METADATA request", ri);
        },
        ["R1_3180"] = async c =>
        {
            var requests = await ManyRequestsAsync(c, new ReportOrder("METADATA"), OneShot(HarnessVen.UsageSpecifier, "power"));
            await c.H.RegisterReportsAsync(c.Ct);
            await c.H.SendReportAsync(requests[1], c.Ct);
        },
        ["R1_3190"] = async c =>
        {
            var (create, _, _) = await c.RequestReportAsync(OneShot(HarnessVen.StatusSpecifier));
            var (response, index) = await c.H.AcceptReportRequestsAsync(create.RequestId, create.ReportRequests, c.Ct, ResponseCode.InvalidId);
            c.Success(response.EiResponse, "oadrCreatedReport refusing the request with 452", index);
        },
    };

    private static OadrCreateOpt Schedule(VtnCase c, OptType type, params (double StartIn, double Seconds)[] windows) => new()
    {
        OptId = HarnessVen.NewId("OPT"),
        OptType = type,
        OptReason = type == OptType.OptIn ? OptReason.Economic : OptReason.NotParticipating,
        MarketContext = c.O.MarketContext1,
        VenId = c.VenId,
        CreatedDateTime = VtnCase.Now,
        RequestId = HarnessVen.NewId("REQ"),
        Target = EiTarget.Empty,
        Vavailability = new Vavailability
        {
            Available = ValueList.From(windows.Select(w => new CalendarProperties { DtStart = VtnCase.Now + c.S(w.StartIn), Duration = IsoDuration.FromTimeSpan(w.Seconds == 0 ? TimeSpan.Zero : c.S(w.Seconds)) })),
        },
    };

    private static Dictionary<string, Func<VtnCase, Task>> OptScripts() => new(StringComparer.Ordinal)
    {
        ["P1_2010"] = c => SendOptAsync(c, Schedule(c, OptType.OptIn, (3600, 3600), (4 * 3600, 3600))),
        ["P1_2015"] = c => SendOptAsync(c, Schedule(c, OptType.OptIn, (60, 0))),
        ["P1_2020"] = async c =>
        {
            var opt = Schedule(c, OptType.OptIn, (3600, 3600));
            await SendOptAsync(c, opt);
            var (canceled, index) = await c.H.SendAsync<OadrCanceledOpt>(new OadrCancelOpt { RequestId = HarnessVen.NewId("REQ"), OptId = opt.OptId, VenId = c.VenId }, c.Ct);
            c.Success(canceled.EiResponse, "oadrCancelOpt", index);
        },
        ["P1_2030"] = c => SendOptAsync(c, Schedule(c, OptType.OptOut, (600, 3600))),
        ["P1_2040"] = c => SendOptAsync(c, Schedule(c, OptType.OptOut, (600, 3600)) with { Target = new EiTarget { ResourceIds = ValueList.Create(["TH_RESOURCE_1"]) } }),
        ["P1_2050"] = async c =>
        {
            var opt = Schedule(c, OptType.OptIn, (3600, 3600));
            await SendOptAsync(c, opt);
            await SendOptAsync(c, Schedule(c, OptType.OptIn, (7200, 1800)) with { OptId = opt.OptId });
        },
    };

    /// <summary>PICS value: the host name (SNI) under which the VTN serves its ECC certificate, when it picks certificates by name.</summary>
    public const string TlsServerNameEcc = "tls-server-name-ecc";

    /// <summary>PICS value: the host name (SNI) under which the VTN serves its RSA certificate.</summary>
    public const string TlsServerNameRsa = "tls-server-name-rsa";

    private static Dictionary<string, Func<VtnCase, Task>> GeneralScripts() => new(StringComparer.Ordinal)
    {
        ["G1_4010"] = async c =>
        {
            if (!c.O.UsesTls) throw c.R.Inconclusive("G1_4010 certifies the TLS profile: run the suite against an https:// VTN with --tls-cert/--tls-key/--ca");
            await EventThenModifyAsync(c, At(c, 600, (300, 1)), o => o with { Intervals = [(c.S(300), 3)] });
        },
        ["G1_4015"] = async c =>
        {
            var order = At(c, 600, (300, 1));
            await c.NoEventsAsync();
            await c.CreateEventAsync(order);
            var report = OneShot(HarnessVen.StatusSpecifier);
            await c.ActAsync(VtnActions.RequestReport, "Ask the VEN for a report: " + report.Describe(), report.Parameters());
            var (d, fresh, index) = await c.NewEventsAsync();
            c.CheckEvent(fresh[0], order, index);
            await c.AnswerOkAsync(d);
            var (create, ci) = await c.H.PollForAsync<OadrCreateReport>("oadrCreateReport for the one-shot status report", c.AsyncTimeout,
                x => x.ReportRequests.Any(r => r.ReportSpecifier.ReportSpecifierId == HarnessVen.StatusSpecifier && !c.H.ReportRequests.ContainsKey(r.ReportRequestId)), c.Ct);
            var request = create.ReportRequests.First(r => r.ReportSpecifier.ReportSpecifierId == HarnessVen.StatusSpecifier);
            c.CheckRequest(request, report, ci);
            await c.AcceptAsync(create, create.ReportRequests);
            await c.H.SendReportAsync(request, c.Ct);
        },
        ["G1_4020"] = async c =>
        {
            if (!c.O.UsesTls) throw c.R.Inconclusive("G1_4020 certifies the TLS profile: run the suite against an https:// VTN");
            if (OperatingSystem.IsWindows()) throw c.R.Inconclusive("this platform cannot offer a single cipher suite; run the suite on Linux or macOS");
            // A VTN that picks its certificate by host name says which name reaches which one (PICS values).
            var eccName = c.R.Pics.Value(TlsServerNameEcc);
            var rsaName = c.R.Pics.Value(TlsServerNameRsa);
            using var ecc = await c.H.HandshakeWithAsync(System.Net.Security.TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, eccName, c.Ct);
            using var rsa = await c.H.HandshakeWithAsync(System.Net.Security.TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256, rsaName, c.Ct);
            c.R.Check(ecc is not null, "rule 67", $"the VTN refused TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256{(eccName is null ? "" : " for " + eccName)}; a VTN offers both rule 67 suites (with an ECC certificate, rule 68)");
            c.R.Check(rsa is not null, "rule 67", $"the VTN refused TLS_RSA_WITH_AES_128_CBC_SHA256{(rsaName is null ? "" : " for " + rsaName)}; a VTN offers both rule 67 suites (with an RSA certificate, rule 68)");
            using var eccKey = ecc?.GetECDsaPublicKey();
            c.R.Check(eccKey is { KeySize: >= 224 }, "rule 68", $"with the ECDSA suite the VTN must present an ECC certificate of at least 224 bits; it presented {ecc?.Subject} ({ecc?.PublicKey.Oid.FriendlyName}, {eccKey?.KeySize} bits)");
            using var rsaKey = rsa?.GetRSAPublicKey();
            c.R.Check(rsaKey is { KeySize: >= 2048 }, "rule 68", $"with the RSA suite the VTN must present an RSA certificate of at least 2048 bits; it presented {rsa?.Subject} ({rsa?.PublicKey.Oid.FriendlyName}, {rsaKey?.KeySize} bits)");
        },
    };
}
