using FlexCoop.Conformance.Certification;
using FlexCoop.Conformance.Certification.OpenAdr;
using FlexCoop.OpenAdr.Security;
using FlexCoop.OpenAdr.Ven;

namespace FlexCoop.Conformance.Tests.Certification;

/// <summary>
/// Each fault mode of our VEN makes the suite fail exactly the cases that fault should fail, and
/// every other scripted case still passes. The nine runs go four at a time, each with its own
/// harness and VEN.
/// </summary>
public sealed class FaultTableTests
{
    /// <summary>Scripted cases in which the VEN answers events with eventResponses.</summary>
    private static readonly string[] AnswersEvents =
    [
        "A_E1_0040", "A_E1_0060", "A_E1_0070", "A_E1_0082", "A_E1_0086", "A_E1_0092", "A_E1_0094", "A_E1_0096", "A_E1_0098", "A_E1_0100",
        "A_E1_0102", "A_E1_0104", "A_E1_0110", "A_E1_0130", "A_E1_0180", "A_E1_0190", "A_E1_0200", "A_E1_0210", "A_E1_0220", "A_E1_0230",
        "A_E1_0240", "A_E1_0250", "A_E1_0260", "A_E1_0262", "A_E1_0267", "A_E1_0268", "A_E1_0270", "A_E1_0280", "A_E1_0285", "A_E1_0300", "A_E1_0310",
        "A_E1_0325", "A_E1_0340", "A_E1_0345", "A_E1_0360", "A_E1_0370", "A_E1_0390", "A_E1_0392",
        "E1_1020", "E1_1025", "E1_1027", "E1_1030", "E1_1040", "E1_1050", "E1_1060", "E1_1065", "E1_1070", "G1_4010", "G1_4015",
    ];

    public static TheoryData<string, string[]> Table => new()
    {
        { "wrong-requestid-echo", AnswersEvents },
        { "out-of-order-elements", [.. AnswersEvents, "E1_1080"] },
        { "answers-when-never", ["A_E1_0090", "A_E1_0092"] },
        { "ignores-modification", ["A_E1_0094", "A_E1_0345", "E1_1030", "G1_4010"] },
        { "accepts-lower-modification", ["A_E1_0280", "A_E1_0285"] },
        { "no-opt-on-cancel", ["A_E1_0096", "A_E1_0190", "A_E1_0260", "A_E1_0262", "A_E1_0285"] },
        { "wrong-venid", ["A_E1_0220", "E1_1060", "E1_1065", "P1_2010", "P1_2015", "P1_2020", "P1_2030", "P1_2040", "P1_2050"] },
        { "polls-too-fast", ["N1_0015"] },
        // Run at high security (harness and VEN), where only the case sending replayed, wrongly signed and unsigned payloads notices.
        { "ignores-signatures", ["G1_4011"] },
    };

    /// <summary>Faults that only show at high security: their rows run with the harness and the VEN signing.</summary>
    private static readonly HashSet<string> HighSecurity = new(StringComparer.Ordinal) { "ignores-signatures" };

    [Fact]
    public async Task Each_fault_fails_exactly_its_cases_and_the_rest_pass()
    {
        var rows = Table.Select(r => ((string)r.Data.Item1, (string[])r.Data.Item2)).ToList();
        Assert.Equal(VenFaults.Names.Count, rows.Count); // every fault has a row
        // At most four runs at once: each is a harness and a VEN polling every 0.1 s-scaled second, and a starved
        // thread pool would show up as a VEN that stopped polling.
        using var slots = new SemaphoreSlim(4);
        var runs = rows.Select(async row =>
        {
            await slots.WaitAsync(TestContext.Current.CancellationToken);
            try
            {
                var high = HighSecurity.Contains(row.Item1) ? OadrSecurityLevel.High : OadrSecurityLevel.Standard;
                await using var dut = await VenUnderTest.StartAsync(VenFaults.Parse(row.Item1), security: high, venSecurity: high);
                return (Fault: row.Item1, Expected: row.Item2, Result: await dut.RunAsync(pics: high == OadrSecurityLevel.High ? VenUnderTest.OurHighPics : VenUnderTest.OurPics));
            }
            finally
            {
                slots.Release();
            }
        }).ToList();
        var problems = new List<string>();
        foreach (var (fault, expected, result) in await Task.WhenAll(runs))
        {
            var failing = result.Results.Where(r => r.Verdict != CaseVerdict.Pass && r.Verdict != CaseVerdict.NotApplicable && r.Verdict != CaseVerdict.NotImplemented)
                .Select(r => r.Case.Id.Replace("_TH_VTN", "", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
            var missed = expected.Where(e => !failing.Contains(e)).ToList();
            var extra = failing.Where(f => !expected.Contains(f)).ToList();
            var notFail = result.Results.Where(r => expected.Contains(r.Case.Id.Replace("_TH_VTN", "", StringComparison.Ordinal)) && r.Verdict != CaseVerdict.Fail).ToList();
            if (missed.Count > 0) problems.Add($"{fault}: should fail but passed: {string.Join(", ", missed)}");
            if (extra.Count > 0) problems.Add($"{fault}: should pass but did not: {string.Join(", ", result.Results.Where(r => extra.Contains(r.Case.Id.Replace("_TH_VTN", "", StringComparison.Ordinal))).Select(r => $"{r.Case.Id} {r.Verdict} {r.FirstFailure?.ToString() ?? r.Note}"))}");
            if (notFail.Count > 0 && missed.Count == 0) problems.Add($"{fault}: inconclusive instead of failed: {string.Join(", ", notFail.Select(r => r.Case.Id))}");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
