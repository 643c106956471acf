using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Ven.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlexCoop.OpenAdr.Ven;

/// <summary>
/// An OpenADR 2.0b VEN: registers with a VTN (query → create → register reports → answer the
/// requests), then polls at the requested frequency or listens for pushes; applies the VEN-side
/// event rules and answers with <c>oadrCreatedEvent</c>; sends the reports its providers supply;
/// creates and cancels opts. State survives a restart when <see cref="VenOptions.StatePath"/> is set.
/// </summary>
/// <example>
/// <code>
/// await using var ven = await OadrVen.StartAsync(new VenOptions
/// {
///     VtnUrl = new Uri("https://vtn.example:8443"),
///     VenName = "heat-pump-17",
///     ClientCertificate = X509Certificate2.CreateFromPemFile("ven.crt", "ven.key"),
///     VtnCertificateAuthorities = [X509CertificateLoader.LoadCertificateFromFile("ca.crt")],
///     StatePath = "ven.db",
/// });
/// ven.EventChanged += (_, e) => Console.WriteLine($"{e.Event.EventId}: {e.Change}");
/// </code>
/// </example>
public sealed partial class OadrVen : IAsyncDisposable
{
    private readonly VenOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly VenState _state;
    private readonly IVenTransport _transport;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Random _random;
    private readonly List<Task> _loops = [];
    private PushListener? _push;
    private int _disposed;

    private OadrVen(VenOptions options, TimeProvider clock, ILogger logger, VenState state, ILoggerFactory loggerFactory)
    {
        _options = options;
        _clock = clock;
        _logger = logger;
        _state = state;
        Security = options.Security == FlexCoop.OpenAdr.Security.OadrSecurityLevel.High ? new VenPayloadSecurity(options, clock) : null;
        _transport = options.VtnJid is not null ? new VenXmppTransport(options, Security, loggerFactory) : new VenTransport(options, Security);
        _random = options.RandomSeed is { } seed ? new Random(seed) : new Random();
    }

    /// <summary>Registers (or resumes a stored registration) and starts polling or listening.</summary>
    /// <exception cref="VenConfigurationException">The options are inconsistent.</exception>
    /// <exception cref="VenTransportException">The VTN cannot be reached.</exception>
    /// <exception cref="VenRefusedException">The VTN refused the registration.</exception>
    public static async Task<OadrVen> StartAsync(VenOptions options, TimeProvider? clock = null, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        loggerFactory ??= NullLoggerFactory.Instance;
        var ven = new OadrVen(options, clock ?? TimeProvider.System, loggerFactory.CreateLogger<OadrVen>(), new VenState(options.StatePath), loggerFactory);
        try
        {
            if (options.PushListenUrl is { } listen)
            {
                ven._push = await PushListener.StartAsync(ven, options, listen, loggerFactory, cancellationToken);
                VenLog.PushListening(ven._logger, ven._push.Url.ToString());
            }
            if (ven._transport is VenXmppTransport xmpp) await xmpp.ConnectAsync(ven, cancellationToken);
            await ven.EnsureRegisteredAsync(cancellationToken);
            if (ven._push is null && ven._transport is not VenXmppTransport)
            {
                ven._loops.Add(Task.Run(ven.PollLoopAsync, CancellationToken.None));
            }
            ven._loops.Add(Task.Run(ven.ReportLoopAsync, CancellationToken.None));
            return ven;
        }
        catch
        {
            await ven.DisposeAsync();
            throw;
        }
    }

    /// <summary>Signs and verifies payloads at high security; null at standard security.</summary>
    internal VenPayloadSecurity? Security { get; }

    internal ILogger Logger => _logger;

    /// <summary>The venID, once registered.</summary>
    public string? VenId => _state.Registration?.VenId;

    /// <summary>The registrationID; null when not registered.</summary>
    public string? RegistrationId => _state.Registration?.RegistrationId;

    /// <summary>The VTN's vtnID.</summary>
    public string? VtnId => _state.Registration?.VtnId;

    /// <summary>The poll period in use.</summary>
    public TimeSpan PollInterval => PollPeriod(_state.Registration?.PollFrequency ?? TimeSpan.FromSeconds(10));

    /// <summary>The push listener's URL (null for a pull VEN).</summary>
    public Uri? PushUrl => _push?.Url;

    /// <summary>The events the VEN knows and has not seen end or be cancelled.</summary>
    public IReadOnlyList<VenEvent> Events => _state.Events;

    /// <summary>Raised when an event is added, modified, cancelled or rejected (after the change is stored).</summary>
    public event EventHandler<VenEventChangedEventArgs>? EventChanged;

    /// <summary>Raised for each message received from the VTN (poll answers and pushes).</summary>
    public event EventHandler<VenMessageEventArgs>? MessageReceived;

    /// <summary>Raised after the VEN sent a report (<c>oadrUpdateReport</c> acknowledged).</summary>
    public event EventHandler<VenReportSentEventArgs>? ReportSent;

    /// <summary>Raised when the registration changes (registered, re-registered, cancelled).</summary>
    public event EventHandler? RegistrationChanged;

    private TimeSpan PollPeriod(TimeSpan requested)
    {
        var period = _options.PollFrequency ?? requested;
        return VenFaults.PollPeriod(_options, period < _options.MinPollInterval && _options.PollFrequency is null ? _options.MinPollInterval : period);
    }

    private DateTimeOffset Now => _clock.GetUtcNow();

    private static string NewId(string prefix) => prefix + Guid.NewGuid().ToString("N")[..20];

    // ---- registration ----

    private async Task EnsureRegisteredAsync(CancellationToken cancellationToken)
    {
        if (_state.Registration is { } stored)
        {
            // Resume only if the VTN still holds this registration.
            var query = await SendAsync("EiRegisterParty", new OadrQueryRegistration { RequestId = NewId("req-") }, cancellationToken);
            if (query is OadrCreatedPartyRegistration { RegistrationId: { } id } && id == stored.RegistrationId)
            {
                VenLog.Registered(_logger, stored.VtnId, stored.VenId, stored.RegistrationId, PollInterval);
                return;
            }
        }
        await RegisterAsync(cancellationToken);
    }

    /// <summary>
    /// The full registration flow: <c>oadrQueryRegistration</c>, <c>oadrCreatePartyRegistration</c>
    /// (carrying the current registrationID when re-registering), then <c>oadrRegisterReport</c> and
    /// <c>oadrCreatedReport</c> for the requests the VTN makes in answer.
    /// </summary>
    public async Task RegisterAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await RegisterCoreAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
        await SendReportRegistrationAsync(cancellationToken);
    }

    private async Task RegisterCoreAsync(CancellationToken cancellationToken)
    {
        var query = await SendAsync("EiRegisterParty", new OadrQueryRegistration { RequestId = NewId("req-") }, cancellationToken);
        if (query is not OadrCreatedPartyRegistration offer || !offer.EiResponse.ResponseCode.IsSuccess)
        {
            throw Refused("oadrQueryRegistration", query);
        }
        var transport = _transport is VenXmppTransport ? OadrTransportName.Xmpp : OadrTransportName.SimpleHttp;
        if (!offer.Profiles.Any(p => p.ProfileName == OadrProfileName.Profile20b && p.Transports.Contains(transport)))
        {
            throw new VenRefusedException("oadrQueryRegistration", "459", $"the VTN does not offer 2.0b over {(transport == OadrTransportName.Xmpp ? "xmpp" : "simpleHttp")}");
        }
        var previous = _state.Registration;
        var create = new OadrCreatePartyRegistration
        {
            RequestId = NewId("req-"),
            RegistrationId = previous?.RegistrationId,
            VenId = previous?.VenId ?? _options.VenId,
            ProfileName = OadrProfileName.Profile20b,
            TransportName = transport,
            TransportAddress = _transport is VenXmppTransport xmpp ? xmpp.Address : _push is null ? null : _options.PushPublicUrl ?? _push.Url.ToString().TrimEnd('/'),
            ReportOnly = false,
            XmlSignature = Security is not null,
            VenName = _options.VenName,
            HttpPullModel = _transport is VenXmppTransport ? null : _push is null,
        };
        var reply = await SendAsync("EiRegisterParty", create, cancellationToken);
        if (reply is not OadrCreatedPartyRegistration created || !created.EiResponse.ResponseCode.IsSuccess
            || created.VenId is null || created.RegistrationId is null)
        {
            throw Refused(create.ElementName, reply);
        }
        var poll = created.RequestedOadrPollFreq is { } f && f.TryGetTimeSpan(out var span) && span > TimeSpan.Zero ? span : TimeSpan.FromSeconds(10);
        if (previous is not null && (previous.VenId != created.VenId || previous.VtnId != created.VtnId))
        {
            _state.Clear(); // another identity or another VTN: what we knew no longer applies
        }
        _state.SetRegistration(new VenRegistration(created.VenId, created.RegistrationId, created.VtnId, poll));
        VenLog.Registered(_logger, created.VtnId, created.VenId, created.RegistrationId, PollPeriod(poll));
        RegistrationChanged?.Invoke(this, EventArgs.Empty);
    }

    private async Task SendReportRegistrationAsync(CancellationToken cancellationToken)
    {
        var register = new OadrRegisterReport
        {
            RequestId = NewId("req-"),
            VenId = VenId,
            ReportRequestId = "0", // rule 306: a VEN's registration answers no request
            Reports = ValueList.From(_options.ReportProviders.Select(p => Metadata(p.Definition))),
        };
        var reply = await SendAsync("EiReport", register, cancellationToken);
        if (reply is not OadrRegisteredReport registered || !registered.EiResponse.ResponseCode.IsSuccess)
        {
            throw Refused(register.ElementName, reply);
        }
        if (registered.ReportRequests.Count > 0)
        {
            var answer = await UnderGateAsync(() => AcceptReportRequests(registered.EiResponse.RequestId, registered.ReportRequests), cancellationToken);
            await SendAndHandleAsync(answer, cancellationToken);
        }
    }

    /// <summary>Ends the registration from the VEN's side (<c>oadrCancelPartyRegistration</c>) and forgets its state.</summary>
    public async Task CancelRegistrationAsync(CancellationToken cancellationToken = default)
    {
        var registration = _state.Registration ?? throw new InvalidOperationException("the VEN is not registered");
        var reply = await SendAsync("EiRegisterParty", new OadrCancelPartyRegistration
        {
            RequestId = NewId("req-"),
            RegistrationId = registration.RegistrationId,
            VenId = registration.VenId,
        }, cancellationToken);
        if (reply is not OadrCanceledPartyRegistration canceled || !canceled.EiResponse.ResponseCode.IsSuccess)
        {
            throw Refused("oadrCancelPartyRegistration", reply);
        }
        _state.Clear();
        RegistrationChanged?.Invoke(this, EventArgs.Empty);
    }

    private static VenRefusedException Refused(string payload, OadrMessage reply)
    {
        var response = ResponseOf(reply);
        return new VenRefusedException(payload, response?.ResponseCode.Value ?? "(none)", response?.ResponseDescription ?? $"unexpected {reply.ElementName}");
    }

    private static EiResponse? ResponseOf(OadrMessage reply) => reply switch
        {
            OadrResponse r => r.EiResponse,
            OadrCreatedPartyRegistration r => r.EiResponse,
            OadrRegisteredReport r => r.EiResponse,
            OadrCanceledPartyRegistration r => r.EiResponse,
            OadrCreatedOpt r => r.EiResponse,
            OadrCanceledOpt r => r.EiResponse,
            OadrUpdatedReport r => r.EiResponse,
            OadrCreatedReport r => r.EiResponse,
            _ => null,
        };

    // ---- exchanges ----

    private async Task<OadrMessage> SendAsync(string service, OadrMessage message, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        var reply = await _transport.SendAsync(service, message, linked.Token);
        OnNotRegistered(message, reply);
        return reply;
    }

    private Task _reregistration = Task.CompletedTask;
    private int _reregistering;

    /// <summary>
    /// A push VEN polls nothing, so the VTN's 463 (not registered) answering one of its payloads is how it learns the VTN
    /// lost its registration: it registers anew in the background (N0_5080). A pull VEN learns it from its next poll.
    /// </summary>
    private void OnNotRegistered(OadrMessage sent, OadrMessage reply)
    {
        if (_push is null || sent is OadrQueryRegistration or OadrCreatePartyRegistration or OadrCancelPartyRegistration) return;
        if (ResponseOf(reply)?.ResponseCode != ResponseCode.NotRegisteredOrAuthorized) return;
        if (Interlocked.Exchange(ref _reregistering, 1) != 0) return;
        VenLog.Reregistering(_logger);
        _state.SetRegistration(null);
        _reregistration = Task.Run(async () =>
        {
            try
            {
                await RegisterAsync(_stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
            catch (VenException ex)
            {
                VenLog.PollFailed(_logger, ex.Message);
            }
            finally
            {
                Volatile.Write(ref _reregistering, 0);
            }
        }, CancellationToken.None);
    }

    private async Task<T> UnderGateAsync<T>(Func<T> action, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return action();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Sends a VEN answer (pull) and handles what the VTN says back.</summary>
    private async Task SendAndHandleAsync(OadrMessage? answer, CancellationToken cancellationToken)
    {
        if (answer is null) return;
        var reply = await SendAsync(ServiceOf(answer), answer, cancellationToken);
        if (reply is OadrResponse { EiResponse.ResponseCode.IsSuccess: false } refused)
        {
            throw Refused(answer.ElementName, refused);
        }
    }

    private static string ServiceOf(OadrMessage message) => message switch
    {
        OadrCreatedEvent or OadrRequestEvent => "EiEvent",
        OadrCreateOpt or OadrCancelOpt => "EiOpt",
        OadrCanceledPartyRegistration or OadrResponse or OadrCreatePartyRegistration or OadrQueryRegistration or OadrCancelPartyRegistration => "EiRegisterParty",
        OadrPoll => "OadrPoll",
        _ => "EiReport",
    };

    // ---- polling ----

    /// <summary>
    /// Polls now, handles each message the VTN had queued and answers it before polling again
    /// (rule 64), until the VTN answers <c>oadrResponse</c>. Returns how many messages arrived.
    /// </summary>
    public async Task<int> PollNowAsync(CancellationToken cancellationToken = default)
    {
        var count = 0;
        if (_state.Registration is null) throw new InvalidOperationException("the VEN is not registered");
        for (var i = 0; i < 1000; i++)
        {
            // The registration may end on the way (oadrCancelPartyRegistration): then stop.
            if (_state.Registration is not { } registration) return count;
            var message = await SendAsync("OadrPoll", new OadrPoll { VenId = registration.VenId }, cancellationToken);
            if (message is OadrResponse response)
            {
                if (response.EiResponse.ResponseCode == ResponseCode.NotRegisteredOrAuthorized)
                {
                    VenLog.Reregistering(_logger);
                    _state.SetRegistration(null);
                    await RegisterAsync(cancellationToken);
                    continue;
                }
                return count;
            }
            count++;
            var answer = await HandleFromVtnAsync(message, pushed: false, cancellationToken);
            await SendAndHandleAsync(answer.Reply, cancellationToken);
            if (answer.Then is { } then) await then(cancellationToken);
        }
        return count;
    }

    private async Task PollLoopAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(PollInterval, _clock, token);
                if (_state.Registration is null) continue;
                await PollNowAsync(token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (VenException ex)
            {
                VenLog.PollFailed(_logger, ex.Message);
            }
            catch (InvalidOperationException ex)
            {
                VenLog.PollFailed(_logger, ex.Message);
            }
        }
    }

    /// <summary>What to answer a VTN message with, and what to do after the answer went out.</summary>
    internal readonly record struct VtnAnswer(OadrMessage? Reply, Func<CancellationToken, Task>? Then = null);

    /// <summary>Handles one message from the VTN (poll answer or push) under the VEN's lock.</summary>
    internal async Task<VtnAnswer> HandleFromVtnAsync(OadrMessage message, bool pushed, CancellationToken cancellationToken)
    {
        VenLog.Received(_logger, message.ElementName, pushed ? "push" : "poll");
        MessageReceived?.Invoke(this, new VenMessageEventArgs(message, pushed));
        await _gate.WaitAsync(cancellationToken);
        VtnAnswer answer;
        try
        {
            var registration = _state.Registration;
            var venId = registration?.VenId;
            answer = message switch
            {
                OadrDistributeEvent distribute => new(OnDistribute(distribute)),
                OadrCreateReport create => OnCreateReport(create),
                OadrCancelReport cancel => OnCancelReport(cancel),
                OadrRegisterReport register => new(new OadrRegisteredReport { EiResponse = Ok(register.RequestId), VenId = venId }),
                OadrUpdatedReport { CancelReport: { } piggyback } => OnCancelReport(piggyback),
                OadrCancelPartyRegistration cancel => OnCancelPartyRegistration(cancel),
                OadrRequestReregistration => new(new OadrResponse { EiResponse = Ok(""), VenId = venId }, ReregisterAsync),
                _ => new(null),
            };
        }
        finally
        {
            _gate.Release();
        }
        return answer;
    }

    private async Task ReregisterAsync(CancellationToken cancellationToken) => await RegisterAsync(cancellationToken);

    private VtnAnswer OnCancelPartyRegistration(OadrCancelPartyRegistration cancel)
    {
        var registration = _state.Registration;
        if (registration is null || cancel.RegistrationId != registration.RegistrationId)
        {
            return new(new OadrCanceledPartyRegistration { EiResponse = Error(ResponseCode.InvalidId, "", "not this VEN's registration"), RegistrationId = cancel.RegistrationId, VenId = registration?.VenId });
        }
        _state.Clear();
        VenLog.RegistrationEnded(_logger);
        RegistrationChanged?.Invoke(this, EventArgs.Empty);
        return new(new OadrCanceledPartyRegistration { EiResponse = Ok(cancel.RequestId), RegistrationId = cancel.RegistrationId, VenId = registration.VenId });
    }

    private static EiResponse Ok(string requestId) => new() { ResponseCode = ResponseCode.Ok, RequestId = requestId, ResponseDescription = "OK" };

    private static EiResponse Error(ResponseCode code, string requestId, string description) => new() { ResponseCode = code, RequestId = requestId, ResponseDescription = description };

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _stop.CancelAsync();
        foreach (var loop in _loops)
        {
            try
            {
                await loop;
            }
            catch (OperationCanceledException)
            {
            }
        }
        try
        {
            await _reregistration;
        }
        catch (OperationCanceledException)
        {
        }
        if (_push is not null) await _push.DisposeAsync();
        await _transport.DisposeAsync();
        _state.Dispose();
        _stop.Dispose();
        _gate.Dispose();
    }
}

/// <summary>The argument of <see cref="OadrVen.ReportSent"/>.</summary>
public sealed class VenReportSentEventArgs(string reportRequestId, string reportSpecifierId, int readings) : EventArgs
{
    public string ReportRequestId { get; } = reportRequestId;

    public string ReportSpecifierId { get; } = reportSpecifierId;

    public int Readings { get; } = readings;
}
