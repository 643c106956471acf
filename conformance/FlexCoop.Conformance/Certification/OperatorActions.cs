using System.Diagnostics;

namespace FlexCoop.Conformance.Certification;

/// <summary>An action a person would perform at the device under test (restart it, opt out from its panel, ...).</summary>
/// <param name="Name">A short kebab-case name a hook script switches on: <c>restart</c>, <c>opt-out-event</c>.</param>
/// <param name="Instruction">What to do, in words, for a person at the device.</param>
public sealed record OperatorAction(string Name, string Instruction)
{
    /// <summary>
    /// Values the action needs (<c>ven-id</c>, <c>event-id</c>, ...), also written into <see cref="Instruction"/>
    /// for a person. A hook receives each as an environment variable <c>FLEXCOOP_ACTION_&lt;KEY&gt;</c>
    /// (upper case, <c>-</c> as <c>_</c>).
    /// </summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>The environment variable a hook reads parameter <paramref name="key"/> from.</summary>
    public static string EnvironmentVariable(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return "FLEXCOOP_ACTION_" + key.ToUpperInvariant().Replace('-', '_');
    }
}

/// <summary>Performs operator actions: a person at a prompt, a hook command, or code (tests).</summary>
public interface IOperatorActions
{
    /// <summary>Performs <paramref name="action"/> for case <paramref name="caseId"/> and returns when it is done.</summary>
    /// <exception cref="OperatorActionException">The action could not be performed.</exception>
    Task PerformAsync(OperatorAction action, string caseId, CancellationToken cancellationToken = default);
}

/// <summary>An operator action that failed (the hook exited non-zero, the person answered no).</summary>
public sealed class OperatorActionException(string message, Exception? inner = null) : ConformanceException(message, inner);

/// <summary>
/// Runs <c>CMD &lt;action-name&gt; &lt;case-id&gt;</c> and waits for it to exit; exit code 0 means done.
/// The command line is run by <c>/bin/sh -c</c> (<c>cmd /c</c> on Windows), so it may hold arguments.
/// </summary>
public sealed class HookOperatorActions(string command, TimeSpan timeout) : IOperatorActions
{
    public async Task PerformAsync(OperatorAction action, string caseId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        ProcessStartInfo psi;
        if (OperatingSystem.IsWindows())
        {
            psi = new ProcessStartInfo("cmd.exe") { ArgumentList = { "/c", $"{command} {action.Name} {caseId}" } };
        }
        else
        {
            // "$@" passes the action and case ID as separate words, never re-parsed by the shell.
            psi = new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", command + " \"$@\"", "flexcoop-hook", action.Name, caseId } };
        }
        foreach (var (key, value) in action.Parameters) psi.Environment[OperatorAction.EnvironmentVariable(key)] = value;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.UseShellExecute = false;
        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new OperatorActionException($"cannot run the action hook '{command}': {ex.Message}", ex);
        }
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (cancellationToken.IsCancellationRequested) throw;
            throw new OperatorActionException($"the action hook did not finish '{action.Name}' within {timeout.TotalSeconds:0} s");
        }
        await Task.WhenAll(stdout, stderr);
        if (process.ExitCode != 0)
        {
            var why = (await stderr).Trim();
            throw new OperatorActionException($"the action hook failed '{action.Name}' (exit {process.ExitCode}){(why.Length > 0 ? ": " + why : "")}");
        }
    }
}

/// <summary>Asks a person at the terminal to perform the action and press Enter (or type <c>n</c> if it cannot be done).</summary>
public sealed class ConsoleOperatorActions(TextReader input, TextWriter output) : IOperatorActions
{
    public async Task PerformAsync(OperatorAction action, string caseId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        await output.WriteLineAsync($"[{caseId}] operator action '{action.Name}': {action.Instruction}");
        await output.WriteAsync("Press Enter when done (n if it cannot be done): ");
        await output.FlushAsync(cancellationToken);
        var answer = await input.ReadLineAsync(cancellationToken);
        if (answer is null || answer.Trim().StartsWith('n'))
        {
            throw new OperatorActionException($"the operator could not perform '{action.Name}'");
        }
    }
}

/// <summary>Operator actions done by code: a test or a host that controls the device directly.</summary>
public sealed class DelegateOperatorActions(Func<OperatorAction, string, CancellationToken, Task> perform) : IOperatorActions
{
    public Task PerformAsync(OperatorAction action, string caseId, CancellationToken cancellationToken = default) =>
        perform(action, caseId, cancellationToken);
}
