using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Iec61850.Model;

namespace FlexCoop.Conformance.Iec61850;

internal static partial class Iec61850ServerCases
{
    private const string Srv = "Srv";

    private static string Join(IEnumerable<string> names) => string.Join(",", names);

    private static bool SameSet(IEnumerable<string> a, IEnumerable<string> b) => a.OrderBy(x => x, StringComparer.Ordinal).SequenceEqual(b.OrderBy(x => x, StringComparer.Ordinal), StringComparer.Ordinal);

    /// <summary>The first leaf data attribute (not a structure, not an array) that <paramref name="predicate"/> accepts.</summary>
    private static DataAttribute? FirstLeaf(IedModel model, Func<DataAttribute, bool> predicate) =>
        model.Walk().OfType<DataAttribute>().FirstOrDefault(a => a.DataObject is not null && !a.IsStructure && a.Count == 0 && predicate(a));

    private static IEnumerable<ScriptedCase> Server() =>
    [
        new("sSrv1", Srv, "GetServerDirectory lists the logical devices of the SCL model", async (ctx, ct) =>
        {
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var served = await client.GetServerDirectoryAsync(ct).ConfigureAwait(false);
            var expected = ctx.Model.LogicalDevices.Select(l => l.MmsDomainName).ToArray();
            ctx.Check(SameSet(served, expected), "the logical devices equal the SCL's", $"served {Join(served)}; SCL {Join(expected)}");
        }),
        new("sSrv2", Srv, "GetLogicalDeviceDirectory lists the logical nodes of each logical device", async (ctx, ct) =>
        {
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            foreach (var ld in ctx.Model.LogicalDevices)
            {
                var served = await client.GetLogicalDeviceDirectoryAsync(ld.MmsDomainName, ct).ConfigureAwait(false);
                var expected = ld.LogicalNodes.Where(ln => ln.FunctionalView.Count > 0).Select(ln => ln.Name).ToArray();
                ctx.Check(SameSet(served, expected), $"{ld.Name}: the logical nodes equal the SCL's", $"served {Join(served)}; SCL {Join(expected)}");
            }
        }),
        new("sSrv3", Srv, "GetLogicalNodeDirectory lists the data objects of each logical node", async (ctx, ct) =>
        {
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            foreach (var ln in ctx.Model.LogicalDevices.SelectMany(l => l.LogicalNodes).Where(ln => ln.FunctionalView.Count > 0))
            {
                IReadOnlyList<string> served;
                try
                {
                    served = await client.GetLogicalNodeDirectoryAsync(ln.Reference, AcsiClass.DataObject, ct).ConfigureAwait(false);
                }
                catch (MmsServiceErrorException ex)
                {
                    ctx.Check(false, $"{ln.Reference}: the logical node is served", ex.Error.ToString());
                    continue;
                }
                var expected = ln.DataObjects.Select(d => d.Name).ToArray();
                ctx.Check(SameSet(served, expected), $"{ln.Reference}: the data objects equal the SCL's", $"served {Join(served)}; SCL {Join(expected)}");
            }
        }),
        new("sSrv4", Srv, "GetDataDefinition: each logical node's functional constraints and members match the SCL", async (ctx, ct) =>
        {
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            foreach (var ln in ctx.Model.LogicalDevices.SelectMany(l => l.LogicalNodes).Where(ln => ln.FunctionalView.Count > 0))
            {
                MmsStructureType type;
                try
                {
                    type = await client.GetLogicalNodeTypeAsync(ln.Reference, ct).ConfigureAwait(false);
                }
                catch (MmsServiceErrorException ex)
                {
                    ctx.Check(false, $"{ln.Reference}: the definition is served", ex.Error.ToString());
                    continue;
                }
                var expected = ln.FunctionalView.Select(g => g.Fc.ToString()).ToArray();
                var ok = SameSet(type.Components.Select(c => c.Name), expected);
                foreach (var group in ln.FunctionalView)
                {
                    var served = type.Components.FirstOrDefault(c => c.Name == group.Fc.ToString())?.Type as MmsStructureType;
                    ok &= served is not null && served.Components.Select(c => c.Name).SequenceEqual(group.Members.Select(m => m.Name), StringComparer.Ordinal);
                }
                ctx.Check(ok, $"{ln.Reference}: FCs and their members equal the SCL's", $"served {Join(type.Components.Select(c => c.Name))}; SCL {Join(expected)}");
            }
        }),
        new("sSrv5", Srv, "GetDataValues of every functional constraint of every logical node", async (ctx, ct) =>
        {
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            foreach (var ln in ctx.Model.LogicalDevices.SelectMany(l => l.LogicalNodes))
            {
                foreach (var group in ln.FunctionalView.Where(g => g.Fc.IsData()))
                {
                    var result = await client.Mms.ReadAsync(ObjectName.Domain(ln.LogicalDevice.MmsDomainName, group.MmsItemId), ct).ConfigureAwait(false);
                    ctx.Check(result.IsSuccess, $"{ln.Reference} [{group.Fc}] is readable", result.Error?.ToString());
                }
            }
        }),
        new("sSrv6", Srv, "SetDataValues of a configuration attribute (CF/SP/DC) is accepted", async (ctx, ct) =>
        {
            var attribute = FirstLeaf(ctx.Model, a => a.Fc is FunctionalConstraint.DC or FunctionalConstraint.SP && a.BasicType != BasicType.Enum)
                ?? FirstLeaf(ctx.Model, a => a.Fc == FunctionalConstraint.CF && a.Name != "ctlModel");
            if (attribute is null) Iec61850TestContext.NotApplicable("the model has no writable configuration attribute");
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var value = await client.GetDataValuesAsync(attribute.Reference, attribute.Fc, ct).ConfigureAwait(false);
            var error = await ctx.TryWriteAsync(client, attribute.Reference, attribute.Fc, value, ct).ConfigureAwait(false);
            ctx.Check(error is null, $"writing {attribute.Reference} [{attribute.Fc}] with its own value succeeds", error?.ToString());
        }),
        new("sSrvN1", Srv, "GetDataValues of a non-existent attribute answers object-non-existent", async (ctx, ct) =>
        {
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var ln = ctx.Model.LogicalDevices[0].LogicalNodes[0];
            var result = await client.Mms.ReadAsync(ObjectName.Domain(ln.LogicalDevice.MmsDomainName, ln.Name + "$ST$NoSuchDo$stVal"), ct).ConfigureAwait(false);
            ctx.Check(result.Error == DataAccessError.ObjectNonExistent, "the read fails with object-non-existent", result.ToString());
        }),
        new("sSrvN2", Srv, "SetDataValues of a status value (FC ST) is refused with object-access-denied", (ctx, ct) =>
            ExpectWriteRefusedAsync(ctx, FunctionalConstraint.ST, ct)),
        new("sSrvN3", Srv, "SetDataValues of a measured value (FC MX) is refused with object-access-denied", (ctx, ct) =>
            ExpectWriteRefusedAsync(ctx, FunctionalConstraint.MX, ct)),
        new("sSrvN4", Srv, "SetDataValues with a value of the wrong type is refused with type-inconsistent", async (ctx, ct) =>
        {
            var attribute = FirstLeaf(ctx.Model, a => a.Fc is FunctionalConstraint.DC or FunctionalConstraint.SP or FunctionalConstraint.CF && a.BasicType is not BasicType.VisString255 and not BasicType.VisString64 and not BasicType.VisString129 and not BasicType.VisString32 and not BasicType.VisString65);
            if (attribute is null) Iec61850TestContext.NotApplicable("the model has no writable non-string attribute");
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var error = await ctx.TryWriteAsync(client, attribute.Reference, attribute.Fc, new MmsVisibleString("not-a-number"), ct).ConfigureAwait(false);
            ctx.Check(error == DataAccessError.TypeInconsistent, $"writing a string into {attribute.Reference} answers type-inconsistent", error?.ToString() ?? "accepted");
        }),
    ];

    private static async Task ExpectWriteRefusedAsync(Iec61850TestContext ctx, FunctionalConstraint fc, CancellationToken ct)
    {
        var attribute = FirstLeaf(ctx.Model, a => a.Fc == fc);
        if (attribute is null) Iec61850TestContext.NotApplicable($"the model has no {fc} attribute");
        var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
        var value = await client.GetDataValuesAsync(attribute.Reference, fc, ct).ConfigureAwait(false);
        var error = await ctx.TryWriteAsync(client, attribute.Reference, fc, value, ct).ConfigureAwait(false);
        ctx.Check(error == DataAccessError.ObjectAccessDenied, $"writing {attribute.Reference} [{fc}] answers object-access-denied", error?.ToString() ?? "accepted");
    }
}
