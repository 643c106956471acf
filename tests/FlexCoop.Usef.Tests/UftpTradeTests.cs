using System.Text;
using FlexCoop.Usef.Participants;
using FlexCoop.Usef.Roles;
using FlexCoop.Usef.Signing;
using FlexCoop.Usef.Storage;
using FlexCoop.Usef.Transport;
using FlexCoop.Usef.Validation;
using FlexCoop.Usef.Xml;

namespace FlexCoop.Usef.Tests;

/// <summary>An AGR and a DSO over HTTPS on loopback, each with its own SQLite file.</summary>
public sealed class UftpTradeTests : IAsyncLifetime
{
    private const string AgrDomain = "agr.example.org";
    private const string DsoDomain = "dso.example.com";
    private static readonly EntityAddress Cp = EntityAddress.FromEan("871685900012345678");

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("uftp-trade-");
    private readonly UftpSigningKey _agrKey = UftpSigningKey.Generate();
    private readonly UftpSigningKey _dsoKey = UftpSigningKey.Generate();
    private readonly StaticUftpParticipantDirectory _directory = new();
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _cert = TestCertificates.CreateServerCertificate();
    private UftpSqliteStore? _agrStore;
    private UftpSqliteStore? _dsoStore;
    private UftpNode? _agr;
    private UftpNode? _dso;

    private static readonly DateOnly Period = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(2);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private UftpNodeOptions Options(string domain, UftpRole role) => new()
    {
        Domain = domain,
        Role = role,
        Server = new UftpServerOptions { Certificate = _cert },
        Sender = new UftpSenderOptions { TrustedServerCertificates = [_cert] },
        RetryBaseDelay = TimeSpan.FromMilliseconds(50),
        RetryMaxDelay = TimeSpan.FromMilliseconds(500),
    };

    private async Task<UftpNode> StartAgrAsync()
    {
        _agrStore ??= UftpSqliteStore.Open(Path.Combine(_dir.FullName, "agr.db"));
        await _agrStore.AddCongestionPointsAsync([Cp], Ct);
        var node = await UftpNode.StartAsync(Options(AgrDomain, UftpRole.AGR), _agrKey, _directory, _agrStore, new UftpAgrService(new UftpAgrServiceOptions { OfferPrice = 250m }), cancellationToken: Ct);
        _directory.Set(new UftpParticipant(AgrDomain, UftpRole.AGR, node.MessageEndpoint, new[] { _agrKey.PublicKey }));
        return node;
    }

    private async Task<UftpNode> StartDsoAsync()
    {
        _dsoStore ??= UftpSqliteStore.Open(Path.Combine(_dir.FullName, "dso.db"));
        await _dsoStore.AddCongestionPointsAsync([Cp], Ct);
        var node = await UftpNode.StartAsync(Options(DsoDomain, UftpRole.DSO), _dsoKey, _directory, _dsoStore, new UftpDsoService(new UftpDsoServiceOptions { CongestionLimitWatts = 1_000_000 }), cancellationToken: Ct);
        _directory.Set(new UftpParticipant(DsoDomain, UftpRole.DSO, node.MessageEndpoint, new[] { _dsoKey.PublicKey }));
        return node;
    }

    public async ValueTask InitializeAsync()
    {
        _agr = await StartAgrAsync();
        _dso = await StartDsoAsync();
    }

    /// <summary>96 quarter hours: 800 kW, with 1.3 MW in the evening peak (ISPs 69-76) above the 1 MW limit.</summary>
    private static long[] Baseline() => Enumerable.Range(1, 96).Select(i => i is >= 69 and <= 76 ? 1_300_000L : 800_000L).ToArray();

    private static Func<UftpStoredMessage, bool> Received<T>(Func<T, bool>? where = null) where T : PayloadMessage =>
        s => s.Direction == UftpDirection.Inbound && s.Message is T m && (where is null || where(m));

    private static async Task<T> WaitAsync<T>(UftpNode node, Func<T, bool>? where = null) where T : PayloadMessage
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        return (T)(await node.WaitForAsync(Received(where), timeout.Token)).Message;
    }

    private async Task RunTradeAsync(Func<Task>? middle = null)
    {
        var prognosis = await UftpAgrService.SendPrognosisAsync(_agr!, DsoDomain, Cp, Period, Baseline(), revision: 1, cancellationToken: Ct);
        var prognosisResponse = await WaitAsync<DPrognosisResponse>(_agr!);
        Assert.Equal(AcceptedRejected.Accepted, prognosisResponse.Result);
        Assert.Equal(prognosis.MessageId, prognosisResponse.DPrognosisMessageId);

        var request = await WaitAsync<FlexRequest>(_agr!);
        Assert.Equal(8, request.Isps.Count);
        Assert.All(request.Isps, i => Assert.Equal(new FlexRequestIsp(AvailableRequested.Requested, -600_000, -300_000, i.Start), i));

        if (middle is not null) await middle();

        var offer = await WaitAsync<FlexOffer>(_dso!);
        Assert.Equal(request.MessageId, offer.FlexRequestMessageId);
        Assert.Equal(prognosis.MessageId, offer.DPrognosisMessageId);
        var order = await WaitAsync<FlexOrder>(_agr!);
        Assert.Equal(offer.MessageId, order.FlexOfferMessageId);
        Assert.Equal(250m, order.Price);

        var updated = await WaitAsync<DPrognosis>(_dso!, p => p.Revision == 2);
        var powers = UftpAgrService.Expand(updated.Isps, 96);
        Assert.Equal(1_000_000L, powers[68]);
        Assert.Equal(800_000L, powers[0]);

        var settlement = await UftpDsoService.SettleAsync(_dso!, AgrDomain, Period, Period, cancellationToken: Ct);
        Assert.NotNull(settlement);
        var received = await WaitAsync<FlexSettlement>(_agr!);
        var fos = Assert.Single(received.FlexOrderSettlements);
        Assert.All(fos.Isps, i => Assert.Equal((-300_000L, -300_000L, 0L), (i.OrderedFlexPower, i.DeliveredFlexPower, i.PowerDeficiency)));
        var settlementResponse = await WaitAsync<FlexSettlementResponse>(_dso!);
        Assert.Equal(AcceptedRejected.Accepted, settlementResponse.Result);

        // Every message each side sent was answered asynchronously by an accepting Response.
        foreach (var node in new[] { _agr!, _dso! })
        {
            foreach (var sent in (await node.Store.AllAsync(Ct)).Where(s => s.Direction == UftpDirection.Outbound && !UftpMessageTypes.Get(s.Message.MessageType).IsResponse))
            {
                var answered = await node.WaitForAsync(s => s.Direction == UftpDirection.Inbound && UftpMessageTypes.ReferencedMessageId(s.Message) == sent.Message.MessageId, Ct);
                Assert.Equal(AcceptedRejected.Accepted, ((PayloadMessageResponse)answered.Message).Result);
            }
        }
        // Nothing was stored twice, whatever was retried.
        var dsoInbound = (await _dsoStore!.AllAsync(Ct)).Where(s => s.Direction == UftpDirection.Inbound).Select(s => s.Message.MessageType).ToList();
        Assert.Equal(1, dsoInbound.Count(t => t == UftpMessageType.FlexOffer));
        Assert.Equal(2, dsoInbound.Count(t => t == UftpMessageType.DPrognosis));
        var agrInbound = (await _agrStore!.AllAsync(Ct)).Where(s => s.Direction == UftpDirection.Inbound).Select(s => s.Message.MessageType).ToList();
        Assert.Equal(1, agrInbound.Count(t => t == UftpMessageType.FlexRequest));
        Assert.Equal(1, agrInbound.Count(t => t == UftpMessageType.FlexOrder));
    }

    [Fact]
    public async Task Agr_and_dso_run_a_whole_trade_over_https() => await RunTradeAsync();

    [Fact]
    public async Task Dso_restarting_in_the_middle_of_a_trade_loses_nothing()
    {
        await RunTradeAsync(async () =>
        {
            // The DSO goes down right after its FlexRequest arrived; the AGR's FlexOffer (and the
            // FlexRequestResponse) wait in the AGR's durable queue, retried with back-off.
            await _dso!.DisposeAsync();
            _dsoStore!.Dispose();
            _dsoStore = null;
            _dso = await StartDsoAsync();
            _agr!.RetryNow();
        });
    }

    [Fact]
    public async Task Envelope_signed_with_an_unknown_key_gets_401_and_garbage_gets_400()
    {
        using var sender = new UftpHttpSender(new UftpSenderOptions { TrustedServerCertificates = [_cert] });
        using var stranger = UftpSigningKey.Generate();
        var forged = UftpXml.Serialize(UftpSigner.Seal(Trade.Prognosis() with { RecipientDomain = DsoDomain }, UftpRole.AGR, stranger));
        var result = await sender.PostAsync(_dso!.MessageEndpoint, forged, Ct);
        Assert.Equal((UftpDeliveryStatus.Permanent, 401), (result.Status, result.StatusCode));

        result = await sender.PostAsync(_dso.MessageEndpoint, Encoding.UTF8.GetBytes("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><SignedMessage/>"), Ct);
        Assert.Equal(400, result.StatusCode);
        Assert.Contains("dtd", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_method_media_type_and_path_get_their_status_codes()
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, c, _, _) => c?.Thumbprint == _cert.Thumbprint };
        using var client = new HttpClient(handler);
        Assert.Equal(405, (int)(await client.GetAsync(_dso!.MessageEndpoint, Ct)).StatusCode);
        using var json = new StringContent("{}", Encoding.UTF8, "application/json");
        Assert.Equal(400, (int)(await client.PostAsync(_dso.MessageEndpoint, json, Ct)).StatusCode);
        using var xml = new StringContent("<x/>", Encoding.UTF8, "text/xml");
        Assert.Equal(404, (int)(await client.PostAsync(new Uri(_dso.MessageEndpoint, "/other"), xml, Ct)).StatusCode);
        // With Expect: 100-continue the server refuses on the declared length, before the body is sent.
        client.DefaultRequestHeaders.ExpectContinue = true;
        using var big = new ByteArrayContent(new byte[5 * 1024 * 1024]);
        big.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/xml");
        Assert.Equal(413, (int)(await client.PostAsync(_dso.MessageEndpoint, big, Ct)).StatusCode);
    }

    [Fact]
    public async Task Invalid_message_is_answered_with_a_rejecting_response_naming_the_rule()
    {
        // A prognosis on an unknown congestion point: accepted for processing (200), rejected by its Response.
        var other = EntityAddress.FromEan("871685900099999999");
        await UftpAgrService.SendPrognosisAsync(_agr!, DsoDomain, other, Period, Baseline(), revision: 1, cancellationToken: Ct);
        var response = await WaitAsync<DPrognosisResponse>(_agr!);
        Assert.Equal(AcceptedRejected.Rejected, response.Result);
        Assert.StartsWith(UftpRule.UnknownCongestionPoint.Name(), response.RejectionReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redelivered_envelope_is_accepted_once()
    {
        using var sender = new UftpHttpSender(new UftpSenderOptions { TrustedServerCertificates = [_cert] });
        var message = new TestMessage { SenderDomain = AgrDomain, RecipientDomain = DsoDomain, TimeStamp = DateTimeOffset.UtcNow, MessageId = Guid.NewGuid(), ConversationId = Guid.NewGuid() };
        var envelope = UftpXml.Serialize(UftpSigner.Seal(message, UftpRole.AGR, _agrKey));
        Assert.Equal(200, (await sender.PostAsync(_dso!.MessageEndpoint, envelope, Ct)).StatusCode);
        Assert.Equal(200, (await sender.PostAsync(_dso.MessageEndpoint, envelope, Ct)).StatusCode);
        await _agr!.WaitForAsync(Received<TestMessageResponse>(), Ct);
        var stored = (await _dsoStore!.AllAsync(Ct)).Where(s => s.Message.MessageId == message.MessageId);
        Assert.Single(stored);
    }

    public async ValueTask DisposeAsync()
    {
        if (_agr is not null) await _agr.DisposeAsync();
        if (_dso is not null) await _dso.DisposeAsync();
        _agrStore?.Dispose();
        _dsoStore?.Dispose();
        _agrKey.Dispose();
        _dsoKey.Dispose();
        _cert.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Delete(recursive: true);
    }
}
