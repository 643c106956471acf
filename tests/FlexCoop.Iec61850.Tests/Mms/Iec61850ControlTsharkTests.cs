using System.Net;
using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Iec61850.Mms.Client;
using FlexCoop.Iec61850.Model;

namespace FlexCoop.Iec61850.Tests.Mms;

/// <summary>
/// The control, setting group and buffered report PDUs of our client and server, dissected by tshark:
/// SBO read, SBOw, Oper, Cancel, LastApplError and CommandTermination reports, SGCB writes, BRCB
/// reports with EntryID, all without malformed packets or expert errors.
/// </summary>
public sealed class Iec61850ControlTsharkTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Tshark_dissects_control_setting_group_and_buffered_report_pdus_cleanly()
    {
        Tshark.Require();
        var pcap = new PcapWriter();
        var conversation = pcap.NewConversation();
        var options = conversation.Recording();
        await using (var server = new Iec61850Server(Iec61850MappingTests.LoadDerModel()))
        {
            server.Start(new IPEndPoint(IPAddress.Loopback, 0));
            await using var client = await Iec61850Client.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, options, Ct);
            var p = new ControlParameters { CtlVal = new MmsBoolean(false), CtlNum = 2, Origin = Originator.Remote("tshark") };
            Assert.Equal(AddCause.ObjectNotSelected, (await client.OperateAsync("DER1CTRL/CSWI1.Pos", p, cancellationToken: Ct)).AddCause);
            Assert.True((await client.SelectWithValueAsync("DER1CTRL/CSWI1.Pos", p, Ct)).Success);
            Assert.True((await client.OperateAsync("DER1CTRL/CSWI1.Pos", p, waitForTermination: true, cancellationToken: Ct)).Termination!.Success);
            Assert.True((await client.SelectAsync("DER1CTRL/XCBR1.BlkCls", Ct)).Success);
            Assert.True((await client.CancelAsync("DER1CTRL/XCBR1.BlkCls", p, Ct)).Success);
            await client.SelectActiveSettingGroupAsync("DER1CTRL", 2, Ct);
            await client.EnableReportingAsync("DER1CTRL/LLN0.brcbMeas01", FunctionalConstraint.BR, cancellationToken: Ct);
            await client.GeneralInterrogationAsync("DER1CTRL/LLN0.brcbMeas01", FunctionalConstraint.BR, Ct);
            Assert.NotNull((await client.ReadReportAsync(Ct)).EntryId);
            await client.ReleaseAsync(Ct);
        }
        await Tshark.DissectAsync(pcap.ToArray(), "iec-control", async tshark =>
        {
            await tshark.AssertCleanAsync();
            await tshark.AssertShowsAsync(["LastApplError", "CSWI1$CO$Pos$SBOw", "CSWI1$CO$Pos$Oper", "XCBR1$CO$BlkCls$SBO", "XCBR1$CO$BlkCls$Cancel", "LLN0$SP$SGCB$ActSG", "informationReport", "RPT"]);
        });
    }
}
