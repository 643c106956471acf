using FlexCoop.Iec61850.Internal;
using FlexCoop.Iec61850.Scl;

namespace FlexCoop.Iec61850.Model;

/// <summary>
/// Resolves a parsed <see cref="SclDocument"/> into ACSI instance trees (<see cref="IedModel"/>):
/// each LN expanded through its LNodeType, DOTypes, DATypes and EnumTypes; DAI values applied;
/// data sets and control blocks bound. Problems never throw: they become diagnostics and the part
/// concerned is left out. Only a limit exceeded (a type expansion too deep or too large) throws
/// <see cref="SclException"/>.
/// </summary>
public static class SclResolver
{
    /// <summary>
    /// Resolves every IED of <paramref name="document"/> that has a server, or only
    /// <paramref name="iedName"/> when given (an error diagnostic when there is none by that name).
    /// </summary>
    public static SclResolution Resolve(SclDocument document, string? iedName = null, SclLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        return new ModelBuilder(document, (limits ?? SclLimits.Default).Validated()).Build(iedName);
    }

    /// <summary>Reads and resolves an SCL file in one step. Throws <see cref="SclException"/> when the file is unreadable.</summary>
    public static SclResolution Load(string path, string? iedName = null, SclLimits? limits = null) =>
        Resolve(SclDocument.Load(path, limits), iedName, limits);
}

/// <summary>The outcome of resolving an SCL document: the IED models and every diagnostic, parse and resolution, in file order.</summary>
public sealed class SclResolution
{
    internal SclResolution(SclDocument document, IReadOnlyList<IedModel> ieds, IReadOnlyList<SclDiagnostic> diagnostics)
    {
        Document = document;
        Ieds = ieds;
        Diagnostics = diagnostics;
    }

    public SclDocument Document { get; }

    /// <summary>One model per IED with a server (possibly partial when there are errors).</summary>
    public IReadOnlyList<IedModel> Ieds { get; }

    /// <summary>Parse and resolution diagnostics sorted by line and column.</summary>
    public IReadOnlyList<SclDiagnostic> Diagnostics { get; }

    /// <summary>True when some diagnostic is an error.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.Severity == SclSeverity.Error);

    /// <summary>The model of the IED named <paramref name="name"/>, or null.</summary>
    public IedModel? FindIed(string name) => Ieds.FirstOrDefault(i => string.Equals(i.Name, name, StringComparison.Ordinal));
}
