using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading.Channels;
using FlexCoop.OpenAdr;
using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlexCoop.Conformance.Certification.OpenAdr;

/// <summary>A message the VEN sent: a request to the harness, or its answer to a push.</summary>
internal sealed record VenMessage(OadrMessage Message, DateTimeOffset Time, int TimelineIndex, long Seq);

/// <summary>
/// The scripted VTN: answers like a plain VTN unless a case overrides it, hands queued messages to
/// the VEN's polls (pull) or posts them (push), and applies the always-on checks to every message
/// the VEN sends (schema and profile rules, rule 53 headers, rule 21 venID, rules 42/311/314
/// requestIDs and rIDs, createdDateTime window, rule 67 TLS).
/// </summary>
internal sealed partial class HarnessVtn : IAsyncDisposable
{
    public const string ServicePath = "/OpenADR2/Simple/2.0b/";
    private static readonly OadrSerializerOptions Wire = OadrSerializerOptions.Default;
    private static readonly TlsCipherSuite[] Rule67Suites =
    [
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256,
    ];

    private readonly HarnessOptions _options;
    private readonly OadrValidator _validator;
    private readonly Lock _lock = new();
    private readonly ConcurrentQueue<Outgoing> _outbox = new();
    private readonly HashSet<string> _distributed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _distributeRequestIds = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reportRequestIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _requestedRIds = new(StringComparer.Ordinal);
    private readonly HashSet<string> _sentRequestIds = new(StringComparer.Ordinal);
    private readonly List<CheckFailure> _pending = [];
    private readonly HttpClient? _pushClient;
    private Channel<VenMessage> _incoming = Channel.CreateUnbounded<VenMessage>();
    private WebApplication? _app;
    private CaseRecorder? _case;
    private long _seq;

    private HarnessVtn(HarnessOptions options, OadrValidator validator)
    {
        _options = options;
        _validator = validator;
        if (options.Exchange == Exchange.Push)
        {
            var handler = new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2), ConnectTimeout = TimeSpan.FromSeconds(15) };
            if (options.UsesTls)
            {
                handler.SslOptions = new SslClientAuthenticationOptions
                {
                    EnabledSslProtocols = SslProtocols.Tls12,
                    ClientCertificates = [options.Certificate!],
                    LocalCertificateSelectionCallback = (_, _, _, _, _) => options.Certificate!,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                    RemoteCertificateValidationCallback = (_, certificate, chain, _) => certificate is X509Certificate2 c && ChainsTo(c, chain, options.CertificateAuthorities),
                };
            }
            _pushClient = new HttpClient(handler) { Timeout = options.Scaled(options.AsyncResponseTimeout) + TimeSpan.FromSeconds(5) };
        }
    }

    public Uri Url { get; private set; } = null!;

    public HarnessOptions Options => _options;

    public bool ChecksSchema => _validator.ChecksSchema;

    // ---- registration state, as the harness VTN knows it ----

    public string? VenId { get; private set; }

    public string? RegistrationId { get; private set; }

    public bool Registered { get; private set; }

    /// <summary>How many registrations (<c>oadrCreatePartyRegistration</c>) the harness has accepted.</summary>
    public int Registrations { get; private set; }

    /// <summary>True once the VEN has sent anything.</summary>
    public bool HeardFromVen { get; private set; }

    public string? PushAddress { get; private set; }

    public OadrCreatePartyRegistration? LastCreate { get; private set; }

    public IReadOnlyList<OadrReport> VenReports { get; private set; } = [];

    /// <summary>A case's answer to a VEN message instead of the default one; null falls back to the default.</summary>
    public Func<OadrMessage, OadrMessage?>? Override { get; set; }

    /// <summary>Report requests put into the next <c>oadrRegisteredReport</c>s.</summary>
    public Func<IReadOnlyList<OadrReport>, IReadOnlyList<OadrReportRequest>>? RegisteredReportRequests { get; set; }

    /// <summary>A cancellation to carry on the next <c>oadrUpdatedReport</c> (R1_3050).</summary>
    public OadrCancelReport? PiggybackCancel { get; set; }

    /// <summary>The events the VTN currently distributes (answer to <c>oadrRequestEvent</c>).</summary>
    public IReadOnlyList<OadrEvent> CurrentEvents { get; private set; } = [];

    public static async Task<HarnessVtn> StartAsync(HarnessOptions options, CancellationToken cancellationToken)
    {
        options.Validate();
        OadrValidator validator;
        try
        {
            validator = new OadrValidator(OadrValidationOptions.Default with { SchemaDirectory = options.SchemaDirectory });
        }
        catch (OpenAdrException ex)
        {
            throw new CertificationSetupException($"cannot load the OpenADR schemas from {options.SchemaDirectory}: {ex.Message}", ex);
        }
        var harness = new HarnessVtn(options, validator);
        if (options.Security == FlexCoop.OpenAdr.Security.OadrSecurityLevel.High) harness._security = new HarnessSecurity(options);
        try
        {
            await harness.StartServerAsync(cancellationToken);
        }
        catch
        {
            await harness.DisposeAsync();
            throw;
        }
        return harness;
    }

    private async Task StartServerAsync(CancellationToken cancellationToken)
    {
        var o = _options;
        var address = o.Listen.Host switch
        {
            "localhost" => IPAddress.Loopback,
            "*" or "+" => IPAddress.Any,
            var h when IPAddress.TryParse(h.Trim('[', ']'), out var ip) => ip,
            _ => throw new CertificationSetupException($"--listen {o.Listen}: listen on an IP address or localhost"),
        };
        SslStreamCertificateContext? context = o.Certificate is null ? null : SslStreamCertificateContext.Create(o.Certificate, null, offline: true);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "FlexCoop.Conformance.Harness" });
        builder.Services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        builder.Services.AddRoutingCore();
        ListenOptions? bound = null;
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = o.MaxMessageBytes;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(15);
            kestrel.Listen(address, o.Listen.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                if (context is not null)
                {
                    listen.UseHttps(new TlsHandshakeCallbackOptions
                    {
                        OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions
                        {
                            ServerCertificateContext = context,
                            ClientCertificateRequired = true,
                            // TLS 1.2 only would refuse a VEN that offers more; the suite checks what was negotiated instead.
                            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                            RemoteCertificateValidationCallback = (_, certificate, chain, _) => CheckClientCertificate(certificate, chain),
                        }),
                    });
                }
                bound = listen;
            });
        });
        var app = builder.Build();
        app.MapPost(ServicePath + "{service}", (HttpContext http, string service) => ServeAsync(http, service));
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync();
            throw new CertificationSetupException($"the harness cannot listen on {o.Listen}: {ex.Message}", ex);
        }
        _app = app;
        var endpoint = bound!.IPEndPoint!;
        var host = endpoint.Address.Equals(IPAddress.Any) ? IPAddress.Loopback : endpoint.Address;
        Url = new Uri($"{o.Listen.Scheme}://{new IPEndPoint(host, endpoint.Port)}/");
    }

    private bool CheckClientCertificate(X509Certificate? certificate, X509Chain? chain)
    {
        if (certificate is not X509Certificate2 c)
        {
            AddFailure(new CheckFailure("rule 68", "the VEN presented no client certificate: 2.0b needs mutual TLS with X.509v3 certificates"));
            return false;
        }
        if (!ChainsTo(c, chain, _options.CertificateAuthorities))
        {
            AddFailure(new CheckFailure("rule 68", $"the VEN's certificate ({c.Subject}) does not chain to the configured CA", c.Thumbprint));
            return false;
        }
        return true;
    }

    private static bool ChainsTo(X509Certificate2 certificate, X509Chain? presented, IReadOnlyList<X509Certificate2> anchors)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        foreach (var anchor in anchors) chain.ChainPolicy.CustomTrustStore.Add(anchor);
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements) chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        }
        return chain.Build(certificate);
    }

    // ---- cases ----

    /// <summary>Starts recording for a case: failures noticed between cases are charged to it, old messages dropped.</summary>
    public void BeginCase(CaseRecorder recorder)
    {
        List<CheckFailure> pending;
        lock (_lock)
        {
            _case = recorder;
            pending = [.. _pending];
            _pending.Clear();
            Override = null;
            RegisteredReportRequests = null;
            PiggybackCancel = null;
        }
        _incoming = Channel.CreateUnbounded<VenMessage>();
        while (_outbox.TryDequeue(out var stale)) stale.Delivered.TrySetCanceled();
        foreach (var f in pending) recorder.AddFailure(f with { Message = "before this case: " + f.Message });
    }

    public void EndCase()
    {
        lock (_lock)
        {
            _case = null;
            Override = null;
            RegisteredReportRequests = null;
            PiggybackCancel = null;
        }
    }

    public ChannelReader<VenMessage> Incoming => _incoming.Reader;

    /// <summary>Forgets the registration (the VTN lost it, or the VEN is to register from scratch).</summary>
    public void ForgetRegistration()
    {
        lock (_lock)
        {
            Registered = false;
            RegistrationId = null;
        }
    }

    private void AddFailure(CheckFailure failure)
    {
        CaseRecorder? recorder;
        lock (_lock)
        {
            recorder = _case;
            if (recorder is null) _pending.Add(failure);
        }
        recorder?.AddFailure(failure);
    }

    private int Record(MessageDirection direction, string label, string body)
    {
        CaseRecorder? recorder;
        lock (_lock) recorder = _case;
        return recorder?.Record(direction, label, body) ?? -1;
    }

    /// <summary>Remembers what a message the harness sends asks for, so the VEN's answers can be checked.</summary>
    private void Track(OadrMessage message)
    {
        lock (_lock)
        {
            switch (message)
            {
                case OadrDistributeEvent d:
                    _distributeRequestIds.Add(d.RequestId);
                    foreach (var e in d.Events)
                    {
                        _distributed.Add(Key(d.RequestId, e.EiEvent.EventDescriptor.EventId, e.EiEvent.EventDescriptor.ModificationNumber));
                    }
                    CurrentEvents = d.Events.ToList();
                    break;
                case OadrCreateReport c:
                    _reportRequestIds.Add(c.RequestId);
                    _sentRequestIds.Add(c.RequestId);
                    foreach (var r in c.ReportRequests) _requestedRIds[r.ReportRequestId] = r.ReportSpecifier.SpecifierPayloads.Select(p => p.RId).ToHashSet(StringComparer.Ordinal);
                    break;
                case OadrRegisteredReport rr:
                    _reportRequestIds.Add(rr.EiResponse.RequestId);
                    foreach (var r in rr.ReportRequests) _requestedRIds[r.ReportRequestId] = r.ReportSpecifier.SpecifierPayloads.Select(p => p.RId).ToHashSet(StringComparer.Ordinal);
                    break;
                case OadrCancelReport cr:
                    _sentRequestIds.Add(cr.RequestId);
                    break;
                case OadrCancelPartyRegistration cp:
                    _sentRequestIds.Add(cp.RequestId);
                    break;
                case OadrRegisterReport reg:
                    _sentRequestIds.Add(reg.RequestId);
                    break;
            }
        }
    }

    private static string Key(string requestId, string eventId, uint modification) => $"{requestId}\n{eventId}\n{modification}";

    /// <summary>
    /// Sends a message to the VEN: queued for its next poll (pull) or posted (push). Returns when the VEN has it,
    /// with the sequence number of the VEN message that took it (the poll), so later waits can tell older messages apart.
    /// </summary>
    public async Task<long> DeliverAsync(OadrMessage message, TimeSpan timeout, CancellationToken cancellationToken, OutgoingSigning signing = OutgoingSigning.Harness, byte[]? raw = null)
    {
        Track(message);
        if (_options.Exchange == Exchange.Pull)
        {
            var outgoing = new Outgoing(message, raw ?? Encode(message, signing));
            _outbox.Enqueue(outgoing);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            try
            {
                return await outgoing.Delivered.Task.WaitAsync(limit.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new HarnessTimeoutException($"the VEN did not poll for {message.ElementName} within {timeout.TotalSeconds:0} s");
            }
        }
        var before = Interlocked.Read(ref _seq);
        await PushAsync(message, raw ?? Encode(message, signing), timeout, cancellationToken);
        return before;
    }

    /// <summary>
    /// Posts to the VEN's push address. While the VEN cannot be reached (its listener restarting), the push is tried
    /// again every half second until <paramref name="timeout"/>: a VTN keeps what it has queued for a VEN that comes back.
    /// Failures to connect are retried (nothing reached the VEN), and a distribute whatever broke (a VEN answers an
    /// unchanged event again, rule 12); other payloads are not sent twice.
    /// </summary>
    private async Task PushAsync(OadrMessage message, byte[] bytes, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var target = PushAddress ?? _options.VenPushUrl?.ToString()
            ?? throw new HarnessTimeoutException("push: the VEN gave no oadrTransportAddress and no --ven-push-url was set");
        var service = ServiceOf(message);
        var url = new Uri(new Uri(target.TrimEnd('/') + "/"), ServicePath.TrimStart('/') + service);
        Record(MessageDirection.ToDevice, "POST " + url.AbsolutePath, Encoding.UTF8.GetString(bytes));
        HttpResponseMessage response;
        var deadline = DateTimeOffset.UtcNow + timeout;
        var attempts = 0;
        while (true)
        {
            attempts++;
            using var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
            try
            {
                response = await _pushClient!.PostAsync(url, content, cancellationToken);
                break;
            }
            catch (HttpRequestException ex) when ((ex.HttpRequestError == HttpRequestError.ConnectionError || message is OadrDistributeEvent) && DateTimeOffset.UtcNow < deadline)
            {
                // A distribute may be sent again whatever broke: an unchanged event is answered again (rule 12).
                if (attempts == 1) Record(MessageDirection.Note, "VEN unreachable", $"cannot connect to {url} ({ex.Message}); the push is kept and tried again every 0.5 s for up to {timeout.TotalSeconds:0} s");
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            }
            catch (HttpRequestException ex)
            {
                throw new HarnessTimeoutException($"cannot push {message.ElementName} to the VEN at {url}{(attempts > 1 ? $" (tried {attempts} times)" : "")}: {ex.Message}");
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new HarnessTimeoutException($"the VEN did not answer the push of {message.ElementName} in time");
            }
        }
        if (attempts > 1) Record(MessageDirection.Note, "VEN reachable again", $"{message.ElementName} delivered at attempt {attempts}");
        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var index = Record(MessageDirection.FromDevice, $"{(int)response.StatusCode} response to {message.ElementName}", Encoding.UTF8.GetString(body));
            if (!response.IsSuccessStatusCode)
            {
                AddFailure(new CheckFailure("rule 53", $"the VEN answered the push of {message.ElementName} with HTTP {(int)response.StatusCode}", null, index));
                return;
            }
            if (response.Content.Headers.ContentType?.MediaType is not ("application/xml" or "text/xml"))
            {
                AddFailure(new CheckFailure("rule 53", "the VEN's answer to a push is not Content-Type application/xml", response.Content.Headers.ContentType?.ToString(), index));
            }
            if (VerifyFromVen(body, null, $"the VEN's answer to {message.ElementName}", index) && CheckAndParse(body, index) is { } answer)
            {
                await _incoming.Writer.WriteAsync(new VenMessage(answer, DateTimeOffset.UtcNow, index, Interlocked.Increment(ref _seq)), cancellationToken);
            }
        }
    }

    private static string ServiceOf(OadrMessage message) => message switch
    {
        OadrDistributeEvent => "EiEvent",
        OadrCreateReport or OadrCancelReport or OadrRegisterReport => "EiReport",
        _ => "EiRegisterParty",
    };

    // ---- serving the VEN ----

    private async Task ServeAsync(HttpContext http, string service)
    {
        byte[] body;
        try
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
            body = buffer.ToArray();
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException ex)
        {
            AddFailure(new CheckFailure("rule 53", $"the VEN's request could not be read: {ex.Message}"));
            http.Response.StatusCode = ex.StatusCode;
            return;
        }
        var index = Record(MessageDirection.FromDevice, $"POST {http.Request.Path}", Encoding.UTF8.GetString(body));
        HeardFromVen = true;
        CheckHttp(http, index);
        if (!VerifyFromVen(body, http.Connection.ClientCertificate, $"the VEN's request to {service}", index))
        {
            // A VTN at high security does not act on what it cannot authenticate.
            await WriteAsync(http, "oadrResponse", Encode(new OadrResponse { EiResponse = Error(ResponseCode.NotRegisteredOrAuthorized, "", "high security: payload not authenticated"), VenId = VenId }));
            return;
        }
        var message = CheckAndParse(body, index);
        if (message is null)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        if (!string.Equals(service, ExpectedService(message), StringComparison.Ordinal))
        {
            AddFailure(new CheckFailure("rule 53", $"{message.ElementName} was posted to the {service} endpoint; it belongs to {ExpectedService(message)}", http.Request.Path, index));
        }
        OadrMessage reply;
        byte[]? replyBytes = null;
        Action<long>? take = null;
        var custom = Override?.Invoke(message);
        if (custom is not null)
        {
            reply = custom;
        }
        else if (message is OadrPoll poll && Registered && poll.VenId == VenId && _outbox.TryDequeue(out var queued))
        {
            reply = queued.Message;
            replyBytes = queued.Bytes;
            take = seq => queued.Delivered.TrySetResult(seq);
        }
        else
        {
            reply = Default(message);
        }
        // The VEN's message is published before the answer goes out, so a case sees it first.
        var seq = Interlocked.Increment(ref _seq);
        await _incoming.Writer.WriteAsync(new VenMessage(message, DateTimeOffset.UtcNow, index, seq), http.RequestAborted);
        if (take is null) Track(reply);
        await WriteAsync(http, reply.ElementName, replyBytes ?? Encode(reply));
        take?.Invoke(seq);
    }

    private async Task WriteAsync(HttpContext http, string label, byte[] bytes)
    {
        Record(MessageDirection.ToDevice, $"200 {label}", Encoding.UTF8.GetString(bytes));
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/xml";
        http.Response.ContentLength = bytes.Length;
        await http.Response.Body.WriteAsync(bytes, http.RequestAborted);
    }

    private static string ExpectedService(OadrMessage message) => message switch
    {
        OadrPoll => "OadrPoll",
        OadrCreatedEvent or OadrRequestEvent => "EiEvent",
        OadrCreateOpt or OadrCancelOpt => "EiOpt",
        OadrQueryRegistration or OadrCreatePartyRegistration or OadrCancelPartyRegistration or OadrCanceledPartyRegistration or OadrResponse => "EiRegisterParty",
        _ => "EiReport",
    };

    private void CheckHttp(HttpContext http, int index)
    {
        var request = http.Request;
        if (request.ContentType is not { } type || !type.StartsWith("application/xml", StringComparison.OrdinalIgnoreCase))
        {
            AddFailure(new CheckFailure("rule 53", "simple HTTP requests must carry Content-Type: application/xml", "Content-Type: " + (request.ContentType ?? "(none)"), index));
        }
        if (request.ContentLength is null)
        {
            AddFailure(new CheckFailure("rule 53", "simple HTTP requests must carry Content-Length (no chunked bodies)", "Transfer-Encoding: " + request.Headers.TransferEncoding, index));
        }
        if (string.IsNullOrEmpty(request.Headers.Host))
        {
            AddFailure(new CheckFailure("rule 53", "simple HTTP requests must carry a Host header", null, index));
        }
        if (_options.UsesTls && http.Features.Get<ITlsHandshakeFeature>() is { } tls)
        {
            if (tls.Protocol != SslProtocols.Tls12)
            {
                AddFailure(new CheckFailure("rule 67", $"the connection uses {tls.Protocol}; 2.0b requires TLS 1.2", tls.Protocol.ToString(), index));
            }
            else if (tls.NegotiatedCipherSuite is { } suite && !Rule67Suites.Contains(suite))
            {
                AddFailure(new CheckFailure("rule 67", $"the VEN negotiated {suite}; 2.0b requires TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256 or TLS_RSA_WITH_AES_128_CBC_SHA256", suite.ToString(), index));
            }
        }
    }

    /// <summary>Schema, profile rules, then what the harness knows of the conversation. Null when the message cannot be read.</summary>
    private OadrMessage? CheckAndParse(byte[] body, int index)
    {
        var result = _validator.Validate(body, out var document);
        foreach (var v in result.Violations.Where(v => v.Severity == ViolationSeverity.Error))
        {
            AddFailure(new CheckFailure(v.Rule, v.Message, v.Path + (v.LineNumber > 0 ? $" (line {v.LineNumber})" : ""), index));
        }
        if (document is null) return null;
        CheckConversation(document.Message, index);
        return document.Message;
    }

    private void CheckConversation(OadrMessage message, int index)
    {
        var now = DateTimeOffset.UtcNow;
        string? venId;
        bool registered;
        lock (_lock)
        {
            venId = VenId;
            registered = Registered;
        }
        if (registered && venId is not null && message is not (OadrQueryRegistration or OadrCreatePartyRegistration)
            && OadrMessageIds.VenId(message) is { } claimed && claimed != venId)
        {
            AddFailure(new CheckFailure("rule 21", $"{message.ElementName} carries venID '{claimed}', but the VEN is registered as '{venId}'", "<ei:venID>" + claimed + "</ei:venID>", index));
        }
        void Window(DateTimeOffset created, string what)
        {
            if ((created - now).Duration() > _options.CreatedDateTimeWindow)
            {
                AddFailure(new CheckFailure("createdDateTime", $"{what} has createdDateTime {created.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}, more than {_options.CreatedDateTimeWindow.TotalSeconds:0} s from the harness's clock ({now.UtcDateTime:HH:mm:ss}Z)", created.UtcDateTime.ToString("o", System.Globalization.CultureInfo.InvariantCulture), index));
            }
        }
        lock (_lock)
        {
            switch (message)
            {
                case OadrCreatedEvent created:
                    foreach (var r in created.EventResponses ?? ValueList<EventResponse>.Empty)
                    {
                        var q = r.QualifiedEventId;
                        if (!_distributed.Contains(Key(r.RequestId, q.EventId, q.ModificationNumber)))
                        {
                            var why = _distributeRequestIds.Contains(r.RequestId)
                                ? $"the oadrDistributeEvent with requestID '{r.RequestId}' did not carry event '{q.EventId}' with modificationNumber {q.ModificationNumber}"
                                : $"no oadrDistributeEvent had requestID '{r.RequestId}'";
                            AddFailure(new CheckFailure("rule 42", $"an eventResponse must echo the requestID of the distribute that carried the event it answers: {why}",
                                $"<pyld:requestID>{r.RequestId}</pyld:requestID> … <ei:eventID>{q.EventId}</ei:eventID><ei:modificationNumber>{q.ModificationNumber}</ei:modificationNumber>", index));
                        }
                    }
                    break;
                case OadrCreatedReport cr when cr.EiResponse.ResponseCode.IsSuccess && !_reportRequestIds.Contains(cr.EiResponse.RequestId):
                    AddFailure(new CheckFailure("rule 311", $"oadrCreatedReport must echo the requestID of the request it answers; '{cr.EiResponse.RequestId}' is none the harness sent", $"<pyld:requestID>{cr.EiResponse.RequestId}</pyld:requestID>", index));
                    break;
                case OadrCanceledReport cx when !_sentRequestIds.Contains(cx.EiResponse.RequestId):
                    AddFailure(new CheckFailure("rule 311", $"oadrCanceledReport must echo the oadrCancelReport's requestID; '{cx.EiResponse.RequestId}' is none the harness sent", $"<pyld:requestID>{cx.EiResponse.RequestId}</pyld:requestID>", index));
                    break;
                case OadrCanceledPartyRegistration cp when cp.EiResponse.ResponseCode.IsSuccess && !_sentRequestIds.Contains(cp.EiResponse.RequestId):
                    AddFailure(new CheckFailure("rule 44", $"oadrCanceledPartyRegistration must echo the cancellation's requestID; '{cp.EiResponse.RequestId}' is none the harness sent", $"<pyld:requestID>{cp.EiResponse.RequestId}</pyld:requestID>", index));
                    break;
                case OadrUpdateReport update:
                    foreach (var report in update.Reports)
                    {
                        Window(report.CreatedDateTime, "oadrUpdateReport/oadrReport");
                        if (!_requestedRIds.TryGetValue(report.ReportRequestId, out var rIds))
                        {
                            AddFailure(new CheckFailure("rule 314", $"oadrUpdateReport answers reportRequestID '{report.ReportRequestId}', which the harness never requested", $"<ei:reportRequestID>{report.ReportRequestId}</ei:reportRequestID>", index));
                            continue;
                        }
                        foreach (var p in (report.Intervals ?? ValueList<Interval>.Empty).SelectMany(i => i.Payloads).OfType<OadrReportPayload>())
                        {
                            if (!rIds.Contains(p.RId))
                            {
                                AddFailure(new CheckFailure("rule 314", $"oadrUpdateReport carries rID '{p.RId}', which request '{report.ReportRequestId}' did not ask for", $"<ei:rID>{p.RId}</ei:rID>", index));
                                break;
                            }
                        }
                    }
                    break;
                case OadrRegisterReport register:
                    foreach (var report in register.Reports) Window(report.CreatedDateTime, "oadrRegisterReport/oadrReport");
                    break;
                case OadrCreateOpt opt:
                    Window(opt.CreatedDateTime, "oadrCreateOpt");
                    break;
            }
        }
    }

    /// <summary>What a plain VTN answers.</summary>
    private OadrMessage Default(OadrMessage message)
    {
        lock (_lock)
        {
            return message switch
            {
                OadrQueryRegistration q => Registration(q.RequestId),
                OadrCreatePartyRegistration c => Register(c),
                OadrCancelPartyRegistration c when Registered && c.RegistrationId == RegistrationId => CancelRegistration(c),
                OadrCancelPartyRegistration c => new OadrCanceledPartyRegistration { EiResponse = Error(ResponseCode.InvalidId, c.RequestId, "unknown registrationID"), RegistrationId = c.RegistrationId, VenId = c.VenId },
                OadrPoll p when !Registered || p.VenId != VenId => new OadrResponse { EiResponse = Error(ResponseCode.NotRegisteredOrAuthorized, "", "not registered"), VenId = p.VenId },
                OadrPoll p => new OadrResponse { EiResponse = Ok(""), VenId = p.VenId },
                OadrRegisterReport r => RegisterReports(r),
                OadrUpdateReport u => UpdatedReport(u),
                OadrCreateOpt o => new OadrCreatedOpt { EiResponse = Ok(o.RequestId), OptId = o.OptId },
                OadrCancelOpt o => new OadrCanceledOpt { EiResponse = Ok(o.RequestId), OptId = o.OptId },
                OadrRequestEvent r => new OadrDistributeEvent { RequestId = NewId("req"), VtnId = _options.VtnId, Events = ValueList.From(CurrentEvents) },
                OadrCreatedReport r => new OadrResponse { EiResponse = Ok(r.EiResponse.RequestId), VenId = r.VenId },
                OadrCreateReport r => new OadrCreatedReport { EiResponse = Ok(r.RequestId), VenId = VenId },
                OadrCancelReport r => new OadrCanceledReport { EiResponse = Ok(r.RequestId), VenId = VenId },
                _ => new OadrResponse { EiResponse = Ok(""), VenId = OadrMessageIds.VenId(message) ?? VenId },
            };
        }
    }

    private OadrCreatedPartyRegistration Registration(string requestId) => new()
    {
        EiResponse = Ok(requestId),
        RegistrationId = Registered ? RegistrationId : null,
        VenId = Registered ? VenId : null,
        VtnId = _options.VtnId,
        Profiles = ValueList.Create([
            new OadrProfile { ProfileName = OadrProfileName.Profile20a, Transports = ValueList.Create([OadrTransportName.SimpleHttp]) },
            new OadrProfile { ProfileName = OadrProfileName.Profile20b, Transports = ValueList.Create([OadrTransportName.SimpleHttp]) },
        ]),
        RequestedOadrPollFreq = IsoDuration.FromTimeSpan(_options.Scaled(_options.PollFrequency)),
    };

    /// <summary>The answer to a query from a VEN the harness holds no registration for (the VTN's offer only).</summary>
    public OadrCreatedPartyRegistration Offer(string requestId) => Registration(requestId) with { RegistrationId = null, VenId = null };

    private OadrCreatedPartyRegistration Register(OadrCreatePartyRegistration create)
    {
        VenId = create.VenId is { Length: > 0 } proposed ? proposed : VenId ?? NewId("VEN_TH");
        RegistrationId = NewId("REG");
        Registered = true;
        Registrations++;
        LastCreate = create;
        PushAddress = create.TransportAddress;
        return Registration(create.RequestId);
    }

    private OadrCanceledPartyRegistration CancelRegistration(OadrCancelPartyRegistration cancel)
    {
        Registered = false;
        var id = RegistrationId;
        RegistrationId = null;
        return new OadrCanceledPartyRegistration { EiResponse = Ok(cancel.RequestId), RegistrationId = id, VenId = VenId };
    }

    private OadrRegisteredReport RegisterReports(OadrRegisterReport register)
    {
        VenReports = register.Reports.ToList();
        var requests = RegisteredReportRequests?.Invoke(VenReports) ?? [];
        return new OadrRegisteredReport { EiResponse = Ok(register.RequestId), VenId = VenId, ReportRequests = ValueList.From(requests) };
    }

    private OadrUpdatedReport UpdatedReport(OadrUpdateReport update)
    {
        var piggyback = PiggybackCancel;
        PiggybackCancel = null;
        if (piggyback is not null) _sentRequestIds.Add(piggyback.RequestId);
        return new OadrUpdatedReport { EiResponse = Ok(update.RequestId), VenId = VenId, CancelReport = piggyback };
    }

    public static EiResponse Ok(string requestId) => new() { ResponseCode = ResponseCode.Ok, RequestId = requestId, ResponseDescription = "OK" };

    public static EiResponse Error(ResponseCode code, string requestId, string description) => new() { ResponseCode = code, RequestId = requestId, ResponseDescription = description };

    public static string NewId(string prefix) => prefix + "_" + Guid.NewGuid().ToString("N")[..16];

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }
        _pushClient?.Dispose();
        _security?.Dispose();
    }

    private sealed class Outgoing(OadrMessage message, byte[] bytes)
    {
        public OadrMessage Message { get; } = message;

        /// <summary>The bytes as they go on the wire (signed at high security, or replayed as they were).</summary>
        public byte[] Bytes { get; } = bytes;

        public TaskCompletionSource<long> Delivered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>The VEN did not do in time what a case waited for.</summary>
internal sealed class HarnessTimeoutException(string message) : ConformanceException(message);
