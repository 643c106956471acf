using System.Diagnostics;
using System.Text.RegularExpressions;
using FlexCoop.Iec61850.Model;

namespace FlexCoop.Conformance.Iec61850;

internal static partial class Iec61850ServerCases
{
    /// <summary>Every case in run order (groups as the test procedures order them; destructive robustness cases last).</summary>
    public static IReadOnlyList<ScriptedCase> All { get; } =
    [
        .. Association(),
        .. Server(),
        .. DataSets(),
        .. Reporting(buffered: false),
        .. Reporting(buffered: true),
        .. Control(),
        .. SettingGroups(),
        .. LogsFilesTime(),
        .. Robustness(),
    ];
}

/// <summary>Settings of a suite run.</summary>
public sealed record Iec61850SuiteOptions
{
    public required string Host { get; init; }
    public int Port { get; init; } = 102;

    /// <summary>The IED the server claims to serve (from its SCL file).</summary>
    public required IedModel Model { get; init; }

    public Iec61850Pixit Pixit { get; init; } = new();

    /// <summary>Which cases to run: comma-separated IDs or groups with <c>*</c> and <c>?</c> wildcards (e.g. <c>sCtl*,Ass</c>); all when null.</summary>
    public string? Cases { get; init; }
}

/// <summary>
/// The IEC 61850 server conformance suite, organised like the UCA International Users Group server
/// test procedures: groups Ass, Srv, Dset, Rp, Br, Ctl, Sg, Log, Ft, Tm, each with negative (N) cases.
/// Every case is a scripted exchange over MMS checked against the SCL model and the PIXIT.
/// </summary>
public static class Iec61850ServerSuite
{
    /// <summary>The group names in run order.</summary>
    public static IReadOnlyList<string> Groups { get; } = ["Ass", "Srv", "Dset", "Rp", "Br", "Ctl", "Sg", "Log", "Ft", "Tm"];

    /// <summary>Every case (implemented or not).</summary>
    public static IReadOnlyList<IIec61850TestCase> Cases => Iec61850ServerCases.All;

    /// <summary>The IDs of the cases whose script is not written yet (they report NotImplemented).</summary>
    public static IEnumerable<string> NotImplementedCases => Iec61850ServerCases.All.Where(c => !c.Implemented).Select(c => c.Id);

    /// <summary>Cases selected by a pattern (see <see cref="Iec61850SuiteOptions.Cases"/>).</summary>
    public static IReadOnlyList<IIec61850TestCase> Select(string? pattern)
    {
        var all = Iec61850ServerCases.All;
        if (string.IsNullOrWhiteSpace(pattern)) return [.. all.Where(c => !c.Destructive), .. all.Where(c => c.Destructive)];
        var regexes = pattern.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => new Regex("^" + Regex.Escape(p).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
            .ToArray();
        var chosen = all.Where(c => regexes.Any(r => r.IsMatch(c.Id) || r.IsMatch(c.Group))).ToArray();
        return [.. chosen.Where(c => !c.Destructive), .. chosen.Where(c => c.Destructive)];
    }

    /// <summary>Runs the selected cases one after the other; <paramref name="progress"/> hears each result as it comes.</summary>
    public static async Task<Iec61850SuiteReport> RunAsync(Iec61850SuiteOptions options, Action<Iec61850CaseResult>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var cases = Select(options.Cases);
        if (cases.Count == 0) throw new Iec61850SuiteException($"no case matches '{options.Cases}'");
        var started = DateTimeOffset.UtcNow;
        var watch = Stopwatch.StartNew();
        var results = new List<Iec61850CaseResult>();
        foreach (var testCase in cases)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await using var context = new Iec61850TestContext(options.Host, options.Port, options.Model, options.Pixit);
            var result = await testCase.RunAsync(context, cancellationToken).ConfigureAwait(false);
            results.Add(result);
            progress?.Invoke(result);
        }
        return new Iec61850SuiteReport($"{options.Host}:{options.Port}", options.Model.Name, started, watch.Elapsed, results);
    }
}
