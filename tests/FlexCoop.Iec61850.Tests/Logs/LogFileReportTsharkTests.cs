using System.Net;
using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Iec61850.Mms.Client;
using FlexCoop.Iec61850.Mms.Server;
using FlexCoop.Iec61850.Model;
using FlexCoop.Iec61850.Tests.Mms;

namespace FlexCoop.Iec61850.Tests.Logs;

/// <summary>
/// tshark dissects the PDUs of logs (readJournal with IEC 61850 log entries, initializeJournal), SetFile
/// (obtainFile and the server's own fileOpen/fileRead/fileClose requests to the client) and segmented
/// reports with no malformed packet and no expert warning.
/// </summary>
public sealed class LogFileReportTsharkTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<byte[]> WriteCaptureAsync()
    {
        var pcap = new PcapWriter();

        // Logs and segmented reports on the DER model.
        await using (var server = new Iec61850Server(Iec61850MappingTests.LoadDerModel(), new MmsServerOptions { AllowJournalInitialize = true }))
        {
            server.Start(new IPEndPoint(IPAddress.Loopback, 0));
            var logs = pcap.NewConversation();
            await using (var client = await Iec61850Client.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, logs.Recording(new MmsClientOptions { ProposedPduSize = 600 }), Ct))
            {
                for (var i = 0; i < 20; i++) server.SetDataValue(Iec61850LogTests.SchdSt, FunctionalConstraint.ST, new MmsInteger(i + 10));
                var entries = await client.QueryLogByTimeAsync(Iec61850LogTests.LogRef, cancellationToken: Ct);
                await client.QueryLogAfterAsync(Iec61850LogTests.LogRef, entries[3].TimeOfEntry, entries[3].EntryId, Ct);
                await client.Mms.InitializeJournalAsync(Iec61850Client.LogObjectName(Iec61850LogTests.LogRef), MmsBinaryTime.From(entries[5].TimeOfEntry.UtcDateTime), entries[5].EntryId, Ct);
                await client.Mms.InitializeJournalAsync(Iec61850Client.LogObjectName(Iec61850LogTests.LogRef), cancellationToken: Ct);
                await client.ReleaseAsync(Ct);
            }
            var reports = pcap.NewConversation();
            await using (var client = await Iec61850Client.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, reports.Recording(new MmsClientOptions { ProposedPduSize = 256 }), Ct))
            {
                await client.EnableReportingAsync("DER1CTRL/LLN0.urcbStatus01", FunctionalConstraint.RP, cancellationToken: Ct);
                await client.GeneralInterrogationAsync("DER1CTRL/LLN0.urcbStatus01", FunctionalConstraint.RP, Ct);
                var gi = await client.ReadReportAsync(Ct);
                Assert.True(gi.Segments > 1);
                await client.ReleaseAsync(Ct);
            }
        }

        // SetFile: the server reads the file from the client.
        await using (var files = await MmsTestServer.StartAsync(new MmsServerOptions { AllowFileWrite = true, MaxPduSize = 2000 }, withFiles: true))
        {
            var setFile = pcap.NewConversation();
            var local = Path.Combine(Path.GetTempPath(), $"flexcoop-setfile-{Guid.NewGuid():N}.bin");
            await File.WriteAllBytesAsync(local, Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray(), Ct);
            try
            {
                await using var client = await files.ConnectAsync(setFile.Recording(new MmsClientOptions { ProposedPduSize = 2000 }), Ct);
                await client.SetFileAsync(local, "uploaded.bin", Ct);
                await Assert.ThrowsAsync<MmsServiceErrorException>(() => client.ObtainFileAsync("not-offered.bin", "nothing.bin", Ct));
                await client.ReleaseAsync(Ct);
            }
            finally
            {
                File.Delete(local);
            }
        }

        return pcap.ToArray();
    }

    [Fact]
    public async Task Tshark_dissects_log_setfile_and_segmented_report_pdus_cleanly()
    {
        Tshark.Require();
        var capture = await WriteCaptureAsync();
        await Tshark.DissectAsync(capture, "mms-logs", async tshark =>
        {
            await tshark.AssertCleanAsync();
            await tshark.AssertShowsAsync(["readJournal", "initializeJournal", "obtainFile", "fileOpen", "fileRead", "fileClose",
                "informationReport", "ReasonCode", "DER1CTRL/FSCH1$ST$SchdSt", "uploaded.bin", "confirmed-ErrorPDU"]);
        });
    }
}
