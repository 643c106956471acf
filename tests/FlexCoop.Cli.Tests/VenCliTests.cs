using System.Diagnostics;
using System.Text.RegularExpressions;

namespace FlexCoop.Cli.Tests;

/// <summary><c>flexcoop ven run</c> against <c>flexcoop vtn serve</c>, both as child processes.</summary>
public sealed partial class VenCliTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Process Start(params string[] args) => FlexcoopProcess.Start(args);

    private static Task<Match> WaitForLineAsync(Process process, Regex pattern) => FlexcoopProcess.WaitForLineAsync(process, pattern);

    [GeneratedRegex(@"^listening on (\S+)")]
    private static partial Regex Listening();

    [GeneratedRegex(@"^operator API on (\S+)")]
    private static partial Regex OperatorApi();

    [GeneratedRegex(@"^registered as (\S+) ")]
    private static partial Regex Registered();

    [GeneratedRegex(@"^event (\S+) #0 added")]
    private static partial Regex EventAdded();

    [Fact]
    public async Task Ven_run_registers_with_vtn_serve_and_receives_an_event()
    {
        var dir = Directory.CreateTempSubdirectory("flexcoop-ven-cli-").FullName;
        using var vtn = Start("vtn", "serve", "--insecure-http", "--urls", "http://127.0.0.1:0", "--api-url", "http://127.0.0.1:0",
            "--db", Path.Combine(dir, "vtn.db"), "--poll-frequency", "PT1S");
        Process? ven = null;
        try
        {
            var url = (await WaitForLineAsync(vtn, Listening())).Groups[1].Value;
            var api = (await WaitForLineAsync(vtn, OperatorApi())).Groups[1].Value;
            _ = vtn.StandardOutput.ReadToEndAsync(Ct);

            ven = Start("ven", "run", "--vtn", url, "--insecure-http", "--ven-name", "boiler-1", "--state", Path.Combine(dir, "ven.db"));
            var venId = (await WaitForLineAsync(ven, Registered())).Groups[1].Value;

            var vens = await Flexcoop.RunAsync("vtn", "vens", "--api", api);
            Assert.Contains(venId, vens.StdOut);
            Assert.Contains("boiler-1", vens.StdOut);

            var created = await Flexcoop.RunAsync("vtn", "events", "create", "--api", api, "--interval", "PT10M=2", "--start", "+PT1M");
            Assert.True(created.ExitCode == 0, created.StdErr);
            var eventId = Regex.Match(created.StdOut, @"created (\S+) ").Groups[1].Value;
            Assert.Equal(eventId, (await WaitForLineAsync(ven, EventAdded())).Groups[1].Value); // polled within a second or two
        }
        finally
        {
            if (ven is not null)
            {
                ven.Kill(entireProcessTree: true);
                await ven.WaitForExitAsync(Ct);
                ven.Dispose();
            }
            vtn.Kill(entireProcessTree: true);
            await vtn.WaitForExitAsync(Ct);
            Directory.Delete(dir, recursive: true);
        }
    }
}
