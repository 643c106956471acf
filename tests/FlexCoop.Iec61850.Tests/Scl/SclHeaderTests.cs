using FlexCoop.Iec61850.Scl;

namespace FlexCoop.Iec61850.Tests.Scl;

public sealed class SclHeaderTests
{
    private const string Ns = "http://www.iec.ch/61850/2003/SCL";

    [Fact]
    public void Header_with_an_empty_id_is_accepted_as_the_schema_allows()
    {
        var doc = SclDocument.Parse($"""<SCL xmlns="{Ns}"><Header id="" nameStructure="IEDName"/></SCL>""");

        Assert.DoesNotContain(doc.Diagnostics, d => d.Code == SclDiagnosticCodes.MissingAttribute);
        Assert.Equal("", doc.Header!.Id);
    }

    [Fact]
    public void Header_without_an_id_is_a_missing_attribute()
    {
        var doc = SclDocument.Parse($"""<SCL xmlns="{Ns}"><Header nameStructure="IEDName"/></SCL>""");

        var missing = Assert.Single(doc.Diagnostics, d => d.Code == SclDiagnosticCodes.MissingAttribute);
        Assert.Contains("'id'", missing.Message, StringComparison.Ordinal);
    }
}
