using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml.Linq;
using FlexCoop.Xmpp.Internal;

namespace FlexCoop.Xmpp;

public sealed partial class XmppClient
{
    private static readonly XName SmEnabled = XmppNames.StreamManagement + "enabled";
    private static readonly XName SmFailed = XmppNames.StreamManagement + "failed";
    private static readonly XName SmResumed = XmppNames.StreamManagement + "resumed";

    /// <summary>
    /// Connects and negotiates a stream up to a usable session: STARTTLS, SASL, then either
    /// resumption of the previous session or resource binding and stream management.
    /// Returns with the connection published and the send gate open.
    /// </summary>
    private async Task<XmppConnection> EstablishAsync(bool resume, CancellationToken cancellationToken, Action<bool, int>? onSession = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        timeout.CancelAfter(_options.ConnectTimeout);
        var ct = timeout.Token;
        var domain = _options.Jid.Domain;
        var connection = await XmppConnection.ConnectAsync(_options.Host ?? domain, _options.Port,
            new XmppStreamReaderOptions { MaxStanzaBytes = _options.MaxStanzaBytes, MaxDepth = _options.MaxDepth }, ct).ConfigureAwait(false);
        try
        {
            var features = await connection.OpenStreamAsync(domain, ct).ConfigureAwait(false);
            if (features.Element(XmppNames.Tls + "starttls") is not null)
            {
                await connection.SendAsync(new XElement(XmppNames.Tls + "starttls"), ct).ConfigureAwait(false);
                var answer = await connection.ReadElementAsync(ct).ConfigureAwait(false);
                if (answer.Name != XmppNames.Tls + "proceed")
                {
                    throw new XmppConnectionException($"the server refused STARTTLS ({answer.Name.LocalName})");
                }
                await connection.UpgradeToTlsAsync(TlsOptions(domain), ct).ConfigureAwait(false);
                features = await connection.OpenStreamAsync(domain, ct).ConfigureAwait(false);
            }
            else if (_options.RequireTls)
            {
                throw new XmppConnectionException("the server does not offer STARTTLS and RequireTls is set");
            }

            Mechanism = await AuthenticateAsync(connection, features, ct).ConfigureAwait(false);
            features = await connection.OpenStreamAsync(domain, ct).ConfigureAwait(false);
            var offersSm = features.Element(XmppNames.StreamManagement + "sm") is not null;

            // From here the stream-management state changes: no sender may interleave.
            await _sendLock.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                var toResend = new List<byte[]>();
                var resumed = false;
                if (resume && _smResumeId is not null && offersSm)
                {
                    await connection.SendAsync(new XElement(XmppNames.StreamManagement + "resume",
                        new XAttribute("previd", _smResumeId), new XAttribute("h", _smInbound.ToString(CultureInfo.InvariantCulture))), ct).ConfigureAwait(false);
                    var answer = await ReadNonzaAsync(connection, ct, SmResumed, SmFailed).ConfigureAwait(false);
                    if (answer.Name == SmResumed)
                    {
                        resumed = true;
                        TakeUnacked(answer, toResend);
                    }
                    else
                    {
                        // The server forgot the session: bind a new one and send what it never acknowledged.
                        TakeUnacked(answer, toResend);
                        _smEnabled = false;
                        _smResumeId = null;
                    }
                }
                else if (resume)
                {
                    TakeUnacked(null, toResend);
                    _smEnabled = false;
                    _smResumeId = null;
                }

                if (!resumed)
                {
                    await BindAsync(connection, features, ct).ConfigureAwait(false);
                    if (_options.StreamManagement && offersSm)
                    {
                        await connection.SendAsync(new XElement(XmppNames.StreamManagement + "enable", new XAttribute("resume", "true")), ct).ConfigureAwait(false);
                        var answer = await ReadNonzaAsync(connection, ct, SmEnabled, SmFailed).ConfigureAwait(false);
                        if (answer.Name == SmEnabled)
                        {
                            _smEnabled = true;
                            _smResumeId = (string?)answer.Attribute("resume") is "true" or "1" ? (string?)answer.Attribute("id") : null;
                            _smInbound = 0;
                            lock (_unacked)
                            {
                                _smOutbound = 0;
                            }
                        }
                    }
                }
                _smAckRequested = false;
                _connection = connection;
                if (!resumed && _options.SendInitialPresence)
                {
                    await SendStanzaLockedAsync(connection, XmppStreamWriter.ToUtf8(new Presence().ToXElement()), ct).ConfigureAwait(false);
                }
                foreach (var element in toResend)
                {
                    await SendStanzaLockedAsync(connection, element, ct).ConfigureAwait(false);
                }
                onSession?.Invoke(resumed, toResend.Count);
                _connectedGate.TrySetResult();
            }
            finally
            {
                _sendLock.Release();
            }
            return connection;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !_lifetime.IsCancellationRequested)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new XmppConnectionException($"the session was not established within {_options.ConnectTimeout.TotalSeconds:0.#} s");
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Moves the unacknowledged stanzas into <paramref name="toResend"/>, first dropping those the server's <c>h</c> covers.</summary>
    private void TakeUnacked(XElement? answer, List<byte[]> toResend)
    {
        if (uint.TryParse((string?)answer?.Attribute("h"), NumberStyles.None, CultureInfo.InvariantCulture, out var h))
        {
            OnAck(h);
            lock (_unacked)
            {
                _smOutbound = h;
            }
        }
        lock (_unacked)
        {
            toResend.AddRange(_unacked.Select(u => u.Bytes));
            _unacked.Clear();
        }
    }

    private async Task<XElement> ReadNonzaAsync(XmppConnection connection, CancellationToken ct, params XName[] names)
    {
        while (true)
        {
            var element = await connection.ReadElementAsync(ct).ConfigureAwait(false);
            if (names.Contains(element.Name))
            {
                return element;
            }
            // A stanza that arrives during negotiation is handled once the session runs.
            _early.Add(element);
        }
    }

    private SslClientAuthenticationOptions TlsOptions(string domain)
    {
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = _options.TlsServerName ?? domain,
            EnabledSslProtocols = _options.TlsProtocols,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            CipherSuitesPolicy = _options.CipherSuites is { Count: > 0 } suites && !OperatingSystem.IsWindows() ? new CipherSuitesPolicy(suites) : null,
        };
        if (_options.ClientCertificate is { } certificate)
        {
            options.ClientCertificates = [certificate];
            options.LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate;
        }
        if (_options.TrustedCertificates is { } roots)
        {
            options.RemoteCertificateValidationCallback = (_, serverCertificate, _, errors) =>
            {
                if (serverCertificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
                {
                    return false;
                }
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(roots);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                using var leaf = new X509Certificate2(serverCertificate);
                return chain.Build(leaf);
            };
        }
        return options;
    }

    private async Task<string> AuthenticateAsync(XmppConnection connection, XElement features, CancellationToken ct)
    {
        var offered = features.Element(XmppNames.Sasl + "mechanisms")?.Elements(XmppNames.Sasl + "mechanism").Select(m => m.Value.Trim()).ToHashSet(StringComparer.Ordinal)
            ?? throw new XmppAuthenticationException("the server offers no SASL mechanisms");
        var preference = _options.SaslMechanisms
            ?? (_options.ClientCertificate is not null ? ["EXTERNAL", "SCRAM-SHA-1", "PLAIN"] : ["SCRAM-SHA-1", "PLAIN"]);
        string? chosen = null;
        foreach (var m in preference)
        {
            var usable = m switch
            {
                "EXTERNAL" => _options.ClientCertificate is not null && connection.IsTls,
                "SCRAM-SHA-1" => _options.Password is not null,
                "PLAIN" => _options.Password is not null && (connection.IsTls || _options.AllowPlainWithoutTls),
                _ => false,
            };
            if (usable && offered.Contains(m))
            {
                chosen = m;
                break;
            }
        }
        if (chosen is null)
        {
            throw new XmppAuthenticationException($"no acceptable SASL mechanism; the server offers {string.Join(", ", offered.Order(StringComparer.Ordinal))}");
        }
        var user = _options.Jid.Local!;
        ScramSha1? scram = null;
        string initial = chosen switch
        {
            "EXTERNAL" => "=",
            "PLAIN" => Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{user}\0{_options.Password}")),
            _ => Convert.ToBase64String(Encoding.UTF8.GetBytes((scram = new ScramSha1(user, _options.Password!)).ClientFirstMessage)),
        };
        await connection.SendAsync(new XElement(XmppNames.Sasl + "auth", new XAttribute("mechanism", chosen), initial), ct).ConfigureAwait(false);
        var challenges = 0;
        while (true)
        {
            var answer = await connection.ReadElementAsync(ct).ConfigureAwait(false);
            var data = answer.Name == XmppNames.Sasl + "failure" ? "" : DecodeSasl(answer.Value);
            if (answer.Name == XmppNames.Sasl + "success")
            {
                if (scram is not null)
                {
                    if (data.Length == 0 && challenges < 2)
                    {
                        throw new XmppAuthenticationException("SCRAM: the server reported success without proving it knows the password");
                    }
                    if (data.Length > 0)
                    {
                        scram.VerifyServerFinal(data);
                    }
                }
                return chosen;
            }
            if (answer.Name == XmppNames.Sasl + "failure")
            {
                var condition = answer.Elements().FirstOrDefault(e => e.Name.LocalName != "text")?.Name.LocalName;
                throw new XmppAuthenticationException($"{chosen} authentication failed", condition);
            }
            if (answer.Name != XmppNames.Sasl + "challenge" || scram is null || ++challenges > 2)
            {
                throw new XmppAuthenticationException($"unexpected '{answer.Name.LocalName}' during {chosen} authentication");
            }
            string response;
            if (challenges == 1)
            {
                response = scram.ProcessServerFirst(data);
            }
            else
            {
                scram.VerifyServerFinal(data);
                response = "";
            }
            await connection.SendAsync(new XElement(XmppNames.Sasl + "response", Convert.ToBase64String(Encoding.UTF8.GetBytes(response))), ct).ConfigureAwait(false);
        }
    }

    private static string DecodeSasl(string text)
    {
        text = text.Trim();
        if (text.Length == 0 || text == "=")
        {
            return "";
        }
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(text));
        }
        catch (FormatException e)
        {
            throw new XmppAuthenticationException("the server sent SASL data that is not base64", innerException: e);
        }
    }

    private async Task BindAsync(XmppConnection connection, XElement features, CancellationToken ct)
    {
        if (features.Element(XmppNames.Bind + "bind") is null)
        {
            throw new XmppStreamException("unsupported-feature", "the server offers no resource binding");
        }
        var bind = new XElement(XmppNames.Bind + "bind");
        if (_options.Jid.Resource is { } resource)
        {
            bind.Add(new XElement(XmppNames.Bind + "resource", resource));
        }
        var result = await NegotiationIqAsync(connection, new Iq(IqType.Set) { Id = NextId(), Payload = [bind] }, ct).ConfigureAwait(false);
        var jidText = result.FirstPayload?.Element(XmppNames.Bind + "jid")?.Value;
        Jid = Jid.TryParse(jidText, out var bound) ? bound : throw new XmppStreamException("bad-format", "the bind result carries no valid JID");
        if (features.Element(XmppNames.Session + "session") is { } session && session.Element(XmppNames.Session + "optional") is null)
        {
            await NegotiationIqAsync(connection, new Iq(IqType.Set) { Id = NextId(), Payload = [new XElement(XmppNames.Session + "session")] }, ct).ConfigureAwait(false);
        }
    }

    private async Task<Iq> NegotiationIqAsync(XmppConnection connection, Iq request, CancellationToken ct)
    {
        await connection.SendAsync(request.ToXElement(), ct).ConfigureAwait(false);
        while (true)
        {
            var element = await connection.ReadElementAsync(ct).ConfigureAwait(false);
            if (element.Name == XmppNames.Client + "iq" && (string?)element.Attribute("id") == request.Id)
            {
                var response = (Iq)Stanza.FromXElement(element);
                return response.Type == IqType.Error
                    ? throw new XmppStanzaException(response.Error ?? new StanzaError(StanzaErrorType.Cancel, "undefined-condition"), response)
                    : response;
            }
            _early.Add(element);
        }
    }

    /// <summary>The session's life: read and dispatch until the connection fails, then reconnect.</summary>
    private async Task RunAsync(XmppConnection connection)
    {
        while (true)
        {
            Exception failure;
            try
            {
                await ReadLoopAsync(connection).ConfigureAwait(false);
                failure = new XmppConnectionException("the connection ended");
            }
            catch (Exception e) when (e is XmppException or OperationCanceledException or InvalidOperationException)
            {
                failure = e;
            }
            if (_lifetime.IsCancellationRequested)
            {
                return;
            }
            _connectedGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _connection = null;
            await connection.DisposeAsync().ConfigureAwait(false);
            Log.ConnectionLost(_logger, Jid, failure);
            Disconnected?.Invoke(this, failure);
            if (!_options.Reconnect || IsFatal(failure))
            {
                End(failure);
                return;
            }
            var next = await ReconnectAsync(failure).ConfigureAwait(false);
            if (next is null)
            {
                return;
            }
            connection = next;
        }
    }

    private static bool IsFatal(Exception failure) => failure switch
    {
        XmppAuthenticationException => true,
        XmppStreamException s => s.Condition is "conflict" or "not-authorized" or "policy-violation" or "host-unknown"
            or "not-well-formed" or "restricted-xml" or "bad-format" or "invalid-namespace" or "unsupported-version",
        _ => false,
    };

    private async Task<XmppConnection?> ReconnectAsync(Exception cause)
    {
        var attempt = 0;
        var delay = _options.ReconnectInitialDelay;
        Exception last = cause;
        while (_options.MaxReconnectAttempts == 0 || attempt < _options.MaxReconnectAttempts)
        {
            attempt++;
            var jittered = TimeSpan.FromTicks((long)(delay.Ticks * (0.5 + Random.Shared.NextDouble())));
            try
            {
                await Task.Delay(jittered, _lifetime.Token).ConfigureAwait(false);
                var resumed = false;
                var resent = 0;
                var connection = await EstablishAsync(resume: true, _lifetime.Token, (r, n) => (resumed, resent) = (r, n)).ConfigureAwait(false);
                Log.Reconnected(_logger, Jid, resumed ? "resumed" : "re-established", attempt, resent);
                var handler = Reconnected;
                if (handler is not null)
                {
                    var args = new XmppReconnectedEventArgs(resumed, attempt, resent);
                    _ = Task.Run(() => handler(this, args));
                }
                return connection;
            }
            catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
            {
                return null;
            }
            catch (XmppException e)
            {
                Log.ReconnectAttemptFailed(_logger, attempt, e);
                last = e;
                if (e is XmppAuthenticationException)
                {
                    break;
                }
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.ReconnectMaxDelay.Ticks));
        }
        End(new XmppConnectionException($"the connection could not be re-established after {attempt} attempts", last));
        return null;
    }

    private async Task ReadLoopAsync(XmppConnection connection)
    {
        var early = _early.ToArray();
        _early.Clear();
        foreach (var element in early)
        {
            await DispatchAsync(connection, element).ConfigureAwait(false);
        }
        while (true)
        {
            var element = await connection.ReadElementAsync(_lifetime.Token).ConfigureAwait(false);
            Interlocked.Exchange(ref _lastReceived, Environment.TickCount64);
            await DispatchAsync(connection, element).ConfigureAwait(false);
        }
    }

    private async Task DispatchAsync(XmppConnection connection, XElement element)
    {
        if (element.Name.Namespace == XmppNames.StreamManagement)
        {
            switch (element.Name.LocalName)
            {
                case "r":
                    await connection.CompleteAsync(QueueAck(connection)).WaitAsync(_lifetime.Token).ConfigureAwait(false);
                    break;
                case "a":
                    if (uint.TryParse((string?)element.Attribute("h"), NumberStyles.None, CultureInfo.InvariantCulture, out var h))
                    {
                        OnAck(h);
                        _smAckRequested = false;
                    }
                    break;
            }
            return;
        }
        if (!Stanza.IsStanza(element))
        {
            return;
        }
        if (_smEnabled)
        {
            _smInbound++;
        }
        var stanza = Stanza.FromXElement(element);
        switch (stanza)
        {
            case Iq { Type: IqType.Result or IqType.Error } response:
                if (response.Id is not null && _pendingIqs.TryGetValue(response.Id, out var pending))
                {
                    pending.TrySetResult(response);
                }
                break;
            case Iq request:
                _ = Task.Run(() => AnswerIqAsync(request));
                break;
            case Message message:
                if (!IsRepeat(message))
                {
                    _messages.Writer.TryWrite(message);
                }
                break;
            case Presence presence:
                _presences.Writer.TryWrite(presence);
                break;
        }
    }

    /// <summary>
    /// True for a message whose (from, id) was already delivered recently. When a session cannot
    /// be resumed the server may deliver again, from offline storage, messages we had received
    /// but not yet acknowledged (XEP-0198 §5); this drops them.
    /// </summary>
    private bool IsRepeat(Message message)
    {
        if (_options.MessageDeduplicationWindow == 0 || message.Id is null || message.From is null)
        {
            return false;
        }
        var key = (message.From.ToString(), message.Id);
        if (!_recentMessages.Add(key))
        {
            return true;
        }
        _recentOrder.Enqueue(key);
        if (_recentOrder.Count > _options.MessageDeduplicationWindow)
        {
            _recentMessages.Remove(_recentOrder.Dequeue());
        }
        return false;
    }

    private async Task AnswerIqAsync(Iq request)
    {
        Iq response;
        var payload = request.FirstPayload;
        if (payload is not null && _rawIqHandlers.TryGetValue(payload.Name, out var rawHandler))
        {
            await AnswerIqRawAsync(request, payload.Name, rawHandler).ConfigureAwait(false);
            return;
        }
        if (payload is null || !_iqHandlers.TryGetValue(payload.Name, out var handler))
        {
            response = request.CreateError(StanzaErrorType.Cancel, "service-unavailable");
        }
        else
        {
            try
            {
                response = request.CreateResult(await handler(request, _lifetime.Token).ConfigureAwait(false));
            }
            catch (XmppStanzaException e)
            {
                response = request.CreateError(e.Error.Type, e.Error.Condition, e.Error.Text);
            }
            catch (OperationCanceledException)
            {
                return;
            }
#pragma warning disable CA1031 // a failing handler must still answer the IQ (RFC 6120 §8.2.3)
            catch (Exception e)
#pragma warning restore CA1031
            {
                Log.IqHandlerFailed(_logger, payload.Name, e);
                response = request.CreateError(StanzaErrorType.Wait, "internal-server-error");
            }
        }
        try
        {
            await SendBytesAsync(XmppStreamWriter.ToUtf8(response.ToXElement()), _lifetime.Token, _options.AcknowledgeWithAnswers).ConfigureAwait(false);
        }
        catch (Exception e) when (e is XmppException or OperationCanceledException or ObjectDisposedException)
        {
            // The session ended before the answer could be sent.
        }
    }

    /// <summary>Answers with the raw handler's element framed in the result as it was serialised; errors as <see cref="AnswerIqAsync"/> answers them.</summary>
    private async Task AnswerIqRawAsync(Iq request, XName payloadName, Func<Iq, CancellationToken, ValueTask<ReadOnlyMemory<byte>>> handler)
    {
        byte[] bytes;
        try
        {
            var element = await handler(request, _lifetime.Token).ConfigureAwait(false);
            bytes = element.IsEmpty
                ? XmppStreamWriter.ToUtf8(request.CreateResult(null).ToXElement())
                : RawPayload.Iq(request.From, "result", request.Id ?? "", RawPayload.Checked(element, _options.MaxStanzaBytes, _options.MaxDepth).Span);
        }
        catch (XmppStanzaException e)
        {
            bytes = XmppStreamWriter.ToUtf8(request.CreateError(e.Error.Type, e.Error.Condition, e.Error.Text).ToXElement());
        }
        catch (OperationCanceledException)
        {
            return;
        }
#pragma warning disable CA1031 // a failing handler must still answer the IQ (RFC 6120 §8.2.3)
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.IqHandlerFailed(_logger, payloadName, e);
            bytes = XmppStreamWriter.ToUtf8(request.CreateError(StanzaErrorType.Wait, "internal-server-error").ToXElement());
        }
        try
        {
            await SendBytesAsync(bytes, _lifetime.Token, _options.AcknowledgeWithAnswers).ConfigureAwait(false);
        }
        catch (Exception e) when (e is XmppException or OperationCanceledException or ObjectDisposedException)
        {
            // The session ended before the answer could be sent.
        }
    }
}
