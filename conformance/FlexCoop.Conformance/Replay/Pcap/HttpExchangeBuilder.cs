using System.Globalization;
using System.Text;

namespace FlexCoop.Conformance.Replay.Pcap;

/// <summary>Parses HTTP/1.1 requests and responses out of reassembled TCP streams and pairs them.</summary>
internal static class HttpExchangeBuilder
{
    private const int MaxHeaderBytes = 64 * 1024;

    public static IReadOnlyList<CaptureExchange> Build(IEnumerable<TcpConnection> connections, string source, CaptureLimits limits, Tls.TlsKeyLog? keyLog = null)
    {
        var found = new List<CaptureExchange>();
        foreach (var connection in connections)
        {
            var (clientBytes, clientTimes) = connection.Client.Assemble();
            var (serverBytes, serverTimes) = connection.Server.Assemble();
            if (clientBytes.Length == 0) continue;
            var client = connection.Client.From.ToString();
            var server = connection.Client.To.ToString();
            if (clientBytes.Length >= 3 && clientBytes[0] == 0x16 && clientBytes[1] == 0x03)
            {
                string? why = "TLS connection: the traffic cannot be decrypted without a key log";
                Tls.Internal.TlsPlaintext? clientPlain = null, serverPlain = null;
                if (keyLog is not null)
                {
                    var error = Tls.Internal.TlsDecryptor.TryDecrypt(clientBytes, clientTimes, serverBytes, serverTimes, keyLog, out var c, out var s);
                    why = error is null ? null : "TLS connection: " + error;
                    (clientPlain, serverPlain) = (c, s);
                }
                if (why is not null || clientPlain is null || serverPlain is null)
                {
                    found.Add(new CaptureExchange
                    {
                        Seq = 0,
                        Time = clientTimes.Count > 0 ? clientTimes[0].Time : connection.Client.FirstSeen,
                        Method = "",
                        Path = "",
                        Client = client,
                        Server = server,
                        Unreadable = why,
                    });
                    continue;
                }
                // Decrypted: the HTTP inside goes through the same parsing as plain traffic.
                (clientBytes, clientTimes) = (clientPlain.Bytes, clientPlain.Times);
                (serverBytes, serverTimes) = (serverPlain.Bytes, serverPlain.Times);
                if (clientBytes.Length == 0) continue;
            }
            if (!LooksLikeHttpRequest(clientBytes))
            {
                found.Add(new CaptureExchange
                {
                    Seq = 0,
                    Time = clientTimes.Count > 0 ? clientTimes[0].Time : connection.Client.FirstSeen,
                    Method = "TCP",
                    Path = "",
                    Client = client,
                    Server = server,
                    Stream = Interleave(clientBytes, clientTimes, serverBytes, serverTimes),
                });
                continue;
            }
            var requests = ParseAll(clientBytes, isRequest: true, limits);
            var responses = ParseAll(serverBytes, isRequest: false, limits);
            var r = 0;
            foreach (var request in requests)
            {
                HttpMessage? response = null;
                while (r < responses.Count && responses[r].Status is >= 100 and < 200) r++; // interim responses
                if (r < responses.Count) response = responses[r++];
                var time = TimeAt(clientTimes, request.Offset) ?? connection.Client.FirstSeen;
                found.Add(new CaptureExchange
                {
                    Seq = 0,
                    Time = time == DateTimeOffset.MaxValue ? DateTimeOffset.UnixEpoch : time,
                    Method = request.Method ?? "",
                    Path = request.Target ?? "",
                    Status = response?.Status,
                    RequestBody = request.Body,
                    ResponseBody = response?.Body ?? ReadOnlyMemory<byte>.Empty,
                    RequestContentType = request.ContentType,
                    ResponseContentType = response?.ContentType,
                    Client = client,
                    Server = server,
                    Unreadable = request.Error,
                });
                if (found.Count > limits.MaxExchanges) throw new CaptureFormatException(source, $"more than {limits.MaxExchanges} exchanges");
            }
        }
        // Number the exchanges in the order they were sent.
        return found.OrderBy(e => e.Time).Select((e, i) => e with { Seq = i + 1 }).ToList();
    }

    /// <summary>An HTTP/1.x request starts with a method token (upper-case letters) and a space.</summary>
    internal static bool LooksLikeHttpRequest(ReadOnlySpan<byte> stream)
    {
        var i = 0;
        while (i < stream.Length && i < 16 && stream[i] is >= (byte)'A' and <= (byte)'Z') i++;
        return i >= 3 && i < stream.Length && stream[i] == (byte)' ';
    }

    /// <summary>Both directions' bytes as chunks in capture order (the client's first when times are equal).</summary>
    internal static List<TcpChunk> Interleave(byte[] clientBytes, List<(int Offset, DateTimeOffset Time)> clientTimes,
        byte[] serverBytes, List<(int Offset, DateTimeOffset Time)> serverTimes)
    {
        static IEnumerable<TcpChunk> Split(bool fromClient, byte[] bytes, List<(int Offset, DateTimeOffset Time)> times)
        {
            for (var i = 0; i < times.Count; i++)
            {
                var start = times[i].Offset;
                var end = i + 1 < times.Count ? times[i + 1].Offset : bytes.Length;
                if (end > start) yield return new TcpChunk(fromClient, times[i].Time, bytes.AsMemory(start, end - start));
            }
        }
        var chunks = Split(true, clientBytes, clientTimes).Concat(Split(false, serverBytes, serverTimes)).ToList();
        // OrderBy is stable: at equal times the client's chunks stay first.
        return chunks.OrderBy(c => c.Time).ToList();
    }

    private static DateTimeOffset? TimeAt(List<(int Offset, DateTimeOffset Time)> times, int offset)
    {
        DateTimeOffset? best = null;
        foreach (var (o, t) in times)
        {
            if (o > offset) break;
            best = t;
        }
        return best;
    }

    internal sealed record HttpMessage(int Offset, string? Method, string? Target, int? Status, string? ContentType, ReadOnlyMemory<byte> Body, string? Error);

    internal static List<HttpMessage> ParseAll(byte[] stream, bool isRequest, CaptureLimits limits)
    {
        var messages = new List<HttpMessage>();
        var offset = 0;
        while (offset < stream.Length)
        {
            var headerEnd = IndexOf(stream, offset, "\r\n\r\n"u8, MaxHeaderBytes);
            if (headerEnd < 0)
            {
                if (isRequest) messages.Add(new HttpMessage(offset, null, null, null, null, default, "the HTTP header is incomplete or too large"));
                break;
            }
            var head = Encoding.Latin1.GetString(stream, offset, headerEnd - offset);
            var lines = head.Split("\r\n");
            var start = lines[0].Split(' ', 3);
            string? method = null, target = null;
            int? status = null;
            if (isRequest)
            {
                if (start.Length < 3 || !start[2].StartsWith("HTTP/", StringComparison.Ordinal))
                {
                    messages.Add(new HttpMessage(offset, null, null, null, null, default, "not an HTTP/1.x request"));
                    break;
                }
                method = start[0];
                target = start[1];
            }
            else
            {
                if (start.Length < 2 || !start[0].StartsWith("HTTP/", StringComparison.Ordinal) ||
                    !int.TryParse(start[1], NumberStyles.None, CultureInfo.InvariantCulture, out var code))
                {
                    break;
                }
                status = code;
            }
            string? contentType = null;
            long? contentLength = null;
            var chunked = false;
            foreach (var line in lines.Skip(1))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0) continue;
                var name = line[..colon].Trim();
                var value = line[(colon + 1)..].Trim();
                if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) contentType = value;
                else if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) &&
                         long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var len)) contentLength = len;
                else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) &&
                         value.Contains("chunked", StringComparison.OrdinalIgnoreCase)) chunked = true;
            }
            var bodyStart = headerEnd + 4;
            ReadOnlyMemory<byte> body;
            int next;
            if (chunked)
            {
                if (!TryDechunk(stream, bodyStart, limits.MaxBodyBytes, out var dechunked, out next))
                {
                    messages.Add(new HttpMessage(offset, method, target, status, contentType, default, "the chunked body is incomplete"));
                    break;
                }
                body = dechunked;
            }
            else if (contentLength is { } length)
            {
                if (length > limits.MaxBodyBytes || bodyStart + length > stream.Length)
                {
                    messages.Add(new HttpMessage(offset, method, target, status, contentType, default,
                        length > limits.MaxBodyBytes ? "the body is larger than the limit" : "the body is incomplete in the capture"));
                    break;
                }
                body = stream.AsMemory(bodyStart, (int)length);
                next = bodyStart + (int)length;
            }
            else if (isRequest || status is 204 or 304 || status < 200)
            {
                body = ReadOnlyMemory<byte>.Empty;
                next = bodyStart;
            }
            else
            {
                // A response without a length runs to the end of the connection.
                var len = Math.Min(stream.Length - bodyStart, limits.MaxBodyBytes);
                body = stream.AsMemory(bodyStart, len);
                next = stream.Length;
            }
            messages.Add(new HttpMessage(offset, method, target, status, contentType, body, null));
            offset = next;
        }
        return messages;
    }

    private static bool TryDechunk(byte[] s, int offset, int max, out byte[] body, out int next)
    {
        var output = new MemoryStream();
        body = [];
        next = offset;
        while (true)
        {
            var lineEnd = IndexOf(s, offset, "\r\n"u8, 1024);
            if (lineEnd < 0) return false;
            var sizeText = Encoding.ASCII.GetString(s, offset, lineEnd - offset).Split(';')[0].Trim();
            if (!int.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0) return false;
            offset = lineEnd + 2;
            if (size == 0)
            {
                // Trailers end with an empty line.
                var end = IndexOf(s, offset - 2, "\r\n\r\n"u8, MaxHeaderBytes);
                if (end < 0) return false;
                next = end + 4;
                body = output.ToArray();
                return true;
            }
            if (offset + size + 2 > s.Length || output.Length + size > max) return false;
            output.Write(s, offset, size);
            offset += size + 2;
        }
    }

    private static int IndexOf(byte[] s, int from, ReadOnlySpan<byte> needle, int maxDistance)
    {
        var window = s.AsSpan(from, Math.Min(s.Length - from, maxDistance + needle.Length));
        var i = window.IndexOf(needle);
        return i < 0 ? -1 : from + i;
    }
}
