using System.Xml.Linq;
using FlexCoop.Xmpp;
using Microsoft.Extensions.Logging;

namespace FlexCoop.OpenAdr.Vtn.Internal;

/// <summary>
/// The VTN's side of the OpenADR 2.0b XMPP transport: one XMPP session (the VTN's JID). A VEN's
/// payload arrives as <c>&lt;iq type='set'&gt;&lt;oadrPayload .../&gt;&lt;/iq&gt;</c> and the VTN's answer
/// goes back in the <c>&lt;iq type='result'&gt;</c>; the VTN pushes its own payloads to a VEN's
/// full JID (its <c>oadrTransportAddress</c>) the same way and takes the VEN's answer from the
/// result. The sender's bare JID, authenticated by the XMPP server, is the VEN's identity.
/// </summary>
internal sealed class VtnXmppBinding : IAsyncDisposable
{
    private readonly OadrVtn _vtn;
    private readonly XmppClient _client;
    private readonly long _maxCharacters;

    private VtnXmppBinding(OadrVtn vtn, XmppClient client, long maxCharacters)
    {
        _vtn = vtn;
        _client = client;
        _maxCharacters = maxCharacters;
    }

    /// <summary>The VTN's full JID, once connected.</summary>
    public Jid Jid => _client.Jid ?? throw new InvalidOperationException("not connected");

    public static async Task<VtnXmppBinding> StartAsync(OadrVtn vtn, XmppClientOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var features = options.Features.Contains(OadrXmppPayload.Namespace, StringComparer.Ordinal) ? options.Features : [.. options.Features, OadrXmppPayload.Namespace];
        var client = new XmppClient(options with { Features = features, Identity = new DiscoIdentity("client", "bot", "FlexCoop OpenADR 2.0b VTN") }, loggerFactory.CreateLogger<XmppClient>());
        var binding = new VtnXmppBinding(vtn, client, vtn.Options.MaxRequestBodyBytes);
        client.SetIqHandler(OadrXmppPayload.Name, binding.OnPayloadAsync);
        try
        {
            await client.ConnectAsync(cancellationToken);
        }
        catch (XmppException ex)
        {
            await client.DisposeAsync();
            throw new VtnConfigurationException($"cannot open the VTN's XMPP session as {options.Jid}: {ex.Message}", ex);
        }
        return binding;
    }

    private async ValueTask<XElement?> OnPayloadAsync(Iq iq, CancellationToken cancellationToken)
    {
        if (iq.Type != IqType.Set || iq.From is null)
        {
            throw new XmppStanzaException(new StanzaError(StanzaErrorType.Modify, "bad-request", "OpenADR payloads come in an iq of type set"));
        }
        var body = OadrXmppPayload.ToBytes(iq.FirstPayload!);
        if (body.LongLength > _maxCharacters)
        {
            throw new XmppStanzaException(new StanzaError(StanzaErrorType.Modify, "policy-violation", "the payload is over the VTN's size limit"));
        }
        byte[] reply;
        try
        {
            reply = await _vtn.HandleXmppAsync(body, iq.From.Bare.ToString(), cancellationToken);
        }
        catch (VtnStoreException)
        {
            // Nothing was acknowledged: the VEN sees a temporary error and will retry.
            throw new XmppStanzaException(new StanzaError(StanzaErrorType.Wait, "internal-server-error", "store unavailable"));
        }
        return OadrXmppPayload.ToXElement(reply, long.MaxValue);
    }

    /// <summary>Pushes a payload to a VEN's full JID and returns the VEN's answer (empty when it sent none).</summary>
    /// <exception cref="XmppException">Not delivered: no session, no answer in time, or an error stanza.</exception>
    public async Task<byte[]> PushAsync(string transportAddress, byte[] body, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!Jid.TryParse(transportAddress, out var to))
        {
            throw new XmppStanzaException(new StanzaError(StanzaErrorType.Cancel, "jid-malformed", $"'{transportAddress}' is not a JID"));
        }
        // The document goes into the stanza as serialised (once per distinct event, see DistributeBytesAsync):
        // no tree is built and written again per VEN.
        Iq result;
        try
        {
            result = await _client.SendIqAsync(to, IqType.Set, body, timeout, cancellationToken);
        }
        catch (ArgumentException ex)
        {
            throw new XmppStanzaException(new StanzaError(StanzaErrorType.Modify, "bad-request", $"the payload cannot be sent: {ex.Message}"));
        }
        return result.Payload.FirstOrDefault(p => p.Name == OadrXmppPayload.Name) is { } answer ? _vtn.RestoreSignedForm(OadrXmppPayload.ToBytes(answer)) : [];
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();
}
