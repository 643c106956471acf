namespace FlexCoop.Osb;

/// <summary>The root of every exception thrown by FlexCoop.Osb.</summary>
public abstract class OsbException : Exception
{
    protected OsbException(string message) : base(message) { }

    protected OsbException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>A home file or the agent's options are unreadable or inconsistent; the message names the field.</summary>
public sealed class OsbConfigurationException : OsbException
{
    public OsbConfigurationException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>Enrolment with the middleware failed (token refused, enrolment refused, unreadable answer).</summary>
public sealed class OsbEnrolmentException : OsbException
{
    public OsbEnrolmentException(string message, int? httpStatus = null, Exception? inner = null) : base(message, inner) => HttpStatus = httpStatus;

    /// <summary>The middleware's HTTP status, when it answered.</summary>
    public int? HttpStatus { get; }
}

/// <summary>A device adapter could not reach or command its devices (e.g. the MQTT broker).</summary>
public sealed class OsbDeviceException : OsbException
{
    public OsbDeviceException(string message, Exception? inner = null) : base(message, inner) { }
}
