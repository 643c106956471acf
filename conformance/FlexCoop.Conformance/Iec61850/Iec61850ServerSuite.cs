using FlexCoop.Conformance.Certification;
using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Model;

namespace FlexCoop.Conformance.Iec61850;

internal static partial class Iec61850ServerCases
{
    /// <summary>Every case in run order (groups as the test procedures order them; the robustness cases, which may take the server down, last).</summary>
    public static IReadOnlyList<ScriptedCase> All => LazyAll.Value;

    // Built on first use: the static members of the other partial files it reads are initialised by then, whatever their order.
    private static readonly Lazy<IReadOnlyList<ScriptedCase>> LazyAll = new(() =>
    [
        .. new[]
        {
            Association(),
            Server(),
            DataSets(),
            Reporting(buffered: false),
            Reporting(buffered: true),
            Control(),
            SettingGroups(),
            LogsFilesTime(),
            Robustness(),
            [UnresolvedFcda()],
        }.SelectMany(group => group).Select(WithPixitFeature),
    ]);

    /// <summary>The PIXIT entry a case needs: without it the runner reports the case as not applicable.</summary>
    private static readonly Dictionary<string, string> PixitFeature = new(StringComparer.Ordinal)
    {
        ["sAss3"] = Iec61850PixitFeatures.MaxAssociations,
        ["sAssN2"] = Iec61850PixitFeatures.MaxAssociations,
        ["sAss4"] = Iec61850PixitFeatures.Password,
        ["sAssN1"] = Iec61850PixitFeatures.Password,
        ["sDset3"] = Iec61850PixitFeatures.DynamicDataSets,
        ["sDset4"] = Iec61850PixitFeatures.DynamicDataSets,
        ["sDsetN1"] = Iec61850PixitFeatures.DynamicDataSets,
        ["sDsetN3"] = Iec61850PixitFeatures.DynamicDataSets,
        ["sBr9"] = Iec61850PixitFeatures.BufferOverflowEvents,
        ["sCtl2"] = Iec61850PixitFeatures.OperateControls,
        ["sCtl3"] = Iec61850PixitFeatures.OperateControls,
        ["sCtl4"] = Iec61850PixitFeatures.OperateControls,
        ["sCtl5"] = Iec61850PixitFeatures.OperateControls,
        ["sCtl6"] = Iec61850PixitFeatures.OperateControls,
        ["sCtl7"] = Iec61850PixitFeatures.OperateControls,
        ["sCtlN1"] = Iec61850PixitFeatures.OperateControls,
        ["sCtlN2"] = Iec61850PixitFeatures.OperateControls,
        ["sCtlN3"] = Iec61850PixitFeatures.OperateControls,
        ["sSg2"] = Iec61850PixitFeatures.ChangeSettingGroups,
        ["sFt1"] = Iec61850PixitFeatures.FileServices,
        ["sFt2"] = Iec61850PixitFeatures.FileServices,
        ["sFtN1"] = Iec61850PixitFeatures.FileServices,
        ["sFtN2"] = Iec61850PixitFeatures.FileServices,
    };

    private static ScriptedCase WithPixitFeature(ScriptedCase c) =>
        PixitFeature.TryGetValue(c.Case.Id, out var feature) ? c with { Case = c.Case with { OptionalFeature = feature } } : c;
}

/// <summary>Settings of a suite run: the server under test and what it claims.</summary>
public sealed record Iec61850SuiteOptions
{
    public required string Host { get; init; }
    public int Port { get; init; } = 102;

    /// <summary>The IED the server claims to serve (from its SCL file).</summary>
    public required IedModel Model { get; init; }

    public Iec61850Pixit Pixit { get; init; } = new();
}

/// <summary>
/// The IEC 61850 server conformance suite, organised like the UCA International Users Group server
/// test procedures: groups Ass, Srv, Dset, Rp, Br, Ctl, Sg, Log, Ft, Tm, each with negative (N) cases.
/// Every case is a scripted exchange over MMS checked against the SCL model and the PIXIT. Run it with
/// <see cref="CertificationRunner"/> and <c>Pics = options.Pixit.ToPics()</c>, so that the cases of
/// features the PIXIT does not claim are not applicable.
/// </summary>
public sealed class Iec61850ServerSuite(Iec61850SuiteOptions options) : ICertificationSuite
{
    private static readonly Dictionary<string, ScriptedCase> ById = Iec61850ServerCases.All.ToDictionary(c => c.Case.Id, StringComparer.Ordinal);

    /// <summary>The group names in run order.</summary>
    public static IReadOnlyList<string> Groups { get; } = ["Ass", "Srv", "Dset", "Rp", "Br", "Ctl", "Sg", "Log", "Ft", "Tm"];

    /// <summary>Every case of the catalogue, in run order.</summary>
    public static IReadOnlyList<CertificationCase> Catalogue { get; } = [.. Iec61850ServerCases.All.Select(c => c.Case)];

    /// <summary>The operator actions some cases ask for when the suite cannot cause a change itself (names a hook switches on).</summary>
    public static IReadOnlyList<string> OperatorActionNames { get; } = [Iec61850ServerCases.ChangeMemberAction, Iec61850ServerCases.OverflowBufferAction, Iec61850ServerCases.AddLogEntriesAction];

    public string Name => $"IEC 61850 server {options.Host}:{options.Port} ({options.Model.Name})";

    public IReadOnlyList<CertificationCase> Cases => Catalogue;

    public IReadOnlyList<string> Notes =>
    [
        $"server {options.Host}:{options.Port}, SCL model IED {options.Model.Name} ({options.Model.LogicalDevices.Count} logical devices, {options.Model.ReportControlBlocks.Count()} report control blocks, {options.Model.DataSets.Count()} data sets)",
        $"PIXIT: {string.Join(", ", options.Pixit.ToPics().Values.Where(kv => kv.Value is not ("" or "false")).Select(kv => kv.Key == "password" ? "password" : $"{kv.Key}={kv.Value}"))}; report timeout {options.Pixit.ReportTimeoutMs} ms",
        options.Pixit.OperateControls ? "controls are operated (PIXIT operateControls)" : "controls are not operated (PIXIT operateControls is false): the control cases are not applicable",
    ];

    public bool HasScript(CertificationCase @case)
    {
        ArgumentNullException.ThrowIfNull(@case);
        return ById.ContainsKey(@case.Id);
    }

    public async Task RunCaseAsync(CertificationCase @case, CaseRecorder recorder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(@case);
        ArgumentNullException.ThrowIfNull(recorder);
        var script = ById[@case.Id].Script;
        await using var context = new Iec61850TestContext(options.Host, options.Port, options.Model, options.Pixit, recorder);
        try
        {
            await script(context, cancellationToken).ConfigureAwait(false);
        }
        catch (CaseNotApplicableException ex)
        {
            throw recorder.NotApplicable(ex.Message);
        }
        catch (Exception ex) when (ex is MmsException or TimeoutException or IOException)
        {
            // The server answered what the case did not expect (a service error, a broken PDU, no answer): it broke the case's rule.
            var message = "unexpected " + Describe(ex);
            recorder.AddFailure(new CheckFailure(@case.Id, message, null, recorder.Record(MessageDirection.Note, message, "")));
            return;
        }
        if (context.CheckCount == 0) throw recorder.Inconclusive("the case made no check");
    }

    private static string Describe(Exception ex) => ex switch
    {
        MmsServiceErrorException s => $"service error {s.Error}",
        MmsProtocolException p => $"protocol failure: {p.Message}",
        TimeoutException => "timeout: " + ex.Message,
        _ => ex.Message,
    };
}
