using System.CommandLine;

namespace FlexCoop.Cli.Commands;

internal static class OpenAdrSecurityCommands
{
    public static void AddTo(Command openadr)
    {
        ArgumentNullException.ThrowIfNull(openadr);
    }
}
