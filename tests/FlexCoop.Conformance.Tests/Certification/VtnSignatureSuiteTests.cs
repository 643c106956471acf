using FlexCoop.Conformance.Certification;
using FlexCoop.Conformance.Certification.OpenAdr;
using FlexCoop.OpenAdr.Security;
using FlexCoop.OpenAdr.Vtn;

namespace FlexCoop.Conformance.Tests.Certification;

/// <summary>G1_4011 / G0_9020: the harness VEN signs its payloads and verifies the VTN's; our VTN at high security passes, unsigned distributes fail.</summary>
public sealed class VtnSignatureSuiteTests
{
    private const string XmlDsig = "http://www.w3.org/2000/09/xmldsig#";

    private static int Signatures(CaseResult r, MessageDirection direction) =>
        r.Timeline.Count(t => t.Direction == direction && t.Body.Contains(XmlDsig, StringComparison.Ordinal));

    [Fact]
    public async Task Our_VTN_at_high_security_passes_G1_4011_and_signed_report_and_event_cases_pull()
    {
        await using var dut = await VtnUnderTest.StartAsync(high: true);
        var result = await dut.RunAsync("N1_0010,E1_1020,R1_3090,G1_4011", VtnUnderTest.HighSecurityPics);

        Assert.True(result.AllApplicablePassed && result.Count(CaseVerdict.Pass) == 4, VtnUnderTest.Describe(result));
        var g4011 = result.Results.Single(r => r.Case.Id == "G1_4011_TH_VEN");
        Assert.True(Signatures(g4011, MessageDirection.ToDevice) > 0, "the harness VEN signs what it sends");
        Assert.True(Signatures(g4011, MessageDirection.FromDevice) > 0, "the VTN signs what it answers");
        Assert.Contains(g4011.Timeline, t => t.Label == "xml-signature" && t.Body.Contains("valid signature", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Our_VTN_at_high_security_passes_G0_9020_push()
    {
        await using var dut = await VtnUnderTest.StartAsync(exchange: Exchange.Push, high: true);
        var result = await dut.RunAsync("G0_9020,R0_8100", VtnUnderTest.HighSecurityPics);

        Assert.True(result.AllApplicablePassed && result.Count(CaseVerdict.Pass) == 2, VtnUnderTest.Describe(result));
        var g9020 = result.Results.Single(r => r.Case.Id == "G0_9020_TH_VEN");
        Assert.Contains(g9020.Timeline, t => t.Label.StartsWith("push EiEvent", StringComparison.Ordinal) && t.Body.Contains(XmlDsig, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unsigned_distributes_fail_G1_4011_and_G0_9020_with_the_signature_rule()
    {
        await using var pull = await VtnUnderTest.StartAsync(VtnFault.UnsignedDistribute, high: true);
        await using var push = await VtnUnderTest.StartAsync(VtnFault.UnsignedDistribute, exchange: Exchange.Push, high: true);
        var results = await Task.WhenAll(pull.RunAsync("G1_4011", VtnUnderTest.HighSecurityPics), push.RunAsync("G0_9020", VtnUnderTest.HighSecurityPics));

        foreach (var result in results)
        {
            var signed = Assert.Single(result.Results);
            Assert.True(signed.Verdict == CaseVerdict.Fail, $"{signed.Case.Id}: {signed.Verdict} {signed.Note}");
            Assert.Equal("xml-signature", signed.FirstFailure!.Rule);
            Assert.Equal("NoSignature", signed.FirstFailure.Element);
            // The failure names the payload: every other payload (registration answers, ...) was signed and verified.
            Assert.Contains("oadrDistributeEvent", signed.FirstFailure.Message, StringComparison.Ordinal);
            Assert.Contains(signed.Timeline, t => t.Direction == MessageDirection.FromDevice && t.Body.Contains("oadrCreatedPartyRegistration", StringComparison.Ordinal) && t.Body.Contains(XmlDsig, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Standard_security_run_leaves_G1_4011_inconclusive_and_high_security_needs_TLS()
    {
        await using var dut = await VtnUnderTest.StartAsync();
        var result = await dut.RunAsync("G1_4011", VtnUnderTest.HighSecurityPics);
        var g4011 = Assert.Single(result.Results);
        Assert.Equal(CaseVerdict.Inconclusive, g4011.Verdict);
        Assert.Contains("--security high", g4011.Note ?? "", StringComparison.Ordinal);

        var plain = new HarnessVenOptions { Vtn = new Uri("http://127.0.0.1:1"), Security = OadrSecurityLevel.High };
        var refused = Assert.Throws<CertificationSetupException>(() => plain.Validate());
        Assert.Contains("https://", refused.Message, StringComparison.Ordinal);
    }
}
