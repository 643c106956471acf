using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;

namespace FlexCoop.OpenAdr.Vtn.Internal;

/// <summary>
/// The answer to a poll that finds nothing queued (<c>oadrResponse</c>, 200, empty requestID, the
/// VEN's venID), serialised once as a template: the bytes before and after the venID. Splicing in a
/// venID gives exactly what the serializer writes for it; a venID that would need XML escaping goes
/// through the serializer instead.
/// </summary>
internal sealed class EmptyPollResponse
{
    private const string Marker = "FLEXCOOP-VENID-MARKER";
    private readonly OadrSerializerOptions _options;
    private readonly byte[] _prefix;
    private readonly byte[] _suffix;

    public EmptyPollResponse(OadrSerializerOptions options)
    {
        _options = options;
        var template = OadrCodec.SerializeToUtf8Bytes(Message(Marker), options);
        var marker = System.Text.Encoding.UTF8.GetBytes(Marker);
        var at = template.AsSpan().IndexOf(marker);
        if (at < 0 || template.AsSpan(at + marker.Length).IndexOf(marker) >= 0)
        {
            throw new InvalidOperationException("the oadrResponse template does not hold the venID exactly once");
        }
        _prefix = template[..at];
        _suffix = template[(at + marker.Length)..];
    }

    public static OadrResponse Message(string venId) => new()
    {
        EiResponse = new EiResponse { ResponseCode = ResponseCode.Ok, RequestId = "", ResponseDescription = "OK" },
        VenId = venId,
    };

    public byte[] For(string venId)
    {
        // Printable ASCII without the XML specials is written as it is; anything else by the serializer.
        if (venId.Length is 0 or > 256 || venId.AsSpan().ContainsAnyExceptInRange('!', '~') || venId.AsSpan().IndexOfAny("<>&\"'") >= 0)
        {
            return OadrCodec.SerializeToUtf8Bytes(Message(venId), _options);
        }
        var length = venId.Length;
        var bytes = new byte[_prefix.Length + length + _suffix.Length];
        _prefix.CopyTo(bytes, 0);
        System.Text.Encoding.ASCII.GetBytes(venId, bytes.AsSpan(_prefix.Length));
        _suffix.CopyTo(bytes, _prefix.Length + length);
        return bytes;
    }
}
