using FlexCoop.Usef.Validation;

namespace FlexCoop.Usef.Tests;

internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>A small, valid DSO ↔ AGR conversation to mutate in rule tests.</summary>
internal static class Trade
{
    public static readonly DateTimeOffset Now = new(2025, 6, 1, 8, 0, 0, TimeSpan.Zero);
    public static readonly DateOnly Period = new(2025, 6, 2);
    public static readonly EntityAddress Cp = EntityAddress.FromEan("871685900012345678");
    public static readonly Guid Conversation = Guid.Parse("aaaaaaaa-0000-0000-0000-000000000001");
    public const string Agr = "agr.example.org";
    public const string Dso = "dso.example.com";

    public static DPrognosis Prognosis(long revision = 1) => new()
    {
        SenderDomain = Agr, RecipientDomain = Dso, TimeStamp = Now, MessageId = Guid.NewGuid(), ConversationId = Guid.NewGuid(),
        IspDuration = TimeSpan.FromMinutes(15), TimeZone = "Europe/Amsterdam", Period = Period, CongestionPoint = Cp,
        Revision = revision, Isps = new[] { new PowerIsp(1000, 1, 48), new PowerIsp(2000, 49, 48) },
    };

    public static FlexRequest Request() => new()
    {
        SenderDomain = Dso, RecipientDomain = Agr, TimeStamp = Now, MessageId = Guid.NewGuid(), ConversationId = Conversation,
        IspDuration = TimeSpan.FromMinutes(15), TimeZone = "Europe/Amsterdam", Period = Period, CongestionPoint = Cp,
        Revision = 1, ExpirationDateTime = Now.AddHours(4),
        Isps = new[] { new FlexRequestIsp(AvailableRequested.Requested, -5000, -1000, 70, 4) },
    };

    public static FlexOffer Offer(FlexRequest request) => new()
    {
        SenderDomain = Agr, RecipientDomain = Dso, TimeStamp = Now.AddMinutes(5), MessageId = Guid.NewGuid(), ConversationId = request.ConversationId,
        IspDuration = request.IspDuration, TimeZone = request.TimeZone, Period = request.Period, CongestionPoint = request.CongestionPoint,
        ExpirationDateTime = Now.AddHours(3), FlexRequestMessageId = request.MessageId, Currency = "EUR",
        OfferOptions = new[] { new FlexOfferOption("A", 120.50m, new[] { new PowerIsp(-3000, 70, 4) }, 0.5m) },
    };

    public static FlexOrder Order(FlexOffer offer) => new()
    {
        SenderDomain = Dso, RecipientDomain = Agr, TimeStamp = Now.AddMinutes(10), MessageId = Guid.NewGuid(), ConversationId = offer.ConversationId,
        IspDuration = offer.IspDuration, TimeZone = offer.TimeZone, Period = offer.Period, CongestionPoint = offer.CongestionPoint,
        FlexOfferMessageId = offer.MessageId, OptionReference = "A", Price = 120.50m, Currency = "EUR", OrderReference = "ORD-1",
        Isps = new[] { new PowerIsp(-3000, 70, 4) },
    };
}

public sealed class UftpBusinessRuleTests
{
    private readonly InMemoryUftpValidationContext _context = new();
    private readonly FixedTime _time = new(Trade.Now.AddMinutes(15));

    public UftpBusinessRuleTests() => _context.AddCongestionPoint(Trade.Cp);

    /// <summary>A FlexOffer answering a FlexRequest, both already known to the validation context.</summary>
    private FlexOffer KnownOffer()
    {
        var request = Trade.Request();
        var offer = Trade.Offer(request);
        _context.Add(request);
        _context.Add(offer);
        return offer;
    }

    private UftpBusinessValidator Validator(UftpValidationOptions? options = null) => new(options ?? UftpValidationOptions.Default, _context, _time);

    private async Task<IReadOnlyList<UftpRule?>> RulesAsync(PayloadMessage message, UftpRole? role = null, UftpValidationOptions? options = null)
    {
        var result = await Validator(options).ValidateAsync(message, role, TestContext.Current.CancellationToken);
        return result.Violations.Select(v => v.BusinessRule).ToList();
    }

    private async Task AssertOnlyAsync(UftpRule rule, PayloadMessage message, UftpRole? role = null, UftpValidationOptions? options = null)
    {
        var result = await Validator(options).ValidateAsync(message, role, TestContext.Current.CancellationToken);
        Assert.True(result.Violations.Count >= 1, $"expected {rule}, got no violation");
        Assert.All(result.Violations, v => Assert.Equal(rule, v.BusinessRule));
        Assert.Equal(rule.Name(), result.Violations[0].Rule);
    }

    [Fact]
    public async Task Whole_valid_trade_passes_every_rule()
    {
        var request = Trade.Request();
        Assert.Empty(await RulesAsync(request, UftpRole.DSO));
        _context.Add(request);
        var offer = Trade.Offer(request);
        Assert.Empty(await RulesAsync(offer, UftpRole.AGR));
        _context.Add(offer);
        var order = Trade.Order(offer);
        Assert.Empty(await RulesAsync(order, UftpRole.DSO));
        Assert.Empty(await RulesAsync(Trade.Prognosis(), UftpRole.AGR));
    }

    [Fact]
    public async Task Flex_offer_from_a_dso_breaks_sender_role()
    {
        var request = Trade.Request();
        _context.Add(request);
        await AssertOnlyAsync(UftpRule.SenderRoleNotAllowed, Trade.Offer(request), UftpRole.DSO);
    }

    [Fact]
    public async Task Flex_request_received_by_a_dso_breaks_recipient_role() =>
        await AssertOnlyAsync(UftpRule.RecipientRoleNotAllowed, Trade.Request(), UftpRole.DSO, UftpValidationOptions.Default with { OwnRole = UftpRole.DSO });

    [Fact]
    public async Task Message_for_another_domain_breaks_recipient_domain() =>
        await AssertOnlyAsync(UftpRule.RecipientDomainMismatch, Trade.Request(), UftpRole.DSO, UftpValidationOptions.Default with { OwnDomain = "other.example.org" });

    [Fact]
    public async Task Version_4_is_unsupported() =>
        await AssertOnlyAsync(UftpRule.UnsupportedVersion, Trade.Request() with { Version = "4.0.0" });

    [Fact]
    public async Task Same_message_id_twice_is_a_duplicate()
    {
        var request = Trade.Request();
        _context.Add(request);
        await AssertOnlyAsync(UftpRule.DuplicateMessageId, request);
    }

    [Fact]
    public async Task Time_stamp_beyond_tolerance_is_in_the_future() =>
        await AssertOnlyAsync(UftpRule.TimeStampInFuture, Trade.Prognosis() with { TimeStamp = _time.Now.AddMinutes(6) });

    [Fact]
    public async Task Time_stamp_within_tolerance_is_accepted() =>
        Assert.Empty(await RulesAsync(Trade.Prognosis() with { TimeStamp = _time.Now.AddMinutes(4) }));

    [Fact]
    public async Task Unknown_time_zone_is_refused() =>
        await AssertOnlyAsync(UftpRule.UnknownTimeZone, Trade.Prognosis() with { TimeZone = "Europe/Atlantis" });

    [Fact]
    public async Task Other_known_time_zone_breaks_the_agreed_one() =>
        await AssertOnlyAsync(UftpRule.TimeZoneMismatch, Trade.Prognosis() with { TimeZone = "Europe/Berlin" });

    [Fact]
    public async Task Thirty_minute_isps_break_the_agreed_duration() =>
        await AssertOnlyAsync(UftpRule.IspDurationMismatch, Trade.Prognosis() with { IspDuration = TimeSpan.FromMinutes(30), Isps = new[] { new PowerIsp(1, 1, 48) } });

    [Fact]
    public async Task Seven_minute_isps_are_invalid() =>
        await AssertOnlyAsync(UftpRule.InvalidIspDuration, Trade.Prognosis() with { IspDuration = TimeSpan.FromMinutes(7) }, null, UftpValidationOptions.Default with { AgreedIspDuration = null });

    [Theory]
    [InlineData(2025, 3, 30, 92)] // spring forward in Amsterdam: 23 hours
    [InlineData(2025, 10, 26, 100)] // fall back: 25 hours
    [InlineData(2025, 6, 2, 96)]
    public void Amsterdam_day_has_isps_for_its_real_length(int y, int m, int d, int isps)
    {
        Assert.True(UftpIspCalendar.TryFindTimeZone("Europe/Amsterdam", out var zone));
        Assert.Equal(isps, UftpIspCalendar.IspCount(new DateOnly(y, m, d), zone!, TimeSpan.FromMinutes(15)));
    }

    [Fact]
    public async Task Prognosis_with_96_isps_on_the_23_hour_day_is_out_of_range()
    {
        _time.Now = new DateTimeOffset(2025, 3, 29, 8, 0, 0, TimeSpan.Zero);
        var prognosis = Trade.Prognosis() with { TimeStamp = _time.Now, Period = new DateOnly(2025, 3, 30), Isps = new[] { new PowerIsp(1, 1, 96) } };
        await AssertOnlyAsync(UftpRule.IspOutOfRange, prognosis);
        Assert.Empty(await RulesAsync(prognosis with { Isps = new[] { new PowerIsp(1, 1, 92) } }));
    }

    [Fact]
    public async Task Prognosis_with_96_isps_on_the_25_hour_day_is_incomplete()
    {
        _time.Now = new DateTimeOffset(2025, 10, 25, 8, 0, 0, TimeSpan.Zero);
        var prognosis = Trade.Prognosis() with { TimeStamp = _time.Now, Period = new DateOnly(2025, 10, 26), Isps = new[] { new PowerIsp(1, 1, 96) } };
        await AssertOnlyAsync(UftpRule.IspIncomplete, prognosis);
        Assert.Empty(await RulesAsync(prognosis with { Isps = new[] { new PowerIsp(1, 1, 100) } }));
    }

    [Fact]
    public async Task Overlapping_isps_are_refused() =>
        await AssertOnlyAsync(UftpRule.IspOverlap, Trade.Prognosis() with { Isps = new[] { new PowerIsp(1, 1, 50), new PowerIsp(2, 49, 48) } });

    [Fact]
    public async Task Prognosis_with_a_zero_start_is_out_of_range() =>
        await AssertOnlyAsync(UftpRule.IspOutOfRange, Trade.Prognosis() with { Isps = new[] { new PowerIsp(1, 0, 1), new PowerIsp(1, 1, 96) } });

    [Fact]
    public async Task Flex_request_for_yesterday_is_in_the_past() =>
        await AssertOnlyAsync(UftpRule.PeriodInPast, Trade.Request() with { Period = new DateOnly(2025, 5, 31) });

    [Fact]
    public async Task Unknown_congestion_point_is_refused() =>
        await AssertOnlyAsync(UftpRule.UnknownCongestionPoint, Trade.Prognosis() with { CongestionPoint = EntityAddress.FromEan("871685900099999999") });

    [Fact]
    public async Task Offer_for_an_unknown_request_has_an_unknown_reference() =>
        await AssertOnlyAsync(UftpRule.ReferencedMessageUnknown, Trade.Offer(Trade.Request()));

    [Fact]
    public async Task Offer_referring_to_a_prognosis_as_request_has_the_wrong_type()
    {
        var prognosis = Trade.Prognosis();
        _context.Add(prognosis);
        await AssertOnlyAsync(UftpRule.ReferencedMessageWrongType, Trade.Offer(Trade.Request()) with { FlexRequestMessageId = prognosis.MessageId });
    }

    [Fact]
    public async Task Offer_in_another_conversation_breaks_the_conversation()
    {
        var request = Trade.Request();
        _context.Add(request);
        await AssertOnlyAsync(UftpRule.ConversationMismatch, Trade.Offer(request) with { ConversationId = Guid.NewGuid() });
    }

    [Fact]
    public async Task Offer_for_another_congestion_point_does_not_match_its_request()
    {
        var request = Trade.Request();
        _context.Add(request);
        var other = EntityAddress.FromEan("871685900011111111");
        _context.AddCongestionPoint(other);
        await AssertOnlyAsync(UftpRule.ReferenceMismatch, Trade.Offer(request) with { CongestionPoint = other });
    }

    [Fact]
    public async Task Offer_after_the_request_expired_is_refused()
    {
        var request = Trade.Request() with { ExpirationDateTime = Trade.Now.AddMinutes(1) };
        _context.Add(request);
        await AssertOnlyAsync(UftpRule.FlexRequestExpired, Trade.Offer(request));
    }

    [Fact]
    public async Task Order_after_the_offer_expired_is_refused()
    {
        var request = Trade.Request();
        var offer = Trade.Offer(request) with { ExpirationDateTime = Trade.Now.AddMinutes(8) };
        _context.Add(request);
        _context.Add(offer);
        await AssertOnlyAsync(UftpRule.FlexOfferExpired, Trade.Order(offer));
    }

    [Fact]
    public async Task Order_on_a_revoked_offer_is_refused()
    {
        var offer = KnownOffer();
        _context.Add(new FlexOfferRevocation { SenderDomain = Trade.Agr, RecipientDomain = Trade.Dso, TimeStamp = Trade.Now.AddMinutes(6), MessageId = Guid.NewGuid(), ConversationId = offer.ConversationId, FlexOfferMessageId = offer.MessageId });
        await AssertOnlyAsync(UftpRule.FlexOfferRevoked, Trade.Order(offer));
    }

    [Fact]
    public async Task Revoking_an_ordered_offer_is_refused()
    {
        var offer = KnownOffer();
        _context.Add(Trade.Order(offer));
        var revocation = new FlexOfferRevocation { SenderDomain = Trade.Agr, RecipientDomain = Trade.Dso, TimeStamp = Trade.Now.AddMinutes(12), MessageId = Guid.NewGuid(), ConversationId = offer.ConversationId, FlexOfferMessageId = offer.MessageId };
        await AssertOnlyAsync(UftpRule.FlexOfferAlreadyOrdered, revocation);
    }

    [Fact]
    public async Task Request_expiring_before_it_was_sent_is_refused() =>
        await AssertOnlyAsync(UftpRule.ExpirationBeforeTimeStamp, Trade.Request() with { ExpirationDateTime = Trade.Now.AddMinutes(-1) });

    [Fact]
    public async Task Solicited_offer_without_request_reference_is_refused() =>
        await AssertOnlyAsync(UftpRule.MissingFlexRequestReference, Trade.Offer(Trade.Request()) with { FlexRequestMessageId = null });

    [Fact]
    public async Task Unsolicited_offer_needs_no_request() =>
        Assert.Empty(await RulesAsync(Trade.Offer(Trade.Request()) with { FlexRequestMessageId = null, Unsolicited = true }));

    [Fact]
    public async Task Solicited_order_without_offer_reference_is_refused() =>
        await AssertOnlyAsync(UftpRule.MissingFlexOfferReference, Trade.Order(Trade.Offer(Trade.Request())) with { FlexOfferMessageId = null });

    [Fact]
    public async Task Order_for_an_unknown_option_is_refused()
    {
        var offer = KnownOffer();
        await AssertOnlyAsync(UftpRule.UnknownOptionReference, Trade.Order(offer) with { OptionReference = "B" });
    }

    [Fact]
    public async Task Offer_with_two_options_named_alike_is_refused()
    {
        var request = Trade.Request();
        _context.Add(request);
        var offer = Trade.Offer(request);
        await AssertOnlyAsync(UftpRule.DuplicateOptionReference, offer with { OfferOptions = new[] { offer.OfferOptions[0], offer.OfferOptions[0] } });
    }

    [Fact]
    public async Task Two_options_where_mutex_offers_are_unsupported_are_refused()
    {
        var request = Trade.Request();
        _context.Add(request);
        var offer = Trade.Offer(request);
        await AssertOnlyAsync(UftpRule.MutexOffersNotSupported, offer with { OfferOptions = new[] { offer.OfferOptions[0], offer.OfferOptions[0] with { OptionReference = "B" } } },
            null, UftpValidationOptions.Default with { MutexOffersSupported = false });
    }

    [Fact]
    public async Task Order_below_the_minimum_activation_factor_is_refused()
    {
        var offer = KnownOffer();
        await AssertOnlyAsync(UftpRule.ActivationFactorBelowMinimum, Trade.Order(offer) with { ActivationFactor = 0.25m });
    }

    [Fact]
    public async Task Order_in_another_currency_is_refused()
    {
        var offer = KnownOffer();
        await AssertOnlyAsync(UftpRule.CurrencyMismatch, Trade.Order(offer) with { Currency = "GBP" });
    }

    [Fact]
    public async Task Power_beyond_bounds_is_refused() =>
        await AssertOnlyAsync(UftpRule.PowerOutOfBounds, Trade.Prognosis() with { Isps = new[] { new PowerIsp(long.MaxValue, 1, 96) } });

    [Fact]
    public async Task Negative_price_is_refused()
    {
        var request = Trade.Request();
        _context.Add(request);
        var offer = Trade.Offer(request);
        await AssertOnlyAsync(UftpRule.PriceOutOfBounds, offer with { OfferOptions = new[] { offer.OfferOptions[0] with { Price = -1m } } });
    }

    [Fact]
    public async Task Request_with_min_above_max_is_refused() =>
        await AssertOnlyAsync(UftpRule.MinPowerAboveMaxPower, Trade.Request() with { Isps = new[] { new FlexRequestIsp(null, 10, 5, 1) } });

    [Fact]
    public async Task Prognosis_revision_must_increase()
    {
        _context.Add(Trade.Prognosis(revision: 5));
        await AssertOnlyAsync(UftpRule.RevisionNotIncreasing, Trade.Prognosis(revision: 5));
        Assert.Empty(await RulesAsync(Trade.Prognosis(revision: 6)));
    }

    private static FlexSettlement Settlement(decimal price, decimal penalty, decimal net) => new()
    {
        SenderDomain = Trade.Dso, RecipientDomain = Trade.Agr, TimeStamp = Trade.Now, MessageId = Guid.NewGuid(), ConversationId = Guid.NewGuid(),
        Result = AcceptedRejected.Accepted, PeriodStart = new DateOnly(2025, 5, 1), PeriodEnd = new DateOnly(2025, 5, 31), Currency = "EUR",
        FlexOrderSettlements = new[] { new FlexOrderSettlement { Period = new DateOnly(2025, 5, 3), CongestionPoint = Trade.Cp, Price = price, Penalty = penalty, NetSettlement = net, OrderReference = "ORD-1", Isps = new[] { new FlexOrderSettlementIsp(1, 4, 100, -50, 60, -40, 10) } } },
        ContractSettlements = new[] { new ContractSettlement("C-1", new[] { new ContractSettlementPeriod(new DateOnly(2025, 5, 3), new[] { new ContractSettlementIsp(1, 4, 50) }) }) },
    };

    [Fact]
    public async Task Settlement_net_must_be_price_minus_penalty()
    {
        Assert.Empty(await RulesAsync(Settlement(100m, 10m, 90m), UftpRole.DSO));
        await AssertOnlyAsync(UftpRule.NetSettlementMismatch, Settlement(100m, 10m, 100m));
    }

    [Fact]
    public async Task Settlement_ending_before_it_starts_is_refused() =>
        await AssertOnlyAsync(UftpRule.InvalidPeriodRange, Settlement(1m, 0m, 1m) with { PeriodStart = new DateOnly(2025, 5, 1), PeriodEnd = new DateOnly(2025, 5, 3), FlexOrderSettlements = Settlement(1m, 0m, 1m).FlexOrderSettlements } with { PeriodEnd = new DateOnly(2025, 4, 1), FlexOrderSettlements = new[] { Settlement(1m, 0m, 1m).FlexOrderSettlements[0] with { Period = new DateOnly(2025, 4, 15) } } });

    [Fact]
    public async Task Rejection_without_reason_is_refused()
    {
        var request = Trade.Request();
        _context.Add(request);
        var response = new FlexRequestResponse { SenderDomain = Trade.Agr, RecipientDomain = Trade.Dso, TimeStamp = Trade.Now, MessageId = Guid.NewGuid(), ConversationId = request.ConversationId, Result = AcceptedRejected.Rejected, FlexRequestMessageId = request.MessageId };
        await AssertOnlyAsync(UftpRule.RejectionReasonMissing, response);
        Assert.Empty(await RulesAsync(response with { RejectionReason = "no flexibility" }, UftpRole.AGR));
    }

    [Fact]
    public async Task Response_to_an_unknown_message_is_refused()
    {
        var response = new FlexOrderResponse { SenderDomain = Trade.Agr, RecipientDomain = Trade.Dso, TimeStamp = Trade.Now, MessageId = Guid.NewGuid(), ConversationId = Trade.Conversation, Result = AcceptedRejected.Accepted, FlexOrderMessageId = Guid.NewGuid() };
        var result = await Validator().ValidateAsync(response, UftpRole.AGR, TestContext.Current.CancellationToken);
        var violation = Assert.Single(result.Violations);
        Assert.Equal(UftpRule.ReferencedMessageUnknown, violation.BusinessRule);
        Assert.Equal("/FlexOrderResponse/@FlexOrderMessageID", violation.Path);
    }

    [Fact]
    public async Task Dispute_without_reason_is_refused()
    {
        var settlement = Settlement(1m, 0m, 1m);
        _context.Add(settlement);
        var response = new FlexSettlementResponse { SenderDomain = Trade.Agr, RecipientDomain = Trade.Dso, TimeStamp = Trade.Now, MessageId = Guid.NewGuid(), ConversationId = settlement.ConversationId, Result = AcceptedRejected.Accepted, FlexSettlementMessageId = settlement.MessageId, FlexOrderSettlementStatuses = new[] { new FlexOrderSettlementStatus("ORD-1", AcceptedDisputed.Disputed) } };
        await AssertOnlyAsync(UftpRule.DisputeReasonMissing, response);
    }

    [Fact]
    public async Task Power_profile_in_kwh_is_refused()
    {
        var metering = new Metering
        {
            SenderDomain = Trade.Agr, RecipientDomain = Trade.Dso, TimeStamp = Trade.Now, MessageId = Guid.NewGuid(), ConversationId = Guid.NewGuid(),
            Revision = 1, IspDuration = TimeSpan.FromMinutes(15), TimeZone = "Europe/Amsterdam", Period = new DateOnly(2025, 5, 31), Ean = "E1234567890123456",
            Profiles = new[] { new MeteringProfile(MeteringProfileType.Power, MeteringUnit.kWh, new[] { new MeteringIsp(1, 1.5m) }) },
        };
        await AssertOnlyAsync(UftpRule.MeteringUnitMismatch, metering);
        Assert.Empty(await RulesAsync(metering with { Profiles = new[] { new MeteringProfile(MeteringProfileType.Power, MeteringUnit.kW, new[] { new MeteringIsp(1, 1.5m) }) } }, UftpRole.AGR));
    }

    [Fact]
    public void Every_rule_has_a_distinct_kebab_case_name()
    {
        var names = Enum.GetValues<UftpRule>().Select(r => r.Name()).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Equal("duplicate-message-id", UftpRule.DuplicateMessageId.Name());
        Assert.All(names, n => Assert.Matches("^[a-z]+(-[a-z]+)*$", n));
    }
}
