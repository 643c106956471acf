using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Iec61850.Model;

namespace FlexCoop.Conformance.Iec61850;

internal static partial class Iec61850ServerCases
{
    /// <summary>Item id of the data set sDsetN4 tries to define when the SCL model has no unresolved FCDA.</summary>
    internal const string DanglingDataSetName = "FcSuiteDangling";

    /// <summary>The data sets of the SCL model of which some FCDA designates nothing (the resolver left those members out).</summary>
    internal static IReadOnlyList<DataSet> DataSetsWithUnresolvedFcdas(IedModel model) =>
        [.. model.DataSets.Where(d => d.Members.Count < d.Source.Members.Count)];

    /// <summary>
    /// sDsetN4, the unresolved-FCDA robustness case. A data set whose FCDA points at nothing has crashed servers on
    /// a GetDataSetDirectory. When the SCL model the server claims has such data sets (the suite loads a model whose
    /// only errors are unresolved FCDAs), the case asks each one's directory and values; otherwise it makes one: a
    /// DefineNamedVariableList (CreateDataSet) naming a member that does not exist, which must be refused with a
    /// service error, then the directory of that name. Every request must be answered (members, values or a
    /// service error), and the server must keep serving: another association works and a new one is accepted.
    /// </summary>
    private static ScriptedCase UnresolvedFcda() => new("sDsetN4", Dset,
        "Robustness: a data set with a member that designates nothing gets answers to its directory and values (or a service error), and the server keeps serving",
        async (ctx, ct) =>
        {
            var dangling = DataSetsWithUnresolvedFcdas(ctx.Model);
            if (dangling.Count == 0 && !ctx.Pixit.DynamicDataSets)
            {
                Iec61850TestContext.NotApplicable("the SCL model has no data set with an unresolved FCDA, and the PIXIT says data sets cannot be created");
            }
            var bystander = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var victim = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            if (dangling.Count > 0)
            {
                foreach (var ds in dangling)
                {
                    var resolved = ds.Members.Select(m => m.Source).ToHashSet();
                    ctx.Log($"{ds.Reference}: FCDA {string.Join(", ", ds.Source.Members.Where(f => !resolved.Contains(f)))} designates nothing in the SCL model");
                    if (!await AnsweredAsync(ctx, $"GetDataSetDirectory {ds.Reference}", async () => Join((await victim.GetDataSetDirectoryAsync(ds.Reference, ct).ConfigureAwait(false)).Select(m => $"{m.Reference} [{m.Fc}]"))).ConfigureAwait(false)) break;
                    if (!await AnsweredAsync(ctx, $"GetDataSetValues {ds.Reference}", async () => string.Join("; ", await victim.GetDataSetValuesAsync(ds.Reference, ct).ConfigureAwait(false))).ConfigureAwait(false)) break;
                }
            }
            else
            {
                var home = FirstDataSet(ctx);
                var domain = home.LogicalNode.LogicalDevice.MmsDomainName;
                var list = ObjectName.Domain(domain, home.LogicalNode.Name + "$" + DanglingDataSetName);
                var existing = ObjectName.Domain(home.Members[0].MmsDomainName, home.Members[0].MmsItemId);
                var nothing = ObjectName.Domain(domain, home.LogicalNode.Name + "$ST$FcSuiteNoSuchDo");
                ctx.Log($"define {list.DomainId}/{list.ItemId} with {existing.DomainId}/{existing.ItemId} and {nothing.DomainId}/{nothing.ItemId}, which designates nothing");
                var defined = false;
                try
                {
                    await victim.Mms.DefineNamedVariableListAsync(list, [existing, nothing], ct).ConfigureAwait(false);
                    defined = true;
                }
                catch (MmsServiceErrorException ex)
                {
                    ctx.Check(true, "a data set with a member that designates nothing is refused with a service error", ex.Error.ToString());
                }
                if (defined)
                {
                    // Checked after the directory request below: a failed check cancels the case's token.
                    ctx.Log("the server accepted the data set; asking its directory");
                }
                var directoryAnswered = await AnsweredAsync(ctx, $"GetDataSetDirectory {list.DomainId}/{list.ItemId}", async () =>
                    Join((await victim.Mms.GetNamedVariableListAttributesAsync(list, ct).ConfigureAwait(false)).Variables.Select(m => $"{m.DomainId}/{m.ItemId}"))).ConfigureAwait(false);
                if (defined)
                {
                    ctx.Check(false, "a data set with a member that designates nothing is refused with a service error", "defined");
                    if (directoryAnswered) await TryDeleteAsync(ctx, victim, list).ConfigureAwait(false);
                }
            }
            await ServerKeepsServingAsync(ctx, bystander, victim, ct).ConfigureAwait(false);
        });

    /// <summary>Runs a request that must be answered: a response or a service error passes; no answer, a reject or a dropped association fails.</summary>
    private static async Task<bool> AnsweredAsync(Iec61850TestContext ctx, string what, Func<Task<string>> request)
    {
        try
        {
            var seen = await request().ConfigureAwait(false);
            return ctx.Check(true, what + " is answered", seen);
        }
        catch (MmsServiceErrorException ex)
        {
            return ctx.Check(true, what + " is answered with a service error", ex.Error.ToString());
        }
        catch (Exception ex) when (ex is MmsException or TimeoutException or IOException)
        {
            ctx.Check(false, what + " is answered with its members, its values or a service error", ex.Message);
            return false;
        }
    }

    private static async Task TryDeleteAsync(Iec61850TestContext ctx, Iec61850Client client, ObjectName list)
    {
        try
        {
            using var limit = new CancellationTokenSource(ctx.ReportTimeout);
            await client.Mms.DeleteNamedVariableListAsync([list], limit.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MmsException or TimeoutException or IOException or OperationCanceledException)
        {
            ctx.Log($"could not delete {list.DomainId}/{list.ItemId}: {ex.Message}");
        }
    }
}
