using System.Globalization;
using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Iec61850.Model;

namespace FlexCoop.Conformance.Iec61850;

internal static partial class Iec61850ServerCases
{
    private const string Ctl = "Ctl";

    /// <summary>The controllable data objects of the model (with CO attributes), with the PIXIT value when given.</summary>
    private static IEnumerable<(string Reference, string Value)> ControlObjects(Iec61850TestContext ctx)
    {
        if (ctx.Pixit.Controls.Count > 0) return ctx.Pixit.Controls.Select(c => (c.Reference, c.Value));
        return ctx.Model.Walk().OfType<DataObject>()
            .Where(d => d.Attributes.Any(a => a.Fc == FunctionalConstraint.CO && a.Name == "Oper"))
            .Select(d => (d.Reference, "false"));
    }

    /// <summary>The first control object whose served ctlModel is <paramref name="model"/>, with its parameters; not applicable when none.</summary>
    private static async Task<(string Reference, ControlParameters Parameters)> ControlOfModelAsync(Iec61850TestContext ctx, Iec61850Client client, ControlModel model, CancellationToken ct)
    {
        if (!ctx.Pixit.OperateControls) Iec61850TestContext.NotApplicable("the PIXIT does not allow operating controls (operateControls)");
        foreach (var (reference, value) in ControlObjects(ctx))
        {
            ControlModel served;
            try
            {
                served = await client.GetControlModelAsync(reference, ct).ConfigureAwait(false);
            }
            catch (Iec61850DataAccessException)
            {
                continue;
            }
            if (served != model) continue;
            var type = await client.GetDataDefinitionAsync(reference + ".Oper.ctlVal", FunctionalConstraint.CO, ct).ConfigureAwait(false);
            var ctlVal = CtlValue(type, value) ?? throw new CaseNotApplicableException($"the PIXIT value '{value}' does not fit {reference}.Oper.ctlVal ({type.Describe()})");
            ctx.Log($"control object {reference} ({model})");
            return (reference, new ControlParameters { CtlVal = ctlVal, CtlNum = 1, Origin = Originator.Remote("flexcoop-conformance") });
        }
        throw new CaseNotApplicableException($"the model has no control object with ctlModel {model}");
    }

    private static MmsValue? CtlValue(MmsTypeDescription type, string text)
    {
        var truth = text.ToLowerInvariant() is "true" or "on" or "1";
        return type switch
        {
            MmsBooleanType => new MmsBoolean(truth),
            MmsIntegerType => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? new MmsInteger(l) : new MmsInteger(truth ? 1 : 0),
            MmsUnsignedType => ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var u) ? new MmsUnsigned(u) : new MmsUnsigned(truth ? 1u : 0u),
            MmsFloatType { FormatWidth: 64 } => new MmsFloat64(double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : 0),
            MmsFloatType => new MmsFloat32(float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) ? f : 0),
            MmsStructureType { Components.Count: 1 } s => CtlValue(s.Components[0].Type, text) is { } inner ? new MmsStructure(inner) : null,
            _ => null,
        };
    }

    /// <summary>On (true) for a boolean or Dbpos status that is on, off (false) for one that is off; null for intermediate, bad or other types.</summary>
    private static bool? IsOn(MmsValue status) => status switch
    {
        MmsBoolean b => b.Value,
        MmsBitString { BitLength: 2 } d when d[0] != d[1] => d[0],
        _ => null,
    };

    /// <summary>The first operable control object with a boolean ctlVal and an on/off status, with its status now; not applicable when none.</summary>
    private static async Task<(string Reference, MmsValue Status)> ToggleableControlAsync(Iec61850TestContext ctx, Iec61850Client client, CancellationToken ct)
    {
        foreach (var (reference, _) in ControlObjects(ctx))
        {
            try
            {
                if (await client.GetControlModelAsync(reference, ct).ConfigureAwait(false) == ControlModel.StatusOnly) continue;
                var status = await client.GetDataValuesAsync(reference + ".stVal", FunctionalConstraint.ST, ct).ConfigureAwait(false);
                if (IsOn(status) is null) continue;
                if (await client.GetDataDefinitionAsync(reference + ".Oper.ctlVal", FunctionalConstraint.CO, ct).ConfigureAwait(false) is not MmsBooleanType) continue;
                ctx.Log($"control object {reference}, stVal {status.Format()}");
                return (reference, status);
            }
            catch (Iec61850DataAccessException)
            {
                // not a control object this server serves fully: try the next
            }
        }
        throw new CaseNotApplicableException("the model has no operable control object with a boolean ctlVal and an on/off stVal");
    }

    /// <summary>Operates <paramref name="reference"/> the way its served control model asks (select first for SBO; with enhanced security waiting for the termination unless <paramref name="waitForTermination"/> is false).</summary>
    private static async Task<ControlResult> OperateWithModelAsync(Iec61850TestContext ctx, Iec61850Client client, string reference, ControlParameters p, CancellationToken ct, bool waitForTermination = true)
    {
        var model = await client.GetControlModelAsync(reference, ct).ConfigureAwait(false);
        if (model == ControlModel.SboWithNormalSecurity)
        {
            var select = await client.SelectAsync(reference, ct).ConfigureAwait(false);
            if (!select.Success) return select;
        }
        else if (model == ControlModel.SboWithEnhancedSecurity)
        {
            var select = await client.SelectWithValueAsync(reference, p, ct).ConfigureAwait(false);
            if (!select.Success) return select;
        }
        var enhanced = waitForTermination && model is ControlModel.DirectWithEnhancedSecurity or ControlModel.SboWithEnhancedSecurity;
        return await client.OperateAsync(reference, p, waitForTermination: enhanced, terminationTimeout: ctx.ReportTimeout, cancellationToken: ct).ConfigureAwait(false);
    }

    /// <summary>Operates a control object to the other position; false when it is not a boolean on/off control or the operate did not succeed.</summary>
    private static async Task<bool> ToggleAsync(Iec61850TestContext ctx, Iec61850Client client, string reference, CancellationToken ct)
    {
        try
        {
            if (await client.GetControlModelAsync(reference, ct).ConfigureAwait(false) == ControlModel.StatusOnly) return false;
            var status = await client.GetDataValuesAsync(reference + ".stVal", FunctionalConstraint.ST, ct).ConfigureAwait(false);
            if (IsOn(status) is not { } on) return false;
            if (await client.GetDataDefinitionAsync(reference + ".Oper.ctlVal", FunctionalConstraint.CO, ct).ConfigureAwait(false) is not MmsBooleanType) return false;
            var p = new ControlParameters { CtlVal = new MmsBoolean(!on), CtlNum = 9, Origin = Originator.Remote("flexcoop-conformance") };
            // the operation ends with its CommandTermination (enhanced security), so that nothing of it comes after this case
            var result = await OperateWithModelAsync(ctx, client, reference, p, ct).ConfigureAwait(false);
            return result.Success && result.AddCause == AddCause.None;
        }
        catch (Iec61850DataAccessException)
        {
            return false;
        }
        catch (TimeoutException ex)
        {
            // a missing CommandTermination is the control cases' business: the operate itself was accepted
            ctx.Log("operated, without a CommandTermination: " + ex.Message);
            return true;
        }
    }

    private static void CheckRefused(Iec61850TestContext ctx, ControlResult result, AddCause expected, string what)
    {
        ctx.Check(!result.Success && result.AccessError is not null, $"{what} is refused", result.ToString());
        ctx.Check(result.Error is not null, "a LastApplError precedes the negative response");
        ctx.Check(result.Error?.AddCause == expected, $"AddCause is {expected}", result.Error?.AddCause.ToString());
    }

    private static IEnumerable<ScriptedCase> Control() =>
    [
        new("sCtl1", Ctl, "Every controllable object has a valid ctlModel", async (ctx, ct) =>
        {
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var any = false;
            foreach (var (reference, _) in ControlObjects(ctx))
            {
                any = true;
                var value = await client.GetDataValuesAsync(reference + ".ctlModel", FunctionalConstraint.CF, ct).ConfigureAwait(false);
                ctx.Check(value is MmsInteger { Value: >= 0 and <= 4 }, $"{reference}.ctlModel is a CtlModelKind", value.Format());
            }
            if (!any) Iec61850TestContext.NotApplicable("the model has no controllable object");
        }),
        new("sCtl2", Ctl, "Direct control with normal security: Operate", async (ctx, ct) =>
        {
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var (reference, p) = await ControlOfModelAsync(ctx, client, ControlModel.DirectWithNormalSecurity, ct).ConfigureAwait(false);
            var result = await client.OperateAsync(reference, p, cancellationToken: ct).ConfigureAwait(false);
            ctx.Check(result.Success, "Operate is accepted", result.ToString());
        }),
        new("sCtl3", Ctl, "SBO with normal security: Select (read SBO) then Operate", async (ctx, ct) =>
        {
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var (reference, p) = await ControlOfModelAsync(ctx, client, ControlModel.SboWithNormalSecurity, ct).ConfigureAwait(false);
            var sbo = await client.GetDataValuesAsync(reference + ".SBO", FunctionalConstraint.CO, ct).ConfigureAwait(false);
            var expected = Iec61850MmsMapping.ToObjectName(reference, FunctionalConstraint.CO);
            ctx.Check(sbo is MmsVisibleString s && s.Value == expected.DomainId + "/" + expected.ItemId, "reading SBO selects and answers the object's reference", sbo.Format());
            var result = await client.OperateAsync(reference, p, cancellationToken: ct).ConfigureAwait(false);
            ctx.Check(result.Success, "Operate of the selected object is accepted", result.ToString());
        }),
        new("sCtl4", Ctl, "Direct control with enhanced security: Operate and CommandTermination", async (ctx, ct) =>
        {
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var (reference, p) = await ControlOfModelAsync(ctx, client, ControlModel.DirectWithEnhancedSecurity, ct).ConfigureAwait(false);
            var result = await client.OperateAsync(reference, p, waitForTermination: true, terminationTimeout: ctx.ReportTimeout, cancellationToken: ct).ConfigureAwait(false);
            ctx.Check(result.AccessError is null, "Operate is accepted", result.ToString());
            ctx.Check(result.Termination is { Success: true }, "a positive CommandTermination follows");
        }),
        new("sCtl5", Ctl, "SBO with enhanced security: SelectWithValue, Operate and CommandTermination", async (ctx, ct) =>
        {
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var (reference, p) = await ControlOfModelAsync(ctx, client, ControlModel.SboWithEnhancedSecurity, ct).ConfigureAwait(false);
            var select = await client.SelectWithValueAsync(reference, p, ct).ConfigureAwait(false);
            ctx.Require(select.Success, "SelectWithValue is accepted", select.ToString());
            var result = await client.OperateAsync(reference, p, waitForTermination: true, terminationTimeout: ctx.ReportTimeout, cancellationToken: ct).ConfigureAwait(false);
            ctx.Check(result.AccessError is null, "Operate is accepted", result.ToString());
            ctx.Check(result.Termination is { Success: true }, "a positive CommandTermination follows");
        }),
        new("sCtl6", Ctl, "SBO with enhanced security: Cancel ends the selection", async (ctx, ct) =>
        {
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var (reference, p) = await ControlOfModelAsync(ctx, client, ControlModel.SboWithEnhancedSecurity, ct).ConfigureAwait(false);
            ctx.Require((await client.SelectWithValueAsync(reference, p, ct).ConfigureAwait(false)).Success, "SelectWithValue is accepted");
            var cancel = await client.CancelAsync(reference, p, ct).ConfigureAwait(false);
            ctx.Check(cancel.Success, "Cancel is accepted", cancel.ToString());
            var operate = await client.OperateAsync(reference, p, cancellationToken: ct).ConfigureAwait(false);
            CheckRefused(ctx, operate, AddCause.ObjectNotSelected, "Operate after Cancel");
        }),
        new("sCtl7", Ctl, "Test flag: an Operate with Test does not act on the process; Check flags (interlock, synchrocheck) are evaluated", async (ctx, ct) =>
        {
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var (reference, before) = await ToggleableControlAsync(ctx, client, ct).ConfigureAwait(false);
            var other = new MmsBoolean(!IsOn(before)!.Value);
            var test = new ControlParameters { CtlVal = other, CtlNum = 7, Origin = Originator.Remote("flexcoop-conformance"), Test = true };
            var result = await OperateWithModelAsync(ctx, client, reference, test, ct).ConfigureAwait(false);
            ctx.Log($"Operate {reference} with Test: {result}");
            if (result.Success && result.AddCause == AddCause.None)
            {
                var after = await client.GetDataValuesAsync(reference + ".stVal", FunctionalConstraint.ST, ct).ConfigureAwait(false);
                ctx.Check(after == before, $"a test Operate leaves {reference}.stVal as it was", $"before {before.Format()}, after {after.Format()}");
            }
            else
            {
                // Edition 2: a test command to a logical node that is not in test mode is refused as blocked by mode.
                ctx.Check(result.AddCause == AddCause.BlockedByMode, "a test Operate the server does not carry out is refused with AddCause Blocked-by-Mode", result.ToString());
            }
            var same = new MmsBoolean(IsOn(before)!.Value);
            var check = new ControlParameters { CtlVal = same, CtlNum = 8, Origin = Originator.Remote("flexcoop-conformance"), Check = new ControlChecks(Synchrocheck: true, Interlock: true) };
            var checkedResult = await OperateWithModelAsync(ctx, client, reference, check, ct).ConfigureAwait(false);
            ctx.Check(checkedResult.Success || checkedResult.AddCause is AddCause.BlockedByInterlocking or AddCause.BlockedBySynchrocheck,
                "an Operate asking for the interlock and synchrocheck checks is carried out, or refused by one of those checks", checkedResult.ToString());
        }),
        new("sCtlN1", Ctl, "Operate of an SBO object that is not selected is refused (object-not-selected)", async (ctx, ct) =>
        {
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var (reference, p) = await ControlOfModelAsync(ctx, client, ControlModel.SboWithEnhancedSecurity, ct).ConfigureAwait(false);
            var result = await client.OperateAsync(reference, p, cancellationToken: ct).ConfigureAwait(false);
            CheckRefused(ctx, result, AddCause.ObjectNotSelected, "Operate without select");
        }),
        new("sCtlN2", Ctl, "SelectWithValue of an object another association has selected is refused", async (ctx, ct) =>
        {
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var (reference, p) = await ControlOfModelAsync(ctx, client, ControlModel.SboWithEnhancedSecurity, ct).ConfigureAwait(false);
            ctx.Require((await client.SelectWithValueAsync(reference, p, ct).ConfigureAwait(false)).Success, "the first association selects");
            var other = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var result = await other.SelectWithValueAsync(reference, p, ct).ConfigureAwait(false);
            ctx.Check(!result.Success, "the second association's select is refused", result.ToString());
            ctx.Check(result.Error?.AddCause is AddCause.LockedByOtherClient or AddCause.ObjectAlreadySelected, "AddCause says the object is taken", result.Error?.AddCause.ToString());
            await client.CancelAsync(reference, p, ct).ConfigureAwait(false);
        }),
        new("sCtlN3", Ctl, "SBO with normal security: a second association's select answers an empty reference", async (ctx, ct) =>
        {
            var client = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var (reference, _) = await ControlOfModelAsync(ctx, client, ControlModel.SboWithNormalSecurity, ct).ConfigureAwait(false);
            ctx.Require((await client.SelectAsync(reference, ct).ConfigureAwait(false)).Success, "the first association selects");
            var other = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            var sbo = await other.GetDataValuesAsync(reference + ".SBO", FunctionalConstraint.CO, ct).ConfigureAwait(false);
            ctx.Check(sbo is MmsVisibleString { Value.Length: 0 }, "the second read of SBO answers an empty string", sbo.Format());
        }),
    ];
}
