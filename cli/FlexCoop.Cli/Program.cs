using System.CommandLine;
using FlexCoop.Cli;

var root = new RootCommand(
    """
    flexcoop: the FlexCoop demand-response toolkit.

    Validate, format, sign and verify OpenADR 2.0b messages, make a test PKI, and (as the
    toolkit grows) run VTNs and VENs, certify devices and replay captured traffic.

    Exit codes: 0 success; 1 the checked thing is invalid or a check failed;
    2 usage or environment error (bad arguments, missing file, missing schemas).
    Start with:  flexcoop openadr --help
    """);

foreach (var command in CommandCatalog.All())
{
    root.Subcommands.Add(command);
}

return await CliRunner.InvokeAsync(root, args);
