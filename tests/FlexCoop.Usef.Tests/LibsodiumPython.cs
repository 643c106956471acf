using FlexCoop.Testing;

namespace FlexCoop.Usef.Tests;

/// <summary>
/// Runs Python scripts against libsodium through PyNaCl (Debian python3-nacl). The first python3
/// that can import nacl is used (a python3 from pyenv may lack the Debian package, /usr/bin/python3 has it).
/// </summary>
internal static class LibsodiumPython
{
    private static readonly Lazy<Task<string?>> Interpreter = new(FindAsync);

    public static async Task<string> RequireAsync()
    {
        TestEnvironment.RequireTool("python3", "python3");
        var found = await Interpreter.Value;
        if (found is null) TestEnvironment.SkipOrFail("no python3 can 'import nacl' (Debian package python3-nacl)");
        return found!;
    }

    public static async Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(string script, params string[] args)
    {
        var python = await RequireAsync();
        var file = Path.Combine(Path.GetTempPath(), $"uftp-nacl-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(file, script);
        try
        {
            return await TestEnvironment.RunAsync(python, new[] { file }.Concat(args), timeout: TimeSpan.FromMinutes(1));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<string?> FindAsync()
    {
        var candidates = new[] { TestEnvironment.FindOnPath("python3"), "/usr/bin/python3" }.Where(c => c is not null && File.Exists(c)).Distinct();
        foreach (var candidate in candidates)
        {
            var (code, _, _) = await TestEnvironment.RunAsync(candidate!, ["-c", "import nacl.signing"], timeout: TimeSpan.FromSeconds(30));
            if (code == 0) return candidate;
        }
        return null;
    }
}
