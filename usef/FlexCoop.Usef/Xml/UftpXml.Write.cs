using System.Globalization;
using System.Xml;

namespace FlexCoop.Usef.Xml;

public static partial class UftpXml
{
    /// <summary>Writes a <c>SignedMessage</c> element.</summary>
    public static void Write(XmlWriter writer, SignedMessage message)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(message);
        writer.WriteStartElement("SignedMessage");
        writer.WriteAttributeString("SenderDomain", message.SenderDomain);
        writer.WriteAttributeString("SenderRole", message.SenderRole.ToString());
        writer.WriteAttributeString("Body", Convert.ToBase64String(message.Body.Span));
        writer.WriteEndElement();
    }

    /// <summary>Writes a payload message as its root element, attributes and children in schema order.</summary>
    public static void Write(XmlWriter writer, PayloadMessage message)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(message);
        var w = writer;
        w.WriteStartElement(UftpMessageTypes.Get(message.MessageType).ElementName);
        A(w, "Version", message.Version);
        A(w, "SenderDomain", message.SenderDomain);
        A(w, "RecipientDomain", message.RecipientDomain);
        A(w, "TimeStamp", message.TimeStamp);
        A(w, "MessageID", message.MessageId);
        A(w, "ConversationID", message.ConversationId);
        if (message is PayloadMessageResponse response)
        {
            A(w, "Result", response.Result.ToString());
            A(w, "RejectionReason", response.RejectionReason);
        }
        if (message is FlexMessage flex)
        {
            A(w, "ISP-Duration", XmlConvert.ToString(flex.IspDuration));
            A(w, "TimeZone", flex.TimeZone);
            A(w, "Period", flex.Period);
            A(w, "CongestionPoint", flex.CongestionPoint.Value);
        }
        switch (message)
        {
            case TestMessage or TestMessageResponse:
                break;
            case DPrognosis m:
                A(w, "Revision", m.Revision);
                foreach (var isp in m.Isps) WritePowerIsp(w, isp);
                break;
            case DPrognosisResponse m:
                A(w, "D-PrognosisMessageID", m.DPrognosisMessageId);
                foreach (var s in m.FlexOrderStatuses)
                {
                    w.WriteStartElement("FlexOrderStatus");
                    A(w, "FlexOrderMessageID", s.FlexOrderMessageId);
                    A(w, "IsValidated", s.IsValidated);
                    w.WriteEndElement();
                }
                break;
            case FlexReservationUpdate m:
                A(w, "ContractID", m.ContractId);
                A(w, "Reference", m.Reference);
                foreach (var isp in m.Isps) WritePowerIsp(w, isp);
                break;
            case FlexReservationUpdateResponse m:
                A(w, "FlexReservationUpdateMessageID", m.FlexReservationUpdateMessageId);
                break;
            case FlexRequest m:
                A(w, "Revision", m.Revision);
                A(w, "ExpirationDateTime", m.ExpirationDateTime);
                A(w, "ContractID", m.ContractId);
                A(w, "ServiceType", m.ServiceType);
                foreach (var isp in m.Isps)
                {
                    w.WriteStartElement("ISP");
                    if (isp.Disposition is { } d) A(w, "Disposition", d.ToString());
                    A(w, "MinPower", isp.MinPower);
                    A(w, "MaxPower", isp.MaxPower);
                    A(w, "Start", isp.Start);
                    if (isp.Duration != 1) A(w, "Duration", isp.Duration);
                    w.WriteEndElement();
                }
                break;
            case FlexRequestResponse m:
                A(w, "FlexRequestMessageID", m.FlexRequestMessageId);
                break;
            case FlexOffer m:
                A(w, "ExpirationDateTime", m.ExpirationDateTime);
                if (m.Unsolicited is { } u) A(w, "Unsolicited", u);
                A(w, "FlexRequestMessageID", m.FlexRequestMessageId);
                A(w, "ContractID", m.ContractId);
                A(w, "D-PrognosisMessageID", m.DPrognosisMessageId);
                A(w, "BaselineReference", m.BaselineReference);
                A(w, "Currency", m.Currency);
                foreach (var option in m.OfferOptions)
                {
                    w.WriteStartElement("OfferOption");
                    A(w, "OptionReference", option.OptionReference);
                    A(w, "Price", option.Price);
                    if (option.MinActivationFactor != 1.00m) A(w, "MinActivationFactor", option.MinActivationFactor);
                    foreach (var isp in option.Isps) WritePowerIsp(w, isp);
                    w.WriteEndElement();
                }
                break;
            case FlexOfferResponse m:
                A(w, "FlexOfferMessageID", m.FlexOfferMessageId);
                break;
            case FlexOfferRevocation m:
                A(w, "FlexOfferMessageID", m.FlexOfferMessageId);
                break;
            case FlexOfferRevocationResponse m:
                A(w, "FlexOfferRevocationMessageID", m.FlexOfferRevocationMessageId);
                break;
            case FlexOrder m:
                if (m.Unsolicited is { } uo) A(w, "Unsolicited", uo);
                A(w, "FlexOfferMessageID", m.FlexOfferMessageId);
                A(w, "ServiceType", m.ServiceType);
                A(w, "ContractID", m.ContractId);
                A(w, "D-PrognosisMessageID", m.DPrognosisMessageId);
                A(w, "BaselineReference", m.BaselineReference);
                A(w, "Price", m.Price);
                A(w, "Currency", m.Currency);
                A(w, "OrderReference", m.OrderReference);
                A(w, "OptionReference", m.OptionReference);
                if (m.ActivationFactor != 1.00m) A(w, "ActivationFactor", m.ActivationFactor);
                foreach (var isp in m.Isps) WritePowerIsp(w, isp);
                break;
            case FlexOrderResponse m:
                A(w, "FlexOrderMessageID", m.FlexOrderMessageId);
                break;
            case FlexSettlement m:
                A(w, "PeriodStart", m.PeriodStart);
                A(w, "PeriodEnd", m.PeriodEnd);
                A(w, "Currency", m.Currency);
                foreach (var s in m.FlexOrderSettlements) WriteFlexOrderSettlement(w, s);
                foreach (var c in m.ContractSettlements) WriteContractSettlement(w, c);
                break;
            case FlexSettlementResponse m:
                A(w, "FlexSettlementMessageID", m.FlexSettlementMessageId);
                foreach (var s in m.FlexOrderSettlementStatuses)
                {
                    w.WriteStartElement("FlexOrderSettlementStatus");
                    A(w, "OrderReference", s.OrderReference);
                    A(w, "Disposition", s.Disposition.ToString());
                    A(w, "DisputeReason", s.DisputeReason);
                    w.WriteEndElement();
                }
                break;
            case Metering m:
                A(w, "Revision", m.Revision);
                A(w, "ISP-Duration", XmlConvert.ToString(m.IspDuration));
                A(w, "TimeZone", m.TimeZone);
                A(w, "Currency", m.Currency);
                A(w, "Period", m.Period);
                A(w, "EAN", m.Ean);
                foreach (var profile in m.Profiles)
                {
                    w.WriteStartElement("Profile");
                    A(w, "ProfileType", profile.ProfileType.ToString());
                    A(w, "Unit", profile.Unit.ToString());
                    foreach (var isp in profile.Isps)
                    {
                        w.WriteStartElement("ISP");
                        A(w, "Start", isp.Start);
                        A(w, "Value", isp.Value);
                        w.WriteEndElement();
                    }
                    w.WriteEndElement();
                }
                break;
            case MeteringResponse m:
                A(w, "MeteringMessageID", m.MeteringMessageId);
                break;
            case AgrPortfolioUpdate m:
                A(w, "TimeZone", m.TimeZone);
                foreach (var c in m.Connections)
                {
                    w.WriteStartElement("Connection");
                    A(w, "EntityAddress", c.EntityAddress.Value);
                    A(w, "StartPeriod", c.StartPeriod);
                    A(w, "EndPeriod", c.EndPeriod);
                    w.WriteEndElement();
                }
                break;
            case AgrPortfolioUpdateResponse m:
                A(w, "AGRPortfolioUpdateMessageID", m.AgrPortfolioUpdateMessageId);
                break;
            case AgrPortfolioQuery m:
                A(w, "TimeZone", m.TimeZone);
                A(w, "Period", m.Period);
                break;
            case AgrPortfolioQueryResponse m:
                A(w, "TimeZone", m.TimeZone);
                A(w, "AGRPortfolioQueryMessageID", m.AgrPortfolioQueryMessageId);
                A(w, "Period", m.Period);
                foreach (var view in m.DsoViews)
                {
                    w.WriteStartElement("DSO-View");
                    foreach (var portfolio in view.DsoPortfolios)
                    {
                        w.WriteStartElement("DSO-Portfolio");
                        A(w, "DSO-Domain", portfolio.DsoDomain);
                        foreach (var cp in portfolio.CongestionPoints)
                        {
                            w.WriteStartElement("CongestionPoint");
                            A(w, "EntityAddress", cp.EntityAddress.Value);
                            A(w, "MutexOffersSupported", cp.MutexOffersSupported);
                            A(w, "DayAheadRedispatchBy", cp.DayAheadRedispatchBy.ToString());
                            A(w, "IntradayRedispatchBy", cp.IntradayRedispatchBy?.ToString());
                            foreach (var c in cp.Connections) WriteConnection(w, c);
                            w.WriteEndElement();
                        }
                        w.WriteEndElement();
                    }
                    foreach (var c in view.Connections) WriteConnection(w, c);
                    w.WriteEndElement();
                }
                break;
            case DsoPortfolioUpdate m:
                A(w, "TimeZone", m.TimeZone);
                foreach (var cp in m.CongestionPoints)
                {
                    w.WriteStartElement("CongestionPoint");
                    A(w, "EntityAddress", cp.EntityAddress.Value);
                    A(w, "StartPeriod", cp.StartPeriod);
                    A(w, "EndPeriod", cp.EndPeriod);
                    A(w, "MutexOffersSupported", cp.MutexOffersSupported);
                    A(w, "DayAheadRedispatchBy", cp.DayAheadRedispatchBy.ToString());
                    A(w, "IntradayRedispatchBy", cp.IntradayRedispatchBy?.ToString());
                    foreach (var c in cp.Connections)
                    {
                        w.WriteStartElement("Connection");
                        A(w, "EntityAddress", c.EntityAddress.Value);
                        A(w, "StartPeriod", c.StartPeriod);
                        A(w, "EndPeriod", c.EndPeriod);
                        w.WriteEndElement();
                    }
                    w.WriteEndElement();
                }
                break;
            case DsoPortfolioUpdateResponse m:
                A(w, "DSOPortfolioUpdateResponseMessageID", m.DsoPortfolioUpdateMessageId);
                break;
            case DsoPortfolioQuery m:
                A(w, "TimeZone", m.TimeZone);
                A(w, "Period", m.Period);
                A(w, "EntityAddress", m.EntityAddress.Value);
                break;
            case DsoPortfolioQueryResponse m:
                A(w, "DSOPortfolioQueryMessageID", m.DsoPortfolioQueryMessageId);
                A(w, "TimeZone", m.TimeZone);
                A(w, "Period", m.Period);
                if (m.CongestionPoint is { } point)
                {
                    w.WriteStartElement("CongestionPoint");
                    A(w, "EntityAddress", point.EntityAddress.Value);
                    foreach (var c in point.Connections)
                    {
                        w.WriteStartElement("Connection");
                        A(w, "EntityAddress", c.EntityAddress.Value);
                        A(w, "AGR-Domain", c.AgrDomain);
                        w.WriteEndElement();
                    }
                    w.WriteEndElement();
                }
                break;
            default:
                throw new ArgumentException($"unsupported message type {message.GetType().Name}", nameof(message));
        }
        w.WriteEndElement();
    }

    private static void WritePowerIsp(XmlWriter w, PowerIsp isp)
    {
        w.WriteStartElement("ISP");
        A(w, "Power", isp.Power);
        A(w, "Start", isp.Start);
        if (isp.Duration != 1) A(w, "Duration", isp.Duration);
        w.WriteEndElement();
    }

    private static void WriteConnection(XmlWriter w, PortfolioConnection c)
    {
        w.WriteStartElement("Connection");
        A(w, "EntityAddress", c.EntityAddress.Value);
        w.WriteEndElement();
    }

    private static void WriteFlexOrderSettlement(XmlWriter w, FlexOrderSettlement s)
    {
        w.WriteStartElement("FlexOrderSettlement");
        A(w, "OrderReference", s.OrderReference);
        A(w, "Period", s.Period);
        A(w, "ContractID", s.ContractId);
        A(w, "D-PrognosisMessageID", s.DPrognosisMessageId);
        A(w, "BaselineReference", s.BaselineReference);
        A(w, "CongestionPoint", s.CongestionPoint.Value);
        A(w, "Price", s.Price);
        if (s.Penalty != 0m) A(w, "Penalty", s.Penalty);
        A(w, "NetSettlement", s.NetSettlement);
        foreach (var isp in s.Isps)
        {
            w.WriteStartElement("ISP");
            A(w, "Start", isp.Start);
            if (isp.Duration != 1) A(w, "Duration", isp.Duration);
            A(w, "BaselinePower", isp.BaselinePower);
            A(w, "OrderedFlexPower", isp.OrderedFlexPower);
            A(w, "ActualPower", isp.ActualPower);
            A(w, "DeliveredFlexPower", isp.DeliveredFlexPower);
            if (isp.PowerDeficiency != 0) A(w, "PowerDeficiency", isp.PowerDeficiency);
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }

    private static void WriteContractSettlement(XmlWriter w, ContractSettlement c)
    {
        w.WriteStartElement("ContractSettlement");
        A(w, "ContractID", c.ContractId);
        foreach (var period in c.Periods)
        {
            w.WriteStartElement("Period");
            A(w, "Period", period.Period);
            foreach (var isp in period.Isps)
            {
                w.WriteStartElement("ISP");
                A(w, "Start", isp.Start);
                if (isp.Duration != 1) A(w, "Duration", isp.Duration);
                A(w, "ReservedPower", isp.ReservedPower);
                A(w, "RequestedPower", isp.RequestedPower);
                A(w, "AvailablePower", isp.AvailablePower);
                A(w, "OfferedPower", isp.OfferedPower);
                A(w, "OrderedPower", isp.OrderedPower);
                w.WriteEndElement();
            }
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }

    private static void A(XmlWriter w, string name, string? value)
    {
        if (value is not null) w.WriteAttributeString(name, value);
    }

    private static void A(XmlWriter w, string name, long value) => w.WriteAttributeString(name, value.ToString(CultureInfo.InvariantCulture));

    private static void A(XmlWriter w, string name, long? value)
    {
        if (value is { } v) A(w, name, v);
    }

    private static void A(XmlWriter w, string name, decimal value) => w.WriteAttributeString(name, value.ToString(CultureInfo.InvariantCulture));

    private static void A(XmlWriter w, string name, bool value) => w.WriteAttributeString(name, value ? "true" : "false");

    private static void A(XmlWriter w, string name, Guid value) => w.WriteAttributeString(name, value.ToString("D"));

    private static void A(XmlWriter w, string name, Guid? value)
    {
        if (value is { } v) A(w, name, v);
    }

    private static void A(XmlWriter w, string name, DateOnly value) => w.WriteAttributeString(name, value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    private static void A(XmlWriter w, string name, DateOnly? value)
    {
        if (value is { } v) A(w, name, v);
    }

    private static void A(XmlWriter w, string name, DateTimeOffset value) =>
        w.WriteAttributeString(name, value.Offset == TimeSpan.Zero
            ? value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture)
            : value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture));
}
