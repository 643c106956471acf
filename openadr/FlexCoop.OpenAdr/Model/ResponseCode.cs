using System.Globalization;

namespace FlexCoop.OpenAdr.Model;

/// <summary>The class of an <see cref="ResponseCode"/>, from its first digit.</summary>
public enum ResponseClass
{
    /// <summary>1xx: request received, continuing.</summary>
    Informational = 1,
    /// <summary>2xx: received, understood and accepted.</summary>
    Success = 2,
    /// <summary>3xx: further action is needed to complete the request.</summary>
    Pending = 3,
    /// <summary>4xx: the request has bad syntax or cannot be fulfilled.</summary>
    RequesterError = 4,
    /// <summary>5xx: the responder failed on an apparently valid request.</summary>
    ResponderError = 5,
    /// <summary>0xx, 6xx-9xx: not defined by the specification.</summary>
    Undefined = 0,
}

/// <summary>
/// <c>ei:responseCode</c>: three digits, HTTP-like. The codes the OpenADR 2.0b profile names are static
/// properties; any other three-digit code is carried as is.
/// </summary>
/// <param name="Value">The three digits on the wire.</param>
public readonly record struct ResponseCode(string Value)
{
    /// <summary>200 OK.</summary>
    public static ResponseCode Ok => new("200");

    /// <summary>400 Bad request.</summary>
    public static ResponseCode BadRequest => new("400");

    /// <summary>403 Forbidden.</summary>
    public static ResponseCode Forbidden => new("403");

    /// <summary>404 Not found.</summary>
    public static ResponseCode NotFound => new("404");

    /// <summary>405 Method not allowed.</summary>
    public static ResponseCode MethodNotAllowed => new("405");

    /// <summary>408 Request timeout.</summary>
    public static ResponseCode RequestTimeout => new("408");

    /// <summary>450 Out of sequence.</summary>
    public static ResponseCode OutOfSequence => new("450");

    /// <summary>451 Not allowed.</summary>
    public static ResponseCode NotAllowed => new("451");

    /// <summary>452 Invalid ID.</summary>
    public static ResponseCode InvalidId => new("452");

    /// <summary>453 Not recognized.</summary>
    public static ResponseCode NotRecognized => new("453");

    /// <summary>454 Invalid data.</summary>
    public static ResponseCode InvalidData => new("454");

    /// <summary>459 Compliance error.</summary>
    public static ResponseCode ComplianceError => new("459");

    /// <summary>460 Signal not supported.</summary>
    public static ResponseCode SignalNotSupported => new("460");

    /// <summary>461 Report not supported.</summary>
    public static ResponseCode ReportNotSupported => new("461");

    /// <summary>462 Target mismatch.</summary>
    public static ResponseCode TargetMismatch => new("462");

    /// <summary>463 Not registered or not authorized.</summary>
    public static ResponseCode NotRegisteredOrAuthorized => new("463");

    /// <summary>469 Deployment error or other error.</summary>
    public static ResponseCode DeploymentErrorOrOtherError => new("469");

    /// <summary>A code from its number (0-999), written with three digits.</summary>
    public static ResponseCode FromNumber(int code)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(code);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(code, 999);
        return new(code.ToString("D3", CultureInfo.InvariantCulture));
    }

    /// <summary>True when the text is exactly three ASCII digits, as the schema requires.</summary>
    public bool IsValid => Value is { Length: 3 } && char.IsAsciiDigit(Value[0]) && char.IsAsciiDigit(Value[1]) && char.IsAsciiDigit(Value[2]);

    /// <summary>The code as a number; -1 when <see cref="IsValid"/> is false.</summary>
    public int Number => IsValid ? (Value[0] - '0') * 100 + (Value[1] - '0') * 10 + (Value[2] - '0') : -1;

    /// <summary>The class given by the first digit.</summary>
    public ResponseClass Class => Number switch
    {
        >= 100 and < 200 => ResponseClass.Informational,
        >= 200 and < 300 => ResponseClass.Success,
        >= 300 and < 400 => ResponseClass.Pending,
        >= 400 and < 500 => ResponseClass.RequesterError,
        >= 500 and < 600 => ResponseClass.ResponderError,
        _ => ResponseClass.Undefined,
    };

    /// <summary>True for a 2xx code.</summary>
    public bool IsSuccess => Class == ResponseClass.Success;

    public override string ToString() => Value ?? "";
}
