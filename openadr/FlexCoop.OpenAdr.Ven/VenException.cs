namespace FlexCoop.OpenAdr.Ven;

/// <summary>The root of every exception thrown by FlexCoop.OpenAdr.Ven.</summary>
public abstract class VenException : Exception
{
    protected VenException(string message) : base(message) { }

    protected VenException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>The VEN's options are inconsistent or name files that cannot be used.</summary>
public sealed class VenConfigurationException : VenException
{
    public VenConfigurationException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>The VTN could not be reached, answered with an HTTP error, or sent something unreadable.</summary>
public sealed class VenTransportException : VenException
{
    public VenTransportException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>The VTN refused a request with an OpenADR response code.</summary>
public sealed class VenRefusedException : VenException
{
    public VenRefusedException(string payload, string responseCode, string? description)
        : base($"{payload} refused with {responseCode}{(description is null ? "" : ": " + description)}")
    {
        Payload = payload;
        ResponseCode = responseCode;
        Description = description;
    }

    /// <summary>The payload refused, e.g. <c>oadrCreatePartyRegistration</c>.</summary>
    public string Payload { get; }

    /// <summary>The VTN's <c>responseCode</c>, e.g. <c>463</c>.</summary>
    public string ResponseCode { get; }

    public string? Description { get; }
}

/// <summary>The VEN's state file could not be opened, read or written.</summary>
public sealed class VenStateException : VenException
{
    public VenStateException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>
/// High security: a payload from the VTN failed signature verification (unsigned, tampered,
/// replayed, or signed by an untrusted certificate) and was not acted on.
/// </summary>
public sealed class VenSignatureException : VenException
{
    public VenSignatureException(string payload, Security.OadrSignatureStatus status, string detail)
        : base($"the VTN's {payload} failed signature verification ({status}): {detail}")
    {
        Payload = payload;
        Status = status;
    }

    /// <summary>What the VEN was receiving, e.g. the answer to <c>oadrPoll</c>.</summary>
    public string Payload { get; }

    /// <summary>Why verification failed.</summary>
    public Security.OadrSignatureStatus Status { get; }
}
