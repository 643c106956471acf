using FlexCoop.Iec61850.Model;

namespace FlexCoop.Iec61850.Mms.Acsi;

/// <summary>The attributes of a setting group control block (GetSGCBValues).</summary>
/// <param name="NumOfSG">Number of setting groups.</param>
/// <param name="ActSG">The active group (1..NumOfSG).</param>
/// <param name="EditSG">The group being edited, 0 when none.</param>
/// <param name="CnfEdit">Confirm-edit flag (reads false once confirmed).</param>
/// <param name="LActTm">When the active group was last changed, if the server says.</param>
public sealed record SettingGroupControlBlockValues(int NumOfSG, int ActSG, int EditSG, bool CnfEdit, DateTimeOffset? LActTm);

public sealed partial class Iec61850Client
{
    private static string Sgcb(string logicalDevice) => logicalDevice + "/LLN0.SGCB";

    /// <summary>GetSGCBValues: the setting group control block of <paramref name="logicalDevice"/>.</summary>
    public async Task<SettingGroupControlBlockValues> GetSettingGroupControlBlockValuesAsync(string logicalDevice, CancellationToken cancellationToken = default)
    {
        var value = await GetDataValuesAsync(Sgcb(logicalDevice), FunctionalConstraint.SP, cancellationToken).ConfigureAwait(false);
        var type = await GetDataDefinitionAsync(Sgcb(logicalDevice), FunctionalConstraint.SP, cancellationToken).ConfigureAwait(false);
        if (value is not MmsStructure s || type is not MmsStructureType t) throw new MmsProtocolException($"{Sgcb(logicalDevice)} is not a structure");
        MmsValue? Get(string name)
        {
            for (var i = 0; i < t.Components.Count && i < s.Components.Count; i++)
            {
                if (t.Components[i].Name == name) return s.Components[i];
            }
            return null;
        }
        static int Number(MmsValue? v) => v switch
        {
            MmsUnsigned u => (int)Math.Min(u.Value, int.MaxValue),
            MmsInteger i => (int)Math.Clamp(i.Value, 0, int.MaxValue),
            _ => 0,
        };
        return new SettingGroupControlBlockValues(Number(Get("NumOfSG")), Number(Get("ActSG")), Number(Get("EditSG")),
            Get("CnfEdit") is MmsBoolean { Value: true }, Get("LActTm") is MmsUtcTime { Seconds: > 0 } tm ? tm.Timestamp : null);
    }

    /// <summary>SelectActiveSG: makes group <paramref name="group"/> (1..NumOfSG) active.</summary>
    public Task SelectActiveSettingGroupAsync(string logicalDevice, int group, CancellationToken cancellationToken = default) =>
        SetDataValuesAsync(Sgcb(logicalDevice) + ".ActSG", FunctionalConstraint.SP, new MmsUnsigned((ulong)Math.Max(0, group)), cancellationToken);

    /// <summary>SelectEditSG: loads group <paramref name="group"/> into the SE values for editing (0 ends editing).</summary>
    public Task SelectEditSettingGroupAsync(string logicalDevice, int group, CancellationToken cancellationToken = default) =>
        SetDataValuesAsync(Sgcb(logicalDevice) + ".EditSG", FunctionalConstraint.SP, new MmsUnsigned((ulong)Math.Max(0, group)), cancellationToken);

    /// <summary>SetEditSGValue: changes a value (FC SE) of the group being edited.</summary>
    public Task SetEditSettingGroupValueAsync(string reference, MmsValue value, CancellationToken cancellationToken = default) =>
        SetDataValuesAsync(reference, FunctionalConstraint.SE, value, cancellationToken);

    /// <summary>ConfirmEditSGValues: stores the edited values into the group being edited.</summary>
    public Task ConfirmEditSettingGroupValuesAsync(string logicalDevice, CancellationToken cancellationToken = default) =>
        SetDataValuesAsync(Sgcb(logicalDevice) + ".CnfEdit", FunctionalConstraint.SP, new MmsBoolean(true), cancellationToken);

    /// <summary>GetSGValues: a value (FC SG) of the active group.</summary>
    public Task<MmsValue> GetSettingGroupValueAsync(string reference, CancellationToken cancellationToken = default) =>
        GetDataValuesAsync(reference, FunctionalConstraint.SG, cancellationToken);

    /// <summary>GetEditSGValue: a value (FC SE) of the group being edited.</summary>
    public Task<MmsValue> GetEditSettingGroupValueAsync(string reference, CancellationToken cancellationToken = default) =>
        GetDataValuesAsync(reference, FunctionalConstraint.SE, cancellationToken);
}
