using System.Xml.Linq;
using FlexCoop.Conformance.Certification;
using FlexCoop.Conformance.Reports;
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

    private static string Describe(SuiteResult result) =>
        string.Join("\n", result.Results.Where(r => r.Verdict != CaseVerdict.Pass).Select(r => $"{r.Case.Id} {r.Verdict}: {string.Join(" | ", r.Failures.Select(f => f.Message).DefaultIfEmpty(r.Note ?? ""))}"));

    private static IReadOnlyList<string> FailedIds(SuiteResult result) => [.. result.Results.Where(r => r.Verdict == CaseVerdict.Fail).Select(r => r.Case.Id)];

    /// <summary>Starts the suite for <paramref name="options"/> and runs it on the shared runner.</summary>
    private static async Task<SuiteResult> RunAsync(UftpSuiteOptions options, string? pattern = null, IEnumerable<UftpConformanceCase>? cases = null)
    {
        await using var suite = await UftpConformanceSuite.StartAsync(options, cases, Ct);
        return await CertificationRunner.RunAsync(suite, new CertificationRunOptions { Pattern = pattern, CaseTimeout = TimeSpan.FromMinutes(2) }, Ct);
    }

    [Theory]
    [InlineData(UftpRole.AGR)]
    [InlineData(UftpRole.DSO)]
    public async Task Our_participant_passes_every_case_of_its_role(UftpRole role)
    {
        await using var target = await Target.StartAsync(role);
        var result = await RunAsync(target.Options);
        Assert.True(result.AllApplicablePassed, Describe(result));
        Assert.Equal(UftpConformanceSuite.CasesFor(role).Count, result.Results.Count);
        // Every scripted case really ran to a pass: none was skipped as not applicable against our own services.
        Assert.All(result.Results, r => Assert.Equal(CaseVerdict.Pass, r.Verdict));
        // Each case's timeline holds what the suite sent (readable payloads) and what the participant answered.
        Assert.All(result.Results.Where(r => r.Case.Id != "participant.messages-valid"), r => Assert.Contains(r.Timeline, t => t.Direction == MessageDirection.ToDevice));
        var valid = result.Results.Single(r => r.Case.Id == (role == UftpRole.AGR ? "flex-request.valid" : "d-prognosis.valid"));
        Assert.Contains(valid.Timeline, t => t.Direction == MessageDirection.ToDevice && t.Body.Contains(role == UftpRole.AGR ? "<FlexRequest" : "<D-Prognosis", StringComparison.Ordinal));
        Assert.Contains(valid.Timeline, t => t.Direction == MessageDirection.FromDevice && t.Label.StartsWith(role == UftpRole.AGR ? "FlexRequestResponse" : "D-PrognosisResponse", StringComparison.Ordinal));
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
        var result = await RunAsync(target.Options);
        Assert.True(expected.Order(StringComparer.Ordinal).SequenceEqual(FailedIds(result).Order(StringComparer.Ordinal)), $"{fault.Name()}: expected failures [{string.Join(", ", expected)}]\n{Describe(result)}");
        Assert.False(result.AllApplicablePassed);
        Assert.All(result.Results.Where(r => r.Verdict == CaseVerdict.Fail), r => Assert.Equal(r.Case.Requirement, r.FirstFailure!.Rule));
    }

    [Fact]
    public async Task Participant_that_never_answers_fails_every_case_that_waits_for_a_response()
    {
        await using var target = await Target.StartAsync(UftpRole.DSO, UftpFault.NoAsyncResponse);
        var options = target.Options with { ResponseTimeout = TimeSpan.FromSeconds(1) };
        var result = await RunAsync(options, "transport,d-prognosis.valid,metering.*,signature.bad");
        Assert.Equal(["d-prognosis.valid", "metering.valid", "metering.wrong-unit", "transport.test-message"], FailedIds(result).Order(StringComparer.Ordinal));
        var failure = result.Results.Single(r => r.Case.Id == "d-prognosis.valid").Failures;
        Assert.Contains(failure, f => f.Message.Contains("no D-PrognosisResponse arrived", StringComparison.Ordinal));
        // Synchronous refusals do not depend on the Response.
        Assert.Equal(CaseVerdict.Pass, result.Results.Single(r => r.Case.Id == "signature.bad").Verdict);
    }

    [Fact]
    public async Task Case_without_a_script_is_not_implemented_a_broken_one_inconclusive_and_the_run_does_not_pass()
    {
        await using var target = await Target.StartAsync(UftpRole.AGR);
        UftpConformanceCase[] cases =
        [
            new("demo.scripted", [UftpRole.AGR], "a scripted case", "-", (_, _) => Task.FromResult(UftpCaseOutcome.Pass())),
            new("demo.unscripted", [UftpRole.AGR], "a case without a script", "-", null),
            new("demo.throws", [UftpRole.AGR], "a case whose script throws", "-", (_, _) => throw new InvalidOperationException("boom")),
            new("demo.not-for-it", [UftpRole.AGR], "a case that cannot apply", "-", (_, _) => Task.FromResult(UftpCaseOutcome.NotApplicable("no offer to order"))),
            new("demo.fails", [UftpRole.AGR], "a case that fails twice", "the rule", (_, _) => Task.FromResult(UftpCaseOutcome.Fail("first <&>", "second"))),
            new("demo.dso-only", [UftpRole.DSO], "not for an AGR", "-", (_, _) => Task.FromResult(UftpCaseOutcome.Pass())),
        ];
        var result = await RunAsync(target.Options, cases: cases);
        Assert.Equal(["demo.scripted", "demo.unscripted", "demo.throws", "demo.not-for-it", "demo.fails"], result.Results.Select(r => r.Case.Id));
        Assert.Equal([CaseVerdict.Pass, CaseVerdict.NotImplemented, CaseVerdict.Inconclusive, CaseVerdict.NotApplicable, CaseVerdict.Fail], result.Results.Select(r => r.Verdict));
        Assert.Contains("boom", result.Results[2].Note, StringComparison.Ordinal);
        Assert.Equal("no offer to order", result.Results[3].Note);
        Assert.Equal([new CheckFailure("the rule", "first <&>", null, 0), new CheckFailure("the rule", "second", null, 1)], result.Results[4].Failures);
        Assert.False(result.AllApplicablePassed);

        using var stream = new MemoryStream();
        CertificationJUnitReport.Write(result, stream);
        var suite = XDocument.Parse(System.Text.Encoding.UTF8.GetString(stream.ToArray())).Root!.Element("testsuite")!;
        Assert.Equal(("5", "1", "2", "1"), ((string)suite.Attribute("tests")!, (string)suite.Attribute("failures")!, (string)suite.Attribute("errors")!, (string)suite.Attribute("skipped")!));
        Assert.Contains("requirement: the rule", suite.Descendants("failure").Single().Value, StringComparison.Ordinal);
        var html = CertificationHtmlReport.Render(result);
        Assert.Contains("first &lt;&amp;&gt;", html, StringComparison.Ordinal);
        Assert.Contains("class=\"notimplemented\"", html, StringComparison.Ordinal);
        Assert.Contains("Requirement: the rule", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Case_patterns_select_by_glob_group_and_role()
    {
        var agr = CertificationRunner.Select(new Catalogue(UftpRole.AGR), "signature, flex-order.val?d");
        Assert.Equal(["signature.bad", "signature.unknown-sender", "signature.sender-domain-mismatch", "signature.sender-role-not-allowed", "flex-order.valid"], agr.Select(c => c.Id));
        Assert.Empty(CertificationRunner.Select(new Catalogue(UftpRole.DSO), "flex-order.*"));
        Assert.All(UftpConformanceCases.All, c => Assert.NotNull(c.Script));
        Assert.Equal(UftpConformanceCases.All.Count, UftpConformanceCases.All.Select(c => c.Id).Distinct().Count());
        Assert.Equal(39, UftpConformanceCases.All.Count);
    }

    /// <summary>The role's catalogue, to select from without starting a suite.</summary>
    private sealed class Catalogue(UftpRole role) : ICertificationSuite
    {
        public string Name => "catalogue";
        public IReadOnlyList<CertificationCase> Cases { get; } = [.. UftpConformanceSuite.CasesFor(role).Select(c => c.ToCertificationCase())];
        public IReadOnlyList<string> Notes => [];
        public bool HasScript(CertificationCase @case) => true;
        public Task RunCaseAsync(CertificationCase @case, CaseRecorder recorder, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
