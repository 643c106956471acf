using System.Net.Http.Headers;
using FlexCoop.Conformance.Certification;
using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;

namespace FlexCoop.Conformance.Tests.Certification;

/// <summary>
/// A small pull VEN over plain HTTP that asks for the VTN's reports (PICS <c>request-vtn-reports</c>), which our own VEN
/// does not do: it registers, polls, acknowledges the VTN's report registrations and reports, and performs the suite's
/// <c>request-vtn-*</c> / <c>cancel-vtn-report*</c> operator actions. With <see cref="CancelsWrongRequest"/> its
/// cancellations name a request it never made, which R1_3100 and R1_3120 must fail.
/// </summary>
internal sealed class VenRequestingVtnReports : IAsyncDisposable
{
    private const string Path = "/OpenADR2/Simple/2.0b/";
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Uri _vtn;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private Task _loop = Task.CompletedTask;
    private string _venId = "";
    private string? _specifierId;
    private string? _requestId;
    private bool _piggyback;

    private VenRequestingVtnReports(Uri vtn) => _vtn = vtn;

    public bool CancelsWrongRequest { get; init; }

    public static async Task<VenRequestingVtnReports> StartAsync(Uri vtn, bool cancelsWrongRequest = false)
    {
        var ven = new VenRequestingVtnReports(vtn) { CancelsWrongRequest = cancelsWrongRequest };
        await ven.RegisterAsync();
        ven._loop = Task.Run(ven.PollLoopAsync);
        return ven;
    }

    private async Task<OadrMessage> SendAsync(string service, OadrMessage message)
    {
        using var content = new ByteArrayContent(OadrCodec.SerializeToUtf8Bytes(message, OadrSerializerOptions.Default));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
        using var response = await _http.PostAsync(new Uri(_vtn, Path + service), content, _stop.Token);
        response.EnsureSuccessStatusCode();
        return OadrCodec.ParseMessage(await response.Content.ReadAsByteArrayAsync(_stop.Token));
    }

    private static string NewId() => "req-" + Guid.NewGuid().ToString("N")[..12];

    private static EiResponse Ok(string requestId) => new() { ResponseCode = ResponseCode.Ok, RequestId = requestId, ResponseDescription = "OK" };

    private async Task RegisterAsync()
    {
        await SendAsync("EiRegisterParty", new OadrQueryRegistration { RequestId = NewId() });
        var created = (OadrCreatedPartyRegistration)await SendAsync("EiRegisterParty", new OadrCreatePartyRegistration
        {
            RequestId = NewId(),
            ProfileName = OadrProfileName.Profile20b,
            TransportName = OadrTransportName.SimpleHttp,
            ReportOnly = false,
            XmlSignature = false,
            VenName = "reports-client",
            HttpPullModel = true,
        });
        _venId = created.VenId!;
        await SendAsync("EiReport", new OadrRegisterReport
        {
            RequestId = NewId(),
            VenId = _venId,
            ReportRequestId = "0",
            Reports = ValueList.Create([new OadrReport
            {
                ReportRequestId = "0",
                ReportSpecifierId = "RC_STATUS",
                ReportName = ReportName.MetadataTelemetryStatus,
                Duration = IsoDuration.Zero,
                CreatedDateTime = DateTimeOffset.UtcNow,
                Descriptions = ValueList.Create([new OadrReportDescription
                {
                    RId = "status",
                    ReportType = ReportType.XResourceStatus,
                    ReadingType = ReadingType.XNotApplicable,
                    SamplingRate = new OadrSamplingRate { MinPeriod = IsoDuration.FromTimeSpan(TimeSpan.FromSeconds(1)), MaxPeriod = IsoDuration.FromTimeSpan(TimeSpan.FromHours(1)), OnChange = false },
                }]),
            }]),
        });
    }

    private async Task PollLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), _stop.Token);
                for (var message = await SendAsync("OadrPoll", new OadrPoll { VenId = _venId }); message is not OadrResponse; message = await SendAsync("OadrPoll", new OadrPoll { VenId = _venId }))
                {
                    await HandleAsync(message);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException)
            {
                // the harness refused one exchange; poll again next period
            }
        }
    }

    private async Task HandleAsync(OadrMessage message)
    {
        switch (message)
        {
            case OadrRegisterReport register:
                lock (_lock) _specifierId = register.Reports.FirstOrDefault()?.ReportSpecifierId;
                await SendAsync("EiReport", new OadrRegisteredReport { EiResponse = Ok(register.RequestId), VenId = _venId });
                break;
            case OadrUpdateReport update:
                OadrCancelReport? cancel = null;
                lock (_lock)
                {
                    if (_piggyback)
                    {
                        cancel = Cancel();
                        _piggyback = false;
                    }
                }
                await SendAsync("EiReport", new OadrUpdatedReport { EiResponse = Ok(update.RequestId), VenId = _venId, CancelReport = cancel });
                break;
        }
    }

    private OadrCancelReport Cancel() => new()
    {
        RequestId = NewId(),
        ReportRequestIds = ValueList.Create([CancelsWrongRequest ? "NOT_A_REQUEST" : _requestId ?? "NONE"]),
        ReportToFollow = false,
        VenId = _venId,
    };

    private OadrCreateReport Create(string specifierId, string rId, TimeSpan back)
    {
        var request = new OadrReportRequest
        {
            ReportRequestId = "rr-" + Guid.NewGuid().ToString("N")[..12],
            ReportSpecifier = new ReportSpecifier
            {
                ReportSpecifierId = specifierId,
                Granularity = IsoDuration.FromTimeSpan(back),
                ReportBackDuration = IsoDuration.FromTimeSpan(back),
                SpecifierPayloads = ValueList.Create([new SpecifierPayload { RId = rId, ReadingType = ReadingType.XNotApplicable }]),
            },
        };
        if (specifierId != "METADATA") lock (_lock) _requestId = request.ReportRequestId;
        return new OadrCreateReport { RequestId = NewId(), ReportRequests = ValueList.Create([request]), VenId = _venId };
    }

    /// <summary>The suite's operator actions for the VTN-report cases.</summary>
    public async Task PerformAsync(string action)
    {
        string specifier;
        lock (_lock) specifier = _specifierId ?? "NONE";
        switch (action)
        {
            case "request-vtn-metadata":
                await SendAsync("EiReport", Create("METADATA", "METADATA", TimeSpan.Zero));
                break;
            case "request-vtn-report":
                await SendAsync("EiReport", Create(specifier, "vtn-status", TimeSpan.Zero));
                break;
            case "request-vtn-report-periodic":
                await SendAsync("EiReport", Create(specifier, "vtn-status", TimeSpan.FromSeconds(2)));
                break;
            case "cancel-vtn-report":
                OadrCancelReport cancel;
                lock (_lock) cancel = Cancel();
                await SendAsync("EiReport", cancel);
                break;
            case "cancel-vtn-report-piggyback":
                lock (_lock) _piggyback = true;
                break;
            default:
                throw new OperatorActionException($"this VEN cannot '{action}'");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
        catch (HttpRequestException)
        {
        }
        _http.Dispose();
        _stop.Dispose();
    }
}
