using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Vtn;
using FlexCoop.Testing;

namespace FlexCoop.OpenAdr.Engine.Tests.EndToEnd;

/// <summary>What a VTN does with clients that are not who they say, not registered, or not well behaved.</summary>
public sealed class HostileInputTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static OadrCreateOpt Opt(string venId, string optId) => new()
    {
        OptId = optId,
        OptType = OptType.OptOut,
        OptReason = OptReason.Economic,
        VenId = venId,
        Vavailability = new Vavailability { Available = ValueList.Create([new CalendarProperties { DtStart = VtnHarness.Start, Duration = IsoDuration.Parse("PT1H") }]) },
        CreatedDateTime = VtnHarness.Start,
        RequestId = "req-1",
        Target = EiTarget.Empty,
    };

    [Fact]
    public async Task Client_without_certificate_or_from_another_ca_cannot_connect()
    {
        await using var h = await VtnHarness.StartAsync();
        using var anonymous = VtnHarness.RawClient(null);
        using var rogue = VtnHarness.RawClient(TestPki.NewVen(rogue: true));

        await Assert.ThrowsAsync<HttpRequestException>(() => h.PostRawAsync(anonymous, "OadrPoll", "<x/>"));
        await Assert.ThrowsAsync<HttpRequestException>(() => h.PostRawAsync(rogue, "OadrPoll", "<x/>"));
        Assert.Empty(await h.Store.ListVensAsync(Ct));
    }

    [Fact]
    public async Task Unregistered_ven_gets_463_and_nothing_is_stored()
    {
        await using var h = await VtnHarness.StartAsync();
        using var client = VtnHarness.RawClient(TestPki.NewVen());

        var poll = (OadrResponse)await h.SendAsync(client, "OadrPoll", Messages.Poll("whoever"));
        var opt = (OadrResponse)await h.SendAsync(client, "EiOpt", Opt("whoever", "o1"));

        Assert.Equal("463", poll.EiResponse.ResponseCode.Value);
        Assert.Equal("463", opt.EiResponse.ResponseCode.Value);
        Assert.Empty(await h.Store.ListOptsAsync(null, Ct));
        Assert.Empty(await h.Store.ListVensAsync(Ct));
    }

    [Fact]
    public async Task VenId_not_matching_the_certificate_is_refused_and_nothing_is_stored()
    {
        await using var h = await VtnHarness.StartAsync();
        var victim = await h.StartVenAsync("victim");
        var attacker = await h.StartVenAsync("attacker");
        using var client = VtnHarness.RawClient(h.VenCertificate(attacker));

        var opt = (OadrResponse)await h.SendAsync(client, "EiOpt", Opt(victim.VenId!, "o-stolen"));
        var register = (OadrCreatedPartyRegistration)await h.SendAsync(client, "EiRegisterParty", Messages.Register(victim.VenId));

        Assert.Equal("463", opt.EiResponse.ResponseCode.Value);
        Assert.Equal("463", register.EiResponse.ResponseCode.Value);
        Assert.Empty(await h.Store.ListOptsAsync(null, Ct));
        Assert.Equal(victim.RegistrationId, (await h.Store.GetVenAsync(victim.VenId!, Ct))!.RegistrationId);
    }

    [Fact]
    public async Task Cancel_with_a_wrong_registrationId_is_refused_with_452()
    {
        await using var h = await VtnHarness.StartAsync();
        var ven = await h.StartVenAsync("ven");
        using var client = VtnHarness.RawClient(h.VenCertificate(ven));

        var reply = (OadrCanceledPartyRegistration)await h.SendAsync(client, "EiRegisterParty",
            new OadrCancelPartyRegistration { RequestId = "r", RegistrationId = "not-mine", VenId = ven.VenId });

        Assert.Equal("452", reply.EiResponse.ResponseCode.Value);
        Assert.True((await h.Store.GetVenAsync(ven.VenId!, Ct))!.IsRegistered);
    }

    [Theory]
    [InlineData("this is not XML", "454")]
    [InlineData("<oadrPayload xmlns=\"http://openadr.org/oadr-2.0b/2012/07\"><oadrSignedObject><oadrPoll", "454")]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e \"boom\">]><x>&e;</x>", "454")]
    [InlineData("<p:oadrPayload xmlns:p=\"http://openadr.org/oadr-2.0b/2012/07\"><p:oadrSignedObject><p:oadrPoll/></p:oadrSignedObject></p:oadrPayload>", "459")]
    public async Task Unreadable_or_invalid_payload_gets_an_error_code_and_changes_nothing(string xml, string code)
    {
        await using var h = await VtnHarness.StartAsync();
        var ven = await h.StartVenAsync("ven");
        using var client = VtnHarness.RawClient(h.VenCertificate(ven));
        var before = await h.Store.ListOutboundAsync(ven.VenId!, Ct);

        var (status, body) = await h.PostRawAsync(client, "OadrPoll", xml);

        Assert.Equal(200, status);
        var reply = (OadrResponse)Codec.OadrCodec.ParseMessage(Encoding.UTF8.GetBytes(body));
        Assert.Equal(code, reply.EiResponse.ResponseCode.Value);
        Assert.Equal(before, await h.Store.ListOutboundAsync(ven.VenId!, Ct));
    }

    [Fact]
    public async Task Schema_invalid_payload_is_refused_with_459_when_schemas_are_configured()
    {
        var schemas = TestEnvironment.RequireShared("schemas/openadr20b");
        await using var h = await VtnHarness.StartAsync(o => o with { SchemaDirectory = schemas });
        var ven = await h.StartVenAsync("ven");
        using var client = VtnHarness.RawClient(h.VenCertificate(ven));
        var valid = Codec.OadrCodec.SerializeToString(Messages.Poll(ven.VenId!));
        var invalid = valid.Replace("</ei:venID>", "</ei:venID><ei:venID>second</ei:venID>", StringComparison.Ordinal);
        Assert.NotEqual(valid, invalid);

        var (_, ok) = await h.PostRawAsync(client, "OadrPoll", valid);
        var (_, refused) = await h.PostRawAsync(client, "OadrPoll", invalid);

        Assert.False(Codec.OadrCodec.ParseMessage(Encoding.UTF8.GetBytes(ok)) is OadrResponse { EiResponse.ResponseCode.IsSuccess: false });
        Assert.Equal("459", ((OadrResponse)Codec.OadrCodec.ParseMessage(Encoding.UTF8.GetBytes(refused))).EiResponse.ResponseCode.Value);
    }

    [Fact]
    public async Task Oversized_body_is_refused_with_413_and_wrong_content_type_with_415()
    {
        await using var h = await VtnHarness.StartAsync(o => o with { MaxRequestBodyBytes = 4096 });
        var ven = await h.StartVenAsync("ven");
        using var client = VtnHarness.RawClient(h.VenCertificate(ven));

        var (big, _) = await h.PostRawAsync(client, "OadrPoll", "<x>" + new string('a', 64 * 1024) + "</x>", expectContinue: true);
        var (json, _) = await h.PostRawAsync(client, "OadrPoll", "{}", "application/json");
        var (missing, _) = await h.PostRawAsync(client, "NoSuchService", "<x/>");

        Assert.Equal(413, big);
        Assert.Equal(415, json);
        Assert.Equal(404, missing);
    }

    [Fact]
    public async Task Slow_client_is_disconnected_by_the_header_timeout()
    {
        await using var h = await VtnHarness.StartAsync(o => o with { RequestHeadersTimeout = TimeSpan.FromSeconds(1) });
        var certificate = TestPki.NewVen();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(h.Server.Url.Host, h.Server.Url.Port, Ct);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ClientCertificates = [certificate],
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        }, Ct);
        await tls.WriteAsync(Encoding.ASCII.GetBytes("POST /OpenADR2/Simple/2.0b/OadrPoll HTTP/1.1\r\nHost: x\r\n"), Ct);

        // The server gives up on the unfinished headers and closes (or answers 408 and closes).
        var buffer = new byte[4096];
        var total = 0;
        int read;
        while ((read = await tls.ReadAsync(buffer.AsMemory(total), Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(20), Ct)) > 0)
        {
            total += read;
        }
        var text = Encoding.ASCII.GetString(buffer, 0, total);
        Assert.True(total == 0 || text.StartsWith("HTTP/1.1 408", StringComparison.Ordinal), text);
    }

    [Theory]
    [InlineData("ecc.vtn.test", TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256)]
    [InlineData("rsa.vtn.test", TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256)]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Vtn_negotiates_the_rule_67_suite_of_the_certificate_chosen_by_sni(string serverName, TlsCipherSuite expected)
    {
        await using var h = await VtnHarness.StartAsync();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(h.Server.Url.Host, h.Server.Url.Port, Ct);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = serverName,
            ClientCertificates = [TestPki.NewVen()],
            EnabledSslProtocols = SslProtocols.Tls12,
            CipherSuitesPolicy = new CipherSuitesPolicy(VtnOptions.Rule67CipherSuites), // a VEN offering both (rule 67)
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        }, Ct);

        Assert.Equal(SslProtocols.Tls12, tls.SslProtocol);
        Assert.Equal(expected, tls.NegotiatedCipherSuite);
    }

    [Fact]
    public async Task Client_offering_only_tls13_is_refused()
    {
        await using var h = await VtnHarness.StartAsync();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(h.Server.Url.Host, h.Server.Url.Port, Ct);
        await using var tls = new SslStream(tcp.GetStream());
        await Assert.ThrowsAnyAsync<Exception>(() => tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ClientCertificates = [TestPki.NewVen()],
            EnabledSslProtocols = SslProtocols.Tls13,
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        }, Ct));
    }
}
