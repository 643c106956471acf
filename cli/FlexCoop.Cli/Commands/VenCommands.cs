using System.CommandLine;

namespace FlexCoop.Cli.Commands;

/// <summary><c>flexcoop ven ...</c></summary>
internal static class VenCommands
{
    public static Command Create()
    {
        var command = new Command("ven", "Run an OpenADR 2.0b VEN that simulates a simple device.");
        return command;
    }
}
