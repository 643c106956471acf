using FlexCoop.Testing;

namespace FlexCoop.Iec61850.Tests;

/// <summary>
/// tshark (Wireshark's dissectors, Debian package tshark) as the independent decoder of what our stack writes: the
/// capture is written to a temporary file, dissected, and the test is told which frames tshark found malformed or
/// flagged with an expert note, warning or error. One helper for every IEC 61850 tshark test.
/// </summary>
internal sealed class Tshark
{
    /// <summary>Expert severities that count as a problem: note, warning, error (chat is not one).</summary>
    private static readonly string[] ProblemSeverities = ["4194304", "6291456", "8388608"];

    private readonly string _executable;
    private readonly string _capture;

    private Tshark(string executable, string capture)
    {
        _executable = executable;
        _capture = capture;
    }

    /// <summary>The tshark executable, or the test is skipped (locally) / failed (CI) when it is not installed.</summary>
    public static string Require() => TestEnvironment.RequireTool("tshark", "tshark");

    /// <summary>
    /// Writes <paramref name="pcap"/> to a temporary file, runs <paramref name="dissect"/> on it and deletes it afterwards;
    /// FLEXCOOP_KEEP_PCAP=FILE keeps a copy for a look in Wireshark.
    /// </summary>
    public static async Task DissectAsync(byte[] pcap, string name, Func<Tshark, Task> dissect)
    {
        var executable = Require();
        var path = Path.Combine(Path.GetTempPath(), $"flexcoop-{name}-{Guid.NewGuid():N}.pcap");
        await File.WriteAllBytesAsync(path, pcap, TestContext.Current.CancellationToken);
        try
        {
            await dissect(new Tshark(executable, path));
        }
        finally
        {
            if (Environment.GetEnvironmentVariable("FLEXCOOP_KEEP_PCAP") is { Length: > 0 } keep) File.Copy(path, keep, true);
            File.Delete(path);
        }
    }

    /// <summary>
    /// One row per frame with the given fields (<c>-T fields</c>; a field that occurs several times in a frame shows all
    /// its values joined by commas, or only the first with <paramref name="firstOccurrence"/>); tshark must exit 0.
    /// </summary>
    public async Task<IReadOnlyList<string[]>> FieldsAsync(IEnumerable<string> fields, bool firstOccurrence = false)
    {
        List<string> arguments = ["-r", _capture, "-o", "tcp.check_checksum:FALSE", "-T", "fields", "-E", "separator=|"];
        if (firstOccurrence) arguments.AddRange(["-E", "occurrence=f"]);
        foreach (var f in fields) arguments.AddRange(["-e", f]);
        var (code, stdout, stderr) = await TestEnvironment.RunAsync(_executable, arguments);
        Assert.True(code == 0, stderr);
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('|')).ToArray();
    }

    /// <summary>
    /// Asserts that no frame is malformed or carries an expert note, warning or error (listing the frames that do);
    /// returns every frame as (number, protocol, info).
    /// </summary>
    public async Task<IReadOnlyList<(string Number, string Protocol, string Info)>> AssertCleanAsync()
    {
        var rows = await FieldsAsync(["frame.number", "_ws.col.Protocol", "_ws.expert.severity", "_ws.malformed", "_ws.col.Info"]);
        var problems = rows.Where(f => f[3].Length > 0 || f[2].Split(',').Any(ProblemSeverities.Contains)).ToList();
        Assert.True(problems.Count == 0, "tshark reports problems:\n" + string.Join("\n", problems.Select(p => string.Join(" | ", p))) +
            "\n\nall:\n" + string.Join("\n", rows.Select(r => string.Join(" | ", r))));
        return rows.Select(r => (r[0], r[1], r[4])).ToArray();
    }

    /// <summary>The full dissection (<c>-V</c>): asserts no "Malformed" and that each of <paramref name="expected"/> is shown; returns the text.</summary>
    public async Task<string> AssertShowsAsync(IEnumerable<string> expected)
    {
        var (code, verbose, stderr) = await TestEnvironment.RunAsync(_executable, ["-r", _capture, "-o", "tcp.check_checksum:FALSE", "-V"]);
        Assert.True(code == 0, stderr);
        Assert.DoesNotContain("Malformed", verbose, StringComparison.Ordinal);
        foreach (var text in expected)
        {
            Assert.True(verbose.Contains(text, StringComparison.Ordinal), $"tshark did not show '{text}'");
        }
        return verbose;
    }
}
