using System.CommandLine;

namespace FlexCoop.Cli;

/// <summary>
/// The top-level command groups. Each group lives in its own file under Commands/; groups that
/// several areas fill (conformance, the reference system) are assembled here from partial
/// methods each area implements in its own file.
/// </summary>
internal static partial class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        var commands = new List<Command>
        {
            Commands.OpenAdrCommands.Create(),
            Commands.CertsCommands.Create(),
            Commands.VtnCommands.Create(),
            Commands.VenCommands.Create(),
            Commands.Iec61850Commands.Create(),
            Commands.UftpCommands.Create(),
            Commands.SarefCommands.Create(),
            Commands.ReplayCommands.Create(),
        };

        var conformance = new Command(
            "conformance",
            "Certification and conformance suites: point a suite at a device and get a verdict per test case.");
        AddOpenAdrSuites(conformance);
        AddOpenAdrVtnSuite(conformance);
        AddIec61850Suite(conformance);
        AddUftpSuite(conformance);
        if (conformance.Subcommands.Count > 0)
        {
            commands.Add(conformance);
        }

        AddReferenceSystem(commands);
        AddOpenSmartBox(commands);
        return commands;
    }

    /// <summary>Adds <c>conformance ven</c> and <c>conformance vtn</c> (Commands/ConformanceOpenAdrCommands.cs).</summary>
    static partial void AddOpenAdrSuites(Command conformance);

    /// <summary>Adds <c>conformance vtn</c> (Commands/ConformanceOpenAdrVtnCommands.cs).</summary>
    static partial void AddOpenAdrVtnSuite(Command conformance);

    /// <summary>Adds <c>conformance iec61850-server</c> (Commands/ConformanceIec61850Commands.cs).</summary>
    static partial void AddIec61850Suite(Command conformance);

    /// <summary>Adds <c>conformance uftp</c> (Commands/ConformanceUftpCommands.cs).</summary>
    static partial void AddUftpSuite(Command conformance);

    /// <summary>Adds <c>serve</c> (Commands/ServeCommands.cs).</summary>
    static partial void AddReferenceSystem(List<Command> commands);

    /// <summary>Adds <c>osb run</c> and <c>simulate</c> (Commands/OsbCommands.cs).</summary>
    static partial void AddOpenSmartBox(List<Command> commands);
}
