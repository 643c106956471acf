using System.CommandLine;

namespace FlexCoop.Cli.Commands;

/// <summary><c>flexcoop uftp ...</c></summary>
internal static class UftpCommands
{
    public static Command Create()
    {
        var command = new Command("uftp", "USEF UFTP messages: keygen, sign, verify, validate, send, serve.");
        return command;
    }
}
