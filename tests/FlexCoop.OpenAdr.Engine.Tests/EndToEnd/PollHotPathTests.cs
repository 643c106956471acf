using System.Text;
using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Vtn.Internal;
using FlexCoop.OpenAdr.Vtn.Storage;

namespace FlexCoop.OpenAdr.Engine.Tests.EndToEnd;

/// <summary>
/// The cheap poll path: a poll whose bytes this certificate had accepted before skips re-parsing,
/// an empty poll is answered from a template. Neither may change what the VTN answers.
/// </summary>
public sealed class PollHotPathTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly OadrSerializerOptions Compact = OadrSerializerOptions.Default with { Indent = false };

    private static async Task<(string VenId, HttpClient Client)> RegisterAndDrainAsync(VtnHarness h)
    {
        var client = VtnHarness.RawClient(TestPki.NewVen());
        var created = (OadrCreatedPartyRegistration)await h.SendAsync(client, "EiRegisterParty", Messages.Register());
        var venId = created.VenId!;
        while (await h.SendAsync(client, "OadrPoll", Messages.Poll(venId)) is not OadrResponse)
        {
        }
        return (venId, client);
    }

    private static string PollXml(string venId) => OadrCodec.SerializeToString(Messages.Poll(venId), Compact);

    [Fact]
    public async Task Repeated_identical_poll_gets_the_same_empty_answer_and_then_a_new_event()
    {
        await using var h = await VtnHarness.StartAsync();
        var (venId, client) = await RegisterAndDrainAsync(h);
        using var _ = client;
        var poll = PollXml(venId);

        var first = await h.PostRawAsync(client, "OadrPoll", poll);
        var second = await h.PostRawAsync(client, "OadrPoll", poll);
        await h.Vtn.CreateEventAsync(Events.Simple(VtnHarness.Start.AddHours(2), "evt-hot"), Ct);
        var third = await h.PostRawAsync(client, "OadrPoll", poll);

        Assert.Equal(200, first.Status);
        Assert.Equal(first.Body, second.Body);
        var empty = Assert.IsType<OadrResponse>(OadrCodec.ParseMessage(Encoding.UTF8.GetBytes(second.Body)));
        Assert.Equal("200", empty.EiResponse.ResponseCode.Value);
        Assert.Equal(venId, empty.VenId);
        var distribute = Assert.IsType<OadrDistributeEvent>(OadrCodec.ParseMessage(Encoding.UTF8.GetBytes(third.Body)));
        Assert.Equal("evt-hot", Assert.Single(distribute.Events).EiEvent.EventDescriptor.EventId);
    }

    [Fact]
    public async Task Identical_poll_bytes_after_the_ven_cancelled_its_registration_get_463()
    {
        await using var h = await VtnHarness.StartAsync();
        var (venId, client) = await RegisterAndDrainAsync(h);
        using var _ = client;
        var poll = PollXml(venId);
        Assert.Equal(200, (await h.PostRawAsync(client, "OadrPoll", poll)).Status);
        var registrationId = h.Vtn.FindVen(venId)!.RegistrationId!;

        var canceled = await h.SendAsync(client, "EiRegisterParty", new OadrCancelPartyRegistration { RequestId = "c1", RegistrationId = registrationId, VenId = venId });
        var after = OadrCodec.ParseMessage(Encoding.UTF8.GetBytes((await h.PostRawAsync(client, "OadrPoll", poll)).Body));

        Assert.IsType<OadrCanceledPartyRegistration>(canceled);
        Assert.Equal("463", Assert.IsType<OadrResponse>(after).EiResponse.ResponseCode.Value);
    }

    [Fact]
    public async Task Changed_poll_bytes_from_a_known_certificate_are_checked_again()
    {
        await using var h = await VtnHarness.StartAsync();
        var (venId, client) = await RegisterAndDrainAsync(h);
        using var _ = client;
        var (otherId, other) = await RegisterAndDrainAsync(h);
        using var __ = other;
        var poll = PollXml(venId);
        Assert.Equal(200, (await h.PostRawAsync(client, "OadrPoll", poll)).Status);

        // Another VEN's venID with this certificate, then a payload that is not well-formed.
        var stolen = (OadrResponse)OadrCodec.ParseMessage(Encoding.UTF8.GetBytes((await h.PostRawAsync(client, "OadrPoll", PollXml(otherId))).Body));
        var broken = await h.PostRawAsync(client, "OadrPoll", poll[..^7]);
        var again = (OadrResponse)OadrCodec.ParseMessage(Encoding.UTF8.GetBytes((await h.PostRawAsync(client, "OadrPoll", poll)).Body));

        Assert.Equal("463", stolen.EiResponse.ResponseCode.Value);
        Assert.NotEqual("200", ((OadrResponse)OadrCodec.ParseMessage(Encoding.UTF8.GetBytes(broken.Body))).EiResponse.ResponseCode.Value);
        Assert.Equal("200", again.EiResponse.ResponseCode.Value);
        Assert.Equal(venId, again.VenId);
    }

    [Theory]
    [InlineData("AB:CD:EF:01:23:45:67:89:AB:CD")]
    [InlineData("ven-7f3a")]
    [InlineData("xmpp:ven1@localhost")]
    [InlineData("a&b<c>\"'")]
    [InlineData("vén-ünïcode")]
    [InlineData("with space")]
    public void Empty_poll_template_writes_exactly_what_the_serializer_writes(string venId)
    {
        var template = new EmptyPollResponse(Compact);

        var spliced = template.For(venId);

        Assert.Equal(OadrCodec.SerializeToUtf8Bytes(EmptyPollResponse.Message(venId), Compact), spliced);
        Assert.Equal(venId, ((OadrResponse)OadrCodec.ParseMessage(spliced)).VenId);
    }

    [Fact]
    public void Poll_memo_recognises_only_the_same_bytes_from_the_same_certificate()
    {
        var vens = new VenDirectory();
        vens.Remember(Record("AA:BB", "AA:BB"));
        vens.Remember(Record("ven-b", "CC:DD"));
        var poll = Encoding.UTF8.GetBytes(PollXml("AA:BB"));
        vens.RememberPoll("AA:BB", poll, "AA:BB");

        Assert.Equal("AA:BB", vens.RecognisePoll("AA:BB", poll)?.VenId);
        Assert.Null(vens.RecognisePoll("CC:DD", poll));
        Assert.Null(vens.RecognisePoll("AA:BB", Encoding.UTF8.GetBytes(PollXml("ven-b"))));
        vens.ForgetPoll("AA:BB");
        Assert.Null(vens.RecognisePoll("AA:BB", poll));
    }

    [Fact]
    public void Poll_memo_is_not_kept_for_a_venid_that_is_not_the_certificates_ven()
    {
        var vens = new VenDirectory();
        vens.Remember(Record("ven-a", "AA:BB"));
        var poll = Encoding.UTF8.GetBytes(PollXml("ven-x"));

        vens.RememberPoll("AA:BB", poll, "ven-x");

        Assert.Null(vens.RecognisePoll("AA:BB", poll));
    }

    [Fact]
    public void Poll_memo_ends_with_the_registration_and_with_a_new_certificate()
    {
        var vens = new VenDirectory();
        vens.Remember(Record("ven-a", "AA:BB"));
        var poll = Encoding.UTF8.GetBytes(PollXml("ven-a"));
        vens.RememberPoll("AA:BB", poll, "ven-a");

        vens.Remember(Record("ven-a", "AA:BB") with { RegistrationId = null });
        Assert.Null(vens.RecognisePoll("AA:BB", poll));
        vens.Remember(Record("ven-a", "EE:FF"));
        Assert.Null(vens.RecognisePoll("AA:BB", poll));
        Assert.Null(vens.RecognisePoll("EE:FF", poll));
    }

    internal static VenRecord Record(string venId, string fingerprint) => new()
    {
        VenId = venId,
        Fingerprint = fingerprint,
        RegistrationId = "reg-" + venId,
    };
}
