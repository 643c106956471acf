using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;

/// <summary>
/// What the driver's push VENs answer, and when each first answered the awaited event: a
/// distribute gets <c>oadrCreatedEvent</c> (opt in to every event that asks for a response),
/// anything else <c>oadrResponse</c> 200, as a 2.0b VEN answers. Shared by the HTTP listener and
/// the XMPP sessions.
/// </summary>
internal sealed class PushRecorder(int count)
{
    private static readonly OadrSerializerOptions Compact = OadrSerializerOptions.Default with { Indent = false };
    private readonly long[] _answeredAt = new long[count];
    private TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile string? _awaited;
    private int _reached;
    private long _pushes;

    public string[] VenIds { get; } = new string[count];

    /// <summary>The first distribute carrying the awaited event, as this driver's VENs received it.</summary>
    public byte[]? AwaitedDocument { get; private set; }

    /// <summary>Pushes answered so far, of any kind.</summary>
    public long Pushes => Interlocked.Read(ref _pushes);

    /// <summary>From now on, records when each VEN answers a distribute carrying <paramref name="eventId"/>.</summary>
    public void Await(string eventId)
    {
        Array.Clear(_answeredAt);
        AwaitedDocument = null;
        _reached = 0;
        _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _awaited = eventId;
    }

    /// <summary>Waits until every VEN has answered the awaited event, or the time is up; the answer times (Unix ms) of those that did.</summary>
    public async Task<double[]> WaitAsync(TimeSpan timeout)
    {
        await Task.WhenAny(_all.Task, Task.Delay(timeout));
        return _answeredAt.Where(t => t > 0).Select(UnixMs).ToArray();
    }

    /// <summary>Wall-clock time in Unix milliseconds from <see cref="DateTime.Ticks"/> (UTC): comparable across the processes of one machine.</summary>
    public static double UnixMs(long utcTicks) => (utcTicks - DateTime.UnixEpoch.Ticks) / (double)TimeSpan.TicksPerMillisecond;

    public byte[] Answer(int index, byte[] body)
    {
        Interlocked.Increment(ref _pushes);
        if ((uint)index >= (uint)_answeredAt.Length) return Ok(null);
        var venId = VenIds[index];
        if (OadrCodec.ParseMessage(body) is not OadrDistributeEvent distribute) return Ok(venId);
        var responses = distribute.Events
            .Where(e => e.ResponseRequired == ResponseRequired.Always)
            .Select(e => new EventResponse
            {
                ResponseCode = ResponseCode.Ok,
                RequestId = distribute.RequestId,
                QualifiedEventId = new QualifiedEventId { EventId = e.EiEvent.EventDescriptor.EventId, ModificationNumber = e.EiEvent.EventDescriptor.ModificationNumber },
                OptType = OptType.OptIn,
            }).ToList();
        var answer = responses.Count == 0 ? Ok(venId) : OadrCodec.SerializeToUtf8Bytes(new OadrCreatedEvent
        {
            EiResponse = new EiResponse { ResponseCode = ResponseCode.Ok, RequestId = "", ResponseDescription = "OK" },
            EventResponses = ValueList.From(responses),
            VenId = venId,
        }, Compact);
        if (_awaited is { } awaited && distribute.Events.Any(e => e.EiEvent.EventDescriptor.EventId == awaited)
            && Interlocked.CompareExchange(ref _answeredAt[index], DateTime.UtcNow.Ticks, 0) == 0)
        {
            AwaitedDocument ??= body;
            if (Interlocked.Increment(ref _reached) == _answeredAt.Length) _all.TrySetResult();
        }
        return answer;
    }

    private static byte[] Ok(string? venId) => OadrCodec.SerializeToUtf8Bytes(new OadrResponse
    {
        EiResponse = new EiResponse { ResponseCode = ResponseCode.Ok, RequestId = "", ResponseDescription = "OK" },
        VenId = venId,
    }, Compact);
}

/// <summary>
/// The push side of a driver process's HTTP VENs: one HTTPS listener (mutual TLS, a certificate
/// from the load CA) whose path names the VEN, <c>/ven/{index}/OpenADR2/Simple/2.0b/{service}</c>,
/// so that thousands of push VENs cost one socket.
/// </summary>
internal sealed class PushListener(WebApplication app, Uri url, PushRecorder recorder) : IAsyncDisposable
{
    public Uri Url { get; } = url;

    public PushRecorder Recorder { get; } = recorder;

    public static async Task<PushListener> StartAsync(X509Certificate2 certificate, int count)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddRoutingCore();
        ListenOptions? bound = null;
        var context = SslStreamCertificateContext.Create(certificate, null, offline: true);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, 0, l =>
            {
                l.Protocols = HttpProtocols.Http1;
                l.UseHttps(new TlsHandshakeCallbackOptions
                {
                    OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions
                    {
                        ServerCertificateContext = context,
                        ClientCertificateRequired = true,
                        EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls12,
                        RemoteCertificateValidationCallback = (_, c, _, _) => c is not null,
                    }),
                });
                bound = l;
            });
        });
        var app = builder.Build();
        var recorder = new PushRecorder(count);
        app.MapPost("/ven/{index:int}/OpenADR2/Simple/2.0b/{service}", async (HttpContext http, int index) =>
        {
            using var copy = new MemoryStream();
            await http.Request.Body.CopyToAsync(copy);
            var answer = recorder.Answer(index, copy.ToArray());
            http.Response.ContentType = "application/xml";
            http.Response.ContentLength = answer.Length;
            await http.Response.Body.WriteAsync(answer);
        });
        await app.StartAsync();
        return new PushListener(app, new Uri($"https://127.0.0.1:{bound!.IPEndPoint!.Port}/"), recorder);
    }

    /// <summary>The transport address VEN <paramref name="index"/> registers with.</summary>
    public string AddressOf(int index) => new Uri(Url, $"ven/{index}").ToString();

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
