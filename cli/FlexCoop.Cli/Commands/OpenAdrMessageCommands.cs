using System.CommandLine;

namespace FlexCoop.Cli.Commands;

internal static class OpenAdrMessageCommands
{
    public static void AddTo(Command openadr)
    {
        ArgumentNullException.ThrowIfNull(openadr);
    }
}
