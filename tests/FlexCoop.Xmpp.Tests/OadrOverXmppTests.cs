using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;
using FlexCoop.Testing;

namespace FlexCoop.Xmpp.Tests;

public sealed class OadrOverXmppTests
{
    [Fact]
    public async Task OadrPayload_in_an_iq_set_reaches_the_peer_and_its_answer_comes_back_in_the_result()
    {
        var sample = TestEnvironment.RequireShared("vectors/openadr20b/alliance-spec-samples/Sample_oadrCreatePartyRegistration_xmpp.xml");
        var prosody = Prosody.Require();
        var request = Assert.IsType<OadrCreatePartyRegistration>(OadrCodec.ParseMessage(await File.ReadAllBytesAsync(sample, TestContext.Current.CancellationToken)));
        await using var ven = await prosody.ConnectAsync(1, "oadr-ven");
        await using var vtn = await prosody.ConnectAsync(2, "oadr-vtn");
        OadrCreatePartyRegistration? received = null;
        vtn.SetIqHandler(OadrXmppPayload.Name, (iq, _) =>
        {
            received = Assert.IsType<OadrCreatePartyRegistration>(OadrXmppPayload.FromStanza(iq));
            // Echo the registration back; a VTN engine would answer with oadrCreatedPartyRegistration.
            return ValueTask.FromResult<System.Xml.Linq.XElement?>(OadrXmppPayload.ToXElement(received with { VenName = "seen by vtn" }));
        });
        var result = await ven.SendIqAsync(new Iq(IqType.Set) { To = vtn.Jid, Payload = [OadrXmppPayload.ToXElement(request)] },
            cancellationToken: TestContext.Current.CancellationToken);
        Assert.NotNull(received);
        Assert.Equal(request.RequestId, received.RequestId);
        Assert.Equal(OadrTransportName.Xmpp, received.TransportName);
        Assert.Equal(request.TransportAddress, received.TransportAddress);
        var answer = Assert.IsType<OadrCreatePartyRegistration>(OadrXmppPayload.FromStanza(result));
        Assert.Equal("seen by vtn", answer.VenName);
        Assert.Equal(request.RequestId, answer.RequestId);
    }
}
