using System.Diagnostics;
using System.Text.RegularExpressions;

namespace FlexCoop.Cli.Tests;

/// <summary>
/// <c>vtn serve --message-log</c> and <c>ven run --message-log</c> record a conversation;
/// <c>replay LOG</c> checks it and <c>replay --against</c> re-sends it to a second <c>vtn serve</c>.
/// </summary>
public sealed partial class ReplayLiveCliTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("flexcoop-replay-live-cli-");
    private readonly List<Process> _started = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        foreach (var process in _started)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit();
            process.Dispose();
        }
        _dir.Delete(recursive: true);
    }

    private Process Start(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Flexcoop.DllPath);
        foreach (var a in args) psi.ArgumentList.Add(a);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("flexcoop did not start");
        _started.Add(process);
        _ = process.StandardError.ReadToEndAsync(Ct);
        return process;
    }

    private static async Task<Match> WaitForLineAsync(Process process, Regex pattern)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (pattern.Match(line) is { Success: true } m) return m;
        }
        throw new InvalidOperationException($"no line matching {pattern}");
    }

    private static async Task StopAsync(Process process)
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync(Ct);
    }

    [GeneratedRegex(@"^listening on (\S+)")]
    private static partial Regex Listening();

    [GeneratedRegex(@"^registered as (\S+) ")]
    private static partial Regex Registered();

    private Process StartVtn(string name, string? messageLog = null) => Start(
        [
            "vtn", "serve", "--insecure-http", "--urls", "http://127.0.0.1:0", "--api-url", "http://127.0.0.1:0",
            "--db", Path.Combine(_dir.FullName, name + ".db"), "--poll-frequency", "PT1H",
            .. messageLog is null ? Array.Empty<string>() : ["--message-log", messageLog],
        ]);

    [Fact]
    public async Task Recorded_logs_replay_and_a_fresh_vtn_answers_like_the_recorded_one()
    {
        var vtnLog = Path.Combine(_dir.FullName, "vtn.jsonl");
        var venLog = Path.Combine(_dir.FullName, "ven.jsonl");
        var recorded = StartVtn("recorded", vtnLog);
        var url = (await WaitForLineAsync(recorded, Listening())).Groups[1].Value;
        var ven = Start("ven", "run", "--vtn", url, "--insecure-http", "--ven-name", "logged-ven", "--state", Path.Combine(_dir.FullName, "ven.db"), "--message-log", venLog);
        var venId = (await WaitForLineAsync(ven, Registered())).Groups[1].Value;
        await StopAsync(ven);
        await StopAsync(recorded);

        foreach (var log in new[] { vtnLog, venLog })
        {
            var (code, stdout, stderr) = await Flexcoop.RunAsync("replay", "--no-xsd", log);
            Assert.True(code == 0, stdout + stderr);
            Assert.Contains($"request oadrCreatePartyRegistration", stdout, StringComparison.Ordinal);
            Assert.Contains($" {venId}: pass", stdout, StringComparison.Ordinal);
        }

        var fresh = StartVtn("fresh");
        var freshUrl = (await WaitForLineAsync(fresh, Listening())).Groups[1].Value;
        var live = await Flexcoop.RunAsync("replay", "--no-xsd", "--against", freshUrl, vtnLog);
        Assert.True(live.ExitCode == 0, live.StdOut + live.StdErr);
        var liveLines = live.StdOut.Split('\n').Where(l => l.Contains(" live ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(liveLines);
        Assert.All(liveLines, l => Assert.EndsWith(": pass", l.TrimEnd(), StringComparison.Ordinal));
        Assert.Contains(liveLines, l => l.Contains("live oadrCreatePartyRegistration -> oadrCreatedPartyRegistration", StringComparison.Ordinal));

        var refused = await Flexcoop.RunAsync("replay", "--no-xsd", "--against", "ftp://example", vtnLog);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--against must be an http:// or https:// URL", refused.StdErr, StringComparison.Ordinal);
    }
}
