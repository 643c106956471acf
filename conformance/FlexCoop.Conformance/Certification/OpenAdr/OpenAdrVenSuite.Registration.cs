using FlexCoop.OpenAdr.Model;

namespace FlexCoop.Conformance.Certification.OpenAdr;

public sealed partial class OpenAdrVenSuite
{
    private static Dictionary<string, Func<VenCase, Task>> Scripts()
    {
        var all = new Dictionary<string, Func<VenCase, Task>>(StringComparer.Ordinal);
        foreach (var part in new[] { RegistrationScripts(), EventScripts(), ReportScripts(), OptScripts(), HistoryScripts(), SecurityScripts(), VtnReportScripts() })
        {
            foreach (var (id, script) in part) all.Add(id, script);
        }
        return all;
    }

    private static Dictionary<string, Func<VenCase, Task>> RegistrationScripts() => new(StringComparer.Ordinal)
    {
        ["N1_0010"] = async c =>
        {
            var venId = c.VenId;
            await c.ActAsync("restart", "Restart the VEN (power cycle) without clearing its registration.");
            await c.ExpectAsync<OadrQueryRegistration>("oadrQueryRegistration after the restart", c.AsyncTimeout);
            if (c.Pull) await c.ExpectAsync<OadrPoll>($"an oadrPoll as venID {venId} (the registration it still holds)", c.AsyncTimeout, p => p.VenId == venId);
        },
        ["N1_0015"] = async c =>
        {
            var create = await FullRegistrationAsync(c, requestReport: false);
            CheckRegistrationFields(c, create.Message, create.Index);
            // Rules 54/55: the VEN polls at the requested frequency, not faster, not much slower.
            c.DiscardUnread(); // only polls of the new registration count
            var times = new List<DateTimeOffset>();
            while (times.Count < 4)
            {
                var (_, index) = await c.ExpectAsync<OadrPoll>("an oadrPoll", c.DeliveryTimeout, rule: "rule 54");
                times.Add(c.R.Timeline[index].Time);
            }
            var gaps = times.Zip(times.Skip(1), (a, b) => b - a).ToList();
            var fastest = gaps.Min();
            var mean = TimeSpan.FromTicks((long)gaps.Average(g => g.Ticks));
            c.R.Check(fastest >= c.Poll * 0.75, "rule 55",
                $"the VEN polled {fastest.TotalSeconds:0.0} s after its previous poll; the VTN asked for PT{c.Poll.TotalSeconds:0}S (oadrRequestedOadrPollFreq)",
                $"poll gaps: {string.Join(", ", gaps.Select(g => g.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " s"))}");
            c.R.Check(mean <= c.Poll * 2 + TimeSpan.FromSeconds(1), "rule 54",
                $"the VEN polls every {mean.TotalSeconds:0.0} s on average; the VTN asked for PT{c.Poll.TotalSeconds:0}S");
        },
        ["N1_0020"] = async c =>
        {
            await FullRegistrationAsync(c, requestReport: true);
        },
        ["N1_0025"] = async c =>
        {
            var expected = c.R.Pics.Value("preconfigured-venid") ?? throw c.R.Inconclusive("the PICS claims preconfigured-venid but gives no venID as its value");
            var create = await FullRegistrationAsync(c, requestReport: true);
            c.R.Check(create.Message.VenId == expected, c.Id, $"oadrCreatePartyRegistration carries venID '{create.Message.VenId}', not the pre-configured '{expected}'",
                $"<ei:venID>{create.Message.VenId}</ei:venID>", create.Index);
        },
        ["N1_0030"] = async c =>
        {
            var registrationId = c.H.RegistrationId;
            await c.ActAsync("cancel-registration", "Cancel the VEN's registration from its panel (oadrCancelPartyRegistration).");
            var (cancel, index) = await c.ExpectAsync<OadrCancelPartyRegistration>("oadrCancelPartyRegistration", c.AsyncTimeout);
            c.R.Check(cancel.RegistrationId == registrationId, c.Id, $"the cancellation names registrationID '{cancel.RegistrationId}', not the VEN's '{registrationId}'",
                $"<ei:registrationID>{cancel.RegistrationId}</ei:registrationID>", index);
        },
        ["N1_0040"] = async c =>
        {
            var registrationId = c.H.RegistrationId!;
            var cancel = new OadrCancelPartyRegistration { RequestId = HarnessVtn.NewId("REQ"), RegistrationId = registrationId, VenId = c.VenId };
            await c.SendAsync(cancel);
            var (canceled, index) = await c.ExpectAsync<OadrCanceledPartyRegistration>("oadrCanceledPartyRegistration", c.AsyncTimeout);
            c.H.ForgetRegistration();
            c.R.Check(canceled.EiResponse.ResponseCode.IsSuccess, c.Id, $"the VEN refused the cancellation with {canceled.EiResponse.ResponseCode.Value}", $"<ei:responseCode>{canceled.EiResponse.ResponseCode.Value}</ei:responseCode>", index);
            c.R.Check(canceled.EiResponse.RequestId == cancel.RequestId, "rule 44", $"oadrCanceledPartyRegistration echoes requestID '{canceled.EiResponse.RequestId}', not '{cancel.RequestId}'", $"<pyld:requestID>{canceled.EiResponse.RequestId}</pyld:requestID>", index);
        },
        ["N1_0050"] = async c =>
        {
            await c.SendAsync(new OadrRequestReregistration { VenId = c.VenId });
            if (c.Pull) await c.ExpectAsync<OadrResponse>("oadrResponse to oadrRequestReregistration", c.AsyncTimeout);
            await c.ExpectAsync<OadrCreatePartyRegistration>("oadrCreatePartyRegistration after oadrRequestReregistration", c.AsyncTimeout);
            await c.ExpectAsync<OadrRegisterReport>("oadrRegisterReport after re-registering", c.AsyncTimeout);
        },
        ["N1_0060"] = async c =>
        {
            var venId = c.VenId;
            await c.ActAsync("reregister", "Make the VEN register again now, while it is registered (oadrCreatePartyRegistration).");
            var (create, index) = await c.ExpectAsync<OadrCreatePartyRegistration>("oadrCreatePartyRegistration", c.AsyncTimeout);
            c.R.Check(create.VenId is null || create.VenId == venId, "rule 21", $"the new registration carries venID '{create.VenId}', not the VEN's '{venId}'", $"<ei:venID>{create.VenId}</ei:venID>", index);
            await c.ExpectAsync<OadrRegisterReport>("oadrRegisterReport after registering again", c.AsyncTimeout);
            // The VEN must now hold the new registrationID: a cancellation naming it is accepted.
            var cancel = new OadrCancelPartyRegistration { RequestId = HarnessVtn.NewId("REQ"), RegistrationId = c.H.RegistrationId!, VenId = c.VenId };
            await c.SendAsync(cancel);
            var (canceled, ci) = await c.ExpectAsync<OadrCanceledPartyRegistration>("oadrCanceledPartyRegistration", c.AsyncTimeout);
            c.H.ForgetRegistration();
            c.R.Check(canceled.EiResponse.ResponseCode.IsSuccess, c.Id, $"the VEN refused a cancellation naming its new registrationID with {canceled.EiResponse.ResponseCode.Value}: it still uses the old registration", $"<ei:registrationID>{cancel.RegistrationId}</ei:registrationID>", ci);
        },
        ["N1_0065"] = async c =>
        {
            var registrationId = c.H.RegistrationId;
            await c.SendAsync(new OadrRequestReregistration { VenId = c.VenId });
            var (create, index) = await c.ExpectAsync<OadrCreatePartyRegistration>("oadrCreatePartyRegistration after oadrRequestReregistration", c.AsyncTimeout);
            c.R.Check(create.RegistrationId == registrationId, c.Id, $"a re-registration must carry the current registrationID '{registrationId}'; it carries '{create.RegistrationId ?? "(none)"}'",
                $"<ei:registrationID>{create.RegistrationId}</ei:registrationID>", index);
            await c.ExpectAsync<OadrRegisterReport>("oadrRegisterReport after re-registering", c.AsyncTimeout);
        },
        ["N1_0070"] = async c =>
        {
            var venId = c.VenId;
            var cancel = new OadrCancelPartyRegistration { RequestId = HarnessVtn.NewId("REQ"), RegistrationId = "NOT_YOUR_REGISTRATION", VenId = venId };
            await c.SendAsync(cancel);
            var (canceled, index) = await c.ExpectAsync<OadrCanceledPartyRegistration>("oadrCanceledPartyRegistration", c.AsyncTimeout);
            var code = canceled.EiResponse.ResponseCode.Value;
            c.R.Check(code is "452" or "463", "rule 48", $"a cancellation with a wrong registrationID must be refused with 452 or 463; the VEN answered {code}", $"<ei:responseCode>{code}</ei:responseCode>", index);
            if (c.Pull) await c.ExpectAsync<OadrPoll>($"an oadrPoll as venID {venId}: the VEN must stay registered", c.DeliveryTimeout, p => p.VenId == venId);
        },
        ["N1_0080"] = async c =>
        {
            c.H.ForgetRegistration();
            c.R.Record(MessageDirection.Note, "harness", "the harness forgot the registration: polls are answered 463 from now on");
            await c.ExpectAsync<OadrCreatePartyRegistration>("oadrCreatePartyRegistration after a 463 answer", c.AsyncTimeout);
            await c.ExpectAsync<OadrRegisterReport>("oadrRegisterReport after registering anew", c.AsyncTimeout);
        },
    };

    /// <summary>Has the VEN register from nothing: the harness forgets it, the operator restarts it.</summary>
    private static async Task<(OadrCreatePartyRegistration Message, int Index)> FullRegistrationAsync(VenCase c, bool requestReport)
    {
        // Until the VEN registers anew, the harness answers its queries as if it had never seen it; polls go on as
        // before, so the running VEN does not start registering on its own before the restart.
        var before = c.H.Registrations;
        c.H.Override = m => m is OadrQueryRegistration q && c.H.Registrations == before ? c.H.Offer(q.RequestId) : null;
        string? requested = null;
        if (requestReport)
        {
            c.H.RegisteredReportRequests = reports =>
            {
                var status = reports.FirstOrDefault(r => r.ReportName is { } n && n.Value.EndsWith("TELEMETRY_STATUS", StringComparison.Ordinal)) ?? reports.FirstOrDefault();
                if (status is null) return [];
                var request = OneShot(status);
                requested = request.ReportRequestId;
                return [request];
            };
        }
        await c.ActAsync("restart", "Restart the VEN (power cycle); the harness answers its query as for an unknown VEN, so it must register from the start.");
        await c.ExpectAsync<OadrQueryRegistration>("oadrQueryRegistration", c.AsyncTimeout);
        var create = await c.ExpectAsync<OadrCreatePartyRegistration>("oadrCreatePartyRegistration", c.AsyncTimeout);
        var (register, ri) = await c.ExpectAsync<OadrRegisterReport>("oadrRegisterReport (report registration)", c.AsyncTimeout);
        if (requestReport && register.Reports.Count > 0)
        {
            await c.ExpectAsync<OadrCreatedReport>("oadrCreatedReport for the report requested in oadrRegisteredReport", c.AsyncTimeout);
            await c.ExpectAsync<OadrUpdateReport>("oadrUpdateReport for the one-shot report requested in oadrRegisteredReport", c.AsyncTimeout,
                u => u.Reports.Any(r => r.ReportRequestId == requested));
        }
        else if (requestReport)
        {
            throw c.R.Fail(c.Id, "oadrRegisterReport announces no report: a 2.0b VEN offers at least TELEMETRY_STATUS", null, ri);
        }
        return create;
    }

    private static void CheckRegistrationFields(VenCase c, OadrCreatePartyRegistration create, int index)
    {
        c.R.Check(create.ProfileName == OadrProfileName.Profile20b, c.Id, "oadrCreatePartyRegistration must name profile 2.0b", "<oadr:oadrProfileName>", index);
        c.R.Check(create.TransportName == OadrTransportName.SimpleHttp, c.Id, "oadrCreatePartyRegistration must name transport simpleHttp on this harness", "<oadr:oadrTransportName>", index);
        c.R.Check(create.XmlSignature == c.H.High, c.Id, c.H.High
            ? "at high security the VEN registers with oadrXmlSignature true"
            : "the VEN asks for XML signatures, which this run (standard security) does not use", $"<oadr:oadrXmlSignature>{(create.XmlSignature ? "true" : "false")}</oadr:oadrXmlSignature>", index);
        if (c.Pull)
        {
            c.R.Check(create.HttpPullModel != false, c.Id, "a pull VEN must not register with oadrHttpPullModel=false", "<oadr:oadrHttpPullModel>false</oadr:oadrHttpPullModel>", index);
        }
        else
        {
            c.R.Check(create.HttpPullModel == false && !string.IsNullOrEmpty(create.TransportAddress), c.Id,
                "a push VEN registers with oadrHttpPullModel=false and its oadrTransportAddress", "<oadr:oadrTransportAddress>", index);
        }
    }

    /// <summary>A one-shot request for every data point of a report the VEN announced.</summary>
    private static OadrReportRequest OneShot(OadrReport metadata) => Request(metadata, TimeSpan.Zero, TimeSpan.Zero, null, null);

    private static OadrReportRequest Request(OadrReport metadata, TimeSpan granularity, TimeSpan back, DateTimeOffset? start, TimeSpan? duration, string[]? rIds = null) => new()
    {
        ReportRequestId = HarnessVtn.NewId("RR"),
        ReportSpecifier = new ReportSpecifier
        {
            ReportSpecifierId = metadata.ReportSpecifierId,
            Granularity = IsoDuration.FromTimeSpan(granularity),
            ReportBackDuration = IsoDuration.FromTimeSpan(back),
            ReportInterval = start is { } s ? new CalendarProperties { DtStart = s, Duration = IsoDuration.FromTimeSpan(duration ?? TimeSpan.Zero) } : null,
            SpecifierPayloads = ValueList.From((rIds ?? metadata.Descriptions.Select(d => d.RId).ToArray()).Select(r => new SpecifierPayload
            {
                RId = r,
                ReadingType = metadata.Descriptions.FirstOrDefault(d => d.RId == r)?.ReadingType ?? ReadingType.DirectRead,
            })),
        },
    };
}
