using System.CommandLine;

namespace FlexCoop.Cli.Commands;

/// <summary><c>flexcoop openadr ...</c>: OpenADR 2.0b message tools.</summary>
internal static class OpenAdrCommands
{
    public static Command Create()
    {
        var command = new Command("openadr", "OpenADR 2.0b messages: validate, format, sign, verify, fingerprint.");
        OpenAdrMessageCommands.AddTo(command);
        OpenAdrSecurityCommands.AddTo(command);
        return command;
    }
}
