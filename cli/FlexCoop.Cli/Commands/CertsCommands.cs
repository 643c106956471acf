using System.CommandLine;

namespace FlexCoop.Cli.Commands;

/// <summary><c>flexcoop certs ...</c>: test PKI for OpenADR (and XMPP, UFTP transports).</summary>
internal static class CertsCommands
{
    public static Command Create()
    {
        var command = new Command("certs", "Make a test PKI (CA, VTN and VEN certificates) for development and certification runs.");
        return command;
    }
}
