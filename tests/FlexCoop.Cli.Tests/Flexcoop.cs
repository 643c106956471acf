using FlexCoop.Testing;

namespace FlexCoop.Cli.Tests;

/// <summary>Runs the built flexcoop CLI as a separate process, as a user would.</summary>
internal static class Flexcoop
{
    public static string DllPath => Path.Combine(AppContext.BaseDirectory, "flexcoop.dll");

    public static Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(params string[] args) =>
        TestEnvironment.RunAsync("dotnet", new[] { DllPath }.Concat(args));

    public static Task<(int ExitCode, string StdOut, string StdErr)> RunInAsync(string workingDirectory, params string[] args) =>
        TestEnvironment.RunAsync("dotnet", new[] { DllPath }.Concat(args), workingDirectory);
}
