using System.Diagnostics;

namespace FlexCoop.Testing;

/// <summary>
/// Where the repository and the workplace's shared files are, and how a test that needs an
/// outside tool or server behaves when it is missing: skipped with a reason on a developer's
/// machine, failed when <c>CI=true</c>.
/// </summary>
internal static class TestEnvironment
{
    private static readonly Lazy<string> RepoRootLazy = new(FindRepoRoot);

    public static bool IsCi =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The folder holding FlexCoop.sln.</summary>
    public static string RepoRoot => RepoRootLazy.Value;

    /// <summary>
    /// The workplace's shared folder (official schemas, ontologies, public vectors):
    /// <c>FLEXCOOP_SHARED</c> if set, else <c>../shared</c> beside the checkout.
    /// </summary>
    public static string SharedDir =>
        Environment.GetEnvironmentVariable("FLEXCOOP_SHARED") is { Length: > 0 } s
            ? s
            : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    /// <summary>A path under the shared folder; the test is skipped (or fails in CI) when it is absent.</summary>
    public static string RequireShared(string relative)
    {
        var path = Path.Combine(SharedDir, relative);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            SkipOrFail($"shared file '{relative}' not found under {SharedDir} (set FLEXCOOP_SHARED)");
        }
        return path;
    }

    /// <summary>The full path of a program on PATH; the test is skipped (or fails in CI) when it is absent.</summary>
    public static string RequireTool(string name, string debianPackage)
    {
        var found = FindOnPath(name);
        if (found is null)
        {
            SkipOrFail($"'{name}' is not installed (Debian package {debianPackage})");
        }
        return found!;
    }

    public static string? FindOnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (dir.Length == 0) continue;
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    public static void SkipOrFail(string reason)
    {
        if (IsCi)
        {
            Assert.Fail($"required under CI=true: {reason}");
        }
        Assert.Skip(reason);
    }

    /// <summary>Runs a program to completion and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(
        string fileName, IEnumerable<string> arguments, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {fileName}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} did not finish in time");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FlexCoop.sln"))) return dir.FullName;
            dir = dir.Parent;
        }
        throw new InvalidOperationException("FlexCoop.sln not found above " + AppContext.BaseDirectory);
    }
}
