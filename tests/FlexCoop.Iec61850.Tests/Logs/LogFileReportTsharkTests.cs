using System.Net;
using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Iec61850.Mms.Client;
using FlexCoop.Iec61850.Mms.Server;
using FlexCoop.Iec61850.Model;
using FlexCoop.Iec61850.Tests.Mms;
using FlexCoop.Testing;

namespace FlexCoop.Iec61850.Tests.Logs;

/// <summary>
/// tshark dissects the PDUs of logs (readJournal with IEC 61850 log entries, initializeJournal), SetFile
/// (obtainFile and the server's own fileOpen/fileRead/fileClose requests to the client) and segmented
/// reports with no malformed packet and no expert warning.
/// </summary>
public sealed class LogFileReportTsharkTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static MmsClientOptions Capture(PcapWriter.Conversation conversation, MmsClientOptions? options = null)
    {
        var gate = new object();
        return (options ?? new MmsClientOptions()) with
        {
            PacketInspector = (direction, bytes) =>
            {
                lock (gate) conversation.Add(direction == MmsPduDirection.Sent, bytes.Span);
            },
        };
    }

    private static async Task<string> WriteCaptureAsync()
    {
        var pcap = new PcapWriter();

        // Logs and segmented reports on the DER model.
        await using (var server = new Iec61850Server(Iec61850MappingTests.LoadDerModel(), new MmsServerOptions { AllowJournalInitialize = true }))
        {
            server.Start(new IPEndPoint(IPAddress.Loopback, 0));
            var logs = pcap.NewConversation();
            await using (var client = await Iec61850Client.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, Capture(logs, new MmsClientOptions { ProposedPduSize = 600 }), Ct))
            {
                for (var i = 0; i < 20; i++) server.SetDataValue(Iec61850LogTests.SchdSt, FunctionalConstraint.ST, new MmsInteger(i + 10));
                var entries = await client.QueryLogByTimeAsync(Iec61850LogTests.LogRef, cancellationToken: Ct);
                await client.QueryLogAfterAsync(Iec61850LogTests.LogRef, entries[3].TimeOfEntry, entries[3].EntryId, Ct);
                await client.Mms.InitializeJournalAsync(Iec61850Client.LogObjectName(Iec61850LogTests.LogRef), MmsBinaryTime.From(entries[5].TimeOfEntry.UtcDateTime), entries[5].EntryId, Ct);
                await client.Mms.InitializeJournalAsync(Iec61850Client.LogObjectName(Iec61850LogTests.LogRef), cancellationToken: Ct);
                await client.ReleaseAsync(Ct);
            }
            var reports = pcap.NewConversation();
            await using (var client = await Iec61850Client.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, Capture(reports, new MmsClientOptions { ProposedPduSize = 256 }), Ct))
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
                await using var client = await files.ConnectAsync(Capture(setFile, new MmsClientOptions { ProposedPduSize = 2000 }), Ct);
                await client.SetFileAsync(local, "uploaded.bin", Ct);
                await Assert.ThrowsAsync<MmsServiceErrorException>(() => client.ObtainFileAsync("not-offered.bin", "nothing.bin", Ct));
                await client.ReleaseAsync(Ct);
            }
            finally
            {
                File.Delete(local);
            }
        }

        var path = Path.Combine(Path.GetTempPath(), $"flexcoop-mms-logs-{Guid.NewGuid():N}.pcap");
        await File.WriteAllBytesAsync(path, pcap.ToArray(), Ct);
        return path;
    }

    [Fact]
    public async Task Tshark_dissects_log_setfile_and_segmented_report_pdus_cleanly()
    {
        var tshark = TestEnvironment.RequireTool("tshark", "tshark");
        var path = await WriteCaptureAsync();
        try
        {
            var (code, stdout, stderr) = await TestEnvironment.RunAsync(tshark,
                ["-r", path, "-o", "tcp.check_checksum:FALSE", "-T", "fields", "-E", "separator=|",
                 "-e", "frame.number", "-e", "_ws.col.Protocol", "-e", "_ws.expert.severity", "-e", "_ws.malformed", "-e", "_ws.col.Info"]);
            Assert.True(code == 0, stderr);
            var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var problems = lines.Select(l => l.Split('|')).Where(f => f[3].Length > 0 || f[2].Split(',').Any(s => s is "6291456" or "8388608" or "4194304")).ToList();
            Assert.True(problems.Count == 0, "tshark reports problems:\n" + string.Join("\n", problems.Select(p => string.Join(" | ", p))) + "\n\nall:\n" + stdout);
            var (vcode, verbose, _) = await TestEnvironment.RunAsync(tshark, ["-r", path, "-o", "tcp.check_checksum:FALSE", "-V"]);
            Assert.Equal(0, vcode);
            Assert.DoesNotContain("Malformed", verbose, StringComparison.Ordinal);
            foreach (var expected in new[] { "readJournal", "initializeJournal", "obtainFile", "fileOpen", "fileRead", "fileClose",
                "informationReport", "ReasonCode", "DER1CTRL/FSCH1$ST$SchdSt", "uploaded.bin", "confirmed-ErrorPDU" })
            {
                Assert.True(verbose.Contains(expected, StringComparison.Ordinal), $"tshark did not show '{expected}'");
            }
        }
        finally
        {
            if (Environment.GetEnvironmentVariable("FLEXCOOP_KEEP_PCAP") is { Length: > 0 } keep) File.Copy(path, keep, true);
            File.Delete(path);
        }
    }
}
