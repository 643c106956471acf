namespace FlexCoop.Cli.Tests;

/// <summary><c>flexcoop iec61850 log</c> and <c>files</c> against a <c>serve</c> process with <c>--log-db</c> and <c>--files</c>.</summary>
public sealed class Iec61850LogFilesCliTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Log_shows_entries_after_a_control_and_they_survive_a_restart_with_the_same_log_db()
    {
        var db = Path.Combine(Path.GetTempPath(), $"flexcoop-cli-log-{Guid.NewGuid():N}.db");
        try
        {
            string firstListing;
            await using (var serve = await Iec61850MmsCliTests.ServeProcess.StartAsync("--log-db", db))
            {
                // Log the Status data set (it holds the controllable CSWI1.Pos) instead of Events.
                const string lcb = "DER1CTRL/LLN0.lcbEvents";
                foreach (var (attribute, value) in new[] { ("LogEna", "false"), ("DatSet", "DER1CTRL/LLN0.Status"), ("LogEna", "true") })
                {
                    var (w, _, werr) = await Flexcoop.RunAsync("iec61850", "write", serve.Endpoint, $"{lcb}.{attribute}", "LG", value);
                    Assert.True(w == 0, werr);
                }
                foreach (var value in new[] { "false", "true" })
                {
                    var (c, cout, cerr) = await Flexcoop.RunAsync("iec61850", "control", serve.Endpoint, "DER1CTRL/CSWI1.Pos", "--value", value);
                    Assert.True(c == 0, cout + cerr);
                }
                var (code, stdout, stderr) = await Flexcoop.RunAsync("iec61850", "log", serve.Endpoint, "DER1CTRL/LLN0$EventLog");
                Assert.True(code == 0, stderr);
                Assert.Contains("  DER1CTRL/CSWI1$ST$Pos = {", stdout, StringComparison.Ordinal);
                Assert.Contains("[dchg]", stdout, StringComparison.Ordinal);
                // Each SBO control logs three changes of Pos: stSeld true, stVal, stSeld false.
                Assert.EndsWith("6 entries", stdout.TrimEnd(), StringComparison.Ordinal);
                Assert.Contains(", 01, ", stdout, StringComparison.Ordinal);
                firstListing = stdout;

                // --after the first entry: the other five.
                var firstId = stdout.Split('\n')[0].Split(' ')[0];
                (code, stdout, stderr) = await Flexcoop.RunAsync("iec61850", "log", serve.Endpoint, "DER1CTRL/LLN0$EventLog", "--after", firstId);
                Assert.True(code == 0, stderr);
                Assert.EndsWith("5 entries", stdout.TrimEnd(), StringComparison.Ordinal);
                Assert.DoesNotContain(firstId, stdout, StringComparison.Ordinal);

                // A time range in the past is empty.
                (code, stdout, _) = await Flexcoop.RunAsync("iec61850", "log", serve.Endpoint, "DER1CTRL/LLN0$EventLog", "--from", "2001-01-01T00:00:00Z", "--to", "2001-01-02T00:00:00Z");
                Assert.Equal(0, code);
                Assert.EndsWith("0 entries", stdout.TrimEnd(), StringComparison.Ordinal);
            }

            await using (var again = await Iec61850MmsCliTests.ServeProcess.StartAsync("--log-db", db))
            {
                var (code, stdout, stderr) = await Flexcoop.RunAsync("iec61850", "log", again.Endpoint, "DER1CTRL/LLN0$EventLog");
                Assert.True(code == 0, stderr);
                Assert.Equal(firstListing, stdout);
                (code, _, stderr) = await Flexcoop.RunAsync("iec61850", "log", again.Endpoint, "DER1CTRL/LLN0$NoSuchLog");
                Assert.Equal(1, code);
                (code, _, stderr) = await Flexcoop.RunAsync("iec61850", "log", again.Endpoint, "DER1CTRL/LLN0$EventLog", "--after", "xyz");
                Assert.Equal(2, code);
                Assert.Contains("not a hexadecimal EntryID", stderr, StringComparison.Ordinal);
            }
        }
        finally
        {
            foreach (var f in new[] { db, db + "-wal", db + "-shm" }) File.Delete(f);
        }
    }

    [Fact]
    public async Task Files_ls_put_get_mv_rm_and_a_path_outside_the_store_is_refused()
    {
        var root = Directory.CreateTempSubdirectory("flexcoop-cli-files-").FullName;
        var work = Directory.CreateTempSubdirectory("flexcoop-cli-local-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(root, "readme.txt"), "served", Ct);
            var upload = Path.Combine(work, "settings.xml");
            await File.WriteAllBytesAsync(upload, Enumerable.Range(0, 70_000).Select(i => (byte)(i % 251)).ToArray(), Ct);
            await using var serve = await Iec61850MmsCliTests.ServeProcess.StartAsync("--files", root, "--files-writable");

            var (code, stdout, stderr) = await Flexcoop.RunAsync("iec61850", "files", "put", serve.Endpoint, upload, "cfg/settings.xml");
            Assert.True(code == 0, stderr);
            Assert.Equal(await File.ReadAllBytesAsync(upload, Ct), await File.ReadAllBytesAsync(Path.Combine(root, "cfg", "settings.xml"), Ct));

            (code, stdout, stderr) = await Flexcoop.RunAsync("iec61850", "files", "ls", serve.Endpoint);
            Assert.True(code == 0, stderr);
            var names = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1]).ToArray();
            Assert.Equal(["cfg/settings.xml", "readme.txt"], names);
            Assert.Contains("       70000  ", stdout, StringComparison.Ordinal);

            var back = Path.Combine(work, "back.xml");
            (code, _, stderr) = await Flexcoop.RunAsync("iec61850", "files", "get", serve.Endpoint, "cfg/settings.xml", back);
            Assert.True(code == 0, stderr);
            Assert.Equal(await File.ReadAllBytesAsync(upload, Ct), await File.ReadAllBytesAsync(back, Ct));

            (code, _, stderr) = await Flexcoop.RunAsync("iec61850", "files", "mv", serve.Endpoint, "cfg/settings.xml", "cfg/old.xml");
            Assert.True(code == 0, stderr);
            (code, _, stderr) = await Flexcoop.RunAsync("iec61850", "files", "rm", serve.Endpoint, "cfg/old.xml");
            Assert.True(code == 0, stderr);
            Assert.False(File.Exists(Path.Combine(root, "cfg", "old.xml")));

            (code, _, stderr) = await Flexcoop.RunAsync("iec61850", "files", "get", serve.Endpoint, "../../etc/passwd", Path.Combine(work, "passwd"));
            Assert.Equal(1, code);
            Assert.Contains("File/3", stderr, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(work, "passwd")));
            (code, _, stderr) = await Flexcoop.RunAsync("iec61850", "files", "rm", serve.Endpoint, "nothere.txt");
            Assert.Equal(1, code);
        }
        finally
        {
            Directory.Delete(root, true);
            Directory.Delete(work, true);
        }
    }
}
