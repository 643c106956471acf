// Compiled into both engines (FlexCoop.OpenAdr.Vtn and .Ven) as an internal type: one writer for
// the message log format that `flexcoop replay` reads, without a public API in FlexCoop.OpenAdr,
// which does no I/O.
using System.Buffers;
using System.Text;
using System.Text.Json;

namespace FlexCoop.OpenAdr.Engines.Internal;

/// <summary>One HTTP exchange for the message log.</summary>
internal sealed record MessageLogEntry(
    DateTimeOffset Time,
    string Direction,
    string? VenId,
    string? Client,
    string? Server,
    string Method,
    string Path,
    int? Status,
    string? RequestContentType,
    string? ResponseContentType,
    ReadOnlyMemory<byte> RequestBody,
    ReadOnlyMemory<byte> ResponseBody);

/// <summary>
/// Appends exchanges to a JSON-lines message log (format <c>flexcoop-message-log/1</c>, read back by
/// <c>flexcoop replay LOG.jsonl</c>): one object per line, bodies inline as JSON strings when they are
/// UTF-8, as base64 otherwise. Lines are written whole and flushed one by one, so a reader never
/// sees half an exchange.
/// </summary>
internal sealed class MessageLogWriter : IDisposable
{
    public const string FormatName = "flexcoop-message-log/1";

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    // A log, not HTML: keep XML readable (no \u003C for every angle bracket).
    private static readonly JsonWriterOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly FileStream _file;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _role;

    public MessageLogWriter(string path, string role)
    {
        _role = role;
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 4096, FileOptions.Asynchronous);
    }

    public async Task WriteAsync(MessageLogEntry entry, CancellationToken cancellationToken = default)
    {
        var line = new ArrayBufferWriter<byte>(1024 + entry.RequestBody.Length + entry.ResponseBody.Length);
        using (var json = new Utf8JsonWriter(line, Relaxed))
        {
            json.WriteStartObject();
            json.WriteString("log", FormatName);
            json.WriteString("time", entry.Time);
            json.WriteString("role", _role);
            json.WriteString("direction", entry.Direction);
            if (entry.VenId is not null) json.WriteString("venID", entry.VenId);
            if (entry.Client is not null) json.WriteString("client", entry.Client);
            if (entry.Server is not null) json.WriteString("server", entry.Server);
            json.WriteString("method", entry.Method);
            json.WriteString("path", entry.Path);
            if (entry.Status is { } status) json.WriteNumber("status", status);
            if (entry.RequestContentType is not null) json.WriteString("req_content_type", entry.RequestContentType);
            if (entry.ResponseContentType is not null) json.WriteString("resp_content_type", entry.ResponseContentType);
            Body(json, "req_body", entry.RequestBody.Span);
            Body(json, "resp_body", entry.ResponseBody.Span);
            json.WriteEndObject();
        }
        line.Write("\n"u8);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _file.WriteAsync(line.WrittenMemory, cancellationToken).ConfigureAwait(false);
            await _file.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static void Body(Utf8JsonWriter json, string name, ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty) return;
        try
        {
            json.WriteString(name, StrictUtf8.GetString(body));
        }
        catch (DecoderFallbackException)
        {
            json.WriteBase64String(name + "_base64", body);
        }
    }

    public void Dispose()
    {
        _file.Dispose();
        _gate.Dispose();
    }
}
