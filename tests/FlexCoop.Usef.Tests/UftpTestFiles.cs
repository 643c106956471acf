using FlexCoop.Testing;
using FlexCoop.Usef.Validation;

namespace FlexCoop.Usef.Tests;

/// <summary>The official schemas and public vectors from the shared folder, and our own vectors.</summary>
internal static class UftpTestFiles
{
    private static readonly Lazy<UftpSchemaSet> SchemaSet = new(() => UftpSchemaSet.Load(Path.Combine(TestEnvironment.SharedDir, "schemas", "uftp")));

    /// <summary>The UFTP 3.1 schema set (skips, or fails under CI, when the shared schemas are absent).</summary>
    public static UftpSchemaSet Schemas
    {
        get
        {
            TestEnvironment.RequireShared("schemas/uftp/UFTP-common.xsd");
            return SchemaSet.Value;
        }
    }

    public static string Vector(string relative) => TestEnvironment.RequireShared(Path.Combine("vectors", "uftp", relative));

    /// <summary>Fixtures that are valid against UFTP 3.1.0 (the README lists the others as invalid).</summary>
    public static readonly string[] ValidFixtures =
    [
        "shapeshifter-java-v3-conversation/FlexOffer.xml",
        "shapeshifter-java-v3-conversation/FlexOffer.expected.xml",
        "shapeshifter-java-v3-conversation/FlexOfferResponse.xml",
        "shapeshifter-java-v3-conversation/FlexOfferResponse.expected.xml",
        "shapeshifter-java-v3-conversation/FlexOrder.xml",
        "shapeshifter-java-v3-conversation/FlexOrder.expected.xml",
        "shapeshifter-java-v3-conversation/FlexOrderResponse.xml",
        "shapeshifter-java-v3-conversation/FlexOrderResponse.expected.xml",
        "shapeshifter-java-v3-conversation/FlexRequest.xml",
        "shapeshifter-java-v3-conversation/FlexRequest.expected.xml",
        "shapeshifter-java-v3-conversation/FlexRequestResponse.xml",
        "shapeshifter-java-v3-conversation/FlexRequestResponse.expected.xml",
        "uftplib-2022/TestAGRPortfolioUpdate_Correct.XML",
        "uftplib-2022/TestD-Prognosis.XML",
        "uftplib-2022/TestD-Prognosis2.XML",
        "uftplib-2022/TestD-PrognosisResponse.XML",
        "uftplib-2022/TestD-PrognosisResponse2.XML",
        "uftplib-2022/TestFlexOfferResponse.XML",
        "uftplib-2022/TestFlexOrder.XML",
        "uftplib-2022/TestFlexOrderResponse.XML",
        "uftplib-2022/TestFlexRequest.XML",
        "uftplib-2022/TestFlexRequestResponse.XML",
        "uftplib-2022/TestFlexSettlementResponse.XML",
        "uftplib-2022/TestMessageCorrect.XML",
    ];

    /// <summary>Fixtures the README documents as invalid against 3.1.0.</summary>
    public static readonly string[] InvalidFixtures =
    [
        "shapeshifter-java-negative/FlexOrder_missing-Version.xml",
        "shapeshifter-java-negative/FlexRequest_missing-Version.xml",
        "uftplib-2022/TestDSOPortfolioUpdateResponse_AcceptedCorrect.XML",
        "uftplib-2022/TestFlexOffer.XML",
        "uftplib-2022/TestFlexSettlement.XML",
        "uftplib-2022/TestMessageIncorrectISPDuration.XML",
        "uftplib-2022/TestMessageIncorrectTimezone.XML",
    ];

    public static TheoryData<string> Valid() => new(ValidFixtures);

    public static TheoryData<string> Invalid() => new(InvalidFixtures);
}
