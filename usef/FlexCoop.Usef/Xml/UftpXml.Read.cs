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
        var domain = x.RequiredDomain("SenderDomain"u8, path);
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
            UftpMessageType.FlexReservationUpdateResponse => Attrs(ref x, path, new FlexReservationUpdateResponse { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Result = Result(ref x, path), RejectionReason = x.Optional("RejectionReason"), FlexReservationUpdateMessageId = x.RequiredUuid("FlexReservationUpdateMessageID"u8, path) }),
            UftpMessageType.FlexRequest => ReadFlexRequest(ref x, path, h),
            UftpMessageType.FlexRequestResponse => Attrs(ref x, path, new FlexRequestResponse { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Result = Result(ref x, path), RejectionReason = x.Optional("RejectionReason"), FlexRequestMessageId = x.RequiredUuid("FlexRequestMessageID"u8, path) }),
            UftpMessageType.FlexOffer => ReadFlexOffer(ref x, path, h),
            UftpMessageType.FlexOfferResponse => Attrs(ref x, path, new FlexOfferResponse { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Result = Result(ref x, path), RejectionReason = x.Optional("RejectionReason"), FlexOfferMessageId = x.RequiredUuid("FlexOfferMessageID"u8, path) }),
            UftpMessageType.FlexOfferRevocation => Attrs(ref x, path, new FlexOfferRevocation { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, FlexOfferMessageId = x.RequiredUuid("FlexOfferMessageID"u8, path) }),
            UftpMessageType.FlexOfferRevocationResponse => Attrs(ref x, path, new FlexOfferRevocationResponse { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Result = Result(ref x, path), RejectionReason = x.Optional("RejectionReason"), FlexOfferRevocationMessageId = x.RequiredUuid("FlexOfferRevocationMessageID"u8, path) }),
            UftpMessageType.FlexOrder => ReadFlexOrder(ref x, path, h),
            UftpMessageType.FlexOrderResponse => Attrs(ref x, path, new FlexOrderResponse { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Result = Result(ref x, path), RejectionReason = x.Optional("RejectionReason"), FlexOrderMessageId = x.RequiredUuid("FlexOrderMessageID"u8, path) }),
            UftpMessageType.FlexSettlement => ReadFlexSettlement(ref x, path, h),
            UftpMessageType.FlexSettlementResponse => ReadFlexSettlementResponse(ref x, path, h),
            UftpMessageType.Metering => ReadMetering(ref x, path, h),
            UftpMessageType.MeteringResponse => Attrs(ref x, path, new MeteringResponse { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Result = Result(ref x, path), RejectionReason = x.Optional("RejectionReason"), MeteringMessageId = x.RequiredUuid("MeteringMessageID"u8, path) }),
            UftpMessageType.AGRPortfolioUpdate => ReadAgrPortfolioUpdate(ref x, path, h),
            UftpMessageType.AGRPortfolioUpdateResponse => Attrs(ref x, path, new AgrPortfolioUpdateResponse { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Result = Result(ref x, path), RejectionReason = x.Optional("RejectionReason"), AgrPortfolioUpdateMessageId = x.RequiredUuid("AGRPortfolioUpdateMessageID"u8, path) }),
            UftpMessageType.AGRPortfolioQuery => Attrs(ref x, path, new AgrPortfolioQuery { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, TimeZone = Tz(ref x, path), Period = x.RequiredDate("Period"u8, path) }),
            UftpMessageType.AGRPortfolioQueryResponse => ReadAgrPortfolioQueryResponse(ref x, path, h),
            UftpMessageType.DSOPortfolioUpdate => ReadDsoPortfolioUpdate(ref x, path, h),
            UftpMessageType.DSOPortfolioUpdateResponse => Attrs(ref x, path, new DsoPortfolioUpdateResponse { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Result = Result(ref x, path), RejectionReason = x.Optional("RejectionReason"), DsoPortfolioUpdateMessageId = x.RequiredUuid("DSOPortfolioUpdateResponseMessageID"u8, path) }),
            UftpMessageType.DSOPortfolioQuery => Attrs(ref x, path, new DsoPortfolioQuery { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, TimeZone = Tz(ref x, path), Period = x.RequiredDate("Period"u8, path), EntityAddress = x.RequiredAddress("EntityAddress"u8, path) }),
            UftpMessageType.DSOPortfolioQueryResponse => ReadDsoPortfolioQueryResponse(ref x, path, h),
            _ => throw x.Error("xsd", path, $"'{root}' is not a UFTP 3.1 message"),
        };
        return message;
    }

    /// <summary>Header attribute values, read first so every message type shares the checks.</summary>
    private readonly record struct Header(string V, string S, string R, DateTimeOffset T, Guid M, Guid C);

    private static Header ReadHeader(ref XmlInput x, UftpPath path) => new(
        x.RequiredVersion("Version"u8, path),
        x.RequiredDomain("SenderDomain"u8, path),
        x.RequiredDomain("RecipientDomain"u8, path),
        x.RequiredDateTime("TimeStamp"u8, path),
        x.RequiredUuid("MessageID"u8, path),
        x.RequiredUuid("ConversationID"u8, path));

    /// <summary>For messages without children: closes the attribute bag and the element.</summary>
    private static T Attrs<T>(ref XmlInput x, UftpPath path, T message)
    {
        x.EndAttributes(path);
        x.Leaf(path);
        return message;
    }

    private static AcceptedRejected Result(ref XmlInput x, UftpPath path) => x.RequiredEnum<AcceptedRejected>("Result"u8, path);

    private static long? OptInteger(ref XmlInput x, UftpPath path, string name) => x.Optional(name) is { } v ? x.Integer(v, path, name) : null;

    private static string Tz(ref XmlInput x, UftpPath path) => x.RequiredTimeZone("TimeZone"u8, path);

    private static (TimeSpan Isp, string Tz, DateOnly Period, EntityAddress Cp) FlexHeader(ref XmlInput x, UftpPath path) => (
        x.RequiredDuration("ISP-Duration"u8, path),
        Tz(ref x, path),
        x.RequiredDate("Period"u8, path),
        x.RequiredAddress("CongestionPoint"u8, path));

    /// <summary>Reads one item of a list; <paramref name="path"/> is the item's own path.</summary>
    private delegate T ItemReader<T>(ref XmlInput x, UftpPath path);

    /// <summary>
    /// Reads one item of a list. Lists read often (ISPs) have a struct reader, so that <see cref="ReadList{T, TReader}"/>
    /// is compiled for it and the item's reading inlined, with no delegate call per item.
    /// </summary>
    private interface IItemReader<T>
    {
        T Read(ref XmlInput x, UftpPath path);
    }

    private readonly struct DelegateItemReader<T>(ItemReader<T> read) : IItemReader<T>
    {
        public T Read(ref XmlInput x, UftpPath path) => read(ref x, path);
    }

    /// <summary>The <c>ISP</c> of D-Prognosis, FlexReservationUpdate, FlexOffer options and FlexOrder.</summary>
    private readonly struct PowerIspReader(bool positiveStart) : IItemReader<PowerIsp>
    {
        public PowerIsp Read(ref XmlInput x, UftpPath path) => ReadPowerIsp(ref x, path, positiveStart);
    }

    /// <summary>Reads the children of the current element, all named <paramref name="name"/>, at least <paramref name="min"/>.</summary>
    private static ValueList<T> ReadList<T>(ref XmlInput x, UftpPath path, string name, ItemReader<T> read, int min = 1) =>
        ReadList<T, DelegateItemReader<T>>(ref x, path, name, new DelegateItemReader<T>(read), min);

    /// <summary>Reads the children of the current element, all named <paramref name="name"/>, at least <paramref name="min"/>.</summary>
    private static ValueList<T> ReadList<T, TReader>(ref XmlInput x, UftpPath path, string name, TReader reader, int min = 1)
        where TReader : struct, IItemReader<T>
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
                var item = reader.Read(ref x, new UftpPath(parent, name, count + 1));
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

    /// <summary>
    /// Reads the children of the current element, all named <paramref name="name"/>, at least <paramref name="min"/>,
    /// each an element of attributes only: <paramref name="readAttributes"/> takes the ones it defines, then any other
    /// attribute and any content is refused.
    /// </summary>
    private static ValueList<T> ReadLeafList<T>(ref XmlInput x, UftpPath path, string name, ItemReader<T> readAttributes, int min = 1) =>
        ReadList<T, LeafItemReader<T>>(ref x, path, name, new LeafItemReader<T>(readAttributes), min);

    /// <summary>An item that is an element of attributes only (a status, a connection, an ISP of a settlement or metering).</summary>
    private readonly struct LeafItemReader<T>(ItemReader<T> readAttributes) : IItemReader<T>
    {
        public T Read(ref XmlInput x, UftpPath path)
        {
            x.ReadAttributes(path);
            var item = readAttributes(ref x, path);
            x.EndAttributes(path);
            x.Leaf(path);
            return item;
        }
    }

    /// <summary>
    /// Reads the children of the current element as one or more <paramref name="firstName"/> followed by at least
    /// <paramref name="minSecond"/> <paramref name="secondName"/> (a FlexSettlement's order and contract settlements, a
    /// DSO-View's portfolios and connections); any other element, or a first after a second, is refused.
    /// </summary>
    private static (List<TFirst> First, List<TSecond> Second) ReadSequence<TFirst, TSecond>(
        ref XmlInput x, UftpPath path, string firstName, ItemReader<TFirst> readFirst, string secondName, ItemReader<TSecond> readSecond, int minSecond)
    {
        var first = new List<TFirst>();
        var second = new List<TSecond>();
        if (x.Enter())
        {
            while (x.NextChild(path))
            {
                if (x.Is(firstName) && second.Count == 0) first.Add(readFirst(ref x, new UftpPath(path.ToString(), firstName, first.Count + 1)));
                else if (x.Is(secondName) && first.Count > 0) second.Add(readSecond(ref x, new UftpPath(path.ToString(), secondName, second.Count + 1)));
                else throw x.UnknownElement(path);
            }
        }
        if (first.Count == 0) throw x.MissingElement(path, firstName);
        if (second.Count < minSecond) throw x.MissingElement(path, secondName);
        return (first, second);
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
        var isps = ReadList<PowerIsp, PowerIspReader>(ref x, path, "ISP", new PowerIspReader(positiveStart: false));
        return new DPrognosis { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, IspDuration = f.Isp, TimeZone = f.Tz, Period = f.Period, CongestionPoint = f.Cp, Revision = revision, Isps = isps };
    }

    private static DPrognosisResponse ReadDPrognosisResponse(ref XmlInput x, UftpPath path, Header h)
    {
        var result = Result(ref x, path);
        var reason = x.Optional("RejectionReason");
        var reference = x.RequiredUuid("D-PrognosisMessageID"u8, path);
        x.EndAttributes(path);
        var statuses = ReadLeafList(ref x, path, "FlexOrderStatus", (ref XmlInput i, UftpPath p) => new FlexOrderStatus(i.RequiredUuid("FlexOrderMessageID"u8, p), i.Boolean(i.Required("IsValidated", p), p, "IsValidated")), min: 0);
        return new DPrognosisResponse { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Result = result, RejectionReason = reason, DPrognosisMessageId = reference, FlexOrderStatuses = statuses };
    }

    private static FlexReservationUpdate ReadFlexReservationUpdate(ref XmlInput x, UftpPath path, Header h)
    {
        var f = FlexHeader(ref x, path);
        var contract = x.Required("ContractID", path);
        var reference = x.Required("Reference", path);
        x.EndAttributes(path);
        var isps = ReadList<PowerIsp, PowerIspReader>(ref x, path, "ISP", new PowerIspReader(positiveStart: true));
        return new FlexReservationUpdate { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, IspDuration = f.Isp, TimeZone = f.Tz, Period = f.Period, CongestionPoint = f.Cp, ContractId = contract, Reference = reference, Isps = isps };
    }

    private static FlexRequest ReadFlexRequest(ref XmlInput x, UftpPath path, Header h)
    {
        var f = FlexHeader(ref x, path);
        var revision = x.RequiredInteger("Revision"u8, path);
        var expiration = x.RequiredDateTime("ExpirationDateTime"u8, path);
        var contract = x.Optional("ContractID");
        var service = x.Optional("ServiceType");
        x.EndAttributes(path);
        var isps = ReadLeafList(ref x, path, "ISP", (ref XmlInput i, UftpPath p) => new FlexRequestIsp(
            i.Optional("Disposition") is { } d ? i.Enum<AvailableRequested>(d, p, "Disposition") : null,
            i.RequiredInteger("MinPower"u8, p),
            i.RequiredInteger("MaxPower"u8, p),
            i.RequiredInt32("Start"u8, p, true),
            i.OptionalInt32("Duration"u8, p, true, 1)));
        return new FlexRequest { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, IspDuration = f.Isp, TimeZone = f.Tz, Period = f.Period, CongestionPoint = f.Cp, Revision = revision, ExpirationDateTime = expiration, ContractId = contract, ServiceType = service, Isps = isps };
    }

    private static FlexOffer ReadFlexOffer(ref XmlInput x, UftpPath path, Header h)
    {
        var f = FlexHeader(ref x, path);
        var expiration = x.RequiredDateTime("ExpirationDateTime"u8, path);
        bool? unsolicited = x.Optional("Unsolicited") is { } u ? x.Boolean(u, path, "Unsolicited") : null;
        var request = x.OptionalUuid("FlexRequestMessageID"u8, path);
        var contract = x.Optional("ContractID");
        var prognosis = x.OptionalUuid("D-PrognosisMessageID"u8, path);
        var baseline = x.Optional("BaselineReference");
        var currency = x.RequiredCurrency("Currency"u8, path);
        x.EndAttributes(path);
        var options = ReadList(ref x, path, "OfferOption", (ref XmlInput i, UftpPath p) =>
        {
            i.ReadAttributes(p);
            var reference = i.Required("OptionReference", p);
            var price = i.Decimal(i.Required("Price", p), p, "Price", 4);
            var factor = i.Optional("MinActivationFactor") is { } m ? i.ActivationFactor(m, p, "MinActivationFactor") : 1.00m;
            i.EndAttributes(p);
            var isps = ReadList<PowerIsp, PowerIspReader>(ref i, p, "ISP", new PowerIspReader(positiveStart: true));
            return new FlexOfferOption(reference, price, isps, factor);
        });
        return new FlexOffer { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, IspDuration = f.Isp, TimeZone = f.Tz, Period = f.Period, CongestionPoint = f.Cp, ExpirationDateTime = expiration, Unsolicited = unsolicited, FlexRequestMessageId = request, ContractId = contract, DPrognosisMessageId = prognosis, BaselineReference = baseline, Currency = currency, OfferOptions = options };
    }

    private static FlexOrder ReadFlexOrder(ref XmlInput x, UftpPath path, Header h)
    {
        var f = FlexHeader(ref x, path);
        bool? unsolicited = x.Optional("Unsolicited") is { } u ? x.Boolean(u, path, "Unsolicited") : null;
        var offer = x.OptionalUuid("FlexOfferMessageID"u8, path);
        var service = x.Optional("ServiceType");
        var contract = x.Optional("ContractID");
        var prognosis = x.OptionalUuid("D-PrognosisMessageID"u8, path);
        var baseline = x.Optional("BaselineReference");
        var price = x.Decimal(x.Required("Price", path), path, "Price", 4);
        var currency = x.RequiredCurrency("Currency"u8, path);
        var order = x.Required("OrderReference", path);
        var option = x.Optional("OptionReference");
        var factor = x.Optional("ActivationFactor") is { } a ? x.ActivationFactor(a, path, "ActivationFactor") : 1.00m;
        x.EndAttributes(path);
        var isps = ReadList<PowerIsp, PowerIspReader>(ref x, path, "ISP", new PowerIspReader(positiveStart: true));
        return new FlexOrder { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, IspDuration = f.Isp, TimeZone = f.Tz, Period = f.Period, CongestionPoint = f.Cp, Unsolicited = unsolicited, FlexOfferMessageId = offer, ServiceType = service, ContractId = contract, DPrognosisMessageId = prognosis, BaselineReference = baseline, Price = price, Currency = currency, OrderReference = order, OptionReference = option, ActivationFactor = factor, Isps = isps };
    }

    private static FlexSettlement ReadFlexSettlement(ref XmlInput x, UftpPath path, Header h)
    {
        var result = Result(ref x, path);
        var reason = x.Optional("RejectionReason");
        var start = x.RequiredDate("PeriodStart"u8, path);
        var end = x.RequiredDate("PeriodEnd"u8, path);
        var currency = x.RequiredCurrency("Currency"u8, path);
        x.EndAttributes(path);
        var (orders, contracts) = ReadSequence(ref x, path, "FlexOrderSettlement", ReadFlexOrderSettlement, "ContractSettlement", ReadContractSettlement, minSecond: 1);
        return new FlexSettlement { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Result = result, RejectionReason = reason, PeriodStart = start, PeriodEnd = end, Currency = currency, FlexOrderSettlements = orders, ContractSettlements = contracts };
    }

    private static FlexOrderSettlement ReadFlexOrderSettlement(ref XmlInput x, UftpPath path)
    {
        x.ReadAttributes(path);
        var s = new FlexOrderSettlement
        {
            OrderReference = x.Optional("OrderReference"),
            Period = x.RequiredDate("Period"u8, path),
            ContractId = x.Optional("ContractID"),
            DPrognosisMessageId = x.OptionalUuid("D-PrognosisMessageID"u8, path),
            BaselineReference = x.Optional("BaselineReference"),
            CongestionPoint = x.RequiredAddress("CongestionPoint"u8, path),
            Price = x.Decimal(x.Required("Price", path), path, "Price", 4),
            Penalty = x.Optional("Penalty") is { } pen ? x.Decimal(pen, path, "Penalty", 4) : 0m,
            NetSettlement = x.Decimal(x.Required("NetSettlement", path), path, "NetSettlement", 4),
            Isps = ValueList<FlexOrderSettlementIsp>.Empty,
        };
        x.EndAttributes(path);
        var isps = ReadLeafList(ref x, path, "ISP", (ref XmlInput i, UftpPath p) => new FlexOrderSettlementIsp(
            i.RequiredInt32("Start"u8, p, true),
            i.OptionalInt32("Duration"u8, p, true, 1),
            i.RequiredInteger("BaselinePower"u8, p),
            i.RequiredInteger("OrderedFlexPower"u8, p),
            i.RequiredInteger("ActualPower"u8, p),
            i.RequiredInteger("DeliveredFlexPower"u8, p),
            i.Optional("PowerDeficiency") is { } pd ? i.Integer(pd, p, "PowerDeficiency") : 0));
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
            var period = i.RequiredDate("Period"u8, p);
            i.EndAttributes(p);
            var isps = ReadLeafList(ref i, p, "ISP", (ref XmlInput j, UftpPath q) => new ContractSettlementIsp(
                j.RequiredInt32("Start"u8, q, true),
                j.OptionalInt32("Duration"u8, q, true, 1),
                j.RequiredInteger("ReservedPower"u8, q),
                OptInteger(ref j, q, "RequestedPower"),
                OptInteger(ref j, q, "AvailablePower"),
                OptInteger(ref j, q, "OfferedPower"),
                OptInteger(ref j, q, "OrderedPower")));
            return new ContractSettlementPeriod(period, isps);
        });
        return new ContractSettlement(contract, periods);
    }

    private static FlexSettlementResponse ReadFlexSettlementResponse(ref XmlInput x, UftpPath path, Header h)
    {
        var result = Result(ref x, path);
        var reason = x.Optional("RejectionReason");
        var reference = x.RequiredUuid("FlexSettlementMessageID"u8, path);
        x.EndAttributes(path);
        var statuses = ReadLeafList(ref x, path, "FlexOrderSettlementStatus", (ref XmlInput i, UftpPath p) => new FlexOrderSettlementStatus(i.Optional("OrderReference"), i.Enum<AcceptedDisputed>(i.Required("Disposition", p), p, "Disposition"), i.Optional("DisputeReason")));
        return new FlexSettlementResponse { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Result = result, RejectionReason = reason, FlexSettlementMessageId = reference, FlexOrderSettlementStatuses = statuses };
    }

    private static Metering ReadMetering(ref XmlInput x, UftpPath path, Header h)
    {
        var revision = x.RequiredInteger("Revision"u8, path);
        var isp = x.RequiredDuration("ISP-Duration"u8, path);
        var tz = Tz(ref x, path);
        var currency = x.OptionalCurrency("Currency"u8, path);
        var period = x.RequiredDate("Period"u8, path);
        var ean = x.Required("EAN", path);
        if (!UftpSimpleTypes.IsMeteringEan(ean)) throw x.AttributeError("xsd", path, "EAN", $"'{XmlInput.Shorten(ean)}' is not an EAN (E followed by 16 or 18 digits)");
        x.EndAttributes(path);
        var profiles = ReadList(ref x, path, "Profile", (ref XmlInput i, UftpPath p) =>
        {
            i.ReadAttributes(p);
            var type = i.Enum<MeteringProfileType>(i.Required("ProfileType", p), p, "ProfileType");
            var unit = i.Enum<MeteringUnit>(i.Required("Unit", p), p, "Unit");
            i.EndAttributes(p);
            var isps = ReadLeafList(ref i, p, "ISP", (ref XmlInput j, UftpPath q) => new MeteringIsp(j.RequiredInt32("Start"u8, q, false), j.Decimal(j.Required("Value", q), q, "Value")));
            return new MeteringProfile(type, unit, isps);
        });
        return new Metering { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Revision = revision, IspDuration = isp, TimeZone = tz, Currency = currency, Period = period, Ean = ean, Profiles = profiles };
    }

    private static AgrPortfolioUpdate ReadAgrPortfolioUpdate(ref XmlInput x, UftpPath path, Header h)
    {
        var tz = Tz(ref x, path);
        x.EndAttributes(path);
        var connections = ReadLeafList(ref x, path, "Connection", (ref XmlInput i, UftpPath p) => new AgrPortfolioUpdateConnection(i.RequiredAddress("EntityAddress"u8, p), i.RequiredDate("StartPeriod"u8, p), i.OptionalDate("EndPeriod"u8, p)));
        return new AgrPortfolioUpdate { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, TimeZone = tz, Connections = connections };
    }

    private static PortfolioConnection ReadPortfolioConnection(ref XmlInput x, UftpPath path)
    {
        x.ReadAttributes(path);
        var c = new PortfolioConnection(x.RequiredAddress("EntityAddress"u8, path));
        x.EndAttributes(path);
        x.Leaf(path);
        return c;
    }

    private static AgrPortfolioQueryResponse ReadAgrPortfolioQueryResponse(ref XmlInput x, UftpPath path, Header h)
    {
        var result = Result(ref x, path);
        var reason = x.Optional("RejectionReason");
        var tz = Tz(ref x, path);
        var reference = x.RequiredUuid("AGRPortfolioQueryMessageID"u8, path);
        var period = x.RequiredDate("Period"u8, path);
        x.EndAttributes(path);
        var views = ReadList(ref x, path, "DSO-View", (ref XmlInput i, UftpPath p) =>
        {
            i.ReadAttributes(p);
            i.EndAttributes(p);
            var (portfolios, connections) = ReadSequence(ref i, p, "DSO-Portfolio", ReadDsoPortfolio, "Connection", ReadPortfolioConnection, minSecond: 0);
            return new DsoView(portfolios, connections);
        }, min: result == AcceptedRejected.Rejected ? 0 : 1); // a rejection has no view to give (the 3.1.0 XSD still asks for one)
        return new AgrPortfolioQueryResponse { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Result = result, RejectionReason = reason, TimeZone = tz, AgrPortfolioQueryMessageId = reference, Period = period, DsoViews = views };
    }

    private static DsoPortfolio ReadDsoPortfolio(ref XmlInput x, UftpPath path)
    {
        x.ReadAttributes(path);
        var domain = x.RequiredDomain("DSO-Domain"u8, path);
        x.EndAttributes(path);
        var points = ReadList(ref x, path, "CongestionPoint", (ref XmlInput i, UftpPath p) =>
        {
            i.ReadAttributes(p);
            var address = i.RequiredAddress("EntityAddress"u8, p);
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
            var address = i.RequiredAddress("EntityAddress"u8, p);
            var start = i.RequiredDate("StartPeriod"u8, p);
            var end = i.OptionalDate("EndPeriod"u8, p);
            var mutex = i.Boolean(i.Required("MutexOffersSupported", p), p, "MutexOffersSupported");
            var dayAhead = i.Enum<RedispatchBy>(i.Required("DayAheadRedispatchBy", p), p, "DayAheadRedispatchBy");
            RedispatchBy? intraday = i.Optional("IntradayRedispatchBy") is { } v ? i.Enum<RedispatchBy>(v, p, "IntradayRedispatchBy") : null;
            i.EndAttributes(p);
            var connections = ReadLeafList(ref i, p, "Connection", (ref XmlInput j, UftpPath q) => new DsoPortfolioUpdateConnection(j.RequiredAddress("EntityAddress"u8, q), j.RequiredDate("StartPeriod"u8, q), j.OptionalDate("EndPeriod"u8, q)));
            return new DsoPortfolioUpdateCongestionPoint { EntityAddress = address, StartPeriod = start, EndPeriod = end, MutexOffersSupported = mutex, DayAheadRedispatchBy = dayAhead, IntradayRedispatchBy = intraday, Connections = connections };
        });
        return new DsoPortfolioUpdate { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, TimeZone = tz, CongestionPoints = points };
    }

    private static DsoPortfolioQueryResponse ReadDsoPortfolioQueryResponse(ref XmlInput x, UftpPath path, Header h)
    {
        var result = Result(ref x, path);
        var reason = x.Optional("RejectionReason");
        var reference = x.RequiredUuid("DSOPortfolioQueryMessageID"u8, path);
        var tz = Tz(ref x, path);
        var period = x.RequiredDate("Period"u8, path);
        x.EndAttributes(path);
        var points = ReadList(ref x, path, "CongestionPoint", (ref XmlInput i, UftpPath p) =>
        {
            i.ReadAttributes(p);
            var address = i.RequiredAddress("EntityAddress"u8, p);
            i.EndAttributes(p);
            var connections = ReadLeafList(ref i, p, "Connection", (ref XmlInput j, UftpPath q) => new DsoPortfolioQueryConnection(j.RequiredAddress("EntityAddress"u8, q), j.OptionalDomain("AGR-Domain"u8, q)));
            return new DsoPortfolioQueryCongestionPoint(address, connections);
        }, min: 0);
        if (points.Count > 1) throw x.Error("xsd", path + "/CongestionPoint[2]", "at most one CongestionPoint is allowed");
        return new DsoPortfolioQueryResponse { SenderDomain = h.S, RecipientDomain = h.R, TimeStamp = h.T, MessageId = h.M, ConversationId = h.C, Version = h.V, Result = result, RejectionReason = reason, DsoPortfolioQueryMessageId = reference, TimeZone = tz, Period = period, CongestionPoint = points.Count == 1 ? points[0] : null };
    }
}
