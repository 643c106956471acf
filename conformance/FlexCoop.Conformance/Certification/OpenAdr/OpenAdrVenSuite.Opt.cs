using FlexCoop.OpenAdr.Model;

namespace FlexCoop.Conformance.Certification.OpenAdr;

public sealed partial class OpenAdrVenSuite
{
    /// <summary>Operator actions the opt cases ask for; a hook script switches on these names.</summary>
    public static IReadOnlyDictionary<string, string> OptActions { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["opt-schedule-two-windows"] = "Declare the VEN available (optIn) in two windows over the next day (oadrCreateOpt with vavailability).",
        ["opt-schedule-open-ended"] = "Declare the VEN available (optIn) from now on with no end (one window of duration 0).",
        ["opt-schedule-create-cancel"] = "Create an opt schedule, then withdraw it (oadrCreateOpt, then oadrCancelOpt).",
        ["opt-out-market-context"] = "Declare the VEN unavailable (optOut) for one of its market contexts over the next hour.",
        ["opt-out-target"] = "Declare some of the VEN's resources unavailable (optOut) over the next hour, naming them in eiTarget or the device class.",
        ["opt-schedule-replace"] = "Create an opt schedule, then send a new one under the same optID to replace it.",
    };

    private static async Task<(OadrCreateOpt Opt, int Index)> OptActionAsync(VenCase c, string action)
    {
        await c.ActAsync(action, OptActions[action]);
        var (opt, index) = await c.ExpectAsync<OadrCreateOpt>("oadrCreateOpt", c.AsyncTimeout);
        c.R.Check(opt.QualifiedEventId is null, c.Id, "an opt schedule names no event (qualifiedEventID is for event opts)", "<ei:qualifiedEventID>", index);
        c.R.Check(opt.Vavailability is { Available.Count: > 0 }, c.Id, "an opt schedule carries its windows in xcal:vavailability", "<xcal:vavailability>", index);
        return (opt, index);
    }

    private static Dictionary<string, Func<VenCase, Task>> OptScripts() => new(StringComparer.Ordinal)
    {
        ["P1_2010"] = async c =>
        {
            var (opt, index) = await OptActionAsync(c, "opt-schedule-two-windows");
            c.R.Check(opt.OptType == OptType.OptIn, c.Id, "an availability schedule is an optIn", $"<ei:optType>{VenCase.OptText(opt.OptType)}</ei:optType>", index);
            c.R.Check(opt.Vavailability!.Available.Count >= 2, c.Id, $"the schedule has {opt.Vavailability.Available.Count} window(s); the operator declared two", "<xcal:available>", index);
        },
        ["P1_2015"] = async c =>
        {
            var (opt, index) = await OptActionAsync(c, "opt-schedule-open-ended");
            c.R.Check(opt.Vavailability!.Available.Any(w => w.Duration.TryGetTimeSpan(out var d) && d == TimeSpan.Zero), "rule 47",
                "an open-ended window has duration 0 (PT0S)", string.Join(", ", opt.Vavailability.Available.Select(w => w.Duration.Text)), index);
        },
        ["P1_2020"] = async c =>
        {
            var (opt, _) = await OptActionAsync(c, "opt-schedule-create-cancel");
            var (cancel, index) = await c.ExpectAsync<OadrCancelOpt>("oadrCancelOpt", c.AsyncTimeout);
            c.R.Check(cancel.OptId == opt.OptId, c.Id, $"oadrCancelOpt names optID '{cancel.OptId}', not the schedule's '{opt.OptId}'", $"<ei:optID>{cancel.OptId}</ei:optID>", index);
        },
        ["P1_2030"] = async c =>
        {
            var (opt, index) = await OptActionAsync(c, "opt-out-market-context");
            c.R.Check(opt.OptType == OptType.OptOut, c.Id, "the operator declared the VEN unavailable: optOut", $"<ei:optType>{VenCase.OptText(opt.OptType)}</ei:optType>", index);
            c.R.Check(opt.MarketContext == c.O.MarketContext1 || opt.MarketContext == c.O.MarketContext2, c.Id,
                $"the opt must name one of the VEN's market contexts; it names '{opt.MarketContext ?? "(none)"}'", $"<emix:marketContext>{opt.MarketContext}</emix:marketContext>", index);
        },
        ["P1_2040"] = async c =>
        {
            var (opt, index) = await OptActionAsync(c, "opt-out-target");
            c.R.Check(opt.OptType == OptType.OptOut, c.Id, "the operator declared resources unavailable: optOut", $"<ei:optType>{VenCase.OptText(opt.OptType)}</ei:optType>", index);
            c.R.Check(!opt.Target.IsEmpty || opt.DeviceClass is { IsEmpty: false }, c.Id, "the opt must name the resources in eiTarget or oadrDeviceClass; both are empty", "<ei:eiTarget/>", index);
        },
        ["P1_2050"] = async c =>
        {
            var (first, _) = await OptActionAsync(c, "opt-schedule-replace");
            var (second, index) = await c.ExpectAsync<OadrCreateOpt>("a second oadrCreateOpt replacing the first", c.AsyncTimeout);
            c.R.Check(second.OptId == first.OptId, c.Id, $"the replacement must reuse optID '{first.OptId}'; it has '{second.OptId}'", $"<ei:optID>{second.OptId}</ei:optID>", index);
        },
    };
}
