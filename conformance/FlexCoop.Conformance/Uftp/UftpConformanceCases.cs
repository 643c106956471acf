using System.Text;
using FlexCoop.Conformance.Certification;
using FlexCoop.Usef;
using FlexCoop.Usef.Signing;
using FlexCoop.Usef.Xml;

namespace FlexCoop.Conformance.Uftp;

/// <summary>
/// The cases of the UFTP participant suite. Each sends what the participant's role may receive —
/// valid, or breaking one rule the specification lists — and checks the synchronous HTTP answer and
/// the asynchronous Response (Result, RejectionReason, reference, conversation, signature, sender).
/// </summary>
public static class UftpConformanceCases
{
    private static readonly UftpRole[] Both = [UftpRole.AGR, UftpRole.DSO];
    private static readonly UftpRole[] Agr = [UftpRole.AGR];
    private static readonly UftpRole[] Dso = [UftpRole.DSO];

    /// <summary>Every case, in the order the suite runs them.</summary>
    public static IReadOnlyList<UftpConformanceCase> All { get; } =
    [
        // Transport and envelope (both roles).
        new("transport.test-message", Both, "A valid TestMessage is taken (HTTP 200) and answered by a TestMessageResponse in the same conversation", "every message is answered asynchronously by its Response", TestMessageAsync),
        new("transport.malformed-xml", Both, "A body that is not well-formed XML is refused with HTTP 400", "HTTP 400 for a message that cannot be read", MalformedXmlAsync),
        new("transport.not-signed", Both, "A bare payload message without a SignedMessage envelope is refused with HTTP 4xx", "every message travels in a SignedMessage", NotSignedAsync),
        new("transport.wrong-method", Both, "A GET on the message endpoint is refused with HTTP 4xx", "messages are POSTed", WrongMethodAsync),
        new("transport.wrong-content-type", Both, "A signed message sent as application/json instead of text/xml is refused with HTTP 4xx", "messages are POSTed as text/xml (400 otherwise)", WrongContentTypeAsync),
        new("transport.schema-invalid", Both, "A sealed message with an attribute the schema does not define is refused", "messages are validated against the UFTP XSDs", SchemaInvalidAsync),
        new("signature.bad", Both, "A SignedMessage whose signature does not verify is refused with HTTP 4xx", "the signature is verified with the sender's published key", BadSignatureAsync),
        new("signature.unknown-sender", Both, "A SignedMessage from a domain whose key the participant cannot find is refused with HTTP 4xx", "the sender's key is looked up for its domain and role", UnknownSenderAsync),
        new("signature.sender-domain-mismatch", Both, "A SignedMessage whose SenderDomain differs from the sealed message's is refused", "the envelope's sender is the sealed message's sender", SenderDomainMismatchAsync),
        new("signature.sender-role-not-allowed", Both, "A message sealed with a SenderRole that may not send its type is refused", "only the roles the specification names send a message type", SenderRoleAsync),
        new("header.wrong-recipient", Both, "A message addressed to another RecipientDomain is rejected", "RecipientDomain is the receiving participant", WrongRecipientAsync),
        new("header.duplicate-message-id", Both, "A second, different message reusing a MessageID is refused or rejected", "MessageIDs are unique", DuplicateMessageIdAsync),
        new("header.unsupported-version", Both, "A message of a major Version the participant does not support is rejected", "the Version attribute names the specification version", UnsupportedVersionAsync),
        new("header.unknown-time-zone", Both, "A message with a TimeZone that is no IANA zone is rejected", "TimeZone is an IANA time zone", UnknownTimeZoneAsync),
        new("header.unknown-congestion-point", Both, "A message about a congestion point the participant does not know is rejected", "congestion points are known from the CRO or bilateral agreement", UnknownCongestionPointAsync),

        // The participant is an AGR: the suite plays the DSO.
        new("flex-request.valid", Agr, "A valid FlexRequest is accepted", "FlexRequest", ValidFlexRequestAsync),
        new("flex-request.isp-out-of-range", Agr, "A FlexRequest with an ISP after the last ISP of the day is rejected", "ISP numbers lie within the period", FlexRequestIspOutOfRangeAsync),
        new("flex-request.min-above-max", Agr, "A FlexRequest ISP with MinPower above MaxPower is rejected", "FlexRequest ISP power band", FlexRequestMinAboveMaxAsync),
        new("flex-request.period-in-past", Agr, "A FlexRequest for a day that has passed is rejected", "periods lie in the future", FlexRequestPastPeriodAsync),
        new("flex-request.expired-before-sent", Agr, "A FlexRequest whose ExpirationDateTime lies before its TimeStamp is rejected", "ExpirationDateTime is after TimeStamp", FlexRequestExpiredBeforeSentAsync),
        new("flex-order.valid", Agr, "A FlexOrder for the participant's own FlexOffer is accepted", "FlexOrder", ValidFlexOrderAsync),
        new("flex-order.unknown-offer", Agr, "A FlexOrder referring to a FlexOffer the participant never made is rejected", "referenced messages exist", FlexOrderUnknownOfferAsync),
        new("flex-order.expired-offer", Agr, "A FlexOrder for a FlexOffer whose ExpirationDateTime has passed is rejected", "expired offers cannot be ordered", FlexOrderExpiredOfferAsync),
        new("flex-order.revoked-offer", Agr, "A FlexOrder for a FlexOffer the participant revoked is rejected", "revoked offers cannot be ordered", FlexOrderRevokedOfferAsync),
        new("flex-order.unknown-option", Agr, "A FlexOrder naming an OptionReference the offer does not have is rejected", "the ordered option exists", FlexOrderUnknownOptionAsync),
        new("flex-reservation-update.valid", Agr, "A valid FlexReservationUpdate is accepted", "FlexReservationUpdate", ValidFlexReservationUpdateAsync),
        new("flex-settlement.net-settlement-mismatch", Agr, "A FlexSettlement whose NetSettlement is not Price minus Penalty is rejected", "settlement arithmetic", FlexSettlementMismatchAsync),

        // The participant is a DSO: the suite plays the AGR.
        new("d-prognosis.valid", Dso, "A valid D-Prognosis covering every ISP of the day is accepted", "D-Prognosis", ValidPrognosisAsync),
        new("d-prognosis.incomplete", Dso, "A D-Prognosis that leaves ISPs of the day out is rejected", "a D-Prognosis covers the whole day", IncompletePrognosisAsync),
        new("d-prognosis.isp-out-of-range", Dso, "A D-Prognosis with an ISP after the last ISP of the day is rejected", "ISP numbers lie within the period", PrognosisIspOutOfRangeAsync),
        new("d-prognosis.revision-not-increasing", Dso, "A D-Prognosis repeating the Revision of an earlier one is rejected", "revisions increase", PrognosisRevisionAsync),
        new("flex-offer.valid", Dso, "A FlexOffer answering the participant's own FlexRequest is accepted", "FlexOffer", ValidFlexOfferAsync),
        new("flex-offer.unknown-request", Dso, "A FlexOffer referring to a FlexRequest the participant never sent is rejected", "referenced messages exist", FlexOfferUnknownRequestAsync),
        new("flex-offer.duplicate-option", Dso, "A FlexOffer with two options sharing an OptionReference is rejected", "OptionReferences are unique", FlexOfferDuplicateOptionAsync),
        new("flex-offer-revocation.unknown-offer", Dso, "A FlexOfferRevocation of an offer never made is rejected", "referenced messages exist", RevocationUnknownOfferAsync),
        new("flex-offer-revocation.twice", Dso, "Revoking the same FlexOffer a second time is rejected", "a revoked offer cannot be revoked again", RevocationTwiceAsync),
        new("metering.valid", Dso, "A valid Metering message is accepted", "Metering", ValidMeteringAsync),
        new("metering.wrong-unit", Dso, "A Metering Power profile in kWh is rejected", "metering units", MeteringWrongUnitAsync),

        // Last: everything the participant sent during the run.
        new("participant.messages-valid", Both, "Every message the participant sent is signed with its key, from its domain and role, addressed to the suite, and readable", "the participant's own messages conform", ParticipantMessagesAsync),
    ];

    // ---- helpers ----

    private static TestMessage Test(UftpSuiteSession s)
    {
        var h = s.Header();
        return new TestMessage { SenderDomain = h.Sender, RecipientDomain = h.Recipient, TimeStamp = h.Now, MessageId = h.MessageId, ConversationId = h.ConversationId };
    }

    /// <summary>A message of the right direction for the participant's role, valid unless changed.</summary>
    private static PayloadMessage Typical(UftpSuiteSession s) => s.Options.Role == UftpRole.AGR ? FlexRequestFor(s, s.NextPeriod()) : PrognosisFor(s, s.NextPeriod());

    private static FlexRequest FlexRequestFor(UftpSuiteSession s, DateOnly period, long? revision = null, TimeSpan? validity = null)
    {
        var h = s.Header();
        var count = s.IspCount(period);
        return new FlexRequest
        {
            SenderDomain = h.Sender, RecipientDomain = h.Recipient, TimeStamp = h.Now, MessageId = h.MessageId, ConversationId = h.ConversationId,
            IspDuration = s.Options.IspDuration, TimeZone = s.Options.TimeZone, Period = period, CongestionPoint = s.Options.CongestionPoint,
            Revision = revision ?? s.NextRevision(), ExpirationDateTime = h.Now + (validity ?? TimeSpan.FromHours(1)),
            Isps = ValueList.Of(new FlexRequestIsp(AvailableRequested.Requested, -500_000, -100_000, Math.Min(69, count - 7), 8)),
        };
    }

    private static DPrognosis PrognosisFor(UftpSuiteSession s, DateOnly period, long power = 800_000, long? revision = null)
    {
        var h = s.Header();
        return new DPrognosis
        {
            SenderDomain = h.Sender, RecipientDomain = h.Recipient, TimeStamp = h.Now, MessageId = h.MessageId, ConversationId = h.ConversationId,
            IspDuration = s.Options.IspDuration, TimeZone = s.Options.TimeZone, Period = period, CongestionPoint = s.Options.CongestionPoint,
            Revision = revision ?? s.NextRevision(), Isps = ValueList.Of(new PowerIsp(power, 1, s.IspCount(period))),
        };
    }

    private static byte[] Payload(PayloadMessage m) => UftpXml.Serialize(m);

    // ---- transport and envelope ----

    private static async Task<UftpCaseOutcome> TestMessageAsync(UftpSuiteSession s, CancellationToken ct)
    {
        var test = Test(s);
        var post = await s.SendAsync(test, ct).ConfigureAwait(false);
        if (!post.IsSuccess) return UftpCaseOutcome.Fail($"a valid TestMessage was answered {post}, expected HTTP 200");
        var (findings, _) = await s.CheckResponseAsync(test, AcceptedRejected.Accepted, ct).ConfigureAwait(false);
        return UftpCaseOutcome.From(findings);
    }

    private static async Task<UftpCaseOutcome> MalformedXmlAsync(UftpSuiteSession s, CancellationToken ct)
    {
        var post = await s.PostAsync("<SignedMessage SenderDomain=\"x\""u8.ToArray(), cancellationToken: ct).ConfigureAwait(false);
        return post.StatusCode == 400 ? UftpCaseOutcome.Pass() : UftpCaseOutcome.Fail($"a body that is not XML was answered {post}, expected HTTP 400");
    }

    private static async Task<UftpCaseOutcome> NotSignedAsync(UftpSuiteSession s, CancellationToken ct) =>
        UftpSuiteSession.ExpectHttpRefusal(await s.PostAsync(Payload(Test(s)), cancellationToken: ct).ConfigureAwait(false), "a TestMessage without envelope");

    private static async Task<UftpCaseOutcome> WrongMethodAsync(UftpSuiteSession s, CancellationToken ct) =>
        UftpSuiteSession.ExpectHttpRefusal(await s.PostAsync([], method: HttpMethod.Get, cancellationToken: ct).ConfigureAwait(false), "a GET");

    private static async Task<UftpCaseOutcome> WrongContentTypeAsync(UftpSuiteSession s, CancellationToken ct) =>
        UftpSuiteSession.ExpectHttpRefusal(await s.PostAsync(UftpXml.Serialize(UftpSigner.Seal(Test(s), s.SuiteRole, s.Options.SuiteKey)), "application/json", cancellationToken: ct).ConfigureAwait(false), "a SignedMessage sent as application/json");

    private static async Task<UftpCaseOutcome> SchemaInvalidAsync(UftpSuiteSession s, CancellationToken ct)
    {
        var test = Test(s);
        var xml = Encoding.UTF8.GetString(Payload(test)).Replace("<TestMessage ", "<TestMessage Colour=\"blue\" ", StringComparison.Ordinal);
        var post = await s.SendPayloadAsync(Encoding.UTF8.GetBytes(xml), test.SenderDomain, ct).ConfigureAwait(false);
        return await s.JudgeRefusalAsync(test, post, ct).ConfigureAwait(false);
    }

    private static async Task<UftpCaseOutcome> BadSignatureAsync(UftpSuiteSession s, CancellationToken ct)
    {
        var test = Test(s);
        var sealedMessage = UftpSigner.Seal(test, s.SuiteRole, s.Options.SuiteKey);
        var body = sealedMessage.Body.ToArray();
        body[10] ^= 0x01; // one bit of the signature
        var post = await s.PostAsync(UftpXml.Serialize(new SignedMessage(sealedMessage.SenderDomain, sealedMessage.SenderRole, body)), cancellationToken: ct).ConfigureAwait(false);
        return UftpSuiteSession.ExpectHttpRefusal(post, "a SignedMessage with a broken signature");
    }

    private static async Task<UftpCaseOutcome> UnknownSenderAsync(UftpSuiteSession s, CancellationToken ct)
    {
        using var stranger = UftpSigningKey.Generate();
        var domain = "unknown-" + Guid.NewGuid().ToString("N")[..8] + ".invalid";
        var h = s.Header();
        var test = new TestMessage { SenderDomain = domain, RecipientDomain = h.Recipient, TimeStamp = h.Now, MessageId = h.MessageId, ConversationId = h.ConversationId };
        var post = await s.SendPayloadAsync(Payload(test), domain, ct, key: stranger).ConfigureAwait(false);
        return UftpSuiteSession.ExpectHttpRefusal(post, $"a SignedMessage from {domain}");
    }

    private static async Task<UftpCaseOutcome> SenderDomainMismatchAsync(UftpSuiteSession s, CancellationToken ct)
    {
        var h = s.Header();
        var test = new TestMessage { SenderDomain = "other." + h.Sender, RecipientDomain = h.Recipient, TimeStamp = h.Now, MessageId = h.MessageId, ConversationId = h.ConversationId };
        var post = await s.SendPayloadAsync(Payload(test), h.Sender, ct).ConfigureAwait(false);
        return await s.JudgeRefusalAsync(test, post, ct).ConfigureAwait(false);
    }

    private static async Task<UftpCaseOutcome> SenderRoleAsync(UftpSuiteSession s, CancellationToken ct)
    {
        // The message type is the suite's (e.g. a FlexRequest from a DSO) but the envelope claims the participant's own role.
        var message = Typical(s);
        var post = await s.SendPayloadAsync(Payload(message), message.SenderDomain, ct, envelopeRole: s.Options.Role).ConfigureAwait(false);
        return await s.JudgeRefusalAsync(message, post, ct).ConfigureAwait(false);
    }

    private static Task<UftpCaseOutcome> WrongRecipientAsync(UftpSuiteSession s, CancellationToken ct) =>
        s.ExpectRejectedAsync(Typical(s) with { RecipientDomain = "not-" + s.Options.Domain }, ct);

    private static async Task<UftpCaseOutcome> DuplicateMessageIdAsync(UftpSuiteSession s, CancellationToken ct)
    {
        var first = Typical(s);
        var accepted = await s.ExpectAcceptedAsync(first, ct).ConfigureAwait(false);
        if (accepted.Verdict != CaseVerdict.Pass) return UftpCaseOutcome.NotApplicable("the first message was not accepted: " + string.Join("; ", accepted.Findings));
        var h = s.Header();
        var second = Typical(s) with { MessageId = first.MessageId, ConversationId = h.ConversationId };
        var post = await s.SendAsync(second, ct).ConfigureAwait(false);
        return await s.JudgeRefusalAsync(second, post, ct).ConfigureAwait(false);
    }

    private static Task<UftpCaseOutcome> UnsupportedVersionAsync(UftpSuiteSession s, CancellationToken ct) =>
        s.ExpectRejectedAsync(Typical(s) with { Version = "99.0.0" }, ct);

    private static Task<UftpCaseOutcome> UnknownTimeZoneAsync(UftpSuiteSession s, CancellationToken ct) =>
        s.ExpectRejectedAsync(Typical(s) switch
        {
            FlexRequest r => r with { TimeZone = "Europe/Atlantis" },
            DPrognosis p => p with { TimeZone = "Europe/Atlantis" },
            var m => m,
        }, ct);

    private static Task<UftpCaseOutcome> UnknownCongestionPointAsync(UftpSuiteSession s, CancellationToken ct)
    {
        var unknown = EntityAddress.FromEan("87168590" + Random.Shared.NextInt64(1_000_000_000L, 9_999_999_999L).ToString(System.Globalization.CultureInfo.InvariantCulture));
        return s.ExpectRejectedAsync(Typical(s) switch
        {
            FlexRequest r => r with { CongestionPoint = unknown },
            DPrognosis p => p with { CongestionPoint = unknown },
            var m => m,
        }, ct);
    }

    // ---- AGR under test ----

    private static Task<UftpCaseOutcome> ValidFlexRequestAsync(UftpSuiteSession s, CancellationToken ct) => s.ExpectAcceptedAsync(FlexRequestFor(s, s.NextPeriod()), ct);

    private static Task<UftpCaseOutcome> FlexRequestIspOutOfRangeAsync(UftpSuiteSession s, CancellationToken ct)
    {
        var request = FlexRequestFor(s, s.NextPeriod());
        var last = s.IspCount(request.Period);
        return s.ExpectRejectedAsync(request with { Isps = ValueList.Of(new FlexRequestIsp(AvailableRequested.Requested, -500_000, -100_000, last + 1)) }, ct);
    }

    private static Task<UftpCaseOutcome> FlexRequestMinAboveMaxAsync(UftpSuiteSession s, CancellationToken ct)
    {
        var request = FlexRequestFor(s, s.NextPeriod());
        return s.ExpectRejectedAsync(request with { Isps = ValueList.Of(new FlexRequestIsp(AvailableRequested.Requested, -100_000, -500_000, 1, 4)) }, ct);
    }

    private static Task<UftpCaseOutcome> FlexRequestPastPeriodAsync(UftpSuiteSession s, CancellationToken ct)
    {
        var past = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-3);
        return s.ExpectRejectedAsync(FlexRequestFor(s, past), ct);
    }

    private static Task<UftpCaseOutcome> FlexRequestExpiredBeforeSentAsync(UftpSuiteSession s, CancellationToken ct)
    {
        var request = FlexRequestFor(s, s.NextPeriod());
        return s.ExpectRejectedAsync(request with { ExpirationDateTime = request.TimeStamp - TimeSpan.FromMinutes(10) }, ct);
    }

    /// <summary>Sends a FlexRequest and waits for the participant's FlexOffer answering it.</summary>
    private static async Task<(FlexRequest Request, FlexOffer? Offer, string? Why)> RequestOfferAsync(UftpSuiteSession s, DateOnly period, CancellationToken ct, long? revision = null, TimeSpan? validity = null)
    {
        var request = FlexRequestFor(s, period, revision, validity);
        var accepted = await s.ExpectAcceptedAsync(request, ct).ConfigureAwait(false);
        if (accepted.Verdict != CaseVerdict.Pass) return (request, null, "the FlexRequest was not accepted: " + string.Join("; ", accepted.Findings));
        var offer = await s.WaitForMessageAsync<FlexOffer>(o => o.FlexRequestMessageId == request.MessageId, ct).ConfigureAwait(false);
        return offer is null ? (request, null, $"the participant made no FlexOffer for a FlexRequest within {s.Options.ResponseTimeout.TotalSeconds:0.#} s") : (request, offer.Value.Message, null);
    }

    private static FlexOrder OrderFor(UftpSuiteSession s, FlexOffer offer)
    {
        var h = s.Header();
        var option = offer.OfferOptions[0];
        return new FlexOrder
        {
            SenderDomain = h.Sender, RecipientDomain = h.Recipient, TimeStamp = h.Now, MessageId = h.MessageId, ConversationId = offer.ConversationId,
            IspDuration = offer.IspDuration, TimeZone = offer.TimeZone, Period = offer.Period, CongestionPoint = offer.CongestionPoint,
            FlexOfferMessageId = offer.MessageId, DPrognosisMessageId = offer.DPrognosisMessageId, ContractId = offer.ContractId,
            Price = option.Price, Currency = offer.Currency, OrderReference = "suite-" + h.MessageId.ToString("N")[..12], OptionReference = option.OptionReference,
            Isps = option.Isps,
        };
    }

    private static async Task<UftpCaseOutcome> ValidFlexOrderAsync(UftpSuiteSession s, CancellationToken ct)
    {
        var (_, offer, why) = await RequestOfferAsync(s, s.NextPeriod(), ct).ConfigureAwait(false);
        if (offer is null) return UftpCaseOutcome.NotApplicable(why!);
        return await s.ExpectAcceptedAsync(OrderFor(s, offer), ct).ConfigureAwait(false);
    }

    private static async Task<UftpCaseOutcome> FlexOrderUnknownOfferAsync(UftpSuiteSession s, CancellationToken ct)
    {
        var request = FlexRequestFor(s, s.NextPeriod());
        var h = s.Header();
        var order = new FlexOrder
        {
            SenderDomain = h.Sender, RecipientDomain = h.Recipient, TimeStamp = h.Now, MessageId = h.MessageId, ConversationId = h.ConversationId,
            IspDuration = request.IspDuration, TimeZone = request.TimeZone, Period = request.Period, CongestionPoint = request.CongestionPoint,
            FlexOfferMessageId = Guid.NewGuid(), Price = 10m, Currency = "EUR", OrderReference = "suite-unknown", Isps = ValueList.Of(new PowerIsp(-100_000, 69, 8)),
        };
        return await s.ExpectRejectedAsync(order, ct).ConfigureAwait(false);
    }

    private static async Task<UftpCaseOutcome> FlexOrderExpiredOfferAsync(UftpSuiteSession s, CancellationToken ct)
    {
        // A FlexRequest open for a few seconds: the participant's offer may not outlive it.
        var validity = TimeSpan.FromSeconds(3);
        var (_, offer, why) = await RequestOfferAsync(s, s.NextPeriod(), ct, validity: validity).ConfigureAwait(false);
        if (offer is null) return UftpCaseOutcome.NotApplicable(why!);
        var wait = offer.ExpirationDateTime - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(200);
        if (wait > s.Options.ResponseTimeout + validity) return UftpCaseOutcome.NotApplicable($"the participant's FlexOffer expires at {offer.ExpirationDateTime:O}, after the FlexRequest it answers: too late to wait for");
        // Waiting for a deadline of the participant, not for an event.
        if (wait > TimeSpan.Zero) await Task.Delay(wait, ct).ConfigureAwait(false);
        return await s.ExpectRejectedAsync(OrderFor(s, offer), ct).ConfigureAwait(false);
    }

    private static async Task<UftpCaseOutcome> FlexOrderRevokedOfferAsync(UftpSuiteSession s, CancellationToken ct)
    {
        var period = s.NextPeriod();
        var first = s.NextRevision();
        var (_, offer, why) = await RequestOfferAsync(s, period, ct, revision: first).ConfigureAwait(false);
        if (offer is null) return UftpCaseOutcome.NotApplicable(why!);
        // A new revision of the request supersedes the first: a participant may revoke its offer for it.
        var (_, _, _) = await RequestOfferAsync(s, period, ct, revision: s.NextRevision()).ConfigureAwait(false);
        var revocation = await s.WaitForMessageAsync<FlexOfferRevocation>(r => r.FlexOfferMessageId == offer.MessageId, ct).ConfigureAwait(false);
        if (revocation is null) return UftpCaseOutcome.NotApplicable("the participant revoked no FlexOffer (it did not revoke its offer when the FlexRequest was revised)");
        return await s.ExpectRejectedAsync(OrderFor(s, offer), ct).ConfigureAwait(false);
    }

    private static async Task<UftpCaseOutcome> FlexOrderUnknownOptionAsync(UftpSuiteSession s, CancellationToken ct)
    {
        var (_, offer, why) = await RequestOfferAsync(s, s.NextPeriod(), ct).ConfigureAwait(false);
        if (offer is null) return UftpCaseOutcome.NotApplicable(why!);
        return await s.ExpectRejectedAsync(OrderFor(s, offer) with { OptionReference = "no-such-option-" + Guid.NewGuid().ToString("N")[..6] }, ct).ConfigureAwait(false);
    }

    private static Task<UftpCaseOutcome> ValidFlexReservationUpdateAsync(UftpSuiteSession s, CancellationToken ct)
    {
        var h = s.Header();
        var period = s.NextPeriod();
        return s.ExpectAcceptedAsync(new FlexReservationUpdate
        {
            SenderDomain = h.Sender, RecipientDomain = h.Recipient, TimeStamp = h.Now, MessageId = h.MessageId, ConversationId = h.ConversationId,
            IspDuration = s.Options.IspDuration, TimeZone = s.Options.TimeZone, Period = period, CongestionPoint = s.Options.CongestionPoint,
            ContractId = "suite-contract", Reference = "suite-" + h.MessageId.ToString("N")[..8], Isps = ValueList.Of(new PowerIsp(-200_000, 1, s.IspCount(period))),
        }, ct);
    }

    private static Task<UftpCaseOutcome> FlexSettlementMismatchAsync(UftpSuiteSession s, CancellationToken ct)
    {
        var h = s.Header();
        var period = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        return s.ExpectRejectedAsync(new FlexSettlement
        {
            SenderDomain = h.Sender, RecipientDomain = h.Recipient, TimeStamp = h.Now, MessageId = h.MessageId, ConversationId = h.ConversationId,
            Result = AcceptedRejected.Accepted, PeriodStart = period, PeriodEnd = period, Currency = "EUR",
            FlexOrderSettlements = ValueList.Of(new FlexOrderSettlement
            {
                OrderReference = "suite-order", Period = period, CongestionPoint = s.Options.CongestionPoint, Price = 100m, Penalty = 10m, NetSettlement = 100m,
                Isps = ValueList.Of(new FlexOrderSettlementIsp(1, 1, 0, -100_000, 0, -100_000, 0)),
            }),
            ContractSettlements = ValueList.Of(new ContractSettlement("suite-contract", ValueList.Of(new ContractSettlementPeriod(period, ValueList.Of(new ContractSettlementIsp(1, 1, 0, OrderedPower: -100_000)))))),
        }, ct);
    }

    // ---- DSO under test ----

    private static Task<UftpCaseOutcome> ValidPrognosisAsync(UftpSuiteSession s, CancellationToken ct) => s.ExpectAcceptedAsync(PrognosisFor(s, s.NextPeriod()), ct);

    private static Task<UftpCaseOutcome> IncompletePrognosisAsync(UftpSuiteSession s, CancellationToken ct)
    {
        var prognosis = PrognosisFor(s, s.NextPeriod());
        return s.ExpectRejectedAsync(prognosis with { Isps = ValueList.Of(new PowerIsp(800_000, 1, 10)) }, ct);
    }

    private static Task<UftpCaseOutcome> PrognosisIspOutOfRangeAsync(UftpSuiteSession s, CancellationToken ct)
    {
        var prognosis = PrognosisFor(s, s.NextPeriod());
        var count = s.IspCount(prognosis.Period);
        return s.ExpectRejectedAsync(prognosis with { Isps = ValueList.Of(new PowerIsp(800_000, 1, count), new PowerIsp(800_000, count + 1)) }, ct);
    }

    private static async Task<UftpCaseOutcome> PrognosisRevisionAsync(UftpSuiteSession s, CancellationToken ct)
    {
        var period = s.NextPeriod();
        var first = PrognosisFor(s, period);
        var accepted = await s.ExpectAcceptedAsync(first, ct).ConfigureAwait(false);
        if (accepted.Verdict != CaseVerdict.Pass) return UftpCaseOutcome.NotApplicable("the first D-Prognosis was not accepted: " + string.Join("; ", accepted.Findings));
        return await s.ExpectRejectedAsync(PrognosisFor(s, period, revision: first.Revision), ct).ConfigureAwait(false);
    }

    private static FlexOffer OfferFor(UftpSuiteSession s, FlexRequest? request, DateOnly period, params FlexOfferOption[] options)
    {
        var h = s.Header();
        return new FlexOffer
        {
            SenderDomain = h.Sender, RecipientDomain = h.Recipient, TimeStamp = h.Now, MessageId = h.MessageId, ConversationId = request?.ConversationId ?? h.ConversationId,
            IspDuration = request?.IspDuration ?? s.Options.IspDuration, TimeZone = request?.TimeZone ?? s.Options.TimeZone, Period = period,
            CongestionPoint = request?.CongestionPoint ?? s.Options.CongestionPoint,
            ExpirationDateTime = request is null ? h.Now + TimeSpan.FromHours(1) : (request.ExpirationDateTime < h.Now + TimeSpan.FromHours(1) ? request.ExpirationDateTime : h.Now + TimeSpan.FromHours(1)),
            FlexRequestMessageId = request?.MessageId ?? Guid.NewGuid(), ContractId = request?.ContractId, Currency = "EUR",
            OfferOptions = options.Length > 0 ? options : ValueList.Of(new FlexOfferOption("A", 50m, ValueList.Of(new PowerIsp(-100_000, 69, 8)))),
        };
    }

    /// <summary>Sends a D-Prognosis far above any congestion limit and waits for the participant's FlexRequest about it.</summary>
    private static async Task<(FlexRequest? Request, string? Why)> ProvokeFlexRequestAsync(UftpSuiteSession s, DateOnly period, CancellationToken ct)
    {
        var prognosis = PrognosisFor(s, period, power: 5_000_000_000);
        var accepted = await s.ExpectAcceptedAsync(prognosis, ct).ConfigureAwait(false);
        if (accepted.Verdict != CaseVerdict.Pass) return (null, "the D-Prognosis was not accepted: " + string.Join("; ", accepted.Findings));
        var request = await s.WaitForMessageAsync<FlexRequest>(r => r.Period == period && r.CongestionPoint == s.Options.CongestionPoint, ct).ConfigureAwait(false);
        return request is null ? (null, $"the participant sent no FlexRequest for a D-Prognosis of 5 GW within {s.Options.ResponseTimeout.TotalSeconds:0.#} s") : (request.Value.Message, null);
    }

    private static async Task<UftpCaseOutcome> ValidFlexOfferAsync(UftpSuiteSession s, CancellationToken ct)
    {
        var period = s.NextPeriod();
        var (request, why) = await ProvokeFlexRequestAsync(s, period, ct).ConfigureAwait(false);
        if (request is null) return UftpCaseOutcome.NotApplicable(why!);
        var isps = request.Isps.Select(i => new PowerIsp(Math.Clamp(0, i.MinPower, i.MaxPower), i.Start, i.Duration)).ToList();
        return await s.ExpectAcceptedAsync(OfferFor(s, request, period, new FlexOfferOption("A", 50m, new ValueList<PowerIsp>(isps))), ct).ConfigureAwait(false);
    }

    private static Task<UftpCaseOutcome> FlexOfferUnknownRequestAsync(UftpSuiteSession s, CancellationToken ct) => s.ExpectRejectedAsync(OfferFor(s, null, s.NextPeriod()), ct);

    private static Task<UftpCaseOutcome> FlexOfferDuplicateOptionAsync(UftpSuiteSession s, CancellationToken ct)
    {
        var option = new FlexOfferOption("A", 50m, ValueList.Of(new PowerIsp(-100_000, 69, 8)));
        return s.ExpectRejectedAsync(OfferFor(s, null, s.NextPeriod(), option, option with { Price = 60m }) with { FlexRequestMessageId = null, Unsolicited = true }, ct);
    }

    private static FlexOfferRevocation RevocationOf(UftpSuiteSession s, Guid offerId, Guid conversationId)
    {
        var h = s.Header();
        return new FlexOfferRevocation { SenderDomain = h.Sender, RecipientDomain = h.Recipient, TimeStamp = h.Now, MessageId = h.MessageId, ConversationId = conversationId, FlexOfferMessageId = offerId };
    }

    private static Task<UftpCaseOutcome> RevocationUnknownOfferAsync(UftpSuiteSession s, CancellationToken ct) => s.ExpectRejectedAsync(RevocationOf(s, Guid.NewGuid(), Guid.NewGuid()), ct);

    private static async Task<UftpCaseOutcome> RevocationTwiceAsync(UftpSuiteSession s, CancellationToken ct)
    {
        var offer = OfferFor(s, null, s.NextPeriod()) with { FlexRequestMessageId = null, Unsolicited = true };
        var post = await s.SendAsync(offer, ct).ConfigureAwait(false);
        if (!post.IsSuccess) return UftpCaseOutcome.NotApplicable($"an unsolicited FlexOffer was answered {post}");
        var (_, response) = await s.CheckResponseAsync(offer, AcceptedRejected.Accepted, ct).ConfigureAwait(false);
        if (response is not FlexOfferResponse { Result: AcceptedRejected.Accepted }) return UftpCaseOutcome.NotApplicable("the participant does not accept unsolicited FlexOffers");
        var first = RevocationOf(s, offer.MessageId, offer.ConversationId);
        if (!(await s.SendAsync(first, ct).ConfigureAwait(false)).IsSuccess) return UftpCaseOutcome.NotApplicable("the first FlexOfferRevocation was refused");
        // The first revocation may be accepted, or rejected when the participant ordered the offer meanwhile: either way the second must be refused.
        var (_, firstResponse) = await s.CheckResponseAsync(first, AcceptedRejected.Accepted, ct).ConfigureAwait(false);
        if (firstResponse is null) return UftpCaseOutcome.Fail("no FlexOfferRevocationResponse arrived for the first revocation");
        return await s.ExpectRejectedAsync(RevocationOf(s, offer.MessageId, offer.ConversationId), ct).ConfigureAwait(false);
    }

    private static Metering MeteringFor(UftpSuiteSession s, MeteringUnit unit)
    {
        var h = s.Header();
        var period = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        return new Metering
        {
            SenderDomain = h.Sender, RecipientDomain = h.Recipient, TimeStamp = h.Now, MessageId = h.MessageId, ConversationId = h.ConversationId,
            Revision = s.NextRevision(), IspDuration = s.Options.IspDuration, TimeZone = s.Options.TimeZone, Period = period, Ean = "E" + "871685900012345678",
            Profiles = ValueList.Of(new MeteringProfile(MeteringProfileType.Power, unit, ValueList.Of(new MeteringIsp(1, 1.5m), new MeteringIsp(2, 1.25m)))),
        };
    }

    private static Task<UftpCaseOutcome> ValidMeteringAsync(UftpSuiteSession s, CancellationToken ct) => s.ExpectAcceptedAsync(MeteringFor(s, MeteringUnit.kW), ct);

    private static Task<UftpCaseOutcome> MeteringWrongUnitAsync(UftpSuiteSession s, CancellationToken ct) => s.ExpectRejectedAsync(MeteringFor(s, MeteringUnit.kWh), ct);

    // ---- the participant's own messages ----

    private static Task<UftpCaseOutcome> ParticipantMessagesAsync(UftpSuiteSession s, CancellationToken ct)
    {
        var inbound = s.Inbound;
        if (inbound.Count == 0) return Task.FromResult(UftpCaseOutcome.NotApplicable("the participant sent nothing to the suite"));
        var findings = new List<string>();
        foreach (var i in inbound.Where(i => i.Problems.Count > 0))
        {
            var what = i.Message is { } m ? $"{UftpMessageTypes.Get(m.MessageType).ElementName} {m.MessageId}" : "a message";
            findings.AddRange(i.Problems.Select(p => $"{what}: {p}"));
        }
        return Task.FromResult(UftpCaseOutcome.From(findings, $"{inbound.Count} message(s) checked"));
    }
}
