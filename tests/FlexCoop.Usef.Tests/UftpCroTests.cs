using FlexCoop.Testing;
using FlexCoop.Usef.Participants;
using FlexCoop.Usef.Roles;
using FlexCoop.Usef.Signing;
using FlexCoop.Usef.Storage;
using FlexCoop.Usef.Transport;
using FlexCoop.Usef.Validation;
using FlexCoop.Usef.Xml;

namespace FlexCoop.Usef.Tests;

/// <summary>A CRO, a DSO and an AGR on loopback: portfolio updates, queries and their answers, and a CRO restart.</summary>
public sealed class UftpCroTests : IAsyncLifetime
{
    private const string CroDomain = "cro.example.net";
    private const string DsoDomain = "dso.example.com";
    private const string AgrDomain = "agr.example.org";
    private static readonly EntityAddress Cp = EntityAddress.FromEan("871685900012345678");
    private static readonly EntityAddress Connection1 = EntityAddress.FromEan("871685900000000001");
    private static readonly EntityAddress Connection2 = EntityAddress.FromEan("871685900000000002");
    private static readonly EntityAddress Outside = EntityAddress.FromEan("871685900000000099");
    private static readonly DateOnly Start = new(2026, 1, 1);
    private static readonly DateOnly Day = new(2026, 6, 1);

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("uftp-cro-");
    private readonly StaticUftpParticipantDirectory _directory = new();
    private readonly Dictionary<UftpRole, UftpSigningKey> _keys = new() { [UftpRole.CRO] = UftpSigningKey.Generate(), [UftpRole.DSO] = UftpSigningKey.Generate(), [UftpRole.AGR] = UftpSigningKey.Generate() };
    private readonly Dictionary<UftpRole, UftpSqliteStore> _stores = [];
    private readonly Dictionary<UftpRole, UftpNode> _nodes = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<UftpNode> StartAsync(UftpRole role, IUftpMessageHandler handler, string domain)
    {
        if (!_stores.TryGetValue(role, out var store)) _stores[role] = store = UftpSqliteStore.Open(Path.Combine(_dir.FullName, role + ".db"));
        var node = await UftpNode.StartAsync(new UftpNodeOptions
        {
            Domain = domain, Role = role, RetryBaseDelay = TimeSpan.FromMilliseconds(50), RetryMaxDelay = TimeSpan.FromMilliseconds(500),
        }, _keys[role], _directory, store, handler, cancellationToken: Ct);
        _directory.Set(new UftpParticipant(domain, role, node.MessageEndpoint, new[] { _keys[role].PublicKey }));
        _nodes[role] = node;
        return node;
    }

    public async ValueTask InitializeAsync()
    {
        await StartAsync(UftpRole.CRO, new UftpCroService(), CroDomain);
        await StartAsync(UftpRole.DSO, new UftpDsoService(new UftpDsoServiceOptions()), DsoDomain);
        await StartAsync(UftpRole.AGR, new UftpAgrService(new UftpAgrServiceOptions()), AgrDomain);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes.Values) await node.DisposeAsync();
        foreach (var store in _stores.Values) store.Dispose();
        foreach (var key in _keys.Values) key.Dispose();
    }

    private static async Task<T> ResponseAsync<T>(UftpNode node, Guid requestId) where T : PayloadMessage
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var stored = await node.WaitForAsync(s => s.Direction == UftpDirection.Inbound && s.Message is T m && UftpMessageTypes.ReferencedMessageId(m) == requestId, timeout.Token);
        return (T)stored.Message;
    }

    private static DsoPortfolioUpdateCongestionPoint CongestionPoint(EntityAddress address, params EntityAddress[] connections) => new()
    {
        EntityAddress = address, StartPeriod = Start, MutexOffersSupported = true, DayAheadRedispatchBy = RedispatchBy.DSO, IntradayRedispatchBy = RedispatchBy.AGR,
        Connections = new ValueList<DsoPortfolioUpdateConnection>(connections.Select(c => new DsoPortfolioUpdateConnection(c, Start))),
    };

    private async Task RegisterAsync()
    {
        var dsoUpdate = await UftpCroClient.SendDsoPortfolioUpdateAsync(_nodes[UftpRole.DSO], CroDomain, [CongestionPoint(Cp, Connection1, Connection2)], cancellationToken: Ct);
        Assert.Equal(AcceptedRejected.Accepted, (await ResponseAsync<DsoPortfolioUpdateResponse>(_nodes[UftpRole.DSO], dsoUpdate.MessageId)).Result);
        var agrUpdate = await UftpCroClient.SendAgrPortfolioUpdateAsync(_nodes[UftpRole.AGR], CroDomain,
            [new AgrPortfolioUpdateConnection(Connection1, Start), new AgrPortfolioUpdateConnection(Outside, Start)], cancellationToken: Ct);
        Assert.Equal(AcceptedRejected.Accepted, (await ResponseAsync<AgrPortfolioUpdateResponse>(_nodes[UftpRole.AGR], agrUpdate.MessageId)).Result);
    }

    [Fact]
    public async Task Agr_portfolio_query_names_the_congestion_points_of_its_connections_and_the_agr_learns_them()
    {
        await RegisterAsync();
        var query = await UftpCroClient.SendAgrPortfolioQueryAsync(_nodes[UftpRole.AGR], CroDomain, Day, cancellationToken: Ct);
        var response = await ResponseAsync<AgrPortfolioQueryResponse>(_nodes[UftpRole.AGR], query.MessageId);

        Assert.Equal(AcceptedRejected.Accepted, response.Result);
        Assert.Equal(Day, response.Period);
        var view = Assert.Single(response.DsoViews);
        var portfolio = Assert.Single(view.DsoPortfolios);
        Assert.Equal(DsoDomain, portfolio.DsoDomain);
        var point = Assert.Single(portfolio.CongestionPoints);
        Assert.Equal((Cp, true, RedispatchBy.DSO, (RedispatchBy?)RedispatchBy.AGR), (point.EntityAddress, point.MutexOffersSupported, point.DayAheadRedispatchBy, point.IntradayRedispatchBy));
        Assert.Equal([new PortfolioConnection(Connection1)], point.Connections);
        Assert.Equal([new PortfolioConnection(Outside)], view.Connections);

        // The AGR's service makes the congestion points of the answer known for validating later FlexRequests.
        using var store = UftpSqliteStore.Open(Path.Combine(_dir.FullName, "fresh-agr.db"));
        await using var fresh = await UftpNode.StartAsync(new UftpNodeOptions { Domain = AgrDomain, Role = UftpRole.AGR }, _keys[UftpRole.AGR], _directory, store, cancellationToken: Ct);
        Assert.False(await store.IsCongestionPointKnownAsync(Cp, Ct));
        await new UftpAgrService(new UftpAgrServiceOptions()).HandleAsync(fresh, response, Ct);
        Assert.True(await store.IsCongestionPointKnownAsync(Cp, Ct));
    }

    [Fact]
    public async Task Dso_portfolio_query_lists_connections_with_the_agr_representing_them_also_after_a_cro_restart()
    {
        await RegisterAsync();
        var query = await UftpCroClient.SendDsoPortfolioQueryAsync(_nodes[UftpRole.DSO], CroDomain, Cp, Day, cancellationToken: Ct);
        var response = await ResponseAsync<DsoPortfolioQueryResponse>(_nodes[UftpRole.DSO], query.MessageId);
        Assert.Equal(AcceptedRejected.Accepted, response.Result);
        Assert.Equal(new DsoPortfolioQueryCongestionPoint(Cp, ValueList.Of(new DsoPortfolioQueryConnection(Connection1, AgrDomain), new DsoPortfolioQueryConnection(Connection2))), response.CongestionPoint);

        await _nodes[UftpRole.CRO].DisposeAsync();
        await StartAsync(UftpRole.CRO, new UftpCroService(), CroDomain);
        var again = await UftpCroClient.SendDsoPortfolioQueryAsync(_nodes[UftpRole.DSO], CroDomain, Cp, Day, cancellationToken: Ct);
        var afterRestart = await ResponseAsync<DsoPortfolioQueryResponse>(_nodes[UftpRole.DSO], again.MessageId);
        Assert.Equal(response.CongestionPoint, afterRestart.CongestionPoint);
    }

    [Fact]
    public async Task Cro_rejects_a_congestion_point_of_another_dso_a_connection_of_another_agr_and_queries_it_cannot_answer()
    {
        await RegisterAsync();
        var cro = _nodes[UftpRole.CRO];
        var now = DateTimeOffset.UtcNow;

        // Messages from a second DSO and a second AGR, judged by the CRO's receive path directly.
        using var otherDsoKey = UftpSigningKey.Generate();
        using var otherAgrKey = UftpSigningKey.Generate();
        _directory.Set(new UftpParticipant("dso2.example.com", UftpRole.DSO, new Uri("http://127.0.0.1:9/shapeshifter/api/v3/message"), new[] { otherDsoKey.PublicKey }));
        _directory.Set(new UftpParticipant("agr2.example.org", UftpRole.AGR, new Uri("http://127.0.0.1:9/shapeshifter/api/v3/message"), new[] { otherAgrKey.PublicKey }));
        var steal = new DsoPortfolioUpdate { SenderDomain = "dso2.example.com", RecipientDomain = CroDomain, TimeStamp = now, MessageId = Guid.NewGuid(), ConversationId = Guid.NewGuid(), TimeZone = "Europe/Amsterdam", CongestionPoints = ValueList.Of(CongestionPoint(Cp, Connection2)) };
        var clash = new AgrPortfolioUpdate { SenderDomain = "agr2.example.org", RecipientDomain = CroDomain, TimeStamp = now, MessageId = Guid.NewGuid(), ConversationId = Guid.NewGuid(), TimeZone = "Europe/Amsterdam", Connections = ValueList.Of(new AgrPortfolioUpdateConnection(Connection1, Day)) };
        var nothing = new AgrPortfolioQuery { SenderDomain = "agr2.example.org", RecipientDomain = CroDomain, TimeStamp = now, MessageId = Guid.NewGuid(), ConversationId = Guid.NewGuid(), TimeZone = "Europe/Amsterdam", Period = Day };
        var unknownPoint = new DsoPortfolioQuery { SenderDomain = "dso2.example.com", RecipientDomain = CroDomain, TimeStamp = now, MessageId = Guid.NewGuid(), ConversationId = Guid.NewGuid(), TimeZone = "Europe/Amsterdam", Period = Day, EntityAddress = Cp };

        foreach (var (message, key, role) in new (PayloadMessage, UftpSigningKey, UftpRole)[] { (steal, otherDsoKey, UftpRole.DSO), (clash, otherAgrKey, UftpRole.AGR), (nothing, otherAgrKey, UftpRole.AGR), (unknownPoint, otherDsoKey, UftpRole.DSO) })
        {
            var outcome = await cro.ReceiveAsync(UftpXml.Serialize(UftpSigner.Seal(message, role, key)), Ct);
            Assert.Equal(200, outcome.StatusCode);
            var stored = await cro.Store.GetAsync(message.MessageId, Ct);
            Assert.Equal(AcceptedRejected.Rejected, stored!.Result);
        }
        var replies = (await cro.Store.AllAsync(Ct)).Where(s => s.Direction == UftpDirection.Outbound).Select(s => s.Message).OfType<PayloadMessageResponse>().ToList();
        Assert.Contains("registered by dso.example.com", replies.OfType<DsoPortfolioUpdateResponse>().Single(r => r.DsoPortfolioUpdateMessageId == steal.MessageId).RejectionReason, StringComparison.Ordinal);
        Assert.Contains("represented by agr.example.org", replies.OfType<AgrPortfolioUpdateResponse>().Single(r => r.AgrPortfolioUpdateMessageId == clash.MessageId).RejectionReason, StringComparison.Ordinal);
        Assert.Empty(replies.OfType<AgrPortfolioQueryResponse>().Single(r => r.AgrPortfolioQueryMessageId == nothing.MessageId).DsoViews);
        Assert.Null(replies.OfType<DsoPortfolioQueryResponse>().Single(r => r.DsoPortfolioQueryMessageId == unknownPoint.MessageId).CongestionPoint);
        // The rejected updates changed nothing.
        var portfolio = await UftpCroService.PortfolioAsync(cro, Ct);
        Assert.Equal(DsoDomain, portfolio.CongestionPoints[Cp.Value].DsoDomain);
        Assert.Equal(AgrDomain, Assert.Single(portfolio.Connections, c => c.EntityAddress == Connection1).AgrDomain);
    }

    [Fact]
    public async Task Cro_answers_validate_against_the_official_schemas()
    {
        var schemas = UftpSchemaSet.Load(TestEnvironment.RequireShared("schemas/uftp"));
        await RegisterAsync();
        var agrQuery = await UftpCroClient.SendAgrPortfolioQueryAsync(_nodes[UftpRole.AGR], CroDomain, Day, cancellationToken: Ct);
        var dsoQuery = await UftpCroClient.SendDsoPortfolioQueryAsync(_nodes[UftpRole.DSO], CroDomain, Cp, Day, cancellationToken: Ct);
        PayloadMessage[] answers = [await ResponseAsync<AgrPortfolioQueryResponse>(_nodes[UftpRole.AGR], agrQuery.MessageId), await ResponseAsync<DsoPortfolioQueryResponse>(_nodes[UftpRole.DSO], dsoQuery.MessageId)];
        foreach (var answer in answers)
        {
            var result = schemas.Validate(UftpXml.Serialize(answer));
            Assert.True(result.IsValid, string.Join("; ", result.Violations));
        }
    }
}
