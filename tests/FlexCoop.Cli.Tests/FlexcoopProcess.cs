using System.Diagnostics;
using System.Text.RegularExpressions;

namespace FlexCoop.Cli.Tests;

/// <summary>
/// A flexcoop command that keeps running while a test talks to it (a harness, a VEN, a VTN): started as a child
/// process of the built flexcoop.dll, its standard error drained, its standard output read line by line until the line
/// a test waits for, then stopped with its children.
/// </summary>
internal static class FlexcoopProcess
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Starts <c>flexcoop ARGS</c>; <paramref name="redirectInput"/> gives it a standard input nobody writes to (no terminal prompt can be answered).</summary>
    public static Process Start(string[] args, bool redirectInput = false)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = redirectInput, UseShellExecute = false };
        psi.ArgumentList.Add(Flexcoop.DllPath);
        foreach (var a in args) psi.ArgumentList.Add(a);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("flexcoop did not start");
        _ = process.StandardError.ReadToEndAsync(Ct);
        return process;
    }

    /// <summary>Reads standard output up to the first line matching <paramref name="pattern"/> (60 s at most).</summary>
    public static async Task<Match> WaitForLineAsync(Process process, Regex pattern)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (pattern.Match(line) is { Success: true } m) return m;
        }
        throw new InvalidOperationException($"no line matching {pattern}");
    }

    /// <summary>Kills the process with its children, if still running, and waits until it has exited.</summary>
    public static async Task StopAsync(Process process)
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync(Ct);
    }
}
