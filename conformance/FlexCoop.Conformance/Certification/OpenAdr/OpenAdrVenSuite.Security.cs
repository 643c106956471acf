using FlexCoop.OpenAdr.Model;

namespace FlexCoop.Conformance.Certification.OpenAdr;

public sealed partial class OpenAdrVenSuite
{
    /// <summary>
    /// G1_4011 (PICS <c>xml-signature</c>, harness at <c>--security high</c>): an event and its modification, every
    /// payload signed both ways (the harness verifies each VEN payload: signature present and valid, signed with the
    /// VEN's TLS certificate, fresh ReplayProtect nonce and timestamp); then what the VEN must refuse to act on: the
    /// same signed payload replayed, a payload signed by a certificate no CA vouches for, and an unsigned one; and a
    /// last valid event to show it still works.
    /// </summary>
    private static Dictionary<string, Func<VenCase, Task>> SecurityScripts() => new(StringComparer.Ordinal)
    {
        ["G1_4011"] = async c =>
        {
            if (!c.H.High) throw c.R.Inconclusive("G1_4011 certifies the high security profile: run the harness with --security high");
            var spec = new EventSpec(NewEventId());
            await OneEventAsync(c, spec);
            var modified = c.Distribute(c.Event(spec with { Modification = 1, Signals = [new SignalSpec("SIMPLE", SignalType.Level, [2f])] }));
            var wire = c.H.Encode(modified);
            await c.DistributeAsync(modified, wire, Ok(spec.Id, 1));

            c.R.Record(MessageDirection.Note, "replay", "the harness sends the same signed oadrDistributeEvent again, nonce and all");
            await c.SendWireAsync(modified, wire);
            await RefusedAsync(c, spec.Id, "a replayed payload (its ReplayProtect nonce was already used)");

            var stranger = new EventSpec(NewEventId());
            c.R.Record(MessageDirection.Note, "wrong signer", "the harness signs the next event with a self-signed certificate that does not chain to the VEN's CA");
            await c.SendAsync(c.Distribute(c.Event(stranger)), OutgoingSigning.Stranger);
            await RefusedAsync(c, stranger.Id, "a payload signed by a certificate that does not chain to its CA");

            var unsigned = new EventSpec(NewEventId());
            c.R.Record(MessageDirection.Note, "unsigned", "the harness sends the next event without a signature");
            await c.SendAsync(c.Distribute(c.Event(unsigned)), OutgoingSigning.None);
            await RefusedAsync(c, unsigned.Id, "an unsigned payload");

            await OneEventAsync(c, new EventSpec(NewEventId()));
        },
    };

    /// <summary>
    /// The VEN must not act on the last delivery: no <c>oadrCreatedEvent</c> for <paramref name="eventId"/> (before its next
    /// poll in pull; in push, its answer to the push is a refusal).
    /// </summary>
    private static async Task RefusedAsync(VenCase c, string eventId, string what)
    {
        if (!c.Pull)
        {
            var (answer, index) = await c.ExpectAsync<OadrMessage>("an answer to the push", c.AsyncTimeout, m => m is not OadrPoll, rule: "xml-signature");
            c.R.Check(answer is OadrResponse { EiResponse.ResponseCode.IsSuccess: false }, "xml-signature",
                $"the VEN answered {what} with {answer.ElementName}; it must refuse it (oadrResponse 463) and not act on it", null, index);
            return;
        }
        await c.ExpectNoneForPollAsync(m => m is OadrCreatedEvent e && e.EventResponses?.Any(r => r.QualifiedEventId.EventId == eventId) == true,
            "xml-signature", $"the VEN answered {what} with oadrCreatedEvent: it acted on a payload it cannot authenticate");
    }
}
