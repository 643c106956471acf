namespace FlexCoop.OpenAdr.Vtn;

/// <summary>What happened, as <see cref="OadrVtn.Activity"/> reports it.</summary>
public enum VtnActivityKind
{
    /// <summary>A VEN registered (or re-registered).</summary>
    Registered,
    /// <summary>A registration ended (by the VEN or the VTN).</summary>
    RegistrationCancelled,
    /// <summary>A VEN announced its reports (<c>oadrRegisterReport</c>).</summary>
    ReportsRegistered,
    /// <summary>A VEN acknowledged report requests (<c>oadrCreatedReport</c>).</summary>
    ReportCreated,
    /// <summary>Readings arrived (<c>oadrUpdateReport</c>).</summary>
    ReportUpdated,
    /// <summary>A VEN acknowledged a report cancellation.</summary>
    ReportCanceled,
    /// <summary>A VEN answered an event (<c>oadrCreatedEvent</c>).</summary>
    EventResponse,
    /// <summary>A VEN created an opt.</summary>
    OptCreated,
    /// <summary>A VEN cancelled an opt.</summary>
    OptCancelled,
    /// <summary>A VEN polled.</summary>
    Polled,
    /// <summary>A queued message reached its VEN (poll answer or push).</summary>
    Delivered,
    /// <summary>A push POST failed; it is retried later unless attempts ran out.</summary>
    PushFailed,
    /// <summary>A payload was refused with an OpenADR error code.</summary>
    Refused,
    /// <summary>An event was created, modified or cancelled (the detail is its eventID); its VENs are due a distribute.</summary>
    EventSaved,
    /// <summary>A message was queued for a VEN (delivered at its next poll, or pushed).</summary>
    Queued,
    /// <summary>A VEN asked for the VTN's own reports (<c>oadrCreateReport</c> to the VTN); the detail is the reportRequestIDs.</summary>
    OwnReportRequested,
    /// <summary>A VEN cancelled a request for the VTN's report (<c>oadrCancelReport</c>, or piggy-backed on <c>oadrUpdatedReport</c>).</summary>
    OwnReportCancelled,
    /// <summary>A VEN acknowledged the VTN's metadata or one of its reports (<c>oadrRegisteredReport</c>, <c>oadrUpdatedReport</c>).</summary>
    OwnReportAcknowledged,
}

/// <summary>One thing that happened in the VTN.</summary>
/// <param name="Kind">What.</param>
/// <param name="VenId">Which VEN, when known.</param>
/// <param name="Detail">The payload name, IDs or the refusal's code and reason.</param>
public sealed record VtnActivity(VtnActivityKind Kind, string? VenId, string Detail);

/// <summary>The argument of <see cref="OadrVtn.Activity"/>.</summary>
public sealed class VtnActivityEventArgs(VtnActivity activity) : EventArgs
{
    public VtnActivity Activity { get; } = activity;
}
