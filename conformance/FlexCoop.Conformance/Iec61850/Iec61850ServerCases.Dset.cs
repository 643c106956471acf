using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Iec61850.Model;

namespace FlexCoop.Conformance.Iec61850;

internal static partial class Iec61850ServerCases
{
    private const string Dset = "Dset";

    private static DataSet FirstDataSet(Iec61850TestContext ctx) =>
        ctx.Model.DataSets.FirstOrDefault(d => d.Members.Count > 0) ?? throw new CaseNotApplicableException("the model has no data set");

    /// <summary>Two members of the model's first data set, for dynamic data sets.</summary>
    private static DataSetMemberReference[] DynamicMembers(Iec61850TestContext ctx) =>
        FirstDataSet(ctx).Members.Take(2).Select(m => new DataSetMemberReference(m.Reference, m.Fc)).ToArray();

    private static string DynamicName(Iec61850TestContext ctx, string name) => ctx.Model.LogicalDevices[0].Name + "/LLN0." + name;

    private static IEnumerable<ScriptedCase> DataSets() =>
    [
        new("sDset1", Dset, "GetDataSetDirectory of every SCL data set lists its members", async (ctx, ct) =>
        {
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var any = false;
            foreach (var ds in ctx.Model.DataSets.Where(d => d.Members.Count > 0))
            {
                any = true;
                var served = await client.GetDataSetDirectoryAsync(ds.Reference, ct).ConfigureAwait(false);
                var expected = ds.Members.Select(m => $"{m.MmsDomainName}/{m.MmsItemId}").ToArray();
                var actual = served.Select(m => Iec61850MmsMapping.ToObjectName(m.Reference, m.Fc)).Select(n => $"{n.DomainId}/{n.ItemId}").ToArray();
                ctx.Check(actual.SequenceEqual(expected, StringComparer.Ordinal), $"{ds.Reference}: members in SCL order", $"served {Join(actual)}; SCL {Join(expected)}");
            }
            if (!any) Iec61850TestContext.NotApplicable("the model has no data set");
        }),
        new("sDset2", Dset, "GetDataSetValues of every SCL data set returns a value per member", async (ctx, ct) =>
        {
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            foreach (var ds in ctx.Model.DataSets.Where(d => d.Members.Count > 0))
            {
                var values = await client.GetDataSetValuesAsync(ds.Reference, ct).ConfigureAwait(false);
                ctx.Check(values.Count == ds.Members.Count && values.All(v => v.IsSuccess), $"{ds.Reference}: {ds.Members.Count} values", string.Join("; ", values.Where(v => !v.IsSuccess).Select(v => v.ToString())));
            }
        }),
        new("sDset3", Dset, "CreateDataSet and DeleteDataSet of a persistent data set", async (ctx, ct) =>
        {
            if (!ctx.Pixit.DynamicDataSets) Iec61850TestContext.NotApplicable("the PIXIT says data sets cannot be created");
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var name = DynamicName(ctx, "FcSuiteDs1");
            var members = DynamicMembers(ctx);
            await client.CreateDataSetAsync(name, members, ct).ConfigureAwait(false);
            var directory = await client.GetDataSetDirectoryAsync(name, ct).ConfigureAwait(false);
            ctx.Check(directory.SequenceEqual(members), "the created data set has the members asked for", Join(directory.Select(d => d.Reference)));
            var values = await client.GetDataSetValuesAsync(name, ct).ConfigureAwait(false);
            ctx.Check(values.Count == members.Length && values.All(v => v.IsSuccess), "its values can be read");
            ctx.Check(await client.DeleteDataSetAsync(name, ct).ConfigureAwait(false), "the data set is deleted");
        }),
        new("sDset4", Dset, "An association-specific data set is created, read and gone after release", async (ctx, ct) =>
        {
            if (!ctx.Pixit.DynamicDataSets) Iec61850TestContext.NotApplicable("the PIXIT says data sets cannot be created");
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var list = ObjectName.Association("FcSuiteAa");
            var members = DynamicMembers(ctx).Select(m => Iec61850MmsMapping.ToObjectName(m.Reference, m.Fc)).ToArray();
            await client.Mms.DefineNamedVariableListAsync(list, members, ct).ConfigureAwait(false);
            var values = await client.Mms.ReadNamedVariableListAsync(list, ct).ConfigureAwait(false);
            ctx.Check(values.Count == members.Length, "the association-specific data set can be read");
            var other = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var names = await other.Mms.GetNameListAsync(MmsObjectClass.NamedVariableList, MmsScope.AaSpecific, null, ct).ConfigureAwait(false);
            ctx.Check(!names.Contains("FcSuiteAa"), "another association does not see it");
        }),
        new("sDsetN1", Dset, "CreateDataSet with a member that does not exist is refused", async (ctx, ct) =>
        {
            if (!ctx.Pixit.DynamicDataSets) Iec61850TestContext.NotApplicable("the PIXIT says data sets cannot be created");
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var ld = ctx.Model.LogicalDevices[0].Name;
            try
            {
                await client.CreateDataSetAsync(DynamicName(ctx, "FcSuiteBad"), [new DataSetMemberReference(ld + "/NOSUCH1.Mod", FunctionalConstraint.ST)], ct).ConfigureAwait(false);
                ctx.Check(false, "the data set is refused", "created");
                await client.DeleteDataSetAsync(DynamicName(ctx, "FcSuiteBad"), ct).ConfigureAwait(false);
            }
            catch (MmsServiceErrorException ex)
            {
                ctx.Check(true, "the data set is refused with a service error", ex.Error.ToString());
            }
        }),
        new("sDsetN2", Dset, "DeleteDataSet of a data set configured in SCL is refused", async (ctx, ct) =>
        {
            var ds = FirstDataSet(ctx);
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var deleted = await client.DeleteDataSetAsync(ds.Reference, ct).ConfigureAwait(false);
            ctx.Check(!deleted, $"{ds.Reference} is not deleted");
            var directory = await client.GetDataSetDirectoryAsync(ds.Reference, ct).ConfigureAwait(false);
            ctx.Check(directory.Count == ds.Members.Count, "it is still there");
        }),
        new("sDsetN3", Dset, "CreateDataSet with the name of an existing data set is refused", async (ctx, ct) =>
        {
            if (!ctx.Pixit.DynamicDataSets) Iec61850TestContext.NotApplicable("the PIXIT says data sets cannot be created");
            var ds = FirstDataSet(ctx);
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            try
            {
                await client.CreateDataSetAsync(ds.Reference, DynamicMembers(ctx), ct).ConfigureAwait(false);
                ctx.Check(false, "the duplicate is refused", "created");
            }
            catch (MmsServiceErrorException ex)
            {
                ctx.Check(true, "the duplicate is refused with a service error", ex.Error.ToString());
            }
        }),
    ];
}
