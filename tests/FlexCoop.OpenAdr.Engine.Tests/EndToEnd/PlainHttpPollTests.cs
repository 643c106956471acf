using System.Text;
using CsCheck;
using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Vtn.Internal;

namespace FlexCoop.OpenAdr.Engine.Tests.EndToEnd;

/// <summary>
/// The cheap poll path on plain HTTP (<c>InsecureHttp</c>): a VEN without a certificate is known by
/// the venID it sends, so its memo is found through that venID, and only a body byte-for-byte equal
/// to one that VEN had accepted skips re-parsing. It must never change what the VTN answers.
/// </summary>
public sealed class PlainHttpPollTests
{
    private static readonly OadrSerializerOptions Compact = OadrSerializerOptions.Default with { Indent = false };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<VtnHarness> StartPlainAsync() =>
        VtnHarness.StartAsync(o => o with { InsecureHttp = true, Urls = ["http://127.0.0.1:0"] });

    private static async Task<string> RegisterAndDrainAsync(VtnHarness h, HttpClient client)
    {
        var created = Assert.IsType<OadrCreatedPartyRegistration>(await h.SendAsync(client, "EiRegisterParty", Messages.Register()));
        Assert.Equal("200", created.EiResponse.ResponseCode.Value);
        var venId = created.VenId!;
        while (await h.SendAsync(client, "OadrPoll", Messages.Poll(venId)) is not OadrResponse)
        {
        }
        return venId;
    }

    private static string PollXml(string venId) => OadrCodec.SerializeToString(Messages.Poll(venId), Compact);

    private static byte[] PollBytes(string venId) => Encoding.UTF8.GetBytes(PollXml(venId));

    private static OadrResponse ParseResponse(string body) => Assert.IsType<OadrResponse>(OadrCodec.ParseMessage(Encoding.UTF8.GetBytes(body)));

    [Fact]
    public async Task Plain_http_repeated_poll_gets_the_same_empty_answer_and_then_a_new_event()
    {
        await using var h = await StartPlainAsync();
        Assert.Equal("http", h.Server.Url.Scheme);
        using var client = VtnHarness.RawClient(null);
        var venId = await RegisterAndDrainAsync(h, client);
        var poll = PollXml(venId);

        var first = await h.PostRawAsync(client, "OadrPoll", poll);
        var second = await h.PostRawAsync(client, "OadrPoll", poll);
        await h.Vtn.CreateEventAsync(Events.Simple(VtnHarness.Start.AddHours(2), "evt-plain"), Ct);
        var third = await h.PostRawAsync(client, "OadrPoll", poll);
        var fourth = await h.PostRawAsync(client, "OadrPoll", poll);

        Assert.Equal(200, first.Status);
        Assert.Equal(first.Body, second.Body);
        var empty = ParseResponse(second.Body);
        Assert.Equal("200", empty.EiResponse.ResponseCode.Value);
        Assert.Equal(venId, empty.VenId);
        var distribute = Assert.IsType<OadrDistributeEvent>(OadrCodec.ParseMessage(Encoding.UTF8.GetBytes(third.Body)));
        Assert.Equal("evt-plain", Assert.Single(distribute.Events).EiEvent.EventDescriptor.EventId);
        Assert.Equal(first.Body, fourth.Body);
    }

    [Fact]
    public async Task Plain_http_identical_poll_bytes_after_the_ven_cancelled_its_registration_get_463()
    {
        await using var h = await StartPlainAsync();
        using var client = VtnHarness.RawClient(null);
        var venId = await RegisterAndDrainAsync(h, client);
        var poll = PollXml(venId);
        Assert.Equal(200, (await h.PostRawAsync(client, "OadrPoll", poll)).Status);
        Assert.Equal(200, (await h.PostRawAsync(client, "OadrPoll", poll)).Status);
        var registrationId = h.Vtn.FindVen(venId)!.RegistrationId!;

        var canceled = await h.SendAsync(client, "EiRegisterParty", new OadrCancelPartyRegistration { RequestId = "c1", RegistrationId = registrationId, VenId = venId });
        var after = ParseResponse((await h.PostRawAsync(client, "OadrPoll", poll)).Body);

        Assert.IsType<OadrCanceledPartyRegistration>(canceled);
        Assert.Equal("463", after.EiResponse.ResponseCode.Value);
    }

    [Fact]
    public async Task Plain_http_poll_in_a_known_shape_naming_an_unknown_venid_gets_463_and_a_second_ven_its_own_answer()
    {
        await using var h = await StartPlainAsync();
        using var client = VtnHarness.RawClient(null);
        using var otherClient = VtnHarness.RawClient(null);
        var venId = await RegisterAndDrainAsync(h, client);
        var otherId = await RegisterAndDrainAsync(h, otherClient);
        Assert.Equal(200, (await h.PostRawAsync(client, "OadrPoll", PollXml(venId))).Status);

        var unknown = ParseResponse((await h.PostRawAsync(client, "OadrPoll", PollXml("no-such-ven"))).Body);
        var other = ParseResponse((await h.PostRawAsync(otherClient, "OadrPoll", PollXml(otherId))).Body);
        var otherAgain = ParseResponse((await h.PostRawAsync(otherClient, "OadrPoll", PollXml(otherId))).Body);
        var broken = ParseResponse((await h.PostRawAsync(client, "OadrPoll", PollXml(venId)[..^7])).Body);
        var again = ParseResponse((await h.PostRawAsync(client, "OadrPoll", PollXml(venId))).Body);

        Assert.Equal("463", unknown.EiResponse.ResponseCode.Value);
        Assert.Equal(("200", otherId), (other.EiResponse.ResponseCode.Value, other.VenId));
        Assert.Equal(("200", otherId), (otherAgain.EiResponse.ResponseCode.Value, otherAgain.VenId));
        Assert.NotEqual("200", broken.EiResponse.ResponseCode.Value);
        Assert.Equal(("200", venId), (again.EiResponse.ResponseCode.Value, again.VenId));
    }

    [Fact]
    public void Anonymous_poll_memo_recognises_only_bytes_that_ven_had_accepted()
    {
        var vens = new VenDirectory();
        vens.Remember(PollHotPathTests.Record("ven-a", ""));
        vens.Remember(PollHotPathTests.Record("ven-b", ""));
        vens.RememberAnonymousPoll(PollBytes("ven-a"), "ven-a");

        Assert.Equal("ven-a", vens.RecogniseAnonymousPoll(PollBytes("ven-a"))?.VenId);
        // Same shape, another VEN that never had this poll accepted: the full path decides.
        Assert.Null(vens.RecogniseAnonymousPoll(PollBytes("ven-b")));
        Assert.Null(vens.RecogniseAnonymousPoll(PollBytes("ven-z")));
        Assert.Null(vens.RecogniseAnonymousPoll(Encoding.UTF8.GetBytes(OadrCodec.SerializeToString(Messages.Poll("ven-a")))));

        vens.RememberAnonymousPoll(PollBytes("ven-b"), "ven-b");
        Assert.Equal("ven-b", vens.RecogniseAnonymousPoll(PollBytes("ven-b"))?.VenId);
        Assert.Equal(1, vens.SharedPollShapes);

        vens.Remember(PollHotPathTests.Record("ven-a", "") with { RegistrationId = null });
        Assert.Null(vens.RecogniseAnonymousPoll(PollBytes("ven-a")));
    }

    [Fact]
    public void Anonymous_poll_memo_never_recognises_a_ven_bound_to_a_certificate()
    {
        var vens = new VenDirectory();
        vens.Remember(PollHotPathTests.Record("ven-a", ""));
        vens.Remember(PollHotPathTests.Record("ven-c", "AA:BB"));
        vens.RememberAnonymousPoll(PollBytes("ven-a"), "ven-a");

        // Neither an anonymous memo for it nor its certificate's memo lets an anonymous poll through.
        vens.RememberAnonymousPoll(PollBytes("ven-c"), "ven-c");
        Assert.Null(vens.RecogniseAnonymousPoll(PollBytes("ven-c")));
        vens.RememberPoll("AA:BB", PollBytes("ven-c"), "ven-c");
        Assert.Equal("ven-c", vens.RecognisePoll("AA:BB", PollBytes("ven-c"))?.VenId);
        Assert.Null(vens.RecogniseAnonymousPoll(PollBytes("ven-c")));
        // A VEN without a certificate is not reached through the certificate memo either.
        Assert.Null(vens.RecognisePoll("ven-a", PollBytes("ven-a")));
    }

    [Fact]
    public void Anonymous_poll_memo_refuses_oversized_and_non_ascii_venids_in_a_known_shape()
    {
        var vens = new VenDirectory();
        vens.Remember(PollHotPathTests.Record("ven-a", ""));
        var poll = PollBytes("ven-a");
        vens.RememberAnonymousPoll(poll, "ven-a");
        var at = poll.AsSpan().IndexOf("ven-a"u8);
        byte[] With(ReadOnlySpan<byte> id) => [.. poll.AsSpan(0, at), .. id, .. poll.AsSpan(at + 5)];

        Assert.Null(vens.RecogniseAnonymousPoll(With(Encoding.ASCII.GetBytes(new string('a', 300)))));
        Assert.Null(vens.RecogniseAnonymousPoll(With("v\u00e9n-a"u8)));
        Assert.Null(vens.RecogniseAnonymousPoll(With([0xff, 0xfe])));
        Assert.Null(vens.RecogniseAnonymousPoll(With([])));
        Assert.Null(vens.RecogniseAnonymousPoll(poll.AsSpan(0, poll.Length - 1)));
        Assert.Null(vens.RecogniseAnonymousPoll([]));
    }

    [Fact]
    public void Anonymous_poll_memo_tries_a_bounded_number_of_shapes()
    {
        var vens = new VenDirectory();
        var count = VenDirectory.MaxAnonymousShapes + 3;
        for (var i = 0; i < count; i++)
        {
            var venId = $"ven-{i}";
            vens.Remember(PollHotPathTests.Record(venId, ""));
            // Each VEN's implementation writes its poll differently (another comment before the element).
            vens.RememberAnonymousPoll(Encoding.UTF8.GetBytes($"<!-- impl {i} -->" + PollXml(venId)), venId);
        }

        var recognised = Enumerable.Range(0, count).Count(i => vens.RecogniseAnonymousPoll(Encoding.UTF8.GetBytes($"<!-- impl {i} -->" + PollXml($"ven-{i}")))?.VenId == $"ven-{i}");

        Assert.Equal(VenDirectory.MaxAnonymousShapes, recognised);
    }

    [Fact]
    public void Anonymous_poll_memo_recognises_exactly_the_remembered_venid_for_any_printable_venids()
    {
        // "ven-" keeps the venID from occurring elsewhere in the body (a venID that does is kept whole, unshared).
        var id = Gen.String[Gen.Char['!', '~'], 0, 40].Where(s => s.AsSpan().IndexOfAny("<>&\"'") < 0).Select(s => "ven-" + s);
        Gen.Select(id, id).Sample((venId, other) =>
        {
            var vens = new VenDirectory();
            vens.Remember(PollHotPathTests.Record(venId, ""));
            vens.RememberAnonymousPoll(PollBytes(venId), venId);

            Assert.Equal(venId, vens.RecogniseAnonymousPoll(PollBytes(venId))?.VenId);
            if (other != venId) Assert.Null(vens.RecogniseAnonymousPoll(PollBytes(other)));
        });
    }
}
