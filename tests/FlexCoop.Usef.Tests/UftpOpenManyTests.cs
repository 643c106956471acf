using FlexCoop.Usef.Participants;
using FlexCoop.Usef.Signing;
using FlexCoop.Usef.Transport;
using FlexCoop.Usef.Validation;
using FlexCoop.Usef.Xml;

namespace FlexCoop.Usef.Tests;

public sealed class UftpOpenManyTests
{
    [Fact]
    public void Open_many_keeps_input_order_and_reports_each_refusal_without_throwing()
    {
        using var agr = UftpSigningKey.Generate();
        using var stranger = UftpSigningKey.Generate();
        IReadOnlyList<UftpPublicKey> agrKeys = [agr.PublicKey];
        var messages = Enumerable.Range(0, 200).Select(i => Trade.Prognosis() with { MessageId = Guid.NewGuid(), Revision = i + 1 }).ToList();
        var envelopes = messages.Select(m => (ReadOnlyMemory<byte>)UftpXml.Serialize(UftpSigner.Seal(m, UftpRole.AGR, agr))).ToList();
        // Broken on purpose: a bad signature, an unknown sender, unreadable XML, a role that may not send a D-Prognosis.
        var tampered = envelopes[3].ToArray();
        var sealedBody = UftpXml.ParseSignedMessage(tampered).Body.ToArray();
        sealedBody[5] ^= 1;
        envelopes[3] = UftpXml.Serialize(new SignedMessage(Trade.Agr, UftpRole.AGR, sealedBody));
        envelopes[50] = UftpXml.Serialize(UftpSigner.Seal(messages[50] with { SenderDomain = "stranger.example.org" }, UftpRole.AGR, stranger));
        envelopes[100] = "<SignedMessage"u8.ToArray();
        envelopes[150] = UftpXml.Serialize(UftpSigner.Seal(messages[150], UftpRole.DSO, agr));

        var results = UftpSigner.OpenMany(envelopes, (domain, role) => domain == Trade.Agr ? agrKeys : null, maxDegreeOfParallelism: 2);

        Assert.Equal(200, results.Length);
        Assert.Equal(UftpSignatureFailure.BadSignature, Assert.IsType<UftpSignatureException>(results[3].Error).Failure);
        Assert.Equal(UftpSignatureFailure.UnknownSender, Assert.IsType<UftpSignatureException>(results[50].Error).Failure);
        Assert.Equal("xml", Assert.IsType<UftpFormatException>(results[100].Error).Rule);
        Assert.Equal(UftpSignatureFailure.SenderRoleMismatch, Assert.IsType<UftpSignatureException>(results[150].Error).Failure);
        for (var i = 0; i < results.Length; i++)
        {
            if (i is 3 or 50 or 100 or 150) continue;
            Assert.True(results[i].IsSuccess, $"#{i}: {results[i].Error?.Message}");
            Assert.Equal(messages[i], results[i].Opened!.Message);
        }
    }

    [Fact]
    public void Open_many_of_nothing_is_empty_and_a_zero_degree_of_parallelism_is_refused()
    {
        Assert.Empty(UftpSigner.OpenMany([], (_, _) => null));
        Assert.Throws<ArgumentOutOfRangeException>(() => UftpSigner.OpenMany([], (_, _) => null, maxDegreeOfParallelism: 0));
    }

    [Fact]
    public async Task Disabled_rules_are_not_reported_and_the_others_still_are()
    {
        var context = new InMemoryUftpValidationContext();
        context.AddCongestionPoint(Trade.Cp);
        var lateIsp = Trade.Prognosis() with { RecipientDomain = "someone-else.example.com", Isps = ValueList.Of(new PowerIsp(1, 1, 96), new PowerIsp(1, 97)) };
        var strict = new UftpBusinessValidator(UftpValidationOptions.Default with { OwnDomain = Trade.Dso, RejectPastPeriods = false }, context);
        var lax = new UftpBusinessValidator(UftpValidationOptions.Default with { OwnDomain = Trade.Dso, RejectPastPeriods = false, DisabledRules = UftpFaults.DisabledRules(UftpFault.AcceptsIspOutOfRange) }, context);

        var all = (await strict.ValidateAsync(lateIsp, UftpRole.AGR, TestContext.Current.CancellationToken)).Violations.Select(v => v.BusinessRule).ToList();
        var some = (await lax.ValidateAsync(lateIsp, UftpRole.AGR, TestContext.Current.CancellationToken)).Violations.Select(v => v.BusinessRule).ToList();

        Assert.Contains(UftpRule.IspOutOfRange, all);
        Assert.Contains(UftpRule.RecipientDomainMismatch, all);
        Assert.DoesNotContain(UftpRule.IspOutOfRange, some);
        Assert.Contains(UftpRule.RecipientDomainMismatch, some);
    }

    [Fact]
    public void Fault_names_round_trip_in_kebab_case()
    {
        Assert.Equal("accepts-order-on-revoked-offer", UftpFault.AcceptsOrderOnRevokedOffer.Name());
        foreach (var fault in UftpFaults.All)
        {
            Assert.True(UftpFaults.TryParse(fault.Name(), out var parsed));
            Assert.Equal(fault, parsed);
        }
        Assert.False(UftpFaults.TryParse("accepts-everything", out _));
    }
}
