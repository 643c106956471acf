using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using FlexCoop.OpenAdr;
using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Validation;

namespace FlexCoop.Conformance.Certification.OpenAdr;

/// <summary>
/// The scripted VEN that certifies a VTN: registers, polls, answers what the VTN sends, sends opts and
/// reports, and applies the always-on checks to every answer of the VTN (HTTP status and rule 53
/// headers, schema and profile rules, requestID echoes, venID and vtnID (rule 21), the distribute
/// rules 5, 14, 15, 22, 41, time stamps, and rule 67/68 TLS facts of every connection).
/// </summary>
internal sealed partial class HarnessVen : IAsyncDisposable
{
    private static readonly OadrSerializerOptions Wire = OadrSerializerOptions.Default;
    private static readonly OadrSerializerOptions Compact = OadrSerializerOptions.Default with { Indent = false };
    private static readonly TlsCipherSuite[] Rule67Suites =
    [
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256,
    ];

    private readonly HarnessVenOptions _options;
    private readonly OadrValidator _validator;
    private readonly HttpClient _http;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (uint Modification, string Shape, bool Cancelled)> _seenEvents = new(StringComparer.Ordinal);
    private readonly List<CheckFailure> _pending = [];
    private CaseRecorder? _case;

    private HarnessVen(HarnessVenOptions options, OadrValidator validator)
    {
        _options = options;
        _validator = validator;
        var handler = new SocketsHttpHandler
        {
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            ConnectTimeout = TimeSpan.FromSeconds(15),
        };
        if (options.UsesTls)
        {
            // The harness does the TLS handshake itself so it can check what was negotiated (rule 67).
            handler.ConnectCallback = ConnectTlsAsync;
        }
        _http = new HttpClient(handler) { Timeout = options.RequestTimeout };
    }

    public HarnessVenOptions Options => _options;

    public bool ChecksSchema => _validator.ChecksSchema;

    // ---- what the harness VEN knows ----

    public string? VenId { get; private set; }

    public string? RegistrationId { get; private set; }

    public string? VtnId { get; private set; }

    public bool Registered { get; private set; }

    /// <summary>The poll period the VTN asked for (<c>oadrRequestedOadrPollFreq</c>).</summary>
    public TimeSpan? RequestedPollFrequency { get; private set; }

    /// <summary>The report requests the VTN made that the harness accepted, by reportRequestID.</summary>
    public Dictionary<string, OadrReportRequest> ReportRequests { get; } = new(StringComparer.Ordinal);

    /// <summary>A venID configured in the VTN beforehand (PICS <c>preconfigured-venid</c>), used in the next registration.</summary>
    public string? PreconfiguredVenId { get; set; }

    public static async Task<HarnessVen> StartAsync(HarnessVenOptions options, CancellationToken cancellationToken)
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
        cancellationToken.ThrowIfCancellationRequested();
        var harness = new HarnessVen(options, validator);
        harness.StartSecurity();
        if (options.Exchange == Exchange.Push) await harness.StartListenerAsync(cancellationToken);
        return harness;
    }

    // ---- cases ----

    public void BeginCase(CaseRecorder recorder)
    {
        List<CheckFailure> pending;
        lock (_lock)
        {
            _case = recorder;
            pending = [.. _pending];
            _pending.Clear();
        }
        foreach (var f in pending) recorder.AddFailure(f with { Message = "before this case: " + f.Message });
    }

    public void EndCase()
    {
        lock (_lock) _case = null;
    }

    private CaseRecorder R => _case ?? throw new InvalidOperationException("no case is running");

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

    // ---- TLS ----

    private async ValueTask<Stream> ConnectTlsAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true));
            try
            {
                await ssl.AuthenticateAsClientAsync(ClientTls(context.DnsEndPoint.Host, null), cancellationToken);
            }
            catch (AuthenticationException ex)
            {
                await ssl.DisposeAsync();
                AddFailure(new CheckFailure("rule 67", $"no TLS 1.2 session with the VTN: {ex.Message}{(ex.InnerException is { } inner ? " (" + inner.Message + ")" : "")}"));
                throw;
            }
            CheckTls(ssl);
            return ssl;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The harness VEN's TLS client settings: TLS 1.2, its certificate, the VTN's chain checked against the CAs.</summary>
    internal SslClientAuthenticationOptions ClientTls(string host, TlsCipherSuite? only) => new()
    {
        TargetHost = host,
        EnabledSslProtocols = SslProtocols.Tls12,
        ClientCertificates = [_options.Certificate!],
        LocalCertificateSelectionCallback = (_, _, _, _, _) => _options.Certificate!,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        // A 2.0b VEN offers the rule 67 suites (OpenSSL's defaults may leave the CBC ones out).
        CipherSuitesPolicy = OperatingSystem.IsWindows() ? null : new CipherSuitesPolicy(only is { } suite ? [suite] : Rule67Suites),
        RemoteCertificateValidationCallback = (_, certificate, chain, _) => CheckServerCertificate(certificate, chain),
    };

    private bool CheckServerCertificate(X509Certificate? certificate, X509Chain? presented)
    {
        if (certificate is not X509Certificate2 c)
        {
            AddFailure(new CheckFailure("rule 68", "the VTN presented no server certificate"));
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        foreach (var anchor in _options.CertificateAuthorities) chain.ChainPolicy.CustomTrustStore.Add(anchor);
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements) chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        }
        if (!chain.Build(c))
        {
            AddFailure(new CheckFailure("rule 68", $"the VTN's certificate ({c.Subject}) does not chain to the configured CA", c.Thumbprint));
            return false;
        }
        if (c.Version < 3)
        {
            AddFailure(new CheckFailure("rule 68", $"the VTN's certificate is X.509 version {c.Version}; 2.0b requires version 3", c.Thumbprint));
        }
        return true;
    }

    private void CheckTls(SslStream ssl)
    {
        Record(MessageDirection.Note, "TLS", $"{ssl.SslProtocol}, {ssl.NegotiatedCipherSuite}, server certificate {ssl.RemoteCertificate?.Subject}");
        if (ssl.SslProtocol != SslProtocols.Tls12)
        {
            AddFailure(new CheckFailure("rule 67", $"the session uses {ssl.SslProtocol}; 2.0b requires TLS 1.2", ssl.SslProtocol.ToString()));
        }
        else if (!Rule67Suites.Contains(ssl.NegotiatedCipherSuite))
        {
            AddFailure(new CheckFailure("rule 67", $"the VTN selected {ssl.NegotiatedCipherSuite}; 2.0b requires TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256 or TLS_RSA_WITH_AES_128_CBC_SHA256", ssl.NegotiatedCipherSuite.ToString()));
        }
    }

    /// <summary>
    /// Opens one TLS 1.2 session offering only <paramref name="suite"/>, asking for <paramref name="serverName"/> (SNI);
    /// null when it was refused, else the certificate the VTN presented.
    /// </summary>
    public async Task<X509Certificate2?> HandshakeWithAsync(TlsCipherSuite suite, string? serverName, CancellationToken cancellationToken)
    {
        var host = _options.Vtn.Host;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(host.Trim('[', ']'), _options.Vtn.Port, cancellationToken);
        await using var ssl = new SslStream(tcp.GetStream());
        var settings = ClientTls(serverName ?? host, suite);
        settings.RemoteCertificateValidationCallback = (_, _, _, _) => true; // only the suite matters here; chains are checked on every real exchange
        try
        {
            await ssl.AuthenticateAsClientAsync(settings, cancellationToken);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            Record(MessageDirection.Note, "TLS", $"offering only {suite}: refused ({ex.Message})");
            return null;
        }
        var certificate = ssl.RemoteCertificate is X509Certificate2 c ? X509CertificateLoader.LoadCertificate(c.RawData) : null;
        Record(MessageDirection.Note, "TLS", $"offering only {suite}{(serverName is null ? "" : " to " + serverName)}: {ssl.SslProtocol}, {ssl.NegotiatedCipherSuite}, certificate {certificate?.Subject} ({certificate?.PublicKey.Oid.FriendlyName})");
        return ssl.NegotiatedCipherSuite == suite ? certificate : null;
    }

    // ---- exchanges ----

    private static string ServiceOf(OadrMessage message) => message switch
    {
        OadrPoll => "OadrPoll",
        OadrCreatedEvent or OadrRequestEvent => "EiEvent",
        OadrCreateOpt or OadrCancelOpt => "EiOpt",
        OadrQueryRegistration or OadrCreatePartyRegistration or OadrCancelPartyRegistration or OadrCanceledPartyRegistration or OadrResponse => "EiRegisterParty",
        _ => "EiReport",
    };

    /// <summary>Sends <paramref name="message"/> and returns the VTN's answer after the always-on checks; a failure that stops the exchange stops the case.</summary>
    public async Task<(OadrMessage Message, int Index)> SendAsync(OadrMessage message, CancellationToken cancellationToken)
    {
        var service = ServiceOf(message);
        var bytes = Seal(OadrCodec.SerializeToUtf8Bytes(message, Wire));
        Record(MessageDirection.ToDevice, $"POST {HarnessVtn.ServicePath}{service}", Encoding.UTF8.GetString(bytes));
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
        var uri = new Uri(_options.ServiceBase, service);
        if (_options.UsesTls) uri = new UriBuilder(uri) { Scheme = "http" }.Uri; // TLS is done in ConnectTlsAsync
        HttpResponseMessage response;
        try
        {
            response = await _http.PostAsync(uri, content, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            var why = ex.Message;
            for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException) why += " (" + inner.Message + ")";
            throw R.Fail("transport", $"the harness cannot reach the VTN at {_options.ServiceBase}: {why}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw R.Fail("transport", $"the VTN did not answer {message.ElementName} within {_options.RequestTimeout.TotalSeconds:0} s");
        }
        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var text = Encoding.UTF8.GetString(body.AsSpan(0, (int)Math.Min(body.Length, _options.MaxMessageBytes)));
            var index = Record(MessageDirection.FromDevice, $"{(int)response.StatusCode} {ElementNameOf(text)}", text);
            if (response.StatusCode != System.Net.HttpStatusCode.OK)
            {
                throw R.Fail("rule 53", $"the VTN answered {message.ElementName} with HTTP {(int)response.StatusCode}; a simple HTTP VTN answers every payload with 200 and an OpenADR payload (errors go in eiResponse)", $"HTTP {(int)response.StatusCode}", index);
            }
            if (body.Length > _options.MaxMessageBytes)
            {
                throw R.Fail("size", $"the VTN's answer is {body.Length} bytes, over the harness limit of {_options.MaxMessageBytes}", null, index);
            }
            if (response.Content.Headers.ContentType?.MediaType is not "application/xml")
            {
                AddFailure(new CheckFailure("rule 53", "simple HTTP answers must carry Content-Type: application/xml", "Content-Type: " + (response.Content.Headers.ContentType?.ToString() ?? "(none)"), index));
            }
            if (response.Content.Headers.ContentLength is null)
            {
                AddFailure(new CheckFailure("rule 53", "simple HTTP answers must carry Content-Length (no chunked bodies)", "Transfer-Encoding: " + response.Headers.TransferEncoding, index));
            }
            VerifyFromVtn(body, $"answer to {message.ElementName}", index);
            var result = _validator.Validate(body, out var document);
            foreach (var v in result.Violations.Where(v => v.Severity == ViolationSeverity.Error))
            {
                AddFailure(new CheckFailure(v.Rule, v.Message, v.Path + (v.LineNumber > 0 ? $" (line {v.LineNumber})" : ""), index));
            }
            if (document is null) throw R.Fail("xsd", $"the VTN's answer to {message.ElementName} cannot be read as an OpenADR 2.0b payload", null, index);
            CheckAnswer(message, document.Message, index);
            return (document.Message, index);
        }
    }

    private static string ElementNameOf(string xml)
    {
        const string marker = "<oadr:oadrSignedObject";
        var at = xml.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0) return "payload";
        var start = xml.IndexOf('<', at + marker.Length);
        if (start < 0) return "payload";
        var end = xml.IndexOfAny([' ', '>', '/', '\n'], start);
        var name = end > start ? xml[(start + 1)..end] : "payload";
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 ? name[(colon + 1)..] : name;
    }

    /// <summary>Sends and requires an answer of type <typeparamref name="T"/>.</summary>
    public async Task<(T Message, int Index)> SendAsync<T>(OadrMessage message, CancellationToken cancellationToken) where T : OadrMessage
    {
        var (answer, index) = await SendAsync(message, cancellationToken);
        if (answer is T t) return (t, index);
        var detail = answer is OadrResponse r ? $" ({r.EiResponse.ResponseCode.Value} {r.EiResponse.ResponseDescription})" : "";
        throw R.Fail(message.ElementName, $"the VTN answered {message.ElementName} with {answer.ElementName}{detail}; expected {ElementName<T>()}", null, index);
    }

    private static string ElementName<T>() => typeof(T).Name.Length > 4 ? "oadr" + typeof(T).Name[4..] : typeof(T).Name;

    /// <summary>The answer's top-level response code must be a success.</summary>
    public static EiResponse? ResponseOf(OadrMessage message) => message switch
    {
        OadrResponse m => m.EiResponse,
        OadrCreatedPartyRegistration m => m.EiResponse,
        OadrCanceledPartyRegistration m => m.EiResponse,
        OadrRegisteredReport m => m.EiResponse,
        OadrCreatedReport m => m.EiResponse,
        OadrUpdatedReport m => m.EiResponse,
        OadrCanceledReport m => m.EiResponse,
        OadrCreatedOpt m => m.EiResponse,
        OadrCanceledOpt m => m.EiResponse,
        OadrDistributeEvent m => m.EiResponse,
        _ => null,
    };

    private static string? RequestIdOf(OadrMessage message) => message switch
    {
        OadrQueryRegistration m => m.RequestId,
        OadrCreatePartyRegistration m => m.RequestId,
        OadrCancelPartyRegistration m => m.RequestId,
        OadrRegisterReport m => m.RequestId,
        OadrCreateReport m => m.RequestId,
        OadrUpdateReport m => m.RequestId,
        OadrCancelReport m => m.RequestId,
        OadrCreateOpt m => m.RequestId,
        OadrCancelOpt m => m.RequestId,
        OadrCreatedReport m => m.EiResponse.RequestId,
        OadrCanceledReport m => m.EiResponse.RequestId,
        OadrRegisteredReport m => m.EiResponse.RequestId,
        OadrCanceledPartyRegistration m => m.EiResponse.RequestId,
        OadrCreatedEvent m => m.EiResponse.RequestId,
        OadrResponse m => m.EiResponse.RequestId,
        _ => null,
    };

    /// <summary>What the harness checks in every answer besides the schema: echoes, IDs, the distribute rules.</summary>
    private void CheckAnswer(OadrMessage request, OadrMessage answer, int index)
    {
        // requestID echo: an answer to a request carrying a requestID names it (rule 311 for reports).
        // A plain oadrResponse acknowledging an answer of the VEN may leave it empty (rule 44).
        if (answer is not OadrDistributeEvent && ResponseOf(answer) is { } eiResponse && RequestIdOf(request) is { Length: > 0 } sent
            && !string.Equals(eiResponse.RequestId, sent, StringComparison.Ordinal)
            && !(answer is OadrResponse && eiResponse.RequestId.Length == 0 && request is OadrCanceledPartyRegistration or OadrCreatedReport or OadrCanceledReport or OadrRegisteredReport or OadrCreatedEvent or OadrResponse))
        {
            var rule = answer is OadrRegisteredReport or OadrCreatedReport or OadrUpdatedReport or OadrCanceledReport ? "rule 311" : "requestID";
            AddFailure(new CheckFailure(rule, $"{answer.ElementName} must echo the requestID of the {request.ElementName} it answers ('{sent}'); it carries '{eiResponse.RequestId}'",
                $"<pyld:requestID>{eiResponse.RequestId}</pyld:requestID>", index));
        }
        switch ((request, answer))
        {
            case (OadrCreateOpt o, OadrCreatedOpt a) when a.OptId != o.OptId:
                AddFailure(new CheckFailure("requestID", $"oadrCreatedOpt must name the optID it answers ('{o.OptId}'); it names '{a.OptId}'", $"<ei:optID>{a.OptId}</ei:optID>", index));
                break;
            case (OadrCancelOpt o, OadrCanceledOpt a) when a.OptId is { } id && id != o.OptId:
                AddFailure(new CheckFailure("requestID", $"oadrCanceledOpt must name the optID it answers ('{o.OptId}'); it names '{id}'", $"<ei:optID>{id}</ei:optID>", index));
                break;
        }
        // venID (rule 21): once registered, everything addressed to the VEN names it (a refusal may name the venID the request claimed).
        if (Registered && VenId is { } venId && answer is not OadrCreatedPartyRegistration && OadrMessageIds.VenId(answer) is { Length: > 0 } named && named != venId
            && named != OadrMessageIds.VenId(request))
        {
            AddFailure(new CheckFailure("rule 21", $"{answer.ElementName} names venID '{named}', but the harness is registered as '{venId}'", $"<ei:venID>{named}</ei:venID>", index));
        }
        var vtnId = answer switch
        {
            OadrDistributeEvent d => d.VtnId,
            OadrCreatedPartyRegistration c => c.VtnId,
            _ => null,
        };
        if (vtnId is not null)
        {
            if (VtnId is null) VtnId = vtnId;
            else if (vtnId != VtnId)
            {
                AddFailure(new CheckFailure("rule 21", $"{answer.ElementName} names vtnID '{vtnId}'; the VTN gave '{VtnId}' before", $"<ei:vtnID>{vtnId}</ei:vtnID>", index));
            }
        }
        if (answer is OadrDistributeEvent distribute) CheckDistribute(distribute, index);
    }

    /// <summary>Rules 5, 14, 15, 22, 41 and time stamps on every distribute.</summary>
    private void CheckDistribute(OadrDistributeEvent d, int index)
    {
        if (string.IsNullOrEmpty(d.RequestId))
        {
            AddFailure(new CheckFailure("rule 41", "the VTN must always set oadrDistributeEvent/requestID", "<pyld:requestID/>", index));
        }
        var now = DateTimeOffset.UtcNow;
        var slack = TimeSpan.FromSeconds(5);
        var ranks = new List<int>();
        foreach (var e in d.Events)
        {
            var descriptor = e.EiEvent.EventDescriptor;
            var id = descriptor.EventId;
            var properties = e.EiEvent.ActivePeriod.Properties;
            var status = descriptor.EventStatus;
            ranks.Add(status == EventStatus.Active ? 0 : status == EventStatus.Completed ? 2 : 1);
            if (descriptor.CreatedDateTime - now > _options.CreatedDateTimeWindow)
            {
                AddFailure(new CheckFailure("createdDateTime", $"event '{id}' was created at {descriptor.CreatedDateTime.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}, in the future of the harness's clock ({now.UtcDateTime:HH:mm:ss}Z)", null, index));
            }
            properties.Duration.TryGetTimeSpan(out var duration);
            var end = duration > TimeSpan.Zero ? properties.DtStart + duration : DateTimeOffset.MaxValue;
            var wrongStatus = status switch
            {
                EventStatus.Far or EventStatus.Near => now > properties.DtStart + slack,
                EventStatus.Active => now < properties.DtStart - slack || now > end + slack,
                EventStatus.Completed => now < end - slack,
                _ => false,
            };
            if (wrongStatus)
            {
                AddFailure(new CheckFailure("eventStatus", $"event '{id}' is {Text(status)} at {now.UtcDateTime:HH:mm:ss}Z, but runs from {properties.DtStart.UtcDateTime:HH:mm:ss}Z for {properties.Duration.Text}", $"<ei:eventStatus>{Text(status)}</ei:eventStatus>", index));
            }
            foreach (var s in e.EiEvent.EventSignals.Signals)
            {
                if (s.SignalName.Value == "SIMPLE" && status != EventStatus.Active && s.CurrentValue is { } cv && cv != 0)
                {
                    AddFailure(new CheckFailure("rule 14", $"event '{id}' is not active but its SIMPLE currentValue is {cv}; it must be 0", $"<ei:currentValue>…{cv}…</ei:currentValue>", index));
                }
            }
            if (VenId is { } venId && e.EiEvent.Target.VenIds.Count > 0 && !e.EiEvent.Target.VenIds.Contains(venId))
            {
                AddFailure(new CheckFailure("rule 22", $"event '{id}' targets venIDs {string.Join(", ", e.EiEvent.Target.VenIds)} but was sent to '{venId}'", "<ei:eiTarget>", index));
            }
            var shape = Shape(e);
            var cancelled = status == EventStatus.Cancelled;
            lock (_lock)
            {
                if (_seenEvents.TryGetValue(id, out var seen))
                {
                    if (descriptor.ModificationNumber < seen.Modification)
                    {
                        AddFailure(new CheckFailure("rule 5", $"event '{id}' went back from modificationNumber {seen.Modification} to {descriptor.ModificationNumber}", $"<ei:modificationNumber>{descriptor.ModificationNumber}</ei:modificationNumber>", index));
                    }
                    else if (descriptor.ModificationNumber == seen.Modification && (shape != seen.Shape || (cancelled && !seen.Cancelled)))
                    {
                        AddFailure(new CheckFailure("rule 5", $"event '{id}' changed ({(cancelled && !seen.Cancelled ? "cancelled" : "new content")}) but kept modificationNumber {seen.Modification}; every change increments it by 1", $"<ei:modificationNumber>{descriptor.ModificationNumber}</ei:modificationNumber>", index));
                    }
                }
                if (!_seenEvents.TryGetValue(id, out var last) || descriptor.ModificationNumber >= last.Modification)
                {
                    _seenEvents[id] = (descriptor.ModificationNumber, shape, cancelled);
                }
            }
        }
        for (var i = 1; i < ranks.Count; i++)
        {
            if (ranks[i] < ranks[i - 1])
            {
                AddFailure(new CheckFailure("rule 15", "a distribute lists active events first and completed ones last; this one has an event out of that order",
                    string.Join(", ", d.Events.Select(e => $"{e.EiEvent.EventDescriptor.EventId}={Text(e.EiEvent.EventDescriptor.EventStatus)}")), index));
                break;
            }
        }
    }

    /// <summary>The event without what may change without a new modificationNumber (rule 5: createdDateTime, eventStatus, currentValue).</summary>
    private static string Shape(OadrEvent e)
    {
        var normal = e with
        {
            EiEvent = e.EiEvent with
            {
                EventDescriptor = e.EiEvent.EventDescriptor with
                {
                    EventStatus = EventStatus.Far,
                    CreatedDateTime = DateTimeOffset.UnixEpoch,
                    ModificationDateTime = null,
                },
                EventSignals = e.EiEvent.EventSignals with
                {
                    Signals = ValueList.From(e.EiEvent.EventSignals.Signals.Select(s => s with { CurrentValue = null })),
                },
            },
        };
        return OadrCodec.SerializeToString(new OadrDistributeEvent { RequestId = "shape", VtnId = "shape", Events = ValueList.Create([normal]) }, Compact);
    }

    /// <summary>Forgets the registration (the VTN ended it).</summary>
    public void ForgetRegistration() => Registered = false;

    /// <summary>The eventIDs seen in any distribute so far.</summary>
    public HashSet<string> SeenEventIds()
    {
        lock (_lock) return _seenEvents.Keys.ToHashSet(StringComparer.Ordinal);
    }

    public static string Text(EventStatus status) => status.ToString().ToLowerInvariant();

    public async ValueTask DisposeAsync()
    {
        await StopListenerAsync();
        _http.Dispose();
    }
}
