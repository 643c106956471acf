using FlexCoop.OpenAdr.Engines.Internal;

namespace FlexCoop.OpenAdr.Ven.Internal;

/// <summary>
/// Writes every request the VEN sends to the VTN, with the VTN's answer, to the message log
/// (<see cref="VenOptions.MessageLogPath"/>): a handler between the HTTP client and the socket handler.
/// </summary>
internal sealed class VenMessageLog : DelegatingHandler
{
    private readonly MessageLogWriter _writer;
    private readonly string? _venId;
    private readonly long _maxBytes;

    private VenMessageLog(HttpMessageHandler inner, string path, string? venId, long maxBytes) : base(inner)
    {
        _writer = new MessageLogWriter(path, "ven");
        _venId = venId;
        _maxBytes = maxBytes;
    }

    /// <summary>The handler to give the HTTP client: <paramref name="inner"/> itself when no log is asked for.</summary>
    public static HttpMessageHandler Wrap(HttpMessageHandler inner, VenOptions options) =>
        options.MessageLogPath is { } path ? new VenMessageLog(inner, path, options.VenId, options.MaxMessageBytes) : inner;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var time = DateTimeOffset.UtcNow;
        var requestBody = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        byte[] responseBody = [];
        if (response.Content.Headers.ContentLength is not { } length || length <= _maxBytes)
        {
            // Buffered here, the body stays readable for the transport above.
            await response.Content.LoadIntoBufferAsync(_maxBytes, cancellationToken).ConfigureAwait(false);
            responseBody = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        await _writer.WriteAsync(new MessageLogEntry(
            time,
            "outbound",
            VenIdOf(requestBody) ?? VenIdOf(responseBody) ?? _venId,
            null,
            request.RequestUri is { } uri ? uri.GetLeftPart(UriPartial.Authority) + "/" : null,
            request.Method.Method,
            request.RequestUri?.AbsolutePath ?? "",
            (int)response.StatusCode,
            request.Content?.Headers.ContentType?.ToString(),
            response.Content.Headers.ContentType?.ToString(),
            requestBody,
            responseBody), cancellationToken).ConfigureAwait(false);
        return response;
    }

    private static string? VenIdOf(byte[] body)
    {
        if (body.Length == 0) return null;
        try
        {
            return FlexCoop.OpenAdr.Model.OadrMessageIds.VenId(FlexCoop.OpenAdr.Codec.OadrCodec.ParseMessage(body));
        }
        catch (OadrFormatException)
        {
            return null;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _writer.Dispose();
        base.Dispose(disposing);
    }
}
