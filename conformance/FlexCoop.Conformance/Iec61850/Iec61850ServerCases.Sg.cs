using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Iec61850.Model;

namespace FlexCoop.Conformance.Iec61850;

internal static partial class Iec61850ServerCases
{
    private const string Sg = "Sg";

    private static (LogicalDevice Ld, SettingGroupControlBlock Sgcb) FirstSgcb(Iec61850TestContext ctx)
    {
        foreach (var ld in ctx.Model.LogicalDevices)
        {
            if (ld.Lln0?.SettingGroupControlBlock is { NumOfSGs: > 0 } sgcb) return (ld, sgcb);
        }
        throw new CaseNotApplicableException("the model has no setting group control block");
    }

    /// <summary>SG attributes whose SCL values differ between groups: (reference, value per group).</summary>
    private static IEnumerable<(DataAttribute Attribute, IReadOnlyList<object?> Values)> GroupedSettings(LogicalDevice ld) =>
        ld.LogicalNodes.SelectMany(ln => ln.DataObjects).SelectMany(d => IedModel.GetAttributes(d, FunctionalConstraint.SG))
            .Where(a => !a.IsStructure && a.SettingGroupValues.Count > 1 && a.SettingGroupValues.Distinct().Count() > 1)
            .Select(a => (a, a.SettingGroupValues));

    private static bool SameValue(MmsValue served, object? scl) => (served, scl) switch
    {
        (MmsFloat32 f, float g) => f.Value == g,
        (MmsFloat64 f, double g) => f.Value == g,
        (MmsInteger i, long l) => i.Value == l,
        (MmsInteger i, int l) => i.Value == l,
        (MmsUnsigned u, ulong l) => u.Value == l,
        (MmsBoolean b, bool c) => b.Value == c,
        _ => false,
    };

    private static IEnumerable<ScriptedCase> SettingGroups() =>
    [
        new("sSg1", Sg, "GetSGCBValues: NumOfSG and ActSG as configured", async (ctx, ct) =>
        {
            var (ld, sgcb) = FirstSgcb(ctx);
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var values = await client.GetSettingGroupControlBlockValuesAsync(ld.Name, ct).ConfigureAwait(false);
            ctx.Check(values.NumOfSG == sgcb.NumOfSGs, "NumOfSG equals the SCL", values.NumOfSG.ToString(System.Globalization.CultureInfo.InvariantCulture));
            ctx.Check(values.ActSG >= 1 && values.ActSG <= values.NumOfSG, "ActSG is a valid group", values.ActSG.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }),
        new("sSg2", Sg, "SelectActiveSG makes each group active with its values", async (ctx, ct) =>
        {
            if (!ctx.Pixit.ChangeSettingGroups) Iec61850TestContext.NotApplicable("the PIXIT does not allow changing the active setting group");
            var (ld, sgcb) = FirstSgcb(ctx);
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var original = (await client.GetSettingGroupControlBlockValuesAsync(ld.Name, ct).ConfigureAwait(false)).ActSG;
            var settings = GroupedSettings(ld).ToArray();
            for (var g = 1; g <= sgcb.NumOfSGs; g++)
            {
                await client.SelectActiveSettingGroupAsync(ld.Name, g, ct).ConfigureAwait(false);
                var values = await client.GetSettingGroupControlBlockValuesAsync(ld.Name, ct).ConfigureAwait(false);
                ctx.Check(values.ActSG == g, $"ActSG reads {g}", values.ActSG.ToString(System.Globalization.CultureInfo.InvariantCulture));
                foreach (var (attribute, perGroup) in settings)
                {
                    var served = await client.GetSettingGroupValueAsync(attribute.Reference, ct).ConfigureAwait(false);
                    ctx.Check(SameValue(served, perGroup[g - 1]), $"{attribute.Reference} [SG] has group {g}'s value", $"served {served.Format()}; SCL {perGroup[g - 1]}");
                }
            }
            await client.SelectActiveSettingGroupAsync(ld.Name, original, ct).ConfigureAwait(false);
        }),
        new("sSg3", Sg, "SelectEditSG, SetEditSGValue, ConfirmEditSGValues store the edited value", async (ctx, ct) =>
        {
            var (ld, _) = FirstSgcb(ctx);
            var setting = ld.LogicalNodes.SelectMany(ln => ln.DataObjects).SelectMany(d => IedModel.GetAttributes(d, FunctionalConstraint.SE))
                .FirstOrDefault(a => !a.IsStructure && a.BasicType is BasicType.FLOAT32 or BasicType.INT32 or BasicType.INT32U);
            if (setting is null) Iec61850TestContext.NotApplicable("the model has no SE attribute of a numeric type");
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            await client.SelectEditSettingGroupAsync(ld.Name, 1, ct).ConfigureAwait(false);
            var before = await client.GetEditSettingGroupValueAsync(setting.Reference, ct).ConfigureAwait(false);
            await client.SetEditSettingGroupValueAsync(setting.Reference, before, ct).ConfigureAwait(false);
            await client.ConfirmEditSettingGroupValuesAsync(ld.Name, ct).ConfigureAwait(false);
            var after = await client.GetEditSettingGroupValueAsync(setting.Reference, ct).ConfigureAwait(false);
            ctx.Check(after == before, "the confirmed value reads back", after.Format());
            await client.SelectEditSettingGroupAsync(ld.Name, 0, ct).ConfigureAwait(false);
        }),
        new("sSgN1", Sg, "SelectActiveSG of a group beyond NumOfSG is refused", async (ctx, ct) =>
        {
            var (ld, sgcb) = FirstSgcb(ctx);
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var error = await ctx.TryWriteAsync(client, ld.Name + "/LLN0.SGCB.ActSG", FunctionalConstraint.SP, new MmsUnsigned(sgcb.NumOfSGs + 1), ct).ConfigureAwait(false);
            ctx.Check(error is not null, $"group {sgcb.NumOfSGs + 1} is refused", "accepted");
        }),
        new("sSgN2", Sg, "SetEditSGValue without an edit group is refused", async (ctx, ct) =>
        {
            var (ld, _) = FirstSgcb(ctx);
            var setting = ld.LogicalNodes.SelectMany(ln => ln.DataObjects).SelectMany(d => IedModel.GetAttributes(d, FunctionalConstraint.SE)).FirstOrDefault(a => !a.IsStructure);
            if (setting is null) Iec61850TestContext.NotApplicable("the model has no SE attribute");
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var value = await client.GetDataValuesAsync(setting.Reference, FunctionalConstraint.SE, ct).ConfigureAwait(false);
            var error = await ctx.TryWriteAsync(client, setting.Reference, FunctionalConstraint.SE, value, ct).ConfigureAwait(false);
            ctx.Check(error is not null, "the SE write is refused", "accepted");
        }),
    ];
}
