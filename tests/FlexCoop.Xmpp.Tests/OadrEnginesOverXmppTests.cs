using System.Security.Cryptography.X509Certificates;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Ven;
using FlexCoop.OpenAdr.Vtn;
using FlexCoop.OpenAdr.Vtn.Storage;

namespace FlexCoop.Xmpp.Tests;

/// <summary>
/// The VTN and VEN engines bound to XMPP (issue 6) through the real Prosody: the VTN logs in with
/// a password, the VEN with SASL EXTERNAL on its certificate; registration, an event pushed and
/// answered, an opt schedule and a report all travel as IQ sets carrying <c>oadrPayload</c>.
/// </summary>
public sealed class OadrEnginesOverXmppTests
{
    private const string Program = "http://flexcoop.example/programs/xmpp";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class Rig : IAsyncDisposable
    {
        private readonly string _dir;
        private readonly List<OadrVen> _vens = [];

        private Rig(string dir, SqliteVtnStore store, VtnServer server)
        {
            _dir = dir;
            Store = store;
            Server = server;
        }

        public SqliteVtnStore Store { get; }

        public VtnServer Server { get; }

        public OadrVtn Vtn => Server.Vtn;

        public static async Task<Rig> StartAsync(Prosody prosody)
        {
            var dir = Directory.CreateTempSubdirectory("flexcoop-vtn-xmpp-").FullName;
            var store = new SqliteVtnStore(Path.Combine(dir, "vtn.db"));
            var server = await VtnServer.StartAsync(new VtnOptions
            {
                VtnId = "xmpp-vtn",
                InsecureHttp = true, // the HTTP listener is not used here; XMPP runs over Prosody's TLS
                Urls = ["http://127.0.0.1:0"],
                Programs = [new VtnProgram(Program)],
                TelemetryGranularity = TimeSpan.Zero,
                PushRetryDelay = TimeSpan.FromMilliseconds(200),
                Xmpp = prosody.Options(2, "oadr-vtn-engine"),
            }, store, cancellationToken: Ct);
            return new Rig(dir, store, server);
        }

        public async Task<OadrVen> StartVenAsync(Prosody prosody, X509Certificate2 certificate)
        {
            var domain = prosody.Value("FLEXCOOP_TEST_XMPP_EXTERNAL_DOMAIN");
            var ven = await OadrVen.StartAsync(new VenOptions
            {
                VtnUrl = new Uri("xmpp:" + Vtn.XmppJid),
                VenName = "xmpp-ven",
                Xmpp = new XmppClientOptions
                {
                    Jid = Jid.Create(prosody.Value("FLEXCOOP_TEST_XMPP_EXTERNAL_USER"), domain, "oadr-ven-engine"),
                    Host = prosody.Host,
                    Port = prosody.Port,
                    TrustedCertificates = prosody.TrustedCa,
                    ClientCertificate = certificate,
                    IqTimeout = TimeSpan.FromSeconds(10),
                },
                ReportProviders = [new PowerProvider()],
                RequestTimeout = TimeSpan.FromSeconds(10),
            }, cancellationToken: Ct);
            _vens.Add(ven);
            return ven;
        }

        public Task<VtnActivity> Next(Func<VtnActivity, bool> match)
        {
            var tcs = new TaskCompletionSource<VtnActivity>(TaskCreationOptions.RunContinuationsAsynchronously);
            Vtn.Activity += (_, e) =>
            {
                if (match(e.Activity)) tcs.TrySetResult(e.Activity);
            };
            return tcs.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var ven in _vens) await ven.DisposeAsync();
            await Server.DisposeAsync();
            await Store.DisposeAsync();
            Directory.Delete(_dir, recursive: true);
        }
    }

    private sealed class PowerProvider : IVenReportProvider
    {
        public VenReportDefinition Definition { get; } = new("RS_POWER", ReportName.TelemetryUsage,
            [new VenDataPoint("power", ReportType.Usage, new ReadingType("Direct Read"), new PowerReal { Scale = SiScaleCode.Kilo, Attributes = new PowerAttributes { Hertz = 50, Voltage = 230, Ac = true } },
                TimeSpan.FromSeconds(1), TimeSpan.FromHours(1))]);

        public ValueTask<IReadOnlyList<VenReading>> ReadAsync(IReadOnlyList<string> rIds, DateTimeOffset start, DateTimeOffset end, TimeSpan granularity, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyList<VenReading>>([new VenReading("power", start, end - start, Value: 3.25f)]);
    }

    private static X509Certificate2 VenCertificate(Prosody prosody) =>
        X509Certificate2.CreateFromPemFile(prosody.Value("FLEXCOOP_TEST_XMPP_EXTERNAL_CERT"), prosody.Value("FLEXCOOP_TEST_XMPP_EXTERNAL_KEY"));

    [Fact]
    public async Task Ven_registers_over_xmpp_gets_an_event_pushed_answers_it_opts_and_reports()
    {
        var prosody = Prosody.Require();
        await using var rig = await Rig.StartAsync(prosody);
        using var certificate = VenCertificate(prosody);
        var metadataRequested = rig.Next(a => a.Kind == VtnActivityKind.Delivered && a.Detail == "oadrRegisterReport");

        var ven = await rig.StartVenAsync(prosody, certificate);
        await metadataRequested; // the VTN's METADATA report pushed over XMPP and answered

        var stored = (await rig.Store.GetVenAsync(ven.VenId!, Ct))!;
        Assert.Equal($"xmpp:{prosody.Value("FLEXCOOP_TEST_XMPP_EXTERNAL_USER")}@{prosody.Value("FLEXCOOP_TEST_XMPP_EXTERNAL_DOMAIN")}", ven.VenId);
        Assert.Equal(("xmpp", true), (stored.TransportName, stored.IsPush));
        Assert.EndsWith("/oadr-ven-engine", stored.TransportAddress, StringComparison.Ordinal);

        var responded = rig.Next(a => a.Kind == VtnActivityKind.EventResponse);
        var created = await rig.Vtn.CreateEventAsync(new VtnEvent
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
        Assert.Equal("optIn", Assert.Single(await rig.Store.GetEventResponsesAsync(created.EventId, Ct)).OptType);

        var optId = await ven.CreateOptScheduleAsync(OptType.OptOut, OptReason.Economic,
            [new VenAvailability(DateTimeOffset.UtcNow.AddHours(3), TimeSpan.FromHours(1))], Program, cancellationToken: Ct);
        Assert.Equal("optOut", (await rig.Store.GetOptAsync(ven.VenId!, optId, Ct))!.OptType);

        var updated = rig.Next(a => a.Kind == VtnActivityKind.ReportUpdated);
        var request = await rig.Vtn.RequestReportAsync(ven.VenId!, "RS_POWER", cancellationToken: Ct);
        await updated;
        Assert.Equal(3.25, Assert.Single(await rig.Store.GetReadingsAsync(ven.VenId!, request.ReportRequestId, 10, Ct)).Value);
    }

    [Fact]
    public async Task Another_account_is_refused_by_the_vtn_with_463_and_cannot_push_to_the_ven()
    {
        var prosody = Prosody.Require();
        await using var rig = await Rig.StartAsync(prosody);
        using var certificate = VenCertificate(prosody);
        var ven = await rig.StartVenAsync(prosody, certificate);
        await using var stranger = await prosody.ConnectAsync(1, "stranger");

        // The stranger claims the VEN's venID: its JID is not the VEN's, so the VTN refuses.
        var answer = await stranger.SendIqAsync(new Iq(IqType.Set)
        {
            To = Jid.Parse(rig.Vtn.XmppJid!),
            Payload = [OadrXmppPayload.ToXElement(new OadrCreateOpt
            {
                OptId = "stolen",
                OptType = OptType.OptOut,
                OptReason = OptReason.Economic,
                VenId = ven.VenId!,
                Vavailability = new Vavailability { Available = ValueList.Create([new CalendarProperties { DtStart = DateTimeOffset.UtcNow, Duration = IsoDuration.Parse("PT1H") }]) },
                CreatedDateTime = DateTimeOffset.UtcNow,
                RequestId = "r1",
                Target = EiTarget.Empty,
            })],
        }, cancellationToken: Ct);
        Assert.Equal("463", Assert.IsType<OadrResponse>(OadrXmppPayload.FromStanza(answer)).EiResponse.ResponseCode.Value);
        Assert.Empty(await rig.Store.ListOptsAsync(ven.VenId, Ct));

        // Pushing to the VEN is the VTN's privilege only.
        var registration = ven.RegistrationId;
        var venAddress = Jid.Parse((await rig.Store.GetVenAsync(ven.VenId!, Ct))!.TransportAddress!);
        var pushed = await Assert.ThrowsAsync<XmppStanzaException>(() => stranger.SendIqAsync(new Iq(IqType.Set)
        {
            To = venAddress,
            Payload = [OadrXmppPayload.ToXElement(new OadrCancelPartyRegistration { RequestId = "r2", RegistrationId = registration!, VenId = ven.VenId })],
        }, cancellationToken: Ct));
        Assert.Equal("not-authorized", pushed.Error.Condition);
        Assert.Equal(registration, ven.RegistrationId);
    }
}
