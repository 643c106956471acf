using System.CommandLine;

namespace FlexCoop.Cli.Commands;

internal static class Iec61850MmsCommands
{
    public static void AddTo(Command iec61850)
    {
        ArgumentNullException.ThrowIfNull(iec61850);
    }
}
