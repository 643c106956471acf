using System.CommandLine;
using System.Runtime.InteropServices;

namespace FlexCoop.Cli;

/// <summary>Exit codes of every flexcoop command.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Invalid = 1;
    public const int UsageOrEnvironment = 2;
}

/// <summary>An error in how the command was called or in its environment (exit code 2).</summary>
internal sealed class CliUsageException(string message) : Exception(message);

internal static class CliRunner
{
    public static async Task<int> InvokeAsync(RootCommand root, string[] args)
    {
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync($"flexcoop: {error.Message}");
            }
            await Console.Error.WriteLineAsync("Run 'flexcoop --help' for usage.");
            return ExitCodes.UsageOrEnvironment;
        }
        // Ctrl+C and SIGTERM cancel the running command's token, so servers stop and dispose
        // cleanly. Handled here rather than by System.CommandLine because an ASP.NET Core host in
        // the process (vtn serve, serve) swallows SIGTERM for its own lifetime, which would leave
        // the command waiting forever.
        using var stop = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        try
        {
            return await parse.InvokeAsync(
                new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null },
                stop.Token);
        }
        catch (CliUsageException ex)
        {
            await Console.Error.WriteLineAsync($"flexcoop: {ex.Message}");
            return ExitCodes.UsageOrEnvironment;
        }
        catch (FileNotFoundException ex)
        {
            await Console.Error.WriteLineAsync($"flexcoop: file not found: {ex.FileName ?? ex.Message}");
            return ExitCodes.UsageOrEnvironment;
        }
        catch (DirectoryNotFoundException ex)
        {
            await Console.Error.WriteLineAsync($"flexcoop: {ex.Message}");
            return ExitCodes.UsageOrEnvironment;
        }
        catch (UnauthorizedAccessException ex)
        {
            await Console.Error.WriteLineAsync($"flexcoop: {ex.Message}");
            return ExitCodes.UsageOrEnvironment;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("flexcoop: cancelled");
            return ExitCodes.UsageOrEnvironment;
        }
#pragma warning disable CA1031 // the last line of defence: report, never crash with a stack trace
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await Console.Error.WriteLineAsync($"flexcoop: unexpected error ({ex.GetType().Name}): {ex.Message}");
            if (Environment.GetEnvironmentVariable("FLEXCOOP_DEBUG") is { Length: > 0 })
            {
                await Console.Error.WriteLineAsync(ex.ToString());
            }
            return ExitCodes.UsageOrEnvironment;
        }
    }
}
