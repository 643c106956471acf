using System.CommandLine;

namespace FlexCoop.Cli.Commands;

/// <summary><c>flexcoop saref ...</c></summary>
internal static class SarefCommands
{
    public static Command Create()
    {
        var command = new Command("saref", "SAREF/SAREF4ENER device descriptions: export to Turtle, N-Triples, JSON-LD; check.");
        return command;
    }
}
