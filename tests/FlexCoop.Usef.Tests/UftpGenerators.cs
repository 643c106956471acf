using CsCheck;
using FlexCoop.Usef;

namespace FlexCoop.Usef.Tests;

/// <summary>CsCheck generators of schema-valid UFTP messages of every type.</summary>
internal static class UftpGenerators
{
    internal sealed record Hdr(string V, string S, string R, DateTimeOffset T, Guid M, Guid C);

    private static readonly Gen<string> Domain = Gen.OneOfConst("dso.example.com", "agr.example.org", "uftp.dso.nl", "coop-energy.eu", "a1.b2-c3.io");
    private static readonly Gen<string> Version = Gen.OneOfConst("3.1.0", "3.0.0", "3.1.15");
    private static readonly Gen<string> Tz = Gen.OneOfConst("Europe/Amsterdam", "Europe/Berlin", "America/New_York", "Australia/Sydney");
    private static readonly Gen<TimeSpan> Isp = Gen.OneOfConst(TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromMinutes(5));
    private static readonly Gen<string> Text = Gen.String[Gen.Char["abcXYZ019 &<>\"'-_.é€"], 0, 16];
    private static readonly Gen<string?> OptText = Text.Null(0.4);
    private static readonly Gen<string> Currency = Gen.OneOfConst("EUR", "GBP", "NOK");
    private static readonly Gen<DateOnly> Date = Gen.DateOnly[new DateOnly(2000, 1, 1), new DateOnly(2099, 12, 31)];
    private static readonly Gen<long> Power = Gen.OneOf(Gen.Long[-5_000_000, 5_000_000], Gen.Long);
    private static readonly Gen<int> Start = Gen.Int[1, 100];
    private static readonly Gen<int> Duration = Gen.Int[1, 8];
    private static readonly Gen<decimal> Amount = Gen.Long[-1_000_000_000, 1_000_000_000].Select(n => n / 10_000m);
    private static readonly Gen<decimal> Factor = Gen.Int[1, 100].Select(n => n / 100m);
    private static readonly Gen<bool?> OptBool = Gen.Bool.Nullable(0.4);

    internal static readonly Gen<DateTimeOffset> Timestamp =
        from ticks in Gen.Long[new DateTime(2000, 1, 1).Ticks, new DateTime(2099, 1, 1).Ticks]
        from offsetMinutes in Gen.OneOfConst(0, 60, 120, -300, 330, 840, -720)
        select new DateTimeOffset(ticks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(offsetMinutes));

    private static readonly Gen<EntityAddress> Address = Gen.OneOf(
        Gen.Int[0, 9999].Select(n => EntityAddress.Parse($"ea1.2009-01.nl.example.usef:cp-{n}")),
        Gen.Long[100_000_000_000_000_000, 999_999_999_999_999_999].Select(n => EntityAddress.Parse($"ean.{n}")));

    private static readonly Gen<Hdr> Header =
        from v in Version
        from s in Domain
        from r in Domain
        from t in Timestamp
        from m in Gen.Guid
        from c in Gen.Guid
        select new Hdr(v, s, r, t, m, c);

    private static readonly Gen<(TimeSpan Isp, string Tz, DateOnly Period, EntityAddress Cp)> Flex =
        from i in Isp
        from z in Tz
        from p in Date
        from a in Address
        select (i, z, p, a);

    private static readonly Gen<(AcceptedRejected Result, string? Reason)> Result =
        from r in Gen.Enum<AcceptedRejected>()
        from t in OptText
        select (r, t);

    private static readonly Gen<PowerIsp> PowerIspGen = Gen.Select(Power, Start, Duration, (p, s, d) => new PowerIsp(p, s, d));
    private static readonly Gen<ValueList<PowerIsp>> PowerIsps = PowerIspGen.Array[1, 6].Select(a => new ValueList<PowerIsp>(a));

    private static Gen<ValueList<T>> List<T>(Gen<T> gen, int min = 1, int max = 4) => gen.Array[min, max].Select(a => new ValueList<T>(a));

    private static readonly Gen<PortfolioConnection> Connection = Address.Select(a => new PortfolioConnection(a));

    private static readonly Gen<ContractSettlementIsp> ContractIsp =
        from s in Start
        from d in Duration
        from reserved in Power
        from requested in Power.Nullable(0.5)
        from available in Power.Nullable(0.5)
        from offered in Power.Nullable(0.5)
        from ordered in Power.Nullable(0.5)
        select new ContractSettlementIsp(s, d, reserved, requested, available, offered, ordered);

    private static readonly Gen<ContractSettlement> ContractSettlementGen =
        from c in OptText
        from periods in List(Gen.Select(Date, List(ContractIsp), (d, i) => new ContractSettlementPeriod(d, i)))
        select new ContractSettlement(c, periods);

    /// <summary>One generator per message type, keyed by type.</summary>
    public static readonly IReadOnlyDictionary<UftpMessageType, Gen<PayloadMessage>> ByType = new Dictionary<UftpMessageType, Gen<PayloadMessage>>
    {
        [UftpMessageType.TestMessage] = Header.Select(h => (PayloadMessage)new TestMessage { Version = h.V, SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C }),
        [UftpMessageType.TestMessageResponse] = Header.Select(h => (PayloadMessage)new TestMessageResponse { Version = h.V, SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C }),
        [UftpMessageType.DPrognosis] =
            from h in Header from f in Flex from rev in Gen.Long from isps in PowerIsps
            select (PayloadMessage)new DPrognosis { Version = h.V, SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, IspDuration = f.Isp, TimeZone = f.Tz, Period = f.Period, CongestionPoint = f.Cp, Revision = rev, Isps = isps },
        [UftpMessageType.DPrognosisResponse] =
            from h in Header from r in Result from id in Gen.Guid from st in List(Gen.Select(Gen.Guid, Gen.Bool, (g, b) => new FlexOrderStatus(g, b)), 0, 3)
            select (PayloadMessage)new DPrognosisResponse { Version = h.V, SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Result = r.Result, RejectionReason = r.Reason, DPrognosisMessageId = id, FlexOrderStatuses = st },
        [UftpMessageType.FlexReservationUpdate] =
            from h in Header from f in Flex from c in Text from re in Text from isps in PowerIsps
            select (PayloadMessage)new FlexReservationUpdate { Version = h.V, SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, IspDuration = f.Isp, TimeZone = f.Tz, Period = f.Period, CongestionPoint = f.Cp, ContractId = c, Reference = re, Isps = isps },
        [UftpMessageType.FlexReservationUpdateResponse] =
            from h in Header from r in Result from id in Gen.Guid
            select (PayloadMessage)new FlexReservationUpdateResponse { Version = h.V, SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Result = r.Result, RejectionReason = r.Reason, FlexReservationUpdateMessageId = id },
        [UftpMessageType.FlexRequest] =
            from h in Header from f in Flex from rev in Gen.Long from exp in Timestamp from c in OptText from st in OptText
            from isps in List(Gen.Select(Gen.Enum<AvailableRequested>().Nullable(0.3), Power, Power, Start, Duration, (d, a, b, s, du) => new FlexRequestIsp(d, a, b, s, du)))
            select (PayloadMessage)new FlexRequest { Version = h.V, SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, IspDuration = f.Isp, TimeZone = f.Tz, Period = f.Period, CongestionPoint = f.Cp, Revision = rev, ExpirationDateTime = exp, ContractId = c, ServiceType = st, Isps = isps },
        [UftpMessageType.FlexRequestResponse] =
            from h in Header from r in Result from id in Gen.Guid
            select (PayloadMessage)new FlexRequestResponse { Version = h.V, SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Result = r.Result, RejectionReason = r.Reason, FlexRequestMessageId = id },
        [UftpMessageType.FlexOffer] =
            from h in Header from f in Flex from exp in Timestamp from u in OptBool from req in Gen.Guid.Nullable(0.3) from c in OptText
            from dp in Gen.Guid.Nullable(0.5) from br in OptText from cur in Currency
            from options in List(Gen.Select(Text, Amount, PowerIsps, Factor, (r, p, i, fa) => new FlexOfferOption(r, p, i, fa)))
            select (PayloadMessage)new FlexOffer { Version = h.V, SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, IspDuration = f.Isp, TimeZone = f.Tz, Period = f.Period, CongestionPoint = f.Cp, ExpirationDateTime = exp, Unsolicited = u, FlexRequestMessageId = req, ContractId = c, DPrognosisMessageId = dp, BaselineReference = br, Currency = cur, OfferOptions = options },
        [UftpMessageType.FlexOfferResponse] =
            from h in Header from r in Result from id in Gen.Guid
            select (PayloadMessage)new FlexOfferResponse { Version = h.V, SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Result = r.Result, RejectionReason = r.Reason, FlexOfferMessageId = id },
        [UftpMessageType.FlexOfferRevocation] =
            from h in Header from id in Gen.Guid
            select (PayloadMessage)new FlexOfferRevocation { Version = h.V, SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, FlexOfferMessageId = id },
        [UftpMessageType.FlexOfferRevocationResponse] =
            from h in Header from r in Result from id in Gen.Guid
            select (PayloadMessage)new FlexOfferRevocationResponse { Version = h.V, SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Result = r.Result, RejectionReason = r.Reason, FlexOfferRevocationMessageId = id },
        [UftpMessageType.FlexOrder] =
            from h in Header from f in Flex from isps in PowerIsps from u in OptBool from offer in Gen.Guid.Nullable(0.3) from st in OptText from c in OptText
            from dp in Gen.Guid.Nullable(0.5) from br in OptText from price in Amount from cur in Currency from oref in Text from op in OptText from fa in Factor
            select (PayloadMessage)new FlexOrder { Version = h.V, SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, IspDuration = f.Isp, TimeZone = f.Tz, Period = f.Period, CongestionPoint = f.Cp, Isps = isps, Unsolicited = u, FlexOfferMessageId = offer, ServiceType = st, ContractId = c, DPrognosisMessageId = dp, BaselineReference = br, Price = price, Currency = cur, OrderReference = oref, OptionReference = op, ActivationFactor = fa },
        [UftpMessageType.FlexOrderResponse] =
            from h in Header from r in Result from id in Gen.Guid
            select (PayloadMessage)new FlexOrderResponse { Version = h.V, SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Result = r.Result, RejectionReason = r.Reason, FlexOrderMessageId = id },
        [UftpMessageType.FlexSettlement] =
            from h in Header from r in Result from ps in Date from pe in Date from cur in Currency
            from orders in List(
                from oref in OptText from p in Date from c in OptText from dp in Gen.Guid.Nullable(0.5) from br in OptText from cp in Address
                from price in Amount from pen in Amount from net in Amount
                from isps in List(Gen.Select(Start, Duration, Power, Power, Power, (s, d, a, b, c2) => (s, d, a, b, c2)).SelectMany(t => Gen.Select(Power, Power, (x, y) => new FlexOrderSettlementIsp(t.s, t.d, t.a, t.b, t.c2, x, y))))
                select new FlexOrderSettlement { OrderReference = oref, Period = p, ContractId = c, DPrognosisMessageId = dp, BaselineReference = br, CongestionPoint = cp, Price = price, Penalty = pen, NetSettlement = net, Isps = isps })
            from contracts in List(ContractSettlementGen)
            select (PayloadMessage)new FlexSettlement { Version = h.V, SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Result = r.Result, RejectionReason = r.Reason, PeriodStart = ps, PeriodEnd = pe, Currency = cur, FlexOrderSettlements = orders, ContractSettlements = contracts },
        [UftpMessageType.FlexSettlementResponse] =
            from h in Header from r in Result from id in Gen.Guid
            from st in List(Gen.Select(OptText, Gen.Enum<AcceptedDisputed>(), OptText, (o, d, re) => new FlexOrderSettlementStatus(o, d, re)))
            select (PayloadMessage)new FlexSettlementResponse { Version = h.V, SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Result = r.Result, RejectionReason = r.Reason, FlexSettlementMessageId = id, FlexOrderSettlementStatuses = st },
        [UftpMessageType.Metering] =
            from h in Header from rev in Gen.Long from i in Isp from z in Tz from cur in Currency.Null(0.5) from p in Date
            // UFTP 3.1.0 EANType: E/e and 16 digits (the 18-digit form of later libraries is accepted by the codec, not by this XSD).
            from ean in Gen.OneOf(Gen.Long[1_000_000_000_000_000, 9_999_999_999_999_999].Select(n => "E" + n), Gen.Long[1_000_000_000_000_000, 9_999_999_999_999_999].Select(n => "e" + n))
            from profiles in List(Gen.Select(Gen.Enum<MeteringProfileType>(), Gen.Enum<MeteringUnit>(), List(Gen.Select(Gen.Int[-5, 100], Amount, (s, val) => new MeteringIsp(s, val))), (t, u, isps) => new MeteringProfile(t, u, isps)))
            select (PayloadMessage)new Metering { Version = h.V, SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Revision = rev, IspDuration = i, TimeZone = z, Currency = cur, Period = p, Ean = ean, Profiles = profiles },
        [UftpMessageType.MeteringResponse] =
            from h in Header from r in Result from id in Gen.Guid
            select (PayloadMessage)new MeteringResponse { Version = h.V, SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Result = r.Result, RejectionReason = r.Reason, MeteringMessageId = id },
        [UftpMessageType.AGRPortfolioUpdate] =
            from h in Header from z in Tz from cs in List(Gen.Select(Address, Date, Date.Nullable(0.5), (a, s, e) => new AgrPortfolioUpdateConnection(a, s, e)))
            select (PayloadMessage)new AgrPortfolioUpdate { Version = h.V, SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, TimeZone = z, Connections = cs },
        [UftpMessageType.AGRPortfolioUpdateResponse] =
            from h in Header from r in Result from id in Gen.Guid
            select (PayloadMessage)new AgrPortfolioUpdateResponse { Version = h.V, SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Result = r.Result, RejectionReason = r.Reason, AgrPortfolioUpdateMessageId = id },
        [UftpMessageType.AGRPortfolioQuery] =
            from h in Header from z in Tz from p in Date
            select (PayloadMessage)new AgrPortfolioQuery { Version = h.V, SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, TimeZone = z, Period = p },
        [UftpMessageType.AGRPortfolioQueryResponse] =
            from h in Header from r in Result from z in Tz from id in Gen.Guid from p in Date
            from views in List(Gen.Select(
                List(Gen.Select(Domain, List(Gen.Select(Address, Gen.Bool, Gen.Enum<RedispatchBy>(), Gen.Enum<RedispatchBy>().Nullable(0.5), List(Connection), (a, m, d, i, c) => new AgrPortfolioCongestionPoint(a, m, d, i, c))), (d, cps) => new DsoPortfolio(d, cps))),
                List(Connection, 0, 3), (ps, cs) => new DsoView(ps, cs)))
            select (PayloadMessage)new AgrPortfolioQueryResponse { Version = h.V, SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Result = r.Result, RejectionReason = r.Reason, TimeZone = z, AgrPortfolioQueryMessageId = id, Period = p, DsoViews = views },
        [UftpMessageType.DSOPortfolioUpdate] =
            from h in Header from z in Tz
            from cps in List(
                from a in Address from s in Date from e in Date.Nullable(0.5) from m in Gen.Bool from d in Gen.Enum<RedispatchBy>() from i in Gen.Enum<RedispatchBy>().Nullable(0.5)
                from cs in List(Gen.Select(Address, Date, Date.Nullable(0.5), (ad, st, en) => new DsoPortfolioUpdateConnection(ad, st, en)))
                select new DsoPortfolioUpdateCongestionPoint { EntityAddress = a, StartPeriod = s, EndPeriod = e, MutexOffersSupported = m, DayAheadRedispatchBy = d, IntradayRedispatchBy = i, Connections = cs })
            select (PayloadMessage)new DsoPortfolioUpdate { Version = h.V, SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, TimeZone = z, CongestionPoints = cps },
        [UftpMessageType.DSOPortfolioUpdateResponse] =
            from h in Header from r in Result from id in Gen.Guid
            select (PayloadMessage)new DsoPortfolioUpdateResponse { Version = h.V, SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Result = r.Result, RejectionReason = r.Reason, DsoPortfolioUpdateMessageId = id },
        [UftpMessageType.DSOPortfolioQuery] =
            from h in Header from z in Tz from p in Date from a in Address
            select (PayloadMessage)new DsoPortfolioQuery { Version = h.V, SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, TimeZone = z, Period = p, EntityAddress = a },
        [UftpMessageType.DSOPortfolioQueryResponse] =
            from h in Header from r in Result from id in Gen.Guid from z in Tz from p in Date
            from cp in Gen.Select(Address, List(Gen.Select(Address, Domain.Null(0.5), (a, d) => new DsoPortfolioQueryConnection(a, d))), (a, c) => new DsoPortfolioQueryCongestionPoint(a, c)).Null(0.3)
            select (PayloadMessage)new DsoPortfolioQueryResponse { Version = h.V, SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Result = r.Result, RejectionReason = r.Reason, DsoPortfolioQueryMessageId = id, TimeZone = z, Period = p, CongestionPoint = cp },
    };
}
