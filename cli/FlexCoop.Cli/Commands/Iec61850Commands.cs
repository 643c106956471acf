using System.CommandLine;

namespace FlexCoop.Cli.Commands;

/// <summary><c>flexcoop iec61850 ...</c></summary>
internal static class Iec61850Commands
{
    public static Command Create()
    {
        var command = new Command("iec61850", "IEC 61850 over MMS: browse, read, write, control, reports, logs, files, serve a model, check SCL.");
        Iec61850SclCommands.AddTo(command);
        Iec61850MmsCommands.AddTo(command);
        Iec61850ControlCommands.AddTo(command);
        Iec61850GooseCommands.AddTo(command);
        Iec61850LogFileCommands.AddTo(command);
        Iec61850OperatorCommands.AddTo(command);
        return command;
    }
}
