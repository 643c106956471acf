using System.CommandLine;

namespace FlexCoop.Cli.Commands;

/// <summary><c>flexcoop vtn ...</c></summary>
internal static class VtnCommands
{
    public static Command Create()
    {
        var command = new Command("vtn", "Run and operate an OpenADR 2.0b VTN (serve, vens, events, reports).");
        return command;
    }
}
