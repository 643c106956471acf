using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Security;
using FlexCoop.OpenAdr.Ven;
using FlexCoop.OpenAdr.Vtn;

namespace FlexCoop.OpenAdr.Engine.Tests.EndToEnd;

/// <summary>
/// High security (issue 3): the VTN and the VEN sign every payload and verify every payload they
/// receive; what fails verification is answered 463 and never acted on, in both directions.
/// </summary>
public sealed class HighSecurityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static VtnOptions High(VtnOptions options) => options with { Security = OadrSecurityLevel.High };

    private static VenOptions HighVen(VtnHarness h, string name) => h.VenOptions(name) with { Security = OadrSecurityLevel.High };

    private static byte[] Sign(VtnHarness h, X509Certificate2 signer, OadrMessage message) =>
        new OadrSigner(signer, h.Clock).Sign(OadrCodec.SerializeToUtf8Bytes(message));

    private static OadrCreateOpt Opt(string venId, string optId) => new()
    {
        OptId = optId,
        OptType = OptType.OptOut,
        OptReason = OptReason.Economic,
        VenId = venId,
        Vavailability = new Vavailability { Available = ValueList.Create([new CalendarProperties { DtStart = VtnHarness.Start, Duration = IsoDuration.Parse("PT1H") }]) },
        CreatedDateTime = VtnHarness.Start,
        RequestId = "req-" + optId,
        Target = EiTarget.Empty,
    };

    private static async Task<(string Code, OadrSignatureVerification Signature)> PostAsync(VtnHarness h, HttpClient client, Uri url, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
        using var response = await client.PostAsync(url, content, Ct);
        Assert.Equal(200, (int)response.StatusCode);
        var reply = await response.Content.ReadAsByteArrayAsync(Ct);
        var code = OadrCodec.ParseMessage(reply) switch
        {
            OadrResponse r => r.EiResponse.ResponseCode.Value,
            OadrCreatedOpt r => r.EiResponse.ResponseCode.Value,
            OadrCanceledPartyRegistration r => r.EiResponse.ResponseCode.Value,
            var other => other.ElementName,
        };
        var signature = OadrSignatureVerifier.Verify(reply, new OadrVerifyOptions { TrustedCertificates = [TestPki.CaPublic], TimeProvider = h.Clock });
        return (code, signature);
    }

    [Fact]
    public async Task Pull_ven_at_high_security_registers_gets_an_event_opts_and_reports_end_to_end()
    {
        await using var h = await VtnHarness.StartAsync(High);
        var refusals = 0;
        h.Vtn.Activity += (_, e) =>
        {
            if (e.Activity.Kind == VtnActivityKind.Refused) Interlocked.Increment(ref refusals);
        };
        var ven = await h.StartVenAsync(HighVen(h, "secure-ven") with { ReportProviders = [new UsageProvider()] });
        Assert.True((await h.Store.GetVenAsync(ven.VenId!, Ct))!.IsRegistered);

        var created = await h.Vtn.CreateEventAsync(Events.Simple(VtnHarness.Start.AddMinutes(5)), Ct);
        await ven.PollNowAsync(Ct);
        Assert.Equal([created.EventId], ven.Events.Select(e => e.EventId));
        Assert.Equal("optIn", Assert.Single(await h.Store.GetEventResponsesAsync(created.EventId, Ct)).OptType);

        var optId = await ven.CreateOptScheduleAsync(OptType.OptOut, OptReason.Economic,
            [new VenAvailability(VtnHarness.Start.AddHours(2), TimeSpan.FromHours(1))], VtnHarness.Program, cancellationToken: Ct);
        Assert.NotNull(await h.Store.GetOptAsync(ven.VenId!, optId, Ct));

        var updated = h.NextActivity(a => a.Kind == VtnActivityKind.ReportUpdated);
        var request = await h.Vtn.RequestReportAsync(ven.VenId!, "RS_USAGE", cancellationToken: Ct);
        await ven.PollNowAsync(Ct);
        await updated;
        Assert.Equal(4.5, Assert.Single(await h.Store.GetReadingsAsync(ven.VenId!, request.ReportRequestId, 10, Ct)).Value);
        Assert.Equal(0, Volatile.Read(ref refusals));
    }

    [Fact]
    public async Task Push_ven_at_high_security_gets_the_event_and_its_signed_answer_is_stored()
    {
        await using var h = await VtnHarness.StartAsync(High);
        var ven = await h.StartVenAsync(HighVen(h, "secure-push") with { PushListenUrl = "https://127.0.0.1:0" });

        var responded = h.NextActivity(a => a.Kind == VtnActivityKind.EventResponse);
        var created = await h.Vtn.CreateEventAsync(Events.Simple(VtnHarness.Start.AddHours(1)), Ct);
        await responded;

        Assert.Equal([created.EventId], ven.Events.Select(e => e.EventId));
        Assert.Equal("optIn", Assert.Single(await h.Store.GetEventResponsesAsync(created.EventId, Ct)).OptType);
    }

    [Fact]
    public async Task Vtn_refuses_unsigned_tampered_wrongly_signed_and_replayed_payloads_with_463_and_stores_nothing_of_them()
    {
        await using var h = await VtnHarness.StartAsync(High);
        var ven = await h.StartVenAsync(HighVen(h, "ven"));
        var other = await h.StartVenAsync(HighVen(h, "other"));
        var me = h.VenCertificate(ven);
        using var client = VtnHarness.RawClient(me);
        var url = new Uri(h.Server.Url, "/OpenADR2/Simple/2.0b/EiOpt");

        var unsigned = await PostAsync(h, client, url, OadrCodec.SerializeToUtf8Bytes(Opt(ven.VenId!, "o-unsigned")));
        var tamperedBytes = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Sign(h, me, Opt(ven.VenId!, "o-signed"))).Replace("o-signed", "o-tamper", StringComparison.Ordinal));
        var tampered = await PostAsync(h, client, url, tamperedBytes);
        var byOtherVen = await PostAsync(h, client, url, Sign(h, h.VenCertificate(other), Opt(ven.VenId!, "o-other")));
        var byRogue = await PostAsync(h, client, url, Sign(h, TestPki.NewVen(rogue: true), Opt(ven.VenId!, "o-rogue")));
        var good = Sign(h, me, Opt(ven.VenId!, "o-good"));
        var accepted = await PostAsync(h, client, url, good);
        var replayed = await PostAsync(h, client, url, good);

        Assert.Equal(["463", "463", "463", "463", "200", "463"], new[] { unsigned, tampered, byOtherVen, byRogue, accepted, replayed }.Select(r => r.Code));
        Assert.All(new[] { unsigned, tampered, byOtherVen, byRogue, accepted, replayed }, r => Assert.True(r.Signature.IsValid, r.Signature.Message));
        Assert.Equal("o-good", Assert.Single(await h.Store.ListOptsAsync(ven.VenId, Ct)).OptId);
    }

    [Fact]
    public async Task Vtn_refuses_a_payload_signed_outside_the_replay_window()
    {
        await using var h = await VtnHarness.StartAsync(High);
        var ven = await h.StartVenAsync(HighVen(h, "ven"));
        using var client = VtnHarness.RawClient(h.VenCertificate(ven));
        var old = Sign(h, h.VenCertificate(ven), Opt(ven.VenId!, "o-old"));
        h.Clock.Advance(TimeSpan.FromMinutes(6)); // beyond the default ±5 min window

        var reply = await PostAsync(h, client, new Uri(h.Server.Url, "/OpenADR2/Simple/2.0b/EiOpt"), old);

        Assert.Equal("463", reply.Code);
        Assert.Empty(await h.Store.ListOptsAsync(ven.VenId, Ct));
    }

    [Fact]
    public async Task Ven_refuses_unsigned_tampered_wrongly_signed_and_replayed_pushes_with_463_and_does_not_act()
    {
        await using var h = await VtnHarness.StartAsync(High);
        var ven = await h.StartVenAsync(HighVen(h, "push-ven") with { PushListenUrl = "https://127.0.0.1:0" });
        var registrationId = ven.RegistrationId!;
        using var asVtn = VtnHarness.RawClient(TestPki.VtnEcc);
        var url = new Uri(ven.PushUrl!, "/OpenADR2/Simple/2.0b/EiRegisterParty");
        OadrCancelPartyRegistration Cancel(string registration) => new() { RequestId = "r-" + registration, RegistrationId = registration, VenId = ven.VenId };

        var unsigned = await PostAsync(h, asVtn, url, OadrCodec.SerializeToUtf8Bytes(Cancel(registrationId)));
        var tamperedBytes = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Sign(h, TestPki.VtnEcc, Cancel("not-this-one"))).Replace("not-this-one", registrationId, StringComparison.Ordinal));
        var tampered = await PostAsync(h, asVtn, url, tamperedBytes);
        var byRogue = await PostAsync(h, asVtn, url, Sign(h, TestPki.NewVen(rogue: true), Cancel(registrationId)));
        var byAnotherCertificate = await PostAsync(h, asVtn, url, Sign(h, TestPki.VtnRsa, Cancel(registrationId))); // trusted, but not who connected
        var harmless = Sign(h, TestPki.VtnEcc, Cancel("not-mine"));
        var answered = await PostAsync(h, asVtn, url, harmless);
        var replayed = await PostAsync(h, asVtn, url, harmless);

        Assert.Equal(["463", "463", "463", "463", "452", "463"], new[] { unsigned, tampered, byRogue, byAnotherCertificate, answered, replayed }.Select(r => r.Code));
        Assert.All(new[] { unsigned, tampered, byRogue, byAnotherCertificate, answered, replayed }, r => Assert.True(r.Signature.IsValid, r.Signature.Message));
        Assert.Equal(registrationId, ven.RegistrationId);

        // The same cancellation correctly signed is acted on: the refusals were the signatures' doing.
        var real = await PostAsync(h, asVtn, url, Sign(h, TestPki.VtnEcc, Cancel(registrationId)));
        Assert.Equal("200", real.Code);
        Assert.Null(ven.RegistrationId);
    }

    [Fact]
    public async Task Standard_ven_against_a_high_security_vtn_is_refused_with_463_naming_the_missing_signature()
    {
        await using var h = await VtnHarness.StartAsync(High);

        var refused = await Assert.ThrowsAsync<VenRefusedException>(() => h.StartVenAsync("standard-ven"));

        Assert.Equal("463", refused.ResponseCode);
        Assert.Contains("NoSignature", refused.Description, StringComparison.Ordinal);
        Assert.Empty(await h.Store.ListVensAsync(Ct));
    }

    [Fact]
    public async Task High_security_ven_against_a_standard_vtn_fails_with_a_signature_exception()
    {
        await using var h = await VtnHarness.StartAsync();

        var failed = await Assert.ThrowsAsync<VenSignatureException>(() => h.StartVenAsync(HighVen(h, "secure-ven")));

        Assert.Equal(OadrSignatureStatus.NoSignature, failed.Status);
        Assert.Empty(await h.Store.ListVensAsync(Ct));
    }
}
