using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Engines.Internal;
using FlexCoop.OpenAdr.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace FlexCoop.OpenAdr.Vtn.Internal;

/// <summary>
/// Writes every OpenADR exchange the VTN serves to the message log (<see cref="VtnOptions.MessageLogPath"/>).
/// The request and response bodies are copied as the handler reads and writes them, so the
/// transport behaves exactly as without the log (limits, status codes, streaming).
/// </summary>
internal static class VtnMessageLog
{
    public static void Use(WebApplication app, string path, long maxBodyBytes)
    {
        var writer = new MessageLogWriter(path, "vtn");
        app.Lifetime.ApplicationStopped.Register(writer.Dispose);
        app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments(VtnServer.ServicePath.TrimEnd('/'), StringComparison.Ordinal))
            {
                await next(context);
                return;
            }
            var time = DateTimeOffset.UtcNow;
            var request = new TeeStream(context.Request.Body, maxBodyBytes);
            var response = new TeeStream(context.Response.Body, maxBodyBytes);
            context.Request.Body = request;
            context.Response.Body = response;
            try
            {
                await next(context);
            }
            finally
            {
                context.Request.Body = request.Inner;
                context.Response.Body = response.Inner;
            }
            var requestBody = request.Copy.ToArray();
            var responseBody = response.Copy.ToArray();
            await writer.WriteAsync(new MessageLogEntry(
                time,
                "inbound",
                VenIdOf(requestBody) ?? VenIdOf(responseBody),
                context.Connection.RemoteIpAddress is { } ip ? new System.Net.IPEndPoint(ip, context.Connection.RemotePort).ToString() : null,
                $"{context.Request.Scheme}://{context.Request.Host}/",
                context.Request.Method,
                context.Request.Path.Value ?? "",
                context.Response.StatusCode,
                context.Request.ContentType,
                context.Response.ContentType,
                requestBody,
                responseBody), context.RequestAborted);
        });
    }

    private static string? VenIdOf(byte[] body)
    {
        if (body.Length == 0) return null;
        try
        {
            return OadrMessageIds.VenId(OadrCodec.ParseMessage(body));
        }
        catch (OadrFormatException)
        {
            return null;
        }
    }

    /// <summary>Passes reads and writes through to the inner stream and keeps a copy of the bytes (up to a limit).</summary>
    private sealed class TeeStream(Stream inner, long limit) : Stream
    {
        public Stream Inner { get; } = inner;
        public MemoryStream Copy { get; } = new();

        private void Keep(ReadOnlySpan<byte> bytes)
        {
            var room = (int)Math.Max(0, Math.Min(bytes.Length, limit - Copy.Length));
            if (room > 0) Copy.Write(bytes[..room]);
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await Inner.ReadAsync(buffer, cancellationToken);
            Keep(buffer.Span[..n]);
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Inner.Read(buffer, offset, count);
            Keep(buffer.AsSpan(offset, n));
            return n;
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Keep(buffer.Span);
            await Inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count)
        {
            Keep(buffer.AsSpan(offset, count));
            Inner.Write(buffer, offset, count);
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Inner.FlushAsync(cancellationToken);
        public override void Flush() => Inner.Flush();
        public override bool CanRead => Inner.CanRead;
        public override bool CanSeek => false;
        public override bool CanWrite => Inner.CanWrite;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) Copy.Dispose();
            base.Dispose(disposing);
        }
    }
}
