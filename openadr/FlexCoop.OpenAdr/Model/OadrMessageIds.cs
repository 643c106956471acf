namespace FlexCoop.OpenAdr.Model;

/// <summary>Identifiers common to many payloads, read without matching on every type at each call site.</summary>
public static class OadrMessageIds
{
    /// <summary>The <c>ei:venID</c> the message carries, or null when it has none or it is empty.</summary>
    public static string? VenId(OadrMessage? message) => message switch
    {
        OadrPoll m => m.VenId,
        OadrResponse m => m.VenId,
        OadrCreatePartyRegistration m => m.VenId,
        OadrCreatedPartyRegistration m => m.VenId,
        OadrCancelPartyRegistration m => m.VenId,
        OadrCanceledPartyRegistration m => m.VenId,
        OadrRequestReregistration m => m.VenId,
        OadrRequestEvent m => m.VenId,
        OadrCreatedEvent m => m.VenId,
        OadrRegisterReport m => m.VenId,
        OadrRegisteredReport m => m.VenId,
        OadrCreateReport m => m.VenId,
        OadrCreatedReport m => m.VenId,
        OadrUpdateReport m => m.VenId,
        OadrUpdatedReport m => m.VenId,
        OadrCancelReport m => m.VenId,
        OadrCanceledReport m => m.VenId,
        OadrCreateOpt m => m.VenId,
        OadrCancelOpt m => m.VenId,
        _ => null,
    } is { Length: > 0 } id ? id : null;
}
