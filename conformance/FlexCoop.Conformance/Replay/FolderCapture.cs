using System.Globalization;
using System.Text.Json;

namespace FlexCoop.Conformance.Replay;

/// <summary>
/// A folder of request/response files with an <c>index.jsonl</c>: one JSON object per HTTP
/// exchange with <c>seq</c>, <c>time</c> (ISO 8601), <c>method</c>, <c>path</c>, <c>status</c>,
/// <c>req_file</c>, <c>resp_file</c> and optionally <c>req_content_type</c>, <c>resp_content_type</c>;
/// other fields are ignored. File names are relative to the folder and may not leave it.
/// </summary>
internal static class FolderCapture
{
    public static Capture Read(string folder, CaptureLimits limits)
    {
        var root = Path.GetFullPath(folder);
        var index = Path.Combine(root, "index.jsonl");
        if (!File.Exists(index)) throw new CaptureFormatException(folder, "the folder has no index.jsonl");
        var exchanges = new List<CaptureExchange>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(index))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            if (exchanges.Count >= limits.MaxExchanges)
            {
                throw new CaptureFormatException($"{index}:{lineNumber}", $"more than {limits.MaxExchanges} exchanges");
            }
            exchanges.Add(ParseLine(root, index, lineNumber, line, limits));
        }
        exchanges.Sort((a, b) => a.Seq.CompareTo(b.Seq));
        return new Capture(folder, exchanges);
    }

    private static CaptureExchange ParseLine(string root, string index, int lineNumber, string line, CaptureLimits limits)
    {
        var where = $"{index}:{lineNumber}";
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            throw new CaptureFormatException(where, "not a JSON object: " + ex.Message, ex);
        }
        using (doc)
        {
            var o = doc.RootElement;
            if (o.ValueKind != JsonValueKind.Object) throw new CaptureFormatException(where, "not a JSON object");
            var seq = RequiredInt(o, "seq", where);
            var timeText = RequiredString(o, "time", where);
            if (!DateTimeOffset.TryParse(timeText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
            {
                throw new CaptureFormatException(where, $"'time' is not an ISO 8601 date-time: '{timeText}'");
            }
            int? status = o.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt32(out var st) ? st : null;
            var reqFile = OptionalString(o, "req_file");
            var respFile = OptionalString(o, "resp_file");
            return new CaptureExchange
            {
                Seq = seq,
                Time = time,
                Method = OptionalString(o, "method") ?? "POST",
                Path = RequiredString(o, "path", where),
                Status = status,
                RequestBody = reqFile is null ? ReadOnlyMemory<byte>.Empty : ReadBody(root, reqFile, where, limits),
                ResponseBody = respFile is null ? ReadOnlyMemory<byte>.Empty : ReadBody(root, respFile, where, limits),
                RequestContentType = OptionalString(o, "req_content_type"),
                ResponseContentType = OptionalString(o, "resp_content_type"),
            };
        }
    }

    private static byte[] ReadBody(string root, string relative, string where, CaptureLimits limits)
    {
        var full = Path.GetFullPath(Path.Combine(root, relative));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new CaptureFormatException(where, $"'{relative}' points outside the capture folder");
        }
        var info = new FileInfo(full);
        if (!info.Exists) throw new CaptureFormatException(where, $"'{relative}' does not exist");
        if (info.Length > limits.MaxBodyBytes) throw new CaptureFormatException(where, $"'{relative}' is larger than {limits.MaxBodyBytes} bytes");
        return File.ReadAllBytes(full);
    }

    private static int RequiredInt(JsonElement o, string name, string where) =>
        o.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.Number && p.TryGetInt32(out var v)
            ? v
            : throw new CaptureFormatException(where, $"'{name}' (a whole number) is missing");

    private static string RequiredString(JsonElement o, string name, string where) =>
        OptionalString(o, name) ?? throw new CaptureFormatException(where, $"'{name}' is missing");

    private static string? OptionalString(JsonElement o, string name) =>
        o.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
}
