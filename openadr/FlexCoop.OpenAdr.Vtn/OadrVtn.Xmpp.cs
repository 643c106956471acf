using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Security;
using FlexCoop.OpenAdr.Vtn.Internal;

namespace FlexCoop.OpenAdr.Vtn;

public sealed partial class OadrVtn
{
    private VtnXmppBinding? _xmpp;

    /// <summary>The VTN's full JID when it serves the XMPP transport (<see cref="VtnOptions.Xmpp"/>); null otherwise.</summary>
    public string? XmppJid => _xmpp?.Jid.ToString();

    internal VtnXmppBinding? Xmpp => _xmpp;

    internal void AttachXmpp(VtnXmppBinding binding) => _xmpp = binding;

    internal async ValueTask CloseXmppAsync()
    {
        if (Interlocked.Exchange(ref _xmpp, null) is { } binding) await binding.DisposeAsync();
    }

    /// <summary>The identity of a VEN on XMPP: its bare JID, as the XMPP server authenticated it.</summary>
    internal static string XmppIdentity(string bareJid) => "xmpp:" + bareJid;

    /// <summary>
    /// Handles one payload received over XMPP from <paramref name="senderBareJid"/> and returns the
    /// answer as it goes on the wire (signed at high security). The service is the one the payload belongs to.
    /// </summary>
    internal async Task<byte[]> HandleXmppAsync(byte[] body, string senderBareJid, CancellationToken cancellationToken)
    {
        body = RestoreSignedForm(body);
        var identity = new ClientIdentity(XmppIdentity(senderBareJid), null);
        var endpoint = OadrEndpoint.EiRegisterParty;
        if (_security is null && RecognisePoll(body, identity) is not null)
        {
            // A poll this VEN had accepted before, byte for byte: no parse needed to find its service.
            endpoint = OadrEndpoint.OadrPoll;
        }
        else
        {
            try
            {
                endpoint = EndpointFor(OadrCodec.ParseMessage(body, _limits));
            }
            catch (OadrFormatException)
            {
                // HandleAsync answers an unreadable payload with the code it deserves.
            }
        }
        var reply = await HandleAsync(endpoint, body, identity, pushedTo: null, cancellationToken);
        return Seal(reply.Raw ?? OadrCodec.SerializeToUtf8Bytes(reply.Message!, Wire));
    }

    /// <summary>
    /// At high security, a payload that crossed the XMPP server is put back into the conventional-prefix
    /// form the signer signed (the server rewrites namespace prefixes and drops unused declarations,
    /// which Canonical XML does not forgive); see <see cref="OadrConventionalPrefixes"/>. Without
    /// signatures, or for an unreadable payload (answered by the handler), the bytes stay as received.
    /// </summary>
    internal byte[] RestoreSignedForm(byte[] body)
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

    private static OadrEndpoint EndpointFor(OadrMessage message) => message switch
    {
        OadrRequestEvent or OadrCreatedEvent => OadrEndpoint.EiEvent,
        OadrRegisterReport or OadrRegisteredReport or OadrCreateReport or OadrCreatedReport or OadrUpdateReport or OadrCancelReport or OadrCanceledReport => OadrEndpoint.EiReport,
        OadrCreateOpt or OadrCancelOpt => OadrEndpoint.EiOpt,
        OadrPoll => OadrEndpoint.OadrPoll,
        _ => OadrEndpoint.EiRegisterParty,
    };
}
