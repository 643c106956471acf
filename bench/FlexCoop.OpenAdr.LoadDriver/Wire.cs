using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;

/// <summary>What every VEN simulated here does on the wire: its own TLS client, POST a payload, read the answer.</summary>
internal static class Wire
{
    public static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    public static HttpClient Client(X509Certificate2 certificate) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = 1,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
        SslOptions = new SslClientAuthenticationOptions
        {
            ClientCertificates = [certificate],
            LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
            EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls12,
        },
    })
    { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>A plain-HTTP client with one keep-alive connection (the OpenLEADR comparison).</summary>
    public static HttpClient PlainClient() => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = 1,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
    })
    { Timeout = TimeSpan.FromSeconds(60) };

    public static async Task<OadrMessage> PostAsync(HttpClient client, Uri vtn, string service, OadrMessage message, CancellationToken ct)
    {
        using var content = new ByteArrayContent(OadrCodec.SerializeToUtf8Bytes(message));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
        using var response = await client.PostAsync(new Uri(vtn, "/OpenADR2/Simple/2.0b/" + service), content, ct);
        response.EnsureSuccessStatusCode();
        return OadrCodec.ParseMessage(await response.Content.ReadAsByteArrayAsync(ct));
    }
}

/// <summary>One measured run: every VEN polls with its own client, paced over the period or back to back.</summary>
internal static class PollRunner
{
    public sealed record Run(List<double> Latencies, TimeSpan Wall, int Errors);

    public static async Task<Run> RunAsync(HttpClient[] clients, byte[][] polls, Uri uri, bool paced, TimeSpan period, TimeSpan length)
    {
        var latencies = new List<double>[clients.Length];
        var wall = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(length);
        var errors = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, clients.Length), new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, clients.Length) }, async (i, _) =>
        {
            var mine = latencies[i] = new List<double>();
            if (paced)
            {
                // Spread the VENs over the period, as independent devices are.
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * period.TotalMilliseconds), stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            while (!stop.IsCancellationRequested)
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    using var content = new ByteArrayContent(polls[i]);
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
                    using var response = await clients[i].PostAsync(uri, content, CancellationToken.None);
                    await response.Content.ReadAsByteArrayAsync(CancellationToken.None);
                    if (!response.IsSuccessStatusCode) Interlocked.Increment(ref errors);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }
                catch (TaskCanceledException)
                {
                    Interlocked.Increment(ref errors); // the client's timeout
                }
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                if (paced)
                {
                    try
                    {
                        await Task.Delay(period, stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            }
        });
        wall.Stop();
        return new Run(latencies.Where(l => l is not null).SelectMany(l => l).ToList(), wall.Elapsed, errors);
    }
}
