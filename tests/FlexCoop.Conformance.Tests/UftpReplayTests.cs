using System.Net;
using FlexCoop.Conformance.Replay;
using FlexCoop.Conformance.Replay.Uftp;
using FlexCoop.Usef;
using FlexCoop.Usef.Participants;
using FlexCoop.Usef.Roles;
using FlexCoop.Usef.Signing;
using FlexCoop.Usef.Storage;
using FlexCoop.Usef.Transport;
using FlexCoop.Usef.Validation;
using FlexCoop.Testing;

namespace FlexCoop.Conformance.Tests;

/// <summary>UFTP replay on a whole trade recorded between our AGR and DSO nodes over loopback HTTP.</summary>
public sealed class UftpReplayTests : IAsyncLifetime
{
    private const string AgrDomain = "agr.example.org";
    private const string DsoDomain = "dso.example.com";
    private static readonly EntityAddress Cp = EntityAddress.FromEan("871685900012345678");

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("flexcoop-uftp-replay-");
    private readonly UftpSigningKey _agrKey = UftpSigningKey.Generate();
    private readonly UftpSigningKey _dsoKey = UftpSigningKey.Generate();
    private Capture _trade = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IEnumerable<UftpParticipant> Keys(UftpPublicKey? dsoKey = null) =>
    [
        new UftpParticipant(AgrDomain, UftpRole.AGR, null, new ValueList<UftpPublicKey>([_agrKey.PublicKey])),
        new UftpParticipant(DsoDomain, UftpRole.DSO, null, new ValueList<UftpPublicKey>([dsoKey ?? _dsoKey.PublicKey])),
    ];

    /// <summary>Records prognosis → request → offer → order → updated prognosis → settlement, every message answered.</summary>
    public async ValueTask InitializeAsync()
    {
        var directory = new StaticUftpParticipantDirectory();
        using var agrStore = UftpSqliteStore.Open(Path.Combine(_dir.FullName, "agr.db"));
        using var dsoStore = UftpSqliteStore.Open(Path.Combine(_dir.FullName, "dso.db"));
        await agrStore.AddCongestionPointsAsync([Cp], Ct);
        await dsoStore.AddCongestionPointsAsync([Cp], Ct);
        UftpNodeOptions Options(string domain, UftpRole role) => new()
        {
            Domain = domain,
            Role = role,
            RetryBaseDelay = TimeSpan.FromMilliseconds(50),
            RetryMaxDelay = TimeSpan.FromMilliseconds(500),
        };
        await using var agr = await UftpNode.StartAsync(Options(AgrDomain, UftpRole.AGR), _agrKey, directory, agrStore, new UftpAgrService(new UftpAgrServiceOptions { OfferPrice = 250m }), cancellationToken: Ct);
        await using var dso = await UftpNode.StartAsync(Options(DsoDomain, UftpRole.DSO), _dsoKey, directory, dsoStore, new UftpDsoService(new UftpDsoServiceOptions { CongestionLimitWatts = 1_000_000 }), cancellationToken: Ct);
        await using var agrRecorder = new TcpRecorder(new IPEndPoint(IPAddress.Loopback, agr.MessageEndpoint.Port));
        await using var dsoRecorder = new TcpRecorder(new IPEndPoint(IPAddress.Loopback, dso.MessageEndpoint.Port));
        directory.Set(new UftpParticipant(AgrDomain, UftpRole.AGR, new Uri($"http://127.0.0.1:{agrRecorder.EndPoint.Port}{UftpEndpoints.MessagePath}"), new ValueList<UftpPublicKey>([_agrKey.PublicKey])));
        directory.Set(new UftpParticipant(DsoDomain, UftpRole.DSO, new Uri($"http://127.0.0.1:{dsoRecorder.EndPoint.Port}{UftpEndpoints.MessagePath}"), new ValueList<UftpPublicKey>([_dsoKey.PublicKey])));

        var period = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(2);
        var baseline = Enumerable.Range(1, 96).Select(i => i is >= 69 and <= 76 ? 1_300_000L : 800_000L).ToArray();
        await UftpAgrService.SendPrognosisAsync(agr, DsoDomain, Cp, period, baseline, revision: 1, cancellationToken: Ct);
        await dso.WaitForAsync(s => s.Direction == UftpDirection.Inbound && s.Message is DPrognosis { Revision: 2 }, Ct);
        Assert.NotNull(await UftpDsoService.SettleAsync(dso, AgrDomain, period, period, cancellationToken: Ct));
        foreach (var node in new[] { agr, dso })
        {
            foreach (var sent in (await node.Store.AllAsync(Ct)).Where(s => s.Direction == UftpDirection.Outbound && !UftpMessageTypes.Get(s.Message.MessageType).IsResponse))
            {
                await node.WaitForAsync(s => s.Direction == UftpDirection.Inbound && UftpMessageTypes.ReferencedMessageId(s.Message) == sent.Message.MessageId, Ct);
            }
        }
        // Each answer was received, so each POST and its 200 went through the recorders.
        var file = Path.Combine(_dir.FullName, "trade.pcap");
        await File.WriteAllBytesAsync(file, TcpRecorder.ToPcap([agrRecorder, dsoRecorder]), Ct);
        _trade = Capture.Load(file);
    }

    public ValueTask DisposeAsync()
    {
        _agrKey.Dispose();
        _dsoKey.Dispose();
        _dir.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }

    private ReplayReport Replay(Capture capture, IEnumerable<UftpParticipant>? keys) =>
        ReplayEngine.Run(capture, [new UftpReplayProtocol(keys)]);

    private static string Explain(ReplayReport report) =>
        string.Join("\n", report.Verdicts.Select(v => $"#{v.Seq} {v.MessageType} {v.Party}: {v.Verdict} {string.Join("; ", v.Findings)}"));

    private Capture Without(params string[] types)
    {
        var verdicts = Replay(_trade, Keys()).Verdicts;
        var drop = verdicts.Where(v => types.Contains(v.MessageType)).Select(v => v.Seq).ToHashSet();
        return _trade with { Exchanges = _trade.Exchanges.Where(e => !drop.Contains(e.Seq)).ToList() };
    }

    [Fact]
    public void Recorded_trade_passes_signatures_rules_and_conversation()
    {
        var report = Replay(_trade, Keys());

        Assert.True(report.AllPassed, Explain(report));
        Assert.Equal(12, report.Verdicts.Count);
        Assert.All(report.Verdicts, v => Assert.Equal(UftpReplayProtocol.ProtocolName, v.Protocol));
        string[] expected = ["D-Prognosis", "D-PrognosisResponse", "FlexRequest", "FlexRequestResponse", "FlexOffer", "FlexOfferResponse",
            "FlexOrder", "FlexOrderResponse", "FlexSettlement", "FlexSettlementResponse"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), report.Verdicts.Select(v => v.MessageType).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(["DSO dso.example.com", "AGR agr.example.org"], report.Verdicts.Where(v => v.MessageType.StartsWith("FlexOrder", StringComparison.Ordinal)).Select(v => v.Party));
    }

    [Fact]
    public void Recorded_trade_validates_against_the_official_uftp_schemas()
    {
        var schemas = UftpSchemaSet.Load(TestEnvironment.RequireShared("schemas/uftp"));
        var report = ReplayEngine.Run(_trade, [new UftpReplayProtocol(Keys(), schemas)]);

        Assert.True(report.AllPassed, Explain(report));
        Assert.Equal(12, report.Verdicts.Count);
    }

    [Fact]
    public void Wrong_dso_key_fails_exactly_the_dso_messages_on_their_signature()
    {
        using var stranger = UftpSigningKey.Generate();
        var report = Replay(_trade, Keys(stranger.PublicKey));

        var failed = report.Verdicts.Where(v => v.Verdict == Verdict.Fail).ToList();
        Assert.Equal(report.Verdicts.Where(v => v.Party == "DSO dso.example.com").Select(v => v.Seq), failed.Select(v => v.Seq));
        Assert.All(failed, v => Assert.Equal("signature", Assert.Single(v.Findings).Rule));
    }

    [Fact]
    public void Order_on_an_offer_never_seen_fails_the_reference_rule()
    {
        var report = Replay(Without("FlexOffer", "FlexOfferResponse"), Keys());

        var order = Assert.Single(report.Verdicts, v => v.MessageType == "FlexOrder");
        Assert.Equal(Verdict.Fail, order.Verdict);
        Assert.Contains(order.Findings, f => f.Location.Contains("FlexOfferMessageID", StringComparison.Ordinal));
    }

    [Fact]
    public void Message_without_its_response_fails_the_conversation_rule()
    {
        var report = Replay(Without("FlexRequestResponse"), Keys());

        var failed = Assert.Single(report.Verdicts, v => v.Verdict != Verdict.Pass);
        Assert.Equal("FlexRequest", failed.MessageType);
        Assert.Equal("conversation", Assert.Single(failed.Findings).Rule);
        Assert.Contains("FlexRequestResponse", failed.Findings[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Same_message_sent_twice_fails_as_a_duplicate()
    {
        var offer = Replay(_trade, Keys()).Verdicts.Single(v => v.MessageType == "FlexOffer").Seq;
        var copy = _trade.Exchanges.Single(e => e.Seq == offer);
        var exchanges = _trade.Exchanges.ToList();
        exchanges.Insert(exchanges.IndexOf(copy) + 1, copy with { Seq = offer, Time = copy.Time.AddMilliseconds(1) });
        var report = Replay(_trade with { Exchanges = exchanges }, Keys());

        var offers = report.Verdicts.Where(v => v.MessageType == "FlexOffer").ToList();
        Assert.Equal([Verdict.Pass, Verdict.Fail], offers.Select(v => v.Verdict));
        Assert.Contains(offers[1].Findings, f => f.Location.EndsWith("@MessageID", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_keys_signatures_are_not_checked_and_the_rest_still_is()
    {
        var protocol = new UftpReplayProtocol();
        var report = ReplayEngine.Run(_trade, [protocol]);
        Assert.False(protocol.ChecksSignatures);
        Assert.True(report.AllPassed, Explain(report));
    }
}
