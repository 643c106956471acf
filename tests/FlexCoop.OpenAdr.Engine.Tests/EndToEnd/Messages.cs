using FlexCoop.OpenAdr.Model;

namespace FlexCoop.OpenAdr.Engine.Tests.EndToEnd;

/// <summary>Payloads a test sends by hand, as a VEN would.</summary>
internal static class Messages
{
    public static OadrCreatedEvent CreatedEvent(string venId, string eventId, uint modificationNumber, OptType opt) => new()
    {
        EiResponse = new EiResponse { ResponseCode = ResponseCode.Ok, RequestId = "" },
        VenId = venId,
        EventResponses = ValueList.Create([new EventResponse
        {
            ResponseCode = ResponseCode.Ok,
            RequestId = "r1",
            QualifiedEventId = new QualifiedEventId { EventId = eventId, ModificationNumber = modificationNumber },
            OptType = opt,
        }]),
    };

    public static OadrPoll Poll(string venId) => new() { VenId = venId };

    public static OadrCreatePartyRegistration Register(string? venId = null, string? registrationId = null) => new()
    {
        RequestId = "req-1",
        VenId = venId,
        RegistrationId = registrationId,
        ProfileName = OadrProfileName.Profile20b,
        TransportName = OadrTransportName.SimpleHttp,
        ReportOnly = false,
        XmlSignature = false,
        VenName = "raw",
        HttpPullModel = true,
    };
}
