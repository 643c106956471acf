using FlexCoop.Usef.Internal;

namespace FlexCoop.Usef.Xml;

public static partial class UftpXml
{
    private static SignedMessage ReadSignedMessage(XmlInput x)
    {
        const string path = "/SignedMessage";
        x.ReadAttributes(path);
        var domain = x.Domain(x.Required("SenderDomain", path), path, "SenderDomain");
        var role = x.Enum<UftpRole>(x.Required("SenderRole", path), path, "SenderRole");
        var bodyText = x.Required("Body", path);
        x.EndAttributes(path);
        byte[] body;
        try
        {
            body = Convert.FromBase64String(bodyText);
        }
        catch (FormatException)
        {
            throw x.AttributeError("xsd", path, "Body", "Body is not base64");
        }
        x.Leaf(path);
        return new SignedMessage(domain, role, body);
    }

    private static PayloadMessage ReadPayload(XmlInput x, string root)
    {
        var info = UftpMessageTypes.FindByElement(root);
        if (info is null || info.Type == UftpMessageType.SignedMessage)
        {
            throw x.Error("xsd", "/" + root, $"'{root}' is not a UFTP 3.1 message");
        }
        var path = "/" + root;
        x.ReadAttributes(path);
        var h = ReadHeader(x, path);
        PayloadMessage message = info.Type switch
        {
            UftpMessageType.TestMessage => Attrs(x, path, new TestMessage { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V }),
            UftpMessageType.TestMessageResponse => Attrs(x, path, new TestMessageResponse { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V }),
            UftpMessageType.DPrognosis => ReadDPrognosis(x, path, h),
            UftpMessageType.DPrognosisResponse => ReadDPrognosisResponse(x, path, h),
            UftpMessageType.FlexReservationUpdate => ReadFlexReservationUpdate(x, path, h),
            UftpMessageType.FlexReservationUpdateResponse => Attrs(x, path, new FlexReservationUpdateResponse { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Result = Result(x, path), RejectionReason = x.Optional("RejectionReason"), FlexReservationUpdateMessageId = Ref(x, path, "FlexReservationUpdateMessageID") }),
            UftpMessageType.FlexRequest => ReadFlexRequest(x, path, h),
            UftpMessageType.FlexRequestResponse => Attrs(x, path, new FlexRequestResponse { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Result = Result(x, path), RejectionReason = x.Optional("RejectionReason"), FlexRequestMessageId = Ref(x, path, "FlexRequestMessageID") }),
            UftpMessageType.FlexOffer => ReadFlexOffer(x, path, h),
            UftpMessageType.FlexOfferResponse => Attrs(x, path, new FlexOfferResponse { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Result = Result(x, path), RejectionReason = x.Optional("RejectionReason"), FlexOfferMessageId = Ref(x, path, "FlexOfferMessageID") }),
            UftpMessageType.FlexOfferRevocation => Attrs(x, path, new FlexOfferRevocation { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, FlexOfferMessageId = Ref(x, path, "FlexOfferMessageID") }),
            UftpMessageType.FlexOfferRevocationResponse => Attrs(x, path, new FlexOfferRevocationResponse { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Result = Result(x, path), RejectionReason = x.Optional("RejectionReason"), FlexOfferRevocationMessageId = Ref(x, path, "FlexOfferRevocationMessageID") }),
            UftpMessageType.FlexOrder => ReadFlexOrder(x, path, h),
            UftpMessageType.FlexOrderResponse => Attrs(x, path, new FlexOrderResponse { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Result = Result(x, path), RejectionReason = x.Optional("RejectionReason"), FlexOrderMessageId = Ref(x, path, "FlexOrderMessageID") }),
            UftpMessageType.FlexSettlement => ReadFlexSettlement(x, path, h),
            UftpMessageType.FlexSettlementResponse => ReadFlexSettlementResponse(x, path, h),
            UftpMessageType.Metering => ReadMetering(x, path, h),
            UftpMessageType.MeteringResponse => Attrs(x, path, new MeteringResponse { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Result = Result(x, path), RejectionReason = x.Optional("RejectionReason"), MeteringMessageId = Ref(x, path, "MeteringMessageID") }),
            UftpMessageType.AGRPortfolioUpdate => ReadAgrPortfolioUpdate(x, path, h),
            UftpMessageType.AGRPortfolioUpdateResponse => Attrs(x, path, new AgrPortfolioUpdateResponse { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Result = Result(x, path), RejectionReason = x.Optional("RejectionReason"), AgrPortfolioUpdateMessageId = Ref(x, path, "AGRPortfolioUpdateMessageID") }),
            UftpMessageType.AGRPortfolioQuery => Attrs(x, path, new AgrPortfolioQuery { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, TimeZone = Tz(x, path), Period = x.Date(x.Required("Period", path), path, "Period") }),
            UftpMessageType.AGRPortfolioQueryResponse => ReadAgrPortfolioQueryResponse(x, path, h),
            UftpMessageType.DSOPortfolioUpdate => ReadDsoPortfolioUpdate(x, path, h),
            UftpMessageType.DSOPortfolioUpdateResponse => Attrs(x, path, new DsoPortfolioUpdateResponse { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Result = Result(x, path), RejectionReason = x.Optional("RejectionReason"), DsoPortfolioUpdateMessageId = Ref(x, path, "DSOPortfolioUpdateResponseMessageID") }),
            UftpMessageType.DSOPortfolioQuery => Attrs(x, path, new DsoPortfolioQuery { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, TimeZone = Tz(x, path), Period = x.Date(x.Required("Period", path), path, "Period"), EntityAddress = x.Address(x.Required("EntityAddress", path), path, "EntityAddress") }),
            UftpMessageType.DSOPortfolioQueryResponse => ReadDsoPortfolioQueryResponse(x, path, h),
            _ => throw x.Error("xsd", path, $"'{root}' is not a UFTP 3.1 message"),
        };
        return message;
    }

    /// <summary>Header attribute values, read first so every message type shares the checks.</summary>
    private readonly record struct Header(string V, string S, string R, DateTimeOffset T, Guid M, Guid C);

    private static Header ReadHeader(XmlInput x, string path) => new(
        x.Version(x.Required("Version", path), path, "Version"),
        x.Domain(x.Required("SenderDomain", path), path, "SenderDomain"),
        x.Domain(x.Required("RecipientDomain", path), path, "RecipientDomain"),
        x.DateTime(x.Required("TimeStamp", path), path, "TimeStamp"),
        x.Uuid(x.Required("MessageID", path), path, "MessageID"),
        x.Uuid(x.Required("ConversationID", path), path, "ConversationID"));

    /// <summary>For messages without children: closes the attribute bag and the element.</summary>
    private static T Attrs<T>(XmlInput x, string path, T message)
    {
        x.EndAttributes(path);
        x.Leaf(path);
        return message;
    }

    private static AcceptedRejected Result(XmlInput x, string path) => x.Enum<AcceptedRejected>(x.Required("Result", path), path, "Result");

    private static Guid Ref(XmlInput x, string path, string name) => x.Uuid(x.Required(name, path), path, name);

    private static Guid? OptRef(XmlInput x, string path, string name) => x.Optional(name) is { } v ? x.Uuid(v, path, name) : null;

    private static string Tz(XmlInput x, string path) => x.TimeZoneName(x.Required("TimeZone", path), path, "TimeZone");

    private static DateOnly? OptDate(XmlInput x, string path, string name) => x.Optional(name) is { } v ? x.Date(v, path, name) : null;

    private static (TimeSpan Isp, string Tz, DateOnly Period, EntityAddress Cp) FlexHeader(XmlInput x, string path) => (
        x.Duration(x.Required("ISP-Duration", path), path, "ISP-Duration"),
        Tz(x, path),
        x.Date(x.Required("Period", path), path, "Period"),
        x.Address(x.Required("CongestionPoint", path), path, "CongestionPoint"));

    /// <summary>Reads the children of the current element, all named <paramref name="name"/>, at least one.</summary>
    private static ValueList<T> ReadList<T>(XmlInput x, string path, string name, Func<XmlInput, string, T> read, int min = 1)
    {
        var items = new List<T>();
        if (x.Enter())
        {
            while (x.NextChild(path))
            {
                if (!string.Equals(x.Reader.LocalName, name, StringComparison.Ordinal)) throw x.UnknownElement(path);
                items.Add(read(x, $"{path}/{name}[{items.Count + 1}]"));
            }
        }
        if (items.Count < min) throw XmlInput.MissingElement(x, path, name);
        return new ValueList<T>(items);
    }

    private static PowerIsp ReadPowerIsp(XmlInput x, string path, bool positiveStart)
    {
        x.ReadAttributes(path);
        var isp = new PowerIsp(
            x.Integer(x.Required("Power", path), path, "Power"),
            x.Int32(x.Required("Start", path), path, "Start", positiveStart),
            x.Optional("Duration") is { } d ? x.Int32(d, path, "Duration", positiveStart) : 1);
        x.EndAttributes(path);
        x.Leaf(path);
        return isp;
    }

    private static DPrognosis ReadDPrognosis(XmlInput x, string path, Header h)
    {
        var f = FlexHeader(x, path);
        var revision = x.Integer(x.Required("Revision", path), path, "Revision");
        x.EndAttributes(path);
        // D-PrognosisISPType uses xs:integer for Start and Duration.
        var isps = ReadList(x, path, "ISP", (i, p) => ReadPowerIsp(i, p, positiveStart: false));
        return new DPrognosis { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, IspDuration = f.Isp, TimeZone = f.Tz, Period = f.Period, CongestionPoint = f.Cp, Revision = revision, Isps = isps };
    }

    private static DPrognosisResponse ReadDPrognosisResponse(XmlInput x, string path, Header h)
    {
        var result = Result(x, path);
        var reason = x.Optional("RejectionReason");
        var reference = Ref(x, path, "D-PrognosisMessageID");
        x.EndAttributes(path);
        var statuses = ReadList(x, path, "FlexOrderStatus", (i, p) =>
        {
            i.ReadAttributes(p);
            var s = new FlexOrderStatus(Ref(i, p, "FlexOrderMessageID"), i.Boolean(i.Required("IsValidated", p), p, "IsValidated"));
            i.EndAttributes(p);
            i.Leaf(p);
            return s;
        }, min: 0);
        return new DPrognosisResponse { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Result = result, RejectionReason = reason, DPrognosisMessageId = reference, FlexOrderStatuses = statuses };
    }

    private static FlexReservationUpdate ReadFlexReservationUpdate(XmlInput x, string path, Header h)
    {
        var f = FlexHeader(x, path);
        var contract = x.Required("ContractID", path);
        var reference = x.Required("Reference", path);
        x.EndAttributes(path);
        var isps = ReadList(x, path, "ISP", (i, p) => ReadPowerIsp(i, p, positiveStart: true));
        return new FlexReservationUpdate { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, IspDuration = f.Isp, TimeZone = f.Tz, Period = f.Period, CongestionPoint = f.Cp, ContractId = contract, Reference = reference, Isps = isps };
    }

    private static FlexRequest ReadFlexRequest(XmlInput x, string path, Header h)
    {
        var f = FlexHeader(x, path);
        var revision = x.Integer(x.Required("Revision", path), path, "Revision");
        var expiration = x.DateTime(x.Required("ExpirationDateTime", path), path, "ExpirationDateTime");
        var contract = x.Optional("ContractID");
        var service = x.Optional("ServiceType");
        x.EndAttributes(path);
        var isps = ReadList(x, path, "ISP", (i, p) =>
        {
            i.ReadAttributes(p);
            var isp = new FlexRequestIsp(
                i.Optional("Disposition") is { } d ? i.Enum<AvailableRequested>(d, p, "Disposition") : null,
                i.Integer(i.Required("MinPower", p), p, "MinPower"),
                i.Integer(i.Required("MaxPower", p), p, "MaxPower"),
                i.Int32(i.Required("Start", p), p, "Start", true),
                i.Optional("Duration") is { } du ? i.Int32(du, p, "Duration", true) : 1);
            i.EndAttributes(p);
            i.Leaf(p);
            return isp;
        });
        return new FlexRequest { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, IspDuration = f.Isp, TimeZone = f.Tz, Period = f.Period, CongestionPoint = f.Cp, Revision = revision, ExpirationDateTime = expiration, ContractId = contract, ServiceType = service, Isps = isps };
    }

    private static FlexOffer ReadFlexOffer(XmlInput x, string path, Header h)
    {
        var f = FlexHeader(x, path);
        var expiration = x.DateTime(x.Required("ExpirationDateTime", path), path, "ExpirationDateTime");
        bool? unsolicited = x.Optional("Unsolicited") is { } u ? x.Boolean(u, path, "Unsolicited") : null;
        var request = OptRef(x, path, "FlexRequestMessageID");
        var contract = x.Optional("ContractID");
        var prognosis = OptRef(x, path, "D-PrognosisMessageID");
        var baseline = x.Optional("BaselineReference");
        var currency = x.Currency(x.Required("Currency", path), path, "Currency");
        x.EndAttributes(path);
        var options = ReadList(x, path, "OfferOption", (i, p) =>
        {
            i.ReadAttributes(p);
            var reference = i.Required("OptionReference", p);
            var price = i.Decimal(i.Required("Price", p), p, "Price", 4);
            var factor = i.Optional("MinActivationFactor") is { } m ? i.ActivationFactor(m, p, "MinActivationFactor") : 1.00m;
            i.EndAttributes(p);
            var isps = ReadList(i, p, "ISP", (j, q) => ReadPowerIsp(j, q, positiveStart: true));
            return new FlexOfferOption(reference, price, isps, factor);
        });
        return new FlexOffer { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, IspDuration = f.Isp, TimeZone = f.Tz, Period = f.Period, CongestionPoint = f.Cp, ExpirationDateTime = expiration, Unsolicited = unsolicited, FlexRequestMessageId = request, ContractId = contract, DPrognosisMessageId = prognosis, BaselineReference = baseline, Currency = currency, OfferOptions = options };
    }

    private static FlexOrder ReadFlexOrder(XmlInput x, string path, Header h)
    {
        var f = FlexHeader(x, path);
        bool? unsolicited = x.Optional("Unsolicited") is { } u ? x.Boolean(u, path, "Unsolicited") : null;
        var offer = OptRef(x, path, "FlexOfferMessageID");
        var service = x.Optional("ServiceType");
        var contract = x.Optional("ContractID");
        var prognosis = OptRef(x, path, "D-PrognosisMessageID");
        var baseline = x.Optional("BaselineReference");
        var price = x.Decimal(x.Required("Price", path), path, "Price", 4);
        var currency = x.Currency(x.Required("Currency", path), path, "Currency");
        var order = x.Required("OrderReference", path);
        var option = x.Optional("OptionReference");
        var factor = x.Optional("ActivationFactor") is { } a ? x.ActivationFactor(a, path, "ActivationFactor") : 1.00m;
        x.EndAttributes(path);
        var isps = ReadList(x, path, "ISP", (i, p) => ReadPowerIsp(i, p, positiveStart: true));
        return new FlexOrder { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, IspDuration = f.Isp, TimeZone = f.Tz, Period = f.Period, CongestionPoint = f.Cp, Unsolicited = unsolicited, FlexOfferMessageId = offer, ServiceType = service, ContractId = contract, DPrognosisMessageId = prognosis, BaselineReference = baseline, Price = price, Currency = currency, OrderReference = order, OptionReference = option, ActivationFactor = factor, Isps = isps };
    }

    private static FlexSettlement ReadFlexSettlement(XmlInput x, string path, Header h)
    {
        var result = Result(x, path);
        var reason = x.Optional("RejectionReason");
        var start = x.Date(x.Required("PeriodStart", path), path, "PeriodStart");
        var end = x.Date(x.Required("PeriodEnd", path), path, "PeriodEnd");
        var currency = x.Currency(x.Required("Currency", path), path, "Currency");
        x.EndAttributes(path);
        var orders = new List<FlexOrderSettlement>();
        var contracts = new List<ContractSettlement>();
        if (x.Enter())
        {
            while (x.NextChild(path))
            {
                switch (x.Reader.LocalName)
                {
                    case "FlexOrderSettlement" when contracts.Count == 0:
                        orders.Add(ReadFlexOrderSettlement(x, $"{path}/FlexOrderSettlement[{orders.Count + 1}]"));
                        break;
                    case "ContractSettlement" when orders.Count > 0:
                        contracts.Add(ReadContractSettlement(x, $"{path}/ContractSettlement[{contracts.Count + 1}]"));
                        break;
                    default:
                        throw x.UnknownElement(path);
                }
            }
        }
        if (orders.Count == 0) throw XmlInput.MissingElement(x, path, "FlexOrderSettlement");
        if (contracts.Count == 0) throw XmlInput.MissingElement(x, path, "ContractSettlement");
        return new FlexSettlement { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Result = result, RejectionReason = reason, PeriodStart = start, PeriodEnd = end, Currency = currency, FlexOrderSettlements = orders, ContractSettlements = contracts };
    }

    private static FlexOrderSettlement ReadFlexOrderSettlement(XmlInput x, string path)
    {
        x.ReadAttributes(path);
        var s = new FlexOrderSettlement
        {
            OrderReference = x.Optional("OrderReference"),
            Period = x.Date(x.Required("Period", path), path, "Period"),
            ContractId = x.Optional("ContractID"),
            DPrognosisMessageId = OptRef(x, path, "D-PrognosisMessageID"),
            BaselineReference = x.Optional("BaselineReference"),
            CongestionPoint = x.Address(x.Required("CongestionPoint", path), path, "CongestionPoint"),
            Price = x.Decimal(x.Required("Price", path), path, "Price", 4),
            Penalty = x.Optional("Penalty") is { } pen ? x.Decimal(pen, path, "Penalty", 4) : 0m,
            NetSettlement = x.Decimal(x.Required("NetSettlement", path), path, "NetSettlement", 4),
            Isps = ValueList<FlexOrderSettlementIsp>.Empty,
        };
        x.EndAttributes(path);
        var isps = ReadList(x, path, "ISP", (i, p) =>
        {
            i.ReadAttributes(p);
            var isp = new FlexOrderSettlementIsp(
                i.Int32(i.Required("Start", p), p, "Start", true),
                i.Optional("Duration") is { } d ? i.Int32(d, p, "Duration", true) : 1,
                i.Integer(i.Required("BaselinePower", p), p, "BaselinePower"),
                i.Integer(i.Required("OrderedFlexPower", p), p, "OrderedFlexPower"),
                i.Integer(i.Required("ActualPower", p), p, "ActualPower"),
                i.Integer(i.Required("DeliveredFlexPower", p), p, "DeliveredFlexPower"),
                i.Optional("PowerDeficiency") is { } pd ? i.Integer(pd, p, "PowerDeficiency") : 0);
            i.EndAttributes(p);
            i.Leaf(p);
            return isp;
        });
        return s with { Isps = isps };
    }

    private static ContractSettlement ReadContractSettlement(XmlInput x, string path)
    {
        x.ReadAttributes(path);
        var contract = x.Optional("ContractID");
        x.EndAttributes(path);
        var periods = ReadList(x, path, "Period", (i, p) =>
        {
            i.ReadAttributes(p);
            var period = i.Date(i.Required("Period", p), p, "Period");
            i.EndAttributes(p);
            var isps = ReadList(i, p, "ISP", (j, q) =>
            {
                j.ReadAttributes(q);
                long? Opt(string n) => j.Optional(n) is { } v ? j.Integer(v, q, n) : null;
                var isp = new ContractSettlementIsp(
                    j.Int32(j.Required("Start", q), q, "Start", true),
                    j.Optional("Duration") is { } d ? j.Int32(d, q, "Duration", true) : 1,
                    j.Integer(j.Required("ReservedPower", q), q, "ReservedPower"),
                    Opt("RequestedPower"),
                    Opt("AvailablePower"),
                    Opt("OfferedPower"),
                    Opt("OrderedPower"));
                j.EndAttributes(q);
                j.Leaf(q);
                return isp;
            });
            return new ContractSettlementPeriod(period, isps);
        });
        return new ContractSettlement(contract, periods);
    }

    private static FlexSettlementResponse ReadFlexSettlementResponse(XmlInput x, string path, Header h)
    {
        var result = Result(x, path);
        var reason = x.Optional("RejectionReason");
        var reference = Ref(x, path, "FlexSettlementMessageID");
        x.EndAttributes(path);
        var statuses = ReadList(x, path, "FlexOrderSettlementStatus", (i, p) =>
        {
            i.ReadAttributes(p);
            var s = new FlexOrderSettlementStatus(i.Optional("OrderReference"), i.Enum<AcceptedDisputed>(i.Required("Disposition", p), p, "Disposition"), i.Optional("DisputeReason"));
            i.EndAttributes(p);
            i.Leaf(p);
            return s;
        });
        return new FlexSettlementResponse { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Result = result, RejectionReason = reason, FlexSettlementMessageId = reference, FlexOrderSettlementStatuses = statuses };
    }

    private static Metering ReadMetering(XmlInput x, string path, Header h)
    {
        var revision = x.Integer(x.Required("Revision", path), path, "Revision");
        var isp = x.Duration(x.Required("ISP-Duration", path), path, "ISP-Duration");
        var tz = Tz(x, path);
        var currency = x.Optional("Currency") is { } c ? x.Currency(c, path, "Currency") : null;
        var period = x.Date(x.Required("Period", path), path, "Period");
        var ean = x.Required("EAN", path);
        if (!UftpSimpleTypes.IsMeteringEan(ean)) throw x.AttributeError("xsd", path, "EAN", $"'{XmlInput.Shorten(ean)}' is not an EAN (E followed by 16 or 18 digits)");
        x.EndAttributes(path);
        var profiles = ReadList(x, path, "Profile", (i, p) =>
        {
            i.ReadAttributes(p);
            var type = i.Enum<MeteringProfileType>(i.Required("ProfileType", p), p, "ProfileType");
            var unit = i.Enum<MeteringUnit>(i.Required("Unit", p), p, "Unit");
            i.EndAttributes(p);
            var isps = ReadList(i, p, "ISP", (j, q) =>
            {
                j.ReadAttributes(q);
                var m = new MeteringIsp(j.Int32(j.Required("Start", q), q, "Start", false), j.Decimal(j.Required("Value", q), q, "Value"));
                j.EndAttributes(q);
                j.Leaf(q);
                return m;
            });
            return new MeteringProfile(type, unit, isps);
        });
        return new Metering { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Revision = revision, IspDuration = isp, TimeZone = tz, Currency = currency, Period = period, Ean = ean, Profiles = profiles };
    }

    private static AgrPortfolioUpdate ReadAgrPortfolioUpdate(XmlInput x, string path, Header h)
    {
        var tz = Tz(x, path);
        x.EndAttributes(path);
        var connections = ReadList(x, path, "Connection", (i, p) =>
        {
            i.ReadAttributes(p);
            var c = new AgrPortfolioUpdateConnection(i.Address(i.Required("EntityAddress", p), p, "EntityAddress"), i.Date(i.Required("StartPeriod", p), p, "StartPeriod"), OptDate(i, p, "EndPeriod"));
            i.EndAttributes(p);
            i.Leaf(p);
            return c;
        });
        return new AgrPortfolioUpdate { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, TimeZone = tz, Connections = connections };
    }

    private static PortfolioConnection ReadPortfolioConnection(XmlInput x, string path)
    {
        x.ReadAttributes(path);
        var c = new PortfolioConnection(x.Address(x.Required("EntityAddress", path), path, "EntityAddress"));
        x.EndAttributes(path);
        x.Leaf(path);
        return c;
    }

    private static AgrPortfolioQueryResponse ReadAgrPortfolioQueryResponse(XmlInput x, string path, Header h)
    {
        var result = Result(x, path);
        var reason = x.Optional("RejectionReason");
        var tz = Tz(x, path);
        var reference = Ref(x, path, "AGRPortfolioQueryMessageID");
        var period = x.Date(x.Required("Period", path), path, "Period");
        x.EndAttributes(path);
        var views = ReadList(x, path, "DSO-View", (i, p) =>
        {
            i.ReadAttributes(p);
            i.EndAttributes(p);
            var portfolios = new List<DsoPortfolio>();
            var connections = new List<PortfolioConnection>();
            if (i.Enter())
            {
                while (i.NextChild(p))
                {
                    switch (i.Reader.LocalName)
                    {
                        case "DSO-Portfolio" when connections.Count == 0:
                            portfolios.Add(ReadDsoPortfolio(i, $"{p}/DSO-Portfolio[{portfolios.Count + 1}]"));
                            break;
                        case "Connection" when portfolios.Count > 0:
                            connections.Add(ReadPortfolioConnection(i, $"{p}/Connection[{connections.Count + 1}]"));
                            break;
                        default:
                            throw i.UnknownElement(p);
                    }
                }
            }
            if (portfolios.Count == 0) throw XmlInput.MissingElement(i, p, "DSO-Portfolio");
            return new DsoView(portfolios, connections);
        }, min: result == AcceptedRejected.Rejected ? 0 : 1); // a rejection has no view to give (the 3.1.0 XSD still asks for one)
        return new AgrPortfolioQueryResponse { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Result = result, RejectionReason = reason, TimeZone = tz, AgrPortfolioQueryMessageId = reference, Period = period, DsoViews = views };
    }

    private static DsoPortfolio ReadDsoPortfolio(XmlInput x, string path)
    {
        x.ReadAttributes(path);
        var domain = x.Domain(x.Required("DSO-Domain", path), path, "DSO-Domain");
        x.EndAttributes(path);
        var points = ReadList(x, path, "CongestionPoint", (i, p) =>
        {
            i.ReadAttributes(p);
            var address = i.Address(i.Required("EntityAddress", p), p, "EntityAddress");
            var mutex = i.Boolean(i.Required("MutexOffersSupported", p), p, "MutexOffersSupported");
            var dayAhead = i.Enum<RedispatchBy>(i.Required("DayAheadRedispatchBy", p), p, "DayAheadRedispatchBy");
            RedispatchBy? intraday = i.Optional("IntradayRedispatchBy") is { } v ? i.Enum<RedispatchBy>(v, p, "IntradayRedispatchBy") : null;
            i.EndAttributes(p);
            var connections = ReadList(i, p, "Connection", ReadPortfolioConnection);
            return new AgrPortfolioCongestionPoint(address, mutex, dayAhead, intraday, connections);
        });
        return new DsoPortfolio(domain, points);
    }

    private static DsoPortfolioUpdate ReadDsoPortfolioUpdate(XmlInput x, string path, Header h)
    {
        var tz = Tz(x, path);
        x.EndAttributes(path);
        var points = ReadList(x, path, "CongestionPoint", (i, p) =>
        {
            i.ReadAttributes(p);
            var address = i.Address(i.Required("EntityAddress", p), p, "EntityAddress");
            var start = i.Date(i.Required("StartPeriod", p), p, "StartPeriod");
            var end = OptDate(i, p, "EndPeriod");
            var mutex = i.Boolean(i.Required("MutexOffersSupported", p), p, "MutexOffersSupported");
            var dayAhead = i.Enum<RedispatchBy>(i.Required("DayAheadRedispatchBy", p), p, "DayAheadRedispatchBy");
            RedispatchBy? intraday = i.Optional("IntradayRedispatchBy") is { } v ? i.Enum<RedispatchBy>(v, p, "IntradayRedispatchBy") : null;
            i.EndAttributes(p);
            var connections = ReadList(i, p, "Connection", (j, q) =>
            {
                j.ReadAttributes(q);
                var c = new DsoPortfolioUpdateConnection(j.Address(j.Required("EntityAddress", q), q, "EntityAddress"), j.Date(j.Required("StartPeriod", q), q, "StartPeriod"), OptDate(j, q, "EndPeriod"));
                j.EndAttributes(q);
                j.Leaf(q);
                return c;
            });
            return new DsoPortfolioUpdateCongestionPoint { EntityAddress = address, StartPeriod = start, EndPeriod = end, MutexOffersSupported = mutex, DayAheadRedispatchBy = dayAhead, IntradayRedispatchBy = intraday, Connections = connections };
        });
        return new DsoPortfolioUpdate { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, TimeZone = tz, CongestionPoints = points };
    }

    private static DsoPortfolioQueryResponse ReadDsoPortfolioQueryResponse(XmlInput x, string path, Header h)
    {
        var result = Result(x, path);
        var reason = x.Optional("RejectionReason");
        var reference = Ref(x, path, "DSOPortfolioQueryMessageID");
        var tz = Tz(x, path);
        var period = x.Date(x.Required("Period", path), path, "Period");
        x.EndAttributes(path);
        var points = ReadList(x, path, "CongestionPoint", (i, p) =>
        {
            i.ReadAttributes(p);
            var address = i.Address(i.Required("EntityAddress", p), p, "EntityAddress");
            i.EndAttributes(p);
            var connections = ReadList(i, p, "Connection", (j, q) =>
            {
                j.ReadAttributes(q);
                var c = new DsoPortfolioQueryConnection(j.Address(j.Required("EntityAddress", q), q, "EntityAddress"), j.Optional("AGR-Domain") is { } d ? j.Domain(d, q, "AGR-Domain") : null);
                j.EndAttributes(q);
                j.Leaf(q);
                return c;
            });
            return new DsoPortfolioQueryCongestionPoint(address, connections);
        }, min: 0);
        if (points.Count > 1) throw x.Error("xsd", path + "/CongestionPoint[2]", "at most one CongestionPoint is allowed");
        return new DsoPortfolioQueryResponse { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Result = result, RejectionReason = reason, DsoPortfolioQueryMessageId = reference, TimeZone = tz, Period = period, CongestionPoint = points.Count == 1 ? points[0] : null };
    }
}
