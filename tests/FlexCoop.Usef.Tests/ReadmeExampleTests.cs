using FlexCoop.Usef.Signing;
using FlexCoop.Usef.Validation;
using FlexCoop.Usef.Xml;

namespace FlexCoop.Usef.Tests;

/// <summary>The example of usef/FlexCoop.Usef/README.md, compiled and run.</summary>
public sealed class ReadmeExampleTests
{
    [Fact]
    public async Task Readme_example_seals_opens_and_validates_a_prognosis_on_a_dst_day()
    {
        var prognosis = new DPrognosis
        {
            SenderDomain = "agr.example.org", RecipientDomain = "dso.example.com",
            TimeStamp = DateTimeOffset.UtcNow, MessageId = Guid.NewGuid(), ConversationId = Guid.NewGuid(),
            IspDuration = TimeSpan.FromMinutes(15), TimeZone = "Europe/Amsterdam",
            Period = new DateOnly(2025, 3, 30), // clocks go forward: 92 quarter hours
            CongestionPoint = EntityAddress.FromEan("871685900012345678"),
            Revision = 1,
            Isps = new[] { new PowerIsp(Power: 800_000, Start: 1, Duration: 92) },
        };

        byte[] xml = UftpXml.Serialize(prognosis);
        using var key = UftpSigningKey.Generate();
        SignedMessage envelope = UftpSigner.Seal(xml, prognosis.SenderDomain, UftpRole.AGR, key);
        UftpOpenedMessage opened = UftpSigner.Open(envelope, [key.PublicKey]);

        var context = new InMemoryUftpValidationContext();
        context.AddCongestionPoint(prognosis.CongestionPoint);
        var validator = new UftpBusinessValidator(UftpValidationOptions.Default with { RejectPastPeriods = false }, context);
        UftpValidationResult result = await validator.ValidateAsync(opened.Message, UftpRole.AGR, TestContext.Current.CancellationToken);

        Assert.Equal(prognosis, opened.Message);
        Assert.True(result.IsValid, string.Join("\n", result.Violations));
    }
}
