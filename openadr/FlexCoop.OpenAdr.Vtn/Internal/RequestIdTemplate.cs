namespace FlexCoop.OpenAdr.Vtn.Internal;

/// <summary>
/// A serialised message whose only per-copy part is its requestID: the bytes before and after it,
/// taken from one serialisation with a marker in its place. Splicing a requestID of printable
/// ASCII without XML specials gives exactly what the serializer writes for it; any other
/// requestID, or a template where the marker does not occur exactly once, is serialised afresh.
/// </summary>
internal sealed class RequestIdTemplate
{
    private readonly Func<string, byte[]> _serialize;
    private readonly byte[]? _prefix;
    private readonly byte[]? _suffix;

    private RequestIdTemplate(Func<string, byte[]> serialize, byte[]? prefix, byte[]? suffix)
    {
        _serialize = serialize;
        _prefix = prefix;
        _suffix = suffix;
    }

    /// <summary>A template of what <paramref name="serialize"/> writes for a requestID.</summary>
    public static RequestIdTemplate Create(Func<string, byte[]> serialize)
    {
        var marker = "FLEXCOOP-REQUESTID-" + Guid.NewGuid().ToString("N");
        var bytes = serialize(marker);
        var markerBytes = System.Text.Encoding.ASCII.GetBytes(marker);
        var at = bytes.AsSpan().IndexOf(markerBytes);
        if (at < 0 || bytes.AsSpan(at + markerBytes.Length).IndexOf(markerBytes) >= 0)
        {
            return new RequestIdTemplate(serialize, null, null);
        }
        return new RequestIdTemplate(serialize, bytes[..at], bytes[(at + markerBytes.Length)..]);
    }

    /// <summary>The message with <paramref name="requestId"/>.</summary>
    public byte[] For(string requestId)
    {
        if (_prefix is null || _suffix is null || requestId.Length is 0 or > 256
            || requestId.AsSpan().ContainsAnyExceptInRange('!', '~') || requestId.AsSpan().IndexOfAny("<>&\"'") >= 0)
        {
            return _serialize(requestId);
        }
        var bytes = new byte[_prefix.Length + requestId.Length + _suffix.Length];
        _prefix.CopyTo(bytes, 0);
        System.Text.Encoding.ASCII.GetBytes(requestId, bytes.AsSpan(_prefix.Length));
        _suffix.CopyTo(bytes, _prefix.Length + requestId.Length);
        return bytes;
    }
}
