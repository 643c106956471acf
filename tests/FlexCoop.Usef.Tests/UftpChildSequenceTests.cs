using System.Xml.Linq;
using CsCheck;
using FlexCoop.Usef.Xml;

namespace FlexCoop.Usef.Tests;

/// <summary>
/// The two elements whose children are one list followed by another (FlexSettlement: FlexOrderSettlement+ then
/// ContractSettlement+; DSO-View: DSO-Portfolio+ then Connection*), read by one sequence reader: each list in its
/// place reads back, anything out of order or a required list left out is refused naming the element.
/// </summary>
public sealed class UftpChildSequenceTests
{
    private static XDocument Document(PayloadMessage message) => XDocument.Parse(System.Text.Encoding.UTF8.GetString(UftpXml.Serialize(message)));

    private static UftpFormatException Refused(XDocument document) => Assert.Throws<UftpFormatException>(() => UftpXml.Parse(document.ToString()));

    [Fact]
    public void A_settlement_with_its_lists_out_of_order_or_without_contracts_is_refused()
    {
        UftpGenerators.ByType[UftpMessageType.FlexSettlement].Sample(message =>
        {
            var contractFirst = Document(message);
            var contract = contractFirst.Root!.Element("ContractSettlement")!;
            contract.Remove();
            contractFirst.Root.AddFirst(contract);
            var ex = Refused(contractFirst);
            Assert.Equal("xsd", ex.Rule);
            Assert.EndsWith("/ContractSettlement", ex.Path, StringComparison.Ordinal);

            var orderLast = Document(message);
            orderLast.Root!.Add(new XElement(orderLast.Root.Element("FlexOrderSettlement")!));
            Assert.EndsWith("/FlexOrderSettlement", Refused(orderLast).Path, StringComparison.Ordinal);

            var noContracts = Document(message);
            noContracts.Root!.Elements("ContractSettlement").Remove();
            Assert.Contains("at least one 'ContractSettlement'", Refused(noContracts).Message, StringComparison.Ordinal);

            var noOrders = Document(message);
            noOrders.Root!.Elements("FlexOrderSettlement").Remove();
            Assert.EndsWith("/ContractSettlement", Refused(noOrders).Path, StringComparison.Ordinal);
        }, iter: 20);
    }

    [Fact]
    public void A_dso_view_needs_its_portfolios_first_and_may_leave_out_its_connections()
    {
        UftpGenerators.ByType[UftpMessageType.AGRPortfolioQueryResponse].Sample(message =>
        {
            var response = (AgrPortfolioQueryResponse)message;
            if (response.DsoViews.Count == 0) return;

            var noConnections = Document(message);
            noConnections.Root!.Elements("DSO-View").Elements("Connection").Remove();
            var read = (AgrPortfolioQueryResponse)UftpXml.Parse(noConnections.ToString());
            Assert.All(read.DsoViews, v => Assert.Empty(v.Connections));
            Assert.Equal(response.DsoViews.Select(v => v.DsoPortfolios), read.DsoViews.Select(v => v.DsoPortfolios));

            var noPortfolios = Document(message);
            noPortfolios.Root!.Element("DSO-View")!.Elements("DSO-Portfolio").Remove();
            var ex = Refused(noPortfolios);
            Assert.Contains("DSO-View[1]", ex.Path, StringComparison.Ordinal);

            if (response.DsoViews[0].Connections.Count > 0)
            {
                var portfolioLast = Document(message);
                var view = portfolioLast.Root!.Element("DSO-View")!;
                view.Add(new XElement(view.Element("DSO-Portfolio")!));
                Assert.EndsWith("DSO-View[1]/DSO-Portfolio", Refused(portfolioLast).Path, StringComparison.Ordinal);
            }
        }, iter: 30);
    }
}
