using System.Text;
using System.Xml.Linq;
using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Security;
using FlexCoop.OpenAdr.Xml;
using FlexCoop.Xmpp;
using Microsoft.Extensions.Logging;

namespace FlexCoop.OpenAdr.Ven.Internal;

/// <summary>
/// The VEN's side of the OpenADR 2.0b XMPP transport. Every payload the VEN sends goes to the VTN's
/// JID as <c>&lt;iq type='set'&gt;&lt;oadrPayload xmlns='http://openadr.org/oadr-2.0b/2012/07'&gt;...&lt;/iq&gt;</c>
/// and the VTN's answer comes back in the <c>&lt;iq type='result'&gt;</c>; the VTN's own payloads arrive
/// the same way (an IQ set to this VEN's full JID) and the VEN's answer goes into the result.
/// </summary>
internal sealed class VenXmppTransport : IVenTransport
{
    private const string Namespace = "http://openadr.org/oadr-2.0b/2012/07";
    private static readonly XName PayloadName = XName.Get("oadrPayload", Namespace);
    private static readonly OadrSerializerOptions Wire = OadrSerializerOptions.Default with { Indent = false };

    private readonly XmppClient _client;
    private readonly Jid _vtn;
    private readonly VenPayloadSecurity? _security;
    private readonly OadrXmlLimits _limits;
    private readonly TimeSpan _timeout;

    public VenXmppTransport(VenOptions options, VenPayloadSecurity? security, ILoggerFactory loggerFactory)
    {
        _vtn = options.VtnJid ?? throw new VenConfigurationException("the VTN's JID is missing");
        _security = security;
        _limits = OadrXmlLimits.Default with { MaxCharacters = options.MaxMessageBytes };
        _timeout = options.RequestTimeout;
        var xmpp = options.Xmpp ?? throw new VenConfigurationException("an xmpp: VTN address needs Xmpp session options");
        var features = xmpp.Features.Contains(Namespace, StringComparer.Ordinal) ? xmpp.Features : [.. xmpp.Features, Namespace];
        _client = new XmppClient(xmpp with { Features = features, Identity = new DiscoIdentity("client", "bot", "FlexCoop OpenADR 2.0b VEN") }, loggerFactory.CreateLogger<XmppClient>());
    }

    /// <summary>This VEN's full JID: its <c>oadrTransportAddress</c>.</summary>
    public string Address => _client.Jid?.ToString() ?? throw new InvalidOperationException("not connected");

    /// <summary>Opens the session; the VTN's pushes are handed to <paramref name="ven"/>.</summary>
    public async Task ConnectAsync(OadrVen ven, CancellationToken cancellationToken)
    {
        _client.SetRawIqHandler(PayloadName, (iq, ct) => OnPushAsync(ven, iq, ct));
        try
        {
            await _client.ConnectAsync(cancellationToken);
        }
        catch (XmppException ex)
        {
            throw new VenTransportException($"cannot open the XMPP session as {_client.Options.Jid}: {ex.Message}", ex);
        }
    }

    public async Task<OadrMessage> SendAsync(string service, OadrMessage message, CancellationToken cancellationToken)
    {
        var bytes = OadrCodec.SerializeToUtf8Bytes(message, Wire);
        if (_security is not null) bytes = _security.Sign(bytes);
        Iq result;
        try
        {
            // As serialised (and signed): framed in the stanza without a tree built and written again.
            result = await _client.SendIqAsync(_vtn, IqType.Set, bytes, _timeout, cancellationToken);
        }
        catch (XmppException ex)
        {
            throw new VenTransportException($"the VTN at {_vtn} did not take {message.ElementName} ({service}): {ex.Message}", ex);
        }
        var answer = result.Payload.FirstOrDefault(p => p.Name == PayloadName)
            ?? throw new VenTransportException($"the VTN's answer to {message.ElementName} carries no oadrPayload");
        var body = RestoreSignedForm(Encoding.UTF8.GetBytes(answer.ToString(SaveOptions.DisableFormatting)));
        if (_security?.Verify(body) is { IsValid: false } signature)
        {
            throw new VenSignatureException($"answer to {message.ElementName}", signature.Status, signature.Message);
        }
        try
        {
            return OadrCodec.ParseMessage(body, _limits);
        }
        catch (OadrFormatException ex)
        {
            throw new VenTransportException($"the VTN's answer to {message.ElementName} is unreadable: {ex.Message}", ex);
        }
    }

    private async ValueTask<ReadOnlyMemory<byte>> OnPushAsync(OadrVen ven, Iq iq, CancellationToken cancellationToken)
    {
        if (iq.Type != IqType.Set || iq.From is null || !iq.From.Bare.Equals(_vtn.Bare))
        {
            // Only the VTN may push: anyone else gets not-authorized and is never acted on.
            throw new XmppStanzaException(new StanzaError(StanzaErrorType.Auth, "not-authorized", "only the VTN this VEN is registered with sends OpenADR payloads"));
        }
        var body = RestoreSignedForm(Encoding.UTF8.GetBytes(iq.FirstPayload!.ToString(SaveOptions.DisableFormatting)));
        OadrMessage reply;
        if (_security?.Verify(body) is { IsValid: false } signature)
        {
            var reason = $"high security: signature {signature.Status}: {signature.Message}";
            reply = new OadrResponse { EiResponse = new EiResponse { ResponseCode = ResponseCode.NotRegisteredOrAuthorized, RequestId = "", ResponseDescription = reason.Length <= 250 ? reason : reason[..250] }, VenId = ven.VenId };
        }
        else
        {
            try
            {
                var answer = await ven.HandleFromVtnAsync(OadrCodec.ParseMessage(body, _limits), pushed: true, cancellationToken);
                reply = answer.Reply ?? new OadrResponse { EiResponse = new EiResponse { ResponseCode = ResponseCode.Ok, RequestId = "", ResponseDescription = "OK" }, VenId = ven.VenId };
                if (answer.Then is { } then)
                {
                    // Work that follows the answer (re-registration, re-publishing metadata) runs after it is sent.
                    _ = Task.Run(() => then(CancellationToken.None), CancellationToken.None);
                }
            }
            catch (OadrFormatException ex)
            {
                reply = new OadrResponse { EiResponse = new EiResponse { ResponseCode = ResponseCode.InvalidData, RequestId = "", ResponseDescription = ex.Detail }, VenId = ven.VenId };
            }
        }
        var bytes = OadrCodec.SerializeToUtf8Bytes(reply, Wire);
        if (_security is not null) bytes = _security.Sign(bytes);
        // The answer goes into the result as serialised (and signed), not parsed and written again.
        return bytes;
    }

    /// <summary>
    /// At high security, a payload that crossed the XMPP server is put back into the conventional-prefix
    /// form its signer signed: the server rewrites namespace prefixes and drops unused declarations
    /// (see <see cref="OadrConventionalPrefixes"/>). An unreadable payload stays as received.
    /// </summary>
    private byte[] RestoreSignedForm(byte[] body)
    {
        if (_security is null) return body;
        try
        {
            return OadrConventionalPrefixes.Restore(body, _limits);
        }
        catch (OadrFormatException)
        {
            return body;
        }
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();
}
