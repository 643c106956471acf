using System.Xml;
using System.Xml.Linq;
using FlexCoop.OpenAdr.Model;

namespace FlexCoop.OpenAdr.Ven;

/// <summary>
/// Deliberate misbehaviour, to prove that a certification suite catches it. Never set in production.
/// Each fault breaks one rule the way real VENs have been seen to.
/// </summary>
[Flags]
public enum VenFault
{
    /// <summary>Behave.</summary>
    None = 0,

    /// <summary><c>wrong-requestid-echo</c>: each eventResponse carries a requestID other than the distribute's (breaks rule 42).</summary>
    WrongRequestIdEcho = 1 << 0,

    /// <summary><c>answers-when-never</c>: answers events sent with <c>oadrResponseRequired=never</c> (breaks rule 12).</summary>
    AnswersWhenNever = 1 << 1,

    /// <summary><c>ignores-modification</c>: keeps the version of an event it has and answers with its modificationNumber (breaks rule 57).</summary>
    IgnoresModification = 1 << 2,

    /// <summary><c>accepts-lower-modification</c>: takes a lower modificationNumber as an unchanged event (breaks rule 58).</summary>
    AcceptsLowerModification = 1 << 3,

    /// <summary><c>out-of-order-elements</c>: writes <c>ei:venID</c> first in <c>oadrCreatedEvent</c> (breaks the schema's element order).</summary>
    OutOfOrderElements = 1 << 4,

    /// <summary><c>wrong-venid</c>: writes another venID in <c>oadrCreateOpt</c> and <c>oadrCancelOpt</c> (breaks rule 21).</summary>
    WrongVenId = 1 << 5,

    /// <summary><c>no-opt-on-cancel</c>: does not answer a cancelled event (breaks rules 12 and 36).</summary>
    NoOptOnCancel = 1 << 6,

    /// <summary><c>polls-too-fast</c>: polls four times as often as the VTN asks (breaks rules 54/55).</summary>
    PollsTooFast = 1 << 7,

    /// <summary><c>ignores-signatures</c>: at high security, acts on VTN payloads without checking their XML signature (replayed, unsigned or signed by a stranger).</summary>
    IgnoresSignatures = 1 << 8,
}

/// <summary>The fault names used on the command line, and where each fault acts.</summary>
public static class VenFaults
{
    private static readonly Dictionary<string, VenFault> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["wrong-requestid-echo"] = VenFault.WrongRequestIdEcho,
        ["answers-when-never"] = VenFault.AnswersWhenNever,
        ["ignores-modification"] = VenFault.IgnoresModification,
        ["accepts-lower-modification"] = VenFault.AcceptsLowerModification,
        ["out-of-order-elements"] = VenFault.OutOfOrderElements,
        ["wrong-venid"] = VenFault.WrongVenId,
        ["no-opt-on-cancel"] = VenFault.NoOptOnCancel,
        ["polls-too-fast"] = VenFault.PollsTooFast,
        ["ignores-signatures"] = VenFault.IgnoresSignatures,
    };

    /// <summary>Every fault's command-line name.</summary>
    public static IReadOnlyCollection<string> Names => ByName.Keys;

    /// <summary>The fault named <paramref name="name"/>.</summary>
    /// <exception cref="VenConfigurationException">No fault has that name.</exception>
    public static VenFault Parse(string name) =>
        ByName.TryGetValue(name?.Trim() ?? "", out var fault) ? fault
        : throw new VenConfigurationException($"no fault '{name}'; known: {string.Join(", ", ByName.Keys)}");

    internal static bool Has(this VenOptions options, VenFault fault) => (options.Faults & fault) != 0;

    internal static string EchoedRequestId(VenOptions options, string requestId) =>
        options.Has(VenFault.WrongRequestIdEcho) ? requestId + "-x" : requestId;

    internal static string OptVenId(VenOptions options, string venId) =>
        options.Has(VenFault.WrongVenId) ? "NOT-" + venId : venId;

    internal static TimeSpan PollPeriod(VenOptions options, TimeSpan period) =>
        options.Has(VenFault.PollsTooFast) ? period / 4 : period;

    /// <summary>Rewrites the wire bytes of an outgoing message where a fault says so.</summary>
    internal static byte[] OnWire(VenOptions options, OadrMessage message, byte[] bytes)
    {
        if (!options.Has(VenFault.OutOfOrderElements) || message is not OadrCreatedEvent) return bytes;
        // Our own serialiser's output: safe to load. Move the last child of ei:eiCreatedEvent (ei:venID) first.
        using var input = new MemoryStream(bytes);
        var doc = XDocument.Load(XmlReader.Create(input, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null }));
        var inner = doc.Descendants().FirstOrDefault(e => e.Name.LocalName == "eiCreatedEvent");
        if (inner?.Elements().LastOrDefault() is { } last)
        {
            last.Remove();
            inner.AddFirst(last);
        }
        using var output = new MemoryStream();
        doc.Save(output, SaveOptions.DisableFormatting);
        return output.ToArray();
    }
}
