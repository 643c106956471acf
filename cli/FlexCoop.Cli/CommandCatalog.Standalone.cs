using System.CommandLine;

namespace FlexCoop.Cli;

internal static partial class CommandCatalog
{
    /// <summary>
    /// Top-level groups that are built on their own when they are the command being run, so that a long-running
    /// command (a server) does not load the assemblies of every other area just to parse its arguments. Each
    /// group listed here must be complete by itself (no subcommands added to it from another file).
    /// </summary>
    private static readonly Dictionary<string, Func<Command>> Standalone = new(StringComparer.Ordinal)
    {
        ["iec61850"] = Commands.Iec61850Commands.Create,
    };

    /// <summary>
    /// The commands to parse <paramref name="args"/> with: only the group named by the first argument when it is a
    /// standalone group, else every command (<see cref="All"/>, for the root help and everything else).
    /// </summary>
    public static IEnumerable<Command> For(IReadOnlyList<string> args) =>
        args.Count > 0 && Standalone.TryGetValue(args[0], out var create) ? [create()] : All();
}
