using System.CommandLine;
using FlexCoop.Cli;

var root = new RootCommand(
    """
    flexcoop: the FlexCoop demand-response toolkit.

    OpenADR 2.0b messages (validate, format, sign, verify), a test PKI, an OpenADR VTN and VEN,
    replay of captured traffic, IEC 61850 (SCL, MMS client and server), USEF UFTP and SAREF.

    Exit codes: 0 success; 1 the checked thing is invalid or a check failed;
    2 usage or environment error (bad arguments, missing file, missing schemas).
    Start with:  flexcoop openadr --help
    """);

foreach (var command in CommandCatalog.For(args))
{
    root.Subcommands.Add(command);
}

return await CliRunner.InvokeAsync(root, args);
