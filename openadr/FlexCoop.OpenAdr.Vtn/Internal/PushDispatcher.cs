using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using FlexCoop.OpenAdr.Vtn.Storage;
using Microsoft.Extensions.Logging;

namespace FlexCoop.OpenAdr.Vtn.Internal;

/// <summary>
/// Delivers queued messages to push VENs: POSTs each to the VEN's transport address (the
/// service path appended), hands the VEN's answer to the engine, and on failure retries with a
/// doubling delay up to <see cref="VtnOptions.PushMaxAttempts"/>. The queue is in the store, so
/// what is not delivered survives a restart.
/// </summary>
internal sealed class PushDispatcher : IAsyncDisposable
{
    private const int Batch = 512;

    private readonly OadrVtn _vtn;
    private readonly VtnOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<long> _inFlight = [];
    // VENs with a delivery under way (guarded by _inFlight's lock): one at a time per VEN, oldest first.
    private readonly HashSet<string> _busyVens = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _slots;
    private Task? _loop;

    public PushDispatcher(OadrVtn vtn, VtnOptions options, TimeProvider clock, ILogger logger)
    {
        _vtn = vtn;
        _options = options;
        _clock = clock;
        _logger = logger;
        _slots = new SemaphoreSlim(Math.Max(1, options.PushConcurrency), Math.Max(1, options.PushConcurrency));
        var ssl = new SslClientAuthenticationOptions
        {
            EnabledSslProtocols = options.TlsProtocols,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
                certificate is X509Certificate2 c && CertificateIdentity.ChainsTo(c, chain, options.ClientCertificateAuthorities),
        };
        if (options.ServerCertificates.Count > 0)
        {
            ssl.ClientCertificates = [.. options.ServerCertificates];
            ssl.LocalCertificateSelectionCallback = (_, _, _, _, _) => options.ServerCertificates[0];
        }
        if (options.CipherSuites is { Count: > 0 } suites && !options.InsecureHttp)
        {
            ssl.CipherSuitesPolicy = TlsSetup.CipherPolicy(suites);
        }
        _http = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = ssl,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            // Push VENs behind one address (a gateway, a listener keyed by path) get the full concurrency.
            MaxConnectionsPerServer = options.PushConcurrency,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        })
        {
            Timeout = options.PushTimeout,
        };
    }

    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>Something was queued: look now rather than at the next tick.</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0) _wake.Release();
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                var due = await _vtn.Store.ListDuePushAsync(_clock.GetUtcNow(), Batch, token);
                var fresh = new List<OutboundMessage>();
                lock (_inFlight)
                {
                    // One delivery at a time per VEN, in queue order: a distribute lists every event, so an
                    // older one arriving after a newer one would take the newer one's events back.
                    foreach (var m in due.OrderBy(m => m.Id))
                    {
                        if (!_busyVens.Add(m.VenId)) continue;
                        _inFlight.Add(m.Id);
                        fresh.Add(m);
                    }
                }
                // Claim the whole batch in one transaction; a message whose turn comes late renews its own claim.
                var leasedAt = _clock.GetUtcNow();
                var seenAt = leasedAt;
                try
                {
                    // Only what is still due is claimed: another VTN on the store may have taken some.
                    var claimed = new HashSet<long>(await _vtn.Store.LeaseManyAsync(fresh.Select(m => m.Id).ToList(), leasedAt, leasedAt + LeaseLength, token));
                    // After the claim committed: a transaction that coalesced an event change into one of these
                    // messages had committed by then (the claim waits for its row lock), see MaterialiseAsync.
                    seenAt = _clock.GetUtcNow();
                    var taken = fresh.Where(m => !claimed.Contains(m.Id)).ToList();
                    Release(taken, 0);
                    fresh.RemoveAll(m => !claimed.Contains(m.Id));
                }
                catch
                {
                    Release(fresh, 0);
                    throw;
                }
                // A rolling window of PushConcurrency deliveries: the next message starts as soon as any
                // one ends, and the next batch is read once this one has all started (what is in flight
                // is claimed, so not due), rather than waiting for the batch's slowest VEN.
                for (var i = 0; i < fresh.Count; i++)
                {
                    try
                    {
                        await _slots.WaitAsync(token);
                    }
                    catch
                    {
                        Release(fresh, i);
                        throw;
                    }
                    _ = DeliverInSlotAsync(fresh[i], leasedAt, seenAt, token);
                }
                if (due.Count < Batch || fresh.Count == 0)
                {
                    // Wait for new work, or for the next retry to come due.
                    await _wake.WaitAsync(TimeSpan.FromSeconds(1), token);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
            {
                // Whatever went wrong, the queue is durable: log, pause, carry on.
                VtnLog.PushLoopFailed(_logger, ex);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), _clock, token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void Release(List<OutboundMessage> messages, int from)
    {
        lock (_inFlight)
        {
            for (var i = from; i < messages.Count; i++)
            {
                _inFlight.Remove(messages[i].Id);
                _busyVens.Remove(messages[i].VenId);
            }
        }
    }

    private async Task DeliverInSlotAsync(OutboundMessage message, DateTimeOffset leasedAt, DateTimeOffset seenAt, CancellationToken cancellationToken)
    {
        try
        {
            await DeliverAsync(message, leasedAt, seenAt, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the message stays queued (claimed until its lease runs out).
        }
#pragma warning disable CA1031 // the queue is durable: a delivery that failed unexpectedly is logged and retried once its claim runs out
        catch (Exception ex)
#pragma warning restore CA1031
        {
            VtnLog.PushLoopFailed(_logger, ex);
        }
        finally
        {
            lock (_inFlight)
            {
                _inFlight.Remove(message.Id);
                _busyVens.Remove(message.VenId);
            }
            _slots.Release();
            // The VEN's next message, if any, may go now.
            Wake();
        }
    }

    // Long enough for one attempt (the POST times out by then) and its first retry delay.
    private TimeSpan LeaseLength => _options.PushTimeout + _options.PushRetryDelay;

    private async Task DeliverAsync(OutboundMessage message, DateTimeOffset leasedAt, DateTimeOffset seenAt, CancellationToken cancellationToken)
    {
        // Registered through another VTN on the store: not in memory yet.
        var ven = _vtn.FindVen(message.VenId) ?? await _vtn.Store.GetVenAsync(message.VenId, cancellationToken);
        if (ven is null || !ven.IsRegistered || ven.TransportAddress is null)
        {
            await _vtn.Store.MarkAttemptFailedAsync(message.Id, null, "the VEN is no longer registered for push", cancellationToken);
            return;
        }
        try
        {
            // Claimed before it is built: what is saved from now on queues a new distribute rather than
            // counting on this one. The claim must outlast this attempt; renew it when the batch's has run short.
            var now = _clock.GetUtcNow();
            if (leasedAt + LeaseLength - now < _options.PushTimeout)
            {
                await _vtn.Store.LeaseAsync(message.Id, now + LeaseLength, cancellationToken);
            }
            var body = _vtn.Seal(await _vtn.MaterialiseAsync(ven, message, seenAt, cancellationToken));
            var reply = ven.TransportName == "xmpp"
                ? await PushOverXmppAsync(ven.TransportAddress, body, cancellationToken)
                : await PostAsync(ven.TransportAddress, message.Kind, body, cancellationToken);
            await _vtn.Store.MarkDeliveredAsync(message.Id, _clock.GetUtcNow(), cancellationToken);
            await _vtn.PushDeliveredAsync(ven, message, cancellationToken);
            if (reply.Length > 0)
            {
                // The VEN answers in the response body (oadrCreatedEvent, oadrCreatedReport, ...).
                await _vtn.HandleAsync(EndpointOf(message.Kind), reply, ClientIdentity.Anonymous, ven, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException && !cancellationToken.IsCancellationRequested)
        {
            var attempt = message.Attempts + 1;
            VtnLog.PushFailed(_logger, message.Id, message.Kind, message.VenId, attempt, ex.Message);
            DateTimeOffset? next = null;
            if (attempt < _options.PushMaxAttempts)
            {
                var delay = TimeSpan.FromTicks(Math.Min(_options.PushMaxRetryDelay.Ticks, _options.PushRetryDelay.Ticks * (1L << Math.Min(attempt - 1, 30))));
                next = _clock.GetUtcNow() + delay;
            }
            await _vtn.Store.MarkAttemptFailedAsync(message.Id, next, ex.Message, cancellationToken);
            _vtn.PushFailed(ven, message, ex.Message);
        }
    }

    private async Task<byte[]> PostAsync(string transportAddress, string kind, byte[] body, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(body);
        if (!_options.Has(VtnFault.PushWithoutContentType)) content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
        var target = new Uri(transportAddress.TrimEnd('/') + VtnServer.ServicePath + ServiceOf(kind));
        using var response = await _http.PostAsync(target, content, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"HTTP {(int)response.StatusCode}");
        }
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    // The same retry and back-off as HTTP: an XMPP failure is reported as a failed delivery.
    private async Task<byte[]> PushOverXmppAsync(string transportAddress, byte[] body, CancellationToken cancellationToken)
    {
        var xmpp = _vtn.Xmpp ?? throw new IOException("the VTN has no XMPP session");
        try
        {
            return await xmpp.PushAsync(transportAddress, body, _options.PushTimeout, cancellationToken);
        }
        catch (FlexCoop.Xmpp.XmppException ex)
        {
            throw new IOException($"XMPP: {ex.Message}", ex);
        }
    }

    private static OadrEndpoint EndpointOf(string kind) => kind switch
    {
        "oadrDistributeEvent" => OadrEndpoint.EiEvent,
        "oadrCancelPartyRegistration" or "oadrRequestReregistration" or "oadrCreatedPartyRegistration" => OadrEndpoint.EiRegisterParty,
        "oadrCreateOpt" or "oadrCancelOpt" => OadrEndpoint.EiOpt,
        _ => OadrEndpoint.EiReport,
    };

    private static string ServiceOf(string kind) => EndpointOf(kind).ToString();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
            }
            // Every delivery in flight has seen the cancellation: wait for them to end before the HTTP client goes.
            for (var i = 0; i < Math.Max(1, _options.PushConcurrency); i++)
            {
                await _slots.WaitAsync();
            }
        }
        _http.Dispose();
        _slots.Dispose();
        _stop.Dispose();
        _wake.Dispose();
    }
}
