using FlexCoop.OpenAdr.Model;

namespace FlexCoop.Conformance.Certification.OpenAdr;

public sealed partial class OpenAdrVenSuite
{
    /// <summary>
    /// Push variants, keyed by the pull ID whose push case they run: where the pull script needs polling, or where push
    /// adds what only push has (a listener that is down while the VEN restarts).
    /// </summary>
    private static Dictionary<string, Func<VenCase, Task>> PushScripts() => new(StringComparer.Ordinal)
    {
        // N0_5010: the VEN restarts keeping its registration; an event pushed while its listener is down is kept by the
        // harness, tried again, and answered once the VEN is back, under the same venID.
        ["N1_0010"] = async c =>
        {
            var venId = c.VenId;
            var spec = new EventSpec(NewEventId());
            var restart = c.ActAsync("restart", "Restart the VEN (power cycle) without clearing its registration; the harness pushes an event meanwhile.");
            var delivery = c.SendAsync(c.Distribute(c.Event(spec)), OutgoingSigning.Harness, c.AsyncTimeout);
            await restart;
            await c.ExpectAsync<OadrQueryRegistration>("oadrQueryRegistration after the restart", c.AsyncTimeout);
            await delivery;
            var (created, index) = await c.ExpectAsync<OadrCreatedEvent>($"oadrCreatedEvent for event {spec.Id}, pushed while the VEN restarted", c.AsyncTimeout,
                m => m.EventResponses?.Any(r => r.QualifiedEventId.EventId == spec.Id) == true, rule: "rule 12");
            c.R.Check(created.VenId == venId, "rule 21", $"after the restart the VEN answers as '{created.VenId}', not as '{venId}', the registration it kept",
                $"<ei:venID>{created.VenId}</ei:venID>", index);
        },

        // N0_5015: the registration fields of a push VEN, then its oadrTransportAddress is where it takes pushes.
        ["N1_0015"] = async c =>
        {
            var create = await FullRegistrationAsync(c, requestReport: false);
            CheckRegistrationFields(c, create.Message, create.Index);
            c.R.Record(MessageDirection.Note, "push address", $"the VEN registered oadrTransportAddress {create.Message.TransportAddress}; the next push goes there");
            await OneEventAsync(c, new EventSpec(NewEventId()));
        },

        // N0_5080: the VTN lost the registration; the push VEN learns it from the 463 answering its next report and registers anew.
        ["N1_0080"] = async c =>
        {
            var back = c.S(20);
            var request = Request(StatusReport(c), back, back, DateTimeOffset.UtcNow, null);
            await RequestReportsAsync(c, request);
            await UpdateFor(c, request, "first period", c.AsyncTimeout + back);
            c.H.ForgetRegistration();
            c.H.Override = m => c.H.Registered || m is OadrQueryRegistration or OadrCreatePartyRegistration ? null : NotRegistered(m);
            c.R.Record(MessageDirection.Note, "harness", "the harness forgot the registration: the VEN's payloads are answered 463 from now on");
            await c.ExpectAsync<OadrCreatePartyRegistration>("oadrCreatePartyRegistration after a 463 answer", c.AsyncTimeout + back);
            await c.ExpectAsync<OadrRegisterReport>("oadrRegisterReport after registering anew", c.AsyncTimeout);
            // The periodic report of the old registration is no longer wanted.
            var cancel = new OadrCancelReport { RequestId = HarnessVtn.NewId("REQ"), ReportRequestIds = ValueList.Create([request.ReportRequestId]), ReportToFollow = false, VenId = c.VenId };
            await c.SendAsync(cancel);
            await c.ExpectAsync<OadrCanceledReport>("oadrCanceledReport", c.AsyncTimeout);
        },

        // Push only (PICS multiple-vtns): events from two VTNs, each answered to the VTN that sent it.
        ["A_E0_0185"] = async c =>
        {
            var second = await SecondVtnAsync(c);
            var (a, b) = (new EventSpec(NewEventId()), new EventSpec(NewEventId()));
            await OneEventAsync(c, a);
            var created = await second.DistributeAsync(second.Distribute(second.Event(b)), Ok(b.Id));
            c.R.Check(created.VenId == second.VenId, "rule 21", $"the VEN answers the second VTN as '{created.VenId}', not as '{second.VenId}', its venID there",
                $"<ei:venID>{created.VenId}</ei:venID>");
            // The first VTN's event stands: the second VTN's distribute does not cancel it implicitly (rule 61 is per VTN).
            await OneEventAsync(c, a);
        },

        // A cancellation from the second VTN is acknowledged there and leaves the first VTN's event alone.
        ["A_E0_0295"] = async c =>
        {
            var second = await SecondVtnAsync(c);
            var (a, b) = (new EventSpec(NewEventId()), new EventSpec(NewEventId()));
            await OneEventAsync(c, a);
            await OneEventAsync(second, b);
            await second.DistributeAsync(second.Distribute(second.Event(b with { Modification = 1, Status = EventStatus.Cancelled })), new VenCase.Answer(b.Id, 1, Opt: OptType.OptIn));
            await OneEventAsync(c, a);
        },
    };

    /// <summary>The case as the second harness VTN sees it, with the VEN registered there too (operator action <c>register-second-vtn</c>).</summary>
    private static async Task<VenCase> SecondVtnAsync(VenCase c)
    {
        var second = c.Second ?? throw c.R.Inconclusive("the second harness VTN runs in push runs only");
        if (second.H.Registered) return second;
        c.R.Record(MessageDirection.Note, "precondition", $"the VEN registers with the second VTN {second.O.VtnId} at {second.H.Url} as well");
        await c.ActAsync("register-second-vtn", $"Register the VEN with a second VTN as well, keeping the first: {second.H.Url} (vtnID {second.O.VtnId}).");
        await second.ExpectAsync<OadrCreatePartyRegistration>("oadrCreatePartyRegistration at the second VTN", second.AsyncTimeout, rule: "precondition");
        await second.ExpectAsync<OadrRegisterReport>("oadrRegisterReport at the second VTN", second.AsyncTimeout, rule: "precondition");
        return second;
    }

    /// <summary>What a VTN answers a VEN it holds no registration for: 463, in the answer type the payload expects.</summary>
    private static OadrMessage NotRegistered(OadrMessage message)
    {
        var refusal = HarnessVtn.Error(ResponseCode.NotRegisteredOrAuthorized, "", "not registered");
        return message switch
        {
            OadrUpdateReport u => new OadrUpdatedReport { EiResponse = refusal with { RequestId = u.RequestId }, VenId = u.VenId },
            _ => new OadrResponse { EiResponse = refusal, VenId = OadrMessageIds.VenId(message) },
        };
    }
}
