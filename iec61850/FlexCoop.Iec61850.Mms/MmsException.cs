namespace FlexCoop.Iec61850.Mms;

/// <summary>
/// Root of every error the MMS stack raises: bytes that cannot be decoded, a peer that rejects,
/// aborts or answers with a service error, an association that is refused or lost.
/// </summary>
public abstract class MmsException : Iec61850Exception
{
    protected MmsException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>
/// Bytes that do not decode: a BER length running past its buffer, nesting deeper than the limit,
/// an unexpected tag, a TPKT/COTP/session/presentation/ACSE/MMS header that breaks its standard.
/// <see cref="Layer"/> names the layer (<c>ber</c>, <c>tpkt</c>, <c>cotp</c>, <c>session</c>,
/// <c>presentation</c>, <c>acse</c>, <c>mms</c>) and <see cref="Offset"/> the byte offset in the decoded buffer.
/// </summary>
public sealed class MmsDecodeException : MmsException
{
    public MmsDecodeException(string layer, string message, int offset)
        : base($"{layer}: {message} (offset {offset})")
    {
        Layer = layer;
        Detail = message;
        Offset = offset;
    }

    /// <summary>The protocol layer whose rule was broken.</summary>
    public string Layer { get; }

    /// <summary>What was wrong, without layer and offset.</summary>
    public string Detail { get; }

    /// <summary>Offset of the offending byte in the buffer handed to the decoder.</summary>
    public int Offset { get; }

    /// <summary>The invokeID of a confirmed request whose service part did not decode (the server rejects by it).</summary>
    public uint? InvokeId { get; init; }

    /// <summary>The MMS reject reason this failure calls for, when known.</summary>
    public MmsRejectReason? RejectReason { get; init; }
}

/// <summary>The peer answered a confirmed request with a Confirmed-ErrorPDU.</summary>
public sealed class MmsServiceErrorException : MmsException
{
    public MmsServiceErrorException(MmsServiceError error)
        : base($"MMS service error: {error}")
    {
        Error = error;
    }

    /// <summary>The error class and code sent by the peer.</summary>
    public MmsServiceError Error { get; }
}

/// <summary>
/// The association failed at protocol level: the peer rejected a PDU (MMS RejectPDU), aborted,
/// refused the connection or association, or sent something out of sequence.
/// </summary>
public sealed class MmsProtocolException : MmsException
{
    public MmsProtocolException(string message, Exception? inner = null) : base(message, inner) { }

    /// <summary>The reject the peer sent, when the failure was an MMS RejectPDU.</summary>
    public MmsRejectReason? Reject { get; init; }
}

/// <summary>The journal store (SQLite) cannot be opened, read or written.</summary>
public sealed class MmsJournalStoreException : MmsException
{
    public MmsJournalStoreException(string message, Exception? inner = null) : base(message, inner) { }
}
