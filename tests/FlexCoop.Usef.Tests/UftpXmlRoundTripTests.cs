using CsCheck;
using FlexCoop.Usef.Xml;

namespace FlexCoop.Usef.Tests;

public sealed class UftpXmlRoundTripTests
{
    [Theory]
    [MemberData(nameof(UftpTestFiles.Valid), MemberType = typeof(UftpTestFiles))]
    public void Valid_fixture_parses_serialises_schema_valid_and_parses_back_equal(string fixture)
    {
        var bytes = File.ReadAllBytes(UftpTestFiles.Vector(fixture));
        var message = UftpXml.Parse(bytes);

        var written = UftpXml.Serialize(message);
        var schema = UftpTestFiles.Schemas.Validate(written);
        Assert.True(schema.IsValid, string.Join("\n", schema.Violations));
        Assert.Equal(message, UftpXml.Parse(written));
    }

    [Theory]
    [InlineData("FlexOffer")]
    [InlineData("FlexOrder")]
    [InlineData("FlexRequest")]
    [InlineData("FlexRequestResponse")]
    [InlineData("FlexOfferResponse")]
    [InlineData("FlexOrderResponse")]
    public void Shapeshifter_input_and_its_serializer_output_mean_the_same(string name)
    {
        var input = UftpXml.Parse(File.ReadAllBytes(UftpTestFiles.Vector($"shapeshifter-java-v3-conversation/{name}.xml")));
        var expected = UftpXml.Parse(File.ReadAllBytes(UftpTestFiles.Vector($"shapeshifter-java-v3-conversation/{name}.expected.xml")));
        Assert.Equal(expected, input);
    }

    [Fact]
    public void Parse_flex_offer_fixture_keeps_every_value()
    {
        var offer = Assert.IsType<FlexOffer>(UftpXml.Parse(File.ReadAllBytes(UftpTestFiles.Vector("shapeshifter-java-v3-conversation/FlexOffer.xml"))));
        Assert.Equal("3.0.0", offer.Version);
        Assert.Equal("aggregator.org", offer.SenderDomain);
        Assert.Equal(Guid.Parse("338ed243-5517-4400-962e-2b7b812c468c"), offer.MessageId);
        Assert.Equal(new DateTimeOffset(2021, 10, 29, 6, 54, 36, TimeSpan.Zero).AddTicks(8868538), offer.TimeStamp);
        Assert.Equal(TimeSpan.FromMinutes(15), offer.IspDuration);
        Assert.Equal(new DateOnly(2021, 10, 30), offer.Period);
        Assert.Equal("ea1.2009-01.nl.enexis.usef:123-TP-bundel-congestiepunt", offer.CongestionPoint.Value);
        Assert.Equal("", offer.BaselineReference);
        Assert.Equal(Guid.Parse("d3ae4836-55b1-4084-b54e-34107b22648c"), offer.FlexRequestMessageId);
        var option = Assert.Single(offer.OfferOptions);
        Assert.Equal(96, option.Isps.Count);
        Assert.Equal(new PowerIsp(14, 57), option.Isps[56]);
        Assert.Equal(1.00m, option.MinActivationFactor);
    }

    [Fact]
    public void Parse_uftplib_settlement_response_keeps_statuses()
    {
        var response = Assert.IsType<FlexSettlementResponse>(UftpXml.Parse(File.ReadAllBytes(UftpTestFiles.Vector("uftplib-2022/TestFlexSettlementResponse.XML"))));
        var status = Assert.Single(response.FlexOrderSettlementStatuses);
        Assert.Equal(new FlexOrderSettlementStatus("20200512155341", AcceptedDisputed.Accepted), status);
        // No offset on the wire: read as UTC.
        Assert.Equal(TimeSpan.Zero, response.TimeStamp.Offset);
    }

    [Fact]
    public void Generators_cover_every_payload_message_type()
    {
        var payloadTypes = Enum.GetValues<UftpMessageType>().Where(t => t != UftpMessageType.SignedMessage);
        Assert.Equal(payloadTypes.OrderBy(t => t), UftpGenerators.ByType.Keys.OrderBy(t => t));
    }

    public static TheoryData<UftpMessageType> PayloadTypes() =>
        new(Enum.GetValues<UftpMessageType>().Where(t => t != UftpMessageType.SignedMessage));

    [Theory]
    [MemberData(nameof(PayloadTypes))]
    public void Generated_message_serialises_schema_valid_and_parses_back_equal(UftpMessageType type)
    {
        var schemas = UftpTestFiles.Schemas;
        UftpGenerators.ByType[type].Sample(message =>
        {
            Assert.Equal(type, message.MessageType);
            var xml = UftpXml.Serialize(message);
            var result = schemas.Validate(xml);
            Assert.True(result.IsValid, string.Join("\n", result.Violations) + "\n" + System.Text.Encoding.UTF8.GetString(xml));
            Assert.Equal(message, UftpXml.Parse(xml));
        }, iter: 60);
    }

    [Fact]
    public void Signed_message_envelope_round_trips_and_is_schema_valid()
    {
        var envelope = new SignedMessage("piet.nl", UftpRole.AGR, new byte[] { 1, 2, 3, 0, 255 });
        var xml = UftpXml.Serialize(envelope);
        Assert.True(UftpTestFiles.Schemas.Validate(xml).IsValid);
        Assert.Equal(envelope, UftpXml.ParseSignedMessage(xml));

        var fixture = UftpXml.ParseSignedMessage(File.ReadAllBytes(UftpTestFiles.Vector("shapeshifter-java-v3-conversation/SignedMessage.xml")));
        Assert.Equal("piet.nl", fixture.SenderDomain);
        Assert.Equal("dit is een nog\n geen tekst", System.Text.Encoding.UTF8.GetString(fixture.Body.Span));
    }

    [Fact]
    public void Equal_messages_built_separately_are_equal_and_hash_alike()
    {
        static DPrognosis Build() => new()
        {
            SenderDomain = "agr.example.org", RecipientDomain = "dso.example.com",
            TimeStamp = new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.Zero),
            MessageId = Guid.Parse("11111111-2222-3333-4444-555555555555"), ConversationId = Guid.Parse("11111111-2222-3333-4444-666666666666"),
            IspDuration = TimeSpan.FromMinutes(15), TimeZone = "Europe/Amsterdam", Period = new DateOnly(2025, 3, 2),
            CongestionPoint = EntityAddress.FromEan("871685900012345678"), Revision = 1,
            Isps = new[] { new PowerIsp(100, 1, 96) },
        };
        Assert.Equal(Build(), Build());
        Assert.Equal(Build().GetHashCode(), Build().GetHashCode());
        Assert.NotEqual(Build(), Build() with { Isps = new[] { new PowerIsp(101, 1, 96) } });
    }
}
