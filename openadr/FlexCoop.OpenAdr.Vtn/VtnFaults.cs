using System.Text;
using System.Text.RegularExpressions;
using FlexCoop.OpenAdr.Model;

namespace FlexCoop.OpenAdr.Vtn;

/// <summary>
/// Deliberate protocol faults a VTN can be run with (<see cref="VtnOptions.Faults"/>,
/// <c>flexcoop vtn serve --fault NAME</c>), so the VTN certification suite can be shown to fail
/// exactly the cases each fault breaks. Never set in production.
/// </summary>
[Flags]
public enum VtnFault
{
    /// <summary>No fault.</summary>
    None = 0,

    /// <summary>oadrCreatedOpt, oadrCanceledOpt and oadrUpdatedReport echo a requestID other than the one of the request they answer.</summary>
    WrongRequestIdEcho = 1,

    /// <summary>Answers on the simple HTTP services carry no <c>Content-Type</c> header (rule 53).</summary>
    MissingContentType = 2,

    /// <summary><c>oadrDistributeEvent</c> goes out without its mandatory <c>ei:vtnID</c> (schema-invalid).</summary>
    InvalidDistribute = 4,

    /// <summary>A modified (not cancelled) event is distributed with modificationNumber 0 (rule 5).</summary>
    StaleModification = 8,

    /// <summary><c>oadrCreatedEvent</c> naming an unknown eventID or a wrong modificationNumber is accepted (rule 48).</summary>
    AcceptsUnknownEvent = 16,

    /// <summary>Push requests to a VEN's oadrTransportAddress carry no <c>Content-Type</c> header (rule 53); answers to polls keep theirs.</summary>
    PushWithoutContentType = 32,

    /// <summary>A report cancellation the operator asked to piggy-back on <c>oadrUpdatedReport</c> is sent as a separate <c>oadrCancelReport</c> (R1_3050).</summary>
    SeparateReportCancel = 64,

    /// <summary>A VEN's cancellation of the VTN's periodic report is acknowledged but the reports keep coming (R1_3100, R1_3120).</summary>
    IgnoresReportCancel = 128,

    /// <summary>The VTN's own reports carry an rID the VEN did not ask for (rule 314).</summary>
    UnrequestedReportRId = 256,

    /// <summary>The VTN's metadata describes no data point and it refuses every request for its reports with 461 (R1_3070 to R1_3120).</summary>
    NoOwnReports = 512,

    /// <summary>At high security, <c>oadrDistributeEvent</c> goes out without its XML signature (G1_4011, G0_9020).</summary>
    UnsignedDistribute = 1024,
}

/// <summary>Names and effects of <see cref="VtnFault"/>.</summary>
public static partial class VtnFaults
{
    private static readonly Dictionary<string, VtnFault> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["wrong-requestid-echo"] = VtnFault.WrongRequestIdEcho,
        ["missing-content-type"] = VtnFault.MissingContentType,
        ["invalid-distribute"] = VtnFault.InvalidDistribute,
        ["stale-modification"] = VtnFault.StaleModification,
        ["accepts-unknown-event"] = VtnFault.AcceptsUnknownEvent,
        ["push-without-content-type"] = VtnFault.PushWithoutContentType,
        ["separate-report-cancel"] = VtnFault.SeparateReportCancel,
        ["ignores-report-cancel"] = VtnFault.IgnoresReportCancel,
        ["unrequested-report-rid"] = VtnFault.UnrequestedReportRId,
        ["no-own-reports"] = VtnFault.NoOwnReports,
        ["unsigned-distribute"] = VtnFault.UnsignedDistribute,
    };

    /// <summary>Every fault's command-line name.</summary>
    public static IReadOnlyCollection<string> Names => ByName.Keys;

    /// <summary>The fault named <paramref name="name"/>.</summary>
    /// <exception cref="VtnConfigurationException">No fault has that name.</exception>
    public static VtnFault Parse(string name) =>
        ByName.TryGetValue(name?.Trim() ?? "", out var fault) ? fault
        : throw new VtnConfigurationException($"no fault '{name}'; known: {string.Join(", ", ByName.Keys)}");

    internal static bool Has(this VtnOptions options, VtnFault fault) => (options.Faults & fault) != 0;

    /// <summary>The answer as a faulty VTN sends it (<see cref="VtnFault.WrongRequestIdEcho"/>).</summary>
    internal static OadrMessage OnAnswer(VtnOptions options, OadrMessage message)
    {
        if (!options.Has(VtnFault.WrongRequestIdEcho)) return message;
        static EiResponse Wrong(EiResponse r) => r.RequestId.Length == 0 ? r : r with { RequestId = r.RequestId + "-x" };
        return message switch
        {
            OadrUpdatedReport m => m with { EiResponse = Wrong(m.EiResponse) },
            OadrCreatedOpt m => m with { EiResponse = Wrong(m.EiResponse) },
            OadrCanceledOpt m => m with { EiResponse = Wrong(m.EiResponse) },
            _ => message,
        };
    }

    /// <summary>An event as a faulty VTN distributes it (<see cref="VtnFault.StaleModification"/>).</summary>
    internal static OadrEvent OnDistribute(VtnOptions options, OadrEvent e) =>
        options.Has(VtnFault.StaleModification) && e.EiEvent.EventDescriptor.EventStatus != EventStatus.Cancelled
            ? e with { EiEvent = e.EiEvent with { EventDescriptor = e.EiEvent.EventDescriptor with { ModificationNumber = 0 } } }
            : e;

    /// <summary>The wire bytes as a faulty VTN sends them (<see cref="VtnFault.InvalidDistribute"/>).</summary>
    internal static byte[] OnWire(VtnOptions options, byte[] bytes)
    {
        if (!options.Has(VtnFault.InvalidDistribute)) return bytes;
        var text = Encoding.UTF8.GetString(bytes);
        if (!text.Contains("oadrDistributeEvent", StringComparison.Ordinal)) return bytes;
        return Encoding.UTF8.GetBytes(VtnIdElement().Replace(text, "", 1));
    }

    /// <summary>True when a faulty VTN sends <paramref name="payload"/> without signing it (<see cref="VtnFault.UnsignedDistribute"/>).</summary>
    internal static bool LeavesUnsigned(VtnOptions options, byte[] payload) =>
        options.Has(VtnFault.UnsignedDistribute) && payload.AsSpan().IndexOf("oadrDistributeEvent"u8) >= 0;

    [GeneratedRegex(@"<(\w+:)?vtnID>[^<]*</(\w+:)?vtnID>", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex VtnIdElement();
}
