using System.Xml.Linq;
using FlexCoop.Conformance.Uftp;
using FlexCoop.Usef;
using FlexCoop.Usef.Participants;
using FlexCoop.Usef.Roles;
using FlexCoop.Usef.Signing;
using FlexCoop.Usef.Storage;
using FlexCoop.Usef.Transport;

namespace FlexCoop.Conformance.Tests.Uftp;

/// <summary>
/// The UFTP participant suite against FlexCoop's own AGR and DSO services on loopback: they pass
/// every case, and each fault mode fails exactly the cases that should notice it.
/// </summary>
public sealed class UftpSuiteTests
{
    private const string AgrDomain = "agr.example.org";
    private const string DsoDomain = "dso.example.com";
    private const string SuiteDomain = "suite.flexcoop.test";
    private static readonly EntityAddress Cp = EntityAddress.FromEan("871685900012345678");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A participant node with its own store, knowing the suite, and the suite's options pointing at it.</summary>
    private sealed class Target : IAsyncDisposable
    {
        private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("uftp-suite-");
        private readonly UftpSigningKey _participantKey = UftpSigningKey.Generate();
        private UftpSqliteStore? _store;
        private UftpNode? _node;

        public UftpSigningKey SuiteKey { get; } = UftpSigningKey.Generate();

        public UftpSuiteOptions Options { get; private set; } = null!;

        public static async Task<Target> StartAsync(UftpRole role, UftpFault faults = UftpFault.None)
        {
            var t = new Target();
            // The suite listens first (OS-assigned port) so the participant can be told where it is.
            var suitePort = FreePort();
            var suiteEndpoint = new Uri($"http://127.0.0.1:{suitePort}{UftpEndpoints.MessagePath}");
            var suiteRole = role == UftpRole.AGR ? UftpRole.DSO : UftpRole.AGR;
            var directory = new StaticUftpParticipantDirectory([new UftpParticipant(SuiteDomain, suiteRole, suiteEndpoint, new[] { t.SuiteKey.PublicKey })]);
            t._store = UftpSqliteStore.Open(Path.Combine(t._dir.FullName, "participant.db"));
            await t._store.AddCongestionPointsAsync([Cp], Ct);
            var domain = role == UftpRole.AGR ? AgrDomain : DsoDomain;
            IUftpMessageHandler handler = role == UftpRole.AGR
                ? new UftpAgrService(new UftpAgrServiceOptions())
                : new UftpDsoService(new UftpDsoServiceOptions { CongestionLimitWatts = 1_000_000 });
            t._node = await UftpNode.StartAsync(new UftpNodeOptions
            {
                Domain = domain, Role = role, Faults = faults,
                RetryBaseDelay = TimeSpan.FromMilliseconds(50), RetryMaxDelay = TimeSpan.FromMilliseconds(200), MaxAttempts = 3,
            }, t._participantKey, directory, t._store, handler, cancellationToken: Ct);
            t.Options = new UftpSuiteOptions
            {
                Role = role, Endpoint = t._node.MessageEndpoint, Domain = domain, SuiteDomain = SuiteDomain, SuiteKey = t.SuiteKey,
                ParticipantKeys = [t._participantKey.PublicKey], Listen = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, suitePort),
                CongestionPoint = Cp, ResponseTimeout = TimeSpan.FromSeconds(3),
            };
            return t;
        }

        private static int FreePort()
        {
            using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            probe.Start();
            return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }

        public async ValueTask DisposeAsync()
        {
            if (_node is not null) await _node.DisposeAsync();
            _store?.Dispose();
            _participantKey.Dispose();
            SuiteKey.Dispose();
            try
            {
                _dir.Delete(recursive: true);
            }
            catch (IOException)
            {
                // SQLite may still hold the file on some systems; the temp folder is cleaned later.
            }
        }
    }

    private static string Describe(UftpSuiteReport report) => UftpSuiteReports.ToText(report);

    [Theory]
    [InlineData(UftpRole.AGR)]
    [InlineData(UftpRole.DSO)]
    public async Task Our_participant_passes_every_case_of_its_role(UftpRole role)
    {
        await using var target = await Target.StartAsync(role);
        var report = await UftpConformanceSuite.RunAsync(target.Options, cancellationToken: Ct);
        Assert.True(report.Passed, Describe(report));
        Assert.Equal(UftpConformanceSuite.Select(UftpConformanceCases.All, role, null).Count, report.Results.Count);
        // Every scripted case really ran to a pass: none was skipped as not applicable against our own services.
        Assert.All(report.Results, r => Assert.Equal(UftpVerdict.Pass, r.Verdict));
    }

    private static readonly string[] ResponseCasesAgr =
    [
        "transport.test-message", "header.wrong-recipient", "header.unsupported-version", "header.unknown-time-zone", "header.unknown-congestion-point",
        "flex-request.valid", "flex-request.isp-out-of-range", "flex-request.min-above-max", "flex-request.period-in-past", "flex-request.expired-before-sent",
        "flex-order.valid", "flex-order.unknown-offer", "flex-order.expired-offer", "flex-order.revoked-offer", "flex-order.unknown-option",
        "flex-reservation-update.valid", "flex-settlement.net-settlement-mismatch",
    ];

    private static readonly string[] ResponseCasesDso =
    [
        "transport.test-message", "header.wrong-recipient", "header.unsupported-version", "header.unknown-time-zone", "header.unknown-congestion-point",
        "d-prognosis.valid", "d-prognosis.incomplete", "d-prognosis.isp-out-of-range", "d-prognosis.revision-not-increasing",
        "flex-offer.valid", "flex-offer.unknown-request", "flex-offer.duplicate-option", "flex-offer-revocation.unknown-offer", "flex-offer-revocation.twice",
        "metering.valid", "metering.wrong-unit",
    ];

    private static readonly string[] NeedAcceptedSetupAgr = ["flex-order.valid", "flex-order.expired-offer", "flex-order.revoked-offer", "flex-order.unknown-option"];

    private static readonly string[] NeedAcceptedSetupDso = ["d-prognosis.revision-not-increasing", "flex-offer.valid"];

    /// <summary>Fault mode → the cases that must fail, and nothing else.</summary>
    public static TheoryData<UftpFault, UftpRole, string[]> Faults => new()
    {
        { UftpFault.AcceptsBadSignature, UftpRole.AGR, ["signature.bad"] },
        { UftpFault.AcceptsBadSignature, UftpRole.DSO, ["signature.bad"] },
        { UftpFault.AcceptsUnknownSender, UftpRole.DSO, ["signature.unknown-sender", "signature.sender-role-not-allowed"] },
        { UftpFault.AcceptsDuplicateId, UftpRole.AGR, ["header.duplicate-message-id"] },
        { UftpFault.AcceptsWrongRecipient, UftpRole.DSO, ["header.wrong-recipient"] },
        { UftpFault.AcceptsOrderOnRevokedOffer, UftpRole.AGR, ["flex-order.revoked-offer"] },
        { UftpFault.AcceptsOrderOnExpiredOffer, UftpRole.AGR, ["flex-order.expired-offer"] },
        { UftpFault.AcceptsUnknownReference, UftpRole.AGR, ["flex-order.unknown-offer"] },
        { UftpFault.AcceptsUnknownReference, UftpRole.DSO, ["flex-offer.unknown-request", "flex-offer-revocation.unknown-offer"] },
        { UftpFault.AcceptsIspOutOfRange, UftpRole.AGR, ["flex-request.isp-out-of-range"] },
        { UftpFault.AcceptsIspOutOfRange, UftpRole.DSO, ["d-prognosis.isp-out-of-range"] },
        // A TestMessageResponse refers to nothing; the cases that need an accepted first message to set up become not applicable.
        { UftpFault.WrongReference, UftpRole.AGR, ResponseCasesAgr.Except(["transport.test-message", .. NeedAcceptedSetupAgr]).ToArray() },
        { UftpFault.SignsWithWrongKey, UftpRole.DSO, [.. ResponseCasesDso.Except(NeedAcceptedSetupDso), "participant.messages-valid"] },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Fault_mode_fails_exactly_the_cases_that_check_it(UftpFault fault, UftpRole role, string[] expected)
    {
        await using var target = await Target.StartAsync(role, fault);
        var report = await UftpConformanceSuite.RunAsync(target.Options, cancellationToken: Ct);
        Assert.True(expected.Order(StringComparer.Ordinal).SequenceEqual(report.FailedCaseIds.Order(StringComparer.Ordinal)), $"{fault.Name()}: expected failures [{string.Join(", ", expected)}]\n{Describe(report)}");
        Assert.False(report.Passed);
    }

    [Fact]
    public async Task Participant_that_never_answers_fails_every_case_that_waits_for_a_response()
    {
        await using var target = await Target.StartAsync(UftpRole.DSO, UftpFault.NoAsyncResponse);
        var options = target.Options with { ResponseTimeout = TimeSpan.FromSeconds(1) };
        var report = await UftpConformanceSuite.RunAsync(options, "transport.*,d-prognosis.valid,metering.*,signature.bad", Ct);
        Assert.Equal(["d-prognosis.valid", "metering.valid", "metering.wrong-unit", "transport.test-message"], report.FailedCaseIds.Order(StringComparer.Ordinal));
        var failure = report.Results.Single(r => r.Case.Id == "d-prognosis.valid").Findings;
        Assert.Contains(failure, f => f.Contains("no D-PrognosisResponse arrived", StringComparison.Ordinal));
        // Synchronous refusals do not depend on the Response.
        Assert.Equal(UftpVerdict.Pass, report.Results.Single(r => r.Case.Id == "signature.bad").Verdict);
    }

    [Fact]
    public async Task Case_without_a_script_is_not_implemented_and_the_run_does_not_pass()
    {
        await using var target = await Target.StartAsync(UftpRole.AGR);
        UftpConformanceCase[] cases =
        [
            new("demo.scripted", [UftpRole.AGR], "a scripted case", "-", (_, _) => Task.FromResult(UftpCaseOutcome.Pass())),
            new("demo.unscripted", [UftpRole.AGR], "a case without a script", "-", null),
            new("demo.throws", [UftpRole.AGR], "a case whose script throws", "-", (_, _) => throw new InvalidOperationException("boom")),
            new("demo.dso-only", [UftpRole.DSO], "not for an AGR", "-", (_, _) => Task.FromResult(UftpCaseOutcome.Pass())),
        ];
        var report = await UftpConformanceSuite.RunAsync(target.Options, cases, cancellationToken: Ct);
        Assert.Equal(["demo.scripted", "demo.unscripted", "demo.throws"], report.Results.Select(r => r.Case.Id));
        Assert.Equal([UftpVerdict.Pass, UftpVerdict.NotImplemented, UftpVerdict.Fail], report.Results.Select(r => r.Verdict));
        Assert.Contains("boom", report.Results[2].Findings[0], StringComparison.Ordinal);
        Assert.False(report.Passed);
    }

    [Fact]
    public void Case_patterns_select_by_glob_and_role()
    {
        var agr = UftpConformanceSuite.Select(UftpConformanceCases.All, UftpRole.AGR, "signature.*, flex-order.val?d");
        Assert.Equal(["signature.bad", "signature.unknown-sender", "signature.sender-domain-mismatch", "signature.sender-role-not-allowed", "flex-order.valid"], agr.Select(c => c.Id));
        Assert.Empty(UftpConformanceSuite.Select(UftpConformanceCases.All, UftpRole.DSO, "flex-order.*"));
        Assert.All(UftpConformanceCases.All, c => Assert.NotNull(c.Script));
        Assert.Equal(UftpConformanceCases.All.Count, UftpConformanceCases.All.Select(c => c.Id).Distinct().Count());
    }

    [Fact]
    public void Reports_count_each_verdict_in_junit_and_html()
    {
        UftpConformanceCase C(string id) => new(id, [UftpRole.DSO], "title of " + id, "rule", null);
        var report = new UftpSuiteReport(UftpRole.DSO, DsoDomain, new Uri("https://dso.example.com/shapeshifter/api/v3/message"), DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(2),
        [
            new(C("a.pass"), UftpVerdict.Pass, [], TimeSpan.Zero),
            new(C("a.fail"), UftpVerdict.Fail, ["Result is Accepted, expected Rejected <&>"], TimeSpan.Zero),
            new(C("b.na"), UftpVerdict.NotApplicable, ["no offer"], TimeSpan.Zero),
            new(C("b.ni"), UftpVerdict.NotImplemented, ["no script"], TimeSpan.Zero),
        ]);
        using var stream = new MemoryStream();
        UftpSuiteReports.WriteJUnit(report, stream);
        var suite = XDocument.Parse(System.Text.Encoding.UTF8.GetString(stream.ToArray())).Root!.Element("testsuite")!;
        Assert.Equal(("4", "1", "1", "1"), ((string)suite.Attribute("tests")!, (string)suite.Attribute("failures")!, (string)suite.Attribute("errors")!, (string)suite.Attribute("skipped")!));
        Assert.Equal("Result is Accepted, expected Rejected <&>", (string)suite.Elements("testcase").Single(e => (string)e.Attribute("name")! == "a.fail").Element("failure")!.Attribute("message")!);
        var html = UftpSuiteReports.ToHtml(report);
        Assert.Contains("expected Rejected &lt;&amp;&gt;", html, StringComparison.Ordinal);
        Assert.Contains("class=\"notimplemented\"", html, StringComparison.Ordinal);
        Assert.Contains("1 failed", UftpSuiteReports.Summary(report), StringComparison.Ordinal);
        Assert.EndsWith("FAILED", UftpSuiteReports.Summary(report), StringComparison.Ordinal);
    }
}
