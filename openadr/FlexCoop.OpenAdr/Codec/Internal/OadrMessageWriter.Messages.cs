using FlexCoop.OpenAdr.Model;

namespace FlexCoop.OpenAdr.Codec.Internal;

internal sealed partial class OadrMessageWriter
{
    private void WriteMessage(OadrMessage message)
    {
        StartMessage(message);
        switch (message)
        {
            case OadrDistributeEvent m: DistributeEvent(m); break;
            case OadrCreatedEvent m: CreatedEvent(m); break;
            case OadrRequestEvent m: RequestEvent(m); break;
            case OadrResponse m:
                EiResponse(m.EiResponse);
                Leaf(Ei, "venID", Ns.Ei, m.VenId, optional: true);
                break;
            case OadrPoll m:
                Leaf(Ei, "venID", Ns.Ei, m.VenId);
                break;
            case OadrCancelOpt m:
                Leaf(Pyld, "requestID", Ns.Pyld, m.RequestId);
                Leaf(Ei, "optID", Ns.Ei, m.OptId);
                Leaf(Ei, "venID", Ns.Ei, m.VenId);
                break;
            case OadrCanceledOpt m:
                EiResponse(m.EiResponse);
                Leaf(Ei, "optID", Ns.Ei, m.OptId, optional: true);
                break;
            case OadrCreateOpt m: CreateOpt(m); break;
            case OadrCreatedOpt m:
                EiResponse(m.EiResponse);
                Leaf(Ei, "optID", Ns.Ei, m.OptId);
                break;
            case OadrCancelReport m: CancelReportContent(m); break;
            case OadrCanceledReport m:
                EiResponse(m.EiResponse);
                PendingReports(m.PendingReports);
                Leaf(Ei, "venID", Ns.Ei, m.VenId, optional: true);
                break;
            case OadrCreateReport m:
                Leaf(Pyld, "requestID", Ns.Pyld, m.RequestId);
                ReportRequests(m.ReportRequests);
                Leaf(Ei, "venID", Ns.Ei, m.VenId, optional: true);
                break;
            case OadrCreatedReport m:
                EiResponse(m.EiResponse);
                PendingReports(m.PendingReports);
                Leaf(Ei, "venID", Ns.Ei, m.VenId, optional: true);
                break;
            case OadrRegisterReport m:
                Leaf(Pyld, "requestID", Ns.Pyld, m.RequestId);
                foreach (var r in m.Reports) Report(r);
                Leaf(Ei, "venID", Ns.Ei, m.VenId, optional: true);
                Leaf(Ei, "reportRequestID", Ns.Ei, m.ReportRequestId, optional: true);
                break;
            case OadrRegisteredReport m:
                EiResponse(m.EiResponse);
                ReportRequests(m.ReportRequests);
                Leaf(Ei, "venID", Ns.Ei, m.VenId, optional: true);
                break;
            case OadrUpdateReport m:
                Leaf(Pyld, "requestID", Ns.Pyld, m.RequestId);
                foreach (var r in m.Reports) Report(r);
                Leaf(Ei, "venID", Ns.Ei, m.VenId, optional: true);
                break;
            case OadrUpdatedReport m:
                EiResponse(m.EiResponse);
                if (m.CancelReport is { } cancel)
                {
                    StartMessage(cancel);
                    CancelReportContent(cancel);
                    End();
                }
                Leaf(Ei, "venID", Ns.Ei, m.VenId, optional: true);
                break;
            case OadrCancelPartyRegistration m:
                Leaf(Pyld, "requestID", Ns.Pyld, m.RequestId);
                Leaf(Ei, "registrationID", Ns.Ei, m.RegistrationId);
                Leaf(Ei, "venID", Ns.Ei, m.VenId, optional: true);
                break;
            case OadrCanceledPartyRegistration m:
                EiResponse(m.EiResponse);
                Leaf(Ei, "registrationID", Ns.Ei, m.RegistrationId, optional: true);
                Leaf(Ei, "venID", Ns.Ei, m.VenId, optional: true);
                break;
            case OadrCreatePartyRegistration m: CreatePartyRegistration(m); break;
            case OadrCreatedPartyRegistration m: CreatedPartyRegistration(m); break;
            case OadrRequestReregistration m:
                Leaf(Ei, "venID", Ns.Ei, m.VenId);
                break;
            case OadrQueryRegistration m:
                Leaf(Pyld, "requestID", Ns.Pyld, m.RequestId);
                break;
            default:
                throw new ArgumentException($"unknown message type {message.GetType().Name}", nameof(message));
        }
        End();
    }

    // ---- events --------------------------------------------------------------------------------

    private void DistributeEvent(OadrDistributeEvent m)
    {
        if (m.EiResponse is { } response) EiResponse(response);
        Leaf(Pyld, "requestID", Ns.Pyld, m.RequestId);
        Leaf(Ei, "vtnID", Ns.Ei, m.VtnId);
        foreach (var e in m.Events)
        {
            Start(Oadr, "oadrEvent", Ns.Oadr);
            EiEvent(e.EiEvent);
            Leaf(Oadr, "oadrResponseRequired", Ns.Oadr, OadrText.ToText(e.ResponseRequired));
            End();
        }
    }

    private void EiEvent(EiEvent e)
    {
        Start(Ei, "eiEvent", Ns.Ei);
        var d = e.EventDescriptor;
        Start(Ei, "eventDescriptor", Ns.Ei);
        Leaf(Ei, "eventID", Ns.Ei, d.EventId);
        UInt(Ei, "modificationNumber", Ns.Ei, d.ModificationNumber);
        if (d.ModificationDateTime is { } modified) DateTime(Ei, "modificationDateTime", Ns.Ei, modified);
        Leaf(Ei, "modificationReason", Ns.Ei, d.ModificationReason, optional: true);
        if (d.Priority is { } priority) UInt(Ei, "priority", Ns.Ei, priority);
        Start(Ei, "eiMarketContext", Ns.Ei);
        Leaf(Emix, "marketContext", Ns.Emix, d.MarketContext);
        End();
        DateTime(Ei, "createdDateTime", Ns.Ei, d.CreatedDateTime);
        Leaf(Ei, "eventStatus", Ns.Ei, OadrText.ToText(d.EventStatus));
        Leaf(Ei, "testEvent", Ns.Ei, d.TestEvent, optional: true);
        Leaf(Ei, "vtnComment", Ns.Ei, d.VtnComment, optional: true);
        End();

        Start(Ei, "eiActivePeriod", Ns.Ei);
        Properties(e.ActivePeriod.Properties);
        Start(Xcal, "components", Ns.Xcal);
        if (e.ActivePeriod.ComponentsNil) w.WriteAttributeString("xsi", "nil", Ns.Xsi, "true");
        End();
        End();

        Start(Ei, "eiEventSignals", Ns.Ei);
        foreach (var s in e.EventSignals.Signals)
        {
            Start(Ei, "eiEventSignal", Ns.Ei);
            Intervals(s.Intervals);
            if (s.Target is { } target) Target(Ei, "eiTarget", Ns.Ei, target);
            Leaf(Ei, "signalName", Ns.Ei, s.SignalName.Value ?? "");
            Leaf(Ei, "signalType", Ns.Ei, OadrText.ToText(s.SignalType));
            Leaf(Ei, "signalID", Ns.Ei, s.SignalId);
            ItemBase(s.ItemBase);
            if (s.CurrentValue is { } current)
            {
                Start(Ei, "currentValue", Ns.Ei);
                Start(Ei, "payloadFloat", Ns.Ei);
                Float(Ei, "value", Ns.Ei, current);
                End();
                End();
            }
            End();
        }
        if (e.EventSignals.Baseline is { } b)
        {
            Start(Ei, "eiEventBaseline", Ns.Ei);
            DtStart(b.DtStart);
            DurationProp(Xcal, "duration", Ns.Xcal, b.Duration);
            Intervals(b.Intervals);
            Leaf(Ei, "baselineID", Ns.Ei, b.BaselineId);
            Strings(Ei, "resourceID", Ns.Ei, b.ResourceIds);
            Leaf(Ei, "baselineName", Ns.Ei, b.BaselineName);
            ItemBase(b.ItemBase);
            End();
        }
        End();
        Target(Ei, "eiTarget", Ns.Ei, e.Target);
        End();
    }

    private void RequestEvent(OadrRequestEvent m)
    {
        Start(Pyld, "eiRequestEvent", Ns.Pyld);
        Leaf(Pyld, "requestID", Ns.Pyld, m.RequestId);
        Leaf(Ei, "venID", Ns.Ei, m.VenId);
        if (m.ReplyLimit is { } limit) UInt(Pyld, "replyLimit", Ns.Pyld, limit);
        End();
    }

    private void CreatedEvent(OadrCreatedEvent m)
    {
        Start(Pyld, "eiCreatedEvent", Ns.Pyld);
        EiResponse(m.EiResponse);
        if (m.EventResponses is { } responses)
        {
            Start(Ei, "eventResponses", Ns.Ei);
            foreach (var r in responses)
            {
                Start(Ei, "eventResponse", Ns.Ei);
                Leaf(Ei, "responseCode", Ns.Ei, r.ResponseCode.Value ?? "");
                Leaf(Ei, "responseDescription", Ns.Ei, r.ResponseDescription, optional: true);
                Leaf(Pyld, "requestID", Ns.Pyld, r.RequestId);
                QualifiedEventId(r.QualifiedEventId);
                Leaf(Ei, "optType", Ns.Ei, OadrText.ToText(r.OptType));
                End();
            }
            End();
        }
        Leaf(Ei, "venID", Ns.Ei, m.VenId);
        End();
    }

    private void QualifiedEventId(QualifiedEventId q)
    {
        Start(Ei, "qualifiedEventID", Ns.Ei);
        Leaf(Ei, "eventID", Ns.Ei, q.EventId);
        UInt(Ei, "modificationNumber", Ns.Ei, q.ModificationNumber);
        End();
    }

    // ---- reports -------------------------------------------------------------------------------

    private void Report(OadrReport r)
    {
        Start(Oadr, "oadrReport", Ns.Oadr);
        if (r.DtStart is { } start) DtStart(start);
        if (r.Duration is { } duration) DurationProp(Xcal, "duration", Ns.Xcal, duration);
        if (r.Intervals is { } intervals) Intervals(intervals);
        Leaf(Ei, "eiReportID", Ns.Ei, r.EiReportId, optional: true);
        foreach (var d in r.Descriptions)
        {
            Start(Oadr, "oadrReportDescription", Ns.Oadr);
            Leaf(Ei, "rID", Ns.Ei, d.RId);
            if (d.ReportSubject is { } subject) Target(Ei, "reportSubject", Ns.Ei, subject);
            if (d.ReportDataSource is { } source) Target(Ei, "reportDataSource", Ns.Ei, source);
            Leaf(Ei, "reportType", Ns.Ei, d.ReportType.Value ?? "");
            ItemBase(d.ItemBase);
            Leaf(Ei, "readingType", Ns.Ei, d.ReadingType.Value ?? "");
            Leaf(Emix, "marketContext", Ns.Emix, d.MarketContext, optional: true);
            if (d.SamplingRate is { } rate)
            {
                Start(Oadr, "oadrSamplingRate", Ns.Oadr);
                Leaf(Oadr, "oadrMinPeriod", Ns.Oadr, rate.MinPeriod.Text);
                Leaf(Oadr, "oadrMaxPeriod", Ns.Oadr, rate.MaxPeriod.Text);
                Bool(Oadr, "oadrOnChange", Ns.Oadr, rate.OnChange);
                End();
            }
            End();
        }
        Leaf(Ei, "reportRequestID", Ns.Ei, r.ReportRequestId);
        Leaf(Ei, "reportSpecifierID", Ns.Ei, r.ReportSpecifierId);
        if (r.ReportName is { } name) Leaf(Ei, "reportName", Ns.Ei, name.Value ?? "");
        DateTime(Ei, "createdDateTime", Ns.Ei, r.CreatedDateTime);
        End();
    }

    private void ReportRequests(ValueList<OadrReportRequest> requests)
    {
        foreach (var rr in requests)
        {
            Start(Oadr, "oadrReportRequest", Ns.Oadr);
            Leaf(Ei, "reportRequestID", Ns.Ei, rr.ReportRequestId);
            var s = rr.ReportSpecifier;
            Start(Ei, "reportSpecifier", Ns.Ei);
            Leaf(Ei, "reportSpecifierID", Ns.Ei, s.ReportSpecifierId);
            DurationProp(Xcal, "granularity", Ns.Xcal, s.Granularity);
            DurationProp(Ei, "reportBackDuration", Ns.Ei, s.ReportBackDuration);
            if (s.ReportInterval is { } interval)
            {
                Start(Ei, "reportInterval", Ns.Ei);
                Properties(interval);
                End();
            }
            foreach (var p in s.SpecifierPayloads)
            {
                Start(Ei, "specifierPayload", Ns.Ei);
                Leaf(Ei, "rID", Ns.Ei, p.RId);
                ItemBase(p.ItemBase);
                Leaf(Ei, "readingType", Ns.Ei, p.ReadingType.Value ?? "");
                End();
            }
            End();
            End();
        }
    }

    private void PendingReports(ValueList<string> ids)
    {
        Start(Oadr, "oadrPendingReports", Ns.Oadr);
        Strings(Ei, "reportRequestID", Ns.Ei, ids);
        End();
    }

    private void CancelReportContent(OadrCancelReport m)
    {
        Leaf(Pyld, "requestID", Ns.Pyld, m.RequestId);
        Strings(Ei, "reportRequestID", Ns.Ei, m.ReportRequestIds);
        Bool(Pyld, "reportToFollow", Ns.Pyld, m.ReportToFollow);
        Leaf(Ei, "venID", Ns.Ei, m.VenId, optional: true);
    }

    // ---- opt -----------------------------------------------------------------------------------

    private void CreateOpt(OadrCreateOpt m)
    {
        Leaf(Ei, "optID", Ns.Ei, m.OptId);
        Leaf(Ei, "optType", Ns.Ei, OadrText.ToText(m.OptType));
        Leaf(Ei, "optReason", Ns.Ei, m.OptReason.Value ?? "");
        Leaf(Emix, "marketContext", Ns.Emix, m.MarketContext, optional: true);
        Leaf(Ei, "venID", Ns.Ei, m.VenId);
        if (m.Vavailability is { } availability)
        {
            Start(Xcal, "vavailability", Ns.Xcal);
            Start(Xcal, "components", Ns.Xcal);
            foreach (var p in availability.Available)
            {
                Start(Xcal, "available", Ns.Xcal);
                Properties(p);
                End();
            }
            End();
            End();
        }
        DateTime(Ei, "createdDateTime", Ns.Ei, m.CreatedDateTime);
        Leaf(Pyld, "requestID", Ns.Pyld, m.RequestId);
        if (m.QualifiedEventId is { } q) QualifiedEventId(q);
        Target(Ei, "eiTarget", Ns.Ei, m.Target);
        if (m.DeviceClass is { } deviceClass) Target(Oadr, "oadrDeviceClass", Ns.Oadr, deviceClass);
    }

    // ---- registration --------------------------------------------------------------------------

    private void CreatePartyRegistration(OadrCreatePartyRegistration m)
    {
        Leaf(Pyld, "requestID", Ns.Pyld, m.RequestId);
        Leaf(Ei, "registrationID", Ns.Ei, m.RegistrationId, optional: true);
        Leaf(Ei, "venID", Ns.Ei, m.VenId, optional: true);
        Leaf(Oadr, "oadrProfileName", Ns.Oadr, OadrText.ToText(m.ProfileName));
        Leaf(Oadr, "oadrTransportName", Ns.Oadr, OadrText.ToText(m.TransportName));
        Leaf(Oadr, "oadrTransportAddress", Ns.Oadr, m.TransportAddress, optional: true);
        Bool(Oadr, "oadrReportOnly", Ns.Oadr, m.ReportOnly);
        Bool(Oadr, "oadrXmlSignature", Ns.Oadr, m.XmlSignature);
        Leaf(Oadr, "oadrVenName", Ns.Oadr, m.VenName, optional: true);
        if (m.HttpPullModel is { } pull) Bool(Oadr, "oadrHttpPullModel", Ns.Oadr, pull);
    }

    private void CreatedPartyRegistration(OadrCreatedPartyRegistration m)
    {
        EiResponse(m.EiResponse);
        Leaf(Ei, "registrationID", Ns.Ei, m.RegistrationId, optional: true);
        Leaf(Ei, "venID", Ns.Ei, m.VenId, optional: true);
        Leaf(Ei, "vtnID", Ns.Ei, m.VtnId);
        Start(Oadr, "oadrProfiles", Ns.Oadr);
        foreach (var p in m.Profiles)
        {
            Start(Oadr, "oadrProfile", Ns.Oadr);
            Leaf(Oadr, "oadrProfileName", Ns.Oadr, OadrText.ToText(p.ProfileName));
            Start(Oadr, "oadrTransports", Ns.Oadr);
            foreach (var t in p.Transports)
            {
                Start(Oadr, "oadrTransport", Ns.Oadr);
                Leaf(Oadr, "oadrTransportName", Ns.Oadr, OadrText.ToText(t));
                End();
            }
            End();
            End();
        }
        End();
        if (m.RequestedOadrPollFreq is { } freq) DurationProp(Oadr, "oadrRequestedOadrPollFreq", Ns.Oadr, freq);
        if (m.ServiceSpecificInfo is { } services)
        {
            Start(Oadr, "oadrServiceSpecificInfo", Ns.Oadr);
            foreach (var s in services)
            {
                Start(Oadr, "oadrService", Ns.Oadr);
                Leaf(Oadr, "oadrServiceName", Ns.Oadr, OadrText.ToText(s.ServiceName));
                Infos(s.Info);
                End();
            }
            End();
        }
        if (m.Extensions is { } extensions)
        {
            Start(Oadr, "oadrExtensions", Ns.Oadr);
            foreach (var e in extensions)
            {
                Start(Oadr, "oadrExtension", Ns.Oadr);
                Leaf(Oadr, "oadrExtensionName", Ns.Oadr, e.Name);
                Infos(e.Info);
                End();
            }
            End();
        }
    }

    private void Infos(ValueList<OadrInfo> infos)
    {
        foreach (var i in infos)
        {
            Start(Oadr, "oadrInfo", Ns.Oadr);
            Leaf(Oadr, "oadrKey", Ns.Oadr, i.Key);
            Leaf(Oadr, "oadrValue", Ns.Oadr, i.Value);
            End();
        }
    }
}
