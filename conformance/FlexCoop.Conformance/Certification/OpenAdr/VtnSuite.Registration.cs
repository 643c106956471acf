using FlexCoop.OpenAdr.Model;

namespace FlexCoop.Conformance.Certification.OpenAdr;

public sealed partial class OpenAdrVtnSuite
{
    private static Dictionary<string, Func<VtnCase, Task>> RegistrationScripts() => new(StringComparer.Ordinal)
    {
        ["N1_0010"] = async c =>
        {
            var (created, index) = await c.H.QueryAsync(c.Ct);
            c.Success(created.EiResponse, "oadrQueryRegistration", index);
            c.R.Check(!string.IsNullOrEmpty(created.VtnId), "rule 21", "oadrCreatedPartyRegistration must name the VTN (vtnID)", "<ei:vtnID/>", index);
            // Over plain HTTP a query names no VEN, so the VTN cannot tell who asks; with TLS the certificate does.
            c.R.Check(!c.O.UsesTls || (created.VenId == c.VenId && created.RegistrationId == c.H.RegistrationId), c.Id,
                $"the VEN is registered as {c.VenId} ({c.H.RegistrationId}); the query's answer names '{created.VenId}' ('{created.RegistrationId}')", $"<ei:registrationID>{created.RegistrationId}</ei:registrationID>", index);
            CheckOffer(c, created, index);
        },
        ["N1_0015"] = async c =>
        {
            var (created, index) = await c.H.QueryAsync(c.Ct);
            CheckOffer(c, created, index);
            var poll = created.RequestedOadrPollFreq;
            c.R.Check(poll is { } p && p.TryGetTimeSpan(out var span) && span > TimeSpan.Zero && span <= TimeSpan.FromHours(24), "rule 54",
                $"the VTN must ask for a definite poll period (oadrRequestedOadrPollFreq); it gives '{poll?.Text ?? "(none)"}'", $"<oadr:oadrRequestedOadrPollFreq>{poll?.Text}</oadr:oadrRequestedOadrPollFreq>", index);
        },
        ["N1_0020"] = async c =>
        {
            await CancelOwnRegistrationAsync(c);
            var (query, qi) = await c.H.QueryAsync(c.Ct);
            c.R.Check(string.IsNullOrEmpty(query.RegistrationId), c.Id, $"after the cancellation the VTN still reports registration '{query.RegistrationId}'", $"<ei:registrationID>{query.RegistrationId}</ei:registrationID>", qi);
            await c.H.RegisterAsync(c.Ct);
            await c.H.DrainAsync(c.Ct);
        },
        ["N1_0025"] = async c =>
        {
            var expected = c.R.Pics.Value("preconfigured-venid") ?? throw c.R.Inconclusive("the PICS claims preconfigured-venid but gives no venID as its value");
            await CancelOwnRegistrationAsync(c);
            var (created, index) = await c.H.RegisterAsync(c.Ct);
            c.R.Check(created.VenId == expected, c.Id, $"the VTN gave venID '{created.VenId}', not the one configured for this VEN ('{expected}')", $"<ei:venID>{created.VenId}</ei:venID>", index);
        },
        ["N1_0030"] = async c =>
        {
            var registrationId = c.H.RegistrationId;
            var (canceled, index) = await c.H.CancelRegistrationAsync(c.Ct);
            c.Success(canceled.EiResponse, "oadrCancelPartyRegistration", index);
            c.R.Check(canceled.RegistrationId is null || canceled.RegistrationId == registrationId, c.Id, $"oadrCanceledPartyRegistration names registration '{canceled.RegistrationId}', not '{registrationId}'", $"<ei:registrationID>{canceled.RegistrationId}</ei:registrationID>", index);
            var (answer, pi) = await c.H.PollAsync(c.Ct);
            c.Refused(HarnessVen.ResponseOf(answer), "a poll from a VEN whose registration was cancelled", "rule 21", pi);
        },
        ["N1_0040"] = async c =>
        {
            var registrationId = c.H.RegistrationId;
            await c.ActAsync(VtnActions.CancelRegistration, $"Cancel the registration of VEN {c.VenId} from the VTN.");
            var (cancel, index) = await c.H.PollForAsync<OadrCancelPartyRegistration>("oadrCancelPartyRegistration", c.AsyncTimeout, null, c.Ct);
            c.R.Check(cancel.RegistrationId == registrationId, c.Id, $"oadrCancelPartyRegistration names registration '{cancel.RegistrationId}', not the VEN's '{registrationId}'", $"<ei:registrationID>{cancel.RegistrationId}</ei:registrationID>", index);
            var (response, ri) = await c.H.SendAsync<OadrResponse>(new OadrCanceledPartyRegistration { EiResponse = HarnessVen.Ok(cancel.RequestId), RegistrationId = cancel.RegistrationId, VenId = c.VenId }, c.Ct);
            c.H.ForgetRegistration();
            c.Success(response.EiResponse, "oadrCanceledPartyRegistration", ri);
            await c.H.RegisterAsync(c.Ct);
        },
        ["N1_0050"] = async c =>
        {
            var venId = c.VenId;
            await c.ActAsync(VtnActions.RequestReregistration, $"Ask VEN {venId} to register again (oadrRequestReregistration).");
            await c.H.PollForAsync<OadrRequestReregistration>("oadrRequestReregistration", c.AsyncTimeout, null, c.Ct);
            var (response, ri) = await c.H.SendAsync<OadrResponse>(new OadrResponse { EiResponse = HarnessVen.Ok(""), VenId = venId }, c.Ct);
            c.Success(response.EiResponse, "oadrResponse to oadrRequestReregistration", ri);
            var (created, index) = await c.H.RegisterAsync(c.Ct, keepRegistrationId: true);
            c.R.Check(created.VenId == venId, c.Id, $"the re-registration gave venID '{created.VenId}', not the VEN's '{venId}'", $"<ei:venID>{created.VenId}</ei:venID>", index);
        },
        ["N1_0060"] = async c =>
        {
            var (created, index) = await c.H.RegisterAsync(c.Ct);
            c.Success(created.EiResponse, "oadrCreatePartyRegistration from a registered VEN", index);
            var (answer, pi) = await c.H.PollAsync(c.Ct);
            c.R.Check(HarnessVen.ResponseOf(answer) is not { ResponseCode.IsSuccess: false }, c.Id, "after registering again the VEN's polls must be accepted", null, pi);
            await c.H.HandleAsync(answer, c.Ct);
        },
        ["N1_0065"] = async c =>
        {
            var (venId, registrationId) = (c.VenId, c.H.RegistrationId);
            var (created, index) = await c.H.RegisterAsync(c.Ct, keepRegistrationId: true);
            c.R.Check(created.VenId == venId, c.Id, $"a re-registration carrying registrationID '{registrationId}' must keep venID '{venId}'; the VTN gave '{created.VenId}'", $"<ei:venID>{created.VenId}</ei:venID>", index);
        },
        ["N1_0070"] = async c =>
        {
            var (canceled, index) = await c.H.CancelRegistrationAsync(c.Ct, "NOT_YOUR_REGISTRATION_ID");
            c.Refused(canceled.EiResponse, "a cancellation naming a registrationID the VEN does not hold", "rule 48", index);
            c.R.Check(canceled.EiResponse.ResponseCode.Value is "452" or "463", "rule 48", $"a wrong registrationID is answered 452 (invalid ID); the VTN answered {canceled.EiResponse.ResponseCode.Value}", $"<ei:responseCode>{canceled.EiResponse.ResponseCode.Value}</ei:responseCode>", index);
            var (answer, pi) = await c.H.PollAsync(c.Ct);
            c.R.Check(HarnessVen.ResponseOf(answer) is not { ResponseCode.IsSuccess: false }, c.Id, "the VEN must stay registered after a refused cancellation; its poll was refused", null, pi);
            await c.H.HandleAsync(answer, c.Ct);
        },
        ["N1_0080"] = async c =>
        {
            await CancelOwnRegistrationAsync(c);
            var (answer, index) = await c.H.PollAsync(c.Ct);
            var code = HarnessVen.ResponseOf(answer)?.ResponseCode;
            c.R.Check(code?.Value == "463", "rule 21", $"a poll from an unregistered VEN is refused with 463 (not registered); the VTN answered {answer.ElementName} {code?.Value}", $"<ei:responseCode>{code?.Value}</ei:responseCode>", index);
        },
    };

    private static async Task CancelOwnRegistrationAsync(VtnCase c)
    {
        var (canceled, index) = await c.H.CancelRegistrationAsync(c.Ct);
        c.Success(canceled.EiResponse, "oadrCancelPartyRegistration", index);
    }

    /// <summary>Profile 2.0b over simpleHttp must be offered.</summary>
    private static void CheckOffer(VtnCase c, OadrCreatedPartyRegistration created, int index)
    {
        var b = created.Profiles.FirstOrDefault(p => p.ProfileName == OadrProfileName.Profile20b);
        c.R.Check(b is not null, c.Id, "the VTN must offer profile 2.0b", string.Join(", ", created.Profiles.Select(p => p.ProfileName.ToString())), index);
        c.R.Check(b!.Transports.Contains(OadrTransportName.SimpleHttp), c.Id, "the VTN must offer the simpleHttp transport with profile 2.0b", "<oadr:oadrTransportName>", index);
    }
}
