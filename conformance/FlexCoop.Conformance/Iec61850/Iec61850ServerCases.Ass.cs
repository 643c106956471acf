using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Iec61850.Model;

namespace FlexCoop.Conformance.Iec61850;

/// <summary>The case catalogue, one partial file per group (UCA IUG server test procedure style).</summary>
internal static partial class Iec61850ServerCases
{
    private const string Ass = "Ass";

    private static IEnumerable<ScriptedCase> Association() =>
    [
        new("sAss1", Ass, "Associate, identify and release", async (ctx, ct) =>
        {
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var identity = await client.Mms.IdentifyAsync(ct).ConfigureAwait(false);
            ctx.Check(identity.VendorName.Length > 0, "Identify answers with a vendor name", identity.VendorName);
            ctx.Check(client.Mms.Negotiated.LocalDetail >= 256, "the negotiated PDU size is usable", client.Mms.Negotiated.LocalDetail.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await client.ReleaseAsync(ct).ConfigureAwait(false);
            ctx.Check(!client.Mms.IsConnected, "conclude and release end the association");
        }),
        new("sAss2", Ass, "Abort an association, then associate again", async (ctx, ct) =>
        {
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            await client.AbortAsync(ct).ConfigureAwait(false);
            var again = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var devices = await again.GetServerDirectoryAsync(ct).ConfigureAwait(false);
            ctx.Check(devices.Count > 0, "a new association is served after an abort");
        }),
        new("sAss3", Ass, "The claimed maximum number of associations is accepted", async (ctx, ct) =>
        {
            var max = ctx.Pixit.MaxAssociations ?? throw new CaseNotApplicableException("the PIXIT does not give maxAssociations");
            var clients = new List<Iec61850Client>();
            for (var i = 0; i < max; i++) clients.Add(await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false));
            foreach (var c in clients) await c.Mms.IdentifyAsync(ct).ConfigureAwait(false);
            ctx.Check(clients.Count == max, $"{max} associations at once are served");
        }),
        new("sAss4", Ass, "Association with the configured password", async (ctx, ct) =>
        {
            if (ctx.Pixit.Password is null) Iec61850TestContext.NotApplicable("the PIXIT names no password");
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            ctx.Check(client.Mms.IsConnected, "the association with the password is accepted");
        }),
        new("sAssN1", Ass, "Association with a wrong password is refused", async (ctx, ct) =>
        {
            if (ctx.Pixit.Password is null) Iec61850TestContext.NotApplicable("the PIXIT names no password");
            await ExpectRefusedAsync(ctx, ctx.ClientOptions(ctx.Pixit.Password + "-wrong"), "a wrong password", ct).ConfigureAwait(false);
            await ExpectRefusedAsync(ctx, ctx.ClientOptions(usePixitPassword: false), "no password", ct).ConfigureAwait(false);
        }),
        new("sAssN2", Ass, "The association beyond the maximum is refused and the others carry on", async (ctx, ct) =>
        {
            var max = ctx.Pixit.MaxAssociations ?? throw new CaseNotApplicableException("the PIXIT does not give maxAssociations");
            var clients = new List<Iec61850Client>();
            for (var i = 0; i < max; i++) clients.Add(await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false));
            await ExpectRefusedAsync(ctx, ctx.ClientOptions(), $"association number {max + 1}", ct).ConfigureAwait(false);
            await clients[0].Mms.IdentifyAsync(ct).ConfigureAwait(false);
            ctx.Check(clients[0].Mms.IsConnected, "the established associations still work");
        }),
        new("sAssN3", Ass, "An association survives a request for an object that does not exist", async (ctx, ct) =>
        {
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var ld = ctx.Model.LogicalDevices[0].Name;
            try
            {
                await client.GetDataValuesAsync(ld + "/NOSUCH1.Mod.stVal", FunctionalConstraint.ST, ct).ConfigureAwait(false);
                ctx.Check(false, "reading a non-existent object fails");
            }
            catch (Iec61850DataAccessException ex)
            {
                ctx.Check(ex.Error == DataAccessError.ObjectNonExistent, "the read answers object-non-existent", ex.Error.ToString());
            }
            catch (MmsServiceErrorException ex)
            {
                ctx.Check(true, "the read answers with a service error", ex.Error.ToString());
            }
            var devices = await client.GetServerDirectoryAsync(ct).ConfigureAwait(false);
            ctx.Check(devices.Count > 0, "the association serves the next request");
        }),
    ];

    private static async Task ExpectRefusedAsync(Iec61850TestContext ctx, FlexCoop.Iec61850.Mms.Client.MmsClientOptions options, string what, CancellationToken ct)
    {
        try
        {
            var client = await ctx.ConnectAsync(options, ct).ConfigureAwait(false);
            ctx.Check(false, $"{what} is refused", "the server accepted the association");
            await client.AbortAsync(ct).ConfigureAwait(false);
        }
        catch (MmsProtocolException ex)
        {
            ctx.Check(true, $"{what} is refused", ex.Message);
        }
    }
}
