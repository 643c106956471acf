using FlexCoop.OpenAdr.Model;

namespace FlexCoop.Conformance.Certification.OpenAdr;

public sealed partial class OpenAdrVenSuite
{
    /// <summary>The report the harness VTN offers a VEN that asks for the VTN's reports.</summary>
    private const string VtnReportSpecifierId = "TH_VTN_STATUS";

    private const string VtnReportRId = "vtn-status";

    /// <summary>Operator actions of the cases where the VEN asks for the VTN's reports (PICS <c>request-vtn-reports</c>); a hook switches on these names.</summary>
    public static IReadOnlyDictionary<string, string> VtnReportActions { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["request-vtn-metadata"] = "Make the VEN ask for the VTN's report metadata (oadrCreateReport with reportSpecifierID METADATA).",
        ["request-vtn-report"] = $"Make the VEN ask once for the VTN's {VtnReportSpecifierId} report (oadrCreateReport, granularity and reportBackDuration PT0S).",
        ["request-vtn-report-periodic"] = $"Make the VEN ask for the VTN's {VtnReportSpecifierId} report periodically (oadrCreateReport with a reportBackDuration).",
        ["cancel-vtn-report"] = "Make the VEN cancel its request for the VTN's report (oadrCancelReport).",
        ["cancel-vtn-report-piggyback"] = "Make the VEN cancel its request for the VTN's report in its answer to the VTN's next report (oadrUpdatedReport carrying oadrCancelReport).",
    };

    private static Task VtnActAsync(VenCase c, string action) => c.ActAsync(action, VtnReportActions[action]);

    /// <summary>
    /// R1_3070/3090/3100/3120: the VEN asks for the VTN's metadata, a one-shot report, a periodic report it then cancels,
    /// and a periodic report it cancels on its acknowledgement of the next one.
    /// </summary>
    private static Dictionary<string, Func<VenCase, Task>> VtnReportScripts() => new(StringComparer.Ordinal)
    {
        ["R1_3070"] = async c =>
        {
            await VtnActAsync(c, "request-vtn-metadata");
            var (create, index) = await c.ExpectAsync<OadrCreateReport>("oadrCreateReport asking for the VTN's METADATA", c.AsyncTimeout);
            c.R.Check(create.ReportRequests.Any(r => r.ReportSpecifier.ReportSpecifierId == "METADATA"), "rule 304",
                "a request for metadata names reportSpecifierID METADATA", string.Join(", ", create.ReportRequests.Select(r => r.ReportSpecifier.ReportSpecifierId)), index);
            // The harness answered oadrCreatedReport; the metadata follows as the VTN's oadrRegisterReport.
            await RegisterVtnReportsAsync(c);
        },
        ["R1_3090"] = async c =>
        {
            await RegisterVtnReportsAsync(c);
            await VtnActAsync(c, "request-vtn-report");
            var request = await VtnReportRequestAsync(c, periodic: false);
            await SendVtnReportAsync(c, request);
        },
        ["R1_3100"] = async c =>
        {
            await RegisterVtnReportsAsync(c);
            await VtnActAsync(c, "request-vtn-report-periodic");
            var request = await VtnReportRequestAsync(c, periodic: true);
            await SendVtnReportAsync(c, request);
            await SendVtnReportAsync(c, request);
            await VtnActAsync(c, "cancel-vtn-report");
            var (cancel, index) = await c.ExpectAsync<OadrCancelReport>("oadrCancelReport", c.AsyncTimeout);
            c.R.Check(cancel.ReportRequestIds.Contains(request.ReportRequestId), c.Id,
                $"oadrCancelReport names {string.Join(", ", cancel.ReportRequestIds)}, not the VEN's request {request.ReportRequestId}", null, index);
        },
        ["R1_3120"] = async c =>
        {
            await RegisterVtnReportsAsync(c);
            await VtnActAsync(c, "request-vtn-report-periodic");
            var request = await VtnReportRequestAsync(c, periodic: true);
            await SendVtnReportAsync(c, request);
            await VtnActAsync(c, "cancel-vtn-report-piggyback");
            var (updated, index) = await SendVtnReportAsync(c, request);
            c.R.Check(updated.CancelReport is { } cancel && cancel.ReportRequestIds.Contains(request.ReportRequestId), c.Id,
                $"the oadrUpdatedReport must carry an oadrCancelReport naming {request.ReportRequestId}", updated.CancelReport is null ? "no oadr:oadrCancelReport" : string.Join(", ", updated.CancelReport.ReportRequestIds), index);
        },
    };

    /// <summary>The harness VTN announces its report (<c>oadrRegisterReport</c>); the VEN acknowledges with <c>oadrRegisteredReport</c> echoing the requestID.</summary>
    private static async Task RegisterVtnReportsAsync(VenCase c)
    {
        var register = new OadrRegisterReport
        {
            RequestId = HarnessVtn.NewId("REQ"),
            ReportRequestId = "0",
            Reports = ValueList.Create([new OadrReport
            {
                ReportRequestId = "0",
                ReportSpecifierId = VtnReportSpecifierId,
                ReportName = ReportName.MetadataTelemetryStatus,
                Duration = IsoDuration.Zero,
                CreatedDateTime = DateTimeOffset.UtcNow,
                Descriptions = ValueList.Create([new OadrReportDescription
                {
                    RId = VtnReportRId,
                    ReportType = ReportType.XResourceStatus,
                    ReadingType = ReadingType.XNotApplicable,
                    SamplingRate = new OadrSamplingRate { MinPeriod = IsoDuration.FromTimeSpan(c.S(10)), MaxPeriod = IsoDuration.FromTimeSpan(c.S(600)), OnChange = false },
                }]),
            }]),
        };
        await c.SendAsync(register);
        var (registered, index) = await c.ExpectAsync<OadrRegisteredReport>("oadrRegisteredReport", c.AsyncTimeout);
        c.R.Check(registered.EiResponse.ResponseCode.IsSuccess, c.Id, $"the VEN refused the VTN's report registration with {registered.EiResponse.ResponseCode.Value}", null, index);
        c.R.Check(registered.EiResponse.RequestId == register.RequestId, "rule 311", $"oadrRegisteredReport echoes requestID '{registered.EiResponse.RequestId}', not '{register.RequestId}'",
            $"<pyld:requestID>{registered.EiResponse.RequestId}</pyld:requestID>", index);
    }

    /// <summary>The VEN's <c>oadrCreateReport</c> for the VTN's report: the registered specifier and rID, one-shot or periodic as asked.</summary>
    private static async Task<OadrReportRequest> VtnReportRequestAsync(VenCase c, bool periodic)
    {
        var (create, index) = await c.ExpectAsync<OadrCreateReport>($"oadrCreateReport for the VTN's {VtnReportSpecifierId} report", c.AsyncTimeout);
        var request = create.ReportRequests.FirstOrDefault(r => r.ReportSpecifier.ReportSpecifierId == VtnReportSpecifierId)
            ?? throw c.R.Fail(c.Id, $"the VEN's oadrCreateReport does not name the VTN's reportSpecifierID {VtnReportSpecifierId}", string.Join(", ", create.ReportRequests.Select(r => r.ReportSpecifier.ReportSpecifierId)), index);
        var unknown = request.ReportSpecifier.SpecifierPayloads.FirstOrDefault(p => p.RId != VtnReportRId);
        c.R.Check(unknown is null, "rule 314", $"the VEN asks for rID '{unknown?.RId}', which the VTN did not register", $"<ei:rID>{unknown?.RId}</ei:rID>", index);
        var back = request.ReportSpecifier.ReportBackDuration.TryGetTimeSpan(out var b) ? b : TimeSpan.Zero;
        c.R.Check(periodic == back > TimeSpan.Zero, c.Id, periodic
            ? "a periodic request has a reportBackDuration above zero"
            : $"a one-shot request has reportBackDuration PT0S; it has {request.ReportSpecifier.ReportBackDuration.Text}", request.ReportSpecifier.ReportBackDuration.Text, index);
        return request;
    }

    /// <summary>The harness sends one report answering <paramref name="request"/>; the VEN acknowledges it echoing the requestID.</summary>
    private static async Task<(OadrUpdatedReport Message, int Index)> SendVtnReportAsync(VenCase c, OadrReportRequest request)
    {
        var now = DateTimeOffset.UtcNow;
        now = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        var update = new OadrUpdateReport
        {
            RequestId = HarnessVtn.NewId("REQ"),
            Reports = ValueList.Create([new OadrReport
            {
                DtStart = now,
                Duration = IsoDuration.Zero,
                ReportRequestId = request.ReportRequestId,
                ReportSpecifierId = VtnReportSpecifierId,
                ReportName = ReportName.TelemetryStatus,
                CreatedDateTime = now,
                Intervals = ValueList.Create([new Interval
                {
                    DtStart = now,
                    Duration = IsoDuration.Zero,
                    Payloads = ValueList.Create<StreamPayload>([new OadrReportPayload { RId = VtnReportRId, Payload = new OadrPayloadResourceStatus { Online = true, ManualOverride = false } }]),
                }]),
            }]),
            VenId = c.VenId,
        };
        await c.SendAsync(update);
        var (updated, index) = await c.ExpectAsync<OadrUpdatedReport>("oadrUpdatedReport acknowledging the VTN's report", c.AsyncTimeout);
        c.R.Check(updated.EiResponse.RequestId == update.RequestId, "rule 311", $"oadrUpdatedReport echoes requestID '{updated.EiResponse.RequestId}', not '{update.RequestId}'",
            $"<pyld:requestID>{updated.EiResponse.RequestId}</pyld:requestID>", index);
        return (updated, index);
    }
}
