using System.Globalization;
using System.Text;
using System.Text.Json;

namespace FlexCoop.Conformance.Replay;

/// <summary>
/// Reads the message log the FlexCoop VTN and VEN write (<c>VtnOptions.MessageLogPath</c>,
/// <c>VenOptions.MessageLogPath</c>, <c>--message-log FILE</c>): JSON lines, one HTTP exchange per line:
/// <code>
/// {"log":"flexcoop-message-log/1","time":"2026-11-30T08:00:00.1234567+00:00","role":"vtn","direction":"inbound",
///  "venID":"ven-1","client":"127.0.0.1:50514","server":"https://127.0.0.1:8443/","method":"POST",
///  "path":"/OpenADR2/Simple/2.0b/OadrPoll","status":200,"req_content_type":"application/xml",
///  "resp_content_type":"application/xml","req_body":"&lt;oadrPayload ...","resp_body":"..."}
/// </code>
/// <c>role</c> is who wrote the line (<c>vtn</c> or <c>ven</c>); <c>direction</c> is <c>inbound</c> when the
/// writer received the request, <c>outbound</c> when it sent it. Bodies are JSON strings when they are
/// UTF-8, otherwise <c>req_body_base64</c> / <c>resp_body_base64</c>. <c>venID</c>, <c>client</c>,
/// <c>server</c>, <c>status</c> and the content types are absent when unknown. Other members are ignored.
/// </summary>
public static class MessageLogCapture
{
    /// <summary>The value of <c>log</c> on every line.</summary>
    public const string FormatName = "flexcoop-message-log/1";

    /// <summary>True when the file starts like a message log (a JSON object naming the format).</summary>
    public static bool LooksLikeMessageLog(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> head = stackalloc byte[256];
        var n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var text = head[..n];
        var start = 0;
        while (start < text.Length && text[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') start++;
        return start < text.Length && text[start] == (byte)'{' && text.IndexOf("flexcoop-message-log"u8) >= 0;
    }

    /// <summary>Reads the log; the exchanges keep the order of the lines.</summary>
    /// <exception cref="CaptureFormatException">A line is not such an object, or a limit is exceeded.</exception>
    public static Capture Read(string path, CaptureLimits? limits = null)
    {
        limits ??= CaptureLimits.Default;
        var info = new FileInfo(path);
        if (info.Length > limits.MaxCaptureBytes) throw new CaptureFormatException(path, $"larger than {limits.MaxCaptureBytes} bytes");
        var exchanges = new List<CaptureExchange>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            if (exchanges.Count >= limits.MaxExchanges) throw new CaptureFormatException($"{path}:{lineNumber}", $"more than {limits.MaxExchanges} exchanges");
            exchanges.Add(Parse(line, exchanges.Count + 1, $"{path}:{lineNumber}", limits));
        }
        return new Capture(path, exchanges);
    }

    private static CaptureExchange Parse(string line, int seq, string where, CaptureLimits limits)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException ex)
        {
            throw new CaptureFormatException(where, "not a JSON object: " + ex.Message, ex);
        }
        using (doc)
        {
            var o = doc.RootElement;
            if (o.ValueKind != JsonValueKind.Object) throw new CaptureFormatException(where, "not a JSON object");
            if (String(o, "log") != FormatName) throw new CaptureFormatException(where, $"'log' is not '{FormatName}'");
            var timeText = String(o, "time") ?? throw new CaptureFormatException(where, "'time' is missing");
            if (!DateTimeOffset.TryParse(timeText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            {
                throw new CaptureFormatException(where, $"'time' is not an ISO 8601 date-time: '{timeText}'");
            }
            var venId = String(o, "venID");
            return new CaptureExchange
            {
                Seq = seq,
                Time = time,
                Method = String(o, "method") ?? "POST",
                Path = String(o, "path") ?? throw new CaptureFormatException(where, "'path' is missing"),
                Status = o.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt32(out var status) ? status : null,
                RequestBody = Body(o, "req_body", where, limits),
                ResponseBody = Body(o, "resp_body", where, limits),
                RequestContentType = String(o, "req_content_type"),
                ResponseContentType = String(o, "resp_content_type"),
                // The VEN is the client: its venID names the conversation best, its address otherwise.
                Client = venId ?? String(o, "client"),
                Server = String(o, "server"),
            };
        }
    }

    private static ReadOnlyMemory<byte> Body(JsonElement o, string name, string where, CaptureLimits limits)
    {
        byte[] bytes;
        if (String(o, name) is { } text)
        {
            bytes = Encoding.UTF8.GetBytes(text);
        }
        else if (String(o, name + "_base64") is { } base64)
        {
            try
            {
                bytes = Convert.FromBase64String(base64);
            }
            catch (FormatException ex)
            {
                throw new CaptureFormatException(where, $"'{name}_base64' is not base64", ex);
            }
        }
        else
        {
            return ReadOnlyMemory<byte>.Empty;
        }
        if (bytes.Length > limits.MaxBodyBytes) throw new CaptureFormatException(where, $"'{name}' is larger than {limits.MaxBodyBytes} bytes");
        return bytes;
    }

    private static string? String(JsonElement o, string name) =>
        o.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
}
