using System.Buffers;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using FlexCoop.Usef.Internal;

namespace FlexCoop.Usef.Xml;

public static partial class UftpXml
{
    private static SignedMessage ReadSignedMessage(ref XmlInput x)
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

    private static PayloadMessage ReadPayload(ref XmlInput x, string root)
    {
        var info = UftpMessageTypes.FindByElement(root);
        if (info is null || info.Type == UftpMessageType.SignedMessage)
        {
            throw x.Error("xsd", "/" + root, $"'{root}' is not a UFTP 3.1 message");
        }
        var path = "/" + root;
        x.ReadAttributes(path);
        var h = ReadHeader(ref x, path);
        PayloadMessage message = info.Type switch
        {
            UftpMessageType.TestMessage => Attrs(ref x, path, new TestMessage { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V }),
            UftpMessageType.TestMessageResponse => Attrs(ref x, path, new TestMessageResponse { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V }),
            UftpMessageType.DPrognosis => ReadDPrognosis(ref x, path, h),
            UftpMessageType.DPrognosisResponse => ReadDPrognosisResponse(ref x, path, h),
            UftpMessageType.FlexReservationUpdate => ReadFlexReservationUpdate(ref x, path, h),
            UftpMessageType.FlexReservationUpdateResponse => Attrs(ref x, path, new FlexReservationUpdateResponse { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Result = Result(ref x, path), RejectionReason = x.Optional("RejectionReason"), FlexReservationUpdateMessageId = Ref(ref x, path, "FlexReservationUpdateMessageID") }),
            UftpMessageType.FlexRequest => ReadFlexRequest(ref x, path, h),
            UftpMessageType.FlexRequestResponse => Attrs(ref x, path, new FlexRequestResponse { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Result = Result(ref x, path), RejectionReason = x.Optional("RejectionReason"), FlexRequestMessageId = Ref(ref x, path, "FlexRequestMessageID") }),
            UftpMessageType.FlexOffer => ReadFlexOffer(ref x, path, h),
            UftpMessageType.FlexOfferResponse => Attrs(ref x, path, new FlexOfferResponse { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Result = Result(ref x, path), RejectionReason = x.Optional("RejectionReason"), FlexOfferMessageId = Ref(ref x, path, "FlexOfferMessageID") }),
            UftpMessageType.FlexOfferRevocation => Attrs(ref x, path, new FlexOfferRevocation { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, FlexOfferMessageId = Ref(ref x, path, "FlexOfferMessageID") }),
            UftpMessageType.FlexOfferRevocationResponse => Attrs(ref x, path, new FlexOfferRevocationResponse { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Result = Result(ref x, path), RejectionReason = x.Optional("RejectionReason"), FlexOfferRevocationMessageId = Ref(ref x, path, "FlexOfferRevocationMessageID") }),
            UftpMessageType.FlexOrder => ReadFlexOrder(ref x, path, h),
            UftpMessageType.FlexOrderResponse => Attrs(ref x, path, new FlexOrderResponse { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Result = Result(ref x, path), RejectionReason = x.Optional("RejectionReason"), FlexOrderMessageId = Ref(ref x, path, "FlexOrderMessageID") }),
            UftpMessageType.FlexSettlement => ReadFlexSettlement(ref x, path, h),
            UftpMessageType.FlexSettlementResponse => ReadFlexSettlementResponse(ref x, path, h),
            UftpMessageType.Metering => ReadMetering(ref x, path, h),
            UftpMessageType.MeteringResponse => Attrs(ref x, path, new MeteringResponse { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Result = Result(ref x, path), RejectionReason = x.Optional("RejectionReason"), MeteringMessageId = Ref(ref x, path, "MeteringMessageID") }),
            UftpMessageType.AGRPortfolioUpdate => ReadAgrPortfolioUpdate(ref x, path, h),
            UftpMessageType.AGRPortfolioUpdateResponse => Attrs(ref x, path, new AgrPortfolioUpdateResponse { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Result = Result(ref x, path), RejectionReason = x.Optional("RejectionReason"), AgrPortfolioUpdateMessageId = Ref(ref x, path, "AGRPortfolioUpdateMessageID") }),
            UftpMessageType.AGRPortfolioQuery => Attrs(ref x, path, new AgrPortfolioQuery { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, TimeZone = Tz(ref x, path), Period = x.Date(x.Required("Period", path), path, "Period") }),
            UftpMessageType.AGRPortfolioQueryResponse => ReadAgrPortfolioQueryResponse(ref x, path, h),
            UftpMessageType.DSOPortfolioUpdate => ReadDsoPortfolioUpdate(ref x, path, h),
            UftpMessageType.DSOPortfolioUpdateResponse => Attrs(ref x, path, new DsoPortfolioUpdateResponse { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Result = Result(ref x, path), RejectionReason = x.Optional("RejectionReason"), DsoPortfolioUpdateMessageId = Ref(ref x, path, "DSOPortfolioUpdateResponseMessageID") }),
            UftpMessageType.DSOPortfolioQuery => Attrs(ref x, path, new DsoPortfolioQuery { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, TimeZone = Tz(ref x, path), Period = x.Date(x.Required("Period", path), path, "Period"), EntityAddress = x.Address(x.Required("EntityAddress", path), path, "EntityAddress") }),
            UftpMessageType.DSOPortfolioQueryResponse => ReadDsoPortfolioQueryResponse(ref x, path, h),
            _ => throw x.Error("xsd", path, $"'{root}' is not a UFTP 3.1 message"),
        };
        return message;
    }

    /// <summary>Header attribute values, read first so every message type shares the checks.</summary>
    private readonly record struct Header(string V, string S, string R, DateTimeOffset T, Guid M, Guid C);

    private static Header ReadHeader(ref XmlInput x, UftpPath path) => new(
        x.Version(x.Required("Version", path), path, "Version"),
        x.Domain(x.Required("SenderDomain", path), path, "SenderDomain"),
        x.Domain(x.Required("RecipientDomain", path), path, "RecipientDomain"),
        x.DateTime(x.Required("TimeStamp", path), path, "TimeStamp"),
        x.Uuid(x.Required("MessageID", path), path, "MessageID"),
        x.Uuid(x.Required("ConversationID", path), path, "ConversationID"));

    /// <summary>For messages without children: closes the attribute bag and the element.</summary>
    private static T Attrs<T>(ref XmlInput x, UftpPath path, T message)
    {
        x.EndAttributes(path);
        x.Leaf(path);
        return message;
    }

    private static AcceptedRejected Result(ref XmlInput x, UftpPath path) => x.Enum<AcceptedRejected>(x.Required("Result", path), path, "Result");

    private static Guid Ref(ref XmlInput x, UftpPath path, string name) => x.Uuid(x.Required(name, path), path, name);

    private static long? OptInteger(ref XmlInput x, UftpPath path, string name) => x.Optional(name) is { } v ? x.Integer(v, path, name) : null;

    private static Guid? OptRef(ref XmlInput x, UftpPath path, string name) => x.Optional(name) is { } v ? x.Uuid(v, path, name) : null;

    private static string Tz(ref XmlInput x, UftpPath path) => x.TimeZoneName(x.Required("TimeZone", path), path, "TimeZone");

    private static DateOnly? OptDate(ref XmlInput x, UftpPath path, string name) => x.Optional(name) is { } v ? x.Date(v, path, name) : null;

    private static (TimeSpan Isp, string Tz, DateOnly Period, EntityAddress Cp) FlexHeader(ref XmlInput x, UftpPath path) => (
        x.Duration(x.Required("ISP-Duration", path), path, "ISP-Duration"),
        Tz(ref x, path),
        x.Date(x.Required("Period", path), path, "Period"),
        x.Address(x.Required("CongestionPoint", path), path, "CongestionPoint"));

    /// <summary>Reads one item of a list; <paramref name="path"/> is the item's own path.</summary>
    private delegate T ItemReader<T>(ref XmlInput x, UftpPath path);

    /// <summary>Reads the children of the current element, all named <paramref name="name"/>, at least <paramref name="min"/>.</summary>
    private static ValueList<T> ReadList<T>(ref XmlInput x, UftpPath path, string name, ItemReader<T> read, int min = 1)
    {
        // Items gather in a pooled buffer and are copied once into an array of the exact size (a builder would copy
        // on every doubling and again to trim). A buffer not returned after an error is left to the GC.
        T[]? buffer = null;
        var count = 0;
        if (x.Enter())
        {
            // The parent's path is made once per list, each item's only if an error names it.
            string? parent = null;
            while (x.NextChild(path))
            {
                if (!x.Is(name)) throw x.UnknownElement(path);
                parent ??= path.ToString();
                var item = read(ref x, new UftpPath(parent, name, count + 1));
                if (buffer is null)
                {
                    buffer = ArrayPool<T>.Shared.Rent(16);
                }
                else if (count == buffer.Length)
                {
                    var bigger = ArrayPool<T>.Shared.Rent(count * 2);
                    buffer.AsSpan(0, count).CopyTo(bigger);
                    ArrayPool<T>.Shared.Return(buffer, RuntimeHelpers.IsReferenceOrContainsReferences<T>());
                    buffer = bigger;
                }
                buffer[count++] = item;
            }
        }
        if (count < min) throw x.MissingElement(path, name);
        if (buffer is null) return new ValueList<T>(ImmutableArray<T>.Empty);
        var items = ImmutableArray.Create<T>(buffer.AsSpan(0, count));
        ArrayPool<T>.Shared.Return(buffer, RuntimeHelpers.IsReferenceOrContainsReferences<T>());
        return new ValueList<T>(items);
    }

    private static PowerIsp ReadPowerIsp(ref XmlInput x, UftpPath path, bool positiveStart)
    {
        x.ReadAttributes(path);
        var isp = new PowerIsp(
            x.RequiredInteger("Power"u8, path),
            x.RequiredInt32("Start"u8, path, positiveStart),
            x.OptionalInt32("Duration"u8, path, positiveStart, 1));
        x.EndAttributes(path);
        x.Leaf(path);
        return isp;
    }

    private static DPrognosis ReadDPrognosis(ref XmlInput x, UftpPath path, Header h)
    {
        var f = FlexHeader(ref x, path);
        var revision = x.RequiredInteger("Revision"u8, path);
        x.EndAttributes(path);
        // D-PrognosisISPType uses xs:integer for Start and Duration.
        var isps = ReadList(ref x, path, "ISP", (ref XmlInput i, UftpPath p) => ReadPowerIsp(ref i, p, positiveStart: false));
        return new DPrognosis { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, IspDuration = f.Isp, TimeZone = f.Tz, Period = f.Period, CongestionPoint = f.Cp, Revision = revision, Isps = isps };
    }

    private static DPrognosisResponse ReadDPrognosisResponse(ref XmlInput x, UftpPath path, Header h)
    {
        var result = Result(ref x, path);
        var reason = x.Optional("RejectionReason");
        var reference = Ref(ref x, path, "D-PrognosisMessageID");
        x.EndAttributes(path);
        var statuses = ReadList(ref x, path, "FlexOrderStatus", (ref XmlInput i, UftpPath p) =>
        {
            i.ReadAttributes(p);
            var s = new FlexOrderStatus(Ref(ref i, p, "FlexOrderMessageID"), i.Boolean(i.Required("IsValidated", p), p, "IsValidated"));
            i.EndAttributes(p);
            i.Leaf(p);
            return s;
        }, min: 0);
        return new DPrognosisResponse { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Result = result, RejectionReason = reason, DPrognosisMessageId = reference, FlexOrderStatuses = statuses };
    }

    private static FlexReservationUpdate ReadFlexReservationUpdate(ref XmlInput x, UftpPath path, Header h)
    {
        var f = FlexHeader(ref x, path);
        var contract = x.Required("ContractID", path);
        var reference = x.Required("Reference", path);
        x.EndAttributes(path);
        var isps = ReadList(ref x, path, "ISP", (ref XmlInput i, UftpPath p) => ReadPowerIsp(ref i, p, positiveStart: true));
        return new FlexReservationUpdate { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, IspDuration = f.Isp, TimeZone = f.Tz, Period = f.Period, CongestionPoint = f.Cp, ContractId = contract, Reference = reference, Isps = isps };
    }

    private static FlexRequest ReadFlexRequest(ref XmlInput x, UftpPath path, Header h)
    {
        var f = FlexHeader(ref x, path);
        var revision = x.RequiredInteger("Revision"u8, path);
        var expiration = x.DateTime(x.Required("ExpirationDateTime", path), path, "ExpirationDateTime");
        var contract = x.Optional("ContractID");
        var service = x.Optional("ServiceType");
        x.EndAttributes(path);
        var isps = ReadList(ref x, path, "ISP", (ref XmlInput i, UftpPath p) =>
        {
            i.ReadAttributes(p);
            var isp = new FlexRequestIsp(
                i.Optional("Disposition") is { } d ? i.Enum<AvailableRequested>(d, p, "Disposition") : null,
                i.RequiredInteger("MinPower"u8, p),
                i.RequiredInteger("MaxPower"u8, p),
                i.RequiredInt32("Start"u8, p, true),
                i.OptionalInt32("Duration"u8, p, true, 1));
            i.EndAttributes(p);
            i.Leaf(p);
            return isp;
        });
        return new FlexRequest { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, IspDuration = f.Isp, TimeZone = f.Tz, Period = f.Period, CongestionPoint = f.Cp, Revision = revision, ExpirationDateTime = expiration, ContractId = contract, ServiceType = service, Isps = isps };
    }

    private static FlexOffer ReadFlexOffer(ref XmlInput x, UftpPath path, Header h)
    {
        var f = FlexHeader(ref x, path);
        var expiration = x.DateTime(x.Required("ExpirationDateTime", path), path, "ExpirationDateTime");
        bool? unsolicited = x.Optional("Unsolicited") is { } u ? x.Boolean(u, path, "Unsolicited") : null;
        var request = OptRef(ref x, path, "FlexRequestMessageID");
        var contract = x.Optional("ContractID");
        var prognosis = OptRef(ref x, path, "D-PrognosisMessageID");
        var baseline = x.Optional("BaselineReference");
        var currency = x.Currency(x.Required("Currency", path), path, "Currency");
        x.EndAttributes(path);
        var options = ReadList(ref x, path, "OfferOption", (ref XmlInput i, UftpPath p) =>
        {
            i.ReadAttributes(p);
            var reference = i.Required("OptionReference", p);
            var price = i.Decimal(i.Required("Price", p), p, "Price", 4);
            var factor = i.Optional("MinActivationFactor") is { } m ? i.ActivationFactor(m, p, "MinActivationFactor") : 1.00m;
            i.EndAttributes(p);
            var isps = ReadList(ref i, p, "ISP", (ref XmlInput j, UftpPath q) => ReadPowerIsp(ref j, q, positiveStart: true));
            return new FlexOfferOption(reference, price, isps, factor);
        });
        return new FlexOffer { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, IspDuration = f.Isp, TimeZone = f.Tz, Period = f.Period, CongestionPoint = f.Cp, ExpirationDateTime = expiration, Unsolicited = unsolicited, FlexRequestMessageId = request, ContractId = contract, DPrognosisMessageId = prognosis, BaselineReference = baseline, Currency = currency, OfferOptions = options };
    }

    private static FlexOrder ReadFlexOrder(ref XmlInput x, UftpPath path, Header h)
    {
        var f = FlexHeader(ref x, path);
        bool? unsolicited = x.Optional("Unsolicited") is { } u ? x.Boolean(u, path, "Unsolicited") : null;
        var offer = OptRef(ref x, path, "FlexOfferMessageID");
        var service = x.Optional("ServiceType");
        var contract = x.Optional("ContractID");
        var prognosis = OptRef(ref x, path, "D-PrognosisMessageID");
        var baseline = x.Optional("BaselineReference");
        var price = x.Decimal(x.Required("Price", path), path, "Price", 4);
        var currency = x.Currency(x.Required("Currency", path), path, "Currency");
        var order = x.Required("OrderReference", path);
        var option = x.Optional("OptionReference");
        var factor = x.Optional("ActivationFactor") is { } a ? x.ActivationFactor(a, path, "ActivationFactor") : 1.00m;
        x.EndAttributes(path);
        var isps = ReadList(ref x, path, "ISP", (ref XmlInput i, UftpPath p) => ReadPowerIsp(ref i, p, positiveStart: true));
        return new FlexOrder { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, IspDuration = f.Isp, TimeZone = f.Tz, Period = f.Period, CongestionPoint = f.Cp, Unsolicited = unsolicited, FlexOfferMessageId = offer, ServiceType = service, ContractId = contract, DPrognosisMessageId = prognosis, BaselineReference = baseline, Price = price, Currency = currency, OrderReference = order, OptionReference = option, ActivationFactor = factor, Isps = isps };
    }

    private static FlexSettlement ReadFlexSettlement(ref XmlInput x, UftpPath path, Header h)
    {
        var result = Result(ref x, path);
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
                switch (x.LocalName)
                {
                    case "FlexOrderSettlement" when contracts.Count == 0:
                        orders.Add(ReadFlexOrderSettlement(ref x, new UftpPath(path.ToString(), "FlexOrderSettlement", orders.Count + 1)));
                        break;
                    case "ContractSettlement" when orders.Count > 0:
                        contracts.Add(ReadContractSettlement(ref x, new UftpPath(path.ToString(), "ContractSettlement", contracts.Count + 1)));
                        break;
                    default:
                        throw x.UnknownElement(path);
                }
            }
        }
        if (orders.Count == 0) throw x.MissingElement(path, "FlexOrderSettlement");
        if (contracts.Count == 0) throw x.MissingElement(path, "ContractSettlement");
        return new FlexSettlement { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Result = result, RejectionReason = reason, PeriodStart = start, PeriodEnd = end, Currency = currency, FlexOrderSettlements = orders, ContractSettlements = contracts };
    }

    private static FlexOrderSettlement ReadFlexOrderSettlement(ref XmlInput x, UftpPath path)
    {
        x.ReadAttributes(path);
        var s = new FlexOrderSettlement
        {
            OrderReference = x.Optional("OrderReference"),
            Period = x.Date(x.Required("Period", path), path, "Period"),
            ContractId = x.Optional("ContractID"),
            DPrognosisMessageId = OptRef(ref x, path, "D-PrognosisMessageID"),
            BaselineReference = x.Optional("BaselineReference"),
            CongestionPoint = x.Address(x.Required("CongestionPoint", path), path, "CongestionPoint"),
            Price = x.Decimal(x.Required("Price", path), path, "Price", 4),
            Penalty = x.Optional("Penalty") is { } pen ? x.Decimal(pen, path, "Penalty", 4) : 0m,
            NetSettlement = x.Decimal(x.Required("NetSettlement", path), path, "NetSettlement", 4),
            Isps = ValueList<FlexOrderSettlementIsp>.Empty,
        };
        x.EndAttributes(path);
        var isps = ReadList(ref x, path, "ISP", (ref XmlInput i, UftpPath p) =>
        {
            i.ReadAttributes(p);
            var isp = new FlexOrderSettlementIsp(
                i.RequiredInt32("Start"u8, p, true),
                i.OptionalInt32("Duration"u8, p, true, 1),
                i.RequiredInteger("BaselinePower"u8, p),
                i.RequiredInteger("OrderedFlexPower"u8, p),
                i.RequiredInteger("ActualPower"u8, p),
                i.RequiredInteger("DeliveredFlexPower"u8, p),
                i.Optional("PowerDeficiency") is { } pd ? i.Integer(pd, p, "PowerDeficiency") : 0);
            i.EndAttributes(p);
            i.Leaf(p);
            return isp;
        });
        return s with { Isps = isps };
    }

    private static ContractSettlement ReadContractSettlement(ref XmlInput x, UftpPath path)
    {
        x.ReadAttributes(path);
        var contract = x.Optional("ContractID");
        x.EndAttributes(path);
        var periods = ReadList(ref x, path, "Period", (ref XmlInput i, UftpPath p) =>
        {
            i.ReadAttributes(p);
            var period = i.Date(i.Required("Period", p), p, "Period");
            i.EndAttributes(p);
            var isps = ReadList(ref i, p, "ISP", (ref XmlInput j, UftpPath q) =>
            {
                j.ReadAttributes(q);
                var isp = new ContractSettlementIsp(
                    j.RequiredInt32("Start"u8, q, true),
                    j.OptionalInt32("Duration"u8, q, true, 1),
                    j.RequiredInteger("ReservedPower"u8, q),
                    OptInteger(ref j, q, "RequestedPower"),
                    OptInteger(ref j, q, "AvailablePower"),
                    OptInteger(ref j, q, "OfferedPower"),
                    OptInteger(ref j, q, "OrderedPower"));
                j.EndAttributes(q);
                j.Leaf(q);
                return isp;
            });
            return new ContractSettlementPeriod(period, isps);
        });
        return new ContractSettlement(contract, periods);
    }

    private static FlexSettlementResponse ReadFlexSettlementResponse(ref XmlInput x, UftpPath path, Header h)
    {
        var result = Result(ref x, path);
        var reason = x.Optional("RejectionReason");
        var reference = Ref(ref x, path, "FlexSettlementMessageID");
        x.EndAttributes(path);
        var statuses = ReadList(ref x, path, "FlexOrderSettlementStatus", (ref XmlInput i, UftpPath p) =>
        {
            i.ReadAttributes(p);
            var s = new FlexOrderSettlementStatus(i.Optional("OrderReference"), i.Enum<AcceptedDisputed>(i.Required("Disposition", p), p, "Disposition"), i.Optional("DisputeReason"));
            i.EndAttributes(p);
            i.Leaf(p);
            return s;
        });
        return new FlexSettlementResponse { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Result = result, RejectionReason = reason, FlexSettlementMessageId = reference, FlexOrderSettlementStatuses = statuses };
    }

    private static Metering ReadMetering(ref XmlInput x, UftpPath path, Header h)
    {
        var revision = x.RequiredInteger("Revision"u8, path);
        var isp = x.Duration(x.Required("ISP-Duration", path), path, "ISP-Duration");
        var tz = Tz(ref x, path);
        var currency = x.Optional("Currency") is { } c ? x.Currency(c, path, "Currency") : null;
        var period = x.Date(x.Required("Period", path), path, "Period");
        var ean = x.Required("EAN", path);
        if (!UftpSimpleTypes.IsMeteringEan(ean)) throw x.AttributeError("xsd", path, "EAN", $"'{XmlInput.Shorten(ean)}' is not an EAN (E followed by 16 or 18 digits)");
        x.EndAttributes(path);
        var profiles = ReadList(ref x, path, "Profile", (ref XmlInput i, UftpPath p) =>
        {
            i.ReadAttributes(p);
            var type = i.Enum<MeteringProfileType>(i.Required("ProfileType", p), p, "ProfileType");
            var unit = i.Enum<MeteringUnit>(i.Required("Unit", p), p, "Unit");
            i.EndAttributes(p);
            var isps = ReadList(ref i, p, "ISP", (ref XmlInput j, UftpPath q) =>
            {
                j.ReadAttributes(q);
                var m = new MeteringIsp(j.RequiredInt32("Start"u8, q, false), j.Decimal(j.Required("Value", q), q, "Value"));
                j.EndAttributes(q);
                j.Leaf(q);
                return m;
            });
            return new MeteringProfile(type, unit, isps);
        });
        return new Metering { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Revision = revision, IspDuration = isp, TimeZone = tz, Currency = currency, Period = period, Ean = ean, Profiles = profiles };
    }

    private static AgrPortfolioUpdate ReadAgrPortfolioUpdate(ref XmlInput x, UftpPath path, Header h)
    {
        var tz = Tz(ref x, path);
        x.EndAttributes(path);
        var connections = ReadList(ref x, path, "Connection", (ref XmlInput i, UftpPath p) =>
        {
            i.ReadAttributes(p);
            var c = new AgrPortfolioUpdateConnection(i.Address(i.Required("EntityAddress", p), p, "EntityAddress"), i.Date(i.Required("StartPeriod", p), p, "StartPeriod"), OptDate(ref i, p, "EndPeriod"));
            i.EndAttributes(p);
            i.Leaf(p);
            return c;
        });
        return new AgrPortfolioUpdate { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, TimeZone = tz, Connections = connections };
    }

    private static PortfolioConnection ReadPortfolioConnection(ref XmlInput x, UftpPath path)
    {
        x.ReadAttributes(path);
        var c = new PortfolioConnection(x.Address(x.Required("EntityAddress", path), path, "EntityAddress"));
        x.EndAttributes(path);
        x.Leaf(path);
        return c;
    }

    private static AgrPortfolioQueryResponse ReadAgrPortfolioQueryResponse(ref XmlInput x, UftpPath path, Header h)
    {
        var result = Result(ref x, path);
        var reason = x.Optional("RejectionReason");
        var tz = Tz(ref x, path);
        var reference = Ref(ref x, path, "AGRPortfolioQueryMessageID");
        var period = x.Date(x.Required("Period", path), path, "Period");
        x.EndAttributes(path);
        var views = ReadList(ref x, path, "DSO-View", (ref XmlInput i, UftpPath p) =>
        {
            i.ReadAttributes(p);
            i.EndAttributes(p);
            var portfolios = new List<DsoPortfolio>();
            var connections = new List<PortfolioConnection>();
            if (i.Enter())
            {
                while (i.NextChild(p))
                {
                    switch (i.LocalName)
                    {
                        case "DSO-Portfolio" when connections.Count == 0:
                            portfolios.Add(ReadDsoPortfolio(ref i, new UftpPath(p.ToString(), "DSO-Portfolio", portfolios.Count + 1)));
                            break;
                        case "Connection" when portfolios.Count > 0:
                            connections.Add(ReadPortfolioConnection(ref i, new UftpPath(p.ToString(), "Connection", connections.Count + 1)));
                            break;
                        default:
                            throw i.UnknownElement(p);
                    }
                }
            }
            if (portfolios.Count == 0) throw i.MissingElement(p, "DSO-Portfolio");
            return new DsoView(portfolios, connections);
        }, min: result == AcceptedRejected.Rejected ? 0 : 1); // a rejection has no view to give (the 3.1.0 XSD still asks for one)
        return new AgrPortfolioQueryResponse { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Result = result, RejectionReason = reason, TimeZone = tz, AgrPortfolioQueryMessageId = reference, Period = period, DsoViews = views };
    }

    private static DsoPortfolio ReadDsoPortfolio(ref XmlInput x, UftpPath path)
    {
        x.ReadAttributes(path);
        var domain = x.Domain(x.Required("DSO-Domain", path), path, "DSO-Domain");
        x.EndAttributes(path);
        var points = ReadList(ref x, path, "CongestionPoint", (ref XmlInput i, UftpPath p) =>
        {
            i.ReadAttributes(p);
            var address = i.Address(i.Required("EntityAddress", p), p, "EntityAddress");
            var mutex = i.Boolean(i.Required("MutexOffersSupported", p), p, "MutexOffersSupported");
            var dayAhead = i.Enum<RedispatchBy>(i.Required("DayAheadRedispatchBy", p), p, "DayAheadRedispatchBy");
            RedispatchBy? intraday = i.Optional("IntradayRedispatchBy") is { } v ? i.Enum<RedispatchBy>(v, p, "IntradayRedispatchBy") : null;
            i.EndAttributes(p);
            var connections = ReadList(ref i, p, "Connection", ReadPortfolioConnection);
            return new AgrPortfolioCongestionPoint(address, mutex, dayAhead, intraday, connections);
        });
        return new DsoPortfolio(domain, points);
    }

    private static DsoPortfolioUpdate ReadDsoPortfolioUpdate(ref XmlInput x, UftpPath path, Header h)
    {
        var tz = Tz(ref x, path);
        x.EndAttributes(path);
        var points = ReadList(ref x, path, "CongestionPoint", (ref XmlInput i, UftpPath p) =>
        {
            i.ReadAttributes(p);
            var address = i.Address(i.Required("EntityAddress", p), p, "EntityAddress");
            var start = i.Date(i.Required("StartPeriod", p), p, "StartPeriod");
            var end = OptDate(ref i, p, "EndPeriod");
            var mutex = i.Boolean(i.Required("MutexOffersSupported", p), p, "MutexOffersSupported");
            var dayAhead = i.Enum<RedispatchBy>(i.Required("DayAheadRedispatchBy", p), p, "DayAheadRedispatchBy");
            RedispatchBy? intraday = i.Optional("IntradayRedispatchBy") is { } v ? i.Enum<RedispatchBy>(v, p, "IntradayRedispatchBy") : null;
            i.EndAttributes(p);
            var connections = ReadList(ref i, p, "Connection", (ref XmlInput j, UftpPath q) =>
            {
                j.ReadAttributes(q);
                var c = new DsoPortfolioUpdateConnection(j.Address(j.Required("EntityAddress", q), q, "EntityAddress"), j.Date(j.Required("StartPeriod", q), q, "StartPeriod"), OptDate(ref j, q, "EndPeriod"));
                j.EndAttributes(q);
                j.Leaf(q);
                return c;
            });
            return new DsoPortfolioUpdateCongestionPoint { EntityAddress = address, StartPeriod = start, EndPeriod = end, MutexOffersSupported = mutex, DayAheadRedispatchBy = dayAhead, IntradayRedispatchBy = intraday, Connections = connections };
        });
        return new DsoPortfolioUpdate { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, TimeZone = tz, CongestionPoints = points };
    }

    private static DsoPortfolioQueryResponse ReadDsoPortfolioQueryResponse(ref XmlInput x, UftpPath path, Header h)
    {
        var result = Result(ref x, path);
        var reason = x.Optional("RejectionReason");
        var reference = Ref(ref x, path, "DSOPortfolioQueryMessageID");
        var tz = Tz(ref x, path);
        var period = x.Date(x.Required("Period", path), path, "Period");
        x.EndAttributes(path);
        var points = ReadList(ref x, path, "CongestionPoint", (ref XmlInput i, UftpPath p) =>
        {
            i.ReadAttributes(p);
            var address = i.Address(i.Required("EntityAddress", p), p, "EntityAddress");
            i.EndAttributes(p);
            var connections = ReadList(ref i, p, "Connection", (ref XmlInput j, UftpPath q) =>
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
