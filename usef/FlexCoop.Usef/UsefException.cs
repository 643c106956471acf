namespace FlexCoop.Usef;

/// <summary>The root of every exception thrown by FlexCoop.Usef.</summary>
public abstract class UsefException : Exception
{
    protected UsefException(string message) : base(message) { }

    protected UsefException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>
/// A UFTP message that cannot be read or written: not well-formed XML, a DTD or entity, over a
/// size or depth limit, an unknown element or attribute, a missing required one, a value of the
/// wrong type. <see cref="Rule"/> names what it breaks (<c>xml</c>, <c>dtd</c>, <c>limits</c>,
/// <c>xsd</c>), <see cref="Path"/> where (e.g. <c>/FlexOffer/OfferOption[1]/ISP[3]/@Power</c>).
/// </summary>
public sealed class UftpFormatException : UsefException
{
    public UftpFormatException(string rule, string path, string message, int lineNumber = 0, Exception? inner = null)
        : base(Compose(rule, path, message, lineNumber), inner)
    {
        Rule = rule;
        Path = path;
        Detail = message;
        LineNumber = lineNumber;
    }

    /// <summary>The rule broken: <c>xml</c>, <c>dtd</c>, <c>limits</c> or <c>xsd</c>.</summary>
    public string Rule { get; }

    /// <summary>Where in the message, as an element/attribute path; empty when the document could not be entered.</summary>
    public string Path { get; }

    /// <summary>The message without rule and path.</summary>
    public string Detail { get; }

    /// <summary>1-based line of the offending node, 0 when unknown.</summary>
    public int LineNumber { get; }

    private static string Compose(string rule, string path, string message, int line)
    {
        var where = path.Length > 0 ? $" at {path}" : "";
        var pos = line > 0 ? $" (line {line})" : "";
        return $"{rule}: {message}{where}{pos}";
    }
}

/// <summary>
/// A <c>SignedMessage</c> that cannot be opened: the signature does not verify with any key of
/// the sender, no key is known for the sender, or the sealed message contradicts the envelope.
/// </summary>
public sealed class UftpSignatureException : UsefException
{
    public UftpSignatureException(UftpSignatureFailure failure, string message, Exception? inner = null)
        : base(message, inner) => Failure = failure;

    /// <summary>Why the envelope was refused.</summary>
    public UftpSignatureFailure Failure { get; }
}

/// <summary>Why a <c>SignedMessage</c> was refused.</summary>
public enum UftpSignatureFailure
{
    /// <summary>The Body is shorter than a signature or is not base64.</summary>
    MalformedBody,
    /// <summary>No public key is known for the envelope's SenderDomain and SenderRole.</summary>
    UnknownSender,
    /// <summary>The signature does not verify with any known key of the sender.</summary>
    BadSignature,
    /// <summary>The sealed message's SenderDomain differs from the envelope's.</summary>
    SenderDomainMismatch,
    /// <summary>The envelope's SenderRole may not send the sealed message's type.</summary>
    SenderRoleMismatch,
    /// <summary>A key has the wrong length or format.</summary>
    BadKey,
}

/// <summary>A UFTP exchange failed at the transport: no endpoint, or the peer answered with an error status.</summary>
public sealed class UftpTransportException : UsefException
{
    public UftpTransportException(string message, int statusCode = 0, Exception? inner = null)
        : base(message, inner) => StatusCode = statusCode;

    /// <summary>The HTTP status the peer answered, 0 when none was received.</summary>
    public int StatusCode { get; }
}
