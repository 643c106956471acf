using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Security;
using FlexCoop.OpenAdr.Ven;
using FlexCoop.OpenAdr.Vtn;
using FlexCoop.OpenAdr.Vtn.Storage;

namespace FlexCoop.Xmpp.Tests;

/// <summary>
/// High security (signed payloads) over XMPP through the real Prosody. Prosody re-serialises every
/// stanza with its own namespace prefixes and drops unused declarations, which Canonical XML 1.0
/// covers: the receiver restores the conventional-prefix form the signer signed
/// (<see cref="OadrConventionalPrefixes"/>) before verifying. Untampered payloads verify both ways,
/// a payload altered after signing is refused with 463 and leaves nothing stored, and HTTP keeps
/// verifying the bytes as received.
/// </summary>
public sealed class OadrHighSecurityOverXmppTests
{
    private const string Program = "http://flexcoop.example/programs/xmpp-high";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly OadrSerializerOptions Compact = OadrSerializerOptions.Default with { Indent = false };

    // A signing certificate from the Prosody test CA (its key lies beside the CA certificate, as prosody.sh leaves it).
    private static X509Certificate2 Issue(Prosody prosody, string name)
    {
        var caPath = prosody.Value("FLEXCOOP_TEST_XMPP_CA");
        using var ca = X509Certificate2.CreateFromPemFile(caPath, Path.Combine(Path.GetDirectoryName(caPath)!, "ca.key"));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        using var caKey = ca.GetRSAPrivateKey()!;
        using var issued = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForRSA(caKey, RSASignaturePadding.Pkcs1),
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), RandomNumberGenerator.GetBytes(12));
        return issued.CopyWithPrivateKey(key);
    }

    private static X509Certificate2 VenCertificate(Prosody prosody) =>
        X509Certificate2.CreateFromPemFile(prosody.Value("FLEXCOOP_TEST_XMPP_EXTERNAL_CERT"), prosody.Value("FLEXCOOP_TEST_XMPP_EXTERNAL_KEY"));

    private static OadrVerifyOptions TrustingProsodyCa(Prosody prosody) => new() { TrustedCertificates = [.. prosody.TrustedCa] };

    private static async Task<(string Dir, SqliteVtnStore Store, VtnServer Server)> StartVtnAsync(Prosody prosody, X509Certificate2 signing)
    {
        var dir = Directory.CreateTempSubdirectory("flexcoop-vtn-xmpp-high-").FullName;
        var store = new SqliteVtnStore(Path.Combine(dir, "vtn.db"));
        var server = await VtnServer.StartAsync(new VtnOptions
        {
            VtnId = "xmpp-high-vtn",
            InsecureHttp = true, // the HTTP listener is not used; XMPP runs over Prosody's TLS
            Urls = ["http://127.0.0.1:0"],
            Programs = [new VtnProgram(Program)],
            TelemetryGranularity = TimeSpan.Zero,
            PushRetryDelay = TimeSpan.FromMilliseconds(200),
            Security = OadrSecurityLevel.High,
            SigningCertificate = signing,
            ClientCertificateAuthorities = [.. prosody.TrustedCa],
            Xmpp = prosody.Options(2, "oadr-vtn-high-" + Guid.NewGuid().ToString("N")[..6]),
        }, store, cancellationToken: Ct);
        return (dir, store, server);
    }

    private static async Task StopAsync((string Dir, SqliteVtnStore Store, VtnServer Server) vtn)
    {
        await vtn.Server.DisposeAsync();
        await vtn.Store.DisposeAsync();
        Directory.Delete(vtn.Dir, recursive: true);
    }

    private static Task<VtnActivity> Next(OadrVtn vtn, Func<VtnActivity, bool> match)
    {
        var tcs = new TaskCompletionSource<VtnActivity>(TaskCreationOptions.RunContinuationsAsynchronously);
        vtn.Activity += (_, e) =>
        {
            if (match(e.Activity)) tcs.TrySetResult(e.Activity);
        };
        return tcs.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
    }

    private static XElement Element(byte[] document)
    {
        using var reader = XmlReader.Create(new MemoryStream(document), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        return XElement.Load(reader, LoadOptions.PreserveWhitespace);
    }

    private static OadrMessage Answer(Iq result) =>
        OadrCodec.ParseMessage(Encoding.UTF8.GetBytes(result.Payload.Single(p => p.Name == OadrXmppPayload.Name).ToString(SaveOptions.DisableFormatting)));

    private static string Code(OadrMessage message) => message switch
    {
        OadrResponse r => r.EiResponse.ResponseCode.Value,
        OadrCreatedPartyRegistration r => r.EiResponse.ResponseCode.Value,
        _ => message.ElementName,
    };

    private sealed class PowerProvider : IVenReportProvider
    {
        public VenReportDefinition Definition { get; } = new("RS_POWER", ReportName.TelemetryUsage,
            [new VenDataPoint("power", ReportType.Usage, new ReadingType("Direct Read"), new PowerReal { Scale = SiScaleCode.Kilo, Attributes = new PowerAttributes { Hertz = 50, Voltage = 230, Ac = true } },
                TimeSpan.FromSeconds(1), TimeSpan.FromHours(1))]);

        public ValueTask<IReadOnlyList<VenReading>> ReadAsync(IReadOnlyList<string> rIds, DateTimeOffset start, DateTimeOffset end, TimeSpan granularity, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyList<VenReading>>([new VenReading("power", start, end - start, Value: 4.5f)]);
    }

    private static OadrCreatePartyRegistration Registration(string name, string transportAddress, OadrTransportName transport) => new()
    {
        RequestId = "r-" + name,
        ProfileName = OadrProfileName.Profile20b,
        TransportName = transport,
        TransportAddress = transportAddress,
        ReportOnly = false,
        XmlSignature = true,
        VenName = name,
        HttpPullModel = transport == OadrTransportName.Xmpp ? false : true,
    };

    [Fact]
    public async Task High_security_ven_and_vtn_register_push_an_event_opt_and_report_over_xmpp_with_every_signature_verified()
    {
        var prosody = Prosody.Require();
        using var signing = Issue(prosody, "xmpp-high-vtn");
        using var venCertificate = VenCertificate(prosody);
        var vtn = await StartVtnAsync(prosody, signing);
        var refusals = new ConcurrentQueue<VtnActivity>();
        vtn.Server.Vtn.Activity += (_, e) =>
        {
            if (e.Activity.Kind == VtnActivityKind.Refused) refusals.Enqueue(e.Activity);
        };
        try
        {
            var metadataRequested = Next(vtn.Server.Vtn, a => a.Kind == VtnActivityKind.Delivered && a.Detail == "oadrRegisterReport");
            var domain = prosody.Value("FLEXCOOP_TEST_XMPP_EXTERNAL_DOMAIN");
            await using var ven = await OadrVen.StartAsync(new VenOptions
            {
                VtnUrl = new Uri("xmpp:" + vtn.Server.Vtn.XmppJid),
                VenName = "xmpp-high-ven",
                Security = OadrSecurityLevel.High,
                ClientCertificate = venCertificate,
                VtnCertificateAuthorities = [.. prosody.TrustedCa],
                Xmpp = new XmppClientOptions
                {
                    Jid = Jid.Create(prosody.Value("FLEXCOOP_TEST_XMPP_EXTERNAL_USER"), domain, "oadr-ven-high"),
                    Host = prosody.Host,
                    Port = prosody.Port,
                    TrustedCertificates = prosody.TrustedCa,
                    ClientCertificate = venCertificate,
                    IqTimeout = TimeSpan.FromSeconds(10),
                },
                ReportProviders = [new PowerProvider()],
                RequestTimeout = TimeSpan.FromSeconds(10),
            }, cancellationToken: Ct);
            await metadataRequested; // registration and both metadata exchanges, signed both ways

            var stored = (await vtn.Store.GetVenAsync(ven.VenId!, Ct))!;
            Assert.Equal(("xmpp", true), (stored.TransportName, stored.IsPush));

            var responded = Next(vtn.Server.Vtn, a => a.Kind == VtnActivityKind.EventResponse);
            var created = await vtn.Server.Vtn.CreateEventAsync(new VtnEvent
            {
                EventId = "",
                MarketContext = Program,
                Priority = 1,
                DtStart = DateTimeOffset.UtcNow.AddHours(1),
                Duration = TimeSpan.FromMinutes(30),
                ResponseRequired = true,
                Targets = VtnTargets.Everyone,
                Signals = [new VtnEventSignal { SignalName = "SIMPLE", SignalType = SignalType.Level, SignalId = "s0", Intervals = [new VtnInterval(TimeSpan.FromMinutes(30), 2)] }],
            }, Ct);
            await responded;
            Assert.Equal([created.EventId], ven.Events.Select(e => e.EventId));
            Assert.Equal("optIn", Assert.Single(await vtn.Store.GetEventResponsesAsync(created.EventId, Ct)).OptType);

            var optId = await ven.CreateOptScheduleAsync(OptType.OptOut, OptReason.Economic,
                [new VenAvailability(DateTimeOffset.UtcNow.AddHours(3), TimeSpan.FromHours(1))], Program, cancellationToken: Ct);
            Assert.Equal("optOut", (await vtn.Store.GetOptAsync(ven.VenId!, optId, Ct))!.OptType);

            var updated = Next(vtn.Server.Vtn, a => a.Kind == VtnActivityKind.ReportUpdated);
            var request = await vtn.Server.Vtn.RequestReportAsync(ven.VenId!, "RS_POWER", cancellationToken: Ct);
            await updated;
            Assert.Equal(4.5, Assert.Single(await vtn.Store.GetReadingsAsync(ven.VenId!, request.ReportRequestId, 10, Ct)).Value);
            Assert.Empty(refusals);
        }
        finally
        {
            await StopAsync(vtn);
        }
    }

    [Fact]
    public async Task Prosody_rewrites_the_prefixes_of_a_signed_payload_and_the_restored_form_verifies()
    {
        var prosody = Prosody.Require();
        using var signerKey = Issue(prosody, "xmpp-high-relay");
        await using var receiver = await prosody.ConnectAsync(3, "receiver-" + Guid.NewGuid().ToString("N")[..6]);
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        receiver.SetIqHandler(OadrXmppPayload.Name, (iq, _) =>
        {
            received.TrySetResult(iq.FirstPayload!.ToString(SaveOptions.DisableFormatting));
            return ValueTask.FromResult<XElement?>(null);
        });
        await using var sender = await prosody.ConnectAsync(1, "sender-" + Guid.NewGuid().ToString("N")[..6]);
        var signed = new OadrSigner(signerKey) { ConventionalPrefixes = true }.Sign(OadrCodec.SerializeToUtf8Bytes(Registration("relayed", sender.Jid!.ToString(), OadrTransportName.Xmpp), Compact));
        Assert.True(OadrSignatureVerifier.Verify(signed, TrustingProsodyCa(prosody)).IsValid);

        await sender.SendIqAsync(new Iq(IqType.Set) { To = receiver.Jid, Payload = [Element(signed)] }, cancellationToken: Ct);
        var relayed = Encoding.UTF8.GetBytes(await received.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct));

        // What Prosody delivered: the same elements under its own prefixes, so the bytes C14N covers changed.
        Assert.DoesNotContain("oadr:oadrSignedObject", Encoding.UTF8.GetString(relayed), StringComparison.Ordinal);
        var asReceived = OadrSignatureVerifier.Verify(relayed, TrustingProsodyCa(prosody) with { CheckReplayWindow = false });
        Assert.Equal(OadrSignatureStatus.DigestMismatch, asReceived.Status);
        var restored = OadrConventionalPrefixes.Restore(relayed);
        var verified = OadrSignatureVerifier.Verify(restored, TrustingProsodyCa(prosody));
        Assert.True(verified.IsValid, verified.Message);
    }

    [Fact]
    public async Task Untampered_signed_registration_over_xmpp_is_accepted_and_the_signed_answer_verifies_after_restoration()
    {
        var prosody = Prosody.Require();
        using var signing = Issue(prosody, "xmpp-high-vtn");
        var vtn = await StartVtnAsync(prosody, signing);
        try
        {
            await using var sender = await prosody.ConnectAsync(1, "signed-" + Guid.NewGuid().ToString("N")[..6]);
            using var senderKey = Issue(prosody, "xmpp-high-sender");
            var signed = new OadrSigner(senderKey) { ConventionalPrefixes = true }.Sign(OadrCodec.SerializeToUtf8Bytes(Registration("honest-ven", sender.Jid!.ToString(), OadrTransportName.Xmpp), Compact));

            var result = await sender.SendIqAsync(new Iq(IqType.Set) { To = Jid.Parse(vtn.Server.Vtn.XmppJid!), Payload = [Element(signed)] }, cancellationToken: Ct);

            var answerBytes = Encoding.UTF8.GetBytes(result.Payload.Single(p => p.Name == OadrXmppPayload.Name).ToString(SaveOptions.DisableFormatting));
            var verified = OadrSignatureVerifier.Verify(OadrConventionalPrefixes.Restore(answerBytes), TrustingProsodyCa(prosody));
            Assert.True(verified.IsValid, verified.Message);
            Assert.Equal(signing.Thumbprint, verified.SignerCertificate!.Thumbprint);
            Assert.Equal("200", Code(Answer(result)));
            Assert.Equal("honest-ven", Assert.Single(await vtn.Store.ListVensAsync(Ct)).VenName);
        }
        finally
        {
            await StopAsync(vtn);
        }
    }

    [Fact]
    public async Task Registration_signed_with_unconventional_prefixes_still_verifies_over_http_byte_for_byte()
    {
        var prosody = Prosody.Require();
        using var signing = Issue(prosody, "xmpp-high-vtn");
        var vtn = await StartVtnAsync(prosody, signing);
        try
        {
            using var senderKey = Issue(prosody, "http-unconventional-ven");
            var codec = Encoding.UTF8.GetString(OadrCodec.SerializeToUtf8Bytes(Registration("odd-prefixes", "http://127.0.0.1:1/ven", OadrTransportName.SimpleHttp), Compact));
            var unconventional = Encoding.UTF8.GetBytes(codec
                .Replace("xmlns:oadr=", "xmlns:o=", StringComparison.Ordinal).Replace("oadr:", "o:", StringComparison.Ordinal)
                .Replace("xmlns:ei=", "xmlns:e=", StringComparison.Ordinal).Replace("ei:", "e:", StringComparison.Ordinal)
                .Replace("xmlns:pyld=", "xmlns:p=", StringComparison.Ordinal).Replace("pyld:", "p:", StringComparison.Ordinal));
            var signed = new OadrSigner(senderKey).Sign(unconventional);
            Assert.Contains("<o:oadrSignedObject", Encoding.UTF8.GetString(signed), StringComparison.Ordinal);

            using var http = new HttpClient();
            using var content = new ByteArrayContent(signed);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/xml");
            using var response = await http.PostAsync(new Uri(vtn.Server.Url, "OpenADR2/Simple/2.0b/EiRegisterParty"), content, Ct);
            var answer = OadrCodec.ParseMessage(await response.Content.ReadAsByteArrayAsync(Ct));

            Assert.Equal("200", Code(answer));
            Assert.Equal("odd-prefixes", Assert.Single(await vtn.Store.ListVensAsync(Ct)).VenName);
        }
        finally
        {
            await StopAsync(vtn);
        }
    }

    [Fact]
    public async Task Tampered_signed_registration_over_xmpp_is_refused_with_463_and_nothing_is_stored()
    {
        var prosody = Prosody.Require();
        using var signing = Issue(prosody, "xmpp-high-vtn");
        var vtn = await StartVtnAsync(prosody, signing);
        try
        {
            await using var sender = await prosody.ConnectAsync(1, "signed-" + Guid.NewGuid().ToString("N")[..6]);
            using var senderKey = Issue(prosody, "xmpp-high-sender");
            var signer = new OadrSigner(senderKey) { ConventionalPrefixes = true };
            var to = Jid.Parse(vtn.Server.Vtn.XmppJid!);
            byte[] Registration(string name) => signer.Sign(OadrCodec.SerializeToUtf8Bytes(new OadrCreatePartyRegistration
            {
                RequestId = "r-" + name,
                ProfileName = OadrProfileName.Profile20b,
                TransportName = OadrTransportName.Xmpp,
                TransportAddress = sender.Jid!.ToString(),
                ReportOnly = false,
                XmlSignature = true,
                VenName = name,
                HttpPullModel = false,
            }, Compact));
            Task<Iq> SendAsync(byte[] payload) => sender.SendIqAsync(new Iq(IqType.Set) { To = to, Payload = [Element(payload)] }, cancellationToken: Ct);

            var refused = Next(vtn.Server.Vtn, a => a.Kind == VtnActivityKind.Refused);
            var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Registration("honest-ven")).Replace("honest-ven", "forged-ven", StringComparison.Ordinal));

            var answer = Answer(await SendAsync(tampered));

            Assert.Equal("463", Code(answer));
            Assert.Contains("signature", (await refused).Detail, StringComparison.Ordinal);
            Assert.Empty(await vtn.Store.ListVensAsync(Ct));
        }
        finally
        {
            await StopAsync(vtn);
        }
    }
}
