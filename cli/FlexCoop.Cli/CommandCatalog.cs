using System.CommandLine;

namespace FlexCoop.Cli;

/// <summary>The top-level command groups. Each group lives in its own file under Commands/.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return Commands.OpenAdrCommands.Create();
        yield return Commands.CertsCommands.Create();
        yield return Commands.VtnCommands.Create();
        yield return Commands.VenCommands.Create();
        yield return Commands.Iec61850Commands.Create();
        yield return Commands.UftpCommands.Create();
        yield return Commands.SarefCommands.Create();
        yield return Commands.ReplayCommands.Create();
    }
}
