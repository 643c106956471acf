using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Client;
using FlexCoop.Iec61850.Mms.Server;

namespace FlexCoop.Iec61850.Tests.Mms;

/// <summary>
/// Every PDU our stack writes, client and server side, is fed to tshark (an independent
/// decoder): it must dissect TPKT/COTP/SES/PRES/ACSE/MMS with no malformed packet and no
/// expert error or warning.
/// </summary>
public sealed class MmsTsharkTests
{
    private static ObjectName N(string item) => ObjectName.Domain(MmsTestServer.Domain, item);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<byte[]> WriteEveryPduAsync()
    {
        var pcap = new PcapWriter();
        var vmd = MmsTestServer.BuildVmd();
        var journal = vmd.FindDomain(MmsTestServer.Domain)!.AddJournal("LLN0$Log");
        journal.Append(new MmsBinaryTime(3_600_000, 14_000), [("LLN0$ST$Mod$stVal", new MmsInteger(3))]);
        await using var server = await MmsTestServer.StartAsync(new MmsServerOptions { AllowFileWrite = true, MaxPduSize = 2000 }, withFiles: true, vmd: vmd);

        var main = pcap.NewConversation();
        await using (var client = await server.ConnectAsync(main.Recording(new MmsClientOptions { TpduSize = 1024 }), Ct))
        {
            await client.IdentifyAsync(Ct);
            await client.GetDomainNamesAsync(Ct);
            await client.GetNameListAsync(MmsObjectClass.NamedVariable, MmsScope.DomainSpecific, MmsTestServer.Domain, Ct);
            await client.GetNameListAsync(MmsObjectClass.NamedVariableList, MmsScope.AaSpecific, null, Ct);
            await client.ReadAsync([N("LLN0"), N("MMXU1"), N("LLN0$ST$Nope")], Ct);
            await client.RequestAsync(new ReadRequest(VariableAccessSpecification.Of(N("LLN0$ST$Mod$stVal")), SpecificationWithResult: true), Ct);
            await client.WriteAsync([N("MMXU1$SP$Setp"), N("LLN0$ST$Mod$stVal")],
                [new MmsStructure(new MmsStructure(new MmsFloat64(2.5)), new MmsOctetString([9, 8]), new MmsUnsigned(7), MmsBinaryTime.From(new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc)), new MmsBoolean(true), new MmsArray([new MmsInteger(1), new MmsInteger(2), new MmsInteger(3)])),
                 new MmsInteger(2)], Ct);
            await client.WriteAsync(N("LLN0$DC$NamPlt$d"), new MmsUnicodeString("Zählerstand ✓"), Ct);
            await client.GetVariableAccessAttributesAsync(N("LLN0"), Ct);
            await client.GetVariableAccessAttributesAsync(N("MMXU1"), Ct);
            await client.DefineNamedVariableListAsync(N("LLN0$dyn"), [N("LLN0$ST$Mod$stVal"), N("MMXU1$MX$TotW$mag$f")], Ct);
            await client.GetNamedVariableListAttributesAsync(N("LLN0$dyn"), Ct);
            await client.ReadNamedVariableListAsync(N("LLN0$dyn"), Ct);
            await client.DeleteNamedVariableListAsync([N("LLN0$dyn")], Ct);
            await Assert.ThrowsAsync<MmsServiceErrorException>(() => client.GetNamedVariableListAttributesAsync(N("LLN0$dyn"), Ct));
            await client.RequestAsync(new DeleteNamedVariableListRequest(2, null, MmsTestServer.Domain), Ct);
            await client.FileDirectoryAsync(null, Ct);
            await client.GetFileAsync("readme.txt", Ct);
            await client.GetFileAsync("COMTRADE/fault1.dat", Ct);
            await client.SetFileAsync(Path.Combine(server.FileRoot!, "readme.txt"), "copy.txt", Ct);
            await client.FileRenameAsync("copy.txt", "copy2.txt", Ct);
            await client.FileDeleteAsync("copy2.txt", Ct);
            await Assert.ThrowsAsync<MmsServiceErrorException>(() => client.FileCloseAsync(4711, Ct));
            await client.ReadJournalAsync(N("LLN0$Log"), new MmsBinaryTime(0, 14_000), new MmsBinaryTime(86_399_000, 14_000), Ct);
            await client.RequestAsync(new ReadJournalRequest(N("LLN0$Log"), new MmsBinaryTime(0, 14_000), null, [0, 0, 0, 0, 0, 0, 0, 1]), Ct);
            await server.Server.SendInformationReportAsync(new InformationReportPdu(VariableAccessSpecification.OfList(ObjectName.Vmd("RPT")),
                [AccessResult.Success(new MmsVisibleString("LD0/LLN0$RP$urcb01")), AccessResult.Success(MmsBitString.FromBits(10, 1, 2, 8)),
                 AccessResult.Success(MmsUtcTime.From(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), 0x0A)), AccessResult.Failure(DataAccessError.ObjectInvalidated)]), Ct);
            await client.InformationReports.ReadAsync(Ct);
            // A confirmed request with a service the server does not know: answered with a reject.
            await client.SendRawAsync(new byte[] { 0xA0, 0x06, 0x02, 0x01, 0x63, 0x80, 0x01, 0x00 }, Ct);
            await client.ReleaseAsync(Ct);
        }

        var refused = pcap.NewConversation();
        await using (var protectedServer = await MmsTestServer.StartAsync(new MmsServerOptions { Password = "right" }))
        {
            await Assert.ThrowsAsync<MmsProtocolException>(() => protectedServer.ConnectAsync(refused.Recording(new MmsClientOptions { Password = "wrong" }), Ct));
        }

        var aborted = pcap.NewConversation();
        var a = await server.ConnectAsync(aborted.Recording(), Ct);
        await a.AbortAsync(Ct);
        await a.DisposeAsync();

        return pcap.ToArray();
    }

    [Fact]
    public async Task Tshark_dissects_every_pdu_without_malformed_packets_or_expert_warnings()
    {
        Tshark.Require();
        var capture = await WriteEveryPduAsync();
        await Tshark.DissectAsync(capture, "mms", async tshark =>
        {
            var frames = await tshark.AssertCleanAsync();
            var protocols = frames.Select(f => f.Protocol).ToHashSet();
            Assert.Contains("MMS", protocols);
            Assert.Contains("COTP", protocols);
            await tshark.AssertShowsAsync([
                "initiate-RequestPDU", "initiate-ResponsePDU", "identify", "getNameList", "read", "write",
                "getVariableAccessAttributes", "defineNamedVariableList", "getNamedVariableListAttributes", "deleteNamedVariableList",
                "fileOpen", "fileRead", "fileClose", "fileDirectory", "fileDelete", "fileRename", "obtainFile", "readJournal",
                "informationReport", "rejectPDU", "conclude-RequestPDU", "conclude-ResponsePDU", "confirmed-ErrorPDU",
                "aarq", "aare", "rlrq", "rlre", "abrt", "CPR-PPDU", "REFUSE (RF) SPDU", "FINISH (FN) SPDU", "DISCONNECT (DN) SPDU",
                "ABORT (AB) SPDU", "authentication-failure"]);
        });
    }
}
